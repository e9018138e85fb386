import { describe, expect, it } from 'vitest';
import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import { PDFDocument } from 'pdf-lib';

/** A home with ECB-style rates on two dates (SEK moves between them). */
function home(): string {
  const h = tempDir();
  const store = openStore(join(h, 'merchant.db'));
  const ins = store.db.prepare("INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('ecb', ?, 'EUR', ?, ?, '2026-07-01T00:00:00Z')");
  const day = (date: string, sek: string) => {
    for (const [q, r] of Object.entries({ USD: '1.08', GBP: '0.85', CNY: '7.8', JPY: '160', AUD: '1.65', SEK: sek, NOK: '11.5', CHF: '0.95', CAD: '1.5' })) ins.run(date, q, r);
  };
  day('2026-05-01', '11.00'); // the EU monthly customs rates of June and July fall back to it (no publication stored nearer)
  day('2026-06-30', '11.00');
  day('2026-07-01', '11.50');
  store.close();
  return h;
}

const parcel = (over: Record<string, unknown> = {}, items?: unknown[]) => ({
  date: '2026-07-02',
  from: { country: 'CN' },
  to: { country: 'DE' },
  service: 'postal',
  currency: 'EUR',
  shipping: '4.90',
  incoterm: 'DAP',
  items: items ?? [{ description: 'Stoneware mug', hsCode: '691200', originCountry: 'SE', quantity: 2, unitValue: '24.90', unitWeightGrams: 420 }],
  ...over,
});

function file(h: string, doc: unknown): string {
  const p = join(h, 'parcel.json');
  writeFileSync(p, JSON.stringify(doc));
  return p;
}

