// Orders API 2026-01-01 order → the normalised order (PRODUCT.md §4): money from the proceeds
// breakdowns, the channel from salesChannel.marketplaceId, who fulfils it from fulfillment.fulfilledBy
// (AMAZON = FBA: Amazon ships from its own stock, so the seller's stock never moves).

import type { NormalizedOrder } from '../../../ports/marketplace.js';
import { channelDef } from '../../../core/channels.js';
import { asArray, asRecord, minorFromWire, str, upperCountry } from '../common.js';
import { channelOfMarketplace } from './regions.js';

/** The channel of an order's marketplace ('amazon' alone when the order names none). */
export function amazonChannelOf(marketplaceId: string | undefined): string {
  return channelOfMarketplace(marketplaceId) ?? 'amazon';
}

function amazonStatus(s: string | undefined): string {
  switch (s) {
    case 'SHIPPED':
      return 'shipped';
    case 'PARTIALLY_SHIPPED':
      return 'partially_shipped';
    case 'CANCELLED':
      return 'cancelled';
    case 'PENDING':
    case 'PENDING_AVAILABILITY':
      return 'pending';
    case 'UNFULFILLABLE':
      return 'unfulfillable';
    default:
      return 'unshipped';
  }
}

export function normaliseAmazonOrder(o: Record<string, unknown>): NormalizedOrder {
  const sc = asRecord(o.salesChannel);
  const channel = amazonChannelOf(str(sc.marketplaceId));
  const fulfilment = asRecord(o.fulfillment);
  const proceeds = asRecord(o.proceeds);
  const grand = asRecord(proceeds.grandTotal);
  const items = asArray(o.orderItems).map(asRecord);
  const firstPrice = asRecord(asRecord(asRecord(asRecord(items[0]?.product).price).unitPrice));
  const cur = str(grand.currencyCode) ?? str(firstPrice.currencyCode) ?? channelDef(channel)?.currency ?? 'USD';
  const amt = (m: unknown) => minorFromWire(asRecord(m).amount, cur);
  let shipping = 0n;
  let tax = 0n;
  let shippingTax = 0n;
  let discount = 0n;
  const lines = items.map((it) => {
    const product = asRecord(it.product);
    const qty = Number(it.quantityOrdered ?? 1) || 1;
    let lineTax = 0n;
    let lineDiscount = 0n;
    for (const b of asArray(asRecord(it.proceeds).breakdowns).map(asRecord)) {
      const v = amt(b.subtotal);
      const type = str(b.type);
      if (type === 'SHIPPING') shipping += v;
      else if (type === 'TAX') {
        const details = asArray(b.detailedBreakdowns).map(asRecord);
        const shipT = details.filter((d) => str(d.subtype) === 'SHIPPING').reduce((s, d) => s + amt(d.value), 0n);
        shippingTax += shipT;
        lineTax += v - shipT;
      } else if (type === 'DISCOUNT') lineDiscount += v < 0n ? -v : v;
    }
    tax += lineTax;
    discount += lineDiscount;
    return {
      externalLineId: str(it.orderItemId) ?? str(product.sellerSku) ?? '',
      sku: str(product.sellerSku) ?? null,
      title: str(product.title) ?? null,
      quantity: qty,
      unitPriceMinor: amt(asRecord(asRecord(product.price).unitPrice)),
      discountMinor: lineDiscount,
      taxMinor: lineTax,
    };
  });
  // Order-level breakdowns carry what the items do not (shipping, tax, discounts of the whole order).
  let orderShipping = 0n;
  let orderTax = 0n;
  let orderDiscount = 0n;
  for (const b of asArray(proceeds.breakdowns).map(asRecord)) {
    const v = amt(b.subtotal);
    const type = str(b.type);
    if (type === 'SHIPPING') orderShipping += v;
    else if (type === 'TAX') orderTax += v;
    else if (type === 'DISCOUNT') orderDiscount += v < 0n ? -v : v;
  }
  if (shipping === 0n) shipping = orderShipping;
  if (tax === 0n && shippingTax === 0n) tax = orderTax;
  if (discount === 0n) discount = orderDiscount;
  const addr = asRecord(asRecord(o.recipient).deliveryAddress);
  const buyer = asRecord(o.buyer);
  return {
    marketplace: 'amazon',
    channel,
    externalId: str(o.orderId) ?? '',
    status: amazonStatus(str(fulfilment.fulfillmentStatus)),
    orderedAt: str(o.createdTime) ?? '',
    remoteUpdatedAt: str(o.lastUpdatedTime) ?? null,
    paidAt: null,
    currency: cur,
    buyerName: str(buyer.buyerName) ?? str(addr.name) ?? null,
    buyerEmail: str(buyer.buyerEmail) ?? null,
    shipTo: Object.keys(addr).length ? addr : null,
    shipCountry: upperCountry(addr.countryCode),
    shippingMinor: shipping,
    shippingTaxMinor: shippingTax,
    discountMinor: discount,
    taxMinor: tax + shippingTax,
    taxKind: 'included',
    totalMinor: grand.amount !== undefined ? amt(grand) : null,
    lines,
    fees: [],
    refunds: [],
    ...(str(fulfilment.fulfilledBy) === 'AMAZON' ? { fulfilledBy: 'marketplace' as const } : str(fulfilment.fulfilledBy) === 'MERCHANT' ? { fulfilledBy: 'merchant' as const } : {}),
    raw: o,
  };
}
