// `report sales` over SQLite (ports/sales-report.ts): the report's query — orders, lines, fees and
// refunds aggregated in one statement, index-driven, converting each amount exactly at the rate of its
// own date (temp.report_rates) and rounding it once, half-up — and the per-report rate and VAT tables.
// The statements and the SQL builder moved verbatim from services/reports/sales.ts.

import type { Store } from '../db.js';
import { CHANNELS } from '../../core/channels.js';
import type { offsetSpans } from '../../core/report-time.js';
import type { ReportRateRow, ReportVatRow, SalesQuery, SalesQuerySpec, SalesReportRepo } from '../../ports/sales-report.js';

const EXCLUDED_STATUSES = `('cancelled', 'canceled', 'voided')`;

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


/** The report's statement for these options (the SQL moved verbatim from services/reports/sales.ts#buildSalesQuery). */
function buildQuery(store: Store, o: SalesQuerySpec, params: Record<string, string>): SalesQuery {
  const { mode, spans } = o;
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
  const v = needVat ? vatSql(o.vatTemp) : { vs: "''", vcc: "''", vcol: "''" };
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
  const estimated = `CASE WHEN r.date_estimated = 1 THEN '${o.estimatedRefundNote}' ELSE '' END`;
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
  return { sql, eventsSql, params };
}

export class SqliteSalesReport implements SalesReportRepo {
  constructor(private readonly store: Store) {}

  business(): { country?: string; baseCurrency?: string } {
    const row = this.store.db.prepare('SELECT country, base_currency FROM business_profile WHERE id = 1').get() as { country: string; base_currency: string } | undefined;
    return row ? { country: row.country, baseCurrency: row.base_currency } : {};
  }

  timezone(): string | undefined {
    const row = this.store.db.prepare('SELECT timezone FROM business_profile WHERE id = 1').get() as { timezone: string } | undefined;
    return row?.timezone || undefined;
  }

  query(o: SalesQuerySpec, params: Record<string, string>): SalesQuery {
    return buildQuery(this.store, o, params);
  }

  currencies(): string[] {
    // Every currency in the tables (a loose index scan: one seek per currency, not a pass over the rows).
    const cte = (name: string, table: string) => `${name}(x) AS (SELECT min(currency) FROM ${table}
      UNION ALL SELECT (SELECT min(currency) FROM ${table} WHERE currency > ${name}.x) FROM ${name} WHERE ${name}.x IS NOT NULL)`;
    const cur = this.store.db.prepare(`WITH RECURSIVE ${cte('a', 'orders')}, ${cte('b', 'order_fees')}, ${cte('c', 'order_refunds')}
      SELECT x FROM a WHERE x IS NOT NULL UNION SELECT x FROM b WHERE x IS NOT NULL UNION SELECT x FROM c WHERE x IS NOT NULL`).raw().all() as string[][];
    return cur.map((r) => r[0]!);
  }

  eventSpan(params: Record<string, string>): { lo: string | null; hi: string | null } {
    // Rates are needed only between the first and the last dated event in the range (index seeks), so
    // a wide --from/--to over a short history costs nothing.
    return this.store.db
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
  }

