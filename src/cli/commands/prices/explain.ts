import type { Command } from 'commander';
import { channelOpt } from '../../enums.js';
import type { Ctx } from '../../context.js';
import { InvalidInputError } from '../../../core/errors.js';
import { printJson } from '../../render.js';
import { isoDay } from '../../../core/fx.js';
import { checkDate } from '../../../services/fx/convert.js';
import { explainPrice, type ExplainResult } from '../../../services/prices/explain.js';
import { examples } from '../fx/help.js';

function render(ctx: Ctx, r: ExplainResult): void {
  const io = ctx.io;
  const fields = Object.entries(r.rule.fields)
    .map(([k, v]) => `${k} ${v.value}${v.from === 'rule' ? '' : ` (${v.from})`}`)
    .join(', ');
  io.out(`${r.sku} on ${r.channel}`);
  io.out(`  rule    ${r.rule.name} (channel ${r.rule.channel ?? '*'}, sku ${r.rule.sku ?? '*'})${r.rule.alsoMatched.length ? `; also matched: ${r.rule.alsoMatched.join(', ')}` : ''}`);
  io.out(`          ${fields}`);
  io.out(`  cost    ${r.cost.unit} ${r.cost.currency} + landed ${r.cost.landed} ${r.cost.currency} (${r.cost.from})`);
  const legs = r.rate.legs.map((l) => `${l.base}/${l.quote} ${l.rate}`).join(', ');
  if (r.rate.from === r.rate.to) io.out(`  rate    none: the cost is already in ${r.rate.to}`);
  else io.out(`  rate    1 ${r.rate.from} = ${r.rate.rate} ${r.rate.to} (${r.rate.source} ${r.rate.rateDate}${legs ? `: ${legs}` : ''})${r.rate.fallback ? ` — no publication on ${r.rate.requestedDate}` : ''}`);
  const w = Math.max(...r.steps.map((s) => s.name.length));
  for (const s of r.steps) io.out(`  ${s.step.padEnd(5)} ${s.name.padEnd(w)}  ${s.value.padStart(16)}   ${s.formula}`);
  if (r.price) io.out(`  price   ${r.price.amount} ${r.price.currency}${r.bound ? ` (clamped to the ${r.bound})` : ''}`);
}

export function registerExplain(parent: Command, ctx: Ctx): void {
  parent
    .command('explain <sku>')
    .description('Show how a SKU\'s price on a channel is computed, every step with its exact value')
    .requiredOption('--channel <channel>', 'the channel (amazon-uk, ebay-us, shopify, …)')
    .option('--date <YYYY-MM-DD>', 'price with the rates of this date (default: today, i.e. the latest)')
    .option('--cost <amount>', 'use this unit cost instead of the catalogue\'s (for a SKU not imported yet)')
    .option('--cost-currency <CCY>', 'currency of --cost (default: the channel currency)')
    .option('--landed <amount>', 'use this landed cost per unit (cost currency) instead of the catalogue\'s')
    .addHelpText(
      'after',
      examples(
        [
          'merchant prices explain MUG-BLU-S --channel amazon-uk',
          'merchant prices explain MUG-BLU-S --channel amazon-uk --json',
          'merchant prices explain NEW-1 --channel amazon-us --cost 12.00 --cost-currency EUR --date 2026-04-13',
        ],
        '\nExit codes: 0 ok · 2 bad flag, unknown channel or SKU · 3 no rule, no rate, or the price is refused (floor above max) · 7 no rules.',
      ),
    )
    .action((sku: string, opts: { channel: string; date?: string; cost?: string; costCurrency?: string; landed?: string }) => {
      channelOpt('--channel', opts.channel);
      const date = opts.date ? checkDate(opts.date) : isoDay(ctx.clock.now());
      const r = explainPrice(ctx.store(), { sku, channel: opts.channel, date, cost: opts.cost, costCurrency: opts.costCurrency, landed: opts.landed });
      if (r.refused) {
        if (!ctx.globals.json) render(ctx, r);
        throw new InvalidInputError(`${sku} on ${opts.channel}: no price: ${r.refused.reason}`, {
          hints: r.refused.code === 'floor-above-max' ? ['raise --max on the rule, lower the margin or fees, or lower the cost'] : ['lower the margin or the percentage fees'],
          details: r,
        });
      }
      if (ctx.globals.json) return printJson(ctx.io, r);
      render(ctx, r);
    });
}
