// Catalogue access for listings import/list/show/export: products, variants, inventory, channel
// listings, import runs. Statements are prepared once per import (a million rows must not pay a
// prepare each), and the import holds one explicit transaction across its async stream.

import type { Store, Statement } from '../db.js';

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

/** Prepared statements for one import run, inside one transaction. */
export class CatalogWriter {
  private s: Record<string, Statement>;
  constructor(private readonly store: Store) {
    const db = store.db;
    // Bounded page caches (main 8 MiB, temp 2 MiB): they fill within the first ~100k rows, so memory
    // stays flat however long the file is.
    db.pragma('cache_size = -8000');
    db.pragma('temp.cache_size = -2000');
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS import_seen_v2 (file INTEGER NOT NULL, sku TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (file, sku)) WITHOUT ROWID`);
    const prep = (sql: string) => db.prepare(sql);
    this.s = {
      seen: prep('INSERT INTO temp.import_seen_v2 (file, sku, line) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      seenGet: prep('SELECT line FROM temp.import_seen_v2 WHERE file = ? AND sku = ?'),
      variantKey: prep('SELECT id, product_id, content_hash FROM variants WHERE sku = ?'),
      variant: prep('SELECT * FROM variants WHERE id = ?'),
      product: prep('SELECT * FROM products WHERE handle = ?'),
      productById: prep('SELECT * FROM products WHERE id = ?'),
      insProduct: prep(
        `INSERT INTO products (handle, title, description, vendor, brand, product_type, tags, status, content_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updProduct: prep(
        `UPDATE products SET title = ?, description = ?, vendor = ?, brand = ?, product_type = ?, tags = ?, status = ?, content_hash = ?, updated_at = ? WHERE id = ?`,
      ),
      productHash: prep('UPDATE products SET content_hash = ? WHERE id = ?'),
      insVariant: prep(
        `INSERT INTO variants (product_id, sku, ${VARIANT_COLUMNS.join(', ')}, content_hash, created_at, updated_at)
         VALUES (?, ?, ${VARIANT_COLUMNS.map(() => '?').join(', ')}, ?, ?, ?)`,
      ),
      updVariant: prep(`UPDATE variants SET ${VARIANT_COLUMNS.map((c) => `${c} = ?`).join(', ')}, content_hash = ?, updated_at = ? WHERE id = ?`),
      variantHash: prep('UPDATE variants SET content_hash = ? WHERE id = ?'),
      inventory: prep('SELECT on_hand FROM inventory WHERE variant_id = ?'),
      insInventory: prep('INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, ?, 0, ?)'),
      updInventory: prep('UPDATE inventory SET on_hand = ?, updated_at = ? WHERE variant_id = ?'),
      listings: prep('SELECT * FROM channel_listings WHERE variant_id = ? ORDER BY channel'),
      insListing: prep(
        `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, quantity, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updListing: prep('UPDATE channel_listings SET status = ?, price_minor = ?, currency = ?, quantity = ?, updated_at = ? WHERE id = ?'),
      // Same statements as store/repos/outbox.ts enqueueChange, prepared once for bulk use.
      supersede: prep(
        `UPDATE outbox SET state = 'superseded', updated_at = ? WHERE channel = ? AND sku = ? AND kind = ? AND state IN ('pending', 'failed')`,
      ),
      enqueue: prep(
        `INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ),
    };
  }

  begin(): void {
    this.store.db.exec('BEGIN IMMEDIATE');
    this.store.db.exec('DELETE FROM temp.import_seen_v2');
  }
  commit(): void {
    this.store.db.exec('COMMIT');
  }
  rollback(): void {
    if (this.store.db.inTransaction) this.store.db.exec('ROLLBACK');
  }

