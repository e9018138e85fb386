// The orders aggregate over SQLite (orders, order_lines, order_fees, order_refunds): `orders list` /
// `orders show`, the file import's statements, the order pull's upsert, and the facts deciding who
// collects an order's VAT (store/repos/order-tax.ts). Statements moved verbatim from the services.

import type { Statement, Store } from '../db.js';
import { big, num } from '../db.js';
import type {
  FileOrderMatch, FileOrderValues, OrderFileWriter, OrderListFilter, OrderListRow, OrderLookup, OrdersRepo, OrderTaxRepo,
  PulledOrderState, PulledOrderValues, PulledRefundValues, StoredFeeForImport, StoredOrder, StoredOrderFee, StoredOrderLine,
  StoredOrderRefund, StoredRefundForImport,
} from '../../ports/orders.js';
import type { ConfirmationRecord } from '../../ports/confirmations.js';
import type { OrderFeeIn, OrderLineIn } from '../../ports/marketplace.js';
import type { BusinessTaxProfile, OrderTaxFacts, StoredVat } from '../../ports/order-tax.js';
import { lookupOrderRef } from './order-lookup.js';
import { confirmationsOfOrder, effectiveOrderStatus, EFFECTIVE_STATUS_SQL, shippedUnitsBySku } from './confirmations.js';
import { setOrderFulfilledBy } from './order-fulfilment.js';
import { businessTaxProfile, dropEstimatedRefunds, orderTaxFacts, saveOrderVat, unclassifiedOrderIds } from './order-tax.js';

interface OrderRow {
  id: bigint;
  marketplace: string;
  channel: string;
  external_id: string;
  status: string;
  effective_status: string;
  ordered_at: string;
  ship_country: string | null;
  currency: string;
  items: bigint | null;
  total_minor: bigint | null;
  source: string;
}

export class SqliteOrders implements OrdersRepo {
  private pulled?: {
    find: Statement;
    update: Statement;
    insert: Statement;
    line: Statement;
    fee: Statement;
    refund: Statement;
  };

  constructor(private readonly store: Store) {}

