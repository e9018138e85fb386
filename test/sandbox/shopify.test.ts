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
    // inventoryQuantity is the total over every location; each location has its own level.
    expect(first.variants.nodes[0]).toMatchObject({ price: '15.90', inventoryQuantity: 24 + 1 + 11, inventoryItem: { countryCodeOfOrigin: 'SE', harmonizedSystemCode: '691200', measurement: { weight: { unit: 'GRAMS', value: 320 } } } });
    const levels = first.variants.nodes[0].inventoryItem.inventoryLevels.nodes.map((l: { location: { name: string }; quantities: Array<{ quantity: number }> }) => [l.location.name, l.quantities[0]!.quantity]);
    expect(levels).toEqual([['Studio', 24], ['Annex pop-up', 1], ['Warehouse Malmö', 11]]);
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
    // The same key with other variables is refused as a user error, and nothing is applied.
    const mismatch = await gql(sb.urls.shopify, SET, { key: 'k3', input: input(8, 9) });
    expect(mismatch.body.data.inventorySetQuantities).toEqual({ inventoryAdjustmentGroup: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH', field: null, message: 'The same idempotency key cannot be used with different operation parameters.' }] });
    const after = await gql(sb.urls.shopify, `{ inventoryItem(id: "${itemId}") { inventoryLevel(locationId: "${locationId}") { quantities(names: ["available"]) { quantity } } } }`);
    expect(after.body.data.inventoryItem.inventoryLevel.quantities[0].quantity).toBe(9);
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
    // optionValues is required on every variant of productSet ([VariantOptionValueInput!]!).
    const noOptions = await gql(sb.urls.shopify, M, { identifier: { handle: 'vase-tall' }, input: { variants: [{ id: blue.id, price: '42.00' }] } });
    expect(noOptions.body.errors[0].message).toMatch(/optionValues/);
    const updated = await gql(sb.urls.shopify, M, { identifier: { handle: 'vase-tall' }, input: { variants: [{ id: blue.id, price: '42.00', optionValues: [{ optionName: 'Colour', name: 'Blue' }] }] } });
    expect(updated.body.data.productSet.product.variants.nodes).toEqual([{ id: blue.id, sku: 'VASE-BLU', price: '42.00' }]);
  });
});

const SB = SANDBOX_CREDENTIALS.shopify;
const tokenUrl = (url: string) => `${url}/admin/oauth/access_token`;
const gqlWith = (url: string, token: string, query: string, variables: Record<string, unknown> = {}) =>
  call(`${url}/admin/api/2026-10/graphql.json`, { method: 'POST', headers: { 'x-shopify-access-token': token }, json: { query, variables } });

describe('Shopify @idempotent memory', () => {
  it('remembers a key for 24 hours: a repeat then runs as a new request', async () => {
    const { sb, clock } = await harness();
    const v = (await gql(sb.urls.shopify, PRODUCTS, { first: 1 })).body.data.products.edges[0].node.variants.nodes[0];
    const locationId = 'gid://shopify/Location/70000000001';
    const input = { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: v.inventoryItem.id, locationId, quantity: 5, changeFromQuantity: null }] };
    const first = await gql(sb.urls.shopify, SET, { key: 'day-key', input });
    clock.advance(23 * 3600_000);
    const replay = await gql(sb.urls.shopify, SET, { key: 'day-key', input });
    expect(replay.body.data.inventorySetQuantities.inventoryAdjustmentGroup.id).toBe(first.body.data.inventorySetQuantities.inventoryAdjustmentGroup.id);
    clock.advance(2 * 3600_000);
    const fresh = await gql(sb.urls.shopify, SET, { key: 'day-key', input });
    expect(fresh.body.data.inventorySetQuantities.inventoryAdjustmentGroup.id).not.toBe(first.body.data.inventorySetQuantities.inventoryAdjustmentGroup.id);
  });
});

