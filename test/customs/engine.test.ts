import { describe, expect, it } from 'vitest';
import { checkCustoms } from '../../src/core/customs/engine.js';
import { RULES } from '../../src/core/customs/rules.js';
import { hsSubheadingCount } from '../../src/core/customs/hs.js';
import { formatAmount, fromRatio, parseDecimal, rAdd, rDiv, rMul } from '../../src/core/money.js';
import { EUR_RATES, item, parcel, tableFx } from './helpers.js';

const fx = tableFx();
const check = (p: Parameters<typeof parcel>[0]) => checkCustoms(parcel(p), fx);
const ruleIds = (r: ReturnType<typeof check>) => r.rules.map((x) => x.id);

describe('EU: IOSS ≤ EUR 150 and the 2026-07-01 duty change', () => {
  it.each([
    ['149.99', true, 'below'],
    ['150.00', true, 'at'],
    ['150.01', false, 'above'],
  ])('EUR %s → VAT at sale %s', (value, vat, cmp) => {
    const r = check({ items: [item({ value })] });
    expect(r.vatCollectedAtSale).toBe(vat);
    expect(r.requiredIds).toEqual(vat ? ['IOSS'] : []);
    expect(r.thresholds.find((t) => t.rule === 'EU-IOSS-150')?.comparison).toBe(cmp);
    expect(ruleIds(r)).toContain(vat ? 'EU-IOSS-150' : 'EU-IMPORT-VAT');
    expect(r.dutyApplies).toBe(true); // from 2026-07-01 the flat duty, above 150 the tariff
  });

  it('converts a SEK order into EUR at the given rate before comparing (150 EUR = 1680 SEK at 11.2)', () => {
    const at = check({ items: [item({ value: '1680.00', currency: 'SEK' })] });
    expect(at.thresholds.find((t) => t.rule === 'EU-IOSS-150')).toMatchObject({
      comparison: 'at',
      value: { amount: '150.00', currency: 'EUR' },
      fx: { from: 'SEK', to: 'EUR', rateDate: '2026-04-13' },
    });
    expect(at.vatCollectedAtSale).toBe(true);
    expect(check({ items: [item({ value: '1679.99', currency: 'SEK' })] }).vatCollectedAtSale).toBe(true);
    const above = check({ items: [item({ value: '1680.01', currency: 'SEK' })] });
    expect(above.vatCollectedAtSale).toBe(false);
    expect(above.thresholds.find((t) => t.rule === 'EU-IOSS-150')?.comparison).toBe('above');
  });

  it('quantity counts: 2 × 75.01 is above 150', () => {
    expect(check({ items: [item({ value: '75.01', quantity: 2 })] }).vatCollectedAtSale).toBe(false);
    expect(check({ items: [item({ value: '75.00', quantity: 2 })] }).vatCollectedAtSale).toBe(true);
  });

  it('shipping is not part of the intrinsic value', () => {
    expect(check({ items: [item({ value: '150.00' })], shipping: '20.00' }).vatCollectedAtSale).toBe(true);
  });

  it('an order on 2026-06-30 has duty relief; on 2026-07-01 the EUR 3 per tariff line applies', () => {
    const before = check({ date: '2026-06-30', items: [item({ value: '100.00' })] });
    expect(before.dutyApplies).toBe(false);
    expect(ruleIds(before)).toContain('EU-DUTY-RELIEF-150');
    expect(before.rules.find((x) => x.id === 'EU-DUTY-RELIEF-150')).toMatchObject({ effectiveTo: '2026-06-30' });
    expect(before.charges).toEqual([]);

    const after = check({ date: '2026-07-01', items: [item({ value: '100.00' })] });
    expect(after.dutyApplies).toBe(true);
    expect(after.rules.find((x) => x.id === 'EU-DUTY-FLAT-3')).toMatchObject({ effectiveFrom: '2026-07-01', source: expect.stringContaining('2658/87') });
    expect(after.charges).toEqual([expect.objectContaining({ rule: 'EU-DUTY-FLAT-3', amount: '3.00', currency: 'EUR' })]);
    expect(after.vatCollectedAtSale).toBe(true);
  });

  it('the EUR 3 duty is per distinct subheading, not per unit or per line', () => {
    const r = check({
      items: [
        item({ description: 'Silk blouse', hsCode: '620610', value: '20.00' }),
        item({ description: 'Wool blouse', hsCode: '620620', value: '20.00', quantity: 2 }),
        item({ description: 'Wool blouse, red', hsCode: '6206.20', value: '20.00' }),
      ],
    });
    expect(r.charges.find((c) => c.rule === 'EU-DUTY-FLAT-3')?.amount).toBe('6.00');
  });

  it('above EUR 150 before July 2026: duty at the tariff, import VAT, EORI when DDP', () => {
    const r = check({ date: '2026-06-30', incoterm: 'DDP', service: 'courier', items: [item({ value: '150.01' })] });
    expect(r).toMatchObject({ vatCollectedAtSale: false, dutyApplies: true, requiredIds: ['EORI'], form: 'commercial-invoice' });
  });

  it('excise goods cannot use IOSS even below 150', () => {
    const r = check({ items: [item({ description: 'Red wine, 75 cl', hsCode: '220421', value: '30.00' })] });
    expect(r.vatCollectedAtSale).toBe(false);
    expect(ruleIds(r)).toContain('EXCISE-EXCLUDED');
    expect(r.warnings.map((w) => w.code)).toContain('RESTRICTED_GOODS');
  });

  it('national fees: France EUR 2 per line from 2026-03-01, Romania RON 25 per parcel from 2026-01-01', () => {
    const fr = check({ to: { country: 'FR' }, date: '2026-03-01', items: [item(), item({ description: 'Teapot', hsCode: '691200' })] });
    expect(fr.charges).toContainEqual(expect.objectContaining({ rule: 'EU-FEE-FR', amount: '4.00', currency: 'EUR' }));
    expect(check({ to: { country: 'FR' }, date: '2026-02-28' }).charges).toEqual([]);
    const ro = check({ to: { country: 'RO' }, date: '2026-01-01' });
    expect(ro.charges).toContainEqual(expect.objectContaining({ rule: 'EU-FEE-RO', amount: '25.00', currency: 'RON' }));
  });

  it('inside the EU there is no declaration', () => {
    const r = check({ from: { country: 'SE' }, to: { country: 'DE' }, items: [item({ value: '900.00' })] });
    expect(r).toMatchObject({ form: 'none', dutyApplies: false, requiredIds: [] });
    expect(ruleIds(r)).toEqual(['EU-INTRA']);
  });

  it('Northern Ireland (BT postcode) follows the EU rules', () => {
    const r = check({ to: { country: 'GB', postalCode: 'BT1 5GS' }, items: [item({ value: '100.00' })] });
    expect(r.requiredIds).toEqual(['IOSS']);
  });
});

