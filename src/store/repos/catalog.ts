// Catalogue access for listings import/list/show/export: products, variants, inventory, channel
// listings, import runs. Statements are prepared once per import (a million rows must not pay a
// prepare each), and the import holds one explicit transaction across its async stream.

import type { Store, Statement } from '../db.js';
import { KIND_BITS, wantedForSku } from './sync-state.js';
// The row shapes and the import's writer interface are the port's (src/ports/listing-catalogue.ts).
import {
  VARIANT_COLUMNS,
  type CatalogueBulkLoad, type CatalogueFilter, type CatalogueImportWriter, type CatalogueRow, type ImportRunRow, type ListingRow, type ListingSeed,
  type ProductColumn, type ProductRow, type Refused, type VariantColumn, type VariantKey, type VariantRow,
} from '../../ports/listing-catalogue.js';

/** Prepared statements for one import run, inside one transaction. */
export class CatalogWriter implements CatalogueImportWriter {
  private s: Record<string, Statement>;
  constructor(private readonly store: Store) {
    const db = store.db;
    // Bounded page caches (main 8 MiB, temp 2 MiB): they fill within the first ~100k rows, so memory
    // stays flat however long the file is.
    db.pragma('cache_size = -8000');
    db.pragma('temp.cache_size = -2000');
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS import_seen_v2 (file INTEGER NOT NULL, sku TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (file, sku)) WITHOUT ROWID`);
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS import_line_runs (id INTEGER PRIMARY KEY, delta INTEGER NOT NULL)`);
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
      optionNames: prep('SELECT options_json FROM variants WHERE product_id = ? AND options_json IS NOT NULL ORDER BY id LIMIT 1'),
      productListings: prep(`SELECT v.sku, c.channel FROM variants v JOIN channel_listings c ON c.variant_id = v.id WHERE v.product_id = ? AND c.status != 'removed' ORDER BY v.id, c.channel`),
      insListing: prep(
        `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, quantity, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updListing: prep('UPDATE channel_listings SET status = ?, price_minor = ?, currency = ?, quantity = ?, updated_at = ? WHERE id = ?'),
      // The listing's pending sync state (store/repos/sync-state.ts markSyncWanted), prepared once.
      want: prep(`UPDATE channel_listings SET sync_pending = sync_pending | ?, sync_seq = sync_seq + 1 WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`),
      // Same statements as store/repos/outbox.ts enqueueChange, for a change with no listing to carry it.
      supersede: prep(
        `UPDATE outbox SET state = 'superseded', updated_at = ? WHERE channel = ? AND sku = ? AND kind = ? AND state IN ('pending', 'failed')`,
      ),
      enqueue: prep(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`),
    };
  }

  begin(): void {
    this.store.db.exec('BEGIN IMMEDIATE');
    this.store.db.exec('DELETE FROM temp.import_seen_v2');
    this.store.db.exec('DELETE FROM temp.import_line_runs');
  }
  /** The fresh-catalogue load path (see BulkLoad), inside this writer's transaction. */
  bulk(at: string): BulkLoad {
    return new BulkLoad(this.store.db, at);
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
  insertVariant(productId: bigint, sku: string, v: Record<VariantColumn, string | bigint | null>, hash: string | null, at: string): bigint {
    return BigInt(this.s.insVariant!.run(productId, sku, ...VARIANT_COLUMNS.map((c) => v[c]), hash, at, at).lastInsertRowid);
  }
  updateVariant(id: bigint, v: Record<VariantColumn, string | bigint | null>, hash: string | null, at: string): void {
    this.s.updVariant!.run(...VARIANT_COLUMNS.map((c) => v[c]), hash, at, id);
  }
  setVariantHash(id: bigint, hash: string | null): void {
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
  /** Option names of a product, from the first of its variants that has options ([] when none has). */
  productOptionNames(productId: bigint): string[] {
    const row = this.s.optionNames!.get(productId) as { options_json: string } | undefined;
    try {
      const o = row ? (JSON.parse(row.options_json) as unknown) : [];
      return Array.isArray(o) ? o.map((x) => (Array.isArray(x) ? String(x[0]) : '')) : [];
    } catch {
      return [];
    }
  }
  /** The storefront listings (not removed) of every variant of a product. */
  productListings(productId: bigint): Array<{ sku: string; channel: string }> {
    return this.s.productListings!.all(productId) as Array<{ sku: string; channel: string }>;
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
  /**
   * Queue a change: the listing's pending state (no row per change); only a change with no listing to
   * carry it becomes an outbox row (store/repos/outbox.ts semantics: a newer one supersedes a pending one).
   */
  enqueue(channel: string, marketplace: string, sku: string, kind: 'listing' | 'price' | 'inventory' | 'delist', payloadJson: string, at: string): void {
    if (this.s.want!.run(KIND_BITS[kind], channel, sku).changes > 0) return;
    this.s.supersede!.run(at, channel, sku, kind);
    this.s.enqueue!.run(channel, marketplace, sku, kind, payloadJson, at, at);
  }
}

/** `'…'` SQL literal of a text value (for values fixed for a whole statement's life, never user data in bulk). */
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Rows per json_each batch for stock and source lines (one statement per batch instead of one per row). */
const BULK_BATCH = 1024;

/**
 * Consecutive ids and a value each, inserted as `base + key` from one JSON array: the fresh-load path's
 * stock rows and source lines. A gap in ids flushes and starts a new run.
 */
class IdBatch {
  private base = 0n;
  private vals: string[] = [];
  private readonly stmts: Statement[];
  /** Each statement runs with @base (the first id) and @json (the values) per batch, in order. */
  constructor(...stmts: Statement[]) {
    this.stmts = stmts;
  }
  push(id: bigint, value: bigint | number | null): void {
    if (this.vals.length && id !== this.base + BigInt(this.vals.length)) this.flush();
    if (!this.vals.length) this.base = id;
    this.vals.push(value === null ? 'null' : String(value));
    if (this.vals.length === BULK_BATCH) this.flush();
  }
  flush(): void {
    if (!this.vals.length) return;
    const json = `[${this.vals.join(',')}]`;
    for (const stmt of this.stmts) stmt.run({ base: this.base, json });
    this.vals = [];
  }
}

/** Rows per multi-row INSERT in a bulk load (64 × 19 parameters for variants). */
const VARIANT_BATCH = 64;
/** Parameters of one variant row (product_id, sku, the variant columns, content_hash) and one listing row. */
const VARIANT_ARGS = VARIANT_COLUMNS.length + 3;
const LISTING_ARGS = 5;

const isDuplicateSku = (e: unknown) => (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /variants\.sku/.test((e as Error).message);

interface PendingVariant {
  tag: unknown;
  productId: bigint;
  sku: string;
  line: number;
  onHand: bigint | undefined;
  listings: readonly ListingSeed[];
}

/**
 * Which line each new variant came from, for a duplicate's "first at line N": stored as runs (from
 * this id on, line = id + delta), so a file whose rows are one per line writes a single row here and a
 * file with multi-line or product-only rows one per irregularity, never one per SKU.
 */
class LineIndex {
  private delta: number | undefined;
  private pending: string[] = [];
  constructor(private readonly stmt: Statement) {}
  push(id: bigint, line: number): void {
    const d = line - Number(id);
    if (d === this.delta) return;
    this.delta = d;
    this.pending.push(`[${id},${d}]`);
    if (this.pending.length === BULK_BATCH) this.flush();
  }
  flush(): void {
    if (!this.pending.length) return;
    this.stmt.run(`[${this.pending.join(',')}]`);
    this.pending = [];
  }
}

/**
 * The load path for an import into an empty catalogue (the first file of the run): what a per-row
 * upsert has to look up cannot exist yet, so it inserts without asking. The run's timestamp is a
 * literal in the statements (two binds fewer per row), stock rows go in 1,024 to a statement, a
 * duplicate SKU is caught by the variants' UNIQUE index instead of a seen-table insert per row (its
 * first line comes from a LineIndex), and each new listing carries its own pending sync state (no
 * outbox row). Same transaction, same rows as the
 * per-row path (the tests compare the two).
 */
export class BulkLoad implements CatalogueBulkLoad {
  private readonly s: Record<string, Statement>;
  private readonly stock: IdBatch;
  private readonly lines: LineIndex;
  private readonly channels = new Set<string>();
  private pending: PendingVariant[] = [];
  private args: unknown[] = [];
  constructor(private readonly db: Store['db'], at: string) {
    const t = sqlText(at);
    const prep = (sql: string) => db.prepare(sql);
    const variantInto = `INSERT INTO variants (product_id, sku, ${VARIANT_COLUMNS.join(', ')}, content_hash, created_at, updated_at) VALUES`;
    const variantRow = `(?, ?, ${VARIANT_COLUMNS.map(() => '?').join(', ')}, ?, ${t}, ${t})`;
    // A new listing is created wanting its whole managed state pushed (sync_pending 'listing' bit):
    // the pending work is the row itself, no outbox row per listing.
    const listingInto = 'INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, quantity, sync_pending, sync_seq, created_at, updated_at) VALUES';
    const listingRow = `(?, ?, 'active', ?, ?, ?, ${KIND_BITS.listing}, 1, ${t}, ${t})`;
    this.s = {
      product: prep(
        `INSERT INTO products (handle, title, description, vendor, brand, product_type, tags, status, content_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ${t}, ${t}) ON CONFLICT (handle) DO NOTHING`,
      ),
      variant: prep(`${variantInto} ${variantRow}`),
      variantBatch: prep(`${variantInto} ${Array(VARIANT_BATCH).fill(variantRow).join(', ')}`),
      idOf: prep('SELECT id FROM variants WHERE sku = ?'),
      listing: prep(`${listingInto} ${listingRow}`),
      listingBatch: prep(`${listingInto} ${Array(VARIANT_BATCH).fill(listingRow).join(', ')}`),
      firstLine: prep('SELECT v.id + (SELECT r.delta FROM temp.import_line_runs r WHERE r.id <= v.id ORDER BY r.id DESC LIMIT 1) AS line FROM variants v WHERE v.sku = ?'),
      dropProduct: prep('DELETE FROM products WHERE id = ? AND NOT EXISTS (SELECT 1 FROM variants WHERE product_id = ?)'),
      queued: prep(`SELECT count(*) AS n FROM channel_listings WHERE channel = ? AND status = 'active'`),
    };
    // The product index is built once at the end (sorting a million ids beats a million index inserts).
    db.exec('DROP INDEX variants_product');
    // New SKUs' stock at the home location, with its opening movement: what the inventory view's INSTEAD
    // OF INSERT trigger (migrations: inventory_insert) writes for each row, written here a batch to a
    // statement (a trigger program per row costs twice the CPU of the same rows set-based). Same rows,
    // same ids and order: all of a batch's movements, then its levels. The variants are new (this path
    // loads an empty catalogue, and a stock level needs its variant), so no level exists yet: the opening
    // movement's delta is the quantity itself, and no statement looks a level up (a third cheaper).
    // (the home location, like the run's timestamp, is a literal: fixed for the statements' life)
    const home = String(db.prepare('SELECT id FROM stock_locations WHERE is_home = 1').pluck().get() as bigint);
    this.stock = new IdBatch(
      prep(
        `INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason)
         SELECT ${t}, ${home}, v.id, v.sku, j.value, j.value, 'catalogue', 'catalogue stock column'
           FROM json_each(@json) j JOIN variants v ON v.id = @base + j.key
          WHERE j.value IS NOT NULL`,
      ),
      prep(
        `INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, updated_at)
         SELECT ${home}, @base + key, value, 0, ${t} FROM json_each(@json) WHERE value IS NOT NULL`,
      ),
    );
    this.lines = new LineIndex(prep('INSERT INTO temp.import_line_runs (id, delta) SELECT value ->> 0, value ->> 1 FROM json_each(?)'));
  }

  /** The new product's id, or undefined when the handle is already in the catalogue (earlier in this file). */
  insertProduct(handle: string, v: Record<ProductColumn, string | null>, hash: string): bigint | undefined {
    const r = this.s.product!.run(handle, v.title, v.description, v.vendor, v.brand, v.product_type, v.tags, v.status ?? 'active', hash);
    return r.changes === 1 ? BigInt(r.lastInsertRowid) : undefined;
  }
  /** Removes a product this row created when the row turned out to be a duplicate SKU. */
  dropEmptyProduct(id: bigint): boolean {
    return this.s.dropProduct!.run(id, id).changes === 1;
  }
  /**
   * Queue a new variant; rows go in VARIANT_BATCH to a statement (one call instead of 64). Its stock,
   * line and listings follow it in. A duplicate SKU is known only when its batch goes in: flush() and
   * finish() hand such rows back (with the `tag` given here) so the caller can refuse them.
   */
  addVariant(tag: unknown, productId: bigint, sku: string, v: Record<VariantColumn, string | bigint | null>, hash: string | null, line: number, onHand: bigint | undefined, listings: readonly ListingSeed[]): Refused[] {
    this.pending.push({ tag, productId, sku, line, onHand, listings });
    this.args.push(productId, sku, v.title, v.options_json, v.barcode, v.price_minor, v.currency, v.compare_at_minor, v.cost_minor, v.cost_currency,
      v.landed_cost_minor, v.weight_grams, v.length_mm, v.width_mm, v.height_mm, v.hs_code, v.origin_country, v.image_url, hash);
    return this.pending.length === VARIANT_BATCH ? this.flush() : [];
  }
  /** Insert the queued variants; returns the rows refused as duplicates of an earlier SKU. */
  flush(): Refused[] {
    const rows = this.pending;
    const args = this.args;
    if (!rows.length) return [];
    this.pending = [];
    this.args = [];
    const refused: Refused[] = [];
    let ids: Array<bigint | undefined>;
    if (rows.length === VARIANT_BATCH) {
      try {
        const last = BigInt(this.s.variantBatch!.run(args).lastInsertRowid);
        ids = rows.map((_, k) => last - BigInt(rows.length - 1 - k));
        // Rowids of one multi-row INSERT are consecutive here (one writer, no explicit ids); checked all the same.
        const first = this.s.idOf!.get(rows[0]!.sku) as { id: bigint } | undefined;
        if (first?.id !== ids[0]) ids = rows.map((r) => (this.s.idOf!.get(r.sku) as { id: bigint }).id);
      } catch (e) {
        if (!isDuplicateSku(e)) throw e;
        ids = this.oneByOne(rows, args); // (the statement changed nothing: find the duplicates row by row)
      }
    } else ids = this.oneByOne(rows, args);
    const listingArgs: unknown[] = [];
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      const id = ids[k];
      if (id === undefined) {
        refused.push({ tag: r.tag, productId: r.productId, sku: r.sku });
        continue;
      }
      this.lines.push(id, r.line);
      if (r.onHand !== undefined) this.stock.push(id, r.onHand);
      for (const l of r.listings) {
        listingArgs.push(id, l.channel, l.price, l.currency, l.quantity);
        this.channels.add(l.channel);
      }
    }
    // Listings 64 to a statement too (a marketplace file has one per SKU), the rest one by one.
    const full = LISTING_ARGS * VARIANT_BATCH;
    let at = 0;
    for (; at + full <= listingArgs.length; at += full) this.s.listingBatch!.run(listingArgs.slice(at, at + full));
    for (; at < listingArgs.length; at += LISTING_ARGS) this.s.listing!.run(listingArgs.slice(at, at + LISTING_ARGS));
    return refused;
  }
  private oneByOne(rows: PendingVariant[], args: unknown[]): Array<bigint | undefined> {
    return rows.map((_, k) => {
      try {
        return BigInt(this.s.variant!.run(args.slice(k * VARIANT_ARGS, (k + 1) * VARIANT_ARGS)).lastInsertRowid);
      } catch (e) {
        if (isDuplicateSku(e)) return undefined;
        throw e;
      }
    });
  }
  /** Line of the row that first had this SKU (for a duplicate's message). */
  firstLine(sku: string): number | undefined {
    this.lines.flush();
    const r = this.s.firstLine!.get(sku) as { line: bigint } | undefined;
    return r ? Number(r.line) : undefined;
  }
  /** Writes what is still batched; returns how many new listings are queued for sync (their pending state). */
  finish(): { outbox: number; refused: Refused[] } {
    const refused = this.flush();
    this.stock.flush();
    this.lines.flush();
    this.db.exec('CREATE INDEX variants_product ON variants (product_id)');
    let n = 0;
    for (const ch of this.channels) n += Number((this.s.queued!.get(ch) as { n: bigint }).n);
    return { outbox: n, refused };
  }
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
      (SELECT group_concat(c.channel || '=' || coalesce(c.price_minor, '') || '=' || coalesce(c.currency, '') || '=' || c.status || '=' || coalesce(c.quantity, ''), ';')
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

/** Sync work still open for a SKU: unfinished outbox rows, then the kinds its listings' state still wants. */
export function pendingOutboxForSku(store: Store, sku: string): Array<{ channel: string; kind: string; state: string; created_at: string }> {
  const rows = store.db
    .prepare(`SELECT channel, kind, state, created_at FROM outbox WHERE sku = ? AND state IN ('pending', 'sent', 'failed') ORDER BY id`)
    .all(sku) as Array<{ channel: string; kind: string; state: string; created_at: string }>;
  for (const w of wantedForSku(store, sku)) rows.push({ channel: w.channel, kind: w.kind, state: 'pending', created_at: w.since });
  return rows;
}

export function shopCurrency(store: Store): string | undefined {
  const ch = store.db.prepare(`SELECT currency FROM channels WHERE code = 'shopify'`).get() as { currency: string } | undefined;
  if (ch) return ch.currency;
  const p = store.db.prepare('SELECT base_currency FROM business_profile WHERE id = 1').get() as { base_currency: string } | undefined;
  return p?.base_currency;
}
