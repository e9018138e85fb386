// What `report stock` needs from local state: the stock positions (per SKU and location) now or at a
// past instant, with each SKU's catalogue cost. Implemented over SQLite by
// src/store/repos/stock-valuation.ts; the service (src/services/reports/stock.ts) never sees SQL.

export interface StockPosition {
  sku: string;
  location: string;
  locationName: string;
  /** The location's country (ISO 3166-1 alpha-2), or '' when unknown (a home warehouse without a profile). */
  locationCountry: string;
  /** Units on hand at the location (owned, physically there). May be negative when a location was oversold. */
  onHand: number;
  /** Units on their way to the location (a move not yet received): still owned, so still inventory. */
  inTransit: number;
  /** The catalogue's unit cost in minor units of costCurrency; null when the catalogue has none. */
  costMinor: bigint | null;
  /** The catalogue's landed cost per unit (freight, duty) in the same currency; 0 when none. */
  landedMinor: bigint;
  /** cost_currency, else the variant's price currency, else the business base currency; null when unknown. */
  costCurrency: string | null;
}

export interface StockPositionQuery {
  /**
   * An exclusive UTC bound ("YYYY-MM-DDTHH:MM:SS", no zone letter, so it compares correctly with stored
   * timestamps with or without milliseconds): the positions just before it, rebuilt from the movement
   * history. Absent: the current levels.
   */
  before?: string;
  /** Only this location (its code). */
  location?: string;
  /** Only these SKUs. */
  skus?: readonly string[];
}

export interface StockValuationSource {
  /** In SKU order, streamed. */
  positions(q: StockPositionQuery): Iterable<StockPosition>;
  /** Run `read` on one snapshot of the store: several passes over the positions see the same rows. */
  snapshot<T>(read: () => Promise<T>): Promise<T>;
  /** The first recorded movement (UTC ISO), or null when there is no history at all. */
  firstMovementAt(): string | null;
}
