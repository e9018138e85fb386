// Shopify Admin GraphQL (2026-10).
//   Auth: a static Admin API token, or client credentials whose 24-hour tokens are renewed (auth.ts).
//   Prices: productVariantsBulkUpdate (one product per call, every changed variant of that product).
//   Stock: inventorySetQuantities (≤ 250 quantities per call) at one explicit location — the one
//     configured (shopify.location: id or name), else the shop's primary location — with
//     changeFromQuantity on every quantity (compare-and-swap against the quantity last known there,
//     never null: no blind overwrite) and the mandatory @idempotent(key:), a key that identifies the
//     attempt (the changes' attemptKey: outbox rows + attempt number), never the content. A stale
//     compare is reported with the quantity read right after (remoteQuantity); sync counts the orders
//     that arrived and sends again against it.
//     Shops with several locations linked to merchant locations (`stock locations link`): a change
//     carries one quantity per Shopify location (locationQuantities); each one is set at its own
//     location in the same call (all of a SKU's locations or none), compared against the quantity read
//     there right before.
//   Locations: `locations` (inactive included) and each location's inventoryLevels, read on sync.
//   Read-back: price and the available quantity at that location (not the total over all locations).
//   Orders: pages of 250 orders by updated_at, details in cost-sized queries (orders.ts).
//   Throttling is cost-based and arrives as HTTP 200 with THROTTLED: the client waits
//   (requested − available) / restoreRate before repeating.

import { shopifyConfirm, shopifyFulfilments } from '../fulfilment.js';
import type { ShipmentConfirmationIn, ConfirmOutcome, RemoteFulfilment } from '../../../ports/marketplace.js';
import { createHash, randomUUID } from 'node:crypto';
import { shopifyTokenCacheKey } from '../../../core/shopify-token-key.js';
import { failAll } from '../common.js';
import type { HttpClient, HttpResponse } from '../../http/client.js';
import type { HttpFactory } from '../../http/factory.js';
import { HttpError, malformedReply } from '../../http/errors.js';
import { redact } from '../../../core/redact.js';
import { formatAmount } from '../../../core/money.js';
import { NotFoundError } from '../../../core/errors.js';
import type {
  CallPlan,
  ItemOutcome,
  ListingChange,
  MarketplacePort,
  RemoteLocationLevel,
  RemoteStockLocation,
  OrdersPage,
  PushHooks,
  RemoteListing,
  VerifyResult,
} from '../../../ports/marketplace.js';
import type { TokenCache } from '../../../ports/token-cache.js';
import { asRecord, chunk, moneyFromWire } from '../common.js';
import { ShopifyClientCredentialsAuth, type ShopifyCredentials, type TokenInfo } from './auth.js';
import { fetchOrderDetails, normaliseShopifyOrder } from './orders.js';
import { Q } from './queries.js';

export { normaliseShopifyOrder } from './orders.js';
export type { ShopifyCredentials, TokenInfo } from './auth.js';

export const SHOPIFY_API_VERSION = '2026-10';
export const SHOPIFY_INVENTORY_BATCH = 250;
/** Up to this many unknown SKUs are looked up one query each; more, by paging through all variants. */
const SINGLE_LOOKUP_MAX = 8;
/** Read-back of known variants: nodes(ids:) at 5 points each. */
const READ_IDS_PER_QUERY = 100;

export interface ShopifyConfig {
  baseURL: string;
  shop: string;
  credentials: ShopifyCredentials;
  currency: string;
  apiVersion?: string;
  /** Where stock goes: a Location GID, its numeric id, or its name; default the shop's primary location. */
  location?: string;
  /** Client-credentials tokens kept between runs (never the database). */
  tokenCache?: TokenCache;
  now?: () => number;
}

interface VariantRef {
  variantId: string;
  productId: string;
  inventoryItemId: string;
}

interface VariantNode {
  id: string;
  sku: string | null;
  price: string;
  product: { id: string };
  inventoryItem: { id: string; inventoryLevel?: LevelNode | null };
}
interface LevelNode {
  quantities?: Array<{ quantity: number }>;
}

interface UserError {
  code?: string;
  field?: string[] | null;
  message: string;
}

interface GqlResult<T> {
  data?: T;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number; maximumAvailable?: number } } };
}

export interface StockLocation {
  id: string;
  name: string;
  primary: boolean;
}

function encodeRef(r: VariantRef): string {
  return `${r.variantId} ${r.productId} ${r.inventoryItemId}`;
}
function decodeRef(s: string | null | undefined): VariantRef | undefined {
  if (!s) return undefined;
  const [variantId, productId, inventoryItemId] = s.split(' ');
  return variantId && productId && inventoryItemId ? { variantId, productId, inventoryItemId } : undefined;
}

/** Shopify's wait for a throttled query: what's missing from the bucket divided by the restore rate. */
export function shopifyThrottleDelay(res: HttpResponse): number | undefined {
  const body = asRecord(res.data) as GqlResult<unknown>;
  const throttled = (body.errors ?? []).some((e) => e.extensions?.code === 'THROTTLED');
  if (!throttled) return undefined;
  const cost = body.extensions?.cost;
  const need = cost?.requestedQueryCost ?? 50;
  const have = cost?.throttleStatus?.currentlyAvailable ?? 0;
  const rate = cost?.throttleStatus?.restoreRate ?? 50;
  return Math.max(100, Math.ceil(((need - have) / Math.max(1, rate)) * 1000));
}

