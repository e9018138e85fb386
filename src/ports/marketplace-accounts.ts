// A connected marketplace account as stored (the non-secret row: base URLs, seller id, shop domain,
// marketplace ids; the secrets live in the credential store, never here), and the repository that keeps
// the accounts and the storefronts (channels) they sell on. Implemented over SQLite in
// src/store/repos/marketplace-accounts.ts; `marketplace connect|list|remove`, sync and orders use it.

import type { ChannelDef, MarketplaceName } from '../core/channels.js';
import type { AmazonRegion } from '../core/amazon-regions.js';

/** How a Shopify account authenticates: a legacy custom app's Admin API token, or a Dev Dashboard app's client credentials. */
export type ShopifyAuth = 'admin_token' | 'client_credentials';

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

/** One storefront of an account, as the channels table keeps it (enabled by a connect). */
export type AccountChannel = Omit<ChannelDef, 'language'>;

export interface MarketplaceAccountsRepo {
  /** Every connected account, by marketplace name. */
  list(): Account[];
  get(marketplace: MarketplaceName): Account | undefined;
  /** Create or update the account (settings as JSON; credentials stay in the credential store). */
  save(a: Omit<Account, 'createdAt' | 'updatedAt'>, at: string): void;
  /** Whether there was an account to delete. */
  delete(marketplace: MarketplaceName): boolean;
  /**
   * Enable the account's storefronts, adding the missing ones and keeping local overrides (a Shopify
   * storefront takes the shop's currency).
   */
  enableChannels(channels: readonly AccountChannel[], at: string): void;
  /** Disable every enabled storefront of the marketplace; how many were. */
  disableChannels(marketplace: MarketplaceName, at: string): number;
}
