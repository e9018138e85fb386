// Asynchronous batches a marketplace accepted but had not processed yet (Amazon JSON_LISTINGS_FEED),
// migration 0101: recorded the moment the marketplace accepts them, checked by later runs.
import type { Store } from '../db.js';
import type { QueuedBatchItem, QueuedBatchRecord } from '../../ports/sync.js';

export function recordQueuedBatch(
  store: Store,
  b: { marketplace: string; channel: string; ref: string; submittedAt: string; runId: number | null; items: Array<{ key: string; sku: string; outboxIds: number[]; sentJson: string }> },
  at: string,
): number {
  const db = store.db;
  const r = db
    .prepare(
      `INSERT INTO queued_batches (marketplace, channel, ref, submitted_at, state, status, checked_at, run_id) VALUES (?, ?, ?, ?, 'pending', 'IN_QUEUE', ?, ?)
       ON CONFLICT (marketplace, ref) DO UPDATE SET state = 'pending' RETURNING id`,
    )
    .get(b.marketplace, b.channel, b.ref, b.submittedAt, at, b.runId) as { id: bigint };
  const id = Number(r.id);
  const item = db.prepare(
    `INSERT OR REPLACE INTO queued_batch_items (batch_id, position, item_key, channel, sku, outbox_ids, sent_json) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  b.items.forEach((it, i) => item.run(id, i, it.key, b.channel, it.sku, JSON.stringify(it.outboxIds), it.sentJson));
  return id;
}

export function pendingBatches(store: Store, marketplace: string): QueuedBatchRecord[] {
  const batches = store.db
    .prepare(`SELECT id, marketplace, channel, ref, submitted_at, status FROM queued_batches WHERE marketplace = ? AND state = 'pending' ORDER BY submitted_at, id`)
    .all(marketplace) as Array<{ id: bigint; marketplace: string; channel: string; ref: string; submitted_at: string; status: string | null }>;
  const items = store.db.prepare(`SELECT position, item_key, channel, sku, outbox_ids, sent_json FROM queued_batch_items WHERE batch_id = ? ORDER BY position`);
  return batches.map((b) => ({
    id: Number(b.id),
    marketplace: b.marketplace,
    channel: b.channel,
    ref: b.ref,
    submittedAt: b.submitted_at,
    status: b.status,
    items: (items.all(b.id) as Array<{ position: bigint; item_key: string; channel: string; sku: string; outbox_ids: string; sent_json: string }>).map((i) => ({
      position: Number(i.position),
      key: i.item_key,
      channel: i.channel,
      sku: i.sku,
      outboxIds: JSON.parse(i.outbox_ids) as number[],
      sent: JSON.parse(i.sent_json) as QueuedBatchItem['sent'],
    })),
  }));
}

/** Outbox rows carried by batches the marketplace has not processed yet: not to be planned again. */
export function outboxIdsInPendingBatches(store: Store, marketplace: string): Set<number> {
  const rows = store.db
    .prepare(`SELECT i.outbox_ids FROM queued_batch_items i JOIN queued_batches b ON b.id = i.batch_id WHERE b.marketplace = ? AND b.state = 'pending'`)
    .all(marketplace) as Array<{ outbox_ids: string }>;
  const out = new Set<number>();
  for (const r of rows) for (const id of JSON.parse(r.outbox_ids) as number[]) out.add(id);
  return out;
}

export function markBatchChecked(store: Store, id: number, status: string, at: string): void {
  store.db.prepare(`UPDATE queued_batches SET status = ?, checked_at = ? WHERE id = ?`).run(status, at, id);
}

export function finishBatch(store: Store, id: number, status: string, processedAt: string | null, at: string): void {
  store.db.prepare(`UPDATE queued_batches SET state = 'done', status = ?, processed_at = ?, checked_at = ? WHERE id = ?`).run(status, processedAt, at, id);
}

export function setBatchItemOutcome(store: Store, batchId: number, position: number, outcome: 'acked' | 'failed' | 'overwritten'): void {
  store.db.prepare(`UPDATE queued_batch_items SET outcome = ? WHERE batch_id = ? AND position = ?`).run(outcome, batchId, position);
}
