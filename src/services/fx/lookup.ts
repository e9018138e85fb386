// Exact cross rates from the stored reference rates (PRODUCT.md §6). A stable contract used by
// `fx convert`, `prices update` and the sales reports:
//   - rates come from one source (default `ecb`, which quotes 1 EUR = x CCY);
//   - a cross rate is rate_to / rate_from as an exact Ratio, never rounded;
//   - a date without publication (weekend, TARGET holiday) uses the latest earlier publication date
//     and says so (`fallback`); a currency the source lacks on that publication date, an unknown
//     code, or a date before the first stored rate is an InvalidInputError (exit 3), never a guess;
//   - a withdrawn currency (BGN, HRK) is looked up at the source up to its last day, and after it at
//     its irrevocable euro conversion rate (BGN 1.95583 from 2026-01-01, HRK 7.53450 from 2023-01-01),
//     reported in `fixed` so the output can say which was used;
//   - a manual override (`fx update --rate USD/GBP=0.79 --date D`) for the pair (either direction)
//     wins over the source when its date is the same as or later than the source's publication date,
//     and an older one is used when the source lacks one of the currencies on its publication day.

import { InvalidInputError } from '../../core/errors.js';
import { irrevocableEuroRate, isCurrencyOn, isKnownCurrency, WITHDRAWN_CURRENCIES } from '../../core/currencies.js';
import { isIsoDate } from '../../core/fx.js';
import { fromRatio, ONE, parseDecimal, rDiv, rMul, toRatio, type Money, type Ratio, type RoundingMode } from '../../core/money.js';
import { MANUAL_SOURCE, type FxRates, type RateRow } from './ports.js';

export interface CrossRate {
  from: string;
  to: string;
  /** units of `to` per 1 `from`, exact */
  rate: Ratio;
  /** the publication date actually used, YYYY-MM-DD */
  rateDate: string;
  requestedDate: string;
  source: string;
  /** true when rateDate < requestedDate */
  fallback: boolean;
  /** Legs taken at an irrevocable euro conversion rate instead of the source (a withdrawn currency after its changeover). */
  fixed?: Array<{ currency: string; rate: string; from: string; source: string }>;
}

export const DEFAULT_SOURCE = 'ecb';

class UseManual extends Error {}

export { isIsoDate };

function checkCurrency(store: FxRates, code: string, role: string): void {
  if (!/^[A-Z]{3}$/.test(code) || !(isKnownCurrency(code) || store.fxRates.hasQuote(code))) {
    throw new InvalidInputError(`unknown currency ${JSON.stringify(code)} (${role})`, {
      hints: ['use an ISO 4217 code such as EUR, USD, GBP, JPY (upper case)'],
    });
  }
}

function parseRate(text: string, where: string): Ratio {
  const r = parseDecimal(text);
  if (r.num <= 0n) throw new InvalidInputError(`stored rate ${where} is not positive: ${text}`);
  return r;
}

