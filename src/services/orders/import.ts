// `orders import`: reads marketplace order reports, validates everything first, then writes in one
// transaction: an order is matched on (marketplace, external id) — never on dates — and is created,
// updated (its file content changed) or left unchanged. Orders that came from a marketplace API are
// the same records and are not overwritten by a file (the API's record is the richer one).

import type { Readable } from 'node:stream';
import type { Store } from '../../store/db.js';
import { big, num } from '../../store/db.js';
import { InvalidInputError, type InputProblem } from '../../core/errors.js';
import { channelDef } from '../../core/channels.js';
import { isCurrencyOn, WITHDRAWN_CURRENCIES } from '../../core/currencies.js';
import { audit } from '../../store/repos/audit.js';
import { normaliseAddress } from '../../core/address.js';
import { businessTaxProfile, dropEstimatedRefunds, orderTaxFacts, saveOrderVat, unclassifiedOrderIds } from '../../store/repos/order-tax.js';
import type { OrderTaxPort } from '../../ports/order-tax.js';
import { crossRate } from '../fx/lookup.js';
import { recordOrderTaxFacts } from './tax-facts.js';
import { readOrderFile, type OrderFileFormat, type ParsedOrder, type ParsedFee, type ParsedRefund } from '../../adapters/orderfiles/index.js';

