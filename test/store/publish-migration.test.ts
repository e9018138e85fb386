// Migration 210 (listings publish) applied to a database at the version before it (140): the catalogue,
// its channel listings and their acknowledged values are kept; the new tables start empty and take
// only the states the code writes.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { LATEST_VERSION } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { tempDir } from '../helpers/run.js';

const BEFORE = 140;

describe('migration 210 (listings publish) from a database at version 140', () => {
  it('keeps every listing and adds empty publication, settings and channel settings tables', () => {
    const path = join(tempDir(), 'old.db');
    const raw = new Database(path);
    for (const m of MIGRATIONS.filter((x) => x.version <= BEFORE)) {
      raw.exec(m.sql);
      raw.pragma(`user_version = ${m.version}`);
    }
    const t = '2026-11-05T10:00:00Z';
    raw.prepare(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'vase', 'Vase', ?, ?)`).run(t, t);
    raw.prepare(`INSERT INTO variants (id, product_id, sku, barcode, created_at, updated_at) VALUES (1, 1, 'VASE-WHT', '4006381333993', ?, ?)`).run(t, t);
    raw.prepare(`INSERT INTO channel_listings (id, variant_id, channel, price_minor, currency, acked_price_minor, acked_status, remote_sku, created_at, updated_at) VALUES (1, 1, 'amazon-de', 4590, 'EUR', 4590, 'active', NULL, ?, ?)`).run(t, t);
    raw.close();

    const s = openStore(path);
    expect(Number(s.db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(210);
    expect(s.db.prepare(`SELECT channel, price_minor, acked_price_minor, acked_status FROM channel_listings`).all()).toEqual([{ channel: 'amazon-de', price_minor: 4590n, acked_price_minor: 4590n, acked_status: 'active' }]);
    expect(s.db.prepare(`SELECT sku, barcode FROM variants`).all()).toEqual([{ sku: 'VASE-WHT', barcode: '4006381333993' }]);
    for (const table of ['listing_publications', 'publish_settings', 'publish_channel_settings']) expect(s.db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0n });
    expect(() => s.db.prepare(`INSERT INTO listing_publications (channel, sku, state, method, created_at, updated_at) VALUES ('amazon-de', 'VASE-WHT', 'done', 'offer', ?, ?)`).run(t, t)).toThrow(/CHECK/);
    s.db.prepare(`INSERT INTO listing_publications (channel, sku, state, method, created_at, updated_at) VALUES ('amazon-de', 'VASE-WHT', 'sending', 'offer', ?, ?)`).run(t, t);
    expect(() => s.db.prepare(`INSERT INTO listing_publications (channel, sku, state, method, created_at, updated_at) VALUES ('amazon-de', 'VASE-WHT', 'listed', 'offer', ?, ?)`).run(t, t)).toThrow(/UNIQUE/);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    s.close();
  });
});
