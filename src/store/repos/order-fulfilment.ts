// Who fulfils an order (orders.fulfilled_by, migration 0100): 'marketplace' (Amazon FBA) orders never
// move the seller's own stock.
import type { Store } from '../db.js';

export function setOrderFulfilledBy(store: Store, orderId: number, fulfilledBy: 'merchant' | 'marketplace' | null): void {
  store.db.prepare('UPDATE orders SET fulfilled_by = ? WHERE id = ? AND fulfilled_by IS NOT ?').run(fulfilledBy, orderId, fulfilledBy);
}
