// What an incremental order pull (services/orders/pull.ts) needs besides the orders themselves: its
// cursors (sync_cursors: the committed watermark and an unfinished pull's progress), the storefront
// SKU → local SKU lookups, the eBay account's home site, the stock an order reserves or moves, and the
// inventory pushes its stock changes call for. Implemented over SQLite by store/repos/order-pull.ts.

/** Lookups an order pull makes per line, with their statements prepared once per pull. */
export interface RemoteSkuLookups {
  /** The local SKU whose listing on `channel` is stored as `remoteSku`, if any. */
  localSkuFor(channel: string, remoteSku: string): string | undefined;
  /** Is this a SKU of the local catalogue? */
  exists(sku: string): boolean;
  /** The stored remote SKU of `sku`'s listing on `channel` (null: none stored; undefined: no such listing). */
  storedRemoteSku(channel: string, sku: string): string | null | undefined;
}

/** An order's stock effect per SKU at its location (order_stock_effects), and the stock levels it moves. */
export interface OrderStockEffects {
  orderEffects(orderId: number): Array<{ sku: string; reserved: number; deducted: number; locationId: number | null }>;
  orderLocation(orderId: number): number | null;
  setOrderLocation(orderId: number, locationId: number | null): void;
  /** The channel's first location with stock for every line (else its first location). */
  pickOrderLocation(channel: string, qty: ReadonlyMap<string, number>): number;
  variantIds(skus: readonly string[]): Map<string, number>;
  /** Does this variant have any stock level (stock tracked)? */
  tracked(variantId: number): boolean;
  setOrderEffect(orderId: number, sku: string, reserved: number, deducted: number, locationId: number | null): void;
  applyOrderEffect(locationId: number, variantId: number, sku: string, reservedDelta: number, deductedDelta: number, orderId: number, command: string): void;
}

export interface OrderPullRepo {
  /** A stored cursor of the marketplace's stream ('orders': the watermark; 'orders:resume': a pull's progress). */
  cursor(marketplace: string, stream: string): string | undefined;
  setCursor(marketplace: string, stream: string, cursor: string, at: string): void;
  clearCursor(marketplace: string, stream: string): void;
  remoteSkuLookups(): RemoteSkuLookups;
  stockEffects(): OrderStockEffects;
  /** Channels with an enabled listing of this SKU. */
  listingChannelsOf(sku: string): string[];
  /** Queue a push of this kind for the SKU's listing on the channel (inside the write's transaction). */
  markSyncWanted(channel: string, sku: string, kind: 'inventory', at: string): boolean;
}
