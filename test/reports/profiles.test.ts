// Golden files for each output profile, parse-back checks of every CSV, balanced journals, and
// `hledger check` on the hledger export when hledger is installed.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import { run, tempDir } from '../helpers/run.js';
import { fixture, fixtureRates, openHomeStore, seedRates, setTimezone } from './seed.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const ALL = ['shopify-orders-export.csv', 'shopify-orders-export-kwd.csv', 'amazon-all-orders.txt', 'amazon-settlement.txt',
  'ebay-orders-report-uk.csv', 'ebay-orders-report-us.csv'].map(fixture);
const RANGE = ['--from', '2026-03-01', '--to', '2026-04-30'];
const MONEY = ['gross', 'discounts', 'refunds', 'fees', 'shipping', 'tax', 'net'];

const CASES: Array<{ name: string; args: string[] }> = [
  { name: 'plain.csv', args: ['--group-by', 'month,channel', '--profile', 'plain'] },
  { name: 'plain-eur.csv', args: ['--group-by', 'month,channel', '--currency', 'EUR', '--format', 'csv'] },
  { name: 'excel-de.csv', args: ['--group-by', 'month,channel', '--profile', 'excel', '--locale', 'de-DE'] },
  { name: 'excel-en.csv', args: ['--group-by', 'month,marketplace', '--profile', 'excel', '--locale', 'en-GB'] },
  // No --locale: the business's country (SE) decides, as Swedish Excel reads it: ";" and decimal comma.
  { name: 'excel-country.csv', args: ['--group-by', 'month,vat-scheme,country', '--profile', 'excel'] },
  { name: 'xero.csv', args: ['--group-by', 'month,channel', '--currency', 'EUR', '--profile', 'xero'] },
  { name: 'qbo.csv', args: ['--group-by', 'month,channel', '--profile', 'qbo'] },
  { name: 'hledger.journal', args: ['--group-by', 'month,channel', '--profile', 'hledger'] },
  { name: 'report.json', args: ['--group-by', 'month,country', '--currency', 'EUR', '--format', 'json'] },
  { name: 'detail-eur.csv', args: ['--currency', 'EUR', '--detail', '--format', 'csv'] },
];

let home: string;
const outputs = new Map<string, string>();

beforeAll(async () => {
  home = tempDir();
  const s = openHomeStore(home);
  setTimezone(s, 'Europe/Stockholm');
  seedRates(s, fixtureRates());
  s.close();
  expect((await run(['orders', 'import', ...ALL], { home })).code).toBe(0);
  for (const c of CASES) {
    const r = await run(['report', 'sales', ...RANGE, ...c.args], { home });
    expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
    outputs.set(c.name, r.stdout);
  }
});

describe('golden outputs', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const got = outputs.get(c.name)!;
      if (process.env.UPDATE_GOLDEN) writeFileSync(join(GOLDEN, c.name), got);
      expect(got).toBe(readFileSync(join(GOLDEN, c.name), 'utf8'));
    });
  }

  test('plain: UTF-8 without BOM, LF, comma, "." decimals; excel de-DE: BOM, CRLF, ";" and decimal comma', () => {
    const plain = outputs.get('plain.csv')!;
    expect(plain.startsWith('period,channel,currency,')).toBe(true);
    expect(plain).not.toContain('\r');
    const excel = outputs.get('excel-de.csv')!;
    expect(excel.startsWith('\uFEFFperiod;channel;currency;')).toBe(true);
    expect(excel.split('\r\n').length).toBe(plain.split('\n').length);
    expect(excel).toContain(';94,60;');
    const en = outputs.get('excel-en.csv')!;
    expect(en.startsWith('\uFEFFperiod,marketplace,currency,')).toBe(true);
    const se = outputs.get('excel-country.csv')!;
    expect(se.startsWith('\uFEFFperiod;vat_scheme;country;currency;')).toBe(true);
    // months as ="2026-03" so Excel keeps them as text rather than making them dates
    expect(se).toContain('\r\n"=""2026-03""";');
    expect(en).toContain('\r\n"=""2026-03""",');
    expect(plain).toContain('\n2026-03,');
  });
});

function rowsOf(text: string, delimiter: string): Array<Record<string, string>> {
  return parse(text.replace(/^\uFEFF/, ''), { columns: true, delimiter, skip_empty_lines: true, record_delimiter: ['\n', '\r\n'] }) as Array<Record<string, string>>;
}

