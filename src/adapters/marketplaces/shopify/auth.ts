// How merchant authenticates to the Shopify Admin API. Two kinds of app, two kinds of token:
//   - a legacy custom app made in the shop admin (none can be created since 1 January 2026) has a
//     static Admin API token (shpat_…) that does not expire: sent as X-Shopify-Access-Token as is;
//   - a Dev Dashboard app installed on a shop the seller's organisation owns gets its tokens through
//     the client-credentials grant, and they expire after 24 hours:
//       POST https://{shop}.myshopify.com/admin/oauth/access_token
//       Content-Type: application/x-www-form-urlencoded
//       grant_type=client_credentials&client_id=…&client_secret=…
//       → {"access_token":"shpat_…","scope":"read_products,…","expires_in":86399}
//     (https://shopify.dev/docs/apps/build/authentication-authorization/client-credentials-grant,
//     https://shopify.dev/docs/apps/build/authentication-authorization/client-secrets).
// The token is cached in memory and in the token cache (never the database), renewed before it
// expires (when less than a tenth of its life, at least a minute, is left), and once when a call is
// answered 401 (the HTTP client calls invalidate() and repeats the request).

import type { AuthProvider, HttpClient } from '../../http/client.js';
import { HttpError } from '../../http/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { SingleFlightToken, requestToken, type IssuedToken } from '../../http/token-holder.js';
import type { TokenCache } from '../../../ports/token-cache.js';

export type ShopifyCredentials = { kind: 'admin_token'; token: string } | { kind: 'client_credentials'; clientId: string; clientSecret: string };

export interface TokenInfo {
  kind: ShopifyCredentials['kind'];
  /** When the token in use expires (ISO); undefined for a static Admin API token. */
  expiresAt?: string;
  scope?: string;
}

/** Renew when less than this share of the token's life is left (and at least a minute). */
const RENEW_SHARE = 0.1;
const RENEW_MIN_MS = 60_000;

export class ShopifyClientCredentialsAuth implements AuthProvider {
  private readonly tokens = new SingleFlightToken(() => this.now(), (at, life) => at + life - renewMargin(life));
  scope?: string;

  constructor(
    private readonly cfg: { clientId: string; clientSecret: string; shop: string },
    private readonly tokenHttp: HttpClient,
    private readonly now: () => number,
    private readonly cache?: { store: TokenCache; key: string },
  ) {
    registerSecret(cfg.clientSecret);
  }

  async headers(): Promise<Record<string, string>> {
    return { 'X-Shopify-Access-Token': await this.accessToken() };
  }

  /** The token was refused (401): forget it here and in the cache so the next call asks for a new one. */
  invalidate(): void {
    this.tokens.invalidate();
    if (this.cache) this.cache.store.delete(this.cache.key);
  }

  get expiresAt(): string | undefined {
    return this.tokens.expiresAt;
  }

  async accessToken(): Promise<string> {
    if (!this.tokens.held && this.cache) {
      const cached = this.cache.store.get(this.cache.key);
      if (cached) {
        const renewAt = cached.expiresAt - renewMargin(24 * 3600_000);
        if (this.now() < renewAt) this.tokens.seed(cached.token, cached.expiresAt, renewAt);
      }
    }
    // Single flight: concurrent requests share one token request.
    return this.tokens.get(() => this.request());
  }

  private async request(): Promise<IssuedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.cfg.clientId, client_secret: this.cfg.clientSecret }).toString();
    // Asking twice only issues two tokens: safe to repeat after a lost answer.
    const { token: value, data } = await requestToken<{ access_token?: string; expires_in?: number; scope?: string }>(this.tokenHttp, {
      service: 'shopify',
      url: '/admin/oauth/access_token',
      form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      operation: 'oauth/access_token',
      errorUrl: 'admin/oauth/access_token',
      malformed: { operation: 'oauth/access_token', url: 'admin/oauth/access_token' },
      noToken: (res) => new HttpError('Shopify answered the token request without an access_token', { service: 'shopify', kind: 'auth', status: res.status, method: 'POST', url: 'admin/oauth/access_token', attempts: res.attempts }),
      refused: (e) => ({
        message: `Shopify refused the app's client credentials for ${this.cfg.shop} (HTTP ${e.status}${e.apiCode ? ` ${e.apiCode}` : ''}${e.apiMessage ? `: ${e.apiMessage}` : ''})`,
        hints: [
          'check the client id and secret in the Dev Dashboard (Apps → your app → Settings), that the app is installed on this shop, and that the shop belongs to your organisation',
          'then run `merchant marketplace connect shopify --shop SHOP --client-id ID --token-file FILE` (FILE: client_secret=…)',
        ],
      }),
    });
    const lifeMs = (typeof data.expires_in === 'number' && data.expires_in > 0 ? data.expires_in : 86_399) * 1000;
    this.scope = data.scope;
    if (this.cache) this.cache.store.set(this.cache.key, { token: value, expiresAt: this.now() + lifeMs });
    return { value, lifeMs };
  }
}

function renewMargin(lifeMs: number): number {
  return Math.max(RENEW_MIN_MS, lifeMs * RENEW_SHARE);
}
