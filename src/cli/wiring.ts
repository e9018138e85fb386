// The one place where services meet their adapters. A service names the ports it needs
// (src/ports); the store the context opens is the repositories (src/store/repos); what else a
// port is served by (HTTP clients, file formats, carrier APIs) is chosen here and nowhere else.

import type { RateFiles } from '../ports/fx.js';
import { ecbRateFiles } from '../adapters/fx/rate-files.js';
import type { CarrierConnector } from '../ports/carrier.js';
import type { HttpFactory } from '../adapters/http/factory.js';
import { carrierMode, makeCarrier } from '../adapters/carriers/index.js';
import type { MarketplaceConnector } from '../ports/marketplace-connector.js';
import { adapterFor, ebayAdapterFor } from '../adapters/marketplaces/connect.js';

/** The ECB's published files (HTTP, formats, the bundled history). */
export function rateFiles(): RateFiles {
  return ecbRateFiles;
}

/** EasyPost and Shippo clients over merchant's HTTP client (retries, pacing, redaction). */
export function carrierConnector(factory: HttpFactory): CarrierConnector {
  return { make: (name, opts) => makeCarrier(name, factory, opts), mode: carrierMode };
}

/** Amazon, eBay and Shopify clients of an account over merchant's HTTP client (retries, pacing, redaction). */
export function marketplaceConnector(factory: HttpFactory): MarketplaceConnector {
  return { make: (a, secret, o) => adapterFor(a, secret, factory, o), ebayMigration: (a, secret) => ebayAdapterFor(a, secret, factory) };
}