  /** Fill temp.report_rates with the exact minor-unit factor per (currency, local date), and the rate's age for that date. */
  loadRates(rows: readonly ReportRateRow[]): void {
    const db = this.store.db;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS report_rates (r_cur TEXT NOT NULL, r_d TEXT NOT NULL, num INTEGER NOT NULL,
    den INTEGER NOT NULL, rate TEXT NOT NULL, rate_date TEXT NOT NULL, age INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (r_cur, r_d)) WITHOUT ROWID`);
    db.exec('DELETE FROM temp.report_rates');
    const ins = db.prepare('INSERT INTO temp.report_rates (r_cur, r_d, num, den, rate, rate_date, age) VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of rows) ins.run(r.currency, r.date, r.num, r.den, r.rate, r.rateDate, r.ageDays);
    })();
  }

  undecidedVatOrderIds(p: Record<string, string>): bigint[] {
    return (this.store.db
      .prepare(`SELECT id FROM orders WHERE vat_scheme IS NULL AND (
        (ordered_at >= @from AND ordered_at < @to)
        OR id IN (SELECT order_id FROM order_refunds WHERE refunded_at >= @from AND refunded_at < @to)
        OR id IN (SELECT order_id FROM order_fees WHERE occurred_at >= @from AND occurred_at < @to))`)
      .raw()
      .all(p) as bigint[][]).map((r) => r[0]!);
  }

  loadVat(rows: readonly ReportVatRow[], opts: { append?: boolean } = {}): void {
    const db = this.store.db;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS report_vat (order_id INTEGER PRIMARY KEY, scheme TEXT, country TEXT, collector TEXT)`);
    if (!opts.append) db.exec('DELETE FROM temp.report_vat');
    const ins = db.prepare('INSERT INTO temp.report_vat (order_id, scheme, country, collector) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of rows) ins.run(r.orderId, r.scheme, r.country, r.collector);
    })();
  }

  rows(q: SalesQuery): Array<Record<string, unknown>> {
    return this.store.db.prepare(q.sql).all(q.params) as Record<string, unknown>[];
  }

  iterate(q: SalesQuery): IterableIterator<Record<string, unknown>> {
    return this.store.db.prepare(q.sql).iterate(q.params) as IterableIterator<Record<string, unknown>>;
  }

  detailRates(q: SalesQuery, target: string): Record<string, unknown> {
    return this.store.db.prepare(`SELECT SUM(missing) AS missing, MAX(age) AS max_age, MIN(CASE WHEN cur <> @target THEN rate_date END) AS first_rate,
      MAX(CASE WHEN cur <> @target THEN rate_date END) AS last_rate FROM (${q.sql})`).get({ ...q.params, target }) as Record<string, unknown>;
  }

  staleRates(q: SalesQuery, maxAgeDays: number): Array<{ currency: string; forDate: string; rateDate: string; ageDays: number }> {
    return (this.store.db
      .prepare(`WITH e AS (${q.eventsSql})
            SELECT e.cur AS currency, MAX(e.d) AS forDate, MIN(r.rate_date) AS rateDate, MAX(r.age) AS ageDays
            FROM e JOIN temp.report_rates r ON r.r_cur = e.cur AND r.r_d = e.d
            WHERE r.age > @maxAge GROUP BY e.cur ORDER BY ageDays DESC, e.cur`)
      .all({ ...q.params, maxAge: maxAgeDays }) as Array<{ currency: string; forDate: string; rateDate: string; ageDays: bigint | number }>).map((x) => ({ ...x, ageDays: Number(x.ageDays) }));
  }

  firstMissingRate(q: SalesQuery): { date: string; cur: string; ext: string } | undefined {
    return this.store.db.prepare(`SELECT date, cur, ext FROM (${q.sql}) WHERE missing LIMIT 1`).get(q.params) as
      | { date: string; cur: string; ext: string }
      | undefined;
  }

  estimatedRefunds(o: { dateBasis: 'order' | 'refund'; channels?: string[]; marketplaces?: string[] }, params: Record<string, string>): number {
    const col = o.dateBasis === 'refund' ? 'r.refunded_at' : 'o.ordered_at';
    const filters: string[] = [`lower(o.status) NOT IN ${EXCLUDED_STATUSES}`];
    if (o.channels?.length) filters.push(`o.channel IN ${sqlList(o.channels)}`);
    if (o.marketplaces?.length) filters.push(`o.marketplace IN ${sqlList(o.marketplaces)}`);
    const row = this.store.db
      .prepare(`SELECT count(*) AS n FROM order_refunds r JOIN orders o ON o.id = r.order_id WHERE r.date_estimated = 1 AND ${col} >= @from AND ${col} < @to AND ${filters.join(' AND ')}`)
      .get(params) as { n: bigint };
    return Number(row.n);
  }

  script(q: SalesQuery, rates: readonly ReportRateRow[] | undefined): string {
    const lines: string[] = [];
    if (rates) {
      lines.push('CREATE TEMP TABLE report_rates (r_cur TEXT NOT NULL, r_d TEXT NOT NULL, num INTEGER NOT NULL, den INTEGER NOT NULL, rate TEXT NOT NULL, rate_date TEXT NOT NULL, age INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (r_cur, r_d)) WITHOUT ROWID;');
      lines.push('BEGIN;');
      for (const r of rates) lines.push(`INSERT INTO report_rates VALUES ('${r.currency}', '${r.date}', ${r.num}, ${r.den}, '${r.rate}', '${r.rateDate}', ${r.ageDays});`);
      lines.push('COMMIT;');
    }
    lines.push(`${q.sql.replace(/@from/g, `'${q.params.from}'`).replace(/@to/g, `'${q.params.to}'`)};`);
    return lines.join('\n');
  }
}
