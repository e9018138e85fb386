// Shopify orders export (Admin → Orders → Export): one row per line item; order-level fields
// (Currency, Subtotal, Shipping, Taxes, Total, Discount Amount, Refunded Amount, Created at…) are on
// the first row of each order only. The numeric `Id` is the order's stable id (the API's
// legacyResourceId); `Name` (#1001) is used only when an export lacks it.

import { divRound } from '../../core/money.js';
import { isKnownCurrency } from '../../core/currencies.js';
import type { ParsedOrder } from './types.js';
import type { Row } from './row.js';
import { SHOPIFY_SHIP_TO, shipToFromRow } from './address.js';

export class ShopifyAssembler {
  private current: ParsedOrder | undefined;
  private refunded = 0n;
  private subtotal = 0n;
  private seen = new Map<string, number>();
  constructor(private readonly emit: (o: ParsedOrder) => void) {}

  row(r: Row): void {
    const name = r.required('Name');
    if (!name) return;
    if (this.current && this.current.where.file === r.file && (this.current as { _name?: string })._name === name) {
      this.addLine(r, this.current);
      return;
    }
    this.flush();
    const first = this.seen.get(name);
    if (first !== undefined) r.problem('Name', `order ${name} appears again (first at line ${first}); its rows must be together`, 'duplicate');
    this.seen.set(name, r.line);
    const currency = r.required('Currency').toUpperCase();
    if (currency && !isKnownCurrency(currency)) r.problem('Currency', `"${currency}" is not an ISO 4217 currency code`);
    const cur = currency && isKnownCurrency(currency) ? currency : 'EUR';
    const id = r.text('Id') || name;
    const cancelled = r.text('Cancelled at');
    const financial = r.text('Financial Status').toLowerCase();
    const o: ParsedOrder & { _name?: string } = {
      format: 'shopify',
      where: { file: r.file, line: r.line },
      marketplace: 'shopify',
      channel: 'shopify',
      externalId: id,
      status: cancelled ? 'cancelled' : financial || 'paid',
      orderedAt: r.timestamp('Created at'),
      paidAt: r.optionalTimestamp('Paid at'),
      currency: cur,
      buyerName: r.text('Billing Name') || r.text('Shipping Name') || null,
      buyerEmail: r.text('Email') || null,
      shipCountry: r.header.has('Shipping Country') && r.text('Shipping Country') ? r.country('Shipping Country') : r.country('Billing Country'),
      shipPostalCode: r.text('Shipping Zip') || r.text('Billing Zip') || null,
      shippingMinor: r.money('Shipping', cur),
      shippingTaxMinor: 0n,
      discountMinor: absolute(r.money('Discount Amount', cur)),
      taxMinor: r.money('Taxes', cur),
      taxKind: r.text('Tax 1 Name') ? r.text('Tax 1 Name').split(' ')[0]! : null,
      totalMinor: r.text('Total') ? r.money('Total', cur) : null,
      pricesIncludeTax: null,
      lines: [],
      fees: [],
      refunds: [],
    };
    o.shipTo = shipToFromRow(r, SHOPIFY_SHIP_TO, { name: o.buyerName, email: o.buyerEmail, country: o.shipCountry });
    o._name = name;
    this.refunded = r.money('Refunded Amount', cur);
    this.subtotal = r.money('Subtotal', cur);
    this.current = o;
    this.addLine(r, o);
  }

  private addLine(r: Row, o: ParsedOrder): void {
    const qty = r.int('Lineitem quantity', { min: 0 });
    const sku = r.text('Lineitem sku') || null;
    const n = o.lines.length + 1;
    o.lines.push({
      externalLineId: `${n}:${sku ?? r.text('Lineitem name')}`,
      sku,
      title: r.text('Lineitem name') || null,
      quantity: qty,
      unitPriceMinor: r.money('Lineitem price', o.currency),
      grossMinor: null,
      discountMinor: absolute(r.money('Lineitem discount', o.currency)),
      taxMinor: 0n,
    });
  }

  /** Close the order being assembled: infer the tax convention, turn Refunded Amount into a refund. */
  flush(): void {
    const o = this.current;
    if (!o) return;
    this.current = undefined;
    // Total = Subtotal + Shipping + Taxes when tax is added on top; = Subtotal + Shipping when included.
    if (o.totalMinor !== null && o.taxMinor !== 0n) {
      const base = this.subtotal + o.shippingMinor;
      if (o.totalMinor === base + o.taxMinor) o.pricesIncludeTax = false;
      else if (o.totalMinor === base) o.pricesIncludeTax = true;
    }
    if (this.refunded > 0n) {
      // The export has no refund date and no tax split: the refund is dated at the order and its tax is
      // the order's tax in proportion (exact for a full refund). Synced refunds carry the real values.
      const tax = o.totalMinor && o.totalMinor > 0n ? divRound(this.refunded * o.taxMinor, o.totalMinor, 'halfUp') : 0n;
      const listed = o.pricesIncludeTax === false ? this.refunded - tax : this.refunded;
      o.refunds.push({
        externalId: 'shopify-export:refunded-amount',
        refundedAt: o.orderedAt,
        amountMinor: listed,
        shippingMinor: 0n,
        taxMinor: tax,
        currency: o.currency,
        reason: 'Refunded Amount in the Shopify orders export (no refund date in the file: order date used)',
        dateEstimated: true,
      });
    }
    this.emit(o);
  }
}

function absolute(v: bigint): bigint {
  return v < 0n ? -v : v;
}
