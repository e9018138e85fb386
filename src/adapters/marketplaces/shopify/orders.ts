// Shopify orders, complete: every line item (an order with 11 lines or more is read in pages), line
// and shipping tax lines, and refunds with their refunded lines, transactions and dates.
//
// One query cannot ask for 250 orders with their lines: a page of orders costs 2 + first × (cost of
// one order), and a query may request at most 1000 points. So a page lists 250 order ids (252
// points), and the orders' details come in queries sized to stay under the limit (queries.ts). Refunds
// are asked only for orders whose financial status says money went back.

import type { NormalizedOrder, OrderRefundIn } from '../../../ports/marketplace.js';
import { asRecord, minorFromWire, str, upperCountry } from '../common.js';
import {
  DETAIL_ORDERS_PER_QUERY,
  Q,
  REFUND_ORDERS_PER_QUERY,
  REFUNDS_PER_ORDER,
  REFUNDS_PER_ORDER_ALONE,
} from './queries.js';

type Gql = <T>(query: string, variables: Record<string, unknown>, operation: string, idempotent: boolean) => Promise<T>;

interface Bag {
  shopMoney?: { amount?: string; currencyCode?: string };
}
interface TaxLine {
  title?: string;
  rate?: number | null;
  priceSet?: Bag;
}
interface LineItem {
  id: string;
  sku?: string | null;
  title?: string;
  quantity: number;
  originalUnitPriceSet?: Bag;
  totalDiscountSet?: Bag;
  taxLines?: TaxLine[];
}
interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface RefundLine {
  quantity: number;
  lineItem?: { id: string } | null;
  subtotalSet?: Bag;
  totalTaxSet?: Bag;
}
interface Refund {
  id: string;
  createdAt?: string | null;
  note?: string | null;
  totalRefundedSet?: Bag;
  refundLineItems?: { nodes: RefundLine[]; pageInfo?: PageInfo };
  transactions?: { nodes: Array<{ kind?: string; status?: string; processedAt?: string | null; amountSet?: Bag }> };
}
export interface ShopifyOrder {
  id: string;
  name?: string;
  createdAt: string;
  updatedAt?: string;
  processedAt?: string;
  cancelledAt?: string | null;
  displayFinancialStatus?: string | null;
  displayFulfillmentStatus?: string;
  currencyCode?: string;
  email?: string | null;
  taxesIncluded?: boolean;
  customer?: { displayName?: string; email?: string } | null;
  shippingAddress?: Record<string, unknown> | null;
  totalPriceSet?: Bag;
  totalTaxSet?: Bag;
  totalShippingPriceSet?: Bag;
  totalDiscountsSet?: Bag;
  shippingLines?: { nodes?: Array<{ title?: string; originalPriceSet?: Bag; taxLines?: TaxLine[] }> };
  lineItems?: { nodes?: LineItem[]; pageInfo?: PageInfo };
  refunds?: Refund[];
}

const REFUNDED = new Set(['PARTIALLY_REFUNDED', 'REFUNDED']);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The full orders for these ids (from one ORDERS_PAGE), in the page's order. */
export async function fetchOrderDetails(gql: Gql, page: ReadonlyArray<{ id: string; displayFinancialStatus?: string | null }>): Promise<ShopifyOrder[]> {
  const byId = new Map<string, ShopifyOrder>();
  for (const ids of chunks(page.map((o) => o.id), DETAIL_ORDERS_PER_QUERY)) {
    const d = await gql<{ nodes: Array<ShopifyOrder | null> }>(Q.orderDetails, { ids }, 'orders (details)', true);
    for (const o of d.nodes ?? []) if (o?.id) byId.set(o.id, o);
  }
  // Orders with more lines than one details query carries: the rest, page by page.
  for (const o of byId.values()) {
    let info = o.lineItems?.pageInfo;
    const lines = [...(o.lineItems?.nodes ?? [])];
    while (info?.hasNextPage && info.endCursor) {
      const d = await gql<{ order: { lineItems: { nodes: LineItem[]; pageInfo: PageInfo } } | null }>(Q.orderLines, { id: o.id, after: info.endCursor }, 'orders (more lines)', true);
      if (!d.order) break;
      lines.push(...d.order.lineItems.nodes);
      info = d.order.lineItems.pageInfo;
    }
    o.lineItems = { nodes: lines, pageInfo: { hasNextPage: false, endCursor: null } };
  }
  // Refunds, for orders that have some.
  const refunded = page.filter((o) => REFUNDED.has(String(o.displayFinancialStatus ?? byId.get(o.id)?.displayFinancialStatus ?? '').toUpperCase())).map((o) => o.id);
  for (const ids of chunks(refunded, REFUND_ORDERS_PER_QUERY)) {
    const d = await gql<{ nodes: Array<{ id: string; refunds?: Refund[] } | null> }>(Q.orderRefunds, { ids, refunds: REFUNDS_PER_ORDER }, 'orders (refunds)', true);
    for (const n of d.nodes ?? []) {
      const o = n?.id ? byId.get(n.id) : undefined;
      if (o) o.refunds = n!.refunds ?? [];
    }
  }
  for (const id of refunded) {
    const o = byId.get(id);
    if (!o || (o.refunds?.length ?? 0) < REFUNDS_PER_ORDER) continue;
    // As many refunds as asked for: there may be more; ask again for this order alone.
    const d = await gql<{ nodes: Array<{ id: string; refunds?: Refund[] } | null> }>(Q.orderRefunds, { ids: [id], refunds: REFUNDS_PER_ORDER_ALONE }, 'orders (refunds)', true);
    o.refunds = d.nodes?.[0]?.refunds ?? o.refunds;
  }
  for (const o of byId.values()) {
    for (const r of o.refunds ?? []) {
      let info = r.refundLineItems?.pageInfo;
      const lines = [...(r.refundLineItems?.nodes ?? [])];
      while (info?.hasNextPage && info.endCursor) {
        const d = await gql<{ node: { refundLineItems: { nodes: RefundLine[]; pageInfo: PageInfo } } | null }>(Q.refundLines, { id: r.id, after: info.endCursor }, 'orders (refund lines)', true);
        if (!d.node) break;
        lines.push(...d.node.refundLineItems.nodes);
        info = d.node.refundLineItems.pageInfo;
      }
      r.refundLineItems = { nodes: lines, pageInfo: { hasNextPage: false, endCursor: null } };
    }
  }
  return page.map((p) => byId.get(p.id)).filter((o): o is ShopifyOrder => Boolean(o));
}

