// The orders aggregate (orders, order_lines, order_fees, order_refunds) as the order services see it:
// `orders list` / `orders show`, the file import's reads and writes, the order pull's upsert, and the
// facts deciding who collects an order's VAT. Implemented over SQLite by store/repos/orders.ts; plain
// objects and bigint money only, so another store could implement the same interface.

import type { ConfirmationRecord } from './confirmations.js';
import type { OrderHeader, OrderLineIn, OrderFeeIn } from './marketplace.js';
import type { BusinessTaxProfile, OrderTaxFacts, StoredVat } from './order-tax.js';
import type { ParsedFee, ParsedLine, ParsedRefund } from './order-files.js';

/** `orders list` filters, as bound: `toExclusive` is the exclusive upper bound of ordered_at. */
export interface OrderListFilter {
  marketplace?: string;
  channel?: string;
  /** The effective status (shipped_unconfirmed, partially_shipped… else the marketplace's). */
  status?: string;
  from?: string;
  toExclusive?: string;
  sku?: string;
  limit: number;
}

export interface OrderListRow {
  id: number;
  marketplace: string;
  channel: string;
  externalId: string;
  /** The marketplace's (or the file's) status. */
  status: string;
  /** What merchant knows from its parcels. */
  effectiveStatus: string;
  orderedAt: string;
  shipCountry: string | null;
  currency: string;
  items: number;
  totalMinor: bigint | null;
  source: string;
}

/** One stored order, as `orders show` reads it. */
export interface StoredOrder extends OrderHeader {
  id: number;
  marketplace: string;
  channel: string;
  externalId: string;
  remoteUpdatedAt: string | null;
  source: string;
  shipToJson: string | null;
  rawJson: string | null;
}

export interface StoredOrderLine {
  externalLineId: string;
  sku: string | null;
  title: string | null;
  quantity: number;
  unitPriceMinor: bigint;
  discountMinor: bigint;
  taxMinor: bigint;
}

export interface StoredOrderFee {
  kind: string;
  amountMinor: bigint;
  currency: string;
}

export interface StoredOrderRefund {
  externalId: string;
  refundedAt: string;
  amountMinor: bigint;
  currency: string;
  quantity: number;
  reason: string | null;
}

/** Which stored order a reference names (see OrdersRepo.findRef). */
export interface OrderRef {
  id: number;
  marketplace: string;
  externalId: string;
}

/**
 * What a reference names: one order, none, or several (an id that exists on more than one marketplace,
 * a Shopify name two orders share), with the candidates so that the caller can ask for "marketplace:id".
 * The repositories answer this; the services decide what the user is told (services/orders/ref.ts).
 */
export type OrderLookup<T = OrderRef> = { kind: 'found'; order: T } | { kind: 'none' } | { kind: 'ambiguous'; candidates: OrderRef[] };

/** An order as the file import matches it (marketplace + external id). */
export interface FileOrderMatch {
  id: bigint;
  source: string;
  rawJson: string | null;
  /** 1 / 0, or null: the channel's default. */
  pricesIncludeTax: number | null;
  channel: string;
}

/** The order columns a file import writes (named as the statement binds them). */
export interface FileOrderValues extends OrderHeader {
  marketplace: string;
  channel: string;
  externalId: string;
  shipPostalCode: string | null;
  shipToJson: string | null;
  /** prices_include_tax: 1 / 0, or null (the channel's default). */
  pit: number | null;
  source: string;
  raw: string;
  now: string;
}

export interface StoredFeeForImport {
  id: bigint;
  kind: string;
  amountMinor: bigint;
  currency: string;
  occurredAt: string | null;
}

export interface StoredRefundForImport {
  id: bigint;
  refundedAt: string;
  amountMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  currency: string;
}

/** The file import's statements, prepared once per import; call inside `tx`. */
export interface OrderFileWriter {
  find(marketplace: string, externalId: string): FileOrderMatch | undefined;
  insert(v: FileOrderValues): bigint;
  update(id: bigint, v: FileOrderValues): void;
  deleteLines(orderId: bigint): void;
  /** Fees and refunds that came from a settlement or transaction report stay. */
  deleteOwnFees(orderId: bigint): void;
  deleteOwnRefunds(orderId: bigint): void;
  insertLine(orderId: bigint, l: ParsedLine): void;
  fee(orderId: bigint, externalId: string): StoredFeeForImport | undefined;
  insertFee(orderId: bigint, f: ParsedFee): void;
  updateFee(id: bigint, f: ParsedFee): void;
  refund(orderId: bigint, externalId: string): StoredRefundForImport | undefined;
  insertRefund(orderId: bigint, r: ParsedRefund, dateEstimated: 0 | 1): void;
  updateRefund(id: bigint, r: ParsedRefund, dateEstimated: 0 | 1): void;
}

/** An order as the pull compares it. */
export interface PulledOrderState {
  id: number;
  status: string;
  remoteUpdatedAt: string | null;
  rawJson: string | null;
}

/** The order columns an API pull writes. */
export interface PulledOrderValues extends OrderHeader {
  channel: string;
  remoteUpdatedAt: string | null;
  shipToJson: string | null;
  rawJson: string;
}

export interface PulledRefundValues {
  externalId: string;
  refundedAt: string;
  quantity: number;
  amountMinor: bigint;
  taxMinor: bigint;
  currency: string;
  reason: string | null;
}

export interface OrdersRepo {
  /** Newest first, streamed. */
  list(filter: OrderListFilter): Iterable<OrderListRow>;
  /** The order a reference names ("marketplace:id", external id, Shopify name, local id): found, none, or the several it names. */
  findRef(ref: string): OrderLookup;
  get(id: number): StoredOrder | undefined;
  lines(orderId: number): StoredOrderLine[];
  fees(orderId: number): StoredOrderFee[];
  refunds(orderId: number): StoredOrderRefund[];
  /** Parcels recorded for the order and their confirmation on the marketplace. */
  confirmations(orderId: number): ConfirmationRecord[];
  /** The order's status as merchant knows it from its parcels. */
  effectiveStatus(orderId: number): string;
  /** Units of each SKU of the order already in parcels. */
  shippedUnitsBySku(orderId: number): Map<string, number>;
  setFulfilledBy(orderId: number, fulfilledBy: 'merchant' | 'marketplace' | null): void;

  fileWriter(): OrderFileWriter;

  pulledState(marketplace: string, externalId: string): PulledOrderState | undefined;
  updatePulled(id: number, v: PulledOrderValues, at: string): void;
  insertPulled(marketplace: string, externalId: string, v: PulledOrderValues, at: string): number;
  upsertPulledLine(orderId: number, l: OrderLineIn): void;
  upsertPulledFee(orderId: number, f: OrderFeeIn, occurredAt: string): void;
  upsertPulledRefund(orderId: number, r: PulledRefundValues): void;
}

/** What deciding an order's VAT collector reads and writes (see ports/order-tax.ts OrderTaxPort). */
export interface OrderTaxRepo {
  /** The facts of these orders (unknown ids skipped); `includesTax` resolves a NULL prices_include_tax. */
  facts(ids: readonly (number | bigint)[], includesTax: (channel: string) => boolean): OrderTaxFacts[];
  /** Orders without a decision, in id order (a bounded batch). */
  unclassifiedIds(limit: number): bigint[];
  save(id: bigint | number, v: StoredVat | null): void;
  businessProfile(): BusinessTaxProfile;
  dropEstimatedRefunds(orderId: bigint | number): number;
}
