// Money as exact integer minor units (BigInt) in an ISO 4217 currency.
// No function here accepts or returns a JavaScript floating-point number for an amount.
// Every rounding takes an explicit mode: there is no hidden default inside arithmetic.

import { currencyExponent } from './currencies.js';

export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

export type RoundingMode =
  | 'halfUp' // half away from zero (EU Reg. 1103/97 art. 5; the default for tax and FX postings)
  | 'halfEven' // banker's rounding
  | 'halfDown' // half towards zero
  | 'up' // away from zero
  | 'down' // towards zero (truncate)
  | 'ceil' // towards +infinity
  | 'floor'; // towards -infinity

export const ROUNDING_MODES: readonly RoundingMode[] = ['halfUp', 'halfEven', 'halfDown', 'up', 'down', 'ceil', 'floor'];

export function isRoundingMode(s: string): s is RoundingMode {
  return (ROUNDING_MODES as readonly string[]).includes(s);
}

export class MoneyError extends Error {
  override name = 'MoneyError';
}

export function money(minor: bigint, currency: string): Money {
  currencyExponent(currency); // throws for unknown codes
  return { minor, currency };
}

export function zero(currency: string): Money {
  return money(0n, currency);
}

/** A rational number num/den with den > 0, used for exact rates and intermediate results. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new MoneyError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num < 0n ? -num : num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function gcd(a: bigint, b: bigint): bigint {
  // Below 2^53 a double holds every value exactly and % on doubles is exact: no BigInt per step
  // (prices update reduces half a million exact prices).
  if (a >= 0n && b >= 0n && a <= SAFE && b <= SAFE) {
    let x = Number(a);
    let y = Number(b);
    while (y !== 0) {
      const t = x % y;
      x = y;
      y = t;
    }
    return x === 0 ? 1n : BigInt(x);
  }
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a === 0n ? 1n : a;
}

export const ONE: Ratio = { num: 1n, den: 1n };
export const ZERO_RATIO: Ratio = { num: 0n, den: 1n };

export function rAdd(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}
export function rSub(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den - b.num * a.den, a.den * b.den);
}
export function rMul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den);
}
export function rDiv(a: Ratio, b: Ratio): Ratio {
  if (b.num === 0n) throw new MoneyError('division by zero');
  return ratio(a.num * b.den, a.den * b.num);
}
export function rCmp(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Divide num by den (den != 0) and round to an integer with the given mode. Exact. */
export function divRound(num: bigint, den: bigint, mode: RoundingMode): bigint {
  if (den === 0n) throw new MoneyError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den; // truncates towards zero
  const r = num % den; // same sign as num
  if (r === 0n) return q;
  const negative = num < 0n;
  const twiceR = (r < 0n ? -r : r) * 2n;
  const awayFromZero = negative ? q - 1n : q + 1n;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return awayFromZero;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'floor':
      return negative ? q - 1n : q;
    case 'halfUp':
      return twiceR >= den ? awayFromZero : q;
    case 'halfDown':
      return twiceR > den ? awayFromZero : q;
    case 'halfEven':
      if (twiceR > den) return awayFromZero;
      if (twiceR < den) return q;
      return q % 2n === 0n ? q : awayFromZero;
  }
}

export function roundRatio(r: Ratio, mode: RoundingMode): bigint {
  return divRound(r.num, r.den, mode);
}

/**
 * Parse a plain decimal string ("-12.345", "0.79", "1e-3" is refused) into an exact Ratio.
 * Strict: no thousands separators, no spaces, no exponent, one optional sign, at least one digit.
 */
export function parseDecimal(text: string): Ratio {
  const m = /^([+-])?(\d+)(?:\.(\d+))?$|^([+-])?\.(\d+)$/.exec(text);
  if (!m) throw new MoneyError(`not a plain decimal number: ${JSON.stringify(text)}`);
  const sign = (m[1] ?? m[4]) === '-' ? -1n : 1n;
  const intPart = m[2] ?? '0';
  const frac = m[3] ?? m[5] ?? '';
  const num = BigInt(intPart + frac) * sign;
  return ratio(num, 10n ** BigInt(frac.length));
}

