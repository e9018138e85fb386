// `merchant report stock`: quantity and value at cost per SKU and location, with totals that are the
// exact sums of the rows — the stock valuation an accountant needs at year end.
//
// - Quantity = on hand + in transit (a move between own locations not yet received is still owned);
//   in-transit units count at their destination.
// - `--at DATE`: the positions at the end of that day in the seller's time zone, rebuilt from the
//   append-only movement history (migration 220) and the transfers open at that instant.
// - Cost = the catalogue's unit cost plus its landed cost per unit (IAS 2: costs of purchase include
//   import duties and transport), in the cost currency. merchant keeps no cost history: a past date is
//   valued at today's catalogue cost, and the report says so. A SKU without a cost price is never valued
//   at 0: its row has no value and a note, its units go to a separate "not valued" total, and a warning
//   names how many.
// - `--currency X`: each row's value converted at the ECB reference rate of the report date (or the
//   latest earlier publication: the closing rate), rounded half-up once per row; totals are sums of the
//   rounded row values. The rate and its publication date are on every converted row.

import { InvalidInputError, UsageError } from '../../core/errors.js';
import { isCurrency } from '../../core/currencies.js';
import { daysBetween } from '../../core/fx.js';
import { divRound, formatRatio } from '../../core/money.js';
import { addDays, isIsoDate, localToUtcMs, utcKey } from '../../core/report-time.js';
import type { StockPosition, StockPositionQuery, StockValuationSource } from '../../ports/stock-valuation.js';
import type { FxRates } from '../fx/ports.js';
import { RateBook, type ReportRate } from './rates.js';
import { mapped } from '../../core/iterate.js';

export const NO_COST_NOTE = 'no cost price in the catalogue: not valued';

export interface StockReportOptions {
  /** The last day counted (inclusive, seller time zone); absent = now (the current levels). */
  at?: string;
  /** Today in the seller time zone (the default date, and the bound for --at). */
  today: string;
  timezone: string;
  /** Convert into this currency; absent = each row in its cost currency. */
  currency?: string;
  location?: string;
  skus?: readonly string[];
  maxAgeDays: number;
  /** true: a stale rate only warns; false: it refuses the report (exit 3). */
  allowStale: boolean;
}

export interface StockReportRow {
  sku: string;
  location: string;
  locationCountry: string;
  onHand: number;
  inTransit: number;
  quantity: number;
  /** The currency of `value`: the target with --currency, else the cost currency; null when not valued. */
  currency: string | null;
  /** Unit cost (cost + landed) in the cost currency (`sourceCurrency` when converting). */
  unitCost: bigint | null;
  value: bigint | null;
  /** When converting: the cost currency, the value in it, the rate used and its publication date. */
  sourceCurrency?: string | null;
  sourceValue?: bigint | null;
  rate?: string;
  rateDate?: string;
  note: string;
}

export interface StockReportTotal {
  /** null: the rows without a cost price (not valued). */
  currency: string | null;
  rows: number;
  onHand: number;
  inTransit: number;
  quantity: number;
  value: bigint | null;
}

export interface StockReportMeta {
  /** The date reported (inclusive, seller time zone). */
  at: string;
  /** Exclusive UTC bound of the positions (the start of the next day in the seller time zone). */
  atUtcExclusive: string;
  /** 'history' (rebuilt from movements) or 'current' (the stock levels now). */
  source: 'history' | 'current';
  timezone: string;
  currency: string;
  location: string | null;
  basis: string;
  costBasis: string;
  rounding: string | null;
  columns: string[];
  rates: { target: string; date: string; maxAgeDays: number; used: Array<{ currency: string; rate: string; rateDate: string; ageDays: number }> } | null;
  unvalued: { rows: number; skus: string[] };
  warnings: string[];
}

export interface StockReport {
  meta: StockReportMeta;
  /**
   * The rows, read again from the store each time (a million positions are never held at once): the
   * first pass made the meta and the totals; call it inside the source's snapshot (StockValuationSource
   * .snapshot) so the rows are the ones those were made from.
   */
  rows(): Iterable<StockReportRow>;
  totals: StockReportTotal[];
}

