// The eBay emulator's new-listing rules (src/sandbox/ebay-publish.ts): Taxonomy with an application
// token, category and required item specifics at publish, inventory item groups and their publish. Each
// rule is one a naive adapter breaks; the group and offer bodies are checked against eBay's contract.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { call, harness, type Json } from './helpers.js';
import { loadSpec, SHARED_SPECS, SpecChecker } from './spec-check.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';

const C = SANDBOX_CREDENTIALS.ebay;
const invSpec = loadSpec(join(SHARED_SPECS, 'ebay/sell_inventory_v1_oas3.json'));
const INV = invSpec ? new SpecChecker(invSpec, 'inv', '#/components/schemas/') : undefined;
const basic = `Basic ${Buffer.from(`${C.clientId}:${C.clientSecret}`).toString('base64')}`;

async function grant(url: string, form: Record<string, string>): Promise<string> {
  const r = await call(`${url}/identity/v1/oauth2/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  expect(r.status, r.text).toBe(200);
  return r.body.access_token;
}
const userToken = (url: string) => grant(url, { grant_type: 'refresh_token', refresh_token: C.refreshToken, scope: 'https://api.ebay.com/oauth/api_scope/sell.inventory https://api.ebay.com/oauth/api_scope/sell.fulfillment' });
const appToken = (url: string) => grant(url, { grant_type: 'client_credentials', scope: 'https://api.ebay.com/oauth/api_scope' });

const item = (title: string, aspects: Record<string, string[]>, qty = 3) => ({ condition: 'NEW', product: { title, description: 'Stoneware.', imageUrls: ['https://img.example/a.jpg'], aspects }, availability: { shipToLocationAvailability: { quantity: qty } } });
const offer = (sku: string, categoryId: string) => ({ sku, marketplaceId: 'EBAY_GB', format: 'FIXED_PRICE', availableQuantity: 3, categoryId, listingDuration: 'GTC', pricingSummary: { price: { value: '12.50', currency: 'GBP' } }, listingPolicies: { fulfillmentPolicyId: '6200000001', paymentPolicyId: '6200000002', returnPolicyId: '6200000003' }, merchantLocationKey: 'studio' });

describe('eBay emulator: new listings', () => {
  it('Taxonomy: an application token; default tree, suggestions for a title, the aspects of a leaf category only', async () => {
    const { sb } = await harness();
    const E = sb.urls.ebay;
    const T = `${E}/commerce/taxonomy/v1`;
    const user = await userToken(E);
    const denied = await call(`${T}/get_default_category_tree_id?marketplace_id=EBAY_GB`, { headers: { authorization: `Bearer ${user}` } });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].errorId).toBe(1100);
    const H = { authorization: `Bearer ${await appToken(E)}` };
    const tree = await call(`${T}/get_default_category_tree_id?marketplace_id=EBAY_GB`, { headers: H });
    expect(tree.body).toMatchObject({ categoryTreeId: '3' });
    const sug = await call(`${T}/category_tree/3/get_category_suggestions?q=${encodeURIComponent('Stoneware vase, white')}`, { headers: H });
    expect(sug.status).toBe(200);
    expect(sug.body.categorySuggestions[0]).toMatchObject({ category: { categoryId: '10034', categoryName: 'Vases' }, categoryTreeNodeLevel: 3 });
    expect(sug.body.categorySuggestions[0].categoryTreeNodeAncestors.map((a: Json) => a.categoryName)).toEqual(['Home Décor', 'Home, Furniture & DIY']);
    expect((await call(`${T}/category_tree/3/get_category_suggestions?q=zzzz`, { headers: H })).status).toBe(204);
    const aspects = await call(`${T}/category_tree/3/get_item_aspects_for_category?category_id=20693`, { headers: H });
    const type = aspects.body.aspects.find((a: Json) => a.localizedAspectName === 'Type');
    expect(type.aspectConstraint).toMatchObject({ aspectRequired: true, aspectMode: 'SELECTION_ONLY', itemToAspectCardinality: 'SINGLE' });
    expect(type.aspectValues.map((v: Json) => v.localizedValue)).toContain('Mug');
    const notLeaf = await call(`${T}/category_tree/3/get_item_aspects_for_category?category_id=20625`, { headers: H });
    expect(notLeaf.status).toBe(400);
    expect((await call(`${T}/category_tree/999/get_item_aspects_for_category?category_id=20693`, { headers: H })).status).toBe(404);
  });

  it('publish: an unknown or non-leaf category is 25005, a missing required aspect 25029, a value outside the list 25022', async () => {
    const { sb } = await harness();
    const E = sb.urls.ebay;
    const H = { authorization: `Bearer ${await userToken(E)}`, 'content-language': 'en-GB' };
    await call(`${E}/sell/inventory/v1/inventory_item/CUP-1`, { method: 'PUT', headers: H, json: item('Cup', { Brand: ['X'], Type: ['Goblet'] }) });
    const o1 = await call(`${E}/sell/inventory/v1/offer`, { method: 'POST', headers: H, json: offer('CUP-1', '20625') });
    const p1 = await call(`${E}/sell/inventory/v1/offer/${o1.body.offerId}/publish`, { method: 'POST', headers: H });
    expect(p1.body.errors.map((e: Json) => e.errorId)).toEqual([25005]);
    await call(`${E}/sell/inventory/v1/offer/${o1.body.offerId}`, { method: 'PUT', headers: H, json: { ...offer('CUP-1', '20693'), sku: undefined, marketplaceId: undefined, format: undefined } });
    const p2 = await call(`${E}/sell/inventory/v1/offer/${o1.body.offerId}/publish`, { method: 'POST', headers: H });
    expect(p2.body.errors.map((e: Json) => e.errorId)).toEqual([25022]);
    await call(`${E}/sell/inventory/v1/inventory_item/CUP-1`, { method: 'PUT', headers: H, json: item('Cup', { Brand: ['X'] }) });
    const p3 = await call(`${E}/sell/inventory/v1/offer/${o1.body.offerId}/publish`, { method: 'POST', headers: H });
    expect(p3.body.errors).toEqual([expect.objectContaining({ errorId: 25029, message: 'Type is required for this category.' })]);
    await call(`${E}/sell/inventory/v1/inventory_item/CUP-1`, { method: 'PUT', headers: H, json: item('Cup', { Brand: ['X'], Type: ['Mug'] }) });
    expect((await call(`${E}/sell/inventory/v1/offer/${o1.body.offerId}/publish`, { method: 'POST', headers: H })).status).toBe(200);
    // An offer for a SKU without an inventory item: 25702.
    const none = await call(`${E}/sell/inventory/v1/offer`, { method: 'POST', headers: H, json: offer('NO-ITEM', '20693') });
    expect(none.body.errors[0].errorId).toBe(25702);
  });

  it('inventory item groups: unknown SKUs refused, publish needs an offer per variant and variesBy values that tell them apart; one listing id', async () => {
    const { sb } = await harness();
    const E = sb.urls.ebay;
    const H = { authorization: `Bearer ${await userToken(E)}`, 'content-language': 'en-GB' };
    const G = `${E}/sell/inventory/v1/inventory_item_group/tumbler-UK`;
    const group = { title: 'Tumbler', description: 'Stoneware tumbler.', imageUrls: ['https://img.example/t.jpg'], aspects: { Brand: ['X'], Type: ['Mug'] }, variantSKUs: ['T-GRN', 'T-BLK'], variesBy: { specifications: [{ name: 'Colour', values: ['Green', 'Black'] }] } };
    if (INV) expect(INV.unknownKeys('InventoryItemGroup', group)).toEqual([]);
    const unknown = await call(G, { method: 'PUT', headers: H, json: group });
    expect(unknown.body.errors[0].errorId).toBe(25702);
    await call(`${E}/sell/inventory/v1/inventory_item/T-GRN`, { method: 'PUT', headers: H, json: item('Tumbler', { Colour: ['Green'] }) });
    await call(`${E}/sell/inventory/v1/inventory_item/T-BLK`, { method: 'PUT', headers: H, json: item('Tumbler', { Colour: ['Green'] }) });
    expect((await call(G, { method: 'PUT', headers: H, json: group })).status).toBe(201);
    const pub = (key: string) => call(`${E}/sell/inventory/v1/offer/publish_by_inventory_item_group`, { method: 'POST', headers: H, json: { inventoryItemGroupKey: key, marketplaceId: 'EBAY_GB' } });
    expect((await pub('nope')).body.errors[0].errorId).toBe(25705);
    const noOffers = await pub('tumbler-UK');
    expect(noOffers.status).toBe(400);
    expect(noOffers.body.errors.map((e: Json) => e.message).join(' ')).toMatch(/No offer found for SKU T-GRN on EBAY_GB/);
    const a = await call(`${E}/sell/inventory/v1/offer`, { method: 'POST', headers: H, json: offer('T-GRN', '20693') });
    const b = await call(`${E}/sell/inventory/v1/offer`, { method: 'POST', headers: H, json: offer('T-BLK', '20693') });
    // A variant cannot be published alone.
    expect((await call(`${E}/sell/inventory/v1/offer/${a.body.offerId}/publish`, { method: 'POST', headers: H })).body.errors[0].errorId).toBe(25002);
    // Both variants are Green: the group's Black has no variant, and two variants are alike.
    const alike = await pub('tumbler-UK');
    expect(alike.body.errors.map((e: Json) => e.message).join(' ')).toMatch(/same Colour as another variant/);
    await call(`${E}/sell/inventory/v1/inventory_item/T-BLK`, { method: 'PUT', headers: H, json: item('Tumbler', { Colour: ['Black'] }) });
    const ok = await pub('tumbler-UK');
    expect(ok.status, ok.text).toBe(200);
    for (const id of [a.body.offerId, b.body.offerId]) {
      const o = await call(`${E}/sell/inventory/v1/offer/${id}`, { headers: H });
      expect(o.body).toMatchObject({ status: 'PUBLISHED', listing: { listingId: ok.body.listingId } });
    }
    // A SKU of this group cannot join another one.
    const other = await call(`${E}/sell/inventory/v1/inventory_item_group/other`, { method: 'PUT', headers: H, json: { ...group, variantSKUs: ['T-GRN'] } });
    expect(other.body.errors[0].errorId).toBe(25703);
  });
});
