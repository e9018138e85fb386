// Shopify locations (issue #19). `merchant sync` reads the shop's locations (inactive ones too) into
// read-only merchant locations of kind `shopify` (shopify-studio, shopify-warehouse-malmo…). A Shopify
// location is either
//   linked to a merchant location (`stock locations link shopify-studio home`): merchant pushes that
//     location's available stock (inventory rules applied) to it, and nothing else; its own levels are
//     not kept (the merchant location is where the stock is counted), or
//   not linked: merchant never pushes to it, and keeps its levels as Shopify reports them (read on
//     every sync): stock the seller manages in Shopify (a shop counter, a pop-up), seen in `stock list`.
// Without any link, pushes go to the one location configured for the account (shopify.location, else
// the primary one), as before.

import { NotFoundError, UsageError } from '../../core/errors.js';
import type { RemoteLocationLevel, RemoteStockLocation } from '../../ports/marketplace.js';
import type { ShopLocation, StockPort } from '../../ports/stock.js';
import { requireLocation } from './manage.js';

export interface ShopLocationsOutcome {
  location: string;
  name: string;
  active: boolean;
  linked: string | null;
  /** Levels read (not linked, active), else 0. */
  skus: number;
  changed: number;
  unknownSkus: string[];
}

/** shopify-<the name in lower-case ASCII>, e.g. "Warehouse Malmö" → shopify-warehouse-malmo. */
export function shopLocationCode(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `shopify-${slug || 'location'}`.slice(0, 40).replace(/-+$/, '');
}

export async function applyShopLocations(port: StockPort, read: readonly RemoteStockLocation[], readLevels: (remoteId: string) => Promise<RemoteLocationLevel[]>, command: string): Promise<ShopLocationsOutcome[]> {
  const out: ShopLocationsOutcome[] = [];
  const seen = new Set(read.map((l) => l.remoteId));
  // Locations deleted in Shopify since the last read: inactive (their history stays).
  for (const gone of port.shopLocations().filter((l) => !seen.has(l.remoteId) && l.active)) {
    port.tx(() => {
      port.saveShopLocation({ marketplace: 'shopify', remoteId: gone.remoteId, name: gone.name, country: gone.country, active: false });
      const loc = port.ensureRemoteLocation({ code: shopLocationCode(gone.name), name: `Shopify: ${gone.name}`, kind: 'shopify', country: gone.country, marketplace: 'shopify', remoteId: gone.remoteId, active: false });
      port.replaceRemoteLevels(loc.id, [], command);
    });
  }
  const links = new Map(port.shopLocations().map((l) => [l.remoteId, l]));
  for (const r of read) {
    const linkedId = links.get(r.remoteId)?.linkedLocationId ?? null;
    // Levels are read only where merchant does not push: active locations that are not linked.
    const levels = r.active && linkedId === null ? await readLevels(r.remoteId) : [];
    const ids = port.variantIds(levels.map((l) => l.sku));
    const unknownSkus = levels.filter((l) => !ids.has(l.sku)).map((l) => l.sku);
    const result = port.tx(() => {
      port.saveShopLocation({ marketplace: 'shopify', remoteId: r.remoteId, name: r.name, country: r.country, active: r.active });
      const loc = port.ensureRemoteLocation({ code: shopLocationCode(r.name), name: `Shopify: ${r.name}`, kind: 'shopify', country: r.country, marketplace: 'shopify', remoteId: r.remoteId, active: r.active });
      const rows = levels.flatMap((l) => {
        const vid = ids.get(l.sku);
        if (vid === undefined) return [];
        const onHand = Math.max(0, l.onHand);
        return [{ variantId: vid, sku: l.sku, onHand, reserved: Math.max(0, onHand - Math.max(0, l.available)), inbound: Math.max(0, l.incoming), unfulfillable: 0, reason: `read from Shopify location ${r.name}` }];
      });
      const changed = port.replaceRemoteLevels(loc.id, rows, command);
      return { loc, changed, skus: rows.length };
    });
    out.push({ location: result.loc.code, name: r.name, active: r.active, linked: linkedId === null ? null : links.get(r.remoteId)?.linked ?? null, skus: result.skus, changed: result.changed, unknownSkus });
  }
  return out;
}

function requireShopLocation(port: StockPort, code: string): ShopLocation {
  const want = code.trim().toLowerCase();
  const all = port.shopLocations();
  const l = all.find((x) => x.code === want) ?? all.find((x) => x.name.toLowerCase() === want);
  if (!l) {
    throw new NotFoundError(`no Shopify location "${code}"`, {
      hints: [all.length ? `Shopify locations: ${all.map((x) => `${x.code} (${x.name}${x.active ? '' : ', inactive'})`).join(', ')}` : 'none read yet: `merchant sync --only inventory` reads the shop\'s locations', '`merchant stock locations list` shows every location'],
    });
  }
  return l;
}

/** Link a Shopify location to the merchant location whose stock it sells; every Shopify listing is queued for a push. */
export function linkShopLocation(port: StockPort, shopCode: string, locationCode: string): { shopify: string; name: string; location: string; queued: number } {
  const shop = requireShopLocation(port, shopCode);
  if (!shop.active) throw new UsageError(`the Shopify location ${shop.code} (${shop.name}) is not active: Shopify refuses stock there; activate it in Shopify admin → Settings → Locations, then run \`merchant sync --only inventory\``);
  const target = requireLocation(port, locationCode);
  if (target.kind === 'fba' || target.kind === 'shopify') {
    throw new UsageError(`${target.code} is ${target.kind === 'fba' ? "Amazon's (FBA)" : 'a Shopify location'}: link ${shop.code} to a location merchant keeps the stock of (home, a warehouse or a 3PL)`);
  }
  const other = port.shopLocations().find((x) => x.linkedLocationId === target.id && x.remoteId !== shop.remoteId);
  if (other) throw new UsageError(`${target.code} already sells through the Shopify location ${other.code} (${other.name}): the same units would be offered twice; unlink it first (\`merchant stock locations unlink ${other.code}\`)`);
  return port.tx(() => {
    port.setShopLocationLink('shopify', shop.remoteId, target.id);
    const own = shop.code ? port.location(shop.code) : undefined;
    // Its stock is now counted at the merchant location: the levels read from Shopify are dropped.
    if (own) port.replaceRemoteLevels(own.id, [], 'stock locations link');
    const queued = port.queueMarketplaceInventory('shopify', `Shopify location ${shop.name} linked to ${target.code}`);
    return { shopify: shop.code ?? shop.remoteId, name: shop.name, location: target.code, queued };
  });
}

export function unlinkShopLocation(port: StockPort, shopCode: string): { shopify: string; name: string; was: string | null; queued: number } {
  const shop = requireShopLocation(port, shopCode);
  if (shop.linkedLocationId === null) throw new UsageError(`the Shopify location ${shop.code} (${shop.name}) is not linked`);
  return port.tx(() => {
    port.setShopLocationLink('shopify', shop.remoteId, null);
    const queued = port.queueMarketplaceInventory('shopify', `Shopify location ${shop.name} unlinked`);
    return { shopify: shop.code ?? shop.remoteId, name: shop.name, was: shop.linked, queued };
  });
}
