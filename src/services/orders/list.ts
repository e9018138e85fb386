// `orders list` / `orders show`: orders from every marketplace (pulled by sync or imported from report
// files), normalised, with lines, fees and refunds; the raw payload is kept for audit.

import { formatAmount } from '../../core/money.js';
import { UsageError, NotFoundError } from '../../core/errors.js';
import type { Repositories } from '../../ports/repositories.js';
import type { OrderListRow } from '../../ports/orders.js';
import { mapped } from '../../core/iterate.js';
import { oneOrder } from './ref.js';

/** The stored orders `orders list` and `orders show` read. */
export type OrdersRead = Pick<Repositories, 'orders'>;

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

function isoDay(s: string, flag: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) throw new UsageError(`${flag} takes a date (YYYY-MM-DD), got "${s}"`);
  return s;
}

/**
 * The orders newest first, streamed from the store (every order of a large shop is never held at once).
 * The filter is checked here, before the first row is read: a bad date fails before any output.
 */
export function listOrders(repos: OrdersRead, o: ListOrdersOptions = {}): Iterable<OrderSummary> {
  const from = o.from ? isoDay(o.from, '--from') : undefined;
  let toExclusive: string | undefined;
  if (o.to) {
    const to = isoDay(o.to, '--to');
    toExclusive = to.length === 10 ? `${to}T24:00:00` : to;
  }
  const rows = repos.orders.list({
    marketplace: o.marketplace || undefined,
    channel: o.channel || undefined,
    status: o.status || undefined,
    from,
    toExclusive,
    sku: o.sku || undefined,
    limit: o.limit ?? 100,
  });
  return mapped(rows, summaryOf);
}

function summaryOf(r: OrderListRow): OrderSummary {
  return {
    id: r.id,
    marketplace: r.marketplace,
    channel: r.channel,
    externalId: r.externalId,
    status: r.effectiveStatus,
    marketplaceStatus: r.status,
    orderedAt: r.orderedAt,
    shipCountry: r.shipCountry,
    currency: r.currency,
    items: r.items,
    total: r.totalMinor === null ? null : formatAmount({ minor: r.totalMinor, currency: r.currency }),
    source: r.source,
  };
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
export function showOrder(repos: OrdersRead, ref: string, o: { raw?: boolean } = {}): OrderDetail {
  const orders = repos.orders;
  const hit = oneOrder(ref, orders.findRef(ref));
  const row = hit ? orders.get(hit.id) : undefined;
  if (!row) throw new NotFoundError(`no order ${JSON.stringify(ref)}`, { hints: ['`merchant orders list` shows the orders known locally; `merchant sync --only orders --yes` pulls new ones'] });
  const cur = row.currency;
  const fmt = (v: bigint, c = cur) => formatAmount({ minor: v, currency: c });
  const id = row.id;
  const lines = orders.lines(id);
  const fees = orders.fees(id);
  const refunds = orders.refunds(id);
  const parcels = orders.confirmations(id);
  const shippedOf = new Map<string, number>();
  for (const p of parcels) if (p.state !== 'failed') for (const l of p.lines) shippedOf.set(l.externalLineId, (shippedOf.get(l.externalLineId) ?? 0) + l.quantity);
  const effective = orders.effectiveStatus(id);
  return {
    id,
    marketplace: row.marketplace,
    channel: row.channel,
    externalId: row.externalId,
    status: effective,
    marketplaceStatus: row.status,
    orderedAt: row.orderedAt,
    remoteUpdatedAt: row.remoteUpdatedAt,
    paidAt: row.paidAt,
    shipCountry: row.shipCountry,
    currency: cur,
    items: lines.reduce((s, l) => s + l.quantity, 0),
    total: row.totalMinor === null ? null : fmt(row.totalMinor),
    source: row.source,
    buyerName: row.buyerName,
    buyerEmail: row.buyerEmail,
    shipTo: row.shipToJson ? JSON.parse(row.shipToJson) : null,
    shipping: fmt(row.shippingMinor),
    shippingTax: fmt(row.shippingTaxMinor),
    discount: fmt(row.discountMinor),
    tax: fmt(row.taxMinor),
    taxKind: row.taxKind,
    lines: lines.map((l) => ({
      externalLineId: l.externalLineId,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      shipped: shippedOf.get(l.externalLineId) ?? 0,
      unitPrice: fmt(l.unitPriceMinor),
      discount: fmt(l.discountMinor),
      tax: fmt(l.taxMinor),
    })),
    fees: fees.map((f) => ({ kind: f.kind, amount: fmt(f.amountMinor, f.currency), currency: f.currency })),
    refunds: refunds.map((r) => ({
      externalId: r.externalId,
      refundedAt: r.refundedAt,
      amount: fmt(r.amountMinor, r.currency),
      currency: r.currency,
      quantity: r.quantity,
      reason: r.reason,
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
    ...(o.raw && row.rawJson ? { raw: JSON.parse(row.rawJson) } : {}),
  };
}
