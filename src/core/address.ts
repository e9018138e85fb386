// One ship-to address shape for every order, whatever it came from: the marketplaces' APIs (Amazon
// Orders 2026-01-01 `recipient.deliveryAddress`, eBay Fulfillment `shippingStep.shipTo` with its
// `contactAddress`, Shopify `MailingAddress`) and the order files (read into this shape directly).
// Stored in orders.ship_to_json with every key present (null when unknown), so readers never guess.
// Pure: no I/O.

export interface PostalAddress {
  name: string | null;
  company: string | null;
  street1: string | null;
  street2: string | null;
  city: string | null;
  /** State, province or region as the marketplace gave it (a code where it has one). */
  state: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  phone: string | null;
  email: string | null;
}

export const ADDRESS_KEYS = ['name', 'company', 'street1', 'street2', 'city', 'state', 'postalCode', 'country', 'phone', 'email'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function s(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t ? t : null;
}

function joinLines(...parts: Array<string | null>): string | null {
  const kept = parts.filter((p): p is string => Boolean(p));
  return kept.length ? kept.join(', ') : null;
}

export function emptyAddress(): PostalAddress {
  return { name: null, company: null, street1: null, street2: null, city: null, state: null, postalCode: null, country: null, phone: null, email: null };
}

/** Fill what the address itself lacks from the order (buyer name, e-mail, ship country). */
export interface AddressFallback {
  name?: string | null;
  email?: string | null;
  country?: string | null;
}

/**
 * Any known ship-to shape → PostalAddress. Recognised by its keys: eBay (`contactAddress`), Amazon
 * (`addressLine1`, `stateOrRegion`, `countryCode`), Shopify (`address1`, `zip`, `countryCodeV2`,
 * `provinceCode`), and our own shape (`street1`, `postalCode`, `country`), so normalising twice is harmless.
 */
export function normaliseAddress(raw: unknown, fallback: AddressFallback = {}): PostalAddress | null {
  if (!isObj(raw)) return fallbackOnly(fallback);
  const a = emptyAddress();
  if (isObj(raw.contactAddress) || 'fullName' in raw) {
    // eBay Fulfillment API: ShippingStep.shipTo (ExtendedContact) { fullName, companyName, contactAddress{…}, primaryPhone{phoneNumber}, email }
    const c = isObj(raw.contactAddress) ? raw.contactAddress : {};
    a.name = s(raw.fullName);
    a.company = s(raw.companyName);
    a.street1 = s(c.addressLine1);
    a.street2 = s(c.addressLine2);
    a.city = s(c.city);
    a.state = s(c.stateOrProvince);
    a.postalCode = s(c.postalCode);
    a.country = s(c.countryCode);
    a.phone = isObj(raw.primaryPhone) ? s(raw.primaryPhone.phoneNumber) : s(raw.phone);
    a.email = s(raw.email);
  } else if ('addressLine1' in raw || 'stateOrRegion' in raw || 'countryCode' in raw || 'companyName' in raw) {
    // Amazon Orders API 2026-01-01 CustomerAddress (also v0 Address): addressLine1..3, districtOrCounty, municipality.
    a.name = s(raw.name);
    a.company = s(raw.companyName);
    a.street1 = s(raw.addressLine1);
    a.street2 = joinLines(s(raw.addressLine2), s(raw.addressLine3));
    a.city = s(raw.city) ?? s(raw.municipality) ?? s(raw.districtOrCounty);
    a.state = s(raw.stateOrRegion);
    a.postalCode = s(raw.postalCode);
    a.country = s(raw.countryCode);
    a.phone = s(raw.phone);
    a.email = s(raw.email);
  } else if ('address1' in raw || 'zip' in raw || 'countryCodeV2' in raw || 'provinceCode' in raw || 'firstName' in raw) {
    // Shopify MailingAddress.
    a.name = s(raw.name) ?? joinName(s(raw.firstName), s(raw.lastName));
    a.company = s(raw.company);
    a.street1 = s(raw.address1);
    a.street2 = s(raw.address2);
    a.city = s(raw.city);
    a.state = s(raw.provinceCode) ?? s(raw.province);
    a.postalCode = s(raw.zip);
    a.country = s(raw.countryCodeV2) ?? s(raw.countryCode) ?? (typeof raw.country === 'string' && /^[A-Za-z]{2}$/.test(raw.country) ? raw.country : null);
    a.phone = s(raw.phone);
    a.email = s(raw.email);
  } else {
    // Our own shape (already normalised) or a loose one.
    a.name = s(raw.name);
    a.company = s(raw.company);
    a.street1 = s(raw.street1) ?? s(raw.line1);
    a.street2 = s(raw.street2) ?? s(raw.line2);
    a.city = s(raw.city);
    a.state = s(raw.state) ?? s(raw.region);
    a.postalCode = s(raw.postalCode) ?? s(raw.postcode);
    a.country = s(raw.country);
    a.phone = s(raw.phone);
    a.email = s(raw.email);
  }
  a.name ??= s(fallback.name);
  a.email ??= s(fallback.email);
  a.country ??= s(fallback.country);
  a.country = a.country ? a.country.toUpperCase() : null;
  return ADDRESS_KEYS.some((k) => a[k] !== null) ? a : null;
}

function joinName(first: string | null, last: string | null): string | null {
  return joinLines(first, last)?.replace(', ', ' ') ?? null;
}

function fallbackOnly(f: AddressFallback): PostalAddress | null {
  if (!s(f.name) && !s(f.country)) return null;
  return { ...emptyAddress(), name: s(f.name), email: s(f.email), country: s(f.country)?.toUpperCase() ?? null };
}

/** What a carrier needs to verify an address and is missing here (empty = bookable). */
export function missingForLabel(a: PostalAddress | null): Array<'name' | 'street1' | 'city' | 'postalCode' | 'country'> {
  if (!a) return ['name', 'street1', 'city', 'postalCode', 'country'];
  const out: Array<'name' | 'street1' | 'city' | 'postalCode' | 'country'> = [];
  if (!a.name && !a.company) out.push('name');
  if (!a.street1) out.push('street1');
  if (!a.city) out.push('city');
  // Countries without postal codes (Hong Kong, Ireland before Eircode in old records, the Gulf states…) are fine.
  if (!a.postalCode && !NO_POSTCODE.has(a.country ?? '')) out.push('postalCode');
  if (!a.country) out.push('country');
  return out;
}

const NO_POSTCODE = new Set(['AE', 'AG', 'AO', 'AW', 'BF', 'BI', 'BJ', 'BO', 'BS', 'BW', 'BZ', 'CD', 'CF', 'CG', 'CI', 'CK', 'CM', 'DJ', 'DM', 'ER', 'FJ', 'GA', 'GD', 'GH', 'GM', 'GQ', 'GY', 'HK', 'HM', 'KI', 'KM', 'KN', 'KP', 'LY', 'ML', 'MO', 'MR', 'MW', 'NR', 'NU', 'QA', 'RW', 'SB', 'SC', 'SL', 'SR', 'ST', 'SY', 'TF', 'TG', 'TK', 'TL', 'TO', 'TV', 'UG', 'VU', 'YE', 'ZW']);
