// The confirmation outbox (migration 201): parcels the marketplaces must be told about, and what an
// order's lines already have in parcels (for partial shipments and order status).

import type { Store } from '../db.js';
import { StockRepo } from './stock.js';
import { num } from '../db.js';
import type { ConfirmationLine, ConfirmationRecord, ConfirmationState, ConfirmationStore } from '../../ports/confirmations.js';
import type { NewParcelConfirmation, ParcelLineSource } from '../../ports/shipments.js';

interface Row {
  id: bigint;
  order_id: bigint;
  shipment_id: bigint | null;
  marketplace: string;
  channel: string;
  external_order_id: string;
  carrier: string;
  service: string | null;
  tracking: string;
  ship_date: string;
  lines_json: string;
  notify_customer: bigint;
  state: ConfirmationState;
  attempts: bigint;
  remote_id: string | null;
  error_code: string | null;
  error_message: string | null;
  sent_at: string | null;
  acked_at: string | null;
  sent_json?: string | null;
}

function toRecord(r: Row): ConfirmationRecord {
  return {
    id: num(r.id),
    orderId: num(r.order_id),
    shipmentId: r.shipment_id === null ? null : num(r.shipment_id),
    marketplace: r.marketplace,
    channel: r.channel,
    externalOrderId: r.external_order_id,
    carrier: r.carrier,
    service: r.service,
    tracking: r.tracking,
    shipDate: r.ship_date,
    lines: JSON.parse(r.lines_json) as ConfirmationLine[],
    notifyCustomer: num(r.notify_customer) === 1,
    state: r.state,
    attempts: num(r.attempts),
    remoteId: r.remote_id,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    sentAt: r.sent_at,
    ackedAt: r.acked_at,
    ...feedOf(r.sent_json),
  };
}

/** The order-fulfillment feed a sent row went in, kept in its sent_json ({"via":"feed","feedId":…}). */
function feedOf(sentJson: string | null | undefined): { feedId?: string | null; viaFeed?: boolean } {
  if (!sentJson) return {};
  try {
    const j = JSON.parse(sentJson) as { via?: string; feedId?: string };
    return j.via === 'feed' ? { viaFeed: true, feedId: j.feedId ?? null } : {};
  } catch {
    return {};
  }
}

