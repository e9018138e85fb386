// What `merchant sync` (src/services/sync) needs from local state and from the marketplaces, named for
// what each call answers. The SQLite store implements SyncStore (src/store/repos/sync-store.ts, reached
// as `store.sync`); SyncConnections (accounts, marketplace adapters over merchant's HTTP client, order
// pulls, stock and confirmation ports) is wired in src/cli/wiring/*.ts. The services never see SQL, a
// connection, an HTTP client or a driver type.
//
// Plain objects only: ids are numbers, money is bigint minor units. The plan's rows (PlanRow) keep the
// column names the plan was written against; their integer columns are bigint.

import type { MarketplaceName } from '../core/channels.js';
import type { SyncKind } from '../core/sync-kinds.js';
import type { MarketplacePort } from './marketplace.js';
import type { ConfirmationStore } from './confirmations.js';
import type { StockPort } from './stock.js';
import type { Transactions } from './transactions.js';

/** One row the plan reads: an unfinished outbox row, or a listing whose state wants a push (id null). */
export interface PlanRow {
  /** NULL for a pending change read from the listing's state (channel_listings.sync_pending). */
  id: bigint | null;
  sync_pending: bigint | null;
  sync_seq: bigint | null;
  channel: string;
  sku: string;
  kind: string;
  state: string;
  variant_id: bigint | null;
  variant_status: string | null;
  product_status: string | null;
  product_id: bigint | null;
  listing_id: bigint | null;
  remote_id: string | null;
  remote_sku: string | null;
  listing_status: string | null;
  price_minor: bigint | null;
  currency: string | null;
  acked_price_minor: bigint | null;
  acked_quantity: bigint | null;
  acked_status: string | null;
  remote_product_type: string | null;
  fulfilled_by: 'merchant' | 'marketplace' | null;
  /** Σ available over the channel's locations; NULL = no stock level anywhere it sells from. */
  available: bigint | null;
}

/** A product's fields a listing to create needs. */
export interface ListingProductFields {
  handle: string;
  title: string;
  vendor: string | null;
  description: string | null;
  product_type: string | null;
}

/** A variant's fields a listing to create needs. */
export interface ListingVariantFields {
  options_json: string | null;
  barcode: string | null;
}

/** Shopify locations linked to merchant locations, and each one's available stock of a variant. */
export interface LinkedShopLocations {
  links: Array<{ remoteId: string; name: string; locationId: number }>;
  availableAt: (locationId: number, variantId: number) => number | undefined;
}

/** What the mass-change guard compares a plan with: the listings of a marketplace's channels. */
export interface ChannelListingStats {
  total: number;
  active: number;
  stocked: number;
}

export interface InventoryRule {
  name: string;
  channel: string | null;
  skuPattern: string | null;
  percent: string | null;
  buffer: number | null;
  maxQty: number | null;
  minQty: number | null;
  oosThreshold: number | null;
  fixedQty: number | null;
}

export interface OutboxAttempt {
  id: number;
  state: string;
  attempts: number;
  ambiguous: boolean;
  attemptKey: string | null;
  sentJson: string | null;
}

export interface QueuedBatchItem {
  position: number;
  key: string;
  channel: string;
  sku: string;
  outboxIds: number[];
  /** The values the batch carried: {"price":"12.90","currency":"EUR","quantity":3}. */
  sent: { price?: string; currency?: string; quantity?: number; status?: string };
}

export interface QueuedBatchRecord {
  id: number;
  marketplace: string;
  channel: string;
  ref: string;
  submittedAt: string;
  status: string | null;
  items: QueuedBatchItem[];
}

export interface NewQueuedBatch {
  marketplace: string;
  channel: string;
  ref: string;
  submittedAt: string;
  runId: number | null;
  items: Array<{ key: string; sku: string; outboxIds: number[]; sentJson: string }>;
}

/** What a marketplace acknowledged for a listing, and when. */
export interface ListingAcknowledgement {
  ackedAt: string | null;
  priceMinor: bigint | null;
  quantity: number | null;
}

export interface SyncCallLogEntry {
  runId: number | null;
  at: string;
  service: string;
  operation: string;
  items: number;
  outcome: 'ok' | 'partial' | 'failed';
  detail?: string | null;
}

/** One outbox row's request as sent: its rows, the exact values, and the attempt's idempotency key. */
export interface OutboxSend {
  ids: readonly number[];
  sentJson: string;
  attemptKey: string | null;
}

/** The sync aggregate: pending work (listing state and outbox rows), acknowledgements, batches, runs, rules. */
export interface SyncStore {
  // ---- the plan's reading ----
  unfinishedOutboxRows(marketplace: string, kinds: readonly string[]): PlanRow[];
  pendingCountsByChannel(mask: number): Array<{ channel: string; n: number }>;
  pendingStateRows(mask: number, channels: readonly string[]): PlanRow[];
  outboxIdsInPendingBatches(marketplace: string): Set<number>;
  linkedShopLocations(marketplace: string): LinkedShopLocations;
  /** A reader of products' listing fields (one prepared lookup for a whole plan). */
  productFieldsReader(): (productId: bigint) => ListingProductFields | undefined;
  variantFieldsReader(): (variantId: bigint) => ListingVariantFields | undefined;
  activeVariantCount(): number;
  channelListingStats(channels: readonly string[]): ChannelListingStats;

