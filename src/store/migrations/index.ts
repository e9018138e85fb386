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
import shipToAddress from './0200-ship-to-address.js';
import shipmentConfirmations from './0201-shipment-confirmations.js';

export const MIGRATIONS: readonly Migration[] = [core, catalog, fxPricing, orders, sync, shipping, inventoryRules, reports, shipToAddress, shipmentConfirmations];
