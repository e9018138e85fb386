// Cell parsers shared by the order-report readers: amounts into exact minor units, timestamps into
// UTC ISO 8601, countries into ISO alpha-2. Each returns a value or an error message (no throw).

import { currencyExponent, isCountry, countryInfo } from '../../core/currencies.js';
import { localToUtcMs } from '../../core/report-time.js';
import { readFileSync } from 'node:fs';
import { dataPath } from '../../config/paths.js';
import { parseCsvLine } from '../../core/csvline.js';

export type Parsed<T> = { ok: T } | { error: string };

/** "12.50", "-2.00", "12,50" (decimal comma), "" → 0. Refuses thousands separators and exponents. */
export function parseMinor(text: string, currency: string, opts: { allowEmpty?: boolean } = {}): Parsed<bigint> {
  let t = text.trim();
  if (t === '') return opts.allowEmpty === false ? { error: 'is empty' } : { ok: 0n };
  let exp: number;
  try {
    exp = currencyExponent(currency);
  } catch {
    return { error: `unknown currency ${currency}` };
  }
  if (/^[+-]?\d+,\d+$/.test(t)) t = t.replace(',', '.');
  if (/[eE]/.test(t)) return { error: `"${text}" is in scientific notation (a spreadsheet may have mangled it)` };
  const m = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return { error: `"${text}" is not an amount` };
  const frac = m[3] ?? '';
  if (frac.length > exp && /[1-9]/.test(frac.slice(exp)) ) {
    return { error: `"${text}" has more than ${exp} decimal place${exp === 1 ? '' : 's'}, the most ${currency} allows` };
  }
  const digits = (m[2] ?? '0') + frac.slice(0, exp).padEnd(exp, '0');
  const v = BigInt(digits);
  return { ok: m[1] === '-' ? -v : v };
}

const SYMBOLS: Array<[RegExp, string]> = [
  [/^AU\s?\$/, 'AUD'], [/^C\s?\$/, 'CAD'], [/^US\s?\$/, 'USD'], [/^\$/, 'USD'], [/^£/, 'GBP'], [/^€/, 'EUR'], [/^¥/, 'JPY'],
];