describe('UK: ≤ GBP 135 VAT at sale', () => {
  it.each([
    ['134.99', true],
    ['135.00', true],
    ['135.01', false],
  ])('GBP %s → VAT at sale %s', (value, low) => {
    const r = check({ from: { country: 'SE' }, to: { country: 'GB' }, items: [item({ value, currency: 'GBP' })] });
    expect(r.vatCollectedAtSale).toBe(low);
    expect(r.dutyApplies).toBe(!low);
    expect(r.requiredIds).toEqual(low ? ['UKVAT'] : []);
    expect(ruleIds(r)).toContain(low ? 'UK-VAT-AT-SALE-135' : 'UK-IMPORT-VAT-DUTY');
  });

  it('converts EUR into GBP: 135 GBP = 158.8235… EUR at 0.85', () => {
    const base = { from: { country: 'SE' }, to: { country: 'GB' } } as const;
    expect(check({ ...base, items: [item({ value: '158.82' })] }).vatCollectedAtSale).toBe(true);
    const r = check({ ...base, items: [item({ value: '158.83' })] });
    expect(r.vatCollectedAtSale).toBe(false);
    expect(r.thresholds[1]).toMatchObject({ rule: 'UK-VAT-AT-SALE-135', comparison: 'above', value: { amount: '135.01', currency: 'GBP' } });
  });
});

