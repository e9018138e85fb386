// `report sales`: aggregates orders, lines, fees and refunds in SQL (one statement, index-driven),
// optionally converting every order, fee and refund at the rate of its own date, exactly, and
// rounding each converted amount once (half-up). Totals are the exact sums of the rows.

import type { Store } from '../../store/db.js';
import { big } from '../../store/db.js';
import { InvalidInputError, UsageError } from '../../core/errors.js';
import { CHANNELS } from '../../core/channels.js';
import { isCurrency } from '../../core/currencies.js';
import { formatRatio } from '../../core/money.js';
import {
  addDays, isIsoDate, isoWeek, isTimeZone, localDate, localToUtcMs, offsetSpans, utcKey, dayMs,
} from '../../core/report-time.js';
import {
  METRICS, type Metrics, type OtherDim, type SalesRow, type TimeDim, summaryColumns, totalsByCurrency,
} from '../../core/report.js';
import { RateBook } from './rates.js';

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
}

export const DETAIL_COLUMNS = [
  'date', 'kind', 'order', 'channel', 'marketplace', 'country', 'sku', 'currency', ...METRICS, 'source_currency', 'rate', 'rate_date',
];

const EXCLUDED_STATUSES = `('cancelled', 'canceled', 'voided')`;

export function sellerTimezone(store: Store): string {
  const row = store.db.prepare('SELECT timezone FROM business_profile WHERE id = 1').get() as { timezone: string } | undefined;
  return row?.timezone || 'UTC';
}

interface Built {
  meta: SalesReportMeta;
  sql: string;
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

export function buildSalesQuery(store: Store, o: SalesReportOptions, mode: 'summary' | 'detail'): Built {
  const { tz } = validate(store, o);
  const fromMs = localToUtcMs(tz, o.from);
  const toMs = localToUtcMs(tz, addDays(o.to, 1));
  const spans = offsetSpans(tz, fromMs, toMs);
  const params = { from: utcKey(fromMs), to: utcKey(toMs) };
  const bySku = mode === 'summary' && o.dims.includes('sku');
  const incl = includesTaxSql(store);
  const filters: string[] = [`lower(o.status) NOT IN ${EXCLUDED_STATUSES}`];
  if (o.channels?.length) filters.push(`o.channel IN ${sqlList(o.channels)}`);
  if (o.marketplaces?.length) filters.push(`o.marketplace IN ${sqlList(o.marketplaces)}`);
  const inRange = (col: string) => `${col} >= @from AND ${col} < @to`;
  const orderWhere = [inRange('o.ordered_at'), ...filters].join(' AND ');
  const od = localDateSql('o.ordered_at', spans);
  const rd = localDateSql('r.refunded_at', spans);
  const common = `o.id AS oid, o.external_id AS ext, o.channel AS ch, o.marketplace AS mp, COALESCE(o.ship_country, '') AS cc`;

  // An order's discount and tax are its totals (0050); when a writer left the order-level total at 0
  // but put the amounts on the lines, the lines' sum is the total.
  const lineSum = (col: string) => `COALESCE((SELECT SUM(${col}) FROM order_lines WHERE order_id = o.id), 0)`;
  const orderDisc = `(CASE WHEN o.discount_minor = 0 THEN ${lineSum('discount_minor')} ELSE o.discount_minor END)`;
  const orderTax = `(CASE WHEN o.tax_minor = 0 THEN ${lineSum('tax_minor')} ELSE o.tax_minor END)`;
  const events: string[] = [];
  if (!bySku) {
    events.push(`SELECT ${common}, ${od} AS d, 'sale' AS kind, '' AS sku, o.currency AS cur, 1 AS n,
      COALESCE((SELECT SUM(quantity) FROM order_lines WHERE order_id = o.id), 0) AS units,
      COALESCE((SELECT SUM(COALESCE(gross_minor, quantity * unit_price_minor)) FROM order_lines WHERE order_id = o.id), 0) AS gross,
      ${orderDisc} AS disc, 0 AS refunds, 0 AS fees, o.shipping_minor AS ship, ${orderTax} AS tax,
      CASE WHEN ${incl} = 1 THEN ${orderTax} ELSE 0 END AS itax
      FROM orders o WHERE ${orderWhere}`);
  } else {
    events.push(`SELECT ${common}, ${od} AS d, 'sale' AS kind, COALESCE(l.sku, '') AS sku, o.currency AS cur, 1 AS n,
      l.quantity AS units, COALESCE(l.gross_minor, l.quantity * l.unit_price_minor) AS gross, l.discount_minor AS disc,
      0 AS refunds, 0 AS fees, 0 AS ship, l.tax_minor AS tax, CASE WHEN ${incl} = 1 THEN l.tax_minor ELSE 0 END AS itax
      FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE ${orderWhere}`);
    // What the lines do not carry (shipping, order-level discount and tax) stays on the order: sku ''.
    const restDisc = `${orderDisc} - ${lineSum('discount_minor')}`;
    const restTax = `${orderTax} - ${lineSum('tax_minor')}`;
    events.push(`SELECT ${common}, ${od} AS d, 'sale' AS kind, '' AS sku, o.currency AS cur, 0 AS n, 0 AS units, 0 AS gross,
      ${restDisc} AS disc, 0 AS refunds, 0 AS fees, o.shipping_minor AS ship, ${restTax} AS tax,
      CASE WHEN ${incl} = 1 THEN ${restTax} ELSE 0 END AS itax
      FROM orders o WHERE ${orderWhere}`);
  }
  const lineSku = bySku ? `COALESCE((SELECT sku FROM order_lines WHERE id = X.line_id), '')` : `''`;
  // Fees count on the order date; fees that come with a refund (kind 'refund:…', e.g. commission given
  // back) follow the refund rule: their own date (occurred_at) with --date-basis refund.
  const feeCols = `'fee' AS kind, ${lineSku.replace('X.', 'f.')} AS sku, f.currency AS cur, 0 AS n, 0 AS units,
    0 AS gross, 0 AS disc, 0 AS refunds, f.amount_minor AS fees, 0 AS ship, 0 AS tax, 0 AS itax`;
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
  const refundCols = `'refund' AS kind, ${lineSku.replace('X.', 'r.')} AS sku, r.currency AS cur, 0 AS n, 0 AS units, 0 AS gross, 0 AS disc,
    r.amount_minor + r.shipping_minor AS refunds, 0 AS fees, 0 AS ship, -r.tax_minor AS tax,
    CASE WHEN ${incl} = 1 THEN -r.tax_minor ELSE 0 END AS itax`;
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
    rounding: converting ? 'each order, fee and refund converted at the rate of its date, rounded half-up once per amount; totals are sums of the rounded amounts' : null,
    columns: mode === 'summary' ? columns : DETAIL_COLUMNS,
  };

