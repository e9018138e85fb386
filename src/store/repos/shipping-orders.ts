// Orders as the shipping side reads them (0004): the stored order a reference names, its lines with the
// catalogue's weight, dimensions, HS code and origin (variants, by SKU), the sale facts a customs
// declaration needs, and the stock location the parcel leaves from. Read-only.

import { PreparedOnce } from './prepared.js';
import { big, num } from '../db.js';
import type { StockLocation } from '../../ports/stock.js';
import type { OrderSaleFacts, ShippingOrder, ShippingOrderLine, ShippingOrdersRepo } from '../../ports/shipments.js';
import type { OrderLookup } from '../../ports/orders.js';
import { lookupOrderRef } from './order-lookup.js';
import { StockRepo } from './stock.js';

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

const orNull = (v: bigint | null): number | null => (v !== null ? num(v) : null);

export class SqliteShippingOrders extends PreparedOnce implements ShippingOrdersRepo {
  byRef(ref: string): OrderLookup<ShippingOrder> {
    const hit = lookupOrderRef(this.store, ref);
    if (hit.kind !== 'found') return hit;
    const o = this.stmt('SELECT * FROM orders WHERE id = ?').get(hit.order.id) as OrderRow | undefined;
    if (!o) return { kind: 'none' };
    const order: ShippingOrder = {
      id: num(o.id),
      externalId: o.external_id,
      marketplace: o.marketplace,
      channel: o.channel,
      currency: o.currency,
      orderedAt: o.ordered_at,
      buyerName: o.buyer_name,
      buyerEmail: o.buyer_email,
      shipToJson: o.ship_to_json,
      shipCountry: o.ship_country,
      taxKind: o.tax_kind,
      ...(o.prices_include_tax !== undefined ? { pricesIncludeTax: o.prices_include_tax === null ? null : o.prices_include_tax === 1n } : {}),
    };
    return { kind: 'found', order };
  }

  count(): number {
    return num((this.stmt('SELECT count(*) AS n FROM orders').get() as { n: bigint }).n);
  }

  lines(orderId: number): ShippingOrderLine[] {
    const rows = this.stmt(
      `SELECT l.sku, l.title, l.quantity, l.unit_price_minor, l.discount_minor, l.tax_minor,
              v.title AS v_title, p.title AS p_title, v.hs_code, v.origin_country, v.weight_grams, v.length_mm, v.width_mm, v.height_mm
         FROM order_lines l
         LEFT JOIN variants v ON v.sku = l.sku
         LEFT JOIN products p ON p.id = v.product_id
        WHERE l.order_id = ? ORDER BY l.id`,
    ).all(BigInt(orderId)) as LineRow[];
    return rows.map((r) => ({
      sku: r.sku,
      title: r.title,
      quantity: num(r.quantity),
      unitPriceMinor: big(r.unit_price_minor),
      discountMinor: big(r.discount_minor),
      taxMinor: big(r.tax_minor),
      variantTitle: r.v_title,
      productTitle: r.p_title,
      hsCode: r.hs_code,
      originCountry: r.origin_country,
      weightGrams: orNull(r.weight_grams),
      lengthMm: orNull(r.length_mm),
      widthMm: orNull(r.width_mm),
      heightMm: orNull(r.height_mm),
    }));
  }

  saleFacts(orderId: number): OrderSaleFacts | undefined {
    const row = this.stmt('SELECT shipping_minor, paid_at, ordered_at, raw_json FROM orders WHERE id = ?').get(BigInt(orderId)) as
      | { shipping_minor: bigint; paid_at: string | null; ordered_at: string; raw_json: string | null }
      | undefined;
    return row ? { shippingMinor: row.shipping_minor, paidAt: row.paid_at, orderedAt: row.ordered_at, rawJson: row.raw_json } : undefined;
  }

  shipFromLocation(orderId: number): StockLocation | undefined {
    const repo = new StockRepo(this.store);
    const id = repo.orderLocation(orderId);
    return id === null ? undefined : repo.locationById(id);
  }
}
