// The one place where services meet their adapters (src/cli/wiring/*, one module per kind of adapter so a
// command loads only the adapters it uses: \`listings import\` never loads the HTTP stack). A service names
// the ports it needs (src/ports); the store the context opens is the repositories (src/store/repos); what
// else a port is served by (HTTP clients, file formats, carrier APIs) is chosen here and nowhere else.

import type { HttpFactory } from '../../adapters/http/factory.js';
import type { Store } from '../../store/db.js';
import type { CredentialStore } from '../../config/credentials.js';
import type { SyncConnections } from '../../ports/sync.js';
import { NotConfiguredError } from '../../core/errors.js';
import { accountChannels, getAccount, listAccounts, storedSecrets, tokenCacheFor, type AdapterOptions } from '../../services/marketplace/accounts.js';
import { getCursor, pullMarketplaceOrders } from '../../services/orders/pull.js';
import { rateLimitStateStore } from '../../store/repos/rate-limits.js';
import { StockRepo } from '../../store/repos/stock.js';
import { confirmationStore } from '../../store/repos/confirmations.js';
import type { MarketplaceConnector } from '../../ports/marketplace-connector.js';
import { adapterFor, ebayAdapterFor } from '../../adapters/marketplaces/connect.js';

/** Amazon, eBay and Shopify clients of an account over merchant's HTTP client (retries, pacing, redaction). */
export function marketplaceConnector(factory: HttpFactory): MarketplaceConnector {
  return { make: (a, secret, o) => adapterFor(a, secret, factory, o), ebayMigration: (a, secret) => ebayAdapterFor(a, secret, factory) };
}

/**
 * What `merchant sync` reaches beyond the sync aggregate (ports/sync.ts): the connected accounts, each
 * one's adapter over merchant's HTTP client (the pacer's buckets kept in the store between runs, not
 * by a dry run), order pulls, stock and shipment confirmations.
 */
export function syncConnections(o: { store: Store; credentials: CredentialStore; http: HttpFactory; now: () => string; adapterOptions?: AdapterOptions }): SyncConnections {
  const { store } = o;
  return {
    accounts: () => listAccounts(store).map((a) => ({ marketplace: a.marketplace, channels: accountChannels(a), createdAt: a.createdAt })),
    adapter: (marketplace, { dryRun }) => {
      const a = getAccount(store, marketplace);
      if (!a) throw new NotConfiguredError(`${marketplace} is not connected`, { hints: [`run \`merchant marketplace connect ${marketplace}\``] });
      // Rate-limit buckets persist between runs (a run right after another knows what it used).
      const options = { tokenCache: tokenCacheFor(o.credentials, o.adapterOptions?.now), ...o.adapterOptions, ...(dryRun ? {} : { pacerState: rateLimitStateStore(store, o.now) }) };
      return marketplaceConnector(o.http).make(a, storedSecrets(o.credentials, marketplace), options);
    },
    orderCursor: (marketplace) => getCursor(store, marketplace),
    pullOrders: (adapter, opts) => pullMarketplaceOrders(store, adapter, opts),
    stock: (now) => new StockRepo(store, now),
    confirmations: () => confirmationStore(store),
  };
}
