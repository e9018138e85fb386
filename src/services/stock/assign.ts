// `orders assign ORDER --location L`: the location that ships an order. Its open reservations move
// there (given back at the old location), and `ship book` ships from that location's address.
// Orders already shipped (stock deducted) or fulfilled by the marketplace are refused.

import { NotFoundError, UsageError } from '../../core/errors.js';
import type { StockPort } from '../../ports/stock.js';
import { requireLocation, REMOTE_KINDS } from './manage.js';

export interface AssignResult {
  order: string;
  marketplace: string;
  from: string | null;
  location: string;
  moved: Array<{ sku: string; reserved: number }>;
}

export function assignOrder(port: StockPort, ref: string, locationCode: string, command = 'orders assign'): AssignResult {
  const hits = port.ordersByRef(ref.trim());
  if (hits.length > 1) throw new UsageError(`order ${ref} exists on several marketplaces; write it as ${hits.map((h) => `${h.marketplace}:${ref}`).join(' or ')}`);
  const o = hits[0];
  if (!o) throw new NotFoundError(`no order ${ref}`, { hints: ['`merchant orders list` shows the orders known locally'] });
  const loc = requireLocation(port, locationCode);
  if (REMOTE_KINDS.has(loc.kind)) throw new UsageError(`${loc.code} is ${loc.kind === 'fba' ? "Amazon's stock" : 'a Shopify location'}: assign an order to a location merchant ships from`);
  if (o.fulfilledBy === 'marketplace') throw new UsageError(`order ${o.externalId} is fulfilled by ${o.marketplace}: it never ships from your stock`);
  if (o.effects.some((e) => e.deducted > 0) || ['shipped', 'cancelled', 'refunded'].includes(o.status)) {
    throw new UsageError(`order ${o.externalId} is ${o.status}: only an open order can change where it ships from`);
  }
  const from = o.locationId === null ? null : port.locations().find((l) => l.id === o.locationId)?.code ?? null;
  port.tx(() => {
    const changed = port.moveOrderReservation(o.id, loc.id, command);
    port.queueInventoryPush(changed, command);
  });
  return { order: o.externalId, marketplace: o.marketplace, from, location: loc.code, moved: o.effects.filter((e) => e.reserved > 0).map((e) => ({ sku: e.sku, reserved: e.reserved })) };
}
