// `orders import`: reads marketplace order reports, validates everything first, then writes in one
// transaction: an order is matched on (marketplace, external id) — never on dates — and is created,
// updated (its file content changed) or left unchanged. Orders that came from a marketplace API are
// the same records and are not overwritten by a file (the API's record is the richer one).

import type { Readable } from 'node:stream';
import { InvalidInputError, type InputProblem } from '../../core/errors.js';
import { channelDef } from '../../core/channels.js';
import { isCurrencyOn, WITHDRAWN_CURRENCIES } from '../../core/currencies.js';
import { normaliseAddress } from '../../core/address.js';
import type { OrderTaxPort } from '../../ports/order-tax.js';
import { crossRate } from '../fx/lookup.js';
import { recordOrderTaxFacts } from './tax-facts.js';
import type { Attachment, OrderFileFormat, OrderFiles, ParsedOrder, ParsedFee, ParsedRefund } from '../../ports/order-files.js';
import type { Repositories } from '../../ports/repositories.js';

/** What an import reads and writes: the orders, their VAT facts (and the rates deciding them), the audit log, one transaction. */
export type OrderImportRepos = Pick<Repositories, 'orders' | 'orderTax' | 'fxRates' | 'audit' | 'tx'>;
/** What deciding an order's VAT collector reads: the orders' facts and the business, and the exchange rates. */
export type OrderTaxRepos = Pick<Repositories, 'orderTax' | 'fxRates'>;

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

export async function importOrders(repos: OrderImportRepos, orderFiles: OrderFiles, opts: ImportOrdersOptions, stdin?: Readable): Promise<ImportOrdersResult> {
  const problems: InputProblem[] = [];
  const warnings: string[] = [];
  const merged = new Map<string, ParsedOrder>();
  const attachments: Attachment[] = [];
  const files: ImportOrdersResult['files'] = [];
  for (const file of opts.files) {
    const r = await orderFiles.read(file, { timezone: opts.timezone, format: opts.format, channel: opts.channel }, stdin);
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
  const w = repos.orders.fileWriter();

  const putFee = (orderId: bigint, f: ParsedFee) => {
    const ex = w.fee(orderId, f.externalId);
    if (!ex) {
      w.insertFee(orderId, f);
      result.fees.created++;
    } else if (ex.kind !== f.kind || ex.amountMinor !== f.amountMinor || ex.currency !== f.currency || ex.occurredAt !== f.occurredAt) {
      w.updateFee(ex.id, f);
      result.fees.updated++;
    } else result.fees.unchanged++;
  };
  const putRefund = (orderId: bigint, r: ParsedRefund) => {
    const ex = w.refund(orderId, r.externalId);
    const est = r.dateEstimated ? 1 : 0;
    if (!ex) {
      w.insertRefund(orderId, r, est);
      result.refunds.created++;
    } else if (ex.refundedAt !== r.refundedAt || ex.amountMinor !== r.amountMinor || ex.shippingMinor !== r.shippingMinor
      || ex.taxMinor !== r.taxMinor || ex.currency !== r.currency) {
      w.updateRefund(ex.id, r, est);
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
      const ex = w.find(o.marketplace, o.externalId);
      let orderId: bigint;
      if (ex && !ex.source.startsWith('file:')) {
        result.orders.keptFromApi++;
        continue;
      }
      result.refundsDatedAtOrder += refunds.filter((r) => r.dateEstimated).length;
      if (!ex) {
        orderId = w.insert(bind);
        result.orders.created++;
      } else if (ex.rawJson === raw) {
        result.orders.unchanged++;
        result.fees.unchanged += fees.length;
        result.refunds.unchanged += refunds.length;
        continue;
      } else {
        orderId = ex.id;
        w.update(orderId, bind);
        w.deleteLines(orderId);
        w.deleteOwnFees(orderId);
        w.deleteOwnRefunds(orderId);
        result.orders.updated++;
      }
      written.push(orderId);
      for (const l of lines) {
        w.insertLine(orderId, l);
      }
      for (const f of fees) putFee(orderId, f);
      for (const r of refunds) putRefund(orderId, r);
    }
    const missing: InputProblem[] = [];
    for (const a of attachments) {
      const ex = w.find(a.marketplace, a.externalId);
      if (!ex) {
        missing.push({ file: a.where.file, line: a.where.line, field: 'order-id', value: a.externalId, rule: 'unknown-order',
          message: `order ${a.externalId} is not in the database: import its order report first (or in the same command)` });
        continue;
      }
      const inclusive = ex.pricesIncludeTax === null ? channelDef(ex.channel)?.pricesIncludeTax ?? true : ex.pricesIncludeTax === 1;
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
    const port = orderTaxPort(repos);
    recordOrderTaxFacts(port, written);
    recordOrderTaxFacts(port, repos.orderTax.unclassifiedIds(BACKFILL_BATCH));
    repos.audit.record({ at: now, command: 'orders import', entity: 'orders', action: opts.dryRun ? 'import-dry-run' : 'import', detail: {
      files: files.map((f) => ({ file: f.file, format: f.format, rows: f.rows })), orders: result.orders, fees: result.fees, refunds: result.refunds,
    } });
    if (opts.dryRun) throw new DryRunRollback();
  };
  try {
    repos.tx(write);
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
export function orderTaxPort(repos: OrderTaxRepos): OrderTaxPort {
  return {
    facts: (ids) => repos.orderTax.facts(ids, (channel) => channelDef(channel)?.pricesIncludeTax ?? true),
    profile: () => repos.orderTax.businessProfile(),
    rate: (from, to, date) => {
      try {
        return crossRate(repos, from, to, date).rate;
      } catch (e) {
        if (e instanceof InvalidInputError) return undefined;
        throw e;
      }
    },
    save: (id, v) => repos.orderTax.save(id, v),
    dropEstimatedRefunds: (id) => repos.orderTax.dropEstimatedRefunds(id),
  };
}

/** For the order pull: decide and store the VAT collector of an order the API delivered (its refunds replace undated ones). */
export function recordPulledOrderTaxFacts(repos: OrderTaxRepos, orderId: number | bigint): void {
  recordOrderTaxFacts(orderTaxPort(repos), [orderId], { fromApi: true });
}

function fail(problems: InputProblem[]): never {
  const files = [...new Set(problems.map((p) => p.file).filter(Boolean))];
  throw new InvalidInputError(
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files.join(', ') || 'the input'}; nothing was imported`,
    { problems, hints: ['fix the rows named above (file:line:column) and run the same command again'] },
  );
}
