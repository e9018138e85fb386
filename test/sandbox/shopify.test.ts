import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { call, harness } from './helpers.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { shopifySdl } from '../../src/sandbox/shopify-schema.js';

const TOKEN = SANDBOX_CREDENTIALS.shopify.token;
const gql = (url: string, query: string, variables: Record<string, unknown> = {}, version = '2026-10') =>
  call(`${url}/admin/api/${version}/graphql.json`, { method: 'POST', headers: { 'x-shopify-access-token': TOKEN }, json: { query, variables } });

const PRODUCTS = `query Products($first: Int!, $after: String) {
  products(first: $first, after: $after, sortKey: ID) {
    edges { cursor node { id title handle status updatedAt totalInventory
      variants(first: 10) { nodes { id sku price compareAtPrice barcode inventoryQuantity
        inventoryItem { id sku tracked countryCodeOfOrigin harmonizedSystemCode measurement { weight { unit value } }
          inventoryLevels(first: 5) { nodes { location { id name } quantities(names: ["available", "on_hand"]) { name quantity } } } } } } } }
    pageInfo { hasNextPage endCursor } } }`;

const ORDERS = `query Orders($q: String, $after: String) {
  orders(first: 2, after: $after, sortKey: UPDATED_AT, query: $q) {
    nodes { id name createdAt updatedAt displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode
      totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      shippingAddress { countryCodeV2 city }
      lineItems(first: 10) { nodes { sku quantity originalUnitPriceSet { shopMoney { amount currencyCode } } } } }
    pageInfo { hasNextPage endCursor } } }`;

