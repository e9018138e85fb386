import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Decimal } from 'decimal.js';
import { zipSync, strToU8 } from 'fflate';
import { run, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';

const FIX = resolve(import.meta.dirname, '../../fixtures/ecb');
const HIST = join(FIX, 'eurofxref-hist.csv');
const NOW = { MERCHANT_NOW: '2026-04-14T09:00:00Z' };

// ---- an independent oracle: split the ECB CSV by hand, compute with decimal.js ------------------
const histRows = readFileSync(HIST, 'utf8').trim().split('\n');
const header = histRows[0]!.split(',');
const byDate = new Map<string, Map<string, string>>();
for (const line of histRows.slice(1)) {
  const cells = line.split(',');
  const m = new Map<string, string>();
  header.forEach((h, i) => {
    if (i > 0 && h && cells[i] && cells[i] !== 'N/A') m.set(h, cells[i]!);
  });
  byDate.set(cells[0]!, m);
}
const EXP: Record<string, number> = { USD: 2, JPY: 0, GBP: 2, EUR: 2, HUF: 2, ISK: 0, KRW: 0, CHF: 2, SEK: 2, IDR: 2, TRY: 2, ZAR: 2 };
function oracle(amount: string, from: string, to: string, date: string, mode: Decimal.Rounding = Decimal.ROUND_HALF_UP): string {
  const D = Decimal.clone({ precision: 60 });
  const rates = byDate.get(date)!;
  const rf = from === 'EUR' ? new D(1) : new D(rates.get(from)!);
  const rt = to === 'EUR' ? new D(1) : new D(rates.get(to)!);
  return new D(amount).times(rt).dividedBy(rf).toDecimalPlaces(EXP[to]!, mode).toFixed(EXP[to]!);
}

describe('fx with the real ECB history loaded', () => {
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'merchant-fx-'));
    const r = await run(['fx', 'update', '--file', HIST], { home, env: NOW });
    expect(r.code).toBe(0);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('reports what it stored, and a re-run is idempotent', async () => {
    const again = await run(['fx', 'update', '--file', HIST, '--json'], { home, env: NOW });
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.stdout);
    expect(doc.imports[0]).toMatchObject({ days: 6983, firstDate: '1999-01-04', lastDate: '2026-04-13', inserted: 0, updated: 0, unchanged: 217555 });
    // the single-day file of the same date: same values written with trailing zeros → unchanged
    const daily = await run(['fx', 'update', '--file', join(FIX, 'eurofxref.csv'), '--json'], { home, env: NOW });
    expect(JSON.parse(daily.stdout).imports[0]).toMatchObject({ format: 'ecb-daily-csv', inserted: 0, updated: 0, unchanged: 29 });
  });

  it('converts USD→JPY on 2026-04-13 exactly as an independent decimal computation (§10 JSON)', async () => {
    const r = await run(['fx', 'convert', '100', 'USD', 'JPY', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      from: { amount: '100.00', currency: 'USD' },
      to: { amount: oracle('100', 'USD', 'JPY', '2026-04-13'), currency: 'JPY' },
      rateDate: '2026-04-13',
      requestedDate: '2026-04-13',
      fallback: false,
      source: 'ecb',
      rounding: 'halfUp',
    });
    expect(doc.to.amount).toBe('15983');
    expect(doc.rate).toBe('159.833960972'); // 186.75 / 1.1684
    expect(doc.legs).toEqual([{ base: 'EUR', quote: 'USD', rate: '1.1684' }, { base: 'EUR', quote: 'JPY', rate: '186.75' }]);
  });

  it('matches the research anchors: GBP 19.99→USD 26.83, USD 19.99→JPY 3195, JPY 2980→EUR 15.96', async () => {
    for (const [a, f, t, want] of [['19.99', 'GBP', 'USD', '26.83'], ['19.99', 'USD', 'JPY', '3195'], ['2980', 'JPY', 'EUR', '15.96']] as const) {
      const r = await run(['fx', 'convert', a, f, t, '--date', '2026-04-13'], { home, env: NOW });
      expect(r.stdout.trim()).toBe(`${want} ${t}`);
    }
  });

  it('agrees with the oracle over many dates, pairs and amounts (one rounding, ISO exponents)', async () => {
    const dates = ['2026-04-13', '2025-12-31', '2024-02-29', '2020-03-16', '2015-01-15', '2010-05-07'];
    const pairs: Array<[string, string]> = [['USD', 'JPY'], ['GBP', 'USD'], ['JPY', 'EUR'], ['EUR', 'HUF'], ['CHF', 'SEK'], ['USD', 'KRW'], ['ZAR', 'GBP']];
    const amounts = ['0.01', '1.42', '19.99', '1000.005', '123456.78'];
    for (const date of dates) {
      for (const [f, t] of pairs) {
        for (const raw of amounts) {
          const a = EXP[f] === 0 ? raw.split('.')[0]! : raw.includes('.') && raw.split('.')[1]!.length > EXP[f]! ? raw.slice(0, raw.indexOf('.') + 1 + EXP[f]!) : raw;
          const r = await run(['fx', 'convert', a, f, t, '--date', date, '--json'], { home, env: NOW });
          expect(r.code, `${a} ${f}→${t} ${date}: ${r.stderr}`).toBe(0);
          expect(JSON.parse(r.stdout).to.amount, `${a} ${f}→${t} ${date}`).toBe(oracle(a, f, t, date));
        }
      }
    }
  });

  it('honours the rounding mode (flag and config)', async () => {
    const r = await run(['fx', 'convert', '19.99', 'GBP', 'USD', '--date', '2026-04-13', '--rounding', 'floor', '--json'], { home, env: NOW });
    expect(JSON.parse(r.stdout).to.amount).toBe(oracle('19.99', 'GBP', 'USD', '2026-04-13', Decimal.ROUND_FLOOR));
    const c = await run(['fx', 'convert', '19.99', 'GBP', 'USD', '--date', '2026-04-13', '--json'], { home, env: { ...NOW, MERCHANT_FX_ROUNDING: 'ceil' } });
    expect(JSON.parse(c.stdout)).toMatchObject({ rounding: 'ceil', to: { amount: oracle('19.99', 'GBP', 'USD', '2026-04-13', Decimal.ROUND_CEIL) } });
    const bad = await run(['fx', 'convert', '1', 'GBP', 'USD', '--rounding', 'bankers'], { home, env: NOW });
    expect(bad.code).toBe(2);
  });

  it('falls back over a weekend and a TARGET holiday, and says so', async () => {
    const sun = await run(['fx', 'convert', '100', 'EUR', 'USD', '--date', '2026-04-12', '--json'], { home, env: NOW });
    expect(JSON.parse(sun.stdout)).toMatchObject({ rateDate: '2026-04-10', requestedDate: '2026-04-12', fallback: true, to: { amount: '117.11' } });
    const human = await run(['fx', 'convert', '100', 'EUR', 'USD', '--date', '2026-04-12'], { home, env: NOW });
    expect(human.stderr).toMatch(/no rates were published on 2026-04-12; used 2026-04-10/);
    const goodFriday = await run(['fx', 'convert', '100', 'EUR', 'USD', '--date', '2025-04-18', '--json'], { home, env: NOW });
    expect(JSON.parse(goodFriday.stdout)).toMatchObject({ rateDate: '2025-04-17', fallback: true });
    // no --date: today (pinned 2026-04-14) has no row in this file: the latest is used and flagged
    const today = await run(['fx', 'convert', '1', 'EUR', 'GBP', '--json'], { home, env: NOW });
    expect(JSON.parse(today.stdout)).toMatchObject({ rateDate: '2026-04-13', requestedDate: '2026-04-14', fallback: true, to: { amount: '0.87' } });
  });

  it('refuses with exit 3: unknown code, a currency the ECB lacks (N/A) on that date, a date before 1999', async () => {
    const unknown = await run(['fx', 'convert', '100', 'USD', 'XYZ'], { home, env: NOW });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/unknown currency "XYZ"/);
    const bgn = await run(['fx', 'convert', '100', 'EUR', 'BGN', '--date', '2026-04-13'], { home, env: NOW });
    expect(bgn.code).toBe(3);
    // the lev was replaced by the euro on 2026-01-01 (Council Regulation of 8 July 2025 amending Reg. 2866/98: 1 EUR = 1.95583 BGN):
    // no BGN amount exists after 2025-12-31, and the message says what to do instead
    expect(bgn.stderr).toMatch(/BGN was replaced by the euro after 2025-12-31 \(1 EUR = 1\.95583 BGN\)/);
    expect(bgn.stderr).toMatch(/there is no BGN amount on 2026-04-13/);
    expect(bgn.stderr).toMatch(/use --date 2025-12-31 or earlier/);
    const aed = await run(['fx', 'convert', '100', 'EUR', 'AED', '--json'], { home, env: NOW });
    expect(aed.code).toBe(3);
    expect(JSON.parse(aed.stdout).error.code).toBe('invalid_input');
    const early = await run(['fx', 'convert', '100', 'EUR', 'USD', '--date', '1998-12-31'], { home, env: NOW });
    expect(early.code).toBe(3);
    expect(early.stderr).toMatch(/first stored rate is from 1999-01-04/);
    const isk = await run(['fx', 'convert', '100', 'EUR', 'ISK', '--date', '2010-06-01'], { home, env: NOW });
    expect(isk.code).toBe(3); // the ISK gap 2008-12-10 … 2018-01-31
    const badAmount = await run(['fx', 'convert', '1.5', 'JPY', 'USD'], { home, env: NOW });
    expect(badAmount.code).toBe(2);
    const badDate = await run(['fx', 'convert', '1', 'EUR', 'USD', '--date', '2026-02-30'], { home, env: NOW });
    expect(badDate.code).toBe(2);
  });

  it('shows the rates of a date per 1 EUR exactly as published, or per another base', async () => {
    const eur = await run(['fx', 'rates', '--date', '2026-04-13'], { home, env: NOW });
    expect(eur.code).toBe(0);
    expect(eur.stdout).toContain('GBP\t0.87058\n');
    expect(eur.stdout).toContain('HUF\t366.9\n');
    // A pipe gets a header line, then one line per currency (28 published that day).
    expect(eur.stdout.trim().split('\n')).toHaveLength(29 + 1);
    expect(eur.stdout.split('\n')[0]).toBe('CURRENCY\tPER 1 EUR');
    const usd = await run(['fx', 'rates', '--date', '2026-04-12', '--base', 'USD', '--json'], { home, env: NOW });
    const doc = JSON.parse(usd.stdout);
    expect(doc).toMatchObject({ base: 'USD', rateDate: '2026-04-10', fallback: true });
    expect(doc.rates.find((x: { currency: string }) => x.currency === 'EUR').rate).toBe(new Decimal(1).dividedBy('1.1711').toSignificantDigits(12).toString());
  });
});

