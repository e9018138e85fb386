// `marketplace migrate ebay` beyond the happy path: five listings per bulkMigrateListing call, an
// answer that never came back (unconfirmed, found migrated on the next run), the --json document
// against its schema, and a database from before migration 120 upgraded with nothing lost.
import { LATEST_VERSION } from '../../src/store/migrate.js';
import { describe, it, expect } from 'vitest';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { world, NOW, requestsTo, setPrice } from './helpers.js';
import { ebaySandboxWithOrders } from './ebay-helpers.js';
import { writeFileSync } from 'node:fs';
import { parseAmount } from '../../src/core/money.js';
import { openStore } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { applyListingMigration, planListingMigration } from '../../src/services/marketplace/migrate.js';
import type { ActiveListing, ListingMappingStore, ListingMigrationPort, LocalEbayListing, MigrationOutcome, MigrationRecord } from '../../src/ports/listing-migration.js';
import { run, tempDir } from '../helpers/run.js';

const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../docs/schemas/marketplace-migrate.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
function valid(doc: unknown): void {
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
}

type J = Record<string, unknown>;

/** A fake eBay: n Seller Hub listings on ebay-de (SKU-DE), answers scripted per migrate call. */
function fakeEbay(n: number, answer: (ids: readonly string[], call: number) => MigrationOutcome[] | Error) {
  const calls: string[][] = [];
  const listings: ActiveListing[] = Array.from({ length: n }, (_, i) => ({ listingId: String(120600000000 + i), marketplaceId: 'EBAY_DE', skus: [`SKU${i}-DE`], variations: false }));
  const port: ListingMigrationPort = {
    migrateBatchMax: 5,
    activeListings: async (mk) => (mk === 'EBAY_DE' ? listings : []),
    inventorySkus: async () => new Set(),
    offersOf: async () => [],
    async migrate(ids) {
      if (ids.length > 5) throw new RangeError(`bulkMigrateListing takes 1 to 5 listings, got ${ids.length}`);
      calls.push([...ids]);
      const a = answer(ids, calls.length);
      if (a instanceof Error) throw a;
      return a;
    },
  };
  return { port, calls };
}

function fakeRepo(n: number) {
  const local: LocalEbayListing[] = Array.from({ length: n }, (_, i) => ({ channel: 'ebay-de', sku: `SKU${i}`, status: 'active', remoteSku: null, remoteId: null, remoteListingId: null }));
  const log: string[] = [];
  const saved: Array<{ sku: string; remoteSku: string; offerId: string | null; listingId: string | null }> = [];
  const records: MigrationRecord[] = [];
  let depth = 0;
  const repo: ListingMappingStore = {
    ebayListings: () => local,
    existingSkus: (skus) => new Set(skus),
    saveMapping: (m) => {
      expect(depth, 'mappings are written inside a transaction').toBe(1);
      saved.push(m);
    },
    recordMigration: (r) => {
      expect(depth).toBe(1);
      records.push(r);
    },
    transaction<T>(fn: () => T): T {
      depth++;
      log.push('begin');
      try {
        return fn();
      } finally {
        depth--;
        log.push('commit');
      }
    },
  };
  return { repo, saved, records, log };
}

const ok = (ids: readonly string[]): MigrationOutcome[] =>
  ids.map((id) => ({ listingId: id, marketplaceId: 'EBAY_DE', ok: true, statusCode: 200, items: [{ sku: `SKU${Number(id) - 120600000000}-DE`, offerId: `O${id}` }], errors: [], warnings: [] }));

describe('migration service (ports only)', () => {
  it('migrates at most five listings per call and stores each call\'s outcomes in one transaction', async () => {
    const { port, calls } = fakeEbay(12, (ids) => ok(ids));
    const { repo, saved, records, log } = fakeRepo(12);
    const plan = await planListingMigration(port, repo, { channels: ['ebay-de'], homeChannel: 'ebay-uk' });
    expect(plan.counts).toMatchObject({ listings: 12, migrate: 12 });
    expect(log).toEqual([]); // planning writes nothing
    const done = await applyListingMigration(port, repo, plan, { now: () => NOW });
    expect(calls.map((c) => c.length)).toEqual([5, 5, 2]);
    expect(done.counts).toMatchObject({ migrated: 12, failed: 0 });
    expect(saved[0]).toEqual({ channel: 'ebay-de', sku: 'SKU0', remoteSku: 'SKU0-DE', offerId: 'O120600000000', listingId: '120600000000' });
    expect(records).toHaveLength(12);
    expect(log.filter((x) => x === 'begin')).toHaveLength(4); // already-migrated (none) + one per call
  });

  it('a call without an answer leaves its listings unconfirmed; the others stand', async () => {
    const { port } = fakeEbay(7, (ids, call) => (call === 2 ? ids.map((id) => ({ listingId: id, marketplaceId: null, ok: false, statusCode: null, items: [], errors: [{ code: 'TIMEOUT', message: 'ebay: bulkMigrateListing timed out' }], warnings: [], unconfirmed: true })) : ok(ids)));
    const { repo, records } = fakeRepo(7);
    const done = await applyListingMigration(port, repo, await planListingMigration(port, repo, { channels: ['ebay-de'], homeChannel: 'ebay-uk' }), { now: () => NOW });
    expect(done.counts).toMatchObject({ migrated: 5, unconfirmed: 2 });
    expect(records.map((r) => r.status)).toEqual(['migrated', 'migrated', 'migrated', 'migrated', 'migrated', 'unconfirmed', 'unconfirmed']);
    expect(done.items[5]!.message).toMatch(/may or may not have migrated; run the command again/);
  });
});

