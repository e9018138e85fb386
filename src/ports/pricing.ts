// What pricing needs from the stored state: the catalogue's costs, the seller's channels, the
// pricing rules, and one place that records new prices (listing and its pending sync state, history).
// Plain objects; money in BigInt minor units.

export interface VariantCost {
  id: bigint;
  sku: string;
  costMinor: bigint | null;
  /** The cost currency; else the variant's price currency; else the business's base currency. */
  costCurrency: string | null;
  landedMinor: bigint;
}

export interface ListingPrice {
  id: bigint;
  variantId: bigint;
  channel: string;
  priceMinor: bigint | null;
  currency: string | null;
  status: string;
}

/** The catalogue as pricing sees it. */
export interface CatalogueCostsRepo {
  /** The business profile's base currency, or null before onboarding. */
  baseCurrency(): string | null;
  /** Active variants of products that are not archived, by SKU. */
  activeVariants(): VariantCost[];
  variantBySku(sku: string): VariantCost | undefined;
  /** The listings on one channel, keyed by variant id. */
  listingsByVariant(channel: string): Map<bigint, ListingPrice>;
}

/** A row of the seller's channels table. */
export interface ChannelRecord {
  code: string;
  marketplace: string;
  currency: string;
  pricesIncludeTax: boolean;
  vatRate: string | null;
  enabled: boolean;
}

export interface ChannelsRepo {
  /** The seller's channels (table rows), by code. */
  all(): ChannelRecord[];
}

export interface PriceRuleRecord {
  id: number;
  name: string;
  channel: string | null;
  skuPattern: string | null;
  /** The rule's parameters as saved (a JSON object). */
  spec: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface PriceRulesRepo {
  /** Every rule: per channel first (alphabetical), then by SKU pattern and name. */
  all(): PriceRuleRecord[];
  byName(name: string): PriceRuleRecord | undefined;
  insert(rule: { name: string; channel: string | null; skuPattern: string | null; spec: unknown }, at: string): void;
  update(rule: { name: string; channel: string | null; skuPattern: string | null; spec: unknown }, at: string): void;
  /** False when there was no such rule. */
  remove(name: string): boolean;
}

export interface NewPrice {
  variantId: bigint;
  /** The listing to update; null creates an active one. */
  listingId: bigint | null;
  sku: string;
  channel: string;
  marketplace: string;
  currency: string;
  oldMinor: bigint | null;
  newMinor: bigint;
  rule: string | null;
  rateDate: string | null;
  /** The explanation kept in the price history (JSON text). */
  explain: string;
}

export interface PricesRepo {
  /**
   * Record new prices: each listing's price (its wanted price: the marketplace is told by the next
   * sync) and a price-history row, in the order given. Call inside a unit of work. An iterable, so a
   * caller with 500,000 prices can make each one as it is written instead of holding them all.
   */
  record(prices: Iterable<NewPrice>, at: string): void;
}

export interface AuditEntry {
  at: string;
  command: string;
  entity: string;
  entityId?: string | null;
  action: string;
  detail?: unknown;
}

export interface AuditRepo {
  record(entry: AuditEntry): void;
}
