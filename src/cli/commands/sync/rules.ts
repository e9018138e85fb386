import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson, printRows } from '../../render.js';
import { NotFoundError } from '../../../core/errors.js';
import { loadRules, type InventoryRule } from '../../../services/sync/rules.js';
import { removeRule, setRule } from '../../../services/sync/rules-admin.js';

export function registerRules(sync: Command, ctx: Ctx): void {
  const rules = sync
    .command('rules')
    .description('Inventory rules: how much of the available stock each channel is offered')
    .addHelpText('after', `
The most specific rule wins (channel + SKU pattern, then pattern, then channel, then all). In order:
at or below --out-of-stock-at → 0; --fixed → that; (available − --buffer) × --percent, rounded down;
then raised to --min (never above what is available) and capped at --max.

Examples:
  $ merchant sync rules set ebay-share --channel ebay-uk --percent 50% --max 10
  $ merchant sync rules set safety --buffer 2 --out-of-stock-at 1
  $ merchant sync rules set mugs-amazon --channel amazon-de --sku 'MUG-*' --fixed 5
  $ merchant sync rules list --json
  $ merchant sync rules remove ebay-share`);

  rules
    .command('list')
    .description('Show the inventory rules')
    .addHelpText('after', `
Examples:
  $ merchant sync rules list
  $ merchant sync rules list --json`)
    .action(async () => {
      const list = loadRules(ctx.store());
      if (ctx.globals.json) return printJson(ctx.io, { items: list });
      if (!list.length) return ctx.io.info('no inventory rules: every channel is offered all available stock');
      const n = (v: number | null) => (v === null ? '' : String(v));
      await printRows<InventoryRule>(ctx.io, list, [
        { header: 'NAME', value: (r) => r.name },
        { header: 'CHANNEL', value: (r) => r.channel ?? '*' },
        { header: 'SKU', value: (r) => r.skuPattern ?? '*' },
        { header: 'PERCENT', value: (r) => r.percent ?? '' },
        { header: 'BUFFER', value: (r) => n(r.buffer) },
        { header: 'MIN', value: (r) => n(r.minQty) },
        { header: 'MAX', value: (r) => n(r.maxQty) },
        { header: 'OOS AT', value: (r) => n(r.oosThreshold) },
        { header: 'FIXED', value: (r) => n(r.fixedQty) },
      ]);
    });

  rules
    .command('set <name>')
    .description('Create or replace an inventory rule (queues the affected listings for the next sync)')
    .option('--channel <code>', 'only this channel (e.g. ebay-uk); default all')
    .option('--sku <pattern>', "only SKUs matching this glob (e.g. 'MUG-*'); default all")
    .option('--percent <share>', 'offer this share of available stock, rounded down (80% or 0.8)')
    .option('--buffer <n>', 'keep this many back (safety stock)')
    .option('--min <n>', 'offer at least this many while any is available')
    .option('--max <n>', 'offer at most this many')
    .option('--out-of-stock-at <n>', 'offer 0 when available is at or below this')
    .option('--fixed <n>', 'always offer this many (0 when out of stock)')
    .addHelpText('after', `
Examples:
  $ merchant sync rules set ebay-share --channel ebay-uk --percent 50% --max 10
  $ merchant sync rules set safety --buffer 2 --out-of-stock-at 1
  $ merchant sync rules set mugs-amazon --channel amazon-de --sku 'MUG-*' --fixed 5`)
    .action(async (name: string, o: { channel?: string; sku?: string; percent?: string; buffer?: string; min?: string; max?: string; outOfStockAt?: string; fixed?: string }) => {
      await ctx.writeLock('sync rules set');
      const r = setRule(ctx.store(), { name, channel: o.channel, sku: o.sku, percent: o.percent, buffer: o.buffer, min: o.min, max: o.max, oos: o.outOfStockAt, fixed: o.fixed }, ctx.clock.now().toISOString());
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.success(`rule ${name} saved; ${r.queued} listing${r.queued === 1 ? '' : 's'} will be re-checked by the next \`merchant sync\``);
    });

  rules
    .command('remove <name>')
    .description('Remove an inventory rule')
    .addHelpText('after', `
Examples:
  $ merchant sync rules remove ebay-share`)
    .action(async (name: string) => {
      await ctx.writeLock('sync rules remove');
      const r = removeRule(ctx.store(), name, ctx.clock.now().toISOString());
      if (!r.removed) throw new NotFoundError(`no inventory rule named ${JSON.stringify(name)}`, { hints: ['`merchant sync rules list` shows them'] });
      if (ctx.globals.json) return printJson(ctx.io, { name, ...r });
      ctx.io.success(`rule ${name} removed; ${r.queued} listing${r.queued === 1 ? '' : 's'} will be re-checked by the next sync`);
    });
}
