// The sync aggregate over SQLite (ports/sync.ts SyncStore): pending work as listing state and outbox
// rows, what each marketplace acknowledged, the batches it processes later, the runs and their call
// log, and the inventory rules. The statements the sync services used to run themselves are here
// verbatim; the rest delegate to the repositories that already held them.

import type { Store } from '../db.js';
import { num } from '../db.js';
import type { SyncKind } from '../../core/sync-kinds.js';
import type {
  ChannelListingStats,
  InventoryRule,
  LinkedShopLocations,
  ListingAcknowledgement,
  ListingProductFields,
  ListingVariantFields,
  NewQueuedBatch,
  OutboxAttempt,
  OutboxSend,
  PlanRow,
  QueuedBatchRecord,
  SyncCallLogEntry,
  SyncStore,
} from '../../ports/sync.js';
import { rememberListingFacts, listingAcknowledgement, setAcknowledgedValues } from './listing-facts.js';
import { finishBatch, markBatchChecked, outboxIdsInPendingBatches, pendingBatches, recordQueuedBatch, setBatchItemOutcome } from './queued-batches.js';
import { failSentRows, requeueSentRows } from './outbox.js';
import { failSyncRun, finishSyncRun, logSyncCall, startSyncRun } from './sync-log.js';
import { clearSyncWanted, markSyncWanted, materializeForSend } from './sync-state.js';
import { outboxAttempts, recordRemoteQuantity, syncInstanceId } from './sync-attempts.js';
import { pendingCountsByChannel, pendingStateRows, unfinishedOutboxRows } from './sync-plan-rows.js';
import { linkedShopLocations } from './stock.js';

const inList = (n: number) => Array.from({ length: n }, () => '?').join(',');

interface RuleRow {
  name: string;
  channel: string | null;
  sku_pattern: string | null;
  percent: string | null;
  buffer: bigint | null;
  max_qty: bigint | null;
  min_qty: bigint | null;
  oos_threshold: bigint | null;
  fixed_qty: bigint | null;
}

const n = (v: bigint | null): number | null => (v === null ? null : num(v));

export class SqliteSyncStore implements SyncStore {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  // ---- the plan's reading ----
  unfinishedOutboxRows(marketplace: string, kinds: readonly string[]): PlanRow[] {
    return unfinishedOutboxRows(this.store, marketplace, kinds);
  }
  pendingCountsByChannel(mask: number): Array<{ channel: string; n: number }> {
    return pendingCountsByChannel(this.store, mask);
  }
  pendingStateRows(mask: number, channels: readonly string[]): PlanRow[] {
    return pendingStateRows(this.store, mask, channels);
  }
  outboxIdsInPendingBatches(marketplace: string): Set<number> {
    return outboxIdsInPendingBatches(this.store, marketplace);
  }
  linkedShopLocations(marketplace: string): LinkedShopLocations {
    return linkedShopLocations(this.store, marketplace);
  }
  productFieldsReader(): (productId: bigint) => ListingProductFields | undefined {
    const productStmt = this.db.prepare('SELECT handle, title, vendor, description, product_type FROM products WHERE id = ?');
    return (id) => productStmt.get(id) as ListingProductFields | undefined;
  }
  variantFieldsReader(): (variantId: bigint) => ListingVariantFields | undefined {
    const variantStmt = this.db.prepare('SELECT options_json, barcode FROM variants WHERE id = ?');
    return (id) => variantStmt.get(id) as ListingVariantFields | undefined;
  }
  activeVariantCount(): number {
    return num((this.db.prepare(`SELECT count(*) AS n FROM variants WHERE status = 'active'`).get() as { n: bigint }).n);
  }
  channelListingStats(channels: readonly string[]): ChannelListingStats {
    const inList = channels.map(() => '?').join(',');
    const stats = this.db
      .prepare(
        `SELECT count(*) AS total,
                sum(CASE WHEN coalesce(acked_status, 'active') = 'active' THEN 1 ELSE 0 END) AS active,
                sum(CASE WHEN status != 'removed' AND (acked_quantity IS NULL OR acked_quantity > 0) THEN 1 ELSE 0 END) AS stocked
         FROM channel_listings WHERE channel IN (${inList})`,
      )
      .get(...channels) as { total: bigint; active: bigint | null; stocked: bigint | null };
    return { total: num(stats.total), active: num(stats.active), stocked: num(stats.stocked) };
  }

