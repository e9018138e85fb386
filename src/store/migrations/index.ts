// The ordered list of migrations. Append only; never reorder or edit a released one.
import type { Migration } from '../migrate.js';
import core from './0001-core.js';
import catalog from './0002-catalog.js';
import fxPricing from './0003-fx-pricing.js';
import orders from './0004-orders.js';
import sync from './0005-sync.js';
import shipping from './0006-shipping.js';
import inventoryRules from './0030-inventory-rules.js';
import reports from './0050-reports.js';
import fulfilment from './0100-fulfilment.js';
import queuedBatches from './0101-queued-batches.js';
import rateLimits from './0102-rate-limits.js';
import syncAttempts from './0110-sync-attempts.js';
import remoteSkus from './0120-remote-skus.js';
import tax from './0140-tax.js';
import lockLease from './0150-lock-lease.js';
import shipToAddress from './0200-ship-to-address.js';
import shipmentConfirmations from './0201-shipment-confirmations.js';
import listingPublish from './0210-listing-publish.js';
import stockLocations from './0220-stock-locations.js';
import syncState from './0250-sync-state.js';
import outboxIds from './0280-outbox-ids.js';
import priceHistoryCompact from './0290-price-history-compact.js';

export const MIGRATIONS: readonly Migration[] = [
  core, catalog, fxPricing, orders, sync, shipping, inventoryRules, reports,
  fulfilment, queuedBatches, rateLimits,
  syncAttempts,
  remoteSkus,
  tax,
  lockLease,
  shipToAddress, shipmentConfirmations,
  listingPublish,
  stockLocations,
  syncState,
  outboxIds,
  priceHistoryCompact,
];
