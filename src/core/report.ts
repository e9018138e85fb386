// The sales report's shape: dimensions, metrics, rows and totals. Pure: no I/O.
// Definitions (PRODUCT.md §10, docs/reports.md):
//   gross     Σ item price × quantity as listed, before discounts (tax included where prices include it)
//   discounts all discounts;  refunds  money returned to buyers (as listed);  fees  marketplace fees
//   shipping  shipping and other charges to the buyer;  tax  tax collected or included, less tax refunded
//   net       gross + shipping − discounts − refunds − fees − (tax, where it is inside the prices)

export const TIME_DIMS = ['day', 'week', 'month'] as const;
export const OTHER_DIMS = ['channel', 'marketplace', 'vat-scheme', 'country', 'sku', 'currency'] as const;
export type TimeDim = (typeof TIME_DIMS)[number];
export type OtherDim = (typeof OTHER_DIMS)[number];
export type GroupDim = TimeDim | OtherDim;

export const METRICS = ['orders', 'units', 'gross', 'discounts', 'refunds', 'fees', 'shipping', 'tax', 'net'] as const;
export type Metric = (typeof METRICS)[number];
export const MONEY_METRICS = ['gross', 'discounts', 'refunds', 'fees', 'shipping', 'tax', 'net'] as const;
export type MoneyMetric = (typeof MONEY_METRICS)[number];

export type Metrics = Record<Metric, bigint>;

export interface SalesRow {
  period: string;
  channel?: string;
  marketplace?: string;
  /** With --group-by vat-scheme: how the VAT was accounted for (domestic, oss, ioss, uk, marketplace, import…). */
  vatScheme?: string;
  country?: string;
  sku?: string;
  /** The currency of the money columns (the target with --currency, else the native one). */
  currency: string;
  /** With --currency and --group-by currency: the currency the orders were in. */
  sourceCurrency?: string;
  m: Metrics;
}

export function zeroMetrics(): Metrics {
  return { orders: 0n, units: 0n, gross: 0n, discounts: 0n, refunds: 0n, fees: 0n, shipping: 0n, tax: 0n, net: 0n };
}

export function addMetrics(a: Metrics, b: Metrics): Metrics {
  const out = zeroMetrics();
  for (const k of METRICS) out[k] = a[k] + b[k];
  return out;
}

/** Parse "month,channel" into dimensions; at most one time dimension; no repeats. */
export function parseGroupBy(text: string | undefined): { time?: TimeDim; dims: OtherDim[] } | { error: string } {
  const out: { time?: TimeDim; dims: OtherDim[] } = { dims: [] };
  if (!text) return out;
  for (const raw of text.split(',')) {
    const d = raw.trim();
    if (!d) continue;
    if ((TIME_DIMS as readonly string[]).includes(d)) {
      if (out.time) return { error: `--group-by takes one time grouping, got ${out.time} and ${d}` };
      out.time = d as TimeDim;
    } else if ((OTHER_DIMS as readonly string[]).includes(d)) {
      if (out.dims.includes(d as OtherDim)) return { error: `--group-by lists ${d} twice` };
      out.dims.push(d as OtherDim);
    } else {
      return { error: `--group-by: unknown grouping ${JSON.stringify(d)} (use ${[...TIME_DIMS, ...OTHER_DIMS].join(', ')})` };
    }
  }
  // Canonical order, whatever order the flag listed them in: the columns are stable.
  out.dims = OTHER_DIMS.filter((d) => out.dims.includes(d));
  return out;
}

/**
 * The columns of the summary, in their stable order: period, the requested dimensions in the order
 * channel, marketplace, vat_scheme, country, sku, then currency (and source_currency when converting and grouping
 * by currency), then the metrics.
 */
export function summaryColumns(dims: readonly OtherDim[], converting: boolean): string[] {
  const cols = ['period'];
  for (const d of ['channel', 'marketplace', 'vat-scheme', 'country', 'sku'] as const) if (dims.includes(d)) cols.push(d === 'vat-scheme' ? 'vat_scheme' : d);
  cols.push('currency');
  if (converting && dims.includes('currency')) cols.push('source_currency');
  return [...cols, ...METRICS];
}

/** Totals per currency: the exact sum of the rows (sorted by currency). */
export function totalsByCurrency(rows: readonly SalesRow[]): Map<string, Metrics> {
  const totals = new Map<string, Metrics>();
  for (const r of rows) totals.set(r.currency, addMetrics(totals.get(r.currency) ?? zeroMetrics(), r.m));
  return new Map([...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A spreadsheet would evaluate a text cell starting with = + - @ TAB CR: prefix it with '. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
