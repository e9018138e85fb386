// Reads one marketplace order report: finds its header (by signature), streams its records into the
// format's assembler and returns normalised orders, settlement attachments and every problem found.

import type { Readable } from 'node:stream';
import type { InputProblem } from '../../core/errors.js';
import { detectFormat, Header, requiredColumns } from './detect.js';
import { readRecords, isBlank, type FileRecord } from './records.js';
import { Row } from './row.js';
import { ShopifyAssembler } from './shopify.js';
import { AmazonOrdersAssembler, AmazonSettlementAssembler } from './amazon.js';
import { EbayAssembler, isEbayTrailer } from './ebay.js';
import { EbayTransactionsAssembler } from './ebay-transactions.js';
import type { ParsedOrder, ReadOptions, ReadResult } from './types.js';

export * from './types.js';

const HEADER_SEARCH_ROWS = 30;

export async function readOrderFile(file: string, opts: ReadOptions, stdin?: Readable): Promise<ReadResult> {
  const problems: InputProblem[] = [];
  const warnings: string[] = [];
  const label = file === '-' ? '<stdin>' : file;
  const records = readRecords(file, stdin);
  let header: Header | undefined;
  const early: FileRecord[] = [];
  let format = opts.format;
  const orders: ParsedOrder[] = [];
  let rows = 0;

  let shopify: ShopifyAssembler | undefined;
  let amazon: AmazonOrdersAssembler | undefined;
  let settlement: AmazonSettlementAssembler | undefined;
  let ebay: EbayAssembler | undefined;
  let ebayTx: EbayTransactionsAssembler | undefined;

  try {
    for await (const rec of records) {
      if (!header) {
        if (isBlank(rec.cells)) continue;
        const f = detectFormat(rec.cells);
        if (f && (!format || format === f)) {
          header = new Header(rec.cells);
          format = f;
          if (f === 'shopify') shopify = new ShopifyAssembler((o) => orders.push(o));
          else if (f === 'amazon') amazon = new AmazonOrdersAssembler(opts.channel);
          else if (f === 'amazon-settlement') settlement = new AmazonSettlementAssembler();
          else if (f === 'ebay-transactions') ebayTx = new EbayTransactionsAssembler(opts.timezone);
          else ebay = new EbayAssembler(opts.timezone, opts.channel);
          continue;
        }
        early.push(rec);
        if (early.length >= HEADER_SEARCH_ROWS) break;
        continue;
      }
      if (isBlank(rec.cells)) continue;
      const row = new Row(label, rec.line, header, rec.cells, problems);
      if (ebay && isEbayTrailer(row)) continue;
      rows++;
      if (shopify) shopify.row(row);
      else if (amazon) amazon.row(row);
      else if (settlement) settlement.row(row);
      else if (ebayTx) ebayTx.row(row);
      else ebay!.row(row);
    }
  } catch (e) {
    const err = e as { code?: string; lines?: number; message?: string };
    if (err.code === 'ENOENT') {
      problems.push({ file: label, rule: 'missing', message: 'no such file' });
      return { format: format ?? 'shopify', orders: [], attachments: [], problems, warnings, rows };
    }
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      problems.push({ file: label, line: err.lines, rule: 'csv', message: `not valid CSV: ${err.message}` });
      return { format: format ?? 'shopify', orders: [], attachments: [], problems, warnings, rows };
    }
    throw e;
  }
  if (!header || !format) {
    const first = early[0];
    problems.push({
      file: label,
      line: first?.line ?? 1,
      rule: 'format',
      message: opts.format
        ? `the header does not have the columns of a ${opts.format} report (${requiredColumns(opts.format).join(', ')})`
        : 'not an order report merchant knows: expected a Shopify orders export, an Amazon order report or settlement report (tab-separated), or an eBay orders or transaction report',
    });
    return { format: format ?? 'shopify', orders: [], attachments: [], problems, warnings, rows };
  }
  shopify?.flush();
  if (amazon) {
    orders.push(...amazon.result());
    if (amazon.skippedNonAmazon) warnings.push(`${label}: ${amazon.skippedNonAmazon} Non-Amazon (multi-channel fulfilment) rows skipped`);
  }
  if (ebay) orders.push(...ebay.result());
  return { format, orders, attachments: settlement ? settlement.result() : ebayTx ? ebayTx.result() : [], problems, warnings, rows };
}