  // ---- inventory rules ----
  inventoryRules(): InventoryRule[];
  saveInventoryRule(r: InventoryRule, at: string): void;
  deleteInventoryRule(name: string): boolean;
  /** Every (sku, channel) listed, on one channel or all. */
  listedSkus(channel: string | null): Array<{ sku: string; channel: string }>;
  markSyncWanted(channel: string, sku: string, kind: SyncKind, at: string): boolean;

  // ---- sending: listing state → outbox rows → sent → acked / failed ----
  clearSyncWanted(listingId: number, bits: number, seq: number): boolean;
  materializeForSend(w: { listingId: number; channel: string; marketplace: string; sku: string; bits: number; seq: number }, at: string): number[];
  /** Rows a plan skipped (nothing to send): done, deleted (rows already 'sent' stay: a killed run's marker). */
  dropSkippedOutboxRows(ids: readonly number[]): void;
  markOutboxSent(sends: readonly OutboxSend[], runId: number, at: string): void;
  /**
   * An item acknowledged by the marketplace: its rows are done and deleted, with the listing's settled
   * rows (superseded, skipped, acknowledged by an older version). What was acknowledged stays in the
   * listing's acked_* columns; the sync log and the runs keep the history. Call in the transaction that
   * records the acknowledged values.
   */
  settleAcknowledged(ids: readonly number[], listing: { channel: string; sku: string }): void;
  /** Rows of these ids whose kind is one of kinds. */
  outboxIdsOfKinds(ids: readonly number[], kinds: readonly string[]): number[];
  /** Parts of an item that landed (a partial answer, or found by read-back): their rows are done, deleted. */
  settleLandedRows(ids: readonly number[]): void;
  markOutboxAmbiguous(ids: readonly number[], code: string | null, message: string | null, at: string): void;
  failOutboxRows(ids: readonly number[], code: string | null, message: string | null, runId: number, at: string): void;
  /** Rows not sent because the marketplace became unreachable: failed (rows already 'sent' stay so). */
  failUnsentOutboxRows(ids: readonly number[], code: string, message: string, runId: number, at: string): void;
  /** A batch's rows the marketplace processed: those still 'sent' are done and deleted, with the listing's settled rows. */
  settleBatchRows(ids: readonly number[], listing: { channel: string; sku: string }): void;
  failSentRows(ids: readonly number[], e: { code?: string; message?: string; runId: number | null }, at: string): void;
  requeueSentRows(ids: readonly number[], note: string, at: string): void;
  outboxAttempts(ids: readonly number[]): OutboxAttempt[];
  syncInstanceId(): string;

  // ---- the listing's acknowledged values ----
  setListingAcknowledged(channel: string, sku: string, c: { priceMinor?: bigint; quantity?: number; status?: string }, remoteRef: string | null, at: string): void;
  setListingAckedPrice(channel: string, sku: string, priceMinor: bigint, at: string): void;
  setListingAckedQuantity(channel: string, sku: string, quantity: number, at: string): void;
  setListingRemoteId(channel: string, sku: string, remoteRef: string): void;
  rememberListingFacts(channel: string, sku: string, facts: { productType?: string; fulfilledBy?: 'merchant' | 'marketplace' }, at: string): void;
  listingAcknowledgement(channel: string, sku: string): ListingAcknowledgement | undefined;
  setAcknowledgedValues(channel: string, sku: string, v: { priceMinor?: bigint; quantity?: number }, ackedAt: string, at: string): void;
  recordRemoteQuantity(channel: string, sku: string, quantity: number, at: string): void;

  // ---- batches a marketplace accepted and processes later (Amazon feeds) ----
  recordQueuedBatch(b: NewQueuedBatch, at: string): number;
  pendingBatches(marketplace: string): QueuedBatchRecord[];
  markBatchChecked(id: number, status: string, at: string): void;
  finishBatch(id: number, status: string, processedAt: string | null, at: string): void;
  setBatchItemOutcome(batchId: number, position: number, outcome: 'acked' | 'failed' | 'overwritten'): void;

  // ---- runs and their call log ----
  logSyncCall(e: SyncCallLogEntry): void;
  startSyncRun(startedAt: string, optionsJson: string): number;
  finishSyncRun(id: number, finishedAt: string, status: string, summaryJson: string): void;
  failSyncRun(id: number, at: string, summaryJson: string): void;
}

/** The store as the sync services see it: the sync aggregate and the unit of work around it. */
export interface SyncRepos extends Transactions {
  readonly sync: SyncStore;
}

/** A connected marketplace account as sync uses it. */
export interface SyncAccount {
  marketplace: MarketplaceName;
  channels: string[];
  createdAt: string;
}

export interface OrderPullSummary {
  marketplace: string;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  /** SKUs whose stock the pulled orders changed (reservations). */
  stockChanged: string[];
  cursor: string | null;
}

/**
 * What a sync run reaches beyond the sync aggregate: the connected accounts, an adapter for each
 * (built over merchant's HTTP client, with the pacer's state kept between runs unless it is a dry
 * run), order pulls and their cursor, the stock port and the shipment confirmations. Wired in
 * src/cli/wiring/*.ts.
 */
export interface SyncConnections {
  accounts(): SyncAccount[];
  adapter(marketplace: MarketplaceName, o: { dryRun: boolean }): MarketplacePort;
  orderCursor(marketplace: MarketplaceName): string | undefined;
  pullOrders(adapter: MarketplacePort, o: { channels: readonly string[]; defaultSince: string; connectedAt: string; now: () => string }): Promise<OrderPullSummary>;
  stock(now?: () => Date): StockPort;
  confirmations(): ConfirmationStore;
}