describe('US: de minimis until 2025-08-28, suspended from 2025-08-29', () => {
  const us = { from: { country: 'SE' }, to: { country: 'US' } } as const;
  it.each([
    ['799.99', false],
    ['800.00', false],
    ['800.01', true],
  ])('2025-08-28, USD %s → duty %s', (value, duty) => {
    const r = check({ ...us, date: '2025-08-28', items: [item({ value, currency: 'USD' })] });
    expect(r.dutyApplies).toBe(duty);
    expect(r.rules.find((x) => x.id === 'US-DEMINIMIS-800')).toMatchObject({ effectiveFrom: '2016-03-10', effectiveTo: '2025-08-28' });
  });

  it('2025-08-29: even USD 5 is dutiable', () => {
    const r = check({ ...us, date: '2025-08-29', items: [item({ value: '5.00', currency: 'USD' })] });
    expect(r.dutyApplies).toBe(true);
    expect(r.vatCollectedAtSale).toBe(false);
    expect(r.rules.find((x) => x.id === 'US-DEMINIMIS-SUSPENDED')).toMatchObject({ effectiveFrom: '2025-08-29' });
    // By post the buyer cannot pay on delivery any more (CBP CSMS # 65934463): the post collects it first.
    expect(r.warnings.map((w) => w.code)).toContain('US_POSTAL_DUTY_PREPAID');
    expect(r.warnings.map((w) => w.code)).not.toContain('BUYER_PAYS_DUTY');
    // By courier under DAP the buyer still pays duty and the carrier's fee on delivery.
    const courier = check({ ...us, service: 'courier', date: '2025-08-29', items: [item({ value: '5.00', currency: 'USD' })] });
    expect(courier.warnings.map((w) => w.code)).toContain('BUYER_PAYS_DUTY');
  });

  it('goods of Chinese origin lost de minimis on 2025-05-02', () => {
    expect(check({ ...us, date: '2025-05-01', items: [item({ value: '10.00', currency: 'USD', originCountry: 'CN' })] }).dutyApplies).toBe(false);
    const r = check({ ...us, date: '2025-05-02', items: [item({ value: '10.00', currency: 'USD', originCountry: 'CN' })] });
    expect(r.dutyApplies).toBe(true);
    expect(ruleIds(r)).toContain('US-DEMINIMIS-CN-HK');
  });

  it('from 2027-07-01 the statutory repeal is cited', () => {
    expect(ruleIds(check({ ...us, date: '2027-07-01' }))).toContain('US-DEMINIMIS-REPEALED');
  });

  it('missing HS: an error for commercial items, and from 2025-09-01 for every US article (gifts too)', () => {
    const after = check({ ...us, date: '2025-09-01', items: [item({ hsCode: undefined })] });
    expect(after.errors).toEqual([expect.objectContaining({ code: 'HS_MISSING', item: 'Stoneware mug', itemIndex: 1, rule: 'US-HS-REQUIRED' })]);
    const before = check({ ...us, date: '2025-08-31', items: [item({ hsCode: undefined })] });
    expect(before.errors).toEqual([expect.objectContaining({ code: 'HS_MISSING', rule: 'HS-COMMERCIAL' })]);
    const gift = check({ ...us, date: '2025-08-31', contentsType: 'gift', items: [item({ hsCode: undefined })] });
    expect(gift.errors).toEqual([]);
    expect(gift.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['HS_MISSING', 'GIFT_DECLARED']));
    const giftAfter = check({ ...us, date: '2025-09-01', contentsType: 'gift', items: [item({ hsCode: undefined })] });
    expect(giftAfter.errors.map((e) => e.rule)).toEqual(['US-HS-REQUIRED']);
  });
});

describe('Australia ≤ AUD 1,000, New Zealand ≤ NZD 1,000', () => {
  it.each([
    ['999.99', true],
    ['1000.00', true],
    ['1000.01', false],
  ])('AUD %s → GST at sale %s', (value, low) => {
    const r = check({ to: { country: 'AU' }, items: [item({ value, currency: 'AUD' })] });
    expect(r.vatCollectedAtSale).toBe(low);
    expect(r.dutyApplies).toBe(!low);
    expect(r.requiredIds).toEqual(low ? ['ARN'] : []);
    expect(ruleIds(r)).toContain(low ? 'AU-GST-LVG-1000' : 'AU-IMPORT');
  });

  it('converts EUR to AUD (1000 AUD = 606.0606… EUR at 1.65)', () => {
    expect(check({ to: { country: 'AU' }, items: [item({ value: '606.06' })] }).vatCollectedAtSale).toBe(true);
    expect(check({ to: { country: 'AU' }, items: [item({ value: '606.07' })] }).vatCollectedAtSale).toBe(false);
  });

  it('NZ: 1000.00 NZD GST at sale, 1000.01 at the border', () => {
    const seller = { nzGst: '123456789' };
    expect(check({ to: { country: 'NZ' }, seller, items: [item({ value: '1000.00', currency: 'NZD' })] }).vatCollectedAtSale).toBe(true);
    expect(check({ to: { country: 'NZ' }, seller, items: [item({ value: '1000.01', currency: 'NZD' })] }).vatCollectedAtSale).toBe(false);
  });
});

