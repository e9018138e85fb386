import type { Command } from 'commander';
import { oneOf } from '../../enums.js';
import { CARRIERS } from '../../../core/profile.js';
import type { Ctx } from '../../context.js';
import { printJson, printRows } from '../../render.js';
import { shipRates } from '../../../services/ship/book.js';
import { examples } from '../customs/shared.js';
import { buildPlan, serviceOpt, shipDeps, SHIP_EXIT_CODES, type PlanOpts } from './deps.js';

export function registerRates(parent: Command, ctx: Ctx): void {
  parent
    .command('rates [order]')
    .description('Quote every service for an order (or a shipment file); records the shipment in the ledger, buys nothing')
    .option('--file <shipment.json>', 'a shipment without a marketplace order')
    .option('--parcel <size,weight>', 'parcel instead of the catalogue\'s weights, e.g. 300x200x100mm,1.2kg')
    .option('--carrier <easypost|shippo>', 'which connected carrier (default: the only one)')
    .option('--service <postal|courier>', 'customs form to check against until a rate is chosen (default: postal)')
    .option('--date <YYYY-MM-DD>', 'shipment date for the customs rules and rates (default: today)')
    .option('--incoterm <DAP|DDP>', 'for an order: who pays duty and import VAT (default: DAP)')
    .addHelpText(
      'after',
      examples(['merchant ship rates 1042', 'merchant ship rates 1042 --parcel 300x200x100mm,1.2kg --json', 'merchant ship rates --file shipment.json'], SHIP_EXIT_CODES),
    )
    .action(async (order: string | undefined, opts: PlanOpts & { carrier?: string }) => {
      oneOf('--carrier', opts.carrier, CARRIERS, 'carrier');
      serviceOpt(opts.service);
      await ctx.writeLock('ship rates');
      const plan = await buildPlan(ctx, order, opts);
      const deps = shipDeps(ctx, opts.carrier);
      const r = await shipRates(deps, plan, serviceOpt(opts.service));
      if (ctx.globals.json) return printJson(ctx.io, r);
      await printRows(ctx.io, r.rates, [
        { header: 'RATE', value: (x) => x.id, overflow: 'keep' },
        { header: 'CARRIER', value: (x) => x.carrier },
        { header: 'SERVICE', value: (x) => x.service },
        { header: 'PRICE', value: (x) => `${x.amount} ${x.currency}`, align: 'right' },
        { header: 'DAYS', value: (x) => (x.deliveryDays === undefined ? '' : String(x.deliveryDays)), align: 'right' },
        { header: 'TYPE', value: (x) => x.kind },
      ]);
      for (const m of r.messages) ctx.io.warn(m);
      if (r.customs) for (const e of r.customs.errors) ctx.io.warn(`customs: ${e.message}`);
      ctx.io.info(`shipment ${r.reference}: book with \`merchant ship book ${order ?? `--file ${opts.file}`} --rate <RATE>\` (or --cheapest / --fastest)`);
    });
}