function shopifyStatus(o: ShopifyOrder): string {
  if (o.cancelledAt) return 'cancelled';
  const fin = (o.displayFinancialStatus ?? '').toUpperCase();
  if (fin === 'REFUNDED') return 'refunded';
  const ful = (o.displayFulfillmentStatus ?? '').toUpperCase();
  if (ful === 'FULFILLED') return 'shipped';
  if (ful === 'PARTIALLY_FULFILLED') return 'partially_shipped';
  if (fin === 'PENDING' || fin === 'AUTHORIZED') return 'pending';
  return 'unshipped';
}

export function normaliseShopifyOrder(o: ShopifyOrder, shopCurrency: string): NormalizedOrder {
  const cur = o.currencyCode ?? o.totalPriceSet?.shopMoney?.currencyCode ?? shopCurrency;
  const amt = (b: Bag | undefined) => minorFromWire(b?.shopMoney?.amount, cur);
  const taxOf = (lines: readonly TaxLine[] | undefined) => (lines ?? []).reduce((s, t) => s + amt(t.priceSet), 0n);
  const ship = asRecord(o.shippingAddress);
  const lines = (o.lineItems?.nodes ?? []).map((l) => ({
    externalLineId: l.id,
    sku: l.sku ?? null,
    title: l.title ?? null,
    quantity: l.quantity,
    unitPriceMinor: amt(l.originalUnitPriceSet),
    discountMinor: amt(l.totalDiscountSet),
    taxMinor: taxOf(l.taxLines),
  }));
  const shippingTax = (o.shippingLines?.nodes ?? []).reduce((s, l) => s + taxOf(l.taxLines), 0n);
  const refunds: OrderRefundIn[] = (o.refunds ?? []).map((r) => {
    const money = (r.transactions?.nodes ?? []).filter((t) => (t.kind ?? '').toUpperCase() === 'REFUND' && (t.status ?? '').toUpperCase() === 'SUCCESS');
    const lineNodes = r.refundLineItems?.nodes ?? [];
    const tax = lineNodes.reduce((s, l) => s + amt(l.totalTaxSet), 0n);
    const amount = money.length ? money.reduce((s, t) => s + amt(t.amountSet), 0n) : amt(r.totalRefundedSet);
    const at = r.createdAt ?? money.map((t) => t.processedAt).filter((x): x is string => Boolean(x)).sort().pop() ?? o.updatedAt ?? o.createdAt;
    return {
      externalId: r.id,
      refundedAt: at,
      amountMinor: amount,
      currency: cur,
      quantity: lineNodes.reduce((s, l) => s + l.quantity, 0),
      reason: r.note ?? null,
      // The tax in the refund as Shopify computed it for the refunded lines (not a pro-rata estimate).
      taxMinor: lineNodes.length ? tax : undefined,
    };
  });
  return {
    marketplace: 'shopify',
    channel: 'shopify',
    externalId: o.id.replace(/^gid:\/\/shopify\/Order\//, ''),
    status: shopifyStatus(o),
    orderedAt: o.createdAt,
    remoteUpdatedAt: o.updatedAt ?? null,
    paidAt: o.processedAt ?? null,
    currency: cur,
    buyerName: o.customer?.displayName ?? str(ship.name) ?? null,
    buyerEmail: o.customer?.email ?? o.email ?? null,
    shipTo: Object.keys(ship).length ? ship : null,
    shipCountry: upperCountry(ship.countryCodeV2),
    shippingMinor: amt(o.totalShippingPriceSet),
    shippingTaxMinor: shippingTax,
    discountMinor: amt(o.totalDiscountsSet),
    taxMinor: amt(o.totalTaxSet),
    // Shopify says whether the shop's prices include tax (EU VAT) or tax is added on top (US).
    taxKind: o.taxesIncluded === false ? 'added' : 'included',
    totalMinor: o.totalPriceSet ? amt(o.totalPriceSet) : null,
    lines,
    fees: [],
    refunds,
    raw: o,
  };
}

