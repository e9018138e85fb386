// Helpers shared by the marketplace adapters: JSON bodies with exact decimal numbers (no float on a
// money path), amounts from wire values, batching.

import { formatAmount, parseAmount, type Money } from '../../core/money.js';

/** A decimal written into JSON as a bare number, digit for digit ("16.90" → 16.90). */
export class RawDecimal {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes RawDecimal unquoted and BigInt as a number. */
export function jsonWithDecimals(value: unknown): string {
  const marks: string[] = [];
  const s = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof RawDecimal) {
      marks.push(v.text);
      return `\u0000D${marks.length - 1}\u0000`;
    }
    if (typeof v === 'bigint') {
      marks.push(v.toString());
      return `\u0000D${marks.length - 1}\u0000`;
    }
    return v;
  });
  return s.replace(/"\\u0000D(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]!);
}

export function decimalOf(m: Money): RawDecimal {
  return new RawDecimal(formatAmount(m));
}

/** An amount from the wire: a decimal string, or a JSON number (printed back exactly as parsed). */
export function moneyFromWire(value: unknown, currency: string): Money | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'number' ? numberText(value) : String(value);
  try {
    return parseAmount(text, currency, { rounding: 'halfUp' });
  } catch {
    return undefined;
  }
}

/** Shortest round-trip text of a JSON number, never in exponent form. */
function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

export function minorFromWire(value: unknown, currency: string): bigint {
  return moneyFromWire(value, currency)?.minor ?? 0n;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

export function upperCountry(v: unknown): string | null {
  const s = str(v);
  return s && /^[A-Za-z]{2}$/.test(s) ? s.toUpperCase() : null;
}
