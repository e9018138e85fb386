// listings import at scale (PRODUCT.md §9): a generated 1,000,000-row catalogue, in the merchant template
// and in Shopify's format, against the sqlite3 CLI's `.import --csv` of the same file into an equivalent
// table with the same indexes (unique SKU, product handle). Also: peak RSS of the importing process
// (≤ 256 MB, and no higher at 1M rows than at 100k), and the re-import of the unchanged file.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, openSync, closeSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MERCHANT_HEADER = 'sku,handle,title,variant_title,vendor,product_type,barcode,price,currency,cost,cost_currency,weight_grams,hs_code,origin_country,quantity';
const SHOPIFY_HEADER = 'Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Cost per item,Variant HS Code,Variant Country of Origin';

function ean(i) {
  const body = `73500${String(i).padStart(7, '0')}`;
  let s = 0;
  for (let k = 0; k < 12; k++) s += Number(body[k]) * (k % 2 ? 3 : 1);
  return body + ((10 - (s % 10)) % 10);
}

async function generate(path, rows, kind) {
  const out = createWriteStream(path);
  out.write(`${kind === 'shopify' ? SHOPIFY_HEADER : MERCHANT_HEADER}\n`);
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const p = i >> 2;
    const price = `${(i % 5000) + 100}.${String(i % 100).padStart(2, '0')}`;
    const cost = `${(i % 3000) + 50}.00`;
    if (kind === 'shopify') {
      buf += (i & 3) === 0
        ? `product-${p},Stoneware mug ${p},"<p>Hand-thrown, glazed.</p>",Lindqvist,Mugs,Size,Size ${i & 3},SKU-${i},${300 + (i % 200)},${i % 50},${price},${cost},691200,SE\n`
        : `product-${p},,,,,,Size ${i & 3},SKU-${i},${300 + (i % 200)},${i % 50},${price},${cost},691200,SE\n`;
    } else {
      buf += `SKU-${i},product-${p},Stoneware mug ${p},Size ${i & 3},Lindqvist,Mugs,${ean(i)},${price},EUR,${cost},EUR,${300 + (i % 200)},691200,SE,${i % 50}\n`;
    }
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

// CPU seconds (user + system) as well as wall time: on a shared, loaded machine wall-clock ratios swing
// widely, CPU time much less. /usr/bin/time gives sqlite3's; merchant reports its own.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function sqliteImport(dir, file, kind) {
  const db = join(dir, `baseline-${kind}-${Date.now()}.db`);
  const cols = (kind === 'shopify' ? SHOPIFY_HEADER : MERCHANT_HEADER).split(',').map((c) => `"${c}" TEXT`).join(', ');
  const sku = kind === 'shopify' ? '"Variant SKU"' : 'sku';
  const handle = kind === 'shopify' ? '"Handle"' : 'handle';
  // WAL, as the merchant database is (PRODUCT.md: readers never block), so both write each page twice.
  const script = `PRAGMA journal_mode=WAL;\nCREATE TABLE catalog (${cols});\nCREATE UNIQUE INDEX catalog_sku ON catalog(${sku});\nCREATE INDEX catalog_handle ON catalog(${handle});\n.import --csv --skip 1 ${file} catalog\n`;
  const t = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'CPU %U %S', 'sqlite3', db], { input: script, encoding: 'utf8' })
    : spawnSync('sqlite3', [db], { input: script, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { ms, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined };
}

// The floor this schema sets: SQLite alone (the sqlite3 CLI, no CSV, no JavaScript) writing the rows a
// first import of N rows stores — products, variants with their indexes, each SKU's stock level and opening
// movement (set-based, as the import writes them since #20, not through the inventory view's per-row
// trigger), and for a Shopify file a channel listing per SKU (with its pending sync state) — into an empty
// merchant database. Whatever the import does,
// it cannot be faster than this; the ratio says how much of the 2x budget the schema itself takes.
async function schemaFloor(root, dir, rows, kind) {
  const { openStore } = await import(join(root, 'dist', 'store', 'db.js'));
  const db = join(dir, `floor-${kind}-${Date.now()}.db`);
  openStore(db).close();
  const T = "'2026-11-25T10:00:00.000Z'";
  const n = rows - 1;
  let sql = `PRAGMA cache_size = -8000;
BEGIN;
INSERT INTO products (id, handle, title, description, vendor, product_type, status, content_hash, created_at, updated_at)
  SELECT value + 1, 'product-' || value, 'Stoneware mug ' || value, ${kind === 'shopify' ? "'<p>Hand-thrown, glazed.</p>'" : 'NULL'}, 'Lindqvist', 'Mugs', 'active', 'abcdefghijklmnopqrstuv', ${T}, ${T}
  FROM generate_series(0, ${Math.ceil(rows / 4) - 1});
INSERT INTO variants (id, product_id, sku, title, options_json, barcode, price_minor, currency, cost_minor, cost_currency, weight_grams, hs_code, origin_country, content_hash, created_at, updated_at)
  SELECT value + 1, (value >> 2) + 1, 'SKU-' || value, 'Size ' || (value & 3), '[["Size","Size ' || (value & 3) || '"]]', ${kind === 'shopify' ? 'NULL' : "'7350000000000'"},
         (value % 5000) * 100 + 99, 'EUR', 5000, 'EUR', 300 + value % 200, '691200', 'SE', 'abcdefghijklmnopqrstuv', ${T}, ${T}
  FROM generate_series(0, ${n});
INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, updated_at)
  SELECT (SELECT id FROM stock_locations WHERE is_home = 1), value + 1, value % 50, 0, ${T} FROM generate_series(0, ${n});
INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason)
  SELECT ${T}, (SELECT id FROM stock_locations WHERE is_home = 1), value + 1, 'SKU-' || value, value % 50, value % 50, 'catalogue', 'catalogue stock column'
  FROM generate_series(0, ${n});
`;
  if (kind === 'shopify') {
    // (Since migration 250 a new listing carries its pending sync state; no outbox row per SKU.)
    sql += `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, sync_pending, sync_seq, created_at, updated_at)
  SELECT value + 1, 'shopify', 'active', (value % 5000) * 100 + 99, 'EUR', 4, 1, ${T}, ${T} FROM generate_series(0, ${n});
`;
  }
  sql += 'COMMIT;\n';
  const t = process.hrtime.bigint();
  const r = spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`sqlite3 (schema floor) failed: ${r.stderr}`);
  return { ms };
}

