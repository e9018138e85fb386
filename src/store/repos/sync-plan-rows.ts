// What the sync plan reads (src/services/sync/plan.ts): unfinished outbox rows and listings with pending
// state (store/repos/sync-state.ts), each joined with its variant, product and listing, and the stock
// the channel offers from its locations.

import type { Store } from '../db.js';
import { num } from '../db.js';
import { CHANNEL_LOCATIONS_CTE, channelAvailableSql } from './stock.js';
import type { PlanRow } from '../../ports/sync.js';

const COLS = `v.id AS variant_id, v.product_id, v.status AS variant_status, p.status AS product_status,
              cl.id AS listing_id, cl.remote_id, cl.remote_sku, cl.status AS listing_status, cl.price_minor, cl.currency,
              cl.acked_price_minor, cl.acked_quantity, cl.acked_status, cl.remote_product_type, cl.fulfilled_by`;

/** Unfinished outbox rows of a marketplace: requests in flight ('sent'), refused ones ('failed'), and changes queued for a SKU or listing that does not exist. */
export function unfinishedOutboxRows(store: Store, marketplace: string, kinds: readonly string[]): PlanRow[] {
  return store.db
    .prepare(
      `WITH ${CHANNEL_LOCATIONS_CTE}
       SELECT o.id, o.channel, o.sku, o.kind, o.state, NULL AS sync_pending, NULL AS sync_seq, ${COLS},
              ${channelAvailableSql('v.id', 'o.channel')} AS available
       FROM outbox o
       LEFT JOIN variants v ON v.sku = o.sku
       LEFT JOIN products p ON p.id = v.product_id
       LEFT JOIN channel_listings cl ON cl.variant_id = v.id AND cl.channel = o.channel
       WHERE o.marketplace = ? AND o.state IN ('pending', 'sent', 'failed') AND o.kind IN (${kinds.map(() => '?').join(',')})
       ORDER BY o.channel, o.sku, o.id`,
    )
    .all(marketplace, ...kinds) as PlanRow[];
}

/** Per channel, how many pending changes of the kinds in `mask` its listings carry (an index-only read of the partial index). */
export function pendingCountsByChannel(store: Store, mask: number): Array<{ channel: string; n: number }> {
  return (store.db
    .prepare(
      `SELECT channel, sum(((sync_pending & ?) & 1 != 0) + ((sync_pending & ?) & 2 != 0) + ((sync_pending & ?) & 4 != 0) + ((sync_pending & ?) & 8 != 0)) AS n
       FROM channel_listings WHERE sync_pending != 0 GROUP BY channel`,
    )
    .all(mask, mask, mask, mask) as Array<{ channel: string; n: bigint }>).map((c) => ({ channel: c.channel, n: num(c.n) }));
}

/** The listings of `channels` with pending changes of the kinds in `mask`: one row per listing (kind NULL). */
export function pendingStateRows(store: Store, mask: number, channels: readonly string[]): PlanRow[] {
  if (!channels.length) return [];
  return store.db
    .prepare(
      `WITH ${CHANNEL_LOCATIONS_CTE}
       SELECT NULL AS id, cl.channel, v.sku, NULL AS kind, 'pending' AS state, cl.sync_pending, cl.sync_seq, ${COLS},
              ${channelAvailableSql('v.id', 'cl.channel')} AS available
       FROM channel_listings cl
       JOIN variants v ON v.id = cl.variant_id
       LEFT JOIN products p ON p.id = v.product_id
       WHERE cl.sync_pending != 0 AND (cl.sync_pending & ?) != 0 AND cl.channel IN (${channels.map(() => '?').join(',')})`,
    )
    .all(mask, ...channels) as PlanRow[];
}
