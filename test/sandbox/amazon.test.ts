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

    const url = `${sb.urls.amazon}/eu/sellers/v1/marketplaceParticipations`;
    const missing = await call(url);
    expect(missing.status).toBe(403);
    expect(missing.body.errors[0].code).toBe('MissingAuthenticationToken');
    const r = await call(url, { headers: { 'x-amz-access-token': ok.body.access_token } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('0.016');
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
    conforms(SELLERS, 'GetMarketplaceParticipationsResponse', r.body);
    // The EU endpoint knows the seller's EU marketplaces; the NA endpoint its NA ones.
    expect(r.body.payload.map((p: { marketplace: { defaultCurrencyCode: string } }) => p.marketplace.defaultCurrencyCode)).toEqual(['EUR', 'GBP']);
    const na = await call(`${sb.urls.amazon}/na/sellers/v1/marketplaceParticipations`, { headers: { 'x-amz-access-token': ok.body.access_token } });
    conforms(SELLERS, 'GetMarketplaceParticipationsResponse', na.body);
    expect(na.body.payload.map((p: { marketplace: { id: string } }) => p.marketplace.id)).toEqual(['ATVPDKIKX0DER']);
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
    expect(ids).toHaveLength(7); // the seller's EU orders, 2 of them fulfilled by Amazon
    const since = await call(`${O}?lastUpdatedAfter=2026-11-15T00:00:00Z&marketplaceIds=${UK}`, { headers: H });
    expect(since.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['203-7654321-2000002']);
    expect((await call(`${O}?marketplaceIds=${UK}`, { headers: H })).status).toBe(400);
    const tooRecent = await call(`${O}?lastUpdatedAfter=2026-11-01T00:00:00Z&lastUpdatedBefore=2026-11-24T09:59:00Z`, { headers: H });
    expect(tooRecent.status).toBe(400);
    expect(tooRecent.body.errors[0].message).toMatch(/2 minutes/);
    const one = await call(`${O}/302-1234567-1000002?includedData=RECIPIENT`, { headers: H });
    conforms(ORDERS, 'GetOrderResponse', one.body);
    // Burst: 20 searchOrders calls in all, then 429 until 1/0.0056 s ≈ 179 s pass.
    let used = 7; // 4 pages, the UK search, the 400 and the 2-minute refusal took tokens too
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

  it('regions: each endpoint refuses another region\'s marketplaces with the real 403 body; FE (never authorized) is a bare 403', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const US = 'ATVPDKIKX0DER';
    const NOT_IN_REGION = { code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The marketplaces you provided are not valid for region.' };
    const item = (region: string, mks: string) => `${sb.urls.amazon}/${region}/listings/2021-08-01/items/${C.sellerId}/MUG-BLU-S?marketplaceIds=${mks}`;
    for (const url of [item('eu', US), item('na', DE), `${sb.urls.amazon}/eu/orders/2026-01-01/orders?lastUpdatedAfter=2026-11-01T00:00:00Z&marketplaceIds=${DE},${US}`, `${sb.urls.amazon}/listings/2021-08-01/items/${C.sellerId}?marketplaceIds=${US}`]) {
      const r = await call(url, { headers: H });
      expect(r.status, url).toBe(403);
      conforms(LISTINGS, 'ErrorList', r.body);
      expect(r.body.errors).toEqual([NOT_IN_REGION]);
    }
    const patch = await call(item('na', UK), { method: 'PATCH', headers: H, json: pricePatch(15) });
    expect(patch.body.errors).toEqual([NOT_IN_REGION]);
    const doc = await call(`${sb.urls.amazon}/na/feeds/2021-06-30/documents`, { method: 'POST', headers: H, json: { contentType: 'application/json; charset=UTF-8' } });
    const feed = await call(`${sb.urls.amazon}/na/feeds/2021-06-30/feeds`, { method: 'POST', headers: H, json: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [DE], inputFeedDocumentId: doc.body.feedDocumentId } });
    expect(feed.status).toBe(403);
    expect(feed.body.errors).toEqual([NOT_IN_REGION]);
    // The right endpoints answer; the bare /amazon prefix is the EU endpoint.
    expect((await call(item('eu', DE), { headers: H })).status).toBe(200);
    expect((await call(`${sb.urls.amazon}/na/orders/2026-01-01/orders?lastUpdatedAfter=2026-11-01T00:00:00Z&marketplaceIds=${US}`, { headers: H })).status).toBe(200);
    expect((await call(`${sb.urls.amazon}/listings/2021-08-01/items/${C.sellerId}/MUG-BLU-S?marketplaceIds=${UK}`, { headers: H })).status).toBe(200);
    // FE: the seller never authorized the app there: a bare denial, whatever is asked.
    const fe = await call(`${sb.urls.amazon}/fe/sellers/v1/marketplaceParticipations`, { headers: H });
    expect(fe.status).toBe(403);
    expect(fe.body.errors).toEqual([{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }]);
    // Listings writes take one marketplace.
    const two = await call(item('eu', `${DE},${UK}`), { method: 'PATCH', headers: H, json: pricePatch(15) });
    expect(two.status).toBe(400);
    expect(two.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: "Too many 'marketplaceIds' values provided. Expected a maximum of 1." });
  });

  it('replace drops what it did not send (B2B offer, min/max, handling time; FBA turns merchant-fulfilled); merge keeps it', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const url = (sku: string, q = '') => `${sb.urls.amazon}/eu/listings/2021-08-01/items/${C.sellerId}/${sku}?marketplaceIds=${DE}${q}`;
    const get = async (sku: string) => (await call(url(sku, '&includedData=attributes,offers,fulfillmentAvailability'), { headers: H })).body;
    const offer = (price: number) => ({ marketplace_id: DE, currency: 'EUR', audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: price }] }] });
    const before = await get('MUG-BLU-S');
    conforms(LISTINGS, 'Item', before);
    expect(before.offers.map((o: Json) => o.offerType)).toEqual(['B2C', 'B2B']);
    expect(before.attributes.purchasable_offer[0].minimum_seller_allowed_price).toBeDefined();

    const merged = await call(url('MUG-BLU-S'), { method: 'PATCH', headers: H, json: { productType: 'DRINKING_CUP', patches: [{ op: 'merge', path: '/attributes/purchasable_offer', value: [offer(17.5)] }, { op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 9 }] }] } });
    expect(merged.body.status).toBe('ACCEPTED');
    const m = await get('MUG-BLU-S');
    expect(m.offers.map((o: Json) => `${o.offerType} ${o.price.amount}`)).toEqual(['B2C 17.50', 'B2B 15.21']);
    expect(m.attributes.purchasable_offer[0].minimum_seller_allowed_price).toEqual(before.attributes.purchasable_offer[0].minimum_seller_allowed_price);
    expect(m.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 9, lead_time_to_ship_max_days: 2 }]);

    const replaced = await call(url('MUG-BLU-S'), { method: 'PATCH', headers: H, json: { productType: 'DRINKING_CUP', patches: [{ op: 'replace', path: '/attributes/purchasable_offer', value: [offer(18)] }, { op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 8 }] }] } });
    expect(replaced.body.status).toBe('ACCEPTED');
    const r = await get('MUG-BLU-S');
    expect(r.offers.map((o: Json) => o.offerType)).toEqual(['B2C']);
    expect(r.attributes.purchasable_offer).toEqual([offer(18)]);
    expect(r.attributes.fulfillment_availability).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 8 }]);

    // An FBA listing: Amazon's stock; a merchant quantity written to it makes it merchant-fulfilled.
    const fba = await get('MUG-BLU-L');
    expect(fba.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'AMAZON_EU', quantity: 37 }]);
    const priceOnly = await call(url('MUG-BLU-L'), { method: 'PATCH', headers: H, json: { productType: 'DRINKING_CUP', patches: [{ op: 'merge', path: '/attributes/purchasable_offer', value: [offer(22)] }] } });
    expect(priceOnly.body.status).toBe('ACCEPTED');
    expect((await get('MUG-BLU-L')).fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'AMAZON_EU', quantity: 37 }]);
    await call(url('MUG-BLU-L'), { method: 'PATCH', headers: H, json: { productType: 'DRINKING_CUP', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 4 }] }] } });
    expect((await get('MUG-BLU-L')).fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: 4 }]);

    clock.advance(1000); // patchListingsItem: 5 per second
    // merge needs its selectors; an explicit null deletes a sub-attribute.
    const noSel = await call(url('BOWL-GRY-M'), { method: 'PATCH', headers: H, json: { productType: 'BOWL', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ quantity: 3 }] }] } });
    expect(noSel.body.status).toBe('INVALID');
    expect(noSel.body.issues[0].message).toContain("selector 'fulfillment_channel_code'");
    const del = await call(url('BOWL-GRY-M'), { method: 'PATCH', headers: H, json: { productType: 'BOWL', patches: [{ op: 'merge', path: '/attributes/purchasable_offer', value: [{ marketplace_id: DE, currency: 'EUR', audience: 'B2B', quantity_discount_plan: null }] }] } });
    expect(del.body.status).toBe('ACCEPTED');
    const b2b = (await get('BOWL-GRY-M')).attributes.purchasable_offer.find((o: Json) => o.audience === 'B2B');
    expect(b2b.quantity_discount_plan).toBeUndefined();
    expect(b2b.our_price).toBeDefined();
  });

  it('product types: an unknown one is 4000003, one that is not the listing\'s own is refused too', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const url = `${sb.urls.amazon}/eu/listings/2021-08-01/items/${C.sellerId}/MUG-BLU-S?marketplaceIds=${UK}`;
    const patch = (productType: string) => call(url, { method: 'PATCH', headers: H, json: { ...pricePatch(15.5), productType } });
    const unknown = await patch('Mugs & cups');
    conforms(LISTINGS, 'ListingsItemSubmissionResponse', unknown.body);
    expect(unknown.body.status).toBe('INVALID');
    expect(unknown.body.issues[0]).toMatchObject({ code: '4000003', message: 'The Amazon product type specified is invalid or not supported.', severity: 'ERROR' });
    const generic = await patch('PRODUCT');
    expect(generic.body.status).toBe('INVALID');
    expect(generic.body.issues[0].code).toBe('8101');
    expect(generic.body.issues[0].message).toContain('DRINKING_CUP');
    expect((await patch('DRINKING_CUP')).body.status).toBe('ACCEPTED');
  });

  it('JSON_LISTINGS_FEED: one marketplace per feed; 5 submissions per 5 minutes per region', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const submit = async (region: string, mks: string[]) => {
      const d = (await call(`${sb.urls.amazon}/${region}/feeds/2021-06-30/documents`, { method: 'POST', headers: H, json: { contentType: 'application/json; charset=UTF-8' } })).body;
      await call(d.url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ header: { sellerId: C.sellerId, version: '2.0' }, messages: [{ messageId: 1, sku: 'MUG-BLU-S', operationType: 'PATCH', productType: 'DRINKING_CUP', patches: pricePatch(14).patches }] }) });
      return call(`${sb.urls.amazon}/${region}/feeds/2021-06-30/feeds`, { method: 'POST', headers: H, json: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: mks, inputFeedDocumentId: d.feedDocumentId } });
    };
    const both = await submit('eu', [UK, DE]);
    expect(both.status).toBe(400);
    expect(both.body.errors[0]).toMatchObject({ code: 'InvalidInput', message: "Too many 'marketplaceIds' values provided. Expected a maximum of 1." });
    for (let i = 0; i < 5; i++) expect((await submit('eu', [i % 2 ? DE : UK])).status).toBe(202);
    const sixth = await submit('eu', [UK]);
    expect(sixth.status).toBe(429);
    expect(sixth.body).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
    expect((await submit('na', ['ATVPDKIKX0DER'])).status).toBe(202); // another region, another quota
    clock.advance(300_000);
    expect((await submit('eu', [UK])).status).toBe(202);
  });

  it('Amazon-fulfilled orders: fulfilledBy AMAZON, filtered by fulfilledBy, and not the seller\'s to confirm', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.amazonAuth);
    const H = { 'x-amz-access-token': t };
    const O = `${sb.urls.amazon}/eu/orders/2026-01-01/orders?lastUpdatedAfter=2026-11-01T00:00:00Z&includedData=FULFILLMENT`;
    const all = await call(O, { headers: H });
    conforms(ORDERS, 'SearchOrdersResponse', all.body);
    const by = Object.fromEntries(all.body.orders.map((o: Json) => [o.orderId, o.fulfillment.fulfilledBy]));
    expect(by['302-1234567-1000005']).toBe('AMAZON');
    expect(by['302-1234567-1000002']).toBe('MERCHANT');
    const mine = await call(`${O}&fulfilledBy=MERCHANT`, { headers: H });
    expect(mine.body.orders.map((o: Json) => o.orderId)).not.toContain('302-1234567-1000005');
    const amazons = await call(`${O}&fulfilledBy=AMAZON`, { headers: H });
    expect(amazons.body.orders.map((o: Json) => o.orderId)).toEqual(['302-1234567-1000004', '302-1234567-1000005']);
    const order = (await call(`${sb.urls.amazon}/eu/orders/2026-01-01/orders/302-1234567-1000005?includedData=FULFILLMENT`, { headers: H })).body.order;
    const confirm = await call(`${sb.urls.amazon}/eu/orders/v0/orders/302-1234567-1000005/shipmentConfirmation`, { method: 'POST', headers: H, json: { marketplaceId: DE, packageDetail: { packageReferenceId: '1', carrierCode: 'DHL', trackingNumber: '1', shipDate: '2026-11-24T09:00:00Z', orderItems: [{ orderItemId: order.orderItems[0].orderItemId, quantity: 1 }] } } });
    expect(confirm.status).toBe(400);
    expect(confirm.body.errors[0].message).toMatch(/fulfilled by Amazon/);
  });
});