const SET = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id createdAt reason referenceDocumentUri changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { code field message } } }`;

const BULK = `mutation Bulk($productId: ID!, $variants: [ProductVariantsBulkInput!]!, $partial: Boolean) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: $partial) {
    product { id } productVariants { id price compareAtPrice inventoryItem { sku harmonizedSystemCode } } userErrors { code field message } } }`;

const SHARED_SDL = resolve(import.meta.dirname, '../../../shared/specs/shopify/schema.graphql');

describe('Shopify Admin GraphQL emulator', () => {
  it('our SDL builds, and the adapter read queries are also valid against Shopify’s published (2025-04) schema', () => {
    const ours = buildSchema(shopifySdl());
    for (const q of [PRODUCTS, ORDERS]) expect(validate(ours, parse(q))).toEqual([]);
    if (!existsSync(SHARED_SDL)) return;
    const theirs = buildSchema(readFileSync(SHARED_SDL, 'utf8'));
    for (const q of [PRODUCTS, ORDERS, BULK]) expect(validate(theirs, parse(q)).map((e) => e.message)).toEqual([]);
    // The 2026-04 shape is what 2025-04 did not have: changeFromQuantity and @idempotent.
    expect(validate(theirs, parse(SET)).map((e) => e.message).join('\n')).toMatch(/idempotent/);
  });

  it('authenticates with X-Shopify-Access-Token and gates API versions', async () => {
    const { sb } = await harness();
    const no = await call(`${sb.urls.shopify}/admin/api/2026-10/graphql.json`, { method: 'POST', json: { query: '{ shop { name } }' } });
    expect(no.status).toBe(401);
    expect(no.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    const ok = await gql(sb.urls.shopify, '{ shop { name myshopifyDomain currencyCode } }');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-shopify-api-version')).toBe('2026-10');
    expect(ok.body.data.shop).toEqual({ name: 'Lindqvist Keramik (sandbox)', myshopifyDomain: 'sandbox-shop.myshopify.com', currencyCode: 'EUR' });
    expect(ok.body.extensions.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
    expect((await gql(sb.urls.shopify, '{ shop { name } }', {}, '2026-04')).status).toBe(200);
    const old = await gql(sb.urls.shopify, '{ shop { name } }', {}, '2025-10');
    expect(old.status).toBe(400);
  });

  it('pages products with cursors and returns validation errors for unknown fields', async () => {
    const { sb } = await harness();
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await gql(sb.urls.shopify, PRODUCTS, { first: 4, after });
      expect(r.body.errors).toBeUndefined();
      const conn = r.body.data.products;
      for (const e of conn.edges) seen.push(e.node.variants.nodes[0].sku);
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(2);
    expect(seen).toEqual(['MUG-BLU-S', 'MUG-BLU-L', 'MUG-RED-S', 'BOWL-GRY-M', 'TEA-TWL-NAT', 'CANDLE-LAV']);
    const first = (await gql(sb.urls.shopify, PRODUCTS, { first: 1 })).body.data.products.edges[0].node;
    expect(first.variants.nodes[0]).toMatchObject({ price: '15.90', inventoryQuantity: 24, inventoryItem: { countryCodeOfOrigin: 'SE', harmonizedSystemCode: '691200', measurement: { weight: { unit: 'GRAMS', value: 320 } } } });
    expect(first.variants.nodes[0].inventoryItem.inventoryLevels.nodes[0].quantities).toEqual([{ name: 'available', quantity: 24 }, { name: 'on_hand', quantity: 24 }]);
    const bad = await gql(sb.urls.shopify, '{ products(first: 1) { nodes { id price } } }');
    expect(bad.status).toBe(200);
    expect(bad.body.errors[0].message).toMatch(/Cannot query field "price" on type "Product"/);
    const noFirst = await gql(sb.urls.shopify, '{ products { nodes { id } } }');
    expect(noFirst.body.errors[0].message).toBe('you must provide one of first or last');
  });

  it('filters and pages orders by updated_at, with shop and presentment money', async () => {
    const { sb } = await harness();
    const r = await gql(sb.urls.shopify, ORDERS, { q: "updated_at:>'2026-11-10T00:00:00Z'" });
    const names = r.body.data.orders.nodes.map((o: { name: string }) => o.name);
    expect(names).toEqual(['#1002', '#1003']);
    expect(r.body.data.orders.pageInfo.hasNextPage).toBe(false);
    const usd = r.body.data.orders.nodes[0];
    expect(usd.totalPriceSet).toEqual({ shopMoney: { amount: '44.0', currencyCode: 'EUR' }, presentmentMoney: { amount: '47.61', currencyCode: 'USD' } });
    const all = await gql(sb.urls.shopify, ORDERS, {});
    expect(all.body.data.orders.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(sb.urls.shopify, ORDERS, { after: all.body.data.orders.pageInfo.endCursor });
    expect(page2.body.data.orders.nodes).toHaveLength(1);
  });

  it('productVariantsBulkUpdate: updates prices, rejects the whole call on a bad variant unless partial updates are allowed', async () => {
    const { sb } = await harness();
    const p = (await gql(sb.urls.shopify, PRODUCTS, { first: 1 })).body.data.products.edges[0].node;
    const vid = p.variants.nodes[0].id;
    const ok = await gql(sb.urls.shopify, BULK, { productId: p.id, variants: [{ id: vid, price: '17.50', compareAtPrice: '19.90', inventoryItem: { harmonizedSystemCode: '6912001000' } }] });
    expect(ok.body.data.productVariantsBulkUpdate).toEqual({ product: { id: p.id }, productVariants: [{ id: vid, price: '17.50', compareAtPrice: '19.90', inventoryItem: { sku: 'MUG-BLU-S', harmonizedSystemCode: '6912001000' } }], userErrors: [] });
    const bad = await gql(sb.urls.shopify, BULK, { productId: p.id, variants: [{ id: vid, price: '18.00' }, { id: 'gid://shopify/ProductVariant/1', price: '1.00' }] });
    expect(bad.body.data.productVariantsBulkUpdate.userErrors).toEqual([{ code: 'PRODUCT_VARIANT_DOES_NOT_EXIST', field: ['variants', '1', 'id'], message: 'Product variant does not exist' }]);
    expect(bad.body.data.productVariantsBulkUpdate.productVariants).toBeNull();
    const neg = await gql(sb.urls.shopify, BULK, { productId: p.id, variants: [{ id: vid, price: '-1' }] });
    expect(neg.body.data.productVariantsBulkUpdate.userErrors[0].code).toBe('GREATER_THAN_OR_EQUAL_TO');
    const partial = await gql(sb.urls.shopify, BULK, { productId: p.id, partial: true, variants: [{ id: vid, price: '18.00' }, { id: 'gid://shopify/ProductVariant/1', price: '1.00' }] });
    expect(partial.body.data.productVariantsBulkUpdate.productVariants[0].price).toBe('18.00');
    const missing = await gql(sb.urls.shopify, BULK, { productId: 'gid://shopify/Product/1', variants: [{ id: vid, price: '1' }] });
    expect(missing.body.data.productVariantsBulkUpdate.userErrors[0].code).toBe('PRODUCT_DOES_NOT_EXIST');
  });

  it('inventorySetQuantities follows 2026-04: @idempotent mandatory, changeFromQuantity required, stale detection, dedupe by key', async () => {
    const { sb } = await harness();
    const v = (await gql(sb.urls.shopify, PRODUCTS, { first: 1 })).body.data.products.edges[0].node.variants.nodes[0];
    const itemId = v.inventoryItem.id;
    const locationId = v.inventoryItem.inventoryLevels.nodes[0].location.id;
    const input = (quantity: number, changeFromQuantity?: number | null) => ({ name: 'available', reason: 'correction', referenceDocumentUri: 'merchant-cli://sync/1', quantities: [{ inventoryItemId: itemId, locationId, quantity, ...(changeFromQuantity !== undefined ? { changeFromQuantity } : {}) }] });

    const noDirective = await gql(sb.urls.shopify, SET.replace(' @idempotent(key: $key)', '').replace(', $key: String!', ''), { input: input(7, 24) });
    expect(noDirective.body.errors[0].message).toMatch(/@idempotent directive is required/);
    expect(noDirective.body.data.inventorySetQuantities).toBeNull();

    const compare = await gql(sb.urls.shopify, SET, { key: 'k0', input: { ...input(7), quantities: [{ inventoryItemId: itemId, locationId, quantity: 7, compareQuantity: 24 }] } });
    expect(compare.body.errors[0].message).toMatch(/compareQuantity/);

    const noCas = await gql(sb.urls.shopify, SET, { key: 'k1', input: input(7) });
    expect(noCas.body.data.inventorySetQuantities.userErrors[0]).toMatchObject({ code: 'CHANGE_FROM_QUANTITY_REQUIRED', field: ['input', 'quantities', '0', 'changeFromQuantity'] });

    const stale = await gql(sb.urls.shopify, SET, { key: 'k2', input: input(7, 5) });
    expect(stale.body.data.inventorySetQuantities).toMatchObject({ inventoryAdjustmentGroup: null, userErrors: [{ code: 'CHANGE_FROM_QUANTITY_STALE' }] });

    const ok = await gql(sb.urls.shopify, SET, { key: 'k3', input: input(7, 24) });
    const group = ok.body.data.inventorySetQuantities.inventoryAdjustmentGroup;
    expect(group.changes[0]).toEqual({ name: 'available', delta: -17, quantityAfterChange: 7, item: { id: itemId }, location: { id: locationId } });
    expect(ok.body.data.inventorySetQuantities.userErrors).toEqual([]);

    const nullCas = await gql(sb.urls.shopify, SET, { key: 'k4', input: input(9, null) });
    expect(nullCas.body.data.inventorySetQuantities.inventoryAdjustmentGroup.changes[0].quantityAfterChange).toBe(9);

    // A retry of k3 (say, after a lost response) returns the first result and does not apply again.
    const replay = await gql(sb.urls.shopify, SET, { key: 'k3', input: input(7, 24) });
    expect(replay.body.data.inventorySetQuantities.inventoryAdjustmentGroup.id).toBe(group.id);
    const now = await gql(sb.urls.shopify, `{ inventoryItem(id: "${itemId}") { inventoryLevel(locationId: "${locationId}") { quantities(names: ["available"]) { quantity } } } }`);
    expect(now.body.data.inventoryItem.inventoryLevel.quantities[0].quantity).toBe(9);
    const mismatch = await gql(sb.urls.shopify, SET, { key: 'k3', input: input(8, 9) });
    expect(mismatch.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');
  });

  it('a lost mutation lands: the retry with the same idempotency key does not double-apply', async () => {
    const { sb } = await harness();
    const v = (await gql(sb.urls.shopify, PRODUCTS, { first: 1 })).body.data.products.edges[0].node.variants.nodes[0];
    const q = { inventoryItemId: v.inventoryItem.id, locationId: v.inventoryItem.inventoryLevels.nodes[0].location.id, quantity: 3, changeFromQuantity: 24 };
    sb.scriptFaults([{ match: 'POST /shopify', fault: 'lost' }]);
    await expect(gql(sb.urls.shopify, SET, { key: 'lost-1', input: { name: 'available', reason: 'correction', quantities: [q] } })).rejects.toThrow();
    const retry = await gql(sb.urls.shopify, SET, { key: 'lost-1', input: { name: 'available', reason: 'correction', quantities: [q] } });
    expect(retry.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(retry.body.data.inventorySetQuantities.inventoryAdjustmentGroup.changes[0].quantityAfterChange).toBe(3);
  });

  it('throttles by calculated cost: HTTP 200 + THROTTLED, then succeeds after (requested − available) / restoreRate seconds', async () => {
    const { sb, clock } = await harness();
    // Connection cost is 2 + first × node cost; unused capacity is refunded (actual < requested).
    const list = await gql(sb.urls.shopify, '{ products(first: 100) { nodes { id variants(first: 3) { nodes { id sku } } } } }');
    expect(list.body.extensions.cost.requestedQueryCost).toBe(2 + 100 * (1 + 2 + 3 * 1));
    expect(list.body.extensions.cost.actualQueryCost).toBe(2 + 6 * (1 + 2 + 1));
    // 400 aliased objects cost 400 points whatever they return: five drain the 2000-point bucket.
    const heavy = `{ ${Array.from({ length: 400 }, (_, i) => `s${i}: shop { name }`).join(' ')} }`;
    const first = await gql(sb.urls.shopify, heavy);
    const requested = first.body.extensions.cost.requestedQueryCost;
    expect(requested).toBe(400);
    let throttled;
    for (let i = 0; i < 20; i++) {
      const r = await gql(sb.urls.shopify, heavy);
      if (r.body.errors?.[0]?.extensions?.code === 'THROTTLED') {
        throttled = r;
        break;
      }
    }
    expect(throttled).toBeDefined();
    expect(throttled!.status).toBe(200);
    expect(throttled!.body.extensions.cost.actualQueryCost).toBeNull();
    const ts = throttled!.body.extensions.cost.throttleStatus;
    expect(ts.currentlyAvailable).toBeLessThan(requested);
    const waitMs = Math.ceil(((requested - ts.currentlyAvailable) / ts.restoreRate) * 1000);
    clock.advance(waitMs - 200);
    expect((await gql(sb.urls.shopify, heavy)).body.errors?.[0]?.extensions?.code).toBe('THROTTLED');
    clock.advance(400);
    const after = await gql(sb.urls.shopify, heavy);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.s399.name).toBe('Lindqvist Keramik (sandbox)');
  });

  it('refuses a query above the 1000-point single-query limit', async () => {
    const { sb } = await harness();
    const r = await gql(sb.urls.shopify, '{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }');
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', maxCost: 1000 });
  });

  it('productSet creates a product with variants and replaces the variant list on update', async () => {
    const { sb } = await harness();
    const M = `mutation S($input: ProductSetInput!, $identifier: ProductSetIdentifiers) { productSet(input: $input, identifier: $identifier) { product { id handle variants(first: 10) { nodes { id sku price } } } userErrors { code field message } } }`;
    const created = await gql(sb.urls.shopify, M, { input: { title: 'Vase, tall', handle: 'vase-tall', productOptions: [{ name: 'Colour', values: [{ name: 'Blue' }, { name: 'Red' }] }], variants: [{ optionValues: [{ optionName: 'Colour', name: 'Blue' }], price: '40.00', inventoryItem: { sku: 'VASE-BLU' } }, { optionValues: [{ optionName: 'Colour', name: 'Red' }], price: '41.00', inventoryItem: { sku: 'VASE-RED' } }] } });
    const prod = created.body.data.productSet.product;
    expect(prod.variants.nodes.map((n: { sku: string }) => n.sku)).toEqual(['VASE-BLU', 'VASE-RED']);
    const blue = prod.variants.nodes[0];
    const updated = await gql(sb.urls.shopify, M, { identifier: { handle: 'vase-tall' }, input: { variants: [{ id: blue.id, price: '42.00' }] } });
    expect(updated.body.data.productSet.product.variants.nodes).toEqual([{ id: blue.id, sku: 'VASE-BLU', price: '42.00' }]);
  });
});
