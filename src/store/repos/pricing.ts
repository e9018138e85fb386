// Pricing's repositories: catalogue costs (variants/products/business_profile, 0001–0002), the
// seller's channels (0001), price rules (price_rules), and price writes (channel_listings,
// the compact price history of migration 290 — price_bases and price_changes).

import type { Store } from '../db.js';
import type {
  CatalogueCostsRepo,
  ChannelRecord,
  ChannelsRepo,
  ChannelListingPrices,
  PriceWriter,
  PriceRuleRecord,
  PriceRulesRepo,
  PricesRepo,
  VariantCost,
} from '../../ports/pricing.js';
import { priceWriter } from './price-writer.js';

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

  variantCount(): number {
    return Number(this.store.db.prepare('SELECT count(*) FROM variants').pluck().get() as bigint);
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

  listingPrices(channel: string, currency: string): ChannelListingPrices {
    // better-sqlite3 makes a JS value per column per row (~2 µs a row); for the 500,000 listings of a
    // big re-price that was the largest read. SQLite packs each column into one JSON array of numbers
    // instead, parsed in one go. JSON numbers are exact only up to 2^53: when an id or price is beyond
    // that, the columns are read row by row as BigInt.
    const row = this.store.db
      .prepare(
        `SELECT json_group_array(variant_id), json_group_array(id), json_group_array(CASE WHEN currency = ? THEN price_minor END),
                json_group_array(status = 'removed'),
                max(coalesce(max(abs(price_minor)), 0), coalesce(max(id), 0), coalesce(max(variant_id), 0)) <= ${Number.MAX_SAFE_INTEGER}
           FROM channel_listings WHERE channel = ?`,
      )
      .raw(true)
      .get(currency, channel) as [string, string, string, string, bigint];
    if (row[4] === 1n) {
      const at = new Map<number, number>();
      const variantIds = JSON.parse(row[0]) as number[];
      for (let i = 0; i < variantIds.length; i++) at.set(variantIds[i]!, i);
      // (A variant id beyond 2^53 rounds to a number no listing here has: every one here is below.)
      return columnPrices((v) => at.get(Number(v)) ?? -1, JSON.parse(row[1]) as number[], JSON.parse(row[2]) as Array<number | null>, JSON.parse(row[3]) as number[]);
    }
    const cols: [bigint[], bigint[], Array<bigint | null>, number[]] = [[], [], [], []];
    const stmt = this.store.db.prepare(`SELECT variant_id, id, CASE WHEN currency = ? THEN price_minor END, status = 'removed' FROM channel_listings WHERE channel = ?`).raw(true);
    for (const r of stmt.iterate(currency, channel) as Iterable<[bigint, bigint, bigint | null, bigint]>) {
      cols[0].push(r[0]);
      cols[1].push(r[1]);
      cols[2].push(r[2]);
      cols[3].push(Number(r[3]));
    }
    const at = new Map<bigint, number>();
    cols[0].forEach((v, i) => at.set(v, i));
    return columnPrices((v) => at.get(v) ?? -1, cols[1], cols[2], cols[3]);
  }
}

/** A channel's listings from columns (numbers when every value is a safe integer, else BigInt). */
function columnPrices(
  find: (variantId: bigint) => number,
  ids: ReadonlyArray<number | bigint>,
  prices: ReadonlyArray<number | bigint | null>,
  removed: readonly number[],
): ChannelListingPrices {
  return {
    find,
    listingId: (i) => BigInt(ids[i]!),
    priceIn: (i) => {
      const p = prices[i];
      return p === null || p === undefined ? null : BigInt(p);
    },
    removed: (i) => removed[i] === 1,
  };
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
 * Price writes (migration 290): each price becomes a price_changes row under a price_bases row made
 * once per basis, and its listing is set from it — see store/repos/price-writes.ts for the SQL and
 * store/repos/price-writer.ts for the writer thread of a large run.
 */
export class SqlitePrices implements PricesRepo {
  constructor(private readonly store: Store) {}

  begin(at: string, expected: number): PriceWriter {
    return priceWriter(this.store, at, expected);
  }
}
