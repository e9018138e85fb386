// The outbox: every local change that must reach a marketplace (PRODUCT.md §4). Writers (listings import,
// prices update, inventory changes, order reservations) call enqueueChange inside their own transaction;
// sync drains it. A newer pending change for the same (channel, sku, kind) supersedes the older one, so
// sync sends only the latest delta.

import type { Store } from '../db.js';

export type OutboxKind = 'listing' | 'price' | 'inventory' | 'delist';

export interface OutboxChange {
  channel: string;
  marketplace: string;
  sku: string;
  kind: OutboxKind;
  /** JSON-serialisable; BigInt values are written as strings. */
  payload: Record<string, unknown>;
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** Queue a change. Call inside store.tx(...) together with the local write it belongs to. */
export function enqueueChange(store: Store, change: OutboxChange, at: string): number {
  const db = store.db;
  db.prepare(
    `UPDATE outbox SET state = 'superseded', updated_at = ?
     WHERE channel = ? AND sku = ? AND kind = ? AND state IN ('pending', 'failed')`,
  ).run(at, change.channel, change.sku, change.kind);
  const r = db
    .prepare(
      `INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
    )
    .run(change.channel, change.marketplace, change.sku, change.kind, JSON.stringify(change.payload, bigintSafe), at, at);
  return Number(r.lastInsertRowid);
}

export function pendingCount(store: Store, marketplace?: string): number {
  const row = (marketplace
    ? store.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state IN ('pending','sent','failed') AND marketplace = ?`).get(marketplace)
    : store.db.prepare(`SELECT count(*) AS n FROM outbox WHERE state IN ('pending','sent','failed')`).get()) as { n: bigint };
  return Number(row.n);
}
