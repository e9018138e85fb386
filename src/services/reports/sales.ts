// `report sales`: aggregates orders, lines, fees and refunds in SQL (one statement, index-driven),
// optionally converting every order, fee and refund at the rate of its own date, exactly, and
// rounding each converted amount once (half-up). Totals are the exact sums of the rows.

import { InvalidInputError, UsageError } from '../../core/errors.js';
import { isCurrency } from '../../core/currencies.js';
import { formatRatio, type Ratio } from '../../core/money.js';
import { crossRate } from '../fx/lookup.js';
import {
  addDays, isIsoDate, isoWeek, isTimeZone, localDate, localToUtcMs, offsetSpans, utcKey, dayMs,
} from '../../core/report-time.js';
import {
  METRICS, type Metrics, type OtherDim, type SalesRow, type TimeDim, summaryColumns, totalsByCurrency,
} from '../../core/report.js';
import { RateBook } from './rates.js';
import type { JournalRow } from '../../core/report-journal.js';
import { daysBetween } from '../../core/fx.js';
import { classifyOrders } from '../orders/tax-facts.js';
import { orderTaxPort } from '../orders/import.js';
import type { Repositories } from '../../ports/repositories.js';
import type { ReportRateRow, SalesQueryMode } from '../../ports/sales-report.js';

/** What a sales report reads: the report's queries, the exchange rates, and the orders' VAT facts (orders stored before 0140). */
export type SalesReportRepos = Pick<Repositories, 'salesReport' | 'fxRates' | 'orderTax'>;

/** SQLite integers arrive as BigInt (or a number); money and counts are BigInt here. */
function int(v: bigint | number | null | undefined): bigint {
  if (v === null || v === undefined) return 0n;
  return typeof v === 'bigint' ? v : BigInt(v);
}

export type DateBasis = 'order' | 'refund';

export interface SalesReportOptions {
  from: string;
  to: string;
  time?: TimeDim;
  dims: OtherDim[];
  channels?: string[];
  marketplaces?: string[];
  /** Convert into this currency; undefined = native currencies side by side. */
  currency?: string;
  dateBasis: DateBasis;
  /** Override the seller's time zone (default: business_profile.timezone, else UTC). */
  timezone?: string;
  /** Rates older than this many days for the day they convert are stale (fx.maxAgeDays); default 4. */
  maxAgeDays?: number;
  /** true: stale rates only warn (a terminal, or --allow-stale); false: they refuse the report (exit 3). */
  allowStale?: boolean;
}

/** The rates a converted report used: their publication dates, and the ones older than fx.maxAgeDays for their day. */
export interface RatesUsed {
  target: string;
  /** Earliest and latest publication date used. */
  first: string | null;
  last: string | null;
  maxAgeDays: number;
  /** The oldest rate for its day (days between the amount's date and the rate's publication). */
  oldestAgeDays: number;
  stale: Array<{ currency: string; forDate: string; rateDate: string; ageDays: number }>;
}

export interface SalesReportMeta {
  from: string;
  to: string;
  timezone: string;
  fromUtc: string;
  toUtcExclusive: string;
  groupBy: string[];
  currency: string | 'native';
  dateBasis: DateBasis;
  basis: string;
  rounding: string | null;
  columns: string[];
  /** With --currency: the rate dates actually used (set once the report ran). */
  rates?: RatesUsed;
  /** Refunds in the report whose date is the order date standing in for an unknown one (Shopify's orders export). */
  estimatedRefunds?: number;
  /** Orders whose VAT scheme was decided for this report (stored before tax facts existed) or could not be. */
  vat?: { decidedNow: number; unclassified: number; reasons: string[] };
}

export interface SalesReport {
  meta: SalesReportMeta;
  rows: SalesRow[];
  totals: Map<string, Metrics>;
}

