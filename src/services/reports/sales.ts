// `report sales`: aggregates orders, lines, fees and refunds in SQL (one statement, index-driven),
// optionally converting every order, fee and refund at the rate of its own date, exactly, and
// rounding each converted amount once (half-up). Totals are the exact sums of the rows.

import type { Store } from '../../store/db.js';
import { big } from '../../store/db.js';
import { InvalidInputError, UsageError } from '../../core/errors.js';
import { CHANNELS } from '../../core/channels.js';
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

const EXCLUDED_STATUSES = `('cancelled', 'canceled', 'voided')`;

/** What the report's file layouts need from the business profile: its country (Excel locale, QBO date format) and base currency (Xero, QBO). */
export function reportBusiness(store: Store): { country?: string; baseCurrency?: string } {
  const row = store.db.prepare('SELECT country, base_currency FROM business_profile WHERE id = 1').get() as { country: string; base_currency: string } | undefined;
  return row ? { country: row.country, baseCurrency: row.base_currency } : {};
}

/** Units of `home` per 1 `currency` on `date` (the latest publication on or before it), for QuickBooks' exchange-rate column. */
export function reportExchangeRate(store: Store, currency: string, home: string, date: string): Ratio | undefined {
  try {
    return crossRate(store, currency, home, date).rate;
  } catch (e) {
    if (e instanceof InvalidInputError) return undefined;
    throw e;
  }
}

export function sellerTimezone(store: Store): string {
  const row = store.db.prepare('SELECT timezone FROM business_profile WHERE id = 1').get() as { timezone: string } | undefined;
  return row?.timezone || 'UTC';
}

interface Built {
  meta: SalesReportMeta;
  sql: string;
  /** The events (orders, fees, refunds in the range) as a CTE body, for the exact stale-rate query. */
  eventsSql: string;
  params: Record<string, string>;
  rateSetup?: { currencies: string[]; dates: string[]; target: string };
}

function validate(store: Store, o: SalesReportOptions): { tz: string } {
  if (!isIsoDate(o.from)) throw new UsageError(`--from must be a date YYYY-MM-DD, got ${JSON.stringify(o.from)}`);
  if (!isIsoDate(o.to)) throw new UsageError(`--to must be a date YYYY-MM-DD, got ${JSON.stringify(o.to)}`);
  if (o.to < o.from) throw new UsageError(`--to ${o.to} is before --from ${o.from}`);
  if ((dayMs(o.to) - dayMs(o.from)) / 86_400_000 > 366 * 100) throw new UsageError('the date range is longer than 100 years');
  if (o.currency !== undefined && !isCurrency(o.currency)) {
    throw new UsageError(`--currency: unknown currency ${JSON.stringify(o.currency)} (an ISO 4217 code such as EUR, or "native")`);
  }
  const tz = o.timezone ?? sellerTimezone(store);
  if (!isTimeZone(tz)) throw new UsageError(`unknown time zone ${JSON.stringify(tz)} (an IANA name such as Europe/Stockholm)`);
  return { tz };
}

function sqlList(values: readonly string[]): string {
  return `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
}

/** SQL for the local calendar date of a UTC timestamp column, from the zone's offset spans. */
function localDateSql(col: string, spans: ReturnType<typeof offsetSpans>): string {
  const at = (off: number) => (off === 0 ? `date(${col})` : `date(${col}, '${off > 0 ? '+' : ''}${off} minutes')`);
  if (spans.length === 1) return at(spans[0]!.offsetMinutes);
  let expr = 'CASE';
  for (let i = 1; i < spans.length; i++) expr += ` WHEN ${col} < '${spans[i]!.fromKey}' THEN ${at(spans[i - 1]!.offsetMinutes)}`;
  return `${expr} ELSE ${at(spans[spans.length - 1]!.offsetMinutes)} END`;
}

function includesTaxSql(store: Store): string {
  const byChannel = new Map<string, number>(CHANNELS.map((c) => [c.code, c.pricesIncludeTax ? 1 : 0]));
  const rows = store.db.prepare('SELECT code, prices_include_tax FROM channels').all() as { code: string; prices_include_tax: bigint }[];
  for (const r of rows) byChannel.set(r.code, Number(r.prices_include_tax) ? 1 : 0);
  const whens = [...byChannel.entries()].map(([code, v]) => `WHEN '${code.replace(/'/g, "''")}' THEN ${v}`).join(' ');
  return `COALESCE(o.prices_include_tax, CASE o.channel ${whens} ELSE 1 END)`;
}

