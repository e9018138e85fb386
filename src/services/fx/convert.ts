// `fx convert` and `fx rates`: exact conversion at a date's reference rate, and the rates of a date.

import { InvalidInputError, UsageError } from '../../core/errors.js';
import { isKnownCurrency } from '../../core/currencies.js';
import { formatRate, ratioText } from '../../core/fx.js';
import { formatAmount, isRoundingMode, MoneyError, ONE, parseAmount, parseDecimal, rDiv, type RoundingMode } from '../../core/money.js';
import { MANUAL_SOURCE, type FxRates } from './ports.js';
import { convertMoney, crossRate, DEFAULT_SOURCE, isIsoDate, type CrossRate } from './lookup.js';

/** A cross rate as every command reports it (fx convert, prices explain). */
export interface RateReport {
  /** units of `to` per 1 `from`: exact when it terminates, else 12 significant digits */
  rate: string;
  /** the exact cross rate as a reduced fraction */
  rateExact: string;
  rateDate: string;
  requestedDate: string;
  fallback: boolean;
  source: string;
  /** the published rates the cross rate was computed from (an irrevocable euro conversion rate is marked `fixed`) */
  legs: Array<{ base: string; quote: string; rate: string; fixed?: { from: string; source: string } }>;
}

export interface ConvertResult extends Omit<RateReport, 'legs'> {
  from: { amount: string; currency: string };
  to: { amount: string; currency: string };
  rounding: RoundingMode;
  legs: RateReport['legs'];
}

export function describeRate(store: FxRates, r: CrossRate): RateReport {
  return {
    rate: formatRate(r.rate),
    rateExact: ratioText(r.rate),
    rateDate: r.rateDate,
    requestedDate: r.requestedDate,
    fallback: r.fallback,
    source: r.source,
    legs: legsOf(store, r),
  };
}

export function parseRounding(text: string | undefined, where: string): RoundingMode {
  const v = text ?? 'halfUp';
  if (!isRoundingMode(v)) {
    throw new UsageError(`${where} must be one of halfUp, halfEven, halfDown, up, down, ceil, floor; got ${JSON.stringify(v)}`);
  }
  return v;
}

export function checkDate(date: string, flag = '--date'): string {
  if (!isIsoDate(date)) throw new UsageError(`${flag} ${JSON.stringify(date)} is not a date`, { hints: ['write dates as YYYY-MM-DD, e.g. 2026-04-13'] });
  return date;
}

/** The published rates a cross rate was computed from. */
function legsOf(store: FxRates, r: CrossRate): RateReport['legs'] {
  if (r.from === r.to) return [];
  if (r.source === 'irrevocable') return (r.fixed ?? []).map((f) => ({ base: 'EUR', quote: f.currency, rate: f.rate, fixed: { from: f.from, source: f.source } }));
  if (r.source === MANUAL_SOURCE) {
    const row = store.fxRates.latestManual(r.from, r.to, r.rateDate);
    return row ? [{ base: row.base, quote: row.quote, rate: row.rate }] : [];
  }
  const base = store.fxRates.sourceBase(r.source) ?? 'EUR';
  const legs: RateReport['legs'] = [];
  for (const c of [r.from, r.to]) {
    if (c === base) continue;
    const fixed = r.fixed?.find((f) => f.currency === c);
    if (fixed) {
      legs.push({ base: 'EUR', quote: c, rate: fixed.rate, fixed: { from: fixed.from, source: fixed.source } });
      continue;
    }
    const text = store.fxRates.rateText(r.source, r.rateDate, base, c);
    if (text !== undefined) legs.push({ base, quote: c, rate: text });
  }
  return legs;
}

export function convertAmount(
  store: FxRates,
  opts: { amount: string; from: string; to: string; date: string; rounding: RoundingMode },
): ConvertResult {
  const from = opts.from.toUpperCase();
  const to = opts.to.toUpperCase();
  if (!isKnownCurrency(from)) {
    // crossRate would say the same; say it before complaining about the amount's decimals.
    crossRate(store, from, to, opts.date);
  }
  let m;
  try {
    m = parseAmount(opts.amount, from);
  } catch (e) {
    if (e instanceof MoneyError) throw new UsageError(`amount ${JSON.stringify(opts.amount)}: ${e.message}`, { hints: [`e.g. merchant fx convert 100 ${from} ${to}`] });
    throw e;
  }
  const { money, rate } = convertMoney(store, m, to, opts.date, opts.rounding);
  const { legs, ...head } = describeRate(store, rate);
  // (rounding before legs: the documented key order of `fx convert --json`)
  return { from: { amount: formatAmount(m), currency: from }, to: { amount: formatAmount(money), currency: to }, ...head, rounding: opts.rounding, legs };
}

export interface RatesResult {
  base: string;
  source: string;
  rateDate: string;
  requestedDate: string;
  fallback: boolean;
  rates: Array<{ currency: string; rate: string; published: string | null }>;
  overrides: Array<{ date: string; base: string; quote: string; rate: string }>;
}

/** Every currency the source published on the date (or the latest earlier date), quoted per 1 `base`. */
export function ratesOn(store: FxRates, opts: { date: string; base: string; source?: string }): RatesResult {
  const source = opts.source ?? DEFAULT_SOURCE;
  const base = opts.base.toUpperCase();
  const published = store.fxRates.publicationOnOrBefore(source, opts.date);
  if (!published) {
    // Let crossRate produce the exact message (no rates yet / date before the first rate).
    crossRate(store, 'EUR', 'USD', opts.date, { source });
    throw new InvalidInputError(`no ${source} rates on or before ${opts.date}`);
  }
  const srcBase = store.fxRates.sourceBase(source) ?? 'EUR';
  const rows = store.fxRates.quotesOn(source, published);
  const byQuote = new Map(rows.map((r) => [r.quote, r.rate]));
  let basePer: typeof ONE;
  if (base === srcBase) basePer = ONE;
  else {
    const t = byQuote.get(base);
    if (t === undefined) {
      // The exact error (unknown currency / not published that day).
      crossRate(store, base, srcBase, opts.date, { source });
      throw new InvalidInputError(`${source} has no ${base} rate on ${published}`);
    }
    basePer = parseDecimal(t);
  }
  const rates: RatesResult['rates'] = [];
  const all = [srcBase, ...rows.map((r) => r.quote)].filter((c) => c !== base);
  for (const c of all.sort()) {
    const quote = c === srcBase ? ONE : parseDecimal(byQuote.get(c)!);
    const cross = rDiv(quote, basePer);
    rates.push({ currency: c, rate: formatRate(cross), published: c === srcBase ? null : byQuote.get(c)! });
  }
  return {
    base,
    source,
    rateDate: published,
    requestedDate: opts.date,
    fallback: published < opts.date,
    rates,
    overrides: store.fxRates.manualRows(opts.date).map((r) => ({ date: r.rate_date, base: r.base, quote: r.quote, rate: r.rate })),
  };
}