  /** Newest first, read from a cursor: a list of every order streams. */
  *list(o: OrderListFilter): Generator<OrderListRow> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (o.marketplace) (where.push('o.marketplace = ?'), args.push(o.marketplace));
    if (o.channel) (where.push('o.channel = ?'), args.push(o.channel));
    if (o.status) (where.push(`${EFFECTIVE_STATUS_SQL} = ?`), args.push(o.status));
    if (o.from) (where.push('o.ordered_at >= ?'), args.push(o.from));
    if (o.toExclusive) (where.push('o.ordered_at < ?'), args.push(o.toExclusive));
    if (o.sku) (where.push('EXISTS (SELECT 1 FROM order_lines x WHERE x.order_id = o.id AND x.sku = ?)'), args.push(o.sku));
    const rows = this.store.db
      .prepare(
        `SELECT o.id, o.marketplace, o.channel, o.external_id, o.status, ${EFFECTIVE_STATUS_SQL} AS effective_status, o.ordered_at, o.ship_country, o.currency, o.total_minor, o.source,
                (SELECT sum(quantity) FROM order_lines l WHERE l.order_id = o.id) AS items
         FROM orders o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?`,
      )
      .iterate(...args, o.limit) as IterableIterator<OrderRow>;
    for (const r of rows) {
      yield {
        id: num(r.id),
        marketplace: r.marketplace,
        channel: r.channel,
        externalId: r.external_id,
        status: r.status,
        effectiveStatus: r.effective_status,
        orderedAt: r.ordered_at,
        shipCountry: r.ship_country,
        currency: r.currency,
        items: num(r.items),
        totalMinor: r.total_minor === null ? null : big(r.total_minor),
        source: r.source,
      };
    }
  }

  findRef(ref: string): OrderLookup {
    return lookupOrderRef(this.store, ref);
  }

  get(id: number): StoredOrder | undefined {
    const row = this.store.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      id: num(row.id as bigint),
      marketplace: String(row.marketplace),
      channel: String(row.channel),
      externalId: String(row.external_id),
      status: String(row.status),
      orderedAt: String(row.ordered_at),
      remoteUpdatedAt: (row.remote_updated_at as string | null) ?? null,
      paidAt: (row.paid_at as string | null) ?? null,
      shipCountry: (row.ship_country as string | null) ?? null,
      currency: String(row.currency),
      totalMinor: row.total_minor === null ? null : big(row.total_minor as bigint),
      source: String(row.source),
      buyerName: (row.buyer_name as string | null) ?? null,
      buyerEmail: (row.buyer_email as string | null) ?? null,
      shipToJson: row.ship_to_json ? String(row.ship_to_json) : null,
      shippingMinor: big(row.shipping_minor as bigint),
      shippingTaxMinor: big(row.shipping_tax_minor as bigint),
      discountMinor: big(row.discount_minor as bigint),
      taxMinor: big(row.tax_minor as bigint),
      taxKind: (row.tax_kind as string | null) ?? null,
      rawJson: row.raw_json ? String(row.raw_json) : null,
    };
  }

  lines(orderId: number): StoredOrderLine[] {
    const rows = this.store.db.prepare('SELECT * FROM order_lines WHERE order_id = ? ORDER BY id').all(orderId) as Record<string, unknown>[];
    return rows.map((l) => ({
      externalLineId: String(l.external_line_id),
      sku: (l.sku as string | null) ?? null,
      title: (l.title as string | null) ?? null,
      quantity: num(l.quantity as bigint),
      unitPriceMinor: big(l.unit_price_minor as bigint),
      discountMinor: big(l.discount_minor as bigint),
      taxMinor: big(l.tax_minor as bigint),
    }));
  }

  fees(orderId: number): StoredOrderFee[] {
    const rows = this.store.db.prepare('SELECT * FROM order_fees WHERE order_id = ? ORDER BY id').all(orderId) as Record<string, unknown>[];
    return rows.map((f) => ({ kind: String(f.kind), amountMinor: big(f.amount_minor as bigint), currency: String(f.currency) }));
  }

  refunds(orderId: number): StoredOrderRefund[] {
    const rows = this.store.db.prepare('SELECT * FROM order_refunds WHERE order_id = ? ORDER BY refunded_at, id').all(orderId) as Record<string, unknown>[];
    return rows.map((r) => ({
      externalId: String(r.external_id),
      refundedAt: String(r.refunded_at),
      amountMinor: big(r.amount_minor as bigint),
      currency: String(r.currency),
      quantity: num(r.quantity as bigint),
      reason: (r.reason as string | null) ?? null,
    }));
  }

  confirmations(orderId: number): ConfirmationRecord[] {
    return confirmationsOfOrder(this.store, orderId);
  }

  effectiveStatus(orderId: number): string {
    return effectiveOrderStatus(this.store, orderId);
  }

  shippedUnitsBySku(orderId: number): Map<string, number> {
    return shippedUnitsBySku(this.store, orderId);
  }

  setFulfilledBy(orderId: number, fulfilledBy: 'merchant' | 'marketplace' | null): void {
    setOrderFulfilledBy(this.store, orderId, fulfilledBy);
  }

  fileWriter(): OrderFileWriter {
    const db = this.store.db;
    const findOrder = db.prepare('SELECT id, source, raw_json, prices_include_tax, channel FROM orders WHERE marketplace = ? AND external_id = ?');
    const insOrder = db.prepare(`INSERT INTO orders (marketplace, channel, external_id, status, ordered_at, paid_at, currency, buyer_name, buyer_email,
    ship_country, ship_postal_code, ship_to_json, shipping_minor, shipping_tax_minor, discount_minor, tax_minor, tax_kind, total_minor, prices_include_tax, source, raw_json,
    created_at, updated_at) VALUES (@marketplace, @channel, @externalId, @status, @orderedAt, @paidAt, @currency, @buyerName, @buyerEmail,
    @shipCountry, @shipPostalCode, @shipToJson, @shippingMinor, @shippingTaxMinor, @discountMinor, @taxMinor, @taxKind, @totalMinor, @pit, @source, @raw, @now, @now)`);
    const updOrder = db.prepare(`UPDATE orders SET channel = @channel, status = @status, ordered_at = @orderedAt, paid_at = @paidAt,
    currency = @currency, buyer_name = @buyerName, buyer_email = @buyerEmail, ship_country = @shipCountry, ship_postal_code = @shipPostalCode, ship_to_json = @shipToJson, shipping_minor = @shippingMinor,
    shipping_tax_minor = @shippingTaxMinor, discount_minor = @discountMinor, tax_minor = @taxMinor, tax_kind = @taxKind,
    total_minor = @totalMinor, prices_include_tax = @pit, source = @source, raw_json = @raw, updated_at = @now WHERE id = @id`);
    const insLine = db.prepare(`INSERT INTO order_lines (order_id, external_line_id, sku, title, quantity, unit_price_minor, gross_minor,
    discount_minor, tax_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const delLines = db.prepare('DELETE FROM order_lines WHERE order_id = ?');
    // Fees and refunds that came from a settlement or transaction report stay when the order file changes.
    const delOwnFees = db.prepare(`DELETE FROM order_fees WHERE order_id = ? AND external_id NOT LIKE 'settlement:%' AND external_id NOT LIKE 'ebay-tx:%'`);
    const delOwnRefunds = db.prepare(`DELETE FROM order_refunds WHERE order_id = ? AND external_id NOT LIKE 'settlement:%' AND external_id NOT LIKE 'ebay-tx:%'`);
    const findFee = db.prepare('SELECT id, kind, amount_minor, currency, occurred_at FROM order_fees WHERE order_id = ? AND external_id = ?');
    const insFee = db.prepare('INSERT INTO order_fees (order_id, kind, amount_minor, currency, occurred_at, external_id) VALUES (?, ?, ?, ?, ?, ?)');
    const updFee = db.prepare('UPDATE order_fees SET kind = ?, amount_minor = ?, currency = ?, occurred_at = ? WHERE id = ?');
    const findRefund = db.prepare('SELECT id, refunded_at, amount_minor, shipping_minor, tax_minor, currency FROM order_refunds WHERE order_id = ? AND external_id = ?');
    const insRefund = db.prepare(`INSERT INTO order_refunds (order_id, external_id, refunded_at, amount_minor, shipping_minor, tax_minor, currency, reason, date_estimated)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const updRefund = db.prepare('UPDATE order_refunds SET refunded_at = ?, amount_minor = ?, shipping_minor = ?, tax_minor = ?, currency = ?, reason = ?, date_estimated = ? WHERE id = ?');
    return {
      find(marketplace, externalId): FileOrderMatch | undefined {
        const ex = findOrder.get(marketplace, externalId) as
          | { id: bigint; source: string; raw_json: string | null; prices_include_tax: bigint | null; channel: string }
          | undefined;
        if (!ex) return undefined;
        return { id: ex.id, source: ex.source, rawJson: ex.raw_json, pricesIncludeTax: ex.prices_include_tax === null ? null : num(ex.prices_include_tax), channel: ex.channel };
      },
      insert: (v: FileOrderValues) => BigInt(insOrder.run(v).lastInsertRowid),
      update: (id, v) => void updOrder.run({ ...v, id }),
      deleteLines: (orderId) => void delLines.run(orderId),
      deleteOwnFees: (orderId) => void delOwnFees.run(orderId),
      deleteOwnRefunds: (orderId) => void delOwnRefunds.run(orderId),
      insertLine: (orderId, l) => void insLine.run(orderId, l.externalLineId, l.sku, l.title, l.quantity, l.unitPriceMinor, l.grossMinor, l.discountMinor, l.taxMinor),
      fee(orderId, externalId): StoredFeeForImport | undefined {
        const ex = findFee.get(orderId, externalId) as { id: bigint; kind: string; amount_minor: bigint; currency: string; occurred_at: string | null } | undefined;
        return ex ? { id: ex.id, kind: ex.kind, amountMinor: big(ex.amount_minor), currency: ex.currency, occurredAt: ex.occurred_at } : undefined;
      },
      insertFee: (orderId, f) => void insFee.run(orderId, f.kind, f.amountMinor, f.currency, f.occurredAt, f.externalId),
      updateFee: (id, f) => void updFee.run(f.kind, f.amountMinor, f.currency, f.occurredAt, id),
      refund(orderId, externalId): StoredRefundForImport | undefined {
        const ex = findRefund.get(orderId, externalId) as
          | { id: bigint; refunded_at: string; amount_minor: bigint; shipping_minor: bigint; tax_minor: bigint; currency: string }
          | undefined;
        return ex
          ? { id: ex.id, refundedAt: ex.refunded_at, amountMinor: big(ex.amount_minor), shippingMinor: big(ex.shipping_minor), taxMinor: big(ex.tax_minor), currency: ex.currency }
          : undefined;
      },
      insertRefund: (orderId, r, est) => void insRefund.run(orderId, r.externalId, r.refundedAt, r.amountMinor, r.shippingMinor, r.taxMinor, r.currency, r.reason, est),
      updateRefund: (id, r, est) => void updRefund.run(r.refundedAt, r.amountMinor, r.shippingMinor, r.taxMinor, r.currency, r.reason, est, id),
    };
  }

  private pullStatements() {
    const db = this.store.db;
    return (this.pulled ??= {
      find: db.prepare('SELECT id, status, remote_updated_at, raw_json FROM orders WHERE marketplace = ? AND external_id = ?'),
      update: db.prepare(
        `UPDATE orders SET channel = ?, status = ?, ordered_at = ?, remote_updated_at = ?, paid_at = ?, currency = ?, buyer_name = ?, buyer_email = ?,
         ship_to_json = ?, ship_country = ?, shipping_minor = ?, shipping_tax_minor = ?, discount_minor = ?, tax_minor = ?, tax_kind = ?, total_minor = ?,
         raw_json = ?, source = 'api', updated_at = ? WHERE id = ?`,
      ),
      insert: db.prepare(
        `INSERT INTO orders (channel, status, ordered_at, remote_updated_at, paid_at, currency, buyer_name, buyer_email, ship_to_json, ship_country,
           shipping_minor, shipping_tax_minor, discount_minor, tax_minor, tax_kind, total_minor, raw_json, marketplace, external_id, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'api', ?, ?)`,
      ),
      line: db.prepare(
        `INSERT INTO order_lines (order_id, external_line_id, sku, title, quantity, unit_price_minor, discount_minor, tax_minor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_id, external_line_id) DO UPDATE SET sku = excluded.sku, title = excluded.title, quantity = excluded.quantity,
       unit_price_minor = excluded.unit_price_minor, discount_minor = excluded.discount_minor, tax_minor = excluded.tax_minor`,
      ),
      fee: db.prepare(
        `INSERT INTO order_fees (order_id, kind, amount_minor, currency, occurred_at, external_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_id, external_id) DO UPDATE SET kind = excluded.kind, amount_minor = excluded.amount_minor, currency = excluded.currency`,
      ),
      refund: db.prepare(
        `INSERT INTO order_refunds (order_id, external_id, refunded_at, quantity, amount_minor, tax_minor, currency, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (order_id, external_id) DO UPDATE SET refunded_at = excluded.refunded_at, quantity = excluded.quantity, amount_minor = excluded.amount_minor,
       tax_minor = excluded.tax_minor, reason = excluded.reason`,
      ),
    });
  }

  pulledState(marketplace: string, externalId: string): PulledOrderState | undefined {
    const r = this.pullStatements().find.get(marketplace, externalId) as
      | { id: bigint; status: string; remote_updated_at: string | null; raw_json: string | null }
      | undefined;
    return r ? { id: num(r.id), status: r.status, remoteUpdatedAt: r.remote_updated_at, rawJson: r.raw_json } : undefined;
  }

  updatePulled(id: number, v: PulledOrderValues, at: string): void {
    this.pullStatements().update.run(...pulledColumns(v), at, id);
  }

  insertPulled(marketplace: string, externalId: string, v: PulledOrderValues, at: string): number {
    const r = this.pullStatements().insert.run(...pulledColumns(v), marketplace, externalId, at, at);
    return Number(r.lastInsertRowid);
  }

  upsertPulledLine(orderId: number, l: OrderLineIn): void {
    this.pullStatements().line.run(orderId, l.externalLineId, l.sku, l.title, l.quantity, l.unitPriceMinor, l.discountMinor, l.taxMinor);
  }

  upsertPulledFee(orderId: number, f: OrderFeeIn, occurredAt: string): void {
    this.pullStatements().fee.run(orderId, f.kind, f.amountMinor, f.currency, occurredAt, f.externalId);
  }

  upsertPulledRefund(orderId: number, r: PulledRefundValues): void {
    this.pullStatements().refund.run(orderId, r.externalId, r.refundedAt, r.quantity, r.amountMinor, r.taxMinor, r.currency, r.reason);
  }
}

