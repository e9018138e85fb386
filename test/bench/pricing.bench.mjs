// Pricing 100,000 SKUs on 5 channels (3 marketplaces, 5 currencies: GBP, JPY, USD, EUR, SEK) = 500,000
// prices, solved exactly (BigInt, folded once per rule and rate: core/pricing.ts compileSolve), with listings
// (price and pending sync state) and price history written in one
// transaction — against a plain SQL UPDATE of the same 500,000 channel_listings rows in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SKUS = Number(process.env.PRICING_BENCH_SKUS ?? 100_000);

export default async function ({ root }) {
  const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
  const { openStore } = await import(dist('store/db.js'));
  const home = mkdtempSync(join(tmpdir(), 'merchant-bench-pricing-'));
  const env = { ...process.env, MERCHANT_HOME: home, MERCHANT_NOW: '2026-04-14T09:00:00Z', NO_COLOR: '1' };
  const bin = join(root, 'bin', 'merchant.js');
  let last = '';
  const cli = (args) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`merchant ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    last = r.stderr.trim().split('\n').pop() ?? '';
    return ms;
  };
  try {
    cli(['fx', 'update', '--file', join(root, 'fixtures', 'ecb', 'eurofxref-hist.csv')]);
    const store = openStore(join(home, 'merchant.db'));
    const at = '2026-04-01T00:00:00Z';
    const costCcy = ['EUR', 'USD', 'GBP', 'SEK', 'JPY'];
    store.tx(() => {
      const p = store.db.prepare('INSERT INTO products (handle, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
      const v = store.db.prepare('INSERT INTO variants (product_id, sku, cost_minor, cost_currency, landed_cost_minor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (let i = 0; i < SKUS; i++) {
        const sku = `SKU-${String(i).padStart(6, '0')}`;
        const pid = p.run(sku.toLowerCase(), sku, at, at).lastInsertRowid;
        const ccy = costCcy[i % costCcy.length];
        const cost = BigInt(ccy === 'JPY' ? 300 + (i % 9000) : 199 + ((i * 37) % 20000));
        v.run(pid, sku, cost, ccy, BigInt(i % 3) * 25n, at, at);
      }
      const ch = store.db.prepare('INSERT INTO channels (code, marketplace, currency, country, prices_include_tax, vat_rate, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)');
      ch.run('amazon-uk', 'amazon', 'GBP', 'GB', 1, '0.20', at, at);
      ch.run('amazon-jp', 'amazon', 'JPY', 'JP', 1, '0.10', at, at);
      ch.run('ebay-us', 'ebay', 'USD', 'US', 0, null, at, at);
      ch.run('ebay-de', 'ebay', 'EUR', 'DE', 1, '0.19', at, at);
      ch.run('shopify', 'shopify', 'SEK', 'SE', 1, '0.25', at, at);
    });
    store.close();
    cli(['prices', 'rules', 'set', 'uk', '--channel', 'amazon-uk', '--margin', '25%', '--fee', '15.3%', '--min-fee', '0.25', '--vat', '20%', '--vat-included', '--fx-buffer', '2%', '--ending', '.99', '--min', '5.00']);
    cli(['prices', 'rules', 'set', 'jp', '--channel', 'amazon-jp', '--margin', '20%', '--fee', '10%', '--ending', '10']);
    cli(['prices', 'rules', 'set', 'us', '--channel', 'ebay-us', '--margin', '22%', '--fee', '13.25%+0.30', '--fx-buffer', '1.5%', '--ending', '.95']);
    cli(['prices', 'rules', 'set', 'de', '--channel', 'ebay-de', '--markup', '60%', '--ending', '.99']);
    cli(['prices', 'rules', 'set', 'se', '--channel', 'shopify', '--margin', '30%', '--fee', '2.9%+3.00', '--vat-included', '--ending', '1']);

    const first = cli(['prices', 'update', '--yes']);
    const firstSummary = last;
    // every cost rises 10%: all 500,000 prices are recomputed and nearly all change
    const s2 = openStore(join(home, 'merchant.db'));
    s2.db.prepare('UPDATE variants SET cost_minor = cost_minor * 11 / 10').run();
    s2.close();
    const reprice = cli(['prices', 'update', '--yes']);
    const repriceSummary = last;
    const unchanged = cli(['prices', 'update', '--yes']);
    const unchangedSummary = last;
    process.stderr.write(`  first: ${firstSummary}\n  re-price: ${repriceSummary}\n  unchanged: ${unchangedSummary}\n`);

    // Baseline: a plain SQL UPDATE of the same rows (one statement, one transaction, no history).
    const s3 = openStore(join(home, 'merchant.db'));
    const rows = Number(s3.db.prepare('SELECT count(*) AS n FROM channel_listings').get().n);
    const t = process.hrtime.bigint();
    s3.tx(() => s3.db.prepare('UPDATE channel_listings SET price_minor = (SELECT v.cost_minor * 2 + 99 FROM variants v WHERE v.id = channel_listings.variant_id), updated_at = ?').run('2026-04-14T09:00:00Z'));
    const sqlMs = Number(process.hrtime.bigint() - t) / 1e6;
    // The floor: SQLite alone writing what a re-price of every row must write (migration 290) — one
    // price_changes row per price (with an exact P of typical length) appended row by row from JavaScript,
    // then each listing's price and pending-sync bit set from them in one statement — nothing solved,
    // read or printed.
    const all = s3.db.prepare('SELECT id, variant_id, price_minor FROM channel_listings ORDER BY channel, variant_id').raw(true).all();
    const t2 = process.hrtime.bigint();
    s3.tx(() => {
      const before = s3.db.prepare('SELECT coalesce(max(id), 0) FROM price_changes').pluck().get();
      const basis = s3.db.prepare("INSERT INTO price_bases (changed_at, channel, currency, rule_name, rate, rate_date, source) VALUES ('2026-04-15T09:00:00Z', 'amazon-uk', 'GBP', 'uk', '8543/10000', '2026-04-13', 'ecb')").run().lastInsertRowid;
      const change = s3.db.prepare('INSERT INTO price_changes (basis_id, variant_id, listing_id, old_minor, new_minor, solved, bound, min_fee) VALUES (?, ?, ?, ?, ?, ?, NULL, 0)');
      for (const [id, variantId, price] of all) change.run(basis, variantId, id, price, price + 100n, '1234567890123/98765432100');
      s3.db.prepare(`UPDATE channel_listings SET price_minor = c.new_minor, currency = channel_listings.currency, updated_at = '2026-04-15T09:00:00Z', sync_pending = sync_pending | 1, sync_seq = sync_seq + 1
        FROM price_changes c JOIN price_bases b ON b.id = c.basis_id WHERE c.id > ? AND channel_listings.id = c.listing_id`).run(before);
    });
    const floorMs = Number(process.hrtime.bigint() - t2) / 1e6;
    s3.close();
    return [
      { name: `prices update: ${rows.toLocaleString('en-US')} prices, first run (insert listings+history)`, value: first, unit: 'ms', baseline: sqlMs, ratio: first / sqlMs, target: 5 },
      { name: `prices update: ${rows.toLocaleString('en-US')} prices re-priced (update listings+history)`, value: reprice, unit: 'ms', baseline: sqlMs, ratio: reprice / sqlMs, target: 5 },
      { name: `prices update: ${rows.toLocaleString('en-US')} prices, nothing changed (solve only)`, value: unchanged, unit: 'ms', baseline: sqlMs, ratio: unchanged / sqlMs },
      { name: `floor: SQLite alone writing those rows (history rows one by one, listings set from them; nothing solved)`, value: floorMs, unit: 'ms', baseline: sqlMs, ratio: floorMs / sqlMs },
      { name: `plain SQL UPDATE of the same ${rows.toLocaleString('en-US')} channel_listings rows (baseline)`, value: sqlMs, unit: 'ms' },
    ];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
