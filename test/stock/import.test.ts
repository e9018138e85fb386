// `merchant stock import`: a 3PL's stock report as it really comes (Excel on a German Windows: cp1252,
// semicolons, a sep= line, CRLF; lot lines repeating a SKU), all-or-nothing with file:line:column
// problems (exit 3), or the valid rows with --skip-invalid (exit 4).
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { stockHome, snapshot } from './helpers.js';

const N = (v: unknown) => Number(v);

async function withThreePl() {
  const h = stockHome();
  const r = await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
  expect(r.code, r.stderr).toBe(0);
  return h;
}

const levels = (h: ReturnType<typeof stockHome>, code: string) =>
  Object.fromEntries(
    h.q(`SELECT v.sku, s.on_hand FROM stock_levels s JOIN variants v ON v.id = s.variant_id JOIN stock_locations l ON l.id = s.location_id WHERE l.code = ? ORDER BY v.sku`, code).map((x) => [x.sku, N(x.on_hand)]),
  );

describe('stock import', () => {
  it('reads a German Excel export (cp1252, sep=;, CRLF), sums lot lines, records import movements', async () => {
    const h = await withThreePl();
    const f = join(h.home, 'bestand.csv');
    writeFileSync(f, iconv.encode('sep=;\r\nArtikelnummer;Bezeichnung;Bestand;Charge\r\nMUG-BLU-S;Becher blau – groß;12;A1\r\nMUG-RED-S;Becher rot;3;A1\r\nMUG-BLU-S;Becher blau – groß;4;B7\r\n\r\n', 'windows-1252'));
    const r = await h.cli(['stock', 'import', f, '--location', 'de-3pl']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/windows-1252, semicolon-delimited/);
    expect(r.stderr).toMatch(/quantities were added up/);
    expect(levels(h, 'de-3pl')).toEqual({ 'MUG-BLU-S': 16, 'MUG-RED-S': 3 });
    expect(levels(h, 'home')).toEqual({ 'BOWL-GRY-M': 0, 'MUG-BLU-S': 24, 'MUG-RED-S': 5 });
    expect(h.q(`SELECT sku, kind, delta, reason FROM stock_movements WHERE kind = 'import' ORDER BY sku`).map((m) => [m.sku, m.kind, N(m.delta), m.reason])).toEqual([
      ['MUG-BLU-S', 'import', 16, `stock file ${f}`],
      ['MUG-RED-S', 'import', 3, `stock file ${f}`],
    ]);
    // The same file again changes nothing.
    const again = await h.cli(['stock', 'import', f, '--location', 'de-3pl', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 0, unchanged: 2 });
  });

  it('unknown SKUs, bad quantities, unknown locations: exit 3 with file:line:column, nothing written', async () => {
    const h = await withThreePl();
    const f = join(h.home, 'report.csv');
    writeFileSync(f, 'sku,qty,location\nMUG-BLU-S,10,de-3pl\nMUG-XXX-S,2,de-3pl\nMUG-RED-S,-1,de-3pl\nMUG-RED-S,1.5,de-3pl\nBOWL-GRY-M,3,leipzig\n');
    const before = snapshot(h);
    const r = await h.cli(['stock', 'import', f, '--json']);
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout || r.stderr);
    const problems = (err.error?.problems ?? err.problems) as Array<{ line: number; column: number; rule: string }>;
    expect(problems.map((p) => [p.line, p.column, p.rule])).toEqual([
      [3, 1, 'unknown-sku'],
      [4, 2, 'negative'],
      [5, 2, 'integer'],
      [6, 3, 'unknown-location'],
    ]);
    expect(snapshot(h)).toBe(before);
    const text = await h.cli(['stock', 'import', f]);
    expect(text.stderr).toContain(`${f}:3:1: sku: unknown SKU MUG-XXX-S`);
    expect(snapshot(h)).toBe(before);
  });

  it('--skip-invalid imports the valid rows and exits 4 listing the others', async () => {
    const h = await withThreePl();
    const f = join(h.home, 'report.tsv');
    writeFileSync(f, 'Seller SKU\tQuantity\nMUG-BLU-S\t10\nMUG-XXX-S\t2\nMUG-RED-S\t7\n');
    const r = await h.cli(['stock', 'import', f, '--location', 'de-3pl', '--skip-invalid']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${f}:3:1: Seller SKU: unknown SKU MUG-XXX-S`);
    expect(levels(h, 'de-3pl')).toEqual({ 'MUG-BLU-S': 10, 'MUG-RED-S': 7 });
  });

  it('a header merchant does not know: exit 3 naming the header; --sku-column/--quantity-column read it', async () => {
    const h = await withThreePl();
    const f = join(h.home, 'odd.csv');
    writeFileSync(f, 'Item,Count\nMUG-BLU-S,9\n');
    const before = snapshot(h);
    let r = await h.cli(['stock', 'import', f, '--location', 'de-3pl']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/odd\.csv:1: the header has no a SKU column.*header is: Item \| Count/s);
    expect(snapshot(h)).toBe(before);
    r = await h.cli(['stock', 'import', f, '--location', 'de-3pl', '--sku-column', 'item', '--quantity-column', 'COUNT']);
    expect(r.code, r.stderr).toBe(0);
    expect(levels(h, 'de-3pl')).toEqual({ 'MUG-BLU-S': 9 });
  });

  it('an unknown --location is not found (exit 2); --dry-run writes nothing', async () => {
    const h = await withThreePl();
    const f = join(h.home, 'r.csv');
    writeFileSync(f, 'sku;quantity\nMUG-BLU-S;1\n');
    const before = snapshot(h);
    expect((await h.cli(['stock', 'import', f, '--location', 'nowhere'])).code).toBe(2);
    const r = await h.cli(['stock', 'import', f, '--location', 'de-3pl', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, applied: 1, items: [{ sku: 'MUG-BLU-S', location: 'de-3pl', before: 0, after: 1 }] });
    expect(snapshot(h)).toBe(before);
  });
});