export const NATIVE_COLUMNS = ['sku', 'location', 'location_country', 'on_hand', 'in_transit', 'quantity', 'currency', 'unit_cost', 'value', 'note'];
export const CONVERTED_COLUMNS = [
  'sku', 'location', 'location_country', 'on_hand', 'in_transit', 'quantity', 'source_currency', 'unit_cost', 'source_value', 'rate', 'rate_date', 'currency', 'value', 'note',
];

export function stockReport(source: StockValuationSource, fx: FxRates, o: StockReportOptions): StockReport {
  if (o.at !== undefined && !isIsoDate(o.at)) throw new UsageError(`--at takes a date YYYY-MM-DD (the last day counted, in your time zone), got ${JSON.stringify(o.at)}`);
  if (o.at !== undefined && o.at > o.today) throw new UsageError(`--at ${o.at} is in the future (today is ${o.today} in ${o.timezone}): stock can only be reported up to today`);
  const target = o.currency?.toUpperCase();
  if (target !== undefined && !isCurrency(target)) throw new UsageError(`--currency: unknown currency ${JSON.stringify(o.currency)} (an ISO 4217 code such as EUR, SEK, USD)`);
  const historic = o.at !== undefined && o.at < o.today;
  const date = o.at ?? o.today;
  const boundMs = localToUtcMs(o.timezone, addDays(date, 1));
  const before = utcKey(boundMs);
  const warnings: string[] = [];
  if (historic) {
    const first = source.firstMovementAt();
    if (!first || first >= before) {
      warnings.push(`no stock movement is recorded on or before ${date}: the history starts ${first ? first.slice(0, 10) : 'with the first stock change'} (stock before migration 220 is an opening movement dated its last update)`);
    }
  }
  const query: StockPositionQuery = { ...(historic ? { before } : {}), ...(o.location ? { location: o.location } : {}), ...(o.skus?.length ? { skus: o.skus } : {}) };

  const book = new RateBook(fx);
  const used = new Map<string, ReportRate & { ageDays: number; rateText: string }>();
  const rateFor = (cur: string): ReportRate & { ageDays: number; rateText: string } => {
    let r = used.get(cur);
    if (!r) {
      const l = book.lookup(cur, target!, date); // InvalidInputError (exit 3) names the currency, date and `fx update`
      r = { ...l, ageDays: cur === target || l.fixed ? 0 : Math.max(0, daysBetween(l.rateDate, date)), rateText: formatRatio(l.rate, 12) };
      used.set(cur, r);
    }
    return r;
  };

  /** The row of one position (the rate of its currency looked up once, on its first row). */
  const rowOf = (p: StockPosition): StockReportRow => {
    const quantity = p.onHand + p.inTransit;
    // Plain object literals (no spreads): this runs once per SKU and location.
    if (p.costMinor === null || !p.costCurrency) {
      const row: StockReportRow = { sku: p.sku, location: p.location, locationCountry: p.locationCountry, onHand: p.onHand, inTransit: p.inTransit, quantity, currency: null, unitCost: null, value: null, note: NO_COST_NOTE };
      if (target) {
        row.sourceCurrency = p.costCurrency;
        row.sourceValue = null;
      }
      return row;
    }
    const unit = p.costMinor + p.landedMinor;
    const nativeValue = unit * BigInt(quantity);
    if (!target) return { sku: p.sku, location: p.location, locationCountry: p.locationCountry, onHand: p.onHand, inTransit: p.inTransit, quantity, currency: p.costCurrency, unitCost: unit, value: nativeValue, note: '' };
    const r = rateFor(p.costCurrency);
    const f = r.minorFactor;
    return {
      sku: p.sku,
      location: p.location,
      locationCountry: p.locationCountry,
      onHand: p.onHand,
      inTransit: p.inTransit,
      quantity,
      currency: target,
      unitCost: unit,
      value: divRound(nativeValue * f.num, f.den, 'halfUp'),
      sourceCurrency: p.costCurrency,
      sourceValue: nativeValue,
      rate: r.rateText,
      rateDate: r.rateDate,
      note: '',
    };
  };

  // First pass: what the meta and the totals need (every rate looked up, so a missing or stale one
  // refuses the report before anything is written). The rows themselves are not kept.
  const unvaluedSkus = new Set<string>();
  let unvaluedRows = 0;
  let negative = 0;
  // Totals: one per currency, the exact sum of its rows; then the rows without a cost (units only).
  const byCur = new Map<string | null, StockReportTotal>();
  for (const p of source.positions(query)) {
    const r = rowOf(p);
    if (r.quantity < 0) negative++;
    if (r.value === null) {
      unvaluedRows++;
      unvaluedSkus.add(r.sku);
    }
    const k = r.value === null ? null : r.currency;
    const t = byCur.get(k) ?? { currency: k, rows: 0, onHand: 0, inTransit: 0, quantity: 0, value: k === null ? null : 0n };
    t.rows++;
    t.onHand += r.onHand;
    t.inTransit += r.inTransit;
    t.quantity += r.quantity;
    if (t.value !== null && r.value !== null) t.value += r.value;
    byCur.set(k, t);
  }

  const stale = [...used.entries()].filter(([, r]) => r.ageDays > o.maxAgeDays);
  if (stale.length) {
    const [cur, r] = stale.sort((a, b) => b[1].ageDays - a[1].ageDays)[0]!;
    const msg = `${cur}→${target} for ${date} uses the rate of ${r.rateDate}, ${r.ageDays} days older (fx.maxAgeDays is ${o.maxAgeDays})`;
    if (!o.allowStale) {
      throw new InvalidInputError(`exchange rates are stale: ${msg}; no report was written`, {
        hints: ['run `merchant fx update` (or `merchant fx update --file eurofxref-hist.csv` for past dates) and report again', 'or pass --allow-stale to convert with these rates anyway'],
      });
    }
    warnings.push(`stale exchange rate: ${msg}: run \`merchant fx update\``);
  }
  if (unvaluedSkus.size) {
    const list = [...unvaluedSkus];
    warnings.push(`${list.length} SKU${list.length === 1 ? ' has' : 's have'} no cost price in the catalogue and ${list.length === 1 ? 'is' : 'are'} not valued (not counted as 0): ${list.slice(0, 10).join(', ')}${list.length > 10 ? ` and ${list.length - 10} more` : ''}; add a "cost" column (and "cost_currency") to the catalogue with \`merchant listings import\``);
  }
  if (negative) warnings.push(`${negative} row${negative === 1 ? ' has' : 's have'} negative stock (a location oversold or counted short): valued as negative; check with \`merchant stock list\``);

  const totals = [...byCur.values()].sort((a, b) => (a.currency === null ? 1 : b.currency === null ? -1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));

  const meta: StockReportMeta = {
    at: date,
    atUtcExclusive: new Date(boundMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    source: historic ? 'history' : 'current',
    timezone: o.timezone,
    currency: target ?? 'native',
    location: o.location ?? null,
    basis: historic
      ? `stock at the end of ${date} (${o.timezone}), rebuilt from the stock movements; on hand plus in transit between own locations (counted at their destination)`
      : `stock now: on hand plus in transit between own locations (counted at their destination)`,
    costBasis: `unit cost = the catalogue's cost price + landed cost per unit, in the cost currency${historic ? '; merchant keeps no cost history, so a past date is valued at the current catalogue cost' : ''}`,
    rounding: target
      ? `each row's value converted into ${target} at the ECB reference rate of ${date} (or the latest earlier publication), rounded half-up once per row; totals are sums of the rounded rows`
      : null,
    columns: target ? CONVERTED_COLUMNS : NATIVE_COLUMNS,
    rates: target
      ? {
          target,
          date,
          maxAgeDays: o.maxAgeDays,
          used: [...used.entries()].filter(([c]) => c !== target).sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, r]) => ({ currency, rate: formatRatio(r.rate, 12), rateDate: r.rateDate, ageDays: r.ageDays })),
        }
      : null,
    unvalued: { rows: unvaluedRows, skus: [...unvaluedSkus] },
    warnings,
  };
  return { meta, totals, rows: () => mapped(source.positions(query), rowOf) };
}
