// Pure helpers for displaying exact FX values. No I/O.

import { formatRatio, isExactAt, type Ratio } from './money.js';

/**
 * A rate as decimal text: exact when it terminates within `maxExactDigits` fraction digits
 * (1.1684, 0.79), otherwise rounded half-up to `sig` significant digits (159.833960972).
 * For display only: arithmetic always uses the Ratio.
 */
export function formatRate(r: Ratio, sig = 12, maxExactDigits = 12): string {
  if (isExactAt(r, maxExactDigits)) return formatRatio(r, maxExactDigits);
  const abs = r.num < 0n ? -r.num : r.num;
  const intPart = abs / r.den;
  let digits: number;
  if (intPart > 0n) digits = Math.max(0, sig - intPart.toString().length);
  else {
    // leading zeros after the point: smallest k with abs*10^k >= den
    let k = 0;
    let scaled = abs;
    while (scaled < r.den) {
      scaled *= 10n;
      k++;
    }
    digits = k - 1 + sig;
  }
  return formatRatio(r, digits);
}

/** A Ratio as "num/den" (exact, for machine-readable output). */
export function ratioText(r: Ratio): string {
  return r.den === 1n ? r.num.toString() : `${r.num}/${r.den}`;
}

/** Whole days from a to b (YYYY-MM-DD), b − a. */
export function daysBetween(a: string, b: string): number {
  const ms = Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Minor units as plain decimal text with exactly `exponent` fraction digits (1899, 2 → "18.99"). */
export function formatMinor(minor: bigint, exponent: number): string {
  const neg = minor < 0n;
  const abs = (neg ? -minor : minor).toString().padStart(exponent + 1, '0');
  const text = exponent === 0 ? abs : `${abs.slice(0, abs.length - exponent)}.${abs.slice(abs.length - exponent)}`;
  return neg ? `-${text}` : text;
}
