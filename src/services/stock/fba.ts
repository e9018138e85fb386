// Amazon FBA stock (issue #19): what Amazon holds for the seller per storefront, read on `merchant sync`
// (FBA Inventory API getInventorySummaries, through the adapter) into one `fba` location per storefront
// (fba-uk, fba-de…). The location belongs to Amazon: its levels are replaced by each read and never
// changed by hand (manage.ts refuses set/adjust/move/import there). Levels:
//   on hand       = fulfillable + reserved (units in Amazon's fulfilment centres that can be sold or are held for orders)
//   reserved      = totalReservedQuantity (pending customer orders, transshipment, FC processing)
//   available     = on hand − reserved = fulfillable
//   inbound       = inbound working + shipped + receiving
//   unfulfillable = damaged, defective or expired units (still the seller's, not for sale)
// A SKU Amazon no longer reports goes to 0. FBA stock never feeds a merchant-fulfilled offer: a
// channel cannot be mapped to an FBA location, and FBA listings never get a quantity from merchant.

import type { FbaStockRead } from '../../ports/marketplace.js';
import type { StockPort } from '../../ports/stock.js';

export interface FbaReadOutcome {
  channel: string;
  /** The merchant location the storefront's FBA stock is kept in; null when Amazon holds nothing there and there was no location yet. */
  location: string | null;
  skus: number;
  changed: number;
  /** SKUs Amazon reported that the catalogue does not have (not stored). */
  unknownSkus: string[];
}

const COUNTRY_NAMES: Record<string, string> = { GB: 'UK', US: 'US', DE: 'Germany', FR: 'France', IT: 'Italy', ES: 'Spain', NL: 'Netherlands', SE: 'Sweden', PL: 'Poland', BE: 'Belgium', IE: 'Ireland', CA: 'Canada', MX: 'Mexico', JP: 'Japan', AU: 'Australia' };

/** The code of a storefront's FBA location: fba-<the storefront's suffix> (amazon-uk → fba-uk). */
export function fbaLocationCode(channel: string): string {
  return `fba-${channel.replace(/^amazon-/, '')}`.toLowerCase().slice(0, 40);
}

export function applyFbaStock(port: StockPort, reads: readonly FbaStockRead[], command: string): FbaReadOutcome[] {
  const out: FbaReadOutcome[] = [];
  for (const r of reads) {
    const existing = port.locations().find((l) => l.kind === 'fba' && l.marketplace === 'amazon' && l.remoteId === r.marketplaceId);
    if (!r.items.length && !existing) {
      out.push({ channel: r.channel, location: null, skus: 0, changed: 0, unknownSkus: [] });
      continue;
    }
    const ids = port.variantIds(r.items.map((i) => i.sku));
    const unknownSkus = r.items.filter((i) => !ids.has(i.sku)).map((i) => i.sku);
    // The same SKU twice (two conditions of one SKU are two summaries): their units add up.
    const bySku = new Map<string, { variantId: number; sku: string; onHand: number; reserved: number; inbound: number; unfulfillable: number }>();
    for (const i of r.items) {
      const vid = ids.get(i.sku);
      if (vid === undefined) continue;
      const cur = bySku.get(i.sku) ?? { variantId: vid, sku: i.sku, onHand: 0, reserved: 0, inbound: 0, unfulfillable: 0 };
      cur.onHand += i.fulfillable + i.reserved;
      cur.reserved += i.reserved;
      cur.inbound += i.inbound;
      cur.unfulfillable += i.unfulfillable;
      bySku.set(i.sku, cur);
    }
    const result = port.tx(() => {
      const loc = port.ensureRemoteLocation({
        code: fbaLocationCode(r.channel),
        name: `Amazon FBA ${COUNTRY_NAMES[r.country] ?? r.country} (${r.channel})`,
        kind: 'fba',
        country: r.country,
        marketplace: 'amazon',
        remoteId: r.marketplaceId,
        channel: r.channel,
      });
      const changed = port.replaceRemoteLevels(loc.id, [...bySku.values()].map((x) => ({ ...x, reason: `FBA stock read from ${r.channel}` })), command);
      return { loc, changed };
    });
    out.push({ channel: r.channel, location: result.loc.code, skus: bySku.size, changed: result.changed, unknownSkus });
  }
  return out;
}