/** half-up(x × num / den) in exact integer arithmetic (SQLite integers are 64-bit). */
function convSql(x: string): string {
  return `(CASE WHEN (${x}) >= 0 THEN (2 * (${x}) * r.num + r.den) / (2 * r.den) ELSE -((-2 * (${x}) * r.num + r.den) / (2 * r.den)) END)`;
}

/** round-half-up(a × b / c) in exact integer arithmetic; 0 when c is not positive. */
function mulDivSql(a: string, b: string, c: string): string {
  return `(CASE WHEN (${c}) <= 0 THEN 0 WHEN (${a}) * (${b}) >= 0 THEN (2 * (${a}) * (${b}) + (${c})) / (2 * (${c})) ELSE -((-2 * (${a}) * (${b}) + (${c})) / (2 * (${c}))) END)`;
}

/** The VAT columns of an event: stored on the order (0140), else decided for this report (temp.report_vat). */
function vatSql(withTemp: boolean): { vs: string; vcc: string; vcol: string } {
  const pick = (col: string, tcol: string) =>
    withTemp ? `COALESCE(o.${col}, (SELECT ${tcol} FROM temp.report_vat WHERE order_id = o.id), '')` : `COALESCE(o.${col}, '')`;
  return { vs: pick('vat_scheme', 'scheme'), vcc: pick('vat_country', 'country'), vcol: pick('vat_collector', 'collector') };
}


export type BuildMode = 'summary' | 'detail' | 'journal';

