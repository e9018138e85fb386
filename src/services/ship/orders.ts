// Orders as the shipping side needs them: the ship-to address, and each line with the catalogue's
// weight, dimensions, HS code and origin (variants, by SKU). Read-only over orders/order_lines (0004).

import { NotFoundError } from '../../core/errors.js';
import { big, num, type Store } from '../../store/db.js';
import { divRound, type Money } from '../../core/money.js';
import type { CustomsItem } from '../../core/customs/types.js';
import type { CarrierAddress } from '../../ports/carrier.js';
import { emptyAddress, normaliseAddress } from '../../core/address.js';
import { findOrderRef } from '../../store/repos/order-lookup.js';

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

interface OrderRow {
  id: bigint;
  external_id: string;
  marketplace: string;
  channel: string;
  currency: string;
  ordered_at: string;
  buyer_name: string | null;
  buyer_email: string | null;
  ship_to_json: string | null;
  ship_country: string | null;
  tax_kind: string | null;
  /** Added by the reports migration (0050); absent on older schemas. */
  prices_include_tax?: bigint | null;
}

interface LineRow {
  sku: string | null;
  title: string | null;
  quantity: bigint;
  unit_price_minor: bigint;
  discount_minor: bigint;
  tax_minor: bigint;
  v_title: string | null;
  p_title: string | null;
  hs_code: string | null;
  origin_country: string | null;
  weight_grams: bigint | null;
  length_mm: bigint | null;
  width_mm: bigint | null;
  height_mm: bigint | null;
}

export function findOrder(store: Store, ref: string): OrderRow | undefined {
  const hit = findOrderRef(store, ref);
  return hit ? (store.db.prepare('SELECT * FROM orders WHERE id = ?').get(hit.id) as OrderRow | undefined) : undefined;
}

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

export function loadShipOrder(store: Store, ref: string): ShipOrder {
  const o = findOrder(store, ref);
  if (!o) {
    const count = num((store.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: bigint }).n);
    if (count === 0) throw new NotFoundError(`no order ${JSON.stringify(ref)}: there are no orders yet`, { hints: ['pull orders with `merchant sync --only orders` or `merchant orders import FILE`, or book a manual shipment with `merchant ship book --file shipment.json`'] });
    throw new NotFoundError(`no order ${JSON.stringify(ref)} (give the order's id or its marketplace order id)`, { hints: ['`merchant orders list` shows them'] });
  }
  const rows = store.db
    .prepare(
      `SELECT l.sku, l.title, l.quantity, l.unit_price_minor, l.discount_minor, l.tax_minor,
              v.title AS v_title, p.title AS p_title, v.hs_code, v.origin_country, v.weight_grams, v.length_mm, v.width_mm, v.height_mm
         FROM order_lines l
         LEFT JOIN variants v ON v.sku = l.sku
         LEFT JOIN products p ON p.id = v.product_id
        WHERE l.order_id = ? ORDER BY l.id`,
    )
    .all(o.id) as LineRow[];
  // The intrinsic value excludes VAT: subtract the line tax when the listed prices include it.
  const taxIncluded =
    o.prices_include_tax !== undefined && o.prices_include_tax !== null ? o.prices_include_tax === 1n : /incl|inclusive|included|vat|gst/i.test(o.tax_kind ?? '');
  let total = 0n;
  const lines: ShipLine[] = rows.map((r) => {
    const qty = num(r.quantity);
    const lineValue = big(r.unit_price_minor) * BigInt(qty) - big(r.discount_minor) - (taxIncluded ? big(r.tax_minor) : 0n);
    total += lineValue;
    const unit = qty > 0 ? divRound(lineValue, BigInt(qty), 'halfUp') : 0n;
    const title = r.p_title && r.v_title && r.v_title !== r.p_title ? `${r.p_title} ${r.v_title}` : r.p_title ?? r.title ?? r.v_title ?? r.sku ?? 'item';
    return {
      ...(r.sku ? { sku: r.sku } : {}),
      title,
      quantity: qty,
      unitValue: { minor: unit, currency: o.currency },
      ...(r.hs_code ? { hsCode: r.hs_code } : {}),
      ...(r.origin_country ? { originCountry: r.origin_country } : {}),
      ...(r.weight_grams !== null ? { weightGrams: num(r.weight_grams) } : {}),
      ...(r.length_mm !== null ? { lengthMm: num(r.length_mm) } : {}),
      ...(r.width_mm !== null ? { widthMm: num(r.width_mm) } : {}),
      ...(r.height_mm !== null ? { heightMm: num(r.height_mm) } : {}),
    };
  });
  return {
    id: num(o.id),
    externalId: o.external_id,
    marketplace: o.marketplace,
    channel: o.channel,
    currency: o.currency,
    orderedAt: o.ordered_at,
    shipTo: parseAddress(o.ship_to_json, o.ship_country, o.buyer_name, o.buyer_email),
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
