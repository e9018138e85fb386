// Reads of the catalogue tables (0002, owned by the import area) and writes to channel_listings that
// pricing needs. Money columns arrive as BigInt.

import type { Store } from '../../store/db.js';

export interface VariantCost {
  id: bigint;
  sku: string;
  costMinor: bigint | null;
  costCurrency: string | null;
  landedMinor: bigint;
}

interface VariantRow {
  id: bigint;
  sku: string;
  cost_minor: bigint | null;
  cost_currency: string | null;
  currency: string | null;
  landed_cost_minor: bigint | null;
}

const VARIANT_SQL = `SELECT v.id, v.sku, v.cost_minor, v.cost_currency, v.currency, v.landed_cost_minor
  FROM variants v JOIN products p ON p.id = v.product_id
  WHERE v.status = 'active' AND p.status <> 'archived'`;

function toCost(r: VariantRow, fallbackCurrency: string | null): VariantCost {
  return {
    id: r.id,
    sku: r.sku,
    costMinor: r.cost_minor,
    // The cost currency column; a catalogue without one is costed in the variant's price currency,
    // then the business's base currency.
    costCurrency: r.cost_currency ?? r.currency ?? fallbackCurrency,
    landedMinor: r.landed_cost_minor ?? 0n,
  };
}

export function baseCurrency(store: Store): string | null {
  const row = store.db.prepare('SELECT base_currency FROM business_profile WHERE id = 1').get() as { base_currency: string } | undefined;
  return row?.base_currency ?? null;
}

export function activeVariants(store: Store): VariantCost[] {
  const base = baseCurrency(store);
  return (store.db.prepare(`${VARIANT_SQL} ORDER BY v.sku`).all() as VariantRow[]).map((r) => toCost(r, base));
}

export function variantBySku(store: Store, sku: string): VariantCost | undefined {
  const row = store.db
    .prepare('SELECT id, sku, cost_minor, cost_currency, currency, landed_cost_minor FROM variants WHERE sku = ?')
    .get(sku) as VariantRow | undefined;
  return row ? toCost(row, baseCurrency(store)) : undefined;
}

export interface ListingPrice {
  id: bigint;
  variantId: bigint;
  channel: string;
  priceMinor: bigint | null;
  currency: string | null;
  status: string;
}

export function listingsFor(store: Store, channels: readonly string[]): Map<string, ListingPrice> {
  const out = new Map<string, ListingPrice>();
  const stmt = store.db.prepare('SELECT id, variant_id, channel, price_minor, currency, status FROM channel_listings WHERE channel = ?');
  for (const ch of channels) {
    for (const r of stmt.iterate(ch) as Iterable<{ id: bigint; variant_id: bigint; channel: string; price_minor: bigint | null; currency: string | null; status: string }>) {
      out.set(`${r.variant_id}|${r.channel}`, { id: r.id, variantId: r.variant_id, channel: r.channel, priceMinor: r.price_minor, currency: r.currency, status: r.status });
    }
  }
  return out;
}