export interface ImportOrdersOptions {
  files: string[];
  timezone: string;
  format?: OrderFileFormat;
  channel?: string;
  dryRun?: boolean;
  now: Date;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportOrdersResult {
  files: Array<{ file: string; format: OrderFileFormat; rows: number; orders: number; settlementOrders: number }>;
  orders: Counts & { keptFromApi: number };
  fees: Counts;
  refunds: Counts;
  /** Refunds the file gives without a date (Shopify's orders export): dated at their order, replaced by a sync. */
  refundsDatedAtOrder: number;
  warnings: string[];
  dryRun: boolean;
}

function zero(): Counts {
  return { created: 0, updated: 0, unchanged: 0 };
}

/** The record as stored in raw_json: stable key order, BigInt as text; also the change detector. */
export function canonicalOrder(o: ParsedOrder): string {
  const { where, ...rest } = o;
  void where;
  return JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export async function importOrders(store: Store, opts: ImportOrdersOptions, stdin?: Readable): Promise<ImportOrdersResult> {
  const problems: InputProblem[] = [];
  const warnings: string[] = [];
  const merged = new Map<string, ParsedOrder>();
  const attachments: Awaited<ReturnType<typeof readOrderFile>>['attachments'] = [];
  const files: ImportOrdersResult['files'] = [];
  for (const file of opts.files) {
    const r = await readOrderFile(file, { timezone: opts.timezone, format: opts.format, channel: opts.channel }, stdin);
    problems.push(...r.problems);
    warnings.push(...r.warnings);
    for (const o of r.orders) merged.set(`${o.marketplace}|${o.externalId}`, o);
    attachments.push(...r.attachments);
    files.push({ file, format: r.format, rows: r.rows, orders: r.orders.length, settlementOrders: r.attachments.length });
  }
  for (const o of merged.values()) {
    if (o.lines.length === 0) problems.push({ file: o.where.file, line: o.where.line, rule: 'structure', message: `order ${o.externalId} has no line items` });
    const day = o.orderedAt.slice(0, 10);
    const w = WITHDRAWN_CURRENCIES[o.currency];
    if (w && !isCurrencyOn(o.currency, day)) {
      problems.push({ file: o.where.file, line: o.where.line, field: 'currency', value: o.currency, rule: 'withdrawn-currency',
        message: `order ${o.externalId} of ${day} is in ${o.currency}, which the euro replaced after ${w.lastDay} (1 EUR = ${w.conversionRate} ${o.currency}): the marketplace reports such orders in EUR — check the file's currency column` });
    }
  }
  if (problems.length) fail(problems);

  const now = opts.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const result: ImportOrdersResult = {
    files,
    orders: { ...zero(), keptFromApi: 0 },
    fees: zero(),
    refunds: zero(),
    refundsDatedAtOrder: 0,
    warnings,
    dryRun: Boolean(opts.dryRun),
  };
  const noteEstimated = () => {
    if (!result.refundsDatedAtOrder) return;
    warnings.push(`${result.refundsDatedAtOrder} refund${result.refundsDatedAtOrder === 1 ? '' : 's'} from the Shopify orders export ${result.refundsDatedAtOrder === 1 ? 'is' : 'are'} dated at ${result.refundsDatedAtOrder === 1 ? 'its' : 'their'} order's date: the export has no refund date. \`merchant report sales --detail\` marks them; \`merchant sync --only orders\` replaces them with the refunds and dates from Shopify`);
  };
  const db = store.db;
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

  const putFee = (orderId: bigint, f: ParsedFee) => {
    const ex = findFee.get(orderId, f.externalId) as { id: bigint; kind: string; amount_minor: bigint; currency: string; occurred_at: string | null } | undefined;
    if (!ex) {
      insFee.run(orderId, f.kind, f.amountMinor, f.currency, f.occurredAt, f.externalId);
      result.fees.created++;
    } else if (ex.kind !== f.kind || big(ex.amount_minor) !== f.amountMinor || ex.currency !== f.currency || ex.occurred_at !== f.occurredAt) {
      updFee.run(f.kind, f.amountMinor, f.currency, f.occurredAt, ex.id);
      result.fees.updated++;
    } else result.fees.unchanged++;
  };
  const putRefund = (orderId: bigint, r: ParsedRefund) => {
    const ex = findRefund.get(orderId, r.externalId) as
      | { id: bigint; refunded_at: string; amount_minor: bigint; shipping_minor: bigint; tax_minor: bigint; currency: string }
      | undefined;
    const est = r.dateEstimated ? 1 : 0;
    if (!ex) {
      insRefund.run(orderId, r.externalId, r.refundedAt, r.amountMinor, r.shippingMinor, r.taxMinor, r.currency, r.reason, est);
      result.refunds.created++;
    } else if (ex.refunded_at !== r.refundedAt || big(ex.amount_minor) !== r.amountMinor || big(ex.shipping_minor) !== r.shippingMinor
      || big(ex.tax_minor) !== r.taxMinor || ex.currency !== r.currency) {
      updRefund.run(r.refundedAt, r.amountMinor, r.shippingMinor, r.taxMinor, r.currency, r.reason, est, ex.id);
      result.refunds.updated++;
    } else result.refunds.unchanged++;
  };

  const written: bigint[] = [];
  const write = () => {
    for (const o of merged.values()) {
      const raw = canonicalOrder(o);
      const row = {
        ...o,
        shipPostalCode: o.shipPostalCode ?? null,
        pit: o.pricesIncludeTax === null ? null : o.pricesIncludeTax ? 1 : 0,
        source: `file:${o.format}`,
        raw,
        now,
      };
      const { lines, fees, refunds, where, format, pricesIncludeTax, shipTo, ...rest } = row;
      void where; void format; void pricesIncludeTax;
      // One stored address shape (core/address.ts); a file without address columns keeps name + country.
      const address = shipTo ?? normaliseAddress(null, { name: o.buyerName, email: o.buyerEmail, country: o.shipCountry });
      const bind = { ...rest, shipToJson: address ? JSON.stringify(address) : null };
      const ex = findOrder.get(o.marketplace, o.externalId) as { id: bigint; source: string; raw_json: string | null } | undefined;
      let orderId: bigint;
      if (ex && !ex.source.startsWith('file:')) {
        result.orders.keptFromApi++;
        continue;
      }
      result.refundsDatedAtOrder += refunds.filter((r) => r.dateEstimated).length;
      if (!ex) {
        orderId = BigInt(insOrder.run(bind).lastInsertRowid);
        result.orders.created++;
      } else if (ex.raw_json === raw) {
        result.orders.unchanged++;
        result.fees.unchanged += fees.length;
        result.refunds.unchanged += refunds.length;
        continue;
      } else {
        orderId = ex.id;
        updOrder.run({ ...bind, id: orderId });
        delLines.run(orderId);
        delOwnFees.run(orderId);
        delOwnRefunds.run(orderId);
        result.orders.updated++;
      }
      written.push(orderId);
      for (const l of lines) {
        insLine.run(orderId, l.externalLineId, l.sku, l.title, l.quantity, l.unitPriceMinor, l.grossMinor, l.discountMinor, l.taxMinor);
      }
      for (const f of fees) putFee(orderId, f);
      for (const r of refunds) putRefund(orderId, r);
    }
    const missing: InputProblem[] = [];
    for (const a of attachments) {
      const ex = findOrder.get(a.marketplace, a.externalId) as { id: bigint; prices_include_tax: bigint | null; channel: string } | undefined;
      if (!ex) {
        missing.push({ file: a.where.file, line: a.where.line, field: 'order-id', value: a.externalId, rule: 'unknown-order',
          message: `order ${a.externalId} is not in the database: import its order report first (or in the same command)` });
        continue;
      }
      const inclusive = ex.prices_include_tax === null ? channelDef(ex.channel)?.pricesIncludeTax ?? true : num(ex.prices_include_tax) === 1;
      for (const f of a.fees) putFee(ex.id, f);
      for (const r of a.refunds) {
        // Listed amounts follow the order's convention: tax-inclusive where its prices include tax.
        const tax = r.tax + r.shippingTax;
        putRefund(ex.id, {
          externalId: r.externalId,
          refundedAt: r.refundedAt,
          amountMinor: r.principal - r.promotion + (inclusive && !r.principalAsListed ? r.tax : 0n),
          shippingMinor: r.shipping + (inclusive && !r.principalAsListed ? r.shippingTax : 0n),
          taxMinor: tax,
          currency: r.currency,
          reason: r.externalId.startsWith('ebay-tx:') ? 'eBay transaction report refund' : 'Amazon settlement refund',
        });
      }
    }
    if (missing.length) fail(missing);
    // Who collects each order's VAT, decided now and stored on the order; orders stored by an earlier
    // version get theirs too (a bounded batch per run; reports decide any left on the fly).
    const port = orderTaxPort(store);
    recordOrderTaxFacts(port, written);
    recordOrderTaxFacts(port, unclassifiedOrderIds(store, BACKFILL_BATCH));
    audit(store, { at: now, command: 'orders import', entity: 'orders', action: opts.dryRun ? 'import-dry-run' : 'import', detail: {
      files: files.map((f) => ({ file: f.file, format: f.format, rows: f.rows })), orders: result.orders, fees: result.fees, refunds: result.refunds,
    } });
    if (opts.dryRun) throw new DryRunRollback();
  };
  try {
    store.tx(write);
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  noteEstimated();
  return result;
}

class DryRunRollback extends Error {}

/** How many orders stored before tax facts existed are classified per import or pull. */
const BACKFILL_BATCH = 5000;

/** The order tax port over the store and the FX rates (exact cross rates at the payment day). */
export function orderTaxPort(store: Store): OrderTaxPort {
  return {
    facts: (ids) => orderTaxFacts(store, ids, (channel) => channelDef(channel)?.pricesIncludeTax ?? true),
    profile: () => businessTaxProfile(store),
    rate: (from, to, date) => {
      try {
        return crossRate(store, from, to, date).rate;
      } catch (e) {
        if (e instanceof InvalidInputError) return undefined;
        throw e;
      }
    },
    save: (id, v) => saveOrderVat(store, id, v),
    dropEstimatedRefunds: (id) => dropEstimatedRefunds(store, id),
  };
}

/** For the order pull: decide and store the VAT collector of an order the API delivered (its refunds replace undated ones). */
export function recordPulledOrderTaxFacts(store: Store, orderId: number | bigint): void {
  recordOrderTaxFacts(orderTaxPort(store), [orderId], { fromApi: true });
}

function fail(problems: InputProblem[]): never {
  const files = [...new Set(problems.map((p) => p.file).filter(Boolean))];
  throw new InvalidInputError(
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files.join(', ') || 'the input'}; nothing was imported`,
    { problems, hints: ['fix the rows named above (file:line:column) and run the same command again'] },
  );
}
