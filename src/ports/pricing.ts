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
  /** How many variants the catalogue holds (all of them: a cheap upper bound of activeVariants()). */
  variantCount(): number;
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

/**
 * A run's price writes, begun before its prices are solved so that a large run's writing overlaps its
 * solving (PricesRepo.begin). Nothing is visible to anyone until commit(); abort() or an error leaves
 * the store as it was.
 */
export interface PriceWriter {
  /** One price: its listing's new price (its wanted price: the next sync tells the marketplace) and its history row, in order. */
  add(price: NewPrice): void;
  /** Everything added, with the run's audit entry, in one transaction; throws what the store threw (then nothing was written). */
  commit(audit: AuditEntry): Promise<void>;
  /** Drop everything added. Safe after commit or a failure. */
  abort(): void;
}

export interface PricesRepo {
  /**
   * Start a run's writes at `at`. `expected` is how many prices it may add at most: a large run writes
   * on a thread of its own while the caller solves.
   */
  begin(at: string, expected: number): PriceWriter;
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
