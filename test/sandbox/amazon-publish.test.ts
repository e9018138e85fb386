// The Amazon emulator's new-listing APIs: Catalog Items searchCatalogItems (identifiers, one
// marketplace, ≤ 20 identifiers, identifiersType required), Product Type Definitions (the response
// shape of the model, the schema behind its presigned link, PRODUCT for offers only), and
// putListingsItem checked against the definition: missing required attributes (90220), values the
// schema refuses (4000001), an offer on an ASIN Amazon does not know, offer-only vs a full listing.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { call, harness, type Json } from './helpers.js';
import { SpecChecker } from './spec-check.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { AMAZON_MODELS } from '../../src/sandbox/paths.js';

const C = SANDBOX_CREDENTIALS.amazon;
const DEFS = new SpecChecker(JSON.parse(readFileSync(join(AMAZON_MODELS, 'definitionsProductTypes_2020-09-01.json'), 'utf8')), 'definitions', '#/definitions/');
const DE = 'A1PA6795UKMFR9';
const US = 'ATVPDKIKX0DER';

async function session() {
  const { sb, clock } = await harness();
  const t = await call(sb.urls.amazonAuth, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: C.refreshToken, client_id: C.clientId, client_secret: C.clientSecret }).toString() });
  const h = { 'x-amz-access-token': t.body.access_token as string };
  // searchCatalogItems allows 2 a second (burst 2): each call a second apart on the sandbox's clock.
  const get = (path: string, region = 'eu') => {
    clock.advance(1000);
    return call(`${sb.urls.amazon}/${region}${path}`, { headers: h });
  };
  const put = (sku: string, body: Json) => call(`${sb.urls.amazon}/eu/listings/2021-08-01/items/${C.sellerId}/${sku}?marketplaceIds=${DE}`, { method: 'PUT', headers: h, json: body });
  return { sb, h, get, put, clock };
}

const offer = (asin: string) => ({
  merchant_suggested_asin: [{ value: asin, marketplace_id: DE }],
  condition_type: [{ value: 'new_new', marketplace_id: DE }],
  purchasable_offer: [{ marketplace_id: DE, currency: 'EUR', audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: 34.9 }] }] }],
  fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 4 }],
});

