// Connected marketplace accounts: the non-secret row in marketplace_accounts (base URLs, seller id,
// shop domain, marketplace ids), the secrets in the credential store (never the database), and the
// adapter built from both. Used by `marketplace connect|list|remove`, `sync` and `orders`.

import { dirname, join } from 'node:path';
import type { CredentialStore } from '../../config/credentials.js';
import { FileTokenCache } from '../../config/token-cache.js';
import { CHANNELS, isMarketplace, type MarketplaceName } from '../../core/channels.js';
import { NotConfiguredError, UsageError } from '../../core/errors.js';
import { shopifyTokenCacheKey } from '../../core/shopify-token-key.js';
import type { Repositories } from '../../ports/repositories.js';
import type { Account, ShopifyAuth } from '../../ports/marketplace-accounts.js';
import type { MarketplaceConnector, SecretLookup } from '../../ports/marketplace-connector.js';
import type { ListingMappingStore, ListingMigrationPort } from '../../ports/listing-migration.js';

export type { Account, AccountSettings, ShopifyAuth } from '../../ports/marketplace-accounts.js';
export type { AdapterOptions, SecretLookup } from '../../ports/marketplace-connector.js';
export { PRODUCTION_URLS } from '../../core/marketplace-urls.js';
export { amazonEndpoints } from '../../core/amazon-regions.js';

/** The accounts' repository (the SQLite store is one). */
type AccountsStore = Pick<Repositories, 'marketplaceAccounts'>;

/**
 * Secret names per marketplace (env twin: MERCHANT_<MARKETPLACE>_<NAME>, e.g. MERCHANT_SHOPIFY_TOKEN).
 * Shopify has two kinds of account (secretNamesFor): an Admin API token, or client credentials.
 */
export const SECRET_NAMES: Record<MarketplaceName, readonly string[]> = {
  amazon: ['client_id', 'client_secret', 'refresh_token'],
  ebay: ['client_id', 'client_secret', 'refresh_token'],
  shopify: ['token'],
};

export const SHOPIFY_SECRET_NAMES: Record<ShopifyAuth, readonly string[]> = {
  admin_token: ['token'],
  client_credentials: ['client_id', 'client_secret'],
};

/** The secrets an account needs. */
export function secretNamesFor(a: Pick<Account, 'marketplace' | 'settings'>): readonly string[] {
  if (a.marketplace === 'shopify') return SHOPIFY_SECRET_NAMES[a.settings.auth ?? 'admin_token'];
  return SECRET_NAMES[a.marketplace];
}

export function listAccounts(store: AccountsStore): Account[] {
  return store.marketplaceAccounts.list();
}

export function getAccount(store: AccountsStore, marketplace: MarketplaceName): Account | undefined {
  return store.marketplaceAccounts.get(marketplace);
}

export function saveAccount(store: AccountsStore, a: Omit<Account, 'createdAt' | 'updatedAt'>, at: string): void {
  store.marketplaceAccounts.save(a, at);
}

export function deleteAccount(store: AccountsStore, marketplace: MarketplaceName): boolean {
  return store.marketplaceAccounts.delete(marketplace);
}

/** The channels (storefronts) an account sells on. */
export function accountChannels(a: Pick<Account, 'marketplace' | 'settings'>): string[] {
  if (a.marketplace === 'shopify') return ['shopify'];
  const ids = a.settings.marketplaceIds ?? [];
  return CHANNELS.filter((c) => c.marketplace === a.marketplace && c.remoteId && ids.includes(c.remoteId)).map((c) => c.code);
}

/** Fill the channels table with the account's storefronts (enabled), keeping local overrides. */
export function upsertChannels(store: AccountsStore, a: Pick<Account, 'marketplace' | 'settings'>, at: string): string[] {
  const codes = accountChannels(a);
  store.marketplaceAccounts.enableChannels(
    codes.map((code) => {
      const d = CHANNELS.find((c) => c.code === code)!;
      const currency = a.marketplace === 'shopify' ? a.settings.currency ?? d.currency : d.currency;
      return { code, marketplace: d.marketplace, currency, country: d.country, pricesIncludeTax: d.pricesIncludeTax, vatRate: d.vatRate, remoteId: d.remoteId };
    }),
    at,
  );
  return codes;
}

/** eBay's home storefront (ebay-uk…): the one whose listings use the SKU itself on eBay. */
export function homeChannel(a: Pick<Account, 'marketplace' | 'settings'> | undefined): string | undefined {
  if (!a || a.marketplace !== 'ebay') return undefined;
  const id = a.settings.homeMarketplaceId ?? a.settings.marketplaceIds?.[0];
  return CHANNELS.find((c) => c.marketplace === 'ebay' && c.remoteId === id)?.code;
}

export function disableChannels(store: AccountsStore, marketplace: MarketplaceName, at: string): number {
  return store.marketplaceAccounts.disableChannels(marketplace, at);
}

export function parseMarketplace(s: string): MarketplaceName {
  const m = s.trim().toLowerCase();
  if (!isMarketplace(m)) throw new UsageError(`unknown marketplace "${s}"; use amazon, ebay or shopify`);
  return m;
}

export function storedSecrets(creds: CredentialStore, mp: MarketplaceName): SecretLookup {
  return (name) => creds.get(mp, name)?.value;
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

/** What `marketplace migrate ebay` works with: the eBay account's adapter, the catalogue's mappings, its storefronts. */
export function ebayMigrationDeps(
  store: AccountsStore,
  creds: CredentialStore,
  connector: Pick<MarketplaceConnector, 'ebayMigration'>,
  mappings: ListingMappingStore,
  channels?: readonly string[],
): { port: ListingMigrationPort; repo: ListingMappingStore; channels: string[]; home: string | undefined } {
  const a = getAccount(store, 'ebay');
  if (!a) throw new NotConfiguredError('eBay is not connected', { hints: ['run `merchant marketplace connect ebay` (or `--sandbox URL` to try the local sandbox)'] });
  const connected = accountChannels(a);
  for (const c of channels ?? []) {
    if (!connected.includes(c)) throw new UsageError(`--channels: ${c} is not a connected eBay storefront`, { hints: [`connected: ${connected.join(', ') || 'none'}; add one with \`merchant marketplace connect ebay --channels ${[...connected, c].join(',')}\``] });
  }
  return { port: connector.ebayMigration(a, storedSecrets(creds, 'ebay')), repo: mappings, channels: channels?.length ? [...channels] : connected, home: homeChannel(a) };
}
