// Amazon marketplaces and the SP-API regional endpoint each one is served by. A call to one regional
// endpoint may name only that region's marketplaces: Amazon answers
//   403 {"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.",
//        "details":"The marketplaces you provided are not valid for region."}]}
// otherwise (amzn/selling-partner-api-models#5126).
// Sources: https://developer-docs.amazon.com/sp-api/docs/marketplace-ids (ids and country codes; the
// page writes UK for Great Britain) and https://developer-docs.amazon.com/sp-api/docs/sp-api-endpoints
// (which marketplaces each endpoint serves).

import { CHANNELS } from './channels.js';

export type AmazonRegion = 'na' | 'eu' | 'fe';
export const AMAZON_REGIONS: readonly AmazonRegion[] = ['na', 'eu', 'fe'];

export const REGION_NAMES: Record<AmazonRegion, string> = { na: 'North America', eu: 'Europe', fe: 'Far East' };

/** Production endpoints per region. */
export const AMAZON_ENDPOINTS: Record<AmazonRegion, string> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};

export interface AmazonMarketplace {
  id: string;
  /** ISO 3166 alpha-2 (GB, not the page's UK). */
  country: string;
  name: string;
  region: AmazonRegion;
}

export const AMAZON_MARKETPLACES: readonly AmazonMarketplace[] = [
  { id: 'A2EUQ1WTGCTBG2', country: 'CA', name: 'Canada', region: 'na' },
  { id: 'ATVPDKIKX0DER', country: 'US', name: 'United States of America', region: 'na' },
  { id: 'A1AM78C64UM0Y8', country: 'MX', name: 'Mexico', region: 'na' },
  { id: 'A2Q3Y263D00KWC', country: 'BR', name: 'Brazil', region: 'na' },
  { id: 'A28R8C7NBKEWEA', country: 'IE', name: 'Ireland', region: 'eu' },
  { id: 'A1RKKUPIHCS9HS', country: 'ES', name: 'Spain', region: 'eu' },
  { id: 'A1F83G8C2ARO7P', country: 'GB', name: 'United Kingdom', region: 'eu' },
  { id: 'A13V1IB3VIYZZH', country: 'FR', name: 'France', region: 'eu' },
  { id: 'AMEN7PMS3EDWL', country: 'BE', name: 'Belgium', region: 'eu' },
  { id: 'A1805IZSGTT6HS', country: 'NL', name: 'Netherlands', region: 'eu' },
  { id: 'A1PA6795UKMFR9', country: 'DE', name: 'Germany', region: 'eu' },
  { id: 'APJ6JRA9NG5V4', country: 'IT', name: 'Italy', region: 'eu' },
  { id: 'A2NODRKZP88ZB9', country: 'SE', name: 'Sweden', region: 'eu' },
  { id: 'AE08WJ6YKNBMC', country: 'ZA', name: 'South Africa', region: 'eu' },
  { id: 'A1C3SOZRARQ6R3', country: 'PL', name: 'Poland', region: 'eu' },
  { id: 'ARBP9OOSHTCHU', country: 'EG', name: 'Egypt', region: 'eu' },
  { id: 'A33AVAJ2PDY3EV', country: 'TR', name: 'Turkey', region: 'eu' },
  { id: 'A17E79C6D8DWNP', country: 'SA', name: 'Saudi Arabia', region: 'eu' },
  { id: 'A2VIGQ35RCS4UG', country: 'AE', name: 'United Arab Emirates', region: 'eu' },
  { id: 'A21TJRUUN4KGV', country: 'IN', name: 'India', region: 'eu' },
  { id: 'A19VAU5U5O7RUS', country: 'SG', name: 'Singapore', region: 'fe' },
  { id: 'A39IBJ37TRP1C6', country: 'AU', name: 'Australia', region: 'fe' },
  { id: 'A1VC38T7YXB528', country: 'JP', name: 'Japan', region: 'fe' },
];

const BY_ID = new Map(AMAZON_MARKETPLACES.map((m) => [m.id, m]));

export function amazonMarketplace(id: string): AmazonMarketplace | undefined {
  return BY_ID.get(id);
}

export function regionOf(marketplaceId: string): AmazonRegion | undefined {
  return BY_ID.get(marketplaceId)?.region;
}

export function isAmazonRegion(s: string): s is AmazonRegion {
  return (AMAZON_REGIONS as readonly string[]).includes(s);
}

/** Marketplace ids grouped by region, in the regions' order. */
export function byRegion(ids: readonly string[]): Map<AmazonRegion, string[]> {
  const out = new Map<AmazonRegion, string[]>();
  for (const r of AMAZON_REGIONS) {
    const mine = ids.filter((id) => regionOf(id) === r);
    if (mine.length) out.set(r, [...new Set(mine)]);
  }
  return out;
}

/** The merchant channel of a marketplace id: the built-in one, else amazon-<country> (never another storefront's). */
export function channelOfMarketplace(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const known = CHANNELS.find((c) => c.marketplace === 'amazon' && c.remoteId === id);
  if (known) return known.code;
  const m = BY_ID.get(id);
  return m ? `amazon-${m.country === 'GB' ? 'uk' : m.country.toLowerCase()}` : undefined;
}

/** `http://127.0.0.1:4010/amazon/{region}` → one URL per region; a plain URL serves them all. */
export function expandEndpoint(template: string, region: AmazonRegion): string {
  return template.replace(/\{region\}/g, region).replace(/\/+$/, '');
}

/**
 * The Amazon endpoint of each region of an account. Accounts connected before regions were read
 * from Amazon have one baseUrl for settings.region (eu by default): the real hosts give the other
 * regions, a sandbox URL (…/amazon) gets …/amazon/<region>; any other single URL serves its region only.
 */
export function amazonEndpoints(a: { baseUrl: string; settings: { region?: string; endpoints?: Partial<Record<AmazonRegion, string>> }; sandbox?: boolean }): Partial<Record<AmazonRegion, string>> {
  if (a.settings.endpoints && Object.keys(a.settings.endpoints).length) return { ...a.settings.endpoints };
  const region: AmazonRegion = a.settings.region && isAmazonRegion(a.settings.region) ? a.settings.region : 'eu';
  const base = a.baseUrl.replace(/\/+$/, '');
  const out: Partial<Record<AmazonRegion, string>> = { [region]: base };
  if ((Object.values(AMAZON_ENDPOINTS) as string[]).includes(base)) return { ...AMAZON_ENDPOINTS };
  if (a.sandbox || /\/amazon$/.test(base)) for (const r of AMAZON_REGIONS) if (r !== region) out[r] = `${base}/${r}`;
  return out;
}