export function buildSalesQuery(store: Store, o: SalesReportOptions, mode: BuildMode, opts: { vatTemp?: boolean } = {}): Built {
  const { tz } = validate(store, o);
  const fromMs = localToUtcMs(tz, o.from);
  const toMs = localToUtcMs(tz, addDays(o.to, 1));
  const spans = offsetSpans(tz, fromMs, toMs);
  const params = { from: utcKey(fromMs), to: utcKey(toMs) };
  const journal = mode === 'journal';
  const bySku = mode === 'summary' && o.dims.includes('sku');
  const needVat = journal || mode === 'detail' || o.dims.includes('vat-scheme');
  const incl = includesTaxSql(store);
  const filters: string[] = [`lower(o.status) NOT IN ${EXCLUDED_STATUSES}`];
  if (o.channels?.length) filters.push(`o.channel IN ${sqlList(o.channels)}`);
  if (o.marketplaces?.length) filters.push(`o.marketplace IN ${sqlList(o.marketplaces)}`);
  const inRange = (col: string) => `${col} >= @from AND ${col} < @to`;
  const orderWhere = [inRange('o.ordered_at'), ...filters].join(' AND ');
  const od = localDateSql('o.ordered_at', spans);
  const rd = localDateSql('r.refunded_at', spans);
  const v = needVat ? vatSql(Boolean(opts.vatTemp)) : { vs: "''", vcc: "''", vcol: "''" };
  const common = `o.id AS oid, o.external_id AS ext, o.channel AS ch, o.marketplace AS mp, COALESCE(o.ship_country, '') AS cc,
    ${v.vs} AS vs, ${v.vcc} AS vcc, ${v.vcol} AS vcol`;
  // Journal-only columns (0 elsewhere): included shipping and discount VAT, refund VAT, tax on top.
  const noSplit = `0 AS stax, 0 AS dtax, 0 AS rtax, 0 AS otax, 0 AS rotax`;

  // An order's discount and tax are its totals (0050); when a writer left the order-level total at 0
  // but put the amounts on the lines, the lines' sum is the total.
  const lineSum = (col: string) => `COALESCE((SELECT SUM(${col}) FROM order_lines WHERE order_id = o.id), 0)`;
  const orderDisc = `(CASE WHEN o.discount_minor = 0 THEN ${lineSum('discount_minor')} ELSE o.discount_minor END)`;
  const orderTax = `(CASE WHEN o.tax_minor = 0 THEN ${lineSum('tax_minor')} ELSE o.tax_minor END)`;
  const events: string[] = [];
  if (journal) {
    // Per order: shipping's VAT as given (else its share of the order's VAT: shipping follows the
    // goods' treatment), then the discount's VAT from the goods' own VAT ratio, each rounded half-up once.
    const inner = `SELECT ${common}, ${od} AS d, 'sale' AS kind, '' AS sku, o.currency AS cur, 1 AS n,
      COALESCE((SELECT SUM(quantity) FROM order_lines WHERE order_id = o.id), 0) AS units,
      COALESCE((SELECT SUM(COALESCE(gross_minor, quantity * unit_price_minor)) FROM order_lines WHERE order_id = o.id), 0) AS gross,
      ${orderDisc} AS disc, 0 AS refunds, 0 AS fees, o.shipping_minor AS ship, ${orderTax} AS tax, ${incl} AS incl, o.shipping_tax_minor AS stx, '' AS note
      FROM orders o WHERE ${orderWhere}`;
    const withShip = `SELECT x.*, CASE WHEN x.incl = 1 THEN (CASE WHEN x.stx <> 0 THEN x.stx ELSE ${mulDivSql('x.tax', 'x.ship', '(x.gross - x.disc + x.ship)')} END) ELSE 0 END AS stax0 FROM (${inner}) x`;
    events.push(`SELECT y.oid, y.ext, y.ch, y.mp, y.cc, y.vs, y.vcc, y.vcol, y.d, y.kind, y.sku, y.cur, y.n, y.units, y.gross, y.disc, y.refunds, y.fees,
      y.ship, y.tax, CASE WHEN y.incl = 1 THEN y.tax ELSE 0 END AS itax, y.note,
      y.stax0 AS stax, CASE WHEN y.incl = 1 THEN ${mulDivSql('y.disc', '(y.tax - y.stax0)', '(y.gross - y.disc)')} ELSE 0 END AS dtax,
      0 AS rtax, CASE WHEN y.incl = 1 THEN 0 ELSE y.tax END AS otax, 0 AS rotax
      FROM (${withShip}) y`);
  } else if (!bySku) {
    events.push(`SELECT ${common}, ${od} AS d, 'sale' AS kind, '' AS sku, o.currency AS cur, 1 AS n,
      COALESCE((SELECT SUM(quantity) FROM order_lines WHERE order_id = o.id), 0) AS units,
      COALESCE((SELECT SUM(COALESCE(gross_minor, quantity * unit_price_minor)) FROM order_lines WHERE order_id = o.id), 0) AS gross,
      ${orderDisc} AS disc, 0 AS refunds, 0 AS fees, o.shipping_minor AS ship, ${orderTax} AS tax,
      CASE WHEN ${incl} = 1 THEN ${orderTax} ELSE 0 END AS itax, '' AS note, ${noSplit}
      FROM orders o WHERE ${orderWhere}`);
  } else {
    events.push(`SELECT ${common}, ${od} AS d, 'sale' AS kind, COALESCE(l.sku, '') AS sku, o.currency AS cur, 1 AS n,
      l.quantity AS units, COALESCE(l.gross_minor, l.quantity * l.unit_price_minor) AS gross, l.discount_minor AS disc,
      0 AS refunds, 0 AS fees, 0 AS ship, l.tax_minor AS tax, CASE WHEN ${incl} = 1 THEN l.tax_minor ELSE 0 END AS itax, '' AS note, ${noSplit}
      FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE ${orderWhere}`);
    // What the lines do not carry (shipping, order-level discount and tax) stays on the order: sku ''.
    const restDisc = `${orderDisc} - ${lineSum('discount_minor')}`;
    const restTax = `${orderTax} - ${lineSum('tax_minor')}`;
    events.push(`SELECT ${common}, ${od} AS d, 'sale' AS kind, '' AS sku, o.currency AS cur, 0 AS n, 0 AS units, 0 AS gross,
      ${restDisc} AS disc, 0 AS refunds, 0 AS fees, o.shipping_minor AS ship, ${restTax} AS tax,
      CASE WHEN ${incl} = 1 THEN ${restTax} ELSE 0 END AS itax, '' AS note, ${noSplit}
      FROM orders o WHERE ${orderWhere}`);
  }
  const lineSku = bySku ? `COALESCE((SELECT sku FROM order_lines WHERE id = X.line_id), '')` : `''`;
  // Fees count on the order date; fees that come with a refund (kind 'refund:…', e.g. commission given
  // back) follow the refund rule: their own date (occurred_at) with --date-basis refund.
  const feeCols = `'fee' AS kind, ${lineSku.replace('X.', 'f.')} AS sku, f.currency AS cur, 0 AS n, 0 AS units,
    0 AS gross, 0 AS disc, 0 AS refunds, f.amount_minor AS fees, 0 AS ship, 0 AS tax, 0 AS itax, '' AS note, ${noSplit}`;
  const refundFee = `(f.kind LIKE 'refund:%' AND f.occurred_at IS NOT NULL)`;
  if (o.dateBasis === 'refund') {
    events.push(`SELECT ${common}, ${od} AS d, ${feeCols}
      FROM orders o JOIN order_fees f ON f.order_id = o.id WHERE ${orderWhere} AND NOT ${refundFee}`);
    events.push(`SELECT ${common}, ${localDateSql('f.occurred_at', spans)} AS d, ${feeCols}
      FROM order_fees f JOIN orders o ON o.id = f.order_id WHERE ${refundFee} AND ${[inRange('f.occurred_at'), ...filters].join(' AND ')}`);
  } else {
    events.push(`SELECT ${common}, ${od} AS d, ${feeCols}
      FROM orders o JOIN order_fees f ON f.order_id = o.id WHERE ${orderWhere}`);
  }
  const estimated = `CASE WHEN r.date_estimated = 1 THEN '${ESTIMATED_REFUND_NOTE}' ELSE '' END`;
  const refundCols = `'refund' AS kind, ${lineSku.replace('X.', 'r.')} AS sku, r.currency AS cur, 0 AS n, 0 AS units, 0 AS gross, 0 AS disc,
    r.amount_minor + r.shipping_minor AS refunds, 0 AS fees, 0 AS ship, -r.tax_minor AS tax,
    CASE WHEN ${incl} = 1 THEN -r.tax_minor ELSE 0 END AS itax, ${estimated} AS note,
    0 AS stax, 0 AS dtax, CASE WHEN ${incl} = 1 THEN r.tax_minor ELSE 0 END AS rtax, 0 AS otax, CASE WHEN ${incl} = 1 THEN 0 ELSE r.tax_minor END AS rotax`;
  if (o.dateBasis === 'refund') {
    events.push(`SELECT ${common}, ${rd} AS d, ${refundCols}
      FROM order_refunds r JOIN orders o ON o.id = r.order_id WHERE ${[inRange('r.refunded_at'), ...filters].join(' AND ')}`);
  } else {
    events.push(`SELECT ${common}, ${od} AS d, ${refundCols}
      FROM orders o JOIN order_refunds r ON r.order_id = o.id WHERE ${orderWhere}`);
  }
  const eventsSql = events.join('\nUNION ALL\n');

  const converting = o.currency !== undefined;
  const target = o.currency;
  const val = (x: string) => (converting ? convSql(x) : x);
  const rateJoin = converting ? 'LEFT JOIN temp.report_rates r ON r.r_cur = e.cur AND r.r_d = e.d' : '';
  const money = {
    gross: val('e.gross'), disc: val('e.disc'), refunds: val('e.refunds'), fees: val('e.fees'),
    ship: val('e.ship'), tax: val('e.tax'), itax: val('e.itax'),
  };
  const net = `(${money.gross} + ${money.ship} - ${money.disc} - ${money.refunds} - ${money.fees} - ${money.itax})`;
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

  let sql: string;
  if (mode === 'detail') {
    sql = `WITH e AS (${eventsSql})
SELECT e.d AS date, e.kind AS kind, e.ext AS ext, e.ch AS ch, e.mp AS mp, e.cc AS cc, e.sku AS sku, e.cur AS cur, e.n AS n, e.units AS units,
  ${money.gross} AS gross, ${money.disc} AS disc, ${money.refunds} AS refunds, ${money.fees} AS fees, ${money.ship} AS ship,
  ${money.tax} AS tax, ${net} AS net, e.vs AS vs, e.note AS note${converting ? ', r.rate AS rate, r.rate_date AS rate_date, r.age AS age, r.num IS NULL AS missing' : ', 0 AS missing'}
FROM e ${rateJoin}
ORDER BY e.d, e.ext, CASE e.kind WHEN 'sale' THEN 0 WHEN 'fee' THEN 1 ELSE 2 END, e.sku, e.cur, e.fees`;
  } else {
    const periodSql =
      o.time === 'day' ? 'e.d' : o.time === 'month' ? 'substr(e.d, 1, 7)' : o.time === 'week'
        ? `date(e.d, '-' || ((CAST(strftime('%w', e.d) AS INTEGER) + 6) % 7) || ' days')` : `''`;
    const vatDim = o.dims.includes('vat-scheme');
    const keys: string[] = [`${periodSql} AS period`];
    if (o.dims.includes('channel')) keys.push('e.ch AS channel');
    if (o.dims.includes('marketplace')) keys.push('e.mp AS marketplace');
    if (vatDim || journal) keys.push(`CASE WHEN e.vs = '' THEN 'unclassified' ELSE e.vs END AS vat_scheme`);
    // Grouped with the VAT scheme, "country" is the country whose VAT is due (the OSS member state; XI for Northern Ireland).
    if (o.dims.includes('country')) keys.push(vatDim ? `CASE WHEN e.vcc = '' THEN e.cc ELSE e.vcc END AS country` : 'e.cc AS country');
    if (journal) keys.push(`CASE WHEN e.vcc = '' THEN e.cc ELSE e.vcc END AS vat_country`);
    if (journal) keys.push(`CASE WHEN e.vcol = '' THEN 'seller' ELSE e.vcol END AS collector`);
    if (o.dims.includes('sku')) keys.push('e.sku AS sku');
    if (!converting || o.dims.includes('currency')) keys.push('e.cur AS cur');
    const keyNames = keys.map((k) => k.slice(k.lastIndexOf(' AS ') + 4));
    const ordersSql = bySku ? 'COUNT(DISTINCT CASE WHEN e.n = 1 THEN e.oid END)' : 'SUM(e.n)';
    const split = journal
      ? `, SUM(${val('e.stax')}) AS stax, SUM(${val('e.dtax')}) AS dtax, SUM(${val('e.rtax')}) AS rtax, SUM(${val('e.otax')}) AS otax, SUM(${val('e.rotax')}) AS rotax`
      : '';
    sql = `WITH e AS (${eventsSql})
SELECT ${keys.join(', ')}, ${ordersSql} AS orders, SUM(e.units) AS units,
  SUM(${money.gross}) AS gross, SUM(${money.disc}) AS disc, SUM(${money.refunds}) AS refunds, SUM(${money.fees}) AS fees,
  SUM(${money.ship}) AS ship, SUM(${money.tax}) AS tax, SUM(${net}) AS net${split}${converting ? `, SUM(r.num IS NULL) AS missing, MAX(r.age) AS max_age, MIN(CASE WHEN e.cur <> '${target}' THEN r.rate_date END) AS first_rate, MAX(CASE WHEN e.cur <> '${target}' THEN r.rate_date END) AS last_rate` : ''}
FROM e ${rateJoin}
GROUP BY ${keyNames.join(', ')}
ORDER BY ${keyNames.join(', ')}`;
  }

  let rateSetup: Built['rateSetup'];
  if (converting) {
    // Every currency in the tables (a loose index scan: one seek per currency, not a pass over the rows).
    const cte = (name: string, table: string) => `${name}(x) AS (SELECT min(currency) FROM ${table}
      UNION ALL SELECT (SELECT min(currency) FROM ${table} WHERE currency > ${name}.x) FROM ${name} WHERE ${name}.x IS NOT NULL)`;
    const cur = store.db.prepare(`WITH RECURSIVE ${cte('a', 'orders')}, ${cte('b', 'order_fees')}, ${cte('c', 'order_refunds')}
      SELECT x FROM a WHERE x IS NOT NULL UNION SELECT x FROM b WHERE x IS NOT NULL UNION SELECT x FROM c WHERE x IS NOT NULL`).raw().all() as string[][];
    // Rates are needed only between the first and the last dated event in the range (index seeks), so
    // a wide --from/--to over a short history costs nothing.
    const span = store.db
      .prepare(
        `SELECT min(t) AS lo, max(t) AS hi FROM (
           SELECT min(ordered_at) AS t FROM orders WHERE ordered_at >= @from AND ordered_at < @to
           UNION ALL SELECT max(ordered_at) FROM orders WHERE ordered_at >= @from AND ordered_at < @to
           UNION ALL SELECT min(refunded_at) FROM order_refunds WHERE refunded_at >= @from AND refunded_at < @to
           UNION ALL SELECT max(refunded_at) FROM order_refunds WHERE refunded_at >= @from AND refunded_at < @to
           UNION ALL SELECT min(occurred_at) FROM order_fees WHERE occurred_at >= @from AND occurred_at < @to
           UNION ALL SELECT max(occurred_at) FROM order_fees WHERE occurred_at >= @from AND occurred_at < @to)`,
      )
      .get(params) as { lo: string | null; hi: string | null };
    const dates: string[] = [];
    if (span.lo && span.hi) {
      const first = localDate(tz, span.lo) < o.from ? o.from : localDate(tz, span.lo);
      const last = localDate(tz, span.hi) > o.to ? o.to : localDate(tz, span.hi);
      for (let d = first; d <= last; d = addDays(d, 1)) dates.push(d);
    }
    rateSetup = { currencies: cur.map((r) => r[0]!), dates, target: target! };
  }
  return { meta, sql, eventsSql, params, rateSetup };
}

