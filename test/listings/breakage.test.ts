// Files as Excel and marketplaces really produce them: each imports correctly, or exits 3 with the
// file:line:column, field, value and rule, and leaves the database untouched.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { run, tempDir } from '../helpers/run.js';
import { fx, query, count, snapshot } from './helpers.js';

async function seeded() {
  const home = tempDir();
  const r = await run(['listings', 'import', fx('merchant.csv')], { home });
  expect(r.code).toBe(0);
  return { home, before: snapshot(home) };
}

describe('listings import: real-world breakage', () => {
  it('UTF-8 BOM glued to the first header is stripped', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('shopify-bom.csv'), '--currency', 'EUR'], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('utf-8 (BOM)');
    expect(query(home, 'SELECT handle FROM products')).toEqual([{ handle: 'candle' }]);
  });

  it('Windows-1252 with accented titles is detected and decoded', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('merchant-cp1252.csv')], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('windows-1252');
    expect(query(home, 'SELECT title, description FROM products ORDER BY handle')).toEqual([
      { title: 'Crème brûlée bowl', description: 'Porslin från Göteborg' },
      { title: 'Kaffekopp – åtta', description: 'Café au lait' },
    ]);
  });

  it('--encoding utf-8 on a Windows-1252 file exits 3 naming the fix', async () => {
    const { home, before } = await seeded();
    const r = await run(['listings', 'import', fx('merchant-cp1252.csv'), '--encoding', 'utf-8'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/merchant-cp1252\.csv:\d+:\d+: invalid UTF-8 byte 0x[0-9A-F]{2}/);
    expect(r.stderr).toContain('--encoding windows-1252');
    expect(snapshot(home)).toBe(before);
  });

  it('UTF-16 LE and BE with BOM', async () => {
    for (const f of ['merchant-utf16le.csv', 'merchant-utf16be.csv']) {
      const home = tempDir();
      const r = await run(['listings', 'import', fx(f)], { home });
      expect(r.code, f).toBe(0);
      expect(query(home, 'SELECT sku FROM variants')).toEqual([{ sku: 'ÖL-1' }]);
      expect(query(home, 'SELECT title FROM products')).toEqual([{ title: 'Träolja för skärbräden' }]);
    }
  });

  it("';' delimiter implies a decimal comma (15,90 → 1590 minor units)", async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('shopify-semicolon-decimal-comma.csv'), '--currency', 'EUR'], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('decimal comma');
    expect(query(home, 'SELECT price_minor, compare_at_minor, cost_minor FROM variants')).toEqual([{ price_minor: 1590n, compare_at_minor: 1890n, cost_minor: 415n }]);
    expect(query(home, 'SELECT title FROM products')).toEqual([{ title: 'Geschirrtuch, Leinen' }]);
  });

  it("Excel's sep=; first line sets the delimiter and keeps line numbers right", async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('excel-sep-line.csv')], { home });
    expect(r.code).toBe(0);
    expect(query(home, 'SELECT sku, price_minor FROM variants')).toEqual([{ sku: 'SEP-1', price_minor: 990n }]);
  });

  it('a decimal comma in a comma file is refused with the flag to use', async () => {
    const home = tempDir();
    const f = `${tempDir()}/dc.csv`;
    require_write(f, 'sku,handle,title,price,currency\nA-1,a,Thing,"9,99",EUR\n');
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${f}:2:4: price:`);
    expect(r.stderr).toContain('--decimal-comma');
    const ok = await run(['listings', 'import', f, '--decimal-comma'], { home });
    expect(ok.code).toBe(0);
    expect(query(home, 'SELECT price_minor FROM variants')).toEqual([{ price_minor: 999n }]);
  });

  it('6.93E+12 barcode: exit 3, line and column, the hint, nothing written', async () => {
    const { home, before } = await seeded();
    const r = await run(['listings', 'import', fx('shopify-scientific-barcode.csv'), '--currency', 'EUR'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${fx('shopify-scientific-barcode.csv')}:3:15: Variant Barcode: barcode "6.93E+12" was turned into scientific notation`);
    expect(r.stderr).toContain('formatted as Text');
    expect(r.stderr).toContain('nothing was imported');
    expect(snapshot(home)).toBe(before);
  });

  it('duplicate SKUs: exit 3 naming both lines; nothing written', async () => {
    const { home, before } = await seeded();
    const r = await run(['listings', 'import', fx('merchant-duplicate-sku.csv'), '--json'], { home });
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout).error;
    expect(err.problems).toEqual([
      expect.objectContaining({ line: 4, column: 1, field: 'sku', value: 'DUP-1', rule: 'duplicate-sku', message: 'SKU DUP-1 appears twice: first at line 2' }),
    ]);
    expect(snapshot(home)).toBe(before);
  });

  it('missing required column: exit 3 naming the column and the template to start from', async () => {
    const { home, before } = await seeded();
    const r = await run(['listings', 'import', fx('shopify-missing-column.csv'), '--currency', 'EUR'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${fx('shopify-missing-column.csv')}:1: Variant Price: required column "Variant Price" is missing`);
    expect(r.stderr).toContain('merchant listings template shopify/legacy');
    expect(snapshot(home)).toBe(before);
  });

  it('unknown header set: exit 3 listing the known formats', async () => {
    const { home, before } = await seeded();
    const r = await run(['listings', 'import', fx('unknown-format.csv')], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('matches no known format');
    expect(r.stderr).toContain('shopify/legacy');
    expect(snapshot(home)).toBe(before);
  });

  it('every invalid row is listed with file:line:column, field, value and rule; nothing written', async () => {
    const { home, before } = await seeded();
    const r = await run(['listings', 'import', fx('merchant-invalid-rows.csv'), '--json'], { home });
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout).error;
    expect(err.message).toBe('6 problems in 5 rows; nothing was imported');
    const brief = err.problems.map((p: { line: number; column: number; field: string; value: string; rule: string }) => [p.line, p.column, p.field, p.value, p.rule]);
    expect(brief).toEqual([
      [3, 13, 'barcode', '7350053850018', 'gtin-check-digit'],
      [4, 24, 'hs_code', '69.12', 'hs-code'],
      [5, 27, 'quantity', '-3', 'range'],
      [5, 25, 'origin_country', 'XX', 'country'],
      [6, 15, 'currency', 'EUR0', 'currency'],
      [7, 14, 'price', '1.999', 'amount'],
    ]);
    expect(snapshot(home)).toBe(before);
  });

  it('the error list is capped with a count', async () => {
    const home = tempDir();
    const f = `${tempDir()}/many.csv`;
    const rows = ['sku,handle,title,price,currency'];
    for (let i = 0; i < 30; i++) rows.push(`S-${i},h${i},T,-1.00,EUR`);
    require_write(f, rows.join('\n'));
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('30 problems in 30 rows');
    expect(r.stderr).toContain('… and 10 more');
    expect(count(home, 'variants')).toBe(0);
  });

  it('an unclosed quote is a CSV syntax error with its line', async () => {
    const home = tempDir();
    const f = `${tempDir()}/q.csv`;
    require_write(f, 'sku,handle,title,price,currency\nA-0,z,Fine,1.00,EUR\nA-1,a,"Broken,1.00,EUR\nA-2,b,Fine,1.00,EUR\nA-3,c,Fine,1.00,EUR\n');
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not valid CSV at line 3/); // where the stray quote is, not where the file ends
    expect(r.stderr).toMatch(/q\.csv:3: a quoted field in the record starting on this line is never closed/);
    expect(count(home, 'variants')).toBe(0);
  });

  it('oversold (negative) Shopify stock is read as 0 with a warning, not a failed file', async () => {
    const home = tempDir();
    const f = `${tempDir()}/oversold.csv`;
    require_write(f, 'Handle,Title,Variant SKU,Variant Inventory Qty,Variant Price\nmug,Mug,MUG-1,-2,10.00\n');
    const r = await run(['listings', 'import', f, '--currency', 'EUR'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${f}:2:4: Variant Inventory Qty -2 (oversold) read as 0`);
    expect(query(home, 'SELECT on_hand FROM inventory')).toEqual([{ on_hand: 0n }]);
    // A merchant template or marketplace file may not carry negative stock.
    const g = `${tempDir()}/neg.csv`;
    require_write(g, 'sku,handle,title,quantity\nN-1,n,Thing,-2\n');
    expect((await run(['listings', 'import', g], { home })).code).toBe(3);
  });

  it('a Windows-1252 byte after the sampled start (1 MiB) of a UTF-8 file stops the import with the fix, nothing written', async () => {
    const home = tempDir();
    const f = `${tempDir()}/late.csv`;
    const rows = ['sku,handle,title,price,currency'];
    for (let i = 0; i < 40000; i++) rows.push(`L-${i},l${i},Plain title ${i},1.00,EUR`);
    writeFileSync(f, Buffer.concat([Buffer.from(rows.join('\n') + '\n'), Buffer.from('L-X,lx,Cr\xe8me,1.00,EUR\n', 'latin1')]));
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${f}:40002:10: invalid UTF-8 byte 0xE8`);
    expect(r.stderr).toContain('--encoding windows-1252');
    expect(count(home, 'variants')).toBe(0);
    const ok = await run(['listings', 'import', f, '--encoding', 'windows-1252'], { home });
    expect(ok.code).toBe(0);
    expect(query(home, `SELECT title FROM products WHERE handle = 'lx'`)).toEqual([{ title: 'Crème' }]);
  });

  it('an inch mark inside an unquoted field is a character (12" plate)', async () => {
    const home = tempDir();
    const f = `${tempDir()}/inch.csv`;
    require_write(f, 'sku,handle,title,price,currency\nP-12,plate,12" stoneware plate,9.00,EUR\n');
    const r = await run(['listings', 'import', f], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, 'SELECT title FROM products')).toEqual([{ title: '12" stoneware plate' }]);
  });

  it('an .xlsx workbook is refused with how to save it as CSV', async () => {
    const home = tempDir();
    const f = `${tempDir()}/catalogue.xlsx`;
    require_write(f, 'PK\u0003\u0004' + 'x'.repeat(100));
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('is a spreadsheet workbook (.xlsx/.xlsm)');
    expect(r.stderr).toContain('CSV UTF-8');
  });

  it('a SKU a spreadsheet turned into 1.23E+05 is refused', async () => {
    const home = tempDir();
    const f = `${tempDir()}/sci.csv`;
    require_write(f, 'sku,handle,title,price,currency\n1.23E+05,a,Thing,1.00,EUR\n');
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(':2:1: sku: SKU "1.23E+05" is in scientific notation');
  });
});

function require_write(path: string, text: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  writeFileSync(path, text);
}
import { writeFileSync } from 'node:fs';
void readFileSync;
