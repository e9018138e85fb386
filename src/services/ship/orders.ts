// Orders as the shipping side needs them: the ship-to address, and each line with the catalogue's
// weight, dimensions, HS code and origin (variants, by SKU). Read-only, through the shipping-orders port.

import { NotFoundError } from '../../core/errors.js';
import { divRound, type Money } from '../../core/money.js';
import type { CustomsItem } from '../../core/customs/types.js';
import type { CarrierAddress } from '../../ports/carrier.js';
import { emptyAddress, normaliseAddress } from '../../core/address.js';
import type { Repositories } from '../../ports/repositories.js';
import { oneOrder } from '../orders/ref.js';

/** A shipping address: the carrier port's own shape. */
export type Address = CarrierAddress;

export interface ShipLine {
  sku?: string;
  title: string;
  quantity: number;
  /** per unit, what the buyer paid for the goods (after discount, excluding tax), order currency */
  unitValue: Money;
  hsCode?: string;
  originCountry?: string;
  weightGrams?: number;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
}

export interface ShipOrder {
  id: number;
  externalId: string;
  marketplace: string;
  channel: string;
  currency: string;
  orderedAt: string;
  shipTo: Address;
  lines: ShipLine[];
  goodsValue: Money;
}

/** What reading an order for shipping needs: the orders as the shipping side sees them. */
export type ShipOrdersStore = Pick<Repositories, 'shippingOrders'>;

function parseAddress(json: string | null, country: string | null, name: string | null, email: string | null): Address {
  let raw: unknown = null;
  try {
    raw = json ? (JSON.parse(json) as unknown) : null;
  } catch {
    raw = null;
  }
  // Stored addresses are in core/address.ts's shape (migration 200); normalising again reads any older one too.
  const a = normaliseAddress(raw, { name, email, country }) ?? emptyAddress();
  const addr: Address = { country: a.country ?? '' };
  for (const k of ['name', 'company', 'street1', 'street2', 'city', 'state', 'postalCode', 'phone', 'email'] as const) {
    const v = a[k];
    if (v) addr[k] = v;
  }
  return addr;
}

export function loadShipOrder(store: ShipOrdersStore, ref: string): ShipOrder {
  const o = oneOrder(ref, store.shippingOrders.byRef(ref));
  if (!o) {
    const count = store.shippingOrders.count();
    if (count === 0) throw new NotFoundError(`no order ${JSON.stringify(ref)}: there are no orders yet`, { hints: ['pull orders with `merchant sync --only orders` or `merchant orders import FILE`, or book a manual shipment with `merchant ship book --file shipment.json`'] });
    throw new NotFoundError(`no order ${JSON.stringify(ref)} (give the order's id or its marketplace order id)`, { hints: ['`merchant orders list` shows them'] });
  }
  const rows = store.shippingOrders.lines(o.id);
  // The intrinsic value excludes VAT: subtract the line tax when the listed prices include it.
  const taxIncluded = o.pricesIncludeTax !== undefined && o.pricesIncludeTax !== null ? o.pricesIncludeTax : /incl|inclusive|included|vat|gst/i.test(o.taxKind ?? '');
  let total = 0n;
  const lines: ShipLine[] = rows.map((r) => {
    const qty = r.quantity;
    const lineValue = r.unitPriceMinor * BigInt(qty) - r.discountMinor - (taxIncluded ? r.taxMinor : 0n);
    total += lineValue;
    const unit = qty > 0 ? divRound(lineValue, BigInt(qty), 'halfUp') : 0n;
    const title = r.productTitle && r.variantTitle && r.variantTitle !== r.productTitle ? `${r.productTitle} ${r.variantTitle}` : r.productTitle ?? r.title ?? r.variantTitle ?? r.sku ?? 'item';
    return {
      ...(r.sku ? { sku: r.sku } : {}),
      title,
      quantity: qty,
      unitValue: { minor: unit, currency: o.currency },
      ...(r.hsCode ? { hsCode: r.hsCode } : {}),
      ...(r.originCountry ? { originCountry: r.originCountry } : {}),
      ...(r.weightGrams !== null ? { weightGrams: r.weightGrams } : {}),
      ...(r.lengthMm !== null ? { lengthMm: r.lengthMm } : {}),
      ...(r.widthMm !== null ? { widthMm: r.widthMm } : {}),
      ...(r.heightMm !== null ? { heightMm: r.heightMm } : {}),
    };
  });
  return {
    id: o.id,
    externalId: o.externalId,
    marketplace: o.marketplace,
    channel: o.channel,
    currency: o.currency,
    orderedAt: o.orderedAt,
    shipTo: parseAddress(o.shipToJson, o.shipCountry, o.buyerName, o.buyerEmail),
    lines,
    goodsValue: { minor: total, currency: o.currency },
  };
}

export function orderCustomsItems(order: ShipOrder): CustomsItem[] {
  return order.lines.map((l) => ({
    description: l.title,
    ...(l.sku ? { sku: l.sku } : {}),
    ...(l.hsCode ? { hsCode: l.hsCode } : {}),
    ...(l.originCountry ? { originCountry: l.originCountry } : {}),
    quantity: l.quantity,
    unitValue: l.unitValue,
    unitWeightGrams: l.weightGrams ?? 0,
  }));
}