describe('Norway VOEC: every item below NOK 3,000', () => {
  it.each([
    ['2999.99', true],
    ['3000.00', false],
    ['3000.01', false],
  ])('NOK %s per item → VOEC %s', (value, voec) => {
    const r = check({ to: { country: 'NO' }, items: [item({ value, currency: 'NOK' })] });
    expect(r.vatCollectedAtSale).toBe(voec);
    expect(r.requiredIds).toEqual(voec ? ['VOEC'] : []);
    expect(r.dutyApplies).toBe(!voec);
  });

  it('the threshold is per item: 3 × NOK 2,000 still qualifies', () => {
    expect(check({ to: { country: 'NO' }, items: [item({ value: '2000.00', currency: 'NOK', quantity: 3 })] }).vatCollectedAtSale).toBe(true);
  });

  it('a mixed consignment is flagged', () => {
    const r = check({ to: { country: 'NO' }, items: [item({ value: '100.00', currency: 'NOK' }), item({ description: 'Teapot', value: '3500.00', currency: 'NOK' })] });
    expect(r.vatCollectedAtSale).toBe(false);
    expect(r.warnings.map((w) => w.code)).toContain('MIXED_CONSIGNMENT');
  });
});

describe('Switzerland', () => {
  it.each([
    ['57.00', '5.00', 'at'],
    ['57.01', '5.00', 'above'],
  ])('goods CHF %s + shipping %s against CHF 62 (VAT ≤ CHF 5 not collected)', (value, shipping, cmp) => {
    const r = check({ to: { country: 'CH' }, items: [item({ value, currency: 'CHF' })], shipping });
    expect(r.thresholds.find((t) => t.rule === 'CH-VAT-SMALL-AMOUNT')?.comparison).toBe(cmp);
    expect(r.vatCollectedAtSale).toBe(false);
    expect(r.dutyApplies).toBe(false); // industrial goods: tariff abolished 2024-01-01
  });

  it('agricultural goods stay dutiable; industrial goods were dutiable before 2024', () => {
    expect(check({ to: { country: 'CH' }, items: [item({ description: 'Roasted coffee beans', hsCode: '090121', currency: 'CHF' })] }).dutyApplies).toBe(true);
    expect(check({ to: { country: 'CH' }, date: '2023-12-31', items: [item({ currency: 'CHF' })] }).dutyApplies).toBe(true);
  });

  it('a seller registered for Swiss VAT charges it at sale', () => {
    const r = check({ to: { country: 'CH' }, seller: { chVat: 'CHE-123.456.789 MWST' }, items: [item({ currency: 'CHF' })] });
    expect(r).toMatchObject({ vatCollectedAtSale: true, requiredIds: ['CHVAT'] });
  });
});

describe('Canada (CBSA Customs Notice 20-18)', () => {
  it.each([
    ['20.00', false],
    ['20.01', true],
  ])('mail, CAD %s → duty %s', (value, duty) => {
    expect(check({ to: { country: 'CA' }, items: [item({ value, currency: 'CAD' })] }).dutyApplies).toBe(duty);
  });
  it.each([
    ['40.00', false],
    ['150.00', false],
    ['150.01', true],
  ])('courier from the US, CAD %s → duty %s', (value, duty) => {
    const r = check({ from: { country: 'US' }, to: { country: 'CA' }, service: 'courier', items: [item({ value, currency: 'CAD' })] });
    expect(r.dutyApplies).toBe(duty);
    expect(ruleIds(r)).toContain('CA-COURIER-CUSMA');
  });
  it('courier from Sweden: CAD 20.01 is dutiable', () => {
    const r = check({ from: { country: 'SE' }, to: { country: 'CA' }, service: 'courier', items: [item({ value: '20.01', currency: 'CAD' })] });
    expect(r.dutyApplies).toBe(true);
    expect(ruleIds(r)).toContain('CA-COURIER-20');
  });
});

