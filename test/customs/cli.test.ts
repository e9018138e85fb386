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
    expect(doc).toMatchObject({ form: 'CN22', vatCollectedAtSale: true, requiredIds: ['IOSS'], dutyApplies: true, errors: [] });
    expect(doc.rules).toContainEqual(expect.objectContaining({ id: 'EU-DUTY-FLAT-3', effectiveFrom: '2026-07-01', source: expect.any(String) }));
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('ID_MISSING');
  });

  it('converts at the shipment date: 1700 SEK is above EUR 150 on 2026-06-30 (11.00) and below on 2026-07-01 (11.50)', async () => {
    const h = home();
    const items = [{ description: 'Linen tablecloth', hsCode: '630921', originCountry: 'SE', quantity: 1, unitValue: '1700.00', unitWeightGrams: 600 }];
    // 630921 is not an HS 2022 code; use a real one
    items[0]!.hsCode = '630251';
    const june = JSON.parse((await run(['customs', 'check', '--file', file(h, parcel({ currency: 'SEK', shipping: '0', date: '2026-06-30' }, items)), '--json'], { home: h })).stdout);
    expect(june.thresholds.find((t: { rule: string }) => t.rule === 'EU-IOSS-150')).toMatchObject({ comparison: 'above', value: { amount: '154.55', currency: 'EUR' }, fx: { rateDate: '2026-06-30' } });
    expect(june).toMatchObject({ vatCollectedAtSale: false, dutyApplies: true, requiredIds: [] });
    const july = JSON.parse((await run(['customs', 'check', '--file', file(h, parcel({ currency: 'SEK', shipping: '0', date: '2026-07-01' }, items)), '--json'], { home: h })).stdout);
    expect(july.thresholds.find((t: { rule: string }) => t.rule === 'EU-IOSS-150')).toMatchObject({ comparison: 'below', value: { amount: '147.83', currency: 'EUR' }, fx: { rateDate: '2026-07-01' } });
    expect(july).toMatchObject({ vatCollectedAtSale: true, dutyApplies: true, requiredIds: ['IOSS'] });
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
