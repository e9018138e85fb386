// The stored reference rates (fx_rates, migration 0003): published decimal text keyed by
// (source, rate_date, base, quote); `rate` = units of `quote` per 1 unit of `base`.

import { PreparedOnce } from './prepared.js';
import type { FxRatesRepo, RateFile, RateRow, RateWriteCounts } from '../../ports/fx.js';

const MANUAL = 'manual';

export class SqliteFxRates extends PreparedOnce implements FxRatesRepo {
  // (Statements prepared once per connection: crossRate runs per order line in reports.)

  sourceBase(source: string): string | undefined {
    if (source === 'ecb') return 'EUR';
    const row = this.stmt('SELECT base FROM fx_rates WHERE source = ? LIMIT 1').get(source) as { base: string } | undefined;
    return row?.base;
  }

  publicationOnOrBefore(source: string, date: string): string | undefined {
    const row = this.stmt('SELECT max(rate_date) AS d FROM fx_rates WHERE source = ? AND rate_date <= ?').get(source, date) as { d: string | null } | undefined;
    return row?.d ?? undefined;
  }

  firstPublication(source: string): string | undefined {
    const row = this.stmt('SELECT min(rate_date) AS d FROM fx_rates WHERE source = ?').get(source) as { d: string | null } | undefined;
    return row?.d ?? undefined;
  }

  rateText(source: string, date: string, base: string, quote: string): string | undefined {
    const row = this.stmt('SELECT rate FROM fx_rates WHERE source = ? AND rate_date = ? AND base = ? AND quote = ?').get(source, date, base, quote) as
      | { rate: string }
      | undefined;
    return row?.rate;
  }

  lastDateWithQuote(source: string, quote: string, date: string): string | undefined {
    const row = this.stmt('SELECT max(rate_date) AS d FROM fx_rates WHERE source = ? AND quote = ? AND rate_date <= ?').get(source, quote, date) as
      | { d: string | null }
      | undefined;
    return row?.d ?? undefined;
  }

  quotesOn(source: string, date: string): RateRow[] {
    return this.stmt('SELECT source, rate_date, base, quote, rate FROM fx_rates WHERE source = ? AND rate_date = ? ORDER BY quote').all(source, date) as RateRow[];
  }

  latestManual(from: string, to: string, date: string): RateRow | undefined {
    return this.stmt(
      `SELECT source, rate_date, base, quote, rate FROM fx_rates
       WHERE source = 'manual' AND rate_date <= ?
         AND ((base = ? AND quote = ?) OR (base = ? AND quote = ?))
       ORDER BY rate_date DESC, (base = ?) DESC LIMIT 1`,
    ).get(date, from, to, to, from, from) as RateRow | undefined;
  }

  manualRows(date?: string): RateRow[] {
    return (date
      ? this.stmt(`SELECT source, rate_date, base, quote, rate FROM fx_rates WHERE source = 'manual' AND rate_date = ? ORDER BY base, quote`).all(date)
      : this.stmt(`SELECT source, rate_date, base, quote, rate FROM fx_rates WHERE source = 'manual' ORDER BY rate_date, base, quote`).all()) as RateRow[];
  }

  hasQuote(currency: string): boolean {
    return this.stmt('SELECT 1 FROM fx_rates WHERE quote = ? OR base = ? LIMIT 1').get(currency, currency) !== undefined;
  }

  hasAnyRate(): boolean {
    return this.stmt('SELECT 1 FROM fx_rates LIMIT 1').get() !== undefined;
  }

  storeFile(source: string, file: RateFile, fetchedAt: string, same: (stored: string, given: string) => boolean): RateWriteCounts & { currencies: string[] } {
    const dates = file.days.map((d) => d.date).sort();
    const counts: RateWriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
    const currencies = new Set<string>();
    this.store.tx(() => {
      const existing = new Map<string, string>();
      for (const row of this.stmt('SELECT rate_date, quote, rate FROM fx_rates WHERE source = ? AND base = ? AND rate_date BETWEEN ? AND ?').iterate(
        source,
        file.base,
        dates[0],
        dates[dates.length - 1],
      ) as Iterable<{ rate_date: string; quote: string; rate: string }>) {
        existing.set(`${row.rate_date}|${row.quote}`, row.rate);
      }
      const insert = this.stmt('INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES (?, ?, ?, ?, ?, ?)');
      const update = this.stmt('UPDATE fx_rates SET rate = ?, fetched_at = ? WHERE source = ? AND rate_date = ? AND base = ? AND quote = ?');
      for (const day of file.days) {
        for (const { quote, rate } of day.rates) {
          currencies.add(quote);
          const old = existing.get(`${day.date}|${quote}`);
          if (old === undefined) {
            insert.run(source, day.date, file.base, quote, rate, fetchedAt);
            counts.inserted++;
          } else if (same(old, rate)) {
            counts.unchanged++;
          } else {
            update.run(rate, fetchedAt, source, day.date, file.base, quote);
            counts.updated++;
          }
        }
      }
    });
    return { ...counts, currencies: [...currencies].sort() };
  }

  manualOn(date: string, base: string, quote: string): string | undefined {
    const row = this.stmt(`SELECT rate FROM fx_rates WHERE source = '${MANUAL}' AND rate_date = ? AND base = ? AND quote = ?`).get(date, base, quote) as
      | { rate: string }
      | undefined;
    return row?.rate;
  }

  deleteManual(date: string, base: string, quote: string): void {
    this.stmt(`DELETE FROM fx_rates WHERE source = '${MANUAL}' AND rate_date = ? AND base = ? AND quote = ?`).run(date, base, quote);
  }

  upsertManual(date: string, base: string, quote: string, rate: string, fetchedAt: string): void {
    this.stmt(
      `INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('${MANUAL}', ?, ?, ?, ?, ?)
       ON CONFLICT (source, rate_date, base, quote) DO UPDATE SET rate = excluded.rate, fetched_at = excluded.fetched_at`,
    ).run(date, base, quote, rate, fetchedAt);
  }
}