/**
 * The @idempotent key of one inventorySetQuantities call: derived from the attempts it carries (each
 * change's attemptKey), so the same attempt retried after a lost answer gets the same key and a new
 * attempt — even with the very same quantities — gets a new one. Changes without an attemptKey (a
 * caller outside sync) get a random key: never one derived from the content.
 */
export function idempotencyKeyFor(changes: readonly ListingChange[]): string {
  if (!changes.length || changes.some((c) => !c.attemptKey)) return `merchant-${randomUUID()}`;
  const keys = changes.map((c) => c.attemptKey!).sort();
  return `merchant-${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 40)}`;
}

export class ShopifyAdapter implements MarketplacePort {
  readonly name = 'shopify' as const;
  private http: HttpClient;
  private tokenHttp?: HttpClient;
  private auth?: ShopifyClientCredentialsAuth;
  private stockLocation?: StockLocation;
  private primary?: { id: string; name: string; isActive: boolean } | null;
  private version: string;
  private now: () => number;

  constructor(
    private cfg: ShopifyConfig,
    factory: HttpFactory,
  ) {
    this.version = cfg.apiVersion ?? SHOPIFY_API_VERSION;
    this.now = cfg.now ?? factory.defaults.now ?? Date.now;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (cfg.credentials.kind === 'admin_token') headers['X-Shopify-Access-Token'] = cfg.credentials.token;
    else {
      this.tokenHttp = factory.create({ service: 'shopify', baseURL: cfg.baseURL });
      const cache = cfg.tokenCache ? { store: cfg.tokenCache, key: shopifyTokenCacheKey(cfg.baseURL, cfg.credentials.clientId, cfg.credentials.clientSecret) } : undefined;
      this.auth = new ShopifyClientCredentialsAuth({ clientId: cfg.credentials.clientId, clientSecret: cfg.credentials.clientSecret, shop: cfg.shop }, this.tokenHttp, this.now, cache);
    }
    this.http = factory.create({ service: 'shopify', baseURL: cfg.baseURL, headers, auth: this.auth, throttledDelay: shopifyThrottleDelay });
  }

  requestCount(): number {
    return this.http.requestCount + (this.tokenHttp?.requestCount ?? 0);
  }

  /** What kind of token is in use and, for client credentials, when the current one expires. */
  tokenInfo(): TokenInfo {
    return { kind: this.cfg.credentials.kind, expiresAt: this.auth?.expiresAt, scope: this.auth?.scope };
  }

  /** One GraphQL call. `idempotent` marks queries and mutations carrying an idempotency key. */
  async gql<T>(query: string, variables: Record<string, unknown>, operation: string, idempotent: boolean): Promise<T> {
    const res = await this.http.request<GqlResult<T>>({
      method: 'POST',
      url: `/admin/api/${this.version}/graphql.json`,
      data: { query, variables },
      operation,
      idempotent,
    });
    const body = asRecord(res.data) as GqlResult<T>;
    if (!body.errors?.length && (body.data === undefined || body.data === null || typeof body.data !== 'object')) {
      // (A GraphQL answer always has data or errors: `{}` or anything else is not Shopify answering.)
      throw malformedReply({ service: 'shopify', operation, status: res.status, data: res.data, why: 'no GraphQL data or errors', method: 'POST', url: 'graphql.json', attempts: res.attempts, ambiguous: !idempotent, redact });
    }
    if (body.errors?.length && !body.data) {
      const e = body.errors[0]!;
      throw new HttpError(`shopify: ${operation} → ${e.extensions?.code ?? 'GraphQL error'}: ${e.message ?? ''}`, {
        service: 'shopify',
        kind: e.extensions?.code === 'ACCESS_DENIED' ? 'auth' : 'http',
        status: res.status,
        apiCode: e.extensions?.code ?? 'GRAPHQL_ERROR',
        apiMessage: e.message,
        method: 'POST',
        url: 'graphql.json',
        attempts: res.attempts,
      });
    }
    return body.data as T;
  }

  planCalls(changes: readonly ListingChange[]): CallPlan[] {
    const prices = changes.filter((c) => c.price !== undefined);
    const stock = changes.filter((c) => c.quantity !== undefined || c.status !== undefined);
    const products = new Set(prices.map((c) => decodeRef(c.remoteRef)?.productId ?? `?${c.sku}`));
    const unknown = changes.filter((c) => !decodeRef(c.remoteRef)).length;
    const plan: CallPlan[] = [];
    if (unknown) {
      // Few: one query per SKU; many: paging through the shop's variants (at least one page per 250).
      const paging = unknown > SINGLE_LOOKUP_MAX;
      plan.push({ operation: paging ? 'productVariants (page through variants for ids, at least)' : 'productVariants (look up ids by SKU; cached afterwards)', calls: paging ? Math.ceil(unknown / 250) : unknown, items: unknown, batchSize: paging ? 250 : 1 });
    }
    if (prices.length) plan.push({ operation: 'productVariantsBulkUpdate', calls: products.size, items: prices.length, batchSize: 250 });
    if (stock.length) {
      const unread = stock.filter((c) => c.previousQuantity === null || c.previousQuantity === undefined).length;
      if (unread) plan.push({ operation: 'inventory levels (read the quantity to compare against)', calls: Math.ceil(unread / SHOPIFY_INVENTORY_BATCH), items: unread, batchSize: SHOPIFY_INVENTORY_BATCH });
      plan.push({ operation: 'inventorySetQuantities', calls: Math.ceil(stock.length / SHOPIFY_INVENTORY_BATCH), items: stock.length, batchSize: SHOPIFY_INVENTORY_BATCH });
    }
    return plan;
  }