/** Fill temp.report_rates with the exact minor-unit factor per (currency, local date), and the rate's age for that date. */
function prepareRates(store: Store, setup: NonNullable<Built['rateSetup']>, book: RateBook): void {
  const db = store.db;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS report_rates (r_cur TEXT NOT NULL, r_d TEXT NOT NULL, num INTEGER NOT NULL,
    den INTEGER NOT NULL, rate TEXT NOT NULL, rate_date TEXT NOT NULL, age INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (r_cur, r_d)) WITHOUT ROWID`);
  db.exec('DELETE FROM temp.report_rates');
  const ins = db.prepare('INSERT INTO temp.report_rates (r_cur, r_d, num, den, rate, rate_date, age) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of setup.currencies) {
      for (const d of setup.dates) {
        try {
          const r = book.lookup(c, setup.target, d);
          // A currency converted into itself (or a fixed euro rate) is never stale.
          const age = c === setup.target || r.fixed ? 0 : Math.max(0, daysBetween(r.rateDate, d));
          ins.run(c, d, r.minorFactor.num, r.minorFactor.den, formatRatio(r.rate, 12), r.rateDate, age);
        } catch (e) {
          if (!(e instanceof InvalidInputError)) throw e;
          // Left out: only an error if an amount on that date needs it (checked after the query).
        }
      }
    }
  })();
}

/**
 * Orders in the report without a stored VAT decision (stored before migration 0140): decide them for
 * this report in a temporary table — a read never writes the database.
 */
function prepareVat(store: Store, built: Built): { vatTemp: boolean; decidedNow: number; unclassified: number; reasons: string[] } {
  const p = built.params;
  const ids = (store.db
    .prepare(`SELECT id FROM orders WHERE vat_scheme IS NULL AND (
        (ordered_at >= @from AND ordered_at < @to)
        OR id IN (SELECT order_id FROM order_refunds WHERE refunded_at >= @from AND refunded_at < @to)
        OR id IN (SELECT order_id FROM order_fees WHERE occurred_at >= @from AND occurred_at < @to))`)
    .raw()
    .all(p) as bigint[][]).map((r) => r[0]!);
  if (!ids.length) return { vatTemp: false, decidedNow: 0, unclassified: 0, reasons: [] };
  const db = store.db;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS report_vat (order_id INTEGER PRIMARY KEY, scheme TEXT, country TEXT, collector TEXT)`);
  db.exec('DELETE FROM temp.report_vat');
  const ins = db.prepare('INSERT INTO temp.report_vat (order_id, scheme, country, collector) VALUES (?, ?, ?, ?)');
  const decided = classifyOrders(orderTaxPort(store), ids);
  let unclassified = 0;
  const reasons = new Set<string>();
  db.transaction(() => {
    for (const [id, v] of decided) {
      if (v.decision) ins.run(id, v.decision.scheme, v.decision.country, v.decision.collector);
      else {
        unclassified++;
        if (v.missing) reasons.add(v.missing);
      }
    }
  })();
  return { vatTemp: true, decidedNow: decided.size - unclassified, unclassified, reasons: [...reasons] };
}

