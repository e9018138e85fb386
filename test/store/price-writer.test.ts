// The two price writers of store/repos/price-writer.ts: the writer thread of a large `prices update`
// (its own connection, chunks of typed arrays, the write transaction taken at begin) must leave exactly
// the rows the inline writer leaves — across chunk boundaries, for new and existing listings, with the
// clamp and min-fee flags and ids past 2^53 — and a failure or an abort on the thread must leave nothing.
// The thread runs the built script (dist/store/price-writer-worker.js: npm test builds first).
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/db.js';
import { InlinePriceWriter, ThreadPriceWriter, priceWriter } from '../../src/store/repos/price-writer.js';
import type { NewPrice, PriceBasis } from '../../src/ports/pricing.js';
import { tempDir } from '../helpers/run.js';

const WORKER = new URL('../../dist/store/price-writer-worker.js', import.meta.url);
const AT = '2026-04-14T09:00:00.000Z';
const BIG = 2n ** 60n + 1n; // past 2^53: a double would make it 2^60
const N = 9000; // more than two chunks of 4,096

function seeded(): { path: string; prices: NewPrice[] } {
  const dir = tempDir();
  const path = join(dir, 'merchant.db');
  const s = openStore(path);
  const t = '2026-04-01T00:00:00Z';
  s.tx(() => {
    s.db.prepare("INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'p', 'P', ?, ?)").run(t, t);
    const v = s.db.prepare("INSERT INTO variants (id, product_id, sku, cost_minor, cost_currency, created_at, updated_at) VALUES (?, 1, ?, 100, 'EUR', ?, ?)");
    const l = s.db.prepare("INSERT INTO channel_listings (id, variant_id, channel, status, price_minor, currency, created_at, updated_at) VALUES (?, ?, 'amazon-uk', 'active', ?, 'GBP', ?, ?)");
    for (let i = 1; i <= N; i++) {
      const id = i === N ? BIG : BigInt(i);
      v.run(id, `SKU-${i}`, t, t);
      if (i % 3 !== 0) l.run(id, id, 1000n + BigInt(i), t, t); // every third variant has no listing yet
    }
  });
  s.close();
  const uk: PriceBasis = { channel: 'amazon-uk', currency: 'GBP', rule: 'uk', rate: '85432/100000', rateDate: '2026-04-13', source: 'ecb' };
  const eu: PriceBasis = { channel: 'amazon-uk', currency: 'GBP', rule: 'uk-eu', rate: '1', rateDate: null, source: null };
  const prices: NewPrice[] = [];
  for (let i = 1; i <= N; i++) {
    const id = i === N ? BIG : BigInt(i);
    const listed = i % 3 !== 0;
    prices.push({
      basis: i % 7 === 0 ? eu : uk,
      variantId: id,
      listingId: listed ? id : null,
      oldMinor: listed ? 1000n + BigInt(i) : null,
      newMinor: i === N ? 2n ** 55n + 3n : 2000n + BigInt(i),
      solved: i % 2 ? `${4000 + i}/2` : `${2000 + i}`,
      bound: i % 11 === 0 ? 'min' : i % 13 === 0 ? 'max' : null,
      minFee: i % 5 === 0,
    });
  }
  return { path, prices };
}

function copy(path: string): string {
  const to = join(tempDir(), 'merchant.db');
  copyFileSync(path, to);
  return to;
}

/** How many rows each table has (compared first: a full comparison's diff of thousands of rows takes long to print). */
function counts(path: string): unknown {
  const s = openStore(path);
  try {
    return s.db.prepare("SELECT (SELECT count(*) FROM price_changes) AS changes, (SELECT count(*) FROM price_bases) AS bases, (SELECT count(*) FROM channel_listings) AS listings, (SELECT sum(price_minor) FROM channel_listings) AS prices, (SELECT count(*) FROM audit_log) AS audit").get();
  } finally {
    s.close();
  }
}

function state(path: string): unknown {
  const s = openStore(path);
  try {
    const all = (sql: string) => s.db.prepare(sql).raw(true).all();
    return {
      history: all('SELECT * FROM price_history ORDER BY id'),
      changes: all('SELECT * FROM price_changes ORDER BY id'),
      bases: all('SELECT * FROM price_bases ORDER BY id'),
      listings: all('SELECT * FROM channel_listings ORDER BY id'),
      audit: all("SELECT at, command, entity, entity_id, action, detail_json FROM audit_log WHERE entity = 'prices' ORDER BY id"),
    };
  } finally {
    s.close();
  }
}

const AUDIT = { at: AT, command: 'prices update', entity: 'prices', action: 'update', detail: { changed: N } };