  /**
   * The location stock is written to and read from: the configured one (a GID, a numeric id or a
   * name, checked to exist and be active), else the shop's primary location — never "the first of
   * locations", which Shopify sorts by name.
   */
  async location(): Promise<StockLocation> {
    if (this.stockLocation) return this.stockLocation;
    const want = this.cfg.location?.trim();
    type Loc = { id: string; name: string; isActive: boolean };
    if (this.primary === undefined) this.primary = (await this.gql<{ location: Loc | null }>(Q.primaryLocation, {}, 'location (primary)', true)).location;
    const primary = this.primary;
    let loc: Loc | null | undefined = primary;
    if (want) {
      const gid = /^\d+$/.test(want) ? `gid://shopify/Location/${want}` : /^gid:\/\/shopify\/Location\/\d+$/.test(want) ? want : undefined;
      const all = gid ? [] : await this.allLocations();
      loc = gid ? (await this.gql<{ location: Loc | null }>(Q.locationById, { id: gid }, 'location', true)).location : all.find((l) => l.name.trim().toLowerCase() === want.toLowerCase());
      if (!loc) {
        const names = (all.length ? all : await this.allLocations()).map((l) => `${l.name} (${l.id.replace(/^gid:\/\/shopify\/Location\//, '')})`);
        throw new NotFoundError(`Shopify location "${want}" not found in ${this.cfg.shop}`, {
          hints: [`the shop's locations: ${names.join(', ') || 'none'}`, 'name one of them (or its id) with `merchant marketplace connect shopify --location …` or the shopify.location setting (MERCHANT_SHOPIFY_LOCATION); with neither, stock goes to the primary location'],
        });
      }
    }
    if (!loc) throw new NotFoundError(`${this.cfg.shop} has no primary location to hold stock`, { hints: ['add a location in Shopify admin → Settings → Locations, or set shopify.location'] });
    if (!loc.isActive) throw new NotFoundError(`Shopify location "${loc.name}" is not active`, { hints: ['activate it in Shopify admin → Settings → Locations, or set shopify.location to an active one'] });
    this.stockLocation = { id: loc.id, name: loc.name, primary: loc.id === primary?.id };
    return this.stockLocation;
  }

