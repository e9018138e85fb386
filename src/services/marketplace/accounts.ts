// Connected marketplace accounts: the non-secret row in marketplace_accounts (base URLs, seller id,
// shop domain, marketplace ids), the secrets in the credential store (never the database), and the
// adapter built from both. Used by `marketplace connect|list|remove`, `sync` and `orders`.

import type { Store } from '../../store/db.js';
import type { CredentialStore } from '../../config/credentials.js';
import { CHANNELS, isMarketplace, type MarketplaceName } from '../../core/channels.js';
import { NotConfiguredError, UsageError } from '../../core/errors.js';
import type { HttpFactory } from '../../adapters/http/factory.js';
import type { MarketplacePort } from '../../ports/marketplace.js';
import { AmazonAdapter } from '../../adapters/marketplaces/amazon/index.js';
import { EbayAdapter } from '../../adapters/marketplaces/ebay/index.js';
import { ShopifyAdapter } from '../../adapters/marketplaces/shopify/index.js';

/** Secret names per marketplace (env twin: MERCHANT_<MARKETPLACE>_<NAME>, e.g. MERCHANT_SHOPIFY_TOKEN). */
export const SECRET_NAMES: Record<MarketplaceName, readonly string[]> = {
  amazon: ['client_id', 'client_secret', 'refresh_token'],
  ebay: ['client_id', 'client_secret', 'refresh_token'],
  shopify: ['token'],
};

export const PRODUCTION_URLS = {
  amazon: { na: 'https://sellingpartnerapi-na.amazon.com', eu: 'https://sellingpartnerapi-eu.amazon.com', fe: 'https://sellingpartnerapi-fe.amazon.com' },
  amazonAuth: 'https://api.amazon.com/auth/o2/token',
  ebay: 'https://api.ebay.com',
} as const;

export interface AccountSettings {
  sellerId?: string;
  region?: string;
  marketplaceIds?: string[];
  shop?: string;
  currency?: string;
  locationId?: string;
  /** What verification said we talk to (shop domain, seller, eBay app), for humans. */
  label?: string;
  /** When the secrets were last stored (ISO): the start of their lifetime where it is not reported. */
  secretsStoredAt?: string;
  /** The seller's own renewal date (YYYY-MM-DD, `marketplace connect --renew-by`). */
  renewBy?: string;
  /** eBay: the refresh token's expiry, when the API reported it. */
  refreshExpiresAt?: string;
}

