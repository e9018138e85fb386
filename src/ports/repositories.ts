// Every repository the services reach the stored state through, and the unit of work around them.
// The SQLite store (src/store/db.ts) implements this; a service names only the ones it needs
// (`Pick<Repositories, 'fxRates'>`), so it never sees SQL, a connection or a driver type.

import type { FxRatesRepo } from './fx.js';
import type { AuditRepo, CatalogueCostsRepo, ChannelsRepo, PriceRulesRepo, PricesRepo } from './pricing.js';
import type { BusinessProfileRepo, CustomsDeclarationsRepo } from './profile.js';
import type { OnboardingRepo } from './onboarding.js';
import type { CarrierAccountsRepo } from './carrier.js';
import type { Transactions } from './transactions.js';
import type { ParcelConfirmationsRepo, ShipmentsRepo, ShippingOrdersRepo } from './shipments.js';
import type { SyncStore } from './sync.js';
import type { OrdersRepo, OrderTaxRepo } from './orders.js';
import type { OrderPullRepo } from './order-pull.js';
import type { SalesReportRepo } from './sales-report.js';
import type { MarketplaceAccountsRepo } from './marketplace-accounts.js';

export interface Repositories extends Transactions {
  readonly fxRates: FxRatesRepo;
  readonly audit: AuditRepo;
  readonly catalogueCosts: CatalogueCostsRepo;
  readonly channels: ChannelsRepo;
  readonly priceRules: PriceRulesRepo;
  readonly prices: PricesRepo;
  readonly businessProfile: BusinessProfileRepo;
  readonly customsDeclarations: CustomsDeclarationsRepo;
  readonly onboarding: OnboardingRepo;
  readonly carrierAccounts: CarrierAccountsRepo;
  readonly shipments: ShipmentsRepo;
  readonly shippingOrders: ShippingOrdersRepo;
  readonly parcelConfirmations: ParcelConfirmationsRepo;
  readonly sync: SyncStore;
  readonly orders: OrdersRepo;
  readonly orderTax: OrderTaxRepo;
  readonly orderPull: OrderPullRepo;
  readonly salesReport: SalesReportRepo;
  readonly marketplaceAccounts: MarketplaceAccountsRepo;
}
