// The SQL of a `prices update` run's writes (migration 290), shared by the two writers of
// store/repos/price-writer.ts: in this thread (a small run) and on a writer thread (a large one,
// store/price-writer-worker.ts). Prices arrive in chunks (PriceChunk: typed arrays, which go to the
// writer thread without a copy); a chunk's change rows go in 64 to a statement (a third cheaper than
// one a row; an INSERT … SELECT from JSON text was twice as slow, its ->> re-reading each row's text
// per column), then that chunk's listings — new ones inserted, existing ones updated with their
// price-pending bit — set-based from the chunk's change rows. This module imports no driver: it runs
// on any better-sqlite3 connection, the store's or the writer thread's own.

import type { AuditEntry, NewPrice, PriceBasis } from '../../ports/pricing.js';
import { KIND_BITS, syncWantedSet } from './sync-state.js';
import { auditOn } from './audit.js';

/** The part of a better-sqlite3 connection the writes use. */
export interface WriteConnection {
  prepare(sql: string): {
    run(...args: unknown[]): { changes: number; lastInsertRowid: number | bigint };
    get(...args: unknown[]): unknown;
    pluck(on?: boolean): { get(...args: unknown[]): unknown };
  };
}

/** Values bound per price: basis number, variant, listing, old, new, solved, bound, min fee. */
const PRICE_ARGS = 8;
/** Prices per multi-row INSERT (64 × 8 parameters). */
const BATCH = 64;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Flag bits of PriceChunk.meta (above them, the basis number). */
const NO_LISTING = 1;
const NO_OLD = 2;
const MIN_FEE = 4;
const BOUND_MIN = 8;
const BOUND_MAX = 16;
const BASIS_SHIFT = 5;

/**
 * Up to `capacity` prices as columns: variant, listing, old and new price per price in `ints` (exact
 * 64-bit), flags and basis number in `meta`, the solved fractions joined by commas. Its buffers are
 * transferred to the writer thread, not copied.
 */
export interface PriceChunk {
  n: number;
  ints: BigInt64Array;
  meta: Uint32Array;
  solved: string;
  news: number;
  updates: number;
}

function fits(v: bigint, what: string): bigint {
  if (v > INT64_MAX || v < INT64_MIN) throw new RangeError(`${what} ${v} does not fit a 64-bit integer; nothing was written`);
  return v;
}

/** A price chunk being filled. */
export class ChunkBuilder {
  private ints: BigInt64Array;
  private meta: Uint32Array;
  private solved: string[] = [];
  private n = 0;
  private news = 0;
  private updates = 0;
  constructor(private readonly capacity: number) {
    this.ints = new BigInt64Array(capacity * 4);
    this.meta = new Uint32Array(capacity);
  }
  get full(): boolean {
    return this.n === this.capacity;
  }
  add(basis: number, p: NewPrice): void {
    if (p.solved.includes(',')) throw new RangeError(`solved price ${JSON.stringify(p.solved)} is not a fraction`);
    const i = this.n++;
    const o = i * 4;
    this.ints[o] = fits(p.variantId, 'variant id');
    let m = (basis << BASIS_SHIFT) | (p.minFee ? MIN_FEE : 0) | (p.bound === 'min' ? BOUND_MIN : p.bound === 'max' ? BOUND_MAX : 0);
    if (p.listingId === null) {
      m |= NO_LISTING;
      this.news++;
    } else {
      this.ints[o + 1] = fits(p.listingId, 'listing id');
      this.updates++;
    }
    if (p.oldMinor === null) m |= NO_OLD;
    else this.ints[o + 2] = fits(p.oldMinor, 'old price');
    this.ints[o + 3] = fits(p.newMinor, 'new price');
    this.meta[i] = m;
    this.solved.push(p.solved);
  }
  /** The chunk so far (undefined when empty); the builder starts a new one. */
  take(): PriceChunk | undefined {
    if (!this.n) return undefined;
    const c: PriceChunk = { n: this.n, ints: this.ints, meta: this.meta, solved: this.solved.join(','), news: this.news, updates: this.updates };
    this.ints = new BigInt64Array(this.capacity * 4);
    this.meta = new Uint32Array(this.capacity);
    this.solved = [];
    this.n = this.news = this.updates = 0;
    return c;
  }
}