describe('every CSV parses back and its totals are the sums of its rows', () => {
  for (const [name, delimiter, comma] of [['plain.csv', ',', false], ['plain-eur.csv', ',', false], ['excel-de.csv', ';', true], ['excel-en.csv', ',', false], ['excel-country.csv', ';', true]] as const) {
    test(name, () => {
      const rows = rowsOf(outputs.get(name)!, delimiter).map((r): Record<string, string> => ({ ...r, period: r.period!.replace(/^="(.*)"$/, '$1') }));
      const num = (s: string) => new Decimal(comma ? s.replace(',', '.') : s);
      const body = rows.filter((r) => r.period !== 'total');
      const totals = rows.filter((r) => r.period === 'total');
      expect(totals.length).toBeGreaterThan(0);
      for (const t of totals) {
        for (const k of ['orders', 'units', ...MONEY]) {
          const s = body.filter((r) => r.currency === t.currency).reduce((a, r) => a.plus(num(r[k]!)), new Decimal(0));
          expect(`${t.currency} ${k} ${num(t[k]!).toString()}`).toBe(`${t.currency} ${k} ${s.toString()}`);
        }
        // net = gross + shipping − discounts − refunds − fees − tax included in prices (≤ tax)
        const included = num(t.gross!).plus(num(t.shipping!)).minus(num(t.discounts!)).minus(num(t.refunds!)).minus(num(t.fees!)).minus(num(t.net!));
        expect(included.abs().lte(num(t.tax!).abs())).toBe(true);
      }
    });
  }

  test('the detail export sums to the summary totals', () => {
    const detail = rowsOf(outputs.get('detail-eur.csv')!, ',');
    const summary = rowsOf(outputs.get('plain-eur.csv')!, ',').find((r) => r.period === 'total')!;
    for (const k of ['orders', 'units', ...MONEY]) {
      expect(`${k} ${detail.reduce((a, r) => a.plus(r[k]!), new Decimal(0)).toString()}`).toBe(`${k} ${new Decimal(summary[k]!).toString()}`);
    }
    expect(detail.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.rate_date!))).toBe(true);
  });

  test('the JSON document totals equal the CSV totals', () => {
    const doc = JSON.parse(outputs.get('report.json')!) as { totals: Array<Record<string, string>>; meta: { basis: string; rounding: string } };
    const csv = rowsOf(outputs.get('plain-eur.csv')!, ',').find((r) => r.period === 'total')!;
    for (const k of MONEY) expect(doc.totals[0]![k]).toBe(csv[k]);
    expect(doc.meta.basis).toContain('refund date');
    expect(doc.meta.rounding).toContain('half-up');
  });
});

describe('journals balance', () => {
  test('xero: each narration sums to zero; dates dd/mm/yyyy', () => {
    const rows = rowsOf(outputs.get('xero.csv')!, ',');
    const by = new Map<string, Decimal>();
    for (const r of rows) {
      expect(r['*Date']).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      by.set(r['*Narration']!, (by.get(r['*Narration']!) ?? new Decimal(0)).plus(r['*Amount']!));
    }
    expect(by.size).toBeGreaterThan(3);
    for (const [n, v] of by) expect(`${n} ${v.toString()}`).toBe(`${n} 0`);
  });

  test('qbo: debits equal credits per journal; dates dd/mm/yyyy for a Swedish company', () => {
    const rows = rowsOf(outputs.get('qbo.csv')!, ',');
    const by = new Map<string, Decimal>();
    for (const r of rows) {
      expect(r.JournalDate).toMatch(/^(30|31)\/0[34]\/2026$/);
      const v = new Decimal(r.Debits || '0').minus(r.Credits || '0');
      by.set(r.JournalNo!, (by.get(r.JournalNo!) ?? new Decimal(0)).plus(v));
    }
    for (const [n, v] of by) expect(`${n} ${v.toString()}`).toBe(`${n} 0`);
  });

  test('hledger: every transaction balances per commodity', () => {
    const text = outputs.get('hledger.journal')!;
    const txns = text.split('\n\n').filter((b) => /^\d{4}-\d{2}-\d{2} /.test(b.trim()));
    expect(txns.length).toBeGreaterThan(3);
    for (const t of txns) {
      const sums = new Map<string, Decimal>();
      for (const line of t.trim().split('\n').slice(1)) {
        const m = /\s(-?\d+(?:\.\d+)?) ([A-Z]{3})$/.exec(line);
        expect(m, line).not.toBeNull();
        sums.set(m![2]!, (sums.get(m![2]!) ?? new Decimal(0)).plus(m![1]!));
      }
      for (const [c, v] of sums) expect(`${t.split('\n')[0]} ${c} ${v.toString()}`).toBe(`${t.split('\n')[0]} ${c} 0`);
    }
  });

  // hledger's documented strict checks (hledger manual, "check": --strict adds "accounts: all account
  // names used by transactions have been declared" and "commodities: all commodity symbols used have been
  // declared"), checked here without hledger so they run everywhere…
  test('hledger: every account and commodity used is declared (what `check --strict` requires)', () => {
    const text = outputs.get('hledger.journal')!;
    const declaredAccounts = new Set([...text.matchAll(/^account (\S+)/gm)].map((m) => m[1]!));
    const declaredCommodities = new Set([...text.matchAll(/^commodity \S+ ([A-Z]{3})$/gm)].map((m) => m[1]!));
    const postings = [...text.matchAll(/^    (\S+)\s+-?\d+(?:\.\d*)? ([A-Z]{3})$/gm)];
    expect(postings.length).toBeGreaterThan(10);
    for (const p of postings) {
      expect(declaredAccounts.has(p[1]!), `account ${p[1]} is not declared`).toBe(true);
      expect(declaredCommodities.has(p[2]!), `commodity ${p[2]} is not declared`).toBe(true);
    }
  });

  // …and by hledger itself where it is installed (Debian's hledger 1.25 here: apt-get install hledger).
  const hledger = spawnSync('hledger', ['--version'], { encoding: 'utf8' });
  const hasHledger = hledger.status === 0;
  if (!hasHledger) console.log('skipping `hledger check --strict`: hledger is not installed (apt-get install hledger to run it)');
  test.skipIf(!hasHledger)('`hledger check --strict` accepts the journal', () => {
    const dir = tempDir();
    const file = join(dir, 'sales.journal');
    writeFileSync(file, outputs.get('hledger.journal')!);
    const r = spawnSync('hledger', ['-f', file, 'check', '--strict'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const bal = spawnSync('hledger', ['-f', file, 'balance', '--flat', '--no-total'], { encoding: 'utf8' });
    expect(bal.status, bal.stderr).toBe(0);
  });
});
