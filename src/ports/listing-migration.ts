// What `merchant marketplace migrate ebay` needs from eBay and from the local catalogue.
//
// eBay's Inventory API cannot see listings made in Seller Hub or with the Trading API: getOffers finds
// nothing for their SKUs until bulkMigrateListing converts them (an inventory item per SKU, an offer
// per listing, a location, a group for a multiple-variation listing). The Active Inventory Report (Sell
// Feed, LMS_ACTIVE_INVENTORY_REPORT) lists every active listing of a site, migrated or not.

/** One active listing of a site, as the Active Inventory Report gives it. */
export interface ActiveListing {
  listingId: string;
  marketplaceId: string;
  /** One SKU per item (per variation); null where an item has no SKU (custom label). */
  skus: Array<string | null>;
  variations: boolean;
}

/** An Inventory API offer, as getOffers returns it. */
export interface RemoteOffer {
  offerId: string;
  marketplaceId: string;
  format: string | null;
  status: string | null;
  listingId: string | null;
}

/** bulkMigrateListing's answer for one listing (it answers per listing: all of it migrated, or none). */
export interface MigrationOutcome {
  listingId: string;
  marketplaceId: string | null;
  ok: boolean;
  /** The per-listing statusCode eBay returned (null when there was no answer). */
  statusCode: number | null;
  /** sku/offerId pairs (offerId only when migrated; eBay returns the SKUs even on failure). */
  items: Array<{ sku: string; offerId: string | null }>;
  inventoryItemGroupKey?: string;
  errors: Array<{ code: string; message: string }>;
  warnings: Array<{ code: string; message: string }>;
  /** No definite answer (timeout, lost connection, server error): it may or may not have migrated. */
  unconfirmed?: boolean;
}

export interface ListingMigrationPort {
  /** bulkMigrateListing takes one to five listings per call. */
  readonly migrateBatchMax: number;
  /** Every active fixed-price listing on one eBay site (creates the report and waits for it). */
  activeListings(marketplaceId: string, progress?: (message: string) => void): Promise<ActiveListing[]>;
  /** Every SKU the Inventory API knows (getInventoryItems, all pages). */
  inventorySkus(): Promise<Set<string>>;
  /** The Inventory API offers of one eBay SKU. */
  offersOf(remoteSku: string): Promise<RemoteOffer[]>;
  /** One bulkMigrateListing call (≤ migrateBatchMax listings); one outcome per listing id. */
  migrate(listingIds: readonly string[]): Promise<MigrationOutcome[]>;
}

/** A local listing on an eBay storefront, with what merchant knows of it remotely. */
export interface LocalEbayListing {
  channel: string;
  sku: string;
  status: string;
  /** Stored mapping (null: the convention applies). */
  remoteSku: string | null;
  /** Cached offer id. */
  remoteId: string | null;
  /** eBay listing (item) id, once known. */
  remoteListingId: string | null;
}

export interface MigrationRecord {
  marketplace: string;
  channel: string;
  listingId: string;
  status: 'migrated' | 'failed' | 'unconfirmed';
  items: Array<{ ebaySku: string; sku: string | null; offerId: string | null }>;
  errorCode: string | null;
  errorMessage: string | null;
}

/** The local side: read the catalogue's eBay listings, store what migration learnt, atomically. */
export interface ListingMappingStore {
  ebayListings(channels: readonly string[]): LocalEbayListing[];
  /** Which of these SKUs exist in the local catalogue. */
  existingSkus(skus: readonly string[]): Set<string>;
  saveMapping(m: { channel: string; sku: string; remoteSku: string; offerId: string | null; listingId: string | null }, at: string): void;
  recordMigration(r: MigrationRecord, at: string): void;
  transaction<T>(fn: () => T): T;
}
