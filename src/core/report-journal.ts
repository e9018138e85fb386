// The accountant journals (Xero manual journals, QuickBooks Online journal entries, hledger): what each
// summary row posts, split by VAT scheme. Pure: rows in, text out.
//
// Postings (positive = debit), per VAT scheme and country of one report row:
//   clearing   what the marketplace (or payment provider) owes: gross + shipping − discounts − refunds
//              − fees, plus tax added on top that the seller collected, less the VAT a marketplace kept
//   sales      gross less the VAT in it                                        (credit)
//   shipping   shipping less the VAT in it                                     (credit)
//   discounts  discounts less the VAT in them: the VAT was taken out of sales  (debit)
//   refunds    refunds less their VAT                                          (debit)
//   fees       marketplace fees                                                (debit)
//   vat        the VAT (or tax on top) the seller collected — its liability     (credit)
//   vatRefunds the VAT given back with refunds: it reverses the VAT account, not sales (debit)
// A marketplace that is the deemed supplier (or facilitator) keeps the VAT: no VAT lines, and the
// clearing is net of it. Every journal balances by construction: the lines are built from the same
// (converted, rounded) amounts and the clearing is their exact sum.

import { formatAmount, formatRatio, parseDecimal, rMul, ratio, roundRatio, type Ratio } from './money.js';
import type { Metrics, SalesRow } from './report.js';
import { periodEnd, amountText, csvRecord, type CsvStyle } from './report-format.js';

/** The VAT a row's figures hold beyond the summary metrics (minor units of the row's currency). */
export interface TaxSplit {
  /** VAT included in the shipping charged. */
  shippingTax: bigint;
  /** VAT included in the discounts. */
  discountTax: bigint;
  /** VAT in the refunds (prices including VAT). */
  refundTax: bigint;
  /** Tax added on top of prices, and the part of it refunded. */
  topTax: bigint;
  refundTopTax: bigint;
}

export interface JournalRow extends SalesRow {
  /** domestic, oss, ioss, uk, voec, gst, ch, marketplace, import, unclassified */
  vatScheme: string;
  /** The country whose VAT is due (XI = Northern Ireland). */
  vatCountry: string;
  /** seller | marketplace | import */
  collector: string;
  split: TaxSplit;
}

export type PostingKind = 'clearing' | 'sales' | 'shipping' | 'discounts' | 'refunds' | 'fees' | 'vat' | 'vatRefunds';

export interface Posting {
  kind: PostingKind;
  /** Debit positive, credit negative. */
  amount: bigint;
}

export const SCHEME_LABELS: Record<string, string> = {
  domestic: 'Domestic', oss: 'OSS', ioss: 'IOSS', uk: 'UK VAT', voec: 'VOEC', gst: 'GST', ch: 'CH VAT',
  marketplace: 'Marketplace-collected', import: 'Export / VAT at import', unclassified: 'Unclassified',
};

/** Every value the journal rows' vatScheme takes (the VAT schemes and 'unclassified'). */
export const VAT_SCHEME_KEYS: readonly string[] = ['domestic', 'oss', 'ioss', 'uk', 'voec', 'gst', 'ch', 'marketplace', 'import', 'unclassified'];

/** The schemes whose VAT is declared per destination country (one account per member state). */
export const PER_COUNTRY_SCHEMES: ReadonlySet<string> = new Set(['oss', 'ioss']);

/** The VAT included in the order prices (goods and shipping) of a row, before refunds. */
export function includedOrderTax(m: Metrics, s: TaxSplit): bigint {
  // m.tax = included + on top − refunded (included) − refunded (on top)
  return m.tax + s.refundTax + s.refundTopTax - s.topTax;
}

/** The balanced postings of one journal row (zero lines left out). */
export function journalPostings(r: JournalRow): Posting[] {
  const { m, split: s } = r;
  const incl = includedOrderTax(m, s);
  const itemTax = incl - s.shippingTax;
  const grossTax = itemTax + s.discountTax;
  const seller = r.collector !== 'marketplace';
  const lines: Posting[] = [
    { kind: 'sales', amount: -(m.gross - grossTax) },
    { kind: 'shipping', amount: -(m.shipping - s.shippingTax) },
    { kind: 'discounts', amount: m.discounts - s.discountTax },
    { kind: 'refunds', amount: m.refunds - s.refundTax },
    { kind: 'fees', amount: m.fees },
  ];
  if (seller) {
    lines.push({ kind: 'vat', amount: -(incl + s.topTax) });
    lines.push({ kind: 'vatRefunds', amount: s.refundTax + s.refundTopTax });
  }
  const clearing = -lines.reduce((a, l) => a + l.amount, 0n);
  const all: Posting[] = [{ kind: 'clearing', amount: clearing }, ...lines];
  return all.filter((l) => l.amount !== 0n);
}

