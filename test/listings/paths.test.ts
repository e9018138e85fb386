// The import has two ways to write and two ways to read: the bulk load into an empty catalogue and the
// per-row upsert; rows read on the main thread or by the worker thread (large files). Every fixture,
// and files built to hit their edges (duplicates far apart, a duplicate that created a product,
// multi-line rows before a duplicate, --skip-invalid), must give the same exit code, the same messages,
// the same catalogue and the same outbox whichever way it goes.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { FIX, query, pendingWork } from './helpers.js';

const UNRELATED = 'sku,handle,title,price,currency,quantity\nZZ-UNRELATED,zz-unrelated,Unrelated,1.00,EUR,1\n';

interface Outcome {
  code: number;
  stderr: string;
  doc: Record<string, unknown> | undefined;
  catalogue: string;
  outbox: string[];
  rejects: string | undefined;
}

async function importWith(args: string[], mode: 'bulk-inline' | 'bulk-worker' | 'per-row'): Promise<Outcome> {
  const home = tempDir();
  const env = { MERCHANT_IMPORT_WORKER: mode === 'bulk-worker' ? 'on' : 'off', MERCHANT_NOW: '2026-11-20T10:00:00Z' };
  if (mode === 'per-row') {
    // A catalogue that is not empty takes the per-row upsert path.
    const seed = join(home, 'seed.csv');
    writeFileSync(seed, UNRELATED);
    expect((await run(['listings', 'import', seed], { home, env })).code).toBe(0);
  }
  const rejectsAt = args.indexOf('--rejects');
  const rejectsFile = rejectsAt >= 0 ? join(home, 'rejects.csv') : undefined;
  const argv = rejectsFile ? args.map((a, i) => (i === rejectsAt + 1 ? rejectsFile : a)) : args;
  const out = await run(['listings', 'import', ...argv, '--json'], { home, env });
  const r = { code: out.code, stdout: out.stdout.split(home).join('<home>'), stderr: out.stderr.split(home).join('<home>') };
  let doc: Record<string, unknown> | undefined;
  try {
    doc = JSON.parse(r.stdout) as Record<string, unknown>;
    delete doc.timings;
    delete doc.outbox; // (the per-row run's count is compared through the outbox rows themselves)
  } catch {
    doc = undefined;
  }
  const rows = query<{ line: string }>(
    home,
    `SELECT v.sku || '|' || p.handle || '|' || p.title || '|' || coalesce(p.description, '') || '|' || coalesce(p.vendor, '') || '|' || p.status || '|' ||
            coalesce(v.title, '') || '|' || coalesce(v.options_json, '') || '|' || coalesce(v.barcode, '') || '|' || coalesce(v.price_minor, '') || '|' ||
            coalesce(v.currency, '') || '|' || coalesce(v.cost_minor, '') || '|' || coalesce(v.weight_grams, '') || '|' || coalesce(v.hs_code, '') || '|' ||
            coalesce(v.content_hash, '') || '|' || coalesce(i.on_hand, 'none') || '|' ||
            coalesce((SELECT group_concat(c.channel || '=' || coalesce(c.price_minor, '') || '=' || coalesce(c.currency, '') || '=' || coalesce(c.quantity, '') || '=' || c.status, ';')
                      FROM channel_listings c WHERE c.variant_id = v.id), '') AS line
     FROM variants v JOIN products p ON p.id = v.product_id LEFT JOIN inventory i ON i.variant_id = v.id
     WHERE v.sku != 'ZZ-UNRELATED' ORDER BY v.sku`,
  );
  const orphans = query<{ n: bigint }>(home, `SELECT count(*) AS n FROM products p WHERE NOT EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id)`)[0]!.n;
  // Opening stock movements (the bulk path writes them set-based, the per-row path through the inventory view's trigger).
  const movements = query<{ m: string }>(
    home,
    `SELECT m.sku || ' ' || m.delta || ' ' || m.on_hand_after || ' ' || m.kind || ' ' || coalesce(m.reason, '') || ' ' || m.at || ' ' || (m.variant_id = v.id) || ' ' || l.code AS m
       FROM stock_movements m JOIN variants v ON v.sku = m.sku JOIN stock_locations l ON l.id = m.location_id WHERE m.sku != 'ZZ-UNRELATED' ORDER BY m.sku, m.id`,
  ).map((x) => x.m);
  // Queued sync work: outbox rows, and the kinds each listing's pending state wants (migration 250).
  const outbox = [
    ...query<{ k: string }>(home, `SELECT channel || ' ' || sku || ' ' || kind || ' ' || state AS k FROM outbox WHERE sku != 'ZZ-UNRELATED'`).map((o) => o.k),
    ...pendingWork(home).filter((w) => w.sku !== 'ZZ-UNRELATED').map((w) => `${w.channel} ${w.sku} ${w.kind} pending`),
  ].sort();
  const fk = query(home, 'PRAGMA foreign_key_check');
  const idx = query<{ name: string }>(home, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'variants' ORDER BY name`).map((x) => x.name);
  expect(fk).toEqual([]);
  expect(idx).toContain('variants_product');
  let rejects: string | undefined;
  try {
    rejects = rejectsFile ? readFileSync(rejectsFile, 'utf8') : undefined;
  } catch {
    rejects = undefined;
  }
  return { code: r.code, stderr: r.stderr, doc, catalogue: `${rows.map((x) => x.line).join('\n')}\norphan products: ${orphans}\nstock movements:\n${movements.join('\n')}`, outbox, rejects };
}

function cases(): Array<[string, string[]]> {
  const dir = mkdtempSync(join(tmpdir(), 'merchant-paths-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const w = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const H = 'sku,handle,title,variant_title,price,currency,quantity\n';
  const many = Array.from({ length: 40 }, (_, i) => `S-${i},p-${i >> 2},Product ${i >> 2},V ${i & 3},${i + 1}.50,EUR,${i}`);
  const list: Array<[string, string[]]> = readdirSync(FIX)
    .filter((f) => /\.(csv|txt)$/.test(f))
    .map((f) => [f, [join(FIX, f), '--currency', 'EUR']]);
  list.push(
    ['duplicates far apart', [w('dup-far.csv', `${H}${many.join('\n')}\nS-3,p-0,Product 0,V 3,9.99,EUR,1\nS-17,p-4,Product 4,V 1,1.00,EUR,2\n`)]],
    ['a duplicate on a new product', [w('dup-new-product.csv', `${H}${many.slice(0, 8).join('\n')}\nS-5,brand-new,Brand new,V,2.00,EUR,1\n`)]],
    ['a duplicate on a new product, --skip-invalid', [w('dup-new-product-skip.csv', `${H}${many.slice(0, 8).join('\n')}\nS-5,brand-new,Brand new,V,2.00,EUR,1\nS-99,p-9,P9,V,3.00,EUR,4\n`), '--skip-invalid', '--rejects', 'rejects.csv']],
    ['a duplicate that would change its product, --skip-invalid', [w('dup-product-change.csv', `${H}${many.slice(0, 8).join('\n')}\nS-1,p-0,Renamed product,V,2.00,EUR,1\n`), '--skip-invalid', '--rejects', 'rejects.csv']],
    ['multi-line fields before a duplicate', [w('dup-multiline.csv', `sku,handle,title,description,price,currency,quantity\nM-1,m,M,"one\ntwo\nthree",1.00,EUR,1\nM-2,m,M,"four\nfive",2.00,EUR,2\n\nM-3,n,N,,3.00,EUR,3\nM-2,n,N,,4.00,EUR,4\n`)]],
    ['a product whose rows are apart', [w('apart.csv', `${H}A-1,a,Alpha,1,1.00,EUR,1\nB-1,b,Beta,1,1.00,EUR,1\nA-2,a,Alpha,2,2.00,EUR,2\nA-3,a,Alpha renamed,3,3.00,EUR,3\n`)]],
    [
      'duplicates inside and across full batches of 64 rows, new products among them',
      [
        w(
          'dup-batches.csv',
          `${H}${Array.from({ length: 300 }, (_, i) => (i === 70 ? 'B-10,solo-70,Solo,V,1.00,EUR,1' : i === 131 ? 'B-130,p-32,Product 32,V 2,1.00,EUR,2' : i === 200 ? 'B-199,new-200,New 200,V,3.00,EUR,3' : `B-${i},p-${i >> 2},Product ${i >> 2},V ${i & 3},${i + 1}.25,EUR,${i % 7}`)).join('\n')}\n`,
        ),
        '--skip-invalid',
        '--rejects',
        'rejects.csv',
      ],
    ],
    ['a product\'s later row without a title, its rows apart', [w('apart-untitled.csv', `${H}A-1,a,Alpha,1,1.00,EUR,1\nB-1,b,Beta,1,1.00,EUR,1\nA-2,a,,2,2.00,EUR,2\nC-1,c,,1,1.00,EUR,1\n`), '--skip-invalid', '--rejects', 'rejects.csv']],
    ['an invalid row, then duplicates', [w('bad-then-dup.csv', `${H}X-1,x,X,1,abc,EUR,1\nX-2,x,X,2,1.00,EUR,1\nX-2,x,X,2,1.00,EUR,1\n`)]],
  );
  return list;
}

describe('listings import: bulk load ≡ per-row upsert, worker ≡ inline', () => {
  for (const [name, args] of cases()) {
    it(name, async () => {
      const inline = await importWith(args, 'bulk-inline');
      const worker = await importWith(args, 'bulk-worker');
      expect(worker).toEqual(inline);
      const perRow = await importWith(args, 'per-row');
      expect(perRow.code).toBe(inline.code);
      expect(perRow.catalogue).toBe(inline.catalogue);
      expect(perRow.outbox).toEqual(inline.outbox);
      expect(perRow.stderr.replace(/\d+ products? (created|updated)[^\n]*/g, '')).toBe(inline.stderr.replace(/\d+ products? (created|updated)[^\n]*/g, ''));
      expect(perRow.rejects).toBe(inline.rejects);
      if (inline.doc && perRow.doc) {
        for (const k of ['created', 'updated', 'unchanged', 'rejected', 'problemCount', 'problems']) expect(perRow.doc[k], k).toEqual(inline.doc[k]);
      }
    });
  }
});