describe('CN22 vs CN23 (300 SDR, 2 kg)', () => {
  // 1 SDR in EUR from the IMF basket at the test rates
  const basket = RULES['IMF-SDR-BASKET-2022'].params;
  const sdrEur = (['USD', 'CNY', 'JPY', 'GBP'] as const).reduce(
    (acc, c) => rAdd(acc, rDiv(parseDecimal(basket[c]), parseDecimal(EUR_RATES[c]!))),
    parseDecimal(basket.EUR),
  );
  const limit = rMul(parseDecimal('300'), sdrEur);
  const below = formatAmount(fromRatio(limit, 'EUR', 'floor'));
  const atOrAbove = formatAmount(fromRatio(limit, 'EUR', 'ceil'));

  it(`postal below 300 SDR (${below} EUR) and ≤ 2 kg → CN22`, () => {
    const r = check({ items: [item({ value: below, unitWeightGrams: 2000 })] });
    expect(r.form).toBe('CN22');
    expect(r.thresholds[0]).toMatchObject({ rule: 'UPU-CN22', comparison: 'below', threshold: { amount: atOrAbove, currency: 'EUR' } });
    expect(ruleIds(r)).toEqual(expect.arrayContaining(['UPU-CN22', 'IMF-SDR-BASKET-2022']));
  });
  it(`postal at/above 300 SDR (${atOrAbove} EUR) → CN23`, () => {
    expect(check({ items: [item({ value: atOrAbove })] }).form).toBe('CN23');
  });
  it('postal over 2 kg → CN23 whatever the value', () => {
    expect(check({ items: [item({ value: '5.00', unitWeightGrams: 2001 })] }).form).toBe('CN23');
    expect(check({ items: [item({ value: '5.00', unitWeightGrams: 500 })], grossWeightGrams: 2100 }).form).toBe('CN23');
  });
  it('courier → commercial invoice', () => {
    const r = check({ service: 'courier' });
    expect(r.form).toBe('commercial-invoice');
    expect(ruleIds(r)).toContain('COURIER-COMMERCIAL-INVOICE');
  });
  it('no SDR rates → an error, not a guess', () => {
    const r = checkCustoms(parcel({}), tableFx({ GBP: '0.85' }));
    expect(r.errors.map((e) => e.code)).toContain('FX_RATE_MISSING');
  });
});

describe('goods: HS codes, descriptions, lithium, ids', () => {
  it('HS 2022 table has 5,613 subheadings', () => {
    expect(hsSubheadingCount()).toBe(5613);
  });
  it.each([
    [undefined, 'HS_MISSING'],
    ['69.12.0A', 'HS_INVALID'],
    ['6912', 'HS_INVALID'],
    ['6912001', 'HS_INVALID'],
    ['691299', 'HS_UNKNOWN'],
  ])('HS %s → %s naming the item', (hsCode, code) => {
    const r = check({ items: [item(), item({ description: 'Blue teapot', sku: 'TEA-BLU', hsCode })] });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({ code, item: 'TEA-BLU Blue teapot', itemIndex: 2 })]);
  });
  it.each(['6912.00', '6912 00', '69120010', '6912001000'])('HS %s is valid', (hsCode) => {
    expect(check({ items: [item({ hsCode })] }).errors).toEqual([]);
  });
  it('vague descriptions are warned about', () => {
    const r = check({ items: [item({ description: 'Gift' }), item({ description: 'parts' })] });
    expect(r.warnings.filter((w) => w.code === 'VAGUE_DESCRIPTION').map((w) => w.item)).toEqual(['Gift', 'parts']);
  });
  it('lithium batteries on their own are refused by the post, installed ones are warned', () => {
    const loose = check({ items: [item({ description: 'Lithium-ion battery pack', hsCode: '850760' })] });
    expect(loose.errors).toEqual([expect.objectContaining({ code: 'LITHIUM_POSTAL', rule: 'LITHIUM-POSTAL' })]);
    const installed = check({ items: [item({ description: 'Bluetooth speaker', hsCode: '851822', battery: 'installed' })] });
    expect(installed.errors).toEqual([]);
    expect(installed.warnings.map((w) => w.code)).toContain('LITHIUM_BATTERY');
    const courier = check({ service: 'courier', items: [item({ description: 'Camera with spare battery', hsCode: '852589', battery: 'packed' })] });
    expect(courier.errors).toEqual([]);
    expect(ruleIds(courier)).toContain('LITHIUM-IATA-SOC-2026');
  });
  it('an IOSS number in the wrong format is an error; without one the VAT is collected at import (warned once)', () => {
    expect(check({ seller: { ioss: 'IM123' } }).errors.map((e) => e.code)).toEqual(['ID_INVALID']);
    const r = check({ seller: {} });
    expect(r.vatCollectedAtSale).toBe(false);
    expect(r.warnings.filter((w) => w.code === 'VAT_AT_IMPORT')).toHaveLength(1);
  });
  it('a declared value different from the order is warned about', () => {
    const r = checkCustoms({ ...parcel({ items: [item({ value: '20.00' })] }), orderValue: { minor: 2500n, currency: 'EUR' } }, fx);
    expect(r.warnings.map((w) => w.code)).toContain('VALUE_MISMATCH');
  });
  it('every applied rule carries an effective date and a source', () => {
    const r = check({ items: [item({ value: '100.00' })] });
    for (const x of r.rules) {
      expect(x.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(x.source.length).toBeGreaterThan(10);
    }
  });
});
