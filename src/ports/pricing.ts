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

/**
 * One channel's listings as a re-price reads them: found by variant, then read by position. (Half a
 * million listings are read as columns, not as an object each: see store/repos/pricing.ts.)
 */
export interface ChannelListingPrices {
  /** The position of the variant's listing on the channel, or -1 when it has none. */
  find(variantId: bigint): number;
  listingId(at: number): bigint;
  /** The listing's price in minor units when it is in the currency asked for; else null. */
  priceIn(at: number): bigint | null;
  /** A removed listing is not priced again. */
  removed(at: number): boolean;
}

/** The catalogue as pricing sees it. */
export interface CatalogueCostsRepo {
  /** The business profile's base currency, or null before onboarding. */
  baseCurrency(): string | null;
  /** Active variants of products that are not archived, by SKU. */
  activeVariants(): VariantCost[];
  variantBySku(sku: string): VariantCost | undefined;
  /** The listings on one channel, with their prices where they are in `currency`. */
  listingPrices(channel: string, currency: string): ChannelListingPrices;
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

/**
 * What a run's prices on one channel under one rule and one rate share: recorded once per run
 * (the price history's basis), not once per price. Pass the same object for every price it explains.
 */
export interface PriceBasis {
  channel: string;
  /** the channel's currency: the new prices' currency */
  currency: string;
  rule: string;
  /** the exact rate as text (units of the channel currency per unit of the cost currency), "1" when the same */
  rate: string;
  /** null when cost and channel share a currency (no rate was looked up) */
  rateDate: string | null;
  source: string | null;
}

export interface NewPrice {
  basis: PriceBasis;
  variantId: bigint;
  /** The listing to update; null creates an active one. */
  listingId: bigint | null;
  oldMinor: bigint | null;
  newMinor: bigint;
  /** the exact solved price P before rounding, as a reduced fraction ("1234/5") */
  solved: string;
  /** the clamp that decided the price, if any */
  bound: 'min' | 'max' | null;
  /** whether the minimum fee applied */
  minFee: boolean;
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
