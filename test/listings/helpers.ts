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

/** Everything an import writes, as one comparable snapshot. */
export function snapshot(home: string): string {
  const tables = ['products', 'variants', 'inventory', 'channel_listings', 'outbox', 'import_runs'];
  return JSON.stringify(
    tables.map((t) => query(home, `SELECT * FROM ${t} ORDER BY rowid`)),
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
}
