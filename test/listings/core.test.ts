// Pure rules: GTIN check digits, money and quantity parsing, sniffing of encoding and delimiter.
import { describe, expect, it } from 'vitest';
import { gtinCheckDigitOk, parseBarcode, parseMoney, parseQuantity, parseMeasure, parseHsCode, isScientific, channelForCurrency, parseEbayAction, amazonChannelForMarketplaceId, type CellContext, type Cell } from '../../src/core/listing.js';
import { sniffDelimiter, sniffEncoding } from '../../src/adapters/csv/reader.js';
import { normaliseHeader, detect } from '../../src/adapters/csv/maps.js';

const ctx = (decimalComma = false): CellContext => ({ file: 'f.csv', line: 7, decimalComma, problems: [] });
const cell = (value: string, unit?: string): Cell => ({ value, column: 3, header: 'H', ...(unit ? { unit } : {}) });

describe('listing rules', () => {
  it('GTIN check digits (EAN-13, UPC-12, GTIN-8, GTIN-14)', () => {
    expect(gtinCheckDigitOk('7350053850019')).toBe(true);
    expect(gtinCheckDigitOk('7350053850018')).toBe(false);
    expect(gtinCheckDigitOk('036000291452')).toBe(true);
    expect(gtinCheckDigitOk('96385074')).toBe(true);
    expect(gtinCheckDigitOk('10012345678902')).toBe(true);
    const c = ctx();
    expect(parseBarcode(c, cell('03600029145'))).toBeUndefined();
    expect(c.problems[0]!.message).toContain('dropped a leading zero');
    expect(parseBarcode(ctx(), cell('B00EXAMPLE'), 'ASIN')).toBeUndefined();
    expect(parseBarcode(ctx(), cell('="7350053850019"'))).toBe('7350053850019');
  });

  it('money: exact minor units, currency exponents, decimal comma, symbols, refusals', () => {
    expect(parseMoney(ctx(), cell('24.90'), 'EUR')).toBe(2490n);
    expect(parseMoney(ctx(), cell('1200'), 'JPY')).toBe(1200n);
    expect(parseMoney(ctx(), cell('1.234'), 'KWD')).toBe(1234n);
    expect(parseMoney(ctx(true), cell('24,90'), 'EUR')).toBe(2490n);
    expect(parseMoney(ctx(), cell('€24.90'), 'EUR')).toBe(2490n);
    expect(parseMoney(ctx(), cell('0.1'), 'EUR')).toBe(10n);
    expect(parseMoney(ctx(), cell('19999999.99'), 'EUR')).toBe(1999999999n);
    for (const [v, rule] of [['1,234.00', 'thousands-separator'], ['24,90', 'decimal-comma'], ['-1.00', 'range'], ['1.2E+3', 'scientific-notation'], ['abc', 'amount'], ['24.901', 'amount']] as const) {
      const c = ctx();
      expect(parseMoney(c, cell(v), 'EUR'), v).toBeUndefined();
      expect(c.problems[0]!.rule, v).toBe(rule);
      expect(c.problems[0]).toMatchObject({ file: 'f.csv', line: 7, column: 3, value: v });
    }
    const c = ctx();
    expect(parseMoney(c, cell('$24.90'), 'EUR')).toBeUndefined();
    expect(parseMoney(ctx(), cell('  '), 'EUR')).toBeUndefined();
  });

  it('quantities: blank is absent, 0 is a value, fractions and negatives refused', () => {
    expect(parseQuantity(ctx(), cell(''))).toBeUndefined();
    expect(parseQuantity(ctx(), cell('0'))).toBe(0n);
    expect(parseQuantity(ctx(), cell('12.0'))).toBe(12n);
    const c = ctx();
    expect(parseQuantity(c, cell('1.5'))).toBeUndefined();
    expect(c.problems[0]!.rule).toBe('whole-number');
  });

  it('weights and lengths convert exactly to grams and millimetres', () => {
    expect(parseMeasure(ctx(), cell('0.38', 'kg'), 'weight', 10n ** 6n)).toBe(380n);
    expect(parseMeasure(ctx(), cell('1', 'lb'), 'weight', 10n ** 6n)).toBe(454n);
    expect(parseMeasure(ctx(), cell('2', 'oz'), 'weight', 10n ** 6n)).toBe(57n);
    expect(parseMeasure(ctx(true), cell('0,5', 'kg'), 'weight', 10n ** 6n)).toBe(500n);
    expect(parseMeasure(ctx(), cell('12.5', 'cm'), 'length', 10_000n)).toBe(125n);
    expect(parseMeasure(ctx(), cell('4', 'in'), 'length', 10_000n)).toBe(102n);
  });

  it('HS codes, scientific notation, channels from currencies, eBay sites, Amazon marketplace ids', () => {
    expect(parseHsCode(ctx(), cell('6912.00'))).toBe('691200');
    expect(parseHsCode(ctx(), cell('6912 00 10'))).toBe('69120010');
    expect(isScientific('6.93E+12')).toBe(true);
    expect(isScientific('7350053850019')).toBe(false);
    expect(channelForCurrency('amazon', 'GBP')).toEqual({ channel: 'amazon-uk', choices: ['amazon-uk'] });
    expect(channelForCurrency('amazon', 'EUR').channel).toBeUndefined();
    expect(parseEbayAction('*Action(SiteID=Germany|Country=DE|Currency=EUR|Version=745)')).toMatchObject({ channel: 'ebay-de', params: { Currency: 'EUR' } });
    expect(amazonChannelForMarketplaceId('amzn1.mp.o.A1PA6795UKMFR9')).toBe('amazon-de');
  });
});

describe('sniffing and detection', () => {
  it('encoding: BOMs, strict UTF-8, Windows-1252 fallback, a character cut at the sample end', () => {
    expect(sniffEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), true)).toEqual({ encoding: 'utf-8', bom: true });
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]), true)).toEqual({ encoding: 'utf-16le', bom: true });
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]), true)).toEqual({ encoding: 'utf-16be', bom: true });
    expect(sniffEncoding(Buffer.from('Crème', 'latin1'), true).encoding).toBe('windows-1252');
    const cut = Buffer.from('abc é', 'utf8').subarray(0, 5); // 'é' cut in half
    expect(sniffEncoding(cut, false).encoding).toBe('utf-8');
  });

  it('delimiter: the header line decides, quotes ignored; a delimiter-free first line defers to the next', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('"a;b;c",d\n')).toBe(',');
    expect(sniffDelimiter('settings=x&y\na\tb\tc\n')).toBe('\t');
  });

  it('headers are matched without BOM, case, leading * or Amazon qualifiers; the best full signature wins', () => {
    expect(normaliseHeader('\uFEFF*Variant SKU ')).toBe('variant sku');
    expect(normaliseHeader('item_name[marketplace_id=A1PA6795UKMFR9][language_tag=de_DE]#1.value')).toBe('item_name#1.value');
    expect(detect(['Handle', 'Title', 'Variant SKU', 'Variant Price'], ['header']).map?.id).toBe('shopify/legacy');
    expect(detect(['sku', 'price', 'quantity', 'product-id', 'product-id-type', 'add-delete'], ['header']).map?.id).toBe('amazon/inventory-loader');
    expect(detect(['SKU', 'Title'], ['header']).map).toBeUndefined();
  });
});
