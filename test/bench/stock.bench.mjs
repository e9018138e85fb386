// Stock per location at 100,000 SKUs × 5 locations (500,000 levels): `stock list --totals` (StockRepo.totals)
// and the per-channel available quantity the sync plan reads (CHANNEL_LOCATIONS_CTE + channelAvailableSql,
// for every listing of a channel that sells from 2 of the 5 locations), each one SQL statement, against
// a plain SQL GROUP BY over stock_levels in the same run. Target: ≤ 1.5× the plain GROUP BY.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SKUS = 100_000;
const RUNS = 5;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(fn) {
  const ms = [];
  let n = 0;
  fn(); // warm the page cache and the statement
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    n = fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(ms), n };
}

export default async function ({ root }) {
  const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
  const { openStore } = await import(dist('store/db.js'));
  const { StockRepo, CHANNEL_LOCATIONS_CTE, channelAvailableSql } = await import(dist('store/repos/stock.js'));
  const dir = mkdtempSync(join(tmpdir(), 'merchant-stock-bench-'));
  try {
    const store = openStore(join(dir, 'merchant.db'));
    const db = store.db;
    const T = `'2026-01-01T00:00:00Z'`;
    db.exec(`
      BEGIN;
      CREATE TEMP TABLE seq (value INTEGER PRIMARY KEY);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SKUS}) INSERT INTO seq SELECT i FROM n;
      INSERT INTO stock_locations (code, name, kind, country, created_at, updated_at) VALUES
        ('de-3pl', 'DE 3PL', '3pl', 'DE', ${T}, ${T}), ('us-wh', 'US', 'warehouse', 'US', ${T}, ${T}),
        ('uk-wh', 'UK', 'warehouse', 'GB', ${T}, ${T}), ('nl-3pl', 'NL 3PL', '3pl', 'NL', ${T}, ${T});
      INSERT INTO channels (code, marketplace, currency, created_at, updated_at) VALUES
        ('amazon-de', 'amazon', 'EUR', ${T}, ${T}), ('shopify', 'shopify', 'SEK', ${T}, ${T}), ('ebay-uk', 'ebay', 'GBP', ${T}, ${T});
      INSERT INTO channel_stock_locations (channel, location_id, position) VALUES
        ('amazon-de', (SELECT id FROM stock_locations WHERE code = 'de-3pl'), 1), ('amazon-de', (SELECT id FROM stock_locations WHERE code = 'nl-3pl'), 2),
        ('shopify', 1, 1), ('shopify', (SELECT id FROM stock_locations WHERE code = 'de-3pl'), 2);
      INSERT INTO products (id, handle, title, created_at, updated_at) SELECT value, 'p' || value, 'P', ${T}, ${T} FROM seq WHERE value <= ${SKUS / 4};
      INSERT INTO variants (id, product_id, sku, created_at, updated_at) SELECT value, 1 + (value - 1) / 4, printf('SKU-%06d', value), ${T}, ${T} FROM seq;
      INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, inbound, unfulfillable, updated_at)
        SELECT l.id, v.value, (v.value * 7 + l.id) % 60, (v.value + l.id) % 5, (v.value % 11 = 0) * 12, 0, ${T}
          FROM seq v CROSS JOIN stock_locations l;
      INSERT INTO channel_listings (variant_id, channel, price_minor, currency, created_at, updated_at)
        SELECT value, 'amazon-de', 1999, 'EUR', ${T}, ${T} FROM seq;
      COMMIT;
      ANALYZE;
    `);
    const levels = Number(db.prepare('SELECT count(*) AS n FROM stock_levels').get().n);
    const repo = new StockRepo(store);
    // The baseline: the same figures by a plain GROUP BY over stock_levels (no SKU, no order).
    const plainTotals = db.prepare(`SELECT variant_id, sum(on_hand) AS on_hand, sum(reserved) AS reserved, sum(max(on_hand - reserved, 0)) AS available, sum(inbound) AS inbound, count(*) AS locations FROM stock_levels GROUP BY variant_id`);
    const base1 = timeIt(() => plainTotals.all().length);
    // (totals() streams from a cursor since the read commands stream: counted as it is read, every row built.)
    const count = (rows) => {
      let n = 0;
      for (const _ of rows) n++;
      return n;
    };
    const list = timeIt(() => count(repo.totals({})));
    const de = db.prepare(`SELECT location_id FROM channel_stock_locations WHERE channel = 'amazon-de'`).all().map((r) => Number(r.location_id));
    const plainChannel = db.prepare(`SELECT variant_id, sum(max(on_hand - reserved, 0)) AS available FROM stock_levels WHERE location_id IN (${de.join(',')}) GROUP BY variant_id`);
    const channelStmt = db.prepare(`WITH ${CHANNEL_LOCATIONS_CTE}
      SELECT cl.variant_id, ${channelAvailableSql('cl.variant_id', 'cl.channel')} AS available FROM channel_listings cl WHERE cl.channel = 'amazon-de'`);
    // Same answers, or the comparison means nothing.
    const a = new Map(plainChannel.all().map((r) => [Number(r.variant_id), Number(r.available)]));
    for (const r of channelStmt.all()) if (a.get(Number(r.variant_id)) !== Number(r.available)) throw new Error(`channel available differs for variant ${r.variant_id}`);
    const base2 = timeIt(() => plainChannel.all().length);
    const chan = timeIt(() => channelStmt.all().length);
    store.close();
    return [
      { name: `stock list --totals: ${list.n} SKUs over ${levels} levels`, value: list.ms, unit: 'ms', baseline: base1.ms, ratio: list.ms / base1.ms, target: 1.5 },
      { name: `sync plan available (amazon-de, 2 locations): ${chan.n} listings`, value: chan.ms, unit: 'ms', baseline: base2.ms, ratio: chan.ms / base2.ms, target: 1.5 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
