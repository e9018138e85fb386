// Migration 220 (stock per location, issue #19) applied to a database at the version before it (140),
// holding stock, reservations and order effects: the single stock number becomes the home warehouse's,
// reservations and order effects stay and point at home, the history starts with an opening movement,
// and the old `inventory` table keeps working as a view of the home warehouse.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { tempDir } from '../helpers/run.js';

const BEFORE = 140;

function oldDatabase(): string {
  const path = join(tempDir(), 'old.db');
  const raw = new Database(path);
  for (const m of MIGRATIONS.filter((x) => x.version <= BEFORE)) {
    raw.exec(m.sql);
    raw.pragma(`user_version = ${m.version}`);
  }
  const t = '2026-01-05T10:00:00Z';
  raw.prepare(`INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, created_at, updated_at) VALUES (1, 'Nordic Mugs AB', 'SE', 'SEK', 'Europe/Stockholm', ?, ?)`).run(t, t);
  raw.prepare(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Mug', ?, ?)`).run(t, t);
  raw.prepare(`INSERT INTO variants (id, product_id, sku, price_minor, currency, cost_minor, cost_currency, created_at, updated_at) VALUES (1, 1, 'MUG-BLU-S', 1290, 'EUR', 400, 'EUR', ?, ?)`).run(t, t);
  raw.prepare(`INSERT INTO variants (id, product_id, sku, price_minor, currency, created_at, updated_at) VALUES (2, 1, 'MUG-RED-S', 1290, 'EUR', ?, ?)`).run(t, t);
  raw.prepare(`INSERT INTO variants (id, product_id, sku, price_minor, currency, created_at, updated_at) VALUES (3, 1, 'MUG-GRN-S', 1290, 'EUR', ?, ?)`).run(t, t);
  raw.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (1, 24, 5, '2026-01-04T08:00:00Z'), (2, -1, 0, ?), (3, 0, 0, ?)`).run(t, t);
  raw
    .prepare(`INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, currency, total_minor, source, created_at, updated_at) VALUES (1, 'amazon', 'amazon-de', '302-1', 'unshipped', ?, 'EUR', 1490, 'pull', ?, ?), (2, 'ebay', 'ebay-uk', '12-1', 'shipped', ?, 'GBP', 1290, 'pull', ?, ?), (3, 'shopify', 'shopify', '#1001', 'cancelled', ?, 'EUR', 1290, 'pull', ?, ?)`)
    .run(t, t, t, t, t, t, t, t, t);
  raw.prepare(`INSERT INTO order_stock_effects (order_id, sku, reserved, deducted) VALUES (1, 'MUG-BLU-S', 5, 0), (2, 'MUG-BLU-S', 0, 2), (3, 'MUG-BLU-S', 0, 0)`).run();
  raw.close();
  return path;
}

describe('migration 220 (stock locations) from a database at version 140', () => {
  it('makes the single stock number the home warehouse stock, with nothing lost', () => {
    const s = openStore(oldDatabase());
    const db = s.db;
    expect(Number(db.pragma('user_version', { simple: true }))).toBeGreaterThanOrEqual(220);
    expect(db.prepare(`SELECT code, kind, country, is_home, address_json FROM stock_locations`).all()).toEqual([{ code: 'home', kind: 'own', country: 'SE', is_home: 1n, address_json: null }]);
    expect(db.prepare(`SELECT l.code, v.sku, s.on_hand, s.reserved, s.inbound, s.updated_at FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id JOIN variants v ON v.id = s.variant_id ORDER BY v.sku`).all()).toEqual([
      { code: 'home', sku: 'MUG-BLU-S', on_hand: 24n, reserved: 5n, inbound: 0n, updated_at: '2026-01-04T08:00:00Z' },
      { code: 'home', sku: 'MUG-GRN-S', on_hand: 0n, reserved: 0n, inbound: 0n, updated_at: '2026-01-05T10:00:00Z' },
      { code: 'home', sku: 'MUG-RED-S', on_hand: -1n, reserved: 0n, inbound: 0n, updated_at: '2026-01-05T10:00:00Z' },
    ]);
    // Order effects keep their numbers and now say where they were made; orders holding stock ship from home.
    expect(db.prepare(`SELECT order_id, sku, reserved, deducted, location_id FROM order_stock_effects ORDER BY order_id`).all()).toEqual([
      { order_id: 1n, sku: 'MUG-BLU-S', reserved: 5n, deducted: 0n, location_id: 1n },
      { order_id: 2n, sku: 'MUG-BLU-S', reserved: 0n, deducted: 2n, location_id: 1n },
      { order_id: 3n, sku: 'MUG-BLU-S', reserved: 0n, deducted: 0n, location_id: 1n },
    ]);
    expect(db.prepare(`SELECT id, stock_location_id FROM orders ORDER BY id`).all()).toEqual([
      { id: 1n, stock_location_id: 1n },
      { id: 2n, stock_location_id: 1n },
      { id: 3n, stock_location_id: null },
    ]);
    // The history starts with what was there, dated when it was last changed.
    expect(db.prepare(`SELECT at, sku, delta, on_hand_after, kind FROM stock_movements ORDER BY sku`).all()).toEqual([
      { at: '2026-01-04T08:00:00Z', sku: 'MUG-BLU-S', delta: 24n, on_hand_after: 24n, kind: 'opening' },
      { at: '2026-01-05T10:00:00Z', sku: 'MUG-GRN-S', delta: 0n, on_hand_after: 0n, kind: 'opening' },
      { at: '2026-01-05T10:00:00Z', sku: 'MUG-RED-S', delta: -1n, on_hand_after: -1n, kind: 'opening' },
    ]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    s.close();
  });

  it('keeps `inventory` as the home warehouse: writes through it reach stock_levels and the audit trail', () => {
    const s = openStore(oldDatabase());
    const db = s.db;
    expect(db.prepare(`SELECT variant_id, on_hand, reserved FROM inventory ORDER BY variant_id`).all()).toEqual([
      { variant_id: 1n, on_hand: 24n, reserved: 5n },
      { variant_id: 2n, on_hand: -1n, reserved: 0n },
      { variant_id: 3n, on_hand: 0n, reserved: 0n },
    ]);
    db.prepare(`UPDATE inventory SET on_hand = 30, updated_at = '2026-02-01T00:00:00Z' WHERE variant_id = 1`).run();
    db.prepare(`DELETE FROM inventory WHERE variant_id = 2`).run();
    db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (2, 7, 0, '2026-02-02T00:00:00Z')`).run();
    expect(db.prepare(`SELECT variant_id, on_hand, reserved FROM stock_levels ORDER BY variant_id`).all()).toEqual([
      { variant_id: 1n, on_hand: 30n, reserved: 5n },
      { variant_id: 2n, on_hand: 7n, reserved: 0n },
      { variant_id: 3n, on_hand: 0n, reserved: 0n },
    ]);
    expect(db.prepare(`SELECT sku, delta, on_hand_after, kind FROM stock_movements WHERE kind = 'catalogue' ORDER BY id`).all()).toEqual([
      { sku: 'MUG-BLU-S', delta: 6n, on_hand_after: 30n, kind: 'catalogue' },
      { sku: 'MUG-RED-S', delta: 1n, on_hand_after: 0n, kind: 'catalogue' },
      { sku: 'MUG-RED-S', delta: 7n, on_hand_after: 7n, kind: 'catalogue' },
    ]);
    s.close();
  });
});
