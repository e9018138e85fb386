// What a Listings Items write says and what a listing read tells us, for one change.
//
// Writes use JSON Patch `merge` (available since June 2025: "Merge a listing",
// https://developer-docs.amazon.com/sp-api/docs/merge-a-listing; the op enum of PatchOperation in
// listingsItems_2021-08-01.json is add | replace | merge | delete). `merge` updates the one entry its
// selectors name and keeps everything else: on purchasable_offer the selectors are marketplace_id,
// currency and audience (https://developer-docs.amazon.com/sp-api/docs/manage-purchasable-offer), so a
// B2B offer, a sale price (discounted_price) and the min/max prices survive a price change; on
// fulfillment_availability the selector is fulfillment_channel_code, so handling time
// (lead_time_to_ship_max_days) and restock_date survive a quantity change. `replace` would drop all of
// that and, for an FBA listing, turn it merchant-fulfilled. An FBA (AFN) listing's quantity is
// Amazon's: it is never sent.

import type { FulfilledBy, ListingChange, ListingFacts, RemoteListing } from '../../../ports/marketplace.js';
import { asArray, asRecord, decimalOf, moneyFromWire, str } from '../common.js';

/** The merchant-fulfilled channel code; anything else (AMAZON_NA, AMAZON_EU, AMAZON_JP…) is FBA. */
export const MERCHANT_CHANNEL_CODE = 'DEFAULT';

/** JSON Patch operations for one change on one marketplace (values as exact decimals). */
export function amazonPatches(c: ListingChange, marketplaceId: string, o: { fulfilledBy?: FulfilledBy | null } = {}): Array<Record<string, unknown>> {
  const patches: Array<Record<string, unknown>> = [];
  if (c.price) {
    patches.push({
      op: 'merge',
      path: '/attributes/purchasable_offer',
      value: [{ marketplace_id: marketplaceId, currency: c.price.currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: decimalOf(c.price) }] }] }],
    });
  }
  const qty = quantityToSend(c);
  if (qty !== undefined && o.fulfilledBy !== 'marketplace') {
    patches.push({ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: MERCHANT_CHANNEL_CODE, quantity: qty }] });
  }
  return patches;
}

/** The quantity a change asks for (0 when taking the offer off sale). */
export function quantityToSend(c: ListingChange): number | undefined {
  return c.status === 'inactive' || c.status === 'removed' ? 0 : c.quantity;
}

/** Who fulfils a listing, from fulfillmentAvailability (Listings Items) or attributes.fulfillment_availability. */
export function fulfilledByOf(body: Record<string, unknown>): FulfilledBy | undefined {
  const codes = [
    ...asArray(body.fulfillmentAvailability).map((f) => str(asRecord(f).fulfillmentChannelCode)),
    ...asArray(asRecord(body.attributes).fulfillment_availability).map((f) => str(asRecord(f).fulfillment_channel_code)),
  ].filter((x): x is string => Boolean(x));
  if (!codes.length) return undefined;
  return codes.some((c) => c !== MERCHANT_CHANNEL_CODE) ? 'marketplace' : 'merchant';
}

/** Product type and fulfilment of a listing item (summaries + fulfillmentAvailability) on one marketplace. */
export function listingFacts(body: Record<string, unknown>, marketplaceId: string): ListingFacts {
  const out: ListingFacts = {};
  const summary = asArray(body.summaries).map(asRecord).find((s) => !s.marketplaceId || s.marketplaceId === marketplaceId);
  const pt = str(summary?.productType) ?? str(asArray(body.productTypes).map(asRecord).find((p) => !p.marketplaceId || p.marketplaceId === marketplaceId)?.productType);
  if (pt) out.productType = pt;
  const fb = fulfilledByOf(body);
  if (fb) out.fulfilledBy = fb;
  return out;
}

/** Price and quantity of a listing from getListingsItem (offers/fulfillmentAvailability, else attributes). */
export function amazonListingValues(body: Record<string, unknown>, marketplaceId: string, currency: string): Pick<RemoteListing, 'price' | 'quantity' | 'status'> {
  const out: Pick<RemoteListing, 'price' | 'quantity' | 'status'> = {};
  const offers = asArray(body.offers).map(asRecord).filter((o) => !o.marketplaceId || o.marketplaceId === marketplaceId);
  // The consumer offer (B2C / audience ALL), not a B2B one.
  const offer = offers.find((o) => (str(o.offerType) ?? 'B2C') === 'B2C' && (str(asRecord(o.audience).value) ?? 'ALL') === 'ALL') ?? offers.find((o) => (str(o.offerType) ?? 'B2C') === 'B2C');
  if (offer) {
    const p = asRecord(offer.price);
    out.price = moneyFromWire(p.amount, str(p.currencyCode) ?? currency);
  }
  const fa = asArray(body.fulfillmentAvailability).map(asRecord).find((f) => (str(f.fulfillmentChannelCode) ?? MERCHANT_CHANNEL_CODE) === MERCHANT_CHANNEL_CODE);
  if (fa && fa.quantity !== undefined) out.quantity = Number(fa.quantity);
  const attrs = asRecord(body.attributes);
  if (!out.price) {
    const po = asArray(attrs.purchasable_offer)
      .map(asRecord)
      .find((o) => (!o.marketplace_id || o.marketplace_id === marketplaceId) && (str(o.audience) ?? 'ALL') === 'ALL');
    const v = asRecord(asArray(asRecord(asArray(po?.our_price)[0]).schedule)[0]).value_with_tax;
    if (po && v !== undefined) out.price = moneyFromWire(v, str(po.currency) ?? currency);
  }
  if (out.quantity === undefined) {
    const f = asArray(attrs.fulfillment_availability).map(asRecord).find((x) => (str(x.fulfillment_channel_code) ?? MERCHANT_CHANNEL_CODE) === MERCHANT_CHANNEL_CODE);
    if (f && f.quantity !== undefined) out.quantity = Number(f.quantity);
  }
  return out;
}
