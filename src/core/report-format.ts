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
}

export function csvStyle(profile: 'plain' | 'excel', locale?: string): CsvStyle {
  if (profile === 'plain') return { delimiter: ',', decimalComma: false, eol: '\n', bom: false };
  const decimalComma = locale ? localeUsesDecimalComma(locale) : false;
  return { delimiter: decimalComma ? ';' : ',', decimalComma, eol: '\r\n', bom: true };
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

/** One CSV record: text cells are neutralised against formula injection, number cells are not. */
export function csvRecord(cells: ReadonlyArray<{ text: string } | { number: string }>, style: CsvStyle): string {
  return cells
    .map((c) => ('text' in c ? quote(neutraliseFormula(c.text), style.delimiter) : quote(c.number, style.delimiter)))
    .join(style.delimiter) + style.eol;
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
      c === 'period' ? r.period : c === 'channel' ? r.channel : c === 'marketplace' ? r.marketplace : c === 'country' ? r.country
        : c === 'sku' ? r.sku : c === 'currency' ? r.currency : c === 'source_currency' ? r.sourceCurrency : '';
    out.push({ text: v ?? '' });
  }
  return out;
}

/** The summary as CSV: header, rows, then one totals row per currency (period "total", dimensions empty). */
export function* summaryCsv(columns: readonly string[], rows: readonly SalesRow[], totals: Map<string, Metrics>, style: CsvStyle): Generator<string> {
  yield (style.bom ? '\uFEFF' : '') + csvRecord(columns.map((c) => ({ text: c })), style);
  for (const r of rows) yield csvRecord([...dimCells(columns, r), ...METRICS.map((k) => metricCell(k, r.m, r.currency, style))], style);
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
  if (r.country !== undefined) out.country = r.country;
  if (r.sku !== undefined) out.sku = r.sku;
  out.currency = r.currency;
  if (r.sourceCurrency !== undefined) out.source_currency = r.sourceCurrency;
  out.orders = r.m.orders.toString();
  out.units = r.m.units.toString();
  for (const k of MONEY_METRICS) out[k] = formatAmount({ minor: r.m[k], currency: r.currency });
  return out;
}

// ---- accountant journals -------------------------------------------------------------------------

export interface JournalAccounts {
  clearing: string;
  sales: string;
  shipping: string;
  discounts: string;
  refunds: string;
  fees: string;
  tax: string;
}

export const XERO_DEFAULT_ACCOUNTS: JournalAccounts = {
  clearing: '1210', sales: '200', shipping: '260', discounts: '270', refunds: '280', fees: '404', tax: '820',
};
export const QBO_DEFAULT_ACCOUNTS: JournalAccounts = {
  clearing: 'Marketplace Clearing', sales: 'Sales', shipping: 'Shipping Income', discounts: 'Discounts Given',
  refunds: 'Refunds Given', fees: 'Marketplace Fees', tax: 'VAT Payable',
};
export const HLEDGER_DEFAULT_ACCOUNTS: JournalAccounts = {
  clearing: 'assets:marketplace-clearing', sales: 'income:sales', shipping: 'income:shipping', discounts: 'income:discounts',
  refunds: 'income:refunds', fees: 'expenses:marketplace-fees', tax: 'liabilities:tax-payable',
};

/**
 * The balanced postings of one summary row (positive = debit). Tax included in prices is moved from
 * sales to the tax account; tax added on top of prices (US marketplace-facilitator tax) is not the
 * seller's money and is not posted.
 */
export function journalLines(m: Metrics): Array<{ account: keyof JournalAccounts; amount: bigint }> {
  const clearing = m.gross + m.shipping - m.discounts - m.refunds - m.fees;
  const includedTax = clearing - m.net;
  const lines: Array<{ account: keyof JournalAccounts; amount: bigint }> = [
    { account: 'clearing', amount: clearing },
    { account: 'sales', amount: -(m.gross - includedTax) },
    { account: 'shipping', amount: -m.shipping },
    { account: 'discounts', amount: m.discounts },
    { account: 'refunds', amount: m.refunds },
    { account: 'fees', amount: m.fees },
    { account: 'tax', amount: -includedTax },
  ];
  return lines.filter((l) => l.amount !== 0n);
}

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

function describe(r: SalesRow): string {
  return ['sales', r.period, r.channel, r.marketplace, r.country, r.sku !== undefined ? r.sku || '(order level)' : undefined, r.sourceCurrency]
    .filter((x) => x !== undefined && x !== '')
    .join(' ');
}