describe('merchant customs check --file parcel.json --json', () => {
  it('prints the PRODUCT.md §10 shape', async () => {
    const h = home();
    const r = await run(['customs', 'check', '--file', file(h, parcel()), '--json'], { home: h });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    // No IOSS number in this home and no marketplace: VAT is not collected at sale but at import (#17 item 3).
    expect(doc).toMatchObject({ form: 'CN22', vatCollectedAtSale: false, vatCollector: 'import', requiredIds: [], dutyApplies: true, errors: [] });
    expect(doc.rules).toContainEqual(expect.objectContaining({ id: 'EU-DUTY-FLAT-3', effectiveFrom: '2026-07-01', source: expect.any(String) }));
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('VAT_AT_IMPORT');
  });

  it('converts at the shipment date: 1700 SEK is above EUR 150 on 2026-06-30 (11.00) and below on 2026-07-01 (11.50)', async () => {
    const h = home();
    const items = [{ description: 'Linen tablecloth', hsCode: '630921', originCountry: 'SE', quantity: 1, unitValue: '1700.00', unitWeightGrams: 600 }];
    // 630921 is not an HS 2022 code; use a real one
    items[0]!.hsCode = '630251';
    const seller = { iossNumber: 'IM7520000123' };
    const june = JSON.parse((await run(['customs', 'check', '--file', file(h, parcel({ currency: 'SEK', shipping: '0', date: '2026-06-30', seller }, items)), '--json'], { home: h })).stdout);
    expect(june.thresholds.find((t: { rule: string }) => t.rule === 'EU-IOSS-150')).toMatchObject({ comparison: 'above', value: { amount: '154.55', currency: 'EUR' }, fx: { rateDate: '2026-06-30' } });
    expect(june).toMatchObject({ vatCollectedAtSale: false, dutyApplies: true, requiredIds: [] });
    const july = JSON.parse((await run(['customs', 'check', '--file', file(h, parcel({ currency: 'SEK', shipping: '0', date: '2026-07-01', seller }, items)), '--json'], { home: h })).stdout);
    expect(july.thresholds.find((t: { rule: string }) => t.rule === 'EU-IOSS-150')).toMatchObject({ comparison: 'below', value: { amount: '147.83', currency: 'EUR' }, fx: { rateDate: '2026-07-01' } });
    expect(july).toMatchObject({ vatCollectedAtSale: true, dutyApplies: true, requiredIds: ['IOSS'] });
  });

  it.each([
    ['GB', '1800.00', 'UK-VAT-AT-SALE-135', 'above', 'below'], // 135 GBP = 1747.06 SEK on 06-30, 1826.47 SEK on 07-01
    ['AU', '6800.00', 'AU-GST-LVG-1000', 'above', 'below'], // 1000 AUD = 6666.67 SEK on 06-30, 6969.70 SEK on 07-01
    ['NO', '2900.00', 'NO-VOEC-3000', 'below', 'below'], // per item: 3000 NOK = 2869.57 SEK on 06-30 → NO-IMPORT instead
  ])('%s: SEK %s against %s converted at each day\'s rate', async (to, value, rule, june, july) => {
    const h = home();
    const items = [{ description: 'Linen tablecloth', hsCode: '630251', originCountry: 'SE', quantity: 1, unitValue: value, unitWeightGrams: 600 }];
    const at = async (date: string) =>
      JSON.parse((await run(['customs', 'check', '--file', file(h, parcel({ from: { country: 'SE' }, to: { country: to }, currency: 'SEK', shipping: '0', date, seller: { ukVatNumber: 'GB123456789', abnArn: '123456789012', voecNumber: 'VOEC1234567' } }, items)), '--json'], { home: h })).stdout);
    const a = await at('2026-06-30');
    const b = await at('2026-07-01');
    if (to === 'NO') {
      expect(a.thresholds[1]).toMatchObject({ rule: 'NO-IMPORT', comparison: 'above', fx: { rateDate: '2026-06-30' } });
      expect(a.vatCollectedAtSale).toBe(false);
      expect(b.thresholds[1]).toMatchObject({ rule: 'NO-VOEC-3000', comparison: 'below', fx: { rateDate: '2026-07-01' } });
      expect(b.vatCollectedAtSale).toBe(true);
      return;
    }
    expect(a.thresholds.find((t: { rule: string }) => t.rule === rule)).toMatchObject({ comparison: june, fx: { rateDate: '2026-06-30' } });
    expect(b.thresholds.find((t: { rule: string }) => t.rule === rule)).toMatchObject({ comparison: july, fx: { rateDate: '2026-07-01' } });
    expect(a.vatCollectedAtSale).toBe(false);
    expect(b.vatCollectedAtSale).toBe(true);
  });

  it('--date overrides the file date (2026-06-30: no duty yet)', async () => {
    const h = home();
    const r = JSON.parse((await run(['customs', 'check', '--file', file(h, parcel()), '--date', '2026-06-30', '--json'], { home: h })).stdout);
    expect(r.dutyApplies).toBe(false);
    expect(r.rules.map((x: { id: string }) => x.id)).toContain('EU-DUTY-RELIEF-150');
  });

  it('a missing HS code exits 3 naming the item, and --json stays one document', async () => {
    const h = home();
    const items = [
      { description: 'Stoneware mug', hsCode: '691200', originCountry: 'SE', quantity: 1, unitValue: '10.00', unitWeightGrams: 400 },
      { description: 'Blue teapot', sku: 'TEA-BLU', originCountry: 'SE', quantity: 1, unitValue: '30.00', unitWeightGrams: 900 },
    ];
    const r = await run(['customs', 'check', '--file', file(h, parcel({}, items)), '--json'], { home: h });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors).toEqual([expect.objectContaining({ code: 'HS_MISSING', item: 'TEA-BLU Blue teapot' })]);
    expect(r.stderr).toContain('TEA-BLU Blue teapot');
  });

  it('an invalid HS code exits 3 in human mode too, naming the item on stderr', async () => {
    const h = home();
    const items = [{ description: 'Stoneware mug', hsCode: '6912', originCountry: 'SE', quantity: 1, unitValue: '10.00', unitWeightGrams: 400 }];
    const r = await run(['customs', 'check', '--file', file(h, parcel({}, items))], { home: h });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/item 1 \(Stoneware mug\): HS code "6912" has 4 digits/);
    expect(r.stdout).toContain('form\tCN22');
  });

  it('is lenient with number-like strings and timestamps, and compares an optional orderValue', async () => {
    const h = home();
    const items = [{ description: 'Stoneware mug', hsCode: '6912.00', originCountry: 'se', quantity: '2', unitValue: 24.9, unitWeightGrams: '420' }];
    const r = await run(['customs', 'check', '--file', file(h, parcel({ date: '2026-07-02T09:30:00Z', orderValue: '59.80', to: { country: 'de' } }, items)), '--json'], { home: h });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ date: '2026-07-02', to: 'DE', value: '49.80' });
    expect(doc.items[0]).toMatchObject({ originCountry: 'SE', quantity: 2, hsCode: '691200' });
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('VALUE_MISMATCH');
  });

  it('reads stdin with --file -', async () => {
    const h = home();
    const r = await run(['customs', 'check', '--file', '-', '--json'], { home: h, stdin: JSON.stringify(parcel({ to: { country: 'US' }, date: '2026-07-01' })) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dutyApplies: true, vatCollectedAtSale: false, requiredIds: [] });
  });

  it('a malformed parcel is exit 3 with field paths', async () => {
    const h = home();
    const r = await run(['customs', 'check', '--file', file(h, parcel({ currency: 'EURO' }, [{ description: 'x', quantity: 0 }]))], { home: h });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('currency');
    expect(r.stderr).toContain('items[0].quantity');
  });
});

