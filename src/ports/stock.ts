// What the stock services (src/services/stock) need from local state: locations, levels per location,
// the movement history, transfers and the channel → locations mapping. Implemented over SQLite by
// src/store/repos/stock.ts (StockRepo); the services never see SQL.

import type { CarrierAddress } from './carrier.js';

export type LocationKind = 'own' | 'warehouse' | '3pl' | 'fba' | 'shopify';

/** A location's address: the sender of parcels shipped from there (the carriers' address shape). */
export type PostalAddress = CarrierAddress;

export interface StockLocation {
  id: number;
  code: string;
  name: string;
  kind: LocationKind;
  country: string | null;
  /** null for the home warehouse = the business profile's ship-from address. */
  address: PostalAddress | null;
  marketplace: 'amazon' | 'shopify' | null;
  remoteId: string | null;
  /** FBA: the storefront whose region it serves (amazon-uk). */
  channel: string | null;
  isHome: boolean;
  active: boolean;
}

export interface NewLocation {
  code: string;
  name: string;
  kind: LocationKind;
  country: string | null;
  address: PostalAddress | null;
  marketplace?: 'amazon' | 'shopify' | null;
  remoteId?: string | null;
  channel?: string | null;
}

export interface StockLevel {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  available: number;
  inbound: number;
  unfulfillable: number;
}

export interface StockTotal {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  inbound: number;
  locations: number;
}

export interface StockFilter {
  location?: number;
  skus?: readonly string[];
  /** Only rows with something in them (on hand, reserved or inbound ≠ 0). */
  nonZero?: boolean;
}

export type MovementKind = 'set' | 'adjust' | 'import' | 'move-out' | 'move-in' | 'move-cancel' | 'order' | 'marketplace';

/** One on-hand change to apply. `to` sets the level, `delta` adds to it (exactly one of them). */
export interface OnHandChange {
  variantId: number;
  sku: string;
  locationId: number;
  to?: number;
  delta?: number;
  kind: MovementKind;
  reason?: string | null;
  orderId?: number | null;
  transferId?: number | null;
}

export interface AppliedChange {
  sku: string;
  locationId: number;
  before: number;
  after: number;
}

export interface Transfer {
  id: number;
  sku: string;
  from: string;
  to: string;
  quantity: number;
  status: 'in_transit' | 'received' | 'cancelled';
  reason: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** A location the marketplace owns (Amazon FBA per storefront, a Shopify location) as last read. */
export interface RemoteLocationIn {
  /** The code to give it when it is new (a suffix is added when taken). */
  code: string;
  name: string;
  kind: 'fba' | 'shopify';
  country: string | null;
  marketplace: 'amazon' | 'shopify';
  remoteId: string;
  channel?: string | null;
  active?: boolean;
}

/** One level of a marketplace-owned location as the marketplace reported it. */
export interface RemoteLevelIn {
  variantId: number;
  sku: string;
  onHand: number;
  reserved: number;
  inbound: number;
  unfulfillable: number;
  reason?: string;
}

/** A marketplace's stock location (Shopify) as last read, and the merchant location it sells (linked). */
export interface ShopLocation {
  marketplace: 'shopify';
  remoteId: string;
  name: string;
  country: string | null;
  active: boolean;
  readAt: string;
  /** The merchant location whose stock is pushed there; null = not linked (its own levels are read). */
  linkedLocationId: number | null;
  linked: string | null;
  /** Its own read-only merchant location (kind shopify). */
  code: string | null;
}

export interface StockPort {
  /** Run fn in one transaction: all of it lands or none of it does. */
  tx<T>(fn: () => T): T;
  now(): string;
  locations(): StockLocation[];
  location(code: string): StockLocation | undefined;
  home(): StockLocation;
  addLocation(l: NewLocation): StockLocation;
  updateLocation(id: number, l: Partial<Pick<NewLocation, 'name' | 'country' | 'address'>>): void;
  /** What still refers to a location (stock, open transfers, channels, open orders). */
  locationUsage(id: number): { stock: number; transfers: number; channels: string[]; orders: number };
  removeLocation(id: number): void;
  /** variant ids of these SKUs (the ones that exist). */
  variantIds(skus: readonly string[]): Map<string, number>;
  level(locationId: number, variantId: number): { onHand: number; reserved: number; inbound: number } | undefined;
  /** Levels in SKU order, streamed from the store. */
  levels(filter: StockFilter): Iterable<StockLevel>;
  /** Levels with their SKU's totals over the filter's locations (absent where totals() has none), streamed. */
  levelsWithTotals(filter: StockFilter): Iterable<StockLevel & { total?: StockTotal }>;
  /** Totals per SKU over all locations (or the filter's location), one SQL statement, streamed. */
  totals(filter: StockFilter): Iterable<StockTotal>;
  applyOnHand(changes: readonly OnHandChange[], command: string): AppliedChange[];
  addInbound(locationId: number, variantId: number, delta: number): void;
  /** Find (by marketplace and remote id) or create a marketplace-owned location. */
  ensureRemoteLocation(l: RemoteLocationIn): StockLocation;
  /** Replace a marketplace-owned location's levels with what the marketplace reported; returns how many changed. */
  replaceRemoteLevels(locationId: number, rows: readonly RemoteLevelIn[], command: string, complete?: boolean): number;
  createTransfer(t: { variantId: number; fromId: number; toId: number; quantity: number; reason: string | null }): number;
  transfer(id: number): (Transfer & { variantId: number; fromId: number; toId: number }) | undefined;
  closeTransfer(id: number, status: 'received' | 'cancelled'): void;
  transfers(filter: { open?: boolean }): Transfer[];
  channelLocations(channel: string): StockLocation[];
  /** Every channel with its own mapping. */
  channelMappings(): Array<{ channel: string; locations: string[] }>;
  setChannelLocations(channel: string, locationIds: readonly number[]): void;
  knownChannels(): string[];
  /** Orders matching a reference (external id, marketplace:external id or local id). */
  ordersByRef(ref: string): OrderStockView[];
  /** Move an open order's reservations to another location and make it the order's ship-from. */
  moveOrderReservation(orderId: number, locationId: number, command: string): Array<{ sku: string; locationId: number }>;
  /** The marketplace's locations as last read, with their links. */
  shopLocations(): ShopLocation[];
  saveShopLocation(l: { marketplace: 'shopify'; remoteId: string; name: string; country: string | null; active: boolean }): void;
  setShopLocationLink(marketplace: 'shopify', remoteId: string, locationId: number | null): void;
  /** Storefronts with Amazon-fulfilled listings or an FBA location. */
  fbaChannels(): string[];
  /** Queue an inventory push for every merchant-fulfilled listing of a marketplace; returns how many. */
  queueMarketplaceInventory(marketplace: string, reason: string): number;
  /** Queue an inventory push for the listings that sell these SKUs from these locations; returns how many. */
  queueInventoryPush(changed: ReadonlyArray<{ sku: string; locationId: number }>, reason: string): number;
}

export interface OrderStockView {
  id: number;
  marketplace: string;
  externalId: string;
  channel: string;
  status: string;
  fulfilledBy: 'merchant' | 'marketplace' | null;
  locationId: number | null;
  effects: Array<{ sku: string; reserved: number; deducted: number; locationId: number | null }>;
}

/** A CSV file's records (src/adapters/csv CsvSource + RecordCursor behind it). */
export interface RecordSource {
  name: string;
  /** 1-based line of each record, its cells. */
  records(): AsyncIterable<{ line: number; cells: string[] }>;
}