export interface DetailRow {
  date: string;
  kind: 'sale' | 'fee' | 'refund';
  order: string;
  channel: string;
  marketplace: string;
  country: string;
  sku: string;
  currency: string;
  m: Metrics;
  sourceCurrency: string;
  rate: string;
  rateDate: string;
  vatScheme: string;
  /** Why a line deserves a second look (a refund dated at its order because the file had no refund date). */
  note: string;
}

export const DETAIL_COLUMNS = [
  'date', 'kind', 'order', 'channel', 'marketplace', 'country', 'sku', 'currency', ...METRICS, 'source_currency', 'rate', 'rate_date', 'vat_scheme', 'note',
];

export const ESTIMATED_REFUND_NOTE = 'refund date unknown (Shopify orders export): order date used';

/** What the report's file layouts need from the business profile: its country (Excel locale, QBO date format) and base currency (Xero, QBO). */
export function reportBusiness(repos: Pick<Repositories, 'salesReport'>): { country?: string; baseCurrency?: string } {
  return repos.salesReport.business();
}

/** Units of `home` per 1 `currency` on `date` (the latest publication on or before it), for QuickBooks' exchange-rate column. */
export function reportExchangeRate(repos: Pick<Repositories, 'fxRates'>, currency: string, home: string, date: string): Ratio | undefined {
  try {
    return crossRate(repos, currency, home, date).rate;
  } catch (e) {
    if (e instanceof InvalidInputError) return undefined;
    throw e;
  }
}

export function sellerTimezone(repos: Pick<Repositories, 'salesReport'>): string {
  return repos.salesReport.timezone() || 'UTC';
}

interface Built {
  meta: SalesReportMeta;
  sql: string;
  /** The events (orders, fees, refunds in the range) as a CTE body, for the exact stale-rate query. */
  eventsSql: string;
  params: Record<string, string>;
  rateSetup?: { currencies: string[]; dates: string[]; target: string };
}

function validate(repos: Pick<Repositories, 'salesReport'>, o: SalesReportOptions): { tz: string } {
  if (!isIsoDate(o.from)) throw new UsageError(`--from must be a date YYYY-MM-DD, got ${JSON.stringify(o.from)}`);
  if (!isIsoDate(o.to)) throw new UsageError(`--to must be a date YYYY-MM-DD, got ${JSON.stringify(o.to)}`);
  if (o.to < o.from) throw new UsageError(`--to ${o.to} is before --from ${o.from}`);
  if ((dayMs(o.to) - dayMs(o.from)) / 86_400_000 > 366 * 100) throw new UsageError('the date range is longer than 100 years');
  if (o.currency !== undefined && !isCurrency(o.currency)) {
    throw new UsageError(`--currency: unknown currency ${JSON.stringify(o.currency)} (an ISO 4217 code such as EUR, or "native")`);
  }
  const tz = o.timezone ?? sellerTimezone(repos);
  if (!isTimeZone(tz)) throw new UsageError(`unknown time zone ${JSON.stringify(tz)} (an IANA name such as Europe/Stockholm)`);
  return { tz };
}

export type BuildMode = SalesQueryMode;

