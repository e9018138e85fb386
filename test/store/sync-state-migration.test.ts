// Migration 250 (pending sync work as listing state, issue #20) on a database at the version before it
// (220) holding outbox rows in every state: pending rows of existing listings become the listings'
// pending bits (and the plan sends the same things it would have), rows in flight, refused, finished
// or for a SKU that does not exist stay rows, and nothing else changes.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { planMarketplace } from '../../src/services/sync/plan.js';
import { wantedListings, kindsOf } from '../../src/store/repos/sync-state.js';
import { tempDir } from '../helpers/run.js';

const BEFORE = 220;
const T = '2026-11-01T08:00:00Z';

function oldDatabase(): string {
  const path = join(tempDir(), 'old.db');
  const raw = new Database(path);
  for (const m of MIGRATIONS.filter((x) => x.version <= BEFORE)) {
    raw.exec(m.sql);
    raw.pragma(`user_version = ${m.version}`);
  }
  raw.prepare(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Mug', ?, ?)`).run(T, T);
  const v = raw.prepare(`INSERT INTO variants (id, product_id, sku, created_at, updated_at) VALUES (?, 1, ?, ?, ?)`);
  ['MUG-A', 'MUG-B', 'MUG-C', 'MUG-D'].forEach((sku, i) => v.run(i + 1, sku, T, T));
  const cl = raw.prepare(
    `INSERT INTO channel_listings (id, variant_id, channel, status, price_minor, currency, acked_price_minor, acked_quantity, acked_status, acked_at, created_at, updated_at)
     VALUES (?, ?, ?, 'active', ?, 'EUR', 1000, 5, 'active', ?, ?, ?)`,
  );
  cl.run(1, 1, 'shopify', 1200, T, T, T); // MUG-A: price and stock pending
  cl.run(2, 2, 'shopify', 1300, T, T, T); // MUG-B: a price in flight ('sent' by a killed run)
  cl.run(3, 3, 'shopify', 1400, T, T, T); // MUG-C: a refused price
  cl.run(4, 4, 'shopify', 1000, T, T, T); // MUG-D: acknowledged long ago
  cl.run(5, 1, 'ebay-uk', 999, T, T, T); // MUG-A on eBay: a price pending for another marketplace
  const o = raw.prepare(
    `INSERT INTO outbox (id, channel, marketplace, sku, kind, payload_json, state, attempts, sent_json, attempt_key, error_code, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '{"reason":"test"}', ?, ?, ?, ?, ?, ?, ?)`,
  );
  o.run(1, 'shopify', 'shopify', 'MUG-A', 'price', 'superseded', 0, null, null, null, T, T);
  o.run(2, 'shopify', 'shopify', 'MUG-A', 'price', 'pending', 0, null, null, null, T, T);
  o.run(3, 'shopify', 'shopify', 'MUG-A', 'inventory', 'pending', 0, null, null, null, T, T);
  o.run(4, 'shopify', 'shopify', 'MUG-B', 'price', 'sent', 1, '{"price":"13.00","currency":"EUR"}', 'db:4:1', null, T, T);
  o.run(5, 'shopify', 'shopify', 'MUG-C', 'price', 'failed', 1, '{"price":"14.00","currency":"EUR"}', 'db:5:1', 'INVALID', T, T);
  o.run(6, 'shopify', 'shopify', 'MUG-D', 'price', 'acked', 1, '{"price":"10.00","currency":"EUR"}', 'db:6:1', null, T, T);
  o.run(7, 'shopify', 'shopify', 'GONE-SKU', 'price', 'pending', 0, null, null, null, T, T);
  o.run(8, 'ebay-uk', 'ebay', 'MUG-A', 'price', 'pending', 0, null, null, null, T, T);
  raw.close();
  return path;
}

const planOf = (s: ReturnType<typeof openStore>, mp: 'shopify' | 'ebay', ch: string) =>
  planMarketplace(s, mp, [ch], new Set(['prices', 'inventory']), { planCalls: () => [] });

describe('migration 250 (sync state) from a database at version 220', () => {
  it('turns pending outbox rows of existing listings into listing state, keeps every other row, and plans the same work', () => {
    const path = oldDatabase();
    const s = openStore(path);
    try {
      expect(Number(s.db.pragma('user_version', { simple: true }))).toBeGreaterThanOrEqual(250);
      // Pending rows → bits on their listing (price | inventory for MUG-A on shopify, price on ebay-uk).
      const wanted = wantedListings(s).map((w) => [w.channel, w.sku, kindsOf(w.bits)]);
      expect(wanted.sort()).toEqual([
        ['ebay-uk', 'MUG-A', ['price']],
        ['shopify', 'MUG-A', ['price', 'inventory']],
      ]);
      const states = s.db.prepare('SELECT id, state, attempts, sent_json, attempt_key, error_code FROM outbox ORDER BY id').all();
      expect(states).toEqual([
        { id: 1n, state: 'superseded', attempts: 0n, sent_json: null, attempt_key: null, error_code: null },
        { id: 2n, state: 'superseded', attempts: 0n, sent_json: null, attempt_key: null, error_code: null },
        { id: 3n, state: 'superseded', attempts: 0n, sent_json: null, attempt_key: null, error_code: null },
        { id: 4n, state: 'sent', attempts: 1n, sent_json: '{"price":"13.00","currency":"EUR"}', attempt_key: 'db:4:1', error_code: null },
        { id: 5n, state: 'failed', attempts: 1n, sent_json: '{"price":"14.00","currency":"EUR"}', attempt_key: 'db:5:1', error_code: 'INVALID' },
        { id: 6n, state: 'acked', attempts: 1n, sent_json: '{"price":"10.00","currency":"EUR"}', attempt_key: 'db:6:1', error_code: null },
        { id: 7n, state: 'pending', attempts: 0n, sent_json: null, attempt_key: null, error_code: null },
        { id: 8n, state: 'superseded', attempts: 0n, sent_json: null, attempt_key: null, error_code: null },
      ]);
      // The moved rows say where they went; listing values are untouched.
      expect(s.db.prepare(`SELECT error_message FROM outbox WHERE id = 2`).get()).toEqual({ error_message: expect.stringContaining('sync_pending') });
      expect(s.db.prepare('SELECT id, price_minor, acked_price_minor, acked_quantity FROM channel_listings ORDER BY id').all()).toEqual([
        { id: 1n, price_minor: 1200n, acked_price_minor: 1000n, acked_quantity: 5n },
        { id: 2n, price_minor: 1300n, acked_price_minor: 1000n, acked_quantity: 5n },
        { id: 3n, price_minor: 1400n, acked_price_minor: 1000n, acked_quantity: 5n },
        { id: 4n, price_minor: 1000n, acked_price_minor: 1000n, acked_quantity: 5n },
        { id: 5n, price_minor: 999n, acked_price_minor: 1000n, acked_quantity: 5n },
      ]);
      // The plan: what the old rows asked for, item by item.
      const shop = planOf(s, 'shopify', 'shopify');
      expect(shop.items.map((i) => [i.sku, i.kinds, i.new, i.reconcile])).toEqual([
        ['MUG-A', ['inventory', 'price'], { price: '12.00', currency: 'EUR' }, false],
        ['MUG-B', ['price'], { price: '13.00', currency: 'EUR' }, true],
        ['MUG-C', ['price'], { price: '14.00', currency: 'EUR' }, false],
      ]);
      expect(shop.items.find((i) => i.sku === 'MUG-B')!.outboxIds).toEqual([4]);
      expect(shop.skipped.map((x) => [x.sku, x.reason])).toEqual([['GONE-SKU', 'no such SKU in the catalogue']]);
      const ebay = planOf(s, 'ebay', 'ebay-uk');
      expect(ebay.items.map((i) => [i.sku, i.new])).toEqual([['MUG-A', { price: '9.99', currency: 'EUR' }]]);
      // A run syncing another eBay storefront leaves it alone and says it is waiting for its channel.
      const other = planOf(s, 'ebay', 'ebay-de');
      expect([other.items.length, other.waitingForChannel]).toEqual([0, 1]);
      // The partial index holds only listings with pending work, and the plan's reading uses it.
      const idx = s.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'channel_listings_sync_pending'`).get() as { sql: string };
      expect(idx.sql).toMatch(/WHERE sync_pending != 0/);
      const qp = (s.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM channel_listings WHERE sync_pending != 0`).all() as Array<{ detail: string }>).map((r) => r.detail).join(" ");
      expect(qp).toContain('channel_listings_sync_pending');
    } finally {
      s.close();
    }
  });
});