/** A chunk's bind values, PRICE_ARGS a price (the basis as its row id, from `basisIds`). */
function chunkValues(c: PriceChunk, basisIds: readonly bigint[]): unknown[] {
  const solved = c.solved.split(',');
  const out = new Array<unknown>(c.n * PRICE_ARGS);
  for (let i = 0, k = 0; i < c.n; i++) {
    const m = c.meta[i]!;
    const o = i * 4;
    out[k++] = basisIds[m >>> BASIS_SHIFT];
    out[k++] = c.ints[o];
    out[k++] = m & NO_LISTING ? null : c.ints[o + 1];
    out[k++] = m & NO_OLD ? null : c.ints[o + 2];
    out[k++] = c.ints[o + 3];
    out[k++] = solved[i];
    out[k++] = m & BOUND_MIN ? 'min' : m & BOUND_MAX ? 'max' : null;
    out[k++] = m & MIN_FEE ? 1 : 0;
  }
  return out;
}

/** A basis as the writer thread receives it (a plain array: structured clone keeps it cheap). */
export type BasisFields = [channel: string, currency: string, rule: string, rate: string, rateDate: string | null, source: string | null];
export const basisFields = (b: PriceBasis): BasisFields => [b.channel, b.currency, b.rule, b.rate, b.rateDate, b.source];

/**
 * A run's writes on one connection, inside a write transaction its caller holds. Bases are numbered
 * 0, 1, … in the order the run meets them; a price names its basis by that number.
 */
const CHANGES = 'INSERT INTO price_changes (basis_id, variant_id, listing_id, old_minor, new_minor, solved, bound, min_fee) VALUES ';

export class PriceChangeSink {
  /** Basis k is row b0 + k (explicit ids: this run's bases are consecutive, whatever was deleted before). */
  private readonly b0: bigint;
  private readonly basisIds: bigint[] = [];
  private readonly s: Record<'basis' | 'one' | 'many' | 'news' | 'updates', ReturnType<WriteConnection['prepare']>>;
  /** The highest change-row id written so far (this run's rows are those above the first value). */
  private last: number | bigint;

  constructor(private readonly db: WriteConnection, private readonly at: string) {
    // One writer at a time (the lock), inside one transaction: ids above this are this run's.
    this.last = db.prepare('SELECT coalesce(max(id), 0) FROM price_changes').pluck().get() as number | bigint;
    this.b0 = BigInt(db.prepare('SELECT coalesce(max(id), 0) + 1 FROM price_bases').pluck().get() as number | bigint);
    this.s = {
      basis: db.prepare('INSERT INTO price_bases (id, changed_at, channel, currency, rule_name, rate, rate_date, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      one: db.prepare(`${CHANGES}(?, ?, ?, ?, ?, ?, ?, ?)`),
      many: db.prepare(CHANGES + Array(BATCH).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')),
      news: db.prepare(
        `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, sync_pending, sync_seq, created_at, updated_at)
         SELECT c.variant_id, b.channel, 'active', c.new_minor, b.currency, ${KIND_BITS.price}, 1, @at, @at
           FROM price_changes c JOIN price_bases b ON b.id = c.basis_id
          WHERE c.id > @lo AND c.id <= @hi AND c.listing_id IS NULL
          ORDER BY c.id`,
      ),
      // The new price is the listing's wanted price; the same UPDATE sets its price-pending bit, so the
      // sync plan finds it through the partial index (store/repos/sync-state.ts).
      updates: db.prepare(
        `UPDATE channel_listings SET price_minor = c.new_minor, currency = b.currency, updated_at = @at, ${syncWantedSet('price')}
           FROM price_changes c JOIN price_bases b ON b.id = c.basis_id
          WHERE c.id > @lo AND c.id <= @hi AND c.listing_id IS NOT NULL AND channel_listings.id = c.listing_id`,
      ),
    };
  }

  /** Basis number `k` (the next one): its row, written once for all the prices it explains. */
  basis(k: number, b: BasisFields): void {
    if (k !== this.basisIds.length) throw new Error(`price basis ${k} out of order (expected ${this.basisIds.length})`);
    const id = this.b0 + BigInt(k);
    this.s.basis.run(id, this.at, ...b);
    this.basisIds.push(id);
  }

  /** A chunk of prices (each naming a basis already given), then their listings. */
  rows(c: PriceChunk): void {
    if (!c.n) return;
    const values = chunkValues(c, this.basisIds);
    const lo = this.last;
    const full = BATCH * PRICE_ARGS;
    let at = 0;
    let r: { lastInsertRowid: number | bigint } | undefined;
    for (; at + full <= values.length; at += full) r = this.s.many.run(values.slice(at, at + full));
    for (; at < values.length; at += PRICE_ARGS) r = this.s.one.run(values.slice(at, at + PRICE_ARGS));
    const hi = r!.lastInsertRowid;
    this.last = hi;
    if (c.news) this.s.news.run({ at: this.at, lo, hi });
    if (c.updates) this.s.updates.run({ at: this.at, lo, hi });
  }

  /** The run's audit entry (same row as store/repos/audit.ts writes). */
  audit(entry: AuditEntry): void {
    auditOn(this.db, entry);
  }
}
