// The order-fulfillment feed document and its processing report (src/adapters/marketplaces/amazon/fulfilment-feed.ts):
// element names and order of the amzn-envelope / OrderFulfillment XSDs, CarrierName for a carrier Amazon has no
// code for, XML escaping, and the report mapped per MessageID (a document-level error fails every message).
import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { fulfilmentFeedXml, fulfilmentReportOutcomes } from '../../src/adapters/marketplaces/amazon/fulfilment-feed.js';

const parcel = (key: string, carrier: string, service: string | null) => ({ key, channel: 'amazon-de', externalOrderId: `302-${key}`, carrier, service, tracking: `T${key}`, shipDate: '2026-11-25', lines: [{ externalLineId: '6001', sku: 'A', quantity: 2 }, { externalLineId: '6002', sku: 'B', quantity: 1 }], notifyCustomer: false });

describe('order-fulfillment feed XML', () => {
  it('one OrderFulfillment per parcel, in XSD order, CarrierName for an unknown carrier, text escaped', () => {
    const xml = fulfilmentFeedXml('A2SELLER', [parcel('7', 'DHL', 'Paket & Co <1>'), parcel('8', 'Bring Parcels', null)]);
    expect(xml).toContain('<MessageType>OrderFulfillment</MessageType>');
    expect(xml).toContain('Paket &amp; Co &lt;1&gt;');
    const env = new XMLParser({ parseTagValue: false, isArray: (n) => n === 'Message' || n === 'Item' }).parse(xml).AmazonEnvelope;
    expect(env.Header).toEqual({ DocumentVersion: '1.01', MerchantIdentifier: 'A2SELLER' });
    const [a, b] = env.Message;
    expect(a.MessageID).toBe('7');
    expect(Object.keys(a.OrderFulfillment)).toEqual(['AmazonOrderID', 'MerchantFulfillmentID', 'FulfillmentDate', 'FulfillmentData', 'Item']);
    expect(Object.keys(a.OrderFulfillment.FulfillmentData)).toEqual(['CarrierCode', 'ShippingMethod', 'ShipperTrackingNumber']);
    expect(a.OrderFulfillment.FulfillmentDate).toBe('2026-11-25T12:00:00Z');
    expect(a.OrderFulfillment.Item).toEqual([{ AmazonOrderItemCode: '6001', Quantity: '2' }, { AmazonOrderItemCode: '6002', Quantity: '1' }]);
    expect(b.OrderFulfillment.FulfillmentData).toEqual({ CarrierName: 'Bring Parcels', ShipperTrackingNumber: 'T8' });
  });

  it('a key that is not a positive integer cannot be a MessageID', () => {
    expect(() => fulfilmentFeedXml('S', [parcel('x1', 'DHL', null)])).toThrow(/MessageID/);
  });

  it('the processing report: errors per MessageID, warnings ignored, a MessageID 0 error fails every message', () => {
    const report = (results: string) => `<?xml version="1.0"?><AmazonEnvelope><Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>S</MerchantIdentifier></Header><MessageType>ProcessingReport</MessageType><Message><MessageID>1</MessageID><ProcessingReport><DocumentTransactionID>5</DocumentTransactionID><StatusCode>Complete</StatusCode><ProcessingSummary><MessagesProcessed>3</MessagesProcessed></ProcessingSummary>${results}</ProcessingReport></Message></AmazonEnvelope>`;
    const r = fulfilmentReportOutcomes(report('<Result><MessageID>8</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>18028</ResultMessageCode><ResultDescription>bad qty</ResultDescription></Result><Result><MessageID>9</MessageID><ResultCode>Warning</ResultCode><ResultMessageCode>1</ResultMessageCode><ResultDescription>w</ResultDescription></Result>'), ['7', '8', '9']);
    expect(r).toEqual([{ key: '7', ok: true }, { key: '8', ok: false, code: '18028', message: 'bad qty' }, { key: '9', ok: true }]);
    const all = fulfilmentReportOutcomes(report('<Result><MessageID>0</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>5000</ResultMessageCode><ResultDescription>XML Parsing Fatal Error</ResultDescription></Result>'), ['7', '8']);
    expect(all.every((o) => !o.ok && o.message === 'XML Parsing Fatal Error')).toBe(true);
    expect(() => fulfilmentReportOutcomes('<AmazonEnvelope/>', ['7'])).toThrow(/ProcessingReport/);
  });
});
