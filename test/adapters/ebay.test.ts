// eBay pieces without a server: each storefront's eBay SKU, the storefront of an order and of its
// lines, and the Active Inventory Report file as eBay ships it.
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { conventionalEbaySku, ebaySkuProblem, localSkuCandidates, remoteSkuOf } from '../../src/core/remote-sku.js';
import { ebayChannelOf, normaliseEbayOrder, parseActiveInventoryReport, EBAY_SCOPES } from '../../src/adapters/marketplaces/ebay/index.js';

describe('eBay SKU per storefront', () => {
  it('the home storefront keeps the SKU, the others get -<SITE>; a stored mapping wins', () => {
    expect(conventionalEbaySku('MUG-BLU-S', 'ebay-uk', 'ebay-uk')).toBe('MUG-BLU-S');
    expect(conventionalEbaySku('MUG-BLU-S', 'ebay-de', 'ebay-uk')).toBe('MUG-BLU-S-DE');
    expect(conventionalEbaySku('MUG-BLU-S', 'ebay-uk', 'ebay-de')).toBe('MUG-BLU-S-UK');
    expect(conventionalEbaySku('MUG-BLU-S', 'ebay-de', undefined)).toBe('MUG-BLU-S');
    expect(remoteSkuOf({ sku: 'MUG-BLU-S', channel: 'ebay-de', remoteSku: 'MUGBLU_DE' }, 'ebay-uk')).toBe('MUGBLU_DE');
    expect(remoteSkuOf({ sku: 'MUG-BLU-S', channel: 'amazon-de' }, 'ebay-uk')).toBe('MUG-BLU-S');
  });

  it('reads an eBay SKU back: itself first, then without the storefront suffix (never on the home one)', () => {
    expect(localSkuCandidates('MUG-BLU-S-DE', 'ebay-de', 'ebay-uk')).toEqual(['MUG-BLU-S-DE', 'MUG-BLU-S']);
    expect(localSkuCandidates('MUG-BLU-S-DE', 'ebay-de', 'ebay-de')).toEqual(['MUG-BLU-S-DE']);
    expect(localSkuCandidates('MUG-BLU-S-DE', 'ebay-us', 'ebay-uk')).toEqual(['MUG-BLU-S-DE']);
    expect(localSkuCandidates('-DE', 'ebay-de', 'ebay-uk')).toEqual(['-DE']);
    expect(localSkuCandidates('TEA', 'shopify', undefined)).toEqual(['TEA']);
  });

  it("names eBay's 50-character limit", () => {
    expect(ebaySkuProblem('A'.repeat(50))).toBeUndefined();
    expect(ebaySkuProblem(`${'A'.repeat(47)}-DE`)).toBeUndefined();
    expect(ebaySkuProblem(`${'A'.repeat(48)}-DE`)).toMatch(/at most 50 characters/);
  });

  it('asks only for the scopes merchant uses', () => {
    expect(EBAY_SCOPES.map((s) => s.split('/').pop()).sort()).toEqual(['sell.fulfillment', 'sell.inventory']);
  });
});

const amount = (value: string, currency = 'GBP') => ({ value, currency });
const line = (id: string, sku: string, cost: string, listing: string | undefined, purchase: string, currency = 'GBP') => ({
  lineItemId: id,
  sku,
  quantity: 1,
  lineItemCost: amount(cost, currency),
  ...(listing ? { listingMarketplaceId: listing } : {}),
  purchaseMarketplaceId: purchase,
});
const order = (lines: unknown[], currency = 'GBP') => ({ orderId: '12-9', creationDate: '2026-11-21T07:30:00.000Z', lastModifiedDate: '2026-11-21T07:30:00.000Z', pricingSummary: { total: amount('1.00', currency) }, lineItems: lines });