export interface Account {
  marketplace: MarketplaceName;
  baseUrl: string;
  authUrl: string | null;
  sandbox: boolean;
  settings: AccountSettings;
  verifiedAt: string | null;
  tokenExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface AccountRow {
  marketplace: string;
  base_url: string | null;
  auth_url: string | null;
  sandbox: bigint;
  settings_json: string;
  verified_at: string | null;
  token_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

function toAccount(r: AccountRow): Account {
  return {
    marketplace: r.marketplace as MarketplaceName,
    baseUrl: r.base_url ?? '',
    authUrl: r.auth_url,
    sandbox: r.sandbox === 1n,
    settings: JSON.parse(r.settings_json || '{}') as AccountSettings,
    verifiedAt: r.verified_at,
    tokenExpiresAt: r.token_expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listAccounts(store: Store): Account[] {
  const rows = store.db.prepare('SELECT * FROM marketplace_accounts ORDER BY marketplace').all() as AccountRow[];
  return rows.map(toAccount);
}

export function getAccount(store: Store, marketplace: MarketplaceName): Account | undefined {
  const r = store.db.prepare('SELECT * FROM marketplace_accounts WHERE marketplace = ?').get(marketplace) as AccountRow | undefined;
  return r ? toAccount(r) : undefined;
}

export function saveAccount(store: Store, a: Omit<Account, 'createdAt' | 'updatedAt'>, at: string): void {
  store.db
    .prepare(
      `INSERT INTO marketplace_accounts (marketplace, base_url, auth_url, sandbox, settings_json, credential_store, verified_at, token_expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'file', ?, ?, ?, ?)
       ON CONFLICT (marketplace) DO UPDATE SET base_url = excluded.base_url, auth_url = excluded.auth_url, sandbox = excluded.sandbox,
         settings_json = excluded.settings_json, credential_store = excluded.credential_store, verified_at = excluded.verified_at,
         token_expires_at = excluded.token_expires_at, updated_at = excluded.updated_at`,
    )
    .run(a.marketplace, a.baseUrl, a.authUrl, a.sandbox ? 1 : 0, JSON.stringify(a.settings), a.verifiedAt, a.tokenExpiresAt, at, at);
}

export function deleteAccount(store: Store, marketplace: MarketplaceName): boolean {
  return store.db.prepare('DELETE FROM marketplace_accounts WHERE marketplace = ?').run(marketplace).changes > 0;
}

/** The channels (storefronts) an account sells on. */
export function accountChannels(a: Pick<Account, 'marketplace' | 'settings'>): string[] {
  if (a.marketplace === 'shopify') return ['shopify'];
  const ids = a.settings.marketplaceIds ?? [];
  return CHANNELS.filter((c) => c.marketplace === a.marketplace && c.remoteId && ids.includes(c.remoteId)).map((c) => c.code);
}

/** Fill the channels table with the account's storefronts (enabled), keeping local overrides. */
export function upsertChannels(store: Store, a: Pick<Account, 'marketplace' | 'settings'>, at: string): string[] {
  const codes = accountChannels(a);
  const stmt = store.db.prepare(
    `INSERT INTO channels (code, marketplace, currency, country, prices_include_tax, vat_rate, remote_id, enabled, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
     ON CONFLICT (code) DO UPDATE SET enabled = 1, currency = CASE WHEN excluded.marketplace = 'shopify' THEN excluded.currency ELSE channels.currency END, updated_at = excluded.updated_at`,
  );
  for (const code of codes) {
    const d = CHANNELS.find((c) => c.code === code)!;
    const currency = a.marketplace === 'shopify' ? a.settings.currency ?? d.currency : d.currency;
    stmt.run(code, d.marketplace, currency, d.country, d.pricesIncludeTax ? 1 : 0, d.vatRate, d.remoteId, at, at);
  }
  return codes;
}

export function disableChannels(store: Store, marketplace: MarketplaceName, at: string): number {
  return store.db.prepare('UPDATE channels SET enabled = 0, updated_at = ? WHERE marketplace = ? AND enabled = 1').run(at, marketplace).changes;
}

export function parseMarketplace(s: string): MarketplaceName {
  const m = s.trim().toLowerCase();
  if (!isMarketplace(m)) throw new UsageError(`unknown marketplace "${s}"; use amazon, ebay or shopify`);
  return m;
}

export type SecretLookup = (name: string) => string | undefined;

export function storedSecrets(creds: CredentialStore, mp: MarketplaceName): SecretLookup {
  return (name) => creds.get(mp, name)?.value;
}

function need(secret: SecretLookup, mp: MarketplaceName, name: string): string {
  const v = secret(name);
  if (!v) {
    throw new NotConfiguredError(`the ${mp} credential ${name} is missing`, {
      hints: [`run \`merchant marketplace connect ${mp}\`, or set ${`MERCHANT_${mp}_${name}`.toUpperCase()}`],
    });
  }
  return v;
}

export interface AdapterOptions {
  /** Amazon: above this many changes per marketplace use a feed (config amazon.feedThreshold). */
  amazonFeedThreshold?: number;
  amazonPollInitialMs?: number;
  amazonPollMaxMs?: number;
}

/** Build the adapter for a connected account. Secrets come from the credential store (env first). */
export function adapterFor(a: Pick<Account, 'marketplace' | 'baseUrl' | 'authUrl' | 'settings'>, secret: SecretLookup, http: HttpFactory, o: AdapterOptions = {}): MarketplacePort {
  switch (a.marketplace) {
    case 'amazon':
      return new AmazonAdapter(
        {
          baseURL: a.baseUrl,
          authURL: a.authUrl ?? PRODUCTION_URLS.amazonAuth,
          clientId: need(secret, 'amazon', 'client_id'),
          clientSecret: need(secret, 'amazon', 'client_secret'),
          refreshToken: need(secret, 'amazon', 'refresh_token'),
          sellerId: a.settings.sellerId ?? '',
          feedThreshold: o.amazonFeedThreshold,
          pollInitialMs: o.amazonPollInitialMs,
          pollMaxMs: o.amazonPollMaxMs,
          now: http.defaults.now,
        },
        http,
      );
    case 'ebay':
      return new EbayAdapter(
        {
          baseURL: a.baseUrl,
          authURL: a.authUrl ?? undefined,
          clientId: need(secret, 'ebay', 'client_id'),
          clientSecret: need(secret, 'ebay', 'client_secret'),
          refreshToken: need(secret, 'ebay', 'refresh_token'),
          now: http.defaults.now,
        },
        http,
      );
    case 'shopify':
      return new ShopifyAdapter(
        {
          baseURL: a.baseUrl,
          shop: a.settings.shop ?? '',
          token: need(secret, 'shopify', 'token'),
          currency: a.settings.currency ?? 'EUR',
          locationId: a.settings.locationId,
        },
        http,
      );
  }
}
