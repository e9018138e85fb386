// `merchant report sales`: reconciliation against totals computed by hand from the fixture files,
// time zones, date bases, exact conversion at each order's own rate, and the invariants
// (totals = Σ rows = Σ detail rows, in every currency, for every grouping).
import { beforeAll, describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { run, tempDir } from '../helpers/run.js';
import { fixture, fixtureRates, openHomeStore, seed, seedRates, setTimezone } from './seed.js';

const ALL = ['shopify-orders-export.csv', 'shopify-orders-export-kwd.csv', 'amazon-all-orders.txt', 'amazon-settlement.txt',
  'ebay-orders-report-uk.csv', 'ebay-orders-report-us.csv'].map(fixture);

async function importedHome(tz?: string): Promise<string> {
  const home = tempDir();
  const s = openHomeStore(home);
  if (tz) setTimezone(s, tz);
  seedRates(s, fixtureRates());
  s.close();
  const r = await run(['orders', 'import', ...ALL], { home });
  expect(r.code).toBe(0);
  return home;
}

const RANGE = ['--from', '2026-03-01', '--to', '2026-04-30'];

// Computed by hand from the fixture files (see docs/reports.md for the definitions).
const EXPECTED_UTC = `period,channel,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-03,amazon-de,EUR,2,4,94.60,3.00,0.00,23.63,3.90,15.72,56.15
2026-03,amazon-jp,JPY,1,1,3980,0,0,0,0,362,3618
2026-03,amazon-uk,GBP,1,2,39.98,0.00,0.00,0.00,2.99,7.16,35.81
2026-03,amazon-us,USD,1,3,59.97,0.00,0.00,0.00,5.99,5.28,65.96
2026-03,ebay-uk,GBP,2,4,89.96,0.00,0.00,0.00,8.00,0.00,97.96
2026-03,shopify,EUR,3,7,135.60,2.99,10.00,0.00,10.80,21.30,112.11
2026-03,shopify,KWD,1,3,19.000,0.000,0.000,0.000,1.500,0.000,20.500
2026-04,amazon-de,EUR,0,0,0.00,0.00,46.80,-5.62,0.00,-7.95,-33.23
2026-04,ebay-us,USD,1,1,29.99,0.00,0.00,0.00,5.00,2.80,34.99
2026-04,shopify,KWD,1,1,12.750,1.275,5.000,0.000,0.000,0.000,6.475
total,,EUR,5,11,230.20,5.99,56.80,18.01,14.70,29.07,135.03
total,,GBP,3,6,129.94,0.00,0.00,0.00,10.99,7.16,133.77
total,,JPY,1,1,3980,0,0,0,0,362,3618
total,,KWD,2,4,31.750,1.275,5.000,0.000,1.500,0.000,26.975
total,,USD,2,4,89.96,0.00,0.00,0.00,10.99,8.08,100.95
`;

type Rec = Record<string, string>;
const MONEY = ['gross', 'discounts', 'refunds', 'fees', 'shipping', 'tax', 'net'];

function csvRows(text: string, delimiter = ','): Rec[] {
  return parse(text.replace(/^\uFEFF/, ''), { columns: true, delimiter, skip_empty_lines: true }) as Rec[];
}

/** Σ of the non-total rows per currency must equal the total row of that currency, exactly. */
function expectTotalsAreSums(rows: Rec[], decimalComma = false): void {
  const dec = (s: string) => new Decimal(decimalComma ? s.replace(',', '.') : s);
  const sums = new Map<string, Record<string, Decimal>>();
  for (const r of rows.filter((x) => x.period !== 'total')) {
    const acc = sums.get(r.currency!) ?? Object.fromEntries(['orders', 'units', ...MONEY].map((k) => [k, new Decimal(0)]));
    for (const k of Object.keys(acc)) acc[k] = acc[k]!.plus(dec(r[k]!));
    sums.set(r.currency!, acc);
  }
  const totals = rows.filter((x) => x.period === 'total');
  expect(totals.map((t) => t.currency).sort()).toEqual([...sums.keys()].sort());
  for (const t of totals) for (const [k, v] of Object.entries(sums.get(t.currency!)!)) expect(`${t.currency} ${k} ${dec(t[k]!).toString()}`).toBe(`${t.currency} ${k} ${v.toString()}`);
}

describe('report sales on the fixture orders', () => {
  let home: string;
  beforeAll(async () => {
    home = await importedHome();
  });

  test('native currencies side by side: every figure as computed by hand', async () => {
    const r = await run(['report', 'sales', ...RANGE, '--group-by', 'month,channel', '--format', 'csv'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(EXPECTED_UTC);
    expect(r.stderr).toContain('refunds (and fees given back with them) by refund date');
  });

  test('the totals are the same whatever the grouping, and always the sum of the rows', async () => {
    const groupings = ['', 'day', 'week', 'month', 'channel', 'marketplace', 'country', 'currency', 'sku', 'month,channel,country', 'week,marketplace,sku', 'day,currency'];
    const reference = csvRows(EXPECTED_UTC).filter((x) => x.period === 'total');
    for (const g of groupings) {
      const r = await run(['report', 'sales', ...RANGE, ...(g ? ['--group-by', g] : []), '--format', 'csv'], { home });
      expect(r.code, g).toBe(0);
      const rows = csvRows(r.stdout);
      expectTotalsAreSums(rows);
      const totals = rows.filter((x) => x.period === 'total');
      // The order count of an SKU grouping counts an order once per SKU it contains (documented).
      for (const t of totals) {
        const ref = reference.find((x) => x.currency === t.currency)!;
        for (const k of ['units', ...MONEY]) expect(`${g} ${t.currency} ${k} ${t[k]}`).toBe(`${g} ${t.currency} ${k} ${ref[k]}`);
        if (!g.includes('sku')) expect(t.orders).toBe(ref.orders);
      }
    }
  });

  test('converted: every grouping (but sku, converted per line) gives the same totals, each the sum of its rows', async () => {
    let reference: Rec | undefined;
    for (const g of ['', 'day', 'week', 'month', 'channel', 'marketplace', 'country', 'currency', 'month,channel,country,currency', 'sku']) {
      const r = await run(['report', 'sales', ...RANGE, ...(g ? ['--group-by', g] : []), '--currency', 'EUR', '--format', 'csv'], { home });
      expect(r.code, `${g}: ${r.stderr}`).toBe(0);
      const rows = csvRows(r.stdout);
      expectTotalsAreSums(rows);
      const total = rows.find((x) => x.period === 'total')!;
      if (g === 'sku') {
        expect(total.units).toBe(reference!.units);
        continue;
      }
      reference ??= total;
      for (const k of ['orders', 'units', ...MONEY]) expect(`${g} ${k} ${total[k]}`).toBe(`${g} ${k} ${reference[k]}`);
    }
  });

  test('--date-basis order puts a refund on its order\'s date', async () => {
    const r = await run(['report', 'sales', ...RANGE, '--group-by', 'month,channel', '--channel', 'amazon-de', '--date-basis', 'order', '--format', 'csv'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`period,channel,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-03,amazon-de,EUR,2,4,94.60,3.00,46.80,18.01,3.90,7.77,22.92
total,,EUR,2,4,94.60,3.00,46.80,18.01,3.90,7.77,22.92
`);
  });

  test('a refund in April of a March order is in April only when April is in the range', async () => {
    const oct = await run(['report', 'sales', '--from', '2026-03-01', '--to', '2026-03-31', '--marketplace', 'amazon', '--channel', 'amazon-de', '--format', 'csv'], { home });
    expect(oct.stdout.split('\n')[1]).toBe('2026-03-01/2026-03-31,EUR,2,4,94.60,3.00,0.00,23.63,3.90,15.72,56.15');
    const nov = await run(['report', 'sales', '--from', '2026-04-01', '--to', '2026-04-30', '--channel', 'amazon-de', '--format', 'csv'], { home });
    expect(nov.stdout.split('\n')[1]).toBe('2026-04-01/2026-04-30,EUR,0,0,0.00,0.00,46.80,-5.62,0.00,-7.95,-33.23');
  });

  test('filters: --marketplace and --channel', async () => {
    const r = await run(['report', 'sales', ...RANGE, '--group-by', 'channel', '--marketplace', 'ebay', '--format', 'csv'], { home });
    expect(r.stdout).toBe(`period,channel,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-03-01/2026-04-30,ebay-uk,GBP,2,4,89.96,0.00,0.00,0.00,8.00,0.00,97.96
2026-03-01/2026-04-30,ebay-us,USD,1,1,29.99,0.00,0.00,0.00,5.00,2.80,34.99
total,,GBP,2,4,89.96,0.00,0.00,0.00,8.00,0.00,97.96
total,,USD,1,1,29.99,0.00,0.00,0.00,5.00,2.80,34.99
`);
  });

  test('--currency EUR: every order, fee and refund at its own date\'s rate (Friday\'s for a weekend), checked independently', async () => {
    const conv = await run(['report', 'sales', ...RANGE, '--currency', 'EUR', '--detail', '--format', 'csv'], { home });
    expect(conv.code).toBe(0);
    const native = await run(['report', 'sales', ...RANGE, '--detail', '--format', 'csv'], { home });
    const c = csvRows(conv.stdout);
    const n = csvRows(native.stdout);
    expect(c.length).toBe(n.length);
    // An independent rate table: 1 EUR = x, the latest publication on or before the date.
    const rates = new Map<string, Map<string, string>>();
    for (const [d, q, r] of fixtureRates()) rates.set(q, (rates.get(q) ?? new Map()).set(d, r));
    const rateOn = (q: string, date: string): [string, string] => {
      const dates = [...rates.get(q)!.keys()].filter((d) => d <= date).sort();
      const d = dates[dates.length - 1]!;
      return [d, rates.get(q)!.get(d)!];
    };
    const exp: Record<string, number> = { EUR: 2, GBP: 2, USD: 2, JPY: 0, KWD: 3 };
    let weekend = 0;
    for (let i = 0; i < c.length; i++) {
      const cv = c[i]!;
      const nv = n[i]!;
      expect([cv.date, cv.kind, cv.order, cv.source_currency]).toEqual([nv.date, nv.kind, nv.order, nv.currency]);
      expect(cv.currency).toBe('EUR');
      if (nv.currency === 'EUR') {
        for (const k of MONEY) expect(cv[k]).toBe(nv[k]);
        continue;
      }
      const [rateDate, rate] = rateOn(nv.currency!, nv.date!);
      expect(cv.rate_date).toBe(rateDate);
      if ([0, 6].includes(new Date(`${nv.date}T00:00:00Z`).getUTCDay())) {
        weekend++;
        expect(rateDate < nv.date!).toBe(true);
      }
      for (const k of MONEY.filter((m) => m !== 'net')) {
        const want = new Decimal(nv[k]!).div(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
        expect(`${nv.order} ${k} ${cv[k]}`).toBe(`${nv.order} ${k} ${want.toFixed(2)}`);
      }
      void exp;
    }
    expect(weekend).toBeGreaterThanOrEqual(4); // Saturday/Sunday orders in JPY, GBP, USD, KWD
    // The summary: totals = Σ rows = Σ detail rows (each converted once, then summed).
    const sum = await run(['report', 'sales', ...RANGE, '--group-by', 'month,channel', '--currency', 'EUR', '--format', 'csv'], { home });
    const rows = csvRows(sum.stdout);
    expectTotalsAreSums(rows);
    const total = rows.find((r) => r.period === 'total')!;
    for (const k of MONEY) {
      const detailSum = c.reduce((a, r) => a.plus(r[k]!), new Decimal(0));
      expect(`${k} ${total[k]}`).toBe(`${k} ${detailSum.toFixed(2)}`);
    }
    expect(total.orders).toBe('13');
  });

  test('--currency with --group-by currency keeps the source currency as a column; --detail --format json streams one document', async () => {
    const r = await run(['report', 'sales', ...RANGE, '--group-by', 'currency', '--currency', 'EUR', '--format', 'csv'], { home });
    const rows = csvRows(r.stdout);
    expect(Object.keys(rows[0]!).slice(0, 3)).toEqual(['period', 'currency', 'source_currency']);
    expect(rows.filter((x) => x.period !== 'total').map((x) => x.source_currency)).toEqual(['EUR', 'GBP', 'JPY', 'KWD', 'USD']);
    expect(rows.find((x) => x.source_currency === 'EUR')!.gross).toBe('230.20'); // EUR is not converted
    const j = await run(['report', 'sales', ...RANGE, '--currency', 'EUR', '--detail', '--format', 'json'], { home });
    const doc = JSON.parse(j.stdout) as { meta: { columns: string[] }; detail: Rec[] };
    expect(doc.meta.columns).toContain('rate_date');
    expect(doc.detail.length).toBe(csvRows((await run(['report', 'sales', ...RANGE, '--currency', 'EUR', '--detail', '--format', 'csv'], { home })).stdout).length);
    expect(doc.detail.find((x) => x.order === '503-4444444-4000001' && x.kind === 'sale')).toMatchObject({ source_currency: 'JPY', rate_date: '2026-03-27' });
  });

  test('--currency JPY and KWD round to their own minor units', async () => {
    const jpy = await run(['report', 'sales', ...RANGE, '--channel', 'amazon-de', '--currency', 'JPY', '--format', 'csv'], { home });
    expect(jpy.code).toBe(0);
    expect(jpy.stdout.split('\n')[1]).toMatch(/^2026-03-01\/2026-04-30,JPY,2,4,\d+,\d+,\d+,\d+,\d+,\d+,\d+$/);
    const kwd = await run(['report', 'sales', ...RANGE, '--channel', 'shopify', '--currency', 'KWD', '--format', 'json'], { home });
    expect(kwd.code).toBe(0);
    const doc = JSON.parse(kwd.stdout) as { rows: Rec[]; totals: Rec[] };
    expect((doc.totals[0]!.gross as unknown as { amount: string }).amount).toMatch(/^\d+\.\d{3}$/);
    // KWD → KWD is not converted at all: 31.750 KWD of Shopify gross stays exact inside the total.
    expect(doc.rows[0]!.currency).toBe('KWD');
  });

  test('a missing rate is exit 3 with a hint, not a guess', async () => {
    const r = await run(['report', 'sales', '--from', '2026-02-01', '--to', '2026-04-30', '--currency', 'CHF'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/CHF/);
  });

  test('table on a TTY, TSV on a pipe, --chart for time groupings', async () => {
    const tty = await run(['report', 'sales', ...RANGE, '--group-by', 'month', '--chart'], { home, tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain('period');
    expect(tty.stdout).toContain('net EUR');
    expect(tty.stdout).toMatch(/2026-03 +112\.11|2026-03 +\S+ +█/);
    const pipe = await run(['report', 'sales', ...RANGE, '--group-by', 'month'], { home });
    expect(pipe.stdout.split('\n')[0]).toBe('period\tcurrency\torders\tunits\tgross\tdiscounts\trefunds\tfees\tshipping\ttax\tnet');
    expect(pipe.stdout).not.toMatch(/\u001b\[/);
    const noTime = await run(['report', 'sales', ...RANGE, '--chart'], { home });
    expect(noTime.code).toBe(2);
  });

  test('--output writes atomically and leaves no temp file', async () => {
    const dir = tempDir();
    const out = join(dir, 'sales.csv');
    const r = await run(['report', 'sales', ...RANGE, '--group-by', 'month,channel', '--format', 'csv', '--output', out], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(EXPECTED_UTC);
    expect(readdirSync(dir)).toEqual(['sales.csv']);
    // Without --format, a file gets CSV; a table cannot go to a file.
    const plain = await run(['report', 'sales', ...RANGE, '--group-by', 'month,channel', '--output', join(dir, 'b.csv')], { home });
    expect(plain.code).toBe(0);
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe(EXPECTED_UTC);
    expect((await run(['report', 'sales', ...RANGE, '--format', 'table', '--output', join(dir, 'c.txt')], { home })).code).toBe(2);
  });

  test('usage errors are exit 2 and name the flag', async () => {
    for (const [args, msg] of [
      [['report', 'sales', '--to', '2026-10-31'], '--from and --to are required'],
      [['report', 'sales', ...RANGE, '--group-by', 'month,day'], 'one time grouping'],
      [['report', 'sales', ...RANGE, '--group-by', 'planet'], 'unknown grouping'],
      [['report', 'sales', '--from', '2026-10-31', '--to', '2026-10-01'], 'is before --from'],
      [['report', 'sales', '--from', '2026-02-30', '--to', '2026-03-01'], '--from must be a date'],
      [['report', 'sales', ...RANGE, '--marketplace', 'etsy'], 'unknown marketplace'],
      [['report', 'sales', ...RANGE, '--profile', 'xero', '--format', 'json'], '--profile xero writes a file'],
      [['report', 'sales', ...RANGE, '--profile', 'xero'], 'base currency'],
    ] as const) {
      const r = await run([...args], { home });
      expect(`${args.join(' ')} → ${r.code}`).toBe(`${args.join(' ')} → 2`);
      expect(r.stderr).toContain(msg);
    }
  });
});

describe('seller time zone', () => {
  test('periods and --from/--to are in the seller zone: an order at 00:30 Berlin time on 1 April is April', async () => {
    const home = await importedHome('Europe/Berlin');
    const r = await run(['report', 'sales', ...RANGE, '--group-by', 'month', '--channel', 'shopify', '--format', 'csv'], { home });
    expect(r.stdout).toBe(`period,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-03,EUR,2,4,99.60,2.99,10.00,0.00,4.90,14.61,76.90
2026-03,KWD,1,3,19.000,0.000,0.000,0.000,1.500,0.000,20.500
2026-04,EUR,1,3,36.00,0.00,0.00,0.00,5.90,6.69,35.21
2026-04,KWD,1,1,12.750,1.275,5.000,0.000,0.000,0.000,6.475
total,,EUR,3,7,135.60,2.99,10.00,0.00,10.80,21.30,112.11
total,,KWD,2,4,31.750,1.275,5.000,0.000,1.500,0.000,26.975
`.replace(/^total,,/gm, 'total,'));
    const oneDay = await run(['report', 'sales', '--from', '2026-04-01', '--to', '2026-04-01', '--channel', 'shopify', '--format', 'json'], { home });
    const doc = JSON.parse(oneDay.stdout) as { meta: Rec; rows: Rec[] };
    expect(doc.meta.timezone).toBe('Europe/Berlin');
    expect(doc.meta.fromUtc).toBe('2026-03-31T22:00:00Z');
    expect(doc.rows.map((x) => `${x.currency} ${x.orders} ${(x.gross as unknown as { amount: string }).amount}`)).toEqual(['EUR 1 36.00']);
  });
});

describe('seeded orders (as sync writes them)', () => {
  test('a fee in another currency: its own currency row natively, converted at the order date with --currency', async () => {
    const home = tempDir();
    const s = openHomeStore(home);
    seed(s, [{
      id: '12-30001-00001', channel: 'ebay-uk', currency: 'GBP', at: '2026-10-03T09:00:00Z', country: 'GB', shipping: 350n,
      lines: [{ sku: 'MUG-BLU-S', qty: 1, price: 2499n }],
      fees: [{ amount: 412n, currency: 'USD', kind: 'FINAL_VALUE_FEE' }, { amount: 30n, currency: 'USD', kind: 'FINAL_VALUE_FEE_FIXED_PER_ORDER' }],
    }]);
    seedRates(s, [['2026-10-02', 'GBP', '0.8700'], ['2026-10-02', 'USD', '1.1700']]);
    s.close();
    const nat = await run(['report', 'sales', '--from', '2026-10-01', '--to', '2026-10-31', '--format', 'csv'], { home });
    expect(nat.stdout).toBe(`period,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-10-01/2026-10-31,GBP,1,1,24.99,0.00,0.00,0.00,3.50,0.00,28.49
2026-10-01/2026-10-31,USD,0,0,0.00,0.00,0.00,4.42,0.00,0.00,-4.42
total,GBP,1,1,24.99,0.00,0.00,0.00,3.50,0.00,28.49
total,USD,0,0,0.00,0.00,0.00,4.42,0.00,0.00,-4.42
`);
    const eur = await run(['report', 'sales', '--from', '2026-10-01', '--to', '2026-10-31', '--currency', 'GBP', '--format', 'csv'], { home });
    // 4.12 USD and 0.30 USD are converted separately (each fee is its own amount): 4.12×0.87/1.17 = 3.0636 → 3.06,
    // 0.30×0.87/1.17 = 0.2231 → 0.22.
    expect(eur.stdout.split('\n')[1]).toBe('2026-10-01/2026-10-31,GBP,1,1,24.99,0.00,0.00,3.28,3.50,0.00,25.21');
  });

  test('formula injection is neutralised in text cells only; negative numbers stay numbers', async () => {
    const home = tempDir();
    const s = openHomeStore(home);
    seed(s, [
      { id: 'X1', channel: 'shopify', currency: 'EUR', at: '2026-10-03T09:00:00Z', country: 'DE', lines: [{ sku: '=HYPERLINK("http://x","y")', qty: 1, price: 1000n }] },
      { id: 'X2', channel: 'shopify', currency: 'EUR', at: '2026-10-04T09:00:00Z', country: 'DE', lines: [{ sku: '-2+3', qty: 1, price: 500n }, { sku: '@SUM(A1)', qty: 1, price: 100n }],
        refunds: [{ at: '2026-10-05T09:00:00Z', amount: 2000n }] },
    ]);
    s.close();
    const r = await run(['report', 'sales', '--from', '2026-10-01', '--to', '2026-10-31', '--group-by', 'sku', '--format', 'csv'], { home });
    expect(r.stdout).toBe(`period,sku,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-10-01/2026-10-31,,EUR,0,0,0.00,0.00,20.00,0.00,0.00,0.00,-20.00
2026-10-01/2026-10-31,'-2+3,EUR,1,1,5.00,0.00,0.00,0.00,0.00,0.00,5.00
2026-10-01/2026-10-31,'=HYPERLINK(""http://x"",""y""),EUR,1,1,10.00,0.00,0.00,0.00,0.00,0.00,10.00
2026-10-01/2026-10-31,'@SUM(A1),EUR,1,1,1.00,0.00,0.00,0.00,0.00,0.00,1.00
total,,EUR,3,3,16.00,0.00,20.00,0.00,0.00,0.00,-4.00
`.replace('\'=HYPERLINK(""http://x"",""y"")', '"\'=HYPERLINK(""http://x"",""y"")"'));
  });

  test('cancelled and voided orders are left out; US sales tax is not deducted from net, VAT is', async () => {
    const home = tempDir();
    const s = openHomeStore(home);
    seed(s, [
      { id: 'U1', channel: 'amazon-us', currency: 'USD', at: '2026-10-03T09:00:00Z', tax: 80n, lines: [{ sku: 'A', qty: 1, price: 1000n, tax: 80n }] },
      { id: 'D1', channel: 'amazon-de', currency: 'EUR', at: '2026-10-03T09:00:00Z', tax: 160n, lines: [{ sku: 'A', qty: 1, price: 1000n, tax: 160n }] },
      { id: 'C1', channel: 'amazon-de', currency: 'EUR', at: '2026-10-03T09:00:00Z', status: 'Canceled', lines: [{ sku: 'A', qty: 1, price: 1000n }] },
      { id: 'V1', channel: 'shopify', currency: 'EUR', at: '2026-10-03T09:00:00Z', status: 'voided', lines: [{ sku: 'A', qty: 1, price: 1000n }] },
      { id: 'S1', channel: 'shopify', currency: 'USD', at: '2026-10-03T09:00:00Z', tax: 90n, includesTax: 0, lines: [{ sku: 'A', qty: 1, price: 1000n }] },
    ]);
    s.close();
    const r = await run(['report', 'sales', '--from', '2026-10-01', '--to', '2026-10-31', '--group-by', 'channel', '--format', 'csv'], { home });
    expect(r.stdout).toBe(`period,channel,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-10-01/2026-10-31,amazon-de,EUR,1,1,10.00,0.00,0.00,0.00,0.00,1.60,8.40
2026-10-01/2026-10-31,amazon-us,USD,1,1,10.00,0.00,0.00,0.00,0.00,0.80,10.00
2026-10-01/2026-10-31,shopify,USD,1,1,10.00,0.00,0.00,0.00,0.00,0.90,10.00
total,,EUR,1,1,10.00,0.00,0.00,0.00,0.00,1.60,8.40
total,,USD,2,2,20.00,0.00,0.00,0.00,0.00,1.70,20.00
`);
  });

  test('discounts and tax only on the lines (order-level totals left at 0) are still counted, once', async () => {
    const home = tempDir();
    const s = openHomeStore(home);
    seed(s, [
      { id: 'L1', channel: 'amazon-de', currency: 'EUR', at: '2026-10-03T09:00:00Z', lines: [{ sku: 'A', qty: 2, price: 1000n, discount: 200n, tax: 287n }, { sku: 'B', qty: 1, price: 500n, tax: 80n }] },
      { id: 'T1', channel: 'amazon-de', currency: 'EUR', at: '2026-10-03T09:00:00Z', discount: 300n, tax: 400n, lines: [{ sku: 'A', qty: 1, price: 3000n, discount: 300n, tax: 400n }] },
    ]);
    s.close();
    for (const g of ['channel', 'sku']) {
      const r = await run(['report', 'sales', '--from', '2026-10-01', '--to', '2026-10-31', '--group-by', g, '--format', 'csv'], { home });
      expect(r.stdout.split('\n').find((l) => l.startsWith('total'))).toBe(`total,,EUR,${g === 'sku' ? 3 : 2},4,55.00,5.00,0.00,0.00,0.00,7.67,42.33`);
    }
  });

  test('an empty range is a success with no rows', async () => {
    const home = tempDir();
    openHomeStore(home).close();
    const r = await run(['report', 'sales', '--from', '2026-10-01', '--to', '2026-10-31', '--format', 'csv'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('period,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net\n');
  });

  test('no database is exit 7', async () => {
    const home = tempDir();
    const r = await run(['report', 'sales', '--from', '2026-10-01', '--to', '2026-10-31'], { home: join(home, 'nothing') });
    expect(r.code).toBe(7);
    expect(existsSync(join(home, 'nothing', 'merchant.db'))).toBe(false);
  });
});