  // ---- inventory rules ----
  inventoryRules(): InventoryRule[] {
    const rows = this.db.prepare('SELECT * FROM inventory_rules ORDER BY name').all() as RuleRow[];
    return rows.map((r) => ({
      name: r.name,
      channel: r.channel,
      skuPattern: r.sku_pattern,
      percent: r.percent,
      buffer: n(r.buffer),
      maxQty: n(r.max_qty),
      minQty: n(r.min_qty),
      oosThreshold: n(r.oos_threshold),
      fixedQty: n(r.fixed_qty),
    }));
  }
  saveInventoryRule(r: InventoryRule, at: string): void {
    this.db
      .prepare(
        `INSERT INTO inventory_rules (name, channel, sku_pattern, percent, buffer, max_qty, min_qty, oos_threshold, fixed_qty, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET channel = excluded.channel, sku_pattern = excluded.sku_pattern, percent = excluded.percent,
         buffer = excluded.buffer, max_qty = excluded.max_qty, min_qty = excluded.min_qty, oos_threshold = excluded.oos_threshold,
         fixed_qty = excluded.fixed_qty, updated_at = excluded.updated_at`,
      )
      .run(r.name, r.channel, r.skuPattern, r.percent, r.buffer, r.maxQty, r.minQty, r.oosThreshold, r.fixedQty, at, at);
  }
  deleteInventoryRule(name: string): boolean {
    return this.db.prepare('DELETE FROM inventory_rules WHERE name = ?').run(name).changes > 0;
  }
  listedSkus(channel: string | null): Array<{ sku: string; channel: string }> {
    return this.db
      .prepare(`SELECT v.sku, cl.channel FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id ${channel ? 'WHERE cl.channel = ?' : ''}`)
      .all(...(channel ? [channel] : [])) as Array<{ sku: string; channel: string }>;
  }
  markSyncWanted(channel: string, sku: string, kind: SyncKind, at: string): boolean {
    return markSyncWanted(this.store, channel, sku, kind, at);
  }

