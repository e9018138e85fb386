// `orders list` / `orders show`: orders from every marketplace (pulled by sync or imported from report
// files), normalised, with lines, fees and refunds; the raw payload is kept for audit.

import type { Store } from '../../store/db.js';
import { big, num } from '../../store/db.js';
import { formatAmount } from '../../core/money.js';
import { UsageError, NotFoundError } from '../../core/errors.js';
import { findOrderRef } from '../../store/repos/order-lookup.js';
import { confirmationsOfOrder, effectiveOrderStatus, EFFECTIVE_STATUS_SQL } from '../../store/repos/confirmations.js';

export interface OrderSummary {
  id: number;
  marketplace: string;
  channel: string;
  externalId: string;
  /**
   * What merchant knows: 'shipped' (every unit in a parcel the marketplace confirmed),
   * 'shipped_unconfirmed' (its confirmation still pending), 'partially_shipped', else the marketplace's status.
   */
  status: string;
  /** The status the marketplace (or the report file) gave. */
  marketplaceStatus: string;
  orderedAt: string;
  shipCountry: string | null;
  currency: string;
  items: number;
  total: string | null;
  source: string;
}

export interface ListOrdersOptions {
  marketplace?: string;
  channel?: string;
  status?: string;
  from?: string;
  to?: string;
  sku?: string;
  limit?: number;
}

interface OrderRow {
  id: bigint;
  marketplace: string;
  channel: string;
  external_id: string;
  status: string;
  effective_status: string;
  ordered_at: string;
  ship_country: string | null;
  currency: string;
  items: bigint | null;
  total_minor: bigint | null;
  source: string;
}

function isoDay(s: string, flag: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) throw new UsageError(`${flag} takes a date (YYYY-MM-DD), got "${s}"`);
  return s;
}

export function listOrders(store: Store, o: ListOrdersOptions = {}): OrderSummary[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (o.marketplace) (where.push('o.marketplace = ?'), args.push(o.marketplace));
  if (o.channel) (where.push('o.channel = ?'), args.push(o.channel));
  if (o.status) (where.push(`${EFFECTIVE_STATUS_SQL} = ?`), args.push(o.status));
  if (o.from) (where.push('o.ordered_at >= ?'), args.push(isoDay(o.from, '--from')));
  if (o.to) {
    const to = isoDay(o.to, '--to');
    where.push('o.ordered_at < ?');
    args.push(to.length === 10 ? `${to}T24:00:00` : to);
  }
  if (o.sku) (where.push('EXISTS (SELECT 1 FROM order_lines x WHERE x.order_id = o.id AND x.sku = ?)'), args.push(o.sku));
  const limit = o.limit ?? 100;
  const rows = store.db
    .prepare(
      `SELECT o.id, o.marketplace, o.channel, o.external_id, o.status, ${EFFECTIVE_STATUS_SQL} AS effective_status, o.ordered_at, o.ship_country, o.currency, o.total_minor, o.source,
              (SELECT sum(quantity) FROM order_lines l WHERE l.order_id = o.id) AS items
       FROM orders o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?`,
    )
    .all(...args, limit) as OrderRow[];
  return rows.map((r) => ({
    id: num(r.id),
    marketplace: r.marketplace,
    channel: r.channel,
    externalId: r.external_id,
    status: r.effective_status,
    marketplaceStatus: r.status,
    orderedAt: r.ordered_at,
    shipCountry: r.ship_country,
    currency: r.currency,
    items: num(r.items),
    total: r.total_minor === null ? null : formatAmount({ minor: big(r.total_minor), currency: r.currency }),
    source: r.source,
  }));
}

export interface OrderDetail extends OrderSummary {
  remoteUpdatedAt: string | null;
  paidAt: string | null;
  buyerName: string | null;
  buyerEmail: string | null;
  shipTo: unknown;
  shipping: string;
  shippingTax: string;
  discount: string;
  tax: string;
  taxKind: string | null;
  lines: Array<{ externalLineId: string; sku: string | null; title: string | null; quantity: number; shipped: number; unitPrice: string; discount: string; tax: string }>;
  /** Parcels recorded for the order (ship book, orders ship) and their confirmation on the marketplace. */
  parcels: ParcelView[];
  fees: Array<{ kind: string; amount: string; currency: string }>;
  refunds: Array<{ externalId: string; refundedAt: string; amount: string; currency: string; quantity: number; reason: string | null }>;
  raw?: unknown;
}