async function withEbayDe(w: Awaited<ReturnType<typeof world>>): Promise<void> {
  const c = await w.cli(['marketplace', 'connect', 'ebay', '--sandbox', w.sb.url, '--channels', 'ebay-uk,ebay-de']);
  expect(c.code, c.stderr).toBe(0);
  const st = w.store();
  for (const sku of ['MUG-BLU-S', 'MUG-BLU-L', 'MUG-RED-S']) {
    const minor = parseAmount('16.50', 'EUR').minor;
    st.db
      .prepare(`INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, quantity, created_at, updated_at) VALUES ((SELECT id FROM variants WHERE sku = ?), 'ebay-de', 'active', ?, 'EUR', 3, ?, ?)`)
      .run(sku, minor, NOW, NOW);
  }
}

describe('marketplace migrate ebay: a lost answer', () => {
  it('is reported unconfirmed (exit 4), and the next run finds the listings migrated without sending them again', async () => {
    const w = await world(['ebay']);
    await withEbayDe(w);
    // eBay migrates the listings but the answer never arrives.
    w.sb.scriptFaults([{ match: 'POST /ebay/sell/inventory/v1/bulk_migrate_listing', nth: 1, fault: 'lost' }]);
    const r = await run(['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--yes', '--json'], { home: w.home, env: { ...w.env, MERCHANT_HTTP_TIMEOUTMS: '300' } });
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    valid(doc);
    expect(doc.items.filter((i: J) => i.action === 'migrate').map((i: J) => [i.listingId, i.result])).toEqual([['120500000001', 'unconfirmed'], ['120500000004', 'unconfirmed']]);
    expect(r.stderr).toMatch(/may or may not have migrated/);
    const st = w.store();
    expect(st.db.prepare(`SELECT status, count(*) AS n FROM listing_migrations GROUP BY status`).all()).toEqual([{ status: 'unconfirmed', n: 2n }]);
    expect(requestsTo(w.sb, 'ebay', 'bulk_migrate_listing')).toBe(1); // never re-sent blindly

    const again = await w.cli(['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--yes', '--json']);
    const doc2 = JSON.parse(again.stdout);
    valid(doc2);
    expect(doc2.items.filter((i: J) => ['120500000001', '120500000004'].includes(i.listingId as string)).map((i: J) => i.action)).toEqual(['already-migrated', 'already-migrated']);
    expect(requestsTo(w.sb, 'ebay', 'bulk_migrate_listing')).toBe(1);
    expect(st.db.prepare(`SELECT remote_sku, remote_listing_id FROM channel_listings WHERE channel = 'ebay-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-RED-S')`).get()).toEqual({ remote_sku: 'MUG-RED-S-DE', remote_listing_id: '120500000004' });
    // The dry run's document follows the same schema.
    valid(JSON.parse((await w.cli(['marketplace', 'migrate', 'ebay', '--dry-run', '--json'])).stdout));
  });
});