/** Rows that share the user's grouping (period, channel, marketplace, country, source currency) form one journal. */
export function journalsOf(rows: readonly JournalRow[]): JournalRow[][] {
  const out = new Map<string, JournalRow[]>();
  for (const r of rows) {
    const key = [r.period, r.channel, r.marketplace, r.country, r.sourceCurrency, r.currency].map((x) => x ?? '').join('\u0001');
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return [...out.values()];
}

function describe(r: SalesRow): string {
  return ['sales', r.period, r.channel, r.marketplace, r.country, r.sourceCurrency].filter((x) => x !== undefined && x !== '').join(' ');
}

const LINE_LABELS: Record<PostingKind, string> = {
  clearing: 'Marketplace clearing (money due from the marketplace)',
  sales: 'Sales, net of VAT',
  shipping: 'Shipping charged, net of VAT',
  discounts: 'Discounts, net of VAT',
  refunds: 'Refunds, net of VAT',
  fees: 'Marketplace fees',
  vat: 'VAT collected',
  vatRefunds: 'VAT given back with refunds',
};

function lineLabel(kind: PostingKind, r: JournalRow): string {
  if (kind === 'clearing' || kind === 'fees') return LINE_LABELS[kind];
  const scheme = SCHEME_LABELS[r.vatScheme] ?? r.vatScheme;
  const country = PER_COUNTRY_SCHEMES.has(r.vatScheme) || r.vatScheme === 'domestic' ? ` ${r.vatCountry}` : '';
  return `${LINE_LABELS[kind]} (${scheme}${country})`;
}

// ---- hledger ------------------------------------------------------------------------------------

export interface HledgerAccounts {
  clearing: string;
  sales: string;
  shipping: string;
  discounts: string;
  refunds: string;
  fees: string;
  tax: string;
}

export const HLEDGER_DEFAULT_ACCOUNTS: HledgerAccounts = {
  clearing: 'assets:marketplace-clearing', sales: 'income:sales', shipping: 'income:shipping', discounts: 'income:discounts',
  refunds: 'income:refunds', fees: 'expenses:marketplace-fees', tax: 'liabilities:tax-payable',
};

const seg = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '-').toLowerCase();

/** The hledger account of a posting: clearing and fees per channel, sales and VAT per scheme (and member state for OSS/IOSS). */
export function hledgerAccount(a: HledgerAccounts, kind: PostingKind, r: JournalRow): string {
  const channel = r.channel ?? r.marketplace;
  const scheme = seg(r.vatScheme);
  const country = PER_COUNTRY_SCHEMES.has(r.vatScheme) && r.vatCountry ? `:${seg(r.vatCountry)}` : '';
  switch (kind) {
    case 'clearing':
      return channel ? `${a.clearing}:${seg(channel)}` : a.clearing;
    case 'fees':
      return channel ? `${a.fees}:${seg(channel)}` : a.fees;
    case 'sales':
      return `${a.sales}:${scheme}${country}`;
    case 'vat':
    case 'vatRefunds':
      return `${a.tax}:${scheme}${country}`;
    default:
      return a[kind];
  }
}

const ACCOUNT_TYPES: Record<PostingKind, string> = {
  clearing: 'A', sales: 'R', shipping: 'R', discounts: 'R', refunds: 'R', fees: 'X', vat: 'L', vatRefunds: 'L',
};

/**
 * An hledger journal: `commodity` and `account` directives for everything it uses (so `hledger check
 * --strict` passes), then one balanced transaction per journal, dated the last day of its period.
 */