  private async allLocations(): Promise<Array<{ id: string; name: string; isActive: boolean }>> {
    const out: Array<{ id: string; name: string; isActive: boolean }> = [];
    let after: string | null = null;
    for (;;) {
      const d: { locations: { nodes: Array<{ id: string; name: string; isActive: boolean }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.gql(Q.locations, { after }, 'locations', true);
      out.push(...(d.locations?.nodes ?? []));
      if (!d.locations?.pageInfo?.hasNextPage) return out;
      after = d.locations.pageInfo.endCursor;
    }
  }

  /**
   * Variant, product and inventory item ids and the price for SKUs. A few SKUs: one search query
   * each (sku:"…"); many: page through all variants (250 a page), which costs fewer calls than a
   * query per SKU once more than a page's worth is unknown.
   */
  private async lookup(skus: readonly string[]): Promise<Map<string, { ref: VariantRef; price?: string }>> {
    const out = new Map<string, { ref: VariantRef; price?: string }>();
    const wanted = new Set(skus);
    const take = (nodes: VariantNode[]) => {
      for (const v of nodes) {
        if (!v.sku || !wanted.has(v.sku)) continue;
        out.set(v.sku, { ref: { variantId: v.id, productId: v.product.id, inventoryItemId: v.inventoryItem.id }, price: v.price });
      }
    };
    if (wanted.size <= SINGLE_LOOKUP_MAX) {
      for (const sku of wanted) {
        const d = await this.gql<{ productVariants: { nodes: VariantNode[] } }>(Q.variantsBySku, { q: `sku:${JSON.stringify(sku)}` }, 'productVariants', true);
        take(d.productVariants?.nodes ?? []);
      }
      return out;
    }
    let after: string | null = null;
    for (;;) {
      const d: { productVariants: { nodes: VariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.gql(Q.variantsPage, { after }, 'productVariants', true);
      take(d.productVariants?.nodes ?? []);
      if (out.size === wanted.size || !d.productVariants?.pageInfo?.hasNextPage) return out;
      after = d.productVariants.pageInfo.endCursor;
    }
  }

  /** The available quantity of these inventory items at the stock location (undefined: not stocked there). */
  private async levels(inventoryItemIds: readonly string[], location: string): Promise<Map<string, number | undefined>> {
    const out = new Map<string, number | undefined>();
    for (const ids of chunk([...new Set(inventoryItemIds)], SHOPIFY_INVENTORY_BATCH)) {
      const d = await this.gql<{ nodes: Array<{ id: string; inventoryLevel?: LevelNode | null } | null> }>(Q.levels, { ids, location }, 'inventory levels', true);
      for (const n of d.nodes ?? []) if (n?.id) out.set(n.id, n.inventoryLevel?.quantities?.[0]?.quantity);
    }
    return out;
  }

  async push(changes: readonly ListingChange[], hooks: PushHooks = {}): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    const refs = new Map<string, VariantRef>();
    const missing: string[] = [];
    // The stock location first: a misconfigured one stops the run before anything is sent. Changes
    // with their own locations (linked Shopify locations) do not need it.
    const loc = changes.some((c) => (!c.locationQuantities && (c.quantity !== undefined || c.status !== undefined)) || (c.create && !c.locationQuantities)) ? await this.location() : undefined;
    for (const c of changes) {
      const r = decodeRef(c.remoteRef);
      if (r) refs.set(c.sku, r);
      else missing.push(c.sku);
    }
    let lookupFailed: ItemOutcome[] = [];
    if (missing.length) {
      try {
        for (const [sku, v] of await this.lookup(missing)) refs.set(sku, v.ref);
      } catch (e) {
        // Nothing was written yet: these items simply fail this time (auth errors still abort).
        lookupFailed = failAll(changes.filter((c) => !refs.has(c.sku)), e).map((o) => ({ ...o, ambiguous: false }));
      }
    }
    const ready: ListingChange[] = [];
    const creatable: ListingChange[] = [];
    for (const c of changes) {
      const lf = lookupFailed.find((o) => o.key === c.key);
      if (lf) outcomes.push(lf);
      else if (refs.has(c.sku)) ready.push(c);
      else if (c.create) creatable.push(c);
      else outcomes.push({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'NOT_FOUND', message: `no Shopify variant has SKU ${c.sku}` });
    }
    if (creatable.length) outcomes.push(...(await this.createProducts(creatable, hooks, loc)));
    const ok = (c: ListingChange): ItemOutcome => ({ key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: encodeRef(refs.get(c.sku)!) });

    // Prices: one productVariantsBulkUpdate per product.
    const byProduct = new Map<string, ListingChange[]>();
    for (const c of ready.filter((x) => x.price !== undefined)) {
      const pid = refs.get(c.sku)!.productId;
      byProduct.set(pid, [...(byProduct.get(pid) ?? []), c]);
    }
    const priceDone = new Map<string, ItemOutcome>();
    for (const [productId, group] of byProduct) {
      hooks.beforeBatch?.(group.map((c) => c.key));
      let res: ItemOutcome[];
      try {
        const d = await this.gql<{ productVariantsBulkUpdate: { productVariants: Array<{ id: string }> | null; userErrors: UserError[] } }>(
          Q.pricesUpdate,
          { productId, variants: group.map((c) => ({ id: refs.get(c.sku)!.variantId, price: formatAmount(c.price!) })) },
          'productVariantsBulkUpdate',
          false,
        );
        const errs = d.productVariantsBulkUpdate?.userErrors ?? [];
        res = group.map((c, i) => {
          const e = errs.find((x) => x.field?.[0] === 'variants' && x.field?.[1] === String(i));
          return e ? { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: e.code ?? 'USER_ERROR', message: e.message } : ok(c);
        });
        const general = errs.find((x) => !(x.field?.[0] === 'variants' && x.field?.[1] !== undefined));
        if (general) res = group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: general.code ?? 'USER_ERROR', message: general.message }));
      } catch (e) {
        res = failAll(group, e).map((o) => ({ ...o, remoteRef: encodeRef(refs.get(o.sku)!) }));
      }
      for (const r of res) priceDone.set(r.key, r);
      hooks.afterBatch?.(res.filter((r) => !ready.find((c) => c.key === r.key && (c.quantity !== undefined || c.status !== undefined))));
    }

    // Stock: inventorySetQuantities at the stock location, ≤ 250 per call.
    const stock = ready.filter((c) => !c.locationQuantities && (c.quantity !== undefined || c.status !== undefined));
    const stockDone = new Map<string, ItemOutcome>();
    // Stock per linked Shopify location.
    const located = ready.filter((c) => c.locationQuantities && (c.quantity !== undefined || c.status !== undefined));
    if (located.length) {
      for (const r of await this.setLocatedStock(located, refs, hooks, priceDone)) stockDone.set(r.key, r);
    }
    if (stock.length) {
      // A change with no known remote quantity (never acknowledged): read it, to compare against it.
      const compare = new Map<string, number | null>();
      const unread = stock.filter((c) => c.previousQuantity === null || c.previousQuantity === undefined);
      let unreadable: ItemOutcome[] = [];
      if (unread.length) {
        try {
          const lv = await this.levels(unread.map((c) => refs.get(c.sku)!.inventoryItemId), loc!.id);
          for (const c of unread) compare.set(c.key, lv.get(refs.get(c.sku)!.inventoryItemId) ?? null);
        } catch (e) {
          unreadable = failAll(unread, e).map((o) => ({ ...o, ambiguous: false }));
        }
      }
      for (const o of unreadable) stockDone.set(o.key, o);
      const sendable = stock.filter((c) => !stockDone.has(c.key));
      for (const group of chunk(sendable, SHOPIFY_INVENTORY_BATCH)) {
        hooks.beforeBatch?.(group.map((c) => c.key));
        const res = await this.setStock(group, refs, loc!, compare);
        for (const r of res) stockDone.set(r.key, r);
        hooks.afterBatch?.(res.map((r) => mergeOutcome(r, priceDone.get(r.key))));
      }
      if (unreadable.length) hooks.afterBatch?.(unreadable.map((r) => mergeOutcome(r, priceDone.get(r.key))));
    }
    for (const c of ready) {
      const p = priceDone.get(c.key);
      const s = stockDone.get(c.key);
      outcomes.push(s ? mergeOutcome(s, p) : p!);
    }
    return outcomes;
  }

