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
   * Identifies this attempt at sending the change: its outbox rows and attempt number, never its
   * content. Given again only when the same request is retried after its answer was lost, so an
   * adapter can use it for idempotency keys (Shopify's @idempotent): a retry is applied once, and a
   * later, genuinely new change with the same content is applied as new.
   */
  attemptKey?: string;
  /**
   * Set for a listing the marketplace has never acknowledged: what an adapter needs to create it
   * when it does not exist remotely (Shopify). Adapters that cannot create listings ignore it.
   */
  create?: ListingCreate;
  /**
   * The listing's own product type as the marketplace last reported it (Amazon summaries), cached on
   * the channel listing; never the local catalogue's type. Unknown: the adapter looks it up.
   */
  remoteProductType?: string | null;
  /** Who fulfils this listing as last learnt (Amazon FBA = 'marketplace'); unknown: looked up. */
  fulfilledBy?: FulfilledBy | null;
  /**
   * Stock per marketplace location (Shopify locations linked to merchant locations): each location gets
   * its own quantity, and `quantity` is their sum. Absent: `quantity` goes to the adapter's one location.
   */
  locationQuantities?: LocationQuantity[];
}

export interface LocationQuantity {
  /** The marketplace's id of the location (Shopify Location GID). */
  remoteId: string;
  /** Its name, for messages. */
  name: string;
  quantity: number;
}

/** Who ships a listing's or an order's units: the seller (own stock) or the marketplace (FBA). */
export type FulfilledBy = 'merchant' | 'marketplace';

/** Facts about a remote listing learnt while pushing or reading back, cached on the channel listing. */
export interface ListingFacts {
  productType?: string;
  fulfilledBy?: FulfilledBy;
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
  /** What the marketplace told us about the listing on the way (cached for next time). */
  learned?: ListingFacts;
  /** Parts of the change deliberately not sent (an FBA listing's stock is the marketplace's): not acknowledged. */
  notSent?: Array<'quantity'>;
  /** Accepted into an asynchronous batch still being processed (an Amazon feed in the queue): neither landed nor failed yet. */
  queued?: { ref: string; submittedAt: string; status: string };
  /**
   * A compare-and-swap failed (code CHANGE_FROM_QUANTITY_STALE): the quantity the marketplace holds
   * now, read right after. Nothing was written; sync counts the orders that arrived and tries again
   * against this value.
   */
  remoteQuantity?: number;
}

/** An asynchronous batch (Amazon JSON_LISTINGS_FEED) the marketplace accepted but has not processed yet. */
export interface QueuedBatch {
  /** The marketplace's id of the batch (feedId). */
  ref: string;
  channel: string;
  /** ISO time the batch was accepted. */
  submittedAt: string;
  /** The changes in it, in message order (messageId = position + 1). */
  items: Array<{ key: string; sku: string }>;
}

export interface QueuedBatchStatus {
  ref: string;
  /** 'pending' (still queued or in progress) or 'done' (processed, cancelled or fatal: outcomes set). */
  state: 'pending' | 'done';
  /** The marketplace's own status word (IN_QUEUE, IN_PROGRESS, DONE, FATAL, CANCELLED). */
  status: string;
  /** When processing ended (ISO), when the marketplace says. */
  processedAt?: string;
  outcomes?: ItemOutcome[];
}

export interface RemoteListing {
  channel: string;
  sku: string;
  found: boolean;
  price?: Money;
  quantity?: number;
  status?: 'active' | 'inactive';
  remoteRef?: string;
  learned?: ListingFacts;
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
  /** The tax in the refund when the marketplace states it (Shopify refund lines); else it is split pro rata. */
  taxMinor?: bigint;
}

/** An order's own amounts beside its lines, in minor units of the order's currency (one set of columns of the orders table). */
export interface OrderAmounts {
  shippingMinor: bigint;
  shippingTaxMinor: bigint;
  discountMinor: bigint;
  taxMinor: bigint;
  taxKind: string | null;
  totalMinor: bigint | null;
}

/** What every order shape carries besides its ids and lines: the amounts, status, dates, currency, buyer. */
export interface OrderHeader extends OrderAmounts {
  /** open | shipped | partially_shipped | cancelled | pending | refunded … (lower-case, normalised) */
  status: string;
  orderedAt: string;
  paidAt: string | null;
  currency: string;
  buyerName: string | null;
  buyerEmail: string | null;
  shipCountry: string | null;
}

/** An order normalised across marketplaces (columns of the orders tables, migration 0004). */
export interface NormalizedOrder extends OrderHeader {
  marketplace: MarketplaceName;
  channel: string;
  externalId: string;
  remoteUpdatedAt: string | null;
  shipTo: Record<string, unknown> | null;
  lines: OrderLineIn[];
  fees: OrderFeeIn[];
  refunds: OrderRefundIn[];
  /** Fulfilled by the marketplace (Amazon FBA/AFN) orders never reserve or move the seller's own stock. */
  fulfilledBy?: FulfilledBy;
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
  /** Marketplaces the account sells on, read from the marketplace (Amazon getMarketplaceParticipations). */
  marketplaces?: AccountMarketplace[];
  /** Per region (Amazon): whether the account could be used there, and why not. */
  regions?: Array<{ region: string; endpoint: string; ok: boolean; error?: string }>;
  /** How the account authenticates: a static token, or one the adapter renews (client credentials, refresh token). */
  tokenKind?: string;
  /** Where stock is written and read (Shopify: the location), for humans. */
  stockLocation?: { id: string; name: string; primary: boolean };
}

