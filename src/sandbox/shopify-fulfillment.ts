// Shopify fulfillment orders and fulfillmentCreate (Admin GraphQL, validated against
// ../shared/specs/shopify/schema.graphql: FulfillmentInput, FulfillmentOrderLineItemsInput,
// FulfillmentTrackingInput, FulfillmentCreatePayload). One fulfillment order per order at the shop's
// location; each order line is a fulfillment-order line item with a remaining quantity. What Shopify
// refuses comes back as userErrors: an unknown or closed fulfillment order, a line item of another
// fulfillment order, more than the remaining quantity. Any tracking company is accepted (Shopify only
// builds tracking links for the listed ones).

export const FULFILLMENT_SDL = /* GraphQL */ `
enum FulfillmentOrderStatus { CANCELLED CLOSED INCOMPLETE IN_PROGRESS ON_HOLD OPEN SCHEDULED }
enum FulfillmentStatus { CANCELLED ERROR FAILURE SUCCESS OPEN PENDING }
type FulfillmentOrderLineItem implements Node { id: ID! totalQuantity: Int! remainingQuantity: Int! lineItem: LineItem! }
type FulfillmentOrderLineItemConnection { nodes: [FulfillmentOrderLineItem!]! pageInfo: PageInfo! }
type FulfillmentOrder implements Node { id: ID! status: FulfillmentOrderStatus! lineItems(first: Int, after: String): FulfillmentOrderLineItemConnection! }
type FulfillmentOrderConnection { nodes: [FulfillmentOrder!]! pageInfo: PageInfo! }
type FulfillmentTrackingInfo { company: String number: String url: URL }
type FulfillmentLineItem implements Node { id: ID! quantity: Int lineItem: LineItem! }
type FulfillmentLineItemConnection { nodes: [FulfillmentLineItem!]! pageInfo: PageInfo! }
type Fulfillment implements Node { id: ID! status: FulfillmentStatus! createdAt: DateTime! trackingInfo(first: Int): [FulfillmentTrackingInfo!]! fulfillmentLineItems(first: Int, after: String): FulfillmentLineItemConnection! }
# UserError is defined once in shopify-schema.ts
type FulfillmentCreatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }
input FulfillmentOrderLineItemInput { id: ID! quantity: Int! }
input FulfillmentOrderLineItemsInput { fulfillmentOrderId: ID! fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!] }
input FulfillmentTrackingInput { company: String number: String numbers: [String!] url: URL urls: [URL!] }
input FulfillmentOriginAddressInput { address1: String address2: String city: String countryCode: String! provinceCode: String zip: String }
input FulfillmentInput { lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]! notifyCustomer: Boolean = false originAddress: FulfillmentOriginAddressInput trackingInfo: FulfillmentTrackingInput }
extend type Order {
  fulfillmentOrders(first: Int, after: String): FulfillmentOrderConnection!
  fulfillments(first: Int): [Fulfillment!]!
}
extend type Mutation { fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload }
`;

export interface FulfilmentLine {
  id: number;
  quantity: number;
}
export interface FulfilmentOrderState {
  id: number;
  lines: FulfilmentLine[];
  fulfillment: string;
  updatedAt: string;
  /** line id → units fulfilled */
  fulfilled?: Record<string, number>;
  fulfillments?: Array<{ id: number; createdAt: string; company: string | null; number: string | null; notifyCustomer: boolean; items: Array<{ lineId: number; quantity: number }> }>;
}

const GID = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
const parse = (gid: unknown, type: string): number | undefined => {
  const m = typeof gid === 'string' ? new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid) : null;
  return m ? Number(m[1]) : undefined;
};
const page = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

function remaining(o: FulfilmentOrderState, l: FulfilmentLine): number {
  if (o.fulfillment === 'FULFILLED' && !o.fulfilled) return 0; // fulfilled before the sandbox kept fulfillments (seed)
  return l.quantity - (o.fulfilled?.[String(l.id)] ?? 0);
}
function foStatus(o: FulfilmentOrderState): string {
  return o.lines.every((l) => remaining(o, l) <= 0) ? 'CLOSED' : o.lines.some((l) => (o.fulfilled?.[String(l.id)] ?? 0) > 0) ? 'IN_PROGRESS' : 'OPEN';
}

