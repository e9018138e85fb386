// Pricing's repositories: catalogue costs (variants/products/business_profile, 0001–0002), the
// seller's channels (0001), price rules (price_rules), and price writes (channel_listings,
// price_history and the outbox, one statement each, prepared once per store).

import type { Store } from '../db.js';
import type {
  CatalogueCostsRepo,
  ChannelRecord,
  ChannelsRepo,
  ListingPrice,
  NewPrice,
  PriceRuleRecord,
  PriceRulesRepo,
  PricesRepo,
  VariantCost,
} from '../../ports/pricing.js';
import { KIND_BITS, syncWantedSet } from './sync-state.js';

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
    costCurrency: r.cost_currency ?? r.currency ?? fallbackCurrency,
    landedMinor: r.landed_cost_minor ?? 0n,
  };
}

export class SqliteCatalogueCosts implements CatalogueCostsRepo {
  constructor(private readonly store: Store) {}

  baseCurrency(): string | null {
    const row = this.store.db.prepare('SELECT base_currency FROM business_profile WHERE id = 1').get() as { base_currency: string } | undefined;
    return row?.base_currency ?? null;
  }

  activeVariants(): VariantCost[] {
    const base = this.baseCurrency();
    // Rows as arrays (100,000 of them on a big catalogue): one object each, the VariantCost.
    const out: VariantCost[] = [];
    for (const r of this.store.db.prepare(`${VARIANT_SQL} ORDER BY v.sku`).raw(true).iterate() as Iterable<[bigint, string, bigint | null, string | null, string | null, bigint | null]>) {
      out.push({ id: r[0], sku: r[1], costMinor: r[2], costCurrency: r[3] ?? r[4] ?? base, landedMinor: r[5] ?? 0n });
    }
    return out;
  }

  variantBySku(sku: string): VariantCost | undefined {
    const row = this.store.db.prepare('SELECT id, sku, cost_minor, cost_currency, currency, landed_cost_minor FROM variants WHERE sku = ?').get(sku) as VariantRow | undefined;
    return row ? toCost(row, this.baseCurrency()) : undefined;
  }

  listingsByVariant(channel: string): Map<bigint, ListingPrice> {
    const out = new Map<bigint, ListingPrice>();
    const stmt = this.store.db.prepare('SELECT id, variant_id, price_minor, currency, status FROM channel_listings WHERE channel = ?').raw(true);
    for (const r of stmt.iterate(channel) as Iterable<[bigint, bigint, bigint | null, string | null, string]>) {
      out.set(r[1], { id: r[0], variantId: r[1], channel, priceMinor: r[2], currency: r[3], status: r[4] });
    }
    return out;
  }
}

export class SqliteChannels implements ChannelsRepo {
  constructor(private readonly store: Store) {}

  all(): ChannelRecord[] {
    const rows = this.store.db.prepare('SELECT code, marketplace, currency, prices_include_tax, vat_rate, enabled FROM channels ORDER BY code').all() as Array<{
      code: string;
      marketplace: string;
      currency: string;
      prices_include_tax: bigint;
      vat_rate: string | null;
      enabled: bigint;
    }>;
    return rows.map((r) => ({
      code: r.code,
      marketplace: r.marketplace,
      currency: r.currency,
      pricesIncludeTax: r.prices_include_tax !== 0n,
      vatRate: r.vat_rate,
      enabled: r.enabled !== 0n,
    }));
  }
}

interface RuleRow {
  id: bigint;
  name: string;
  channel: string | null;
  sku_pattern: string | null;
  rule_json: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: RuleRow): PriceRuleRecord {
  return {
    id: Number(r.id),
    name: r.name,
    channel: r.channel,
    skuPattern: r.sku_pattern,
    spec: JSON.parse(r.rule_json) as unknown,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class SqlitePriceRules implements PriceRulesRepo {
  constructor(private readonly store: Store) {}

  all(): PriceRuleRecord[] {
    return (this.store.db.prepare('SELECT * FROM price_rules ORDER BY channel IS NULL, channel, sku_pattern IS NULL, sku_pattern, name').all() as RuleRow[]).map(fromRow);
  }

  byName(name: string): PriceRuleRecord | undefined {
    const r = this.store.db.prepare('SELECT * FROM price_rules WHERE name = ?').get(name) as RuleRow | undefined;
    return r ? fromRow(r) : undefined;
  }

  insert(rule: { name: string; channel: string | null; skuPattern: string | null; spec: unknown }, at: string): void {
    this.store.db
      .prepare('INSERT INTO price_rules (name, channel, sku_pattern, rule_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(rule.name, rule.channel, rule.skuPattern, JSON.stringify(rule.spec), at, at);
  }

  update(rule: { name: string; channel: string | null; skuPattern: string | null; spec: unknown }, at: string): void {
    this.store.db
      .prepare('UPDATE price_rules SET channel = ?, sku_pattern = ?, rule_json = ?, updated_at = ? WHERE name = ?')
      .run(rule.channel, rule.skuPattern, JSON.stringify(rule.spec), at, rule.name);
  }

  remove(name: string): boolean {
    return this.store.db.prepare('DELETE FROM price_rules WHERE name = ?').run(name).changes > 0;
  }
}

/**
 * Price writes. A new price is the listing's wanted price: the same UPDATE sets its price-pending bit
 * (store/repos/sync-state.ts), so the sync plan finds it through the partial index — no outbox row per
 * price, nothing to supersede. Statements are prepared once per repository.
 */
export class SqlitePrices implements PricesRepo {
  constructor(private readonly store: Store) {}

  record(prices: Iterable<NewPrice>, at: string): void {
    const db = this.store.db;
    const insertListing = db.prepare(
      `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, sync_pending, sync_seq, created_at, updated_at)
       VALUES (?, ?, 'active', ?, ?, ${KIND_BITS.price}, 1, ?, ?)`,
    );
    const updateListing = db.prepare(`UPDATE channel_listings SET price_minor = ?, currency = ?, updated_at = ?, ${syncWantedSet('price')} WHERE id = ?`);
    const history = db.prepare(
      `INSERT INTO price_history (variant_id, channel, old_minor, new_minor, currency, rule_name, rate_date, explain_json, changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const p of prices) {
      if (p.listingId === null) insertListing.run(p.variantId, p.channel, p.newMinor, p.currency, at, at);
      else updateListing.run(p.newMinor, p.currency, at, p.listingId);
      history.run(p.variantId, p.channel, p.oldMinor, p.newMinor, p.currency, p.rule, p.rateDate, p.explain, at);
    }
  }
}