  let sql: string;
  if (mode === 'detail') {
    sql = `WITH e AS (${eventsSql})
SELECT e.d AS date, e.kind AS kind, e.ext AS ext, e.ch AS ch, e.mp AS mp, e.cc AS cc, e.sku AS sku, e.cur AS cur, e.n AS n, e.units AS units,
  ${money.gross} AS gross, ${money.disc} AS disc, ${money.refunds} AS refunds, ${money.fees} AS fees, ${money.ship} AS ship,
  ${money.tax} AS tax, ${net} AS net${converting ? ', r.rate AS rate, r.rate_date AS rate_date, r.num IS NULL AS missing' : ', 0 AS missing'}
FROM e ${rateJoin}
ORDER BY e.d, e.ext, CASE e.kind WHEN 'sale' THEN 0 WHEN 'fee' THEN 1 ELSE 2 END, e.sku, e.cur, e.fees`;
  } else {
    const periodSql =
      o.time === 'day' ? 'e.d' : o.time === 'month' ? 'substr(e.d, 1, 7)' : o.time === 'week'
        ? `date(e.d, '-' || ((CAST(strftime('%w', e.d) AS INTEGER) + 6) % 7) || ' days')` : `''`;
    const keys: string[] = [`${periodSql} AS period`];
    if (o.dims.includes('channel')) keys.push('e.ch AS channel');
    if (o.dims.includes('marketplace')) keys.push('e.mp AS marketplace');
    if (o.dims.includes('country')) keys.push('e.cc AS country');
    if (o.dims.includes('sku')) keys.push('e.sku AS sku');
    if (!converting || o.dims.includes('currency')) keys.push('e.cur AS cur');
    const keyNames = keys.map((k) => k.slice(k.lastIndexOf(' AS ') + 4));
    const ordersSql = bySku ? 'COUNT(DISTINCT CASE WHEN e.n = 1 THEN e.oid END)' : 'SUM(e.n)';
    sql = `WITH e AS (${eventsSql})
SELECT ${keys.join(', ')}, ${ordersSql} AS orders, SUM(e.units) AS units,
  SUM(${money.gross}) AS gross, SUM(${money.disc}) AS disc, SUM(${money.refunds}) AS refunds, SUM(${money.fees}) AS fees,
  SUM(${money.ship}) AS ship, SUM(${money.tax}) AS tax, SUM(${net}) AS net${converting ? ', SUM(r.num IS NULL) AS missing' : ''}
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
  return { meta, sql, params, rateSetup };
}

/** Fill temp.report_rates with the exact minor-unit factor per (currency, local date). */
function prepareRates(store: Store, setup: NonNullable<Built['rateSetup']>, book: RateBook): void {
  const db = store.db;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS report_rates (r_cur TEXT NOT NULL, r_d TEXT NOT NULL, num INTEGER NOT NULL,
    den INTEGER NOT NULL, rate TEXT NOT NULL, rate_date TEXT NOT NULL, PRIMARY KEY (r_cur, r_d)) WITHOUT ROWID`);
  db.exec('DELETE FROM temp.report_rates');
  const ins = db.prepare('INSERT INTO temp.report_rates (r_cur, r_d, num, den, rate, rate_date) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of setup.currencies) {
      for (const d of setup.dates) {
        try {
          const r = book.lookup(c, setup.target, d);
          ins.run(c, d, r.minorFactor.num, r.minorFactor.den, formatRatio(r.rate, 12), r.rateDate);
        } catch (e) {
          if (!(e instanceof InvalidInputError)) throw e;
          // Left out: only an error if an amount on that date needs it (checked after the query).
        }
      }
    }
  })();
}