const best = (a, b) => ({ ms: Math.min(a.ms, b.ms), cpuMs: a.cpuMs === undefined ? undefined : Math.min(a.cpuMs, b.cpuMs) });

function merchant(root, home, args) {
  const rssFile = join(home, `rss-${Date.now()}`);
  const wrapper = join(home, 'rss-wrap.mjs');
  // Record the child's own peak RSS (process.resourceUsage().maxRSS, in KiB) when it exits.
  writeFileSync(wrapper, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify([u.maxRSS, (u.userCPUTime + u.systemCPUTime) / 1000])); });\nprocess.argv.splice(1, 1);\nawait import(${JSON.stringify(join(root, 'bin', 'merchant.js'))});\n`);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [wrapper, join(root, 'bin', 'merchant.js'), ...args, '--json'], { env: { ...process.env, MERCHANT_HOME: home }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`merchant ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const [rss, cpuMs] = JSON.parse(readFileSync(rssFile, 'utf8'));
  return { ms, cpuMs, rssMB: rss / 1024, doc: JSON.parse(r.stdout) };
}

/** Peak RSS (MB) and wall time of `merchant args` with its output thrown away (a read of the whole catalogue). */
function readRss(root, home, args) {
  const rssFile = join(home, `rss-read-${Date.now()}`);
  const wrapper = join(home, 'rss-wrap-read.mjs');
  writeFileSync(wrapper, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\nprocess.argv.splice(1, 1);\nawait import(${JSON.stringify(join(root, 'bin', 'merchant.js'))});\n`);
  const devnull = openSync('/dev/null', 'w');
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [wrapper, join(root, 'bin', 'merchant.js'), ...args], { env: { ...process.env, MERCHANT_HOME: home }, stdio: ['ignore', devnull, 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  closeSync(devnull);
  if (r.status !== 0) throw new Error(`merchant ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, rssMB: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

export default async function ({ root }) {
  const dir = mkdtempSync(join(tmpdir(), 'merchant-bench-import-'));
  const rows = [];
  try {
    const N = Number(process.env.IMPORT_BENCH_ROWS ?? 1_000_000);
    const small = Math.round(N / 10);
    const files = {};
    for (const kind of ['merchant', 'shopify']) {
      files[kind] = join(dir, `${kind}-${N}.csv`);
      await generate(files[kind], N, kind);
    }
    files.small = join(dir, `merchant-${small}.csv`);
    await generate(files.small, small, 'merchant');
    // The generated files (hundreds of MB) are still being written back by the kernel: let that finish
    // before anything is timed, or the first runs share the disk with it.
    spawnSync('sync');

    // Baseline: sqlite3 .import of the same file (median of 2 runs).
    const base = {};
    for (const kind of ['merchant', 'shopify']) base[kind] = best(sqliteImport(dir, files[kind], kind), sqliteImport(dir, files[kind], kind));
    const cpuRow = (name, run, baseline) =>
      baseline.cpuMs === undefined ? [] : [{ name: `${name} (CPU ms)`, value: run.cpuMs, unit: 'ms', baseline: baseline.cpuMs, ratio: run.cpuMs / baseline.cpuMs }];

    const home = (name) => mkdtempSync(join(dir, `${name}-`));
    const h1 = home('merchant');
    // Best of two first imports (each into its own fresh database), as the baseline is best of two.
    const firstRuns = [merchant(root, home('merchant-a'), ['listings', 'import', files.merchant]), merchant(root, h1, ['listings', 'import', files.merchant])];
    const first = firstRuns[0].ms < firstRuns[1].ms ? { ...firstRuns[0], cpuMs: Math.min(firstRuns[0].cpuMs, firstRuns[1].cpuMs), rssMB: Math.max(firstRuns[0].rssMB, firstRuns[1].rssMB) } : { ...firstRuns[1], cpuMs: Math.min(firstRuns[0].cpuMs, firstRuns[1].cpuMs), rssMB: Math.max(firstRuns[0].rssMB, firstRuns[1].rssMB) };
    if (first.doc.created !== N) throw new Error(`expected ${N} created, got ${first.doc.created}`);
    rows.push({ name: `import ${N.toLocaleString('en-US')} rows, merchant template (ms) vs sqlite3 .import`, value: first.ms, unit: 'ms', baseline: base.merchant.ms, ratio: first.ms / base.merchant.ms, target: 1.5 });
    rows.push(...cpuRow(`import ${N.toLocaleString('en-US')} rows, merchant template`, first, base.merchant));

    // A dry run before onboarding writes into a scratch store on disk: its memory must stay an import's.
    const dry = merchant(root, home('dry-run'), ['listings', 'import', files.merchant, '--dry-run']);
    if (dry.doc.created !== N) throw new Error(`dry run: expected ${N} created, got ${dry.doc.created}`);
    rows.push({ name: `peak RSS of a dry run of ${N.toLocaleString('en-US')} rows, no database yet (MB) vs 256 MB`, value: dry.rssMB, unit: 'MB', baseline: 256, ratio: dry.rssMB / 256, target: 1 });

    const again = merchant(root, h1, ['listings', 'import', files.merchant]);
    const written = again.doc.created + again.doc.updated;
    if (written !== 0) throw new Error(`re-import wrote ${written} rows`);
    rows.push({ name: `re-import unchanged file, ${written} rows written (ms) vs sqlite3 .import`, value: again.ms, unit: 'ms', baseline: base.merchant.ms, ratio: again.ms / base.merchant.ms, target: 0.25 });

    // The same re-import forced through the per-row comparison (a different option changes the run fingerprint).
    const perRow = merchant(root, h1, ['listings', 'import', files.merchant, '--delimiter', ',']);
    if (perRow.doc.created + perRow.doc.updated !== 0) throw new Error('per-row re-import wrote rows');
    rows.push({ name: 're-import unchanged file, per-row hash compare (ms) vs sqlite3 .import', value: perRow.ms, unit: 'ms', baseline: base.merchant.ms, ratio: perRow.ms / base.merchant.ms });
    rows.push(...cpuRow('re-import unchanged file, per-row hash compare', perRow, base.merchant));

    // Reading the whole 1M-SKU catalogue back streams from the store: each of these stays in the memory
    // budget of an import (they held everything once: 0.9–2.4 GB).
    for (const args of [['listings', 'list', '--json'], ['stock', 'list'], ['stock', 'list', '--json'], ['report', 'stock', '--json']]) {
      const read = readRss(root, h1, args);
      rows.push({ name: `peak RSS of \`merchant ${args.join(' ')}\` over ${N.toLocaleString('en-US')} SKUs (MB; ${(read.ms / 1000).toFixed(1)} s) vs 256 MB`, value: read.rssMB, unit: 'MB', baseline: 256, ratio: read.rssMB / 256, target: 1 });
    }

    const hs = home('shopify');
    const shopRuns = [merchant(root, hs, ['listings', 'import', files.shopify, '--currency', 'EUR']), merchant(root, home('shopify-b'), ['listings', 'import', files.shopify, '--currency', 'EUR'])];
    const shop = { ...shopRuns[0], ms: Math.min(shopRuns[0].ms, shopRuns[1].ms), cpuMs: Math.min(shopRuns[0].cpuMs, shopRuns[1].cpuMs), rssMB: Math.max(shopRuns[0].rssMB, shopRuns[1].rssMB) };
    rows.push({ name: `import ${N.toLocaleString('en-US')} rows, Shopify CSV (ms) vs sqlite3 .import`, value: shop.ms, unit: 'ms', baseline: base.shopify.ms, ratio: shop.ms / base.shopify.ms, target: 2 });
    rows.push(...cpuRow(`import ${N.toLocaleString('en-US')} rows, Shopify CSV`, shop, base.shopify));

    for (const kind of ['merchant', 'shopify']) {
      const floor = best(await schemaFloor(root, dir, N, kind), await schemaFloor(root, dir, N, kind));
      rows.push({ name: `schema floor: sqlite3 alone writing the rows a ${kind === 'shopify' ? 'Shopify' : 'merchant-template'} import of ${N.toLocaleString('en-US')} stores (ms) vs sqlite3 .import`, value: floor.ms, unit: 'ms', baseline: base[kind].ms, ratio: floor.ms / base[kind].ms });
    }

    const hsm = home('small');
    // Peak RSS is the higher of two runs at each size (a V8 heap's sawtooth peaks vary run to run).
    const smallRuns = [merchant(root, hsm, ['listings', 'import', files.small]), merchant(root, home('small-b'), ['listings', 'import', files.small])];
    const smallRun = { rssMB: Math.max(smallRuns[0].rssMB, smallRuns[1].rssMB) };
    rows.push({ name: `peak RSS importing ${N.toLocaleString('en-US')} rows (MB) vs 256 MB`, value: first.rssMB, unit: 'MB', baseline: 256, ratio: first.rssMB / 256, target: 1 });
    rows.push({ name: `peak RSS at ${N.toLocaleString('en-US')} rows vs ${small.toLocaleString('en-US')} rows (MB)`, value: first.rssMB, unit: 'MB', baseline: smallRun.rssMB, ratio: first.rssMB / smallRun.rssMB, target: 1 });
    rows.push({ name: `peak RSS importing ${N.toLocaleString('en-US')} Shopify rows (MB) vs 256 MB`, value: shop.rssMB, unit: 'MB', baseline: 256, ratio: shop.rssMB / 256, target: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
