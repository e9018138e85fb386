// Shopify client-credentials tokens in one process: the shared single-flight holder renews a token when
// a tenth of its life (at least a minute) is left, shares one request among concurrent callers, and
// keeps the token cache (between runs) in step; a valid cached token is used without a request.
import { describe, expect, it } from 'vitest';
import { ShopifyClientCredentialsAuth } from '../../src/adapters/marketplaces/shopify/auth.js';
import type { HttpClient } from '../../src/adapters/http/client.js';
import type { CachedToken, TokenCache } from '../../src/ports/token-cache.js';

function fakeTokenEndpoint() {
  let issued = 0;
  const http = { request: async () => ({ status: 200, data: { access_token: `shpat_t${++issued}`, expires_in: 86_400, scope: 'read_products' }, headers: {}, attempts: 1 }) };
  return { http: http as unknown as HttpClient, issued: () => issued };
}

function memoryCache(): TokenCache & { map: Map<string, CachedToken> } {
  const map = new Map<string, CachedToken>();
  return { map, get: (k) => map.get(k), set: (k, v) => void map.set(k, v), delete: (k) => void map.delete(k) };
}

const CFG = { clientId: 'id', clientSecret: 'secret-value-for-test', shop: 'lindqvist.myshopify.com' };

describe('Shopify client-credentials token in one process', () => {
  it('renews when a tenth of the life is left, with one request for concurrent callers, and updates the cache', async () => {
    let now = 1_000_000;
    const ep = fakeTokenEndpoint();
    const cache = memoryCache();
    const auth = new ShopifyClientCredentialsAuth(CFG, ep.http, () => now, { store: cache, key: 'k' });
    expect(await Promise.all([auth.accessToken(), auth.accessToken(), auth.accessToken()])).toEqual(['shpat_t1', 'shpat_t1', 'shpat_t1']);
    expect(ep.issued()).toBe(1);
    expect(cache.map.get('k')).toEqual({ token: 'shpat_t1', expiresAt: 1_000_000 + 86_400_000 });
    expect(auth.expiresAt).toBe(new Date(1_000_000 + 86_400_000).toISOString());
    expect(auth.scope).toBe('read_products');
    now += 86_400_000 * 0.9 - 1; // a millisecond before a tenth of the life is left
    expect(await auth.accessToken()).toBe('shpat_t1');
    now += 1;
    expect(await auth.accessToken()).toBe('shpat_t2');
    expect(cache.map.get('k')?.token).toBe('shpat_t2');
    auth.invalidate();
    expect(auth.expiresAt).toBeUndefined();
    expect(cache.map.has('k')).toBe(false);
    expect(await auth.accessToken()).toBe('shpat_t3');
  });

  it('a cached token still valid is used without a request; one due for renewal is not', async () => {
    const now = 5_000_000;
    const ep = fakeTokenEndpoint();
    const cache = memoryCache();
    cache.map.set('k', { token: 'shpat_cached', expiresAt: now + 3 * 3600_000 });
    const auth = new ShopifyClientCredentialsAuth(CFG, ep.http, () => now, { store: cache, key: 'k' });
    expect(await auth.accessToken()).toBe('shpat_cached');
    expect(ep.issued()).toBe(0);
    const stale = memoryCache();
    stale.map.set('k', { token: 'shpat_old', expiresAt: now + 3600_000 }); // less than 2.4 h (a tenth of 24 h) left
    const auth2 = new ShopifyClientCredentialsAuth(CFG, ep.http, () => now, { store: stale, key: 'k' });
    expect(await auth2.accessToken()).toBe('shpat_t1');
  });
});
