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
/** The price's four integers are in `ints` (one of them is past 2^53), not in `nums`. */
const BIG = 32;
const BASIS_SHIFT = 6;
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN = -SAFE_MAX;

/**
 * Up to `capacity` prices as columns: variant, listing, old and new price per price in `nums` (doubles:
 * exact up to 2^53, and read on the thread without making a BigInt each) or, for a price with an integer
 * past 2^53, in `ints` (exact 64-bit); flags and basis number in `meta`; the solved fractions joined by
 * commas. Its buffers are transferred to the writer thread, not copied. (A double bound to an INTEGER
 * column is stored as that integer: SQLite's column affinity converts it losslessly.)
 */
export interface PriceChunk {
  n: number;
  nums: Float64Array;
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

const safe = (v: bigint | null): boolean => v === null || (v <= SAFE_MAX && v >= SAFE_MIN);

/** A price chunk being filled. */
export class ChunkBuilder {
  private nums!: Float64Array;
  private ints!: BigInt64Array;
  private meta!: Uint32Array;
  private solved: string[] = [];
  private n = 0;
  private news = 0;
  private updates = 0;
  constructor(private readonly capacity: number) {
    this.fresh();
  }
  private fresh(): void {
    this.nums = new Float64Array(this.capacity * 4);
    this.ints = new BigInt64Array(this.capacity * 4);
    this.meta = new Uint32Array(this.capacity);
  }
  get full(): boolean {
    return this.n === this.capacity;
  }
  add(basis: number, p: NewPrice): void {
    if (p.solved.includes(',')) throw new RangeError(`solved price ${JSON.stringify(p.solved)} is not a fraction`);
    const i = this.n;
    const o = i * 4;
    let m = (basis << BASIS_SHIFT) | (p.minFee ? MIN_FEE : 0) | (p.bound === 'min' ? BOUND_MIN : p.bound === 'max' ? BOUND_MAX : 0);
    if (p.listingId === null) m |= NO_LISTING;
    if (p.oldMinor === null) m |= NO_OLD;
    if (safe(p.variantId) && safe(p.listingId) && safe(p.oldMinor) && safe(p.newMinor)) {
      this.nums[o] = Number(p.variantId);
      if (p.listingId !== null) this.nums[o + 1] = Number(p.listingId);
      if (p.oldMinor !== null) this.nums[o + 2] = Number(p.oldMinor);
      this.nums[o + 3] = Number(p.newMinor);
    } else {
      m |= BIG;
      this.ints[o] = fits(p.variantId, 'variant id');
      if (p.listingId !== null) this.ints[o + 1] = fits(p.listingId, 'listing id');
      if (p.oldMinor !== null) this.ints[o + 2] = fits(p.oldMinor, 'old price');
      this.ints[o + 3] = fits(p.newMinor, 'new price');
    }
    this.n++;
    if (p.listingId === null) this.news++;
    else this.updates++;
    this.meta[i] = m;
    this.solved.push(p.solved);
  }
  /** The chunk so far (undefined when empty); the builder starts a new one. */
  take(): PriceChunk | undefined {
    if (!this.n) return undefined;
    const c: PriceChunk = { n: this.n, nums: this.nums, ints: this.ints, meta: this.meta, solved: this.solved.join(','), news: this.news, updates: this.updates };
    this.fresh();
    this.solved = [];
    this.n = this.news = this.updates = 0;
    return c;
  }
}

/** Price i of a chunk as its PRICE_ARGS bind values, written into `out` from `at` (the basis as its row id). */
function fill(out: unknown[], at: number, c: PriceChunk, i: number, solved: readonly string[], basisIds: ReadonlyArray<number | bigint>): void {
  const m = c.meta[i]!;
  const o = i * 4;
  const v = m & BIG ? c.ints : c.nums;
  out[at] = basisIds[m >>> BASIS_SHIFT];
  out[at + 1] = v[o];
  out[at + 2] = m & NO_LISTING ? null : v[o + 1];
  out[at + 3] = m & NO_OLD ? null : v[o + 2];
  out[at + 4] = v[o + 3];
  out[at + 5] = solved[i];
  out[at + 6] = m & BOUND_MIN ? 'min' : m & BOUND_MAX ? 'max' : null;
  out[at + 7] = m & MIN_FEE ? 1 : 0;
}

/** A basis as the writer thread receives it (a plain array: structured clone keeps it cheap). */
export type BasisFields = [channel: string, currency: string, rule: string, rate: string, rateDate: string | null, source: string | null];
export const basisFields = (b: PriceBasis): BasisFields => [b.channel, b.currency, b.rule, b.rate, b.rateDate, b.source];

const CHANGES = 'INSERT INTO price_changes (basis_id, variant_id, listing_id, old_minor, new_minor, solved, bound, min_fee) VALUES ';

/**
 * A run's writes on one connection, inside a write transaction its caller holds. Bases are numbered
 * 0, 1, … in the order the run meets them; a price names its basis by that number.
 */
export class PriceChangeSink {
  /** Basis k is row b0 + k (explicit ids: this run's bases are consecutive, whatever was deleted before). */
  private readonly b0: bigint;
  /** Each basis's row id (a number when it is safe, as the other integers are bound). */
  private readonly basisIds: Array<number | bigint> = [];
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
    this.basisIds.push(id <= SAFE_MAX ? Number(id) : id);
  }

  /** A chunk of prices (each naming a basis already given), then their listings. */
  rows(c: PriceChunk): void {
    if (!c.n) return;
    const solved = c.solved.split(',');
    const lo = this.last;
    let r: { lastInsertRowid: number | bigint } | undefined;
    const batch = new Array<unknown>(BATCH * PRICE_ARGS);
    let i = 0;
    for (; i + BATCH <= c.n; i += BATCH) {
      for (let k = 0; k < BATCH; k++) fill(batch, k * PRICE_ARGS, c, i + k, solved, this.basisIds);
      r = this.s.many.run(batch);
    }
    const one = new Array<unknown>(PRICE_ARGS);
    for (; i < c.n; i++) {
      fill(one, 0, c, i, solved, this.basisIds);
      r = this.s.one.run(one);
    }
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
