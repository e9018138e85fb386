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

export function currencyInfo(code: string): CurrencyInfo {
  const info = load().get(code);
  if (!info) throw new UnknownCurrencyError(code);
  return info;
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

export function countryInfo(code: string): CountryInfo | undefined {
  return loadCountries().get(code);
}

/** EU member states (2026); no data file lists them, see shared-customs reference. */
export const EU_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);
