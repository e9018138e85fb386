import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { call, harness, type Json } from './helpers.js';
import { loadSpec, SHARED_SPECS, SpecChecker } from './spec-check.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';

const C = SANDBOX_CREDENTIALS.ebay;
const invSpec = loadSpec(join(SHARED_SPECS, 'ebay/sell_inventory_v1_oas3.json'));
const fulSpec = loadSpec(join(SHARED_SPECS, 'ebay/sell_fulfillment_v1_oas3.json'));
const feedSpec = loadSpec(join(SHARED_SPECS, 'ebay/sell_feed_v1_oas3.json'));
// eBay's file types Product.aspects as "string" while the documented wire form (and eBay's own
// example in the same description) is an object of string arrays; check against the documented form.
if (invSpec) ((invSpec.components as Json).schemas.Product.properties.aspects = { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } });
const INV = invSpec ? new SpecChecker(invSpec, 'inv', '#/components/schemas/') : undefined;
const FUL = fulSpec ? new SpecChecker(fulSpec, 'ful', '#/components/schemas/') : undefined;
const FEED = feedSpec ? new SpecChecker(feedSpec, 'feed', '#/components/schemas/') : undefined;

/** The response (or request) conforms to eBay's published schema and invents no fields. */
function conforms(checker: SpecChecker | undefined, name: string, value: Json): void {
  if (!checker) return; // ../shared absent: the product still runs; the spec check needs the reference copy.
  expect(checker.errors(name, value), `${name} schema errors`).toEqual([]);
  expect(checker.unknownKeys(name, value), `${name} unknown fields`).toEqual([]);
}

