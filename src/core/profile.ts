// The business profile: what onboarding collects, validated locally. Pure: no I/O.

import type { InputProblem } from './errors.js';
import { countryCode, countryInfo, isCurrency } from './currencies.js';
import { onlyZoneOf } from './timezones.js';
import { MARKETPLACES, type MarketplaceName } from './channels.js';
import {
  checkAbnArn, checkEmail, checkEori, checkIoss, checkPostalCode, checkTimezone, checkVatNumber, checkVoec, type IdCheck,
} from './identifiers.js';

export const CARRIERS = ['easypost', 'shippo'] as const;
export type CarrierName = (typeof CARRIERS)[number];

export interface Address {
  name: string;
  company?: string;
  street1: string;
  street2?: string;
  city: string;
  state?: string;
  postalCode: string;
  country: string;
  phone?: string;
  email?: string;
}

export const ADDRESS_FIELDS = ['name', 'company', 'street1', 'street2', 'city', 'state', 'postalCode', 'country', 'phone', 'email'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
export const REQUIRED_ADDRESS_FIELDS: readonly AddressField[] = ['name', 'street1', 'city', 'postalCode', 'country'];

export interface Business {
  legalName: string;
  country: string;
  baseCurrency: string;
  timezone: string;
  vatNumber?: string;
  eori?: string;
  iossNumber?: string;
  ukVatNumber?: string;
  voecNumber?: string;
  abnArn?: string;
}

export const BUSINESS_FIELDS = ['legalName', 'country', 'baseCurrency', 'timezone', 'vatNumber', 'eori', 'iossNumber', 'ukVatNumber', 'voecNumber', 'abnArn'] as const;
export type BusinessField = (typeof BUSINESS_FIELDS)[number];
export const REQUIRED_BUSINESS_FIELDS: readonly BusinessField[] = ['legalName', 'country', 'baseCurrency', 'timezone'];

export interface DefaultRule {
  margin?: string;
  markup?: string;
  fxBuffer?: string;
  ending?: string;
}

export interface Profile {
  business: Business;
  shipFrom: Address;
  returnAddress?: Address;
  marketplaces: MarketplaceName[];
  carriers: CarrierName[];
  fxSource: 'ecb';
  defaultRule?: DefaultRule;
}

/** A profile being assembled from flags, a file and the stored profile: anything may be missing. */
export interface ProfileDraft {
  business: Partial<Record<BusinessField, string>>;
  shipFrom: Partial<Record<AddressField, string>>;
  returnAddress?: Partial<Record<AddressField, string>>;
  marketplaces?: string[];
  carriers?: string[];
  fxSource?: string;
  defaultRule?: DefaultRule;
}

/** The flag that answers each field (for "missing --x" errors and prompts). */
export function businessFlag(f: BusinessField): string {
  return `--${kebab(f)}`;
}
export function addressFlag(prefix: 'ship-from' | 'return', f: AddressField): string {
  return `--${prefix}-${kebab(f)}`;
}
export function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function problem(field: string, value: string | undefined, check: IdCheck | { ok: false; message: string }, rule: string): InputProblem | null {
  if (check.ok) return null;
  return { field, value, rule, message: `${JSON.stringify(value)}: ${check.message ?? 'invalid'}` };
}

export const COUNTRY_FORMAT = 'not a country: give its ISO code (SE), alpha-3 code (SWE) or English name (Sweden)';

/**
 * Answers that follow from the country when they were not given: its currency as the base currency
 * and, when the whole country keeps one time, its time zone. Returns the flags it filled in.
 */
export function countryDefaults(d: ProfileDraft): { draft: ProfileDraft; defaulted: Array<'--base-currency' | '--timezone'> } {
  const country = d.business.country?.trim() ? countryCode(d.business.country) : undefined;
  if (!country) return { draft: d, defaulted: [] };
  const business = { ...d.business };
  const defaulted: Array<'--base-currency' | '--timezone'> = [];
  const currency = countryInfo(country)?.currency;
  if (!business.baseCurrency?.trim() && currency && isCurrency(currency)) {
    business.baseCurrency = currency;
    defaulted.push('--base-currency');
  }
  const zone = onlyZoneOf(country);
  if (!business.timezone?.trim() && zone) {
    business.timezone = zone;
    defaulted.push('--timezone');
  }
  return { draft: { ...d, business }, defaulted };
}

/** Validate a complete draft; returns the problems (empty when valid) and the normalised profile. */
export function validateProfile(d: ProfileDraft): { problems: InputProblem[]; profile?: Profile } {
  const problems: InputProblem[] = [];
  const push = (p: InputProblem | null) => p && problems.push(p);
  const b = d.business;
  for (const f of REQUIRED_BUSINESS_FIELDS) {
    if (!b[f]?.trim()) problems.push({ field: businessFlag(f), rule: 'required', message: `${f} is required` });
  }
  for (const f of REQUIRED_ADDRESS_FIELDS) {
    if (!d.shipFrom[f]?.trim()) problems.push({ field: addressFlag('ship-from', f), rule: 'required', message: `shipFrom.${f} is required` });
  }
  const country = b.country?.trim() ? countryCode(b.country) : undefined;
  if (b.country?.trim() && !country) push(problem('--country', b.country, { ok: false, message: COUNTRY_FORMAT }, 'iso3166'));
  const ccy = b.baseCurrency?.trim().toUpperCase();
  if (ccy && !isCurrency(ccy)) push(problem('--base-currency', b.baseCurrency, { ok: false, message: 'not a current ISO 4217 currency code (e.g. SEK, EUR, USD)' }, 'iso4217'));
  const tz = b.timezone?.trim() ? checkTimezone(b.timezone.trim()) : undefined;
  if (tz) push(problem('--timezone', b.timezone, tz, 'iana-timezone'));
  const ids: Array<[BusinessField, (v: string) => IdCheck, string]> = [
    ['vatNumber', checkVatNumber, 'vat-format'],
    ['eori', checkEori, 'eori-format'],
    ['iossNumber', checkIoss, 'ioss-format'],
    ['ukVatNumber', (v) => (normalisedPrefix(v) === 'GB' || normalisedPrefix(v) === 'XI' ? checkVatNumber(v) : { ok: false, normalised: v, message: 'a UK VAT number starts with GB (or XI for Northern Ireland), e.g. GB123456782' }), 'uk-vat-format'],
    ['voecNumber', checkVoec, 'voec-format'],
    ['abnArn', checkAbnArn, 'abn-arn-format'],
  ];
  const normalisedIds: Partial<Record<BusinessField, string>> = {};
  for (const [f, check, rule] of ids) {
    const v = b[f]?.trim();
    if (!v) continue;
    const c = check(v);
    if (!c.ok) push(problem(businessFlag(f), v, c, rule));
    else normalisedIds[f] = c.normalised;
  }
  const addr = (prefix: 'ship-from' | 'return', a: Partial<Record<AddressField, string>>): Address | undefined => {
    const ac = a.country?.trim() ? countryCode(a.country) : undefined;
    if (a.country?.trim() && !ac) push(problem(addressFlag(prefix, 'country'), a.country, { ok: false, message: COUNTRY_FORMAT }, 'iso3166'));
    if (ac && a.postalCode) push(problem(addressFlag(prefix, 'postalCode'), a.postalCode, checkPostalCode(ac, a.postalCode), 'postal-code'));
    if (a.email) push(problem(addressFlag(prefix, 'email'), a.email, checkEmail(a.email), 'email'));
    if (a.phone && !/^\+?[\d\s()\-]{6,20}$/.test(a.phone.trim())) {
      push({ field: addressFlag(prefix, 'phone'), value: a.phone, rule: 'phone', message: `${JSON.stringify(a.phone)}: not a phone number (digits, spaces, +, -, parentheses)` });
    }
    if (REQUIRED_ADDRESS_FIELDS.some((f) => !a[f]?.trim())) return undefined;
    const out: Address = { name: a.name!.trim(), street1: a.street1!.trim(), city: a.city!.trim(), postalCode: a.postalCode!.trim(), country: ac! };
    for (const f of ['company', 'street2', 'state', 'phone', 'email'] as const) if (a[f]?.trim()) out[f] = a[f]!.trim();
    return out;
  };
  const shipFrom = addr('ship-from', d.shipFrom);
  let returnAddress: Address | undefined;
  if (d.returnAddress && Object.values(d.returnAddress).some((v) => v?.trim())) {
    for (const f of REQUIRED_ADDRESS_FIELDS) {
      if (!d.returnAddress[f]?.trim()) problems.push({ field: addressFlag('return', f), rule: 'required', message: `returnAddress.${f} is required when a return address is given` });
    }
    returnAddress = addr('return', d.returnAddress);
  }
  const marketplaces = (d.marketplaces ?? []).map((m) => m.trim().toLowerCase()).filter(Boolean);
  if (d.marketplaces === undefined) problems.push({ field: '--marketplaces', rule: 'required', message: 'marketplaces is required (amazon, ebay, shopify; or "none")' });
  for (const m of marketplaces) {
    if (m !== 'none' && !(MARKETPLACES as readonly string[]).includes(m)) {
      problems.push({ field: '--marketplaces', value: m, rule: 'marketplace', message: `${JSON.stringify(m)} is not a marketplace merchant supports (amazon, ebay, shopify)` });
    }
  }
  const carriers = (d.carriers ?? []).map((c) => c.trim().toLowerCase()).filter(Boolean);
  for (const c of carriers) {
    if (c !== 'none' && !(CARRIERS as readonly string[]).includes(c)) {
      problems.push({ field: '--carriers', value: c, rule: 'carrier', message: `${JSON.stringify(c)} is not a carrier merchant supports (easypost, shippo)` });
    }
  }
  const fxSource = (d.fxSource ?? 'ecb').toLowerCase();
  if (fxSource !== 'ecb') problems.push({ field: '--fx-source', value: d.fxSource, rule: 'fx-source', message: `${JSON.stringify(d.fxSource)} is not a supported FX source (ecb)` });
  if (problems.length || !shipFrom) return { problems };
  const business: Business = {
    legalName: b.legalName!.trim(),
    country: country!,
    baseCurrency: ccy!,
    timezone: tz!.normalised,
    ...normalisedIds,
  };
  const profile: Profile = {
    business,
    shipFrom,
    marketplaces: unique(marketplaces.filter((m) => m !== 'none')) as MarketplaceName[],
    carriers: unique(carriers.filter((c) => c !== 'none')) as CarrierName[],
    fxSource: 'ecb',
  };
  if (returnAddress) profile.returnAddress = returnAddress;
  if (d.defaultRule && Object.keys(d.defaultRule).length) profile.defaultRule = d.defaultRule;
  return { problems, profile };
}

function normalisedPrefix(v: string): string {
  return v.replace(/[\s.\-]/g, '').toUpperCase().slice(0, 2);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Onboarding checklist items tracked for each marketplace. */
export const CHECKLIST_ITEMS = [
  { item: 'account', label: 'Seller account registered and connected', auto: 'done when `merchant marketplace connect` verified the account' },
  { item: 'documents', label: 'Qualification documents verified (identity, business registration, bank statement)', auto: null },
  { item: 'agreement', label: 'Seller agreement / terms accepted', auto: null },
  { item: 'deposit', label: 'Deposit and payout method set up (bank account, credit card on file)', auto: null },
  { item: 'first-listing', label: 'First listing live', auto: 'done when a sync has acknowledged a listing' },
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number]['item'];
export const CHECKLIST_NAMES: readonly string[] = CHECKLIST_ITEMS.map((i) => i.item);
