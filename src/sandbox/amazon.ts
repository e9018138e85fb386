// Amazon SP-API emulator: LWA token endpoint (refresh / client-credentials grants, Atza| tokens for
// 3600 s, invalid_grant / invalid_client), x-amz-access-token, token buckets per (seller, operation)
// with the usage-plan rates (x-amzn-RateLimit-Limit on 2xx, 429 QuotaExceeded), Listings Items
// 2021-08-01 (get/put/patch/delete/search, JSON Patch, VALIDATION_PREVIEW, delayed issues), Feeds
// 2021-06-30 with JSON_LISTINGS_FEED (document upload to a presigned-style URL, IN_QUEUE → IN_PROGRESS
// → DONE on the clock or per poll, a v2 processing report), Orders 2026-01-01 searchOrders/getOrder,
// v0 confirmShipment, Sellers getMarketplaceParticipations. Requests are validated against the
// Apache-2.0 models copied into fixtures/sandbox/specs/amazon.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ApiModule } from './api.js';
import { SANDBOX_CREDENTIALS } from './credentials.js';
import { header, isObject, json, Router, type SbRequest, type SbResponse } from './http.js';
import { AMAZON_MODELS } from './paths.js';
import { fromCents, toCents, type DemoSeed } from './seed.js';
import type { World } from './world.js';

type Obj = Record<string, unknown>;
interface AmzError {
  code: string;
  message: string;
  details?: string;
}
class AmzFail extends Error {
  constructor(
    readonly status: number,
    readonly errors: AmzError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0]?.message ?? 'error');
  }
}
const invalid = (message: string, details = '') => new AmzFail(400, [{ code: 'InvalidInput', message, details }]);

export const MARKETPLACES: Record<string, { name: string; countryCode: string; currency: string; language: string; domain: string; channel: string }> = {
  A1PA6795UKMFR9: { name: 'Amazon.de', countryCode: 'DE', currency: 'EUR', language: 'de_DE', domain: 'www.amazon.de', channel: 'amazon-de' },
  A1F83G8C2ARO7P: { name: 'Amazon.co.uk', countryCode: 'GB', currency: 'GBP', language: 'en_GB', domain: 'www.amazon.co.uk', channel: 'amazon-uk' },
  ATVPDKIKX0DER: { name: 'Amazon.com', countryCode: 'US', currency: 'USD', language: 'en_US', domain: 'www.amazon.com', channel: 'amazon-us' },
};

/** Usage plans (rate per second, burst) from the models' operation descriptions. */
export const AMAZON_RATES: Record<string, [number, number]> = {
  getListingsItem: [5, 10],
  putListingsItem: [5, 10],
  patchListingsItem: [5, 5],
  deleteListingsItem: [5, 5],
  searchListingsItems: [5, 5],
  createFeedDocument: [0.5, 15],
  createFeed: [0.0083, 15],
  getFeed: [2, 15],
  cancelFeed: [2, 15],
  getFeeds: [0.0222, 10],
  getFeedDocument: [0.0222, 10],
  searchOrders: [0.0056, 20],
  getOrder: [0.5, 30],
  confirmShipment: [2, 10],
  getMarketplaceParticipations: [0.016, 15],
};

interface Listing {
  sku: string;
  productType: string;
  /** Per marketplace: attribute name → values. */
  attributes: Record<string, Record<string, unknown[]>>;
  asin: Record<string, string>;
  createdDate: Record<string, string>;
  lastUpdatedDate: Record<string, string>;
  /** Issues that appear after a delay (Amazon's asynchronous checks). */
  delayed: Array<{ marketplaceId: string; at: number; issue: Obj }>;
}

interface AmzOrder {
  orderId: string;
  marketplaceId: string;
  createdTime: string;
  lastUpdatedTime: string;
  status: string;
  currency: string;
  buyer: { name: string; email: string | null };
  shipTo: Obj;
  items: Array<{ orderItemId: string; sku: string; asin: string; title: string; quantity: number; unitPrice: string; shipped: number }>;
  shipping: string;
  tax: string;
  packages: Obj[];
}

interface Feed {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdTime: string;
  createdMs: number;
  polls: number;
  status: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL' | 'CANCELLED';
  processingStartTime?: string;
  processingEndTime?: string;
  resultFeedDocumentId?: string;
}

interface Doc {
  id: string;
  contentType: string;
  createdMs: number;
  content: string | null;
  kind: 'input' | 'result';
  /** Result documents are stored gzipped (base64), as Amazon serves processing reports. */
  gzip?: boolean;
}

interface SellerState {
  sellerId: string;
  listings: Record<string, Listing>;
  orders: Record<string, AmzOrder>;
  feeds: Record<string, Feed>;
  docs: Record<string, Doc>;
  /** createdMs of JSON_LISTINGS_FEED submissions (5 per 5 minutes per region). */
  listingFeedTimes: number[];
  seq: number;
}

interface AmazonState {
  sellers: Record<string, SellerState>;
  refreshTokens: Record<string, string>;
  accessTokens: Record<string, { sellerId: string | null; expiresAt: number }>;
}

function asinFor(sku: string): string {
  return `B0${createHash('sha1').update(sku).digest('hex').slice(0, 8).toUpperCase()}`;
}

function num(text: string): number {
  return Number(text);
}

function seedSeller(seed: DemoSeed): SellerState {
  const c = SANDBOX_CREDENTIALS.amazon;
  const s: SellerState = { sellerId: c.sellerId, listings: {}, orders: {}, feeds: {}, docs: {}, listingFeedTimes: [], seq: 0 };
  const t = '2026-10-01T09:00:00.000Z';
  for (const p of seed.products) {
    const l: Listing = { sku: p.sku, productType: p.productType, attributes: {}, asin: {}, createdDate: {}, lastUpdatedDate: {}, delayed: [] };
    for (const [mk, info] of Object.entries(MARKETPLACES)) {
      const price = p.prices[info.channel as 'amazon-de' | 'amazon-uk'];
      if (!price) continue;
      l.asin[mk] = asinFor(p.sku);
      l.createdDate[mk] = t;
      l.lastUpdatedDate[mk] = t;
      l.attributes[mk] = {
        item_name: [{ value: p.title, language_tag: info.language, marketplace_id: mk }],
        brand: [{ value: p.brand, marketplace_id: mk }],
        condition_type: [{ value: 'new_new', marketplace_id: mk }],
        externally_assigned_product_identifier: [{ type: 'ean', value: p.ean, marketplace_id: mk }],
        main_product_image_locator: [{ media_location: `https://m.media-amazon.example/${p.sku}.jpg`, marketplace_id: mk }],
        country_of_origin: [{ value: p.originCountry, marketplace_id: mk }],
        purchasable_offer: [{ marketplace_id: mk, currency: info.currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: num(price) }] }] }],
        fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: p.stock }],
      };
    }
    if (Object.keys(l.asin).length) s.listings[p.sku] = l;
  }
  let n = 0;
  for (const o of seed.orders.filter((x) => x.channel.startsWith('amazon-'))) {
    n += 1;
    const mk = Object.entries(MARKETPLACES).find(([, v]) => v.channel === o.channel)![0];
    s.orders[o.id] = {
      orderId: o.id,
      marketplaceId: mk,
      createdTime: new Date(o.createdAt).toISOString().replace('.000Z', 'Z'),
      lastUpdatedTime: new Date(o.updatedAt).toISOString().replace('.000Z', 'Z'),
      status: o.status === 'shipped' ? 'SHIPPED' : o.status === 'cancelled' ? 'CANCELLED' : 'UNSHIPPED',
      currency: o.currency,
      buyer: { name: o.buyer.name, email: o.buyer.email ?? null },
      shipTo: { name: o.shipTo.name, addressLine1: o.shipTo.line1, city: o.shipTo.city, postalCode: o.shipTo.postalCode, countryCode: o.shipTo.countryCode, addressType: 'RESIDENTIAL' },
      items: o.lines.map((l, i) => ({ orderItemId: String(60000000000000 + n * 100 + i), sku: l.sku, asin: asinFor(l.sku), title: seed.products.find((p) => p.sku === l.sku)?.title ?? l.sku, quantity: l.quantity, unitPrice: l.unitPrice, shipped: o.status === 'shipped' ? l.quantity : 0 })),
      shipping: o.shipping,
      tax: o.tax,
      packages: [],
    };
  }
  return s;
}

