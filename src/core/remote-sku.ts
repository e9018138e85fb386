// The SKU a marketplace knows a listing by. On Amazon and Shopify it is the seller's SKU everywhere.
// eBay's Inventory API offers one SKU on one marketplace only ("At this time, the same SKU value can
// not be offered across multiple eBay marketplaces" — getOffers, eBay Inventory API reference), so a
// seller who sells MUG-BLU-S on ebay-uk and ebay-de needs two eBay SKUs. The convention: the account's
// home storefront (the first of `marketplace connect ebay --channels`) keeps the SKU itself, every
// other eBay storefront gets `<SKU>-<SITE>` (MUG-BLU-S-DE, MUG-BLU-S-US, MUG-BLU-S-UK, MUG-BLU-S-AU).
// A mapping stored on the listing (channel_listings.remote_sku, learnt by `marketplace migrate ebay`)
// always wins over the convention.

/** eBay's limit for a seller SKU (Inventory API: "Max length: 50"). */
export const EBAY_SKU_MAX = 50;

/** The site part of an eBay storefront code: ebay-de → DE, ebay-uk → UK. */
export function ebaySite(channel: string): string {
  return channel.replace(/^ebay-/, '').toUpperCase();
}

/** The eBay SKU merchant uses for `sku` on `channel` when no mapping is stored. */
export function conventionalEbaySku(sku: string, channel: string, homeChannel: string | undefined): string {
  if (!homeChannel || channel === homeChannel) return sku;
  return `${sku}-${ebaySite(channel)}`;
}

/** The remote SKU of a listing: the stored mapping, else the convention (eBay), else the SKU itself. */
export function remoteSkuOf(l: { sku: string; channel: string; remoteSku?: string | null }, homeChannel: string | undefined): string {
  if (l.remoteSku) return l.remoteSku;
  return l.channel.startsWith('ebay-') ? conventionalEbaySku(l.sku, l.channel, homeChannel) : l.sku;
}

/**
 * The local SKUs an eBay SKU on `channel` may stand for, most likely first: the SKU itself, then the
 * SKU without the storefront's `-<SITE>` suffix (on any storefront but the home one).
 */
export function localSkuCandidates(remoteSku: string, channel: string, homeChannel: string | undefined): string[] {
  const out = [remoteSku];
  const suffix = `-${ebaySite(channel)}`;
  if (channel.startsWith('ebay-') && channel !== homeChannel && remoteSku.length > suffix.length && remoteSku.toUpperCase().endsWith(suffix)) out.push(remoteSku.slice(0, -suffix.length));
  return out;
}

/** Why eBay would refuse this as a SKU, if it would. */
export function ebaySkuProblem(remoteSku: string): string | undefined {
  if (!remoteSku.trim()) return 'an eBay SKU cannot be empty';
  if (remoteSku.length > EBAY_SKU_MAX) return `eBay SKUs are at most ${EBAY_SKU_MAX} characters; "${remoteSku}" has ${remoteSku.length}`;
  return undefined;
}
