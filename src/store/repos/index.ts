// The repositories of one SQLite store, created on first use (a command pays only for what it reads).

import type { Store } from '../db.js';
import type { Repositories } from '../../ports/repositories.js';
import { SqliteFxRates } from './fx-rates.js';
import { SqliteAudit } from './audit.js';
import { SqliteBusinessProfile, SqliteCustomsDeclarations } from './profile.js';
import { SqliteOnboarding } from './onboarding.js';
import { SqliteCarrierAccounts } from './carrier-accounts.js';
import { SqliteSyncStore } from './sync-store.js';
import { SqliteOrders, SqliteOrderTax } from './orders.js';
import { SqliteOrderPull } from './order-pull.js';
import { SqliteSalesReport } from './sales-report.js';
import { SqliteMarketplaceAccounts } from './marketplace-accounts.js';
import { SqliteCatalogueCosts, SqliteChannels, SqlitePriceRules, SqlitePrices } from './pricing.js';
import { SqliteShipments } from './shipments.js';
import { SqliteShippingOrders } from './shipping-orders.js';
import { SqliteParcelConfirmations } from './parcel-confirmations.js';

type Bare = Omit<Store, keyof Repositories> & Pick<Repositories, 'tx'>;

const FACTORIES: { [K in Exclude<keyof Repositories, 'tx'>]: (s: Store) => Repositories[K] } = {
  fxRates: (s) => new SqliteFxRates(s),
  audit: (s) => new SqliteAudit(s),
  catalogueCosts: (s) => new SqliteCatalogueCosts(s),
  channels: (s) => new SqliteChannels(s),
  priceRules: (s) => new SqlitePriceRules(s),
  prices: (s) => new SqlitePrices(s),
  businessProfile: (s) => new SqliteBusinessProfile(s),
  customsDeclarations: (s) => new SqliteCustomsDeclarations(s),
  onboarding: (s) => new SqliteOnboarding(s),
  carrierAccounts: (s) => new SqliteCarrierAccounts(s),
  shipments: (s) => new SqliteShipments(s),
  shippingOrders: (s) => new SqliteShippingOrders(s),
  parcelConfirmations: (s) => new SqliteParcelConfirmations(s),
  sync: (s) => new SqliteSyncStore(s),
  orders: (s) => new SqliteOrders(s),
  orderTax: (s) => new SqliteOrderTax(s),
  orderPull: (s) => new SqliteOrderPull(s),
  salesReport: (s) => new SqliteSalesReport(s),
  marketplaceAccounts: (s) => new SqliteMarketplaceAccounts(s),
};

export function attachRepositories(bare: Bare): Store {
  const store = bare as Store;
  for (const [name, make] of Object.entries(FACTORIES) as Array<[keyof typeof FACTORIES, (s: Store) => unknown]>) {
    let made: unknown;
    Object.defineProperty(store, name, { enumerable: true, get: () => (made ??= make(store)) });
  }
  return store;
}