export function isPlainDecimal(text: string): boolean {
  return /^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(text);
}

/** Render a ratio as a decimal string with at most `maxDigits` fraction digits (rounded halfUp), trailing zeros trimmed. */
export function formatRatio(r: Ratio, maxDigits = 10): string {
  const scale = 10n ** BigInt(maxDigits);
  const scaled = divRound(r.num * scale, r.den, 'halfUp');
  return trimZeros(formatScaled(scaled, maxDigits));
}

/** True when the ratio has a finite decimal expansion with at most `digits` fraction digits. */
export function isExactAt(r: Ratio, digits: number): boolean {
  return (r.num * 10n ** BigInt(digits)) % r.den === 0n;
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/\.?0+$/, '');
}

function formatScaled(scaled: bigint, exponent: number): string {
  const negative = scaled < 0n;
  const abs = (negative ? -scaled : scaled).toString();
  if (exponent === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(exponent + 1, '0');
  const intPart = padded.slice(0, padded.length - exponent);
  const frac = padded.slice(padded.length - exponent);
  return `${negative ? '-' : ''}${intPart}.${frac}`;
}

/**
 * Parse an amount written in major units ("19.99", "-0.5", "1000") for a currency into minor units.
 * More fraction digits than the currency allows is an error unless a rounding mode is given.
 * `decimalComma` accepts "19,99" instead of "19.99". Thousands separators are always refused.
 */
export function parseAmount(
  text: string,
  currency: string,
  opts: { decimalComma?: boolean; rounding?: RoundingMode } = {},
): Money {
  const exp = currencyExponent(currency);
  let t = text.trim();
  if (opts.decimalComma) {
    if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) {
      throw new MoneyError(`"${text}" has "." as a thousands separator; write it without one, e.g. "${t.replace(/\./g, '')}"`);
    }
    if (t.includes('.')) throw new MoneyError(`"${text}" uses "." but a decimal comma was expected (the file is ';'-delimited or --decimal-comma was given)`);
    t = t.replace(',', '.');
  }
  if (!opts.decimalComma && /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) {
    throw new MoneyError(`"${text}" has "," as a thousands separator; write it without one, e.g. "${t.replace(/,/g, '')}"`);
  }
  if (!isPlainDecimal(t)) {
    if (/^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/.test(t)) {
      throw new MoneyError(`"${text}" is in scientific notation (a spreadsheet may have mangled it)`);
    }
    throw new MoneyError(`"${text}" is not an amount (expected digits with an optional "${opts.decimalComma ? ',' : '.'}" and no thousands separators)`);
  }
  const r = parseDecimal(t);
  const scaled = ratio(r.num * 10n ** BigInt(exp), r.den);
  if (scaled.den !== 1n) {
    if (!opts.rounding) {
      throw new MoneyError(`"${text}" has more than ${exp} decimal place${exp === 1 ? '' : 's'}, the most ${currency} allows`);
    }
    return { minor: roundRatio(scaled, opts.rounding), currency };
  }
  return { minor: scaled.num, currency };
}

/** "1234.50" style: plain, no grouping, exactly the currency's exponent digits. Stable for CSV/JSON. */
export function formatAmount(m: Money): string {
  return formatScaled(m.minor, currencyExponent(m.currency));
}

