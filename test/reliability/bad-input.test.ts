// A corpus of malformed files and arguments, run against a real seller home: each must give a clear
// message (no stack trace, no "bug"), the documented exit code, and leave the database exactly as it
// was. The corpus is generated here so the repository does not carry binary junk.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync, readFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { run } from '../helpers/run.js';
import { dbDigest, ENV, FIX } from './pipeline.js';

let home: string;
let dir: string;

const shopifyHeader = readFileSync(join(FIX, 'demo', 'catalogue-shopify.csv'), 'utf8').split('\n')[0]!;
const merchantHeader = 'sku,handle,title,price,currency,quantity';
/** Deterministic binary junk (a hash chain), so a failure reproduces. */
function junk(size: number, seed: number): Buffer {
  const parts: Buffer[] = [];
  let h = Buffer.from(String(seed));
  while (parts.length * 32 < size) parts.push((h = createHash('sha256').update(h).digest()));
  return Buffer.concat(parts).subarray(0, size);
}
const w = (name: string, data: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

interface Case {
  name: string;
  args: () => string[];
  code: number;
  stderr?: RegExp;
}

const cases: Case[] = [
  // catalogue files
  { name: 'truncated CSV (unterminated quote)', args: () => ['listings', 'import', w('trunc.csv', `${shopifyHeader}\nmug,"Stoneware mug,<p>never closed`)], code: 3, stderr: /trunc\.csv:\d+/ },
  ...[1, 3, 4, 5, 6, 7, 12].map((seed) => ({ name: `binary garbage #${seed}`, args: () => ['listings', 'import', w(`garbage${seed}.csv`, junk(4096, seed))], code: 3 })),
  { name: 'empty file', args: () => ['listings', 'import', w('empty.csv', '')], code: 3 },
  { name: 'unknown columns', args: () => ['listings', 'import', w('unknown.csv', 'foo,bar,baz\n1,2,3\n')], code: 3, stderr: /matches no known format|closest/ },
  { name: 'a 2 MB field', args: () => ['listings', 'import', w('huge.csv', `${merchantHeader}\nBIG-1,big,${'x'.repeat(2_000_000)},5.00,EUR,1\n`)], code: 3, stderr: /huge\.csv:2:3/ },
  { name: 'negative price', args: () => ['listings', 'import', w('neg.csv', `${merchantHeader}\nNEG-1,neg,Neg,-5.00,EUR,1\n`)], code: 3, stderr: /neg\.csv:2:4: price/ },
  { name: 'absurd price', args: () => ['listings', 'import', w('absurd.csv', `${merchantHeader}\nABS-1,abs,Abs,99999999999999999999.00,EUR,1\n`)], code: 3, stderr: /absurd\.csv:2:4/ },
  { name: 'price with too many decimals for JPY', args: () => ['listings', 'import', w('jpy.csv', `${merchantHeader}\nJPY-1,jpy,Jpy,100.5,JPY,1\n`)], code: 3, stderr: /jpy\.csv:2:4/ },
  { name: 'unknown currency', args: () => ['listings', 'import', w('ccy.csv', `${merchantHeader}\nCCY-1,ccy,Ccy,5.00,XXX,1\n`)], code: 3, stderr: /ccy\.csv:2:5/ },
  { name: 'withdrawn currency (BGN since 2026)', args: () => ['listings', 'import', w('bgn.csv', `${merchantHeader}\nBGN-1,bgn,Bgn,5.00,BGN,1\n`)], code: 3, stderr: /bgn\.csv:2:5/ },
  { name: 'negative quantity', args: () => ['listings', 'import', w('qty.csv', `${merchantHeader}\nQTY-1,qty,Qty,5.00,EUR,-3\n`)], code: 3, stderr: /qty\.csv:2:6/ },
  { name: 'Excel-mangled barcode', args: () => ['listings', 'import', join(FIX, 'listings', 'shopify-scientific-barcode.csv')], code: 3, stderr: /E\+1\d/ },
  { name: 'Windows-1252 read as UTF-16', args: () => ['listings', 'import', '--encoding', 'utf-16le', w('cp1252.csv', iconv.encode(`${merchantHeader}\nCAFE-1,cafe,Café crème,5.00,EUR,1\n`, 'win1252'))], code: 3 },
  { name: 'missing file', args: () => ['listings', 'import', join(dir, 'no-such-file.csv')], code: 2, stderr: /no-such-file\.csv/ },
  // orders
  ...[2, 3, 5].map((seed) => ({ name: `orders: binary garbage #${seed}`, args: () => ['orders', 'import', w(`orders-garbage${seed}.csv`, junk(4096, seed))], code: 3 })),
  { name: 'orders: invalid date', args: () => ['orders', 'import', w('orders-date.csv', readFileSync(join(FIX, 'orders', 'shopify-orders-export.csv'), 'utf8').replace(/\n([^\n]*?)\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d)/, '\n$12026-13-45 $2'))], code: 3, stderr: /orders-date\.csv:\d+:\d+/ },
  // FX
  { name: 'fx: unknown currency', args: () => ['fx', 'convert', '100', 'USD', 'ABC'], code: 3, stderr: /unknown currency "ABC"/ },
  { name: 'fx: invalid date', args: () => ['fx', 'convert', '100', 'USD', 'JPY', '--date', '2026-02-30'], code: 2 },
  { name: 'fx: a date before the first rate', args: () => ['fx', 'convert', '100', 'USD', 'JPY', '--date', '1990-01-01'], code: 3 },
  { name: 'fx: amount with thousands separator', args: () => ['fx', 'convert', '1,000.00', 'USD', 'JPY'], code: 2 },
  { name: 'fx: a rates file that is not ECB', args: () => ['fx', 'update', '--file', w('rates.xml', '<html><body>503 Service Unavailable</body></html>')], code: 3 },
  // reports
  { name: 'report: impossible date', args: () => ['report', 'sales', '--from', '2026-02-30', '--to', '2026-03-01'], code: 2 },
  { name: 'report: reversed range', args: () => ['report', 'sales', '--from', '2026-03-01', '--to', '2026-02-01'], code: 2 },
  { name: 'report: unknown currency', args: () => ['report', 'sales', '--from', '2026-01-01', '--to', '2026-01-31', '--currency', 'XYZ'], code: 2 },
  { name: 'report: output into a folder that does not exist', args: () => ['report', 'sales', '--from', '2026-01-01', '--to', '2026-01-31', '--format', 'csv', '--output', join(dir, 'nope', 'r.csv')], code: 2 },
  { name: 'report: output onto a folder', args: () => ['report', 'sales', '--from', '2026-01-01', '--to', '2026-01-31', '--format', 'csv', '--output', dir], code: 2 },
  // customs
  { name: 'customs: not JSON', args: () => ['customs', 'check', '--file', w('parcel.json', 'not json')], code: 3 },
  { name: 'customs: invalid values', args: () => ['customs', 'check', '--file', w('parcel2.json', JSON.stringify({ to: { country: 'ZZ' }, currency: 'EUR', items: [{ description: 'x', hsCode: '12', quantity: -1, unitValue: 'abc', unitWeightGrams: 5 }] }))], code: 3, stderr: /ZZ/ },
  // onboarding and pricing
  { name: 'onboard: profile with unknown keys', args: () => ['onboard', '--no-input', '--from', w('profile.json', '{"business":{},"shipfrom":{}}')], code: 3 },
  { name: 'onboard: invalid IOSS number', args: () => ['onboard', '--no-input', '--ioss-number', 'IM12'], code: 3 },
  { name: 'prices: margin of 150%', args: () => ['prices', 'rules', 'set', 'x', '--channel', 'amazon-uk', '--margin', '150%'], code: 2 },
  { name: 'prices: SQL in a SKU pattern is just text', args: () => ['prices', 'explain', "x'; DROP TABLE variants;--", '--channel', 'amazon-uk'], code: 2 }, // not found (exit 2, not_found)
  // arguments
  { name: 'unknown flag', args: () => ['sync', '--frobnicate'], code: 2 },
  { name: 'non-numeric --wait', args: () => ['sync', '--wait', 'soon'], code: 2 },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'merchant-bad-'));
  home = join(dir, 'home');
  mkdirSync(home);
  const env = { ...ENV };
  for (const args of [
    ['onboard', '--no-input', '--from', join(FIX, 'demo', 'profile.json')],
    ['listings', 'import', join(FIX, 'demo', 'catalogue-shopify.csv')],
    ['fx', 'update', '--file', join(FIX, 'ecb', 'eurofxref.csv')],
    ['orders', 'import', join(FIX, 'orders', 'shopify-orders-export.csv')],
  ]) {
    const r = await run(args, { home, env });
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
});