export interface AccountMarketplace {
  id: string;
  name: string;
  country: string;
  currency?: string;
  region?: string;
  participating: boolean;
  suspendedListings?: boolean;
  /** The merchant channel code it maps to, when merchant has one. */
  channel?: string;
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
  /** Check batches accepted by an earlier run (Amazon feeds) and return what became of them. */
  checkQueued?(batches: readonly QueuedBatch[]): Promise<QueuedBatchStatus[]>;
  /** The shop's stock locations (Shopify `locations`, inactive ones included). */
  readStockLocations?(): Promise<RemoteStockLocation[]>;
  /** The inventory levels held at one of them (every item stocked there). */
  readLocationLevels?(remoteId: string): Promise<RemoteLocationLevel[]>;
  /** The stock the marketplace holds for the seller (Amazon FBA), per storefront; [] where it holds none. */
  readFbaStock?(channels: readonly string[]): Promise<FbaStockRead[]>;
}

/** One storefront's FBA stock as Amazon reports it (FBA Inventory API getInventorySummaries, details=true). */
export interface FbaStockRead {
  channel: string;
  marketplaceId: string;
  /** ISO country of the marketplace (GB for amazon-uk). */
  country: string;
  items: FbaStockItem[];
}

export interface FbaStockItem {
  sku: string;
  /** Units Amazon can pick, pack and ship now. */
  fulfillable: number;
  /** Units held for customer orders, transshipment or FC processing (still in the fulfilment centre). */
  reserved: number;
  /** inboundWorking + inboundShipped + inboundReceiving: on their way to Amazon. */
  inbound: number;
  /** Damaged, defective or expired units Amazon holds (still the seller's). */
  unfulfillable: number;
}

/** Called by an adapter right before the request for a batch goes out (mark items 'sent'). */
export interface PushHooks {
  beforeBatch?(keys: readonly string[]): void;
  afterBatch?(outcomes: readonly ItemOutcome[]): void;
  /** An asynchronous batch was accepted (before waiting for it): record it so a later run can check it. */
  onQueued?(batch: QueuedBatch): void;
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

/** One message of a confirmation feed as the marketplace processed it (keyed by our confirmation key). */
export interface ConfirmationFeedOutcome {
  key: string;
  ok: boolean;
  code?: string;
  message?: string;
}

/** Where a confirmation feed stands: still processing, processed (per-message outcomes), or unknown to the marketplace. */
export type ConfirmationFeedStatus =
  | { state: 'processing'; status: string }
  | { state: 'done'; status: string; outcomes: ConfirmationFeedOutcome[] }
  /** Cancelled, or a feed the marketplace no longer knows: nothing of it was applied. */
  | { state: 'void'; status: string };

export interface ShipmentConfirmer {
  confirmShipment(c: ShipmentConfirmationIn): Promise<ConfirmOutcome>;
  fulfilmentsOf(channel: string, externalOrderId: string): Promise<RemoteFulfilment[]>;
  /**
   * Many parcels in one feed (Amazon's POST_ORDER_FULFILLMENT_DATA). The group a channel's parcels are
   * batched in (Amazon: the region), or undefined when the channel cannot be batched.
   */
  confirmationFeedGroup?(channel: string): string | undefined;
  /** Above this many pending parcels of one group, they go as one feed. */
  confirmationFeedThreshold?(): number;
  /** Upload the document and create the feed; returns the feed id. Throws before createFeed answered = not created (unless `ambiguous`). */
  submitConfirmationFeed?(group: string, cs: readonly ShipmentConfirmationIn[]): Promise<string>;
  /** Read a feed back (getFeed, then its processing report), waiting up to the adapter's feed budget when `wait`. */
  confirmationFeedStatus?(group: string, feedId: string, keys: readonly string[], wait: boolean): Promise<ConfirmationFeedStatus>;
  /** Confirmation feeds of the group still queued or processing (a feed whose id was never received may be one of them). */
  openConfirmationFeeds?(group: string): Promise<number>;
}

export function isShipmentConfirmer(p: unknown): p is ShipmentConfirmer {
  return typeof (p as Partial<ShipmentConfirmer> | null)?.confirmShipment === 'function' && typeof (p as Partial<ShipmentConfirmer>).fulfilmentsOf === 'function';
}

/** A stock location of the shop as the marketplace reports it. */
export interface RemoteStockLocation {
  remoteId: string;
  name: string;
  active: boolean;
  /** ISO country of its address, when it has one. */
  country: string | null;
  fulfillsOnlineOrders: boolean;
}

/** One item's quantities at a marketplace location (Shopify InventoryLevel.quantities). */
export interface RemoteLocationLevel {
  sku: string;
  available: number;
  onHand: number;
  committed: number;
  incoming: number;
}