function loadModel(name: string): Obj {
  return JSON.parse(readFileSync(join(AMAZON_MODELS, name), 'utf8')) as Obj;
}

/** Validators compiled once per process from the copied models (stateless, shared by every sandbox). */
let cachedValidators: ReturnType<typeof compileValidators> | undefined;
function compileValidators() {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema(loadModel('listingsItems_2021-08-01.json'), 'listings');
  ajv.addSchema(loadModel('feeds_2021-06-30.json'), 'feeds');
  ajv.addSchema(loadModel('ordersV0.json'), 'ordersV0');
  const compile = (ref: string): ValidateFunction => ajv.compile({ $ref: ref });
  const envelope = loadModel('listings-feed-schema-v2.json');
  return {
    patch: compile('listings#/definitions/ListingsItemPatchRequest'),
    put: compile('listings#/definitions/ListingsItemPutRequest'),
    createFeed: compile('feeds#/definitions/CreateFeedSpecification'),
    createDoc: compile('feeds#/definitions/CreateFeedDocumentSpecification'),
    confirm: compile('ordersV0#/definitions/ConfirmShipmentRequest'),
    // The envelope only: messages are validated one by one for per-message report issues.
    feedEnvelope: ajv.compile({ ...envelope, properties: { ...((envelope.properties as Obj) ?? {}), messages: { type: 'array' } } }),
    feedMessage: ajv.compile(loadModel('listings-feed-message-schema-v2.json')),
  };
}
function amazonValidators() {
  return (cachedValidators ??= compileValidators());
}

/** Amazon carrierCode values (the shipment confirmation's carrier list), the subset the sandbox knows. */
const AMAZON_CARRIERS = new Set(['USPS', 'UPS', 'FedEx', 'DHL', 'DHL eCommerce', 'Royal Mail', 'Parcelforce', 'Evri', 'Deutsche Post', 'Hermes Logistik Gruppe', 'DPD', 'GLS', 'PostNord', 'Canada Post', 'Australia Post', 'La Poste', 'Chronopost', 'Correos', 'An Post', 'BPost', 'China Post', 'Yodel', 'TNT', 'Other']);

