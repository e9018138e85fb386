// Helpers for the Shopify sync tests: calls to the sandbox shop as a checkout or the admin would make
// them, and the Shopify requests merchant sent.
import { expect } from 'vitest';
import { SANDBOX_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';

export const SBC = SANDBOX_CREDENTIALS.shopify;
export const STUDIO = 'gid://shopify/Location/70000000001';
export const WAREHOUSE = 70000000003;

/** A GraphQL call to the sandbox shop as the legacy custom app (what a checkout or the admin would do). */
export async function shopGql(sb: Sandbox, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = await fetch(`${sb.urls.shopify}/admin/api/2026-10/graphql.json`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': SBC.token }, body: JSON.stringify({ query, variables }) });
  const doc = (await r.json()) as Record<string, any>;
  if (doc.errors) throw new Error(JSON.stringify(doc.errors));
  return doc.data;
}

export const eurMoney = (amount: string) => ({ shopMoney: { amount, currencyCode: 'EUR' } });

/** A customer buys on Shopify: the order claims stock at the primary location. */
export async function shopifySale(sb: Sandbox, sku: string, quantity: number): Promise<string> {
  const v = (await shopGql(sb, 'query($q: String!) { productVariants(first: 1, query: $q) { nodes { id } } }', { q: `sku:${sku}` })).productVariants.nodes[0];
  const d = await shopGql(sb, 'mutation($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) { orderCreate(order: $order, options: $options) { order { id } userErrors { message } } }', {
    order: { currency: 'EUR', taxesIncluded: true, financialStatus: 'PAID', lineItems: [{ variantId: v.id, quantity }], shippingAddress: { firstName: 'Eva', lastName: 'Berg', address1: 'Storgatan 1', city: 'Lund', zip: '22350', countryCode: 'SE' } },
    options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' },
  });
  if (d.orderCreate.userErrors.length) throw new Error(JSON.stringify(d.orderCreate.userErrors));
  return d.orderCreate.order.id;
}

/** Every Shopify GraphQL request the sandbox received: its parsed body and status. */
export function shopifyCalls(sb: Sandbox): Array<{ body: { query: string; variables?: Record<string, any> }; status?: number; path: string }> {
  return sb
    .requests()
    .filter((r) => r.api === 'shopify' && r.path.includes('/graphql.json'))
    .map((r) => ({ body: JSON.parse(r.body), status: r.status, path: r.path }));
}
export const setQuantityCalls = (sb: Sandbox) => shopifyCalls(sb).filter((c) => c.body.query.includes('inventorySetQuantities'));
export const tokenRequests = (sb: Sandbox) => sb.requests().filter((r) => r.api === 'shopify' && r.path.endsWith('/admin/oauth/access_token'));

export async function advanceSandbox(sb: Sandbox, ms: number): Promise<void> {
  const r = await fetch(`${sb.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });
  expect(r.status).toBe(200);
}
