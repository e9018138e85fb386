// `report sales` over 1,000,000 order lines (24 months, 3 marketplaces, 6 currencies) against the same
// SQL (with the same exchange-rate table) run by the sqlite3 CLI on the same database, in the same run.
// The database is generated with SQL in a few seconds. Target: ≤ 1.5× the sqlite3 CLI.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ORDERS = 400_000; // 1 + (id % 4) lines each → 1,000,000 lines
const FROM = '2025-01-01';
const TO = '2026-12-31';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(cmd, args, opts) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export default async function ({ root }) {
  if (spawnSync('sqlite3', ['--version']).status !== 0) return [{ name: 'report sales 1M lines: sqlite3 CLI missing', value: 'skipped' }];
  const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
  const { openStore } = await import(dist('store/db.js'));
  const { salesReportScript } = await import(dist('services/reports/sales.js'));
  const dir = mkdtempSync(join(tmpdir(), 'merchant-report-bench-'));
  try {
    const dbPath = join(dir, 'merchant.db');
    const store = openStore(dbPath);
    const db = store.db;
    const t0 = Date.now();
    db.exec(`
      INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, created_at, updated_at)
        VALUES (1, 'Bench AB', 'SE', 'EUR', 'Europe/Stockholm', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
      CREATE TEMP TABLE ch (k INTEGER PRIMARY KEY, code TEXT, mp TEXT, cur TEXT, incl INTEGER, country TEXT);
      INSERT INTO ch VALUES (0,'amazon-de','amazon','EUR',1,'DE'), (1,'amazon-uk','amazon','GBP',1,'GB'), (2,'amazon-us','amazon','USD',0,'US'),
        (3,'amazon-jp','amazon','JPY',1,'JP'), (4,'ebay-uk','ebay','GBP',1,'GB'), (5,'ebay-us','ebay','USD',0,'US'),
        (6,'shopify','shopify','SEK',1,'SE'), (7,'shopify','shopify','KWD',1,'KW');
      BEGIN;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ORDERS})
      INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, currency, ship_country, shipping_minor, discount_minor,
        tax_minor, prices_include_tax, source, created_at, updated_at)
      SELECT i, ch.mp, ch.code, 'B-' || i, CASE WHEN i % 97 = 0 THEN 'cancelled' ELSE 'shipped' END,
        strftime('%Y-%m-%dT%H:%M:%SZ', '${FROM}', '+' || ((i * 63072000) / ${ORDERS}) || ' seconds'),
        ch.cur, ch.country, CASE ch.cur WHEN 'JPY' THEN 500 WHEN 'KWD' THEN 1500 ELSE 399 END * (i % 3),
        CASE WHEN i % 10 = 0 THEN 150 ELSE 0 END, (i % 700) + 100, ch.incl, 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
      FROM n JOIN ch ON ch.k = (i * 7 + i / 13) % 8;
      INSERT INTO order_lines (order_id, external_line_id, sku, quantity, unit_price_minor, discount_minor, tax_minor)
      SELECT o.id, 'L' || k.v, 'SKU-' || ((o.id * 31 + k.v) % 500), 1 + (o.id + k.v) % 3,
        CASE o.currency WHEN 'JPY' THEN 2980 WHEN 'KWD' THEN 12750 ELSE 1999 END + (o.id % 50) * 10, 0, 0
      FROM orders o JOIN (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) k ON k.v <= 1 + o.id % 4;
      INSERT INTO order_fees (order_id, kind, amount_minor, currency, occurred_at, external_id)
      SELECT id, 'commission', 250 + id % 300, CASE WHEN id % 5 = 0 THEN 'EUR' ELSE currency END, ordered_at, 'F1' FROM orders;
      INSERT INTO order_refunds (order_id, external_id, refunded_at, amount_minor, tax_minor, currency)
      SELECT id, 'R1', strftime('%Y-%m-%dT%H:%M:%SZ', ordered_at, '+20 days'), 999, 160, currency FROM orders WHERE id % 20 = 0;
      COMMIT;`);
    // Rates: every weekday of the two years (ECB style, 1 EUR = x), KWD as a manual rate.
    const ins = db.prepare(`INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES (?, ?, 'EUR', ?, ?, '2026-01-01T00:00:00Z')`);
    db.transaction(() => {
      let i = 0;
      for (let d = Date.UTC(2024, 11, 20); d <= Date.UTC(2026, 11, 31); d += 86_400_000) {
        const day = new Date(d);
        if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
        const date = day.toISOString().slice(0, 10);
        const w = (i++ % 9) - 4;
        ins.run('ecb', date, 'USD', (1.1684 + w * 0.0011).toFixed(4));
        ins.run('ecb', date, 'GBP', (0.8712 + w * 0.0007).toFixed(4));
        ins.run('ecb', date, 'JPY', (162.35 + w * 0.21).toFixed(2));
        ins.run('ecb', date, 'SEK', (11.0123 + w * 0.0123).toFixed(4));
        ins.run('manual', date, 'KWD', (0.3571 + w * 0.0002).toFixed(4));
      }
    })();
    db.exec('ANALYZE');
    const lines = Number(db.prepare('SELECT count(*) AS n FROM order_lines').get().n);
    const opts = { from: FROM, to: TO, time: 'month', dims: ['channel'], currency: 'EUR', dateBasis: 'refund' };
    const script = salesReportScript(store, opts);
    store.close();
    const genSeconds = (Date.now() - t0) / 1000;
    const scriptPath = join(dir, 'report.sql');
    writeFileSync(scriptPath, script);

    const bin = join(root, 'bin', 'merchant.js');
    const env = { PATH: process.env.PATH, HOME: dir, MERCHANT_HOME: dir, TZ: 'UTC', NO_COLOR: '1' };
    const merchantArgs = [bin, '--db', dbPath, 'report', 'sales', '--from', FROM, '--to', TO, '--group-by', 'month,channel', '--currency', 'EUR', '--format', 'csv'];
    const sqliteArgs = ['-csv', '-bail', dbPath, `.read ${scriptPath}`];
    // Warm the page cache once each, then alternate runs.
    const m0 = time(process.execPath, merchantArgs, { env });
    const s0 = time('sqlite3', sqliteArgs, {});
    const m = [];
    const s = [];
    for (let i = 0; i < 3; i++) {
      m.push(time(process.execPath, merchantArgs, { env }).ms);
      s.push(time('sqlite3', sqliteArgs, {}).ms);
    }
    const mRows = m0.stdout.trim().split('\n').filter((l) => !l.startsWith('period') && !l.startsWith('total')).length;
    const sRows = s0.stdout.trim().split('\n').length;
    if (mRows !== sRows) throw new Error(`merchant printed ${mRows} rows, sqlite3 ${sRows}`);
    const mm = median(m);
    const sm = median(s);
    // Every order listed (400,000, as a script exports them): streamed, in an import's memory budget.
    const wrapper = join(dir, 'rss-wrap.mjs');
    const rssFile = join(dir, 'rss');
    writeFileSync(wrapper, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\nprocess.argv.splice(1, 1);\nawait import(${JSON.stringify(bin)});\n`);
    const devnull = openSync('/dev/null', 'w');
    const ol = spawnSync(process.execPath, [wrapper, bin, '--db', dbPath, 'orders', 'list', '--json'], { env, stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8' });
    closeSync(devnull);
    if (ol.status !== 0) throw new Error(`orders list --json exited ${ol.status}: ${ol.stderr}`);
    const olMB = Number(readFileSync(rssFile, 'utf8')) / 1024;
    return [
      { name: `peak RSS of \`merchant orders list --json\` over ${ORDERS.toLocaleString('en')} orders (MB) vs 256 MB`, value: olMB, unit: 'MB', baseline: 256, ratio: olMB / 256, target: 1 },
      { name: `report sales --group-by month,channel --currency EUR, ${lines.toLocaleString('en')} lines (median ms; db built in ${genSeconds.toFixed(0)} s)`, value: mm, unit: 'ms', baseline: sm, ratio: mm / sm, target: 1.5 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
