import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { Streamed, printJsonStream, printRows, unlessEmpty } from '../../render.js';
import { UsageError } from '../../../core/errors.js';
import { mapped } from '../../../core/iterate.js';
import { listOrders, type OrderSummary } from '../../../services/orders/list.js';
import { channelOpt, marketplaceOpt, oneOf } from '../../enums.js';
import { storedOrderStatuses } from '../../../store/repos/order-statuses.js';

/** The statuses merchant gives orders it pulls; imported report files may add their own (paid, …). */
const ORDER_STATUSES = ['unshipped', 'partially_shipped', 'shipped', 'shipped_unconfirmed', 'pending', 'cancelled', 'refunded'];

/** The status as a person reads it (the JSON keeps the code). */
export function statusText(status: string): string {
  if (status === 'shipped_unconfirmed') return 'shipped (confirmation pending)';
  if (status === 'partially_shipped') return 'partially shipped';
  return status;
}

export function registerList(parent: Command, ctx: Ctx): void {
  parent
    .command('list')
    .description('List orders from all marketplaces, newest first')
    .option('--marketplace <name>', 'amazon, ebay or shopify')
    .option('--channel <code>', 'one storefront, e.g. amazon-de')
    .option('--status <status>', 'unshipped, partially_shipped, shipped, shipped_unconfirmed (confirmation pending), cancelled, refunded, pending')
    .option('--from <date>', 'ordered on or after (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'ordered on or before (YYYY-MM-DD, UTC)')
    .option('--sku <sku>', 'orders containing this SKU')
    .option('--limit <n>', 'at most this many, newest first (default: all)')
    .addHelpText('after', `
Examples:
  $ merchant orders list
  $ merchant orders list --marketplace ebay --status unshipped
  $ merchant orders list --from 2026-11-01 --to 2026-11-30 --json`)
    .action(async (opts: { marketplace?: string; channel?: string; status?: string; from?: string; to?: string; sku?: string; limit?: string }) => {
      const marketplace = marketplaceOpt('--marketplace', opts.marketplace);
      const channel = channelOpt('--channel', opts.channel);
      const store = ctx.store();
      const status = oneOf('--status', opts.status, [...new Set([...ORDER_STATUSES, ...storedOrderStatuses(store)])], 'status');
      const limit = opts.limit === undefined ? undefined : Number(opts.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) throw new UsageError(`--limit takes a positive whole number, got "${opts.limit}"`);
      // Every order unless --limit: a terminal pages through them, a pipe gets them all (never cut silently).
      const rows = listOrders(store, { ...opts, marketplace, channel, status, limit: limit ?? Number.MAX_SAFE_INTEGER });
      // Money is one shape in every JSON document: {"amount": "49.60", "currency": "EUR"}.
      // (Both streamed from the store: 400,000 orders took 1.2 GB as one --json document in memory.)
      if (ctx.globals.json) return void (await printJsonStream(ctx.io, { items: new Streamed(mapped(rows, (r) => ({ ...r, total: r.total === null ? null : { amount: r.total, currency: r.currency } }))) }));
      const shown = unlessEmpty(rows);
      if (!shown) {
        ctx.io.info('no orders; `merchant sync --only orders --yes` pulls them, `merchant orders import FILE` reads report files');
        return;
      }
      await printRows<OrderSummary>(ctx.io, shown, [
        { header: 'ORDER', value: (r) => r.externalId, overflow: 'keep' },
        { header: 'CHANNEL', value: (r) => r.channel },
        { header: 'DATE', value: (r) => r.orderedAt, time: true },
        { header: 'STATUS', value: (r) => statusText(r.status) },
        { header: 'TO', value: (r) => r.shipCountry ?? '' },
        { header: 'ITEMS', value: (r) => String(r.items), align: 'right' },
        { header: 'TOTAL', value: (r) => (r.total === null ? '' : `${r.total} ${r.currency}`), align: 'right' },
      ]);
    });
}