export function* hledgerJournal(rows: readonly JournalRow[], meta: { from: string; to: string; basis: string; currency: string }, accounts: HledgerAccounts): Generator<string> {
  yield `; merchant report sales ${meta.from}..${meta.to} (currency: ${meta.currency})\n; ${meta.basis}\n\n`;
  const commodities = [...new Set(rows.map((r) => r.currency))].sort();
  // Display precision per commodity (its ISO 4217 exponent), so hledger shows JPY 0 and KWD 3 decimals.
  // hledger wants a decimal mark in the sample amount, even for zero-decimal currencies ("1000. JPY").
  for (const c of commodities) {
    const sample = amountText(100000n, c);
    yield `commodity ${sample.includes('.') ? sample : `${sample}.`} ${c}\n`;
  }
  if (commodities.length) yield '\n';
  const used = new Map<string, string>();
  const journals = journalsOf(rows).map((group) => group.map((r) => ({ r, lines: journalPostings(r) })));
  for (const j of journals) for (const { r, lines } of j) for (const l of lines) used.set(hledgerAccount(accounts, l.kind, r), ACCOUNT_TYPES[l.kind]);
  for (const [name, type] of [...used.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) yield `account ${name}  ; type: ${type}\n`;
  if (used.size) yield '\n';
  for (const j of journals) {
    const lines = j.flatMap(({ r, lines: ls }) => ls.map((l) => ({ r, l })));
    if (!lines.length) continue;
    const first = j[0]!.r;
    const date = periodEnd(first.period, meta.from, meta.to);
    const desc = describe(first).replace(/[;\n\r|]/g, ' ');
    let text = `${date} merchant ${desc}\n`;
    // One posting per account: lines of several schemes on the same account (clearing, shipping…) add up.
    const byAccount = new Map<string, bigint>();
    for (const { r, l } of lines) {
      const acc = hledgerAccount(accounts, l.kind, r);
      byAccount.set(acc, (byAccount.get(acc) ?? 0n) + l.amount);
    }
    for (const [acc, amount] of byAccount) {
      if (amount === 0n) continue;
      text += `    ${acc.padEnd(48)}  ${amountText(amount, first.currency).padStart(16)} ${first.currency}\n`;
    }
    yield `${text}\n`;
  }
}

// ---- Xero manual journals -----------------------------------------------------------------------

export interface XeroChart {
  clearing: string;
  shipping: string;
  discounts: string;
  refunds: string;
  fees: string;
  /** Sales account code per VAT scheme. */
  sales: Record<string, string>;
  /** VAT liability account code per VAT scheme (and per country: `oss.DE`), for VAT not posted through a tax rate. */
  vat: Record<string, string>;
  /** Xero tax rate name per VAT scheme for the sales, shipping, discount and refund lines ('No VAT' = none). */
  taxRates: Record<string, string>;
  /** Tax rate of the lines without VAT (clearing, fees, explicit VAT lines). */
  noTax: string;
}

export const XERO_DEFAULT_CHART: XeroChart = {
  clearing: '1210', shipping: '260', discounts: '270', refunds: '280', fees: '404',
  sales: { domestic: '200', oss: '201', ioss: '202', uk: '203', voec: '204', gst: '204', ch: '204', marketplace: '205', import: '206', unclassified: '200' },
  vat: { domestic: '820', oss: '825', ioss: '826', uk: '827', voec: '828', gst: '828', ch: '828', import: '820', unclassified: '820' },
  taxRates: {},
  noTax: 'No VAT',
};

/** The percentage a Xero tax rate name carries ("20% (VAT on Income)" → 0.2; "GST on Income@10%" → 0.1); undefined for none. */
export function taxRatePercent(name: string): Ratio | undefined {
  const m = /(\d+(?:\.\d+)?)\s*%/.exec(name);
  if (!m) return undefined;
  const r = parseDecimal(m[1]!);
  return r.num === 0n ? undefined : rMul(r, ratio(1n, 100n));
}

/** Xero writes a tax-rated line's VAT as the line amount × rate, rounded half away from zero to the cent. */
function xeroTax(amount: bigint, rate: Ratio): bigint {
  return roundRatio(rMul(ratio(amount), rate), 'halfUp');
}

export const XERO_COLUMNS = ['*Narration', '*Date', 'Description', '*AccountCode', '*TaxRate', '*Amount', 'TrackingName1', 'TrackingOption1', 'TrackingName2', 'TrackingOption2'];

export interface XeroLine {
  narration: string;
  date: string;
  description: string;
  account: string;
  taxRate: string;
  amount: bigint;
  channel?: string;
  vatCountry?: string;
}

export interface XeroWarning {
  journal: string;
  message: string;
}

/**
 * The Xero lines of the journals. A scheme whose tax rate carries a percentage posts its sales,
 * shipping, discount and refund lines net with that tax rate — Xero adds the VAT to its VAT account
 * and its VAT return — and no VAT line of its own; where Xero's rounding per line differs from the
 * VAT actually charged, the difference goes to the scheme's VAT account without a tax rate, so the
 * journal still balances and the VAT account holds the real figure. Other schemes post the VAT to
 * their liability account explicitly.
 */
export function xeroLines(rows: readonly JournalRow[], range: { from: string; to: string }, chart: XeroChart, warnings: XeroWarning[] = []): XeroLine[] {
  const out: XeroLine[] = [];
  for (const j of journalsOf(rows)) {
    const first = j[0]!;
    const narration = `merchant ${describe(first)}`;
    const ymd = periodEnd(first.period, range.from, range.to);
    const date = `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;
    const merged = new Map<string, XeroLine>();
    const add = (l: XeroLine) => {
      const key = [l.account, l.taxRate, l.vatCountry ?? '', l.description].join('\u0001');
      const prev = merged.get(key);
      if (prev) prev.amount += l.amount;
      else merged.set(key, { ...l });
    };
    for (const r of j) {
      const taxRate = chart.taxRates[r.vatScheme] ?? chart.noTax;
      const pct = r.collector !== 'marketplace' ? taxRatePercent(taxRate) : undefined;
      const vatAccount = chart.vat[`${r.vatScheme}.${r.vatCountry}`] ?? chart.vat[r.vatScheme] ?? chart.vat.domestic!;
      const vc = PER_COUNTRY_SCHEMES.has(r.vatScheme) || r.vatScheme === 'domestic' ? r.vatCountry : undefined;
      let xeroVat = 0n;
      let ourVat = 0n;
      for (const p of journalPostings(r)) {
        // Clearing and fees are one line per journal; the VAT-bearing lines carry their scheme's country.
        const perScheme = p.kind !== 'clearing' && p.kind !== 'fees';
        const base = { narration, date, description: lineLabel(p.kind, r), amount: p.amount, ...(r.channel ? { channel: r.channel } : {}), ...(vc && perScheme ? { vatCountry: vc } : {}) };
        switch (p.kind) {
          case 'clearing':
            add({ ...base, account: chart.clearing, taxRate: chart.noTax });
            break;
          case 'fees':
            add({ ...base, account: chart.fees, taxRate: chart.noTax });
            break;
          case 'vat':
          case 'vatRefunds':
            if (pct) ourVat += p.amount;
            else add({ ...base, account: vatAccount, taxRate: chart.noTax });
            break;
          default: {
            const account = p.kind === 'sales' ? chart.sales[r.vatScheme] ?? chart.sales.domestic! : chart[p.kind];
            add({ ...base, account, taxRate: pct ? taxRate : chart.noTax });
            if (pct) xeroVat += xeroTax(p.amount, pct);
          }
        }
      }
      const diff = ourVat - xeroVat;
      if (pct && diff !== 0n) {
        add({ narration, date, description: `VAT rounding: charged less Xero's ${taxRate} (${SCHEME_LABELS[r.vatScheme] ?? r.vatScheme})`, account: vatAccount, taxRate: chart.noTax, amount: diff, ...(r.channel ? { channel: r.channel } : {}), ...(vc ? { vatCountry: vc } : {}) });
        // Rounding per order can move a cent per order; more means the sales were not all at this rate.
        if ((diff < 0n ? -diff : diff) > r.m.orders + 1n) {
          warnings.push({ journal: narration, message: `VAT charged on ${SCHEME_LABELS[r.vatScheme] ?? r.vatScheme} sales differs from Xero's ${taxRate} by ${formatAmount({ minor: diff < 0n ? -diff : diff, currency: r.currency })} ${r.currency}: sales at another rate are in it; the difference is posted to account ${vatAccount} without a tax rate — set report.xero.taxRate.${r.vatScheme} or split the reduced-rate sales` });
        }
      }
    }
    for (const l of merged.values()) if (l.amount !== 0n) out.push(l);
  }
  return out;
}

