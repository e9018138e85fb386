import type { Command } from 'commander';
import { channelOpt } from '../../enums.js';
import type { Ctx } from '../../context.js';
import { InvalidInputError, NotFoundError } from '../../../core/errors.js';
import { printJson, printRows } from '../../render.js';
import { audit } from '../../../store/repos/audit.js';
import { channelInfo } from '../../../services/prices/channels.js';
import { getRule, listRules, removeRule, specFromFlags, upsertRule, type RuleFlags, type StoredRule } from '../../../services/prices/rules.js';
import { examples } from '../fx/help.js';
import { afterRuleSet } from '../../next-steps.js';

function describe(r: StoredRule): string {
  const s = r.spec;
  const parts: string[] = [];
  if (s.margin) parts.push(`margin ${s.margin}`);
  if (s.markup) parts.push(`markup ${s.markup}`);
  if (s.fee) parts.push(`fee ${s.fee}`);
  if (s.minFee) parts.push(`min-fee ${s.minFee}`);
  if (s.vat) parts.push(`vat ${s.vat}${s.vatIncluded ? ' included' : ' excluded'}`);
  else if (s.vatIncluded !== undefined) parts.push(s.vatIncluded ? 'vat included' : 'vat excluded');
  if (s.fxBuffer) parts.push(`fx-buffer ${s.fxBuffer}`);
  if (s.landedCost) parts.push(`landed ${s.landedCost}`);
  if (s.ending) parts.push(`ending ${s.ending}`);
  if (s.round) parts.push(`round ${s.round}`);
  if (s.min) parts.push(`min ${s.min}`);
  if (s.max) parts.push(`max ${s.max}`);
  return parts.join(', ');
}