/** The SQL a report runs, with the rate table it needs, for the benchmark's sqlite3 baseline. */
export function salesReportScript(store: Store, o: SalesReportOptions): string {
  const built = buildSalesQuery(store, o, 'summary');
  const lines: string[] = [];
  if (built.rateSetup) {
    const book = new RateBook(store);
    lines.push('CREATE TEMP TABLE report_rates (r_cur TEXT NOT NULL, r_d TEXT NOT NULL, num INTEGER NOT NULL, den INTEGER NOT NULL, rate TEXT NOT NULL, rate_date TEXT NOT NULL, PRIMARY KEY (r_cur, r_d)) WITHOUT ROWID;');
    lines.push('BEGIN;');
    for (const c of built.rateSetup.currencies) {
      for (const d of built.rateSetup.dates) {
        const r = book.lookup(c, built.rateSetup.target, d);
        lines.push(`INSERT INTO report_rates VALUES ('${c}', '${d}', ${r.minorFactor.num}, ${r.minorFactor.den}, '${formatRatio(r.rate, 12)}', '${r.rateDate}');`);
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
  const built = buildSalesQuery(store, o, 'summary');
  const book = new RateBook(store);
  if (built.rateSetup) prepareRates(store, built.rateSetup, book);
  const raw = store.db.prepare(built.sql).all(built.params) as Record<string, unknown>[];
  const converting = o.currency !== undefined;
  if (converting && raw.some((r) => big(r.missing as bigint) > 0n)) missingRateError(store, o, book);
  const rows: SalesRow[] = raw.filter((r) => !allZero(r)).map((r) => {
    const period = periodLabel(o, String(r.period ?? ''));
    const row: SalesRow = {
      period,
      currency: converting ? o.currency! : String(r.cur),
      m: metricsOf(r),
    };
    if (o.dims.includes('channel')) row.channel = String(r.channel ?? '');
    if (o.dims.includes('marketplace')) row.marketplace = String(r.marketplace ?? '');
    if (o.dims.includes('country')) row.country = String(r.country ?? '');
    if (o.dims.includes('sku')) row.sku = String(r.sku ?? '');
    if (converting && o.dims.includes('currency')) row.sourceCurrency = String(r.cur);
    return row;
  });
  return { meta: built.meta, rows, totals: totalsByCurrency(rows) };
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

/** One row per order, fee and refund (streamed), with the rate and rate date used for each. */
export function* salesDetail(store: Store, o: SalesReportOptions): Generator<DetailRow, SalesReportMeta, undefined> {
  const built = buildSalesQuery(store, o, 'detail');
  const book = new RateBook(store);
  if (built.rateSetup) prepareRates(store, built.rateSetup, book);
  const converting = o.currency !== undefined;
  const stmt = store.db.prepare(built.sql);
  for (const r of stmt.iterate(built.params) as IterableIterator<Record<string, unknown>>) {
    if (converting && big(r.missing as bigint) > 0n) book.lookup(String(r.cur), o.currency!, String(r.date));
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
    };
  }
  return built.meta;
}

export function salesDetailMeta(store: Store, o: SalesReportOptions): SalesReportMeta {
  return buildSalesQuery(store, o, 'detail').meta;
}
