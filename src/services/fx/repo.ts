// SQL over fx_rates (migration 0003). Rates are the published decimal text, keyed by
// (source, rate_date, base, quote). `rate` = units of `quote` per 1 unit of `base`.
// Kept beside the fx services (the area owns its table); it only uses the Store handle.

import type { Statement, Store } from '../../store/db.js';

// Prepared statements are cached per connection: crossRate runs per order line in reports.
const cache = new WeakMap<object, Map<string, Statement>>();
function stmt(store: Store, sql: string): Statement {
  let m = cache.get(store.db);
  if (!m) cache.set(store.db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = store.db.prepare(sql)));
  return st;
}

export interface RateRow {
  source: string;
  rate_date: string;
  base: string;
  quote: string;
  rate: string;
}

export const MANUAL_SOURCE = 'manual';

/** The base currency a source quotes against (ECB: EUR). */
export function sourceBase(store: Store, source: string): string | undefined {
  if (source === 'ecb') return 'EUR';
  const row = stmt(store, 'SELECT base FROM fx_rates WHERE source = ? LIMIT 1').get(source) as { base: string } | undefined;
  return row?.base;
}

/** The latest date on or before `date` on which the source published anything. */
export function publicationOnOrBefore(store: Store, source: string, date: string): string | undefined {
  const row = stmt(store, 'SELECT max(rate_date) AS d FROM fx_rates WHERE source = ? AND rate_date <= ?')
    .get(source, date) as { d: string | null } | undefined;
  return row?.d ?? undefined;
}

export function firstPublication(store: Store, source: string): string | undefined {
  const row = stmt(store, 'SELECT min(rate_date) AS d FROM fx_rates WHERE source = ?').get(source) as { d: string | null } | undefined;
  return row?.d ?? undefined;
}

export function rateText(store: Store, source: string, date: string, base: string, quote: string): string | undefined {
  const row = stmt(store, 'SELECT rate FROM fx_rates WHERE source = ? AND rate_date = ? AND base = ? AND quote = ?')
    .get(source, date, base, quote) as { rate: string } | undefined;
  return row?.rate;
}

/** The last date on or before `date` on which the source had a rate for `quote` (for error messages). */
export function lastDateWithQuote(store: Store, source: string, quote: string, date: string): string | undefined {
  const row = stmt(store, 'SELECT max(rate_date) AS d FROM fx_rates WHERE source = ? AND quote = ? AND rate_date <= ?')
    .get(source, quote, date) as { d: string | null } | undefined;
  return row?.d ?? undefined;
}

export function quotesOn(store: Store, source: string, date: string): RateRow[] {
  return stmt(store, 'SELECT source, rate_date, base, quote, rate FROM fx_rates WHERE source = ? AND rate_date = ? ORDER BY quote')
    .all(source, date) as RateRow[];
}

/**
 * The latest manual override on or before `date` for the pair in either direction
 * (a direct A/B row is preferred over B/A on the same date).
 */
export function latestManual(store: Store, from: string, to: string, date: string): RateRow | undefined {
  return stmt(store, 
      `SELECT source, rate_date, base, quote, rate FROM fx_rates
       WHERE source = 'manual' AND rate_date <= ?
         AND ((base = ? AND quote = ?) OR (base = ? AND quote = ?))
       ORDER BY rate_date DESC, (base = ?) DESC LIMIT 1`,
    )
    .get(date, from, to, to, from, from) as RateRow | undefined;
}

export function manualRows(store: Store, date?: string): RateRow[] {
  return (date
    ? stmt(store, `SELECT source, rate_date, base, quote, rate FROM fx_rates WHERE source = 'manual' AND rate_date = ? ORDER BY base, quote`).all(date)
    : stmt(store, `SELECT source, rate_date, base, quote, rate FROM fx_rates WHERE source = 'manual' ORDER BY rate_date, base, quote`).all()) as RateRow[];
}

/** Whether any source ever stored a rate quoting this currency (withdrawn codes keep their history). */
export function hasQuote(store: Store, quote: string): boolean {
  return stmt(store, 'SELECT 1 FROM fx_rates WHERE quote = ? OR base = ? LIMIT 1').get(quote, quote) !== undefined;
}