export interface ParcelView {
  carrier: string;
  service: string | null;
  tracking: string;
  shipDate: string;
  /** pending / sent (answer awaited) / acked (confirmed) / failed (refused by the marketplace). */
  confirmation: string;
  confirmedAt: string | null;
  error: string | null;
  lines: Array<{ externalLineId: string; sku: string | null; quantity: number }>;
}

/** An order by external id (optionally "marketplace:id") or local numeric id. */
export function showOrder(store: Store, ref: string, o: { raw?: boolean } = {}): OrderDetail {
  const db = store.db;
  const hit = findOrderRef(store, ref);
  const row = hit ? (db.prepare('SELECT * FROM orders WHERE id = ?').get(hit.id) as Record<string, unknown> | undefined) : undefined;
  if (!row) throw new NotFoundError(`no order ${JSON.stringify(ref)}`, { hints: ['`merchant orders list` shows the orders known locally; `merchant sync --only orders --yes` pulls new ones'] });
  const cur = String(row.currency);
  const fmt = (v: unknown, c = cur) => formatAmount({ minor: big(v as bigint), currency: c });
  const id = num(row.id as bigint);
  const lines = db.prepare('SELECT * FROM order_lines WHERE order_id = ? ORDER BY id').all(id) as Record<string, unknown>[];
  const fees = db.prepare('SELECT * FROM order_fees WHERE order_id = ? ORDER BY id').all(id) as Record<string, unknown>[];
  const refunds = db.prepare('SELECT * FROM order_refunds WHERE order_id = ? ORDER BY refunded_at, id').all(id) as Record<string, unknown>[];
  const parcels = confirmationsOfOrder(store, id);
  const shippedOf = new Map<string, number>();
  for (const p of parcels) if (p.state !== 'failed') for (const l of p.lines) shippedOf.set(l.externalLineId, (shippedOf.get(l.externalLineId) ?? 0) + l.quantity);
  const effective = effectiveOrderStatus(store, id);
  return {
    id,
    marketplace: String(row.marketplace),
    channel: String(row.channel),
    externalId: String(row.external_id),
    status: effective,
    marketplaceStatus: String(row.status),
    orderedAt: String(row.ordered_at),
    remoteUpdatedAt: (row.remote_updated_at as string | null) ?? null,
    paidAt: (row.paid_at as string | null) ?? null,
    shipCountry: (row.ship_country as string | null) ?? null,
    currency: cur,
    items: lines.reduce((s, l) => s + num(l.quantity as bigint), 0),
    total: row.total_minor === null ? null : fmt(row.total_minor),
    source: String(row.source),
    buyerName: (row.buyer_name as string | null) ?? null,
    buyerEmail: (row.buyer_email as string | null) ?? null,
    shipTo: row.ship_to_json ? JSON.parse(String(row.ship_to_json)) : null,
    shipping: fmt(row.shipping_minor),
    shippingTax: fmt(row.shipping_tax_minor),
    discount: fmt(row.discount_minor),
    tax: fmt(row.tax_minor),
    taxKind: (row.tax_kind as string | null) ?? null,
    lines: lines.map((l) => ({
      externalLineId: String(l.external_line_id),
      sku: (l.sku as string | null) ?? null,
      title: (l.title as string | null) ?? null,
      quantity: num(l.quantity as bigint),
      shipped: shippedOf.get(String(l.external_line_id)) ?? 0,
      unitPrice: fmt(l.unit_price_minor),
      discount: fmt(l.discount_minor),
      tax: fmt(l.tax_minor),
    })),
    fees: fees.map((f) => ({ kind: String(f.kind), amount: fmt(f.amount_minor, String(f.currency)), currency: String(f.currency) })),
    refunds: refunds.map((r) => ({
      externalId: String(r.external_id),
      refundedAt: String(r.refunded_at),
      amount: fmt(r.amount_minor, String(r.currency)),
      currency: String(r.currency),
      quantity: num(r.quantity as bigint),
      reason: (r.reason as string | null) ?? null,
    })),
    parcels: parcels.map((p) => ({
      carrier: p.carrier,
      service: p.service,
      tracking: p.tracking,
      shipDate: p.shipDate,
      confirmation: p.state,
      confirmedAt: p.ackedAt,
      error: p.errorMessage,
      lines: p.lines.map((l) => ({ externalLineId: l.externalLineId, sku: l.sku, quantity: l.quantity })),
    })),
    ...(o.raw && row.raw_json ? { raw: JSON.parse(String(row.raw_json)) } : {}),
  };
}