describe('fx update flags and corrections', () => {
  it('reads stdin with --file -, counts a corrected rate as updated, and refuses contradictory flags (exit 2)', async () => {
    const home = tempDir();
    const text = readFileSync(join(FIX, 'eurofxref.csv'), 'utf8');
    const first = await run(['fx', 'update', '--file', '-', '--json'], { home, env: NOW, stdin: text });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).imports[0]).toMatchObject({ origin: 'stdin', inserted: 29 });
    const corrected = text.replace('1.1684', '1.1685');
    const again = await run(['fx', 'update', '--file', '-', '--json'], { home, env: NOW, stdin: corrected });
    expect(JSON.parse(again.stdout).imports[0]).toMatchObject({ inserted: 0, updated: 1, unchanged: 28 });
    const c = await run(['fx', 'convert', '1', 'EUR', 'USD', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(c.stdout).rate).toBe('1.1685');
    expect((await run(['fx', 'update', '--date', '2026-04-13'], { home, env: NOW })).code).toBe(2);
    expect((await run(['fx', 'update', '--history', '--file', HIST], { home, env: NOW })).code).toBe(2);
    expect((await run(['fx', 'update', '--source', 'frankfurter'], { home, env: NOW })).code).toBe(2);
    expect((await run(['fx', 'update', '--rate', 'USDGBP0.79'], { home, env: NOW })).code).toBe(2);
    expect((await run(['fx', 'update', '--file', join(home, 'missing.csv')], { home, env: NOW })).code).toBe(3);
  });

  it('--help shows examples and exit codes', async () => {
    for (const verb of ['update', 'convert', 'rates']) {
      const r = await run(['fx', verb, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n  \$ merchant fx/);
      expect(r.stdout).toMatch(/Exit codes:/);
    }
  });
});