async function write(path: string, prices: NewPrice[], threadMin: string): Promise<{ kind: string }> {
  const before = process.env.MERCHANT_PRICE_THREAD_MIN;
  process.env.MERCHANT_PRICE_THREAD_MIN = threadMin;
  const s = openStore(path);
  try {
    const w = priceWriter(s, AT, prices.length, WORKER);
    try {
      for (const p of prices) w.add(p);
      await w.commit(AUDIT);
    } finally {
      w.abort(); // (after a commit: nothing to drop, no error)
    }
    return { kind: w.constructor.name };
  } finally {
    s.close();
    if (before === undefined) delete process.env.MERCHANT_PRICE_THREAD_MIN;
    else process.env.MERCHANT_PRICE_THREAD_MIN = before;
  }
}

/** A trigger that fails the n-th change row's insert, as a full disk or a constraint would. */
function failAt(path: string, variantId: number): void {
  const s = openStore(path);
  s.db.exec(`CREATE TRIGGER fail_write BEFORE INSERT ON price_changes WHEN NEW.variant_id = ${variantId} BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
  s.close();
}

describe('price writer thread', () => {
  it('is built (npm test builds before the suite)', () => {
    expect(existsSync(WORKER)).toBe(true);
  });

  it('writes exactly the rows the inline writer writes: across chunks, new and existing listings, flags, ids past 2^53', async () => {
    const { path, prices } = seeded();
    const other = copy(path);
    expect((await write(path, prices, '1000000000')).kind).toBe(InlinePriceWriter.name);
    expect((await write(other, prices, '1')).kind).toBe(ThreadPriceWriter.name);
    expect(counts(other)).toEqual(counts(path));
    const a = state(path) as { history: unknown[]; listings: unknown[][] };
    expect(state(other)).toEqual(a);
    expect(a.history).toHaveLength(N);
    // A listing was created for every third variant, and the one past 2^53 got its exact price.
    expect(a.listings).toHaveLength(N);
    const s = openStore(path);
    expect(s.db.prepare('SELECT price_minor FROM channel_listings WHERE variant_id = ?').pluck().get(BIG)).toBe(2n ** 55n + 3n);
    const ids = new Map((s.db.prepare('SELECT variant_id, id FROM channel_listings').raw(true).all() as Array<[bigint, bigint]>).map(([v, id]) => [v, id]));
    s.close();
    // A second run on both appends after the first (its own bases and change rows only).
    const again = prices.map((p) => ({ ...p, listingId: ids.get(p.variantId)!, oldMinor: p.newMinor, newMinor: p.newMinor + 7n }));
    await write(path, again, '1000000000');
    await write(other, again, '1');
    expect(counts(other)).toEqual(counts(path));
    expect(state(other)).toEqual(state(path));
  });

  it('a failure on the thread rejects commit with the store\'s error and leaves nothing written', async () => {
    const { path, prices } = seeded();
    const before = state(path);
    const beforeCounts = counts(path);
    failAt(path, 6000); // in the second chunk: the first is already written in the thread's transaction
    const err = await write(path, prices, '1').catch((e: unknown) => e as Error & { code?: string });
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('simulated write failure');
    expect((err as { code?: string }).code).toMatch(/^SQLITE_CONSTRAINT/);
    expect(counts(path)).toEqual(beforeCounts);
    expect(state(path)).toEqual(before);
    // The store is writable again at once: the thread rolled back and let go of the write lock.
    const s = openStore(path, { busyTimeoutMs: 0 });
    s.db.exec('DROP TRIGGER fail_write');
    s.close();
    await write(path, prices, '1');
    expect((state(path) as { history: unknown[] }).history).toHaveLength(N);
  });

  it('abort drops what the thread wrote and lets go of the write lock', async () => {
    const { path, prices } = seeded();
    const before = state(path);
    process.env.MERCHANT_PRICE_THREAD_MIN = '1';
    const s: Store = openStore(path);
    try {
      const w = priceWriter(s, AT, prices.length, WORKER);
      expect(w).toBeInstanceOf(ThreadPriceWriter);
      for (const p of prices) w.add(p);
      w.abort();
      w.abort();
      // (the thread rolls back when it reads the abort: the store's busy timeout waits for it)
      s.tx(() => s.db.prepare("INSERT INTO audit_log (at, command, entity, action) VALUES (?, 'test', 'test', 'test')").run(AT));
    } finally {
      s.close();
      delete process.env.MERCHANT_PRICE_THREAD_MIN;
    }
    expect(state(path)).toEqual(before);
  });

  it('refuses a value past 64 bits when it is added, before anything is written', async () => {
    const { path, prices } = seeded();
    const before = state(path);
    const bad = [...prices.slice(0, 10), { ...prices[10]!, newMinor: 2n ** 63n }];
    await expect(write(path, bad, '1')).rejects.toThrow(/new price 9223372036854775808 does not fit a 64-bit integer/);
    expect(state(path)).toEqual(before);
  });
});
