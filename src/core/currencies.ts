// ISO 4217 currencies and ISO 3166 countries, loaded once from the bundled tables in data/.
// The exponent (minor unit) comes from the ISO table, never from Intl (Intl disagrees for 16 codes).

import { readFileSync } from 'node:fs';
import { dataPath } from '../config/paths.js';
import { parseCsvLine } from './csvline.js';

export class UnknownCurrencyError extends Error {
  override name = 'UnknownCurrencyError';
  constructor(readonly code: string) {
    super(`unknown currency code ${JSON.stringify(code)} (expected an ISO 4217 code such as EUR, USD, JPY)`);
  }
}

export interface CurrencyInfo {
  code: string;
  name: string;
  exponent: number;
  numeric: string;
}

let currencies: Map<string, CurrencyInfo> | undefined;

function load(): Map<string, CurrencyInfo> {
  if (currencies) return currencies;
  const map = new Map<string, CurrencyInfo>();
  const lines = readFileSync(dataPath('iso4217.csv'), 'utf8').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [, name = '', code = '', numeric = '', minor = '', withdrawn = ''] = parseCsvLine(line);
    // Current codes only (no withdrawal date) with a numeric minor unit ("-" is funds/metals).
    if (!code || withdrawn || !/^\d$/.test(minor)) continue;
    if (!map.has(code)) map.set(code, { code, name, exponent: Number(minor), numeric });
  }
  currencies = map;
  return map;
}

export function isCurrency(code: string): boolean {
  return load().has(code);
}

/**
 * Currencies withdrawn from ISO 4217 (table A.3 has no minor unit for them) that merchant keeps for
 * their dates: orders, fees and rates up to `lastDay` are in them, and after it they convert at the
 * irrevocable rate to the euro that replaced them.
 */
export interface WithdrawnCurrency {
  code: string;
  name: string;
  /** The minor unit the currency had (ISO 4217 A.1 before withdrawal). */
  exponent: number;
  /** The last day the currency was legal tender for accounts (the ECB's last reference rate). */
  lastDay: string;
  replacedBy: 'EUR';
  /** 1 EUR = conversionRate units, from the day after lastDay. */
  conversionRate: string;
  source: string;
}

export const WITHDRAWN_CURRENCIES: Readonly<Record<string, WithdrawnCurrency>> = {
  BGN: {
    code: 'BGN',
    name: 'Bulgarian Lev',
    exponent: 2,
    lastDay: '2025-12-31',
    replacedBy: 'EUR',
    conversionRate: '1.95583',
    source: 'Council Regulation of 8 July 2025 amending Regulation (EC) No 2866/98 (conversion rate for Bulgaria, 1 EUR = 1.95583 BGN from 2026-01-01); Council press release 8 Jul 2025; ECB published BGN until 2025-12-31',
  },
  HRK: {
    code: 'HRK',
    name: 'Croatian Kuna',
    exponent: 2,
    lastDay: '2022-12-31',
    replacedBy: 'EUR',
    conversionRate: '7.53450',
    source: 'Council Regulation (EU) 2022/1208 of 12 July 2022 amending Regulation (EC) No 2866/98 (conversion rate for Croatia, 1 EUR = 7.53450 HRK from 2023-01-01); ECB published HRK until 2022-12-30',
  },
};

/** A current ISO 4217 code, or a withdrawn one merchant keeps for its dates (BGN, HRK). */
export function isKnownCurrency(code: string): boolean {
  return isCurrency(code) || code in WITHDRAWN_CURRENCIES;
}

/** The currency was in use on `date` (a withdrawn one up to its last day). */
export function isCurrencyOn(code: string, date: string): boolean {
  if (isCurrency(code)) return true;
  const w = WITHDRAWN_CURRENCIES[code];
  return w !== undefined && date <= w.lastDay;
}

