// Sync tests run the CLI against the real sandbox server (loopback HTTP), with the clock pinned and
// backoff waits scaled to zero (retries still happen; nobody waits).

import { onTestFinished } from 'vitest';
import type { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { openStore, type Store } from '../../src/store/db.js';
import { enqueueChange, type OutboxKind } from '../../src/store/repos/outbox.js';
import { kindsOf, markSyncWanted, wantedListings } from '../../src/store/repos/sync-state.js';
import { channelDef, marketplaceOf } from '../../src/core/channels.js';
import { parseAmount } from '../../src/core/money.js';
import { run, tempDir, type RunResult } from '../helpers/run.js';

export const NOW = '2026-11-25T06:00:00.000Z';

export interface SeedProduct {
  sku: string;
  title: string;
  productType: string;
  stock: number;
  prices: Record<string, string>;
}

export const DEMO = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../fixtures/sandbox/demo.json'), 'utf8')) as { products: SeedProduct[] };

/**
 * The sandbox's clock is virtual: every reading moves it 50 ms on, so rate-limit buckets refill as
 * requests happen while the CLI's backoff waits are scaled to zero (no test ever sleeps for a bucket).
 */
export async function sandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  let t = Date.parse(NOW);
  const sb = await startSandbox({ port: 0, seed: 7, now: () => (t += 50), ...opts });
  onTestFinished(() => sb.stop());
  return sb;
}

export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MERCHANT_NOW: NOW,
    MERCHANT_HTTP_BACKOFFSCALE: '0',
    MERCHANT_HTTP_TIMEOUTMS: '1500',
    MERCHANT_HTTP_RETRIES: '6',
    MERCHANT_AMAZON_POLLINITIALMS: '10',
    ...extra,
  };
}

export interface World {
  home: string;
  sb: Sandbox;
  env: Record<string, string>;
  cli(args: string[], o?: { tty?: boolean; stdin?: string | PassThrough }): Promise<RunResult>;
  store(): Store;
}

/** A temp home with the demo catalogue and the given marketplaces connected to the sandbox. */
export async function world(marketplaces: Array<'amazon' | 'ebay' | 'shopify'>, o: { sb?: Sandbox; env?: Record<string, string>; connectedAt?: string } = {}): Promise<World> {
  const sb = o.sb ?? (await sandbox());
  const home = tempDir('merchant-sync-');
  const env = testEnv(o.env);
  const cli = (args: string[], ro: { tty?: boolean; stdin?: string | PassThrough } = {}) => run(args, { home, env: o.connectedAt ? { ...env, MERCHANT_NOW: o.connectedAt } : env, ...ro });
  for (const m of marketplaces) {
    const r = await run(['marketplace', 'connect', m, '--sandbox', sb.url], { home, env: { ...env, MERCHANT_NOW: o.connectedAt ?? NOW } });
    if (r.code !== 0) throw new Error(`connect ${m} failed: ${r.stderr}`);
  }
  const stores: Store[] = [];
  onTestFinished(() => stores.forEach((s) => s.close()));
  const w: World = {
    home,
    sb,
    env,
    cli: (args, ro) => run(args, { home, env, ...ro }),
    store() {
      const s = openStore(join(home, 'merchant.db'));
      stores.push(s);
      return s;
    },
  };
  void cli;
  seedCatalogue(w.store(), marketplaces);
  return w;
}

