// Amazon SP-API emulator: LWA token endpoint (refresh / client-credentials grants, Atza| tokens for
// 3600 s, invalid_grant / invalid_client), x-amz-access-token, three regional endpoints (/amazon/na,
// /amazon/eu, /amazon/fe; the bare /amazon is EU) that refuse another region's marketplaces with the
// real 403, token buckets per (seller, region, operation) with the usage-plan rates
// (x-amzn-RateLimit-Limit on 2xx, 429 QuotaExceeded), Listings Items 2021-08-01 (get/put/patch/delete/
// search, JSON Patch with replace vs merge by selectors, product types, FBA listings, VALIDATION_PREVIEW,
// delayed issues), Feeds 2021-06-30 with JSON_LISTINGS_FEED (one marketplace per feed, 5 per 5 minutes
// per region, document upload to a presigned-style URL, IN_QUEUE → IN_PROGRESS → DONE on the clock or
// per poll, a v2 processing report), Orders 2026-01-01 searchOrders/getOrder with Amazon-fulfilled
// orders, v0 confirmShipment, Sellers getMarketplaceParticipations. Requests are validated against the
// Apache-2.0 models copied into fixtures/sandbox/specs/amazon. Sources of each rule: docs/sandbox.md.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ApiModule } from './api.js';
import { SANDBOX_CREDENTIALS } from './credentials.js';
import { header, isObject, json, Router, type SbRequest, type SbResponse } from './http.js';
import { AMAZON_MODELS } from './paths.js';
import { fromCents, toCents, type DemoSeed } from './seed.js';
import { PUBLISH_RATES, catalogWithSeed, checkPut, definitionsRoutes, serveSchema, type CatalogItem } from './amazon-publish.js';
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

type Region = 'na' | 'eu' | 'fe';
interface MarketplaceInfo {
  name: string;
  countryCode: string;
  currency: string;
  language: string;
  domain: string;
  channel: string;
  region: Region;
}
const mkInfo = (name: string, countryCode: string, currency: string, language: string, domain: string, region: Region): MarketplaceInfo => ({ name, countryCode, currency, language, domain, region, channel: `amazon-${countryCode === 'GB' ? 'uk' : countryCode.toLowerCase()}` });

/**
 * Every marketplace and the regional endpoint that serves it (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids,
 * https://developer-docs.amazon.com/sp-api/docs/sp-api-endpoints). A regional endpoint refuses another
 * region's marketplaces with 403 Unauthorized "The marketplaces you provided are not valid for region."
 */
export const MARKETPLACES: Record<string, MarketplaceInfo> = {
  A2EUQ1WTGCTBG2: mkInfo('Amazon.ca', 'CA', 'CAD', 'en_CA', 'www.amazon.ca', 'na'),
  ATVPDKIKX0DER: mkInfo('Amazon.com', 'US', 'USD', 'en_US', 'www.amazon.com', 'na'),
  A1AM78C64UM0Y8: mkInfo('Amazon.com.mx', 'MX', 'MXN', 'es_MX', 'www.amazon.com.mx', 'na'),
  A2Q3Y263D00KWC: mkInfo('Amazon.com.br', 'BR', 'BRL', 'pt_BR', 'www.amazon.com.br', 'na'),
  A28R8C7NBKEWEA: mkInfo('Amazon.ie', 'IE', 'EUR', 'en_IE', 'www.amazon.ie', 'eu'),
  A1RKKUPIHCS9HS: mkInfo('Amazon.es', 'ES', 'EUR', 'es_ES', 'www.amazon.es', 'eu'),
  A1F83G8C2ARO7P: mkInfo('Amazon.co.uk', 'GB', 'GBP', 'en_GB', 'www.amazon.co.uk', 'eu'),
  A13V1IB3VIYZZH: mkInfo('Amazon.fr', 'FR', 'EUR', 'fr_FR', 'www.amazon.fr', 'eu'),
  AMEN7PMS3EDWL: mkInfo('Amazon.com.be', 'BE', 'EUR', 'fr_BE', 'www.amazon.com.be', 'eu'),
  A1805IZSGTT6HS: mkInfo('Amazon.nl', 'NL', 'EUR', 'nl_NL', 'www.amazon.nl', 'eu'),
  A1PA6795UKMFR9: mkInfo('Amazon.de', 'DE', 'EUR', 'de_DE', 'www.amazon.de', 'eu'),
  APJ6JRA9NG5V4: mkInfo('Amazon.it', 'IT', 'EUR', 'it_IT', 'www.amazon.it', 'eu'),
  A2NODRKZP88ZB9: mkInfo('Amazon.se', 'SE', 'SEK', 'sv_SE', 'www.amazon.se', 'eu'),
  AE08WJ6YKNBMC: mkInfo('Amazon.co.za', 'ZA', 'ZAR', 'en_ZA', 'www.amazon.co.za', 'eu'),
  A1C3SOZRARQ6R3: mkInfo('Amazon.pl', 'PL', 'PLN', 'pl_PL', 'www.amazon.pl', 'eu'),
  ARBP9OOSHTCHU: mkInfo('Amazon.eg', 'EG', 'EGP', 'ar_EG', 'www.amazon.eg', 'eu'),
  A33AVAJ2PDY3EV: mkInfo('Amazon.com.tr', 'TR', 'TRY', 'tr_TR', 'www.amazon.com.tr', 'eu'),
  A17E79C6D8DWNP: mkInfo('Amazon.sa', 'SA', 'SAR', 'ar_AE', 'www.amazon.sa', 'eu'),
  A2VIGQ35RCS4UG: mkInfo('Amazon.ae', 'AE', 'AED', 'en_AE', 'www.amazon.ae', 'eu'),
  A21TJRUUN4KGV: mkInfo('Amazon.in', 'IN', 'INR', 'en_IN', 'www.amazon.in', 'eu'),
  A19VAU5U5O7RUS: mkInfo('Amazon.sg', 'SG', 'SGD', 'en_SG', 'www.amazon.sg', 'fe'),
  A39IBJ37TRP1C6: mkInfo('Amazon.com.au', 'AU', 'AUD', 'en_AU', 'www.amazon.com.au', 'fe'),
  A1VC38T7YXB528: mkInfo('Amazon.co.jp', 'JP', 'JPY', 'ja_JP', 'www.amazon.co.jp', 'fe'),
};
/** The sandbox seller: authorized in NA and EU (not FE), selling on DE and UK (EU) and US (NA). */
export const SELLER_REGIONS: readonly Region[] = ['na', 'eu'];

/**
 * Product types the sandbox has definitions for (Product Type Definitions API). Anything else in a
 * listings write is "4000003 The Amazon product type specified is invalid or not supported."
 * (amzn/selling-partner-api-models#5241, #2427); a known type that is not the listing's own is refused
 * too (the listing keeps the type it was created with: models#4942).
 */
export const PRODUCT_TYPES = new Set(['PRODUCT', 'DRINKING_CUP', 'BOWL', 'KITCHEN_TOWEL', 'CANDLE', 'VASE', 'LUGGAGE', 'HOME', 'CANDLE_HOLDER', 'PLATE']);

/** FBA listings of the seed (Amazon fulfils them from its own stock): SKU → marketplace → units at Amazon. */
export const FBA_SEED: Record<string, Record<string, number>> = { 'MUG-BLU-L': { A1PA6795UKMFR9: 37 } };

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
  // fbaInventory.json: getInventorySummaries 2/2.
  getInventorySummaries: [2, 2],
  // New listings (amazon-publish.ts): searchCatalogItems, getDefinitionsProductType.
  ...PUBLISH_RATES,
};