  /**
   * Quantities per linked location. Each change's locations go in the same call (≤ 250 quantities per
   * call), compared against the quantity read at each location right before. A location where the item
   * is not stocked, or that is no longer active, fails that SKU with what to do; Shopify applies a call
   * all or nothing, so the other SKUs of a refused call go again without it.
   */
  private async setLocatedStock(changes: ListingChange[], refs: Map<string, VariantRef>, hooks: PushHooks, priceDone: Map<string, ItemOutcome>): Promise<ItemOutcome[]> {
    const out = new Map<string, ItemOutcome>();
    const fail = (c: ListingChange, code: string, message: string): void => void out.set(c.key, { key: c.key, channel: c.channel, sku: c.sku, ok: false, code, message, ambiguous: false });
    // What each location holds now: the compare-and-swap values (undefined = not stocked there).
    const current = new Map<string, Map<string, number | undefined>>();
    const locIds = [...new Set(changes.flatMap((c) => c.locationQuantities!.map((l) => l.remoteId)))];
    for (const lid of locIds) {
      const items = changes.filter((c) => c.locationQuantities!.some((l) => l.remoteId === lid)).map((c) => refs.get(c.sku)!.inventoryItemId);
      try {
        current.set(lid, await this.levels(items, lid));
      } catch (e) {
        if (!(e instanceof HttpError) || e.kind === 'auth') throw e;
        for (const c of changes.filter((x) => x.locationQuantities!.some((l) => l.remoteId === lid))) out.set(c.key, { ...failAll([c], e)[0]!, ambiguous: false });
      }
    }
    let pending: ListingChange[] = [];
    for (const c of changes) {
      if (out.has(c.key)) continue;
      const item = refs.get(c.sku)!.inventoryItemId;
      const missing = c.locationQuantities!.find((l) => current.get(l.remoteId)?.get(item) === undefined);
      if (missing) fail(c, 'ITEM_NOT_STOCKED_AT_LOCATION', `${c.sku} is not stocked at the Shopify location "${missing.name}": stock it there in Shopify admin (product → Inventory → locations), or unlink that location with \`merchant stock locations unlink\`; nothing was changed for ${c.sku}`);
      else pending.push(c);
    }
    const entries = (group: ListingChange[]) =>
      group.flatMap((c) =>
        c.locationQuantities!.map((l) => ({
          c,
          q: {
            inventoryItemId: refs.get(c.sku)!.inventoryItemId,
            locationId: l.remoteId,
            quantity: c.status === 'inactive' || c.status === 'removed' ? 0 : l.quantity,
            changeFromQuantity: current.get(l.remoteId)!.get(refs.get(c.sku)!.inventoryItemId) ?? null,
          },
        })),
      );
    // Calls of ≤ 250 quantities that never split one SKU's locations.
    const groups: ListingChange[][] = [];
    for (const c of pending) {
      const last = groups[groups.length - 1];
      if (last && entries([...last, c]).length <= SHOPIFY_INVENTORY_BATCH) last.push(c);
      else groups.push([c]);
    }
    for (const g of groups) {
      hooks.beforeBatch?.(g.map((c) => c.key));
      let todo = g;
      for (let round = 0; todo.length && round < 3; round++) {
        const list = entries(todo);
        const key = idempotencyKeyFor(todo);
        let errs: UserError[] = [];
        try {
          const d = await this.gql<{ inventorySetQuantities: { userErrors: UserError[] } }>(
            Q.setQuantities,
            { input: { name: 'available', reason: 'correction', referenceDocumentUri: `merchant-cli://sync/${key}`, quantities: list.map((e) => e.q) }, key },
            'inventorySetQuantities',
            true,
          );
          errs = d.inventorySetQuantities?.userErrors ?? [];
        } catch (e) {
          for (const o of failAll(todo, e, { write: true })) out.set(o.key, o);
          break;
        }
        if (!errs.length) {
          for (const c of todo) out.set(c.key, { key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: encodeRef(refs.get(c.sku)!), note: `set at ${c.locationQuantities!.map((l) => `${l.name} ${c.status === 'inactive' || c.status === 'removed' ? 0 : l.quantity}`).join(', ')}` });
          break;
        }
        // Errors name the entry (input.quantities.N); nothing of the call was applied.
        const refused = new Set<ListingChange>();
        for (const e of errs) {
          const i = Number(e.field?.[e.field.indexOf('quantities') + 1]);
          const hit = Number.isInteger(i) ? list[i] : undefined;
          if (!hit || refused.has(hit.c)) continue;
          refused.add(hit.c);
          const where = hit.c.locationQuantities!.find((l) => l.remoteId === hit.q.locationId)?.name ?? hit.q.locationId;
          fail(hit.c, e.code ?? 'USER_ERROR', `at Shopify location "${where}": ${e.message}`);
        }
        if (!refused.size) {
          for (const c of todo) fail(c, errs[0]!.code ?? 'USER_ERROR', errs[0]!.message ?? 'refused');
          break;
        }
        todo = todo.filter((c) => !refused.has(c));
        for (const c of todo) out.set(c.key, { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'NOT_APPLIED', message: 'not applied: another quantity in the same call was rejected', ambiguous: false });
      }
      hooks.afterBatch?.(g.map((c) => mergeOutcome(out.get(c.key)!, priceDone.get(c.key))));
    }
    return changes.map((c) => out.get(c.key)!);
  }

