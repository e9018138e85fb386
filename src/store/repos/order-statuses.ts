// Which order statuses exist: the ones marketplaces and report files gave the stored orders.
import type { Store } from '../db.js';

export function storedOrderStatuses(store: Store): string[] {
  return (store.db.prepare('SELECT DISTINCT status FROM orders ORDER BY status').all() as Array<{ status: string }>).map((r) => r.status);
}
