// The canonical customs input as JSON (money as {amount, currency} text), for the shipments ledger.

import { formatAmount, parseAmount, type Money } from '../../core/money.js';
import type { CustomsInput } from '../../core/customs/types.js';

type M = { amount: string; currency: string };
const out = (m: Money): M => ({ amount: formatAmount(m), currency: m.currency });
const inn = (m: M): Money => parseAmount(m.amount, m.currency);

export function serializeCustomsInput(i: CustomsInput): string {
  return JSON.stringify({
    ...i,
    shipping: out(i.shipping),
    ...(i.orderValue ? { orderValue: out(i.orderValue) } : {}),
    items: i.items.map((it) => ({ ...it, unitValue: out(it.unitValue) })),
  });
}

export function deserializeCustomsInput(json: string): CustomsInput {
  const raw = JSON.parse(json) as Omit<CustomsInput, 'shipping' | 'orderValue' | 'items'> & {
    shipping: M;
    orderValue?: M;
    items: Array<Omit<CustomsInput['items'][number], 'unitValue'> & { unitValue: M }>;
  };
  const { orderValue, ...rest } = raw;
  return {
    ...rest,
    shipping: inn(raw.shipping),
    ...(orderValue ? { orderValue: inn(orderValue) } : {}),
    items: raw.items.map((it) => ({ ...it, unitValue: inn(it.unitValue) })),
  };
}
