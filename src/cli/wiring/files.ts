// The one place where services meet their adapters (src/cli/wiring/*, one module per kind of adapter so a
// command loads only the adapters it uses: \`listings import\` never loads the HTTP stack). A service names
// the ports it needs (src/ports); the store the context opens is the repositories (src/store/repos); what
// else a port is served by (HTTP clients, file formats, carrier APIs) is chosen here and nowhere else.

import type { OrderFiles } from '../../ports/order-files.js';
import { readOrderFile } from '../../adapters/orderfiles/index.js';
import type { ListingFiles } from '../../ports/listing-files.js';
import { csvListingFiles } from '../../adapters/csv/listing-files.js';

/** The order-report readers (Shopify, Amazon, eBay files) behind the order import. */
export function orderFiles(): OrderFiles {
  return { read: readOrderFile };
}

/** Sellers' CSV/TSV files and the import formats' column maps (listings import, template, export). */
export function listingFiles(): ListingFiles {
  return csvListingFiles;
}

/** The listings import's reading thread (import-worker-entry.ts): next to this module once built, from dist/ under tests. */
export function importWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../../dist/cli/import-worker-entry.js', import.meta.url) : new URL('../import-worker-entry.js', import.meta.url);
}
