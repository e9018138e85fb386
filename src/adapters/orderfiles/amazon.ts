// Amazon order reports (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_*: the "All Orders" flat file, tab
// separated, one row per order item) and the V2 settlement flat file (fees and dated refunds).
// item-price is the line total (price × quantity); shipping and gift wrap are per item row.

import { AMAZON_SHIP_TO, shipToFromRow } from './address.js';
import { divRound } from '../../core/money.js';
import { channelDef } from '../../core/channels.js';
import { isKnownCurrency } from '../../core/currencies.js';
import type { Attachment, ParsedOrder } from './types.js';
import type { Row } from './row.js';
import { parseTimestamp } from './parse.js';

const SALES_CHANNELS: Record<string, string> = {
  'amazon.com': 'amazon-us', 'amazon.ca': 'amazon-ca', 'amazon.co.uk': 'amazon-uk', 'amazon.de': 'amazon-de',
  'amazon.fr': 'amazon-fr', 'amazon.it': 'amazon-it', 'amazon.es': 'amazon-es', 'amazon.nl': 'amazon-nl',
  'amazon.se': 'amazon-se', 'amazon.co.jp': 'amazon-jp', 'amazon.com.au': 'amazon-au',
};

export function amazonChannel(salesChannel: string): string | undefined {
  return SALES_CHANNELS[salesChannel.trim().toLowerCase()];
}

const TAX_KIND: Record<string, string> = { US: 'marketplace_facilitator', CA: 'marketplace_facilitator', JP: 'JCT', AU: 'GST' };

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

export class AmazonOrdersAssembler {
  private orders = new Map<string, ParsedOrder>();
  private lineIds = new Map<string, Set<string>>();
  skippedNonAmazon = 0;
  constructor(private readonly forcedChannel?: string) {}

  row(r: Row): void {
    const id = r.required('amazon-order-id');
    if (!id) return;
    const sc = r.text('sales-channel');
    if (/^non-amazon/i.test(sc)) {
      this.skippedNonAmazon++; // multi-channel fulfilment of another shop's order: not an Amazon sale
      return;
    }
    const currencyText = r.text('currency').toUpperCase();
    const status = r.text('order-status').toLowerCase() || 'unknown';
    let currency = currencyText;
    if (!currency && status === 'cancelled') currency = '';
    if (currency && !isKnownCurrency(currency)) r.problem('currency', `"${currencyText}" is not an ISO 4217 currency code`);
    let o = this.orders.get(id);
    if (!o) {
      const channel = this.forcedChannel ?? amazonChannel(sc);
      if (!channel) r.problem('sales-channel', `"${sc}" is not an Amazon marketplace merchant knows (e.g. Amazon.de); pass --channel`, 'channel');
      const def = channel ? channelDef(channel) : undefined;
      const cur = currency && isKnownCurrency(currency) ? currency : def?.currency ?? 'EUR';
      o = {
        format: 'amazon',
        where: { file: r.file, line: r.line },
        marketplace: 'amazon',
        channel: channel ?? 'amazon-unknown',
        externalId: id,
        status,
        orderedAt: r.timestamp('purchase-date'),
        paidAt: null,
        currency: cur,
        buyerName: null,
        buyerEmail: null,
        shipCountry: r.country('ship-country'),
        shipPostalCode: r.text('ship-postal-code') || null,
        shippingMinor: 0n,
        shippingTaxMinor: 0n,
        discountMinor: 0n,
        taxMinor: 0n,
        taxKind: def ? TAX_KIND[def.country ?? ''] ?? 'VAT' : null,
        totalMinor: null,
        pricesIncludeTax: def ? def.pricesIncludeTax : null,
        lines: [],
        fees: [],
        refunds: [],
      };
      o.shipTo = shipToFromRow(r, AMAZON_SHIP_TO, { name: r.header.has('buyer-name') ? r.text('buyer-name') || null : null, country: o.shipCountry });
      this.orders.set(id, o);
      this.lineIds.set(id, new Set());
    } else if (currency && currency !== o.currency) {
      r.problem('currency', `is ${currency} but earlier rows of order ${id} are in ${o.currency}`, 'currency');
    }
    const cur = o.currency;
    const qty = r.int('quantity', { min: 0 });
    const itemPrice = r.money('item-price', cur);
    const itemTax = r.money('item-tax', cur);
    const itemPromo = abs(r.money('item-promotion-discount', cur));
    const ship = r.money('shipping-price', cur) + r.money('gift-wrap-price', cur);
    const shipTax = r.money('shipping-tax', cur) + r.money('gift-wrap-tax', cur);
    const shipPromo = abs(r.money('ship-promotion-discount', cur));
    const sku = r.text('sku') || null;
    const ids = this.lineIds.get(id)!;
    let lineId = r.text('order-item-id') || sku || `row${r.line}`;
    for (let n = 2; ids.has(lineId); n++) lineId = `${r.text('order-item-id') || sku}#${n}`;
    ids.add(lineId);
    o.lines.push({
      externalLineId: lineId,
      sku,
      title: r.text('product-name') || null,
      quantity: qty,
      unitPriceMinor: qty > 0 ? divRound(itemPrice, BigInt(qty), 'halfUp') : itemPrice,
      grossMinor: itemPrice,
      discountMinor: itemPromo,
      taxMinor: itemTax,
    });
    o.shippingMinor += ship;
    o.shippingTaxMinor += shipTax;
    o.discountMinor += itemPromo + shipPromo;
    o.taxMinor += itemTax + shipTax;
  }

