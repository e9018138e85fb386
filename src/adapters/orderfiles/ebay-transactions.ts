// eBay transaction report (Seller Hub → Payments → Reports → Transaction report): a few preamble
// lines, then one row per money movement. Amounts are in the payout currency (`Payout currency`),
// which differs from the buyer's (`Transaction currency`) on cross-border sales — so an ebay-uk order
// in GBP can carry its fees in USD. "--" means "not applicable". Order rows give the fees of an order;
// Refund rows give dated refunds (and the fees credited back with them).

import type { Attachment } from './types.js';
import type { Row } from './row.js';
import { parseEbayDate } from './parse.js';
import { isKnownCurrency } from '../../core/currencies.js';

const FEE_COLUMNS = [
  'Final Value Fee - fixed',
  'Final Value Fee - variable',
  'Regulatory operating fee',
  'International fee',
  'Very high "item not as described" fee',
  'Below standard performance fee',
  'Deposit processing fee',
];

export class EbayTransactionsAssembler {
  private byOrder = new Map<string, Attachment>();
  constructor(private readonly timezone: string) {}

  private amount(r: Row, name: string, currency: string): bigint {
    const t = r.text(name);
    if (t === '' || t === '--') return 0n;
    return r.money(name, currency);
  }

  row(r: Row): void {
    const type = r.text('Type').toLowerCase();
    if (type !== 'order' && type !== 'refund') return; // payouts, shipping labels, other fees: not order sales
    const orderId = r.text('Order number');
    if (!orderId || orderId === '--') return;
    const currency = r.required('Payout currency').toUpperCase();
    if (currency && !isKnownCurrency(currency)) {
      r.problem('Payout currency', `"${currency}" is not an ISO 4217 currency code`);
      return;
    }
    if (!currency) return;
    const d = parseEbayDate(r.required('Transaction creation date'), this.timezone);
    if ('error' in d) {
      if (r.text('Transaction creation date')) r.problem('Transaction creation date', d.error);
      return;
    }
    let a = this.byOrder.get(orderId);
    if (!a) {
      a = { where: { file: r.file, line: r.line }, marketplace: 'ebay', externalId: orderId, fees: [], refunds: [] };
      this.byOrder.set(orderId, a);
    }
    const ref = r.text('Reference ID') && r.text('Reference ID') !== '--' ? r.text('Reference ID') : r.text('Transaction ID') || `line${r.line}`;
    for (const col of FEE_COLUMNS) {
      if (!r.header.has(col)) continue;
      const v = this.amount(r, col, currency);
      if (v === 0n) continue;
      a.fees.push({
        externalId: `ebay-tx:${type}:${ref}:${col}`,
        kind: `${type === 'refund' ? 'refund:' : ''}${col}`,
        amountMinor: -v, // the report shows fees as negative amounts (credits as positive)
        currency,
        occurredAt: d.ok,
      });
    }
    if (type === 'refund') {
      const tax = this.amount(r, 'eBay collected sales tax', currency) + this.amount(r, 'Seller collected sales tax', currency);
      a.refunds.push({
        externalId: `ebay-tx:refund:${ref}`,
        refundedAt: d.ok,
        currency,
        principal: -this.amount(r, 'Item subtotal', currency),
        shipping: -this.amount(r, 'Shipping and handling', currency),
        tax: -tax,
        shippingTax: 0n,
        promotion: 0n,
        principalAsListed: true,
      });
    }
  }

  result(): Attachment[] {
    return [...this.byOrder.values()];
  }
}
