import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { call, harness, type Json } from './helpers.js';
import { SpecChecker } from './spec-check.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { AMAZON_MODELS } from '../../src/sandbox/paths.js';

const C = SANDBOX_CREDENTIALS.amazon;
const model = (f: string) => JSON.parse(readFileSync(join(AMAZON_MODELS, f), 'utf8'));
const LISTINGS = new SpecChecker(model('listingsItems_2021-08-01.json'), 'listings', '#/definitions/');
const FEEDS = new SpecChecker(model('feeds_2021-06-30.json'), 'feeds', '#/definitions/');
const ORDERS = new SpecChecker(model('orders_2026-01-01.json'), 'orders', '#/definitions/');
const SELLERS = new SpecChecker(model('sellers.json'), 'sellers', '#/definitions/');
const reportValid = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(model('listings-feed-processing-report-schema-v2.json'));
const feedValid = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(model('listings-feed-schema-v2.json'));

function conforms(checker: SpecChecker, name: string, value: Json): void {
  expect(checker.errors(name, value), `${name} schema errors`).toEqual([]);
  expect(checker.unknownKeys(name, value), `${name} unknown fields`).toEqual([]);
}

async function token(url: string): Promise<string> {
  const r = await call(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: C.refreshToken, client_id: C.clientId, client_secret: C.clientSecret }).toString() });
  expect(r.status).toBe(200);
  return r.body.access_token;
}

const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const pricePatch = (value: number, currency = 'GBP', mk = UK) => ({ productType: 'DRINKING_CUP', patches: [{ op: 'replace', path: '/attributes/purchasable_offer', value: [{ marketplace_id: mk, currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: value }] }] }] }] });

