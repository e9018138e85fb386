// The token cache key of a Shopify app on a shop. Pure (a hash of the shop, the client id and the secret):
// the Shopify adapter keys its cached access tokens by it, and `marketplace list`/doctor read the cache with it.

import { createHash } from 'node:crypto';

/** The token cache key of a Shopify app on a shop: changes with the shop, the client id or the secret. */
export function shopifyTokenCacheKey(baseURL: string, clientId: string, clientSecret: string): string {
  return `shopify:${createHash('sha256').update([baseURL.replace(/\/+$/, ''), clientId, clientSecret].join('\u0000')).digest('hex').slice(0, 32)}`;
}
