// Amazon's order-fulfillment feed (issue #21): many shipment confirmations as one
// POST_ORDER_FULFILLMENT_DATA feed instead of one confirmShipment call each. XML, in the amzn-envelope:
//   AmazonEnvelope > Header{DocumentVersion, MerchantIdentifier} > MessageType=OrderFulfillment >
//   Message* { MessageID, OrderFulfillment { AmazonOrderID, MerchantFulfillmentID?, FulfillmentDate,
//   FulfillmentData { CarrierCode | CarrierName, ShippingMethod?, ShipperTrackingNumber }, Item* {
//   AmazonOrderItemCode, Quantity } } }
// (element names and order after Amazon's OrderFulfillment.xsd / amzn-envelope.xsd; see docs/sandbox.md
// for the sources and what is inferred). MessageID is our confirmation id, so the processing report's
// per-message results map back to confirmations without any stored mapping.
// The processing report (XML): ProcessingReport { DocumentTransactionID, StatusCode, ProcessingSummary,
// Result* { MessageID, ResultCode (Error|Warning), ResultMessageCode, ResultDescription } }.

import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { marketplaceCarrier } from '../../../core/carrier-codes.js';
import type { ConfirmationFeedOutcome, ShipmentConfirmationIn } from '../../../ports/marketplace.js';
import { shipTime } from '../fulfilment.js';

export const FULFILMENT_FEED_TYPE = 'POST_ORDER_FULFILLMENT_DATA';
export const FULFILMENT_FEED_CONTENT_TYPE = 'text/xml; charset=UTF-8';
/** Above this many pending Amazon parcels in one region, they go as one feed (config amazon.confirmFeedThreshold). */
export const AMAZON_CONFIRM_FEED_THRESHOLD = 10;

/** The feed document: one OrderFulfillment message per parcel, MessageID = the parcel's key. */
export function fulfilmentFeedXml(sellerId: string, cs: readonly ShipmentConfirmationIn[]): string {
  const messages = cs.map((c) => {
    if (!/^[1-9]\d*$/.test(c.key)) throw new Error(`confirmation key ${c.key} is not a positive integer (MessageID)`);
    const carrier = marketplaceCarrier('amazon', c.carrier);
    // FulfillmentData holds CarrierCode or CarrierName: a carrier Amazon has no code for goes by name.
    const carrierEl = carrier.code === 'Other' ? { CarrierName: carrier.name ?? c.carrier } : { CarrierCode: carrier.code };
    return {
      MessageID: c.key,
      OrderFulfillment: {
        AmazonOrderID: c.externalOrderId,
        MerchantFulfillmentID: c.key,
        FulfillmentDate: shipTime(c.shipDate),
        FulfillmentData: { ...carrierEl, ...(c.service ? { ShippingMethod: c.service } : {}), ShipperTrackingNumber: c.tracking },
        Item: c.lines.map((l) => ({ AmazonOrderItemCode: l.externalLineId, Quantity: l.quantity })),
      },
    };
  });
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    AmazonEnvelope: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:noNamespaceSchemaLocation': 'amzn-envelope.xsd',
      Header: { DocumentVersion: '1.01', MerchantIdentifier: sellerId },
      MessageType: 'OrderFulfillment',
      Message: messages,
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(doc) as string;
}

type Obj = Record<string, unknown>;
const asArr = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'object' ? String((v as Obj)['#text'] ?? '') : String(v));

/**
 * The processing report mapped to the keys sent: a message with an Error result failed with Amazon's
 * description; one without an error was applied. A result with MessageID 0 (or none) concerns the whole
 * document (not parsed, wrong seller): then nothing was applied and every message carries that error.
 */
export function fulfilmentReportOutcomes(xml: string, keys: readonly string[]): ConfirmationFeedOutcome[] {
  const parsed = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'Result' || name === 'Message' }).parse(xml) as Obj;
  const env = (parsed.AmazonEnvelope ?? {}) as Obj;
  const report = ((asArr(env.Message)[0] as Obj | undefined)?.ProcessingReport ?? {}) as Obj;
  if (!Object.keys(report).length) throw new Error('the processing report of the order-fulfillment feed has no ProcessingReport');
  const errors = asArr(report.Result)
    .map((r) => r as Obj)
    .filter((r) => text(r.ResultCode) === 'Error');
  const whole = errors.find((r) => !text(r.MessageID) || text(r.MessageID) === '0');
  return keys.map((key) => {
    const e = errors.find((r) => text(r.MessageID) === key) ?? whole;
    if (!e) return { key, ok: true };
    return { key, ok: false, code: text(e.ResultMessageCode) ?? 'FEED_ERROR', message: text(e.ResultDescription) ?? 'rejected by the order-fulfillment feed' };
  });
}