const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
const mdy = (d: string) => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}`;

const LINE_LABELS: Record<keyof JournalAccounts, string> = {
  clearing: 'Marketplace clearing (money due from the marketplace)',
  sales: 'Sales, net of tax included in prices',
  shipping: 'Shipping charged',
  discounts: 'Discounts',
  refunds: 'Refunds',
  fees: 'Marketplace fees',
  tax: 'Tax included in prices',
};

export const XERO_COLUMNS = ['*Narration', '*Date', 'Description', '*AccountCode', '*TaxRate', '*Amount', 'TrackingName1', 'TrackingOption1'];

export function* xeroJournal(rows: readonly SalesRow[], range: { from: string; to: string }, accounts: JournalAccounts, taxRate: string): Generator<string> {
  const style: CsvStyle = { delimiter: ',', decimalComma: false, eol: '\r\n', bom: false };
  yield csvRecord(XERO_COLUMNS.map((text) => ({ text })), style);
  for (const r of rows) {
    const narration = `merchant ${describe(r)}`;
    const date = dmy(periodEnd(r.period, range.from, range.to));
    for (const l of journalLines(r.m)) {
      yield csvRecord([
        { text: narration }, { text: date }, { text: LINE_LABELS[l.account] }, { text: accounts[l.account] }, { text: taxRate },
        { number: amountText(l.amount, r.currency) }, { text: r.channel ? 'Channel' : '' }, { text: r.channel ?? '' },
      ], style);
    }
  }
}

export const QBO_COLUMNS = ['JournalNo', 'JournalDate', 'AccountName', 'Debits', 'Credits', 'Description', 'Name', 'Currency'];

export function* qboJournal(rows: readonly SalesRow[], range: { from: string; to: string }, accounts: JournalAccounts): Generator<string> {
  const style: CsvStyle = { delimiter: ',', decimalComma: false, eol: '\r\n', bom: false };
  yield csvRecord(QBO_COLUMNS.map((text) => ({ text })), style);
  let n = 0;
  for (const r of rows) {
    const lines = journalLines(r.m);
    if (!lines.length) continue;
    n++;
    const no = `MS-${String(n).padStart(4, '0')}`;
    const date = mdy(periodEnd(r.period, range.from, range.to));
    for (const l of lines) {
      const amt = l.amount < 0n ? -l.amount : l.amount;
      yield csvRecord([
        { text: no }, { text: date }, { text: accounts[l.account] },
        { number: l.amount > 0n ? amountText(amt, r.currency) : '' }, { number: l.amount < 0n ? amountText(amt, r.currency) : '' },
        { text: `merchant ${describe(r)}: ${LINE_LABELS[l.account]}` }, { text: r.channel ?? '' }, { text: r.currency },
      ], style);
    }
  }
}

function hledgerAccount(base: string, r: SalesRow): string {
  const suffix = r.channel ?? r.marketplace;
  return suffix ? `${base}:${suffix.replace(/[^A-Za-z0-9._-]/g, '-')}` : base;
}

/** An hledger journal: one balanced transaction per summary row, amounts with the commodity after. */
export function* hledgerJournal(rows: readonly SalesRow[], meta: { from: string; to: string; basis: string; currency: string }, accounts: JournalAccounts): Generator<string> {
  yield `; merchant report sales ${meta.from}..${meta.to} (currency: ${meta.currency})\n; ${meta.basis}\n\n`;
  const commodities = [...new Set(rows.map((r) => r.currency))].sort();
  // Display precision per commodity (its ISO 4217 exponent), so hledger shows JPY 0 and KWD 3 decimals.
  // hledger wants a decimal mark in the sample amount, even for zero-decimal currencies ("1000. JPY").
  for (const c of commodities) {
    const sample = amountText(100000n, c);
    yield `commodity ${sample.includes('.') ? sample : `${sample}.`} ${c}\n`;
  }
  if (commodities.length) yield '\n';
  for (const r of rows) {
    const lines = journalLines(r.m);
    if (!lines.length) continue;
    const date = periodEnd(r.period, meta.from, meta.to);
    const desc = describe(r).replace(/[;\n\r]/g, ' ');
    let text = `${date} merchant ${desc}\n`;
    for (const l of lines) {
      const account = l.account === 'clearing' || l.account === 'fees' || l.account === 'sales' ? hledgerAccount(accounts[l.account], r) : accounts[l.account];
      text += `    ${account.padEnd(44)}  ${amountText(l.amount, r.currency).padStart(16)} ${r.currency}\n`;
    }
    yield `${text}\n`;
  }
}
