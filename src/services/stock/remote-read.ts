// Reading the stock a marketplace holds or reports, into merchant's read-only locations: Amazon FBA per
// storefront (fba.ts) and the Shopify locations (shopify-locations.ts). Used by `merchant sync` (before
// it plans) and by `merchant stock locations refresh` (which pushes nothing).
//
// FBA stock: sync reads the storefronts that have Amazon-fulfilled listings (as learnt from the
// listings) or orders, or an FBA location already, so a seller without FBA pays no request; `stock locations
// refresh` asks every Amazon storefront of the account (to find FBA stock merchant does not know of).
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

/** The storefronts whose FBA stock sync reads (see above). */
export function syncFbaChannels(channels: readonly string[], port: Pick<StockPort, 'fbaChannels'>): string[] {
  const known = new Set(port.fbaChannels());
  return channels.filter((c) => known.has(c));
}

/** Whether `merchant sync` reads FBA stock here (it costs requests): where there is some. */
export function syncReadsFba(adapter: Pick<MarketplacePort, 'readFbaStock'>, port: Pick<StockPort, 'fbaChannels'>, channels: readonly string[]): boolean {
  return Boolean(adapter.readFbaStock) && syncFbaChannels(channels, port).length > 0;
}

/** Whether `merchant sync` reads the shop's locations: once one is linked. */
export function syncReadsLocations(adapter: Pick<MarketplacePort, 'readStockLocations'>, port: Pick<StockPort, 'shopLocations'>): boolean {
  return Boolean(adapter.readStockLocations) && port.shopLocations().some((l) => l.linkedLocationId !== null);
}

export async function readMarketplaceStock(adapter: MarketplacePort, port: StockPort, channels: readonly string[], opts: { command: string; shopLocations: 'linked-only' | 'always' | 'never'; fba: 'known' | 'all' | 'none' }): Promise<StockReadOutcome> {
  const out: StockReadOutcome = {};
  const fbaChannels = opts.fba === 'all' ? [...channels] : opts.fba === 'known' ? syncFbaChannels(channels, port) : [];
  if (adapter.readFbaStock && fbaChannels.length) out.fba = applyFbaStock(port, await adapter.readFbaStock(fbaChannels), opts.command);
  if (adapter.readStockLocations && adapter.readLocationLevels && opts.shopLocations !== 'never') {
    const linked = port.shopLocations().some((l) => l.linkedLocationId !== null);
    if (linked || opts.shopLocations === 'always') {
      const read = adapter.readLocationLevels.bind(adapter);
      // Without a link no levels are read (see above): the list only.
      out.shopify = await applyShopLocations(port, await adapter.readStockLocations(), linked ? read : async () => [], opts.command);
    }
  }
  return out;
}