interface Listing {
  sku: string;
  productType: string;
  /** Units Amazon holds for an FBA listing, per marketplace (its fulfillment_availability entry has no quantity of ours). */
  fbaStock?: Record<string, number>;
  /** FBA units on their way to Amazon per marketplace (inbound working / shipped / receiving) and damaged or defective ones. */
  fbaInbound?: Record<string, { working: number; shipped: number; receiving: number }>;
  fbaUnfulfillable?: Record<string, number>;
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
  /** MERCHANT (the seller ships) or AMAZON (FBA: Amazon ships from its own stock). */
  fulfilledBy?: 'MERCHANT' | 'AMAZON';
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
  /** The regional endpoint it was created at (feeds and documents are regional). */
  region?: Region;
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
  region?: Region;
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
  /** createdMs of JSON_LISTINGS_FEED submissions per region (5 per 5 minutes per region). */
  listingFeedTimes: Partial<Record<Region, number[]>> | number[];
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
  const s: SellerState = { sellerId: c.sellerId, listings: {}, orders: {}, feeds: {}, docs: {}, listingFeedTimes: {}, seq: 0 };
  const t = '2026-10-01T09:00:00.000Z';
  for (const p of seed.products) {
    const l: Listing = { sku: p.sku, productType: p.productType, attributes: {}, asin: {}, createdDate: {}, lastUpdatedDate: {}, delayed: [] };
    for (const [mk, info] of Object.entries(MARKETPLACES)) {
      const price = p.prices[info.channel as 'amazon-de' | 'amazon-uk'];
      if (!price) continue;
      l.asin[mk] = asinFor(p.sku);
      l.createdDate[mk] = t;
      l.lastUpdatedDate[mk] = t;
      const fba = FBA_SEED[p.sku]?.[mk];
      // What a real seller's listing carries beside the price: min/max prices, a business (B2B) offer
      // with quantity discounts, handling time — all of which a `replace` of the attribute would drop.
      const cents = toCents(price);
      l.attributes[mk] = {
        item_name: [{ value: p.title, language_tag: info.language, marketplace_id: mk }],
        brand: [{ value: p.brand, marketplace_id: mk }],
        condition_type: [{ value: 'new_new', marketplace_id: mk }],
        externally_assigned_product_identifier: [{ type: 'ean', value: p.ean, marketplace_id: mk }],
        main_product_image_locator: [{ media_location: `https://m.media-amazon.example/${p.sku}.jpg`, marketplace_id: mk }],
        country_of_origin: [{ value: p.originCountry, marketplace_id: mk }],
        purchasable_offer: [
          {
            marketplace_id: mk,
            currency: info.currency,
            audience: 'ALL',
            our_price: [{ schedule: [{ value_with_tax: num(price) }] }],
            minimum_seller_allowed_price: [{ schedule: [{ value_with_tax: num(fromCents((cents * 6n) / 10n)) }] }],
            maximum_seller_allowed_price: [{ schedule: [{ value_with_tax: num(fromCents(cents * 2n)) }] }],
          },
          {
            marketplace_id: mk,
            currency: info.currency,
            audience: 'B2B',
            our_price: [{ schedule: [{ value_with_tax: num(fromCents((cents * 9n) / 10n)) }] }],
            quantity_discount_plan: [{ schedule: [{ discount_type: 'percent', levels: [{ lower_bound: 10, value: 5 }] }] }],
          },
        ],
        fulfillment_availability: fba !== undefined ? [{ fulfillment_channel_code: 'AMAZON_EU' }] : [{ fulfillment_channel_code: 'DEFAULT', quantity: p.stock, lead_time_to_ship_max_days: 2 }],
      };
      if (fba !== undefined) {
        (l.fbaStock ??= {})[mk] = fba;
        // A shipment on its way to the fulfilment centre and one damaged unit (FBA Inventory API figures).
        (l.fbaInbound ??= {})[mk] = { working: 0, shipped: 12, receiving: 0 };
        (l.fbaUnfulfillable ??= {})[mk] = 1;
      }
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
      fulfilledBy: 'MERCHANT',
      currency: o.currency,
      buyer: { name: o.buyer.name, email: o.buyer.email ?? null },
      shipTo: { name: o.shipTo.name, addressLine1: o.shipTo.line1, city: o.shipTo.city, postalCode: o.shipTo.postalCode, countryCode: o.shipTo.countryCode, addressType: 'RESIDENTIAL' },
      items: o.lines.map((l, i) => ({ orderItemId: String(60000000000000 + n * 100 + i), sku: l.sku, asin: asinFor(l.sku), title: seed.products.find((p) => p.sku === l.sku)?.title ?? l.sku, quantity: l.quantity, unitPrice: l.unitPrice, shipped: o.status === 'shipped' ? l.quantity : 0 })),
      shipping: o.shipping,
      tax: o.tax,
      packages: [],
    };
  }
  // Orders Amazon fulfils (FBA) from its own stock of the FBA listings: one shipped, one not yet.
  if (s.listings['MUG-BLU-L']?.fbaStock?.A1PA6795UKMFR9 !== undefined) {
    const fbaOrder = (id: string, created: string, updated: string, status: string, quantity: number): AmzOrder => ({
      orderId: id,
      marketplaceId: 'A1PA6795UKMFR9',
      createdTime: created,
      lastUpdatedTime: updated,
      status,
      fulfilledBy: 'AMAZON',
      currency: 'EUR',
      buyer: { name: 'Jonas Becker', email: null },
      shipTo: { name: 'Jonas Becker', addressLine1: 'Lindenstraße 4', city: 'Köln', postalCode: '50674', countryCode: 'DE', addressType: 'RESIDENTIAL' },
      items: [{ orderItemId: String(60000000009900 + quantity), sku: 'MUG-BLU-L', asin: asinFor('MUG-BLU-L'), title: seed.products.find((p) => p.sku === 'MUG-BLU-L')?.title ?? 'MUG-BLU-L', quantity, unitPrice: seed.products.find((p) => p.sku === 'MUG-BLU-L')?.prices['amazon-de'] ?? '19.90', shipped: status === 'SHIPPED' ? quantity : 0 }],
      shipping: '0.00',
      tax: '0.00',
      packages: [],
    });
    s.orders['302-1234567-1000004'] = fbaOrder('302-1234567-1000004', '2026-11-16T11:00:00Z', '2026-11-17T08:00:00Z', 'SHIPPED', 3);
    s.orders['302-1234567-1000005'] = fbaOrder('302-1234567-1000005', '2026-11-23T15:30:00Z', '2026-11-23T15:30:00Z', 'UNSHIPPED', 1);
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
/** The order-fulfillment feed (XML): many shipment confirmations in one document. */
const FULFILLMENT_FEED = 'POST_ORDER_FULFILLMENT_DATA';
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
  /** Tunables for tests and demos (POST /_sandbox/limits): the listings feed quota, per-poll stepping. */
  const knobs = { feedQuota: 5, feedPollSteps: 1, fbaInventoryPageSize: 50 };

  /** The regional endpoint a request came to (/amazon/na|eu|fe/…; the bare /amazon/… is EU). */
  const regionOfReq = (req: SbRequest): Region => (req.params.__region as Region | undefined) ?? 'eu';
  const NOT_IN_REGION = (): AmzFail => new AmzFail(403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The marketplaces you provided are not valid for region.' }]);
  /** Marketplaces another region serves are refused as Amazon refuses them (models#5126). */
  function checkRegion(req: SbRequest, ids: readonly string[]): void {
    const region = regionOfReq(req);
    if (ids.some((id) => MARKETPLACES[id] && MARKETPLACES[id]!.region !== region)) throw NOT_IN_REGION();
  }

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
    // A seller who never authorized the app in this region: the bare denial (models#854, #1560).
    if (!SELLER_REGIONS.includes(regionOfReq(req))) throw new AmzFail(403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }]);
    const seller = st().sellers[t.sellerId]!;
    processDueFeeds(seller);
    return seller;
  }

  /** Take a token from the (seller, region, operation) bucket; returns the 2xx header. */
  function throttle(seller: SellerState, op: string, req?: SbRequest): Record<string, string> {
    const [rate, burst] = AMAZON_RATES[op]!;
    const region = req ? regionOfReq(req) : 'eu';
    const b = world.buckets.get(`amazon:${seller.sellerId}:${region}:${op}`, rate, burstOverride[op] ?? burst, world.now());
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

  /** marketplaceIds of a listings call: known ids of this endpoint's region; `max` where the model sets maxItems. */
  function marketplaceIds(req: SbRequest, required = true, max?: number): string[] {
    const raw = req.query.get('marketplaceIds');
    if (!raw) {
      if (required) throw invalid("Missing required 'marketplaceIds' parameter.");
      return [];
    }
    const ids = raw.split(',').map((x) => x.trim()).filter(Boolean);
    for (const id of ids) if (!MARKETPLACES[id]) throw invalid(`Invalid 'marketplaceIds' provided: ${id}.`);
    if (max !== undefined && ids.length > max) throw invalid(`Too many 'marketplaceIds' values provided. Expected a maximum of ${max}.`);
    checkRegion(req, ids);
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

  /** A product type the sandbox has no definition for, or one that is not the listing's own. */
  function productTypeIssue(l: Listing | undefined, sku: string, productType: string, mk: string): Obj | undefined {
    if (!PRODUCT_TYPES.has(productType)) return issue('4000003', 'The Amazon product type specified is invalid or not supported.', 'ERROR', [], ['INVALID_ATTRIBUTE'], mk);
    if (l && l.productType !== productType) return issue('8101', `Invalid ProductType value for SKU: [${sku}]. The listing's product type is ${l.productType}; a listing keeps the product type it was created with.`, 'ERROR', [], ['INVALID_ATTRIBUTE'], mk);
    return undefined;
  }

  function applyPut(s: SellerState, sku: string, productType: string, attrs: Record<string, unknown[]>, mks: string[], preview: boolean, requirements?: string): Submission {
    const pt = productTypeIssue(s.listings[sku], sku, productType, mks[0]!);
    if (pt) return { status: 'INVALID', issues: [pt] };
    // Product types with a definition are checked against its schema (amazon-publish.ts); an offer
    // (LISTING_OFFER_ONLY) needs no product facts, only an ASIN Amazon knows.
    const defined = mks.map((mk) => checkPut(catalog(), productType, requirements, attrs, mk, MARKETPLACES[mk]!));
    const issues = mks.flatMap((mk, i) => [...(defined[i]?.issues ?? []), ...checkAttributes(attrs, mk, requirements !== 'LISTING_OFFER_ONLY' && !defined[i])]);
    if (issues.some((i) => i.severity === 'ERROR')) return { status: 'INVALID', issues };
    if (preview) return { status: 'VALID', issues };
    const now = world.iso();
    const l = s.listings[sku] ?? (s.listings[sku] = { sku, productType, attributes: {}, asin: {}, createdDate: {}, lastUpdatedDate: {}, delayed: [] });
    l.productType = productType;
    for (const mk of mks) {
      l.attributes[mk] = structuredClone(attrs);
      settleFulfilment(l, mk);
      l.asin[mk] ??= defined[mks.indexOf(mk)]?.asin ?? asinFor(sku);
      l.createdDate[mk] ??= now;
      l.lastUpdatedDate[mk] = now;
      if (!attrs.main_product_image_locator) l.delayed.push({ marketplaceId: mk, at: world.now() + 5 * 60_000, issue: issue('18027', 'The listing has no main image; it cannot be shown to buyers until one is added.', 'ERROR', ['main_product_image_locator'], ['MISSING_IMAGE'], mk) });
    }
    return { status: 'ACCEPTED', issues };
  }

  /**
   * The selectors that identify one entry of an attribute (manage-purchasable-offer, merge-a-listing):
   * purchasable_offer by marketplace_id, currency and audience (default ALL); fulfillment_availability
   * by fulfillment_channel_code; other attributes by marketplace_id and language_tag where present.
   */
  function selectorsOf(name: string): string[] {
    if (name === 'purchasable_offer') return ['marketplace_id', 'currency', 'audience'];
    if (name === 'fulfillment_availability') return ['fulfillment_channel_code'];
    return ['marketplace_id', 'language_tag'];
  }
  const selectorValue = (entry: Obj, key: string, name: string): unknown => (name === 'purchasable_offer' && key === 'audience' ? (entry[key] ?? 'ALL') : entry[key]);

  /**
   * JSON Patch `merge`: each value entry updates the existing entry its selectors name (sub-fields it
   * sends replace theirs, an explicit null deletes one, the others stay) or is added; entries it does
   * not name stay. Selector values must not be empty.
   */
  function mergeEntries(name: string, current: unknown[] | undefined, value: unknown[], mk: string): { next: unknown[]; issue?: Obj } {
    const sel = selectorsOf(name);
    const next = structuredClone(current ?? []) as unknown[];
    for (const raw of value) {
      if (!isObject(raw)) return { next, issue: issue('4000001', `The value provided for '${name}' is invalid: each entry must be an object.`, 'ERROR', [name], ['INVALID_ATTRIBUTE'], mk) };
      const strict = name === 'purchasable_offer' || name === 'fulfillment_availability';
      const required = name === 'purchasable_offer' ? ['marketplace_id', 'currency'] : name === 'fulfillment_availability' ? ['fulfillment_channel_code'] : [];
      for (const k of required) {
        if (raw[k] === undefined || raw[k] === null || raw[k] === '') return { next, issue: issue('4000001', `A merge of '${name}' must give a non-empty value for the selector '${k}'.`, 'ERROR', [name], ['INVALID_ATTRIBUTE'], mk) };
      }
      const same = (e: unknown) => isObject(e) && sel.every((k) => (strict || raw[k] !== undefined ? selectorValue(e, k, name) === selectorValue(raw, k, name) : true));
      const at = next.findIndex(same);
      if (at < 0) {
        next.push(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)));
        continue;
      }
      const merged: Obj = { ...(next[at] as Obj) };
      for (const [k, v] of Object.entries(raw)) {
        if (v === null) delete merged[k];
        else merged[k] = structuredClone(v);
      }
      next[at] = merged;
    }
    return { next };
  }

  /**
   * A merchant-fulfilled entry (DEFAULT) written to an FBA listing makes it merchant-fulfilled: the
   * AMAZON_* entry is dropped and Amazon's stock no longer backs the offer.
   */
  function settleFulfilment(l: Listing, mk: string): void {
    const fa = l.attributes[mk]?.fulfillment_availability as Obj[] | undefined;
    if (!fa) return;
    const hasDefault = fa.some((e) => isObject(e) && e.fulfillment_channel_code === 'DEFAULT');
    const fba = fa.filter((e) => isObject(e) && typeof e.fulfillment_channel_code === 'string' && e.fulfillment_channel_code !== 'DEFAULT');
    if (hasDefault && fba.length) l.attributes[mk]!.fulfillment_availability = fa.filter((e) => !fba.includes(e));
    if (hasDefault && l.fbaStock) delete l.fbaStock[mk];
    if (!hasDefault && !fba.length) delete l.attributes[mk]!.fulfillment_availability;
  }

  function applyPatch(s: SellerState, sku: string, productType: string, patches: Obj[], mks: string[], preview: boolean): Submission | 'notfound' {
    const l = s.listings[sku];
    if (!l || !mks.every((mk) => l.attributes[mk])) return 'notfound';
    const pt = productTypeIssue(l, sku, productType, mks[0]!);
    if (pt) return { status: 'INVALID', issues: [pt] };
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
        // add / replace: the attribute becomes exactly the value; what it did not send is gone.
        if (p.op === 'add' || p.op === 'replace') attrs[name] = structuredClone(value!);
        else if (p.op === 'merge') {
          const r = mergeEntries(name, attrs[name], value!, mk);
          if (r.issue) {
            issues.push(r.issue);
            continue;
          }
          attrs[name] = r.next;
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
    if (issues.some((i) => i.severity === 'ERROR')) return { status: 'INVALID', issues };
    if (preview) return { status: 'VALID', issues };
    const now = world.iso();
    for (const mk of mks) {
      l.attributes[mk] = next[mk]!;
      settleFulfilment(l, mk);
      l.lastUpdatedDate[mk] = now;
    }
    return { status: 'ACCEPTED', issues };
  }

  function listingView(l: Listing, mks: string[], included: string[]): Obj {
    const out: Obj = { sku: l.sku };
    const mkHere = mks.filter((mk) => l.attributes[mk]);
    const delayedIssues = (mk: string) => l.delayed.filter((d) => d.marketplaceId === mk && d.at <= world.now() && !l.attributes[mk]?.[(d.issue.attributeNames as string[])[0]!]).map((d) => d.issue);
    /** The merchant's quantity (DEFAULT entry) or, for an FBA listing, the units Amazon holds. */
    const available = (mk: string): number => {
      const fa = (l.attributes[mk]?.fulfillment_availability ?? []) as Obj[];
      const mfn = fa.find((f) => f.fulfillment_channel_code === 'DEFAULT');
      if (mfn) return (mfn.quantity as number | undefined) ?? 0;
      return l.fbaStock?.[mk] ?? 0;
    };
    if (included.includes('summaries')) {
      out.summaries = mkHere.map((mk) => {
        const a = l.attributes[mk]!;
        const qty = available(mk);
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
      out.offers = mkHere.flatMap((mk) =>
        ((l.attributes[mk]!.purchasable_offer ?? []) as Obj[]).flatMap((po) => {
          const v = ((po.our_price as Obj[] | undefined)?.[0]?.schedule as Obj[] | undefined)?.[0]?.value_with_tax as number | undefined;
          if (v === undefined) return [];
          const b2b = po.audience === 'B2B';
          return [{ marketplaceId: mk, offerType: b2b ? 'B2B' : 'B2C', price: { currencyCode: (po.currency as string) ?? MARKETPLACES[mk]!.currency, amount: v.toFixed(2) }, ...(b2b ? { audience: { value: 'B2B', displayName: 'Amazon Business' } } : {}) }];
        }),
      );
    }
    if (included.includes('fulfillmentAvailability')) {
      out.fulfillmentAvailability = mkHere.flatMap((mk) =>
        ((l.attributes[mk]!.fulfillment_availability ?? []) as Obj[]).map((f) => ({ fulfillmentChannelCode: f.fulfillment_channel_code, quantity: f.fulfillment_channel_code === 'DEFAULT' ? f.quantity : (l.fbaStock?.[mk] ?? 0) })),
      );
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
  // Catalog Items search and Product Type Definitions (amazon-publish.ts).
  let catalogCache: CatalogItem[] | undefined;
  const catalog = (): CatalogItem[] => (catalogCache ??= catalogWithSeed(world.seed.products, asinFor));
  definitionsRoutes(
    r,
    {
      world,
      marketplaces: MARKETPLACES,
      auth,
      throttle: (seller, op, req) => throttle(seller as SellerState, op, req),
      marketplaceIds: (req, required, max) => marketplaceIds(req, required, max),
      invalid,
      notFound: (message) => new AmzFail(404, [{ code: 'NotFound', message, details: '' }]),
    },
    catalog,
  );
  r.add('GET', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getListingsItem', req);
    checkSeller(s, req);
    const mks = marketplaceIds(req);
    const inc = included(req, LISTING_INCLUDED, ['summaries']);
    const l = s.listings[req.params.sku!];
    if (!l || !mks.some((mk) => l.attributes[mk])) throw new AmzFail(404, [{ code: 'NOT_FOUND', message: `SKU '${req.params.sku!}' not found in marketplace ${mks.join(',')}`, details: '' }]);
    return json(200, listingView(l, mks, inc), h);
  });
  r.add('PUT', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'putListingsItem', req);
    checkSeller(s, req);
    // One marketplace per listings write (maxItems 1 in the model; the patchListingsItem reference page).
    const mks = marketplaceIds(req, true, 1);
    const b = body(req, V.put);
    const res = applyPut(s, req.params.sku!, b.productType as string, b.attributes as Record<string, unknown[]>, mks, req.query.get('mode') === 'VALIDATION_PREVIEW', b.requirements as string | undefined);
    const inc = included(req, ['identifiers', 'issues'], ['issues']);
    return json(200, { sku: req.params.sku, status: res.status, submissionId: submissionId(), issues: res.issues, ...(inc.includes('identifiers') && res.status === 'ACCEPTED' ? { identifiers: mks.map((mk) => ({ marketplaceId: mk, asin: s.listings[req.params.sku!]!.asin[mk] })) } : {}) }, h);
  });
  r.add('PATCH', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'patchListingsItem', req);
    checkSeller(s, req);
    // One marketplace per listings write (maxItems 1 in the model; the patchListingsItem reference page).
    const mks = marketplaceIds(req, true, 1);
    const b = body(req, V.patch);
    const res = applyPatch(s, req.params.sku!, b.productType as string, b.patches as Obj[], mks, req.query.get('mode') === 'VALIDATION_PREVIEW');
    if (res === 'notfound') throw new AmzFail(404, [{ code: 'NOT_FOUND', message: `SKU '${req.params.sku!}' not found in marketplace ${mks.join(',')}`, details: '' }]);
    const inc = included(req, ['identifiers', 'issues'], ['issues']);
    return json(200, { sku: req.params.sku, status: res.status, submissionId: submissionId(), issues: res.issues, ...(inc.includes('identifiers') && res.status === 'ACCEPTED' ? { identifiers: mks.map((mk) => ({ marketplaceId: mk, asin: s.listings[req.params.sku!]!.asin[mk] })) } : {}) }, h);
  });
  r.add('DELETE', `${L}/:sellerId/:sku`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'deleteListingsItem', req);
    checkSeller(s, req);
    // One marketplace per listings write (maxItems 1 in the model; the patchListingsItem reference page).
    const mks = marketplaceIds(req, true, 1);
    const l = s.listings[req.params.sku!];
    if (!l || !mks.some((mk) => l.attributes[mk])) throw new AmzFail(404, [{ code: 'NOT_FOUND', message: `SKU '${req.params.sku!}' not found in marketplace ${mks.join(',')}`, details: '' }]);
    for (const mk of mks) delete l.attributes[mk];
    if (Object.keys(l.attributes).length === 0) delete s.listings[req.params.sku!];
    return json(200, { sku: req.params.sku, status: 'ACCEPTED', submissionId: submissionId(), issues: [] }, h);
  });
  r.add('GET', `${L}/:sellerId`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'searchListingsItems', req);
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
    const h = throttle(s, 'createFeedDocument', req);
    const b = body(req, V.createDoc);
    s.seq += 1;
    const region = regionOfReq(req);
    const id = `amzn1.tortuga.4.${region === 'fe' ? 'fe' : region === 'na' ? 'na' : 'eu'}.${createHash('md5').update(`doc-${s.seq}-${world.now()}`).digest('hex')}.T${s.seq}`;
    const d: Doc = { id, region, contentType: b.contentType as string, createdMs: world.now(), content: null, kind: 'input' };
    s.docs[id] = d;
    return json(201, { feedDocumentId: id, url: docUrl(d) }, h);
  });
  r.add('GET', `${F}/documents/:id`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getFeedDocument', req);
    const d = s.docs[req.params.id!];
    if (!d || (d.region ?? 'eu') !== regionOfReq(req)) throw new AmzFail(404, [{ code: 'NotFound', message: 'The requested feed document was not found.', details: '' }]);
    return json(200, { feedDocumentId: d.id, url: docUrl(d), ...(d.gzip ? { compressionAlgorithm: 'GZIP' } : {}) }, h);
  });

  const QUEUED_MS = 30_000;
  const PROCESSING_MS = 30_000;
  /**
   * Feeds are processed asynchronously: 30 s queued and 30 s in progress on the sandbox clock (or one
   * step per getFeed poll while the feedPollSteps knob is on, whichever is further). A feed whose time
   * has come is applied before any later request of its seller is handled, so listings change in the
   * order Amazon would apply them, and processingEndTime says when.
   */
  function feedStatus(s: SellerState, f: Feed): Feed {
    if (f.status === 'CANCELLED' || f.status === 'DONE' || f.status === 'FATAL') return f;
    const elapsed = world.now() - f.createdMs;
    const byTime = elapsed >= QUEUED_MS + PROCESSING_MS ? 2 : elapsed >= QUEUED_MS ? 1 : 0;
    const byPolls = knobs.feedPollSteps > 0 ? Math.min(2, f.polls - 1) : 0;
    const stage = Math.max(byTime, byPolls);
    if (stage >= 1 && f.status === 'IN_QUEUE') {
      f.status = 'IN_PROGRESS';
      f.processingStartTime = world.iso(Math.min(world.now(), f.createdMs + QUEUED_MS));
    }
    if (stage >= 2 && f.status === 'IN_PROGRESS') processFeed(s, f, byTime >= 2 ? f.createdMs + QUEUED_MS + PROCESSING_MS : world.now());
    return f;
  }

  function processDueFeeds(s: SellerState): void {
    const due = Object.values(s.feeds)
      .filter((f) => (f.status === 'IN_QUEUE' || f.status === 'IN_PROGRESS') && world.now() - f.createdMs >= QUEUED_MS + PROCESSING_MS)
      .sort((a, b) => a.createdMs - b.createdMs);
    for (const f of due) feedStatus(s, f);
  }

  function processFeed(s: SellerState, f: Feed, endMs: number): void {
    if (f.feedType === FULFILLMENT_FEED) return processFulfillmentFeed(s, f, endMs);
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
    s.docs[rid] = { id: rid, region: f.region, contentType: 'application/json; charset=UTF-8', createdMs: world.now(), content: gzipSync(JSON.stringify(report)).toString('base64'), kind: 'result', gzip: true };
    f.status = fatal ? 'FATAL' : 'DONE';
    f.processingEndTime = world.iso(Math.min(world.now(), endMs));
    f.resultFeedDocumentId = rid;
  }

  /**
   * POST_ORDER_FULFILLMENT_DATA (XML, amzn-envelope + OrderFulfillment; docs/sandbox.md cites the
   * sources): the document is parsed and checked strictly. A document-level fault (not XML, wrong
   * envelope, another seller's MerchantIdentifier, not text/xml) applies nothing and reports one Error
   * with MessageID 0. Otherwise each message is applied or refused on its own (unknown order or order
   * item code, a quantity above what is unshipped, no tracking number, an unknown carrier code, an FBA or
   * cancelled order, a tracking number already confirmed): its shipment lands on the order (getOrder
   * PACKAGES shows it, the order becomes PARTIALLY_SHIPPED / SHIPPED) or the processing report carries an
   * Error result for its MessageID. The report is XML (gzip, like Amazon's result documents).
   */
  function processFulfillmentFeed(s: SellerState, f: Feed, endMs: number): void {
    const input = s.docs[f.inputFeedDocumentId];
    const results: Obj[] = [];
    let processed = 0;
    let ok = 0;
    const docError = (code: string, message: string) => results.push({ MessageID: '0', ResultCode: 'Error', ResultMessageCode: code, ResultDescription: message });
    const text = input?.content ?? null;
    let env: Obj | undefined;
    if (text === null) docError('5000', 'The feed document was never uploaded.');
    else if (!/^text\/xml\b/i.test(input!.contentType)) docError('5000', `An XML feed must be uploaded as text/xml; the document was declared ${input!.contentType}.`);
    else {
      const valid = XMLValidator.validate(text);
      if (valid !== true) docError('5000', `XML Parsing Fatal Error at Line ${valid.err.line}, Column ${valid.err.col}: ${valid.err.msg}`);
      else {
        const parsed = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (n) => n === 'Message' || n === 'Item' }).parse(text) as Obj;
        env = isObject(parsed.AmazonEnvelope) ? (parsed.AmazonEnvelope as Obj) : undefined;
        const hdr = (env && isObject(env.Header) ? env.Header : {}) as Obj;
        if (!env) docError('5001', 'The root element must be AmazonEnvelope.');
        else if (!hdr.DocumentVersion || !hdr.MerchantIdentifier) docError('5001', 'The Header must hold DocumentVersion and MerchantIdentifier.');
        else if (hdr.MerchantIdentifier !== s.sellerId) docError('5001', `The MerchantIdentifier (${String(hdr.MerchantIdentifier)}) does not match the seller that submitted the feed.`);
        else if (env.MessageType !== 'OrderFulfillment') docError('5001', `MessageType ${String(env.MessageType)} does not match the feed type ${FULFILLMENT_FEED} (OrderFulfillment).`);
        else if (!Array.isArray(env.Message) || !env.Message.length) docError('5001', 'The envelope holds no Message.');
      }
    }
    const hasDocError = results.length > 0;
    const msgs = hasDocError || !env ? [] : (env.Message as unknown[]);
    const seen = new Set<string>();
    const ORDER = ['MessageID', 'OrderFulfillment'];
    const OF_ORDER = ['AmazonOrderID', 'MerchantFulfillmentID', 'FulfillmentDate', 'FulfillmentData', 'Item'];
    for (const raw of msgs) {
      processed += 1;
      const m = (isObject(raw) ? raw : {}) as Obj;
      const id = typeof m.MessageID === 'string' ? m.MessageID : '';
      const fail = (code: string, message: string, orderId?: string) => results.push({ MessageID: id || '0', ResultCode: 'Error', ResultMessageCode: code, ResultDescription: message, ...(orderId ? { AdditionalInfo: { AmazonOrderID: orderId } } : {}) });
      if (!/^[1-9]\d{0,19}$/.test(id) || seen.has(id)) {
        fail('5001', id && seen.has(id) ? `MessageID ${id} is used twice in this feed.` : 'MessageID must be a positive integer.');
        continue;
      }
      seen.add(id);
      const keys = Object.keys(m);
      if (keys.some((k) => !ORDER.includes(k)) || !isObject(m.OrderFulfillment)) {
        fail('5001', `The Message must hold MessageID then OrderFulfillment (found ${keys.join(', ')}).`);
        continue;
      }
      const of = m.OrderFulfillment as Obj;
      const ofKeys = Object.keys(of);
      const unknown = ofKeys.find((k) => !OF_ORDER.includes(k));
      const outOfOrder = ofKeys.some((k, i) => i > 0 && OF_ORDER.indexOf(k) < OF_ORDER.indexOf(ofKeys[i - 1]!));
      if (unknown || outOfOrder) {
        fail('5001', unknown ? `Element ${unknown} is not allowed in OrderFulfillment (MerchantOrderID is not supported by this sandbox).` : `The elements of OrderFulfillment are out of order: expected ${OF_ORDER.join(', ')}.`);
        continue;
      }
      const orderId = typeof of.AmazonOrderID === 'string' ? of.AmazonOrderID : '';
      const o = s.orders[orderId];
      if (!orderId) {
        fail('5001', 'AmazonOrderID is required.');
        continue;
      }
      if (!o || !f.marketplaceIds.includes(o.marketplaceId)) {
        fail('18028', `The order id ${orderId} was not found for this seller in the feed's marketplaces.`, orderId);
        continue;
      }
      if (o.fulfilledBy === 'AMAZON') {
        fail('18028', `Order ${orderId} is fulfilled by Amazon; Amazon confirms its shipment.`, orderId);
        continue;
      }
      if (o.status === 'CANCELLED') {
        fail('18028', `Order ${orderId} is cancelled.`, orderId);
        continue;
      }
      if (typeof of.FulfillmentDate !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(of.FulfillmentDate)) {
        fail('5001', `FulfillmentDate must be an xsd:dateTime (got ${String(of.FulfillmentDate ?? 'nothing')}).`, orderId);
        continue;
      }
      const fd = (isObject(of.FulfillmentData) ? of.FulfillmentData : {}) as Obj;
      const fdKeys = Object.keys(fd);
      if (fdKeys.some((k) => !['CarrierCode', 'CarrierName', 'ShippingMethod', 'ShipperTrackingNumber'].includes(k)) || (fd.CarrierCode !== undefined) === (fd.CarrierName !== undefined)) {
        fail('5001', 'FulfillmentData holds either CarrierCode or CarrierName, then ShippingMethod and ShipperTrackingNumber.', orderId);
        continue;
      }
      if (fd.CarrierCode !== undefined && (fd.CarrierCode === 'Other' || !AMAZON_CARRIERS.has(String(fd.CarrierCode)))) {
        fail('18052', `CarrierCode ${String(fd.CarrierCode)} is not one of Amazon's carrier codes; send CarrierName for another carrier.`, orderId);
        continue;
      }
      const tracking = typeof fd.ShipperTrackingNumber === 'string' ? fd.ShipperTrackingNumber : '';
      if (!tracking) {
        fail('18060', `Order ${orderId}: ShipperTrackingNumber is missing; a shipment confirmation needs a valid tracking number.`, orderId);
        continue;
      }
      const carrier = String(fd.CarrierCode ?? fd.CarrierName);
      if (o.packages.some((p) => p.trackingNumber === tracking)) {
        fail('18060', `Tracking number ${tracking} was already confirmed for order ${orderId}.`, orderId);
        continue;
      }
      const items = ((of.Item as unknown[] | undefined) ?? []).map((x) => (isObject(x) ? x : {}) as Obj);
      const want = new Map<string, number>();
      let bad: string | undefined;
      for (const it of items) {
        const code = typeof it.AmazonOrderItemCode === 'string' ? it.AmazonOrderItemCode : '';
        const q = typeof it.Quantity === 'string' && /^[1-9]\d*$/.test(it.Quantity) ? Number(it.Quantity) : NaN;
        if (!o.items.some((i) => i.orderItemId === code)) bad ??= `Order ${orderId} has no item with AmazonOrderItemCode ${code || '(missing)'}.`;
        else if (!Number.isFinite(q)) bad ??= `Quantity of AmazonOrderItemCode ${code} must be a positive integer.`;
        else want.set(code, (want.get(code) ?? 0) + q);
      }
      // No Item: the whole order (what is left of it) shipped.
      if (!items.length) for (const i of o.items) if (i.quantity > i.shipped) want.set(i.orderItemId, i.quantity - i.shipped);
      for (const [code, q] of want) {
        const i = o.items.find((x) => x.orderItemId === code)!;
        if (i.shipped + q > i.quantity) bad ??= `Quantity ${q} of AmazonOrderItemCode ${code} is more than the ${i.quantity - i.shipped} unshipped on order ${orderId}.`;
      }
      if (!want.size) bad ??= `Order ${orderId} has nothing left to ship.`;
      if (bad) {
        fail('18028', bad, orderId);
        continue;
      }
      for (const [code, q] of want) o.items.find((x) => x.orderItemId === code)!.shipped += q;
      s.seq += 1;
      o.packages.push({ packageReferenceId: String(900000 + s.seq), createdTime: world.iso(), packageStatus: { status: 'IN_TRANSIT' }, carrier, shipTime: of.FulfillmentDate, shippingService: typeof fd.ShippingMethod === 'string' ? fd.ShippingMethod : 'Standard', trackingNumber: tracking, packageItems: [...want].map(([orderItemId, quantity]) => ({ orderItemId, quantity })) });
      o.status = o.items.every((i) => i.shipped >= i.quantity) ? 'SHIPPED' : 'PARTIALLY_SHIPPED';
      o.lastUpdatedTime = world.iso().replace('.000Z', 'Z');
      ok += 1;
    }
    const errored = new Set(results.map((r) => r.MessageID)).size;
    const report = {
      '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
      AmazonEnvelope: {
        Header: { DocumentVersion: '1.02', MerchantIdentifier: s.sellerId },
        MessageType: 'ProcessingReport',
        Message: {
          MessageID: '1',
          ProcessingReport: {
            DocumentTransactionID: f.feedId,
            StatusCode: 'Complete',
            ProcessingSummary: { MessagesProcessed: processed, MessagesSuccessful: ok, MessagesWithError: hasDocError ? processed : errored, MessagesWithWarning: 0 },
            ...(results.length ? { Result: results } : {}),
          },
        },
      },
    };
    const xml = new XMLBuilder({ ignoreAttributes: false, format: true }).build(report) as string;
    s.seq += 1;
    const rid = `amzn1.tortuga.4.${f.region ?? 'eu'}.${createHash('md5').update(`res-${s.seq}`).digest('hex')}.T${s.seq}`;
    s.docs[rid] = { id: rid, region: f.region, contentType: 'text/xml; charset=UTF-8', createdMs: world.now(), content: gzipSync(xml).toString('base64'), kind: 'result', gzip: true };
    f.status = 'DONE';
    f.processingEndTime = world.iso(Math.min(world.now(), endMs));
    f.resultFeedDocumentId = rid;
  }

  const feedView = (f: Feed): Obj => ({ feedId: f.feedId, feedType: f.feedType, marketplaceIds: f.marketplaceIds, createdTime: f.createdTime, processingStatus: f.status, ...(f.processingStartTime ? { processingStartTime: f.processingStartTime } : {}), ...(f.processingEndTime ? { processingEndTime: f.processingEndTime } : {}), ...(f.resultFeedDocumentId ? { resultFeedDocumentId: f.resultFeedDocumentId } : {}) });

  r.add('POST', `${F}/feeds`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'createFeed', req);
    const b = body(req, V.createFeed);
    if (b.feedType === FULFILLMENT_FEED) {
      // Order feeds may name several marketplaces of the endpoint's region (the orders' own).
      const omks = b.marketplaceIds as string[];
      if (omks.length < 1 || omks.length > 25) throw invalid("'marketplaceIds' must hold 1 to 25 marketplace identifiers.");
      for (const mk of omks) if (!MARKETPLACES[mk]) throw invalid(`Invalid 'marketplaceIds' provided: ${mk}.`);
      checkRegion(req, omks);
      const oregion = regionOfReq(req);
      const od = s.docs[b.inputFeedDocumentId as string];
      if (!od || od.kind !== 'input' || (od.region ?? 'eu') !== oregion) throw invalid(`Invalid 'inputFeedDocumentId': ${String(b.inputFeedDocumentId)}.`);
      s.seq += 1;
      const fid = String(50000000000 + s.seq);
      const at = world.now();
      s.feeds[fid] = { feedId: fid, region: oregion, feedType: FULFILLMENT_FEED, marketplaceIds: omks, inputFeedDocumentId: od.id, createdTime: world.iso(at), createdMs: at, polls: 0, status: 'IN_QUEUE' };
      return json(202, { feedId: fid }, h);
    }
    if (b.feedType !== 'JSON_LISTINGS_FEED') throw invalid(`Feed type ${String(b.feedType)} is not supported. XML and flat-file listings feeds were removed on 2025-07-31; use JSON_LISTINGS_FEED.`);
    const mks = b.marketplaceIds as string[];
    if (mks.length < 1 || mks.length > 25) throw invalid("'marketplaceIds' must hold 1 to 25 marketplace identifiers.");
    for (const mk of mks) if (!MARKETPLACES[mk]) throw invalid(`Invalid 'marketplaceIds' provided: ${mk}.`);
    // JSON_LISTINGS_FEED applies to one marketplace only (models#4726, still so in models#5049, 2025-11).
    if (mks.length > 1) throw invalid("Too many 'marketplaceIds' values provided. Expected a maximum of 1.");
    checkRegion(req, mks);
    const region = regionOfReq(req);
    const d = s.docs[b.inputFeedDocumentId as string];
    if (!d || d.kind !== 'input' || (d.region ?? 'eu') !== region) throw invalid(`Invalid 'inputFeedDocumentId': ${String(b.inputFeedDocumentId)}.`);
    const now = world.now();
    // 5 JSON_LISTINGS_FEED submissions per 5 minutes per region (changelog, May 2025), apart from createFeed's bucket.
    if (Array.isArray(s.listingFeedTimes)) s.listingFeedTimes = { eu: s.listingFeedTimes };
    const times = (s.listingFeedTimes[region] ?? []).filter((t) => now - t < 300_000);
    if (times.length >= knobs.feedQuota) throw new AmzFail(429, [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }]);
    times.push(now);
    s.listingFeedTimes[region] = times;
    s.seq += 1;
    const feedId = String(50000000000 + s.seq);
    s.feeds[feedId] = { feedId, region, feedType: 'JSON_LISTINGS_FEED', marketplaceIds: mks, inputFeedDocumentId: d.id, createdTime: world.iso(now), createdMs: now, polls: 0, status: 'IN_QUEUE' };
    return json(202, { feedId }, h);
  });
  r.add('GET', `${F}/feeds/:feedId`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getFeed', req);
    const f = s.feeds[req.params.feedId!];
    if (!f || (f.region ?? 'eu') !== regionOfReq(req)) throw new AmzFail(404, [{ code: 'NotFound', message: 'The requested feed was not found.', details: '' }]);
    f.polls += 1;
    return json(200, feedView(feedStatus(s, f)), h);
  });
  r.add('DELETE', `${F}/feeds/:feedId`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'cancelFeed', req);
    const f = s.feeds[req.params.feedId!];
    if (!f) throw new AmzFail(404, [{ code: 'NotFound', message: 'The requested feed was not found.', details: '' }]);
    feedStatus(s, f);
    if (f.status !== 'IN_QUEUE') throw invalid(`The feed is ${f.status} and can only be cancelled while IN_QUEUE.`);
    f.status = 'CANCELLED';
    return { status: 200, headers: h };
  });
  r.add('GET', `${F}/feeds`, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getFeeds', req);
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
    if (inc.includes('FULFILLMENT')) out.fulfillment = { fulfillmentStatus: o.status, fulfilledBy: o.fulfilledBy ?? 'MERCHANT', fulfillmentServiceLevel: 'STANDARD' };
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
    const h = throttle(s, 'searchOrders', req);
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
      if (mks) checkRegion(req, mks);
      // Without marketplaceIds: the seller's marketplaces of this endpoint's region.
      q.marketplaceIds = mks ?? Object.keys(MARKETPLACES).filter((id) => MARKETPLACES[id]!.region === regionOfReq(req));
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
        if (q.fulfilledBy && !q.fulfilledBy.includes(o.fulfilledBy ?? 'MERCHANT')) return false;
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
    const h = throttle(s, 'getOrder', req);
    const o = s.orders[req.params.orderId!];
    if (!o || MARKETPLACES[o.marketplaceId]!.region !== regionOfReq(req)) throw new AmzFail(404, [{ code: 'NotFound', message: `Order ${req.params.orderId!} not found.`, details: '' }]);
    return json(200, { order: orderView(o, included(req, ORDER_INCLUDED, [])) }, h);
  });
  r.add('POST', '/orders/v0/orders/:orderId/shipmentConfirmation', (req) => {
    const s = auth(req);
    const h = throttle(s, 'confirmShipment', req);
    const o = s.orders[req.params.orderId!];
    if (!o) throw new AmzFail(404, [{ code: 'NotFound', message: `Order ${req.params.orderId!} not found.`, details: '' }]);
    const b = body(req, V.confirm);
    checkRegion(req, [String(b.marketplaceId)]);
    if (b.marketplaceId !== o.marketplaceId) throw invalid(`The order belongs to marketplace ${o.marketplaceId}.`);
    if (o.fulfilledBy === 'AMAZON') throw invalid('The order is fulfilled by Amazon; Amazon confirms its shipment.');
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

  // ---- FBA Inventory v1 (fbaInventory.json) ----
  // getInventorySummaries: granularityType=Marketplace (the only value of the enum) with granularityId =
  // the marketplace, marketplaceIds (required, maxItems 1, of this endpoint's region), details=true for
  // inventoryDetails, sellerSkus (≤ 50) or sellerSku, startDateTime (changes since; ≤ 18 months back),
  // nextToken (expires 30 s after it was issued; with startDateTime it must be sent again). Pages of 50.
  // Only SKUs Amazon holds or expects (FBA listings of that marketplace) have summaries.
  const FBA_PATH = '/fba/inventory/v1/summaries';
  interface FbaCursor {
    mk: string;
    pos: number;
    issued: number;
    details: boolean;
    skus: string[] | null;
    start: string | null;
  }
  r.add('GET', FBA_PATH, (req) => {
    const s = auth(req);
    const h = throttle(s, 'getInventorySummaries', req);
    const gType = req.query.get('granularityType');
    if (!gType) throw invalid("Missing required 'granularityType' parameter.");
    if (gType !== 'Marketplace') throw invalid(`Invalid 'granularityType' provided: ${gType}. Valid values: Marketplace.`);
    const gId = req.query.get('granularityId');
    if (!gId) throw invalid("Missing required 'granularityId' parameter.");
    const mks = marketplaceIds(req, true, 1);
    if (!MARKETPLACES[gId]) throw invalid(`Invalid 'granularityId' provided: ${gId}.`);
    if (gId !== mks[0]) throw invalid(`The 'granularityId' (${gId}) must be the marketplace in 'marketplaceIds' (${mks[0]}).`);
    const raw = req.query.get('nextToken');
    let cur: FbaCursor;
    if (raw) {
      try {
        cur = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as FbaCursor;
      } catch {
        throw invalid('Invalid nextToken.');
      }
      if (cur.mk !== mks[0]) throw invalid('The nextToken does not belong to this marketplace.');
      if (world.now() - cur.issued > 30_000) throw invalid('The nextToken has expired. Tokens expire 30 seconds after they are issued; request the first page again.');
      if (cur.start && req.query.get('startDateTime') === null) throw invalid("'startDateTime' must be sent again with the 'nextToken' of a query that used it.");
    } else {
      const skusRaw = req.query.get('sellerSkus');
      const one = req.query.get('sellerSku');
      const skus = skusRaw ? skusRaw.split(',').map((x) => x.trim()).filter(Boolean) : one ? [one] : null;
      if (skus && skus.length > 50) throw invalid("Too many 'sellerSkus' values provided. Expected a maximum of 50.");
      const start = req.query.get('startDateTime');
      if (start !== null) {
        const t = Date.parse(start);
        if (!Number.isFinite(t)) throw invalid(`'startDateTime' must be an ISO 8601 date-time, got '${start}'.`);
        if (t < world.now() - 548 * 86_400_000) throw invalid("'startDateTime' must be no earlier than 18 months ago.");
      }
      const details = req.query.get('details') === 'true';
      cur = { mk: mks[0]!, pos: 0, issued: 0, details, skus: start ? null : skus, start: start ? new Date(Date.parse(start)).toISOString() : null };
    }
    const mk = cur.mk;
    const held = Object.values(s.listings)
      .filter((l) => l.fbaStock?.[mk] !== undefined || ((l.attributes[mk]?.fulfillment_availability ?? []) as Obj[]).some((f) => f.fulfillment_channel_code !== 'DEFAULT'))
      .filter((l) => !cur.skus || cur.skus.includes(l.sku))
      .filter((l) => !cur.start || (l.lastUpdatedDate[mk] ?? '') >= cur.start)
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const size = Math.max(1, knobs.fbaInventoryPageSize);
    const page = held.slice(cur.pos, cur.pos + size);
    const reservedFor = (sku: string) =>
      Object.values(s.orders)
        .filter((o) => o.fulfilledBy === 'AMAZON' && o.marketplaceId === mk && (o.status === 'UNSHIPPED' || o.status === 'PENDING' || o.status === 'PARTIALLY_SHIPPED'))
        .reduce((a, o) => a + o.items.filter((i) => i.sku === sku).reduce((x, i) => x + i.quantity - i.shipped, 0), 0);
    const summaries = page.map((l) => {
      const fulfillable = l.fbaStock?.[mk] ?? 0;
      const inbound = l.fbaInbound?.[mk] ?? { working: 0, shipped: 0, receiving: 0 };
      const reserved = reservedFor(l.sku);
      const damaged = l.fbaUnfulfillable?.[mk] ?? 0;
      const item = world.seed.products.find((p) => p.sku === l.sku);
      const out: Obj = {
        asin: l.asin[mk] ?? asinFor(l.sku),
        fnSku: `X00${createHash('md5').update(l.sku).digest('hex').slice(0, 7).toUpperCase()}`,
        sellerSku: l.sku,
        condition: 'NewItem',
        lastUpdatedTime: l.lastUpdatedDate[mk] ?? '2026-10-01T09:00:00Z',
        productName: item?.title ?? l.sku,
        totalQuantity: fulfillable + reserved + damaged + inbound.working + inbound.shipped + inbound.receiving,
        stores: [],
      };
      if (cur.details) {
        out.inventoryDetails = {
          fulfillableQuantity: fulfillable,
          inboundWorkingQuantity: inbound.working,
          inboundShippedQuantity: inbound.shipped,
          inboundReceivingQuantity: inbound.receiving,
          reservedQuantity: { totalReservedQuantity: reserved, pendingCustomerOrderQuantity: reserved, pendingTransshipmentQuantity: 0, fcProcessingQuantity: 0 },
          researchingQuantity: { totalResearchingQuantity: 0, researchingQuantityBreakdown: [] },
          unfulfillableQuantity: { totalUnfulfillableQuantity: damaged, customerDamagedQuantity: 0, warehouseDamagedQuantity: damaged, distributorDamagedQuantity: 0, carrierDamagedQuantity: 0, defectiveQuantity: 0, expiredQuantity: 0 },
        };
      }
      return out;
    });
    const more = cur.pos + size < held.length;
    const next = more ? Buffer.from(JSON.stringify({ ...cur, pos: cur.pos + size, issued: world.now() })).toString('base64url') : undefined;
    return json(200, { payload: { granularity: { granularityType: 'Marketplace', granularityId: mk }, inventorySummaries: summaries }, ...(next ? { pagination: { nextToken: next } } : {}) }, h);
  });

  // ---- sellers ----
  r.add('GET', '/sellers/v1/marketplaceParticipations', (req) => {
    const s = auth(req);
    const h = throttle(s, 'getMarketplaceParticipations', req);
    // The participations of the endpoint's region (a region's endpoint knows its own marketplaces).
    return json(200, { payload: cred.marketplaceIds.filter((id) => MARKETPLACES[id]!.region === regionOfReq(req)).map((id) => { const m = MARKETPLACES[id]!; return { marketplace: { id, name: m.name, countryCode: m.countryCode, defaultCurrencyCode: m.currency, defaultLanguageCode: m.language, domainName: m.domain }, participation: { isParticipating: true, hasSuspendedListings: false }, storeName: 'Lindqvist Keramik' }; }) }, h);
  });

  return {
    name: 'amazon',
    prefix: '/amazon',
    secrets: () => [...Object.keys(st().refreshTokens), ...Object.keys(st().accessTokens), cred.clientSecret],
    async handle(req) {
      if (req.path === '/auth/o2/token') return lwa(req);
      if (req.path.startsWith('/_s3/')) return s3(req);
      if (req.path.startsWith('/_schemas/')) return serveSchema(req, MARKETPLACES);
      // Three regional endpoints under one prefix: /amazon/na, /amazon/eu, /amazon/fe (the bare
      // /amazon is the EU endpoint, as before regions were emulated).
      const rm = /^\/(na|eu|fe)(\/.*)?$/.exec(req.path);
      const region: Region = (rm?.[1] as Region | undefined) ?? 'eu';
      const path = rm ? rm[2] ?? '/' : req.path;
      if (path === '/auth/o2/token') return lwa(req);
      const m = r.match(req.method, path);
      let res: SbResponse;
      if (m.kind === 'none') res = json(404, { errors: [{ code: 'NotFound', message: 'Resource not found', details: '' }] });
      else if (m.kind === 'method') res = json(405, { errors: [{ code: 'MethodNotAllowed', message: `Method ${req.method} is not allowed for this resource.`, details: '' }] });
      else {
        req.params = { ...m.params, __region: region };
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
      if (name === 'JSON_LISTINGS_FEED') {
        knobs.feedQuota = value;
        return true;
      }
      if (name === 'feedPollSteps') {
        knobs.feedPollSteps = value;
        return true;
      }
      if (name === 'fbaInventoryPageSize') {
        knobs.fbaInventoryPageSize = value;
        return true;
      }
      if (!AMAZON_RATES[name]) return false;
      burstOverride[name] = value;
      world.buckets.clear();
      return true;
    },
  };
}
