// Upsert semantics: counts, idempotent re-import, outbox entries, all-or-nothing, skip-invalid with a
// rejects file, dry run, several files in one transaction, the writer lock.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { fx, query, count, snapshot, pendingWork, ackAll, DEMO } from './helpers.js';
import { openStore } from '../../src/store/db.js';

const SHOP = join(DEMO, 'shop-products.csv');
const AMZ = join(DEMO, 'amazon-flatfile.txt');
const json = (s: string) => JSON.parse(s);

describe('listings import: semantics', () => {
  it('re-importing the same file writes nothing (exact repeat, and after another file changed things)', async () => {
    const home = tempDir();
    const first = json((await run(['listings', 'import', SHOP, '--currency', 'SEK', '--json'], { home })).stdout);
    expect(first).toMatchObject({ created: 12, updated: 0, unchanged: 0, outbox: 12 });
    const before = snapshot(home);
    const again = await run(['listings', 'import', SHOP, '--currency', 'SEK', '--json'], { home });
    expect(again.code).toBe(0);
    expect(json(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 12, repeat: true });
    expect(snapshot(home)).toBe(before);

    // Another import changes the catalogue; the Shopify file is then compared row by row.
    expect((await run(['listings', 'import', AMZ], { home })).code).toBe(0);
    const mid = snapshot(home);
    const third = json((await run(['listings', 'import', SHOP, '--currency', 'SEK', '--json'], { home })).stdout);
    expect(third).toMatchObject({ created: 0, updated: 0, unchanged: 12, repeat: false, outbox: 0 });
    // Only the run log grows; no catalogue row and no outbox row was written.
    const strip = (s: string) => JSON.stringify(JSON.parse(s).slice(0, 5));
    expect(strip(snapshot(home))).toBe(strip(mid));
  });

  it('a changed price updates one SKU and queues a price change for each of its storefronts', async () => {
    const home = tempDir();
    await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home });
    await run(['listings', 'import', AMZ], { home });
    ackAll(home);
    const edited = join(tempDir(), 'shop.csv');
    writeFileSync(edited, readFileSync(SHOP, 'utf8').replace('MUG-BLU-S,380,shopify,40,deny,manual,249.00', 'MUG-BLU-S,380,shopify,40,deny,manual,259.00'));
    const r = json((await run(['listings', 'import', edited, '--currency', 'SEK', '--json'], { home })).stdout);
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 11 });
    expect(query(home, `SELECT price_minor FROM variants WHERE sku = 'MUG-BLU-S'`)).toEqual([{ price_minor: 25900n }]);
    expect(pendingWork(home).map((o) => [o.channel, o.kind, o.sku])).toEqual([
      ['shopify', 'price', 'MUG-BLU-S'],
    ]);
    expect(query(home, `SELECT price_minor FROM channel_listings WHERE channel = 'shopify' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`)).toEqual([{ price_minor: 25900n }]);
  });

  it('two files in one run: the later change supersedes the pending one queued by the earlier file', async () => {
    // The bulk load sets the new listings' pending state; the later file's change must land on the same listing, once.
    const home = tempDir();
    const edited = join(tempDir(), 'shop.csv');
    writeFileSync(edited, readFileSync(SHOP, 'utf8').replace('MUG-BLU-S,380,shopify', 'MUG-BLU-S,390,shopify'));
    const r = await run(['listings', 'import', SHOP, edited, '--currency', 'SEK', '--json'], { home });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ created: 12, updated: 1, outbox: 13 });
    expect(pendingWork(home).filter((o) => o.sku === 'MUG-BLU-S').map((o) => [o.channel, o.kind])).toEqual([['shopify', 'listing']]);
    expect(count(home, 'outbox')).toBe(0); // pending work is listing state: no row per change
    expect(pendingWork(home)).toHaveLength(12);
  });

  it('a changed title reaches every storefront as a listing change; a stock change as inventory', async () => {
    const home = tempDir();
    await run(['listings', 'import', fx('merchant.csv')], { home });
    ackAll(home);
    const f = join(tempDir(), 'm.csv');
    writeFileSync(f, readFileSync(fx('merchant.csv'), 'utf8').replace('MUG-BLU,stoneware-mug,Stoneware mug,Blue', 'MUG-BLU,stoneware-mug,Stoneware mug,Navy').replace(',SE,,40,', ',SE,,35,'));
    const r = json((await run(['listings', 'import', f, '--json'], { home })).stdout);
    expect(r).toMatchObject({ updated: 1, unchanged: 2 });
    expect(pendingWork(home).map(({ channel, kind }) => ({ channel, kind }))).toEqual([
      { channel: 'amazon-uk', kind: 'inventory' },
      { channel: 'amazon-uk', kind: 'listing' },
      { channel: 'shopify', kind: 'inventory' },
      { channel: 'shopify', kind: 'listing' },
    ]);
    expect(query(home, `SELECT on_hand FROM inventory WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU')`)).toEqual([{ on_hand: 35n }]);
  });

  it('--skip-invalid imports the good rows, writes the bad ones unchanged with a reason, exits 4', async () => {
    const home = tempDir();
    const rejects = join(tempDir(), 'rejects.csv');
    const r = await run(['listings', 'import', fx('merchant-invalid-rows.csv'), '--skip-invalid', '--rejects', rejects], { home });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('5 rows rejected');
    expect(query(home, 'SELECT sku FROM variants')).toEqual([{ sku: 'OK-1' }]);
    const lines = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(`${readFileSync(fx('merchant-invalid-rows.csv'), 'utf8').split('\n')[0]},reason`);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^BAD-GTIN,bad1,Bad barcode,.*,barcode: barcode 7350053850018 has a wrong check digit$/);
    // The rejects file is itself importable once fixed (the reason column is ignored as unknown).
    const fixed = join(tempDir(), 'fixed.csv');
    writeFileSync(fixed, readFileSync(rejects, 'utf8').replace('7350053850018', '7350053850019').replace('69.12', '6912.00').replace(',XX,', ',SE,').replace(',-3,', ',3,').replace('EUR0', 'EUR').replace('1.999', '1999'));
    const again = await run(['listings', 'import', fixed, '--json'], { home });
    expect(again.code).toBe(0);
    expect(json(again.stdout)).toMatchObject({ created: 5, rejected: 0 });
  });

  it('rejects of an Amazon flat file keep its template rows, so the fixed file imports as the same format', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'amz.txt');
    writeFileSync(f, readFileSync(AMZ, 'utf8').replace('7350053850026', '7350053850027'));
    const rejects = join(tempDir(), 'rejects.txt');
    const r = await run(['listings', 'import', f, '--skip-invalid', '--rejects', rejects], { home });
    expect(r.code).toBe(4);
    const text = readFileSync(rejects, 'utf8');
    expect(text).toMatch(/^[^\n]*\r\n/); // the flat file's CRLF line endings are kept
    const lines = text.split('\r\n');
    expect(lines[0]!.startsWith('TemplateType=fptcustom\t')).toBe(true);
    expect(lines[2]!.startsWith('feed_product_type\titem_sku\t')).toBe(true);
    expect(lines[2]!.endsWith('\treason')).toBe(true);
    writeFileSync(rejects, readFileSync(rejects, 'utf8').replace('7350053850027', '7350053850026'));
    const again = await run(['listings', 'import', rejects, '--json'], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 1, files: [{ format: 'amazon', generation: 'flatfile' }] });
  });

  it('--skip-invalid without --rejects is a usage error', async () => {
    const r = await run(['listings', 'import', fx('merchant.csv'), '--skip-invalid'], { home: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rejects');
  });

  it('--dry-run reports what would change and writes nothing', async () => {
    const home = tempDir();
    await run(['listings', 'import', fx('merchant.csv')], { home });
    const before = snapshot(home);
    const r = await run(['listings', 'import', SHOP, '--currency', 'SEK', '--dry-run', '--json'], { home });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ dryRun: true, created: 12, outbox: 12 });
    expect(snapshot(home)).toBe(before);
  });

  it('several files are one transaction: an invalid second file leaves the first unimported', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('merchant.csv'), fx('merchant-duplicate-sku.csv')], { home });
    expect(r.code).toBe(3);
    expect(count(home, 'variants')).toBe(0);
    expect(r.stderr).toContain(`${fx('merchant-duplicate-sku.csv')}:4:1: sku: SKU DUP-1 appears twice: first at line 2`);
  });

  it('the same SKU in two files of one run is applied in order (a Shopify file and an Amazon file share SKUs)', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', SHOP, AMZ, '--currency', 'SEK', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ created: 12, updated: 6, rejected: 0 });
    expect(doc.files.map((f: { created: number; updated: number }) => [f.created, f.updated])).toEqual([[12, 0], [0, 6]]);
    expect(count(home, 'channel_listings')).toBe(18);
    // Same state as two separate runs.
    const home2 = tempDir();
    await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home: home2 });
    await run(['listings', 'import', AMZ], { home: home2 });
    const norm = (h: string) => JSON.stringify(query(h, 'SELECT v.sku, v.price_minor, v.title, c.channel, c.price_minor AS cp, c.quantity FROM variants v JOIN channel_listings c ON c.variant_id = v.id ORDER BY v.sku, c.channel'), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    expect(norm(home)).toBe(norm(home2));
  });

  it('a delete row for a SKU that is not in the catalogue is skipped, not created', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'del.txt');
    writeFileSync(f, 'TemplateType=fptcustom\tVersion=2021.0625\nSeller SKU\tProduct Name\tStandard Price\tCurrency\tUpdate Delete\nitem_sku\titem_name\tstandard_price\tcurrency\tupdate_delete\nGONE-1\tGone\t1.00\tGBP\tDelete\n');
    const r = await run(['listings', 'import', f, '--json'], { home });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ created: 0, files: [{ skippedRows: 1 }] });
    expect(count(home, 'variants')).toBe(0);
  });

  it('an Amazon Delete row delists the SKU on that storefront and queues a delist', async () => {
    const home = tempDir();
    await run(['listings', 'import', SHOP, AMZ, '--currency', 'SEK'], { home });
    ackAll(home);
    const f = join(tempDir(), 'del.txt');
    writeFileSync(f, 'TemplateType=fptcustom\tVersion=2021.0625\nSeller SKU\tProduct Name\tStandard Price\tCurrency\tUpdate Delete\nitem_sku\titem_name\tstandard_price\tcurrency\tupdate_delete\nMUG-BLU-S\tMug\t22.99\tGBP\tDelete\n');
    const r = await run(['listings', 'import', f, '--json'], { home });
    expect(json(r.stdout)).toMatchObject({ updated: 1 });
    expect(pendingWork(home)).toEqual([{ channel: 'amazon-uk', kind: 'delist', sku: 'MUG-BLU-S' }]);
    expect(query(home, `SELECT c.status FROM channel_listings c JOIN variants v ON v.id = c.variant_id WHERE v.sku = 'MUG-BLU-S' AND c.channel = 'amazon-uk'`)).toEqual([{ status: 'removed' }]);
  });

  it('a SKU cannot move to another product by handle', async () => {
    const home = tempDir();
    await run(['listings', 'import', fx('merchant.csv')], { home });
    const f = join(tempDir(), 'move.csv');
    writeFileSync(f, 'sku,handle,title,price,currency\nMUG-BLU,other-mug,Other,1.00,EUR\n');
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${f}:2:2: handle: SKU MUG-BLU belongs to product stoneware-mug in the catalogue, not other-mug`);
    expect(r.stderr).toContain("hint: a marketplace file (Amazon, eBay) groups SKUs under its parent SKU: import the store's own file");
    // With --skip-invalid the refused row leaves no half-made product behind.
    const rj = join(tempDir(), 'rj.csv');
    expect((await run(['listings', 'import', f, '--skip-invalid', '--rejects', rj], { home })).code).toBe(4);
    expect(query(home, `SELECT handle FROM products WHERE handle = 'other-mug'`)).toEqual([]);
  });

  it('reads stdin for -', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', '-', '--json'], { home, stdin: readFileSync(fx('merchant.csv'), 'utf8') });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ created: 3 });
  });

  it('exits 5 while another merchant holds the writer lock', async () => {
    const home = tempDir();
    await run(['listings', 'import', fx('merchant.csv')], { home });
    const store = openStore(join(home, 'merchant.db'));
    // A live process (this test runner's parent) holds the lock.
    store.db.prepare('INSERT INTO lock (name, pid, host, command, acquired_at) VALUES (?, ?, ?, ?, ?)').run('writer', process.ppid, (await import('node:os')).hostname(), 'sync', 'now');
    store.close();
    const r = await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home });
    expect(r.code).toBe(5);
    expect(count(home, 'variants')).toBe(3);
  });

  it('--json summary: counts, per-file format and dialect, timings', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('shopify-semicolon-decimal-comma.csv'), '--currency', 'EUR', '--json'], { home });
    const doc = json(r.stdout);
    expect(doc.files[0]).toMatchObject({ format: 'shopify', generation: 'legacy', encoding: 'utf-8', delimiter: ';', decimalComma: true, rows: 1, created: 1 });
    expect(typeof doc.timings.totalMs).toBe('number');
    expect(r.stderr).toBe('');
  });

  it('nothing is written when a file does not exist', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('merchant.csv'), join(tempDir(), 'missing.csv')], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
    expect(existsSync(join(home, 'merchant.db')) ? count(home, 'variants') : 0).toBe(0);
  });

  it('imports queue listing state, not outbox rows (sync pushes the catalogue as it is then)', async () => {
    const home = tempDir();
    await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home }); // bulk load (empty catalogue)
    const edited = join(tempDir(), 'shop.csv');
    writeFileSync(edited, readFileSync(SHOP, 'utf8').replace('MUG-BLU-S,380,shopify,40,deny,manual,249.00', 'MUG-BLU-S,380,shopify,40,deny,manual,259.00'));
    await run(['listings', 'import', edited, '--currency', 'SEK'], { home }); // row by row
    // (Before migration 250 each change was an outbox row naming its file; the file is in import_runs.)
    expect(count(home, 'outbox')).toBe(0);
    const work = pendingWork(home);
    expect(work).toHaveLength(13);
    expect(work.filter((w) => w.kind === 'listing')).toHaveLength(12);
    expect(work.filter((w) => w.kind !== 'listing')).toEqual([{ channel: 'shopify', kind: 'price', sku: 'MUG-BLU-S' }]);
  });

  it('a first import leaves the database in WAL mode with no journal file', async () => {
    const home = tempDir();
    await run(['listings', 'list'], { home }); // creates the database
    const db = join(home, 'merchant.db');
    const r = await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(existsSync(`${db}-journal`)).toBe(false);
    expect(count(home, 'variants')).toBe(12);
  });

  it('a first import while a reader has the database open commits, and the reader then sees it', async () => {
    const home = tempDir();
    await run(['listings', 'list'], { home });
    const reader = openStore(join(home, 'merchant.db'));
    try {
      expect(reader.db.prepare('SELECT count(*) AS n FROM variants').get()).toEqual({ n: 0n });
      const r = await run(['listings', 'import', SHOP, '--currency', 'SEK', '--json'], { home });
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout)).toMatchObject({ created: 12 });
      expect(reader.db.prepare('SELECT count(*) AS n FROM variants').get()).toEqual({ n: 12n });
      expect(reader.db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });
});
