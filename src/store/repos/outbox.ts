// The outbox: changes that must reach a marketplace as rows (PRODUCT.md §4). Since migration 250 the
// high-volume writers (prices update, stock changes, inventory rules, order reservations) no longer write
// a row per change: they set the listing's pending state (store/repos/sync-state.ts). Rows remain for
// what sync is sending or was refused (the in-flight marker: 'sent' with the exact values, written
// before the request leaves), for the listings import and adopted listings, and for changes named by
// SKU where no listing exists yet. A newer pending change for the same (channel, sku, kind) supersedes
// the older one, so sync sends only the latest delta.
// Acknowledged rows are deleted with their acknowledgement (repos/sync-store.ts, migration 280), together
// with the listing's superseded and skipped rows: the table holds open work only.

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

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

/** Rows that were sent and were refused (only those still 'sent'). */
export function failSentRows(store: Store, ids: readonly number[], e: { code?: string; message?: string; runId: number | null }, at: string): void {
  if (!ids.length) return;
  store.db
    .prepare(`UPDATE outbox SET state = 'failed', error_code = ?, error_message = ?, run_id = ?, updated_at = ? WHERE id IN (${placeholders(ids.length)}) AND state = 'sent'`)
    .run(e.code ?? null, e.message ?? null, e.runId, at, ...ids);
}

/** Rows that were sent into something the marketplace lost: back to pending, to be planned and sent again. */
export function requeueSentRows(store: Store, ids: readonly number[], note: string, at: string): void {
  if (!ids.length) return;
  store.db.prepare(`UPDATE outbox SET state = 'pending', error_message = ?, updated_at = ? WHERE id IN (${placeholders(ids.length)}) AND state = 'sent'`).run(note, at, ...ids);
}
