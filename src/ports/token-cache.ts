// Short-lived access tokens kept between runs (a Shopify client-credentials token lives 24 hours):
// a command that starts an hour after the last one reuses its token instead of asking for another.
// Never the database: the implementation is a 0600 file next to the credentials (config/token-cache.ts).

export interface CachedToken {
  /** The access token itself (a secret). */
  token: string;
  /** When it stops working (ms since the epoch). */
  expiresAt: number;
}

export interface TokenCache {
  get(key: string): CachedToken | undefined;
  set(key: string, value: CachedToken): void;
  delete(key: string): void;
}
