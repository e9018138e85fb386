// eBay Seller Hub orders report (Orders → Download report): a preamble of blank lines, the header,
// then one row per order with a single item, or an order row followed by one row per item; the file
// ends with "N record(s) downloaded" and "Seller ID" lines. Money cells carry a symbol ($, £, AU $,
// EUR). "Sold For" is the price of one item. Dates are days ("Oct-03-26"), placed at noon seller time.

import { EBAY_SHIP_TO, shipToFromRow } from './address.js';
import { channelDef } from '../../core/channels.js';
import { divRound } from '../../core/money.js';
import type { ParsedOrder } from './types.js';
import type { Row } from './row.js';
import { splitMoney, parseEbayDate } from './parse.js';

const CHANNEL_BY_CURRENCY: Record<string, string> = { USD: 'ebay-us', GBP: 'ebay-uk', EUR: 'ebay-de', AUD: 'ebay-au' };

export function isEbayTrailer(r: Row): boolean {
  const joined = r.cells.join(' ');
  return /record\(s\) downloaded/i.test(joined) || /^\s*Seller ID\b/i.test(r.cells[0] ?? '');
}

export class EbayAssembler {
  private orders = new Map<string, ParsedOrder & { _itemsSum: bigint; _orderTax: bigint | null }>();
  constructor(private readonly timezone: string, private readonly forcedChannel?: string) {}

  private currencyOf(r: Row): string | null {
    for (const f of ['Sold For', 'Total Price', 'Shipping And Handling']) {
      const c = splitMoney(r.text(f)).currency;
      if (c) return c;
    }
    return null;
  }

  row(r: Row): void {
    if (isEbayTrailer(r)) return;
    const id = r.text('Order Number');
    if (!id) {
      r.problem('Order Number', 'is required', 'required');
      return;
    }
    let o = this.orders.get(id);
    if (!o) {
      const cur = this.currencyOf(r) ?? (this.forcedChannel ? channelDef(this.forcedChannel)?.currency ?? null : null);
      if (!cur) r.problem('Sold For', 'has no currency symbol or code (e.g. $24.99, £24.99, EUR 24,99); pass --channel', 'currency');
      const currency = cur ?? 'USD';
      const channel = this.forcedChannel ?? CHANNEL_BY_CURRENCY[currency];
      if (!channel) r.problem('Sold For', `eBay orders in ${currency}: pass --channel to say which eBay site they are from`, 'channel');
      const def = channel ? channelDef(channel) : undefined;
      const d = parseEbayDate(r.required('Sale Date'), this.timezone);
      if ('error' in d && r.text('Sale Date')) r.problem('Sale Date', d.error);
      const paid = r.text('Paid On Date') ? parseEbayDate(r.text('Paid On Date'), this.timezone) : undefined;
      o = {
        format: 'ebay',
        where: { file: r.file, line: r.line },
        marketplace: 'ebay',
        channel: channel ?? 'ebay-unknown',
        externalId: id,
        status: paid && 'ok' in paid ? (r.text('Shipped On Date') ? 'shipped' : 'paid') : 'unpaid',
        orderedAt: 'ok' in d ? d.ok : '',
        paidAt: paid && 'ok' in paid ? paid.ok : null,
        currency,
        buyerName: r.text('Buyer Name') || null,
        buyerEmail: r.text('Buyer Email') || null,
        shipCountry: r.text('Ship To Country') ? r.country('Ship To Country') : r.country('Buyer Country'),
        shipPostalCode: r.text('Ship To Zip') || r.text('Buyer Zip') || null,
        shippingMinor: 0n,
        shippingTaxMinor: 0n,
        discountMinor: 0n,
        taxMinor: 0n,
        taxKind: r.text('eBay Collect And Remit Tax Type') || (def?.country === 'US' ? 'marketplace_facilitator' : 'VAT'),
        totalMinor: null,
        pricesIncludeTax: null,
        lines: [],
        fees: [],
        refunds: [],
        _itemsSum: 0n,
        _orderTax: null,
      };
      o.shipTo = shipToFromRow(r, EBAY_SHIP_TO, { name: o.buyerName, email: o.buyerEmail, country: o.shipCountry });
      this.orders.set(id, o);
    }
    const cur = o.currency;
    const hasItem = r.text('Item Number') !== '' || r.text('Custom Label') !== '';
    const orderLevel = !hasItem || o.lines.length === 0;
    if (r.text('Shipping And Handling') && orderLevel) o.shippingMinor = r.symbolMoney('Shipping And Handling', cur);
    if (r.text('Total Price') && orderLevel) o.totalMinor = r.symbolMoney('Total Price', cur);
    if (hasItem) {
      const qty = r.int('Quantity', { min: 0 });
      const unit = r.symbolMoney('Sold For', cur);
      const tax = r.symbolMoney('eBay Collected Tax', cur) + r.symbolMoney('Seller Collected Tax', cur);
      o.lines.push({
        externalLineId: r.text('Transaction ID') || `${r.text('Item Number')}:${o.lines.length + 1}`,
        sku: r.text('Custom Label') || null,
        title: r.text('Item Title') || null,
        quantity: qty,
        unitPriceMinor: unit,
        grossMinor: null,
        discountMinor: 0n,
        taxMinor: tax,
      });
      o._itemsSum += unit * BigInt(qty);
      o.taxMinor += tax;
    } else if (r.text('eBay Collected Tax') || r.text('Seller Collected Tax')) {
      // An order row of a multi-item order: its tax is the order's, the item rows then repeat nothing.
      o._orderTax = r.symbolMoney('eBay Collected Tax', cur) + r.symbolMoney('Seller Collected Tax', cur);
    }
  }

  result(): ParsedOrder[] {
    const out: ParsedOrder[] = [];
    for (const o of this.orders.values()) {
      const itemsSum = o._itemsSum;
      const { _itemsSum, _orderTax, ...order } = o;
      void _itemsSum;
      if (_orderTax !== null) order.taxMinor = _orderTax;
      const def = channelDef(order.channel);
      order.pricesIncludeTax = def ? def.pricesIncludeTax : null;
      // "Sold For" is one item's price; some downloads show the line total instead. When only the
      // line-total reading makes Total Price add up, take it (the unit price is then total ÷ quantity).
      const asLines = order.lines.reduce((a, l) => a + l.unitPriceMinor, 0n);
      let items = itemsSum;
      if (order.totalMinor !== null && asLines !== itemsSum) {
        const fits = (sum: bigint) => [sum + order.shippingMinor, sum + order.shippingMinor + order.taxMinor].includes(order.totalMinor!);
        if (fits(asLines) && !fits(itemsSum)) {
          for (const l of order.lines) {
            l.grossMinor = l.unitPriceMinor;
            if (l.quantity > 0) l.unitPriceMinor = divRound(l.unitPriceMinor, BigInt(l.quantity), 'halfUp');
          }
          items = asLines;
        }
      }
      if (order.totalMinor !== null && order.taxMinor !== 0n) {
        if (order.totalMinor === items + order.shippingMinor + order.taxMinor) order.pricesIncludeTax = false;
        else if (order.totalMinor === items + order.shippingMinor) order.pricesIncludeTax = true;
      }
      out.push(order);
    }
    return out;
  }
}
