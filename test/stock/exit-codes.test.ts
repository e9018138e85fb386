// The exit code of a name that does not exist, settled from PRODUCT.md §3: "2 usage error (bad
// flag/argument)" vs "3 invalid input data (nothing was written)". A location, SKU, transfer or order the
// user typed on the command line that does not exist is a bad argument: exit 2, JSON code not_found,
// the known names in a hint, nothing changed. The same name inside a file (a 3PL stock report) is invalid
// input data: exit 3 with file:line:column and nothing written, or 4 with --skip-invalid.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshot, stockHome } from './helpers.js';

describe('unknown names on the stock command line', () => {
  it('exit 2 (not_found) for every command, naming the known locations; nothing changed', async () => {
    const h = stockHome();
    await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
    const before = snapshot(h);
    const cases: Array<[string[], RegExp]> = [
      [['stock', 'set', 'MUG-BLU-S', '4', '--location', 'nowhere'], /no stock location "nowhere"/],
      [['stock', 'adjust', 'MUG-BLU-S', '+1', '--location', 'nowhere'], /no stock location "nowhere"/],
      [['stock', 'move', 'MUG-BLU-S', '1', '--from', 'home', '--to', 'nowhere'], /no stock location "nowhere"/],
      [['stock', 'list', '--location', 'nowhere'], /no stock location "nowhere"/],
      [['stock', 'locations', 'remove', 'nowhere'], /no stock location "nowhere"/],
      [['stock', 'locations', 'edit', 'nowhere', '--city', 'Berlin'], /no stock location "nowhere"/],
      [['stock', 'locations', 'map', 'shopify', 'home,nowhere'], /no stock location "nowhere"/],
      [['stock', 'import', '-', '--location', 'nowhere'], /no stock location "nowhere"/],
      [['report', 'stock', '--location', 'nowhere'], /no stock location "nowhere"/],
      [['stock', 'set', 'NOPE', '4', '--location', 'home'], /no SKU NOPE in the catalogue/],
      [['stock', 'move', 'NOPE', '1', '--from', 'home', '--to', 'de-3pl'], /no SKU NOPE/],
      [['stock', 'receive', '99'], /no stock transfer 99/],
      [['orders', 'assign', '404', '--location', 'home'], /no order 404/],
    ];
    for (const [args, message] of cases) {
      const r = await h.cli([...args, '--json'], { stdin: 'sku,qty\nMUG-BLU-S,1\n' });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      const err = JSON.parse(r.stdout).error;
      expect(err, args.join(' ')).toMatchObject({ code: 'not_found', exitCode: 2 });
      expect(err.message, args.join(' ')).toMatch(message);
      if (/location "nowhere"/.test(err.message)) expect(err.hints.join(' '), args.join(' ')).toMatch(/known locations: home, de-3pl/);
    }
    expect(snapshot(h)).toBe(before);
  });

  it('the same names inside a stock file are invalid input: exit 3 with file:line:column and nothing written; 4 with --skip-invalid', async () => {
    const h = stockHome();
    await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
    const f = join(h.home, 'bestand.csv');
    writeFileSync(f, 'sku,qty,location\nMUG-BLU-S,3,de-3pl\nNOPE,1,de-3pl\nMUG-RED-S,2,nowhere\n');
    const before = snapshot(h);
    const r = await h.cli(['stock', 'import', f]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`${f}:3:1: sku: unknown SKU NOPE`);
    expect(r.stderr).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:3: location: .*nowhere`));
    expect(snapshot(h)).toBe(before);
    const skip = await h.cli(['stock', 'import', f, '--skip-invalid']);
    expect(skip.code, skip.stderr).toBe(4);
    expect(h.q<{ on_hand: bigint }>(`SELECT on_hand FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id JOIN variants v ON v.id = s.variant_id WHERE l.code = 'de-3pl' AND v.sku = 'MUG-BLU-S'`)[0]!.on_hand).toBe(3n);
  });
});
