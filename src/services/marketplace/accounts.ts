// Connected marketplace accounts: the non-secret row in marketplace_accounts (base URLs, seller id,
// shop domain, marketplace ids), the secrets in the credential store (never the database), and the
// adapter built from both. Used by `marketplace connect|list|remove`, `sync` and `orders`.

import { dirname, join } from 'node:path';
import type { Store } from '../../store/db.js';
import type { CredentialStore } from '../../config/credentials.js';
import { FileTokenCache } from '../../config/token-cache.js';
import type { TokenCache } from '../../ports/token-cache.js';
import { CHANNELS, isMarketplace, type MarketplaceName } from '../../core/channels.js';
import { NotConfiguredError, UsageError } from '../../core/errors.js';
import type { HttpFactory } from '../../adapters/http/factory.js';
import type { MarketplacePort } from '../../ports/marketplace.js';
import { AmazonAdapter, AMAZON_ENDPOINTS, AMAZON_REGIONS, isAmazonRegion, type AmazonRegion } from '../../adapters/marketplaces/amazon/index.js';
import type { PacerStateStore } from '../../adapters/http/pacer.js';
import type { ListingMappingStore, ListingMigrationPort } from '../../ports/listing-migration.js';
import { listingMappingStore } from '../../store/repos/listing-mappings.js';
import { EbayAdapter } from '../../adapters/marketplaces/ebay/index.js';
import { ShopifyAdapter, shopifyTokenCacheKey } from '../../adapters/marketplaces/shopify/index.js';

/**
 * Secret names per marketplace (env twin: MERCHANT_<MARKETPLACE>_<NAME>, e.g. MERCHANT_SHOPIFY_TOKEN).
 * Shopify has two kinds of account (secretNamesFor): an Admin API token, or client credentials.
 */
export const SECRET_NAMES: Record<MarketplaceName, readonly string[]> = {
  amazon: ['client_id', 'client_secret', 'refresh_token'],
  ebay: ['client_id', 'client_secret', 'refresh_token'],
  shopify: ['token'],
};

/** How a Shopify account authenticates: a legacy custom app's Admin API token, or a Dev Dashboard app's client credentials. */
export type ShopifyAuth = 'admin_token' | 'client_credentials';
export const SHOPIFY_SECRET_NAMES: Record<ShopifyAuth, readonly string[]> = {
  admin_token: ['token'],
  client_credentials: ['client_id', 'client_secret'],
};

/** The secrets an account needs. */
export function secretNamesFor(a: Pick<Account, 'marketplace' | 'settings'>): readonly string[] {
  if (a.marketplace === 'shopify') return SHOPIFY_SECRET_NAMES[a.settings.auth ?? 'admin_token'];
  return SECRET_NAMES[a.marketplace];
}

export const PRODUCTION_URLS = {
  amazon: { na: 'https://sellingpartnerapi-na.amazon.com', eu: 'https://sellingpartnerapi-eu.amazon.com', fe: 'https://sellingpartnerapi-fe.amazon.com' },
  amazonAuth: 'https://api.amazon.com/auth/o2/token',
  ebay: 'https://api.ebay.com',
} as const;