export function crossRate(store: FxRates, from: string, to: string, date: string, opts: { source?: string } = {}): CrossRate {
  const source = opts.source ?? DEFAULT_SOURCE;
  checkCurrency(store, from, 'from');
  checkCurrency(store, to, 'to');
  if (!isIsoDate(date)) {
    throw new InvalidInputError(`not a date: ${JSON.stringify(date)}`, { hints: ['write dates as YYYY-MM-DD, e.g. 2026-04-13'] });
  }
  if (from === to) return { from, to, rate: ONE, rateDate: date, requestedDate: date, source, fallback: false };

  // Withdrawn currencies after their changeover: the irrevocable euro rate, exactly; between such a
  // currency and the euro no published rate is needed at all.
  const fixedFrom = irrevocableEuroRate(from, date);
  const fixedTo = irrevocableEuroRate(to, date);
  const fixed: NonNullable<CrossRate['fixed']> = [];
  if (fixedFrom) fixed.push({ currency: from, ...fixedFrom });
  if (fixedTo) fixed.push({ currency: to, ...fixedTo });
  if ((from === 'EUR' || fixedFrom) && (to === 'EUR' || fixedTo)) {
    const a = fixedFrom ? parseDecimal(fixedFrom.rate) : ONE;
    const b = fixedTo ? parseDecimal(fixedTo.rate) : ONE;
    const firstDay = [fixedFrom?.from, fixedTo?.from].filter((d): d is string => Boolean(d)).sort().pop()!;
    return { from, to, rate: rDiv(b, a), rateDate: firstDay, requestedDate: date, source: 'irrevocable', fallback: false, fixed };
  }

  const published = store.fxRates.publicationOnOrBefore(source, date);
  const manual = store.fxRates.latestManual(from, to, date);
  const fromManual = (row: RateRow): CrossRate => {
    const r = parseRate(row.rate, `${row.base}/${row.quote} on ${row.rate_date}`);
    const rate = row.base === from ? r : rDiv(ONE, r);
    return { from, to, rate, rateDate: row.rate_date, requestedDate: date, source: MANUAL_SOURCE, fallback: row.rate_date < date };
  };
  if (manual && (!published || manual.rate_date >= published)) return fromManual(manual);

  if (!published) {
    const first = store.fxRates.firstPublication(source);
    throw new InvalidInputError(
      first
        ? `no ${source} rates on or before ${date}: the first stored rate is from ${first}`
        : `no ${source} exchange rates are stored yet`,
      { hints: first ? ['pick a later --date, or load older rates with `merchant fx update --file eurofxref-hist.csv`'] : ['run `merchant fx update --source ecb` (or `--file eurofxref-hist.csv`) first'] },
    );
  }
  const base = store.fxRates.sourceBase(source) ?? 'EUR';
  const leg = (ccy: string): Ratio => {
    if (ccy === base) return ONE;
    const fixedLeg = ccy === from ? fixedFrom : ccy === to ? fixedTo : undefined;
    if (fixedLeg && base === 'EUR') return parseDecimal(fixedLeg.rate);
    const text = store.fxRates.rateText(source, published, base, ccy);
    if (text === undefined) {
      // The source lacks the currency that day (AED never, BGN since 2026): an older manual rate for
      // the pair is the seller's stated rate, better than none.
      if (manual) throw new UseManual();
      const last = store.fxRates.lastDateWithQuote(source, ccy, published);
      const onDate = published === date ? `on ${date}` : `on ${published} (the latest publication on or before ${date})`;
      throw new InvalidInputError(`${source} has no ${ccy} rate ${onDate}`, {
        hints: [
          last
            ? `${source} last published ${ccy} on ${last}; use --date ${last} or record a manual rate: merchant fx update --rate ${base}/${ccy}=<rate> --date ${date}`
            : `${source} does not publish ${ccy}; record a manual rate: merchant fx update --rate ${from}/${to}=<rate> --date ${date}`,
        ],
      });
    }
    return parseRate(text, `${base}/${ccy} on ${published}`);
  };
  let rFrom: Ratio;
  let rTo: Ratio;
  try {
    rFrom = leg(from);
    rTo = leg(to);
  } catch (e) {
    if (e instanceof UseManual && manual) return fromManual(manual);
    throw e;
  }
  return { from, to, rate: rDiv(rTo, rFrom), rateDate: published, requestedDate: date, source, fallback: published < date, ...(fixed.length ? { fixed } : {}) };
}

/** Convert exactly at the cross rate of `date` and round once, with `mode`, to `to`'s ISO exponent. */
export function convertMoney(store: FxRates, m: Money, to: string, date: string, mode: RoundingMode): { money: Money; rate: CrossRate } {
  const rate = crossRate(store, m.currency, to, date);
  if (!isCurrencyOn(to, date)) {
    const w = WITHDRAWN_CURRENCIES[to];
    throw new InvalidInputError(
      w ? `${to} was replaced by the euro after ${w.lastDay} (1 EUR = ${w.conversionRate} ${to}): there is no ${to} amount on ${date}` : `${to} is not a current ISO 4217 currency, so it has no minor unit to round an amount to`,
      { hints: [w ? `convert into EUR, or use --date ${w.lastDay} or earlier` : 'convert into a current currency'] },
    );
  }
  return { money: fromRatio(rMul(toRatio(m), rate.rate), to, mode), rate };
}
