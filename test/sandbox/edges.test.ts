import { describe, expect, it } from 'vitest';
import { call, harness } from './helpers.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';

const A = SANDBOX_CREDENTIALS.amazon;
const E = SANDBOX_CREDENTIALS.ebay;
const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });

describe('edges across the emulators', () => {
  it('the same --seed gives the same faults over HTTP; another seed differs', async () => {
    const seq = async (seed: number) => {
      const { sb } = await harness({ faults: '500:0.3,503:0.2', seed });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await call(`${sb.urls.ecb}/eurofxref-daily.xml`)).status);
      return out;
    };
    const a = await seq(11);
    expect(await seq(11)).toEqual(a);
    expect(a.filter((s) => s !== 200).length).toBeGreaterThan(5);
    expect(await seq(12)).not.toEqual(a);
  });

  it('Amazon: a grantless token and another seller id are refused; getFeeds nextToken must stand alone', async () => {
    const { sb } = await harness();
    const grantless = await call(sb.urls.amazonAuth, form({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications', client_id: A.clientId, client_secret: A.clientSecret }));
    expect(grantless.body.scope).toBe('sellingpartnerapi::notifications');
    const r1 = await call(`${sb.urls.amazon}/sellers/v1/marketplaceParticipations`, { headers: { 'x-amz-access-token': grantless.body.access_token } });
    expect(r1.status).toBe(403);
    const tok = (await call(sb.urls.amazonAuth, form({ grant_type: 'refresh_token', refresh_token: A.refreshToken, client_id: A.clientId, client_secret: A.clientSecret }))).body.access_token;
    const other = await call(`${sb.urls.amazon}/listings/2021-08-01/items/AOTHERSELLER/MUG-BLU-S?marketplaceIds=A1F83G8C2ARO7P`, { headers: { 'x-amz-access-token': tok } });
    expect(other.status).toBe(403);
    const feeds = await call(`${sb.urls.amazon}/feeds/2021-06-30/feeds?nextToken=abc&pageSize=5`, { headers: { 'x-amz-access-token': tok } });
    expect(feeds.status).toBe(400);
    expect(feeds.body.errors[0].code).toBe('InvalidInput');
    const search = await call(`${sb.urls.amazon}/listings/2021-08-01/items/${A.sellerId}?marketplaceIds=A1F83G8C2ARO7P&pageSize=4`, { headers: { 'x-amz-access-token': tok } });
    expect(search.body.numberOfResults).toBe(6);
    expect(search.body.items).toHaveLength(4);
    const next = await call(`${sb.urls.amazon}/listings/2021-08-01/items/${A.sellerId}?marketplaceIds=A1F83G8C2ARO7P&pageSize=4&pageToken=${search.body.pagination.nextToken}`, { headers: { 'x-amz-access-token': tok } });
    expect(next.body.items.map((i: { sku: string }) => i.sku)).toEqual(['TEA-TWL-NAT', 'MUG-RED-S'].sort());
    const badDate = await call(`${sb.urls.amazon}/listings/2021-08-01/items/${A.sellerId}?marketplaceIds=A1F83G8C2ARO7P&lastUpdatedAfter=yesterday`, { headers: { 'x-amz-access-token': tok } });
    expect(badDate.status).toBe(400);
  });

  it('eBay: withdraw ends the listing, deleting an item removes its offers, bulk publish reports per offer, wrong method is 405', async () => {
    const { sb } = await harness();
    const tok = (await call(`${sb.urls.ebay}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${E.clientId}:${E.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: E.refreshToken }).toString() })).body.access_token;
    const H = { authorization: `Bearer ${tok}`, 'content-language': 'en-GB' };
    const I = `${sb.urls.ebay}/sell/inventory/v1`;
    const offer = (await call(`${I}/offer?sku=BOWL-GRY-M`, { headers: H })).body.offers[0];
    const w = await call(`${I}/offer/${offer.offerId}/withdraw`, { method: 'POST', headers: H });
    expect(w.body.listingId).toBe(offer.listing.listingId);
    expect((await call(`${I}/offer/${offer.offerId}`, { headers: H })).body.status).toBe('UNPUBLISHED');
    const bp = await call(`${I}/bulk_publish_offer`, { method: 'POST', headers: H, json: { requests: [{ offerId: offer.offerId }, { offerId: '1' }] } });
    expect(bp.status).toBe(207);
    expect(bp.body.responses.map((x: { statusCode: number }) => x.statusCode)).toEqual([200, 404]);
    expect(bp.body.responses[0].listingId).toBe(offer.listing.listingId);
    expect((await call(`${I}/inventory_item/BOWL-GRY-M`, { method: 'DELETE', headers: H })).status).toBe(204);
    expect((await call(`${I}/offer/${offer.offerId}`, { headers: H })).status).toBe(404);
    const m = await call(`${I}/bulk_update_price_quantity`, { headers: H });
    expect(m.status).toBe(405);
    const lang = await call(`${I}/inventory_item/X`, { method: 'PUT', headers: { ...H, 'content-language': 'english' }, json: { product: { title: 'x' } } });
    expect(lang.body.errors[0].errorId).toBe(25709);
    const appTok = (await call(`${sb.urls.ebay}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${E.clientId}:${E.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope' })).body;
    expect(appTok.token_type).toBe('Application Access Token');
    const denied = await call(`${I}/inventory_item/MUG-BLU-S`, { headers: { authorization: `Bearer ${appTok.access_token}` } });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].errorId).toBe(1100);
  });

  it('Shopify: node with fragments, operationName, application/graphql bodies, variable type errors', async () => {
    const { sb } = await harness();
    const url = `${sb.urls.shopify}/admin/api/2026-10/graphql.json`;
    const H = { 'x-shopify-access-token': SANDBOX_CREDENTIALS.shopify.token };
    const ids = await call(url, { method: 'POST', headers: H, json: { query: '{ productVariants(first: 1, query: "sku:CANDLE-LAV") { nodes { id product { id } } } }' } });
    const v = ids.body.data.productVariants.nodes[0];
    const node = await call(url, { method: 'POST', headers: H, json: { query: 'query A { node(id: "x") { id } } query B($id: ID!) { node(id: $id) { id ... on ProductVariant { sku price } } }', operationName: 'B', variables: { id: v.id } } });
    expect(node.body.data.node).toEqual({ id: v.id, sku: 'CANDLE-LAV', price: '21.00' });
    const gq = await call(url, { method: 'POST', headers: { ...H, 'content-type': 'application/graphql' }, body: `{ product(id: "${v.product.id}") { title } }` });
    expect(gq.body.data.product.title).toMatch(/candle/i);
    const badVar = await call(url, { method: 'POST', headers: H, json: { query: 'query($n: Int!) { products(first: $n) { nodes { id } } }', variables: { n: 'ten' } } });
    expect(badVar.body.errors[0].message).toMatch(/Int cannot represent/);
    const noBody = await call(url, { method: 'POST', headers: H, json: {} });
    expect(noBody.status).toBe(400);
    const get = await call(url, { headers: H });
    expect(get.status).toBe(405);
  });

  it('EasyPost: list endpoints are limited to 5 per second', async () => {
    const { sb, clock } = await harness();
    const H = { authorization: `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.easypost.apiKey}:`).toString('base64')}` };
    for (let i = 0; i < 5; i++) expect((await call(`${sb.urls.easypost}/v2/shipments?page_size=1`, { headers: H })).status).toBe(200);
    const over = await call(`${sb.urls.easypost}/v2/shipments`, { headers: H });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('RATE_LIMITED');
    clock.advance(200);
    expect((await call(`${sb.urls.easypost}/v2/shipments`, { headers: H })).status).toBe(200);
  });
});
