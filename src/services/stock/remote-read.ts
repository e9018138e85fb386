// Reading the stock a marketplace holds or reports, into merchant's read-only locations: Amazon FBA per
// storefront (fba.ts) and the Shopify locations (shopify-locations.ts). Used by `merchant sync` (before
// it plans) and by `merchant stock locations refresh` (which pushes nothing).
//
// Shopify levels are read only where merchant does not push: once at least one Shopify location is
// linked (`stock locations link`), every other active location's levels are read. Without a link the
// account's one stock location (shopify.location, else the primary) receives the channel's stock, so
// its levels are merchant's own stock and are not read again as a second copy; sync then leaves the
// Shopify locations alone and `stock locations refresh` reads only the list (to link from).

import type { MarketplacePort } from '../../ports/marketplace.js';
import type { StockPort } from '../../ports/stock.js';
import { applyFbaStock, type FbaReadOutcome } from './fba.js';
import { applyShopLocations, type ShopLocationsOutcome } from './shopify-locations.js';

export interface StockReadOutcome {
  fba?: FbaReadOutcome[];
  shopify?: ShopLocationsOutcome[];
}

/** Whether `merchant sync` reads this marketplace's stock (it costs requests): FBA always, Shopify once a location is linked. */
export function syncReadsStock(adapter: Pick<MarketplacePort, 'readFbaStock' | 'readStockLocations'>, port: Pick<StockPort, 'shopLocations'>): boolean {
  return Boolean(adapter.readFbaStock) || (Boolean(adapter.readStockLocations) && port.shopLocations().some((l) => l.linkedLocationId !== null));
}

export async function readMarketplaceStock(adapter: MarketplacePort, port: StockPort, channels: readonly string[], opts: { command: string; shopLocations: 'linked-only' | 'always' }): Promise<StockReadOutcome> {
  const out: StockReadOutcome = {};
  if (adapter.readFbaStock) out.fba = applyFbaStock(port, await adapter.readFbaStock(channels), opts.command);
  if (adapter.readStockLocations && adapter.readLocationLevels) {
    const linked = port.shopLocations().some((l) => l.linkedLocationId !== null);
    if (linked || opts.shopLocations === 'always') {
      const read = adapter.readLocationLevels.bind(adapter);
      // Without a link no levels are read (see above): the list only.
      out.shopify = await applyShopLocations(port, await adapter.readStockLocations(), linked ? read : async () => [], opts.command);
    }
  }
  return out;
}