describe('Shopify client-credentials tokens (Dev Dashboard apps, 2026)', () => {
  it('issues a shpat_ token for client id + secret (form-encoded or JSON) that expires after 24 hours with the real 401', async () => {
    const { sb, clock } = await harness();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: SB.clientId, client_secret: SB.clientSecret }).toString();
    const r = await call(tokenUrl(sb.urls.shopify), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'scope']);
    expect(r.body.access_token).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(r.body.expires_in).toBe(86399);
    const asJson = await call(tokenUrl(sb.urls.shopify), { method: 'POST', json: { grant_type: 'client_credentials', client_id: SB.clientId, client_secret: SB.clientSecret } });
    expect(asJson.body.access_token).not.toBe(r.body.access_token); // every grant issues a new token
    expect((await gqlWith(sb.urls.shopify, r.body.access_token, '{ shop { name } }')).status).toBe(200);
    clock.advance(86_398_000);
    expect((await gqlWith(sb.urls.shopify, r.body.access_token, '{ shop { name } }')).status).toBe(200);
    clock.advance(2_000);
    const expired = await gqlWith(sb.urls.shopify, r.body.access_token, '{ shop { name } }');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    // The legacy custom app's token never expires.
    expect((await gqlWith(sb.urls.shopify, SB.token, '{ shop { name } }')).status).toBe(200);
    // Neither the secret nor a token appears in the request log.
    const log = JSON.stringify(sb.requests());
    expect(log).not.toContain(SB.clientSecret);
    expect(log).not.toContain(r.body.access_token);
  });

  it('refuses a wrong secret, an unknown client, a missing or unsupported grant type', async () => {
    const { sb } = await harness();
    const post = (body: Record<string, string>) => call(tokenUrl(sb.urls.shopify), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
    const wrong = await post({ grant_type: 'client_credentials', client_id: SB.clientId, client_secret: 'shpss_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect((await post({ grant_type: 'client_credentials', client_id: 'nope', client_secret: SB.clientSecret })).status).toBe(401);
    expect((await post({ client_id: SB.clientId, client_secret: SB.clientSecret })).body.error).toBe('invalid_request');
    expect((await post({ grant_type: 'authorization_code', client_id: SB.clientId, client_secret: SB.clientSecret })).body.error).toBe('unsupported_grant_type');
  });
});

describe('Shopify locations', () => {
  it('has several locations: locations(first: 1) is the alphabetical first, location without an id is the primary one', async () => {
    const { sb } = await harness();
    const first = await gql(sb.urls.shopify, '{ locations(first: 1) { nodes { id name isPrimary } } }');
    expect(first.body.data.locations.nodes).toEqual([{ id: 'gid://shopify/Location/70000000002', name: 'Annex pop-up', isPrimary: false }]);
    const primary = await gql(sb.urls.shopify, '{ location { id name isActive shipsInventory } }');
    expect(primary.body.data.location).toEqual({ id: 'gid://shopify/Location/70000000001', name: 'Studio', isActive: true, shipsInventory: true });
    const all = await gql(sb.urls.shopify, '{ locations(first: 10, sortKey: ID) { nodes { name } } }');
    expect(all.body.data.locations.nodes.map((n: { name: string }) => n.name)).toEqual(['Studio', 'Annex pop-up', 'Warehouse Malmö']);
    const byName = await gql(sb.urls.shopify, `{ locations(first: 5, query: "name:'Warehouse Malmö'") { nodes { id } } }`);
    expect(byName.body.data.locations.nodes).toEqual([{ id: 'gid://shopify/Location/70000000003' }]);
  });
});

const ORDER_CREATE = `mutation C($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) { order { id name displayFinancialStatus totalTaxSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } } } userErrors { code field message } } }`;
const REFUND = `mutation R($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) { refund { id totalRefundedSet { shopMoney { amount } } } order { displayFinancialStatus } userErrors { field message } } }`;
const eur = (amount: string) => ({ shopMoney: { amount, currencyCode: 'EUR' } });

describe('Shopify orders: many lines, tax lines, refunds', () => {
  it('orderCreate makes an order with 12 lines and line and shipping tax; lineItems page 10 at a time; stock is claimed at the primary location', async () => {
    const { sb } = await harness();
    const v = (await gql(sb.urls.shopify, '{ productVariants(first: 1, query: "sku:MUG-BLU-S") { nodes { id } } }')).body.data.productVariants.nodes[0];
    const lineItems = [
      { variantId: v.id, quantity: 2, priceSet: eur('15.90'), taxLines: [{ title: 'VAT', rate: '0.25', priceSet: eur('6.36') }] },
      ...Array.from({ length: 11 }, (_, i) => ({ title: `Sample ${i + 1}`, sku: `SAMPLE-${i + 1}`, quantity: 1, priceSet: eur('5.00'), taxLines: [{ title: 'VAT', rate: '0.25', priceSet: eur('1.00') }] })),
    ];
    const created = await gql(sb.urls.shopify, ORDER_CREATE, {
      order: { currency: 'EUR', taxesIncluded: true, financialStatus: 'PAID', lineItems, shippingLines: [{ title: 'Express', priceSet: eur('10.00'), taxLines: [{ title: 'VAT', rate: '0.25', priceSet: eur('2.00') }] }] },
      options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' },
    });
    expect(created.body.data.orderCreate.userErrors).toEqual([]);
    const order = created.body.data.orderCreate.order;
    expect(order.totalTaxSet.shopMoney.amount).toBe('19.36'); // 6.36 + 11 × 1.00 + 2.00
    expect(order.totalPriceSet.shopMoney.amount).toBe('96.8'); // tax included: 31.80 + 55.00 + 10.00
    const level = await gql(sb.urls.shopify, `{ productVariant(id: "${v.id}") { inventoryItem { inventoryLevel(locationId: "gid://shopify/Location/70000000001") { quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } } }`);
    expect(level.body.data.productVariant.inventoryItem.inventoryLevel.quantities).toEqual([{ name: 'available', quantity: 22 }, { name: 'on_hand', quantity: 24 }, { name: 'committed', quantity: 2 }]);
    const Q = `query($id: ID!, $after: String) { order(id: $id) { taxesIncluded taxLines { title rate priceSet { shopMoney { amount } } }
      shippingLines(first: 5) { nodes { title originalPriceSet { shopMoney { amount } } taxLines { priceSet { shopMoney { amount } } } } }
      lineItems(first: 10, after: $after) { nodes { sku quantity taxLines(first: 5) { rate priceSet { shopMoney { amount } } } } pageInfo { hasNextPage endCursor } } } }`;
    const p1 = (await gql(sb.urls.shopify, Q, { id: order.id })).body.data.order;
    expect(p1.taxesIncluded).toBe(true);
    expect(p1.taxLines).toEqual([{ title: 'VAT', rate: 0.25, priceSet: { shopMoney: { amount: '19.36' } } }]);
    expect(p1.shippingLines.nodes[0].taxLines).toEqual([{ priceSet: { shopMoney: { amount: '2.0' } } }]);
    expect(p1.lineItems.nodes).toHaveLength(10);
    expect(p1.lineItems.nodes[0]).toEqual({ sku: 'MUG-BLU-S', quantity: 2, taxLines: [{ rate: 0.25, priceSet: { shopMoney: { amount: '6.36' } } }] });
    expect(p1.lineItems.pageInfo.hasNextPage).toBe(true);
    const p2 = (await gql(sb.urls.shopify, Q, { id: order.id, after: p1.lineItems.pageInfo.endCursor })).body.data.order;
    expect(p2.lineItems.nodes.map((n: { sku: string }) => n.sku)).toEqual(['SAMPLE-10', 'SAMPLE-11']);
    expect(p2.lineItems.pageInfo.hasNextPage).toBe(false);
  });

  it('refundCreate needs @idempotent, refunds lines and money, restocks, replays a repeated key and moves the financial status', async () => {
    const { sb } = await harness();
    const o = (await gql(sb.urls.shopify, '{ orders(first: 1, query: "name:#1001") { nodes { id totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { id sku quantity } } } } }')).body.data.orders.nodes[0];
    const line = o.lineItems.nodes.find((l: { sku: string }) => l.sku === 'MUG-BLU-S');
    const input = { orderId: o.id, note: 'damaged', refundLineItems: [{ lineItemId: line.id, quantity: 1, restockType: 'RETURN' }], transactions: [{ orderId: o.id, kind: 'REFUND', gateway: 'shopify_payments', amount: '15.90' }] };
    const bare = await gql(sb.urls.shopify, REFUND.replace(' @idempotent(key: $key)', '').replace(', $key: String!', ''), { input });
    expect(bare.body.errors[0].message).toMatch(/@idempotent directive is required for refundCreate/);
    const r = await gql(sb.urls.shopify, REFUND, { key: 'refund-1', input });
    expect(r.body.data.refundCreate.userErrors).toEqual([]);
    expect(r.body.data.refundCreate.refund.totalRefundedSet.shopMoney.amount).toBe('15.9');
    expect(r.body.data.refundCreate.order.displayFinancialStatus).toBe('PARTIALLY_REFUNDED');
    const again = await gql(sb.urls.shopify, REFUND, { key: 'refund-1', input });
    expect(again.body.data.refundCreate.refund.id).toBe(r.body.data.refundCreate.refund.id);
    const read = (await gql(sb.urls.shopify, `{ order(id: "${o.id}") { refunds(first: 5) { id createdAt note totalRefundedSet { shopMoney { amount } }
      refundLineItems(first: 5) { nodes { quantity restockType lineItem { sku } subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } }
      transactions(first: 5) { nodes { kind status amountSet { shopMoney { amount } } processedAt } } } } }`)).body.data.order;
    expect(read.refunds).toHaveLength(1);
    expect(read.refunds[0]).toMatchObject({ note: 'damaged', refundLineItems: { nodes: [{ quantity: 1, restockType: 'RETURN', lineItem: { sku: 'MUG-BLU-S' }, subtotalSet: { shopMoney: { amount: '15.9' } } }] }, transactions: { nodes: [{ kind: 'REFUND', status: 'SUCCESS', amountSet: { shopMoney: { amount: '15.9' } } }] } });
    // The line's VAT share: 11.78 split by value over 31.80 + 21.00 → 7.09 on MUG-BLU-S × 2, half refunded.
    expect(read.refunds[0].refundLineItems.nodes[0].totalTaxSet.shopMoney.amount).toBe('3.55');
    // Restocked at the primary location (the order was shipped: a return).
    const lv = await gql(sb.urls.shopify, '{ productVariants(first: 1, query: "sku:MUG-BLU-S") { nodes { inventoryItem { inventoryLevel(locationId: "gid://shopify/Location/70000000001") { quantities(names: ["available"]) { quantity } } } } } }');
    expect(lv.body.data.productVariants.nodes[0].inventoryItem.inventoryLevel.quantities[0].quantity).toBe(25);
    // Never more than was paid.
    const over = await gql(sb.urls.shopify, REFUND, { key: 'refund-2', input: { orderId: o.id, transactions: [{ orderId: o.id, kind: 'REFUND', gateway: 'shopify_payments', amount: '999.00' }] } });
    expect(over.body.data.refundCreate.userErrors[0].field).toEqual(['transactions', '0', 'amount']);
  });
});

describe('Shopify cost of larger pages', () => {
  it('charges connections and sized lists by their first/ids: 250 orders with nested lines exceed 1000, 250 ids alone do not', async () => {
    const { sb } = await harness();
    const heavy = await gql(sb.urls.shopify, '{ orders(first: 250) { nodes { id lineItems(first: 10) { nodes { id } } } } }');
    expect(heavy.body.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
    expect(heavy.body.errors[0].extensions.cost).toBe(2 + 250 * (1 + 2 + 10));
    const ids = await gql(sb.urls.shopify, '{ orders(first: 250) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }');
    expect(ids.body.extensions.cost.requestedQueryCost).toBe(252);
    expect(ids.body.extensions.cost.actualQueryCost).toBe(2 + 3);
    const list = ids.body.data.orders.nodes.map((n: { id: string }) => n.id);
    const nodes = await gql(sb.urls.shopify, 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { name totalPriceSet { shopMoney { amount } } } } }', { ids: list });
    expect(nodes.body.extensions.cost.requestedQueryCost).toBe(3 * (1 + 2));
    expect(nodes.body.data.nodes.map((n: { name: string }) => n.name)).toEqual(['#1001', '#1002', '#1003']);
  });
});
