// Helpers shared by the marketplace adapters: JSON bodies with exact decimal numbers (no float on a
// money path), amounts from wire values, batching.

import { formatAmount, parseAmount, type Money } from '../../core/money.js';
import { HttpError } from '../../core/http-error.js';
import type { ItemOutcome, ListingChange } from '../../ports/marketplace.js';
import type { HttpFactory } from '../http/factory.js';

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

/**
 * An HttpError turned into one failed outcome per change (auth failures stop the whole push; anything
 * else is rethrown). `write`: the request was a write sent as idempotent, so a timeout, a lost
 * connection or a 5xx may have landed all the same (ambiguous: read back before trusting it).
 */
export function failAll(group: readonly ListingChange[], e: unknown, o: { write?: boolean } = {}): ItemOutcome[] {
  if (!(e instanceof HttpError)) throw e;
  if (e.kind === 'auth') throw e;
  return group.map((c) => ({
    key: c.key,
    channel: c.channel,
    sku: c.sku,
    ok: false,
    code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()),
    message: e.apiMessage ?? e.message,
    ambiguous: e.ambiguous || (o.write === true && mayHaveLanded(e)),
  }));
}

const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A write sent as idempotent (it carries an idempotency key, so the client may repeat it) that still
 * got no definite answer may have landed all the same: the caller must read back before trusting it.
 */
function mayHaveLanded(e: HttpError): boolean {
  if (e.kind === 'timeout') return true;
  if (e.kind === 'network') return !NEVER_SENT.has(String((e.cause as { code?: string } | undefined)?.code ?? ''));
  return e.status !== undefined && e.status >= 500;
}

/** The adapter's own waits (feed polling): the factory's sleep (real time by default), scaled by http.backoffScale. */
export function scaledSleep(factory: HttpFactory): (ms: number) => Promise<void> {
  const scale = factory.defaults.backoffScale;
  const sleep = factory.defaults.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return (ms) => sleep(Math.round(ms * scale));
}