  result(): ParsedOrder[] {
    return [...this.orders.values()];
  }
}

/**
 * Settlement V2 flat file: row 1 is the settlement summary (id, dates, total, currency); transaction
 * rows carry order-id, adjustment-id, amount-type/description and amount. Order fees (ItemFees) and
 * refunds (transaction-type Refund) attach to their order; the sale itself comes from the order report.
 */
export class AmazonSettlementAssembler {
  private settlementId = '';
  private currency = '';
  private byOrder = new Map<string, Attachment>();

  row(r: Row): void {
    const sid = r.text('settlement-id');
    const type = r.text('transaction-type');
    if (!type) {
      // The summary row.
      if (r.text('currency')) {
        this.settlementId = sid;
        this.currency = r.text('currency').toUpperCase();
        if (!isKnownCurrency(this.currency)) r.problem('currency', `"${this.currency}" is not an ISO 4217 currency code`);
      }
      return;
    }
    if (!this.currency) {
      r.problem('currency', 'the settlement summary row (row 1, with the currency) is missing', 'structure');
      return;
    }
    const orderId = r.text('order-id');
    if (!orderId) return; // service fees, transfers, reserves: not order-level
    const t = type.toLowerCase();
    if (t !== 'order' && t !== 'refund') return;
    const amountType = r.text('amount-type');
    const desc = r.text('amount-description');
    const amount = r.money('amount', this.currency);
    const at = this.postedAt(r);
    let a = this.byOrder.get(orderId);
    if (!a) {
      a = { where: { file: r.file, line: r.line }, marketplace: 'amazon', externalId: orderId, fees: [], refunds: [] };
      this.byOrder.set(orderId, a);
    }
    const sidPart = sid || this.settlementId;
    if (amountType === 'ItemFees') {
      const key = `settlement:${sidPart}:${t}:${r.text('adjustment-id') || r.text('order-item-code') || r.text('sku')}:${desc}`;
      const existing = a.fees.find((f) => f.externalId === key);
      if (existing) existing.amountMinor += -amount;
      else a.fees.push({ externalId: key, kind: `${t === 'refund' ? 'refund:' : ''}${desc || 'fee'}`, amountMinor: -amount, currency: this.currency, occurredAt: at });
      return;
    }
    if (t !== 'refund') return;
    const key = `settlement:${sidPart}:${r.text('adjustment-id') || orderId}`;
    let ref = a.refunds.find((x) => x.externalId === key);
    if (!ref) {
      ref = { externalId: key, refundedAt: at ?? '', currency: this.currency, principal: 0n, shipping: 0n, tax: 0n, shippingTax: 0n, promotion: 0n, principalAsListed: false };
      a.refunds.push(ref);
    }
    if (amountType === 'ItemPrice') {
      if (desc === 'Principal') ref.principal += -amount;
      else if (desc === 'Shipping' || desc === 'GiftWrap') ref.shipping += -amount;
      else if (desc === 'Tax') ref.tax += -amount;
      else if (desc === 'ShippingTax' || desc === 'GiftWrapTax') ref.shippingTax += -amount;
    } else if (amountType === 'Promotion') {
      ref.promotion += amount; // a promotion given back reduces what was refunded
    }
  }

  private postedAt(r: Row): string | null {
    const dt = r.text('posted-date-time');
    if (dt) {
      const p = parseTimestamp(dt);
      if ('ok' in p) return p.ok;
      r.problem('posted-date-time', p.error);
      return null;
    }
    const d = r.text('posted-date');
    const m = /^(\d{4}-\d{2}-\d{2})$/.exec(d) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(d);
    if (!m) {
      r.problem('posted-date', d ? `"${d}" is not a date` : 'is required', d ? 'invalid' : 'required');
      return null;
    }
    const iso = m.length === 2 ? m[1]! : `${m[3]}-${m[2]}-${m[1]}`;
    return `${iso}T12:00:00Z`;
  }

  result(): Attachment[] {
    return [...this.byOrder.values()];
  }
}