/** The sandbox's demo catalogue as local state, already in sync with the sandbox (acked = remote). */
export function seedCatalogue(store: Store, marketplaces: string[], products: SeedProduct[] = DEMO.products): void {
  const at = NOW;
  store.tx(() => {
    for (const p of products) {
      const pr = store.db.prepare(`INSERT INTO products (handle, title, product_type, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(p.sku.toLowerCase(), p.title, p.productType, at, at);
      const v = store.db.prepare(`INSERT INTO variants (product_id, sku, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`).run(pr.lastInsertRowid, p.sku, p.title, at, at);
      store.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, ?, 0, ?)`).run(v.lastInsertRowid, p.stock, at);
      for (const [channel, price] of Object.entries(p.prices)) {
        if (!marketplaces.includes(marketplaceOf(channel) ?? '')) continue;
        const cur = channelDef(channel)!.currency;
        const minor = parseAmount(price, cur).minor;
        store.db
          .prepare(
            `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, quantity, acked_price_minor, acked_quantity, acked_status, acked_at, created_at, updated_at)
             VALUES (?, ?, 'active', ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
          )
          .run(v.lastInsertRowid, channel, minor, cur, p.stock, minor, p.stock, at, at, at);
      }
    }
  });
}

/** Change a listing's price locally the way `prices update` does (listing row + its pending sync state). */
export function setPrice(store: Store, channel: string, sku: string, price: string): void {
  const cur = channelDef(channel)!.currency;
  store.tx(() => {
    store.db
      .prepare(`UPDATE channel_listings SET price_minor = ?, updated_at = ? WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`)
      .run(parseAmount(price, cur).minor, NOW, channel, sku);
    markSyncWanted(store, channel, sku, 'price', NOW);
  });
}

/** Change stock on hand and queue an inventory push to every listing of the SKU. */
export function setStock(store: Store, sku: string, onHand: number): void {
  store.tx(() => {
    store.db.prepare(`UPDATE inventory SET on_hand = ?, updated_at = ? WHERE variant_id = (SELECT id FROM variants WHERE sku = ?)`).run(onHand, NOW, sku);
    const chans = store.db.prepare(`SELECT channel FROM channel_listings WHERE variant_id = (SELECT id FROM variants WHERE sku = ?)`).all(sku) as Array<{ channel: string }>;
    for (const c of chans) markSyncWanted(store, c.channel, sku, 'inventory', NOW);
  });
}

/** Queue a change as an outbox row (the listings import, adopted listings, and databases from before migration 250). */
export function enqueue(store: Store, channel: string, sku: string, kind: OutboxKind): void {
  enqueueChange(store, { channel, marketplace: marketplaceOf(channel)!, sku, kind, payload: { test: true } }, NOW);
}

// ---- reading the sandbox's state --------------------------------------------------------------

type J = Record<string, unknown>;
const obj = (v: unknown): J => (v && typeof v === 'object' ? (v as J) : {});

/** Price and available stock per SKU at one Shopify location (default the primary one, Studio). */
export function shopifyRemote(sb: Sandbox, locationId?: number): Map<string, { price: string; available: number }> {
  const shops = obj(obj(obj(sb.state()).apis).shopify).shops;
  const shop = obj(Object.values(obj(shops))[0]);
  const primary = (shop.locations as Array<{ id: number; primary?: boolean }>).find((l) => l.primary) ?? (shop.locations as Array<{ id: number }>)[0]!;
  const loc = String(locationId ?? primary.id);
  const out = new Map<string, { price: string; available: number }>();
  const variants = obj(shop.variants);
  for (const it of Object.values(obj(shop.items)).map(obj)) {
    if (!it.sku) continue;
    const v = obj(variants[String(it.variantId)]);
    const level = obj(obj(it.levels)[loc]);
    out.set(String(it.sku), { price: String(v.price), available: Number(level.available) });
  }
  return out;
}

export function requestsTo(sb: Sandbox, api: string, match?: string): number {
  return sb.requests().filter((r) => r.api === api && (!match || `${r.method} ${r.path}`.includes(match))).length;
}

/** Sync work by state: outbox rows, and each kind a listing's state still wants counted as 'pending'. */
export function outboxStates(store: Store): Record<string, number> {
  const rows = store.db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`).all() as Array<{ state: string; n: bigint }>;
  const out: Record<string, number> = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  const wanted = wantedListings(store).reduce((n, w) => n + kindsOf(w.bits).length, 0);
  if (wanted) out.pending = (out.pending ?? 0) + wanted;
  return out;
}

export const ROOT = resolve(import.meta.dirname, '../..');

/** Extra products created in the Shopify sandbox through its own API (productSet), for bigger runs. */
export async function addShopifyProducts(sb: Sandbox, products: SeedProduct[]): Promise<void> {
  const url = `${sb.urls.shopify}/admin/api/2026-10/graphql.json`;
  const token = 'shpat_sandbox00000000000000000000';
  // The stock goes to the shop's primary location (location without an id), where sync writes it.
  const loc = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': token }, body: JSON.stringify({ query: '{ location { id } }' }) });
  const locationId = ((await loc.json()) as { data: { location: { id: string } } }).data.location.id;
  for (const p of products) {
    const body = {
      query: `mutation($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { code message } } }`,
      variables: {
        input: {
          title: p.title,
          handle: p.sku.toLowerCase(),
          productType: p.productType,
          productOptions: [{ name: 'Title', values: [{ name: 'Default Title' }] }],
          variants: [{ sku: p.sku, price: p.prices.shopify, optionValues: [{ optionName: 'Title', name: 'Default Title' }], inventoryQuantities: [{ locationId, name: 'available', quantity: p.stock }] }],
        },
      },
    };
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': token }, body: JSON.stringify(body) });
    const doc = (await r.json()) as { data?: { productSet?: { userErrors: unknown[] } }; errors?: unknown };
    if (!doc.data?.productSet || doc.data.productSet.userErrors.length) throw new Error(`productSet failed: ${JSON.stringify(doc)}`);
  }
}

export function generatedProducts(n: number, prefix = 'GEN'): SeedProduct[] {
  return Array.from({ length: n }, (_, i) => ({
    sku: `${prefix}-${String(i + 1).padStart(4, '0')}`,
    title: `Generated item ${i + 1}`,
    productType: 'HOME',
    stock: 10 + (i % 7),
    prices: { shopify: `${10 + (i % 20)}.90`, 'amazon-de': `${12 + (i % 20)}.50`, 'amazon-uk': `${11 + (i % 20)}.49`, 'ebay-uk': `${11 + (i % 20)}.25` },
  }));
}

/** Run the built binary asynchronously (the in-process sandbox keeps answering meanwhile). */
export async function runBinAsync(args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  const { spawnBin } = await import('../helpers/run.js');
  const child = spawnBin(args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  return { code, stdout, stderr };
}

/**
 * A sandbox whose Amazon (amazon-de), eBay (ebay-uk) and Shopify accounts also hold these products,
 * cloned from the demo seed's MUG-BLU-S through a state file (fast, whatever the count).
 */
export async function sandboxWith(products: SeedProduct[], opts: SandboxOptions = {}): Promise<Sandbox> {
  const seed = await startSandbox({ port: 0 });
  const state = seed.state() as Record<string, Record<string, Record<string, unknown>>>;
  await seed.stop();
  const apis = state.apis!;
  const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  type O = Record<string, unknown>;
  const am = Object.values(apis.amazon!.sellers as O)[0] as O;
  const proto = (am.listings as O)['MUG-BLU-S'] as O;
  const eb = Object.values(apis.ebay!.sellers as O)[0] as O;
  const ebItem = (eb.items as O)['MUG-BLU-S'] as O;
  const ebOffer = Object.values(eb.offers as O).find((o) => (o as O).sku === 'MUG-BLU-S' && (o as O).marketplaceId === 'EBAY_GB') as O;
  const sh = Object.values(apis.shopify!.shops as O)[0] as O;
  const loc = String(((sh.locations as O[])[0] as O).id);
  products.forEach((p, i) => {
    const de = clone(((proto.attributes as O).A1PA6795UKMFR9) as Record<string, O[]>);
    (((de.purchasable_offer![0]!.our_price as O[])[0]!.schedule as O[])[0] as O).value_with_tax = Number(p.prices['amazon-de']);
    de.fulfillment_availability![0]!.quantity = p.stock;
    (am.listings as O)[p.sku] = { ...clone(proto), sku: p.sku, attributes: { A1PA6795UKMFR9: de } };
    (eb.items as O)[p.sku] = { ...clone(ebItem), sku: p.sku, availability: { shipToLocationAvailability: { quantity: p.stock } } };
    const offerId = String(8_000_000_000 + i);
    (eb.offers as O)[offerId] = { ...clone(ebOffer), offerId, sku: p.sku, listingId: String(180_000_000_000 + i), revisions: {}, body: { ...clone(ebOffer.body as O), availableQuantity: p.stock, pricingSummary: { price: { value: p.prices['ebay-uk'], currency: 'GBP' } } } };
    const pid = 9_100_000_000 + i;
    const vid = 9_200_000_000 + i;
    const iid = 9_300_000_000 + i;
    const t = '2026-10-01T09:00:00.000Z';
    (sh.products as O)[pid] = { id: pid, title: p.title, handle: p.sku.toLowerCase(), descriptionHtml: '', vendor: 'Test', productType: p.productType, status: 'ACTIVE', tags: [], createdAt: t, updatedAt: t, variantIds: [vid] };
    (sh.variants as O)[vid] = { id: vid, productId: pid, title: 'Default Title', barcode: null, price: p.prices.shopify, compareAtPrice: null, taxable: true, inventoryPolicy: 'DENY', itemId: iid, createdAt: t, updatedAt: t };
    (sh.items as O)[iid] = { id: iid, variantId: vid, sku: p.sku, tracked: true, requiresShipping: true, countryCodeOfOrigin: null, harmonizedSystemCode: null, cost: null, weight: null, createdAt: t, updatedAt: t, levels: { [loc]: { available: p.stock, on_hand: p.stock, committed: 0, updatedAt: t } } };
  });
  const dir = tempDir('merchant-sbstate-');
  const statePath = join(dir, 'state.json');
  (await import('node:fs')).writeFileSync(statePath, JSON.stringify(state));
  return sandbox({ statePath, ...opts });
}

export function amazonRemote(sb: Sandbox, mk = 'A1PA6795UKMFR9'): Map<string, { price?: number; qty?: number }> {
  const sellers = obj(obj(obj(sb.state()).apis).amazon).sellers;
  const seller = obj(Object.values(obj(sellers))[0]);
  const out = new Map<string, { price?: number; qty?: number }>();
  for (const [sku, l] of Object.entries(obj(seller.listings))) {
    const a = obj(obj(obj(l).attributes)[mk]) as Record<string, Array<Record<string, unknown>>>;
    const po = a.purchasable_offer?.[0];
    const sched = (po?.our_price as Array<{ schedule?: Array<{ value_with_tax?: number }> }> | undefined)?.[0]?.schedule?.[0];
    out.set(sku, { price: sched?.value_with_tax, qty: a.fulfillment_availability?.[0]?.quantity as number | undefined });
  }
  return out;
}

export function ebayRemote(sb: Sandbox): Map<string, { price?: string; qty?: number }> {
  const sellers = obj(obj(obj(sb.state()).apis).ebay).sellers;
  const seller = obj(Object.values(obj(sellers))[0]);
  const out = new Map<string, { price?: string; qty?: number }>();
  for (const o of Object.values(obj(seller.offers)).map(obj)) {
    if (o.marketplaceId !== 'EBAY_GB') continue;
    const body = obj(o.body);
    out.set(String(o.sku), { price: obj(obj(body.pricingSummary).price).value as string | undefined, qty: body.availableQuantity as number | undefined });
  }
  return out;
}