  // ---- sending ----
  clearSyncWanted(listingId: number, bits: number, seq: number): boolean {
    return clearSyncWanted(this.store, listingId, bits, seq);
  }
  materializeForSend(w: { listingId: number; channel: string; marketplace: string; sku: string; bits: number; seq: number }, at: string): number[] {
    return materializeForSend(this.store, w, at);
  }
  dropSkippedOutboxRows(ids: readonly number[]): void {
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      this.db.prepare(`DELETE FROM outbox WHERE id IN (${inList(part.length)}) AND state != 'sent'`).run(...part);
    }
  }
  markOutboxSent(sends: readonly OutboxSend[], runId: number, at: string): void {
    const stmt = this.db.prepare(`UPDATE outbox SET state = 'sent', attempts = attempts + 1, run_id = ?, sent_json = ?, sent_at = ?, ambiguous = 0, attempt_key = ?, updated_at = ? WHERE id = ?`);
    for (const s of sends) for (const id of s.ids) stmt.run(runId, s.sentJson, at, s.attemptKey, at, id);
  }
  settleAcknowledged(ids: readonly number[], listing: { channel: string; sku: string }): void {
    if (ids.length) this.db.prepare(`DELETE FROM outbox WHERE id IN (${inList(ids.length)})`).run(...ids);
    this.pruneSettled(listing);
  }
  /** The listing's rows nothing reads any more: superseded by a newer change, skipped, or acked before migration 280. */
  private pruneSettled(listing: { channel: string; sku: string }): void {
    this.db.prepare(`DELETE FROM outbox WHERE channel = ? AND sku = ? AND state IN ('acked', 'superseded', 'skipped')`).run(listing.channel, listing.sku);
  }
  outboxIdsOfKinds(ids: readonly number[], kinds: readonly string[]): number[] {
    return (this.db.prepare(`SELECT id FROM outbox WHERE id IN (${inList(ids.length)}) AND kind IN (${inList(kinds.length)})`).all(...ids, ...kinds) as Array<{ id: bigint }>).map((r) => Number(r.id));
  }
  settleLandedRows(ids: readonly number[]): void {
    if (ids.length) this.db.prepare(`DELETE FROM outbox WHERE id IN (${inList(ids.length)})`).run(...ids);
  }
  markOutboxAmbiguous(ids: readonly number[], code: string | null, message: string | null, at: string): void {
    this.db.prepare(`UPDATE outbox SET ambiguous = 1, error_code = ?, error_message = ?, updated_at = ? WHERE id IN (${inList(ids.length)})`).run(code, message, at, ...ids);
  }
  failOutboxRows(ids: readonly number[], code: string | null, message: string | null, runId: number, at: string): void {
    this.db.prepare(`UPDATE outbox SET state = 'failed', ambiguous = 0, error_code = ?, error_message = ?, run_id = ?, updated_at = ? WHERE id IN (${inList(ids.length)})`).run(code, message, runId, at, ...ids);
  }
  failUnsentOutboxRows(ids: readonly number[], code: string, message: string, runId: number, at: string): void {
    this.db
      .prepare(`UPDATE outbox SET state = CASE WHEN state = 'sent' THEN 'sent' ELSE 'failed' END, error_code = ?, error_message = ?, run_id = ?, updated_at = ? WHERE id IN (${inList(ids.length)})`)
      .run(code, message, runId, at, ...ids);
  }
  settleBatchRows(ids: readonly number[], listing: { channel: string; sku: string }): void {
    if (ids.length) this.db.prepare(`DELETE FROM outbox WHERE id IN (${inList(ids.length)}) AND state = 'sent'`).run(...ids);
    this.pruneSettled(listing);
  }
  failSentRows(ids: readonly number[], e: { code?: string; message?: string; runId: number | null }, at: string): void {
    failSentRows(this.store, ids, e, at);
  }
  requeueSentRows(ids: readonly number[], note: string, at: string): void {
    requeueSentRows(this.store, ids, note, at);
  }
  outboxAttempts(ids: readonly number[]): OutboxAttempt[] {
    return outboxAttempts(this.store, ids);
  }
  syncInstanceId(): string {
    return syncInstanceId(this.store);
  }

  // ---- acknowledged values ----
  setListingAcknowledged(channel: string, sku: string, c: { priceMinor?: bigint; quantity?: number; status?: string }, remoteRef: string | null, at: string): void {
    this.db
      .prepare(
        `UPDATE channel_listings SET
         acked_price_minor = CASE WHEN ? THEN ? ELSE acked_price_minor END,
         acked_quantity = CASE WHEN ? THEN ? ELSE acked_quantity END,
         acked_status = CASE WHEN ? THEN ? ELSE coalesce(acked_status, status) END,
         remote_id = coalesce(?, remote_id),
         acked_at = ?, updated_at = ?
       WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`,
      )
      .run(
        c.priceMinor !== undefined ? 1 : 0,
        c.priceMinor ?? null,
        c.quantity !== undefined ? 1 : 0,
        c.quantity ?? null,
        c.status ? 1 : 0,
        c.status ?? null,
        remoteRef,
        at,
        at,
        channel,
        sku,
      );
  }
  setListingAckedPrice(channel: string, sku: string, priceMinor: bigint, at: string): void {
    this.db.prepare(`UPDATE channel_listings SET acked_price_minor = ?, acked_at = ? WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`).run(priceMinor, at, channel, sku);
  }
  setListingAckedQuantity(channel: string, sku: string, quantity: number, at: string): void {
    this.db.prepare(`UPDATE channel_listings SET acked_quantity = ?, acked_at = ? WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`).run(quantity, at, channel, sku);
  }
  setListingRemoteId(channel: string, sku: string, remoteRef: string): void {
    this.db.prepare(`UPDATE channel_listings SET remote_id = ? WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`).run(remoteRef, channel, sku);
  }
  rememberListingFacts(channel: string, sku: string, facts: { productType?: string; fulfilledBy?: 'merchant' | 'marketplace' }, at: string): void {
    rememberListingFacts(this.store, channel, sku, facts, at);
  }
  listingAcknowledgement(channel: string, sku: string): ListingAcknowledgement | undefined {
    return listingAcknowledgement(this.store, channel, sku);
  }
  setAcknowledgedValues(channel: string, sku: string, v: { priceMinor?: bigint; quantity?: number }, ackedAt: string, at: string): void {
    setAcknowledgedValues(this.store, channel, sku, v, ackedAt, at);
  }
  recordRemoteQuantity(channel: string, sku: string, quantity: number, at: string): void {
    recordRemoteQuantity(this.store, channel, sku, quantity, at);
  }

  // ---- queued batches ----
  recordQueuedBatch(b: NewQueuedBatch, at: string): number {
    return recordQueuedBatch(this.store, b, at);
  }
  pendingBatches(marketplace: string): QueuedBatchRecord[] {
    return pendingBatches(this.store, marketplace);
  }
  markBatchChecked(id: number, status: string, at: string): void {
    markBatchChecked(this.store, id, status, at);
  }
  finishBatch(id: number, status: string, processedAt: string | null, at: string): void {
    finishBatch(this.store, id, status, processedAt, at);
  }
  setBatchItemOutcome(batchId: number, position: number, outcome: 'acked' | 'failed' | 'overwritten'): void {
    setBatchItemOutcome(this.store, batchId, position, outcome);
  }

  // ---- runs ----
  logSyncCall(e: SyncCallLogEntry): void {
    logSyncCall(this.store, e);
  }
  startSyncRun(startedAt: string, optionsJson: string): number {
    return startSyncRun(this.store, startedAt, optionsJson);
  }
  finishSyncRun(id: number, finishedAt: string, status: string, summaryJson: string): void {
    finishSyncRun(this.store, id, finishedAt, status, summaryJson);
  }
  failSyncRun(id: number, at: string, summaryJson: string): void {
    failSyncRun(this.store, id, at, summaryJson);
  }
}
