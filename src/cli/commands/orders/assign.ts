import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson } from '../../render.js';
import { StockRepo } from '../../../store/repos/stock.js';
import { assignOrder } from '../../../services/stock/assign.js';

export function registerAssign(parent: Command, ctx: Ctx): void {
  parent
    .command('assign <order>')
    .description('Choose the stock location that ships an order: its reservation moves there, labels ship from its address')
    .requiredOption('--location <code>', 'a location from `merchant stock locations list`')
    .addHelpText('after', '\nExamples:\n  $ merchant orders assign 302-1234567-1234567 --location de-3pl\n  $ merchant orders assign ebay:12-34567-89012 --location home')
    .action(async (ref: string, o: { location: string }) => {
      await ctx.writeLock('orders assign');
      const repo = new StockRepo(ctx.store(), () => ctx.clock.now());
      const r = assignOrder(repo, ref, o.location);
      // Labels and customs forms name the location's address: say now that it has none (ship book refuses it).
      const loc = repo.location(r.location);
      if (loc && !loc.isHome && !(loc.address?.street1 && loc.address.city && loc.address.postalCode)) {
        ctx.io.warn(`${loc.code} has no address yet: \`merchant ship book\` refuses to book its parcels until \`merchant stock locations edit ${loc.code} --street … --city … --postal-code …\``);
      }
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.success(`order ${r.order} ships from ${r.location}${r.from && r.from !== r.location ? ` (was ${r.from})` : ''}${r.moved.length ? `; reserved ${r.moved.map((m) => `${m.reserved} × ${m.sku}`).join(', ')} there` : ''}`);
    });
}
