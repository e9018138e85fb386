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
      const r = assignOrder(new StockRepo(ctx.store(), () => ctx.clock.now()), ref, o.location);
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.success(`order ${r.order} ships from ${r.location}${r.from && r.from !== r.location ? ` (was ${r.from})` : ''}${r.moved.length ? `; reserved ${r.moved.map((m) => `${m.reserved} × ${m.sku}`).join(', ')} there` : ''}`);
    });
}
