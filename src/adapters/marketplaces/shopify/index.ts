// Shopify Admin GraphQL (2026-10). Prices: productVariantsBulkUpdate (one product per call, every
// changed variant of that product in it). Stock: inventorySetQuantities (≤ 250 quantities per call)
// with changeFromQuantity (compare-and-swap against the last quantity we know landed) and the
// mandatory @idempotent(key:) directive, so a retried call is applied once. Orders: orders(first:250,
// after:, query:"updated_at:>'…'") by cursor. Throttling is cost-based and arrives as HTTP 200 with
// THROTTLED: the client waits (requested − available) / restoreRate before repeating.

import { shopifyConfirm, shopifyFulfilments } from '../fulfilment.js';
import type { ShipmentConfirmationIn, ConfirmOutcome, RemoteFulfilment } from '../../../ports/marketplace.js';
import { createHash } from 'node:crypto';
import type { HttpClient, HttpResponse } from '../../http/client.js';
import type { HttpFactory } from '../../http/factory.js';
import { HttpError } from '../../http/errors.js';
import { formatAmount } from '../../../core/money.js';
import type {
  CallPlan,
  ItemOutcome,
  ListingChange,
  MarketplacePort,
  NormalizedOrder,
  OrdersPage,
  PushHooks,
  RemoteListing,
  VerifyResult,
} from '../../../ports/marketplace.js';
import { asArray, asRecord, chunk, minorFromWire, moneyFromWire, str, upperCountry } from '../common.js';

export const SHOPIFY_API_VERSION = '2026-10';
export const SHOPIFY_INVENTORY_BATCH = 250;
/** Up to this many unknown SKUs are looked up one query each; more, by paging through all variants. */
const SINGLE_LOOKUP_MAX = 8;
const ORDERS_PAGE = 10;

export interface ShopifyConfig {
  baseURL: string;
  shop: string;
  token: string;
  currency: string;
  apiVersion?: string;
  locationId?: string;
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
  inventoryQuantity: number | null;
  product: { id: string };
  inventoryItem: { id: string };
}

interface GqlResult<T> {
  data?: T;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number; maximumAvailable?: number } } };
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

export class ShopifyAdapter implements MarketplacePort {
  readonly name = 'shopify' as const;
  private http: HttpClient;
  private locationId?: string;
  private version: string;

  constructor(
    private cfg: ShopifyConfig,
    factory: HttpFactory,
  ) {
    this.version = cfg.apiVersion ?? SHOPIFY_API_VERSION;
    this.locationId = cfg.locationId;
    this.http = factory.create({
      service: 'shopify',
      baseURL: cfg.baseURL,
      headers: { 'X-Shopify-Access-Token': cfg.token, 'Content-Type': 'application/json' },
      throttledDelay: shopifyThrottleDelay,
    });
  }

  requestCount(): number {
    return this.http.requestCount;
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
    const body = res.data;
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
    if (stock.length)
      plan.push({ operation: 'inventorySetQuantities', calls: Math.ceil(stock.length / SHOPIFY_INVENTORY_BATCH), items: stock.length, batchSize: SHOPIFY_INVENTORY_BATCH });
    return plan;
  }

  private async location(): Promise<string> {
    if (this.locationId) return this.locationId;
    const d = await this.gql<{ locations: { nodes: Array<{ id: string }> } }>(
      'query { locations(first: 1) { nodes { id name } } }',
      {},
      'locations',
      true,
    );
    const id = d.locations?.nodes?.[0]?.id;
    if (!id) throw new HttpError('shopify: the shop has no location to hold stock', { service: 'shopify', kind: 'http', apiCode: 'NO_LOCATION', method: 'POST', url: 'graphql.json', attempts: 1 });
    this.locationId = id;
    return id;
  }