export function buildSalesQuery(repos: Pick<Repositories, 'salesReport'>, o: SalesReportOptions, mode: BuildMode, opts: { vatTemp?: boolean } = {}): Built {
  const { tz } = validate(repos, o);
  const fromMs = localToUtcMs(tz, o.from);
  const toMs = localToUtcMs(tz, addDays(o.to, 1));
  const spans = offsetSpans(tz, fromMs, toMs);
  const params = { from: utcKey(fromMs), to: utcKey(toMs) };
  const q = repos.salesReport.query(
    { time: o.time, dims: o.dims, channels: o.channels, marketplaces: o.marketplaces, currency: o.currency, dateBasis: o.dateBasis, mode, spans, vatTemp: Boolean(opts.vatTemp), estimatedRefundNote: ESTIMATED_REFUND_NOTE },
    params,
  );
  const converting = o.currency !== undefined;
  const target = o.currency;
  const columns = summaryColumns(o.dims, converting);
  const groupBy = [...(o.time ? [o.time] : []), ...o.dims];
  const meta: SalesReportMeta = {
    from: o.from,
    to: o.to,
    timezone: tz,
    fromUtc: new Date(fromMs).toISOString(),
    toUtcExclusive: new Date(toMs).toISOString(),
    groupBy,
    currency: target ?? 'native',
    dateBasis: o.dateBasis,
    basis:
      o.dateBasis === 'refund'
        ? 'sales, discounts and fees by order date; refunds (and fees given back with them) by refund date; dates in the seller time zone'
        : 'sales, fees, discounts and refunds by order date (refunds follow their order); dates in the seller time zone',
    rounding: converting ? `each order, fee and refund converted into ${target} at the latest published rate on or before its date, rounded half-up once per amount; totals are sums of the rounded amounts` : null,
    columns: mode === 'detail' ? DETAIL_COLUMNS : columns,
  };

  let rateSetup: Built['rateSetup'];
  if (converting) {
    const currencies = repos.salesReport.currencies();
    const span = repos.salesReport.eventSpan(params);
    const dates: string[] = [];
    if (span.lo && span.hi) {
      const first = localDate(tz, span.lo) < o.from ? o.from : localDate(tz, span.lo);
      const last = localDate(tz, span.hi) > o.to ? o.to : localDate(tz, span.hi);
      for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
    }
    rateSetup = { currencies, dates, target: target! };
  }
  return { meta, sql: q.sql, eventsSql: q.eventsSql, params, rateSetup };
}

/** The exact minor-unit factor per (currency, local date) and the rate's age for that date; a (currency, date) without a rate is left out. */
function reportRates(setup: NonNullable<Built['rateSetup']>, book: RateBook, opts: { skipMissing: boolean }): ReportRateRow[] {
  const rows: ReportRateRow[] = [];
  for (const c of setup.currencies) {
    for (const d of setup.dates) {
      try {
        const r = book.lookup(c, setup.target, d);
        // A currency converted into itself (or a fixed euro rate) is never stale.
        const age = c === setup.target || r.fixed ? 0 : Math.max(0, daysBetween(r.rateDate, d));
        rows.push({ currency: c, date: d, num: r.minorFactor.num, den: r.minorFactor.den, rate: formatRatio(r.rate, 12), rateDate: r.rateDate, ageDays: age });
      } catch (e) {
        if (!opts.skipMissing || !(e instanceof InvalidInputError)) throw e;
        // Left out: only an error if an amount on that date needs it (checked after the query).
      }
    }
  }
  return rows;
}

/** Fill the report's rate table (temp.report_rates). */
function prepareRates(repos: SalesReportRepos, setup: NonNullable<Built['rateSetup']>, book: RateBook): void {
  repos.salesReport.loadRates(reportRates(setup, book, { skipMissing: true }));
}

/**
 * Orders in the report without a stored VAT decision (stored before migration 0140): decide them for
 * this report in a temporary table — a read never writes the database.
 */
function prepareVat(repos: SalesReportRepos, built: Built): { vatTemp: boolean; decidedNow: number; unclassified: number; reasons: string[] } {
  const ids = repos.salesReport.undecidedVatOrderIds(built.params);
  if (!ids.length) return { vatTemp: false, decidedNow: 0, unclassified: 0, reasons: [] };
  const port = orderTaxPort(repos);
  let decidedNow = 0;
  let unclassified = 0;
  const reasons = new Set<string>();
  // In batches: the facts of every undecided order at once took 500 MB for 400,000 orders.
  for (let at = 0; at < ids.length; at += VAT_BATCH) {
    const rows: Array<{ orderId: bigint; scheme: string; country: string; collector: string }> = [];
    for (const [id, v] of classifyOrders(port, ids.slice(at, at + VAT_BATCH))) {
      if (v.decision) {
        decidedNow++;
        rows.push({ orderId: BigInt(id), scheme: v.decision.scheme, country: v.decision.country, collector: v.decision.collector });
      } else {
        unclassified++;
        if (v.missing) reasons.add(v.missing);
      }
    }
    repos.salesReport.loadVat(rows, { append: at > 0 });
  }
  return { vatTemp: true, decidedNow, unclassified, reasons: [...reasons] };
}

