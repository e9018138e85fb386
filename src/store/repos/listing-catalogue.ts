// The listings services' catalogue ports (src/ports/listing-catalogue.ts) over SQLite: the statements are
// catalog.ts's (CatalogWriter, BulkLoad and the catalogue reads), unchanged.

import type { Store } from '../db.js';
import type { CatalogueFilter, CatalogueImportWriter, CatalogueReadRepo, CatalogueRow, ImportRunRow, ListingImportRepo, ListingRow } from '../../ports/listing-catalogue.js';
import { CatalogWriter, hasImportRuns, iterateCatalogue, listingsForSku, pendingOutboxForSku, recordImportRun, shopCurrency, unchangedSince } from './catalog.js';

export class SqliteListingCatalogue implements ListingImportRepo, CatalogueReadRepo {
  constructor(private readonly store: Store) {}
  hasImportRuns(): boolean {
    return hasImportRuns(this.store);
  }
  unchangedSince(fingerprint: string): ImportRunRow | undefined {
    return unchangedSince(this.store, fingerprint);
  }
  recordImportRun(r: { at: string; fingerprint: string; files: unknown; created: number; updated: number; unchanged: number; rejected: number }): void {
    recordImportRun(this.store, r);
  }
  shopCurrency(): string | undefined {
    return shopCurrency(this.store);
  }
  writer(): CatalogueImportWriter {
    return new CatalogWriter(this.store);
  }
  iterate(filter: CatalogueFilter = {}): IterableIterator<CatalogueRow> {
    return iterateCatalogue(this.store, filter);
  }
  listingsForSku(sku: string): ListingRow[] {
    return listingsForSku(this.store, sku);
  }
  pendingForSku(sku: string): Array<{ channel: string; kind: string; state: string; created_at: string }> {
    return pendingOutboxForSku(this.store, sku);
  }
}