export function registerRules(parent: Command, ctx: Ctx): void {
  const rules = parent.command('rules').description('Pricing rules per channel and SKU pattern: list, set, remove');

  rules
    .command('list')
    .description('List pricing rules (most specific first within a channel)')
    .addHelpText('after', examples(['merchant prices rules list', 'merchant prices rules list --json']))
    .action(async () => {
      const all = listRules(ctx.store());
      if (ctx.globals.json) return printJson(ctx.io, { items: all.map((r) => ({ name: r.name, channel: r.channel, sku: r.skuPattern, ...r.spec, updatedAt: r.updatedAt })) });
      if (!all.length) {
        ctx.io.info('no pricing rules yet; add one with `merchant prices rules set NAME --channel CHANNEL --margin 25%`');
        return;
      }
      await printRows(ctx.io, all, [
        { header: 'NAME', value: (r) => r.name },
        { header: 'CHANNEL', value: (r) => r.channel ?? '*' },
        { header: 'SKU', value: (r) => r.skuPattern ?? '*' },
        { header: 'RULE', value: describe, overflow: 'wrap' },
      ]);
    });

  rules
    .command('set <name>')
    .description('Create or replace a pricing rule (the flags describe the whole rule)')
    .option('--channel <channel>', 'the channel it prices (amazon-uk, ebay-us, shopify, …); omit for a default rule for every channel')
    .option('--sku <pattern>', "an exact SKU or a pattern with * and ? (quote it: --sku 'MUG-*')")
    .option('--margin <P%>', 'target margin as a share of the net (VAT-exclusive) price')
    .option('--markup <P%>', 'markup on landed cost instead: P = C × (1 + markup) + F')
    .option('--fee <P%+FIXED>', 'marketplace fees: percentages add up, plain amounts are fixed per unit (default: the marketplace model)')
    .option('--min-fee <amount>', 'minimum percentage fee per unit, channel currency (Amazon US 0.30, UK 0.25)')
    .option('--vat <P%>', 'VAT rate (default: the channel country\'s standard rate)')
    .option('--vat-included', 'prices include VAT (EU/UK consumer prices); with --vat and without this flag, prices exclude it')
    .option('--no-vat-included', 'prices exclude VAT')
    .option('--fx-buffer <P%>', 'add this share to the converted cost against FX moves and conversion fees (default 0%)')
    .option('--ending <ending>', 'round up to .99, .95 (any .NN), 1 (whole units), 10, 100, or none (next minor unit)')
    .option('--round <direction>', 'up (default: never below the solved price), down or nearest to the ending')
    .option('--min <amount>', 'never price below this (channel currency)')
    .option('--max <amount>', 'never price above this (channel currency); a solved floor above it refuses the price')
    .option('--landed-cost <P%+FIXED>', 'extra landed cost per unit: a share of unit cost (duty) plus a fixed amount in the cost currency')
    .addHelpText(
      'after',
      examples(
        [
          "merchant prices rules set uk --channel amazon-uk --margin 25% --fee 15.3%+0.00 --min-fee 0.25 --vat 20% --vat-included --fx-buffer 2% --ending .99 --min 5.00 --max 500.00",
          "merchant prices rules set mugs-us --channel amazon-us --sku 'MUG-*' --margin 30% --fee 15% --min-fee 0.30 --ending .95",
          'merchant prices rules set jp --channel amazon-jp --markup 80% --ending 10',
          'merchant prices rules set default --margin 20%               # every channel, marketplace fee defaults',
        ],
        `\nPrecedence: exact SKU > SKU pattern > channel > default. \`merchant prices explain SKU --channel C\` shows the winner.\nExit codes: 0 ok · 2 bad flag · 3 unknown channel · 5 locked.`,
      ),
    )
    .action(async (name: string, opts: RuleFlags) => {
      channelOpt('--channel', opts.channel);
      const store = ctx.store();
      const ch = opts.channel ? channelInfo(store, opts.channel) : null;
      if (opts.sku !== undefined && opts.sku.trim() === '') throw new InvalidInputError('--sku is empty');
      const spec = specFromFlags(opts, ch);
      await ctx.writeLock('prices rules set');
      const now = ctx.clock.now().toISOString();
      const outcome = store.tx(() => {
        const o = upsertRule(store, name, opts.channel ?? null, opts.sku ?? null, spec, now);
        if (o !== 'unchanged') audit(store, { at: now, command: 'prices rules set', entity: 'price_rule', entityId: name, action: o, detail: { channel: opts.channel ?? null, sku: opts.sku ?? null, ...spec } });
        return o;
      });
      const rule = getRule(store, name)!;
      if (ctx.globals.json) return printJson(ctx.io, { name, channel: rule.channel, sku: rule.skuPattern, ...rule.spec, result: outcome });
      await printRows(ctx.io, [rule], [
        { header: 'NAME', value: () => name },
        { header: 'CHANNEL', value: (r) => r.channel ?? '*' },
        { header: 'SKU', value: (r) => r.skuPattern ?? '*' },
        { header: 'RULE', value: describe, overflow: 'wrap' },
      ], { report: true });
      ctx.io.success(`rule ${name} ${outcome}`);
      if (ch && spec.vat !== undefined && spec.vatIncluded === undefined && ch.pricesIncludeTax) {
        ctx.io.warn(`${ch.code} lists prices including VAT, but this rule prices VAT-exclusive (add --vat-included)`);
      }
      afterRuleSet(ctx, opts.channel);
    });

  rules
    .command('remove <name>')
    .description('Remove a pricing rule (prices already set stay as they are)')
    .addHelpText('after', examples(['merchant prices rules remove mugs-us']))
    .action(async (name: string) => {
      const store = ctx.store();
      await ctx.writeLock('prices rules remove');
      const now = ctx.clock.now().toISOString();
      const removed = store.tx(() => {
        const old = getRule(store, name);
        if (!old) return false;
        removeRule(store, name);
        audit(store, { at: now, command: 'prices rules remove', entity: 'price_rule', entityId: name, action: 'removed', detail: { channel: old.channel, sku: old.skuPattern, ...old.spec } });
        return true;
      });
      if (!removed) throw new NotFoundError(`no pricing rule named ${JSON.stringify(name)}`, { hints: ['merchant prices rules list'] });
      if (ctx.globals.json) return printJson(ctx.io, { name, removed: true });
      ctx.io.success(`rule ${name} removed`);
    });
}
