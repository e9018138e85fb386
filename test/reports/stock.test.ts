// `merchant report stock`: quantity and value at cost per SKU and location, totals that are the exact
// sums of the rows, --at rebuilt from the movement history, --currency at the date's ECB rate, SKUs
// without a cost never valued at 0, CSV rules shared with `report sales` (formula injection, profiles).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { stockHome, type StockHome } from '../stock/helpers.js';

type Json = Record<string, any>;

function csvRows(text: string): string[][] {
  return text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(','));
}

/** Sum of a money column's rows (as minor units of 2-decimal currencies) per currency, exactly. */
function cents(s: string): bigint {
  const neg = s.startsWith('-');
  const [a, b = ''] = s.replace('-', '').split('.');
  const v = BigInt(a!) * 100n + BigInt((b + '00').slice(0, 2));
  return neg ? -v : v;
}

async function world(): Promise<StockHome> {
  // MUG-BLU-S 24 @ 4.00 EUR, MUG-RED-S 5 @ 4.50 EUR, BOWL-GRY-M 0 @ 99.00 SEK; NOCOST without a cost.
  const h = stockHome([
    { sku: 'MUG-BLU-S', stock: 24, cost: 400, currency: 'EUR' },
    { sku: 'MUG-RED-S', stock: 5, cost: 450, currency: 'EUR' },
    { sku: 'BOWL-GRY-M', stock: 0, cost: 9900, currency: 'SEK' },
    { sku: 'NOCOST', stock: 3 },
  ]);
  const ok = async (args: string[]) => {
    const r = await h.cli(args);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  await ok(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE', '--street', 'Am Exer 12', '--city', 'Leipzig', '--postal-code', '04158']);
  await ok(['stock', 'set', 'BOWL-GRY-M', '7', '--location', 'de-3pl']);
  await ok(['stock', 'set', 'MUG-BLU-S', '10', '--location', 'de-3pl']);
  await ok(['stock', 'move', 'MUG-BLU-S', '4', '--from', 'home', '--to', 'de-3pl', '--reason', 'pallet']); // in transit
  return h;
}

describe('report stock', () => {
  it('values each SKU and location at catalogue cost; totals are the exact sums; no cost is never 0', async () => {
    const h = await world();
    const r = await h.cli(['report', 'stock', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows[0]).toEqual(['sku', 'location', 'location_country', 'on_hand', 'in_transit', 'quantity', 'currency', 'unit_cost', 'value', 'note']);
    const body = rows.slice(1);
    expect(body).toEqual([
      ['BOWL-GRY-M', 'de-3pl', 'DE', '7', '0', '7', 'SEK', '99.00', '693.00', ''],
      ['MUG-BLU-S', 'home', '', '20', '0', '20', 'EUR', '4.00', '80.00', ''],
      ['MUG-BLU-S', 'de-3pl', 'DE', '10', '4', '14', 'EUR', '4.00', '56.00', ''],
      ['MUG-RED-S', 'home', '', '5', '0', '5', 'EUR', '4.50', '22.50', ''],
      ['NOCOST', 'home', '', '3', '0', '3', '', '', '', 'no cost price in the catalogue: not valued'],
      ['total', '', '', '35', '4', '39', 'EUR', '', '158.50', ''],
      ['total', '', '', '7', '0', '7', 'SEK', '', '693.00', ''],
      ['total', '', '', '3', '0', '3', '', '', '', '1 row without a cost price: not valued'],
    ]);
    expect(r.stderr).toMatch(/1 SKU has no cost price in the catalogue and is not valued \(not counted as 0\): NOCOST/);
    // Sum of rows = total, per currency.
    for (const cur of ['EUR', 'SEK']) {
      const sum = body.filter((x) => x[0] !== 'total' && x[6] === cur).reduce((s, x) => s + cents(x[8]!), 0n);
      expect(cents(body.find((x) => x[0] === 'total' && x[6] === cur)![8]!)).toBe(sum);
    }
  });

  it('--at rebuilds the positions at the end of a past day from the movements; the present is unchanged', async () => {
    const h = await world();
    // Everything above happened "now" (MERCHANT_NOW 2026-11-25T06:00Z). Later changes on later days:
    await h.cli(['stock', 'adjust', 'MUG-RED-S', '-2', '--location', 'home', '--reason', 'broken'], { env: { MERCHANT_NOW: '2026-11-28T10:00:00.000Z' } });
    await h.cli(['stock', 'receive', '1'], { env: { MERCHANT_NOW: '2026-11-29T10:00:00.000Z' } });
    const at = async (d: string, now = '2026-12-01T09:00:00.000Z') => {
      const r = await h.cli(['report', 'stock', '--at', d, '--json'], { env: { MERCHANT_NOW: now } });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Json;
    };
    const q = (doc: Json) => Object.fromEntries(doc.items.map((i: Json) => [`${i.sku}@${i.location}`, [i.on_hand, i.in_transit]]));
    const d27 = await at('2026-11-27');
    expect(d27.meta.source).toBe('history');
    expect(q(d27)).toEqual({ 'BOWL-GRY-M@de-3pl': [7, 0], 'MUG-BLU-S@home': [20, 0], 'MUG-BLU-S@de-3pl': [10, 4], 'MUG-RED-S@home': [5, 0], 'NOCOST@home': [3, 0] });
    const d28 = await at('2026-11-28');
    expect(q(d28)['MUG-RED-S@home']).toEqual([3, 0]);
    expect(q(d28)['MUG-BLU-S@de-3pl']).toEqual([10, 4]);
    const d29 = await at('2026-11-29');
    expect(q(d29)['MUG-BLU-S@de-3pl']).toEqual([14, 0]); // received: on hand, no longer in transit
    // Before the first movement: nothing, and a warning that the history starts later.
    const r = await h.cli(['report', 'stock', '--at', '2026-11-01', '--format', 'csv'], { env: { MERCHANT_NOW: '2026-12-01T09:00:00.000Z' } });
    expect(r.code).toBe(0);
    expect(csvRows(r.stdout)).toHaveLength(1);
    expect(r.stderr).toMatch(/no stock movement is recorded on or before 2026-11-01/);
    // --at today is the current levels.
    expect((await at('2026-12-01')).meta.source).toBe('current');
    expect(q(await at('2026-12-01'))).toEqual(q(d29));
  });

  it('--at counts the day in the seller time zone: 23:30 UTC on the 27th is the 28th in Stockholm, 03:00 UTC on the 28th the 27th in New York', async () => {
    const h = await world();
    await h.cli(['stock', 'adjust', 'MUG-RED-S', '+1', '--location', 'home'], { env: { MERCHANT_NOW: '2026-11-27T23:30:00.000Z' } });
    await h.cli(['stock', 'adjust', 'MUG-RED-S', '+1', '--location', 'home'], { env: { MERCHANT_NOW: '2026-11-28T03:00:00.000Z' } });
    const red = async (tz: string) => {
      const r = await h.cli(['report', 'stock', '--at', '2026-11-27', '--timezone', tz, '--sku', 'MUG-RED-S', '--json'], { env: { MERCHANT_NOW: '2026-12-01T09:00:00.000Z' } });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as Json).items[0].on_hand;
    };
    expect(await red('UTC')).toBe(6);
    expect(await red('America/New_York')).toBe(7);
    expect(await red('Europe/Stockholm')).toBe(5);
  });

  it('--currency converts each row at the rate of the date, shows the rate and its date, and totals the rounded rows', async () => {
    const h = await world();
    for (const args of [['--rate', 'EUR/SEK=11.0473', '--date', '2026-11-24'], ['--rate', 'EUR/SEK=11.1111', '--date', '2026-11-20']]) {
      expect((await h.cli(['fx', 'update', ...args])).code).toBe(0);
    }
    const r = await h.cli(['report', 'stock', '--currency', 'SEK', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows[0]).toEqual(['sku', 'location', 'location_country', 'on_hand', 'in_transit', 'quantity', 'source_currency', 'unit_cost', 'source_value', 'rate', 'rate_date', 'currency', 'value', 'note']);
    const row = (sku: string, loc: string) => rows.find((x) => x[0] === sku && x[1] === loc)!;
    // 56.00 EUR × 11.0473 = 618.6488 → 618.65; 80.00 × 11.0473 = 883.784 → 883.78; 22.50 × 11.0473 = 248.56425 → 248.56
    expect(row('MUG-BLU-S', 'de-3pl').slice(6)).toEqual(['EUR', '4.00', '56.00', '11.0473', '2026-11-24', 'SEK', '618.65', '']);
    expect(row('MUG-BLU-S', 'home')[12]).toBe('883.78');
    expect(row('MUG-RED-S', 'home')[12]).toBe('248.56');
    expect(row('BOWL-GRY-M', 'de-3pl').slice(6, 13)).toEqual(['SEK', '99.00', '693.00', '1', '2026-11-25', 'SEK', '693.00']);
    const total = rows.find((x) => x[0] === 'total' && x[11] === 'SEK')!;
    expect(total[12]).toBe('2443.99'); // 618.65 + 883.78 + 248.56 + 693.00: the rounded rows, exactly
    expect(rows.find((x) => x[0] === 'total' && x[11] === '')![5]).toBe('3'); // NOCOST, units only
    expect(r.stderr).toMatch(/rates into SEK: EUR 11\.0473\d* \(2026-11-24\)/);
    // --at a day before the newest rate uses that day's rate.
    const old = await h.cli(['report', 'stock', '--at', '2026-11-25', '--currency', 'SEK', '--json']);
    expect(old.code, old.stderr).toBe(0);
  });

  it('a missing rate refuses the report (exit 3) naming currency and date; a stale one refuses without a terminal unless --allow-stale', async () => {
    const h = await world();
    const none = await h.cli(['report', 'stock', '--currency', 'SEK']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/exchange rates/);
    expect(none.stdout).toBe('');
    await h.cli(['fx', 'update', '--rate', 'EUR/SEK=11.0473', '--date', '2026-11-02']);
    const stale = await h.cli(['report', 'stock', '--currency', 'SEK']);
    expect(stale.code, stale.stderr).toBe(3);
    expect(stale.stderr).toMatch(/stale: EUR→SEK for 2026-11-25 uses the rate of 2026-11-02, 23 days older/);
    const allowed = await h.cli(['report', 'stock', '--currency', 'SEK', '--allow-stale', '--format', 'csv']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toMatch(/stale exchange rate/);
  });

  it('CSV cells are neutralised against formula injection; the excel profile follows the locale; --output is atomic', async () => {
    const h = stockHome([{ sku: '=HYPERLINK("x")', stock: 2, cost: 1234, currency: 'EUR' }]);
    const r = await h.cli(['report', 'stock', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`"'=HYPERLINK(""x"")"`);
    const out = join(h.home, 'bestand.csv');
    const x = await h.cli(['report', 'stock', '--profile', 'excel', '--locale', 'de-DE', '--output', out]);
    expect(x.code, x.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFFsku;location;')).toBe(true);
    expect(text).toContain(';12,34;24,68;');
    expect(text).toContain('\r\n');
  });

  it('--location filters; an unknown location is a usage error (exit 2, not_found) naming the known ones; journal profiles are refused', async () => {
    const h = await world();
    const r = await h.cli(['report', 'stock', '--location', 'de-3pl', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Json;
    expect(doc.items.map((i: Json) => i.location)).toEqual(['de-3pl', 'de-3pl']);
    expect(doc.totals.map((t: Json) => [t.currency, t.value.amount])).toEqual([['EUR', '56.00'], ['SEK', '693.00']]);
    const bad = await h.cli(['report', 'stock', '--location', 'us-wh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no stock location "us-wh"[\s\S]*de-3pl/);
    expect((await h.cli(['report', 'stock', '--profile', 'xero'])).code).toBe(2);
    expect((await h.cli(['report', 'stock', '--at', '2027-01-01'])).code).toBe(2);
    expect((await h.cli(['report', 'stock', '--at', '31.12.2026'])).code).toBe(2);
    expect((await h.cli(['report', 'stock', '--currency', 'XYZ'])).code).toBe(2);
  });

  it('--json matches docs/schemas/report-stock.schema.json: native, converted, historic, unvalued rows', async () => {
    const dir = resolve(import.meta.dirname, '../../docs/schemas');
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    for (const f of readdirSync(dir)) if (f === 'defs.schema.json' || f === 'report-stock.schema.json') ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    const v = ajv.getSchema('https://merchant.local/schemas/report-stock.schema.json')!;
    const h = await world();
    await h.cli(['fx', 'update', '--rate', 'EUR/SEK=11.0473', '--date', '2026-11-24']);
    for (const args of [[], ['--currency', 'SEK'], ['--at', '2026-11-25'], ['--at', '2026-11-25', '--currency', 'EUR', '--location', 'home']]) {
      const r = await h.cli(['report', 'stock', ...args, '--json'], { env: { MERCHANT_NOW: '2026-11-26T12:00:00.000Z' } });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as Json;
      expect(doc.items.length).toBeGreaterThan(0);
      expect(doc.items.some((i: Json) => i.value === null), 'an unvalued row is in the check').toBe(true);
      expect(v(doc), `${args.join(' ')}: ${JSON.stringify(v.errors)}`).toBe(true);
    }
  });
});
