// What the shipping services (src/services/ship, src/services/customs/target.ts) need from local state:
// the shipments ledger, orders as the shipping side reads them (ship-to, lines × catalogue, where the
// parcel leaves from) and the parcel confirmations a bought label owes. Implemented over SQLite by
// src/store/repos/shipments.ts and src/store/repos/shipping-orders.ts; the services never see SQL.

import type { ConfirmationLine } from './confirmations.js';
import type { StockLocation } from './stock.js';
import type { OrderLookup, StoredOrderLine } from './orders.js';

export type ShipmentState = 'planned' | 'purchasing' | 'purchased' | 'voided' | 'failed';

/** One row of the shipments ledger: one intended label, committed BEFORE any purchase call. */
export interface ShipmentRow {
  id: number;
  reference: string;
  orderId?: number;
  carrierAccount: string;
  state: ShipmentState;
  remoteShipmentId?: string;
  remoteTransactionId?: string;
  rateId?: string;
  carrier?: string;
  service?: string;
  trackingCode?: string;
  trackingStatus?: string;
  labelUrl?: string;
  labelPath?: string;
  costMinor?: bigint;
  costCurrency?: string;
  fromJson?: string;
  toJson?: string;
  parcelJson?: string;
  customsJson?: string;
  ratesJson?: string;
  formsJson?: string;
  serviceKind: 'postal' | 'courier';
  selection?: string;
  attempts: number;
  voidStatus?: string;
  errorMessage?: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewShipment {
  reference: string;
  orderId?: number;
  carrierAccount: string;
  fromJson: string;
  toJson: string;
  parcelJson: string;
  customsJson?: string;
  serviceKind: 'postal' | 'courier';
  now: string;
}

export interface ShipmentsRepo {
  byReference(reference: string): ShipmentRow | undefined;
  byId(id: number): ShipmentRow | undefined;
  /** A shipment by reference, tracking code, carrier shipment id or numeric id. */
  find(ref: string): ShipmentRow | undefined;
  /** The reference itself and its retries (`base-2`, `base-3`…), oldest first. */
  withReferencePrefix(prefix: string): ShipmentRow[];
  /** Newest first, optionally one state's, at most `limit` (default 100). */
  list(opts?: { state?: string; limit?: number }): ShipmentRow[];
  /** A new 'planned' row, COMMITTED when this returns. */
  insert(n: NewShipment): ShipmentRow;
  /** Update and COMMIT (its own transaction): callers rely on the row being durable before a remote call. */
  update(id: number, patch: Partial<ShipmentRow>, now: string): ShipmentRow;
  /** The customs declaration (serialised) and sender stored with a shipment, by its reference. */
  storedDeclaration(reference: string): { customsJson: string | null; fromJson: string | null } | undefined;
}

/** An order as the shipping side reads it (the stored row, money in minor units). */
export interface ShippingOrder {
  id: number;
  externalId: string;
  marketplace: string;
  channel: string;
  currency: string;
  orderedAt: string;
  buyerName: string | null;
  buyerEmail: string | null;
  shipToJson: string | null;
  shipCountry: string | null;
  taxKind: string | null;
  /** Whether the listed prices include tax; null = unknown, absent = the schema predates the column. */
  pricesIncludeTax?: boolean | null;
}

/** An order line with its catalogue variant's facts (by SKU), as stored. */
export interface ShippingOrderLine extends Omit<StoredOrderLine, 'externalLineId'> {
  variantTitle: string | null;
  productTitle: string | null;
  hsCode: string | null;
  originCountry: string | null;
  weightGrams: number | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
}

/** What a customs declaration reads of the sale beyond the lines. */
export interface OrderSaleFacts {
  shippingMinor: bigint;
  paidAt: string | null;
  orderedAt: string;
  rawJson: string | null;
}

export interface ShippingOrdersRepo {
  /** The order a reference names (see store/repos/order-lookup.ts): found, none, or the several it names. */
  byRef(ref: string): OrderLookup<ShippingOrder>;
  /** How many orders are stored at all. */
  count(): number;
  /** The order's lines in order, with the catalogue's titles, HS codes, origins, weights and sizes. */
  lines(orderId: number): ShippingOrderLine[];
  saleFacts(orderId: number): OrderSaleFacts | undefined;
  /** The stock location the order is reserved or assigned at, if any. */
  shipFromLocation(orderId: number): StockLocation | undefined;
}

/** An order line and how many of its units are already in a recorded parcel. */
export interface ParcelLineSource {
  externalLineId: string;
  sku: string | null;
  title: string | null;
  quantity: number;
  inParcels: number;
}

export interface NewParcelConfirmation {
  orderId: number;
  shipmentId?: number;
  carrier: string;
  service: string | null;
  tracking: string;
  shipDate: string;
  lines: ConfirmationLine[];
  notifyCustomer: boolean;
}

export interface ParcelConfirmationsRepo {
  /** An order's lines and how many units of each are already in parcels. */
  linesForShipping(orderId: number): ParcelLineSource[];
  /** Record a parcel to confirm on the marketplace (inside the transaction that bought its label). */
  record(c: NewParcelConfirmation, at: string): { id: number; created: boolean };
}
