// The catalogue record an import row becomes, and the pure rules that turn a seller's cell text into it:
// exact money in minor units (never a float), tri-state cells (absent column / blank cell = keep the
// stored value; a value = set it), GTIN check digits, HS code shape, ISO currency and country codes.
// Every rule failure is a Problem naming file, line, column, field, value and rule.

import { hash as oneShotHash } from 'node:crypto';
import { parseAmount, parseDecimal, divRound, MoneyError } from './money.js';
import { isCurrency, countryCode, currencyExponent } from './currencies.js';
import { CHANNELS } from './channels.js';
import type { InputProblem } from './errors.js';

export type Status = 'active' | 'draft' | 'archived';

export interface ProductFields {
  title?: string;
  description?: string;
  vendor?: string;
  brand?: string;
  productType?: string;
  tags?: string;
  status?: Status;
}

export interface VariantFields {
  title?: string;
  options?: Array<[string, string]>;
  barcode?: string;
  price?: bigint;
  currency?: string;
  compareAt?: bigint;
  cost?: bigint;
  costCurrency?: string;
  landedCost?: bigint;
  weightGrams?: bigint;
  lengthMm?: bigint;
  widthMm?: bigint;
  heightMm?: bigint;
  hsCode?: string;
  originCountry?: string;
  imageUrl?: string;
}

export interface ChannelEntry {
  channel: string;
  price?: bigint;
  currency: string;
  quantity?: bigint;
}

/** One SKU as read from one row (after format-specific grouping). Undefined = leave as stored. */
export interface ListingRecord {
  sku: string;
  handle: string;
  /** The file names the product (Shopify handle, merchant handle); else the handle is derived. */
  handleExplicit: boolean;
  product: ProductFields;
  variant: VariantFields;
  quantity?: bigint;
  channels: ChannelEntry[];
  action: 'update' | 'delete';
  /** Physical line of the row (for messages). */
  line: number;
}

export interface Cell {
  value: string;
  /** 1-based column number in the file. */
  column: number;
  header: string;
  unit?: string;
}

export interface CellContext {
  file: string;
  line: number;
  sku?: string;
  decimalComma: boolean;
  problems: InputProblem[];
  /** Accepted with a note (e.g. oversold stock read as 0). */
  notes?: string[];
  /** The file has a currency column (a blank cell then needs filling, not a new column). */
  hasCurrencyColumn?: boolean;
}

export function problem(ctx: CellContext, cell: Cell | undefined, rule: string, message: string): void {
  ctx.problems.push({
    file: ctx.file,
    line: ctx.line,
    ...(cell ? { column: cell.column, field: cell.header, value: cell.value } : {}),
    rule,
    message,
    ...(ctx.sku ? { sku: ctx.sku } : {}),
  });
}

/** Trimmed text, or undefined for a blank cell / absent column. */
export function text(cell: Cell | undefined): string | undefined {
  if (!cell) return undefined;
  const t = cell.value.trim();
  return t === '' ? undefined : t;
}

const SYMBOLS: Record<string, string[]> = {
  '€': ['EUR'],
  '£': ['GBP'],
  '¥': ['JPY', 'CNY'],
  $: ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN'],
  kr: ['SEK', 'NOK', 'DKK', 'ISK'],
};

const PLAIN = /^(\d{1,15})(?:\.(\d{1,4}))?$/;

/** Largest plausible amount in minor units (10^13). */
const MAX_MINOR = 10n ** 13n;

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;

export function isScientific(s: string): boolean {
  return SCIENTIFIC.test(s.trim());
}

export function parseSku(ctx: CellContext, cell: Cell | undefined): string | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  if (t.length > 100) return void problem(ctx, cell, 'sku-length', `SKU is ${t.length} characters; the most marketplaces accept is 100`);
  if (/[\u0000-\u001f]/.test(t)) return void problem(ctx, cell, 'sku-characters', 'SKU contains a line break or control character');
  if (isScientific(t)) {
    return void problem(ctx, cell, 'scientific-notation', `SKU ${JSON.stringify(t)} is in scientific notation: a spreadsheet turned a number into ${t}; format the column as Text and re-export`);
  }
  return t;
}

