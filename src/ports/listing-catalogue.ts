// What `listings import | list | show | export` need from the stored catalogue: products, variants,
// stock, storefront listings, the import runs. Implemented over SQLite by src/store/repos/catalog.ts
// (CatalogWriter, BulkLoad, the catalogue reads) behind src/store/repos/listing-catalogue.ts; the
// services never see SQL. Rows are plain objects, money bigint minor units.

export interface VariantKey {
  id: bigint;
  product_id: bigint;
  content_hash: string | null;
}

export interface VariantRow {
  id: bigint;
  product_id: bigint;
  sku: string;
  title: string | null;
  options_json: string | null;
  barcode: string | null;
  price_minor: bigint | null;
  currency: string | null;
  compare_at_minor: bigint | null;
  cost_minor: bigint | null;
  cost_currency: string | null;
  landed_cost_minor: bigint | null;
  weight_grams: bigint | null;
  length_mm: bigint | null;
  width_mm: bigint | null;
  height_mm: bigint | null;
  hs_code: string | null;
  origin_country: string | null;
  image_url: string | null;
  status: string;
  content_hash: string | null;
  updated_at: string;
}

export interface ProductRow {
  id: bigint;
  handle: string;
  title: string;
  description: string | null;
  vendor: string | null;
  brand: string | null;
  product_type: string | null;
  tags: string | null;
  status: string;
  content_hash: string | null;
}

export interface ListingRow {
  id: bigint;
  variant_id: bigint;
  channel: string;
  status: string;
  price_minor: bigint | null;
  currency: string | null;
  quantity: bigint | null;
  remote_id: string | null;
  /** The SKU the storefront knows the listing by, when stored (migration 120); NULL = convention. */
  remote_sku?: string | null;
  /** The storefront's listing (item) id, when known (migration 120). */
  remote_listing_id?: string | null;
  acked_price_minor: bigint | null;
  acked_quantity: bigint | null;
  acked_status: string | null;
  acked_at: string | null;
}

export const VARIANT_COLUMNS = [
  'title', 'options_json', 'barcode', 'price_minor', 'currency', 'compare_at_minor', 'cost_minor', 'cost_currency',
  'landed_cost_minor', 'weight_grams', 'length_mm', 'width_mm', 'height_mm', 'hs_code', 'origin_country', 'image_url',
] as const;
export type VariantColumn = (typeof VARIANT_COLUMNS)[number];

export const PRODUCT_COLUMNS = ['title', 'description', 'vendor', 'brand', 'product_type', 'tags', 'status'] as const;
export type ProductColumn = (typeof PRODUCT_COLUMNS)[number];


/** A storefront listing for a variant being loaded. */
export interface ListingSeed {
  channel: string;
  price: bigint | null;
  currency: string | null;
  quantity: bigint | null;
}

/** A queued row the SKU index refused: a duplicate of an earlier row. */
export interface Refused {
  tag: unknown;
  productId: bigint;
  sku: string;
}


export interface ImportRunRow {
  id: bigint;
  fingerprint: string;
  created: bigint;
  updated: bigint;
  unchanged: bigint;
  rejected: bigint;
}


export interface CatalogueRow extends VariantRow {
  handle: string;
  product_title: string;
  description: string | null;
  vendor: string | null;
  brand: string | null;
  product_type: string | null;
  tags: string | null;
  product_status: string;
  on_hand: bigint | null;
  reserved: bigint | null;
  channels: string | null;
}

export interface CatalogueFilter {
  sku?: string;
  handle?: string;
  channel?: string;
  search?: string;
  status?: string;
  limit?: number;
}


type ProductValues = Record<ProductColumn, string | null>;
type VariantValues = Record<VariantColumn, string | bigint | null>;
export type ChangeKind = 'listing' | 'price' | 'inventory' | 'delist';

/**
 * The fresh-catalogue load (the first file of an import into an empty catalogue): every SKU is new, so
 * rows are queued and inserted in batches; a duplicate SKU comes back as Refused when its batch goes in.
 */