describe('bad input', () => {
  for (const c of cases) {
    it(`${c.name} → exit ${c.code}, clear message, database unchanged`, async () => {
      const before = dbDigest(home);
      const r = await run(c.args(), { home, env: ENV });
      expect(r.code, r.stderr).toBe(c.code);
      expect(r.stderr).toMatch(/error: /);
      expect(r.stderr).not.toMatch(/This is a bug|\n\s+at .*:\d+:\d+\)?\n/);
      if (c.stderr) expect(r.stderr).toMatch(c.stderr);
      expect(dbDigest(home)).toBe(before);
    });
  }

  it('a file with a header and no rows changes nothing and says so', async () => {
    const before = { other: dbDigest(home, ['lock', 'import_runs']) };
    const r = await run(['listings', 'import', w('header.csv', `${merchantHeader}\n`)], { home, env: ENV });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no data rows/i);
    // Only the record of the import run itself is written.
    expect(dbDigest(home, ['lock', 'import_runs'])).toBe(before.other);
  });

  it('SQL and formula injection strings are stored as text and neutralised on export', async () => {
    const h2 = join(dir, 'inj');
    mkdirSync(h2);
    const sku = "X'); DROP TABLE variants;--";
    const file = w('inj.csv', `${merchantHeader}\n"${sku.replace(/"/g, '""')}",inj,"=HYPERLINK(""http://evil.example"",""click"")",5.00,EUR,1\n`);
    expect((await run(['listings', 'import', file], { home: h2, env: ENV })).code).toBe(0);
    const show = await run(['listings', 'show', sku, '--json'], { home: h2, env: ENV });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).sku).toBe(sku);
    const exp = await run(['listings', 'export', '--format', 'csv', '--output', '-'], { home: h2, env: ENV });
    expect(exp.stdout).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(exp.stdout).not.toMatch(/,=HYPERLINK/);
  });
});