/**
 * What a converted report's rows say about the rates used, and the stale ones (older than maxAgeDays
 * for their day). The stale list comes from the amounts actually converted (a second, cheap pass only
 * when the oldest rate is stale), not from every day and currency the rate table was filled for.
 */
function ratesUsed(store: Store, o: SalesReportOptions, raw: Array<Record<string, unknown>>, built: Built): RatesUsed | undefined {
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
  const stale =
    oldest > maxAgeDays
      ? (store.db
          .prepare(`WITH e AS (${built.eventsSql})
            SELECT e.cur AS currency, MAX(e.d) AS forDate, MIN(r.rate_date) AS rateDate, MAX(r.age) AS ageDays
            FROM e JOIN temp.report_rates r ON r.r_cur = e.cur AND r.r_d = e.d
            WHERE r.age > @maxAge GROUP BY e.cur ORDER BY ageDays DESC, e.cur`)
          .all({ ...built.params, maxAge: maxAgeDays }) as Array<{ currency: string; forDate: string; rateDate: string; ageDays: bigint | number }>).map((x) => ({ ...x, ageDays: Number(x.ageDays) }))
      : [];
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
export function salesReportScript(store: Store, o: SalesReportOptions): string {
  const built = buildSalesQuery(store, o, 'summary');
  const lines: string[] = [];
  if (built.rateSetup) {
    const book = new RateBook(store);
    lines.push('CREATE TEMP TABLE report_rates (r_cur TEXT NOT NULL, r_d TEXT NOT NULL, num INTEGER NOT NULL, den INTEGER NOT NULL, rate TEXT NOT NULL, rate_date TEXT NOT NULL, age INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (r_cur, r_d)) WITHOUT ROWID;');
    lines.push('BEGIN;');
    for (const c of built.rateSetup.currencies) {
      for (const d of built.rateSetup.dates) {
        const r = book.lookup(c, built.rateSetup.target, d);
        const age = c === built.rateSetup.target || r.fixed ? 0 : Math.max(0, daysBetween(r.rateDate, d));
        lines.push(`INSERT INTO report_rates VALUES ('${c}', '${d}', ${r.minorFactor.num}, ${r.minorFactor.den}, '${formatRatio(r.rate, 12)}', '${r.rateDate}', ${age});`);
      }
    }
    lines.push('COMMIT;');
  }
  lines.push(`${built.sql.replace(/@from/g, `'${built.params.from}'`).replace(/@to/g, `'${built.params.to}'`)};`);
  return lines.join('\n');
}

function moneyOf(v: unknown, what: string): bigint {
  if (typeof v === 'number' && !Number.isInteger(v)) {
    throw new InvalidInputError(`an amount is too large to convert exactly in ${what} (64-bit overflow)`, {
      hints: ['report a shorter period or convert fewer currencies at a time'],
    });
  }
  return big(v as bigint | number | null);
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

function missingRateError(store: Store, o: SalesReportOptions, book: RateBook): never {
  // The first amount whose (currency, date) has no rate: let the rate lookup say why, with its hints.
  const detail = buildSalesQuery(store, o, 'detail');
  const first = store.db.prepare(`SELECT date, cur, ext FROM (${detail.sql}) WHERE missing LIMIT 1`).get(detail.params) as
    | { date: string; cur: string; ext: string }
    | undefined;
  if (first) book.lookup(first.cur, o.currency!, first.date);
  throw new InvalidInputError('an exchange rate needed by the report is missing');
}

export function salesReport(store: Store, o: SalesReportOptions): SalesReport {
  const vat = o.dims.includes('vat-scheme') ? prepareVat(store, buildSalesQuery(store, o, 'summary')) : undefined;
  const built = buildSalesQuery(store, o, 'summary', { vatTemp: vat?.vatTemp ?? false });
  const book = new RateBook(store);
  if (built.rateSetup) prepareRates(store, built.rateSetup, book);
  const raw = store.db.prepare(built.sql).all(built.params) as Record<string, unknown>[];
  const converting = o.currency !== undefined;
  if (converting && raw.some((r) => big(r.missing as bigint) > 0n)) missingRateError(store, o, book);
  const rates = ratesUsed(store, o, raw, built);
  checkStale(o, rates);
  const rows: SalesRow[] = raw.filter((r) => !allZero(r)).map((r) => rowOf(o, r));
  const meta: SalesReportMeta = { ...built.meta, ...(rates ? { rates } : {}), estimatedRefunds: countEstimatedRefunds(store, o, built) };
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
function countEstimatedRefunds(store: Store, o: SalesReportOptions, built: Built): number {
  const col = o.dateBasis === 'refund' ? 'r.refunded_at' : 'o.ordered_at';
  const filters: string[] = [`lower(o.status) NOT IN ${EXCLUDED_STATUSES}`];
  if (o.channels?.length) filters.push(`o.channel IN ${sqlList(o.channels)}`);
  if (o.marketplaces?.length) filters.push(`o.marketplace IN ${sqlList(o.marketplaces)}`);
  const row = store.db
    .prepare(`SELECT count(*) AS n FROM order_refunds r JOIN orders o ON o.id = r.order_id WHERE r.date_estimated = 1 AND ${col} >= @from AND ${col} < @to AND ${filters.join(' AND ')}`)
    .get(built.params) as { n: bigint };
  return Number(row.n);
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
export function salesJournal(store: Store, o: SalesReportOptions): SalesJournal {
  if (o.dims.includes('sku')) throw new UsageError('the journal profiles post per period, channel, marketplace or country, not per SKU', { hints: ['drop sku from --group-by, or use --profile plain/excel for a SKU report'] });
  const vat = prepareVat(store, buildSalesQuery(store, o, 'journal'));
  const built = buildSalesQuery(store, o, 'journal', { vatTemp: vat.vatTemp });
  const book = new RateBook(store);
  if (built.rateSetup) prepareRates(store, built.rateSetup, book);
  const raw = store.db.prepare(built.sql).all(built.params) as Record<string, unknown>[];
  if (o.currency !== undefined && raw.some((r) => big(r.missing as bigint) > 0n)) missingRateError(store, o, book);
  const rates = ratesUsed(store, o, raw, built);
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
  const meta: SalesReportMeta = { ...built.meta, ...(rates ? { rates } : {}), estimatedRefunds: countEstimatedRefunds(store, o, built), vat: { decidedNow: vat.decidedNow, unclassified: vat.unclassified, reasons: vat.reasons } };
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
export function prepareSalesDetail(store: Store, o: SalesReportOptions): { meta: SalesReportMeta; rows: () => Generator<DetailRow, void, undefined> } {
  const vat = prepareVat(store, buildSalesQuery(store, o, 'detail'));
  const built = buildSalesQuery(store, o, 'detail', { vatTemp: vat.vatTemp });
  const book = new RateBook(store);
  if (built.rateSetup) prepareRates(store, built.rateSetup, book);
  const converting = o.currency !== undefined;
  let rates: RatesUsed | undefined;
  if (converting) {
    const agg = store.db.prepare(`SELECT SUM(missing) AS missing, MAX(age) AS max_age, MIN(CASE WHEN cur <> @target THEN rate_date END) AS first_rate,
      MAX(CASE WHEN cur <> @target THEN rate_date END) AS last_rate FROM (${built.sql})`).get({ ...built.params, target: o.currency! }) as Record<string, unknown>;
    if (big(agg.missing as bigint | null) > 0n) missingRateError(store, o, book);
    rates = ratesUsed(store, o, [agg], built);
    checkStale(o, rates);
  }
  const meta: SalesReportMeta = { ...built.meta, ...(rates ? { rates } : {}), estimatedRefunds: countEstimatedRefunds(store, o, built), vat: { decidedNow: vat.decidedNow, unclassified: vat.unclassified, reasons: vat.reasons } };
  function* rows(): Generator<DetailRow, void, undefined> {
    const stmt = store.db.prepare(built.sql);
    for (const r of stmt.iterate(built.params) as IterableIterator<Record<string, unknown>>) {
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
