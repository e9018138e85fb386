// Channels: one storefront with one currency (PRODUCT.md §6). A marketplace groups its channels.
// This is the built-in catalogue; the `channels` table holds the ones a seller enabled, with overrides
// (VAT rate, currency for Shopify, …).

export type MarketplaceName = 'amazon' | 'ebay' | 'shopify';
export const MARKETPLACES: readonly MarketplaceName[] = ['amazon', 'ebay', 'shopify'];

export interface ChannelDef {
  code: string;
  marketplace: MarketplaceName;
  currency: string;
  country: string | null;
  /** Consumer prices include VAT (EU/UK law) or not (US sales tax is added at checkout). */
  pricesIncludeTax: boolean;
  /** Standard VAT rate of the storefront's country, exact decimal share ("0.19"); null where none. */
  vatRate: string | null;
  /** Amazon marketplaceId, eBay marketplace id (EBAY_GB), Shopify: null. */
  remoteId: string | null;
  /** Content-Language for eBay writes / language tag for Amazon. */
  language: string;
}

export const CHANNELS: readonly ChannelDef[] = [
  { code: 'amazon-us', marketplace: 'amazon', currency: 'USD', country: 'US', pricesIncludeTax: false, vatRate: null, remoteId: 'ATVPDKIKX0DER', language: 'en_US' },
  { code: 'amazon-ca', marketplace: 'amazon', currency: 'CAD', country: 'CA', pricesIncludeTax: false, vatRate: null, remoteId: 'A2EUQ1WTGCTBG2', language: 'en_CA' },
  { code: 'amazon-uk', marketplace: 'amazon', currency: 'GBP', country: 'GB', pricesIncludeTax: true, vatRate: '0.20', remoteId: 'A1F83G8C2ARO7P', language: 'en_GB' },
  { code: 'amazon-de', marketplace: 'amazon', currency: 'EUR', country: 'DE', pricesIncludeTax: true, vatRate: '0.19', remoteId: 'A1PA6795UKMFR9', language: 'de_DE' },
  { code: 'amazon-fr', marketplace: 'amazon', currency: 'EUR', country: 'FR', pricesIncludeTax: true, vatRate: '0.20', remoteId: 'A13V1IB3VIYZZH', language: 'fr_FR' },
  { code: 'amazon-it', marketplace: 'amazon', currency: 'EUR', country: 'IT', pricesIncludeTax: true, vatRate: '0.22', remoteId: 'APJ6JRA9NG5V4', language: 'it_IT' },
  { code: 'amazon-es', marketplace: 'amazon', currency: 'EUR', country: 'ES', pricesIncludeTax: true, vatRate: '0.21', remoteId: 'A1RKKUPIHCS9HS', language: 'es_ES' },
  { code: 'amazon-nl', marketplace: 'amazon', currency: 'EUR', country: 'NL', pricesIncludeTax: true, vatRate: '0.21', remoteId: 'A1805IZSGTT6HS', language: 'nl_NL' },
  { code: 'amazon-se', marketplace: 'amazon', currency: 'SEK', country: 'SE', pricesIncludeTax: true, vatRate: '0.25', remoteId: 'A2NODRKZP88ZB9', language: 'sv_SE' },
  { code: 'amazon-jp', marketplace: 'amazon', currency: 'JPY', country: 'JP', pricesIncludeTax: true, vatRate: '0.10', remoteId: 'A1VC38T7YXB528', language: 'ja_JP' },
  { code: 'amazon-au', marketplace: 'amazon', currency: 'AUD', country: 'AU', pricesIncludeTax: true, vatRate: '0.10', remoteId: 'A39IBJ37TRP1C6', language: 'en_AU' },
  { code: 'ebay-us', marketplace: 'ebay', currency: 'USD', country: 'US', pricesIncludeTax: false, vatRate: null, remoteId: 'EBAY_US', language: 'en-US' },
  { code: 'ebay-uk', marketplace: 'ebay', currency: 'GBP', country: 'GB', pricesIncludeTax: true, vatRate: '0.20', remoteId: 'EBAY_GB', language: 'en-GB' },
  { code: 'ebay-de', marketplace: 'ebay', currency: 'EUR', country: 'DE', pricesIncludeTax: true, vatRate: '0.19', remoteId: 'EBAY_DE', language: 'de-DE' },
  { code: 'ebay-au', marketplace: 'ebay', currency: 'AUD', country: 'AU', pricesIncludeTax: true, vatRate: '0.10', remoteId: 'EBAY_AU', language: 'en-AU' },
  // Shopify: one storefront; its currency is the shop's (set on connect; EUR until then).
  { code: 'shopify', marketplace: 'shopify', currency: 'EUR', country: null, pricesIncludeTax: true, vatRate: null, remoteId: null, language: 'en' },
];

export function channelDef(code: string): ChannelDef | undefined {
  return CHANNELS.find((c) => c.code === code);
}

export function marketplaceOf(channel: string): MarketplaceName | undefined {
  const known = channelDef(channel);
  if (known) return known.marketplace;
  const prefix = channel.split('-')[0];
  return (MARKETPLACES as readonly string[]).includes(prefix ?? '') ? (prefix as MarketplaceName) : undefined;
}

export function isMarketplace(s: string): s is MarketplaceName {
  return (MARKETPLACES as readonly string[]).includes(s);
}
