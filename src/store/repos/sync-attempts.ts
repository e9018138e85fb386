// Attempts at sending outbox rows (migration 0110) and what a marketplace was last known to hold.
// Sync reads these to give each request an idempotency key that names the attempt: the same key only
// when the very same request is repeated after its answer was lost.

import type { Store } from '../db.js';
import { num } from '../db.js';
import type { OutboxAttempt } from '../../ports/sync.js';

/** This database's random id (settings 'sync.instanceId', created by migration 0110). */
export function syncInstanceId(store: Store): string {
  const r = store.db.prepare(`SELECT value FROM settings WHERE key = 'sync.instanceId'`).get() as { value: string } | undefined;
  return r?.value ?? 'merchant';
}

/** The attempt state of these outbox rows. */
export function outboxAttempts(store: Store, ids: readonly number[]): OutboxAttempt[] {
  if (!ids.length) return [];
  const rows = store.db
    .prepare(`SELECT id, state, attempts, ambiguous, attempt_key, sent_json FROM outbox WHERE id IN (${ids.map(() => '?').join(',')})`)
    .all(...ids) as Array<{ id: bigint; state: string; attempts: bigint; ambiguous: bigint; attempt_key: string | null; sent_json: string | null }>;
  return rows.map((r) => ({ id: num(r.id), state: r.state, attempts: num(r.attempts), ambiguous: num(r.ambiguous) === 1, attemptKey: r.attempt_key, sentJson: r.sent_json }));
}

/**
 * A compare-and-swap failed and the marketplace's quantity was read right after: remember it as the
 * quantity the listing is known to hold there, so the next attempt compares against it (and sends
 * nothing when it is already what local stock calls for).
 */
export function recordRemoteQuantity(store: Store, channel: string, sku: string, quantity: number, at: string): void {
  store.db
    .prepare(`UPDATE channel_listings SET acked_quantity = ?, acked_at = ?, updated_at = ? WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`)
    .run(quantity, at, at, channel, sku);
}
