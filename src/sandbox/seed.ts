// Seed data: fixtures/sandbox/demo.json (a small catalogue and orders across amazon-de, amazon-uk,
// ebay-uk and shopify), or nothing at all with --seed-data empty.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_FIXTURES } from './paths.js';

export type SeedChannel = 'amazon-de' | 'amazon-uk' | 'ebay-uk' | 'shopify';

export interface SeedProduct {
  sku: string;
  title: string;
  description: string;
  brand: string;
  ean: string;
  weightGrams: number;
  hsCode: string;
  originCountry: string;
  productType: string;
  stock: number;
  /** Decimal text per channel, in the channel's currency. */
  prices: Partial<Record<SeedChannel, string>>;
}

export interface SeedAddress {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  countryCode: string;
}

export interface SeedOrder {
  channel: SeedChannel;
  id: string;
  createdAt: string;
  updatedAt: string;
  status: 'unshipped' | 'shipped' | 'cancelled';
  currency: string;
  presentmentCurrency?: string;
  presentmentRate?: string;
  convertedFrom?: { currency: string; rate: string };
  buyer: { name: string; email?: string; username?: string };
  shipTo: SeedAddress;
  lines: Array<{ sku: string; quantity: number; unitPrice: string }>;
  shipping: string;
  tax: string;
}

export interface DemoSeed {
  products: SeedProduct[];
  orders: SeedOrder[];
}

export function loadSeed(kind: 'demo' | 'empty' = 'demo'): DemoSeed {
  if (kind === 'empty') return { products: [], orders: [] };
  const doc = JSON.parse(readFileSync(join(SANDBOX_FIXTURES, 'demo.json'), 'utf8')) as DemoSeed;
  return { products: doc.products, orders: doc.orders };
}

export const CHANNEL_CURRENCY: Record<SeedChannel, string> = {
  'amazon-de': 'EUR',
  'amazon-uk': 'GBP',
  'ebay-uk': 'GBP',
  shopify: 'EUR',
};

/** Exact decimal-text arithmetic for seed amounts (2 decimals), without floats. */
export function toCents(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not an amount: ${text}`);
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -cents : cents;
}

export function fromCents(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}