  /**
   * Record a SKU as seen in file number `file` of this run; returns the line where that file had it
   * first when it is a duplicate. (The same SKU in two files is not a duplicate: the later file applies
   * on top, as two imports in a row would — a Shopify file and an Amazon file share their SKUs.)
   */
  markSeen(file: number, sku: string, line: number): number | undefined {
    if (this.s.seen!.run(file, sku, line).changes === 1) return undefined;
    return Number((this.s.seenGet!.get(file, sku) as { line: bigint }).line);
  }

  isEmpty(): boolean {
    return this.store.db.prepare('SELECT 1 FROM variants LIMIT 1').get() === undefined;
  }

  variantKey(sku: string): VariantKey | undefined {
    return this.s.variantKey!.get(sku) as VariantKey | undefined;
  }
  variant(id: bigint): VariantRow {
    return this.s.variant!.get(id) as VariantRow;
  }
  product(handle: string): ProductRow | undefined {
    return this.s.product!.get(handle) as ProductRow | undefined;
  }
  productById(id: bigint): ProductRow {
    return this.s.productById!.get(id) as ProductRow;
  }
  insertProduct(handle: string, v: Record<ProductColumn, string | null>, hash: string, at: string): bigint {
    return BigInt(
      this.s.insProduct!.run(handle, v.title, v.description, v.vendor, v.brand, v.product_type, v.tags, v.status ?? 'active', hash, at, at).lastInsertRowid,
    );
  }
  updateProduct(id: bigint, v: Record<ProductColumn, string | null>, hash: string, at: string): void {
    this.s.updProduct!.run(v.title, v.description, v.vendor, v.brand, v.product_type, v.tags, v.status ?? 'active', hash, at, id);
  }
  setProductHash(id: bigint, hash: string): void {
    this.s.productHash!.run(hash, id);
  }
  insertVariant(productId: bigint, sku: string, v: Record<VariantColumn, string | bigint | null>, hash: string, at: string): bigint {
    return BigInt(this.s.insVariant!.run(productId, sku, ...VARIANT_COLUMNS.map((c) => v[c]), hash, at, at).lastInsertRowid);
  }
  updateVariant(id: bigint, v: Record<VariantColumn, string | bigint | null>, hash: string, at: string): void {
    this.s.updVariant!.run(...VARIANT_COLUMNS.map((c) => v[c]), hash, at, id);
  }
  setVariantHash(id: bigint, hash: string): void {
    this.s.variantHash!.run(hash, id);
  }
  onHand(variantId: bigint): bigint | undefined {
    const r = this.s.inventory!.get(variantId) as { on_hand: bigint } | undefined;
    return r?.on_hand;
  }
  setOnHand(variantId: bigint, qty: bigint, exists: boolean, at: string): void {
    if (exists) this.s.updInventory!.run(qty, at, variantId);
    else this.s.insInventory!.run(variantId, qty, at);
  }
  listings(variantId: bigint): ListingRow[] {
    return this.s.listings!.all(variantId) as ListingRow[];
  }
  insertListing(variantId: bigint, channel: string, status: string, price: bigint | null, currency: string | null, qty: bigint | null, at: string): void {
    this.s.insListing!.run(variantId, channel, status, price, currency, qty, at, at);
  }
  updateListing(id: bigint, status: string, price: bigint | null, currency: string | null, qty: bigint | null, at: string): void {
    this.s.updListing!.run(status, price, currency, qty, at, id);
  }
  enqueue(channel: string, marketplace: string, sku: string, kind: 'listing' | 'price' | 'inventory' | 'delist', payload: Record<string, unknown>, at: string, supersede = true): void {
    if (supersede) this.s.supersede!.run(at, channel, sku, kind);
    this.s.enqueue!.run(channel, marketplace, sku, kind, JSON.stringify(payload, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), at, at);
  }
}

export interface ImportRunRow {
  id: bigint;
  fingerprint: string;
  created: bigint;
  updated: bigint;
  unchanged: bigint;
  rejected: bigint;
}

export function hasImportRuns(store: Store): boolean {
  return store.db.prepare('SELECT 1 FROM import_runs LIMIT 1').get() !== undefined;
}

