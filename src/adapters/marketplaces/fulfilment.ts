// Shipment confirmation on each marketplace (issue #21), with the read-back that settles a lost answer:
// - Amazon: Orders API v0 `confirmShipment` (POST /orders/v0/orders/{orderId}/shipmentConfirmation → 204;
//   not deprecated, specs/amazon/ordersV0.json); read back with Orders 2026-01-01 getOrder includedData=PACKAGES,
//   whose packages carry our packageReferenceId.
// - eBay: Fulfillment API `createShippingFulfillment` (201 + Location) and `getShippingFulfillments`.
// - Shopify: `fulfillmentCreate` on the order's fulfillment orders (trackingInfo, notifyCustomer), and the
//   order's `fulfillments` to read back.

import { CHANNELS } from '../../core/channels.js';
import { marketplaceCarrier } from '../../core/carrier-codes.js';
import type { HttpClient } from '../http/client.js';

/** What the confirmation calls need of an HTTP client (Amazon passes its region-routed, paced caller). */
export type Requester = Pick<HttpClient, 'request'>;
import type { ConfirmOutcome, RemoteFulfilment, ShipmentConfirmationIn } from '../../ports/marketplace.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** ISO date-time with seconds (both APIs want a full timestamp). */
export function shipTime(d: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T12:00:00Z` : new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------- Amazon ----------

export async function amazonConfirm(http: Requester, c: ShipmentConfirmationIn): Promise<ConfirmOutcome> {
  const marketplaceId = CHANNELS.find((x) => x.code === c.channel)?.remoteId;
  const carrier = marketplaceCarrier('amazon', c.carrier);
  const packageDetail: Obj = {
    packageReferenceId: c.key,
    carrierCode: carrier.code,
    ...(carrier.name ? { carrierName: carrier.name } : {}),
    ...(c.service ? { shippingMethod: c.service } : {}),
    trackingNumber: c.tracking,
    shipDate: shipTime(c.shipDate),
    orderItems: c.lines.map((l) => ({ orderItemId: l.externalLineId, quantity: l.quantity })),
  };
  const body = { marketplaceId, packageDetail };
  await http.request({ method: 'POST', url: `/orders/v0/orders/${encodeURIComponent(c.externalOrderId)}/shipmentConfirmation`, data: body, operation: 'confirmShipment' });
  return { ok: true, remoteId: c.key, sent: body };
}

export async function amazonFulfilments(http: Requester, _channel: string, orderId: string): Promise<RemoteFulfilment[]> {
  const res = await http.request<{ order?: Obj }>({ method: 'GET', url: `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}`, params: { includedData: 'PACKAGES' }, operation: 'getOrder' });
  return arr(res.data.order?.packages).map((p) => ({
    remoteId: String(p.packageReferenceId ?? ''),
    key: String(p.packageReferenceId ?? ''),
    tracking: str(p.trackingNumber),
    lines: arr(p.packageItems).map((i) => ({ externalLineId: String(i.orderItemId), quantity: Number(i.quantity ?? 0) })),
  }));
}

// ---------- eBay ----------

export async function ebayConfirm(http: HttpClient, c: ShipmentConfirmationIn): Promise<ConfirmOutcome> {
  const carrier = marketplaceCarrier('ebay', c.carrier);
  const body = {
    lineItems: c.lines.map((l) => ({ lineItemId: l.externalLineId, quantity: l.quantity })),
    shippedDate: new Date(shipTime(c.shipDate)).toISOString(),
    shippingCarrierCode: carrier.code,
    trackingNumber: c.tracking,
  };
  const res = await http.request({ method: 'POST', url: `/sell/fulfillment/v1/order/${encodeURIComponent(c.externalOrderId)}/shipping_fulfillment`, data: body, operation: 'createShippingFulfillment' });
  const loc = res.headers.location ?? '';
  const id = decodeURIComponent(loc.split('/').pop() ?? '') || undefined;
  return { ok: true, ...(id ? { remoteId: id } : {}), sent: body };
}

export async function ebayFulfilments(http: HttpClient, _channel: string, orderId: string): Promise<RemoteFulfilment[]> {
  const res = await http.request<{ fulfillments?: Obj[] }>({ method: 'GET', url: `/sell/fulfillment/v1/order/${encodeURIComponent(orderId)}/shipping_fulfillment`, operation: 'getShippingFulfillments' });
  return arr(res.data.fulfillments).map((f) => ({
    remoteId: String(f.fulfillmentId ?? ''),
    tracking: str(f.shipmentTrackingNumber),
    lines: arr(f.lineItems).map((l) => ({ externalLineId: String(l.lineItemId), quantity: Number(l.quantity ?? 1) })),
  }));
}

// ---------- Shopify ----------

type Gql = <T>(query: string, variables: Record<string, unknown>, operation: string, idempotent: boolean) => Promise<T>;
const orderGid = (id: string) => (id.startsWith('gid://') ? id : `gid://shopify/Order/${id}`);