/** Orders whose VAT a report decides at a time. */
const VAT_BATCH = 5000;

/**
 * What a converted report's rows say about the rates used, and the stale ones (older than maxAgeDays
 * for their day). The stale list comes from the amounts actually converted (a second, cheap pass only
 * when the oldest rate is stale), not from every day and currency the rate table was filled for.
 */
function ratesUsed(repos: SalesReportRepos, o: SalesReportOptions, raw: Array<Record<string, unknown>>, built: Built): RatesUsed | undefined {
  if (o.currency === undefined) return undefined;
  const maxAgeDays = o.maxAgeDays ?? 4;
  let first: string | null = null;
  let last: string | null = null;
  let oldest = 0;
  for (const r of raw) {
    if (typeof r.first_rate === 'string' && (first === null || r.first_rate < first)) first = r.first_rate;
    if (typeof r.last_rate === 'string' && (last === null || r.last_rate > last)) last = r.last_rate;
    const age = r.max_age === null || r.max_age === undefined ? 0 : Number(r.max_age);
    if (age > oldest) oldest = age;
  }
  const stale = oldest > maxAgeDays ? repos.salesReport.staleRates(built, maxAgeDays) : [];
  return { target: o.currency, first, last, maxAgeDays, oldestAgeDays: oldest, stale };
}

/** Refuse (exit 3) a report converted at stale rates unless they were allowed (a terminal, or --allow-stale). */
function checkStale(o: SalesReportOptions, rates: RatesUsed | undefined): void {
  if (!rates || !rates.stale.length || o.allowStale) return;
  const worst = rates.stale[0]!;
  throw new InvalidInputError(
    `exchange rates are stale: ${worst.currency}→${rates.target} for ${worst.forDate} uses the rate of ${worst.rateDate}, ${worst.ageDays} days older (fx.maxAgeDays is ${rates.maxAgeDays}); no report was written`,
    {
      hints: ['run `merchant fx update` (or `merchant fx update --file eurofxref-hist.csv` for past dates) and report again', 'or pass --allow-stale to convert with these rates anyway'],
      details: { stale: rates.stale },
    },
  );
}

/** The SQL a report runs, with the rate table it needs, for the benchmark's sqlite3 baseline. */
export function salesReportScript(repos: SalesReportRepos, o: SalesReportOptions): string {
  const built = buildSalesQuery(repos, o, 'summary');
  const rates = built.rateSetup ? reportRates(built.rateSetup, new RateBook(repos), { skipMissing: false }) : undefined;
  return repos.salesReport.script(built, rates);
}

function moneyOf(v: unknown, what: string): bigint {
  if (typeof v === 'number' && !Number.isInteger(v)) {
    throw new InvalidInputError(`an amount is too large to convert exactly in ${what} (64-bit overflow)`, {
      hints: ['report a shorter period or convert fewer currencies at a time'],
    });
  }
  return int(v as bigint | number | null);
}

function metricsOf(row: Record<string, unknown>): Metrics {
  return {
    orders: moneyOf(row.orders ?? row.n, 'orders'),
    units: moneyOf(row.units, 'units'),
    gross: moneyOf(row.gross, 'gross'),
    discounts: moneyOf(row.disc, 'discounts'),
    refunds: moneyOf(row.refunds, 'refunds'),
    fees: moneyOf(row.fees, 'fees'),
    shipping: moneyOf(row.ship, 'shipping'),
    tax: moneyOf(row.tax, 'tax'),
    net: moneyOf(row.net, 'net'),
  };
}

