// Shopify Admin GraphQL emulator (2026-04 and later): X-Shopify-Access-Token (a legacy custom app's
// non-expiring shpat_ token, or one issued by the client-credentials grant at
// /admin/oauth/access_token that expires after 24 hours), validation and execution with graphql-js
// against our own 2026-10 SDL subset, calculated query cost with a per-token leaky bucket (HTTP 200 +
// THROTTLED, extensions.cost on every answer; connections and sized lists cost by their first/ids),
// cursor pagination, several locations of which one is primary (not the alphabetical first), orders
// with line and shipping tax lines and refunds, and the 2026-04 inventory semantics
// (changeFromQuantity on every quantity, CHANGE_FROM_QUANTITY_STALE, mandatory @idempotent(key:)
// replaying the first result for 24 hours and refusing a reused key with other parameters).

import {
  buildSchema,
  execute,
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLFieldMap,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { ApiModule } from './api.js';
import { SANDBOX_CREDENTIALS } from './credentials.js';
import { header, isObject, json, type SbRequest, type SbResponse } from './http.js';
import { CHANNEL_CURRENCY, fromCents, toCents, type DemoSeed } from './seed.js';
import { shopifySdl } from './shopify-schema.js';
import { fulfillmentCreate, fulfillmentFields, type FulfilmentOrderState } from './shopify-fulfillment.js';
import type { World } from './world.js';

// ---------- state ----------

interface Level {
  available: number;
  on_hand: number;
  committed: number;
  updatedAt: string;
}
interface SItem {
  id: number;
  variantId: number;
  sku: string | null;
  tracked: boolean;
  requiresShipping: boolean;
  countryCodeOfOrigin: string | null;
  harmonizedSystemCode: string | null;
  cost: string | null;
  weight: { unit: string; value: number } | null;
  createdAt: string;
  updatedAt: string;
  levels: Record<string, Level>;
}
interface SVariant {
  id: number;
  productId: number;
  title: string;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  taxable: boolean;
  inventoryPolicy: string;
  itemId: number;
  createdAt: string;
  updatedAt: string;
}
interface SProduct {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  variantIds: number[];
}
interface STaxLine {
  title: string;
  /** Decimal rate as Shopify gives it (0.25 = 25 %). */
  rate: string;
  price: string;
}
interface SOrderLine {
  id: number;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: string;
  variantId: number | null;
  /** Discount on the whole line (not per unit). */
  discount?: string;
  taxLines?: STaxLine[];
}
interface SShippingLine {
  id: number;
  title: string;
  price: string;
  taxLines: STaxLine[];
}
interface SRefund {
  id: number;
  createdAt: string;
  note: string | null;
  lines: Array<{ id: number; lineId: number; quantity: number; restockType: string; locationId: number | null; subtotal: string; tax: string }>;
  transactions: Array<{ id: number; kind: string; status: string; gateway: string; amount: string; createdAt: string }>;
}
interface SLocation {
  id: number;
  name: string;
  primary: boolean;
  active: boolean;
  /** ISO country of its address (Location.address.countryCode). */
  country?: string;
  city?: string;
}
interface SOrder {
  id: number;
  name: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  financial: string;
  fulfillment: string;
  currency: string;
  presentmentCurrency: string;
  presentmentRate: string | null;
  shipping: string;
  tax: string;
  shipTo: { name: string; address1: string; city: string; zip: string; countryCode: string } | null;
  lines: SOrderLine[];
  /** Prices include tax (EU VAT); false: tax is added on top. Seed orders: true. */
  taxesIncluded?: boolean;
  shippingLines?: SShippingLine[];
  refunds?: SRefund[];
  test?: boolean;
}
interface ShopState {
  domain: string;
  name: string;
  currency: string;
  seq: number;
  locations: SLocation[];
  products: Record<string, SProduct>;
  variants: Record<string, SVariant>;
  items: Record<string, SItem>;
  orders: Record<string, SOrder>;
  /** @idempotent keys (per mutation) with the first result, kept IDEMPOTENCY_TTL_MS on the sandbox clock. */
  idempotency: Record<string, { fingerprint: string; result: unknown; at?: number }>;
}
interface ShopifyState {
  shops: Record<string, ShopState>;
  /** Non-expiring Admin API tokens (legacy custom apps) → shop domain. */
  tokens: Record<string, string>;
  /** Dev Dashboard apps installed on a shop: client id → secret, shop, scopes. */
  apps?: Record<string, { secret: string; shop: string; scope: string }>;
  /** Tokens issued by the client-credentials grant → shop, expiry (ms, sandbox clock). */
  issued?: Record<string, { shop: string; expiresAt: number; clientId: string }>;
}

/** Client-credentials tokens live 24 hours (https://shopify.dev/docs/apps/build/authentication-authorization/client-credentials-grant). */
export const SHOPIFY_TOKEN_LIFETIME_S = 86_399;
/** How long Shopify remembers an @idempotent key (implementing-idempotency: 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

const GID = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
function parseGid(gid: unknown, type: string): number | undefined {
  if (typeof gid !== 'string') return undefined;
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)(?:\\?.*)?$`).exec(gid);
  return m ? Number(m[1]) : undefined;
}

function seedShop(world: World, seed: DemoSeed): ShopState {
  const c = SANDBOX_CREDENTIALS.shopify;
  const t = '2026-10-01T09:00:00.000Z';
  // Three locations: the primary one (Studio) is not the alphabetical first (Annex), and each holds
  // different stock, so an adapter writing to locations(first: 1) or reading the total over all
  // locations gets it wrong.
  const shop: ShopState = {
    domain: c.shop,
    name: 'Lindqvist Keramik (sandbox)',
    currency: c.currency,
    seq: 0,
    locations: [
      { id: 70000000001, name: 'Studio', primary: true, active: true, country: 'SE', city: 'Lund' },
      { id: 70000000002, name: 'Annex pop-up', primary: false, active: true, country: 'SE', city: 'Lund' },
      { id: 70000000003, name: 'Warehouse Malmö', primary: false, active: true, country: 'SE', city: 'Malmö' },
    ],
    products: {},
    variants: {},
    items: {},
    orders: {},
    idempotency: {},
  };
  const locId = String(shop.locations[0]!.id);
  const level = (q: number) => ({ available: q, on_hand: q, committed: 0, updatedAt: t });
  let n = 0;
  for (const p of seed.products) {
    n += 1;
    const pid = 8000000000 + n;
    const vid = 45000000000 + n;
    const iid = 47000000000 + n;
    shop.products[pid] = { id: pid, title: p.title, handle: p.sku.toLowerCase(), descriptionHtml: `<p>${p.description}</p>`, vendor: p.brand, productType: p.productType, status: 'ACTIVE', tags: [], createdAt: t, updatedAt: t, variantIds: [vid] };
    shop.variants[vid] = { id: vid, productId: pid, title: 'Default Title', barcode: p.ean, price: p.prices.shopify ?? '0.00', compareAtPrice: null, taxable: true, inventoryPolicy: 'DENY', itemId: iid, createdAt: t, updatedAt: t };
    shop.items[iid] = { id: iid, variantId: vid, sku: p.sku, tracked: true, requiresShipping: true, countryCodeOfOrigin: p.originCountry, harmonizedSystemCode: p.hsCode, cost: null, weight: { unit: 'GRAMS', value: p.weightGrams }, createdAt: t, updatedAt: t, levels: { [locId]: level(p.stock), '70000000002': level(n % 3), '70000000003': level(10 + n) } };
  }
  let o = 0;
  for (const order of seed.orders.filter((x) => x.channel === 'shopify')) {
    o += 1;
    const id = 5600000000 + o;
    const lines: SOrderLine[] = order.lines.map((l, i) => {
      const v = Object.values(shop.variants).find((vv) => shop.items[vv.itemId]?.sku === l.sku);
      const prod = v ? shop.products[v.productId] : undefined;
      return { id: 13000000000 + o * 100 + i, sku: l.sku, title: prod?.title ?? l.sku, quantity: l.quantity, unitPrice: l.unitPrice, variantId: v?.id ?? null, taxLines: [] as STaxLine[] };
    });
    // The seed gives the order's tax (VAT included in the prices); Shopify reports it per line: split
    // it by line value, the rounding remainder on the last line.
    const totals = lines.map((l) => toCents(l.unitPrice) * BigInt(l.quantity));
    const sum = totals.reduce((a, b) => a + b, 0n);
    const tax = toCents(order.tax);
    let given = 0n;
    lines.forEach((l, i) => {
      const part = i === lines.length - 1 ? tax - given : sum > 0n ? (tax * totals[i]!) / sum : 0n;
      given += part;
      const rate = sum - tax > 0n ? (Number(tax) / Number(sum - tax)).toFixed(2) : '0.0';
      if (part > 0n) l.taxLines = [{ title: 'VAT', rate, price: fromCents(part) }];
    });
    shop.orders[id] = {
      id,
      name: `#${order.id}`,
      email: order.buyer.email ?? null,
      createdAt: new Date(order.createdAt).toISOString(),
      updatedAt: new Date(order.updatedAt).toISOString(),
      cancelledAt: order.status === 'cancelled' ? new Date(order.updatedAt).toISOString() : null,
      financial: 'PAID',
      fulfillment: order.status === 'shipped' ? 'FULFILLED' : 'UNFULFILLED',
      currency: order.currency ?? CHANNEL_CURRENCY.shopify,
      presentmentCurrency: order.presentmentCurrency ?? order.currency,
      presentmentRate: order.presentmentRate ?? null,
      shipping: order.shipping,
      tax: order.tax,
      shipTo: { name: order.shipTo.name, address1: order.shipTo.line1, city: order.shipTo.city, zip: order.shipTo.postalCode, countryCode: order.shipTo.countryCode },
      lines,
      taxesIncluded: true,
      shippingLines: [{ id: 14000000000 + o, title: 'Standard', price: order.shipping, taxLines: [] }],
      refunds: [],
    };
  }
  void world;
  return shop;
}

// ---------- helpers ----------

/** JSON with object keys sorted at every level: the same variables give the same text whatever their order. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (isObject(x) && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

/** Shopify Decimal output: no trailing zeros beyond one decimal ("15.9", "10.0"). */
function decimalOut(text: string): string {
  const [i, f = ''] = text.split('.');
  const frac = f.replace(/0+$/, '');
  return `${i}.${frac || '0'}`;
}

/** Money input (string or number) → 2-decimal text, or undefined when not a decimal. */
function moneyIn(v: unknown): string | undefined {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  const neg = s.startsWith('-');
  const [i, f = ''] = s.replace('-', '').split('.');
  const cents = BigInt(i!) * 100n + BigInt((f + '00').slice(0, 2)) + (Number(f[2] ?? '0') >= 5 ? 1n : 0n);
  return fromCents(neg ? -cents : cents);
}

function mulRate(amount: string, rate: string | null): string {
  if (!rate) return amount;
  const [ri, rf = ''] = rate.split('.');
  const scale = 10n ** BigInt(rf.length);
  const r = BigInt(ri! + rf);
  const c = toCents(amount) * r;
  const q = c / scale;
  const rem = c % scale;
  return fromCents(rem * 2n >= scale ? q + 1n : q);
}

interface Filter {
  field: string;
  op: '=' | '>' | '>=' | '<' | '<=';
  value: string;
}
function parseSearch(q: string | undefined | null): Filter[] {
  if (!q) return [];
  const out: Filter[] = [];
  const re = /(\w+):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(q))) out.push({ field: m[1]!.toLowerCase(), op: (m[2] as Filter['op']) ?? '=', value: m[3] ?? m[4] ?? m[5] ?? '' });
  return out;
}
function cmp(a: string, op: Filter['op'], b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  const [x, y] = Number.isFinite(ta) && Number.isFinite(tb) ? [ta, tb] : [a.toLowerCase(), b.toLowerCase()];
  switch (op) {
    case '=':
      return typeof x === 'string' && typeof y === 'string' ? x === y || (y.endsWith('*') && x.startsWith(y.slice(0, -1))) : x === y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
  }
}

