// Migrations 100–102 (Amazon conformance, issue #15) applied to a database left at the version before
// them, holding a catalogue, a channel listing and an order: nothing is lost, the new columns start
// unknown (NULL, which every reader takes as "merchant-fulfilled, not learnt yet"), the new tables are empty.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { LATEST_VERSION } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { tempDir } from '../helpers/run.js';

const BEFORE = 50;

describe('Amazon migrations (100–102) from a database at version 50', () => {
  it('keep every row and add the fulfilment, product type, queued feed and pacer state storage', () => {
    const path = join(tempDir(), 'old.db');
    const raw = new Database(path);
    for (const m of MIGRATIONS.filter((x) => x.version <= BEFORE)) {
      raw.exec(m.sql);
      raw.pragma(`user_version = ${m.version}`);
    }
    expect(Number(raw.pragma('user_version', { simple: true }))).toBe(BEFORE);
    const t = '2026-01-05T10:00:00Z';
    raw.prepare(`INSERT INTO products (id, handle, title, product_type, created_at, updated_at) VALUES (1, 'mug', 'Mug', 'DRINKWARE', ?, ?)`).run(t, t);
    raw.prepare(`INSERT INTO variants (id, product_id, sku, price_minor, currency, created_at, updated_at) VALUES (1, 1, 'MUG-BLU-S', 1290, 'EUR', ?, ?)`).run(t, t);
    raw
      .prepare(`INSERT INTO channel_listings (id, variant_id, channel, price_minor, currency, quantity, acked_price_minor, acked_quantity, acked_at, created_at, updated_at) VALUES (1, 1, 'amazon-de', 1490, 'EUR', 7, 1490, 7, ?, ?, ?)`)
      .run(t, t, t);
    raw
      .prepare(`INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, currency, total_minor, source, created_at, updated_at) VALUES (1, 'amazon', 'amazon-de', '302-1111111-2222222', 'Unshipped', ?, 'EUR', 1490, 'pull', ?, ?)`)
      .run(t, t, t);
    raw.close();

    const s = openStore(path);
    expect(Number(s.db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(102);
    expect(s.db.prepare(`SELECT channel, price_minor, quantity, acked_price_minor, acked_quantity, acked_at, fulfilled_by, remote_product_type FROM channel_listings`).all()).toEqual([
      { channel: 'amazon-de', price_minor: 1490n, quantity: 7n, acked_price_minor: 1490n, acked_quantity: 7n, acked_at: t, fulfilled_by: null, remote_product_type: null },
    ]);
    expect(s.db.prepare(`SELECT external_id, total_minor, fulfilled_by FROM orders`).all()).toEqual([{ external_id: '302-1111111-2222222', total_minor: 1490n, fulfilled_by: null }]);
    expect(s.db.prepare(`SELECT product_type FROM products`).get()).toEqual({ product_type: 'DRINKWARE' });
    for (const table of ['queued_batches', 'queued_batch_items', 'rate_limit_state']) {
      expect(s.db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0n });
    }
    // The new columns take only what the code writes.
    expect(() => s.db.prepare(`UPDATE channel_listings SET fulfilled_by = 'amazon'`).run()).toThrow(/CHECK/);
    s.db.prepare(`UPDATE channel_listings SET fulfilled_by = 'marketplace', remote_product_type = 'CUP'`).run();
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    s.close();
  });
});