export function parseMoney(ctx: CellContext, cell: Cell | undefined, currency: string | undefined, what = 'price'): bigint | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  if (!currency) {
    const hint = ctx.hasCurrencyColumn ? 'fill in its currency cell' : 'add a currency column or pass --currency';
    return void problem(ctx, cell, 'currency-required', `${what} given but the row has no currency; ${hint}`);
  }
  // Fast path for the common plain form ("24.90", "1200"): exact digits → minor units, no rationals.
  const plain = PLAIN.exec(t);
  if (plain) {
    const exp = currencyExponent(currency);
    const frac = plain[2] ?? '';
    if (frac.length <= exp) {
      const minor = BigInt(plain[1]! + frac.padEnd(exp, '0'));
      if (minor > MAX_MINOR) return void problem(ctx, cell, 'range', `${what} ${t} ${currency} is implausibly large`);
      return minor;
    }
  }
  let stripped = t;
  // A currency symbol or code glued to the number is a common export habit; it must agree with the currency.
  const m = /^([A-Z]{3}|[€$£¥]|kr)?\s*([-+0-9.,]+)\s*([A-Z]{3}|[€$£¥]|kr)?$/.exec(t);
  if (m && (m[1] || m[3])) {
    for (const mark of [m[1], m[3]]) {
      if (!mark) continue;
      const allowed = SYMBOLS[mark] ?? [mark];
      if (!allowed.includes(currency)) return void problem(ctx, cell, 'currency-mismatch', `${what} is written in ${mark} but the row's currency is ${currency}`);
    }
    stripped = m[2]!;
  }
  if (!ctx.decimalComma && /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(stripped)) {
    return void problem(ctx, cell, 'thousands-separator', `${what} ${JSON.stringify(t)} has a thousands separator; write it as ${stripped.replace(/,/g, '')}`);
  }
  if (!ctx.decimalComma && /^\d+,\d{1,2}$/.test(stripped)) {
    return void problem(ctx, cell, 'decimal-comma', `${what} ${JSON.stringify(t)} uses a decimal comma; pass --decimal-comma (or --delimiter ';' files infer it)`);
  }
  try {
    const minor = parseAmount(stripped, currency, { decimalComma: ctx.decimalComma && stripped.includes(',') }).minor;
    if (minor < 0n) return void problem(ctx, cell, 'range', `${what} must not be negative`);
    if (minor > MAX_MINOR) return void problem(ctx, cell, 'range', `${what} ${t} ${currency} is implausibly large`);
    return minor;
  } catch (e) {
    if (e instanceof MoneyError) return void problem(ctx, cell, /scientific/.test(e.message) ? 'scientific-notation' : 'amount', e.message);
    throw e;
  }
}

