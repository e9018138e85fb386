// Sales report renderers: CSV profiles (plain, excel), accountant journals (xero, qbo, hledger) and
// the JSON document. Pure functions from rows to text; numbers never pass through a float.

import { formatAmount } from './money.js';
import {
  METRICS, MONEY_METRICS, type Metric, type Metrics, type SalesRow, neutraliseFormula,
} from './report.js';
import { addDays } from './report-time.js';

export type Profile = 'plain' | 'excel' | 'xero' | 'qbo' | 'hledger';
export const PROFILES: readonly Profile[] = ['plain', 'excel', 'xero', 'qbo', 'hledger'];

export interface CsvStyle {
  delimiter: string;
  decimalComma: boolean;
  eol: string;
  bom: boolean;
  /** Excel profile: months are written so Excel keeps them as text. */
  excelTextPeriods?: boolean;
}

/**
 * The excel profile follows the spreadsheet's locale: `locale` when given, else the business's country
 * (Swedish or German Excel splits on ";" and reads "12,50"); the plain profile is always "," and ".".
 */
export function csvStyle(profile: 'plain' | 'excel', locale?: string, country?: string): CsvStyle {
  if (profile === 'plain') return { delimiter: ',', decimalComma: false, eol: '\n', bom: false };
  const loc = locale ?? (country ? countryLocale(country) : undefined);
  const decimalComma = loc ? localeUsesDecimalComma(loc) : false;
  return { delimiter: decimalComma ? ';' : ',', decimalComma, eol: '\r\n', bom: true, excelTextPeriods: true };
}

/** The most likely locale of a country (CLDR likely subtags: SE → sv-SE, DE → de-DE, CH → de-CH). */
export function countryLocale(country: string): string | undefined {
  try {
    // language-region only: ICU looks up region data (de-CH writes "1234.50") without the script subtag.
    const l = new Intl.Locale(`und-${country.toUpperCase()}`).maximize();
    return l.region ? `${l.language}-${l.region}` : l.language;
  } catch {
    return undefined;
  }
}

export function localeUsesDecimalComma(locale: string): boolean {
  const sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
  return sep === ',';
}

export function amountText(minor: bigint, currency: string, decimalComma = false): string {
  const s = formatAmount({ minor, currency });
  return decimalComma ? s.replace('.', ',') : s;
}

function quote(cell: string, delimiter: string): string {
  return cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export type Cell = { text: string } | { number: string } | { excelText: string };

/**
 * One CSV record: text cells are neutralised against formula injection, number cells are not, and an
 * `excelText` cell (a value merchant wrote itself, such as a month) is written ="…" so Excel keeps it
 * as text instead of turning 2026-04 into a date.
 */
export function csvRecord(cells: ReadonlyArray<Cell>, style: CsvStyle): string {
  return cells
    .map((c) =>
      'text' in c ? quote(neutraliseFormula(c.text), style.delimiter)
        : 'number' in c ? quote(c.number, style.delimiter)
          // Quoted ("=""2026-04"""), so the file stays RFC 4180 for strict readers; Excel evaluates a
          // quoted ="2026-04" all the same (quoting does not stop formulas: OWASP CSV injection notes).
          : quote(`="${c.excelText.replace(/"/g, '""')}"`, style.delimiter))
    .join(style.delimiter) + style.eol;
}

/** Period labels Excel would turn into dates (a month "2026-04"): written as text in the excel profile. */
export function excelKeepsText(style: CsvStyle, value: string): Cell {
  return style.excelTextPeriods && /^\d{4}-\d{2}$/.test(value) ? { excelText: value } : { text: value };
}

export const TOTAL_LABEL = 'total';

function metricCell(k: Metric, m: Metrics, currency: string, style: CsvStyle): { number: string } {
  if (k === 'orders' || k === 'units') return { number: m[k].toString() };
  return { number: amountText(m[k], currency, style.decimalComma) };
}

function dimCells(columns: readonly string[], r: SalesRow): Array<{ text: string }> {
  const out: Array<{ text: string }> = [];
  for (const c of columns) {
    if ((METRICS as readonly string[]).includes(c)) continue;
    const v =
      c === 'period' ? r.period : c === 'channel' ? r.channel : c === 'marketplace' ? r.marketplace : c === 'vat_scheme' ? r.vatScheme : c === 'country' ? r.country
        : c === 'sku' ? r.sku : c === 'currency' ? r.currency : c === 'source_currency' ? r.sourceCurrency : '';
    out.push({ text: v ?? '' });
  }
  return out;
}

/** The summary as CSV: header, rows, then one totals row per currency (period "total", dimensions empty). */
export function* summaryCsv(columns: readonly string[], rows: readonly SalesRow[], totals: Map<string, Metrics>, style: CsvStyle): Generator<string> {
  yield (style.bom ? '\uFEFF' : '') + csvRecord(columns.map((c) => ({ text: c })), style);
  for (const r of rows) {
    const dims: Cell[] = dimCells(columns, r).map((c, i) => (columns[i] === 'period' ? excelKeepsText(style, c.text) : c));
    yield csvRecord([...dims, ...METRICS.map((k) => metricCell(k, r.m, r.currency, style))], style);
  }
  for (const [currency, m] of totals) {
    const t: SalesRow = { period: TOTAL_LABEL, currency, m };
    yield csvRecord([...dimCells(columns, t).map((c, i) => (columns[i] === 'period' || columns[i] === 'currency' ? c : { text: '' })),
      ...METRICS.map((k) => metricCell(k, m, currency, style))], style);
  }
}

/** JSON-ready row: money as exact decimal strings in major units, counts as integers-in-strings. */
export function rowJson(r: SalesRow): Record<string, string> {
  const out: Record<string, string> = { period: r.period };
  if (r.channel !== undefined) out.channel = r.channel;
  if (r.marketplace !== undefined) out.marketplace = r.marketplace;
  if (r.vatScheme !== undefined) out.vat_scheme = r.vatScheme;
  if (r.country !== undefined) out.country = r.country;
  if (r.sku !== undefined) out.sku = r.sku;
  out.currency = r.currency;
  if (r.sourceCurrency !== undefined) out.source_currency = r.sourceCurrency;
  out.orders = r.m.orders.toString();
  out.units = r.m.units.toString();
  for (const k of MONEY_METRICS) out[k] = formatAmount({ minor: r.m[k], currency: r.currency });
  return out;
}

// ---- journals: core/report-journal.ts --------------------------------------------------------

/** The last day of a row's period within the report range: the date its journal is posted on. */
export function periodEnd(period: string, from: string, to: string): string {
  let end = to;
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) end = period;
  else if (/^\d{4}-\d{2}$/.test(period)) {
    const [y, mo] = period.split('-').map(Number) as [number, number];
    end = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
  } else if (/^\d{4}-W\d{2}$/.test(period)) {
    const [y, w] = [Number(period.slice(0, 4)), Number(period.slice(6))];
    const jan4 = Date.UTC(y, 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (w - 1) * 7 * 86_400_000;
    end = addDays(new Date(monday).toISOString().slice(0, 10), 6);
  }
  if (end > to) end = to;
  if (end < from) end = from;
  return end;
}