describe('the storefront of an eBay order', () => {
  it("is the listing's site, not the buyer's: bought on ebay.fr from the ebay.co.uk listing is an ebay-uk sale", () => {
    const o = normaliseEbayOrder(order([line('L1', 'CANDLE', '37.98', 'EBAY_GB', 'EBAY_FR')]));
    expect(o.channel).toBe('ebay-uk');
    expect(o.lines[0]).toMatchObject({ sku: 'CANDLE', channel: 'ebay-uk' });
  });

  it('a mixed order goes to the site with the larger line total; each line keeps its own listing site', () => {
    const o = normaliseEbayOrder(order([line('L1', 'TEA', '12.00', 'EBAY_GB', 'EBAY_DE', 'EUR'), line('L2', 'MUG-BLU-S-DE', '33.00', 'EBAY_DE', 'EBAY_DE', 'EUR')], 'EUR'));
    expect(o.channel).toBe('ebay-de');
    expect(o.lines.map((l) => [l.sku, l.channel])).toEqual([['TEA', 'ebay-uk'], ['MUG-BLU-S-DE', 'ebay-de']]);
    // A tie goes to the first line's site.
    expect(normaliseEbayOrder(order([line('L1', 'A', '10.00', 'EBAY_US', 'EBAY_US'), line('L2', 'B', '10.00', 'EBAY_GB', 'EBAY_GB')])).channel).toBe('ebay-us');
  });

  it('a site merchant has no channel for keeps its own code; without any site, the currency decides', () => {
    expect(ebayChannelOf('EBAY_FR')).toBe('ebay-fr');
    expect(ebayChannelOf('EBAY_MOTORS_US')).toBeUndefined();
    expect(normaliseEbayOrder(order([line('L1', 'A', '10.00', 'EBAY_FR', 'EBAY_FR', 'EUR')], 'EUR')).channel).toBe('ebay-fr');
    expect(normaliseEbayOrder(order([{ lineItemId: 'L1', sku: 'A', quantity: 1, lineItemCost: amount('5.00', 'AUD') }], 'AUD')).channel).toBe('ebay-au');
    // Before: only purchaseMarketplaceId, which still works when it is all there is.
    expect(normaliseEbayOrder(order([line('L1', 'A', '10.00', undefined, 'EBAY_DE', 'EUR')], 'EUR')).channel).toBe('ebay-de');
  });
});

const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<BulkDataExchangeResponses xmlns="urn:ebay:apis:eBLBaseComponents"><ActiveInventoryReport><Timestamp>2026-11-25T06:00:00.000Z</Timestamp><Ack>Success</Ack>
<SKUDetails><SKU>MUG &amp; CO</SKU><Price currencyID="EUR">16.50</Price><Quantity>6</Quantity><ItemID>120500000001</ItemID></SKUDetails>
<SKUDetails><ItemID>120500000004</ItemID><Variations><Variation><SKU>A-DE</SKU><Price currencyID="EUR">1.00</Price><Quantity>1</Quantity></Variation><Variation><Price currencyID="EUR">1.00</Price><Quantity>1</Quantity></Variation></Variations></SKUDetails>
<SKUDetails><Price currencyID="EUR">2.00</Price><Quantity>1</Quantity><ItemID>120500000005</ItemID></SKUDetails>
</ActiveInventoryReport></BulkDataExchangeResponses>`;

describe('the Active Inventory Report file', () => {
  const expected = [
    { listingId: '120500000001', marketplaceId: 'EBAY_DE', skus: ['MUG & CO'], variations: false },
    { listingId: '120500000004', marketplaceId: 'EBAY_DE', skus: ['A-DE', null], variations: true },
    { listingId: '120500000005', marketplaceId: 'EBAY_DE', skus: [null], variations: false },
  ];
  it('reads the ZIP eBay ships, a gzip, or the bare XML; with or without the BulkDataExchange wrapper', () => {
    expect(parseActiveInventoryReport(Buffer.from(zipSync({ 'task-1-report.xml': strToU8(REPORT) })), 'EBAY_DE')).toEqual(expected);
    expect(parseActiveInventoryReport(gzipSync(Buffer.from(REPORT)), 'EBAY_DE')).toEqual(expected);
    const bare = REPORT.replace(/<\/?BulkDataExchangeResponses[^>]*>/g, '');
    expect(parseActiveInventoryReport(Buffer.from(bare), 'EBAY_DE')).toEqual(expected);
    expect(parseActiveInventoryReport(Buffer.from('<ActiveInventoryReport><Ack>Success</Ack></ActiveInventoryReport>'), 'EBAY_DE')).toEqual([]);
  });

  it('a ZIP without an XML file is a clear error', () => {
    expect(() => parseActiveInventoryReport(Buffer.from(zipSync({ 'readme.txt': strToU8('x') })), 'EBAY_DE')).toThrow(/holds no XML file/);
  });
});
