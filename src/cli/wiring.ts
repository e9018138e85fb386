// The one place where services meet their adapters. A service names the ports it needs
// (src/ports); the store the context opens is the repositories (src/store/repos); what else a
// port is served by (HTTP clients, file formats, carrier APIs) is chosen here and nowhere else.

import type { RateFiles } from '../ports/fx.js';
import { ecbRateFiles } from '../adapters/fx/rate-files.js';
import type { CarrierConnector } from '../ports/carrier.js';
import type { HttpFactory } from '../adapters/http/factory.js';
import { carrierMode, makeCarrier } from '../adapters/carriers/index.js';
import type { ListingFiles } from '../ports/listing-files.js';
import { csvListingFiles } from '../adapters/csv/listing-files.js';

/** The ECB's published files (HTTP, formats, the bundled history). */
export function rateFiles(): RateFiles {
  return ecbRateFiles;
}

/** EasyPost and Shippo clients over merchant's HTTP client (retries, pacing, redaction). */
export function carrierConnector(factory: HttpFactory): CarrierConnector {
  return { make: (name, opts) => makeCarrier(name, factory, opts), mode: carrierMode };
}

/** Sellers' CSV/TSV files and the import formats' column maps (listings import, template, export). */
export function listingFiles(): ListingFiles {
  return csvListingFiles;
}

/** The listings import's reading thread (import-worker-entry.ts): next to this module once built, from dist/ under tests. */
export function importWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/cli/import-worker-entry.js', import.meta.url) : new URL('./import-worker-entry.js', import.meta.url);
}
