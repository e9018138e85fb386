// Order normalisation from each marketplace's wire shape into the shared orders columns.
import { describe, it, expect } from 'vitest';
import { normaliseAmazonOrder } from '../../src/adapters/marketplaces/amazon/index.js';
import { normaliseEbayOrder } from '../../src/adapters/marketplaces/ebay/index.js';
import { normaliseShopifyOrder } from '../../src/adapters/marketplaces/shopify/index.js';
import { jsonWithDecimals, RawDecimal } from '../../src/adapters/marketplaces/common.js';

describe('order normalisation', () => {
  it('Amazon 2026-01-01: items, order-level shipping, tax breakdown, channel from marketplaceId', () => {
    const o = normaliseAmazonOrder({
      orderId: '302-1', createdTime: '2026-11-12T17:40:00Z', lastUpdatedTime: '2026-11-12T17:45:00Z',
      salesChannel: { marketplaceId: 'A1PA6795UKMFR9' },
      fulfillment: { fulfillmentStatus: 'UNSHIPPED' },
      recipient: { deliveryAddress: { name: 'A', countryCode: 'de' } },
      proceeds: { grandTotal: { amount: '61.90', currencyCode: 'EUR' }, breakdowns: [{ type: 'ITEM', subtotal: { amount: '57.00', currencyCode: 'EUR' } }, { type: 'SHIPPING', subtotal: { amount: '4.90', currencyCode: 'EUR' } }] },
      orderItems: [
        { orderItemId: '1', quantityOrdered: 2, product: { sellerSku: 'TEA', price: { unitPrice: { amount: '12.50', currencyCode: 'EUR' } } }, proceeds: { breakdowns: [{ type: 'TAX', subtotal: { amount: '3.99', currencyCode: 'EUR' } }] } },
      ],
    });
    expect(o).toMatchObject({ channel: 'amazon-de', status: 'unshipped', currency: 'EUR', shipCountry: 'DE', shippingMinor: 490n, taxMinor: 399n, totalMinor: 6190n });
    expect(o.lines[0]).toMatchObject({ sku: 'TEA', quantity: 2, unitPriceMinor: 1250n, taxMinor: 399n });
  });

  it('eBay: unit price from lineItemCost ÷ quantity, fee, refunds, purchase marketplace', () => {
    const o = normaliseEbayOrder({
      orderId: '12-1', creationDate: '2026-11-21T07:30:00Z', lastModifiedDate: '2026-11-21T07:30:00Z', orderFulfillmentStatus: 'FULFILLED', orderPaymentStatus: 'PAID',
      pricingSummary: { total: { value: '47.48', currency: 'GBP' }, deliveryCost: { value: '9.50', currency: 'GBP' }, tax: { value: '0.00', currency: 'GBP' } },
      totalMarketplaceFee: { value: '5.10', currency: 'GBP' },
      paymentSummary: { refunds: [{ refundId: 'R1', refundDate: '2026-11-25T00:00:00Z', amount: { value: '18.99', currency: 'GBP' } }] },
      fulfillmentStartInstructions: [{ shippingStep: { shipTo: { fullName: 'S', contactAddress: { countryCode: 'FR' } } } }],
      lineItems: [{ lineItemId: 'L1', sku: 'CANDLE', quantity: 2, lineItemCost: { value: '37.98', currency: 'GBP' }, purchaseMarketplaceId: 'EBAY_GB' }],
    });
    expect(o).toMatchObject({ channel: 'ebay-uk', status: 'shipped', shipCountry: 'FR', shippingMinor: 950n, totalMinor: 4748n });
    expect(o.lines[0]).toMatchObject({ unitPriceMinor: 1899n, quantity: 2 });
    expect(o.fees).toEqual([{ externalId: 'marketplace-fee', kind: 'marketplace', amountMinor: 510n, currency: 'GBP' }]);
    expect(o.refunds[0]).toMatchObject({ externalId: 'R1', amountMinor: 1899n });
  });

  it('Shopify: shop money, statuses, gid stripped; a JPY order keeps zero decimals', () => {
    const m = (amount: string, c = 'JPY') => ({ shopMoney: { amount, currencyCode: c } });
    const o = normaliseShopifyOrder(
      { id: 'gid://shopify/Order/77', createdAt: '2026-11-03T15:00:00Z', updatedAt: '2026-11-04T11:00:00Z', displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'FULFILLED', currencyCode: 'JPY', totalPriceSet: m('5400'), totalShippingPriceSet: m('400'), totalTaxSet: m('491'), shippingAddress: { countryCodeV2: 'JP' }, lineItems: { nodes: [{ id: 'gid://shopify/LineItem/1', sku: 'MUG', quantity: 2, originalUnitPriceSet: m('2500') }] } },
      'JPY',
    );
    expect(o).toMatchObject({ externalId: '77', status: 'shipped', totalMinor: 5400n, shippingMinor: 400n, taxMinor: 491n, shipCountry: 'JP' });
    expect(o.lines[0]!.unitPriceMinor).toBe(2500n);
  });
});

describe('exact decimals on the wire', () => {
  it('writes amounts digit for digit as JSON numbers', () => {
    expect(jsonWithDecimals({ a: new RawDecimal('17.90'), b: [new RawDecimal('0.10')], n: 5n, s: 'x' })).toBe('{"a":17.90,"b":[0.10],"n":5,"s":"x"}');
  });
});

describe('refund tax split (orders schema 0050)', () => {
  it('keeps the tax in a refund apart, at the order tax ratio, rounded once', async () => {
    const { splitRefundTax } = await import('../../src/services/orders/pull.js');
    // VAT-inclusive order: 119.00 total with 19.00 VAT; a full refund carries all the VAT, amount stays as listed.
    expect(splitRefundTax({ taxMinor: 1900n, totalMinor: 11900n, taxKind: 'included', currency: 'EUR' }, 11900n, 'EUR')).toEqual({ amountMinor: 11900n, taxMinor: 1900n });
    // A partial refund of 10.00: 10.00 × 19/119 = 1.5966… → 1.60.
    expect(splitRefundTax({ taxMinor: 1900n, totalMinor: 11900n, taxKind: 'included', currency: 'EUR' }, 1000n, 'EUR')).toEqual({ amountMinor: 1000n, taxMinor: 160n });
    // Tax added on top (US): the amount excludes its tax.
    expect(splitRefundTax({ taxMinor: 800n, totalMinor: 10800n, taxKind: 'added', currency: 'USD' }, 10800n, 'USD')).toEqual({ amountMinor: 10000n, taxMinor: 800n });
    // Another currency or no tax: nothing to split.
    expect(splitRefundTax({ taxMinor: 800n, totalMinor: 10800n, taxKind: 'added', currency: 'USD' }, 500n, 'EUR')).toEqual({ amountMinor: 500n, taxMinor: 0n });
    expect(splitRefundTax({ taxMinor: 0n, totalMinor: 10800n, taxKind: 'included', currency: 'USD' }, 500n, 'USD')).toEqual({ amountMinor: 500n, taxMinor: 0n });
  });
});
