// What an order pull needs besides the orders (ports/order-pull.ts) over SQLite: its cursors in
// sync_cursors, the remote SKU lookups (repos/listing-mappings.ts), the account's settings, the stock
// an order holds (repos/stock.ts) and the inventory pushes that follow (repos/sync-state.ts).

import type { Statement, Store } from '../db.js';
import type { OrderPullRepo, OrderStockEffects, RemoteSkuLookups } from '../../ports/order-pull.js';
import { remoteSkuLookups } from './listing-mappings.js';
import { markSyncWanted } from './sync-state.js';
import { StockRepo } from './stock.js';

export class SqliteOrderPull implements OrderPullRepo {
  private channelsOfSku?: Statement;

  constructor(private readonly store: Store) {}

  cursor(marketplace: string, stream: string): string | undefined {
    const r = this.store.db.prepare('SELECT cursor FROM sync_cursors WHERE marketplace = ? AND stream = ?').get(marketplace, stream) as { cursor: string } | undefined;
    return r?.cursor;
  }

  setCursor(marketplace: string, stream: string, cursor: string, at: string): void {
    this.store.db
      .prepare(
        `INSERT INTO sync_cursors (marketplace, stream, cursor, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (marketplace, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      )
      .run(marketplace, stream, cursor, at);
  }

  clearCursor(marketplace: string, stream: string): void {
    this.store.db.prepare('DELETE FROM sync_cursors WHERE marketplace = ? AND stream = ?').run(marketplace, stream);
  }

  remoteSkuLookups(): RemoteSkuLookups {
    return remoteSkuLookups(this.store);
  }

  stockEffects(): OrderStockEffects {
    return new StockRepo(this.store);
  }

  listingChannelsOf(sku: string): string[] {
    // Prepared once per store: a pull asks for every SKU its orders touched.
    this.channelsOfSku ??= this.store.db.prepare(
      `SELECT cl.channel FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id
     JOIN channels c ON c.code = cl.channel AND c.enabled = 1 WHERE v.sku = ?`,
    );
    const rows = this.channelsOfSku.all(sku) as Array<{ channel: string }>;
    return rows.map((r) => r.channel);
  }

  markSyncWanted(channel: string, sku: string, kind: 'inventory', at: string): boolean {
    return markSyncWanted(this.store, channel, sku, kind, at);
  }
}