export interface CatalogueBulkLoad {
  /** A new product; undefined when the handle is taken (it came earlier in this file). */
  insertProduct(handle: string, v: ProductValues, hash: string): bigint | undefined;
  /** Removes a product this load created that has no variant left; true if it did. */
  dropEmptyProduct(id: bigint): boolean;
  /** Queues a variant (its stock and listings with it); returns the rows a batch written now refused. */
  addVariant(tag: unknown, productId: bigint, sku: string, v: VariantValues, hash: string | null, line: number, onHand: bigint | undefined, listings: readonly ListingSeed[]): Refused[];
  /** Writes what is queued; returns the refused rows. */
  flush(): Refused[];
  /** The line a loaded SKU came from. */
  firstLine(sku: string): number | undefined;
  /** Writes what is still batched; how many new listings are queued for sync, and the last refused rows. */
  finish(): { outbox: number; refused: Refused[] };
}

/**
 * One import run's writes, in ONE transaction held across the file stream (begin … commit/rollback): a
 * kill at any point leaves the catalogue as before. (An import's transaction spans awaits, so it is
 * this explicit pair, not a synchronous tx(fn).)
 */
export interface CatalogueImportWriter {
  begin(): void;
  commit(): void;
  rollback(): void;
  /** The fresh-catalogue load path, inside this writer's transaction. */
  bulk(at: string): CatalogueBulkLoad;
  /** Records a SKU as seen in file number `file`; the line where that file had it first when it is a duplicate. */
  markSeen(file: number, sku: string, line: number): number | undefined;
  isEmpty(): boolean;
  variantKey(sku: string): VariantKey | undefined;
  variant(id: bigint): VariantRow;
  product(handle: string): ProductRow | undefined;
  productById(id: bigint): ProductRow;
  insertProduct(handle: string, v: ProductValues, hash: string, at: string): bigint;
  updateProduct(id: bigint, v: ProductValues, hash: string, at: string): void;
  setProductHash(id: bigint, hash: string): void;
  insertVariant(productId: bigint, sku: string, v: VariantValues, hash: string | null, at: string): bigint;
  updateVariant(id: bigint, v: VariantValues, hash: string | null, at: string): void;
  setVariantHash(id: bigint, hash: string | null): void;
  onHand(variantId: bigint): bigint | undefined;
  setOnHand(variantId: bigint, qty: bigint, exists: boolean, at: string): void;
  /** Option names of a product, from the first of its variants that has options ([] when none has). */
  productOptionNames(productId: bigint): string[];
  /** The storefront listings (not removed) of every variant of a product. */
  productListings(productId: bigint): Array<{ sku: string; channel: string }>;
  listings(variantId: bigint): ListingRow[];
  insertListing(variantId: bigint, channel: string, status: string, price: bigint | null, currency: string | null, qty: bigint | null, at: string): void;
  updateListing(id: bigint, status: string, price: bigint | null, currency: string | null, qty: bigint | null, at: string): void;
  /** Queues a change for sync (the listing's pending state, or an outbox row when no listing carries it). */
  enqueue(channel: string, marketplace: string, sku: string, kind: ChangeKind, payloadJson: string, at: string): void;
}

/** `listings import`: the run fingerprints, the shop currency, and a writer per run. */
export interface ListingImportRepo {
  hasImportRuns(): boolean;
  /** The last committed run with this fingerprint, if no later run changed the catalogue. */
  unchangedSince(fingerprint: string): ImportRunRow | undefined;
  recordImportRun(r: { at: string; fingerprint: string; files: unknown; created: number; updated: number; unchanged: number; rejected: number }): void;
  /** The Shopify channel's currency, else the business's base currency. */
  shopCurrency(): string | undefined;
  /** Prepared statements for one import run (bounded page caches, the run's scratch tables). */
  writer(): CatalogueImportWriter;
}

/** `listings list | show | export`: the catalogue read back. */
export interface CatalogueReadRepo {
  /** Variants with their product, stock and channel listings, in product and variant order (streamed). */
  iterate(filter?: CatalogueFilter): IterableIterator<CatalogueRow>;
  listingsForSku(sku: string): ListingRow[];
  /** Sync work still open for a SKU: unfinished outbox rows, then the kinds its listings' state still wants. */
  pendingForSku(sku: string): Array<{ channel: string; kind: string; state: string; created_at: string }>;
}
