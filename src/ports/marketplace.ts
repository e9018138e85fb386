// What sync needs from a marketplace, whatever its wire format: push price/quantity/status deltas in
// batches (with a per-item outcome), read the same fields back (to reconcile a write whose answer was
// lost), pull orders incrementally from a cursor, and verify credentials with one cheap call.

import type { Money } from '../core/money.js';
import type { MarketplaceName } from '../core/channels.js';

/** One listing's change on one channel. Only the fields that changed are set. */
export interface ListingChange {
  /** Stable key of this change (outbox ids joined): idempotency keys and per-item results use it. */
  key: string;
  channel: string;
  sku: string;
  price?: Money;
  quantity?: number;
  /** 'inactive' / 'removed' take the offer off sale (quantity 0 / withdraw); 'active' puts it back. */
  status?: 'active' | 'inactive' | 'removed';
  /** Remote identifiers cached from earlier calls (eBay offerId, Shopify variant/item ids), opaque to sync. */
  remoteRef?: string | null;
  /**
   * The SKU the marketplace knows this listing by, when a mapping is stored (eBay offers a SKU on one
   * marketplace only, so the same item on a second eBay site has its own SKU); absent = the adapter's
   * convention (core/remote-sku.ts).
   */
  remoteSku?: string | null;
  /** The quantity the marketplace last acknowledged (compare-and-swap), if known. */
  previousQuantity?: number | null;
  /**
   * Set for a listing the marketplace has never acknowledged: what an adapter needs to create it
   * when it does not exist remotely (Shopify). Adapters that cannot create listings ignore it.
   */
  create?: ListingCreate;
  /** Amazon product type; other marketplaces ignore it. */
  productType?: string | null;
}

export interface ListingCreate {
  productHandle: string;
  productTitle: string;
  vendor: string | null;
  productType: string | null;
  description: string | null;
  /** Option name/value pairs of this variant ([] = a product without options). */
  options: Array<{ name: string; value: string }>;
  barcode: string | null;
}

export interface ItemOutcome {
  key: string;
  channel: string;
  sku: string;
  ok: boolean;
  /** The API's own error code and message when !ok. */
  code?: string;
  message?: string;
  /** The write may or may not have landed (no definite answer): reconcile by reading back. */
  ambiguous?: boolean;
  /** A remote reference learnt on the way (offerId, variant id) to cache for next time. */
  remoteRef?: string;
  /** On a failure: the parts of the change that did land (Shopify sets price and stock in separate calls). */
  landed?: Array<'price' | 'quantity'>;
  /** Accepted but applied asynchronously (Amazon feed DONE): still counted as landed. */
  note?: string;
}

export interface RemoteListing {
  channel: string;
  sku: string;
  found: boolean;
  price?: Money;
  quantity?: number;
  status?: 'active' | 'inactive';
  remoteRef?: string;
}

/** A plan of API calls for a set of changes (for --dry-run and the benchmark). */
export interface CallPlan {
  operation: string;
  calls: number;
  items: number;
  batchSize: number;
}

export interface OrderLineIn {
  externalLineId: string;
  /** The SKU as the marketplace gives it: the storefront's own SKU (see `channel`), mapped to ours on save. */
  sku: string | null;
  /**
   * The storefront of the listing this line was sold from, when the marketplace says and it may differ
   * from the order's (eBay lineItems[].listingMarketplaceId); absent = the order's channel.
   */
  channel?: string;
  title: string | null;
  quantity: number;
  unitPriceMinor: bigint;
  discountMinor: bigint;
  taxMinor: bigint;
}

export interface OrderFeeIn {
  externalId: string;
  kind: string;
  amountMinor: bigint;
  currency: string;
}

export interface OrderRefundIn {
  externalId: string;
  refundedAt: string;
  amountMinor: bigint;
  currency: string;
  quantity?: number;
  reason?: string | null;
}

/** An order normalised across marketplaces (columns of the orders tables, migration 0004). */
export interface NormalizedOrder {
  marketplace: MarketplaceName;
  channel: string;
  externalId: string;
  /** open | shipped | partially_shipped | cancelled | pending | refunded … (lower-case, normalised) */
  status: string;
  orderedAt: string;
  remoteUpdatedAt: string | null;
  paidAt: string | null;
  currency: string;
  buyerName: string | null;
  buyerEmail: string | null;
  shipTo: Record<string, unknown> | null;
  shipCountry: string | null;
  shippingMinor: bigint;
  shippingTaxMinor: bigint;
  discountMinor: bigint;
  taxMinor: bigint;
  taxKind: string | null;
  totalMinor: bigint | null;
  lines: OrderLineIn[];
  fees: OrderFeeIn[];
  refunds: OrderRefundIn[];
  raw: unknown;
}

export interface OrdersPage {
  orders: NormalizedOrder[];
  /**
   * The watermark this pull reaches (the latest update time seen so far). The store commits it only
   * when the pull completes: eBay lists orders newest created first, so a watermark taken after page
   * 1 would skip the older orders of the pages a dead pull never read.
   */
  cursor: string;
  done: boolean;
  /** An opaque position to continue an interrupted pull after this page (eBay: the offset), if the adapter can. */
  resume?: string;
}

export interface VerifyResult {
  /** Who we are talking to (shop domain, seller id, eBay user), never a secret. */
  account: string;
  /** When the access token in use expires (ISO), if the API said. */
  tokenExpiresAt?: string;
  /** When the long-lived refresh token expires (eBay), if known. */
  refreshExpiresAt?: string;
  /** What the call checked, for humans. */
  check: string;
  /** Shop currency (Shopify) learnt on verification. */
  currency?: string;
}

export interface MarketplacePort {
  readonly name: MarketplaceName;
  /** Calls it would take to push these changes (pure; no I/O). */
  planCalls(changes: readonly ListingChange[]): CallPlan[];
  /** Push changes; one outcome per change, in any order. Throws HttpError only when nothing could be attempted (auth, unreachable). */
  push(changes: readonly ListingChange[], hooks?: PushHooks): Promise<ItemOutcome[]>;
  /** Read price/quantity/status of these listings back from the marketplace. */
  readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null; remoteSku?: string | null }>): Promise<RemoteListing[]>;
  /**
   * Orders updated since the cursor (undefined = from `since`), one page per iteration. `resume` is the
   * `resume` of the last page an interrupted pull saved (same cursor): an adapter that can continues
   * there, the others start over (the store dedupes by order id).
   */
  pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[]; resume?: string }): AsyncGenerator<OrdersPage>;
  verify(): Promise<VerifyResult>;
  /** Number of HTTP requests made so far (benchmarks, tests). */
  requestCount(): number;
}

/** Called by an adapter right before the request for a batch goes out (mark items 'sent'). */
export interface PushHooks {
  beforeBatch?(keys: readonly string[]): void;
  afterBatch?(outcomes: readonly ItemOutcome[]): void;
}