describe('manual overrides', () => {
  it('win over the ECB for their date, both directions, and are idempotent', async () => {
    const home = tempDir();
    await run(['fx', 'update', '--file', join(FIX, 'eurofxref.csv')], { home, env: NOW });
    const set = await run(['fx', 'update', '--rate', 'USD/GBP=0.79', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).manual).toEqual([{ base: 'USD', quote: 'GBP', rate: '0.79', date: '2026-04-13', action: 'inserted' }]);
    const again = await run(['fx', 'update', '--rate', 'usd/gbp=0.790', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(again.stdout).manual[0].action).toBe('unchanged');
    const c = await run(['fx', 'convert', '100', 'USD', 'GBP', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(c.stdout)).toMatchObject({ source: 'manual', rate: '0.79', to: { amount: '79.00' } });
    const back = await run(['fx', 'convert', '79', 'GBP', 'USD', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(back.stdout).to.amount).toBe('100.00');
    // other pairs still use the ECB
    const eur = await run(['fx', 'convert', '100', 'EUR', 'GBP', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(eur.stdout)).toMatchObject({ source: 'ecb', to: { amount: '87.06' } });
    const bad = await run(['fx', 'update', '--rate', 'USD/GBP=-1'], { home, env: NOW });
    expect(bad.code).toBe(2);
    const badCcy = await run(['fx', 'update', '--rate', 'USD/QQQ=1.2'], { home, env: NOW });
    expect(badCcy.code).toBe(3);
  });

  it('fills a currency the ECB does not publish (AED)', async () => {
    const home = tempDir();
    await run(['fx', 'update', '--rate', 'USD/AED=3.6725', '--date', '2026-04-10'], { home, env: NOW });
    const c = await run(['fx', 'convert', '10', 'USD', 'AED', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(c.stdout)).toMatchObject({ to: { amount: '36.73' }, rateDate: '2026-04-10', fallback: true, source: 'manual' });
    // with ECB rates of a later day loaded too: the ECB lacks AED, so the older manual rate still applies
    await run(['fx', 'update', '--file', join(FIX, 'eurofxref.csv')], { home, env: NOW });
    const c2 = await run(['fx', 'convert', '10', 'USD', 'AED', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(c2.stdout)).toMatchObject({ to: { amount: '36.73' }, rateDate: '2026-04-10', source: 'manual' });
    // …while a pair the ECB has on that later day uses the ECB
    await run(['fx', 'update', '--rate', 'USD/GBP=0.70', '--date', '2026-04-10'], { home, env: NOW });
    const g = await run(['fx', 'convert', '100', 'USD', 'GBP', '--date', '2026-04-13', '--json'], { home, env: NOW });
    expect(JSON.parse(g.stdout)).toMatchObject({ source: 'ecb', rateDate: '2026-04-13' });
    const before = await run(['fx', 'convert', '100', 'USD', 'GBP', '--date', '2026-04-12', '--json'], { home, env: NOW });
    expect(JSON.parse(before.stdout)).toMatchObject({ source: 'manual', rateDate: '2026-04-10', to: { amount: '70.00' } });
  });
});

describe('fx update from the ECB over HTTP (a local server)', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  const routes = new Map<string, { status: number; body: Buffer | string; type?: string }>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      const r = routes.get(req.url ?? '');
      if (!r) {
        res.writeHead(404).end('not found');
        return;
      }
      if (r.status === -1) return; // never answer: a timeout
      res.writeHead(r.status, { 'content-type': r.type ?? 'application/octet-stream' }).end(r.body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    routes.set('/ecb/eurofxref-daily.xml', { status: 200, body: readFileSync(join(FIX, 'eurofxref-daily.xml')), type: 'text/xml' });
    const zip = zipSync({ 'eurofxref-hist.csv': strToU8(readFileSync(HIST, 'utf8')) });
    routes.set('/zip/eurofxref-hist.zip', { status: 200, body: Buffer.from(zip) });
    // The mirror's file is the same history cut to its newest 60 business days: the fall-through is
    // about paths, not size (the zip route above carries all 217k rows).
    routes.set('/csv/eurofxref-hist.csv', { status: 200, body: Buffer.from(readFileSync(HIST, 'utf8').split('\n').slice(0, 61).join('\n') + '\n'), type: 'text/csv' });
    routes.set('/broken/eurofxref-daily.xml', { status: 503, body: 'maintenance' });
    routes.set('/slow/eurofxref-daily.xml', { status: -1, body: '' });
  });
  afterAll(
    () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  );

  it('fetches the daily XML from fx.ecb.url (env), then changes nothing on a re-run', async () => {
    const home = tempDir();
    const env = { ...NOW, MERCHANT_FX_ECB_URL: `${base}/ecb` };
    const r = await run(['fx', 'update', '--json'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).imports[0]).toMatchObject({ format: 'ecb-xml', firstDate: '2025-05-09', inserted: 30 });
    const again = await run(['fx', 'update', '--source', 'ecb', '--json'], { home, env });
    expect(JSON.parse(again.stdout).imports[0]).toMatchObject({ inserted: 0, unchanged: 30 });
    expect(hits.filter((h) => h === '/ecb/eurofxref-daily.xml')).toHaveLength(2);
    const db = openStore(join(home, 'merchant.db'));
    const row = db.db.prepare("SELECT rate FROM fx_rates WHERE source='ecb' AND rate_date='2025-05-09' AND quote='GBP'").get() as { rate: string };
    db.close();
    expect(row.rate).toBe('0.84770');
  });

  it('--history unzips eurofxref-hist.zip, or falls through to eurofxref-hist.csv on a mirror', async () => {
    const home = tempDir();
    const z = await run(['fx', 'update', '--history', '--json'], { home, env: { ...NOW, MERCHANT_FX_ECB_URL: `${base}/zip/` } });
    expect(z.code, z.stderr).toBe(0);
    expect(JSON.parse(z.stdout).imports[0]).toMatchObject({ days: 6983, inserted: 217555 });
    const home2 = tempDir();
    const c = await run(['fx', 'update', '--history', '--base-url', `${base}/csv`, '--json'], { home: home2, env: NOW });
    expect(c.code, c.stderr).toBe(0);
    expect(hits).toContain('/csv/eurofxref-hist.zip');
    expect(JSON.parse(c.stdout).imports[0]).toMatchObject({ days: 60, lastDate: '2026-04-13' });
  });

  it('a server error or a timeout is a RemoteError (exit 6) and stores nothing', async () => {
    const home = tempDir();
    const r = await run(['fx', 'update'], { home, env: { ...NOW, MERCHANT_FX_ECB_URL: `${base}/broken` } });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/HTTP 503/);
    const t = await run(['fx', 'update', '--timeout', '200'], { home, env: { ...NOW, MERCHANT_FX_ECB_URL: `${base}/slow` } });
    expect(t.code).toBe(6);
    expect(t.stderr).toMatch(/timed out after 200 ms/);
    const missing = await run(['fx', 'update'], { home, env: { ...NOW, MERCHANT_FX_ECB_URL: `${base}/nothing-here` } });
    expect(missing.code).toBe(6);
    const none = await run(['fx', 'convert', '1', 'EUR', 'USD'], { home, env: NOW });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no ecb exchange rates are stored yet/);
  });

  it('a bad file stores nothing (exit 3)', async () => {
    const home = tempDir();
    const f = join(home, 'bad.csv');
    writeFileSync(f, 'Date,USD,JPY,\n2026-04-13,1.1684,186.75,\n2026-04-10,1.1711,oops,\n');
    const r = await run(['fx', 'update', '--file', f], { home, env: NOW });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/bad.csv:3:3: JPY/);
    const c = await run(['fx', 'convert', '1', 'EUR', 'USD', '--date', '2026-04-13'], { home, env: NOW });
    expect(c.code).toBe(3);
  });
});