/** Record a parcel to confirm, as shipping describes it (ports/shipments.ts); call inside the transaction that bought its label. Same order + tracking = the same parcel. */
export function recordConfirmation(store: Store, c: NewParcelConfirmation, at: string): { id: number; created: boolean } {
  const o = store.db.prepare('SELECT marketplace, channel, external_id FROM orders WHERE id = ?').get(c.orderId) as { marketplace: string; channel: string; external_id: string } | undefined;
  if (!o) throw new Error(`order ${c.orderId} does not exist`);
  const existing = store.db.prepare('SELECT id FROM shipment_confirmations WHERE order_id = ? AND tracking = ?').get(c.orderId, c.tracking) as { id: bigint } | undefined;
  if (existing) return { id: num(existing.id), created: false };
  const r = store.db
    .prepare(
      `INSERT INTO shipment_confirmations (order_id, shipment_id, marketplace, channel, external_order_id, carrier, service, tracking, ship_date, lines_json, notify_customer, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    )
    .run(c.orderId, c.shipmentId ?? null, o.marketplace, o.channel, o.external_id, c.carrier, c.service, c.tracking, c.shipDate, JSON.stringify(c.lines), c.notifyCustomer ? 1 : 0, at, at);
  deductParcelStock(store, c.orderId, c.lines, at);
  return { id: Number(r.lastInsertRowid), created: true };
}

/**
 * A parcel left: its units move out of the order's reservation and out of on_hand, once (the caller
 * records each parcel once: same order + tracking is the same parcel). Only what the order reserved
 * moves (an order imported from a file, or fulfilled by the marketplace, reserved nothing). The
 * available quantity (on_hand − reserved) is unchanged, so no listing needs a push.
 */
function deductParcelStock(store: Store, orderId: number, lines: readonly ConfirmationLine[], at: string): void {
  const db = store.db;
  const stock = new StockRepo(store, () => new Date(at));
  const bySku = new Map<string, number>();
  for (const l of lines) if (l.sku) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  for (const [sku, q] of bySku) {
    const e = db.prepare('SELECT reserved, deducted, location_id FROM order_stock_effects WHERE order_id = ? AND sku = ?').get(orderId, sku) as
      | { reserved: bigint; deducted: bigint; location_id: bigint | null }
      | undefined;
    const move = Math.min(q, num(e?.reserved));
    if (!e || move <= 0) continue;
    db.prepare('UPDATE order_stock_effects SET reserved = reserved - ?, deducted = deducted + ? WHERE order_id = ? AND sku = ?').run(move, move, orderId, sku);
    // At the location that reserved the units (an overseas warehouse or 3PL ships its own parcels), with
    // an 'order' movement in the audit trail; the home warehouse when the reservation predates locations.
    const loc = e.location_id !== null ? num(e.location_id) : (stock.orderLocation(orderId) ?? stock.home().id);
    const vid = stock.variantIds([sku]).get(sku);
    if (vid !== undefined && stock.tracked(vid)) stock.applyOrderEffect(loc, vid, sku, -move, move, orderId, 'parcel');
  }
}

/** Units of each SKU of an order already in parcels (every recorded parcel: a refused confirmation still left). */
export function shippedUnitsBySku(store: Store, orderId: number): Map<string, number> {
  const rows = store.db
    .prepare(`SELECT json_extract(j.value, '$.sku') AS sku, sum(json_extract(j.value, '$.quantity')) AS n
              FROM shipment_confirmations c, json_each(c.lines_json) j WHERE c.order_id = ? GROUP BY 1`)
    .all(orderId) as Array<{ sku: string | null; n: bigint | number }>;
  return new Map(rows.filter((r) => r.sku).map((r) => [r.sku!, Number(r.n)]));
}

/**
 * The order's status as merchant knows it from its parcels, as an SQL expression over an `orders`
 * row aliased `o` (for lists and their --status filter): 'shipped' (every unit in a parcel, every
 * parcel confirmed), 'shipped_unconfirmed' (every unit in a parcel, a confirmation still pending),
 * 'partially_shipped', else the marketplace's own status. A cancelled or refunded order keeps it.
 */
export const EFFECTIVE_STATUS_SQL = `(CASE
  WHEN o.status IN ('cancelled', 'refunded') THEN o.status
  WHEN NOT EXISTS (SELECT 1 FROM shipment_confirmations sc WHERE sc.order_id = o.id AND sc.state <> 'failed') THEN o.status
  WHEN (SELECT coalesce(sum(json_extract(j.value, '$.quantity')), 0) FROM shipment_confirmations sc, json_each(sc.lines_json) j WHERE sc.order_id = o.id AND sc.state <> 'failed')
       < (SELECT coalesce(sum(ol.quantity), 0) FROM order_lines ol WHERE ol.order_id = o.id) THEN 'partially_shipped'
  WHEN EXISTS (SELECT 1 FROM shipment_confirmations sc WHERE sc.order_id = o.id AND sc.state IN ('pending', 'sent')) THEN 'shipped_unconfirmed'
  ELSE 'shipped' END)`;

/** One order's status as merchant knows it from its parcels (EFFECTIVE_STATUS_SQL). */
export function effectiveOrderStatus(store: Store, orderId: number): string {
  return (store.db.prepare(`SELECT ${EFFECTIVE_STATUS_SQL} AS s FROM orders o WHERE o.id = ?`).get(orderId) as { s: string }).s;
}

export function confirmationsOfOrder(store: Store, orderId: number): ConfirmationRecord[] {
  return (store.db.prepare('SELECT * FROM shipment_confirmations WHERE order_id = ? ORDER BY id').all(orderId) as Row[]).map(toRecord);
}

/** An order's lines and how many units of each are already in a recorded parcel (any state but failed). */
export function orderLinesForShipping(store: Store, orderId: number): ParcelLineSource[] {
  const lines = store.db.prepare('SELECT external_line_id, sku, title, quantity FROM order_lines WHERE order_id = ? ORDER BY id').all(orderId) as Array<{ external_line_id: string; sku: string | null; title: string | null; quantity: bigint }>;
  const used = new Map<string, number>();
  for (const c of confirmationsOfOrder(store, orderId)) {
    if (c.state === 'failed') continue;
    for (const l of c.lines) used.set(l.externalLineId, (used.get(l.externalLineId) ?? 0) + l.quantity);
  }
  return lines.map((l) => ({ externalLineId: l.external_line_id, sku: l.sku, title: l.title, quantity: num(l.quantity), inParcels: used.get(l.external_line_id) ?? 0 }));
}

export function confirmationStore(store: Store): ConfirmationStore {
  const db = store.db;
  return {
    due(filter) {
      const where = [`state IN ('pending', 'sent')`];
      const args: unknown[] = [];
      if (filter.orderId !== undefined) {
        where.push('order_id = ?');
        args.push(filter.orderId);
      }
      if (filter.marketplace) {
        where.push('marketplace = ?');
        args.push(filter.marketplace);
      }
      if (filter.ids) where.push(`id IN (${filter.ids.map(() => '?').join(',') || 'NULL'})`), args.push(...filter.ids);
      return (db.prepare(`SELECT * FROM shipment_confirmations WHERE ${where.join(' AND ')} ORDER BY id`).all(...args) as Row[]).map(toRecord);
    },
    markSent(id, sent, at) {
      db.prepare(`UPDATE shipment_confirmations SET state = 'sent', sent_json = ?, sent_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`).run(JSON.stringify(sent), at, at, id);
    },
    markFeed(ids, feedId, at) {
      const st = db.prepare(`UPDATE shipment_confirmations SET sent_json = json_set(coalesce(sent_json, '{}'), '$.feedId', ?), updated_at = ? WHERE id = ? AND state = 'sent'`);
      db.transaction(() => {
        for (const id of ids) st.run(feedId, at, id);
      })();
    },
    markAcked(id, remoteId, at) {
      db.prepare(`UPDATE shipment_confirmations SET state = 'acked', remote_id = coalesce(?, remote_id), acked_at = ?, error_code = NULL, error_message = NULL, updated_at = ? WHERE id = ?`).run(remoteId, at, at, id);
    },
    markFailed(id, code, message, at) {
      db.prepare(`UPDATE shipment_confirmations SET state = 'failed', error_code = ?, error_message = ?, updated_at = ? WHERE id = ?`).run(code, message.slice(0, 500), at, id);
    },
    markPending(id, message, at) {
      db.prepare(`UPDATE shipment_confirmations SET state = 'pending', error_message = ?, updated_at = ? WHERE id = ?`).run(message.slice(0, 500), at, id);
    },
  };
}
