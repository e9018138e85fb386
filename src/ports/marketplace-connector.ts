// The marketplace connector port: how an account (stored, or about to be stored by `marketplace connect`)
// and its secrets become the marketplace's API client (a MarketplacePort). The services name this port;
// the adapters (Amazon, eBay, Shopify over merchant's HTTP client) are chosen in src/cli/wiring/*.ts, as
// CarrierConnector is for the carriers.

import type { MarketplacePort } from './marketplace.js';
import type { ListingMigrationPort } from './listing-migration.js';
import type { TokenCache } from './token-cache.js';
import type { Account } from './marketplace-accounts.js';

/** A secret of the account by name (client_id, refresh_token, token…), from the credential store or the command. */
export type SecretLookup = (name: string) => string | undefined;

/** The request pacer's state of one limit between runs (shaped as the HTTP pacer's PacerState). */
export interface PacerLimitState {
  tokens?: number;
  at?: number;
  times?: number[];
  rate?: number;
}

/** Where the request pacer keeps its buckets between runs (the rate_limit_state table). */
export interface PacerStatePort {
  load(key: string): PacerLimitState | undefined;
  save(key: string, state: PacerLimitState): void;
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
  pacerState?: PacerStatePort;
}

/** What building an adapter needs of an account: its URLs and settings (a stored account, or one being connected). */
export type ConnectableAccount = Pick<Account, 'marketplace' | 'baseUrl' | 'authUrl' | 'settings'> & { sandbox?: boolean };

export interface MarketplaceConnector {
  /**
   * The API client of an account. A secret the account needs and does not have is a NotConfiguredError
   * (naming the command and the environment variable that provide it); nothing is called yet.
   */
  make(account: ConnectableAccount, secret: SecretLookup, options?: AdapterOptions): MarketplacePort;
  /** eBay's listing migration (Seller Hub listings into the Inventory API) for the eBay account. */
  ebayMigration(account: Pick<Account, 'baseUrl' | 'authUrl' | 'settings'>, secret: SecretLookup): ListingMigrationPort;
}