/** The order columns in the order both pull statements bind them. */
function pulledColumns(v: PulledOrderValues): unknown[] {
  return [
    v.channel, v.status, v.orderedAt, v.remoteUpdatedAt, v.paidAt, v.currency, v.buyerName, v.buyerEmail, v.shipToJson, v.shipCountry,
    v.shippingMinor, v.shippingTaxMinor, v.discountMinor, v.taxMinor, v.taxKind, v.totalMinor, v.rawJson,
  ];
}

/** The VAT facts of orders (store/repos/order-tax.ts) as a repository. */
export class SqliteOrderTax implements OrderTaxRepo {
  constructor(private readonly store: Store) {}
  facts(ids: readonly (number | bigint)[], includesTax: (channel: string) => boolean): OrderTaxFacts[] {
    return orderTaxFacts(this.store, ids, includesTax);
  }
  unclassifiedIds(limit: number): bigint[] {
    return unclassifiedOrderIds(this.store, limit);
  }
  save(id: bigint | number, v: StoredVat | null): void {
    saveOrderVat(this.store, id, v);
  }
  businessProfile(): BusinessTaxProfile {
    return businessTaxProfile(this.store);
  }
  dropEstimatedRefunds(orderId: bigint | number): number {
    return dropEstimatedRefunds(this.store, orderId);
  }
}