  /** The shop's locations, inactive ones included (Shopify sorts them by name). */
  async readStockLocations(): Promise<RemoteStockLocation[]> {
    const out: RemoteStockLocation[] = [];
    let after: string | null = null;
    for (;;) {
      const d: { locations: { nodes: Array<{ id: string; name: string; isActive: boolean; fulfillsOnlineOrders?: boolean; address?: { countryCode?: string | null } | null }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.gql(Q.shopLocations, { after }, 'locations', true);
      for (const n of d.locations?.nodes ?? []) {
        out.push({ remoteId: n.id, name: n.name, active: n.isActive, country: n.address?.countryCode ?? null, fulfillsOnlineOrders: n.fulfillsOnlineOrders ?? n.isActive });
      }
      if (!d.locations?.pageInfo?.hasNextPage) return out;
      after = d.locations.pageInfo.endCursor;
    }
  }

  /** Every item stocked at one location with its available, on hand, committed and incoming quantities. */
  async readLocationLevels(remoteId: string): Promise<RemoteLocationLevel[]> {
    const out: RemoteLocationLevel[] = [];
    let after: string | null = null;
    for (;;) {
      const d: { location: { inventoryLevels: { nodes: Array<{ item: { sku: string | null } | null; quantities: Array<{ name: string; quantity: number }> }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } = await this.gql(Q.locationLevels, { id: remoteId, after }, 'location inventoryLevels', true);
      if (!d.location) throw new NotFoundError(`Shopify location ${remoteId} no longer exists in ${this.cfg.shop}`, { hints: ['`merchant sync --only inventory` reads the shop\'s locations again'] });
      for (const n of d.location.inventoryLevels?.nodes ?? []) {
        const sku = n.item?.sku?.trim();
        if (!sku) continue;
        const q = (name: string) => n.quantities.find((x) => x.name === name)?.quantity ?? 0;
        out.push({ sku, available: q('available'), onHand: q('on_hand'), committed: q('committed'), incoming: q('incoming') });
      }
      if (!d.location.inventoryLevels?.pageInfo?.hasNextPage) return out;
      after = d.location.inventoryLevels.pageInfo.endCursor;
    }
  }

  /**
   * One batch of quantities. Shopify applies all or nothing: when some entries are refused (a stale
   * compare, an item not stocked at the location…) the others were not applied either, so they go
   * again at once without the refused ones (a new request, with its own key). A stale compare is
   * reported with the quantity Shopify holds now (read right after), for sync to decide from.
   */
  private async setStock(group: ListingChange[], refs: Map<string, VariantRef>, loc: StockLocation, compare: Map<string, number | null>): Promise<ItemOutcome[]> {
    const out = new Map<string, ItemOutcome>();
    let pending = group;
    for (let round = 0; pending.length && round < 3; round++) {
      const res = await this.setQuantities(pending, refs, loc, compare);
      const refused = res.filter((r) => !r.ok && r.code !== 'NOT_APPLIED');
      const notApplied = res.filter((r) => r.code === 'NOT_APPLIED');
      for (const r of res) out.set(r.key, r);
      const stale = res.filter((r) => r.code === 'CHANGE_FROM_QUANTITY_STALE');
      if (stale.length) {
        // What Shopify holds now (orders placed since, or an edit in the admin). Nothing was overwritten.
        try {
          const lv = await this.levels(stale.map((r) => refs.get(r.sku)!.inventoryItemId), loc.id);
          for (const r of stale) {
            const now = lv.get(refs.get(r.sku)!.inventoryItemId);
            const c = pending.find((x) => x.key === r.key)!;
            const was = c.previousQuantity ?? compare.get(c.key);
            out.set(r.key, {
              ...r,
              ...(now !== undefined ? { remoteQuantity: now } : {}),
              message: `Shopify's available quantity of ${r.sku} at ${loc.name} is ${now ?? 'unknown'}, not ${was ?? 'unknown'} as last synced (orders or an edit in Shopify since): nothing was overwritten`,
            });
          }
        } catch (e) {
          if (!(e instanceof HttpError) || e.kind === 'auth') throw e;
        }
      }
      pending = refused.length ? pending.filter((c) => notApplied.some((r) => r.key === c.key)) : [];
    }
    return group.map((c) => out.get(c.key)!);
  }

  private async setQuantities(group: ListingChange[], refs: Map<string, VariantRef>, loc: StockLocation, compare: Map<string, number | null>): Promise<ItemOutcome[]> {
    const quantities = group.map((c) => ({
      inventoryItemId: refs.get(c.sku)!.inventoryItemId,
      locationId: loc.id,
      quantity: c.status === 'inactive' || c.status === 'removed' ? 0 : c.quantity ?? 0,
      // The quantity last known at this location; null only where the item has no level there yet
      // (Shopify then answers ITEM_NOT_STOCKED_AT_LOCATION).
      changeFromQuantity: c.previousQuantity ?? compare.get(c.key) ?? null,
    }));
    const key = idempotencyKeyFor(group);
    try {
      const d = await this.gql<{ inventorySetQuantities: { userErrors: UserError[] } }>(
        Q.setQuantities,
        { input: { name: 'available', reason: 'correction', referenceDocumentUri: `merchant-cli://sync/${key}`, quantities }, key },
        'inventorySetQuantities',
        true,
      );
      const errs = d.inventorySetQuantities?.userErrors ?? [];
      if (!errs.length) return group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: encodeRef(refs.get(c.sku)!) }));
      // Errors name the offending entry (input.quantities.N.…); the mutation applied nothing.
      return group.map((c, i) => {
        const e = errs.find((x) => x.field?.includes('quantities') && x.field?.includes(String(i))) ?? (errs.every((x) => !x.field?.includes('quantities')) ? errs[0] : undefined);
        return e
          ? { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: e.code ?? 'USER_ERROR', message: e.message, ambiguous: false }
          : { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'NOT_APPLIED', message: 'not applied: another quantity in the same call was rejected', ambiguous: false };
      });
    } catch (e) {
      return failAll(group, e, { write: true });
    }
  }

  /**
   * New listings whose product does not exist on Shopify yet: one productSet per product (by handle,
   * so a repeated call updates the same product instead of creating a second), its stock at the
   * stock location. A product that exists without the variant is left alone: productSet would replace
   * its variant list.
   */
  private async createProducts(items: ListingChange[], hooks: PushHooks, loc: StockLocation | undefined): Promise<ItemOutcome[]> {
    const out: ItemOutcome[] = [];
    const byHandle = new Map<string, ListingChange[]>();
    for (const c of items) byHandle.set(c.create!.productHandle, [...(byHandle.get(c.create!.productHandle) ?? []), c]);
    for (const [handle, group] of byHandle) {
      try {
        const exists = await this.gql<{ products: { nodes: Array<{ id: string }> } }>(Q.productByHandle, { q: `handle:${JSON.stringify(handle)}` }, 'products', true);
        if (exists.products?.nodes?.length) {
          for (const c of group) out.push({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'VARIANT_MISSING', message: `product ${handle} exists on Shopify without SKU ${c.sku}; add the variant in Shopify (sync never rewrites a product's variant list)` });
          continue;
        }
        const first = group[0]!.create!;
        const optionNames = first.options.map((o) => o.name);
        const useSku = optionNames.length === 0 && group.length > 1;
        const productOptions = optionNames.length
          ? optionNames.map((name) => ({ name, values: [...new Set(group.map((c) => c.create!.options.find((o) => o.name === name)?.value ?? '-'))].map((v) => ({ name: v })) }))
          : [{ name: 'Title', values: useSku ? group.map((c) => ({ name: c.sku })) : [{ name: 'Default Title' }] }];
        const variants = group.map((c) => {
          const q = c.status === 'inactive' || c.status === 'removed' ? 0 : c.quantity;
          return {
            sku: c.sku,
            ...(c.price ? { price: formatAmount(c.price) } : {}),
            ...(c.create!.barcode ? { barcode: c.create!.barcode } : {}),
            optionValues: optionNames.length
              ? optionNames.map((name) => ({ optionName: name, name: c.create!.options.find((o) => o.name === name)?.value ?? '-' }))
              : [{ optionName: 'Title', name: useSku ? c.sku : 'Default Title' }],
            ...(c.locationQuantities
              ? { inventoryQuantities: c.locationQuantities.map((l) => ({ locationId: l.remoteId, name: 'available', quantity: q === 0 ? 0 : l.quantity })) }
              : q !== undefined
                ? { inventoryQuantities: [{ locationId: loc!.id, name: 'available', quantity: q }] }
                : {}),
          };
        });
        hooks.beforeBatch?.(group.map((c) => c.key));
        const d = await this.gql<{ productSet: { product: { id: string; variants: { nodes: VariantNode[] } } | null; userErrors: UserError[] } }>(
          Q.productCreate,
          {
            input: { title: first.productTitle, handle, ...(first.vendor ? { vendor: first.vendor } : {}), ...(first.productType ? { productType: first.productType } : {}), ...(first.description ? { descriptionHtml: first.description } : {}), status: 'ACTIVE', productOptions, variants },
            identifier: { handle },
          },
          'productSet',
          true,
        );
        const errs = d.productSet?.userErrors ?? [];
        const res: ItemOutcome[] = group.map((c) => {
          const v = d.productSet?.product?.variants?.nodes?.find((n) => n.sku === c.sku);
          if (errs.length || !v) return { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: errs[0]?.code ?? 'NOT_CREATED', message: errs[0]?.message ?? 'Shopify did not create the variant' };
          return { key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: encodeRef({ variantId: v.id, productId: v.product.id, inventoryItemId: v.inventoryItem.id }), note: `created product ${handle}` };
        });
        hooks.afterBatch?.(res);
        out.push(...res);
      } catch (e) {
        out.push(...failAll(group, e, { write: true }));
      }
    }
    return out;
  }

  /** Price and the available quantity at the stock location (never the total over all locations). */
  async readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null }>): Promise<RemoteListing[]> {
    const loc = await this.location();
    const known = new Map<string, VariantRef>();
    for (const i of items) {
      const r = decodeRef(i.remoteRef);
      if (r) known.set(i.sku, r);
    }
    const unknown = items.filter((i) => !known.has(i.sku)).map((i) => i.sku);
    if (unknown.length) for (const [sku, v] of await this.lookup(unknown)) known.set(sku, v.ref);
    const found = new Map<string, VariantNode>();
    for (const ids of chunk([...new Set([...known.values()].map((r) => r.variantId))], READ_IDS_PER_QUERY)) {
      const d = await this.gql<{ nodes: Array<VariantNode | null> }>(Q.variantsAt, { ids, location: loc.id }, 'productVariants (read back)', true);
      for (const v of d.nodes ?? []) if (v?.id && v.sku) found.set(v.sku, v);
    }
    return items.map((i) => {
      const v = found.get(i.sku);
      if (!v) return { channel: i.channel, sku: i.sku, found: false };
      return {
        channel: i.channel,
        sku: i.sku,
        found: true,
        price: moneyFromWire(v.price, this.cfg.currency),
        quantity: v.inventoryItem.inventoryLevel?.quantities?.[0]?.quantity,
        remoteRef: encodeRef({ variantId: v.id, productId: v.product.id, inventoryItemId: v.inventoryItem.id }),
      };
    });
  }

  async *pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[] }): AsyncGenerator<OrdersPage> {
    // Cursor: the updatedAt watermark of the last saved order ("updated_at:>=" re-reads the edge; the
    // store dedupes by order id).
    const since = cursor ?? opts.since;
    let after: string | null = null;
    let maxUpdated = since;
    const gql = <T>(q: string, v: Record<string, unknown>, op: string, idem: boolean) => this.gql<T>(q, v, op, idem);
    for (;;) {
      const d: { orders: { nodes: Array<{ id: string; updatedAt?: string; displayFinancialStatus?: string | null }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.gql(
        Q.ordersPage,
        { q: `updated_at:>='${since}' status:any`, after },
        'orders',
        true,
      );
      const page = d.orders?.nodes ?? [];
      const full = page.length ? await fetchOrderDetails(gql, page) : [];
      const orders = full.map((o) => normaliseShopifyOrder(o, this.cfg.currency));
      for (const o of orders) if (o.remoteUpdatedAt && o.remoteUpdatedAt > maxUpdated) maxUpdated = o.remoteUpdatedAt;
      const more = Boolean(d.orders?.pageInfo?.hasNextPage && d.orders.pageInfo.endCursor);
      yield { orders, cursor: maxUpdated, done: !more };
      if (!more) return;
      after = d.orders.pageInfo.endCursor;
    }
  }

  /** Shipment confirmation (issue #21): fulfillmentCreate on the order's fulfillment orders. */
  confirmShipment(c: ShipmentConfirmationIn): Promise<ConfirmOutcome> {
    return shopifyConfirm((q, v, op, idem) => this.gql(q, v, op, idem), c);
  }
  fulfilmentsOf(channel: string, orderId: string): Promise<RemoteFulfilment[]> {
    return shopifyFulfilments((q, v, op, idem) => this.gql(q, v, op, idem), channel, orderId);
  }

  async verify(): Promise<VerifyResult> {
    const d = await this.gql<{ shop: { name: string; myshopifyDomain: string; currencyCode: string }; location: { id: string; name: string; isActive: boolean } | null }>(Q.shop, {}, 'shop', true);
    this.primary = d.location;
    const loc = await this.location();
    const info = this.tokenInfo();
    return {
      account: d.shop?.myshopifyDomain ?? this.cfg.shop,
      check: `shop query answered for ${d.shop?.name ?? this.cfg.shop}; stock location ${loc.name}${loc.primary ? ' (primary)' : ''}`,
      currency: d.shop?.currencyCode,
      tokenExpiresAt: info.expiresAt,
      tokenKind: info.kind === 'admin_token' ? 'Admin API token (does not expire)' : 'client credentials (24-hour tokens, renewed automatically)',
      stockLocation: loc,
    };
  }
}

/** The token cache key of a Shopify app on a shop (pure: src/core/shopify-token-key.ts). */
export { shopifyTokenCacheKey };

/** Stock outcome `a` and price outcome `b` of one item: ok only if both are; a failure says which part landed. */
function mergeOutcome(a: ItemOutcome, b: ItemOutcome | undefined): ItemOutcome {
  if (!b) return a;
  if (a.ok && b.ok) return a;
  if (!a.ok && !b.ok) return { ...a, ambiguous: a.ambiguous || b.ambiguous };
  const failed = a.ok ? b : a;
  return { ...failed, remoteRef: a.remoteRef ?? b.remoteRef, landed: [a.ok ? 'quantity' : 'price'] };
}