describe('marketplace migrate ebay --map: an eBay SKU of the seller\'s own choosing', () => {
  it('maps it to the catalogue SKU, stores it, and sync and orders use it', async () => {
    const sb = await ebaySandboxWithOrders(
      [{ orderId: '12-33333-00001', created: '2026-11-23T10:00:00.000Z', site: 'EBAY_DE', currency: 'EUR', lines: [{ sku: 'LK_KERZE_LAV', quantity: 2, unitPrice: '21.50', listing: 'EBAY_DE', legacyItemId: '120500000009' }] }],
      { legacy: [{ listingId: '120500000009', sku: 'LK_KERZE_LAV', price: '21.50', quantity: 5 }] },
    );
    const w = await world(['ebay'], { sb });
    const c = await w.cli(['marketplace', 'connect', 'ebay', '--sandbox', sb.url, '--channels', 'ebay-uk,ebay-de']);
    expect(c.code, c.stderr).toBe(0);
    const minor = parseAmount('21.50', 'EUR').minor;
    w.store().db.prepare(`INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, acked_price_minor, acked_status, acked_at, created_at, updated_at) VALUES ((SELECT id FROM variants WHERE sku = 'CANDLE-LAV'), 'ebay-de', 'active', ?, 'EUR', ?, 'active', ?, ?, ?)`).run(minor, minor, NOW, NOW, NOW);
    const plain = JSON.parse((await w.cli(['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--dry-run', '--json'])).stdout);
    expect(plain.items.find((i: J) => i.listingId === '120500000009')).toMatchObject({ action: 'skipped', skus: [{ ebaySku: 'LK_KERZE_LAV', sku: null }] });
    const unknown = await w.cli(['marketplace', 'migrate', 'ebay', '--map', 'LK_KERZE_LAV=NOPE', '--dry-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no SKU NOPE in the catalogue');
    const file = join(w.home, 'skus.csv');
    writeFileSync(file, 'ebay sku,sku\nLK_KERZE_LAV,CANDLE-LAV\n');
    const r = await w.cli(['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--map-file', file, '--listing', '120500000009', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ result: 'migrated', skus: [{ ebaySku: 'LK_KERZE_LAV', sku: 'CANDLE-LAV' }] });
    const show = JSON.parse((await w.cli(['listings', 'show', 'CANDLE-LAV', '--json'])).stdout);
    expect(show.channels.find((x: J) => x.channel === 'ebay-de')).toMatchObject({ remoteSku: 'LK_KERZE_LAV', remoteSkuSource: 'stored', remoteListingId: '120500000009' });
    // Sync prices it under that SKU; an order line with that SKU reserves CANDLE-LAV.
    setPrice(w.store(), 'ebay-de', 'CANDLE-LAV', '22.00');
    const s = await w.cli(['sync', '--yes', '--only', 'prices,orders', '--json']);
    expect(s.code, s.stderr).toBe(0);
    const bulk = w.sb.requests().filter((q) => q.path.endsWith('/bulk_update_price_quantity')).at(-1)!;
    expect(JSON.parse(bulk.body).requests[0]).toMatchObject({ sku: 'LK_KERZE_LAV', offers: [{ price: { value: '22.00', currency: 'EUR' } }] });
    const o = JSON.parse((await w.cli(['orders', 'show', '12-33333-00001', '--json'])).stdout);
    expect(o).toMatchObject({ channel: 'ebay-de', lines: [{ sku: 'CANDLE-LAV', quantity: 2 }] });
  });
});

describe('database from before migration 120', () => {
  it('upgrades with every listing kept; remote SKUs start empty (the convention applies)', () => {
    const path = join(tempDir('merchant-v50-'), 'm.db');
    const raw = new Database(path);
    for (const m of MIGRATIONS.filter((x) => x.version <= 50)) raw.exec(m.sql);
    raw.pragma('user_version = 50');
    raw.prepare(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Mug', ?, ?)`).run(NOW, NOW);
    raw.prepare(`INSERT INTO variants (id, product_id, sku, created_at, updated_at) VALUES (1, 1, 'MUG-BLU-S', ?, ?)`).run(NOW, NOW);
    raw.prepare(`INSERT INTO channel_listings (variant_id, channel, remote_id, price_minor, currency, created_at, updated_at) VALUES (1, 'ebay-uk', '7000000001', 1450, 'GBP', ?, ?)`).run(NOW, NOW);
    raw.prepare(`INSERT INTO sync_cursors (marketplace, stream, cursor, updated_at) VALUES ('ebay', 'orders', '2026-11-21T07:30:00.000Z', ?)`).run(NOW);
    raw.close();
    const s = openStore(path);
    expect(Number(s.db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    expect(s.db.prepare('SELECT channel, remote_id, price_minor, remote_sku, remote_listing_id FROM channel_listings').all()).toEqual([{ channel: 'ebay-uk', remote_id: '7000000001', price_minor: 1450n, remote_sku: null, remote_listing_id: null }]);
    expect(s.db.prepare('SELECT cursor FROM sync_cursors').all()).toEqual([{ cursor: '2026-11-21T07:30:00.000Z' }]);
    expect(s.db.prepare('SELECT count(*) AS n FROM listing_migrations').get()).toEqual({ n: 0n });
    // Two listings of one storefront cannot share an eBay SKU.
    s.db.prepare(`INSERT INTO variants (id, product_id, sku, created_at, updated_at) VALUES (2, 1, 'MUG-RED-S', ?, ?)`).run(NOW, NOW);
    s.db.prepare(`INSERT INTO channel_listings (variant_id, channel, remote_sku, created_at, updated_at) VALUES (2, 'ebay-de', 'X', ?, ?)`).run(NOW, NOW);
    s.db.prepare(`UPDATE channel_listings SET remote_sku = 'X' WHERE variant_id = 1 AND channel = 'ebay-uk'`).run(); // another storefront: fine
    expect(() => s.db.prepare(`INSERT INTO channel_listings (variant_id, channel, remote_sku, created_at, updated_at) VALUES (1, 'ebay-de', 'X', ?, ?)`).run(NOW, NOW)).toThrow(/UNIQUE/);
    s.close();
  });
});