function missingRateError(repos: SalesReportRepos, o: SalesReportOptions, book: RateBook): never {
  // The first amount whose (currency, date) has no rate: let the rate lookup say why, with its hints.
  const detail = buildSalesQuery(repos, o, 'detail');
  const first = repos.salesReport.firstMissingRate(detail);
  if (first) book.lookup(first.cur, o.currency!, first.date);
  throw new InvalidInputError('an exchange rate needed by the report is missing');
}

export function salesReport(repos: SalesReportRepos, o: SalesReportOptions): SalesReport {
  const vat = o.dims.includes('vat-scheme') ? prepareVat(repos, buildSalesQuery(repos, o, 'summary')) : undefined;
  const built = buildSalesQuery(repos, o, 'summary', { vatTemp: vat?.vatTemp ?? false });
  const book = new RateBook(repos);
  if (built.rateSetup) prepareRates(repos, built.rateSetup, book);
  const raw = repos.salesReport.rows(built);
  const converting = o.currency !== undefined;
  if (converting && raw.some((r) => int(r.missing as bigint) > 0n)) missingRateError(repos, o, book);
  const rates = ratesUsed(repos, o, raw, built);
  checkStale(o, rates);
  const rows: SalesRow[] = raw.filter((r) => !allZero(r)).map((r) => rowOf(o, r));
  const meta: SalesReportMeta = { ...built.meta, ...(rates ? { rates } : {}), estimatedRefunds: countEstimatedRefunds(repos, o, built) };
  if (vat) meta.vat = { decidedNow: vat.decidedNow, unclassified: vat.unclassified, reasons: vat.reasons };
  return { meta, rows, totals: totalsByCurrency(rows) };
}

function rowOf(o: SalesReportOptions, r: Record<string, unknown>): SalesRow {
  const converting = o.currency !== undefined;
  const row: SalesRow = {
    period: periodLabel(o, String(r.period ?? '')),
    currency: converting ? o.currency! : String(r.cur),
    m: metricsOf(r),
  };
  if (o.dims.includes('channel')) row.channel = String(r.channel ?? '');
  if (o.dims.includes('marketplace')) row.marketplace = String(r.marketplace ?? '');
  if (o.dims.includes('vat-scheme')) row.vatScheme = String(r.vat_scheme ?? '');
  if (o.dims.includes('country')) row.country = String(r.country ?? '');
  if (o.dims.includes('sku')) row.sku = String(r.sku ?? '');
  if (converting && o.dims.includes('currency')) row.sourceCurrency = String(r.cur);
  return row;
}

/** Refunds in the report dated at their order because the file had no refund date. */
function countEstimatedRefunds(repos: SalesReportRepos, o: SalesReportOptions, built: Built): number {
  return repos.salesReport.estimatedRefunds({ dateBasis: o.dateBasis, channels: o.channels, marketplaces: o.marketplaces }, built.params);
}

export interface SalesJournal {
  meta: SalesReportMeta;
  rows: JournalRow[];
  totals: Map<string, Metrics>;
}

/**
 * The rows of the accountant journals: the summary split by VAT scheme, the country whose VAT is due,
 * and who collected it, with the VAT in shipping, discounts and refunds and any tax added on top.
 */
