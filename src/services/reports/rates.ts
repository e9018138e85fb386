// Exchange rates for reports: the exact rate from one currency to another on a date (or the latest
// earlier published date), as a ratio of minor units, with the rate date actually used.
// Reads the FX store (fx_rates, ECB convention: 1 EUR = rate × quote); a manual rate for the same
// date wins over a published one.

import type { Store } from '../../store/db.js';
import { InvalidInputError } from '../../cli/errors.js';
import { currencyExponent } from '../../core/currencies.js';
import { parseDecimal, rDiv, rMul, ratio, type Ratio, ONE } from '../../core/money.js';

export interface ReportRate {
  /** Multiply an amount in `from` minor units by this ratio to get `to` minor units (before rounding). */
  minorFactor: Ratio;
  /** The exchange rate in major units (units of `to` per 1 `from`), exact. */
  rate: Ratio;
  /** The date of the published rate used (≤ the requested date). */
  rateDate: string;
}

interface RateRow {
  rate: string;
  rate_date: string;
}

export class RateBook {
  private stmt;
  private cache = new Map<string, { rate: Ratio; rateDate: string } | Error>();

  constructor(private readonly store: Store) {
    this.stmt = store.db.prepare(
      `SELECT rate, rate_date FROM fx_rates WHERE base = 'EUR' AND quote = ? AND rate_date <= ?
       ORDER BY rate_date DESC, (source = 'manual') DESC LIMIT 1`,
    );
  }

  /** 1 EUR = r units of `currency`, on or before `date`. */
  private eurRate(currency: string, date: string): { rate: Ratio; rateDate: string } {
    if (currency === 'EUR') return { rate: ONE, rateDate: date };
    const key = `${currency}|${date}`;
    let hit = this.cache.get(key);
    if (!hit) {
      const row = this.stmt.get(currency, date) as RateRow | undefined;
      hit = row
        ? { rate: parseDecimal(row.rate), rateDate: row.rate_date }
        : new InvalidInputError(`no exchange rate for ${currency} on or before ${date}`, {
            hints: ['load rates first: `merchant fx update --file eurofxref-hist.csv` (or `--source ecb --history`)',
              `or set one by hand: \`merchant fx update --rate EUR/${currency}=… --date ${date}\``],
          });
      this.cache.set(key, hit);
    }
    if (hit instanceof Error) throw hit;
    return hit;
  }

  /** The rate from → to on `date`; throws InvalidInputError when the store has none. */
  lookup(from: string, to: string, date: string): ReportRate {
    if (from === to) return { minorFactor: ONE, rate: ONE, rateDate: date };
    const f = this.eurRate(from, date);
    const t = this.eurRate(to, date);
    const rate = rDiv(t.rate, f.rate);
    const scale = ratio(10n ** BigInt(currencyExponent(to)), 10n ** BigInt(currencyExponent(from)));
    // The older of the two dates is the one that limited the lookup; both are ≤ date.
    const rateDate = from === 'EUR' ? t.rateDate : to === 'EUR' ? f.rateDate : f.rateDate < t.rateDate ? f.rateDate : t.rateDate;
    return { minorFactor: rMul(rate, scale), rate, rateDate };
  }
}
