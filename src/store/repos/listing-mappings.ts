// Which remote SKU, offer and listing a local listing is on each storefront (channel_listings.remote_*),
// and the outcome of every listing migration (listing_migrations). Used by `marketplace migrate ebay`,
// by order pulls (a line's storefront SKU back to ours) and by `listings show`.

import type { Store } from '../db.js';
import type { ListingMappingStore, LocalEbayListing, MigrationRecord } from '../../ports/listing-migration.js';

/** Lookups an order pull makes per line, with their statements prepared once per pull. */
export interface RemoteSkuLookups {
  /** The local SKU whose listing on `channel` is stored as `remoteSku`, if any. */
  localSkuFor(channel: string, remoteSku: string): string | undefined;
  /** Is this a SKU of the local catalogue? */
  exists(sku: string): boolean;
  /** The stored remote SKU of `sku`'s listing on `channel` (null: none stored; undefined: no such listing). */
  storedRemoteSku(channel: string, sku: string): string | null | undefined;
}

export function remoteSkuLookups(store: Store): RemoteSkuLookups {
  const byRemote = store.db.prepare('SELECT v.sku FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id WHERE cl.channel = ? AND cl.remote_sku = ?');
  const variant = store.db.prepare('SELECT 1 FROM variants WHERE sku = ?');
  const stored = store.db.prepare('SELECT cl.remote_sku FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id WHERE cl.channel = ? AND v.sku = ?');
  return {
    localSkuFor: (channel, remoteSku) => (byRemote.get(channel, remoteSku) as { sku: string } | undefined)?.sku,
    exists: (sku) => variant.get(sku) !== undefined,
    storedRemoteSku(channel, sku) {
      const r = stored.get(channel, sku) as { remote_sku: string | null } | undefined;
      return r ? r.remote_sku : undefined;
    },
  };
}

interface ListingRow {
  channel: string;
  sku: string;
  status: string;
  remote_sku: string | null;
  remote_id: string | null;
  remote_listing_id: string | null;
}

export function listingMappingStore(store: Store): ListingMappingStore {
  const db = store.db;
  // What eBay says a storefront's SKU is wins over an older mapping of another listing.
  const release = db.prepare(`UPDATE channel_listings SET remote_sku = NULL WHERE channel = ? AND remote_sku = ? AND variant_id <> (SELECT id FROM variants WHERE sku = ?)`);
  const save = db.prepare(
    `UPDATE channel_listings SET remote_sku = ?, remote_id = coalesce(?, remote_id), remote_listing_id = coalesce(?, remote_listing_id), updated_at = ?
     WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`,
  );
  const record = db.prepare(
    `INSERT INTO listing_migrations (marketplace, channel, listing_id, status, items_json, error_code, error_message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    ebayListings(channels: readonly string[]): LocalEbayListing[] {
      if (!channels.length) return [];
      const rows = db
        .prepare(
          `SELECT cl.channel, v.sku, cl.status, cl.remote_sku, cl.remote_id, cl.remote_listing_id
           FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id
           WHERE cl.channel IN (${channels.map(() => '?').join(',')}) ORDER BY cl.channel, v.sku`,
        )
        .all(...channels) as ListingRow[];
      return rows.map((r) => ({ channel: r.channel, sku: r.sku, status: r.status, remoteSku: r.remote_sku, remoteId: r.remote_id, remoteListingId: r.remote_listing_id }));
    },
    existingSkus(skus: readonly string[]): Set<string> {
      const out = new Set<string>();
      const one = db.prepare('SELECT sku FROM variants WHERE sku = ?');
      for (const s of skus) if (one.get(s)) out.add(s);
      return out;
    },
    saveMapping(m, at) {
      release.run(m.channel, m.remoteSku, m.sku);
      save.run(m.remoteSku, m.offerId, m.listingId, at, m.channel, m.sku);
    },
    recordMigration(r: MigrationRecord, at: string) {
      record.run(r.marketplace, r.channel, r.listingId, r.status, JSON.stringify(r.items), r.errorCode, r.errorMessage, at);
    },
    transaction<T>(fn: () => T): T {
      return store.tx(fn);
    },
  };
}
