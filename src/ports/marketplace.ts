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
  sku: string | null;
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
  /** The position to resume from after this page (stored only once the page is saved). */
  cursor: string;
  done: boolean;
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
  readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null }>): Promise<RemoteListing[]>;
  /** Orders updated since the cursor (undefined = from `since`), one page per iteration. */
  pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[] }): AsyncGenerator<OrdersPage>;
  verify(): Promise<VerifyResult>;
  /** Number of HTTP requests made so far (benchmarks, tests). */
  requestCount(): number;
}

/** Called by an adapter right before the request for a batch goes out (mark items 'sent'). */
export interface PushHooks {
  beforeBatch?(keys: readonly string[]): void;
  afterBatch?(outcomes: readonly ItemOutcome[]): void;
}

// ---- Shipment confirmation (issue #21) ----

/** One parcel to confirm on the marketplace: the lines (and quantities) in it, carrier and tracking. */
export interface ShipmentConfirmationIn {
  /** Our confirmation id (decimal): Amazon's packageReferenceId, Shopify's idempotency key. */
  key: string;
  channel: string;
  externalOrderId: string;
  /** The carrier's name as bought or typed (EasyPost "USPS", "Royal Mail"); the adapter maps it to its codes. */
  carrier: string;
  service: string | null;
  tracking: string;
  /** ISO 8601 date-time. */
  shipDate: string;
  lines: Array<{ externalLineId: string; sku: string | null; quantity: number }>;
  /** Shopify: e-mail the buyer. */
  notifyCustomer: boolean;
}

export interface ConfirmOutcome {
  ok: boolean;
  /** The marketplace's id of the fulfilment (eBay fulfillmentId, Shopify Fulfillment gid, Amazon packageReferenceId). */
  remoteId?: string;
  code?: string;
  message?: string;
  /** No definite answer: it may have landed (read back before sending again). */
  ambiguous?: boolean;
  /** What was sent, for the request log of the confirmation (codes after mapping). */
  sent?: Record<string, unknown>;
}

/** A fulfilment as the marketplace reports it (read back after a lost answer). */
export interface RemoteFulfilment {
  remoteId: string;
  tracking: string | null;
  /** Our key when the marketplace keeps it (Amazon packageReferenceId). */
  key?: string;
  lines: Array<{ externalLineId: string; quantity: number }>;
}

export interface ShipmentConfirmer {
  confirmShipment(c: ShipmentConfirmationIn): Promise<ConfirmOutcome>;
  fulfilmentsOf(channel: string, externalOrderId: string): Promise<RemoteFulfilment[]>;
}

export function isShipmentConfirmer(p: unknown): p is ShipmentConfirmer {
  return typeof (p as Partial<ShipmentConfirmer> | null)?.confirmShipment === 'function' && typeof (p as Partial<ShipmentConfirmer>).fulfilmentsOf === 'function';
}
