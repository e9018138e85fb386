// `merchant orders ship <order> --carrier C --tracking T [--lines SKU:QTY,…]`: a parcel that left
// without a label bought through merchant (a post-office receipt, a 3PL) is recorded in the
// confirmation outbox and the order's marketplace is told right away; `sync` sends it if that fails.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { NotFoundError, PartialFailure, UsageError } from '../../../core/errors.js';
import { findCarrier } from '../../../core/carrier-codes.js';
import { printFields, printJson } from '../../render.js';
import { sendConfirmations } from '../../../services/orders/confirm.js';
import { parseLinesOption, planParcel } from '../../../services/orders/parcel.js';
import { lookupOrderRef } from '../../../store/repos/order-lookup.js';
import { oneOrder } from '../../../services/orders/ref.js';
import { confirmationsOfOrder, orderLinesForShipping, recordConfirmation } from '../../../store/repos/confirmations.js';
import { confirmDeps, notifyBuyer, reportConfirmations } from './confirm-deps.js';
import { examples } from '../help.js';

interface ShipOpts {
  carrier?: string;
  tracking?: string;
  lines?: string;
  service?: string;
  date?: string;
  dryRun?: boolean;
  notifyBuyer?: boolean;
}

export function registerShip(parent: Command, ctx: Ctx): void {
  parent
    .command('ship <order>')
    .description('Tell the marketplace a parcel shipped without a label bought here (carrier, tracking, lines)')
    .requiredOption('--carrier <name>', 'the carrier as you know it (Royal Mail, DHL Express, USPS, PostNord…); unknown ones go as "Other" + the name')
    .requiredOption('--tracking <number>', 'the tracking number')
    .option('--lines <SKU:QTY,…>', 'what is in this parcel (default: everything not yet in a parcel)')
    .option('--service <name>', 'the shipping service (e.g. "Tracked 48")')
    .option('--date <YYYY-MM-DD>', 'ship date (default: today, UTC)')
    .option('--notify-buyer', 'Shopify: e-mail the buyer the tracking (default: config shopify.notifyCustomer, else no)')
    .option('--no-notify-buyer', 'Shopify: do not e-mail the buyer')
    .option('--dry-run', 'print what would be sent and record nothing')
    .addHelpText(
      'after',
      `${examples([
        'merchant orders ship 12-11111-00002 --carrier "Royal Mail" --tracking JD014600003GB',
        'merchant orders ship "#1002" --carrier USPS --tracking 9400111899223197428490 --lines MUG-BLU-S:1',
        'merchant orders ship 302-1234567-1000003 --carrier DHL --tracking 1234567890 --dry-run --json',
      ])}
The parcel is recorded before anything is sent, so it reaches the marketplace exactly once: if the
marketplace is down the command exits 4 and \`merchant sync\` sends it later (it reads the marketplace
back first, so nothing is confirmed twice). The order's reserved stock of the parcel's lines is
deducted once. Exit codes: 0 confirmed, 2 no such order, 3 --lines does not fit the order, 4 recorded
but not confirmed yet (or refused: the message says why).`,
    )
    .action(async (ref: string, opts: ShipOpts) => {
      const carrier = (opts.carrier ?? '').trim();
      const tracking = (opts.tracking ?? '').trim();
      if (!carrier) throw new UsageError('--carrier is empty');
      if (!/^[A-Za-z0-9][A-Za-z0-9 -]{2,59}$/.test(tracking)) throw new UsageError(`--tracking "${tracking}" is not a tracking number (3–60 letters, digits, spaces or dashes)`);
      if (opts.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(Date.parse(`${opts.date}T00:00:00Z`)))) throw new UsageError(`--date takes YYYY-MM-DD, got "${opts.date}"`);
      const requested = opts.lines === undefined ? undefined : parseLinesOption(opts.lines);
      const now = ctx.clock.now().toISOString();
      const shipDate = opts.date ?? now.slice(0, 10);
      if (shipDate > now.slice(0, 10)) throw new UsageError(`--date ${shipDate} is in the future; marketplaces refuse a ship date after today`);
      if (!opts.dryRun) await ctx.writeLock('orders ship');
      const store = ctx.store();
      const order = oneOrder(ref, lookupOrderRef(store, ref));
      if (!order) throw new NotFoundError(`no order ${JSON.stringify(ref)}`, { hints: ['`merchant orders list` shows the orders known locally; `merchant sync --only orders --yes` pulls new ones'] });
      const label = order.externalId;
      const same = confirmationsOfOrder(store, order.id).find((c) => c.tracking === tracking);
      const lines = same ? same.lines : planParcel(label, orderLinesForShipping(store, order.id), requested);
      const known = findCarrier(carrier);
      const parcel = { order: label, marketplace: order.marketplace, carrier: known?.carrier ?? carrier, service: opts.service ?? null, tracking, shipDate, lines };
      if (opts.dryRun) {
        if (ctx.globals.json) return printJson(ctx.io, { dryRun: true, ...parcel, alreadyRecorded: Boolean(same), confirmations: [] });
        await printFields(ctx.io, [
          ['plan', `record the parcel of ${order.marketplace} order ${label} and confirm it there; nothing sent`],
          ['carrier', `${carrier}${known ? '' : ' (not in the carrier table: sent as "Other" + this name)'}`],
          ['tracking', tracking],
          ['ship date', shipDate],
          ['lines', lines.map((l) => `${l.sku ?? l.externalLineId} × ${l.quantity}`).join(', ')],
          ['recorded', same ? 'already (same tracking): only what is pending is sent' : undefined],
        ]);
        return;
      }
      store.tx(() => {
        recordConfirmation(store, { orderId: order.id, carrier: known?.carrier ?? carrier, service: opts.service ?? null, tracking, shipDate, lines, notifyCustomer: notifyBuyer(ctx, opts.notifyBuyer) }, now);
      });
      const confirmations = await sendConfirmations(confirmDeps(ctx), { orderId: order.id });
      const mine = confirmations.filter((c) => c.tracking === tracking);
      const open = confirmations.filter((c) => c.state !== 'acked');
      if (ctx.globals.json) printJson(ctx.io, { dryRun: false, ...parcel, alreadyRecorded: Boolean(same), confirmations });
      else {
        reportConfirmations(ctx, confirmations);
        if (!mine.length && same) ctx.io.info(`${label}: tracking ${tracking} was recorded before (${same.state}); nothing sent`);
      }
      if (open.length) {
        throw new PartialFailure(`order ${label}: the parcel is recorded; ${open.length} confirmation${open.length === 1 ? ' is' : 's are'} not done (${open.map((c) => c.message ?? c.state).join('; ')})`, {
          hints: ['`merchant sync` sends what is pending (it reads the marketplace back first, so nothing is confirmed twice)'],
          ...(ctx.globals.json ? { details: { confirmations } } : {}),
        });
      }
    });
}
