// Pending sync work as state (migration 250): a channel listing carries the kinds of change the
// marketplace has not acknowledged yet (channel_listings.sync_pending, a bit set) and a sequence number
// bumped by each change. The sync plan reads the listings where it is non-zero (a partial index holding
// only those); nothing is written per change but the listing row the change updates anyway, and nothing
// is left to clean up. What a run actually sends is recorded as outbox rows (the in-flight marker, see
// store/repos/outbox.ts): `materializeForSend` turns a planned listing's bits into those rows, in one
// transaction, right before the request path starts.
//
// This is the seam other code calls:
//   markSyncWanted                        a local change that must reach a marketplace (writers:
//                                         prices update, stock changes, inventory rules, reservations)
//   wantedListings                        the plan's reading (sync --dry-run and sync)
//   clearSyncWanted                       a planned listing with nothing to send (skipped)
//   materializeForSend                    a planned listing about to be sent: bits → outbox rows
//   openSyncWork                          what is still open per marketplace (bits + unfinished rows)

import type { Statement, Store } from '../db.js';
import type { OutboxKind } from './outbox.js';

// The kinds' bits are pure (src/core/sync-kinds.ts): the sync services read them without the store.
export { KIND_BITS, kindsOf } from '../../core/sync-kinds.js';
import { KIND_BITS, kindsOf } from '../../core/sync-kinds.js';

const stmts = new WeakMap<object, Map<string, Statement>>();
function prep(store: Store, sql: string): Statement {
  let m = stmts.get(store.db);
  if (!m) stmts.set(store.db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = store.db.prepare(sql)));
  return s;
}

/**
 * A local change of this listing must reach its marketplace. Call inside the transaction of the local
 * write. Returns false when the SKU has no listing on that channel (the caller may still queue an
 * outbox row so that sync reports it).
 */
export function markSyncWanted(store: Store, channel: string, sku: string, kind: OutboxKind, at: string): boolean {
  const r = prep(
    store,
    `UPDATE channel_listings SET sync_pending = sync_pending | ?, sync_seq = sync_seq + 1, updated_at = ?
      WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`,
  ).run(KIND_BITS[kind], at, channel, sku);
  return r.changes > 0;
}

/** SQL fragment a writer puts in its own UPDATE of channel_listings: `SET price_minor = ?, ${syncWantedSet('price')}`. */
export function syncWantedSet(kind: OutboxKind): string {
  return `sync_pending = sync_pending | ${KIND_BITS[kind]}, sync_seq = sync_seq + 1`;
}

export interface WantedListing {
  listingId: number;
  channel: string;
  sku: string;
  bits: number;
  seq: number;
}

/** Listings with pending work (all channels; the partial index holds only these). */
export function wantedListings(store: Store): WantedListing[] {
  const rows = prep(
    store,
    `SELECT cl.id, cl.channel, v.sku, cl.sync_pending, cl.sync_seq FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id WHERE cl.sync_pending != 0`,
  ).all() as Array<{ id: bigint; channel: string; sku: string; sync_pending: bigint; sync_seq: bigint }>;
  return rows.map((r) => ({ listingId: Number(r.id), channel: r.channel, sku: r.sku, bits: Number(r.sync_pending), seq: Number(r.sync_seq) }));
}

/**
 * Clear the planned bits of a listing — only if no change arrived since the plan read it (same seq);
 * a newer change keeps them, and the next run plans it with its newer values.
 */
export function clearSyncWanted(store: Store, listingId: number, bits: number, seq: number): boolean {
  return prep(store, `UPDATE channel_listings SET sync_pending = sync_pending & ~? WHERE id = ? AND sync_seq = ?`).run(bits, listingId, seq).changes > 0;
}

/**
 * A planned listing is about to be sent: its planned bits become outbox rows ('pending', one per kind;
 * the request path marks them 'sent' before anything leaves) and the bits are cleared (compare-and-
 * clear). Call inside a transaction. Returns the new outbox ids.
 */
export function materializeForSend(
  store: Store,
  w: { listingId: number; channel: string; marketplace: string; sku: string; bits: number; seq: number },
  at: string,
): number[] {
  const ins = prep(
    store,
    `INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, created_at, updated_at) VALUES (?, ?, ?, ?, '{"from":"channel_listings.sync_pending"}', 'pending', ?, ?)`,
  );
  const ids: number[] = [];
  for (const k of kindsOf(w.bits)) ids.push(Number(ins.run(w.channel, w.marketplace, w.sku, k, at, at).lastInsertRowid));
  clearSyncWanted(store, w.listingId, w.bits, w.seq);
  return ids;
}

/** Pending work for one SKU (listing detail): one entry per kind still wanted. */
export function wantedForSku(store: Store, sku: string): Array<{ channel: string; kind: OutboxKind; since: string }> {
  const rows = prep(
    store,
    `SELECT cl.channel, cl.sync_pending, cl.updated_at FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id WHERE v.sku = ? AND cl.sync_pending != 0 ORDER BY cl.id`,
  ).all(sku) as Array<{ channel: string; sync_pending: bigint; updated_at: string }>;
  return rows.flatMap((r) => kindsOf(Number(r.sync_pending)).map((kind) => ({ channel: r.channel, kind, since: r.updated_at })));
}