async function token(url: string, scope?: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: C.refreshToken, ...(scope ? { scope } : {}) });
  const r = await call(`${url}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${C.clientId}:${C.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  expect(r.status).toBe(200);
  return r.body.access_token;
}

const itemReq = (sku: string, qty = 5) => ({ sku, locale: 'en_GB', condition: 'NEW', product: { title: `Thing ${sku}`, description: 'A thing', imageUrls: ['https://img.example/a.jpg'], aspects: { Brand: ['Lindqvist Keramik'] } }, availability: { shipToLocationAvailability: { quantity: qty } } });

describe('eBay emulator', () => {
  it('OAuth: refresh grant with Basic client auth, errors as eBay returns them, tokens expire after 7200 s', async () => {
    const { sb, clock } = await harness();
    const url = sb.urls.ebay;
    const basic = `Basic ${Buffer.from(`${C.clientId}:${C.clientSecret}`).toString('base64')}`;
    const form = 'application/x-www-form-urlencoded';
    const bad = await call(`${url}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${C.clientId}:nope`).toString('base64')}`, 'content-type': form }, body: 'grant_type=refresh_token&refresh_token=x' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    const grant = await call(`${url}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: basic, 'content-type': form }, body: 'grant_type=refresh_token&refresh_token=v%5E1.1%23nope' });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('invalid_grant');
    const ok = await call(`${url}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: basic, 'content-type': form }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: C.refreshToken, scope: 'https://api.ebay.com/oauth/api_scope/sell.inventory' }).toString() });
    expect(ok.body).toMatchObject({ expires_in: 7200, token_type: 'User Access Token' });
    expect(ok.body.access_token).toMatch(/^v\^1\.1#/);
    const t = ok.body.access_token as string;
    expect((await call(`${url}/sell/inventory/v1/inventory_item/MUG-BLU-S`, { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    // scope not granted → 403 errorId 1100
    const orders = await call(`${url}/sell/fulfillment/v1/order`, { headers: { authorization: `Bearer ${t}` } });
    expect(orders.status).toBe(403);
    expect(orders.body.errors[0].errorId).toBe(1100);
    clock.advance(7200_000);
    const expired = await call(`${url}/sell/inventory/v1/inventory_item/MUG-BLU-S`, { headers: { authorization: `Bearer ${t}` } });
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0]).toMatchObject({ errorId: 1001, message: 'Invalid access token' });
    expect(JSON.stringify(sb.requests())).not.toContain(C.refreshToken);
    expect(JSON.stringify(sb.requests())).not.toContain(C.clientSecret);
  });

  it('bulkCreateOrReplaceInventoryItem: Content-Language required, ≤25 per call, 207 with per-item statuses', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.ebay);
    const H = { authorization: `Bearer ${t}`, 'content-language': 'en-GB' };
    const noLang = await call(`${sb.urls.ebay}/sell/inventory/v1/bulk_create_or_replace_inventory_item`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, json: { requests: [itemReq('A1')] } });
    expect(noLang.status).toBe(400);
    expect(noLang.body.errors[0]).toMatchObject({ errorId: 25709, domain: 'API_INVENTORY', category: 'REQUEST', message: 'Invalid value for header Content-Language.' });
    const tooMany = await call(`${sb.urls.ebay}/sell/inventory/v1/bulk_create_or_replace_inventory_item`, { method: 'POST', headers: H, json: { requests: Array.from({ length: 26 }, (_, i) => itemReq(`S${i}`)) } });
    expect(tooMany.status).toBe(400);
    const req = { requests: [itemReq('NEW-1'), { ...itemReq('NEW-2'), product: { description: 'no title' } }, itemReq('MUG-BLU-S', 30)] };
    conforms(INV, 'BulkInventoryItem', req);
    const r = await call(`${sb.urls.ebay}/sell/inventory/v1/bulk_create_or_replace_inventory_item`, { method: 'POST', headers: H, json: req });
    expect(r.status).toBe(207);
    conforms(INV, 'BulkInventoryItemResponse', r.body);
    expect(r.body.responses.map((x: { sku: string; statusCode: number }) => [x.sku, x.statusCode])).toEqual([['NEW-1', 200], ['NEW-2', 400], ['MUG-BLU-S', 200]]);
    const allOk = await call(`${sb.urls.ebay}/sell/inventory/v1/bulk_create_or_replace_inventory_item`, { method: 'POST', headers: H, json: { requests: [itemReq('NEW-3')] } });
    expect(allOk.status).toBe(200);
    const got = await call(`${sb.urls.ebay}/sell/inventory/v1/inventory_item/MUG-BLU-S`, { headers: H });
    conforms(INV, 'InventoryItemWithSkuLocaleGroupid', got.body);
    expect(got.body.availability.shipToLocationAvailability.quantity).toBe(30);
    // a field eBay does not have is rejected like eBay's deserializer does
    const typo = await call(`${sb.urls.ebay}/sell/inventory/v1/inventory_item/X1`, { method: 'PUT', headers: H, json: { ...itemReq('X1'), product: { titel: 'x' } } });
    expect(typo.status).toBe(400);
    expect(typo.body.errors[0].errorId).toBe(2004);
    const list = await call(`${sb.urls.ebay}/sell/inventory/v1/inventory_item?limit=2&offset=1`, { headers: H });
    conforms(INV, 'InventoryItems', list.body);
    expect(list.body).toMatchObject({ limit: 2, size: 2, total: 8 });
  });

  it('offers: create, publish with policy/location checks, bulkUpdatePriceQuantity 207 per offer', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.ebay);
    const H = { authorization: `Bearer ${t}`, 'content-language': 'en-GB' };
    const E = sb.urls.ebay;
    await call(`${E}/sell/inventory/v1/inventory_item/VASE-1`, { method: 'PUT', headers: H, json: itemReq('VASE-1', 4) });
    const pol = await call(`${E}/sell/account/v1/fulfillment_policy?marketplace_id=EBAY_GB`, { headers: H });
    expect(pol.body.fulfillmentPolicies[0].fulfillmentPolicyId).toBe("6200000001");
    const offerReq = { sku: 'VASE-1', marketplaceId: 'EBAY_GB', format: 'FIXED_PRICE', availableQuantity: 4, categoryId: '20693', listingDuration: 'GTC', pricingSummary: { price: { value: '39.00', currency: 'GBP' } }, listingPolicies: { fulfillmentPolicyId: '6200000001', paymentPolicyId: '6200000002' }, merchantLocationKey: 'studio' };
    conforms(INV, 'EbayOfferDetailsWithKeys', offerReq);
    const created = await call(`${E}/sell/inventory/v1/offer`, { method: 'POST', headers: H, json: offerReq });
    expect(created.status).toBe(201);
    conforms(INV, 'OfferResponse', created.body);
    const dup = await call(`${E}/sell/inventory/v1/offer`, { method: 'POST', headers: H, json: offerReq });
    expect(dup.body.errors[0]).toMatchObject({ errorId: 25002, parameters: [{ name: 'offerId', value: created.body.offerId }] });
    const pub1 = await call(`${E}/sell/inventory/v1/offer/${created.body.offerId}/publish`, { method: 'POST', headers: H });
    expect(pub1.status).toBe(400);
    // No return policy (25009), and category 20693 (Mugs) requires the item specific Type (25029).
    expect(pub1.body.errors.map((e: { errorId: number }) => e.errorId)).toEqual([25009, 25029]);
    expect(pub1.body.errors[1].message).toBe('Type is required for this category.');
    await call(`${E}/sell/inventory/v1/inventory_item/VASE-1`, { method: 'PUT', headers: H, json: { ...itemReq('VASE-1', 4), product: { ...itemReq('VASE-1', 4).product, aspects: { Brand: ['Lindqvist Keramik'], Type: ['Mug'] } } } });
    await call(`${E}/sell/inventory/v1/offer/${created.body.offerId}`, { method: 'PUT', headers: H, json: { ...offerReq, sku: undefined, marketplaceId: undefined, format: undefined, listingPolicies: { ...offerReq.listingPolicies, returnPolicyId: '6200000003' } } });
    const pub2 = await call(`${E}/sell/inventory/v1/offer/${created.body.offerId}/publish`, { method: 'POST', headers: H });
    expect(pub2.status).toBe(200);
    conforms(INV, 'PublishResponse', pub2.body);
    const offers = await call(`${E}/sell/inventory/v1/offer?sku=VASE-1`, { headers: H });
    conforms(INV, 'Offers', offers.body);
    expect(offers.body.offers[0]).toMatchObject({ status: 'PUBLISHED', listing: { listingId: pub2.body.listingId } });

    const seeded = await call(`${E}/sell/inventory/v1/offer?sku=MUG-BLU-S&marketplace_id=EBAY_GB`, { headers: H });
    const mugOffer = seeded.body.offers[0].offerId;
    const pq = { requests: [
      { sku: 'MUG-BLU-S', shipToLocationAvailability: { quantity: 7 }, offers: [{ offerId: mugOffer, availableQuantity: 7, price: { value: '15.49', currency: 'GBP' } }] },
      { sku: 'VASE-1', offers: [{ offerId: mugOffer, price: { value: '1.00', currency: 'GBP' } }] },
      { sku: 'NOPE', shipToLocationAvailability: { quantity: 1 } },
    ] };
    conforms(INV, 'BulkPriceQuantity', pq);
    const upd = await call(`${E}/sell/inventory/v1/bulk_update_price_quantity`, { method: 'POST', headers: H, json: pq });
    expect(upd.status).toBe(207);
    conforms(INV, 'BulkPriceQuantityResponse', upd.body);
    expect(upd.body.responses.map((x: { sku: string; statusCode: number }) => `${x.sku}:${x.statusCode}`)).toEqual(['MUG-BLU-S:200', 'VASE-1:400', 'NOPE:404']);
    const after = await call(`${E}/sell/inventory/v1/offer/${mugOffer}`, { headers: H });
    conforms(INV, 'EbayOfferDetailsWithAll', after.body);
    expect(after.body.pricingSummary.price).toEqual({ value: '15.49', currency: 'GBP' });
    const wrongCurrency = await call(`${E}/sell/inventory/v1/bulk_update_price_quantity`, { method: 'POST', headers: H, json: { requests: [{ sku: 'MUG-BLU-S', offers: [{ offerId: mugOffer, price: { value: '15.49', currency: 'EUR' } }] }] } });
    expect(wrongCurrency.body.responses[0].errors[0].errorId).toBe(25003); // eBay's table: 25003 Invalid price
    const numberPrice = await call(`${E}/sell/inventory/v1/bulk_update_price_quantity`, { method: 'POST', headers: H, json: { requests: [{ sku: 'MUG-BLU-S', offers: [{ offerId: mugOffer, price: { value: 15.49, currency: 'GBP' } }] }] } });
    expect(numberPrice.status).toBe(400);
  });

  it('getOrders: filter grammar, limit ≤ 200, offset paging, converted amounts; shipping fulfilment', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.ebay);
    const H = { authorization: `Bearer ${t}` };
    const E = `${sb.urls.ebay}/sell/fulfillment/v1`;
    const filter = encodeURIComponent('lastmodifieddate:[2026-11-10T00:00:00.000Z..]');
    const r = await call(`${E}/order?filter=${filter}&limit=1`, { headers: H });
    expect(r.status).toBe(200);
    conforms(FUL, 'OrderSearchPagedCollection', r.body);
    expect(r.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(r.body.next).toContain('offset=1');
    const p2 = await call(r.body.next, { headers: H });
    expect(p2.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['12-11111-00002']);
    const fr = r.body.orders[0];
    expect(fr.orderId).toBe('12-11111-00003');
    expect(fr.pricingSummary.total).toEqual({ value: '47.48', currency: 'GBP', convertedFromValue: '54.62', convertedFromCurrency: 'EUR' });
    // A buyer in France shops on ebay.fr; the listing is the seller's ebay.co.uk one.
    expect(fr.lineItems[0]).toMatchObject({ listingMarketplaceId: 'EBAY_GB', purchaseMarketplaceId: 'EBAY_FR' });
    // Newest created first.
    const all = await call(`${E}/order?limit=200`, { headers: H });
    const created = all.body.orders.map((o: { creationDate: string }) => o.creationDate);
    expect(created).toEqual([...created].sort().reverse());
    const status = await call(`${E}/order?filter=${encodeURIComponent('orderfulfillmentstatus:{NOT_STARTED|IN_PROGRESS}')}&limit=200`, { headers: H });
    expect(status.body.total).toBe(2);
    expect((await call(`${E}/order?limit=201`, { headers: H })).status).toBe(400);
    const badFilter = await call(`${E}/order?filter=${encodeURIComponent('lastmodifieddate:2026-11-10')}`, { headers: H });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors[0].domain).toBe('API_FULFILLMENT');

    const line = fr.lineItems[0];
    const ship = { lineItems: [{ lineItemId: line.lineItemId, quantity: line.quantity }], shippedDate: '2026-11-24T10:00:00.000Z', shippingCarrierCode: 'Royal Mail', trackingNumber: 'RM123456789GB' };
    conforms(FUL, 'ShippingFulfillmentDetails', ship);
    const shipped = await call(`${E}/order/${fr.orderId}/shipping_fulfillment`, { method: 'POST', headers: H, json: { ...ship, shippingCarrierCode: 'RoyalMail' } });
    expect(shipped.status).toBe(201);
    expect(shipped.headers.get('location')).toContain(`/order/${fr.orderId}/shipping_fulfillment/`);
    const again = await call(`${E}/order/${fr.orderId}/shipping_fulfillment`, { method: 'POST', headers: H, json: ship });
    expect(again.status).toBe(409);
    const o = await call(`${E}/order/${fr.orderId}`, { headers: H });
    conforms(FUL, 'Order', o.body);
    expect(o.body.orderFulfillmentStatus).toBe('FULFILLED');
  });

  it('daily quota: the call after the limit gets 429 errorId 2001; the next UTC day works again', async () => {
    const { sb, clock } = await harness();
    const t = await token(sb.urls.ebay);
    const H = { authorization: `Bearer ${t}` };
    await call(`${sb.url}/_sandbox/limits`, { method: 'POST', json: { 'ebay.fulfillment': 3 } });
    for (let i = 0; i < 3; i++) expect((await call(`${sb.urls.ebay}/sell/fulfillment/v1/order?limit=1`, { headers: H })).status).toBe(200);
    const over = await call(`${sb.urls.ebay}/sell/fulfillment/v1/order?limit=1`, { headers: H });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ errors: [{ errorId: 2001, domain: 'API_FULFILLMENT', category: 'REQUEST', message: 'Too many requests.', longMessage: 'The request limit has been reached for the resource.' }] });
    clock.advance(14 * 3_600_000); // 10:00 → 00:00 next day
    const t2 = await token(sb.urls.ebay);
    expect((await call(`${sb.urls.ebay}/sell/fulfillment/v1/order?limit=1`, { headers: { authorization: `Bearer ${t2}` } })).status).toBe(200);
  });

  it('OAuth: a refresh may ask for the consent\'s scopes or fewer; one the seller never granted is invalid_scope', async () => {
    const { sb } = await harness();
    const url = `${sb.urls.ebay}/identity/v1/oauth2/token`;
    const refresh = (scope: string) =>
      call(url, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${C.clientId}:${C.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: C.refreshToken, scope }).toString() });
    const S = 'https://api.ebay.com/oauth/api_scope';
    // The sandbox seller consented to inventory, fulfillment and read-only account access.
    const withAccount = await refresh(`${S}/sell.inventory ${S}/sell.fulfillment ${S}/sell.account`);
    expect(withAccount.status).toBe(400);
    expect(withAccount.body).toEqual({ error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client' });
    expect((await refresh(`${S}/sell.inventory ${S}/sell.fulfillment`)).status).toBe(200);
    expect((await refresh(`${S}/sell.account.readonly`)).status).toBe(200);
    expect((await refresh(`${S}/sell.inventory.readonly`)).status).toBe(200); // covered by sell.inventory
    expect((await refresh(`${S}/sell.finances`)).status).toBe(400);
  });

  it('one offer per SKU per marketplace: a second site for the same SKU is refused with eBay\'s SKU-not-available error', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.ebay);
    const E = `${sb.urls.ebay}/sell/inventory/v1`;
    const H = { authorization: `Bearer ${t}`, 'content-language': 'de-DE' };
    const offer = { sku: 'MUG-BLU-S', marketplaceId: 'EBAY_DE', format: 'FIXED_PRICE', availableQuantity: 3, pricingSummary: { price: { value: '16.90', currency: 'EUR' } } };
    const second = await call(`${E}/offer`, { method: 'POST', headers: H, json: offer });
    expect(second.status).toBe(400);
    expect(second.body.errors[0]).toMatchObject({ errorId: 25702, domain: 'API_INVENTORY', message: 'MUG-BLU-S could not be found or is not available in the system for the marketplace EBAY_DE.' });
    const bulk = await call(`${E}/bulk_create_offer`, { method: 'POST', headers: H, json: { requests: [offer] } });
    expect(bulk.status).toBe(207);
    expect(bulk.body.responses[0]).toMatchObject({ sku: 'MUG-BLU-S', statusCode: 400, errors: [{ errorId: 25702 }] });
    // Its own SKU on the second site is fine.
    await call(`${E}/inventory_item/MUG-BLU-S-DE`, { method: 'PUT', headers: H, json: { ...itemReq('MUG-BLU-S-DE', 3), locale: 'de_DE' } });
    const own = await call(`${E}/offer`, { method: 'POST', headers: H, json: { ...offer, sku: 'MUG-BLU-S-DE' } });
    expect(own.status).toBe(201);
    // Bulk calls: the caps and duplicate rules of eBay's error tables.
    const tooMany = await call(`${E}/bulk_create_offer`, { method: 'POST', headers: H, json: { requests: Array.from({ length: 26 }, (_, i) => ({ ...offer, sku: `S${i}` })) } });
    expect(tooMany.body.errors[0].errorId).toBe(25730);
    const dupOffers = await call(`${E}/bulk_create_offer`, { method: 'POST', headers: H, json: { requests: [offer, offer] } });
    expect([dupOffers.status, dupOffers.body.errors[0].errorId]).toEqual([400, 25729]);
    const dupItems = await call(`${E}/bulk_create_or_replace_inventory_item`, { method: 'POST', headers: H, json: { requests: [itemReq('D1'), itemReq('D1')] } });
    expect([dupItems.status, dupItems.body.errors[0].errorId]).toEqual([400, 25728]);
    const items26 = await call(`${E}/bulk_create_or_replace_inventory_item`, { method: 'POST', headers: H, json: { requests: Array.from({ length: 26 }, (_, i) => itemReq(`I${i}`)) } });
    expect(items26.body.errors[0].errorId).toBe(25727);
  });

  it('listings made in Seller Hub: invisible to getOffers until bulkMigrateListing (1–5 per call, each listing all or nothing)', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.ebay);
    const E = `${sb.urls.ebay}/sell/inventory/v1`;
    const H = { authorization: `Bearer ${t}` };
    expect((await call(`${E}/offer?sku=MUG-BLU-S-DE`, { headers: H })).status).toBe(404);
    expect((await call(`${E}/inventory_item/MUG-BLU-S-DE`, { headers: H })).status).toBe(404);
    const pq = await call(`${E}/bulk_update_price_quantity`, { method: 'POST', headers: H, json: { requests: [{ sku: 'MUG-BLU-S-DE', shipToLocationAvailability: { quantity: 2 } }] } });
    expect(pq.body.responses[0]).toMatchObject({ sku: 'MUG-BLU-S-DE', statusCode: 404, errors: [{ errorId: 25702 }] });

    const six = await call(`${E}/bulk_migrate_listing`, { method: 'POST', headers: H, json: { requests: ['1', '2', '3', '4', '5', '6'].map((n) => ({ listingId: `12050000000${n}` })) } });
    expect(six.status).toBe(400);
    const req = { requests: ['120500000001', '120500000002', '120500000003', '120500000005', '120500000006'].map((listingId) => ({ listingId })) };
    conforms(INV, 'BulkMigrateListing', req);
    const r = await call(`${E}/bulk_migrate_listing`, { method: 'POST', headers: H, json: req });
    expect(r.status).toBe(207);
    conforms(INV, 'BulkMigrateListingResponse', r.body);
    const by = Object.fromEntries(r.body.responses.map((x: Json) => [x.listingId, x]));
    expect(by['120500000001']).toMatchObject({ statusCode: 200, marketplaceId: 'EBAY_DE', inventoryItems: [{ sku: 'MUG-BLU-S-DE' }] });
    expect(by['120500000001'].inventoryItems[0].offerId).toMatch(/^\d+$/);
    for (const [id, why] of [['120500000002', /business policies/], ['120500000003', /TEA-TWL-NAT already exists in the Inventory API \(offered on EBAY_GB\)/], ['120500000005', /must have a SKU/], ['120500000006', /Auction/]] as const) {
      expect(by[id].statusCode, id).toBe(400);
      expect(by[id].errors[0]).toMatchObject({ errorId: 25718, domain: 'API_INVENTORY' });
      expect(by[id].errors[0].message).toMatch(why);
      expect(by[id].inventoryItems.every((i: Json) => !i.offerId)).toBe(true);
    }
    // Now the Inventory API sees it: an offer for the listing, and price updates work.
    const offers = await call(`${E}/offer?sku=MUG-BLU-S-DE`, { headers: H });
    expect(offers.body.offers[0]).toMatchObject({ marketplaceId: 'EBAY_DE', status: 'PUBLISHED', listing: { listingId: '120500000001' } });
    const again = await call(`${E}/bulk_migrate_listing`, { method: 'POST', headers: H, json: { requests: [{ listingId: '120500000001' }] } });
    expect(again.body.responses[0].errors[0].message).toMatch(/already been migrated/);
    // A multiple-variation listing: every variation becomes an item and an offer, with a group.
    const grp = await call(`${E}/bulk_migrate_listing`, { method: 'POST', headers: H, json: { requests: [{ listingId: '120500000004' }] } });
    expect(grp.status).toBe(200);
    expect(grp.body.responses[0].inventoryItems.map((i: Json) => i.sku)).toEqual(['MUG-BLU-L-DE', 'MUG-RED-S-DE']);
    expect(grp.body.responses[0].inventoryItemGroupKey).toBe('GRP120500000004');
  });

  it('Active Inventory Report: a Sell Feed task per site (X-EBAY-C-MARKETPLACE-ID), polled to COMPLETED, a ZIP of eBay\'s XML', async () => {
    const { sb } = await harness();
    const t = await token(sb.urls.ebay);
    const F = `${sb.urls.ebay}/sell/feed/v1`;
    const H = { authorization: `Bearer ${t}` };
    const body = { feedType: 'LMS_ACTIVE_INVENTORY_REPORT', schemaVersion: '1.0', filterCriteria: { listingFormat: 'FIXED_PRICE' } };
    conforms(FEED, 'CreateInventoryTaskRequest', body);
    const noSite = await call(`${F}/inventory_task`, { method: 'POST', headers: H, json: body });
    expect([noSite.status, noSite.body.errors[0].errorId]).toEqual([400, 160027]);
    const badType = await call(`${F}/inventory_task`, { method: 'POST', headers: { ...H, 'x-ebay-c-marketplace-id': 'EBAY_DE' }, json: { ...body, feedType: 'LMS_ORDER_REPORT' } });
    expect(badType.body.errors[0].errorId).toBe(160017);
    const created = await call(`${F}/inventory_task`, { method: 'POST', headers: { ...H, 'x-ebay-c-marketplace-id': 'EBAY_DE' }, json: body });
    expect(created.status).toBe(202);
    const loc = created.headers.get('location')!;
    expect(loc).toMatch(/\/sell\/feed\/v1\/inventory_task\/task-/);
    const id = loc.split('/').pop()!;
    const early = await call(`${F}/task/${id}/download_result_file`, { headers: H });
    expect([early.status, early.body.errors[0].errorId]).toEqual([404, 160014]);
    const p1 = await call(loc, { headers: H });
    conforms(FEED, 'InventoryTask', p1.body);
    expect(p1.body).toMatchObject({ taskId: id, status: 'IN_PROCESS', feedType: 'LMS_ACTIVE_INVENTORY_REPORT' });
    const p2 = await call(loc, { headers: H });
    expect(p2.body.status).toBe('COMPLETED');
    const file = await call(`${F}/task/${id}/download_result_file`, { headers: H });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    const entries = unzipSync(new Uint8Array(file.raw));
    const xml = strFromU8(Object.values(entries)[0]!);
    expect(xml).toContain('<ActiveInventoryReport>');
    // Fixed-price listings of ebay.de only (the auction is filtered out; the GB offers are another site).
    const ids = [...xml.matchAll(/<ItemID>(\d+)<\/ItemID>/g)].map((m) => m[1]);
    expect(ids).toEqual(['120500000001', '120500000002', '120500000003', '120500000004', '120500000005']);
    expect(xml).toContain('<SKU>MUG-BLU-S-DE</SKU><Price currencyID="EUR">16.50</Price><Quantity>6</Quantity><ItemID>120500000001</ItemID>');
    expect(xml).toMatch(/<ItemID>120500000004<\/ItemID><Variations><Variation><SKU>MUG-BLU-L-DE<\/SKU>/);
  });
});