export interface AccountSettings {
  sellerId?: string;
  /** Amazon, before regions were connected one by one: the one region of baseUrl. */
  region?: string;
  /** Amazon: the endpoint of every region the account was connected for (na, eu, fe). */
  endpoints?: Partial<Record<AmazonRegion, string>>;
  marketplaceIds?: string[];
  /**
   * eBay: the home site, set on the first connect (the first of --channels) and kept on reconnects:
   * its listings keep their SKU, other sites' listings get `SKU-<SITE>` (eBay offers a SKU on one site only).
   */
  homeMarketplaceId?: string;
  shop?: string;
  currency?: string;
  /** Shopify: how the account authenticates (absent: admin_token, as before client credentials existed). */
  auth?: ShopifyAuth;
  /** Shopify: the stock location chosen at connect (a Location GID); config shopify.location overrides it. */
  location?: string;
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

/** eBay's home storefront (ebay-uk…): the one whose listings use the SKU itself on eBay. */
export function homeChannel(a: Pick<Account, 'marketplace' | 'settings'> | undefined): string | undefined {
  if (!a || a.marketplace !== 'ebay') return undefined;
  const id = a.settings.homeMarketplaceId ?? a.settings.marketplaceIds?.[0];
  return CHANNELS.find((c) => c.marketplace === 'ebay' && c.remoteId === id)?.code;
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
  /** Shopify: where stock goes (config shopify.location: a location id or name); default the account's, else the primary location. */
  shopifyLocation?: string;
  /** Short-lived access tokens kept between runs (Shopify client credentials). */
  tokenCache?: TokenCache;
  /** The command's clock (MERCHANT_NOW pins it) for token lifetimes; default the HTTP factory's, else real time. */
  now?: () => number;
  /** Amazon: above this many changes per marketplace use a feed (config amazon.feedThreshold). */
  amazonFeedThreshold?: number;
  /** Amazon: above this many pending shipment confirmations per region, one order-fulfillment feed (amazon.confirmFeedThreshold). */
  amazonConfirmFeedThreshold?: number;
  amazonPollInitialMs?: number;
  amazonPollMaxMs?: number;
  /** Amazon: how long a run waits for its feeds before the next run checks them (amazon.feedWaitMs). */
  amazonFeedWaitMs?: number;
  /** Where the request pacer keeps its buckets between runs. */
  pacerState?: PacerStateStore;
}

/**
 * The Amazon endpoint of each region of an account. Accounts connected before regions were read
 * from Amazon have one baseUrl for settings.region (eu by default): the real hosts give the other
 * regions, a sandbox URL (…/amazon) gets …/amazon/<region>; any other single URL serves its region only.
 */
export function amazonEndpoints(a: Pick<Account, 'baseUrl' | 'settings'> & { sandbox?: boolean }): Partial<Record<AmazonRegion, string>> {
  if (a.settings.endpoints && Object.keys(a.settings.endpoints).length) return { ...a.settings.endpoints };
  const region: AmazonRegion = a.settings.region && isAmazonRegion(a.settings.region) ? a.settings.region : 'eu';
  const base = a.baseUrl.replace(/\/+$/, '');
  const out: Partial<Record<AmazonRegion, string>> = { [region]: base };
  if ((Object.values(AMAZON_ENDPOINTS) as string[]).includes(base)) return { ...AMAZON_ENDPOINTS };
  if (a.sandbox || /\/amazon$/.test(base)) for (const r of AMAZON_REGIONS) if (r !== region) out[r] = `${base}/${r}`;
  return out;
}

/** Build the adapter for a connected account. Secrets come from the credential store (env first). */
export function adapterFor(a: Pick<Account, 'marketplace' | 'baseUrl' | 'authUrl' | 'settings'> & { sandbox?: boolean }, secret: SecretLookup, http: HttpFactory, o: AdapterOptions = {}): MarketplacePort {
  switch (a.marketplace) {
    case 'amazon':
      return new AmazonAdapter(
        {
          endpoints: amazonEndpoints(a),
          marketplaceIds: a.settings.marketplaceIds,
          authURL: a.authUrl ?? PRODUCTION_URLS.amazonAuth,
          clientId: need(secret, 'amazon', 'client_id'),
          clientSecret: need(secret, 'amazon', 'client_secret'),
          refreshToken: need(secret, 'amazon', 'refresh_token'),
          sellerId: a.settings.sellerId ?? '',
          feedThreshold: o.amazonFeedThreshold,
          confirmFeedThreshold: o.amazonConfirmFeedThreshold,
          pollInitialMs: o.amazonPollInitialMs,
          pollMaxMs: o.amazonPollMaxMs,
          feedWaitMs: o.amazonFeedWaitMs,
          pacerState: o.pacerState,
          now: http.defaults.now,
        },
        http,
      );
    case 'ebay':
      return ebayAdapterFor(a, secret, http);
    case 'shopify':
      return new ShopifyAdapter(
        {
          baseURL: a.baseUrl,
          shop: a.settings.shop ?? '',
          credentials:
            a.settings.auth === 'client_credentials'
              ? { kind: 'client_credentials', clientId: need(secret, 'shopify', 'client_id'), clientSecret: need(secret, 'shopify', 'client_secret') }
              : { kind: 'admin_token', token: need(secret, 'shopify', 'token') },
          currency: a.settings.currency ?? 'EUR',
          location: o.shopifyLocation?.trim() || a.settings.location,
          tokenCache: o.tokenCache,
          now: o.now ?? http.defaults.now,
        },
        http,
      );
  }
}

/** The access-token cache next to the credentials file (MERCHANT_HOME/token-cache, 0600; never the database). */
export function tokenCacheFor(creds: Pick<CredentialStore, 'path'>, now?: () => number): FileTokenCache {
  return new FileTokenCache(join(dirname(creds.path), 'token-cache'), now);
}

/** What doctor and `marketplace list` say about an account's credentials. */
export interface CredentialInfo {
  /** admin_token (Shopify, does not expire), client_credentials (Shopify, 24-hour tokens renewed by merchant), refresh_token (Amazon LWA, eBay OAuth). */
  kind: ShopifyAuth | 'refresh_token';
  /** merchant obtains new access tokens by itself (nothing to do when one expires). */
  renewsItself: boolean;
  secrets: Array<{ name: string; source: 'env' | 'file' | 'missing' }>;
  /** When the access token last obtained expires (ISO), if one is known: client credentials from the token cache, else the one seen at connect. */
  accessTokenExpiresAt: string | null;
}

export function credentialInfo(a: Account, creds: CredentialStore, now: () => number = Date.now): CredentialInfo {
  const secrets = creds.describe(a.marketplace, secretNamesFor(a));
  if (a.marketplace !== 'shopify') return { kind: 'refresh_token', renewsItself: true, secrets, accessTokenExpiresAt: a.tokenExpiresAt };
  if (a.settings.auth !== 'client_credentials') return { kind: 'admin_token', renewsItself: false, secrets, accessTokenExpiresAt: null };
  const id = creds.get('shopify', 'client_id')?.value;
  const secret = creds.get('shopify', 'client_secret')?.value;
  const cached = id && secret ? tokenCacheFor(creds, now).get(shopifyTokenCacheKey(a.baseUrl, id, secret)) : undefined;
  return { kind: 'client_credentials', renewsItself: true, secrets, accessTokenExpiresAt: cached ? new Date(cached.expiresAt).toISOString() : a.tokenExpiresAt };
}

function ebayAdapterFor(a: Pick<Account, 'baseUrl' | 'authUrl' | 'settings'>, secret: SecretLookup, http: HttpFactory): EbayAdapter {
  return new EbayAdapter(
    {
      baseURL: a.baseUrl,
      authURL: a.authUrl ?? undefined,
      clientId: need(secret, 'ebay', 'client_id'),
      clientSecret: need(secret, 'ebay', 'client_secret'),
      refreshToken: need(secret, 'ebay', 'refresh_token'),
      homeMarketplaceId: a.settings.homeMarketplaceId ?? a.settings.marketplaceIds?.[0],
      now: http.defaults.now,
    },
    http,
  );
}

/** What `marketplace migrate ebay` works with: the eBay account's adapter, the catalogue's mappings, its storefronts. */
export function ebayMigrationDeps(
  store: Store,
  creds: CredentialStore,
  http: HttpFactory,
  channels?: readonly string[],
): { port: ListingMigrationPort; repo: ListingMappingStore; channels: string[]; home: string | undefined } {
  const a = getAccount(store, 'ebay');
  if (!a) throw new NotConfiguredError('eBay is not connected', { hints: ['run `merchant marketplace connect ebay` (or `--sandbox URL` to try the local sandbox)'] });
  const connected = accountChannels(a);
  for (const c of channels ?? []) {
    if (!connected.includes(c)) throw new UsageError(`--channels: ${c} is not a connected eBay storefront`, { hints: [`connected: ${connected.join(', ') || 'none'}; add one with \`merchant marketplace connect ebay --channels ${[...connected, c].join(',')}\``] });
  }
  return { port: ebayAdapterFor(a, storedSecrets(creds, 'ebay'), http), repo: listingMappingStore(store), channels: channels?.length ? [...channels] : connected, home: homeChannel(a) };
}
