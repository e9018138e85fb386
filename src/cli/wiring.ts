// The one place where services meet their adapters. A service names the ports it needs
// (src/ports); the store the context opens is the repositories (src/store/repos); what else a
// port is served by (HTTP clients, file formats, carrier APIs) is chosen here and nowhere else.

import type { RateFiles } from '../ports/fx.js';
import { ecbRateFiles } from '../adapters/fx/rate-files.js';
import type { CarrierConnector } from '../ports/carrier.js';
import type { HttpFactory } from '../adapters/http/factory.js';
import { carrierMode, makeCarrier } from '../adapters/carriers/index.js';
import type { OrderFiles } from '../ports/order-files.js';
import { readOrderFile } from '../adapters/orderfiles/index.js';

/** The ECB's published files (HTTP, formats, the bundled history). */
export function rateFiles(): RateFiles {
  return ecbRateFiles;
}

/** EasyPost and Shippo clients over merchant's HTTP client (retries, pacing, redaction). */
export function carrierConnector(factory: HttpFactory): CarrierConnector {
  return { make: (name, opts) => makeCarrier(name, factory, opts), mode: carrierMode };
}

/** The order-report readers (Shopify, Amazon, eBay files) behind the order import. */
export function orderFiles(): OrderFiles {
  return { read: readOrderFile };
}
