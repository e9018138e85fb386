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

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

/** Rows that were sent and were acknowledged (only those still 'sent'). */
export function ackSentRows(store: Store, ids: readonly number[], at: string): void {
  if (!ids.length) return;
  store.db
    .prepare(`UPDATE outbox SET state = 'acked', acked_at = ?, ambiguous = 0, error_code = NULL, error_message = NULL, updated_at = ? WHERE id IN (${placeholders(ids.length)}) AND state = 'sent'`)
    .run(at, at, ...ids);
}

/** Rows that were sent and were refused (only those still 'sent'). */
export function failSentRows(store: Store, ids: readonly number[], e: { code?: string; message?: string; runId: number | null }, at: string): void {
  if (!ids.length) return;
  store.db
    .prepare(`UPDATE outbox SET state = 'failed', error_code = ?, error_message = ?, run_id = ?, updated_at = ? WHERE id IN (${placeholders(ids.length)}) AND state = 'sent'`)
    .run(e.code ?? null, e.message ?? null, e.runId, at, ...ids);
}

/** Rows of one kind deliberately not sent (e.g. stock of a listing the marketplace fulfils). */
export function skipRowsOfKind(store: Store, ids: readonly number[], kind: OutboxKind, note: string, at: string): void {
  if (!ids.length) return;
  store.db.prepare(`UPDATE outbox SET state = 'skipped', acked_at = NULL, error_message = ?, updated_at = ? WHERE id IN (${placeholders(ids.length)}) AND kind = ?`).run(note, at, ...ids, kind);
}

/** Rows that were sent into something the marketplace lost: back to pending, to be planned and sent again. */
export function requeueSentRows(store: Store, ids: readonly number[], note: string, at: string): void {
  if (!ids.length) return;
  store.db.prepare(`UPDATE outbox SET state = 'pending', error_message = ?, updated_at = ? WHERE id IN (${placeholders(ids.length)}) AND state = 'sent'`).run(note, at, ...ids);
}
