// Which marketplace report a header row belongs to: by the names of its columns, never by position.

import type { OrderFileFormat } from './types.js';

const SIGNATURES: Array<{ format: OrderFileFormat; required: string[] }> = [
  { format: 'shopify', required: ['Name', 'Created at', 'Lineitem quantity', 'Lineitem price', 'Currency'] },
  { format: 'amazon', required: ['amazon-order-id', 'purchase-date', 'sku', 'quantity', 'currency', 'item-price'] },
  { format: 'amazon-settlement', required: ['settlement-id', 'transaction-type', 'order-id', 'amount-type', 'amount-description', 'amount'] },
  { format: 'ebay-transactions', required: ['Transaction creation date', 'Type', 'Order number', 'Net amount', 'Payout currency', 'Transaction currency'] },
  { format: 'ebay', required: ['Order Number', 'Sales Record Number', 'Quantity', 'Sold For', 'Sale Date'] },
];

export function detectFormat(header: readonly string[]): OrderFileFormat | undefined {
  const names = new Set(header.map((h) => h.trim()));
  return SIGNATURES.find((s) => s.required.every((r) => names.has(r)))?.format;
}

export function requiredColumns(format: OrderFileFormat): string[] {
  return SIGNATURES.find((s) => s.format === format)!.required;
}

/** Column index by name, for one header row. */
export class Header {
  private index = new Map<string, number>();
  constructor(readonly names: readonly string[]) {
    names.forEach((n, i) => {
      const k = n.trim();
      if (!this.index.has(k)) this.index.set(k, i);
    });
  }
  has(name: string): boolean {
    return this.index.has(name);
  }
  col(name: string): number | undefined {
    return this.index.get(name);
  }
  get(cells: readonly string[], name: string): string {
    const i = this.index.get(name);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  }
}