  /**
   * Variant, product and inventory item ids for SKUs, with current price and available quantity.
   * A few SKUs: one search query each (sku:"…"); many: page through all variants (250 a page), which
   * costs fewer calls than a query per SKU once more than a page's worth is unknown.
   */
  private async lookup(skus: readonly string[]): Promise<Map<string, { ref: VariantRef; price?: string; quantity?: number }>> {
    const out = new Map<string, { ref: VariantRef; price?: string; quantity?: number }>();
    const wanted = new Set(skus);
    const take = (nodes: VariantNode[]) => {
      for (const v of nodes) {
        if (!v.sku || !wanted.has(v.sku)) continue;
        out.set(v.sku, { ref: { variantId: v.id, productId: v.product.id, inventoryItemId: v.inventoryItem.id }, price: v.price, quantity: v.inventoryQuantity ?? undefined });
      }
    };
    const fields = 'nodes { id sku price inventoryQuantity product { id } inventoryItem { id } } pageInfo { hasNextPage endCursor }';
    if (wanted.size <= SINGLE_LOOKUP_MAX) {
      for (const sku of wanted) {
        const d = await this.gql<{ productVariants: { nodes: VariantNode[] } }>(
          `query($q: String!) { productVariants(first: 5, query: $q) { ${fields} } }`,
          { q: `sku:${JSON.stringify(sku)}` },
          'productVariants',
          true,
        );
        take(d.productVariants?.nodes ?? []);
      }
      return out;
    }
    let after: string | null = null;
    for (;;) {
      const d: { productVariants: { nodes: VariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.gql(
        `query($after: String) { productVariants(first: 250, after: $after) { ${fields} } }`,
        { after },
        'productVariants',
        true,
      );
      take(d.productVariants?.nodes ?? []);
      if (out.size === wanted.size || !d.productVariants?.pageInfo?.hasNextPage) return out;
      after = d.productVariants.pageInfo.endCursor;
    }
  }

  async push(changes: readonly ListingChange[], hooks: PushHooks = {}): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    const refs = new Map<string, VariantRef>();
    const missing: string[] = [];
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
    if (creatable.length) outcomes.push(...(await this.createProducts(creatable, hooks)));
    const ok = (c: ListingChange): ItemOutcome => ({ key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: encodeRef(refs.get(c.sku)!) });

    // Prices: one productVariantsBulkUpdate per product.
    const byProduct = new Map<string, ListingChange[]>();
    for (const c of ready.filter((x) => x.price !== undefined)) {
      const pid = refs.get(c.sku)!.productId;
      byProduct.set(pid, [...(byProduct.get(pid) ?? []), c]);
    }
    const priceDone = new Map<string, ItemOutcome>();
    for (const [productId, group] of byProduct) {
      const keys = group.map((c) => c.key);
      hooks.beforeBatch?.(keys);
      let res: ItemOutcome[];
      try {
        const d = await this.gql<{ productVariantsBulkUpdate: { productVariants: Array<{ id: string }> | null; userErrors: Array<{ code?: string; field?: string[]; message: string }> } }>(
          `mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: true) {
    productVariants { id price } userErrors { code field message } } }`,
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

    // Stock: inventorySetQuantities, ≤ 250 per call, idempotent by a key derived from the content.
    const stock = ready.filter((c) => c.quantity !== undefined || c.status !== undefined);
    const stockDone = new Map<string, ItemOutcome>();
    if (stock.length) {
      const loc = await this.location();
      for (const group of chunk(stock, SHOPIFY_INVENTORY_BATCH)) {
        hooks.beforeBatch?.(group.map((c) => c.key));
        let res = await this.setQuantities(group, refs, loc, true);
        // A stale compare-and-swap: the remote moved (an order on Shopify). Our quantity already
        // reflects orders we pulled, so set it unconditionally once.
        const stale = res.filter((r) => r.code === 'CHANGE_FROM_QUANTITY_STALE');
        if (stale.length) {
          const again = await this.setQuantities(group.filter((c) => stale.some((s) => s.key === c.key)), refs, loc, false);
          res = res.map((r) => again.find((a) => a.key === r.key) ?? r);
        }
        for (const r of res) stockDone.set(r.key, r);
        hooks.afterBatch?.(res.map((r) => mergeOutcome(r, priceDone.get(r.key))));
      }
    }
    for (const c of ready) {
      const p = priceDone.get(c.key);
      const s = stockDone.get(c.key);
      outcomes.push(s ? mergeOutcome(s, p) : p!);
    }
    return outcomes;
  }

  /**
   * New listings whose product does not exist on Shopify yet: one productSet per product (by handle,
   * so a repeated call updates the same product instead of creating a second). A product that exists
   * without the variant is left alone: productSet would replace its variant list.
   */
  private async createProducts(items: ListingChange[], hooks: PushHooks): Promise<ItemOutcome[]> {
    const out: ItemOutcome[] = [];
    const byHandle = new Map<string, ListingChange[]>();
    for (const c of items) byHandle.set(c.create!.productHandle, [...(byHandle.get(c.create!.productHandle) ?? []), c]);
    for (const [handle, group] of byHandle) {
      try {
        const exists = await this.gql<{ products: { nodes: Array<{ id: string }> } }>(
          'query($q: String!) { products(first: 1, query: $q) { nodes { id } } }',
          { q: `handle:${JSON.stringify(handle)}` },
          'products',
          true,
        );
        if (exists.products?.nodes?.length) {
          for (const c of group) out.push({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'VARIANT_MISSING', message: `product ${handle} exists on Shopify without SKU ${c.sku}; add the variant in Shopify (sync never rewrites a product's variant list)` });
          continue;
        }
        const loc = await this.location();
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
            ...(q !== undefined ? { inventoryQuantities: [{ locationId: loc, name: 'available', quantity: q }] } : {}),
          };
        });
        hooks.beforeBatch?.(group.map((c) => c.key));
        const d = await this.gql<{ productSet: { product: { id: string; variants: { nodes: VariantNode[] } } | null; userErrors: Array<{ code?: string; field?: string[]; message: string }> } }>(
          `mutation($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product { id variants(first: 250) { nodes { id sku price inventoryQuantity product { id } inventoryItem { id } } } }
    userErrors { code field message } } }`,
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
        out.push(...failAll(group, e));
      }
    }
    return out;
  }

  private async setQuantities(group: ListingChange[], refs: Map<string, VariantRef>, locationId: string, compare: boolean): Promise<ItemOutcome[]> {
    const quantities = group.map((c) => ({
      inventoryItemId: refs.get(c.sku)!.inventoryItemId,
      locationId,
      quantity: c.status === 'inactive' || c.status === 'removed' ? 0 : c.quantity ?? 0,
      changeFromQuantity: compare ? changeFrom(c) : null,
    }));
    const key = createHash('sha256').update(JSON.stringify(quantities)).digest('hex').slice(0, 32);
    try {
      const d = await this.gql<{ inventorySetQuantities: { userErrors: Array<{ code?: string; field?: string[]; message: string }> } }>(
        `mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: "${key}") {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { code field message } } }`,
        { input: { name: 'available', reason: 'correction', referenceDocumentUri: `merchant-cli://sync/${key}`, quantities } },
        'inventorySetQuantities',
        true,
      );
      const errs = d.inventorySetQuantities?.userErrors ?? [];
      if (!errs.length) return group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: encodeRef(refs.get(c.sku)!) }));
      // Errors name the offending entry (input.quantities.N.…); the mutation applied nothing.
      return group.map((c, i) => {
        const e = errs.find((x) => x.field?.includes('quantities') && x.field?.includes(String(i))) ?? (errs.every((x) => !x.field?.includes('quantities')) ? errs[0] : undefined);
        return e
          ? { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: e.code ?? 'USER_ERROR', message: e.message }
          : { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'NOT_APPLIED', message: 'not applied: another quantity in the same call was rejected', ambiguous: false };
      });
    } catch (e) {
      return failAll(group, e);
    }
  }

  async readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null }>): Promise<RemoteListing[]> {
    const found = await this.lookup(items.map((i) => i.sku));
    return items.map((i) => {
      const v = found.get(i.sku);
      if (!v) return { channel: i.channel, sku: i.sku, found: false };
      return {
        channel: i.channel,
        sku: i.sku,
        found: true,
        price: moneyFromWire(v.price, this.cfg.currency),
        quantity: v.quantity,
        remoteRef: encodeRef(v.ref),
      };
    });
  }

  async *pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[] }): AsyncGenerator<OrdersPage> {
    // Cursor: the updatedAt watermark of the last saved order ("updated_at:>=" re-reads the edge; the
    // store dedupes by order id).
    const since = cursor ?? opts.since;
    let after: string | null = null;
    let maxUpdated = since;
    for (;;) {
      const d: { orders: { nodes: ShopifyOrder[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.gql(
        `query($q: String!, $n: Int!, $after: String) {
  orders(first: $n, after: $after, sortKey: UPDATED_AT, query: $q) {
    nodes { id name createdAt updatedAt processedAt cancelledAt displayFinancialStatus displayFulfillmentStatus currencyCode email
      shippingAddress { name address1 address2 city zip provinceCode countryCodeV2 phone }
      totalPriceSet { shopMoney { amount currencyCode } }
      totalTaxSet { shopMoney { amount currencyCode } }
      totalShippingPriceSet { shopMoney { amount currencyCode } }
      totalDiscountsSet { shopMoney { amount currencyCode } }
      lineItems(first: 10) { nodes { id sku title quantity originalUnitPriceSet { shopMoney { amount currencyCode } } totalDiscountSet { shopMoney { amount } } } }
    }
    pageInfo { hasNextPage endCursor } } }`,
        { q: `updated_at:>='${since}' status:any`, n: ORDERS_PAGE, after },
        'orders',
        true,
      );
      const nodes = d.orders?.nodes ?? [];
      const orders = nodes.map((o) => normaliseShopifyOrder(o, this.cfg.currency));
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
    const d = await this.gql<{ shop: { name: string; myshopifyDomain: string; currencyCode: string } }>(
      'query { shop { name myshopifyDomain currencyCode } }',
      {},
      'shop',
      true,
    );
    return { account: d.shop?.myshopifyDomain ?? this.cfg.shop, check: `shop query answered for ${d.shop?.name ?? this.cfg.shop}`, currency: d.shop?.currencyCode };
  }
}

function changeFrom(c: ListingChange): number | null {
  return c.previousQuantity ?? null;
}

/** Stock outcome `a` and price outcome `b` of one item: ok only if both are; a failure says which part landed. */
function mergeOutcome(a: ItemOutcome, b: ItemOutcome | undefined): ItemOutcome {
  if (!b) return a;
  if (a.ok && b.ok) return a;
  if (!a.ok && !b.ok) return { ...a, ambiguous: a.ambiguous || b.ambiguous };
  const failed = a.ok ? b : a;
  return { ...failed, remoteRef: a.remoteRef ?? b.remoteRef, landed: [a.ok ? 'quantity' : 'price'] };
}

export function failAll(group: readonly ListingChange[], e: unknown): ItemOutcome[] {
  if (!(e instanceof HttpError)) throw e;
  if (e.kind === 'auth') throw e;
  return group.map((c) => ({
    key: c.key,
    channel: c.channel,
    sku: c.sku,
    ok: false,
    code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()),
    message: e.apiMessage ?? e.message,
    ambiguous: e.ambiguous,
  }));
}

interface ShopifyMoneyBag {
  shopMoney?: { amount?: string; currencyCode?: string };
}
interface ShopifyOrder {
  id: string;
  name?: string;
  createdAt: string;
  updatedAt?: string;
  processedAt?: string;
  cancelledAt?: string | null;
  displayFinancialStatus?: string;
  displayFulfillmentStatus?: string;
  currencyCode?: string;
  email?: string | null;
  customer?: { displayName?: string; email?: string } | null;
  shippingAddress?: Record<string, unknown> | null;
  totalPriceSet?: ShopifyMoneyBag;
  totalTaxSet?: ShopifyMoneyBag;
  totalShippingPriceSet?: ShopifyMoneyBag;
  totalDiscountsSet?: ShopifyMoneyBag;
  lineItems?: { nodes?: Array<{ id: string; sku?: string | null; title?: string; quantity: number; originalUnitPriceSet?: ShopifyMoneyBag; totalDiscountSet?: ShopifyMoneyBag; taxLines?: Array<{ priceSet?: ShopifyMoneyBag }> }> };
  refunds?: Array<{ id: string; createdAt: string; note?: string | null; totalRefundedSet?: ShopifyMoneyBag }>;
}

function shopifyStatus(o: ShopifyOrder): string {
  if (o.cancelledAt) return 'cancelled';
  const fin = (o.displayFinancialStatus ?? '').toUpperCase();
  if (fin === 'REFUNDED') return 'refunded';
  const ful = (o.displayFulfillmentStatus ?? '').toUpperCase();
  if (ful === 'FULFILLED') return 'shipped';
  if (ful === 'PARTIALLY_FULFILLED') return 'partially_shipped';
  if (fin === 'PENDING' || fin === 'AUTHORIZED') return 'pending';
  return 'unshipped';
}

export function normaliseShopifyOrder(o: ShopifyOrder, shopCurrency: string): NormalizedOrder {
  const cur = o.currencyCode ?? o.totalPriceSet?.shopMoney?.currencyCode ?? shopCurrency;
  const amt = (b: ShopifyMoneyBag | undefined) => minorFromWire(b?.shopMoney?.amount, cur);
  const ship = asRecord(o.shippingAddress);
  const lines = (o.lineItems?.nodes ?? []).map((l) => ({
    externalLineId: l.id,
    sku: l.sku ?? null,
    title: l.title ?? null,
    quantity: l.quantity,
    unitPriceMinor: amt(l.originalUnitPriceSet),
    discountMinor: amt(l.totalDiscountSet),
    taxMinor: (l.taxLines ?? []).reduce((s, t) => s + amt(t.priceSet), 0n),
  }));
  return {
    marketplace: 'shopify',
    channel: 'shopify',
    externalId: o.id.replace(/^gid:\/\/shopify\/Order\//, ''),
    status: shopifyStatus(o),
    orderedAt: o.createdAt,
    remoteUpdatedAt: o.updatedAt ?? null,
    paidAt: o.processedAt ?? null,
    currency: cur,
    buyerName: o.customer?.displayName ?? str(ship.name) ?? null,
    buyerEmail: o.customer?.email ?? o.email ?? null,
    shipTo: Object.keys(ship).length ? ship : null,
    shipCountry: upperCountry(ship.countryCodeV2),
    shippingMinor: amt(o.totalShippingPriceSet),
    shippingTaxMinor: 0n,
    discountMinor: amt(o.totalDiscountsSet),
    taxMinor: amt(o.totalTaxSet),
    taxKind: 'included',
    totalMinor: o.totalPriceSet ? amt(o.totalPriceSet) : null,
    lines,
    fees: [],
    refunds: asArray(o.refunds).map((r) => {
      const rr = r as { id: string; createdAt: string; note?: string | null; totalRefundedSet?: ShopifyMoneyBag };
      return { externalId: rr.id, refundedAt: rr.createdAt, amountMinor: amt(rr.totalRefundedSet), currency: cur, reason: rr.note ?? null };
    }),
    raw: o,
  };
}