/** The last committed run with this fingerprint, if no later run changed the catalogue. */
export function unchangedSince(store: Store, fingerprint: string): ImportRunRow | undefined {
  const run = store.db.prepare('SELECT * FROM import_runs WHERE fingerprint = ? ORDER BY id DESC LIMIT 1').get(fingerprint) as ImportRunRow | undefined;
  if (!run) return undefined;
  const later = store.db.prepare('SELECT 1 FROM import_runs WHERE id > ? AND (created + updated) > 0 LIMIT 1').get(run.id);
  return later ? undefined : run;
}

export function recordImportRun(
  store: Store,
  r: { at: string; fingerprint: string; files: unknown; created: number; updated: number; unchanged: number; rejected: number },
): void {
  store.db
    .prepare('INSERT INTO import_runs (at, fingerprint, files_json, created, updated, unchanged, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(r.at, r.fingerprint, JSON.stringify(r.files), r.created, r.updated, r.unchanged, r.rejected);
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

/** Variants with their product, stock and channel listings, in SKU order (streamed). */
export function iterateCatalogue(store: Store, f: CatalogueFilter = {}): IterableIterator<CatalogueRow> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.sku) {
    where.push(f.sku.includes('*') ? `v.sku GLOB ?` : 'v.sku = ?');
    args.push(f.sku);
  }
  if (f.handle) {
    where.push('p.handle = ?');
    args.push(f.handle);
  }
  if (f.status) {
    where.push('p.status = ?');
    args.push(f.status);
  }
  if (f.channel) {
    where.push(`EXISTS (SELECT 1 FROM channel_listings c WHERE c.variant_id = v.id AND c.channel = ? AND c.status != 'removed')`);
    args.push(f.channel);
  }
  if (f.search) {
    where.push('(p.title LIKE ? OR v.title LIKE ? OR v.sku LIKE ?)');
    const like = `%${f.search}%`;
    args.push(like, like, like);
  }
  const sql = `SELECT v.*, p.handle, p.title AS product_title, p.description, p.vendor, p.brand, p.product_type, p.tags,
      p.status AS product_status, i.on_hand, i.reserved,
      (SELECT group_concat(c.channel || '=' || coalesce(c.price_minor, '') || '=' || coalesce(c.currency, '') || '=' || c.status, ';')
         FROM (SELECT * FROM channel_listings WHERE variant_id = v.id ORDER BY channel) c) AS channels
    FROM variants v JOIN products p ON p.id = v.product_id LEFT JOIN inventory i ON i.variant_id = v.id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY v.product_id, v.id ${f.limit ? `LIMIT ${Math.floor(f.limit)}` : ''}`;
  return store.db.prepare(sql).iterate(...args) as IterableIterator<CatalogueRow>;
}

export function listingsForSku(store: Store, sku: string): ListingRow[] {
  return store.db
    .prepare('SELECT c.* FROM channel_listings c JOIN variants v ON v.id = c.variant_id WHERE v.sku = ? ORDER BY c.channel')
    .all(sku) as ListingRow[];
}

export function pendingOutboxForSku(store: Store, sku: string): Array<{ channel: string; kind: string; state: string; created_at: string }> {
  return store.db
    .prepare(`SELECT channel, kind, state, created_at FROM outbox WHERE sku = ? AND state IN ('pending', 'sent', 'failed') ORDER BY id`)
    .all(sku) as Array<{ channel: string; kind: string; state: string; created_at: string }>;
}

export function shopCurrency(store: Store): string | undefined {
  const ch = store.db.prepare(`SELECT currency FROM channels WHERE code = 'shopify'`).get() as { currency: string } | undefined;
  if (ch) return ch.currency;
  const p = store.db.prepare('SELECT base_currency FROM business_profile WHERE id = 1').get() as { base_currency: string } | undefined;
  return p?.base_currency;
}
