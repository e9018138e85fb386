// The repositories of one SQLite store, created on first use (a command pays only for what it reads).

import type { Store } from '../db.js';
import type { Repositories } from '../../ports/repositories.js';
import { SqliteFxRates } from './fx-rates.js';
import { SqliteAudit } from './audit.js';
import { SqliteBusinessProfile, SqliteCustomsDeclarations } from './profile.js';
import { SqliteOnboarding } from './onboarding.js';
import { SqliteCarrierAccounts } from './carrier-accounts.js';
import { SqliteMarketplaceAccounts } from './marketplace-accounts.js';
import { SqliteCatalogueCosts, SqliteChannels, SqlitePriceRules, SqlitePrices } from './pricing.js';

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
