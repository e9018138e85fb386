// Exchange rates for reports, through the FX store's exact cross-rate lookup (services/fx/lookup.ts):
// the rate from one currency to another on a date (or the latest earlier publication, e.g. Friday's
// for a Saturday order), as a ratio of minor units, with the rate date actually used.

import { currencyExponent } from '../../core/currencies.js';
import { rMul, ratio, type Ratio, ONE } from '../../core/money.js';
import { crossRate } from '../fx/lookup.js';
import type { FxRates } from '../fx/ports.js';

export interface ReportRate {
  /** Multiply an amount in `from` minor units by this ratio to get `to` minor units (before rounding). */
  minorFactor: Ratio;
  /** The exchange rate in major units (units of `to` per 1 `from`), exact. */
  rate: Ratio;
  /** The publication date of the rate used (≤ the requested date). */
  rateDate: string;
  /** The rate is an irrevocable euro conversion rate (a withdrawn currency), never stale. */
  fixed?: boolean;
}

export class RateBook {
  private cache = new Map<string, ReportRate | Error>();
  // The rates repository prepares each of its statements once per store, so thousands of
  // (currency, day) look-ups cost no compiling.
  constructor(private readonly store: FxRates) {}

  /** The rate from → to on `date`; throws InvalidInputError (exit 3) when the store has none. */
  lookup(from: string, to: string, date: string): ReportRate {
    if (from === to) return { minorFactor: ONE, rate: ONE, rateDate: date };
    const key = `${from}|${to}|${date}`;
    let hit = this.cache.get(key);
    if (!hit) {
      try {
        const r = crossRate(this.store, from, to, date);
        const scale = ratio(10n ** BigInt(currencyExponent(to)), 10n ** BigInt(currencyExponent(from)));
        hit = { minorFactor: rMul(r.rate, scale), rate: r.rate, rateDate: r.rateDate, ...(r.source === 'irrevocable' ? { fixed: true } : {}) };
      } catch (e) {
        hit = e as Error;
      }
      this.cache.set(key, hit);
    }
    if (hit instanceof Error) throw hit;
    return hit;
  }
}
