// eBay sandboxes with extra orders, built through a state file (the sandbox's own state format).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { tempDir } from '../helpers/run.js';
import { sandbox } from './helpers.js';

export interface EbayOrderSeed {
  orderId: string;
  created: string;
  modified?: string;
  /** The buyer's site (purchaseMarketplaceId). */
  site?: string;
  currency?: string;
  lines: Array<{ sku: string; quantity: number; unitPrice: string; listing?: string; legacyItemId?: string }>;
}

type O = Record<string, unknown>;

/** A listing made in Seller Hub (the sandbox's LegacyListing), on ebay.de unless said otherwise. */
export interface LegacySeed {
  listingId: string;
  sku: string;
  price: string;
  quantity: number;
  marketplaceId?: string;
}

/** A sandbox (virtual clock, as `sandbox()`) whose eBay seller also has these orders (and Seller Hub listings). */
export async function ebaySandboxWithOrders(orders: EbayOrderSeed[], opts: SandboxOptions & { legacy?: LegacySeed[] } = {}): Promise<Sandbox> {
  const seed = await startSandbox({ port: 0 });
  const state = seed.state() as { apis: Record<string, O> };
  await seed.stop();
  const seller = Object.values(state.apis.ebay!.sellers as O)[0] as O;
  const legacy = seller.legacy as O;
  for (const l of opts.legacy ?? []) {
    legacy[l.listingId] = { listingId: l.listingId, marketplaceId: l.marketplaceId ?? 'EBAY_DE', format: 'FIXED_PRICE', title: l.sku, currency: 'EUR', items: [{ sku: l.sku, price: l.price, quantity: l.quantity }], businessPolicies: true, postalCode: '111 51', status: 'ACTIVE' };
  }
  delete (opts as { legacy?: unknown }).legacy;
  const book = seller.orders as O;
  for (const o of orders) {
    book[o.orderId] = {
      orderId: o.orderId,
      creationDate: o.created,
      lastModifiedDate: o.modified ?? o.created,
      fulfillment: 'NOT_STARTED',
      cancelled: false,
      currency: o.currency ?? 'GBP',
      convertedFrom: null,
      buyer: { username: `buyer_${o.orderId}`, name: 'Test Buyer', email: null },
      shipTo: { fullName: 'Test Buyer', addressLine1: '1 High St', city: 'Leeds', postalCode: 'LS1 1AA', countryCode: 'GB' },
      lines: o.lines.map((l, i) => ({ lineItemId: `${o.orderId.replace(/\D/g, '')}${i + 1}`, legacyItemId: l.legacyItemId ?? '110500000001', sku: l.sku, title: l.sku, quantity: l.quantity, unitPrice: l.unitPrice, fulfilled: false, ...(l.listing ? { listingMarketplaceId: l.listing } : {}) })),
      shipping: '0.00',
      tax: '0.00',
      marketplaceId: o.site ?? 'EBAY_GB',
      fulfillments: [],
    };
  }
  const path = join(tempDir('merchant-ebaystate-'), 'state.json');
  writeFileSync(path, JSON.stringify(state));
  return sandbox({ statePath: path, ...opts });
}

/** n orders created one hour apart, newest last, each modified ten minutes after creation. */
export function manyOrders(n: number, prefix = '27'): EbayOrderSeed[] {
  const t0 = Date.parse('2026-10-01T00:00:00.000Z');
  return Array.from({ length: n }, (_, i) => {
    const created = new Date(t0 + i * 3_600_000).toISOString();
    return { orderId: `${prefix}-${String(i + 1).padStart(5, '0')}-00000`, created, modified: new Date(Date.parse(created) + 600_000).toISOString(), lines: [{ sku: 'TEA-TWL-NAT', quantity: 1, unitPrice: '10.50' }] };
  });
}
