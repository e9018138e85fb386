import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/db.js';

export const FIX = resolve(import.meta.dirname, '../../fixtures/listings');
export const DEMO = resolve(import.meta.dirname, '../../fixtures/demo');
export const fx = (name: string) => join(FIX, name);

/** Query the database a test's MERCHANT_HOME holds (fresh connection, closed after). */
export function query<T = Record<string, unknown>>(home: string, sql: string, ...args: unknown[]): T[] {
  const store = openStore(join(home, 'merchant.db'));
  try {
    const st = store.db.prepare(sql);
    if (!st.reader) {
      st.run(...args);
      return [];
    }
    return st.all(...args) as T[];
  } finally {
    store.close();
  }
}

export function count(home: string, table: string): number {
  return Number((query<{ n: bigint }>(home, `SELECT count(*) AS n FROM ${table}`)[0]!).n);
}

/**
 * Sync work still open, one entry per (channel, sku, kind): pending outbox rows and the kinds a listing's
 * pending state wants (migration 250), ordered by channel, sku, kind.
 */
export function pendingWork(home: string): Array<{ channel: string; kind: string; sku: string }> {
  const BITS: Array<[number, string]> = [[1, 'price'], [2, 'inventory'], [4, 'listing'], [8, 'delist']];
  const rows = query<{ channel: string; kind: string; sku: string }>(home, `SELECT channel, kind, sku FROM outbox WHERE state = 'pending'`).map((r) => ({ channel: r.channel, kind: r.kind, sku: r.sku }));
  for (const l of query<{ channel: string; sku: string; sync_pending: bigint }>(home, `SELECT c.channel, v.sku, c.sync_pending FROM channel_listings c JOIN variants v ON v.id = c.variant_id WHERE c.sync_pending != 0`)) {
    for (const [bit, kind] of BITS) if ((Number(l.sync_pending) & bit) !== 0) rows.push({ channel: l.channel, kind, sku: l.sku });
  }
  return rows.sort((a, b) => `${a.channel}\u0000${a.sku}\u0000${a.kind}`.localeCompare(`${b.channel}\u0000${b.sku}\u0000${b.kind}`));
}

/** As if sync had pushed everything: no work left open. */
export function ackAll(home: string): void {
  query(home, `UPDATE outbox SET state = 'acked'`);
  query(home, `UPDATE channel_listings SET sync_pending = 0`);
}

/** Everything an import writes, as one comparable snapshot. */
export function snapshot(home: string): string {
  const tables = ['products', 'variants', 'inventory', 'channel_listings', 'outbox', 'import_runs'];
  return JSON.stringify(
    tables.map((t) => query(home, `SELECT * FROM ${t} ORDER BY rowid`)),
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
}