/** eBay money cells: "$24.99", "£24.99", "AU $24.99", "EUR 24,99", "24.99". Currency may be null. */
export function splitMoney(text: string): { currency: string | null; amount: string } {
  let t = text.trim();
  let negative = false;
  if (t.startsWith('-')) {
    negative = true;
    t = t.slice(1).trim();
  }
  let currency: string | null = null;
  const code = /^([A-Z]{3})\s*/.exec(t);
  if (code) {
    currency = code[1]!;
    t = t.slice(code[0].length);
  } else {
    for (const [re, c] of SYMBOLS) {
      const m = re.exec(t);
      if (m) {
        currency = c;
        t = t.slice(m[0].length).trim();
        break;
      }
    }
  }
  const tail = /\s*([A-Z]{3})$/.exec(t);
  if (!currency && tail) {
    currency = tail[1]!;
    t = t.slice(0, -tail[0].length);
  }
  if (t.startsWith('-')) {
    negative = !negative;
    t = t.slice(1);
  }
  return { currency, amount: (negative ? '-' : '') + t.trim() };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Timestamps with an explicit zone: "2026-10-03T12:34:56Z", "2026-10-03T12:34:56+02:00",
 * "2026-10-03 14:22:05 +0200" (Shopify), "2026-10-03 08:52:26 UTC" (Amazon settlement).
 */
export function parseTimestamp(text: string): Parsed<string> {
  const t = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/.exec(t);
  if (!m) return { error: `"${text}" is not a timestamp with a zone (e.g. 2026-10-03T12:34:56Z or 2026-10-03 14:22:05 +0200)` };
  const [, date, hh, mi, ss = '00', zone] = m;
  const base = Date.parse(`${date}T${hh}:${mi}:${ss}Z`);
  if (Number.isNaN(base)) return { error: `"${text}" is not a valid date` };
  let offset = 0;
  if (zone !== 'Z' && zone !== 'UTC' && zone !== 'GMT') {
    const z = zone!.replace(':', '');
    offset = (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  return { ok: iso(base - offset * 60_000) };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = { PST: -480, PDT: -420, MST: -420, MDT: -360, CST: -360, CDT: -300, EST: -300, EDT: -240, GMT: 0, UTC: 0, BST: 60, CET: 60, CEST: 120, AEST: 600, AEDT: 660 };

/**
 * eBay report dates: "Oct-03-26", "Oct-03-2026", optionally "14:22:05 PDT", or ISO. A date without a
 * time is placed at 12:00 in the seller's zone, so it falls on that day in every report.
 */
export function parseEbayDate(text: string, timezone: string): Parsed<string> {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]/.test(t)) return parseTimestamp(t);
  let date: string | undefined;
  let rest = '';
  const a = /^([A-Za-z]{3})-(\d{1,2})-(\d{2}|\d{4})(.*)$/.exec(t);
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const c = /^(\d{1,2})[./](\d{1,2})[./](\d{4})(.*)$/.exec(t);
  const e = /^([A-Za-z]{3}) (\d{1,2}), (\d{4})(.*)$/.exec(t); // "Mar 16, 2026" (transaction report)
  if (a) {
    const mo = MONTHS.indexOf(a[1]!.toLowerCase());
    if (mo < 0) return { error: `"${text}" has an unknown month` };
    const y = a[3]!.length === 2 ? 2000 + Number(a[3]) : Number(a[3]);
    date = `${y}-${String(mo + 1).padStart(2, '0')}-${a[2]!.padStart(2, '0')}`;
    rest = a[4]!.trim();
  } else if (b) {
    date = t;
  } else if (e) {
    const mo = MONTHS.indexOf(e[1]!.toLowerCase());
    if (mo < 0) return { error: `"${text}" has an unknown month` };
    date = `${e[3]}-${String(mo + 1).padStart(2, '0')}-${e[2]!.padStart(2, '0')}`;
    rest = e[4]!.trim();
  } else if (c) {
    date = `${c[3]}-${c[2]!.padStart(2, '0')}-${c[1]!.padStart(2, '0')}`;
    rest = c[4]!.trim();
  }
  if (!date || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    return { error: `"${text}" is not a date (expected e.g. Oct-03-26 or 2026-10-03)` };
  }
  if (!rest) return { ok: iso(localToUtcMs(timezone, date, 12 * 60)) };
  const tm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Z]{3,4})?$/.exec(rest);
  if (!tm) return { error: `"${text}" has a time that is not HH:MM:SS [ZONE]` };
  const minutes = Number(tm[1]) * 60 + Number(tm[2]);
  const secs = Number(tm[3] ?? 0);
  if (tm[4]) {
    const off = ZONES[tm[4]];
    if (off === undefined) return { error: `"${text}" has an unknown time zone ${tm[4]}` };
    return { ok: iso(Date.parse(`${date}T00:00:00Z`) + (minutes - off) * 60_000 + secs * 1000) };
  }
  return { ok: iso(localToUtcMs(timezone, date, minutes) + secs * 1000) };
}

let names: Map<string, string> | undefined;
const ALIASES: Record<string, string> = {
  'united states': 'US', 'united states of america': 'US', usa: 'US', 'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB',
  deutschland: 'DE', germany: 'DE', france: 'FR', italy: 'IT', spain: 'ES', netherlands: 'NL', 'the netherlands': 'NL',
  japan: 'JP', australia: 'AU', canada: 'CA', sweden: 'SE', kuwait: 'KW', austria: 'AT', belgium: 'BE', ireland: 'IE',
  switzerland: 'CH', norway: 'NO', poland: 'PL', denmark: 'DK',
};

/** "DE", "Germany", "United Kingdom" → alpha-2; null when blank; error when unknown. */
export function parseCountry(text: string): Parsed<string | null> {
  const t = text.trim();
  if (!t) return { ok: null };
  if (/^[A-Za-z]{2}$/.test(t) && isCountry(t.toUpperCase())) return { ok: t.toUpperCase() };
  const alias = ALIASES[t.toLowerCase()];
  if (alias) return { ok: alias };
  if (!names) {
    names = new Map();
    for (const line of readFileSync(dataPath('countries.csv'), 'utf8').split(/\r?\n/).slice(1)) {
      if (!line) continue;
      const [a2 = '', , name = ''] = parseCsvLine(line);
      names.set(name.toLowerCase(), a2);
    }
  }
  const hit = names.get(t.toLowerCase());
  if (hit && countryInfo(hit)) return { ok: hit };
  return { error: `"${text}" is not a country (an ISO code such as DE or a name such as Germany)` };
}
