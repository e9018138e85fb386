// One parcel of an order shipped in several (`ship book ORDER --lines …`): its customs declaration lists
// what is in that parcel, not the whole order. The order's shipping charge is shared between the parcels
// in proportion to the goods value each carries (exactly, to the minor unit, by `allocate`); the check of
// the declared value against what the buyer paid is left out, as the buyer paid for the whole order.

import { allocate, money } from '../money.js';
import type { CustomsInput, CustomsItem } from './types.js';

export interface ParcelUnits {
  sku: string | null;
  quantity: number;
}

function value(items: readonly CustomsItem[]): bigint {
  return items.reduce((n, i) => n + i.unitValue.minor * BigInt(i.quantity), 0n);
}

/** The declaration of one parcel: the order's items cut to the parcel's SKUs and quantities. */
export function customsForParcel(input: CustomsInput, parcel: readonly ParcelUnits[]): CustomsInput {
  const left = new Map<string, number>();
  for (const p of parcel) if (p.sku) left.set(p.sku, (left.get(p.sku) ?? 0) + p.quantity);
  const items: CustomsItem[] = [];
  for (const item of input.items) {
    const want = item.sku ? left.get(item.sku) ?? 0 : 0;
    const take = Math.min(want, item.quantity);
    if (take <= 0) continue;
    left.set(item.sku!, want - take);
    items.push({ ...item, quantity: take });
  }
  const whole = value(input.items);
  const part = value(items);
  const shipping = whole > 0n && part < whole ? allocate(input.shipping, [part, whole - part])[0]! : input.shipping;
  const { orderValue: _paidForTheWholeOrder, ...rest } = input;
  return { ...rest, items, shipping: money(shipping.minor, shipping.currency) };
}