function gqlError(message: string, code: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

interface ConnArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ last_id: key })).toString('base64url');
}
function decodeCursor(c: string): string {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { last_id?: unknown };
    if (typeof v.last_id === 'string') return v.last_id;
  } catch {
    /* fall through */
  }
  throw gqlError(`Invalid cursor for current pagination sort.`, 'BAD_REQUEST');
}

function connection<T, N>(list: T[], args: ConnArgs, key: (t: T) => string, view: (t: T) => N) {
  const { first, last, after, before } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) throw gqlError('you must provide one of first or last', 'BAD_REQUEST');
  if (first != null && last != null) throw gqlError('providing both first and last is not supported', 'BAD_REQUEST');
  const n = (first ?? last)!;
  if (n < 0 || n > 250) throw gqlError(`${first != null ? 'first' : 'last'} must be between 0 and 250`, 'BAD_REQUEST');
  let items = args.reverse ? [...list].reverse() : list;
  let startIdx = 0;
  let endIdx = items.length;
  if (after) {
    const k = decodeCursor(after);
    const i = items.findIndex((t) => key(t) === k);
    startIdx = i < 0 ? items.length : i + 1;
  }
  if (before) {
    const k = decodeCursor(before);
    const i = items.findIndex((t) => key(t) === k);
    endIdx = i < 0 ? endIdx : i;
  }
  items = items.slice(startIdx, endIdx);
  const page = first != null ? items.slice(0, n) : items.slice(Math.max(0, items.length - n));
  const hasNext = first != null ? items.length > n : endIdx < (args.reverse ? list.length : list.length) && Boolean(before);
  const hasPrev = last != null ? items.length > n : startIdx > 0;
  const edges = page.map((t) => ({ cursor: encodeCursor(key(t)), node: view(t) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: hasNext, hasPreviousPage: hasPrev, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
  };
}

// ---------- cost ----------

const MAX_COST = 1000;
const BUCKET_MAX = 2000;
const RESTORE_RATE = 100;

/**
 * Shopify's calculated query cost (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
 * scalar and enum 0, object 1, interface/union the most expensive possible selection, connection
 * 2 + first × (cost of one node), a list sized by an argument (first:, nodes(ids:)) that many times
 * its element, a mutation 10. Requested cost uses the arguments; actual cost counts what came back.
 */
function costOf(schema: GraphQLSchema, doc: DocumentNode, op: OperationDefinitionNode, variables: Record<string, unknown>, data?: unknown): number {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  type Sel = { field: FieldNode; on: GraphQLCompositeType };
  /** The fields of a selection set, each with the type it is selected on (inline fragments and spreads resolved). */
  const fieldsOf = (sel: SelectionSetNode | undefined, parent: GraphQLCompositeType, out: Sel[] = []): Sel[] => {
    for (const s of sel?.selections ?? []) {
      if (s.kind === Kind.FIELD) out.push({ field: s, on: parent });
      else if (s.kind === Kind.INLINE_FRAGMENT) {
        const t = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        if (t) fieldsOf(s.selectionSet, t, out);
      } else {
        const f = fragments[s.name.value];
        const t = f ? (schema.getType(f.typeCondition.name.value) as GraphQLCompositeType | undefined) : undefined;
        if (f && t) fieldsOf(f.selectionSet, t, out);
      }
    }
    return out;
  };
  const fieldMap = (t: GraphQLCompositeType): GraphQLFieldMap<unknown, unknown> | undefined => (isObjectType(t) || isInterfaceType(t) ? t.getFields() : undefined);
  const argsOf = (def: GraphQLField<unknown, unknown>, f: FieldNode): Record<string, unknown> => {
    try {
      return getArgumentValues(def, f, variables);
    } catch {
      return {};
    }
  };
  /** Of an abstract type's possible selections, the most expensive; of an object, its own fields. */
  const walk = (sel: SelectionSetNode | undefined, parent: GraphQLCompositeType, value: unknown): number => {
    const byType = new Map<string, number>();
    for (const { field: f, on } of fieldsOf(sel, parent)) {
      const v = isObject(value) ? value[f.alias?.value ?? f.name.value] : undefined;
      const c = fieldCost(f, on, v);
      // With data, a fragment on a type the value is not costs nothing.
      if (data !== undefined && value !== undefined && on !== parent && isObject(value) && value.__typename !== undefined && value.__typename !== on.name) continue;
      byType.set(on.name, (byType.get(on.name) ?? 0) + c);
    }
    const own = byType.get(parent.name) ?? 0;
    let best = 0;
    for (const [name, c] of byType) if (name !== parent.name) best = Math.max(best, c);
    return own + best;
  };
  const fieldCost = (f: FieldNode, on: GraphQLCompositeType, v: unknown): number => {
    const map = fieldMap(on);
    const def = map?.[f.name.value];
    if (!def) return 0;
    const named = getNamedType(def.type);
    if (!isObjectType(named) && !isInterfaceType(named)) return 0;
    const args = argsOf(def, f);
    if (named.name.endsWith('Connection') && isObjectType(named)) {
      const nodeType = named.getFields().nodes ? (getNamedType(named.getFields().nodes!.type) as GraphQLCompositeType) : undefined;
      const requested = Number(args.first ?? args.last ?? 0) || 0;
      const nodeSels: SelectionSetNode[] = [];
      let actualNodes: unknown[] | undefined;
      for (const { field: sub } of fieldsOf(f.selectionSet, named)) {
        if (sub.name.value === 'nodes') {
          if (sub.selectionSet) nodeSels.push(sub.selectionSet);
          if (isObject(v) && Array.isArray(v[sub.alias?.value ?? 'nodes'])) actualNodes = v[sub.alias?.value ?? 'nodes'] as unknown[];
        }
        if (sub.name.value === 'edges') {
          for (const { field: e } of fieldsOf(sub.selectionSet, getNamedType(named.getFields().edges!.type) as GraphQLCompositeType)) {
            if (e.name.value !== 'node') continue;
            if (e.selectionSet) nodeSels.push(e.selectionSet);
            const edges = isObject(v) ? v[sub.alias?.value ?? 'edges'] : undefined;
            if (Array.isArray(edges)) actualNodes = edges.map((ed) => (isObject(ed) ? ed[e.alias?.value ?? 'node'] : undefined));
          }
        }
      }
      const nodeCost = (nodeVal: unknown) => 1 + Math.max(0, ...nodeSels.map((ns) => (nodeType ? walk(ns, nodeType, nodeVal) : 0)));
      if (data === undefined) return 2 + requested * nodeCost(undefined);
      if (v === null || v === undefined) return 0;
      return 2 + (actualNodes ?? []).reduce((a: number, n) => a + nodeCost(n), 0);
    }
    if (data !== undefined) {
      if (v === null || v === undefined) return 0;
      if (Array.isArray(v)) return v.reduce((a: number, item) => a + 1 + walk(f.selectionSet, named, item), 0);
      return 1 + walk(f.selectionSet, named, v);
    }
    // A list: as many as its size argument says (nodes(ids:), first:); unsized lists count once.
    const isList = def.type.toString().replace(/!$/, '').startsWith('[');
    const times = isList ? (Array.isArray(args.ids) ? args.ids.length : Number(args.first ?? 1) || 1) : 1;
    return times * (1 + walk(f.selectionSet, named, undefined));
  };
  if (op.operation === 'mutation') return 10 * fieldsOf(op.selectionSet, schema.getMutationType()!).length;
  return walk(op.selectionSet, schema.getQueryType()!, data);
}

// ---------- the module ----------

const VERSION_RE = /^(\d{4})-(01|04|07|10)$/;
const REASONS = ['correction', 'cycle_count_available', 'damaged', 'movement_created', 'movement_updated', 'movement_received', 'movement_canceled', 'other', 'promotion', 'quality_control', 'received', 'reservation_created', 'reservation_deleted', 'reservation_updated', 'restock', 'safety_stock', 'shrinkage'];

interface Ctx {
  shop: ShopState;
  version: string;
}

/** Built once per process: every sandbox instance shares the (immutable) schema. */
let cachedSchema: GraphQLSchema | undefined;

export function shopifyApi(world: World): ApiModule {
  const c = SANDBOX_CREDENTIALS.shopify;
  const st = () =>
    world.slot<ShopifyState>('shopify', () => ({
      shops: { [c.shop]: seedShop(world, world.seed) },
      tokens: { [c.token]: c.shop },
      apps: { [c.clientId]: { secret: c.clientSecret, shop: c.shop, scope: 'read_products,write_products,read_inventory,write_inventory,read_orders,read_locations' } },
      issued: {},
    }));
  const primaryOf = (s: ShopState) => s.locations.find((l) => l.primary) ?? s.locations[0]!;
  const schema = (cachedSchema ??= buildSchema(shopifySdl()));

  // ----- views -----
  const itemOf = (s: ShopState, v: SVariant) => s.items[v.itemId]!;
  const quantityOf = (it: SItem) => Object.values(it.levels).reduce((a, l) => a + l.available, 0);

  const locationView = (s: ShopState, id: number) => {
    const l = s.locations.find((x) => x.id === id)!;
    return {
      __typename: 'Location',
      id: GID('Location', l.id),
      name: l.name,
      isActive: l.active,
      fulfillsOnlineOrders: l.active,
      shipsInventory: l.primary,
      isPrimary: l.primary,
      address: { __typename: 'LocationAddress', countryCode: l.country ?? null, country: l.country ?? null, city: l.city ?? null, formatted: [l.city, l.country].filter(Boolean) },
      inventoryLevel: ({ inventoryItemId }: { inventoryItemId: string }) => {
        const it = s.items[String(parseGid(inventoryItemId, 'InventoryItem'))];
        return it && it.levels[String(l.id)] ? levelView(s, it, String(l.id)) : null;
      },
      // The levels held at this location (an item is "stocked" there once it has a level), by item id.
      inventoryLevels: (a: ConnArgs) =>
        connection(
          Object.values(s.items).filter((it) => it.levels[String(l.id)]).sort((x, y) => x.id - y.id),
          a,
          (it) => String(it.id),
          (it) => levelView(s, it, String(l.id)),
        ),
    };
  };
  const levelView = (s: ShopState, it: SItem, locId: string) => {
    const lv = it.levels[locId]!;
    return {
      __typename: 'InventoryLevel',
      id: `${GID('InventoryLevel', `${it.id}${locId.slice(-4)}`)}?inventory_item_id=${it.id}`,
      item: () => itemView(s, it),
      location: () => locationView(s, Number(locId)),
      createdAt: it.createdAt,
      updatedAt: lv.updatedAt,
      quantities: ({ names }: { names: string[] }) =>
        names.map((name) => {
          const q = name === 'available' ? lv.available : name === 'on_hand' ? lv.on_hand : name === 'committed' ? lv.committed : name === 'incoming' || name === 'reserved' || name === 'damaged' || name === 'safety_stock' || name === 'quality_control' ? 0 : undefined;
          if (q === undefined) throw gqlError(`Invalid quantity name: ${name}`, 'BAD_REQUEST');
          return { __typename: 'InventoryQuantity', id: `gid://shopify/InventoryQuantity/${it.id}-${locId}-${name}`, name, quantity: q, updatedAt: lv.updatedAt };
        }),
    };
  };
  const itemView = (s: ShopState, it: SItem): Record<string, unknown> => ({
    __typename: 'InventoryItem',
    id: GID('InventoryItem', it.id),
    sku: it.sku,
    tracked: it.tracked,
    requiresShipping: it.requiresShipping,
    countryCodeOfOrigin: it.countryCodeOfOrigin,
    harmonizedSystemCode: it.harmonizedSystemCode,
    unitCost: it.cost ? { amount: decimalOut(it.cost), currencyCode: s.currency } : null,
    measurement: { id: GID('InventoryItemMeasurement', it.id), weight: it.weight },
    createdAt: it.createdAt,
    updatedAt: it.updatedAt,
    variant: () => variantView(s, s.variants[it.variantId]!),
    inventoryLevel: ({ locationId }: { locationId: string }) => {
      const lid = parseGid(locationId, 'Location');
      return lid !== undefined && it.levels[String(lid)] ? levelView(s, it, String(lid)) : null;
    },
    inventoryLevels: (a: ConnArgs) => connection(Object.keys(it.levels), a, (k) => k, (k) => levelView(s, it, k)),
  });
  const variantView = (s: ShopState, v: SVariant): Record<string, unknown> => {
    const it = itemOf(s, v);
    const p = s.products[v.productId]!;
    return {
      __typename: 'ProductVariant',
      id: GID('ProductVariant', v.id),
      title: v.title,
      displayName: `${p.title} - ${v.title}`,
      sku: it.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      taxable: v.taxable,
      inventoryPolicy: v.inventoryPolicy,
      inventoryQuantity: quantityOf(it),
      position: p.variantIds.indexOf(v.id) + 1,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
      product: () => productView(s, p),
      inventoryItem: () => itemView(s, it),
    };
  };
  const productView = (s: ShopState, p: SProduct): Record<string, unknown> => ({
    __typename: 'Product',
    id: GID('Product', p.id),
    title: p.title,
    handle: p.handle,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    totalInventory: p.variantIds.reduce((a, vid) => a + quantityOf(itemOf(s, s.variants[vid]!)), 0),
    variantsCount: { count: p.variantIds.length, precision: 'EXACT' },
    variants: (a: ConnArgs) => connection(p.variantIds.map((id) => s.variants[id]!), a, (v) => String(v.id), (v) => variantView(s, v)),
  });
  const bag = (o: SOrder, amount: string) => ({ shopMoney: { amount: decimalOut(amount), currencyCode: o.currency }, presentmentMoney: { amount: decimalOut(mulRate(amount, o.presentmentRate)), currencyCode: o.presentmentCurrency } });
  const taxLineView = (o: SOrder, t: STaxLine) => ({ title: t.title, rate: Number(t.rate), ratePercentage: Number(t.rate) * 100, priceSet: bag(o, t.price), channelLiable: false, source: 'Shopify' });
  const cents = (list: ReadonlyArray<{ price: string }> | undefined) => (list ?? []).reduce((a, t) => a + toCents(t.price), 0n);
  /** Money of an order, from its lines, shipping lines, tax lines and refunds (legacy states: the stored totals). */
  const orderMoney = (o: SOrder) => {
    const subtotal = o.lines.reduce((a, l) => a + toCents(l.unitPrice) * BigInt(l.quantity), 0n);
    const discounts = o.lines.reduce((a, l) => a + toCents(l.discount ?? '0'), 0n);
    const shipping = o.shippingLines ? o.shippingLines.reduce((a, l) => a + toCents(l.price), 0n) : toCents(o.shipping);
    const lineTax = o.lines.reduce((a, l) => a + cents(l.taxLines), 0n);
    const shippingTax = (o.shippingLines ?? []).reduce((a, l) => a + cents(l.taxLines), 0n);
    const hasTaxLines = o.lines.some((l) => l.taxLines !== undefined);
    const tax = hasTaxLines ? lineTax + shippingTax : toCents(o.tax);
    const included = o.taxesIncluded ?? true;
    const total = subtotal - discounts + shipping + (included ? 0n : tax);
    const refunded = (o.refunds ?? []).reduce((a, r) => a + r.transactions.filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS').reduce((x, t) => x + toCents(t.amount), 0n), 0n);
    return { subtotal, discounts, shipping, tax, total, refunded };
  };
  const financialOf = (o: SOrder) => {
    const m = orderMoney(o);
    if (m.refunded > 0n) return m.refunded >= m.total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    return o.financial;
  };
  const refundedQty = (o: SOrder, lineId: number) => (o.refunds ?? []).reduce((a, r) => a + r.lines.filter((x) => x.lineId === lineId).reduce((b, x) => b + x.quantity, 0), 0);
  const lineView = (s: ShopState, o: SOrder, l: SOrderLine) => ({
    __typename: 'LineItem',
    id: GID('LineItem', l.id),
    name: l.title,
    title: l.title,
    sku: l.sku,
    quantity: l.quantity,
    currentQuantity: l.quantity - refundedQty(o, l.id),
    refundableQuantity: l.quantity - refundedQty(o, l.id),
    variant: l.variantId && s.variants[l.variantId] ? variantView(s, s.variants[l.variantId]!) : null,
    originalUnitPriceSet: bag(o, l.unitPrice),
    discountedUnitPriceSet: bag(o, l.quantity > 0 ? fromCents(toCents(l.unitPrice) - toCents(l.discount ?? '0') / BigInt(l.quantity)) : l.unitPrice),
    originalTotalSet: bag(o, fromCents(toCents(l.unitPrice) * BigInt(l.quantity))),
    totalDiscountSet: bag(o, l.discount ?? '0.00'),
    taxable: (l.taxLines ?? []).length > 0,
    taxLines: ({ first }: { first?: number | null }) => (l.taxLines ?? []).slice(0, first ?? undefined).map((t) => taxLineView(o, t)),
  });
  const transactionView = (o: SOrder, t: SRefund['transactions'][number]) => ({ __typename: 'OrderTransaction', id: GID('OrderTransaction', t.id), kind: t.kind, status: t.status, gateway: t.gateway, amountSet: bag(o, t.amount), createdAt: t.createdAt, processedAt: t.createdAt, test: Boolean(o.test) });
  const refundView = (s: ShopState, o: SOrder, r: SRefund) => ({
    __typename: 'Refund',
    id: GID('Refund', r.id),
    createdAt: r.createdAt,
    updatedAt: r.createdAt,
    note: r.note,
    totalRefundedSet: bag(o, fromCents(r.transactions.filter((t) => t.kind === 'REFUND' && t.status === 'SUCCESS').reduce((a, t) => a + toCents(t.amount), 0n))),
    refundLineItems: (a: ConnArgs) =>
      connection(r.lines, a, (x) => String(x.id), (x) => {
        const line = o.lines.find((l) => l.id === x.lineId)!;
        return {
          id: GID('RefundLineItem', x.id),
          lineItem: lineView(s, o, line),
          quantity: x.quantity,
          restockType: x.restockType,
          restocked: x.restockType !== 'NO_RESTOCK',
          location: x.locationId !== null && s.locations.some((l) => l.id === x.locationId) ? locationView(s, x.locationId) : null,
          priceSet: bag(o, line.unitPrice),
          subtotalSet: bag(o, x.subtotal),
          totalTaxSet: bag(o, x.tax),
        };
      }),
    transactions: (a: ConnArgs) => connection(r.transactions, a, (t) => String(t.id), (t) => transactionView(o, t)),
  });
  const orderView = (s: ShopState, o: SOrder): Record<string, unknown> => {
    const m = orderMoney(o);
    const [first, ...rest] = (o.shipTo?.name ?? '').split(' ');
    const shippingLines: SShippingLine[] = o.shippingLines ?? [{ id: o.id, title: 'Shipping', price: o.shipping, taxLines: [] }];
    // Order.taxLines: the order's tax lines summed by title and rate.
    const byRate = new Map<string, STaxLine>();
    for (const t of [...o.lines.flatMap((l) => l.taxLines ?? []), ...shippingLines.flatMap((l) => l.taxLines)]) {
      const k = `${t.title}|${t.rate}`;
      const prev = byRate.get(k);
      byRate.set(k, { ...t, price: fromCents(toCents(t.price) + (prev ? toCents(prev.price) : 0n)) });
    }
    return {
      __typename: 'Order',
      id: GID('Order', o.id),
      name: o.name,
      email: o.email,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      processedAt: o.createdAt,
      cancelledAt: o.cancelledAt,
      test: Boolean(o.test),
      taxesIncluded: o.taxesIncluded ?? true,
      displayFinancialStatus: financialOf(o),
      displayFulfillmentStatus: o.fulfillment,
      currencyCode: o.currency,
      presentmentCurrencyCode: o.presentmentCurrency,
      subtotalPriceSet: bag(o, fromCents(m.subtotal - m.discounts)),
      totalPriceSet: bag(o, fromCents(m.total)),
      currentTotalPriceSet: bag(o, fromCents(m.total - m.refunded)),
      totalShippingPriceSet: bag(o, fromCents(m.shipping)),
      totalTaxSet: bag(o, fromCents(m.tax)),
      totalDiscountsSet: bag(o, fromCents(m.discounts)),
      totalRefundedSet: bag(o, fromCents(m.refunded)),
      ...fulfillmentFields(o as unknown as FulfilmentOrderState, (lineId) => {
        const l = o.lines.find((x) => x.id === lineId);
        return l ? lineView(s, o, l) : null;
      }),
      shippingAddress: o.shipTo ? { name: o.shipTo.name, firstName: first, lastName: rest.join(' ') || null, company: null, address1: o.shipTo.address1, address2: null, city: o.shipTo.city, province: null, provinceCode: null, zip: o.shipTo.zip, country: o.shipTo.countryCode, countryCodeV2: o.shipTo.countryCode, phone: null } : null,
      taxLines: [...byRate.values()].map((t) => taxLineView(o, t)),
      lineItems: (a: ConnArgs) => connection(o.lines, a, (l) => String(l.id), (l) => lineView(s, o, l)),
      shippingLines: (a: ConnArgs) =>
        connection(shippingLines, a, (l) => String(l.id), (l) => ({ id: GID('ShippingLine', l.id), title: l.title, code: l.title, originalPriceSet: bag(o, l.price), discountedPriceSet: bag(o, l.price), taxLines: l.taxLines.map((t) => taxLineView(o, t)), isRemoved: false })),
      refunds: ({ first: n }: { first?: number | null }) => (o.refunds ?? []).slice(0, n ?? undefined).map((r) => refundView(s, o, r)),
    };
  };

  const sortBy = <T>(list: T[], f: (t: T) => string | number): T[] => [...list].sort((a, b) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0));

  // ----- root resolvers -----
  const root = {
    shop: (_a: unknown, ctx: Ctx) => ({ __typename: 'Shop', id: GID('Shop', 60000000001), name: ctx.shop.name, myshopifyDomain: ctx.shop.domain, currencyCode: ctx.shop.currency, ianaTimezone: 'Europe/Stockholm', email: 'shop@lindqvist.example' }),
    node: ({ id }: { id: string }, ctx: Ctx) => {
      const s = ctx.shop;
      const m = /^gid:\/\/shopify\/(\w+)\/(\d+)/.exec(id);
      if (!m) return null;
      const n = m[2]!;
      switch (m[1]) {
        case 'Product':
          return s.products[n] ? productView(s, s.products[n]!) : null;
        case 'ProductVariant':
          return s.variants[n] ? variantView(s, s.variants[n]!) : null;
        case 'InventoryItem':
          return s.items[n] ? itemView(s, s.items[n]!) : null;
        case 'Order':
          return s.orders[n] ? orderView(s, s.orders[n]!) : null;
        case 'Refund': {
          const o = Object.values(s.orders).find((x) => (x.refunds ?? []).some((r) => r.id === Number(n)));
          return o ? refundView(s, o, o.refunds!.find((r) => r.id === Number(n))!) : null;
        }
        case 'Location':
          return s.locations.some((l) => l.id === Number(n)) ? locationView(s, Number(n)) : null;
        default:
          return null;
      }
    },
    nodes: ({ ids }: { ids: string[] }, ctx: Ctx) => {
      if (ids.length > 250) throw gqlError(`The input array size of ${ids.length} is greater than the maximum allowed of 250.`, 'MAX_INPUT_SIZE_EXCEEDED', { path: ['nodes', 'ids'] });
      return ids.map((id) => root.node({ id }, ctx));
    },
    product: ({ id }: { id: string }, ctx: Ctx) => {
      const p = ctx.shop.products[String(parseGid(id, 'Product'))];
      return p ? productView(ctx.shop, p) : null;
    },
    productByIdentifier: ({ identifier }: { identifier: { id?: string; handle?: string } }, ctx: Ctx) => {
      const p = identifier.id ? ctx.shop.products[String(parseGid(identifier.id, 'Product'))] : Object.values(ctx.shop.products).find((x) => x.handle === identifier.handle);
      return p ? productView(ctx.shop, p) : null;
    },
    products: (a: ConnArgs & { sortKey: string; query?: string | null }, ctx: Ctx) => {
      const s = ctx.shop;
      const filters = parseSearch(a.query);
      let list = Object.values(s.products).filter((p) =>
        filters.every((f) => {
          if (f.field === 'sku') return p.variantIds.some((v) => cmp(s.items[s.variants[v]!.itemId]!.sku ?? '', f.op, f.value));
          if (f.field === 'title') return cmp(p.title, f.op, f.value);
          if (f.field === 'handle') return cmp(p.handle, f.op, f.value);
          if (f.field === 'status') return f.value === 'any' || f.value.split(',').some((v) => v.toUpperCase() === p.status);
          if (f.field === 'updated_at') return cmp(p.updatedAt, f.op, f.value);
          if (f.field === 'created_at') return cmp(p.createdAt, f.op, f.value);
          if (f.field === 'product_type') return cmp(p.productType, f.op, f.value);
          if (f.field === 'vendor') return cmp(p.vendor, f.op, f.value);
          if (f.field === 'id') return cmp(String(p.id).padStart(20, '0'), f.op, f.value.padStart(20, '0'));
          return true;
        }),
      );
      const key = a.sortKey === 'TITLE' ? (p: SProduct) => p.title : a.sortKey === 'UPDATED_AT' ? (p: SProduct) => `${p.updatedAt}|${String(p.id).padStart(20, '0')}` : a.sortKey === 'CREATED_AT' ? (p: SProduct) => `${p.createdAt}|${String(p.id).padStart(20, '0')}` : (p: SProduct) => String(p.id).padStart(20, '0');
      list = sortBy(list, key);
      return connection(list, a, (p) => String(p.id), (p) => productView(s, p));
    },
    productsCount: ({ query }: { query?: string }, ctx: Ctx) => {
      void query;
      return { count: Object.keys(ctx.shop.products).length, precision: 'EXACT' };
    },
    productVariant: ({ id }: { id: string }, ctx: Ctx) => {
      const v = ctx.shop.variants[String(parseGid(id, 'ProductVariant'))];
      return v ? variantView(ctx.shop, v) : null;
    },
    productVariants: (a: ConnArgs & { query?: string | null }, ctx: Ctx) => {
      const s = ctx.shop;
      const filters = parseSearch(a.query);
      const list = sortBy(
        Object.values(s.variants).filter((v) =>
          filters.every((f) => {
            if (f.field === 'sku') return cmp(s.items[v.itemId]!.sku ?? '', f.op, f.value);
            if (f.field === 'product_id') return cmp(String(v.productId), f.op, f.value);
            if (f.field === 'updated_at') return cmp(v.updatedAt, f.op, f.value);
            if (f.field === 'barcode') return cmp(v.barcode ?? '', f.op, f.value);
            return true;
          }),
        ),
        (v) => String(v.id).padStart(20, '0'),
      );
      return connection(list, a, (v) => String(v.id), (v) => variantView(s, v));
    },
    inventoryItem: ({ id }: { id: string }, ctx: Ctx) => {
      const it = ctx.shop.items[String(parseGid(id, 'InventoryItem'))];
      return it ? itemView(ctx.shop, it) : null;
    },
    inventoryItems: (a: ConnArgs & { query?: string | null }, ctx: Ctx) => {
      const s = ctx.shop;
      const filters = parseSearch(a.query);
      const list = sortBy(
        Object.values(s.items).filter((it) => filters.every((f) => (f.field === 'sku' ? cmp(it.sku ?? '', f.op, f.value) : f.field === 'updated_at' ? cmp(it.updatedAt, f.op, f.value) : true))),
        (it) => String(it.id).padStart(20, '0'),
      );
      return connection(list, a, (it) => String(it.id), (it) => itemView(s, it));
    },
    inventoryLevel: ({ id }: { id: string }, ctx: Ctx) => {
      const m = /inventory_item_id=(\d+)/.exec(id);
      const it = m ? ctx.shop.items[m[1]!] : undefined;
      if (!it) return null;
      const locId = Object.keys(it.levels).find((l) => id.includes(`/${it.id}${l.slice(-4)}?`));
      return locId ? levelView(ctx.shop, it, locId) : null;
    },
    location: ({ id }: { id?: string | null }, ctx: Ctx) => {
      // Without an id: the shop's primary location (the schema's own description of location(id:)).
      const lid = id ? parseGid(id, 'Location') : primaryOf(ctx.shop).id;
      return lid !== undefined && ctx.shop.locations.some((l) => l.id === lid) ? locationView(ctx.shop, lid) : null;
    },
    locations: (a: ConnArgs & { sortKey: string; query?: string | null; includeInactive: boolean }, ctx: Ctx) => {
      const filters = parseSearch(a.query);
      const list = sortBy(
        ctx.shop.locations.filter((l) => (a.includeInactive || l.active) && filters.every((f) => (f.field === 'name' ? cmp(l.name, f.op, f.value) : f.field === 'id' ? cmp(String(l.id), f.op, f.value) : true))),
        // Shopify's default sort key for locations is NAME.
        a.sortKey === 'ID' ? (l) => String(l.id).padStart(20, '0') : (l) => l.name.toLowerCase(),
      );
      return connection(list, a, (l) => String(l.id), (l) => locationView(ctx.shop, l.id));
    },
    order: ({ id }: { id: string }, ctx: Ctx) => {
      const o = ctx.shop.orders[String(parseGid(id, 'Order'))];
      return o ? orderView(ctx.shop, o) : null;
    },
    orders: (a: ConnArgs & { sortKey: string; query?: string | null }, ctx: Ctx) => {
      const s = ctx.shop;
      const filters = parseSearch(a.query);
      let list = Object.values(s.orders).filter((o) =>
        filters.every((f) => {
          if (f.field === 'updated_at') return cmp(o.updatedAt, f.op, f.value);
          if (f.field === 'created_at' || f.field === 'processed_at') return cmp(o.createdAt, f.op, f.value);
          if (f.field === 'status') return f.value === 'any' || (f.value === 'open' ? !o.cancelledAt : f.value === 'cancelled' ? Boolean(o.cancelledAt) : true);
          if (f.field === 'fulfillment_status') return f.value === 'any' || (f.value === 'shipped' || f.value === 'fulfilled' ? o.fulfillment === 'FULFILLED' : f.value === 'unshipped' || f.value === 'unfulfilled' ? o.fulfillment === 'UNFULFILLED' : true);
          if (f.field === 'financial_status') return f.value === 'any' || o.financial === f.value.toUpperCase();
          if (f.field === 'name') return o.name === f.value || o.name === `#${f.value}`;
          if (f.field === 'id') return cmp(String(o.id).padStart(20, '0'), f.op, f.value.padStart(20, '0'));
          return true;
        }),
      );
      const key =
        a.sortKey === 'UPDATED_AT' ? (o: SOrder) => `${o.updatedAt}|${String(o.id).padStart(20, '0')}` : a.sortKey === 'ID' || a.sortKey === 'ORDER_NUMBER' ? (o: SOrder) => String(o.id).padStart(20, '0') : (o: SOrder) => `${o.createdAt}|${String(o.id).padStart(20, '0')}`;
      list = sortBy(list, key);
      return connection(list, a, (o) => String(o.id), (o) => orderView(s, o));
    },

    // ----- mutations -----
    productVariantsBulkUpdate: (a: { productId: string; variants: Array<Record<string, unknown>>; allowPartialUpdates: boolean }, ctx: Ctx) => {
      const s = ctx.shop;
      const p = s.products[String(parseGid(a.productId, 'Product'))];
      const userErrors: Array<{ code: string; field: string[]; message: string }> = [];
      if (!p) return { product: null, productVariants: null, userErrors: [{ code: 'PRODUCT_DOES_NOT_EXIST', field: ['productId'], message: 'Product does not exist' }] };
      if (a.variants.length > 250) throw gqlError('The input array size of 251 is greater than the maximum allowed of 250.', 'MAX_INPUT_SIZE_EXCEEDED', { path: ['variants'] });
      const plans: Array<() => void> = [];
      const touched: SVariant[] = [];
      a.variants.forEach((vi, i) => {
        const errs: typeof userErrors = [];
        const vid = parseGid(vi.id, 'ProductVariant');
        const v = vid !== undefined ? s.variants[vid] : undefined;
        if (vi.id === undefined || vi.id === null) errs.push({ code: 'PRODUCT_VARIANT_ID_MISSING', field: ['variants', String(i), 'id'], message: 'Product variant id is missing' });
        else if (!v) errs.push({ code: 'PRODUCT_VARIANT_DOES_NOT_EXIST', field: ['variants', String(i), 'id'], message: 'Product variant does not exist' });
        else if (v.productId !== p.id) errs.push({ code: 'MUST_BE_FOR_THIS_PRODUCT', field: ['variants', String(i), 'id'], message: 'Product variant does not belong to this product' });
        let price: string | undefined;
        if (vi.price !== undefined && vi.price !== null) {
          price = moneyIn(vi.price);
          if (price === undefined) errs.push({ code: 'INVALID_INPUT', field: ['variants', String(i), 'price'], message: 'Price is invalid' });
          else if (price.startsWith('-')) errs.push({ code: 'GREATER_THAN_OR_EQUAL_TO', field: ['variants', String(i), 'price'], message: 'Price must be greater than or equal to 0' });
          else if (toCents(price) >= 100_000_000_000n) errs.push({ code: 'INVALID_INPUT', field: ['variants', String(i), 'price'], message: 'Price must be less than 1000000000' });
        }
        let compareAt: string | null | undefined;
        if (vi.compareAtPrice === null) compareAt = null;
        else if (vi.compareAtPrice !== undefined) {
          compareAt = moneyIn(vi.compareAtPrice);
          if (compareAt === undefined || compareAt.startsWith('-')) errs.push({ code: 'INVALID_INPUT', field: ['variants', String(i), 'compareAtPrice'], message: 'Compare at price is invalid' });
        }
        const inv = isObject(vi.inventoryItem) ? vi.inventoryItem : undefined;
        if (inv?.harmonizedSystemCode !== undefined && inv.harmonizedSystemCode !== null && !/^\d{6,13}$/.test(String(inv.harmonizedSystemCode))) {
          errs.push({ code: 'INVALID_INPUT', field: ['variants', String(i), 'inventoryItem', 'harmonizedSystemCode'], message: 'Harmonized system code must be between 6 and 13 digits' });
        }
        if (typeof inv?.sku === 'string' && inv.sku.length > 255) errs.push({ code: 'TOO_LONG', field: ['variants', String(i), 'inventoryItem', 'sku'], message: 'SKU is too long (maximum is 255 characters)' });
        userErrors.push(...errs);
        if (errs.length || !v) return;
        touched.push(v);
        plans.push(() => {
          const now = world.iso();
          if (price !== undefined) v.price = price;
          if (compareAt !== undefined) v.compareAtPrice = compareAt;
          if (typeof vi.barcode === 'string' || vi.barcode === null) v.barcode = vi.barcode as string | null;
          if (typeof vi.taxable === 'boolean') v.taxable = vi.taxable;
          if (typeof vi.inventoryPolicy === 'string') v.inventoryPolicy = vi.inventoryPolicy;
          if (inv) {
            const it = s.items[v.itemId]!;
            if (inv.sku !== undefined) it.sku = (inv.sku as string | null) ?? null;
            if (typeof inv.tracked === 'boolean') it.tracked = inv.tracked;
            if (typeof inv.requiresShipping === 'boolean') it.requiresShipping = inv.requiresShipping;
            if (inv.countryCodeOfOrigin !== undefined) it.countryCodeOfOrigin = (inv.countryCodeOfOrigin as string | null) ?? null;
            if (inv.harmonizedSystemCode !== undefined) it.harmonizedSystemCode = (inv.harmonizedSystemCode as string | null) ?? null;
            if (inv.cost !== undefined) it.cost = inv.cost === null ? null : (moneyIn(inv.cost) ?? it.cost);
            const w = isObject(inv.measurement) && isObject(inv.measurement.weight) ? inv.measurement.weight : undefined;
            if (w) it.weight = { unit: String(w.unit), value: Number(w.value) };
            it.updatedAt = now;
          }
          v.updatedAt = now;
          p.updatedAt = now;
        });
      });
      if (userErrors.length && !a.allowPartialUpdates) return { product: productView(s, p), productVariants: null, userErrors };
      for (const plan of plans) plan();
      return { product: productView(s, p), productVariants: touched.map((v) => variantView(s, v)), userErrors };
    },

    /**
     * locationDeactivate: a location that still holds inventory is refused (HAS_ACTIVE_INVENTORY_ERROR)
     * unless a destinationLocationId (active, another one) takes it; the primary location cannot be
     * deactivated. A deactivated location keeps no inventory levels: its items are no longer stocked
     * there, so a quantity set there is refused (ITEM_NOT_STOCKED_AT_LOCATION).
     */
    locationDeactivate: (a: { locationId: string; destinationLocationId?: string | null }, ctx: Ctx) => {
      const s = ctx.shop;
      const err = (code: string, message: string, field: string[]) => ({ location: null, locationDeactivateUserErrors: [{ code, field, message }] });
      const lid = parseGid(a.locationId, 'Location');
      const l = s.locations.find((x) => x.id === lid);
      if (!l) return err('LOCATION_NOT_FOUND', 'Location not found.', ['locationId']);
      if (l.primary) return err('CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT', 'This location currently cannot be deactivated: it fulfils online orders as the shop\'s default location.', ['locationId']);
      const held = Object.values(s.items).filter((it) => it.levels[String(l.id)] && (it.levels[String(l.id)]!.on_hand !== 0 || it.levels[String(l.id)]!.available !== 0));
      let dest: SLocation | undefined;
      if (a.destinationLocationId) {
        const did = parseGid(a.destinationLocationId, 'Location');
        if (did === l.id) return err('DESTINATION_LOCATION_IS_THE_SAME_LOCATION', 'The location and its destination cannot be the same.', ['destinationLocationId']);
        dest = s.locations.find((x) => x.id === did && x.active);
        if (!dest) return err('DESTINATION_LOCATION_NOT_FOUND_OR_INACTIVE', 'Destination location not found or inactive.', ['destinationLocationId']);
      } else if (held.length) return err('HAS_ACTIVE_INVENTORY_ERROR', 'Location could not be deactivated without specifying where to relocate inventory stocked at the location.', ['locationId']);
      const now = world.iso();
      for (const it of Object.values(s.items)) {
        const lv = it.levels[String(l.id)];
        if (!lv) continue;
        if (dest) {
          const d = it.levels[String(dest.id)] ?? (it.levels[String(dest.id)] = { available: 0, on_hand: 0, committed: 0, updatedAt: now });
          d.available += lv.available;
          d.on_hand += lv.on_hand;
          d.updatedAt = now;
        }
        delete it.levels[String(l.id)];
      }
      l.active = false;
      s.seq += 1;
      return { location: locationView(s, l.id), locationDeactivateUserErrors: [] };
    },

    inventorySetQuantities: (a: { input: { name: string; reason: string; referenceDocumentUri?: string | null; quantities: Array<Record<string, unknown>> } }, ctx: Ctx, info: GraphQLResolveInfo) => {
      const s = ctx.shop;
      const r = idempotent(s, info, a.input, () => applySet(s, a.input));
      if (r.mismatch) return { inventoryAdjustmentGroup: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH', field: null, message: 'The same idempotency key cannot be used with different operation parameters.' }] };
      return setPayload(s, r.result as SetResult);
    },

    orderCreate: (a: { order: Record<string, unknown>; options?: { inventoryBehaviour?: string | null } | null }, ctx: Ctx) => orderCreate(ctx.shop, a.order, a.options?.inventoryBehaviour ?? 'BYPASS'),

    refundCreate: (a: { input: Record<string, unknown> }, ctx: Ctx, info: GraphQLResolveInfo) => {
      const s = ctx.shop;
      const r = idempotent(s, info, a.input, () => refundCreate(s, a.input));
      if (r.mismatch) return { order: null, refund: null, userErrors: [{ field: null, message: 'The same idempotency key cannot be used with different operation parameters.' }] };
      const res = r.result as { orderId: number | null; refundId: number | null; userErrors: Array<{ field: string[] | null; message: string }> };
      const o = res.orderId !== null ? s.orders[res.orderId] : undefined;
      const refund = o && res.refundId !== null ? o.refunds?.find((x) => x.id === res.refundId) : undefined;
      return { order: o ? orderView(s, o) : null, refund: o && refund ? refundView(s, o, refund) : null, userErrors: res.userErrors };
    },

    productSet: (a: { input: Record<string, unknown>; identifier?: { id?: string; handle?: string } | null; synchronous: boolean }, ctx: Ctx) => productSet(ctx.shop, a),

    // Orders' FulfillmentOrder ids are the order ids (one fulfillment order per order, at the shop's location).
    fulfillmentCreate: (a: { fulfillment: Parameters<typeof fulfillmentCreate>[1] }, ctx: Ctx) => fulfillmentCreate(ctx.shop.orders as unknown as Record<string, FulfilmentOrderState>, a.fulfillment, world.iso(), () => 5900000000 + world.nextSeq()),
  };

  type SetResult = { group: { id: string; createdAt: string; reason: string; referenceDocumentUri: string | null; changes: Array<{ name: string; delta: number; quantityAfterChange: number; itemId: number; locationId: number }> } | null; userErrors: Array<{ code: string; field: string[]; message: string }> };

  function idempotencyKey(info: GraphQLResolveInfo): string {
    const node = info.fieldNodes[0]!;
    const d = node.directives?.find((x) => x.name.value === 'idempotent');
    if (!d) throw gqlError(`The @idempotent directive is required for ${info.fieldName} from API version 2026-04 (@idempotent(key: "<unique key>")).`, 'BAD_REQUEST', { documentation: 'https://shopify.dev/docs/api/usage/idempotent-requests' });
    const arg = d.arguments?.find((x) => x.name.value === 'key');
    let key: unknown;
    if (arg?.value.kind === Kind.STRING) key = arg.value.value;
    else if (arg?.value.kind === Kind.VARIABLE) key = info.variableValues[arg.value.name.value];
    if (typeof key !== 'string' || key.trim() === '') throw gqlError('The idempotency key must be a non-empty string.', 'BAD_REQUEST');
    if (key.length > 255) throw gqlError('The idempotency key must be at most 255 characters.', 'BAD_REQUEST');
    return `${info.fieldName}:${key}`;
  }

  /**
   * Shopify's @idempotent semantics (https://shopify.dev/docs/api/usage/implementing-idempotency): the
   * first request with a key runs; a repeat with the same key and the same mutation variables within
   * 24 hours returns the first result without running again; the same key with other variables is
   * refused (IDEMPOTENCY_KEY_PARAMETER_MISMATCH). After 24 hours the key is forgotten and a request
   * with it runs as new. Requests run one at a time here, so IDEMPOTENCY_CONCURRENT_REQUEST never occurs.
   */
  function idempotent(s: ShopState, info: GraphQLResolveInfo, variables: unknown, run: () => unknown): { result?: unknown; mismatch?: true } {
    const key = idempotencyKey(info);
    const fingerprint = canonicalJson(variables);
    const now = world.now();
    for (const [k, v] of Object.entries(s.idempotency)) if (v.at !== undefined && now - v.at >= IDEMPOTENCY_TTL_MS) delete s.idempotency[k];
    const prior = s.idempotency[key];
    if (prior) {
      if (prior.fingerprint !== fingerprint) return { mismatch: true };
      return { result: prior.result };
    }
    const result = run();
    s.idempotency[key] = { fingerprint, result, at: now };
    return { result };
  }

  function applySet(s: ShopState, input: { name: string; reason: string; referenceDocumentUri?: string | null; quantities: Array<Record<string, unknown>> }): SetResult {
    const userErrors: SetResult['userErrors'] = [];
    if (input.name !== 'available' && input.name !== 'on_hand') userErrors.push({ code: 'INVALID_NAME', field: ['input', 'name'], message: 'The quantity name must be either \'available\' or \'on_hand\'.' });
    if (!REASONS.includes(input.reason)) userErrors.push({ code: 'INVALID_REASON', field: ['input', 'reason'], message: 'The specified reason is invalid.' });
    if (input.referenceDocumentUri != null && !/^[a-z][a-z0-9+.-]*:\/\/?\S+$/i.test(input.referenceDocumentUri)) userErrors.push({ code: 'INVALID_REFERENCE_DOCUMENT', field: ['input', 'referenceDocumentUri'], message: 'The reference document URI is invalid.' });
    if (input.quantities.length > 250) throw gqlError(`The input array size of ${input.quantities.length} is greater than the maximum allowed of 250.`, 'MAX_INPUT_SIZE_EXCEEDED', { path: ['input', 'quantities'] });
    const seen = new Set<string>();
    const plan: Array<{ it: SItem; loc: string; qty: number }> = [];
    input.quantities.forEach((q, i) => {
      const f = (k: string) => ['input', 'quantities', String(i), k];
      if (!('changeFromQuantity' in q)) {
        userErrors.push({ code: 'CHANGE_FROM_QUANTITY_REQUIRED', field: f('changeFromQuantity'), message: 'changeFromQuantity is required from API version 2026-04. Pass the quantity you last read, or null to skip the check.' });
        return;
      }
      const iid = parseGid(q.inventoryItemId, 'InventoryItem');
      const it = iid !== undefined ? s.items[iid] : undefined;
      if (!it) return void userErrors.push({ code: 'INVALID_INVENTORY_ITEM', field: f('inventoryItemId'), message: 'The specified inventory item could not be found.' });
      const lid = parseGid(q.locationId, 'Location');
      if (lid === undefined || !s.locations.some((l) => l.id === lid)) return void userErrors.push({ code: 'INVALID_LOCATION', field: f('locationId'), message: 'The specified location could not be found.' });
      const lv = it.levels[String(lid)];
      if (!lv) return void userErrors.push({ code: 'ITEM_NOT_STOCKED_AT_LOCATION', field: f('locationId'), message: 'The specified inventory item is not stocked at the location.' });
      if (!it.tracked) return void userErrors.push({ code: 'NON_MUTABLE_INVENTORY_ITEM', field: f('inventoryItemId'), message: 'Inventory is not tracked for this item.' });
      const pair = `${iid}:${lid}`;
      if (seen.has(pair)) return void userErrors.push({ code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR', field: f('inventoryItemId'), message: 'The combination of inventoryItemId and locationId must be unique.' });
      seen.add(pair);
      const qty = q.quantity as number;
      if (qty > 1_000_000_000) return void userErrors.push({ code: 'INVALID_QUANTITY_TOO_HIGH', field: f('quantity'), message: 'The quantity can\'t be higher than 1,000,000,000.' });
      if (qty < -1_000_000_000) return void userErrors.push({ code: 'INVALID_QUANTITY_TOO_LOW', field: f('quantity'), message: 'The quantity can\'t be lower than -1,000,000,000.' });
      if (input.name === 'on_hand' && qty < 0) return void userErrors.push({ code: 'INVALID_QUANTITY_NEGATIVE', field: f('quantity'), message: 'The quantity can\'t be negative.' });
      const current = input.name === 'on_hand' ? lv.on_hand : lv.available;
      const cf = q.changeFromQuantity;
      if (cf !== null && cf !== current) return void userErrors.push({ code: 'CHANGE_FROM_QUANTITY_STALE', field: f('changeFromQuantity'), message: 'The specified changeFromQuantity does not match the current quantity.' });
      plan.push({ it, loc: String(lid), qty });
    });
    if (userErrors.length) return { group: null, userErrors };
    const now = world.iso();
    const changes: NonNullable<SetResult['group']>['changes'] = [];
    for (const { it, loc, qty } of plan) {
      const lv = it.levels[loc]!;
      const before = input.name === 'on_hand' ? lv.on_hand : lv.available;
      const delta = qty - before;
      lv.available += delta;
      lv.on_hand += delta;
      lv.updatedAt = now;
      it.updatedAt = now;
      changes.push({ name: input.name, delta, quantityAfterChange: input.name === 'on_hand' ? lv.on_hand : lv.available, itemId: it.id, locationId: Number(loc) });
      changes.push({ name: input.name === 'on_hand' ? 'available' : 'on_hand', delta, quantityAfterChange: input.name === 'on_hand' ? lv.available : lv.on_hand, itemId: it.id, locationId: Number(loc) });
    }
    s.seq += 1;
    return { group: { id: GID('InventoryAdjustmentGroup', 90000000000 + s.seq), createdAt: now, reason: input.reason, referenceDocumentUri: input.referenceDocumentUri ?? null, changes }, userErrors: [] };
  }

  function setPayload(s: ShopState, r: SetResult) {
    return {
      userErrors: r.userErrors,
      inventoryAdjustmentGroup: r.group
        ? {
            __typename: 'InventoryAdjustmentGroup',
            id: r.group.id,
            createdAt: r.group.createdAt,
            reason: r.group.reason,
            referenceDocumentUri: r.group.referenceDocumentUri,
            changes: (f: { inventoryItemIds?: string[] | null; locationIds?: string[] | null; quantityNames?: string[] | null }) =>
              r.group!.changes
                .filter((c) => (!f.quantityNames || f.quantityNames.includes(c.name)) && (!f.inventoryItemIds || f.inventoryItemIds.includes(GID('InventoryItem', c.itemId))) && (!f.locationIds || f.locationIds.includes(GID('Location', c.locationId))))
                .map((c) => ({ name: c.name, delta: c.delta, quantityAfterChange: c.quantityAfterChange, ledgerDocumentUri: null, item: () => (s.items[c.itemId] ? itemView(s, s.items[c.itemId]!) : null), location: () => locationView(s, c.locationId) })),
          }
        : null,
    };
  }

  function productSet(s: ShopState, a: { input: Record<string, unknown>; identifier?: { id?: string; handle?: string } | null; synchronous: boolean }) {
    const input = a.input;
    const errs: Array<{ code: string; field: string[]; message: string }> = [];
    let p: SProduct | undefined;
    if (a.identifier?.id) {
      p = s.products[String(parseGid(a.identifier.id, 'Product'))];
      if (!p) return { product: null, userErrors: [{ code: 'PRODUCT_DOES_NOT_EXIST', field: ['identifier', 'id'], message: 'Product does not exist' }] };
    } else if (a.identifier?.handle) p = Object.values(s.products).find((x) => x.handle === a.identifier!.handle);
    if (!p && !input.title) errs.push({ code: 'MISSING_FIELD_REQUIRED', field: ['input', 'title'], message: "Title can't be blank" });
    const variants = Array.isArray(input.variants) ? (input.variants as Array<Record<string, unknown>>) : undefined;
    if (variants && variants.length > 2048) errs.push({ code: 'VARIANTS_OVER_LIMIT', field: ['input', 'variants'], message: 'Too many variants (maximum is 2048)' });
    const handle = typeof input.handle === 'string' ? input.handle : undefined;
    if (handle && Object.values(s.products).some((x) => x.handle === handle && x !== p)) errs.push({ code: 'HANDLE_NOT_UNIQUE', field: ['input', 'handle'], message: `Handle '${handle}' already in use. Please provide a new handle.` });
    variants?.forEach((v, i) => {
      if (v.price !== undefined && v.price !== null && (moneyIn(v.price) === undefined || moneyIn(v.price)!.startsWith('-'))) errs.push({ code: 'INVALID_VARIANT', field: ['input', 'variants', String(i), 'price'], message: 'Price is invalid' });
      if (v.id !== undefined && v.id !== null) {
        const vid = parseGid(v.id, 'ProductVariant');
        if (vid === undefined || !s.variants[vid] || (p && s.variants[vid]!.productId !== p.id)) errs.push({ code: 'INVALID_VARIANT', field: ['input', 'variants', String(i), 'id'], message: 'Variant does not exist on this product' });
      }
    });
    if (errs.length) return { product: null, userErrors: errs };
    const now = world.iso();
    if (!p) {
      s.seq += 1;
      const pid = 8100000000 + s.seq;
      const title = String(input.title);
      p = { id: pid, title, handle: handle ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''), descriptionHtml: '', vendor: '', productType: '', status: 'ACTIVE', tags: [], createdAt: now, updatedAt: now, variantIds: [] };
      s.products[pid] = p;
    }
    if (typeof input.title === 'string') p.title = input.title;
    if (handle) p.handle = handle;
    if (typeof input.descriptionHtml === 'string') p.descriptionHtml = input.descriptionHtml;
    if (typeof input.vendor === 'string') p.vendor = input.vendor;
    if (typeof input.productType === 'string') p.productType = input.productType;
    if (typeof input.status === 'string') p.status = input.status;
    if (Array.isArray(input.tags)) p.tags = input.tags as string[];
    p.updatedAt = now;
    if (variants) {
      // List fields are replaced: variants not in the input are deleted.
      const keep: number[] = [];
      for (const vi of variants) {
        const existing = vi.id ? s.variants[String(parseGid(vi.id, 'ProductVariant'))] : undefined;
        let v = existing;
        if (!v) {
          s.seq += 1;
          const vid = 45100000000 + s.seq;
          const iid = 47100000000 + s.seq;
          const opt = Array.isArray(vi.optionValues) ? (vi.optionValues as Array<Record<string, unknown>>).map((o) => String(o.name ?? '')).filter(Boolean).join(' / ') : '';
          v = { id: vid, productId: p.id, title: opt || 'Default Title', barcode: null, price: '0.00', compareAtPrice: null, taxable: true, inventoryPolicy: 'DENY', itemId: iid, createdAt: now, updatedAt: now };
          s.variants[vid] = v;
          s.items[iid] = { id: iid, variantId: vid, sku: null, tracked: true, requiresShipping: true, countryCodeOfOrigin: null, harmonizedSystemCode: null, cost: null, weight: null, createdAt: now, updatedAt: now, levels: { [String(primaryOf(s).id)]: { available: 0, on_hand: 0, committed: 0, updatedAt: now } } };
        }
        const it = s.items[v.itemId]!;
        if (vi.price !== undefined && vi.price !== null) v.price = moneyIn(vi.price)!;
        if (vi.compareAtPrice !== undefined) v.compareAtPrice = vi.compareAtPrice === null ? null : (moneyIn(vi.compareAtPrice) ?? null);
        if (typeof vi.barcode === 'string') v.barcode = vi.barcode;
        if (typeof vi.sku === 'string') it.sku = vi.sku;
        const inv = isObject(vi.inventoryItem) ? vi.inventoryItem : undefined;
        if (inv) {
          if (typeof inv.sku === 'string') it.sku = inv.sku;
          if (typeof inv.tracked === 'boolean') it.tracked = inv.tracked;
          if (inv.countryCodeOfOrigin !== undefined) it.countryCodeOfOrigin = (inv.countryCodeOfOrigin as string | null) ?? null;
          if (inv.harmonizedSystemCode !== undefined) it.harmonizedSystemCode = (inv.harmonizedSystemCode as string | null) ?? null;
          if (inv.cost !== undefined) it.cost = inv.cost === null ? null : (moneyIn(inv.cost) ?? null);
          const w = isObject(inv.measurement) && isObject(inv.measurement.weight) ? inv.measurement.weight : undefined;
          if (w) it.weight = { unit: String(w.unit), value: Number(w.value) };
        }
        if (Array.isArray(vi.inventoryQuantities)) {
          for (const q of vi.inventoryQuantities as Array<Record<string, unknown>>) {
            const lid = String(parseGid(q.locationId, 'Location'));
            const lv = it.levels[lid] ?? (it.levels[lid] = { available: 0, on_hand: 0, committed: 0, updatedAt: now });
            const delta = Number(q.quantity) - lv.available;
            lv.available += delta;
            lv.on_hand += delta;
            lv.updatedAt = now;
          }
        }
        v.updatedAt = now;
        it.updatedAt = now;
        keep.push(v.id);
      }
      for (const old of p.variantIds) {
        if (!keep.includes(old)) {
          const v = s.variants[old];
          if (v) delete s.items[v.itemId];
          delete s.variants[old];
        }
      }
      p.variantIds = keep;
    }
    return { product: productView(s, p), userErrors: [] };
  }

  type OrderUserError = { code: string; field: string[]; message: string };
  const moneyOf = (bagIn: unknown): { amount?: string; currency?: string } => {
    const m = isObject(bagIn) && isObject(bagIn.shopMoney) ? bagIn.shopMoney : undefined;
    return { amount: m ? moneyIn(m.amount) : undefined, currency: m && typeof m.currencyCode === 'string' ? m.currencyCode : undefined };
  };
  /** Half-up share of an amount: amount × num / den. */
  const share = (amount: bigint, num: bigint, den: bigint) => (den === 0n ? 0n : (amount * num * 2n + den) / (den * 2n));

  /**
   * orderCreate (what a checkout or a POS sale does, through the Admin API): lines by variant or by
   * title/price, line and shipping tax lines (a tax line without priceSet is computed from its rate),
   * optional stock claim at the primary location (inventoryBehaviour DECREMENT_*; BYPASS by default).
   */
  function orderCreate(s: ShopState, input: Record<string, unknown>, behaviour: string): { order: unknown; userErrors: OrderUserError[] } {
    const errs: OrderUserError[] = [];
    const currency = typeof input.currency === 'string' ? input.currency : s.currency;
    const included = input.taxesIncluded === true;
    const linesIn = Array.isArray(input.lineItems) ? (input.lineItems as Array<Record<string, unknown>>) : [];
    if (!linesIn.length) errs.push({ code: 'INVALID', field: ['order', 'lineItems'], message: 'Line items must have at least one line item' });
    const now = world.iso();
    const taxLinesOf = (list: unknown, base: bigint, field: string[]): STaxLine[] =>
      (Array.isArray(list) ? (list as Array<Record<string, unknown>>) : []).map((t, j) => {
        const rate = String(t.rate);
        const given = moneyOf(t.priceSet);
        if (given.currency && given.currency !== currency) errs.push({ code: 'INVALID', field: [...field, 'taxLines', String(j), 'priceSet'], message: `Currency must be ${currency}` });
        let price = given.amount;
        if (price === undefined) {
          const r = moneyIn(rate);
          const rateC = r ? toCents(r) : 0n; // rate in hundredths (0.25 → 25)
          const tax = included ? share(base, rateC, 100n + rateC) : share(base, rateC, 100n);
          price = fromCents(tax);
        }
        return { title: String(t.title), rate, price };
      });
    const lines: SOrderLine[] = [];
    const claims: Array<{ it: SItem; qty: number; policy: string }> = [];
    linesIn.forEach((li, i) => {
      const f = ['order', 'lineItems', String(i)];
      const qty = Number(li.quantity);
      if (!Number.isInteger(qty) || qty < 1) errs.push({ code: 'INVALID', field: [...f, 'quantity'], message: 'Quantity must be greater than or equal to 1' });
      let v: SVariant | undefined;
      if (li.variantId !== undefined && li.variantId !== null) {
        v = s.variants[String(parseGid(li.variantId, 'ProductVariant'))];
        if (!v) return void errs.push({ code: 'INVALID', field: [...f, 'variantId'], message: 'Variant not found' });
      }
      const given = moneyOf(li.priceSet);
      if (given.currency && given.currency !== currency) errs.push({ code: 'INVALID', field: [...f, 'priceSet'], message: `Currency must be ${currency}` });
      const price = given.amount ?? v?.price;
      const title = typeof li.title === 'string' ? li.title : v ? s.products[v.productId]!.title : undefined;
      if (!title) errs.push({ code: 'INVALID', field: [...f, 'title'], message: 'Title is required for a line item without a variant' });
      if (price === undefined) errs.push({ code: 'INVALID', field: [...f, 'priceSet'], message: 'Price is required for a line item without a variant' });
      if (!title || price === undefined) return;
      s.seq += 1;
      const id = 13100000000 + s.seq;
      const sku = typeof li.sku === 'string' ? li.sku : v ? (s.items[v.itemId]!.sku ?? '') : '';
      lines.push({ id, sku, title, quantity: qty, unitPrice: price, variantId: v?.id ?? null, discount: '0.00', taxLines: taxLinesOf(li.taxLines, toCents(price) * BigInt(Math.max(qty, 0)), f) });
      if (v && behaviour !== 'BYPASS' && s.items[v.itemId]!.tracked) claims.push({ it: s.items[v.itemId]!, qty, policy: v.inventoryPolicy });
    });
    const shippingLines: SShippingLine[] = (Array.isArray(input.shippingLines) ? (input.shippingLines as Array<Record<string, unknown>>) : []).map((sl, i) => {
      const price = moneyOf(sl.priceSet).amount ?? '0.00';
      s.seq += 1;
      return { id: 14100000000 + s.seq, title: String(sl.title), price, taxLines: taxLinesOf(sl.taxLines, toCents(price), ['order', 'shippingLines', String(i)]) };
    });
    const loc = String(primaryOf(s).id);
    if (behaviour === 'DECREMENT_OBEYING_POLICY') {
      for (const c of claims) {
        const lv = c.it.levels[loc];
        if (c.policy === 'DENY' && (!lv || lv.available < c.qty)) errs.push({ code: 'INVENTORY_CLAIM_FAILED', field: ['order', 'lineItems'], message: `Not enough stock for ${c.it.sku ?? c.it.id}` });
      }
    }
    if (errs.length) return { order: null, userErrors: errs };
    for (const c of claims) {
      const lv = c.it.levels[loc] ?? (c.it.levels[loc] = { available: 0, on_hand: 0, committed: 0, updatedAt: now });
      lv.available -= c.qty;
      lv.committed += c.qty;
      lv.updatedAt = now;
      c.it.updatedAt = now;
    }
    s.seq += 1;
    const id = 5700000000 + s.seq;
    const addr = isObject(input.shippingAddress) ? input.shippingAddress : undefined;
    const o: SOrder = {
      id,
      name: `#${2000 + s.seq}`,
      email: typeof input.email === 'string' ? input.email : null,
      createdAt: now,
      updatedAt: now,
      cancelledAt: null,
      financial: typeof input.financialStatus === 'string' ? input.financialStatus : 'PENDING',
      fulfillment: input.fulfillmentStatus === 'FULFILLED' ? 'FULFILLED' : input.fulfillmentStatus === 'PARTIAL' ? 'PARTIALLY_FULFILLED' : 'UNFULFILLED',
      currency,
      presentmentCurrency: typeof input.presentmentCurrency === 'string' ? input.presentmentCurrency : currency,
      presentmentRate: null,
      shipping: fromCents(shippingLines.reduce((a, l) => a + toCents(l.price), 0n)),
      tax: '0.00',
      shipTo: addr ? { name: [addr.firstName, addr.lastName].filter(Boolean).join(' '), address1: String(addr.address1 ?? ''), city: String(addr.city ?? ''), zip: String(addr.zip ?? ''), countryCode: String(addr.countryCode ?? '') } : null,
      lines,
      taxesIncluded: included,
      shippingLines,
      refunds: [],
      test: input.test === true,
    };
    o.tax = fromCents(orderMoney(o).tax);
    s.orders[id] = o;
    return { order: orderView(s, o), userErrors: [] };
  }

  /**
   * refundCreate: returned or cancelled line items (restocked at their location unless NO_RESTOCK),
   * and the money given back as REFUND transactions, never more than is left to refund. The order's
   * financial status follows (PARTIALLY_REFUNDED / REFUNDED) and its updatedAt moves.
   */
  function refundCreate(s: ShopState, input: Record<string, unknown>): { orderId: number | null; refundId: number | null; userErrors: Array<{ field: string[] | null; message: string }> } {
    const errs: Array<{ field: string[]; message: string }> = [];
    const oid = parseGid(input.orderId, 'Order');
    const o = oid !== undefined ? s.orders[oid] : undefined;
    if (!o) return { orderId: null, refundId: null, userErrors: [{ field: ['orderId'], message: 'Order does not exist' }] };
    if (typeof input.currency === 'string' && input.currency !== o.currency) errs.push({ field: ['currency'], message: `Currency must be the order's currency ${o.currency}` });
    const now = world.iso();
    const lines: SRefund['lines'] = [];
    (Array.isArray(input.refundLineItems) ? (input.refundLineItems as Array<Record<string, unknown>>) : []).forEach((rl, i) => {
      const lid = parseGid(rl.lineItemId, 'LineItem');
      const line = o.lines.find((l) => l.id === lid);
      if (!line) return void errs.push({ field: ['refundLineItems', String(i), 'lineItemId'], message: 'Line item does not exist on this order' });
      const qty = Number(rl.quantity);
      const left = line.quantity - refundedQty(o, line.id) - lines.filter((x) => x.lineId === line.id).reduce((a, x) => a + x.quantity, 0);
      if (!Number.isInteger(qty) || qty < 1 || qty > left) return void errs.push({ field: ['refundLineItems', String(i), 'quantity'], message: `Quantity cannot refund more items than were purchased (${left} left)` });
      const locationId = rl.locationId ? (parseGid(rl.locationId, 'Location') ?? null) : null;
      if (locationId !== null && !s.locations.some((l) => l.id === locationId)) return void errs.push({ field: ['refundLineItems', String(i), 'locationId'], message: 'Location does not exist' });
      const unit = toCents(line.unitPrice) - (line.quantity > 0 ? toCents(line.discount ?? '0') / BigInt(line.quantity) : 0n);
      const restockType = typeof rl.restockType === 'string' ? rl.restockType : o.fulfillment === 'FULFILLED' ? 'RETURN' : 'CANCEL';
      s.seq += 1;
      lines.push({ id: 15000000000 + s.seq, lineId: line.id, quantity: qty, restockType, locationId: restockType === 'NO_RESTOCK' ? null : (locationId ?? primaryOf(s).id), subtotal: fromCents(unit * BigInt(qty)), tax: fromCents(share(cents(line.taxLines), BigInt(qty), BigInt(line.quantity))) });
    });
    const m = orderMoney(o);
    let left = m.total - m.refunded;
    const txs: SRefund['transactions'] = [];
    (Array.isArray(input.transactions) ? (input.transactions as Array<Record<string, unknown>>) : []).forEach((t, i) => {
      const amount = moneyIn(t.amount);
      if (t.kind !== 'REFUND') return void errs.push({ field: ['transactions', String(i), 'kind'], message: 'Transactions of a refund must be of kind REFUND' });
      if (parseGid(t.orderId, 'Order') !== o.id) return void errs.push({ field: ['transactions', String(i), 'orderId'], message: 'Transaction must belong to the refunded order' });
      if (amount === undefined || amount.startsWith('-') || toCents(amount) === 0n) return void errs.push({ field: ['transactions', String(i), 'amount'], message: 'Amount must be greater than 0' });
      if (toCents(amount) > left) return void errs.push({ field: ['transactions', String(i), 'amount'], message: `Amount cannot be greater than the refundable amount (${fromCents(left)})` });
      left -= toCents(amount);
      s.seq += 1;
      txs.push({ id: 16000000000 + s.seq, kind: 'REFUND', status: 'SUCCESS', gateway: String(t.gateway), amount, createdAt: now });
    });
    if (!lines.length && !txs.length) errs.push({ field: ['refundLineItems'], message: 'A refund needs line items or transactions' });
    if (errs.length) return { orderId: o.id, refundId: null, userErrors: errs };
    for (const x of lines) {
      if (x.locationId === null) continue;
      const it = Object.values(s.items).find((i) => i.variantId === o.lines.find((l) => l.id === x.lineId)?.variantId);
      if (!it) continue;
      const lv = it.levels[String(x.locationId)] ?? (it.levels[String(x.locationId)] = { available: 0, on_hand: 0, committed: 0, updatedAt: now });
      lv.available += x.quantity;
      if (x.restockType === 'CANCEL') lv.committed = Math.max(0, lv.committed - x.quantity);
      else lv.on_hand += x.quantity;
      lv.updatedAt = now;
    }
    s.seq += 1;
    const refund: SRefund = { id: 17000000000 + s.seq, createdAt: now, note: typeof input.note === 'string' ? input.note : null, lines, transactions: txs };
    (o.refunds ??= []).push(refund);
    o.updatedAt = now;
    return { orderId: o.id, refundId: refund.id, userErrors: [] };
  }

  // ----- HTTP -----
  function shopifyErrors(status: number, errors: unknown, headers: Record<string, string> = {}): SbResponse {
    return json(status, { errors }, headers);
  }

  /**
   * The client-credentials grant (https://shopify.dev/docs/apps/build/authentication-authorization/client-credentials-grant):
   * POST https://{shop}/admin/oauth/access_token with grant_type=client_credentials, client_id and
   * client_secret (form-encoded as documented; JSON as Shopify's own libraries send it) →
   * {"access_token":"shpat_…","scope":"…","expires_in":86399}. Each call issues a new token; tokens
   * expire after 24 hours. Errors come as OAuth {"error","error_description"} (the exact texts are
   * not documented; the codes follow RFC 6749 §5.2).
   */
  function accessToken(req: SbRequest): SbResponse {
    const err = (status: number, error: string, description: string) => json(status, { error, error_description: description });
    if (req.method !== 'POST') return json(405, { errors: 'Method Not Allowed' }, { allow: 'POST' });
    const text = req.body.toString('utf8');
    let form: Record<string, string> = {};
    if (/application\/json/i.test(header(req, 'content-type') ?? '')) {
      try {
        const v = JSON.parse(text) as unknown;
        if (isObject(v)) form = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : '']));
      } catch {
        return err(400, 'invalid_request', 'The request body is not valid JSON.');
      }
    } else form = Object.fromEntries(new URLSearchParams(text));
    if (!form.grant_type) return err(400, 'invalid_request', 'The request is missing a required parameter: grant_type.');
    if (form.grant_type !== 'client_credentials') return err(400, 'unsupported_grant_type', `The grant type ${form.grant_type} is not supported here; use client_credentials.`);
    if (!form.client_id || !form.client_secret) return err(400, 'invalid_request', 'The request is missing a required parameter: client_id and client_secret.');
    const app = st().apps?.[form.client_id];
    if (!app || app.secret !== form.client_secret) return err(401, 'invalid_client', 'Client authentication failed: unknown client or wrong client secret.');
    if (!st().shops[app.shop]) return err(400, 'invalid_request', 'The app is not installed on this shop.');
    const token = `shpat_${Buffer.from(`${world.nextSeq()}:${world.now()}:${form.client_id}`).toString('hex').slice(0, 32).padEnd(32, '0')}`;
    (st().issued ??= {})[token] = { shop: app.shop, expiresAt: world.now() + SHOPIFY_TOKEN_LIFETIME_S * 1000, clientId: form.client_id };
    return json(200, { access_token: token, scope: app.scope, expires_in: SHOPIFY_TOKEN_LIFETIME_S });
  }

  async function graphql(req: SbRequest, version: string): Promise<SbResponse> {
    const token = header(req, 'x-shopify-access-token');
    // A static token, or a client-credentials token that has not expired: an expired one is as
    // unknown to Shopify as a wrong one (the same 401).
    const issued = token ? st().issued?.[token] : undefined;
    const domain = token ? (st().tokens[token] ?? (issued && issued.expiresAt > world.now() ? issued.shop : undefined)) : undefined;
    const shop = domain ? st().shops[domain] : undefined;
    if (!shop || !token) return shopifyErrors(401, '[API] Invalid API key or access token (unrecognized login or wrong password)');
    const ctype = header(req, 'content-type') ?? '';
    let body: Record<string, unknown>;
    const text = req.body.toString('utf8');
    if (/application\/graphql/i.test(ctype)) body = { query: text };
    else {
      try {
        const v = JSON.parse(text) as unknown;
        if (!isObject(v)) throw new Error('not an object');
        body = v;
      } catch {
        return shopifyErrors(400, { query: ['Required parameter missing or invalid'] });
      }
    }
    if (typeof body.query !== 'string' || !body.query.trim()) return shopifyErrors(400, { query: ['Required parameter missing or invalid'] });
    const variables = isObject(body.variables) ? body.variables : {};
    // Rate limits are per app and shop, not per token: a new client-credentials token keeps the bucket.
    const bucket = world.buckets.get(issued ? `shopify:app:${issued.clientId}:${domain}` : `shopify:${token}`, RESTORE_RATE, BUCKET_MAX, world.now());
    const throttleStatus = () => ({ maximumAvailable: BUCKET_MAX, currentlyAvailable: Math.floor(bucket.available(world.now())), restoreRate: RESTORE_RATE });

    let doc: DocumentNode;
    try {
      doc = parse(body.query);
    } catch (e) {
      const ge = e as GraphQLError;
      return json(200, { errors: [{ message: ge.message, locations: ge.locations, extensions: { code: 'PARSE_ERROR' } }] });
    }
    const verrs = validate(schema, doc);
    if (verrs.length) return json(200, { errors: verrs.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const opName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const op = opName ? ops.find((o) => o.name?.value === opName) : ops.length === 1 ? ops[0] : undefined;
    if (!op) return json(200, { errors: [{ message: opName ? `No operation named "${opName}"` : 'An operationName is required when the document has several operations', extensions: { code: 'BAD_REQUEST' } }] });
    if (op.operation === 'subscription') return json(200, { errors: [{ message: 'Subscriptions are not supported', extensions: { code: 'BAD_REQUEST' } }] });

    const requested = costOf(schema, doc, op, variables);
    if (requested > MAX_COST) {
      return json(200, { errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`, extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_COST, documentation: 'https://shopify.dev/api/usage/rate-limits' } }] });
    }
    if (!bucket.take(world.now(), requested)) {
      return json(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } } });
    }
    const result = await execute({ schema, document: doc, rootValue: root, contextValue: { shop, version } satisfies Ctx, variableValues: variables, operationName: opName });
    const actual = result.data ? costOf(schema, doc, op, variables, result.data) : requested;
    const refund = Math.max(0, requested - Math.min(actual, requested));
    if (refund > 0) bucket.give(world.now(), refund);
    const out: Record<string, unknown> = {};
    if (result.errors?.length) {
      out.errors = result.errors.map((e) => ({ message: e.message, locations: e.locations, path: e.path, extensions: { code: 'INTERNAL_SERVER_ERROR', ...e.extensions } }));
    }
    out.data = result.data ?? null;
    out.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: Math.min(actual, requested), throttleStatus: throttleStatus() } };
    if (op.operation === 'mutation') shop.seq += 0;
    return json(200, out);
  }

  return {
    name: 'shopify',
    prefix: '/shopify',
    secrets: () => [...Object.keys(st().tokens), ...Object.keys(st().issued ?? {}), ...Object.values(st().apps ?? {}).map((a) => a.secret)],
    async handle(req) {
      if (req.path === '/admin/oauth/access_token') return accessToken(req);
      const m = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(req.path);
      if (!m) {
        if (/^\/admin\/api\/[^/]+\/.+\.json$/.test(req.path)) return shopifyErrors(404, 'Not Found');
        return { status: 404, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>' };
      }
      const version = m[1]!;
      if (version !== 'unstable') {
        const v = VERSION_RE.exec(version);
        if (!v) return shopifyErrors(404, 'Not Found');
        if (`${v[1]}-${v[2]}` < '2026-04') return shopifyErrors(400, `The sandbox emulates Admin API versions 2026-04 and later; ${version} predates the inventory changes it models. Use 2026-10.`);
      }
      if (req.method !== 'POST') return shopifyErrors(405, 'Method Not Allowed', { allow: 'POST' });
      const res = await graphql(req, version);
      res.headers = { 'x-shopify-api-version': version === 'unstable' ? 'unstable' : version, 'x-request-id': `sbx-${req.seq}`, ...res.headers };
      return res;
    },
    faultResponse(kind) {
      if (kind === 'throttled') {
        return json(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: BUCKET_MAX, currentlyAvailable: 0, restoreRate: RESTORE_RATE } } } });
      }
      if (kind === '429') return shopifyErrors(429, 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.', { 'retry-after': '2.0' });
      if (kind === '503') return shopifyErrors(503, 'Service Unavailable');
      return shopifyErrors(500, 'Internal Server Error');
    },
  };
}