describe('Amazon SP-API emulator', () => {
  it('LWA: refresh grant → Atza| token for 3600 s; invalid_grant / invalid_client; x-amz-access-token required', async () => {
    const { sb, clock } = await harness();
    const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: new URLSearchParams(o).toString() });
    const ok = await call(sb.urls.amazonAuth, form({ grant_type: 'refresh_token', refresh_token: C.refreshToken, client_id: C.clientId, client_secret: C.clientSecret }));
    expect(ok.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, refresh_token: C.refreshToken });
    expect(ok.body.access_token).toMatch(/^Atza\|/);
    const grant = await call(sb.urls.amazonAuth, form({ grant_type: 'refresh_token', refresh_token: 'Atzr|revoked', client_id: C.clientId, client_secret: C.clientSecret }));
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('invalid_grant');
    const client = await call(sb.urls.amazonAuth, form({ grant_type: 'refresh_token', refresh_token: C.refreshToken, client_id: C.clientId, client_secret: 'rotated' }));
    expect(client.status).toBe(401);
    expect(client.body).toEqual({ error_description: 'Client authentication failed', error: 'invalid_client' });

    const url = `${sb.urls.amazon}/sellers/v1/marketplaceParticipations`;
    const missing = await call(url);
    expect(missing.status).toBe(403);
    expect(missing.body.errors[0].code).toBe('MissingAuthenticationToken');
    const r = await call(url, { headers: { 'x-amz-access-token': ok.body.access_token } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('0.016');
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
    conforms(SELLERS, 'GetMarketplaceParticipationsResponse', r.body);
    expect(r.body.payload.map((p: { marketplace: { defaultCurrencyCode: string } }) => p.marketplace.defaultCurrencyCode)).toEqual(['EUR', 'GBP', 'USD']);
    clock.advance(3600_000);
    const expired = await call(url, { headers: { 'x-amz-access-token': ok.body.access_token } });
    expect(expired.status).toBe(403);
    conforms(SELLERS, 'GetMarketplaceParticipationsResponse', expired.body);
    expect(expired.body.errors[0]).toEqual({ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' });
    const log = JSON.stringify(sb.requests());
    expect(log).not.toContain(C.clientSecret);
    expect(log).not.toContain(ok.body.access_token);
  });

  it('Listings: get, PATCH purchasable_offer / fulfillment_availability, issues for bad values, VALIDATION_PREVIEW, 404', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const item = (sku: string, q = `marketplaceIds=${UK}&includedData=summaries,attributes,issues,offers,fulfillmentAvailability`) => `${sb.urls.amazon}/listings/2021-08-01/items/${C.sellerId}/${encodeURIComponent(sku)}?${q}`;
    const got = await call(item('MUG-BLU-S'), { headers: H });
    expect(got.status).toBe(200);
    expect(got.headers.get('x-amzn-ratelimit-limit')).toBe('5');
    conforms(LISTINGS, 'Item', got.body);
    expect(got.body.summaries[0]).toMatchObject({ marketplaceId: UK, status: ['BUYABLE', 'DISCOVERABLE'], itemName: 'Stoneware mug, blue glaze, 250 ml' });
    expect(got.body.offers[0].price).toEqual({ currencyCode: 'GBP', amount: '14.99' });

    const patched = await call(item('MUG-BLU-S', `marketplaceIds=${UK}`), { method: 'PATCH', headers: H, json: { ...pricePatch(15.49), patches: [...pricePatch(15.49).patches, { op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] }] } });
    expect(patched.status).toBe(200);
    conforms(LISTINGS, 'ListingsItemSubmissionResponse', patched.body);
    expect(patched.body).toMatchObject({ sku: 'MUG-BLU-S', status: 'ACCEPTED', issues: [] });
    const after = await call(item('MUG-BLU-S'), { headers: H });
    expect(after.body.offers[0].price.amount).toBe('15.49');
    expect(after.body.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 3 }]);
    // DE untouched
    const de = await call(item('MUG-BLU-S', `marketplaceIds=${DE}&includedData=offers`), { headers: H });
    expect(de.body.offers[0].price).toEqual({ currencyCode: 'EUR', amount: '16.90' });

    const wrongCurrency = await call(item('MUG-BLU-S', `marketplaceIds=${UK}`), { method: 'PATCH', headers: H, json: pricePatch(15.49, 'EUR') });
    expect(wrongCurrency.body.status).toBe('INVALID');
    expect(wrongCurrency.body.issues[0]).toMatchObject({ severity: 'ERROR', categories: ['INVALID_PRICE'], attributeNames: ['purchasable_offer'] });
    const preview = await call(item('MUG-BLU-S', `marketplaceIds=${UK}&mode=VALIDATION_PREVIEW`), { method: 'PATCH', headers: H, json: pricePatch(99) });
    expect(preview.body.status).toBe('VALID');
    expect((await call(item('MUG-BLU-S'), { headers: H })).body.offers[0].price.amount).toBe('15.49');
    const nested = await call(item('MUG-BLU-S', `marketplaceIds=${UK}`), { method: 'PATCH', headers: H, json: { productType: 'X', patches: [{ op: 'replace', path: '/attributes/purchasable_offer/0/currency', value: [{ value: 'GBP' }] }] } });
    expect(nested.body.status).toBe('INVALID');
    const badBody = await call(item('MUG-BLU-S', `marketplaceIds=${UK}`), { method: 'PATCH', headers: H, json: { patches: [] } });
    expect(badBody.status).toBe(400);
    conforms(LISTINGS, 'ErrorList', badBody.body);
    expect(badBody.body.errors[0].code).toBe('InvalidInput');
    const none = await call(item('NOPE'), { headers: H });
    expect(none.status).toBe(404);
    const noMk = await call(item('MUG-BLU-S', 'includedData=summaries'), { headers: H });
    expect(noMk.status).toBe(400);
  });

  it('PUT creates a listing; a missing image shows up as an issue 5 minutes later and takes BUYABLE away', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const url = `${sb.urls.amazon}/listings/2021-08-01/items/${C.sellerId}/VASE-1?marketplaceIds=${DE}`;
    const put = await call(`${url}&includedData=identifiers,issues`, { method: 'PUT', headers: H, json: { productType: 'VASE', requirements: 'LISTING', attributes: { item_name: [{ value: 'Vase', language_tag: 'de_DE', marketplace_id: DE }], condition_type: [{ value: 'new_new', marketplace_id: DE }], purchasable_offer: [{ marketplace_id: DE, currency: 'EUR', our_price: [{ schedule: [{ value_with_tax: 45 }] }] }], fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 2 }] } } });
    conforms(LISTINGS, 'ListingsItemSubmissionResponse', put.body);
    expect(put.body.status).toBe('ACCEPTED');
    expect(put.body.identifiers[0].asin).toMatch(/^B0/);
    const g1 = await call(`${url}&includedData=summaries,issues`, { headers: H });
    expect(g1.body.summaries[0].status).toEqual(['BUYABLE', 'DISCOVERABLE']);
    expect(g1.body.issues).toEqual([]);
    clock.advance(5 * 60_000);
    const g2 = await call(`${url}&includedData=summaries,issues`, { headers: H });
    conforms(LISTINGS, 'Item', g2.body);
    expect(g2.body.summaries[0].status).toEqual(['DISCOVERABLE']);
    expect(g2.body.issues[0].categories).toEqual(['MISSING_IMAGE']);
    const missing = await call(`${sb.urls.amazon}/listings/2021-08-01/items/${C.sellerId}/VASE-2?marketplaceIds=${DE}`, { method: 'PUT', headers: H, json: { productType: 'VASE', attributes: { condition_type: [{ value: 'new_new' }] } } });
    expect(missing.body.status).toBe('INVALID');
    expect(missing.body.issues[0]).toMatchObject({ code: '90220', categories: ['MISSING_ATTRIBUTE'], attributeNames: ['item_name'] });
  });

  it('token bucket: a burst beyond 5 PATCHes gets 429 QuotaExceeded without the rate header; 1/rate seconds later it succeeds', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const url = `${sb.urls.amazon}/listings/2021-08-01/items/${C.sellerId}/MUG-BLU-S?marketplaceIds=${UK}`;
    for (let i = 0; i < 5; i++) expect((await call(url, { method: 'PATCH', headers: H, json: pricePatch(15 + i) })).status).toBe(200);
    const over = await call(url, { method: 'PATCH', headers: H, json: pricePatch(20) });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
    expect(over.headers.get('x-amzn-ratelimit-limit')).toBeNull();
    expect(over.headers.get('x-amzn-requestid')).toBeTruthy();
    // The GET bucket is separate.
    expect((await call(url, { headers: H })).status).toBe(200);
    clock.advance(199);
    expect((await call(url, { method: 'PATCH', headers: H, json: pricePatch(20) })).status).toBe(429);
    clock.advance(1);
    expect((await call(url, { method: 'PATCH', headers: H, json: pricePatch(20) })).status).toBe(200);
  });

  it('JSON_LISTINGS_FEED: document → upload → createFeed → IN_QUEUE → IN_PROGRESS → DONE, report per the schema with per-message errors', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const A = sb.urls.amazon;
    const doc = await call(`${A}/feeds/2021-06-30/documents`, { method: 'POST', headers: H, json: { contentType: 'application/json; charset=UTF-8' } });
    expect(doc.status).toBe(201);
    conforms(FEEDS, 'CreateFeedDocumentResponse', doc.body);
    const feed = {
      header: { sellerId: C.sellerId, version: '2.0', issueLocale: 'en_GB' },
      messages: [
        { messageId: 1, sku: 'MUG-BLU-S', operationType: 'PATCH', productType: 'DRINKING_CUP', patches: pricePatch(13.99).patches },
        { messageId: 2, sku: 'MUG-BLU-L', operationType: 'PATCH', productType: 'DRINKING_CUP', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: -4 }] }] },
        { messageId: 3, sku: 'MUG-RED-S', operationType: 'PATCH' },
        { messageId: 4, sku: 'NOT-THERE', operationType: 'PATCH', productType: 'DRINKING_CUP', patches: pricePatch(5).patches },
      ],
    };
    expect(feedValid({ ...feed, messages: feed.messages.filter((m) => m.messageId !== 3) })).toBe(true);
    expect(feedValid(feed)).toBe(false);
    const wrongType = await call(doc.body.url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(feed) });
    expect(wrongType.status).toBe(403);
    expect(wrongType.text).toContain('SignatureDoesNotMatch');
    const up = await call(doc.body.url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(feed) });
    expect(up.status).toBe(200);
    const xml = await call(`${A}/feeds/2021-06-30/feeds`, { method: 'POST', headers: H, json: { feedType: 'POST_PRODUCT_DATA', marketplaceIds: [UK], inputFeedDocumentId: doc.body.feedDocumentId } });
    expect(xml.status).toBe(400);
    const created = await call(`${A}/feeds/2021-06-30/feeds`, { method: 'POST', headers: H, json: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [UK], inputFeedDocumentId: doc.body.feedDocumentId } });
    expect(created.status).toBe(202);
    conforms(FEEDS, 'CreateFeedResponse', created.body);
    const get = () => call(`${A}/feeds/2021-06-30/feeds/${created.body.feedId}`, { headers: H });
    const s1 = await get();
    conforms(FEEDS, 'Feed', s1.body);
    expect(s1.body.processingStatus).toBe('IN_QUEUE');
    clock.advance(30_000);
    expect((await get()).body.processingStatus).toBe('IN_PROGRESS');
    clock.advance(30_000);
    const done = await get();
    conforms(FEEDS, 'Feed', done.body);
    expect(done.body).toMatchObject({ processingStatus: 'DONE', processingStartTime: expect.any(String), processingEndTime: expect.any(String) });
    const rd = await call(`${A}/feeds/2021-06-30/documents/${done.body.resultFeedDocumentId}`, { headers: H });
    conforms(FEEDS, 'FeedDocument', rd.body);
    expect(rd.body.compressionAlgorithm).toBe('GZIP');
    const raw = (await call(rd.body.url)).raw;
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    const report = JSON.parse(gunzipSync(raw).toString('utf8'));
    expect(reportValid(report), JSON.stringify(reportValid.errors)).toBe(true);
    expect(report.header).toEqual({ sellerId: C.sellerId, version: '2.0', feedId: created.body.feedId });
    expect(report.summary).toEqual({ errors: 3, warnings: 0, messagesProcessed: 4, messagesAccepted: 1, messagesInvalid: 3 });
    expect(report.issues.map((i: { messageId: number; code: string }) => `${i.messageId}:${i.code}`)).toEqual(['2:4000001', '3:4002008', '4:8541']);
    const mug = await call(`${A}/listings/2021-08-01/items/${C.sellerId}/MUG-BLU-S?marketplaceIds=${UK}&includedData=offers`, { headers: H });
    expect(mug.body.offers[0].price.amount).toBe('13.99');
  });

  it('feeds also advance one step per poll, expire upload URLs after 5 minutes, and allow 5 listing feeds per 5 minutes', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const A = sb.urls.amazon;
    const mkDoc = async () => (await call(`${A}/feeds/2021-06-30/documents`, { method: 'POST', headers: H, json: { contentType: 'application/json; charset=UTF-8' } })).body;
    const late = await mkDoc();
    clock.advance(301_000);
    const expired = await call(late.url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: '{}' });
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('Request has expired');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const d = await mkDoc();
      await call(d.url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ header: { sellerId: C.sellerId, version: '2.0' }, messages: [{ messageId: 1, sku: 'MUG-BLU-S', operationType: 'PATCH', productType: 'DRINKING_CUP', patches: pricePatch(14 + i).patches }] }) });
      const f = await call(`${A}/feeds/2021-06-30/feeds`, { method: 'POST', headers: H, json: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [UK], inputFeedDocumentId: d.feedDocumentId } });
      if (i < 5) ids.push(f.body.feedId);
      else {
        expect(f.status).toBe(429);
        expect(f.body.errors[0].code).toBe('QuotaExceeded');
      }
    }
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(`${A}/feeds/2021-06-30/feeds/${ids[0]}`, { headers: H })).body.processingStatus);
    expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE']);
  });

  it('searchOrders: lastUpdatedAfter, nextToken pagination, includedData, the 2-minute rule; 0.0056 rps bucket with burst 20', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const O = `${sb.urls.amazon}/orders/2026-01-01/orders`;
    const first = await call(`${O}?lastUpdatedAfter=2026-11-01T00:00:00Z&maxResultsPerPage=2&includedData=BUYER,RECIPIENT,PROCEEDS,FULFILLMENT`, { headers: H });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-amzn-ratelimit-limit')).toBe('0.0056');
    conforms(ORDERS, 'SearchOrdersResponse', first.body);
    expect(first.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['302-1234567-1000001', '203-7654321-2000001']);
    expect(first.body.orders[0].proceeds.grandTotal).toEqual({ amount: '38.70', currencyCode: 'EUR' });
    expect(first.body.orders[0].fulfillment.fulfillmentStatus).toBe('SHIPPED');
    const ids = [...first.body.orders.map((o: { orderId: string }) => o.orderId)];
    let next = first.body.pagination?.nextToken;
    while (next) {
      const page = await call(`${O}?paginationToken=${encodeURIComponent(next)}&maxResultsPerPage=2`, { headers: H });
      conforms(ORDERS, 'SearchOrdersResponse', page.body);
      ids.push(...page.body.orders.map((o: { orderId: string }) => o.orderId));
      next = page.body.pagination?.nextToken;
    }
    expect(ids).toHaveLength(5);
    const since = await call(`${O}?lastUpdatedAfter=2026-11-15T00:00:00Z&marketplaceIds=${UK}`, { headers: H });
    expect(since.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['203-7654321-2000002']);
    expect((await call(`${O}?marketplaceIds=${UK}`, { headers: H })).status).toBe(400);
    const tooRecent = await call(`${O}?lastUpdatedAfter=2026-11-01T00:00:00Z&lastUpdatedBefore=2026-11-24T09:59:00Z`, { headers: H });
    expect(tooRecent.status).toBe(400);
    expect(tooRecent.body.errors[0].message).toMatch(/2 minutes/);
    const one = await call(`${O}/302-1234567-1000002?includedData=RECIPIENT`, { headers: H });
    conforms(ORDERS, 'GetOrderResponse', one.body);
    // Burst: 20 searchOrders calls in all, then 429 until 1/0.0056 s ≈ 179 s pass.
    let used = 6;
    while (used < 20) {
      expect((await call(`${O}?lastUpdatedAfter=2026-11-01T00:00:00Z`, { headers: H })).status).toBe(200);
      used += 1;
    }
    expect((await call(`${O}?lastUpdatedAfter=2026-11-01T00:00:00Z`, { headers: H })).status).toBe(429);
    clock.advance(178_000);
    expect((await call(`${O}?lastUpdatedAfter=2026-11-01T00:00:00Z`, { headers: H })).status).toBe(429);
    clock.advance(1_000);
    expect((await call(`${O}?lastUpdatedAfter=2026-11-01T00:00:00Z`, { headers: H })).status).toBe(200);
  });

  it('confirmShipment (v0) marks the order shipped and records the package', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const O = `${sb.urls.amazon}/orders/2026-01-01/orders/302-1234567-1000003?includedData=FULFILLMENT,PACKAGES`;
    const before = await call(O, { headers: H });
    const item = before.body.order.orderItems[0];
    const body = { marketplaceId: DE, packageDetail: { packageReferenceId: '1', carrierCode: 'DHL', trackingNumber: '00340434161234567890', shipDate: '2026-11-24T09:00:00Z', orderItems: [{ orderItemId: item.orderItemId, quantity: 1 }] } };
    const r = await call(`${sb.urls.amazon}/orders/v0/orders/302-1234567-1000003/shipmentConfirmation`, { method: 'POST', headers: H, json: body });
    expect(r.status).toBe(204);
    const after = await call(O, { headers: H });
    conforms(ORDERS, 'GetOrderResponse', after.body);
    expect(after.body.order.fulfillment.fulfillmentStatus).toBe('SHIPPED');
    expect(after.body.order.packages[0].trackingNumber).toBe('00340434161234567890');
    const again = await call(`${sb.urls.amazon}/orders/v0/orders/302-1234567-1000003/shipmentConfirmation`, { method: 'POST', headers: H, json: body });
    expect(again.status).toBe(400);
  });
});
