// The shapes of --json documents where a service's own types differ from the house conventions
// (README "Conventions"): money is {"amount": "12.50", "currency": "EUR"}, counts are numbers. The
// services keep their types; only what a script reads is reshaped here. Schemas: docs/schemas/.

import type { CustomsResult } from '../core/customs/types.js';
import type { OrderDetail } from '../services/orders/list.js';

export interface MoneyJson {
  amount: string;
  currency: string;
}

export function money(amount: string, currency: string): MoneyJson;
export function money(amount: string | null | undefined, currency: string): MoneyJson | null;
export function money(amount: string | null | undefined, currency: string): MoneyJson | null {
  return amount === null || amount === undefined ? null : { amount, currency };
}

/** `orders show`: every amount in the order's currency (fees and refunds in their own). */
export function orderJson(o: OrderDetail): unknown {
  const c = o.currency;
  return {
    ...o,
    total: money(o.total, c),
    shipping: money(o.shipping, c),
    shippingTax: money(o.shippingTax, c),
    discount: money(o.discount, c),
    tax: money(o.tax, c),
    lines: o.lines.map((l) => ({ ...l, unitPrice: money(l.unitPrice, c), discount: money(l.discount, c), tax: money(l.tax, c) })),
    fees: o.fees.map(({ amount, currency, ...f }) => ({ ...f, amount: money(amount, currency) })),
    refunds: o.refunds.map(({ amount, currency, ...r }) => ({ ...r, amount: money(amount, currency) })),
  };
}

/** A customs check: the declared values as money. A charge keeps amount and currency side by side. */
export function customsJson(r: CustomsResult): unknown {
  return {
    ...r,
    value: money(r.value, r.currency),
    shipping: money(r.shipping, r.currency),
    items: r.items.map(({ currency, ...i }) => ({ ...i, unitValue: money(i.unitValue, currency), lineValue: money(i.lineValue, currency) })),
  };
}

interface ValueSet {
  price?: string;
  currency?: string;
  quantity?: number;
  status?: string;
}

/** A sync item's old or new values: the price as money (absent when it is not part of the change). */
function valuesJson(v: ValueSet): unknown {
  const { price, currency, ...rest } = v;
  return { ...(price !== undefined && currency ? { price: money(price, currency) } : {}), ...rest };
}

/** The sync report (stdout with --json, and the --notify payload): old and new prices as money. */
export function syncJson<R extends { items: Array<{ old: ValueSet; new: ValueSet }>; planned?: Array<{ old: ValueSet; new: ValueSet }> }>(r: R): unknown {
  const item = <T extends { old: ValueSet; new: ValueSet }>(i: T) => ({ ...i, old: valuesJson(i.old), new: valuesJson(i.new) });
  return { ...r, items: r.items.map(item), ...(r.planned ? { planned: r.planned.map(item) } : {}) };
}