/** Fields added to the Order view. */
export function fulfillmentFields(o: FulfilmentOrderState, lineView: (lineId: number) => unknown) {
  return {
    fulfillmentOrders: () => ({
      nodes: [
        {
          __typename: 'FulfillmentOrder',
          id: GID('FulfillmentOrder', o.id),
          status: foStatus(o),
          lineItems: () => ({ nodes: o.lines.map((l) => ({ __typename: 'FulfillmentOrderLineItem', id: GID('FulfillmentOrderLineItem', l.id), totalQuantity: l.quantity, remainingQuantity: Math.max(0, remaining(o, l)), lineItem: () => lineView(l.id) })), pageInfo: page }),
        },
      ],
      pageInfo: page,
    }),
    fulfillments: () =>
      (o.fulfillments ?? []).map((f) => ({
        __typename: 'Fulfillment',
        id: GID('Fulfillment', f.id),
        status: 'SUCCESS',
        createdAt: f.createdAt,
        trackingInfo: () => (f.number || f.company ? [{ company: f.company, number: f.number, url: null }] : []),
        fulfillmentLineItems: () => ({ nodes: f.items.map((i) => ({ __typename: 'FulfillmentLineItem', id: GID('FulfillmentLineItem', `${f.id}${i.lineId}`), quantity: i.quantity, lineItem: () => lineView(i.lineId) })), pageInfo: page }),
      })),
  };
}

type Input = {
  lineItemsByFulfillmentOrder: Array<{ fulfillmentOrderId: string; fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }> | null }>;
  notifyCustomer?: boolean | null;
  trackingInfo?: { company?: string | null; number?: string | null; numbers?: string[] | null } | null;
};

export function fulfillmentCreate(orders: Record<string, FulfilmentOrderState>, input: Input, now: string, nextId: () => number) {
  const err = (field: string[], message: string) => ({ fulfillment: null, userErrors: [{ field, message }] });
  if (!input.lineItemsByFulfillmentOrder.length) return err(['fulfillment', 'lineItemsByFulfillmentOrder'], 'Line items by fulfillment order must not be empty.');
  let order: FulfilmentOrderState | undefined;
  const items: Array<{ lineId: number; quantity: number }> = [];
  for (const [i, g] of input.lineItemsByFulfillmentOrder.entries()) {
    const foId = parse(g.fulfillmentOrderId, 'FulfillmentOrder');
    const o = foId !== undefined ? orders[String(foId)] : undefined;
    if (!o) return err(['fulfillment', 'lineItemsByFulfillmentOrder', String(i), 'fulfillmentOrderId'], 'Fulfillment order does not exist.');
    if (order && order !== o) return err(['fulfillment'], 'All fulfillment orders must belong to the same order.');
    order = o;
    if (foStatus(o) === 'CLOSED') return err(['fulfillment'], 'Fulfillment order is closed: it has no unfulfilled line items.');
    const wanted = g.fulfillmentOrderLineItems?.length ? g.fulfillmentOrderLineItems : o.lines.filter((l) => remaining(o, l) > 0).map((l) => ({ id: GID('FulfillmentOrderLineItem', l.id), quantity: remaining(o, l) }));
    for (const w of wanted) {
      const lid = parse(w.id, 'FulfillmentOrderLineItem');
      const line = o.lines.find((l) => l.id === lid);
      if (!line) return err(['fulfillment', 'lineItemsByFulfillmentOrder', String(i), 'fulfillmentOrderLineItems'], `Fulfillment order line item ${w.id} does not belong to the fulfillment order.`);
      const already = items.filter((x) => x.lineId === line.id).reduce((s, x) => s + x.quantity, 0);
      if (w.quantity < 1 || w.quantity + already > remaining(o, line)) return err(['fulfillment', 'lineItemsByFulfillmentOrder', String(i), 'fulfillmentOrderLineItems'], `Invalid quantity for fulfillment order line item ${w.id}: ${remaining(o, line) - already} unfulfilled.`);
      items.push({ lineId: line.id, quantity: w.quantity });
    }
  }
  const o = order!;
  o.fulfilled ??= {};
  for (const it of items) o.fulfilled[String(it.lineId)] = (o.fulfilled[String(it.lineId)] ?? 0) + it.quantity;
  const f = { id: nextId(), createdAt: now, company: input.trackingInfo?.company ?? null, number: input.trackingInfo?.number ?? input.trackingInfo?.numbers?.[0] ?? null, notifyCustomer: Boolean(input.notifyCustomer), items };
  (o.fulfillments ??= []).push(f);
  o.fulfillment = foStatus(o) === 'CLOSED' ? 'FULFILLED' : 'PARTIALLY_FULFILLED';
  o.updatedAt = now;
  return { fulfillment: fulfillmentFields(o, () => null).fulfillments().at(-1), userErrors: [] };
}