/** The irrevocable euro conversion rate of a withdrawn currency in force on `date` (undefined before the changeover). */
export function irrevocableEuroRate(code: string, date: string): { rate: string; from: string; source: string } | undefined {
  const w = WITHDRAWN_CURRENCIES[code];
  if (!w || date <= w.lastDay) return undefined;
  const next = new Date(Date.parse(`${w.lastDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { rate: w.conversionRate, from: next, source: w.source };
}

export function currencyInfo(code: string): CurrencyInfo {
  const info = load().get(code);
  if (info) return info;
  const w = WITHDRAWN_CURRENCIES[code];
  if (w) return { code: w.code, name: w.name, exponent: w.exponent, numeric: '' };
  throw new UnknownCurrencyError(code);
}

/**
 * Where sellers and marketplaces price in whole units although ISO 4217 keeps a minor unit (the
 * fillér and the Taiwanese cent are not used): prices end in whole units; amounts keep the ISO
 * exponent. Source: Stripe "Supported currencies — special cases" (HUF, TWD); ISK and UGX have 0 in ISO.
 */
const CASH_EXPONENTS: Readonly<Record<string, number>> = { HUF: 0, TWD: 0 };

/** The exponent prices are rounded to (the ISO exponent unless the currency is whole units in practice). */
export function cashExponent(code: string): number {
  return CASH_EXPONENTS[code] ?? currencyExponent(code);
}

export function currencyExponent(code: string): number {
  return currencyInfo(code).exponent;
}

export function allCurrencies(): CurrencyInfo[] {
  return [...load().values()];
}

export interface CountryInfo {
  alpha2: string;
  alpha3: string;
  name: string;
  currency: string;
}

let countries: Map<string, CountryInfo> | undefined;

function loadCountries(): Map<string, CountryInfo> {
  if (countries) return countries;
  const map = new Map<string, CountryInfo>();
  const lines = readFileSync(dataPath('countries.csv'), 'utf8').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [alpha2 = '', alpha3 = '', name = '', currency = ''] = parseCsvLine(line);
    if (alpha2) map.set(alpha2, { alpha2, alpha3, name, currency });
  }
  countries = map;
  return map;
}

export function isCountry(code: string): boolean {
  return loadCountries().has(code);
}

let byName: Map<string, string> | undefined;
const fold = (t: string) => t.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
// Names sellers and marketplaces write that the table's short names do not cover.
const NAME_ALIASES: Record<string, string> = {
  'united kingdom': 'GB', 'great britain': 'GB', 'england': 'GB', 'scotland': 'GB', 'wales': 'GB', 'northern ireland': 'GB',
  'united states': 'US', 'united states of america': 'US', 'america': 'US', 'turkey': 'TR', 'czech republic': 'CZ',
  'korea': 'KR', 'republic of korea': 'KR', 'korea republic of': 'KR', 'viet nam': 'VN', 'russian federation': 'RU',
  'holland': 'NL', 'the netherlands': 'NL', 'hong kong sar': 'HK', 'macau': 'MO', 'burma': 'MM',
};

/**
 * An ISO 3166 alpha-2 code from what a file may hold: the code itself, the alpha-3 code, or the
 * country's English name (Amazon's flat files list names: "Lithuania"), case and accents ignored.
 */
export function countryCode(text: string): string | undefined {
  const up = text.trim().toUpperCase();
  const all = loadCountries();
  if (all.has(up)) return up;
  if (!byName) {
    byName = new Map();
    for (const c of all.values()) {
      byName.set(fold(c.alpha3), c.alpha2);
      byName.set(fold(c.name), c.alpha2);
    }
    for (const [k, v] of Object.entries(NAME_ALIASES)) byName.set(k, v);
  }
  return byName.get(fold(text));
}

export function countryInfo(code: string): CountryInfo | undefined {
  return loadCountries().get(code);
}

/** EU member states (2026); no data file lists them, see shared-customs reference. */
export const EU_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);