describe('Amazon emulator: new listings', () => {
  it('searchCatalogItems by EAN: the items that carry it, with identifiers, product types and summaries; refuses what the model refuses', async () => {
    const { get } = await session();
    const r = await get(`/catalog/2022-04-01/items?identifiers=4006381333993,4006381334013,4006381339990&identifiersType=EAN&marketplaceIds=${DE}&includedData=identifiers,productTypes,summaries`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('2');
    expect(r.body.numberOfResults).toBe(3);
    expect(r.body.items.map((i: Json) => i.asin).sort()).toEqual(['B0CPLATE01', 'B0CPLATE02', 'B0CVASE001']);
    const vase = r.body.items.find((i: Json) => i.asin === 'B0CVASE001');
    expect(vase.productTypes).toEqual([{ marketplaceId: DE, productType: 'VASE' }]);
    expect(vase.identifiers).toEqual([{ marketplaceId: DE, identifiers: [{ identifierType: 'EAN', identifier: '4006381333993' }] }]);
    // One marketplace per call (maxItems 1), identifiersType with identifiers, ≤ 20 identifiers.
    expect((await get(`/catalog/2022-04-01/items?identifiers=4006381333993&identifiersType=EAN&marketplaceIds=${DE},A1F83G8C2ARO7P`)).status).toBe(400);
    expect((await get(`/catalog/2022-04-01/items?identifiers=4006381333993&marketplaceIds=${DE}`)).body.errors[0].message).toMatch(/identifiersType/);
    const many = Array.from({ length: 21 }, (_, i) => String(4006381330000 + i)).join(',');
    expect((await get(`/catalog/2022-04-01/items?identifiers=${many}&identifiersType=EAN&marketplaceIds=${DE}`)).status).toBe(400);
    // A UPC is not an EAN: the US tumbler is found by UPC (and by its GTIN-14), not as an EAN.
    const q = (type: string, id: string) => get(`/catalog/2022-04-01/items?identifiers=${id}&identifiersType=${type}&marketplaceIds=${US}&includedData=productTypes`, 'na');
    expect((await q('UPC', '850012345678')).body.items.map((i: Json) => i.asin)).toEqual(['B0CTUMBL01']);
    expect((await q('GTIN', '00850012345678')).body.items.map((i: Json) => i.asin)).toEqual(['B0CTUMBL01']);
    expect((await q('EAN', '850012345678')).body.numberOfResults).toBe(0);
    // The EU endpoint does not serve amazon.com.
    expect((await get(`/catalog/2022-04-01/items?identifiers=850012345678&identifiersType=UPC&marketplaceIds=${US}`)).status).toBe(403);
  });

  it('getDefinitionsProductType: the model\'s shape, the JSON Schema at its link (no token), required attributes per requirements set', async () => {
    const { get, sb, h } = await session();
    const d = await get(`/definitions/2020-09-01/productTypes/CANDLE?marketplaceIds=${DE}&requirements=LISTING`);
    expect(d.status).toBe(200);
    expect(DEFS.errors('ProductTypeDefinition', d.body)).toEqual([]);
    expect(d.body).toMatchObject({ productType: 'CANDLE', requirements: 'LISTING', requirementsEnforced: 'ENFORCED', locale: 'de_DE', marketplaceIds: [DE] });
    const link = d.body.schema.link.resource as string;
    const withToken = await call(link, { headers: h });
    expect(withToken.status).toBe(400); // a presigned URL takes no other authentication
    const schema = await call(link);
    expect(schema.status).toBe(200);
    expect(schema.body.required).toEqual(expect.arrayContaining(['item_name', 'brand', 'externally_assigned_product_identifier', 'scent', 'burn_time']));
    const offerOnly = await get(`/definitions/2020-09-01/productTypes/PRODUCT?marketplaceIds=${DE}&requirements=LISTING_OFFER_ONLY`);
    expect((await call(offerOnly.body.schema.link.resource)).body.required).toEqual(['merchant_suggested_asin', 'condition_type']);
    expect((await get(`/definitions/2020-09-01/productTypes/PRODUCT?marketplaceIds=${DE}&requirements=LISTING`)).status).toBe(400);
    expect((await get(`/definitions/2020-09-01/productTypes/SPACESHIP?marketplaceIds=${DE}`)).status).toBe(404);
    expect((await get(`/definitions/2020-09-01/productTypes/CANDLE`)).status).toBe(400);
    void sb;
  });

  it('putListingsItem: a full listing missing required attributes is INVALID with one 90220 per attribute, nothing created; bad values 4000001', async () => {
    const { put, sb } = await session();
    const r = await put('NEW-CANDLE', { productType: 'CANDLE', requirements: 'LISTING', attributes: { item_name: [{ value: 'Candle', language_tag: 'de_DE', marketplace_id: DE }], condition_type: [{ value: 'new_new', marketplace_id: DE }] } });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('INVALID');
    const missing = r.body.issues.filter((i: Json) => i.code === '90220').map((i: Json) => i.attributeNames[0]).sort();
    expect(missing).toEqual(['brand', 'bullet_point', 'burn_time', 'color', 'country_of_origin', 'externally_assigned_product_identifier', 'item_weight', 'product_description', 'recommended_browse_nodes', 'scent']);
    const bad = await put('NEW-CANDLE', { productType: 'CANDLE', attributes: { item_name: [{ value: 'Candle', marketplace_id: DE }] } });
    expect(bad.body.issues.some((i: Json) => i.code === '4000001' && i.attributeNames[0] === 'item_name')).toBe(true); // no language_tag
    const sellers: Json = (sb.state() as Json).apis.amazon.sellers;
    expect((Object.values(sellers)[0] as Json).listings['NEW-CANDLE']).toBeUndefined();
  });

  it('an offer (LISTING_OFFER_ONLY) needs an ASIN of the marketplace\'s catalogue and its product type (or PRODUCT); the listing takes that ASIN', async () => {
    const { put, get } = await session();
    const unknown = await put('VASE-1', { productType: 'PRODUCT', requirements: 'LISTING_OFFER_ONLY', attributes: offer('B0NOTHERE1') });
    expect(unknown.body.status).toBe('INVALID');
    expect(unknown.body.issues[0].attributeNames).toEqual(['merchant_suggested_asin']);
    const wrongType = await put('VASE-1', { productType: 'CANDLE', requirements: 'LISTING_OFFER_ONLY', attributes: offer('B0CVASE001') });
    expect(wrongType.body.issues[0].code).toBe('8101');
    // The same attributes without the offer-only requirements are a full listing, which they are not.
    const asFull = await put('VASE-1', { productType: 'VASE', attributes: offer('B0CVASE001') });
    expect(asFull.body.status).toBe('INVALID');
    expect(asFull.body.issues.some((i: Json) => i.code === '90220' && i.attributeNames[0] === 'item_name')).toBe(true);
    const ok = await put('VASE-1', { productType: 'VASE', requirements: 'LISTING_OFFER_ONLY', attributes: offer('B0CVASE001') });
    expect(ok.body.status).toBe('ACCEPTED');
    const l = await get(`/listings/2021-08-01/items/${C.sellerId}/VASE-1?marketplaceIds=${DE}&includedData=summaries,issues`);
    expect(l.body.summaries[0]).toMatchObject({ asin: 'B0CVASE001', productType: 'VASE', status: ['BUYABLE', 'DISCOVERABLE'] });
  });
});
