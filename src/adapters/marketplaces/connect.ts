// The marketplace adapters built from a stored account and its secrets (moved from
// src/services/marketplace/accounts.ts): src/cli/wiring/*.ts serves the MarketplaceConnector port with them.

import type { MarketplaceName } from '../../core/channels.js';
import { NotConfiguredError } from '../../core/errors.js';
import { amazonEndpoints } from '../../core/amazon-regions.js';
import { PRODUCTION_URLS } from '../../core/marketplace-urls.js';
import type { MarketplacePort } from '../../ports/marketplace.js';
import type { Account } from '../../ports/marketplace-accounts.js';
import type { AdapterOptions, ConnectableAccount, SecretLookup } from '../../ports/marketplace-connector.js';
import type { HttpFactory } from '../http/factory.js';
import { AmazonAdapter } from './amazon/index.js';
import { EbayAdapter } from './ebay/index.js';
import { ShopifyAdapter } from './shopify/index.js';

function need(secret: SecretLookup, mp: MarketplaceName, name: string): string {
  const v = secret(name);
  if (!v) {
    throw new NotConfiguredError(`the ${mp} credential ${name} is missing`, {
      hints: [`run \`merchant marketplace connect ${mp}\`, or set ${`MERCHANT_${mp}_${name}`.toUpperCase()}`],
    });
  }
  return v;
}

/** Build the adapter for a connected account. Secrets come from the credential store (env first). */
export function adapterFor(a: ConnectableAccount, secret: SecretLookup, http: HttpFactory, o: AdapterOptions = {}): MarketplacePort {
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

export function ebayAdapterFor(a: Pick<Account, 'baseUrl' | 'authUrl' | 'settings'>, secret: SecretLookup, http: HttpFactory): EbayAdapter {
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