export function* xeroJournal(lines: readonly XeroLine[], currency: string): Generator<string> {
  const style: CsvStyle = { delimiter: ',', decimalComma: false, eol: '\r\n', bom: false };
  yield csvRecord(XERO_COLUMNS.map((text) => ({ text })), style);
  for (const l of lines) {
    yield csvRecord([
      { text: l.narration }, { text: l.date }, { text: l.description }, { text: l.account }, { text: l.taxRate },
      { number: amountText(l.amount, currency) }, { text: l.channel ? 'Channel' : '' }, { text: l.channel ?? '' },
      { text: l.vatCountry ? 'VAT country' : '' }, { text: l.vatCountry ?? '' },
    ], style);
  }
}

// ---- QuickBooks Online journal entries ----------------------------------------------------------

export interface QboChart {
  clearing: string;
  shipping: string;
  discounts: string;
  refunds: string;
  fees: string;
  sales: Record<string, string>;
  vat: Record<string, string>;
}

export const QBO_DEFAULT_CHART: QboChart = {
  clearing: 'Marketplace Clearing', shipping: 'Shipping Income', discounts: 'Discounts Given', refunds: 'Refunds Given', fees: 'Marketplace Fees',
  sales: {}, vat: {},
};

/** The QBO account of a sales or VAT line: configured per scheme, else "Sales:OSS", "VAT Payable:OSS DE". */
function qboAccount(chart: QboChart, kind: 'sales' | 'vat', r: JournalRow): string {
  const table = chart[kind];
  const configured = table[`${r.vatScheme}.${r.vatCountry}`] ?? table[r.vatScheme];
  if (configured) return configured;
  const label = SCHEME_LABELS[r.vatScheme] ?? r.vatScheme;
  const country = PER_COUNTRY_SCHEMES.has(r.vatScheme) ? ` ${r.vatCountry}` : '';
  return kind === 'sales' ? `Sales:${label}${country}` : `VAT Payable:${label}${country}`;
}