export function salesJournal(repos: SalesReportRepos, o: SalesReportOptions): SalesJournal {
  if (o.dims.includes('sku')) throw new UsageError('the journal profiles post per period, channel, marketplace or country, not per SKU', { hints: ['drop sku from --group-by, or use --profile plain/excel for a SKU report'] });
  const vat = prepareVat(repos, buildSalesQuery(repos, o, 'journal'));
  const built = buildSalesQuery(repos, o, 'journal', { vatTemp: vat.vatTemp });
  const book = new RateBook(repos);
  if (built.rateSetup) prepareRates(repos, built.rateSetup, book);
  const raw = repos.salesReport.rows(built);
  if (o.currency !== undefined && raw.some((r) => int(r.missing as bigint) > 0n)) missingRateError(repos, o, book);
  const rates = ratesUsed(repos, o, raw, built);
  checkStale(o, rates);
  const rows: JournalRow[] = raw.filter((r) => !allZero(r)).map((r) => ({
    ...rowOf(o, r),
    vatScheme: String(r.vat_scheme),
    vatCountry: String(r.vat_country ?? ''),
    collector: String(r.collector),
    split: {
      shippingTax: moneyOf(r.stax, 'shipping tax'),
      discountTax: moneyOf(r.dtax, 'discount tax'),
      refundTax: moneyOf(r.rtax, 'refund tax'),
      topTax: moneyOf(r.otax, 'tax on top'),
      refundTopTax: moneyOf(r.rotax, 'refunded tax on top'),
    },
  }));
  const meta: SalesReportMeta = { ...built.meta, ...(rates ? { rates } : {}), estimatedRefunds: countEstimatedRefunds(repos, o, built), vat: { decidedNow: vat.decidedNow, unclassified: vat.unclassified, reasons: vat.reasons } };
  return { meta, rows, totals: totalsByCurrency(rows) };
}

/** A group whose every figure is zero (an order-level remainder with nothing in it) is not a row. */
function allZero(r: Record<string, unknown>): boolean {
  return ['orders', 'units', 'gross', 'disc', 'refunds', 'fees', 'ship', 'tax', 'net'].every((k) => r[k] === 0n || r[k] === 0 || r[k] === null);
}

function periodLabel(o: SalesReportOptions, raw: string): string {
  if (!o.time) return `${o.from}/${o.to}`;
  if (o.time === 'week') return isoWeek(raw);
  return raw;
}

/**
 * One row per order, fee and refund, with the rate, rate date and VAT scheme of each and a note where a
 * date is estimated. Everything that can refuse the report (a missing or stale rate) is checked before
 * the first row is produced, so nothing half-written reaches the output.
 */
export function prepareSalesDetail(repos: SalesReportRepos, o: SalesReportOptions): { meta: SalesReportMeta; rows: () => Generator<DetailRow, void, undefined> } {
  const vat = prepareVat(repos, buildSalesQuery(repos, o, 'detail'));
  const built = buildSalesQuery(repos, o, 'detail', { vatTemp: vat.vatTemp });
  const book = new RateBook(repos);
  if (built.rateSetup) prepareRates(repos, built.rateSetup, book);
  const converting = o.currency !== undefined;
  let rates: RatesUsed | undefined;
  if (converting) {
    const agg = repos.salesReport.detailRates(built, o.currency!);
    if (int(agg.missing as bigint | null) > 0n) missingRateError(repos, o, book);
    rates = ratesUsed(repos, o, [agg], built);
    checkStale(o, rates);
  }
  const meta: SalesReportMeta = { ...built.meta, ...(rates ? { rates } : {}), estimatedRefunds: countEstimatedRefunds(repos, o, built), vat: { decidedNow: vat.decidedNow, unclassified: vat.unclassified, reasons: vat.reasons } };
  function* rows(): Generator<DetailRow, void, undefined> {
    for (const r of repos.salesReport.iterate(built)) {
      yield {
        date: String(r.date),
        kind: r.kind as DetailRow['kind'],
        order: String(r.ext),
        channel: String(r.ch),
        marketplace: String(r.mp),
        country: String(r.cc ?? ''),
        sku: String(r.sku ?? ''),
        currency: converting ? o.currency! : String(r.cur),
        m: metricsOf(r),
        sourceCurrency: String(r.cur),
        rate: converting ? String(r.rate) : '1',
        rateDate: converting ? String(r.rate_date) : '',
        vatScheme: String(r.vs ?? '') || 'unclassified',
        note: String(r.note ?? ''),
      };
    }
  }
  return { meta, rows };
}