export function amazonApi(world: World): ApiModule {
  const cred = SANDBOX_CREDENTIALS.amazon;
  const st = () =>
    world.slot<AmazonState>('amazon', () => {
      const s = seedSeller(world.seed);
      return { sellers: { [s.sellerId]: s }, refreshTokens: { [cred.refreshToken]: s.sellerId }, accessTokens: {} };
    });

  const V = amazonValidators();
  const burstOverride: Record<string, number> = {};

  const requestId = (req: SbRequest) => `sbx-${req.seq.toString(16).padStart(8, '0')}-0000-4000-8000-${createHash('md5').update(String(req.seq)).digest('hex').slice(0, 12)}`;

  // ---- LWA ----
  function lwa(req: SbRequest): SbResponse {
    const err = (status: number, error: string, description: string) => json(status, { error_description: description, error }, { 'content-type': 'application/json;charset=UTF-8' });
    if (req.method !== 'POST') return err(405, 'invalid_request', 'The request method is not supported');
    const form = new URLSearchParams(req.body.toString('utf8'));
    const grant = form.get('grant_type');
    if (!grant) return err(400, 'invalid_request', 'The request is missing a required parameter : grant_type');
    if (form.get('client_id') !== cred.clientId || form.get('client_secret') !== cred.clientSecret) return err(401, 'invalid_client', 'Client authentication failed');
    const token = `Atza|${Buffer.from(`sbx-${world.nextSeq()}-${world.now()}`).toString('base64url')}`;
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token');
      if (!rt) return err(400, 'invalid_request', 'The request is missing a required parameter : refresh_token');
      const seller = st().refreshTokens[rt];
      if (!seller) return err(400, 'invalid_grant', "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.");
      st().accessTokens[token] = { sellerId: seller, expiresAt: world.now() + 3600_000 };
      return json(200, { access_token: token, refresh_token: rt, token_type: 'bearer', expires_in: 3600 }, { 'content-type': 'application/json;charset=UTF-8' });
    }
    if (grant === 'client_credentials') {
      const scope = form.get('scope');
      if (!scope || !/^sellingpartnerapi::(notifications|client_credential:rotation)$/.test(scope)) return err(400, 'invalid_scope', 'The scope provided is invalid, unknown, or malformed');
      st().accessTokens[token] = { sellerId: null, expiresAt: world.now() + 3600_000 };
      return json(200, { access_token: token, scope, token_type: 'bearer', expires_in: 3600 }, { 'content-type': 'application/json;charset=UTF-8' });
    }
    return err(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server');
  }

  function auth(req: SbRequest): SellerState {
    const token = header(req, 'x-amz-access-token');
    if (!token) throw new AmzFail(403, [{ code: 'MissingAuthenticationToken', message: 'Access to requested resource is denied.', details: '' }], { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' });
    const t = st().accessTokens[token];
    if (!t || t.expiresAt <= world.now()) throw new AmzFail(403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' }], { 'x-amzn-ErrorType': 'AccessDeniedException' });
    if (!t.sellerId) throw new AmzFail(403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token is a grantless token; this operation needs a seller authorization.' }]);
    return st().sellers[t.sellerId]!;
  }

  /** Take a token from the (seller, operation) bucket; returns the 2xx header. */
  function throttle(seller: SellerState, op: string): Record<string, string> {
    const [rate, burst] = AMAZON_RATES[op]!;
    const b = world.buckets.get(`amazon:${seller.sellerId}:${op}`, rate, burstOverride[op] ?? burst, world.now());
    if (!b.take(world.now())) throw new AmzFail(429, [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }]);
    return { 'x-amzn-RateLimit-Limit': String(rate) };
  }

  function body(req: SbRequest, v: ValidateFunction): Obj {
    let value: unknown;
    try {
      value = JSON.parse(req.body.toString('utf8'));
    } catch {
      throw invalid('The request body is not valid JSON.');
    }
    if (!v(value)) {
      const e = v.errors?.[0];
      throw invalid(`Request body is invalid: ${e?.instancePath || '(root)'} ${e?.message ?? ''}`.trim(), JSON.stringify(e?.params ?? {}));
    }
    return value as Obj;
  }

  function marketplaceIds(req: SbRequest, required = true): string[] {
    const raw = req.query.get('marketplaceIds');
    if (!raw) {
      if (required) throw invalid("Missing required 'marketplaceIds' parameter.");
      return [];
    }
    const ids = raw.split(',').map((x) => x.trim()).filter(Boolean);
    for (const id of ids) if (!MARKETPLACES[id]) throw invalid(`Invalid 'marketplaceIds' provided: ${id}.`);
    return ids;
  }

  // ---- listings engine ----
  const issue = (code: string, message: string, severity: 'ERROR' | 'WARNING', attributeNames: string[], categories: string[], marketplaceId?: string): Obj => ({ code, message, severity, attributeNames, categories, ...(marketplaceId ? { marketplaceIds: [marketplaceId] } : {}) });

  /** Check the attribute values the sandbox understands (a small product-type schema). */
  function checkAttributes(attrs: Record<string, unknown[]>, mk: string, full: boolean): Obj[] {
    const out: Obj[] = [];
    const cur = MARKETPLACES[mk]!.currency;
    for (const [name, values] of Object.entries(attrs)) {
      if (!Array.isArray(values)) {
        out.push(issue('4000001', `The value provided for '${name}' is invalid: it must be an array.`, 'ERROR', [name], ['INVALID_ATTRIBUTE'], mk));
        continue;
      }
      if (name === 'purchasable_offer') {
        for (const v of values) {
          if (!isObject(v)) continue;
          if (v.marketplace_id !== undefined && v.marketplace_id !== mk) out.push(issue('4000001', `The value provided for 'purchasable_offer.marketplace_id' (${String(v.marketplace_id)}) does not match the requested marketplace ${mk}.`, 'ERROR', [name], ['INVALID_ATTRIBUTE'], mk));
          if (v.currency !== undefined && v.currency !== cur) out.push(issue('4000001', `The value provided for 'purchasable_offer.currency' must be ${cur} in ${MARKETPLACES[mk]!.name}.`, 'ERROR', [name], ['INVALID_PRICE'], mk));
          for (const key of ['our_price', 'minimum_seller_allowed_price', 'maximum_seller_allowed_price'] as const) {
            const sched = Array.isArray(v[key]) ? (v[key] as Obj[])[0]?.schedule : undefined;
            if (v[key] === undefined) continue;
            const first = Array.isArray(sched) ? (sched[0] as Obj | undefined) : undefined;
            const price = first?.value_with_tax;
            if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0 || !/^\d+(\.\d{1,2})?$/.test(String(price))) {
              out.push(issue('4000001', `The value provided for 'purchasable_offer.${key}' is invalid: schedule[0].value_with_tax must be a positive number with at most 2 decimals.`, 'ERROR', [name], ['INVALID_PRICE'], mk));
            }
          }
        }
      }
      if (name === 'fulfillment_availability') {
        for (const v of values) {
          if (!isObject(v) || typeof v.fulfillment_channel_code !== 'string') out.push(issue('90220', "'fulfillment_availability.fulfillment_channel_code' is required but not supplied.", 'ERROR', [name], ['MISSING_ATTRIBUTE'], mk));
          else if (v.fulfillment_channel_code === 'DEFAULT' && (!Number.isInteger(v.quantity) || (v.quantity as number) < 0)) out.push(issue('4000001', "The value provided for 'fulfillment_availability.quantity' must be a whole number of 0 or more.", 'ERROR', [name], ['INVALID_ATTRIBUTE'], mk));
        }
      }
    }
    if (full) for (const req of ['item_name', 'condition_type']) if (!attrs[req]) out.push(issue('90220', `'${req}' is required but not supplied.`, 'ERROR', [req], ['MISSING_ATTRIBUTE'], mk));
    return out;
  }

  interface Submission {
    status: 'ACCEPTED' | 'INVALID' | 'VALID';
    issues: Obj[];
  }

  function applyPut(s: SellerState, sku: string, productType: string, attrs: Record<string, unknown[]>, mks: string[], preview: boolean): Submission {
    const issues = mks.flatMap((mk) => checkAttributes(attrs, mk, true));
    if (issues.some((i) => i.severity === 'ERROR')) return { status: 'INVALID', issues };
    if (preview) return { status: 'VALID', issues };
    const now = world.iso();
    const l = s.listings[sku] ?? (s.listings[sku] = { sku, productType, attributes: {}, asin: {}, createdDate: {}, lastUpdatedDate: {}, delayed: [] });
    l.productType = productType;
    for (const mk of mks) {
      l.attributes[mk] = structuredClone(attrs);
      l.asin[mk] ??= asinFor(sku);
      l.createdDate[mk] ??= now;
      l.lastUpdatedDate[mk] = now;
      if (!attrs.main_product_image_locator) l.delayed.push({ marketplaceId: mk, at: world.now() + 5 * 60_000, issue: issue('18027', 'The listing has no main image; it cannot be shown to buyers until one is added.', 'ERROR', ['main_product_image_locator'], ['MISSING_IMAGE'], mk) });
    }
    return { status: 'ACCEPTED', issues };
  }

  function applyPatch(s: SellerState, sku: string, productType: string, patches: Obj[], mks: string[], preview: boolean): Submission | 'notfound' {
    const l = s.listings[sku];
    if (!l || !mks.every((mk) => l.attributes[mk])) return 'notfound';
    const issues: Obj[] = [];
    const next: Record<string, Record<string, unknown[]>> = {};
    for (const mk of mks) {
      const attrs = structuredClone(l.attributes[mk]!);
      for (const p of patches) {
        const m = /^\/attributes\/([a-z0-9_]+)$/.exec(String(p.path));
        if (!m) {
          issues.push(issue('4000001', `The patch path '${String(p.path)}' is invalid: only top-level attributes (/attributes/<name>) can be patched.`, 'ERROR', [], ['INVALID_ATTRIBUTE'], mk));
          continue;
        }
        const name = m[1]!;
        const value = p.value as unknown[] | undefined;
        if (p.op !== 'delete' && !Array.isArray(value)) {
          issues.push(issue('4000001', `The patch for '${name}' needs a value array.`, 'ERROR', [name], ['INVALID_ATTRIBUTE'], mk));
          continue;
        }
        if (p.op === 'add' || p.op === 'replace') attrs[name] = structuredClone(value!);
        else if (p.op === 'merge') {
          const cur = (attrs[name]?.[0] as Obj | undefined) ?? {};
          attrs[name] = [{ ...cur, ...((value![0] as Obj | undefined) ?? {}) }, ...(value!.slice(1) as unknown[])];
        } else if (p.op === 'delete') {
          if (!Array.isArray(value) || value.length === 0) {
            issues.push(issue('4000001', `A delete of '${name}' needs the selector values of the entries to delete (for example marketplace_id).`, 'ERROR', [name], ['INVALID_ATTRIBUTE'], mk));
            continue;
          }
          const sel = value[0] as Obj;
          attrs[name] = (attrs[name] ?? []).filter((e) => !isObject(e) || !Object.entries(sel).every(([k, v]) => e[k] === v));
          if (attrs[name]!.length === 0) delete attrs[name];
        }
      }
      issues.push(...checkAttributes(attrs, mk, false));
      next[mk] = attrs;
    }
    void productType;
    if (issues.some((i) => i.severity === 'ERROR')) return { status: 'INVALID', issues };
    if (preview) return { status: 'VALID', issues };
    const now = world.iso();
    for (const mk of mks) {
      l.attributes[mk] = next[mk]!;
      l.lastUpdatedDate[mk] = now;
    }
    return { status: 'ACCEPTED', issues };
  }

  function listingView(l: Listing, mks: string[], included: string[]): Obj {
    const out: Obj = { sku: l.sku };
    const mkHere = mks.filter((mk) => l.attributes[mk]);
    const delayedIssues = (mk: string) => l.delayed.filter((d) => d.marketplaceId === mk && d.at <= world.now() && !l.attributes[mk]?.[(d.issue.attributeNames as string[])[0]!]).map((d) => d.issue);
    if (included.includes('summaries')) {
      out.summaries = mkHere.map((mk) => {
        const a = l.attributes[mk]!;
        const qty = ((a.fulfillment_availability?.[0] as Obj | undefined)?.quantity as number | undefined) ?? 0;
        const priced = Boolean(a.purchasable_offer);
        const blocked = delayedIssues(mk).some((i) => i.severity === 'ERROR');
        return {
          marketplaceId: mk,
          asin: l.asin[mk],
          productType: l.productType,
          conditionType: ((a.condition_type?.[0] as Obj | undefined)?.value as string | undefined) ?? 'new_new',
          status: blocked ? ['DISCOVERABLE'] : priced && qty > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
          itemName: ((a.item_name?.[0] as Obj | undefined)?.value as string | undefined) ?? l.sku,
          createdDate: l.createdDate[mk],
          lastUpdatedDate: l.lastUpdatedDate[mk],
          ...(a.main_product_image_locator ? { mainImage: { link: ((a.main_product_image_locator[0] as Obj).media_location as string) ?? '', height: 500, width: 500 } } : {}),
        };
      });
    }
    if (included.includes('attributes')) {
      const merged: Record<string, unknown[]> = {};
      for (const mk of mkHere) for (const [k, v] of Object.entries(l.attributes[mk]!)) merged[k] = [...(merged[k] ?? []), ...v.map((x) => (isObject(x) && !('marketplace_id' in x) && k !== 'fulfillment_availability' ? { ...x, marketplace_id: mk } : x))];
      out.attributes = merged;
    }
    if (included.includes('issues')) out.issues = mkHere.flatMap(delayedIssues);
    if (included.includes('offers')) {
      out.offers = mkHere.flatMap((mk) => {
        const po = l.attributes[mk]!.purchasable_offer?.[0] as Obj | undefined;
        const v = (((po?.our_price as Obj[] | undefined)?.[0]?.schedule as Obj[] | undefined)?.[0]?.value_with_tax as number | undefined) ?? undefined;
        return v === undefined ? [] : [{ marketplaceId: mk, offerType: 'B2C', price: { currencyCode: (po!.currency as string) ?? MARKETPLACES[mk]!.currency, amount: v.toFixed(2) } }];
      });
    }
    if (included.includes('fulfillmentAvailability')) {
      const fa = mkHere.flatMap((mk) => (l.attributes[mk]!.fulfillment_availability ?? []) as Obj[]);
      out.fulfillmentAvailability = fa.slice(0, 1).map((f) => ({ fulfillmentChannelCode: f.fulfillment_channel_code, quantity: f.quantity }));
    }
    if (included.includes('productTypes')) out.productTypes = mkHere.map((mk) => ({ marketplaceId: mk, productType: l.productType }));
    return out;
  }

  const LISTING_INCLUDED = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'];
  function included(req: SbRequest, allowed: string[], dflt: string[]): string[] {
    const raw = req.query.get('includedData');
    if (!raw) return dflt;
    const vals = raw.split(',').map((x) => x.trim());
    for (const v of vals) if (!allowed.includes(v)) throw invalid(`Invalid 'includedData' value: ${v}.`);
    return vals;
  }

  const submissionId = () => createHash('md5').update(`sub-${world.nextSeq()}`).digest('hex');
  function checkSeller(s: SellerState, req: SbRequest): void {
    if (req.params.sellerId !== s.sellerId) throw new AmzFail(403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: `The access token does not authorize seller ${req.params.sellerId ?? ''}.` }]);
  }

  const L = '/listings/2021-08-01/items';
  const r = new Router();
  r.add('GET', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getListingsItem');
    checkSeller(s, req);
    const mks = marketplaceIds(req);
    const inc = included(req, LISTING_INCLUDED, ['summaries']);
    const l = s.listings[req.params.sku!];
    if (!l || !mks.some((mk) => l.attributes[mk])) throw new AmzFail(404, [{ code: 'NOT_FOUND', message: `SKU '${req.params.sku!}' not found in marketplace ${mks.join(',')}`, details: '' }]);
    return json(200, listingView(l, mks, inc), h);
  });
  r.add('PUT', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'putListingsItem');
    checkSeller(s, req);
    const mks = marketplaceIds(req);
    const b = body(req, V.put);
    const res = applyPut(s, req.params.sku!, b.productType as string, b.attributes as Record<string, unknown[]>, mks, req.query.get('mode') === 'VALIDATION_PREVIEW');
    const inc = included(req, ['identifiers', 'issues'], ['issues']);
    return json(200, { sku: req.params.sku, status: res.status, submissionId: submissionId(), issues: res.issues, ...(inc.includes('identifiers') && res.status === 'ACCEPTED' ? { identifiers: mks.map((mk) => ({ marketplaceId: mk, asin: s.listings[req.params.sku!]!.asin[mk] })) } : {}) }, h);
  });
  r.add('PATCH', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'patchListingsItem');
    checkSeller(s, req);
    const mks = marketplaceIds(req);
    const b = body(req, V.patch);
    const res = applyPatch(s, req.params.sku!, b.productType as string, b.patches as Obj[], mks, req.query.get('mode') === 'VALIDATION_PREVIEW');
    if (res === 'notfound') throw new AmzFail(404, [{ code: 'NOT_FOUND', message: `SKU '${req.params.sku!}' not found in marketplace ${mks.join(',')}`, details: '' }]);
    const inc = included(req, ['identifiers', 'issues'], ['issues']);
    return json(200, { sku: req.params.sku, status: res.status, submissionId: submissionId(), issues: res.issues, ...(inc.includes('identifiers') && res.status === 'ACCEPTED' ? { identifiers: mks.map((mk) => ({ marketplaceId: mk, asin: s.listings[req.params.sku!]!.asin[mk] })) } : {}) }, h);
  });
  r.add('DELETE', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'deleteListingsItem');
    checkSeller(s, req);
    const mks = marketplaceIds(req);
    const l = s.listings[req.params.sku!];
    if (!l || !mks.some((mk) => l.attributes[mk])) throw new AmzFail(404, [{ code: 'NOT_FOUND', message: `SKU '${req.params.sku!}' not found in marketplace ${mks.join(',')}`, details: '' }]);
    for (const mk of mks) delete l.attributes[mk];
    if (Object.keys(l.attributes).length === 0) delete s.listings[req.params.sku!];
    return json(200, { sku: req.params.sku, status: 'ACCEPTED', submissionId: submissionId(), issues: [] }, h);
  });
  r.add('GET', `${L}/:sellerId`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'searchListingsItems');
    checkSeller(s, req);
    const mks = marketplaceIds(req);
    const inc = included(req, LISTING_INCLUDED, ['summaries']);
    const pageSize = Number(req.query.get('pageSize') ?? '10');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20) throw invalid("'pageSize' must be between 1 and 20.");
    let list = Object.values(s.listings).filter((l) => mks.some((mk) => l.attributes[mk]));
    const ids = req.query.get('identifiers');
    if (ids) {
      const type = req.query.get('identifiersType');
      if (type !== 'SKU' && type !== 'ASIN') throw invalid("'identifiersType' is required with 'identifiers' (the sandbox supports SKU and ASIN).");
      const wanted = ids.split(',');
      if (wanted.length > 20) throw invalid("At most 20 'identifiers' can be given.");
      list = list.filter((l) => (type === 'SKU' ? wanted.includes(l.sku) : mks.some((mk) => wanted.includes(l.asin[mk] ?? ''))));
    }
    const after = req.query.get('lastUpdatedAfter');
    if (after) {
      const t = iso(after, 'lastUpdatedAfter');
      list = list.filter((l) => mks.some((mk) => (l.lastUpdatedDate[mk] ?? '') > t));
    }
    list.sort((a, b) => (a.sku < b.sku ? -1 : 1));
    const token = req.query.get('pageToken');
    const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) || 0 : 0;
    const page = list.slice(start, start + pageSize);
    const pagination: Obj = {};
    if (start + pageSize < list.length) pagination.nextToken = Buffer.from(String(start + pageSize)).toString('base64url');
    if (start > 0) pagination.previousToken = Buffer.from(String(Math.max(0, start - pageSize))).toString('base64url');
    return json(200, { numberOfResults: list.length, ...(Object.keys(pagination).length ? { pagination } : {}), items: page.map((l) => listingView(l, mks, inc)) }, h);
  });

  // ---- feeds ----
  const F = '/feeds/2021-06-30';
  const docUrl = (d: Doc) => `${world.baseUrl}/amazon/_s3/${d.kind === 'input' ? 'feeds-input' : 'feeds-result'}/${d.id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${new Date(world.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}&X-Amz-Expires=300&X-Amz-Signature=${createHash('sha256').update(d.id + world.now()).digest('hex')}&X-Amz-SignedHeaders=content-type%3Bhost&t=${world.now()}`;

  r.add('POST', `${F}/documents`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'createFeedDocument');
    const b = body(req, V.createDoc);
    s.seq += 1;
    const id = `amzn1.tortuga.4.eu.${createHash('md5').update(`doc-${s.seq}-${world.now()}`).digest('hex')}.T${s.seq}`;
    const d: Doc = { id, contentType: b.contentType as string, createdMs: world.now(), content: null, kind: 'input' };
    s.docs[id] = d;
    return json(201, { feedDocumentId: id, url: docUrl(d) }, h);
  });
  r.add('GET', `${F}/documents/:id`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getFeedDocument');
    const d = s.docs[req.params.id!];
    if (!d) throw new AmzFail(404, [{ code: 'NotFound', message: 'The requested feed document was not found.', details: '' }]);
    return json(200, { feedDocumentId: d.id, url: docUrl(d), ...(d.gzip ? { compressionAlgorithm: 'GZIP' } : {}) }, h);
  });

  function feedStatus(s: SellerState, f: Feed): Feed {
    if (f.status === 'CANCELLED' || f.status === 'DONE' || f.status === 'FATAL') return f;
    const elapsed = world.now() - f.createdMs;
    // Advances with the clock (30 s queued, 30 s processing) or one step per poll, whichever is further.
    const stage = Math.max(elapsed >= 60_000 ? 2 : elapsed >= 30_000 ? 1 : 0, Math.min(2, f.polls - 1));
    if (stage >= 1 && f.status === 'IN_QUEUE') {
      f.status = 'IN_PROGRESS';
      f.processingStartTime = world.iso(Math.min(world.now(), f.createdMs + 30_000));
    }
    if (stage >= 2 && f.status === 'IN_PROGRESS') processFeed(s, f);
    return f;
  }

  function processFeed(s: SellerState, f: Feed): void {
    const input = s.docs[f.inputFeedDocumentId];
    const issues: Obj[] = [];
    let processed = 0;
    let accepted = 0;
    let invalidCount = 0;
    let fatal: string | undefined;
    let doc: Obj | undefined;
    const text = input?.content ?? null;
    if (text === null) fatal = 'The feed document was never uploaded.';
    else if (text.charCodeAt(0) === 0x1f && text.charCodeAt(1) === 0x8b) fatal = 'The feed document is compressed; JSON_LISTINGS_FEED documents must be uploaded uncompressed.';
    else {
      try {
        doc = JSON.parse(text) as Obj;
      } catch {
        fatal = 'The feed document is not valid JSON.';
      }
    }
    if (doc && !V.feedEnvelope(doc)) fatal = `The feed document does not match the JSON_LISTINGS_FEED schema: ${V.feedEnvelope.errors?.[0]?.instancePath ?? ''} ${V.feedEnvelope.errors?.[0]?.message ?? ''}`.trim();
    const hdr = (doc?.header as Obj | undefined) ?? {};
    if (doc && !fatal && hdr.sellerId !== s.sellerId) fatal = `The sellerId in the feed header (${String(hdr.sellerId)}) does not match the seller that submitted the feed.`;
    const messages = (doc?.messages as unknown[] | undefined) ?? [];
    if (!fatal && (messages.length < 1 || messages.length > 25_000)) fatal = `A feed holds 1 to 25,000 messages; this one has ${messages.length}.`;
    if (fatal) issues.push({ code: '100001', severity: 'ERROR', message: fatal });
    else {
      const seenIds = new Set<number>();
      for (const m of messages) {
        processed += 1;
        const msg = (isObject(m) ? m : {}) as Obj;
        const messageId = typeof msg.messageId === 'number' ? msg.messageId : undefined;
        const sku = typeof msg.sku === 'string' ? msg.sku : undefined;
        const base = { ...(messageId !== undefined ? { messageId } : {}), ...(sku ? { sku } : {}) };
        if (!V.feedMessage(msg) || messageId === undefined || seenIds.has(messageId)) {
          invalidCount += 1;
          const e = V.feedMessage.errors?.[0];
          issues.push({ ...base, code: '4002008', severity: 'ERROR', message: `The provided message did not meet the schema validation requirements for a feed message.${e ? ` ${`${e.instancePath} ${e.message ?? ''}`.trim()}` : messageId !== undefined && seenIds.has(messageId) ? ' messageId must be unique within the feed.' : ''}`.trimEnd() });
          if (messageId !== undefined) seenIds.add(messageId);
          continue;
        }
        seenIds.add(messageId);
        let res: Submission | 'notfound';
        const op = msg.operationType as string;
        if (op === 'UPDATE') res = applyPut(s, sku!, msg.productType as string, msg.attributes as Record<string, unknown[]>, f.marketplaceIds, false);
        else if (op === 'PARTIAL_UPDATE') res = applyPatch(s, sku!, msg.productType as string, Object.entries(msg.attributes as Obj).map(([k, v]) => ({ op: 'replace', path: `/attributes/${k}`, value: v })), f.marketplaceIds, false);
        else if (op === 'PATCH') res = applyPatch(s, sku!, msg.productType as string, msg.patches as Obj[], f.marketplaceIds, false);
        else {
          const l = s.listings[sku!];
          if (l) {
            for (const mk of f.marketplaceIds) delete l.attributes[mk];
            if (!Object.keys(l.attributes).length) delete s.listings[sku!];
            res = { status: 'ACCEPTED', issues: [] };
          } else res = 'notfound';
        }
        if (res === 'notfound') {
          invalidCount += 1;
          issues.push({ ...base, code: '8541', severity: 'ERROR', message: `SKU '${sku!}' does not exist in the requested marketplaces; use UPDATE to create it.` });
          continue;
        }
        for (const i of res.issues) issues.push({ ...base, code: i.code, severity: i.severity, message: i.message, ...(Array.isArray(i.attributeNames) && i.attributeNames[0] ? { attributeName: i.attributeNames[0] } : {}) });
        if (res.status === 'ACCEPTED') accepted += 1;
        else invalidCount += 1;
      }
    }
    const report = {
      header: { sellerId: s.sellerId, version: '2.0', feedId: f.feedId },
      issues,
      summary: { errors: issues.filter((i) => i.severity === 'ERROR').length, warnings: issues.filter((i) => i.severity === 'WARNING').length, messagesProcessed: processed, messagesAccepted: accepted, messagesInvalid: invalidCount },
    };
    s.seq += 1;
    const rid = `amzn1.tortuga.4.eu.${createHash('md5').update(`res-${s.seq}`).digest('hex')}.T${s.seq}`;
    s.docs[rid] = { id: rid, contentType: 'application/json; charset=UTF-8', createdMs: world.now(), content: gzipSync(JSON.stringify(report)).toString('base64'), kind: 'result', gzip: true };
    f.status = fatal ? 'FATAL' : 'DONE';
    f.processingEndTime = world.iso(Math.min(world.now(), f.createdMs + 60_000));
    f.resultFeedDocumentId = rid;
  }

  const feedView = (f: Feed): Obj => ({ feedId: f.feedId, feedType: f.feedType, marketplaceIds: f.marketplaceIds, createdTime: f.createdTime, processingStatus: f.status, ...(f.processingStartTime ? { processingStartTime: f.processingStartTime } : {}), ...(f.processingEndTime ? { processingEndTime: f.processingEndTime } : {}), ...(f.resultFeedDocumentId ? { resultFeedDocumentId: f.resultFeedDocumentId } : {}) });

  r.add('POST', `${F}/feeds`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'createFeed');
    const b = body(req, V.createFeed);
    if (b.feedType !== 'JSON_LISTINGS_FEED') throw invalid(`Feed type ${String(b.feedType)} is not supported. XML and flat-file listings feeds were removed on 2025-07-31; use JSON_LISTINGS_FEED.`);
    const mks = b.marketplaceIds as string[];
    if (mks.length < 1 || mks.length > 25) throw invalid("'marketplaceIds' must hold 1 to 25 marketplace identifiers.");
    for (const mk of mks) if (!MARKETPLACES[mk]) throw invalid(`Invalid 'marketplaceIds' provided: ${mk}.`);
    const d = s.docs[b.inputFeedDocumentId as string];
    if (!d || d.kind !== 'input') throw invalid(`Invalid 'inputFeedDocumentId': ${String(b.inputFeedDocumentId)}.`);
    const now = world.now();
    s.listingFeedTimes = s.listingFeedTimes.filter((t) => now - t < 300_000);
    if (s.listingFeedTimes.length >= 5) throw new AmzFail(429, [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: 'JSON_LISTINGS_FEED accepts 5 submissions per 5 minutes per region.' }]);
    s.listingFeedTimes.push(now);
    s.seq += 1;
    const feedId = String(50000000000 + s.seq);
    s.feeds[feedId] = { feedId, feedType: 'JSON_LISTINGS_FEED', marketplaceIds: mks, inputFeedDocumentId: d.id, createdTime: world.iso(now), createdMs: now, polls: 0, status: 'IN_QUEUE' };
    return json(202, { feedId }, h);
  });
  r.add('GET', `${F}/feeds/:feedId`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getFeed');
    const f = s.feeds[req.params.feedId!];
    if (!f) throw new AmzFail(404, [{ code: 'NotFound', message: 'The requested feed was not found.', details: '' }]);
    f.polls += 1;
    return json(200, feedView(feedStatus(s, f)), h);
  });
  r.add('DELETE', `${F}/feeds/:feedId`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'cancelFeed');
    const f = s.feeds[req.params.feedId!];
    if (!f) throw new AmzFail(404, [{ code: 'NotFound', message: 'The requested feed was not found.', details: '' }]);
    feedStatus(s, f);
    if (f.status !== 'IN_QUEUE') throw invalid(`The feed is ${f.status} and can only be cancelled while IN_QUEUE.`);
    f.status = 'CANCELLED';
    return { status: 200, headers: h };
  });
  r.add('GET', `${F}/feeds`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getFeeds');
    const next = req.query.get('nextToken');
    if (next && [...req.query.keys()].some((k) => k !== 'nextToken')) throw invalid("When 'nextToken' is given it must be the only parameter.");
    let start = 0;
    let types: string[] | undefined;
    let statuses: string[] | undefined;
    let pageSize = 10;
    if (next) {
      try {
        const t = JSON.parse(Buffer.from(next, 'base64url').toString('utf8')) as { start: number; types?: string[]; statuses?: string[]; pageSize: number };
        ({ start, types, statuses, pageSize } = t);
      } catch {
        throw invalid("Invalid 'nextToken'.");
      }
    } else {
      types = req.query.get('feedTypes')?.split(',');
      if (!types) throw invalid("'feedTypes' is required unless 'nextToken' is given.");
      statuses = req.query.get('processingStatuses')?.split(',');
      pageSize = Number(req.query.get('pageSize') ?? '10');
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw invalid("'pageSize' must be between 1 and 100.");
    }
    const list = Object.values(s.feeds)
      .map((f) => feedStatus(s, f))
      .filter((f) => (!types || types.includes(f.feedType)) && (!statuses || statuses.includes(f.status)))
      .sort((a, b) => b.createdMs - a.createdMs);
    const page = list.slice(start, start + pageSize);
    const more = start + pageSize < list.length;
    return json(200, { feeds: page.map(feedView), ...(more ? { nextToken: Buffer.from(JSON.stringify({ start: start + pageSize, types, statuses, pageSize })).toString('base64url') } : {}) }, h);
  });

  // Presigned-style document storage (no SP-API auth; S3 answers in XML).
  const s3Error = (status: number, code: string, message: string): SbResponse => ({ status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>SBX</RequestId></Error>` });
  function s3(req: SbRequest): SbResponse {
    const m = /^\/_s3\/(feeds-input|feeds-result)\/([^/]+)$/.exec(req.path);
    if (!m) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    const id = decodeURIComponent(m[2]!);
    let doc: Doc | undefined;
    for (const s of Object.values(st().sellers)) doc ??= s.docs[id];
    if (!doc) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    const issued = Number(req.query.get('t') ?? 'NaN');
    if (!Number.isFinite(issued) || !req.query.get('X-Amz-Signature')) return s3Error(403, 'AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
    if (world.now() - issued > 300_000) return s3Error(403, 'AccessDenied', 'Request has expired');
    if (req.method === 'PUT') {
      if (doc.kind !== 'input') return s3Error(403, 'AccessDenied', 'Access Denied');
      const ct = header(req, 'content-type') ?? '';
      if (ct.replace(/\s+/g, '').toLowerCase() !== doc.contentType.replace(/\s+/g, '').toLowerCase()) return s3Error(403, 'SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided. The Content-Type must be the one given to createFeedDocument (${doc.contentType}).`);
      doc.content = req.body.toString('latin1').startsWith('\x1f\x8b') ? req.body.toString('latin1') : req.body.toString('utf8');
      return { status: 200, headers: { etag: `"${createHash('md5').update(req.body).digest('hex')}"` } };
    }
    if (req.method === 'GET') {
      if (doc.content === null) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      // Served as stored bytes without Content-Encoding: the client gunzips when compressionAlgorithm says GZIP.
      return { status: 200, headers: { 'content-type': doc.gzip ? 'application/octet-stream' : doc.contentType }, body: doc.gzip ? Buffer.from(doc.content, 'base64') : doc.content };
    }
    return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  // ---- orders ----
  const O = '/orders/2026-01-01/orders';
  const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });
  function orderView(o: AmzOrder, inc: string[]): Obj {
    const mk = MARKETPLACES[o.marketplaceId]!;
    const subtotal = o.items.reduce((a, i) => a + toCents(i.unitPrice) * BigInt(i.quantity), 0n);
    const out: Obj = {
      orderId: o.orderId,
      orderAliases: [{ aliasId: `LK-${o.orderId.slice(-7)}`, aliasType: 'SELLER_ORDER_ID' }],
      createdTime: o.createdTime,
      lastUpdatedTime: o.lastUpdatedTime,
      programs: [],
      salesChannel: { channelName: 'Amazon', marketplaceId: o.marketplaceId, marketplaceName: mk.name },
      orderItems: o.items.map((i) => ({
        orderItemId: i.orderItemId,
        quantityOrdered: i.quantity,
        product: { asin: i.asin, title: i.title, sellerSku: i.sku, condition: { conditionType: 'New' }, price: { unitPrice: money(i.unitPrice, o.currency) } },
        ...(inc.includes('PROCEEDS') ? { proceeds: { proceedsTotal: money(fromCents(toCents(i.unitPrice) * BigInt(i.quantity)), o.currency), breakdowns: [{ type: 'ITEM', subtotal: money(fromCents(toCents(i.unitPrice) * BigInt(i.quantity)), o.currency) }] } } : {}),
        ...(inc.includes('FULFILLMENT') ? { fulfillment: { quantityFulfilled: i.shipped, quantityUnfulfilled: i.quantity - i.shipped } } : {}),
      })),
    };
    if (inc.includes('BUYER')) out.buyer = { buyerName: o.buyer.name, ...(o.buyer.email ? { buyerEmail: o.buyer.email } : {}) };
    if (inc.includes('RECIPIENT')) out.recipient = { deliveryAddress: o.shipTo };
    // EU/UK prices include VAT, so the TAX breakdown is informative and the grand total is items + shipping.
    if (inc.includes('PROCEEDS')) {
      out.proceeds = {
        grandTotal: money(fromCents(subtotal + toCents(o.shipping)), o.currency),
        breakdowns: [
          { type: 'ITEM', subtotal: money(fromCents(subtotal), o.currency) },
          { type: 'SHIPPING', subtotal: money(o.shipping, o.currency) },
          ...(o.tax && toCents(o.tax) !== 0n ? [{ type: 'TAX', subtotal: money(o.tax, o.currency) }] : []),
        ],
      };
    }
    if (inc.includes('FULFILLMENT')) out.fulfillment = { fulfillmentStatus: o.status, fulfilledBy: 'MERCHANT', fulfillmentServiceLevel: 'STANDARD' };
    if (inc.includes('PACKAGES')) out.packages = o.packages;
    return out;
  }

  const ORDER_INCLUDED = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'];
  const STATUSES = ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED', 'UNFULFILLABLE'];
  interface OrderQuery {
    createdAfter?: string;
    createdBefore?: string;
    lastUpdatedAfter?: string;
    lastUpdatedBefore?: string;
    statuses?: string[];
    marketplaceIds?: string[];
    fulfilledBy?: string[];
    start: number;
    issued: number;
  }
  const iso = (v: string, name: string): string => {
    const t = Date.parse(v);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || !Number.isFinite(t)) throw invalid(`'${name}' must be an ISO 8601 date-time, got '${v}'.`);
    return new Date(t).toISOString();
  };
  r.add('GET', O, (req) => {
    const s = auth(req);
    const h = throttle(s, 'searchOrders');
    const inc = included(req, ORDER_INCLUDED, []);
    const size = Number(req.query.get('maxResultsPerPage') ?? '100');
    if (!Number.isInteger(size) || size < 1 || size > 100) throw invalid("'maxResultsPerPage' must be between 1 and 100.");
    const token = req.query.get('paginationToken');
    let q: OrderQuery;
    if (token) {
      try {
        q = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as OrderQuery;
      } catch {
        throw invalid("Invalid 'paginationToken'.");
      }
      if (world.now() - q.issued > 24 * 3_600_000) throw invalid("The 'paginationToken' has expired (tokens live 24 hours); start the search again.");
    } else {
      const g = (k: string) => req.query.get(k) ?? undefined;
      q = { start: 0, issued: world.now() };
      const ca = g('createdAfter');
      const la = g('lastUpdatedAfter');
      if (!ca && !la) throw invalid("Either 'createdAfter' or 'lastUpdatedAfter' must be specified.");
      if (ca && la) throw invalid("'createdAfter' and 'lastUpdatedAfter' cannot be combined.");
      if (ca) q.createdAfter = iso(ca, 'createdAfter');
      if (la) q.lastUpdatedAfter = iso(la, 'lastUpdatedAfter');
      const cb = g('createdBefore');
      const lb = g('lastUpdatedBefore');
      if (cb && !ca) throw invalid("'createdBefore' can only be used with 'createdAfter'.");
      if (lb && !la) throw invalid("'lastUpdatedBefore' can only be used with 'lastUpdatedAfter'.");
      for (const [k, v] of [['createdBefore', cb], ['lastUpdatedBefore', lb]] as const) {
        if (!v) continue;
        const t = iso(v, k);
        if (Date.parse(t) > world.now() - 120_000) throw invalid(`'${k}' must be at least 2 minutes before the current time.`);
        if (k === 'createdBefore') q.createdBefore = t;
        else q.lastUpdatedBefore = t;
      }
      const fs = g('fulfillmentStatuses')?.split(',');
      if (fs) for (const x of fs) if (!STATUSES.includes(x)) throw invalid(`Invalid 'fulfillmentStatuses' value: ${x}.`);
      q.statuses = fs;
      const mks = g('marketplaceIds')?.split(',');
      if (mks) for (const x of mks) if (!MARKETPLACES[x]) throw invalid(`Invalid 'marketplaceIds' provided: ${x}.`);
      q.marketplaceIds = mks;
      q.fulfilledBy = g('fulfilledBy')?.split(',');
    }
    const upper = world.iso(world.now() - 120_000);
    const list = Object.values(s.orders)
      .filter((o) => {
        const c = new Date(o.createdTime).toISOString();
        const u = new Date(o.lastUpdatedTime).toISOString();
        if (q.createdAfter && c < q.createdAfter) return false;
        if (q.createdBefore && c >= q.createdBefore) return false;
        if (q.lastUpdatedAfter && u < q.lastUpdatedAfter) return false;
        if (q.lastUpdatedBefore && u >= q.lastUpdatedBefore) return false;
        if (!q.createdBefore && !q.lastUpdatedBefore && (q.createdAfter ? c : u) > upper) return false;
        if (q.statuses && !q.statuses.includes(o.status)) return false;
        if (q.marketplaceIds && !q.marketplaceIds.includes(o.marketplaceId)) return false;
        if (q.fulfilledBy && !q.fulfilledBy.includes('MERCHANT')) return false;
        return true;
      })
      .sort((a, b) => (q.createdAfter ? a.createdTime.localeCompare(b.createdTime) : a.lastUpdatedTime.localeCompare(b.lastUpdatedTime)) || a.orderId.localeCompare(b.orderId));
    const page = list.slice(q.start, q.start + size);
    const more = q.start + size < list.length;
    const out: Obj = { orders: page.map((o) => orderView(o, inc)) };
    if (more) out.pagination = { nextToken: Buffer.from(JSON.stringify({ ...q, start: q.start + size })).toString('base64url') };
    if (q.createdAfter) out.createdBefore = q.createdBefore ?? upper;
    else out.lastUpdatedBefore = q.lastUpdatedBefore ?? upper;
    return json(200, out, h);
  });
  r.add('GET', `${O}/:orderId`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getOrder');
    const o = s.orders[req.params.orderId!];
    if (!o) throw new AmzFail(404, [{ code: 'NotFound', message: `Order ${req.params.orderId!} not found.`, details: '' }]);
    return json(200, { order: orderView(o, included(req, ORDER_INCLUDED, [])) }, h);
  });
  r.add('POST', '/orders/v0/orders/:orderId/shipmentConfirmation', (req) => {
    const s = auth(req);
    const h = throttle(s, 'confirmShipment');
    const o = s.orders[req.params.orderId!];
    if (!o) throw new AmzFail(404, [{ code: 'NotFound', message: `Order ${req.params.orderId!} not found.`, details: '' }]);
    const b = body(req, V.confirm);
    if (b.marketplaceId !== o.marketplaceId) throw invalid(`The order belongs to marketplace ${o.marketplaceId}.`);
    if (o.status === 'CANCELLED') throw invalid('The order is cancelled.');
    const pd = b.packageDetail as Obj;
    const lines = pd.orderItems as Array<{ orderItemId: string; quantity?: number }>;
    // Amazon's carrier list; "Other" needs carrierName. packageReferenceId: positive numeric only (ordersV0.json PackageReferenceId).
    if (!AMAZON_CARRIERS.has(String(pd.carrierCode))) throw invalid(`Invalid carrierCode ${String(pd.carrierCode)}. Use a value from the carrier list, or "Other" with carrierName.`);
    if (pd.carrierCode === 'Other' && !pd.carrierName) throw invalid('carrierName is required when carrierCode is "Other".');
    if (!/^[1-9]\d*$/.test(String(pd.packageReferenceId))) throw invalid('packageReferenceId must be a positive number.');
    if (o.packages.some((p) => p.trackingNumber === pd.trackingNumber && p.carrier === pd.carrierCode)) throw invalid(`Tracking number ${String(pd.trackingNumber)} was already confirmed for this order.`);
    for (const l of lines) {
      const item = o.items.find((i) => i.orderItemId === l.orderItemId);
      if (!item) throw invalid(`Invalid orderItemId ${l.orderItemId}.`);
      const q = l.quantity ?? item.quantity - item.shipped;
      if (q < 1 || item.shipped + q > item.quantity) throw invalid(`Invalid quantity for orderItemId ${l.orderItemId}.`);
    }
    if (o.packages.some((p) => p.packageReferenceId === String(pd.packageReferenceId))) throw invalid(`Package reference ${String(pd.packageReferenceId)} was already confirmed.`);
    for (const l of lines) {
      const item = o.items.find((i) => i.orderItemId === l.orderItemId)!;
      item.shipped += l.quantity ?? item.quantity - item.shipped;
    }
    o.packages.push({ packageReferenceId: String(pd.packageReferenceId), createdTime: world.iso(), packageStatus: { status: 'IN_TRANSIT' }, carrier: pd.carrierCode, shipTime: pd.shipDate, shippingService: pd.shippingMethod ?? 'Standard', trackingNumber: pd.trackingNumber, packageItems: lines.map((l) => ({ orderItemId: l.orderItemId, quantity: l.quantity })) });
    o.status = o.items.every((i) => i.shipped >= i.quantity) ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
    o.lastUpdatedTime = world.iso().replace('.000Z', 'Z');
    return { status: 204, headers: h };
  });

  // ---- sellers ----
  r.add('GET', '/sellers/v1/marketplaceParticipations', (req) => {
    const s = auth(req);
    const h = throttle(s, 'getMarketplaceParticipations');
    return json(200, { payload: cred.marketplaceIds.map((id) => { const m = MARKETPLACES[id]!; return { marketplace: { id, name: m.name, countryCode: m.countryCode, defaultCurrencyCode: m.currency, defaultLanguageCode: m.language, domainName: m.domain }, participation: { isParticipating: true, hasSuspendedListings: false }, storeName: 'Lindqvist Keramik' }; }) }, h);
  });

  return {
    name: 'amazon',
    prefix: '/amazon',
    secrets: () => [...Object.keys(st().refreshTokens), ...Object.keys(st().accessTokens), cred.clientSecret],
    async handle(req) {
      if (req.path === '/auth/o2/token') return lwa(req);
      if (req.path.startsWith('/_s3/')) return s3(req);
      const m = r.match(req.method, req.path);
      let res: SbResponse;
      if (m.kind === 'none') res = json(404, { errors: [{ code: 'NotFound', message: 'Resource not found', details: '' }] });
      else if (m.kind === 'method') res = json(405, { errors: [{ code: 'MethodNotAllowed', message: `Method ${req.method} is not allowed for this resource.`, details: '' }] });
      else {
        req.params = m.params;
        try {
          res = await m.handler(req);
        } catch (e) {
          if (!(e instanceof AmzFail)) throw e;
          res = json(e.status, { errors: e.errors }, e.headers);
        }
      }
      res.headers = { 'x-amzn-RequestId': requestId(req), ...res.headers };
      return res;
    },
    faultResponse(kind, req) {
      const h = { 'x-amzn-RequestId': requestId(req) };
      if (kind === '429' || kind === 'throttled') return json(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] }, h);
      if (kind === '503') return json(503, { errors: [{ code: 'ServiceUnavailable', message: 'Service is temporarily unavailable. Please try again.', details: '' }] }, h);
      return json(500, { errors: [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.', details: '' }] }, h);
    },
    setLimit(name, value) {
      if (!AMAZON_RATES[name]) return false;
      burstOverride[name] = value;
      world.buckets.clear();
      return true;
    },
  };
}