describe('merchant customs declare --file', () => {
  it('writes a CN22 PDF and prints its path', async () => {
    const h = home();
    const out = join(h, 'cn22.pdf');
    const r = await run(['customs', 'declare', '--file', file(h, parcel()), '--output', out], { home: h });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await PDFDocument.load(readFileSync(out))).getTitle()).toContain('CN 22');
  });
  it('writes a commercial invoice for a courier parcel; no PDF on errors', async () => {
    const h = home();
    const r = await run(['customs', 'declare', '--file', file(h, parcel({ service: 'courier' })), '--json'], { home: h });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.form).toBe('commercial-invoice');
    expect((await PDFDocument.load(readFileSync(doc.path))).getTitle()).toContain('COMMERCIAL INVOICE');
    const bad = await run(['customs', 'declare', '--file', file(h, parcel({}, [{ description: 'Gift', quantity: 1, unitValue: '5.00', unitWeightGrams: 100, originCountry: 'SE' }]))], { home: h });
    expect(bad.code).toBe(3);
  });
});

describe('bundled fixtures', () => {
  it('fixtures/customs/parcel.json is the PRODUCT.md example and checks clean; parcel-missing-hs.json exits 3 naming TOWEL-NAT', async () => {
    const h = home();
    const ok = await run(['customs', 'check', '--file', join(import.meta.dirname, '../../fixtures/customs/parcel.json'), '--json'], { home: h });
    expect(ok.code).toBe(0);
    const bad = await run(['customs', 'check', '--file', join(import.meta.dirname, '../../fixtures/customs/parcel-missing-hs.json'), '--json'], { home: h });
    expect(bad.code).toBe(3);
    expect(JSON.parse(bad.stdout).errors).toEqual([expect.objectContaining({ code: 'HS_MISSING', item: 'TOWEL-NAT Linen tea towel', rule: 'US-HS-REQUIRED' })]);
  });
});

describe('a fresh home without stored rates', () => {
  it('uses the bundled ECB history (in memory, with a warning) instead of failing', async () => {
    const h = tempDir();
    const r = await run(['customs', 'check', '--file', join(import.meta.dirname, '../../fixtures/customs/parcel.json'), '--json'], { home: h });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.form).toBe('CN22');
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('FX_BUNDLED_RATES');
    expect(doc.thresholds[0].fx).toMatchObject({ rateDate: '2026-04-13', source: 'IMF SDR basket × ecb (bundled file)' });
    const store = openStore(join(h, 'merchant.db'));
    expect((store.db.prepare('SELECT count(*) AS n FROM fx_rates').get() as { n: bigint }).n).toBe(0n);
    store.close();
  });
});

describe('TTY vs pipe', () => {
  it('a terminal gets tables with headers; a pipe gets tab-separated rows without colour', async () => {
    const h = home();
    const f = join(import.meta.dirname, '../../fixtures/customs/parcel.json');
    const tty = await run(['customs', 'check', '--file', f], { home: h, tty: true, env: { FORCE_COLOR: '0' } });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/RULE\s+FROM\s+OUTCOME\s+SOURCE/);
    expect(tty.stdout).not.toContain('\t');
    const pipe = await run(['customs', 'check', '--file', f], { home: h });
    // A pipe: each table starts with its tab-separated header line, as every list does on a pipe.
    expect(pipe.stdout).toContain('\nRULE\tFROM\tOUTCOME\tSOURCE\n');
    expect(pipe.stdout).toContain('EU-IMPORT-VAT\t2021-07-01\t'); // no IOSS number in this home: VAT at import
    expect(pipe.stdout).not.toMatch(/\u001b\[/);
  });
});