const FULFILLMENT_ORDERS = /* GraphQL */ `query FulfillmentOrders($id: ID!) {
  order(id: $id) { id fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 50) { nodes { id remainingQuantity lineItem { id } } } } } }
}`;
const CREATE = /* GraphQL */ `mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status trackingInfo { company number } } userErrors { field message } }
}`;
const FULFILLMENTS = /* GraphQL */ `query OrderFulfillments($id: ID!) {
  order(id: $id) { id fulfillments(first: 10) { id trackingInfo { company number } fulfillmentLineItems(first: 50) { nodes { quantity lineItem { id } } } } }
}`;

interface FoNodes {
  order: { fulfillmentOrders: { nodes: Array<{ id: string; status: string; lineItems: { nodes: Array<{ id: string; remainingQuantity: number; lineItem: { id: string } }> } }> } } | null;
}

export async function shopifyConfirm(gql: Gql, c: ShipmentConfirmationIn): Promise<ConfirmOutcome> {
  const fo = await gql<FoNodes>(FULFILLMENT_ORDERS, { id: orderGid(c.externalOrderId) }, 'fulfillmentOrders', true);
  if (!fo.order) return { ok: false, code: 'NOT_FOUND', message: `order ${c.externalOrderId} not found in the shop` };
  // Each order line's units go to the open fulfillment-order line items that still have them.
  const byFo = new Map<string, Array<{ id: string; quantity: number }>>();
  for (const l of c.lines) {
    let left = l.quantity;
    for (const f of fo.order.fulfillmentOrders.nodes.filter((n) => n.status === 'OPEN' || n.status === 'IN_PROGRESS')) {
      for (const li of f.lineItems.nodes.filter((n) => n.lineItem.id === l.externalLineId && n.remainingQuantity > 0)) {
        if (left <= 0) break;
        const q = Math.min(left, li.remainingQuantity);
        byFo.set(f.id, [...(byFo.get(f.id) ?? []), { id: li.id, quantity: q }]);
        left -= q;
      }
    }
    if (left > 0) return { ok: false, code: 'NOT_FULFILLABLE', message: `${l.sku ?? l.externalLineId}: ${left} more unit(s) than the shop has unfulfilled` };
  }
  const carrier = marketplaceCarrier('shopify', c.carrier);
  const fulfillment = {
    lineItemsByFulfillmentOrder: [...byFo].map(([fulfillmentOrderId, items]) => ({ fulfillmentOrderId, fulfillmentOrderLineItems: items })),
    notifyCustomer: c.notifyCustomer,
    trackingInfo: { company: carrier.code, number: c.tracking },
  };
  const r = await gql<{ fulfillmentCreate: { fulfillment: { id: string } | null; userErrors: Array<{ field?: string[]; message: string }> } | null }>(CREATE, { fulfillment }, 'fulfillmentCreate', false);
  const errs = r.fulfillmentCreate?.userErrors ?? [];
  if (errs.length || !r.fulfillmentCreate?.fulfillment) return { ok: false, code: 'USER_ERROR', message: errs.map((e) => e.message).join('; ') || 'no fulfillment created', sent: { fulfillment } };
  return { ok: true, remoteId: r.fulfillmentCreate.fulfillment.id, sent: { fulfillment } };
}

export async function shopifyFulfilments(gql: Gql, _channel: string, orderId: string): Promise<RemoteFulfilment[]> {
  const r = await gql<{ order: { fulfillments: Array<{ id: string; trackingInfo: Array<{ number: string | null }>; fulfillmentLineItems: { nodes: Array<{ quantity: number; lineItem: { id: string } }> } }> } | null }>(FULFILLMENTS, { id: orderGid(orderId) }, 'orderFulfillments', true);
  return (r.order?.fulfillments ?? []).map((f) => ({
    remoteId: f.id,
    tracking: f.trackingInfo[0]?.number ?? null,
    lines: f.fulfillmentLineItems.nodes.map((n) => ({ externalLineId: n.lineItem.id, quantity: n.quantity })),
  }));
}