/** Human display with grouping and symbol via Intl, but digits from ISO 4217 (never from Intl). */
export function formatMoney(m: Money, locale = 'en-US'): string {
  const exp = currencyExponent(m.currency);
  const plain = formatScaled(m.minor, exp);
  const negative = plain.startsWith('-');
  const [intPart = '0', frac] = (negative ? plain.slice(1) : plain).split('.');
  // Group the integer part with Intl on a BigInt (exact), then attach the fraction digits ourselves.
  const nf = new Intl.NumberFormat(locale, { useGrouping: true, maximumFractionDigits: 0 });
  const grouped = nf.format(BigInt(intPart));
  const decimalSep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return `${negative ? '-' : ''}${grouped}${frac !== undefined ? decimalSep + frac : ''} ${m.currency}`;
}

function assertSame(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  assertSame(a, b);
  return { minor: a.minor + b.minor, currency: a.currency };
}
export function sub(a: Money, b: Money): Money {
  assertSame(a, b);
  return { minor: a.minor - b.minor, currency: a.currency };
}
export function neg(a: Money): Money {
  return { minor: -a.minor, currency: a.currency };
}
export function sum(items: readonly Money[], currency: string): Money {
  let total = 0n;
  for (const m of items) {
    if (m.currency !== currency) throw new MoneyError(`currency mismatch: ${m.currency} vs ${currency}`);
    total += m.minor;
  }
  return { minor: total, currency };
}
export function cmp(a: Money, b: Money): -1 | 0 | 1 {
  assertSame(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/** Multiply by an exact ratio (a quantity, a percentage) and round once. */
export function mulRatio(m: Money, r: Ratio, mode: RoundingMode): Money {
  return { minor: divRound(m.minor * r.num, r.den, mode), currency: m.currency };
}

/** The exact value of an amount in major units, as a ratio (19.99 EUR → 1999/100). */
export function toRatio(m: Money): Ratio {
  return ratio(m.minor, 10n ** BigInt(currencyExponent(m.currency)));
}

/** Round an exact major-unit value into a currency's minor units. */
export function fromRatio(r: Ratio, currency: string, mode: RoundingMode): Money {
  const exp = currencyExponent(currency);
  return { minor: divRound(r.num * 10n ** BigInt(exp), r.den, mode), currency };
}

/**
 * Convert through quotes against a common base (ECB: "1 EUR = rate units").
 * amountTo = amount × rateTo / rateFrom, computed exactly and rounded once.
 * `rateFrom`/`rateTo` are the base→currency rates of the source and target currencies
 * (use ONE for the base currency itself).
 */
export function convert(m: Money, to: string, rateFrom: Ratio, rateTo: Ratio, mode: RoundingMode): Money {
  if (rateFrom.num <= 0n || rateTo.num <= 0n) throw new MoneyError('exchange rates must be positive');
  const value = rMul(toRatio(m), rDiv(rateTo, rateFrom));
  return fromRatio(value, to, mode);
}

/**
 * Split an amount over weights (largest-remainder method): the parts always sum to the amount exactly.
 * Ties in remainders go to the earlier weight, so the result is deterministic.
 */
export function allocate(m: Money, weights: readonly bigint[]): Money[] {
  if (weights.length === 0) throw new MoneyError('allocate needs at least one weight');
  if (weights.some((w) => w < 0n)) throw new MoneyError('weights must not be negative');
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n) throw new MoneyError('weights must not all be zero');
  const negative = m.minor < 0n;
  const amount = negative ? -m.minor : m.minor;
  const parts = weights.map((w) => (amount * w) / total);
  const remainders = weights.map((w, i) => ({ i, r: (amount * w) % total }));
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map((p) => ({ minor: negative ? -p : p, currency: m.currency }));
}

/** A percentage such as "15.3%" or "0.153" (share) into an exact ratio of 1. */
export function parsePercent(text: string): Ratio {
  const t = text.trim();
  if (t.endsWith('%')) {
    const r = parseDecimal(t.slice(0, -1).trim());
    return ratio(r.num, r.den * 100n);
  }
  return parseDecimal(t);
}

export function formatPercent(r: Ratio, maxDigits = 4): string {
  return `${formatRatio(rMul(r, ratio(100n)), maxDigits)}%`;
}