export function parseQuantity(ctx: CellContext, cell: Cell | undefined, allowNegative = false): bigint | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  const norm = ctx.decimalComma ? t.replace(/,0+$/, '') : t.replace(/\.0+$/, '');
  if (!/^[+]?\d+$/.test(norm)) {
    if (/^-\d+$/.test(norm)) {
      // Shopify and WooCommerce let stock go negative when oversold; offer none rather than refuse the file.
      if (allowNegative) {
        if (ctx.notes && ctx.notes.length < 100) ctx.notes.push(`${ctx.file}:${ctx.line}:${cell!.column}: ${cell!.header} ${t} (oversold) read as 0`);
        return 0n;
      }
      return void problem(ctx, cell, 'range', 'quantity must not be negative');
    }
    const sep = ctx.decimalComma ? '.' : ',';
    if (new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`).test(norm)) {
      return void problem(ctx, cell, 'whole-number', `quantity ${JSON.stringify(t)} has "${sep}" as a thousands separator; write ${norm.split(sep).join('')}`);
    }
    return void problem(ctx, cell, 'whole-number', `quantity ${JSON.stringify(t)} is not a whole number`);
  }
  const q = BigInt(norm);
  if (q > 100_000_000n) return void problem(ctx, cell, 'range', `quantity ${t} is implausibly large (more than 100,000,000)`);
  return q;
}

const TO_MILLI: Record<string, [bigint, bigint]> = {
  // unit → [numerator, denominator] of grams (or millimetres) per unit
  g: [1n, 1n],
  kg: [1000n, 1n],
  lb: [45359237n, 100000n],
  oz: [28349523125n, 1000000000n],
  mm: [1n, 1n],
  cm: [10n, 1n],
  in: [254n, 10n],
};

/** A weight or length in the header's unit → whole grams / millimetres (half-up), exact. */
export function parseMeasure(ctx: CellContext, cell: Cell | undefined, what: 'weight' | 'length', max: bigint): bigint | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  const unit = cell!.unit ?? (what === 'weight' ? 'g' : 'mm');
  if ((unit === 'g' || unit === 'mm') && /^\d{1,9}$/.test(t)) {
    const v = BigInt(t);
    return v > max ? void problem(ctx, cell, 'range', `${what} ${t} ${unit} is implausibly large`) : v;
  }
  const norm = ctx.decimalComma ? t.replace(',', '.') : t;
  if (!/^\+?(\d+(\.\d+)?|\.\d+)$/.test(norm)) {
    if (/^-/.test(norm)) return void problem(ctx, cell, 'range', `${what} must not be negative`);
    return void problem(ctx, cell, 'number', `${what} ${JSON.stringify(t)} is not a number${!ctx.decimalComma && /,/.test(t) ? ' (pass --decimal-comma for 0,38)' : ''}`);
  }
  const r = parseDecimal(norm.replace(/^\+/, ''));
  const [n, d] = TO_MILLI[unit]!;
  const v = divRound(r.num * n, r.den * d, 'halfUp');
  if (v > max) return void problem(ctx, cell, 'range', `${what} ${t} ${unit} is implausibly large`);
  return v;
}

export function gtinCheckDigitOk(digits: string): boolean {
  let sum = 0;
  const body = digits.slice(0, -1);
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

/** GTIN-8/12/13/14 with a valid check digit; ASINs are not barcodes and are skipped. */
export function parseBarcode(ctx: CellContext, cell: Cell | undefined, idType?: string): string | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  const type = idType?.toUpperCase();
  if (type === 'ASIN' || type === 'GCID') return undefined;
  if (isScientific(t)) {
    return void problem(
      ctx,
      cell,
      'scientific-notation',
      `barcode ${JSON.stringify(t)} was turned into scientific notation by a spreadsheet and its digits are lost; re-export from the source with the column formatted as Text (do not re-save in Excel)`,
    );
  }
  // Excel-guarded forms: ="0123…" and a leading apostrophe.
  const digits = t.replace(/^="?|"$/g, '').replace(/^'/, '').replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) return void problem(ctx, cell, 'gtin', `barcode ${JSON.stringify(t)} must be digits only (GTIN-8, UPC-12, EAN-13 or GTIN-14)`);
  if (![8, 12, 13, 14].includes(digits.length)) {
    const hint = digits.length === 11 || digits.length === 7 ? ' (a spreadsheet may have dropped a leading zero)' : '';
    return void problem(ctx, cell, 'gtin', `barcode ${digits} has ${digits.length} digits; a GTIN has 8, 12, 13 or 14${hint}`);
  }
  if (!gtinCheckDigitOk(digits)) return void problem(ctx, cell, 'gtin-check-digit', `barcode ${digits} has a wrong check digit`);
  return digits;
}

export function parseHsCode(ctx: CellContext, cell: Cell | undefined): string | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  const digits = t.replace(/[.\s]/g, '');
  if (!/^\d{6,10}$/.test(digits)) {
    return void problem(ctx, cell, 'hs-code', `HS code ${JSON.stringify(t)} must be 6 to 10 digits (e.g. 6912.00 or 691200)${/^\d{4,5}$/.test(digits) ? '; a heading alone is not enough for customs' : ''}`);
  }
  return digits;
}

export function parseCountry(ctx: CellContext, cell: Cell | undefined): string | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  const c = countryCode(t);
  if (!c) return void problem(ctx, cell, 'country', `${JSON.stringify(t)} is not a country merchant knows: write its ISO 3166 code (e.g. SE, DE, CN, GB) or its English name`);
  return c;
}

export function parseCurrency(ctx: CellContext, cell: Cell | undefined): string | undefined {
  const t = text(cell);
  if (t === undefined) return undefined;
  const c = t.toUpperCase();
  if (!isCurrency(c)) return void problem(ctx, cell, 'currency', `${JSON.stringify(t)} is not an ISO 4217 currency code (e.g. EUR, USD, SEK)`);
  return c;
}

export function parseEnum(ctx: CellContext, cell: Cell | undefined, values: Record<string, string> | undefined, what: string): string | undefined {
  const t = text(cell);
  if (t === undefined || !values) return t;
  const low = t.toLowerCase();
  // Localized template choices read "Verb (kind)": "Bearbeiten (Teilaktualisierung)".
  const paren = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(low);
  const v = values[low] ?? (paren ? values[paren[2]!.trim()] ?? values[paren[1]!.trim()] : undefined);
  if (v === undefined) {
    return void problem(ctx, cell, 'value', `${what} ${JSON.stringify(t)} is not one of: ${[...new Set(Object.keys(values))].join(', ')}`);
  }
  return v;
}

/** Amazon/eBay storefront for a price currency (EUR is shared by several: needs --channel). */
export function channelForCurrency(marketplace: 'amazon' | 'ebay', currency: string): { channel?: string; choices: string[] } {
  const choices = CHANNELS.filter((c) => c.marketplace === marketplace && c.currency === currency).map((c) => c.code);
  return choices.length === 1 ? { channel: choices[0], choices } : { choices };
}

// Site names, country codes and eBay's numeric site ids (0 US, 3 UK, 77 Germany, 15 Australia).
const EBAY_SITES: Record<string, string> = {
  US: 'ebay-us', '0': 'ebay-us', UK: 'ebay-uk', GB: 'ebay-uk', '3': 'ebay-uk', GERMANY: 'ebay-de', DE: 'ebay-de', '77': 'ebay-de', AUSTRALIA: 'ebay-au', AU: 'ebay-au', '15': 'ebay-au',
};

/** `*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193)` → its parameters and our channel. */
export function parseEbayAction(header: string): { params: Record<string, string>; channel?: string; site?: string } {
  const m = /Action\(([^)]*)\)/i.exec(header);
  const params: Record<string, string> = {};
  if (m) {
    for (const part of m[1]!.split('|')) {
      const [k, v] = part.split('=');
      if (k && v !== undefined) params[k.trim()] = v.trim();
    }
  }
  const site = (params.SiteID ?? params.Country ?? '').toUpperCase();
  return { params, channel: EBAY_SITES[site] ?? EBAY_SITES[(params.Country ?? '').toUpperCase()], ...(site ? { site: params.SiteID ?? params.Country } : {}) };
}

const AMAZON_BY_ID = new Map(CHANNELS.filter((c) => c.marketplace === 'amazon').map((c) => [c.remoteId!, c.code]));

export function amazonChannelForMarketplaceId(id: string): string | undefined {
  return AMAZON_BY_ID.get(id.replace(/^amzn1\.mp\.o\./, ''));
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** Stable hash of everything an import would write for a record (not the line it came from). */
export function recordHash(r: ListingRecord): string {
  const { line: _line, ...rest } = r;
  return oneShotHash('sha1', JSON.stringify(rest, bigintSafe), 'base64').slice(0, 22);
}

/**
 * Cheap change key of a row: its text (rowKey, or the line as read) plus everything outside it that
 * shapes its record (format, options and header in envKey, the product it inherits, the handle and
 * option names from a parent row). Equal keys mean an equal record, so an unchanged row is recognised
 * without building a comparison.
 */
export function rowKey(cells: readonly string[]): string {
  return cells.join('\u001f');
}

export function rowHashOf(envKey: string, key: string, r: ListingRecord, productKey: string): string {
  const opts = r.variant.options ? r.variant.options.map((o) => o[0]).join('\u001f') : '';
  return oneShotHash('sha1', `${envKey}\u001d${r.handle}\u001d${productKey}\u001d${opts}\u001d${key}`, 'base64').slice(0, 22);
}

/** The product fields in a fixed order, so equal fields give equal hashes whatever order they were set in. */
const PRODUCT_FIELDS = ['title', 'description', 'vendor', 'brand', 'productType', 'tags', 'status'] as const;

export function productHash(handle: string, p: ProductFields): string {
  // \u001e marks an absent field, distinct from an empty one.
  let key = handle;
  for (const f of PRODUCT_FIELDS) key += `\u001d${p[f] ?? '\u001e'}`;
  return oneShotHash('sha1', key, 'base64').slice(0, 22);
}

/**
 * productHash for a stream of rows: consecutive variants of one product carry the same product fields,
 * so the hash of the previous row is reused when the handle and every field are equal (a few string
 * comparisons instead of a sha1 per row).
 */
export class ProductHasher {
  private handle: string | undefined;
  private readonly last: Array<string | undefined> = [];
  private hash = '';
  of(handle: string, p: ProductFields): string {
    let same = handle === this.handle;
    for (let i = 0; same && i < PRODUCT_FIELDS.length; i++) same = p[PRODUCT_FIELDS[i]!] === this.last[i];
    if (same) return this.hash;
    this.handle = handle;
    for (let i = 0; i < PRODUCT_FIELDS.length; i++) this.last[i] = p[PRODUCT_FIELDS[i]!];
    this.hash = productHash(handle, p);
    return this.hash;
  }
}
