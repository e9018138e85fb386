// The order-report files the import reads (Shopify orders export, Amazon order and settlement reports,
// eBay orders and transaction reports): what a reader hands the import service — orders normalised to
// the orders contract (store/migrations/0004 and 0050), and settlement items that attach to existing
// orders — and the port the readers are reached through (adapters/orderfiles, wired in cli/wiring/*.ts).

import type { Readable } from 'node:stream';
import type { InputProblem } from '../core/errors.js';
import type { MarketplaceName } from '../core/channels.js';
import type { PostalAddress } from '../core/address.js';
import type { OrderHeader } from './marketplace.js';

export type OrderFileFormat = 'shopify' | 'amazon' | 'amazon-settlement' | 'ebay' | 'ebay-transactions';
export const ORDER_FILE_FORMATS: readonly OrderFileFormat[] = ['shopify', 'amazon', 'amazon-settlement', 'ebay', 'ebay-transactions'];

export interface Where {
  file: string;
  line: number;
}

export interface ParsedLine {
  externalLineId: string;
  sku: string | null;
  title: string | null;
  quantity: number;
  unitPriceMinor: bigint;
  /** Line total as listed when the source gives one (Amazon item-price); null = quantity × unit price. */
  grossMinor: bigint | null;
  discountMinor: bigint;
  taxMinor: bigint;
}

export interface ParsedFee {
  externalId: string;
  kind: string;
  amountMinor: bigint;
  currency: string;
  occurredAt: string | null;
}

export interface ParsedRefund {
  externalId: string;
  refundedAt: string;
  amountMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  currency: string;
  reason: string | null;
  /** The file has no refund date: the order date stands in (Shopify's orders export). */
  dateEstimated?: boolean;
}

export interface ParsedOrder extends OrderHeader {
  format: OrderFileFormat;
  where: Where;
  marketplace: MarketplaceName;
  channel: string;
  externalId: string;
  /** The ship-to address in the stored shape, from the file's own address columns (absent: none in the file). */
  shipTo?: PostalAddress | null;
  /** The ship-to postcode where the file gives it (Northern Ireland, the Canary Islands… are told apart by it). */
  shipPostalCode?: string | null;
  pricesIncludeTax: boolean | null;
  lines: ParsedLine[];
  fees: ParsedFee[];
  refunds: ParsedRefund[];
}

/** Settlement refund parts (Amazon, eBay transactions), resolved against the order's tax convention by the service. */
export interface SettlementRefund {
  externalId: string;
  refundedAt: string;
  currency: string;
  principal: bigint;
  shipping: bigint;
  tax: bigint;
  shippingTax: bigint;
  promotion: bigint;
  /** eBay: the item amount is as listed (tax-inclusive where prices include tax); Amazon: Principal excludes the Tax lines. */
  principalAsListed: boolean;
}

/** Fees and refunds for an order that is already known (from an order report or a sync). */
export interface Attachment {
  where: Where;
  marketplace: MarketplaceName;
  externalId: string;
  fees: ParsedFee[];
  refunds: SettlementRefund[];
}

export interface ReadResult {
  format: OrderFileFormat;
  orders: ParsedOrder[];
  attachments: Attachment[];
  problems: InputProblem[];
  warnings: string[];
  rows: number;
}

export interface ReadOptions {
  /** The seller's time zone: date-only values (eBay) are placed at local noon. */
  timezone: string;
  format?: OrderFileFormat;
  /** Force the channel (e.g. an eBay report in EUR from ebay.fr). */
  channel?: string;
}

/** Reads one order file (a path, or '-' for stdin), validating every row; nothing is written. */
export interface OrderFiles {
  read(file: string, opts: ReadOptions, stdin?: Readable): Promise<ReadResult>;
}