export const QBO_COLUMNS = ['JournalNo', 'JournalDate', 'AccountName', 'Debits', 'Credits', 'Description', 'Name', 'Currency', 'Exchange Rate'];

/**
 * QuickBooks Online journal entries: dates in the company's format (MM/DD/YYYY for a US company,
 * DD/MM/YYYY elsewhere), and for a journal in another currency than the home currency its exchange
 * rate (home currency per 1 unit, as QuickBooks wants it).
 */
export function* qboJournal(
  rows: readonly JournalRow[],
  range: { from: string; to: string },
  chart: QboChart,
  opts: { dateFormat: 'mdy' | 'dmy'; homeCurrency?: string; exchangeRate?: (currency: string, date: string) => Ratio | undefined },
): Generator<string> {
  const style: CsvStyle = { delimiter: ',', decimalComma: false, eol: '\r\n', bom: false };
  yield csvRecord(QBO_COLUMNS.map((text) => ({ text })), style);
  let n = 0;
  for (const j of journalsOf(rows)) {
    const first = j[0]!;
    const lines = j.flatMap((r) => journalPostings(r).map((l) => ({ r, l })));
    if (!lines.length) continue;
    n++;
    const no = `MS-${String(n).padStart(4, '0')}`;
    const ymd = periodEnd(first.period, range.from, range.to);
    const date = opts.dateFormat === 'mdy' ? `${ymd.slice(5, 7)}/${ymd.slice(8, 10)}/${ymd.slice(0, 4)}` : `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;
    let rate = '';
    if (opts.homeCurrency && first.currency !== opts.homeCurrency) {
      const r = opts.exchangeRate?.(first.currency, ymd);
      rate = r ? formatRatio(r, 6) : '';
    }
    const byAccount = new Map<string, { amount: bigint; text: string }>();
    for (const { r, l } of lines) {
      const account = l.kind === 'sales' ? qboAccount(chart, 'sales', r) : l.kind === 'vat' || l.kind === 'vatRefunds' ? qboAccount(chart, 'vat', r) : chart[l.kind];
      const key = `${account}\u0001${lineLabel(l.kind, r)}`;
      const prev = byAccount.get(key);
      if (prev) prev.amount += l.amount;
      else byAccount.set(key, { amount: l.amount, text: lineLabel(l.kind, r) });
    }
    for (const [key, { amount, text }] of byAccount) {
      if (amount === 0n) continue;
      const account = key.split('\u0001')[0]!;
      const abs = amount < 0n ? -amount : amount;
      yield csvRecord([
        { text: no }, { text: date }, { text: account },
        { number: amount > 0n ? amountText(abs, first.currency) : '' }, { number: amount < 0n ? amountText(abs, first.currency) : '' },
        { text: `merchant ${describe(first)}: ${text}` }, { text: first.channel ?? '' }, { text: first.currency }, { number: rate },
      ], style);
    }
  }
}
