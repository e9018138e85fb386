// api.ebay.com emulator: OAuth (refresh and client-credentials grants, Basic client auth, 7200 s
// tokens, a refresh asking for more than the seller consented to refused with invalid_scope), Sell
// Inventory (items by SKU, offers — one marketplace per SKU —, publish/withdraw, locations, bulk calls
// capped at 25 with HTTP 207 per-entry statuses, bulkMigrateListing for listings made in Seller Hub or
// the Trading API, which the Inventory API cannot see until migrated), Sell Feed's Active Inventory
// Report (a ZIP of eBay's XML), Sell Account policies (read), Sell Fulfillment orders (newest created
// first) with the filter= mini-grammar and limit/offset, shipping fulfilments, daily call quotas (429
// errorId 2001), Content-Language / Accept-Language checks, and eBay's error envelope
// {errors:[{errorId,domain,category,message,…}]}. Error ids are those of eBay's published error tables
// (see docs/sandbox.md for the ones that are only plausible).

import { Ajv, type ValidateFunction } from 'ajv';
import { zipSync, strToU8 } from 'fflate';
import type { ApiModule } from './api.js';
import { SANDBOX_CREDENTIALS } from './credentials.js';
import { bulkGetSchema, bulkInventoryItemSchema, bulkMigrateSchema, bulkOfferSchema, bulkPriceQuantitySchema, bulkPublishSchema, createOfferSchema, inventoryItemSchema, inventoryTaskSchema, locationSchema, offerSchema, shippingFulfillmentSchema } from './ebay-schemas.js';
import { header, isObject, json, Router, type SbRequest, type SbResponse } from './http.js';
import { fromCents, toCents, type DemoSeed } from './seed.js';
import type { World } from './world.js';
import { aspectProblems, aspectView, CATEGORY_TREES, categoryOf, inventoryItemGroupSchema, publishByGroupSchema, suggest, suggestionView } from './ebay-publish.js';

type Obj = Record<string, unknown>;

interface EbError {
  errorId: number;
  domain: string;
  subdomain?: string;
  category: 'REQUEST' | 'APPLICATION' | 'BUSINESS';
  message: string;
  longMessage?: string;
  inputRefIds?: string[];
  parameters?: Array<{ name: string; value: string }>;
}

class EbayFail extends Error {
  constructor(
    readonly status: number,
    readonly errors: EbError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0]?.message ?? 'error');
  }
}

interface Offer {
  offerId: string;
  sku: string;
  marketplaceId: string;
  format: string;
  body: Obj;
  status: 'UNPUBLISHED' | 'PUBLISHED';
  listingId: string | null;
  listingStatus: 'ACTIVE' | 'ENDED' | null;
  revisions: Record<string, number>;
}

interface EbayOrder {
  orderId: string;
  creationDate: string;
  lastModifiedDate: string;
  fulfillment: 'NOT_STARTED' | 'IN_PROGRESS' | 'FULFILLED';
  cancelled: boolean;
  currency: string;
  convertedFrom: { currency: string; rate: string } | null;
  buyer: { username: string; name: string; email: string | null };
  shipTo: { fullName: string; addressLine1: string; city: string; postalCode: string; countryCode: string };
  /** listingMarketplaceId: the site of the listing the line was bought from (the seller's storefront). */
  lines: Array<{ lineItemId: string; legacyItemId: string; sku: string; title: string; quantity: number; unitPrice: string; fulfilled: boolean; listingMarketplaceId?: string }>;
  shipping: string;
  tax: string;
  /** The site the buyer bought on (purchaseMarketplaceId); a line's listing may live on another site. */
  marketplaceId: string;
  fulfillments: Array<{ fulfillmentId: string; shippedDate: string; shippingCarrierCode: string; trackingNumber: string; lineItems: Array<{ lineItemId: string; quantity: number }> }>;
}

/**
 * A listing made in Seller Hub or with the Trading API. The Inventory API does not see it (no inventory
 * item, no offer) until bulkMigrateListing converts it; the Active Inventory Report and orders do.
 */
export interface LegacyListing {
  listingId: string;
  marketplaceId: string;
  format: 'FIXED_PRICE' | 'AUCTION';
  title: string;
  currency: string;
  /** One entry for a single-item listing, one per variation otherwise; sku null = no custom label. */
  items: Array<{ sku: string | null; price: string; quantity: number; aspects?: Record<string, string> }>;
  /** Payment, return and shipping business policies (legacy fields otherwise). */
  businessPolicies: boolean;
  postalCode: string | null;
  status: 'ACTIVE' | 'MIGRATED' | 'ENDED';
}

interface FeedTask {
  taskId: string;
  feedType: string;
  schemaVersion: string;
  marketplaceId: string;
  listingFormat: string | null;
  status: 'QUEUED' | 'IN_PROCESS' | 'COMPLETED';
  creationDate: string;
  completionDate: string | null;
  polls: number;
  /** The report, taken when the task was created. */
  rows: Array<{ listingId: string; format: string; currency: string; items: Array<{ sku: string | null; price: string; quantity: number }>; variations: boolean }>;
}

interface Seller {
  username: string;
  items: Record<string, Obj>;
  offers: Record<string, Offer>;
  locations: Record<string, Obj>;
  policies: { fulfillment: Obj[]; payment: Obj[]; return: Obj[] };
  orders: Record<string, EbayOrder>;
  seq: number;
  /** listing id → listing made outside the Inventory API (absent in state files from older sandboxes). */
  legacy?: Record<string, LegacyListing>;
  /** Sell Feed inventory tasks by id. */
  tasks?: Record<string, FeedTask>;
  /** inventoryItemGroupKey → SKUs (groups created by migrating a multiple-variation listing). */
  groups?: Record<string, string[]>;
  /** inventoryItemGroupKey → the group as createOrReplaceInventoryItemGroup set it (ebay-publish.ts). */
  itemGroups?: Record<string, Obj>;
}

interface EbayState {
  sellers: Record<string, Seller>;
  /** refresh token → seller username */
  refreshTokens: Record<string, string>;
  /** refresh token → the scopes the seller consented to (absent: every scope the app may ask for). */
  consents?: Record<string, string[]>;
  /** access token → grant */
  accessTokens: Record<string, { user: string | null; expiresAt: number; scopes: string[] }>;
  /** "api:YYYY-MM-DD" → calls */
  quota: Record<string, number>;
}

export const EBAY_DAILY_LIMITS: Record<string, number> = { taxonomy: 5_000, inventory: 2_000_000, fulfillment: 100_000, account: 25_000, feed: 100_000, oauth_refresh: 50_000 };
const MARKET_CURRENCY: Record<string, string> = { EBAY_US: 'USD', EBAY_GB: 'GBP', EBAY_DE: 'EUR', EBAY_FR: 'EUR', EBAY_IT: 'EUR', EBAY_ES: 'EUR', EBAY_AU: 'AUD', EBAY_CA: 'CAD', EBAY_AT: 'EUR', EBAY_BE: 'EUR', EBAY_CH: 'CHF', EBAY_IE: 'EUR', EBAY_NL: 'EUR', EBAY_PL: 'PLN' };
const LANGUAGES = ['en-US', 'en-GB', 'en-AU', 'en-CA', 'en-IE', 'fr-FR', 'fr-CA', 'fr-BE', 'de-DE', 'de-AT', 'de-CH', 'it-IT', 'es-ES', 'nl-NL', 'nl-BE', 'pl-PL', 'zh-HK'];
const SCOPE_BASE = 'https://api.ebay.com/oauth/api_scope';
/** Every scope this emulator knows (an unknown one is invalid_scope). */
const KNOWN_SCOPES = ['', '/sell.inventory', '/sell.inventory.readonly', '/sell.fulfillment', '/sell.fulfillment.readonly', '/sell.account', '/sell.account.readonly', '/sell.finances', '/sell.marketing', '/sell.marketing.readonly', '/sell.analytics.readonly'].map((x) => SCOPE_BASE + x);
/**
 * What the sandbox seller consented to when the refresh token was minted: what merchant needs
 * (inventory, fulfillment), plus read access to business policies. A refresh may ask for these or a
 * subset, never for more (https://developer.ebay.com/api-docs/static/oauth-refresh-token-request.html).
 */
export const SANDBOX_CONSENT = ['', '/sell.inventory', '/sell.fulfillment', '/sell.account.readonly'].map((x) => SCOPE_BASE + x);

const inv = (errorId: number, message: string, extra: Partial<EbError> = {}): EbError => ({ errorId, domain: 'API_INVENTORY', subdomain: 'Selling', category: 'REQUEST', message, ...extra });
const ful = (errorId: number, message: string, extra: Partial<EbError> = {}): EbError => ({ errorId, domain: 'API_FULFILLMENT', subdomain: 'Selling', category: 'REQUEST', message, ...extra });

function seedSeller(seed: DemoSeed): Seller {
  const s: Seller = {
    username: 'lindqvist_keramik',
    items: {},
    offers: {},
    locations: { studio: { merchantLocationKey: 'studio', name: 'Studio', merchantLocationStatus: 'ENABLED', locationTypes: ['WAREHOUSE'], location: { address: { addressLine1: 'Drottninggatan 1', city: 'Stockholm', postalCode: '111 51', country: 'SE' } } } },
    policies: {
      fulfillment: [
        { fulfillmentPolicyId: '6200000001', name: 'Royal Mail 2nd class', marketplaceId: 'EBAY_GB', categoryTypes: [{ name: 'ALL_EXCLUDING_MOTORS_VEHICLES', default: true }], handlingTime: { value: 2, unit: 'DAY' } },
        { fulfillmentPolicyId: '6200000011', name: 'Postnord international', marketplaceId: 'EBAY_DE', categoryTypes: [{ name: 'ALL_EXCLUDING_MOTORS_VEHICLES', default: true }], handlingTime: { value: 3, unit: 'DAY' } },
      ],
      payment: [
        { paymentPolicyId: '6200000002', name: 'Managed payments', marketplaceId: 'EBAY_GB', categoryTypes: [{ name: 'ALL_EXCLUDING_MOTORS_VEHICLES', default: true }], immediatePay: true },
        { paymentPolicyId: '6200000012', name: 'Zahlungsabwicklung', marketplaceId: 'EBAY_DE', categoryTypes: [{ name: 'ALL_EXCLUDING_MOTORS_VEHICLES', default: true }], immediatePay: true },
      ],
      return: [
        { returnPolicyId: '6200000003', name: '30 days', marketplaceId: 'EBAY_GB', categoryTypes: [{ name: 'ALL_EXCLUDING_MOTORS_VEHICLES', default: true }], returnsAccepted: true, returnPeriod: { value: 30, unit: 'DAY' } },
        { returnPolicyId: '6200000013', name: '30 Tage', marketplaceId: 'EBAY_DE', categoryTypes: [{ name: 'ALL_EXCLUDING_MOTORS_VEHICLES', default: true }], returnsAccepted: true, returnPeriod: { value: 30, unit: 'DAY' } },
      ],
    },
    orders: {},
    seq: 0,
    legacy: {},
    tasks: {},
    groups: {},
  };
  let n = 0;
  for (const p of seed.products) {
    n += 1;
    s.items[p.sku] = {
      sku: p.sku,
      locale: 'en_GB',
      condition: 'NEW',
      product: { title: p.title, description: p.description, brand: p.brand, ean: [p.ean], aspects: { Brand: [p.brand] }, imageUrls: [`https://i.ebayimg.example/${p.sku}.jpg`] },
      availability: { shipToLocationAvailability: { quantity: p.stock } },
      packageWeightAndSize: { weight: { unit: 'GRAM', value: p.weightGrams } },
    };
    const price = p.prices['ebay-uk'];
    if (!price) continue;
    const offerId = String(7000000000 + n);
    s.offers[offerId] = {
      offerId,
      sku: p.sku,
      marketplaceId: 'EBAY_GB',
      format: 'FIXED_PRICE',
      body: { availableQuantity: p.stock, categoryId: '20693', listingDescription: p.description, listingDuration: 'GTC', listingPolicies: { fulfillmentPolicyId: '6200000001', paymentPolicyId: '6200000002', returnPolicyId: '6200000003' }, pricingSummary: { price: { value: price, currency: 'GBP' } }, merchantLocationKey: 'studio', tax: { vatPercentage: 20 } },
      status: 'PUBLISHED',
      listingId: String(110500000000 + n),
      listingStatus: 'ACTIVE',
      revisions: {},
    };
  }
  s.legacy = legacyListings(seed);
  for (const o of seed.orders.filter((x) => x.channel === 'ebay-uk')) {
    s.orders[o.id] = {
      orderId: o.id,
      creationDate: new Date(o.createdAt).toISOString(),
      lastModifiedDate: new Date(o.updatedAt).toISOString(),
      fulfillment: o.status === 'shipped' ? 'FULFILLED' : 'NOT_STARTED',
      cancelled: o.status === 'cancelled',
      currency: o.currency,
      convertedFrom: o.convertedFrom ?? null,
      buyer: { username: o.buyer.username ?? 'buyer', name: o.buyer.name, email: o.buyer.email ?? null },
      shipTo: { fullName: o.shipTo.name, addressLine1: o.shipTo.line1, city: o.shipTo.city, postalCode: o.shipTo.postalCode, countryCode: o.shipTo.countryCode },
      lines: o.lines.map((l, i) => ({ lineItemId: `${o.id.replace(/-/g, '')}${i + 1}`, legacyItemId: String(110500000000 + Math.max(1, seed.products.findIndex((p) => p.sku === l.sku) + 1)), sku: l.sku, title: seed.products.find((p) => p.sku === l.sku)?.title ?? l.sku, quantity: l.quantity, unitPrice: l.unitPrice, fulfilled: o.status === 'shipped', listingMarketplaceId: 'EBAY_GB' })),
      shipping: o.shipping,
      tax: o.tax,
      // The buyer's own site: a buyer in France shops on ebay.fr, and the seller's ebay.co.uk listing
      // surfaces there (purchaseMarketplaceId EBAY_FR, listingMarketplaceId EBAY_GB).
      marketplaceId: BUYER_SITE[o.shipTo.countryCode] ?? 'EBAY_GB',
      fulfillments: [],
    };
  }
  return s;
}

const BUYER_SITE: Record<string, string> = { GB: 'EBAY_GB', FR: 'EBAY_FR', DE: 'EBAY_DE', US: 'EBAY_US', IT: 'EBAY_IT', ES: 'EBAY_ES', AU: 'EBAY_AU', IE: 'EBAY_IE', NL: 'EBAY_NL', AT: 'EBAY_AT' };

/**
 * The seller's ebay.de listings, made in Seller Hub before they used merchant: invisible to the
 * Inventory API until migrated. One of each kind bulkMigrateListing treats differently.
 */
function legacyListings(seed: DemoSeed): Record<string, LegacyListing> {
  const out: Record<string, LegacyListing> = {};
  const product = (sku: string) => seed.products.find((p) => p.sku === sku);
  const add = (n: number, l: Omit<LegacyListing, 'listingId' | 'marketplaceId' | 'currency' | 'status'>) => {
    const listingId = String(120500000000 + n);
    out[listingId] = { listingId, marketplaceId: 'EBAY_DE', currency: 'EUR', status: 'ACTIVE', ...l };
  };
  const mug = product('MUG-BLU-S');
  if (mug) add(1, { format: 'FIXED_PRICE', title: `${mug.title} (DE)`, items: [{ sku: 'MUG-BLU-S-DE', price: '16.50', quantity: 6 }], businessPolicies: true, postalCode: '111 51' });
  const bowl = product('BOWL-GRY-M');
  if (bowl) add(2, { format: 'FIXED_PRICE', title: bowl.title, items: [{ sku: 'BOWL-GRY-M-DE', price: '31.00', quantity: 3 }], businessPolicies: false, postalCode: '111 51' });
  const towel = product('TEA-TWL-NAT');
  if (towel) add(3, { format: 'FIXED_PRICE', title: towel.title, items: [{ sku: 'TEA-TWL-NAT', price: '12.00', quantity: 10 }], businessPolicies: true, postalCode: '111 51' });
  if (product('MUG-BLU-L') && product('MUG-RED-S')) {
    add(4, {
      format: 'FIXED_PRICE',
      title: 'Stoneware mug, large blue or small red',
      items: [
        { sku: 'MUG-BLU-L-DE', price: '19.50', quantity: 4, aspects: { Farbe: 'Blau' } },
        { sku: 'MUG-RED-S-DE', price: '16.50', quantity: 2, aspects: { Farbe: 'Rot' } },
      ],
      businessPolicies: true,
      postalCode: '111 51',
    });
  }
  const candle = product('CANDLE-LAV');
  if (candle) {
    add(5, { format: 'FIXED_PRICE', title: candle.title, items: [{ sku: null, price: '21.50', quantity: 5 }], businessPolicies: true, postalCode: '111 51' });
    add(6, { format: 'AUCTION', title: `${candle.title} (Auktion)`, items: [{ sku: 'CANDLE-LAV-AUK', price: '1.00', quantity: 1 }], businessPolicies: true, postalCode: '111 51' });
  }
  return out;
}

function mulRate(amount: string, rate: string): string {
  const [ri, rf = ''] = rate.split('.');
  const scale = 10n ** BigInt(rf.length);
  const c = toCents(amount) * BigInt(ri! + rf);
  const q = c / scale;
  return fromCents((c % scale) * 2n >= scale ? q + 1n : q);
}

/** Validators compiled once per process (stateless, shared by every sandbox). */
let cachedValidators: Record<string, ValidateFunction> | undefined;
function ebayValidators(): Record<string, ValidateFunction> {
  if (cachedValidators) return cachedValidators;
  const ajv = new Ajv({ allErrors: false, strict: false });
  cachedValidators = {
    item: ajv.compile(inventoryItemSchema),
    bulkItem: ajv.compile(bulkInventoryItemSchema),
    offer: ajv.compile(offerSchema),
    createOffer: ajv.compile(createOfferSchema),
    bulkOffer: ajv.compile(bulkOfferSchema),
    bulkPublish: ajv.compile(bulkPublishSchema),
    bulkGet: ajv.compile(bulkGetSchema),
    bulkMigrate: ajv.compile(bulkMigrateSchema),
    inventoryTask: ajv.compile(inventoryTaskSchema),
    bulkPQ: ajv.compile(bulkPriceQuantitySchema),
    location: ajv.compile(locationSchema),
    shipping: ajv.compile(shippingFulfillmentSchema),
    itemGroup: ajv.compile(inventoryItemGroupSchema),
    publishByGroup: ajv.compile(publishByGroupSchema),
  };
  return cachedValidators;
}

/** eBay shippingCarrierCode values (GeteBayDetails ShippingServiceDetails.ShippingCarrier, Trading API), the subset the sandbox knows. */
const EBAY_CARRIERS = new Set(['USPS', 'UPS', 'FedEx', 'DHL', 'RoyalMail', 'ParcelForce', 'DeutschePost', 'Hermes', 'DPD', 'GLS', 'CanadaPost', 'AustraliaPost', 'Colissimo', 'Chronopost', 'Correos', 'AnPost', 'BPost', 'ChinaPost', 'Yodel', 'TNT', 'Other']);

export function ebayApi(world: World): ApiModule {
  const cred = SANDBOX_CREDENTIALS.ebay;
  const st = () =>
    world.slot<EbayState>('ebay', () => {
      const seller = seedSeller(world.seed);
      return { sellers: { [seller.username]: seller }, refreshTokens: { [cred.refreshToken]: seller.username }, consents: { [cred.refreshToken]: SANDBOX_CONSENT }, accessTokens: {}, quota: {} };
    });
  const V = ebayValidators();
  /** Overridable daily limits (POST /_sandbox/limits), not persisted. */
  const limits: Record<string, number> = { ...EBAY_DAILY_LIMITS };

  const day = () => world.iso().slice(0, 10);
  function countCall(api: string, domain: string): void {
    const k = `${api}:${day()}`;
    const q = st().quota;
    q[k] = (q[k] ?? 0) + 1;
    if (q[k]! > (limits[api] ?? Infinity)) {
      throw new EbayFail(429, [{ errorId: 2001, domain, category: 'REQUEST', message: 'Too many requests.', longMessage: 'The request limit has been reached for the resource.' }]);
    }
  }

  function validateBody(req: SbRequest, v: ValidateFunction, domain: (id: number, m: string, e?: Partial<EbError>) => EbError): Obj {
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8') || 'null');
    } catch {
      throw new EbayFail(400, [domain(2004, 'Invalid request', { domain: 'ACCESS', subdomain: undefined, longMessage: 'The request has errors. For help, see the documentation for this API.', parameters: [{ name: 'reason', value: 'Could not serialize field [body]: not valid JSON' }] })]);
    }
    if (!isObject(body) || !v(body)) {
      const e = v.errors?.[0];
      const where = e ? `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}` : 'body must be a JSON object';
      throw new EbayFail(400, [domain(2004, 'Invalid request', { domain: 'ACCESS', subdomain: undefined, longMessage: 'The request has errors. For help, see the documentation for this API.', parameters: [{ name: 'reason', value: `Could not serialize field ${where.trim()}` }] })]);
    }
    return body;
  }

  function requireLanguage(req: SbRequest): string {
    const lang = header(req, 'content-language');
    if (!lang || !LANGUAGES.includes(lang)) throw new EbayFail(400, [inv(25709, 'Invalid value for header Content-Language.', { parameters: [{ name: 'Content-Language', value: lang ?? '' }] })]);
    return lang;
  }

  function seller(req: SbRequest, domain: 'API_INVENTORY' | 'API_FULFILLMENT' | 'API_ACCOUNT', scope: string): Seller {
    const h = header(req, 'authorization');
    if (!h || !/^Bearer\s+\S/i.test(h)) throw new EbayFail(401, [{ errorId: 1002, domain: 'OAuth', category: 'REQUEST', message: 'Missing access token', longMessage: 'Access token is missing in the Authorization HTTP request header.' }]);
    const token = h.replace(/^Bearer\s+/i, '');
    const grant = st().accessTokens[token];
    if (!grant || grant.expiresAt <= world.now()) throw new EbayFail(401, [{ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token', longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.' }]);
    if (!grant.user || !grant.scopes.some((s) => s === `${SCOPE_BASE}/${scope}` || s === `${SCOPE_BASE}/${scope}.readonly` && req.method === 'GET')) {
      throw new EbayFail(403, [{ errorId: 1100, domain: 'ACCESS', category: 'REQUEST', message: 'Access denied', longMessage: 'Insufficient permissions to fulfill the request.' }]);
    }
    const s = st().sellers[grant.user];
    if (!s) throw new EbayFail(401, [{ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token' }]);
    void domain;
    return s;
  }

  // ---------- OAuth ----------
  function oauth(req: SbRequest): SbResponse {
    const oerr = (status: number, error: string, description: string) => json(status, { error, error_description: description });
    if (req.method !== 'POST') return oerr(405, 'invalid_request', 'request method not supported');
    const h = header(req, 'authorization') ?? '';
    const m = /^Basic\s+(.+)$/i.exec(h);
    const [id, secret] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    if (id !== cred.clientId || secret !== cred.clientSecret) return oerr(401, 'invalid_client', 'client authentication failed');
    if (!/application\/x-www-form-urlencoded/i.test(header(req, 'content-type') ?? '')) return oerr(400, 'invalid_request', 'request is missing a required parameter or malformed.');
    const form = new URLSearchParams(req.body.toString('utf8'));
    const grant = form.get('grant_type');
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const invalidScope = () => oerr(400, 'invalid_scope', 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client');
    if (scopes.some((x) => !KNOWN_SCOPES.includes(x))) return invalidScope();
    const token = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${Buffer.from(`sbx-${world.nextSeq()}-${world.now()}`).toString('base64').replace(/=+$/, '')}`;
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token');
      if (!rt) return oerr(400, 'invalid_request', 'request is missing a required parameter or malformed.');
      const user = st().refreshTokens[rt];
      if (!user) return oerr(400, 'invalid_grant', 'the provided authorization refresh token is invalid or was issued to another client');
      // A refresh mints a token with the consent's scopes or a subset of them; a scope the seller never
      // granted is refused (a full scope covers its .readonly twin).
      const consent = st().consents?.[rt] ?? KNOWN_SCOPES;
      const covered = (x: string) => consent.includes(x) || (x.endsWith('.readonly') && consent.includes(x.slice(0, -'.readonly'.length)));
      if (scopes.some((x) => !covered(x))) return invalidScope();
      try {
        countCall('oauth_refresh', 'OAuth');
      } catch {
        return oerr(429, 'rate_limit_exceeded', 'daily limit for refresh_token grants reached');
      }
      const granted = scopes.length ? scopes : consent;
      st().accessTokens[token] = { user, expiresAt: world.now() + 7200_000, scopes: granted };
      return json(200, { access_token: token, expires_in: 7200, token_type: 'User Access Token' });
    }
    if (grant === 'client_credentials') {
      st().accessTokens[token] = { user: null, expiresAt: world.now() + 7200_000, scopes: [SCOPE_BASE] };
      return json(200, { access_token: token, expires_in: 7200, token_type: 'Application Access Token' });
    }
    if (grant === 'authorization_code') return oerr(400, 'invalid_grant', 'the provided authorization grant code is invalid or was issued to another client');
    return oerr(400, 'unsupported_grant_type', 'grant type in request is not supported by the authorization server');
  }

  // ---------- Inventory ----------
  const itemView = (item: Obj) => ({ ...item, availability: item.availability ?? { shipToLocationAvailability: { quantity: 0 } } });
  const offerView = (o: Offer) => ({
    offerId: o.offerId,
    sku: o.sku,
    marketplaceId: o.marketplaceId,
    format: o.format,
    ...o.body,
    status: o.status,
    listing: o.listingId ? { listingId: o.listingId, listingStatus: o.listingStatus, soldQuantity: 0 } : undefined,
  });

  function putItem(s: Seller, sku: string, body: Obj, lang: string): 'created' | 'replaced' {
    if (!/^[\w\-.]{1,50}$/.test(sku)) throw new EbayFail(400, [inv(25707, 'This is an invalid value for a SKU. Only alphanumeric characters can be used for SKUs, and their length must not exceed 50 characters', { parameters: [{ name: 'sku', value: sku }] })]);
    const existed = Boolean(s.items[sku]);
    const { sku: _s, ...rest } = body;
    void _s;
    s.items[sku] = { sku, locale: (body.locale as string | undefined) ?? lang.replace('-', '_'), ...rest };
    // Offer quantities follow the item when they were not set explicitly (eBay: listing qty = min(offer, item)).
    return existed ? 'replaced' : 'created';
  }

  function sellerOfferQty(s: Seller, o: Offer): number {
    const item = s.items[o.sku];
    const itemQty = Number((item?.availability as Obj | undefined)?.shipToLocationAvailability && ((item!.availability as Obj).shipToLocationAvailability as Obj).quantity) || 0;
    const offerQty = typeof o.body.availableQuantity === 'number' ? o.body.availableQuantity : itemQty;
    return Math.min(itemQty, offerQty);
  }

  function publishProblems(s: Seller, o: Offer): EbError[] {
    const errs: EbError[] = [];
    const item = s.items[o.sku];
    const product = (item?.product as Obj | undefined) ?? {};
    const pe = (id: number, msg: string, name: string) => inv(id, msg, { category: 'REQUEST', parameters: [{ name, value: msg }] });
    if (!item) errs.push(pe(25702, `No inventory item found for SKU ${o.sku}.`, 'sku'));
    if (!product.title) errs.push(pe(25002, 'A user error has occurred. Title is missing.', 'product.title'));
    if (!product.description && !o.body.listingDescription) errs.push(pe(25002, 'A user error has occurred. Description is missing.', 'product.description'));
    if (!Array.isArray(product.imageUrls) || product.imageUrls.length === 0) errs.push(pe(25002, 'A user error has occurred. At least 1 picture is required.', 'product.imageUrls'));
    if (!item?.condition) errs.push(pe(25021, 'Invalid item condition information.', 'condition'));
    if (!o.body.categoryId) errs.push(pe(25005, 'Invalid category ID.', 'categoryId'));
    const price = ((o.body.pricingSummary as Obj | undefined)?.price as Obj | undefined) ?? undefined;
    if (!price) errs.push(pe(25003, 'Invalid price.', 'pricingSummary.price'));
    else if (price.currency !== MARKET_CURRENCY[o.marketplaceId]) errs.push(pe(25003, `Invalid price. The currency must be ${MARKET_CURRENCY[o.marketplaceId] ?? '?'} for ${o.marketplaceId}.`, 'pricingSummary.price.currency'));
    const pol = (o.body.listingPolicies as Obj | undefined) ?? {};
    if (!pol.fulfillmentPolicyId || !s.policies.fulfillment.some((p) => p.fulfillmentPolicyId === pol.fulfillmentPolicyId)) errs.push(pe(25007, 'Please add a valid fulfillment policy to your listing.', 'listingPolicies.fulfillmentPolicyId'));
    if (!pol.paymentPolicyId || !s.policies.payment.some((p) => p.paymentPolicyId === pol.paymentPolicyId)) errs.push(pe(25008, 'Please add a valid payment policy to your listing.', 'listingPolicies.paymentPolicyId'));
    if (!pol.returnPolicyId || !s.policies.return.some((p) => p.returnPolicyId === pol.returnPolicyId)) errs.push(pe(25009, 'Please add a valid return policy to your listing.', 'listingPolicies.returnPolicyId'));
    if (!o.body.merchantLocationKey || !s.locations[o.body.merchantLocationKey as string]) errs.push(pe(25002, 'A user error has occurred. No Item.Country exists or Item.Location or Item.PostalCode is missing. Add a valid inventory location (merchantLocationKey).', 'merchantLocationKey'));
    if (sellerOfferQty(s, o) <= 0) errs.push(pe(25004, 'Invalid quantity. The quantity must be greater than 0.', 'availableQuantity'));
    return errs;
  }

  /** What a new listing's category and item specifics fail (publish only; see ebay-publish.ts). */
  function categoryProblems(o: Offer, aspects: Record<string, unknown>): EbError[] {
    if (!o.body.categoryId) return [];
    const cat = categoryOf(o.body.categoryId);
    const pe = (id: number, msg: string, name: string) => inv(id, msg, { category: 'REQUEST', parameters: [{ name, value: msg }] });
    if (!cat || !cat.leaf) return [pe(25005, `The eBay listing associated with the inventory item, or the unpublished offer has an invalid category ID. ${String(o.body.categoryId)} is not a leaf category of ${o.marketplaceId}.`, 'categoryId')];
    return aspectProblems(cat, aspects).map((p) => pe(p.errorId, p.message, p.aspect));
  }

  function publish(s: Seller, o: Offer): { listingId: string; warnings: unknown[] } {
    const item = s.items[o.sku];
    const grouped = Object.values(s.itemGroups ?? {}).find((g) => (g.variantSKUs as string[]).includes(o.sku));
    if (grouped) throw new EbayFail(400, [inv(25002, `A user error has occurred. SKU ${o.sku} belongs to inventory item group ${String(grouped.inventoryItemGroupKey)}: publish the group (publishOfferByInventoryItemGroup).`)]);
    const problems = [...publishProblems(s, o), ...(o.listingId ? [] : categoryProblems(o, ((item?.product as Obj | undefined)?.aspects as Obj | undefined) ?? {}))];
    if (problems.length) throw new EbayFail(400, problems);
    if (!o.listingId) {
      s.seq += 1;
      o.listingId = String(110600000000 + s.seq);
    }
    o.status = 'PUBLISHED';
    o.listingStatus = 'ACTIVE';
    return { listingId: o.listingId, warnings: [] };
  }

  function revise(o: Offer): void {
    if (o.status !== 'PUBLISHED') return;
    const d = day();
    o.revisions = { [d]: (o.revisions[d] ?? 0) + 1 };
    if (o.revisions[d]! > 250) throw new EbayFail(400, [inv(25019, 'The listing has been revised the maximum number of times (250) today. Try again tomorrow.', { category: 'BUSINESS', parameters: [{ name: 'offerId', value: o.offerId }] })]);
  }

  /**
   * 1..max entries per bulk call, refused with the error id eBay's tables give for each call:
   * 25727 inventory items, 25730 offers, 25709 (invalid value) elsewhere.
   */
  function bulkCap(list: unknown[], kind: 'items' | 'offers' | 'other', max = 25): void {
    if (list.length >= 1 && list.length <= max) return;
    const p = { parameters: [{ name: 'requests', value: String(list.length) }] };
    if (list.length > max && kind === 'items') throw new EbayFail(400, [inv(25727, `The number of InventoryItems in the request cannot exceed ${max}.`, p)]);
    if (list.length > max && kind === 'offers') throw new EbayFail(400, [inv(25730, `The number of offers in the request cannot exceed ${max}`, p)]);
    throw new EbayFail(400, [inv(25709, `Invalid request. Invalid value for field requests: between 1 and ${max} entries.`, p)]);
  }
  /** Whole-call 400 when a key repeats (eBay refuses the request, not the entry). */
  function unique(values: string[], err: () => EbError): void {
    if (new Set(values).size !== values.length) throw new EbayFail(400, [err()]);
  }

  const bulkStatus = (entries: Array<{ statusCode: number }>) => (entries.every((e) => e.statusCode >= 200 && e.statusCode < 300) ? 200 : 207);

  const I = '/sell/inventory/v1';
  const r = new Router();

  r.add('PUT', `${I}/inventory_item/:sku`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const lang = requireLanguage(req);
    const body = validateBody(req, V.item!, inv);
    const result = putItem(s, req.params.sku!, body, lang);
    for (const o of Object.values(s.offers)) if (o.sku === req.params.sku) revise(o);
    return { status: result === 'created' ? 201 : 204 };
  });
  r.add('GET', `${I}/inventory_item/:sku`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const item = s.items[req.params.sku!];
    if (!item) throw new EbayFail(404, [inv(25710, "We didn't find the resource/entity you are requesting. Please verify the request")]);
    return json(200, { ...itemView(item), groupIds: [], inventoryItemGroupKeys: [] });
  });
  r.add('DELETE', `${I}/inventory_item/:sku`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    if (!s.items[req.params.sku!]) throw new EbayFail(404, [inv(25710, "We didn't find the resource/entity you are requesting. Please verify the request")]);
    delete s.items[req.params.sku!];
    for (const [id, o] of Object.entries(s.offers)) if (o.sku === req.params.sku) delete s.offers[id];
    return { status: 204 };
  });
  r.add('GET', `${I}/inventory_item`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const limit = Number(req.query.get('limit') ?? '25');
    const offset = Number(req.query.get('offset') ?? '0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new EbayFail(400, [inv(25709, "Invalid value for 'limit'. It must be between 1 and 200.", { parameters: [{ name: 'limit', value: String(req.query.get('limit')) }] })]);
    if (!Number.isInteger(offset) || offset < 0) throw new EbayFail(400, [inv(25709, "Invalid value for 'offset'.", { parameters: [{ name: 'offset', value: String(req.query.get('offset')) }] })]);
    const all = Object.values(s.items).sort((a, b) => ((a.sku as string) < (b.sku as string) ? -1 : 1));
    // eBay quirk: offset is a page number here.
    const page = all.slice(offset * limit, offset * limit + limit);
    const href = (o: number) => `${world.baseUrl}/ebay${I}/inventory_item?limit=${limit}&offset=${o}`;
    return json(200, { href: href(offset), limit, size: page.length, total: all.length, ...((offset + 1) * limit < all.length ? { next: href(offset + 1) } : {}), ...(offset > 0 ? { prev: href(offset - 1) } : {}), inventoryItems: page.map(itemView) });
  });
  r.add('POST', `${I}/bulk_create_or_replace_inventory_item`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const lang = requireLanguage(req);
    const body = validateBody(req, V.bulkItem!, inv);
    const requests = body.requests as Obj[];
    bulkCap(requests, 'items');
    unique(requests.map((rq) => rq.sku as string), () => inv(25728, 'InventoryItems should be unique in the request.'));
    const responses = requests.map((rq) => {
      const sku = rq.sku as string;
      const locale = rq.locale as string;
      const product = rq.product as Obj;
      if (!product.title) return { sku, locale, statusCode: 400, errors: [inv(25002, 'A user error has occurred. Title is missing.', { parameters: [{ name: 'sku', value: sku }] })], warnings: [] };
      try {
        putItem(s, sku, rq, lang);
        for (const o of Object.values(s.offers)) if (o.sku === sku) revise(o);
        return { sku, locale, statusCode: 200, warnings: [] };
      } catch (e) {
        if (e instanceof EbayFail) return { sku, locale, statusCode: e.status, errors: e.errors, warnings: [] };
        throw e;
      }
    });
    return json(bulkStatus(responses), { responses });
  });
  r.add('POST', `${I}/bulk_get_inventory_item`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const body = validateBody(req, V.bulkGet!, inv);
    const requests = body.requests as Obj[];
    bulkCap(requests, 'items');
    unique(requests.map((rq) => rq.sku as string), () => inv(25734, 'SKU should be unique in the request.'));
    const responses = requests.map((rq) => {
      const item = s.items[rq.sku as string];
      return item ? { sku: rq.sku, statusCode: 200, inventoryItem: itemView(item), warnings: [] } : { sku: rq.sku, statusCode: 404, errors: [inv(25710, "We didn't find the resource/entity you are requesting. Please verify the request")], warnings: [] };
    });
    return json(bulkStatus(responses), { responses });
  });

  function createOffer(s: Seller, body: Obj): Offer {
    const sku = body.sku as string;
    if (!s.items[sku]) throw new EbayFail(400, [inv(25702, `SKU ${sku} is not available in the system.`, { parameters: [{ name: 'sku', value: sku }] })]);
    // "At this time, the same SKU value can not be offered across multiple eBay marketplaces"
    // (getOffers, eBay's Inventory API reference). eBay answers with the SKU-not-available error.
    const elsewhere = Object.values(s.offers).find((o) => o.sku === sku && o.marketplaceId !== body.marketplaceId);
    if (elsewhere) {
      throw new EbayFail(400, [inv(25702, `${sku} could not be found or is not available in the system for the marketplace ${String(body.marketplaceId)}.`, { parameters: [{ name: 'sku', value: sku }, { name: 'marketplaceId', value: String(body.marketplaceId) }] })]);
    }
    const dup = Object.values(s.offers).find((o) => o.sku === sku && o.marketplaceId === body.marketplaceId && o.format === body.format);
    if (dup) throw new EbayFail(400, [inv(25002, 'A user error has occurred. Offer entity already exists.', { parameters: [{ name: 'offerId', value: dup.offerId }] })]);
    s.seq += 1;
    const offerId = String(7100000000 + s.seq);
    const { sku: _a, marketplaceId, format, ...rest } = body;
    void _a;
    const o: Offer = { offerId, sku, marketplaceId: marketplaceId as string, format: format as string, body: rest, status: 'UNPUBLISHED', listingId: null, listingStatus: null, revisions: {} };
    s.offers[offerId] = o;
    return o;
  }
  const getOffer = (s: Seller, id: string): Offer => {
    const o = s.offers[id];
    if (!o) throw new EbayFail(404, [inv(25713, 'This Offer is not available : ' + id + '.', { parameters: [{ name: 'offerId', value: id }] })]);
    return o;
  };

  r.add('POST', `${I}/offer`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    requireLanguage(req);
    const o = createOffer(s, validateBody(req, V.createOffer!, inv));
    return json(201, { offerId: o.offerId, warnings: [] });
  });
  r.add('POST', `${I}/bulk_create_offer`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    requireLanguage(req);
    const requests = validateBody(req, V.bulkOffer!, inv).requests as Obj[];
    bulkCap(requests, 'offers');
    unique(requests.map((rq) => `${String(rq.sku)}|${String(rq.marketplaceId)}|${String(rq.format)}`), () => inv(25729, 'The combination of SKU, marketplaceId and format should be unique.'));
    const responses = requests.map((rq) => {
      try {
        const o = createOffer(s, rq);
        return { sku: rq.sku, marketplaceId: rq.marketplaceId, format: rq.format, offerId: o.offerId, statusCode: 200, warnings: [] };
      } catch (e) {
        if (e instanceof EbayFail) return { sku: rq.sku, marketplaceId: rq.marketplaceId, format: rq.format, statusCode: e.status, errors: e.errors, warnings: [] };
        throw e;
      }
    });
    return json(bulkStatus(responses), { responses });
  });
  r.add('GET', `${I}/offer`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const sku = req.query.get('sku');
    if (!sku) throw new EbayFail(400, [inv(25707, 'This is an invalid value for a SKU. Only alphanumeric characters can be used for SKUs, and their length must not exceed 50 characters', { parameters: [{ name: 'sku', value: '' }] })]);
    const mk = req.query.get('marketplace_id');
    const fmt = req.query.get('format');
    const limit = Number(req.query.get('limit') ?? '25');
    const offset = Number(req.query.get('offset') ?? '0');
    if (!s.items[sku]) throw new EbayFail(404, [inv(25713, 'This Offer is not available : ' + sku + '.')]);
    const all = Object.values(s.offers).filter((o) => o.sku === sku && (!mk || o.marketplaceId === mk) && (!fmt || o.format === fmt));
    const page = all.slice(offset, offset + limit);
    return json(200, { href: `${world.baseUrl}/ebay${I}/offer?sku=${encodeURIComponent(sku)}&limit=${limit}&offset=${offset}`, limit, size: page.length, total: all.length, offers: page.map(offerView) });
  });
  r.add('GET', `${I}/offer/:offerId`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    return json(200, offerView(getOffer(s, req.params.offerId!)));
  });
  r.add('PUT', `${I}/offer/:offerId`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    requireLanguage(req);
    const o = getOffer(s, req.params.offerId!);
    const body = validateBody(req, V.offer!, inv);
    const { sku: _a, marketplaceId: _b, format: _c, ...rest } = body;
    void _a;
    void _b;
    void _c;
    revise(o);
    o.body = rest;
    if (o.status === 'PUBLISHED') {
      const problems = publishProblems(s, o);
      if (problems.length) throw new EbayFail(400, problems);
    }
    return json(200, { offerId: o.offerId, warnings: [] });
  });
  r.add('DELETE', `${I}/offer/:offerId`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    getOffer(s, req.params.offerId!);
    delete s.offers[req.params.offerId!];
    return { status: 204 };
  });
  r.add('POST', `${I}/offer/:offerId/publish`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    return json(200, publish(s, getOffer(s, req.params.offerId!)));
  });
  r.add('POST', `${I}/offer/:offerId/withdraw`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const o = getOffer(s, req.params.offerId!);
    if (o.status !== 'PUBLISHED') throw new EbayFail(400, [inv(25713, 'This Offer is not available : the offer is not published.')]);
    o.status = 'UNPUBLISHED';
    o.listingStatus = 'ENDED';
    return json(200, { listingId: o.listingId, warnings: [] });
  });
  r.add('POST', `${I}/bulk_publish_offer`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const requests = validateBody(req, V.bulkPublish!, inv).requests as Obj[];
    bulkCap(requests, 'offers');
    unique(requests.map((rq) => rq.offerId as string), () => inv(25731, 'OfferId should be unique in the request.'));
    const responses = requests.map((rq) => {
      try {
        const res = publish(s, getOffer(s, rq.offerId as string));
        return { offerId: rq.offerId, listingId: res.listingId, statusCode: 200, warnings: [] };
      } catch (e) {
        if (e instanceof EbayFail) return { offerId: rq.offerId, statusCode: e.status, errors: e.errors, warnings: [] };
        throw e;
      }
    });
    return json(bulkStatus(responses), { responses });
  });
  r.add('POST', `${I}/bulk_update_price_quantity`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const requests = validateBody(req, V.bulkPQ!, inv).requests as Obj[];
    bulkCap(requests, 'other');
    const offerIdsSeen = new Set<string>();
    const responses: Obj[] = [];
    for (const rq of requests) {
      const sku = rq.sku as string;
      const item = s.items[sku];
      const offers = (rq.offers as Obj[] | undefined) ?? [];
      const skuErr = (e: EbError) => ({ sku, statusCode: 400, errors: [e], warnings: [] });
      if (!item) {
        responses.push({ sku, statusCode: 404, errors: [inv(25702, `SKU ${sku} is not available in the system.`, { parameters: [{ name: 'sku', value: sku }] })], warnings: [] });
        continue;
      }
      if (!rq.shipToLocationAvailability && offers.length === 0) {
        responses.push(skuErr(inv(25709, 'Either shipToLocationAvailability or offers must be supplied.')));
        continue;
      }
      const plans: Array<() => void> = [];
      const offerResults: Obj[] = [];
      let failed = false;
      for (const op of offers) {
        const id = op.offerId as string;
        const o = s.offers[id];
        let err: EbError | undefined;
        if (offerIdsSeen.has(id)) err = inv(25002, `A user error has occurred. Duplicate offerId ${id} in the request.`, { parameters: [{ name: 'offerId', value: id }] });
        else if (!o) err = inv(25713, `This Offer is not available : ${id}.`, { parameters: [{ name: 'offerId', value: id }] });
        else if (o.sku !== sku) err = inv(25002, `A user error has occurred. The offer ${id} does not belong to SKU ${sku}.`, { parameters: [{ name: 'offerId', value: id }] });
        else if (op.price && (op.price as Obj).currency !== MARKET_CURRENCY[o.marketplaceId]) err = inv(25003, `Invalid price. The currency must be ${MARKET_CURRENCY[o.marketplaceId] ?? '?'} for ${o.marketplaceId}.`, { parameters: [{ name: 'offerId', value: id }] });
        else if (op.price && toCents((op.price as Obj).value as string) <= 0n) err = inv(25003, 'Invalid price. The price must be greater than 0.', { parameters: [{ name: 'offerId', value: id }] });
        offerIdsSeen.add(id);
        if (err || !o) {
          failed = true;
          offerResults.push({ offerId: id, sku, statusCode: 400, errors: [err], warnings: [] });
          continue;
        }
        plans.push(() => {
          revise(o);
          if (typeof op.availableQuantity === 'number') o.body.availableQuantity = op.availableQuantity;
          if (op.price) o.body.pricingSummary = { ...((o.body.pricingSummary as Obj | undefined) ?? {}), price: op.price };
        });
        offerResults.push({ offerId: id, sku, statusCode: 200, warnings: [] });
      }
      if (failed) {
        responses.push(...offerResults.map((x) => (x.statusCode === 200 ? { ...x, statusCode: 400, errors: [inv(25002, 'A user error has occurred. Not applied: another offer of this SKU was refused.')] } : x)));
        continue;
      }
      try {
        for (const p of plans) p();
        if (rq.shipToLocationAvailability) {
          const avail = ((item.availability as Obj | undefined) ?? {}) as Obj;
          item.availability = { ...avail, shipToLocationAvailability: { ...((avail.shipToLocationAvailability as Obj | undefined) ?? {}), quantity: (rq.shipToLocationAvailability as Obj).quantity } };
        }
        if (offerResults.length) responses.push(...offerResults);
        else responses.push({ sku, statusCode: 200, warnings: [] });
      } catch (e) {
        if (e instanceof EbayFail) responses.push({ sku, statusCode: e.status, errors: e.errors, warnings: [] });
        else throw e;
      }
    }
    return json(bulkStatus(responses as Array<{ statusCode: number }>), { responses });
  });

  r.add('POST', `${I}/location/:key`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const key = req.params.key!;
    if (!/^[\w-]{1,36}$/.test(key)) throw new EbayFail(400, [inv(25802, 'Input error. merchantLocationKey is invalid.', { parameters: [{ name: 'merchantLocationKey', value: key }] })]);
    if (s.locations[key]) throw new EbayFail(409, [inv(25803, `Location with merchantLocationKey ${key} already exists.`, { category: 'REQUEST', parameters: [{ name: 'merchantLocationKey', value: key }] })]);
    const body = validateBody(req, V.location!, inv);
    s.locations[key] = { merchantLocationKey: key, merchantLocationStatus: 'ENABLED', locationTypes: ['WAREHOUSE'], ...body };
    return { status: 204 };
  });
  r.add('GET', `${I}/location/:key`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const l = s.locations[req.params.key!];
    if (!l) throw new EbayFail(404, [inv(25805, 'merchantLocationKey Not Found.', { parameters: [{ name: 'merchantLocationKey', value: req.params.key! }] })]);
    return json(200, l);
  });
  r.add('GET', `${I}/location`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const all = Object.values(s.locations);
    return json(200, { href: `${world.baseUrl}/ebay${I}/location`, limit: 100, offset: 0, total: all.length, locations: all });
  });


  // ---------- Inventory item groups (multiple-variation listings; ebay-publish.ts) ----------
  r.add('PUT', `${I}/inventory_item_group/:key`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    requireLanguage(req);
    const key = req.params.key!;
    const body = validateBody(req, V.itemGroup!, inv);
    const skus = body.variantSKUs as string[];
    const unknown = skus.filter((x) => !s.items[x]);
    if (unknown.length) throw new EbayFail(400, [inv(25702, `${unknown[0]!} could not be found or is not available in the system.`, { parameters: [{ name: 'sku', value: unknown[0]! }] })]);
    for (const x of skus) {
      const other = Object.entries(s.itemGroups ?? {}).find(([k, g]) => k !== key && (g.variantSKUs as string[]).includes(x));
      if (other) throw new EbayFail(400, [inv(25703, `The following SKU is already a member of another group. SKU : ${x} groupId : ${other[0]}`)]);
      const single = Object.values(s.offers).find((o) => o.sku === x && o.status === 'PUBLISHED' && !Object.values(s.itemGroups ?? {}).some((g) => (g.variantSKUs as string[]).includes(x)));
      if (single) throw new EbayFail(400, [inv(25704, `The following SKU is already listed as a single SKU listing. SKU : ${x} Listing ID : ${single.listingId ?? ''}`)]);
    }
    const existed = Boolean(s.itemGroups?.[key]);
    (s.itemGroups ??= {})[key] = { ...body, inventoryItemGroupKey: key };
    return { status: existed ? 204 : 201 };
  });
  r.add('GET', `${I}/inventory_item_group/:key`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const g = s.itemGroups?.[req.params.key!];
    if (!g) throw new EbayFail(404, [inv(25705, `The Inventory Item Group named ${req.params.key!} could not be found or is not available in the system.`)]);
    return json(200, g);
  });
  r.add('POST', `${I}/offer/publish_by_inventory_item_group`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const body = validateBody(req, V.publishByGroup!, inv);
    const key = body.inventoryItemGroupKey as string;
    const mk = body.marketplaceId as string;
    const g = s.itemGroups?.[key];
    if (!g) throw new EbayFail(400, [inv(25705, `The Inventory Item Group named ${key} could not be found or is not available in the system.`)]);
    const ue = (m: string) => inv(25002, `Any User error. ${m}`);
    const errs: EbError[] = [];
    if (!g.title) errs.push(ue('The group has no title.'));
    if (!g.description) errs.push(ue('The group has no description.'));
    if (!Array.isArray(g.imageUrls) || !g.imageUrls.length) errs.push(ue('At least 1 picture is required for the group.'));
    const specs = (((g.variesBy as Obj | undefined)?.specifications as Array<{ name: string; values: string[] }> | undefined) ?? []);
    if (!specs.length) errs.push(ue('variesBy.specifications is required to publish a multiple-variation listing.'));
    const offers: Offer[] = [];
    const combos = new Set<string>();
    for (const sku of g.variantSKUs as string[]) {
      const o = Object.values(s.offers).find((x) => x.sku === sku && x.marketplaceId === mk && x.format === 'FIXED_PRICE');
      if (!o) {
        errs.push(ue(`No offer found for SKU ${sku} on ${mk}: create one (createOffer) before publishing the group.`));
        continue;
      }
      offers.push(o);
      const aspects = { ...((g.aspects as Obj | undefined) ?? {}), ...((((s.items[sku]?.product as Obj | undefined)?.aspects as Obj | undefined) ?? {})) };
      const lower = new Map(Object.entries(aspects).map(([k, v]) => [k.toLowerCase(), (v as string[])[0]]));
      const combo = specs.map((sp) => lower.get(sp.name.toLowerCase()));
      specs.forEach((sp, i) => {
        if (!combo[i] || !sp.values.includes(combo[i]!)) errs.push(ue(`SKU ${sku} has no ${sp.name} among the group's variesBy values.`));
      });
      if (combos.has(combo.join('|'))) errs.push(ue(`SKU ${sku} has the same ${specs.map((x) => x.name).join('/')} as another variant of the group.`));
      combos.add(combo.join('|'));
      // Description and pictures come from the group.
      for (const e of publishProblems(s, { ...o, body: { ...o.body, listingDescription: 'group' } })) if (!/picture/i.test(e.message)) errs.push(e);
      if (!o.listingId) errs.push(...categoryProblems(o, aspects));
    }
    if (new Set(offers.map((o) => String(o.body.categoryId))).size > 1) errs.push(ue('All offers of the group must use the same category.'));
    if (errs.length) throw new EbayFail(400, errs.filter((e, i) => errs.findIndex((x) => x.message === e.message) === i));
    const listingId = offers.find((o) => o.listingId)?.listingId ?? String(110600000000 + (s.seq += 1));
    for (const o of offers) {
      o.listingId = listingId;
      o.status = 'PUBLISHED';
      o.listingStatus = 'ACTIVE';
    }
    (s.groups ??= {})[key] = [...(g.variantSKUs as string[])];
    return json(200, { listingId, warnings: [] });
  });

  // ---------- Commerce Taxonomy (ebay-publish.ts): an application token ----------
  const T = '/commerce/taxonomy/v1';
  const taxonomyErr = (status: number, errorId: number, message: string, name: string, value: string) => new EbayFail(status, [{ errorId, domain: 'API_TAXONOMY', category: 'REQUEST', message, parameters: [{ name, value }] }]);
  function appToken(req: SbRequest): void {
    const h = header(req, 'authorization');
    const grant = h && /^Bearer\s+\S/i.test(h) ? st().accessTokens[h.replace(/^Bearer\s+/i, '')] : undefined;
    if (!grant || grant.expiresAt <= world.now()) throw new EbayFail(401, [{ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token', longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.' }]);
    if (!grant.scopes.includes(SCOPE_BASE)) throw new EbayFail(403, [{ errorId: 1100, domain: 'ACCESS', category: 'REQUEST', message: 'Access denied', longMessage: 'Insufficient permissions to fulfill the request.' }]);
    countCall('taxonomy', 'API_TAXONOMY');
  }
  const tree = (id: string) => {
    const mk = Object.entries(CATEGORY_TREES).find(([, t]) => t === id)?.[0];
    if (!mk) throw taxonomyErr(404, 62004, 'The specified category tree ID was not found.', 'category_tree_id', id);
    return mk;
  };
  r.add('GET', `${T}/get_default_category_tree_id`, (req) => {
    appToken(req);
    const mk = req.query.get('marketplace_id') ?? '';
    const id = CATEGORY_TREES[mk];
    if (!id) throw taxonomyErr(400, 62001, `The marketplace_id ${mk} is not valid.`, 'marketplace_id', mk);
    return json(200, { categoryTreeId: id, categoryTreeVersion: '129' });
  });
  r.add('GET', `${T}/category_tree/:tree/get_category_suggestions`, (req) => {
    appToken(req);
    tree(req.params.tree!);
    const q = req.query.get('q') ?? '';
    if (!q.trim()) throw taxonomyErr(400, 62003, "The 'q' parameter is required.", 'q', '');
    const list = suggest(q);
    // eBay answers 204 No Content when nothing matches.
    if (!list.length) return { status: 204 };
    return json(200, { categorySuggestions: list.map(suggestionView), categoryTreeId: req.params.tree!, categoryTreeVersion: '129' });
  });
  r.add('GET', `${T}/category_tree/:tree/get_item_aspects_for_category`, (req) => {
    appToken(req);
    tree(req.params.tree!);
    const id = req.query.get('category_id') ?? '';
    const cat = categoryOf(id);
    if (!cat || !cat.leaf) throw taxonomyErr(400, 62005, `The category_id ${id} is not a leaf category of category tree ${req.params.tree!}.`, 'category_id', id);
    return json(200, { aspects: cat.aspects.map(aspectView) });
  });

  // ---------- Listing migration (bulkMigrateListing) ----------
  const MIGRATE_MAX = 5;
  const marketLocale = (mk: string) => ({ EBAY_GB: 'en_GB', EBAY_US: 'en_US', EBAY_DE: 'de_DE', EBAY_AU: 'en_AU', EBAY_FR: 'fr_FR', EBAY_IT: 'it_IT', EBAY_ES: 'es_ES' })[mk] ?? 'en_US';

  /** Why eBay refuses to migrate this listing (25718 "Cannot migrate listing. …"), if it does. */
  function migrationProblem(s: Seller, l: LegacyListing): string | undefined {
    if (l.format !== 'FIXED_PRICE') return 'Auction listings cannot be migrated; only fixed-price listings can.';
    if (l.items.some((i) => !i.sku)) return 'Every item of the listing, and every variation, must have a SKU (custom label).';
    if (!l.businessPolicies) return 'The listing must use business policies for payment, returns and shipping.';
    if (!l.postalCode) return 'The listing must have a postal code or a city.';
    for (const i of l.items) {
      if (s.items[i.sku!]) {
        const on = Object.values(s.offers).find((o) => o.sku === i.sku)?.marketplaceId;
        return `SKU ${i.sku!} already exists in the Inventory API${on ? ` (offered on ${on})` : ''}; a SKU can be offered on one marketplace only.`;
      }
    }
    if (new Set(l.items.map((i) => i.sku)).size !== l.items.length) return 'The SKUs of the listing must be unique.';
    return undefined;
  }

  function migrateListing(s: Seller, listingId: string): Obj {
    const fail = (why: string, l?: LegacyListing) => ({
      listingId,
      ...(l ? { marketplaceId: l.marketplaceId } : {}),
      statusCode: 400,
      inventoryItems: (l?.items ?? []).filter((i) => i.sku).map((i) => ({ sku: i.sku })),
      errors: [inv(25718, `Cannot migrate listing. ${why}`, { parameters: [{ name: 'listingId', value: listingId }] })],
      warnings: [],
    });
    const l = s.legacy?.[listingId];
    if (!l || l.status === 'MIGRATED') {
      const done = Object.values(s.offers).some((o) => o.listingId === listingId);
      return fail(done ? 'The listing has already been migrated to the Inventory API.' : `Listing ${listingId} is not an active listing of this seller.`, l);
    }
    if (l.status !== 'ACTIVE') return fail(`Listing ${listingId} is not an active listing of this seller.`, l);
    const problem = migrationProblem(s, l);
    if (problem) return fail(problem, l);
    // All or nothing: every check passed, now every object is created.
    let location = Object.values(s.locations).find((x) => ((x.location as Obj | undefined)?.address as Obj | undefined)?.postalCode === l.postalCode);
    if (!location) {
      const key = `MIGRATED-${l.postalCode!.replace(/\W+/g, '')}`;
      location = { merchantLocationKey: key, name: 'Migrated listing location', merchantLocationStatus: 'ENABLED', locationTypes: ['WAREHOUSE'], location: { address: { postalCode: l.postalCode, country: 'SE' } } };
      s.locations[key] = location;
    }
    const pol = (kind: 'fulfillment' | 'payment' | 'return', idKey: string) => String(s.policies[kind].find((p) => p.marketplaceId === l.marketplaceId)?.[idKey] ?? '');
    const inventoryItems: Array<{ sku: string; offerId: string }> = [];
    for (const i of l.items) {
      const sku = i.sku!;
      s.items[sku] = {
        sku,
        locale: marketLocale(l.marketplaceId),
        condition: 'NEW',
        product: { title: l.title.slice(0, 80), description: l.title, imageUrls: [`https://i.ebayimg.example/${sku}.jpg`], ...(i.aspects ? { aspects: Object.fromEntries(Object.entries(i.aspects).map(([k, v]) => [k, [v]])) } : {}) },
        availability: { shipToLocationAvailability: { quantity: i.quantity } },
      };
      s.seq += 1;
      const offerId = String(7200000000 + s.seq);
      s.offers[offerId] = {
        offerId,
        sku,
        marketplaceId: l.marketplaceId,
        format: 'FIXED_PRICE',
        body: {
          availableQuantity: i.quantity,
          categoryId: '20693',
          listingDescription: l.title,
          listingDuration: 'GTC',
          listingPolicies: { fulfillmentPolicyId: pol('fulfillment', 'fulfillmentPolicyId'), paymentPolicyId: pol('payment', 'paymentPolicyId'), returnPolicyId: pol('return', 'returnPolicyId') },
          pricingSummary: { price: { value: i.price, currency: l.currency } },
          merchantLocationKey: location.merchantLocationKey,
        },
        status: 'PUBLISHED',
        listingId: l.listingId,
        listingStatus: 'ACTIVE',
        revisions: {},
      };
      inventoryItems.push({ sku, offerId });
    }
    let groupKey: string | undefined;
    if (l.items.length > 1) {
      groupKey = `GRP${l.listingId}`;
      (s.groups ??= {})[groupKey] = l.items.map((i) => i.sku!);
    }
    l.status = 'MIGRATED';
    return { listingId, marketplaceId: l.marketplaceId, statusCode: 200, inventoryItems, ...(groupKey ? { inventoryItemGroupKey: groupKey } : {}), warnings: [] };
  }

  r.add('POST', `${I}/bulk_migrate_listing`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('inventory', 'API_INVENTORY');
    const requests = validateBody(req, V.bulkMigrate!, inv).requests as Obj[];
    bulkCap(requests, 'other', MIGRATE_MAX);
    const responses = requests.map((rq) => migrateListing(s, rq.listingId as string));
    return json(bulkStatus(responses as Array<{ statusCode: number }>), { responses });
  });

  // ---------- Sell Feed: the Active Inventory Report (LMS_ACTIVE_INVENTORY_REPORT) ----------
  const FD = '/sell/feed/v1';
  const feedErr = (errorId: number, message: string, extra: Partial<EbError> = {}): EbError => ({ errorId, domain: 'API_FEED', category: 'REQUEST', message, ...extra });

  /** Every active listing on one site, as the report lists it: Inventory API offers and legacy listings alike. */
  function activeListings(s: Seller, mk: string, format: string | null): FeedTask['rows'] {
    const rows: FeedTask['rows'] = [];
    const byListing = new Map<string, Offer[]>();
    for (const o of Object.values(s.offers)) {
      if (o.marketplaceId !== mk || o.status !== 'PUBLISHED' || o.listingStatus !== 'ACTIVE' || !o.listingId) continue;
      byListing.set(o.listingId, [...(byListing.get(o.listingId) ?? []), o]);
    }
    for (const [listingId, offers] of byListing) {
      const fmt = offers[0]!.format;
      if (format && fmt !== format) continue;
      rows.push({
        listingId,
        format: fmt,
        currency: MARKET_CURRENCY[mk] ?? 'USD',
        variations: offers.length > 1,
        items: offers.map((o) => ({ sku: o.sku, price: String(((o.body.pricingSummary as Obj | undefined)?.price as Obj | undefined)?.value ?? '0.00'), quantity: sellerOfferQty(s, o) })),
      });
    }
    for (const l of Object.values(s.legacy ?? {})) {
      if (l.marketplaceId !== mk || l.status !== 'ACTIVE' || (format && l.format !== format)) continue;
      rows.push({ listingId: l.listingId, format: l.format, currency: l.currency, variations: l.items.length > 1, items: l.items.map((i) => ({ sku: i.sku, price: i.price, quantity: i.quantity })) });
    }
    return rows.sort((a, b) => (a.listingId < b.listingId ? -1 : 1));
  }

  const xmlEsc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  /** eBay's ActiveInventoryReport XML (LMS schema), wrapped as the LMS returns data files. */
  function reportXml(t: FeedTask): string {
    const price = (p: string, cur: string) => `<Price currencyID="${cur}">${xmlEsc(p)}</Price>`;
    const details = t.rows.map((r) => {
      if (!r.variations) {
        const i = r.items[0]!;
        return `<SKUDetails>${i.sku ? `<SKU>${xmlEsc(i.sku)}</SKU>` : ''}${price(i.price, r.currency)}<Quantity>${i.quantity}</Quantity><ItemID>${r.listingId}</ItemID></SKUDetails>`;
      }
      const vars = r.items.map((i) => `<Variation>${i.sku ? `<SKU>${xmlEsc(i.sku)}</SKU>` : ''}${price(i.price, r.currency)}<Quantity>${i.quantity}</Quantity></Variation>`).join('');
      return `<SKUDetails><ItemID>${r.listingId}</ItemID><Variations>${vars}</Variations></SKUDetails>`;
    });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<BulkDataExchangeResponses xmlns="urn:ebay:apis:eBLBaseComponents"><ActiveInventoryReport><Timestamp>${t.completionDate ?? t.creationDate}</Timestamp><Ack>Success</Ack><Version>1355</Version>${details.join('')}</ActiveInventoryReport></BulkDataExchangeResponses>\n`;
  }

  /** A task moves on one step per poll, or completes 30 s (sandbox clock) after it was created. */
  function advance(t: FeedTask): void {
    if (t.status === 'COMPLETED') return;
    t.polls += 1;
    const aged = world.now() - Date.parse(t.creationDate) >= 30_000;
    t.status = aged || t.status === 'IN_PROCESS' ? 'COMPLETED' : 'IN_PROCESS';
    if (t.status === 'COMPLETED') t.completionDate = world.iso();
  }
  const taskView = (t: FeedTask) => ({
    taskId: t.taskId,
    status: t.status,
    feedType: t.feedType,
    creationDate: t.creationDate,
    ...(t.completionDate ? { completionDate: t.completionDate } : {}),
    schemaVersion: t.schemaVersion,
    detailHref: `${world.baseUrl}/ebay${FD}/inventory_task/${t.taskId}`,
    ...(t.listingFormat ? { filterCriteria: { listingFormat: t.listingFormat } } : {}),
  });

  r.add('POST', `${FD}/inventory_task`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('feed', 'API_FEED');
    const mk = header(req, 'x-ebay-c-marketplace-id');
    if (!mk || !MARKET_CURRENCY[mk]) throw new EbayFail(400, [feedErr(160027, 'The X-EBAY-C-MARKETPLACE-ID header is missing or invalid.')]);
    const body = validateBody(req, V.inventoryTask!, feedErr);
    if (body.feedType !== 'LMS_ACTIVE_INVENTORY_REPORT') throw new EbayFail(400, [feedErr(160017, "The 'feedType' is missing or invalid.")]);
    if (body.schemaVersion !== '1.0') throw new EbayFail(400, [feedErr(160018, "The 'schemaVersion' is invalid.")]);
    const fmt = ((body.filterCriteria as Obj | undefined)?.listingFormat as string | undefined) ?? null;
    if (fmt !== null && fmt !== 'FIXED_PRICE' && fmt !== 'AUCTION') throw new EbayFail(400, [feedErr(160019, "The 'filterCriteria' is invalid. listingFormat must be FIXED_PRICE or AUCTION.")]);
    s.seq += 1;
    const taskId = `task-${s.seq}-${world.nextSeq()}`;
    (s.tasks ??= {})[taskId] = { taskId, feedType: 'LMS_ACTIVE_INVENTORY_REPORT', schemaVersion: '1.0', marketplaceId: mk, listingFormat: fmt, status: 'QUEUED', creationDate: world.iso(), completionDate: null, polls: 0, rows: activeListings(s, mk, fmt) };
    return { status: 202, headers: { location: `${world.baseUrl}/ebay${FD}/inventory_task/${taskId}` } };
  });
  r.add('GET', `${FD}/inventory_task/:id`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('feed', 'API_FEED');
    const t = s.tasks?.[req.params.id!];
    if (!t) throw new EbayFail(404, [feedErr(160003, `Task ${req.params.id!} does not exist.`)]);
    advance(t);
    return json(200, taskView(t));
  });
  r.add('GET', `${FD}/task/:id/download_result_file`, (req) => {
    const s = seller(req, 'API_INVENTORY', 'sell.inventory');
    countCall('feed', 'API_FEED');
    const t = s.tasks?.[req.params.id!];
    if (!t) throw new EbayFail(404, [feedErr(160003, `Task ${req.params.id!} does not exist.`)]);
    if (t.status !== 'COMPLETED') throw new EbayFail(404, [feedErr(160014, `No file found for task ID ${t.taskId}.`)]);
    const zip = zipSync({ [`${t.taskId}-ActiveInventoryReport.xml`]: strToU8(reportXml(t)) });
    return { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${t.taskId}.zip"` }, body: Buffer.from(zip) };
  });

  // ---------- Account (business policies, read-only) ----------
  const A = '/sell/account/v1';
  for (const [kind, key] of [['fulfillment', 'fulfillmentPolicies'], ['payment', 'paymentPolicies'], ['return', 'returnPolicies']] as const) {
    r.add('GET', `${A}/${kind}_policy`, (req) => {
      const s = seller(req, 'API_ACCOUNT', 'sell.account');
      countCall('account', 'API_ACCOUNT');
      const mk = req.query.get('marketplace_id');
      if (!mk) throw new EbayFail(400, [{ errorId: 20401, domain: 'API_ACCOUNT', subdomain: 'Selling', category: 'REQUEST', message: 'Missing field marketplaceId.', parameters: [{ name: 'marketplace_id', value: '' }] }]);
      const list = s.policies[kind].filter((p) => p.marketplaceId === mk);
      return json(200, { href: `${world.baseUrl}/ebay${A}/${kind}_policy?marketplace_id=${mk}`, limit: 20, offset: 0, total: list.length, [key]: list });
    });
  }

  // ---------- Fulfillment ----------
  const F = '/sell/fulfillment/v1';
  const amount = (o: EbayOrder, value: string) => ({ value, currency: o.currency, ...(o.convertedFrom ? { convertedFromValue: mulRate(value, o.convertedFrom.rate), convertedFromCurrency: o.convertedFrom.currency } : {}) });
  const orderView = (o: EbayOrder, sellerName: string) => {
    const subtotal = o.lines.reduce((a, l) => a + toCents(l.unitPrice) * BigInt(l.quantity), 0n);
    const total = subtotal + toCents(o.shipping);
    const fee = (total * 1290n) / 10000n + 30n;
    const shipPerLine = o.lines.length ? toCents(o.shipping) / BigInt(o.lines.length) : 0n;
    return {
      orderId: o.orderId,
      creationDate: o.creationDate,
      lastModifiedDate: o.lastModifiedDate,
      orderFulfillmentStatus: o.fulfillment,
      orderPaymentStatus: 'PAID',
      sellerId: sellerName,
      buyer: { username: o.buyer.username, taxAddress: { countryCode: o.shipTo.countryCode, postalCode: o.shipTo.postalCode }, buyerRegistrationAddress: { fullName: o.buyer.name, contactAddress: { city: o.shipTo.city, countryCode: o.shipTo.countryCode }, email: o.buyer.email ?? undefined } },
      pricingSummary: { priceSubtotal: amount(o, fromCents(subtotal)), deliveryCost: amount(o, o.shipping), tax: amount(o, o.tax), total: amount(o, fromCents(total)) },
      cancelStatus: { cancelState: o.cancelled ? 'CANCELED' : 'NONE_REQUESTED', cancelRequests: [] },
      paymentSummary: { totalDueSeller: amount(o, fromCents(total - fee)), payments: [{ paymentMethod: 'EBAY', paymentReferenceId: `PAY-${o.orderId}`, paymentDate: o.creationDate, amount: amount(o, fromCents(total)), paymentStatus: 'PAID' }], refunds: [] },
      fulfillmentStartInstructions: [{ fulfillmentInstructionsType: 'SHIP_TO', ebaySupportedFulfillment: false, minEstimatedDeliveryDate: o.creationDate, maxEstimatedDeliveryDate: new Date(Date.parse(o.creationDate) + 5 * 86_400_000).toISOString(), shippingStep: { shipTo: { fullName: o.shipTo.fullName, contactAddress: { addressLine1: o.shipTo.addressLine1, city: o.shipTo.city, postalCode: o.shipTo.postalCode, countryCode: o.shipTo.countryCode }, email: o.buyer.email ?? undefined }, shippingCarrierCode: 'Royal Mail', shippingServiceCode: 'UK_RoyalMailSecondClassStandard' } }],
      fulfillmentHrefs: o.fulfillments.map((f) => `${world.baseUrl}/ebay${F}/order/${o.orderId}/shipping_fulfillment/${f.fulfillmentId}`),
      lineItems: o.lines.map((l) => ({
        lineItemId: l.lineItemId,
        legacyItemId: l.legacyItemId,
        sku: l.sku,
        title: l.title,
        quantity: l.quantity,
        soldFormat: 'FIXED_PRICE',
        listingMarketplaceId: l.listingMarketplaceId ?? o.marketplaceId,
        purchaseMarketplaceId: o.marketplaceId,
        lineItemFulfillmentStatus: l.fulfilled ? 'FULFILLED' : 'NOT_STARTED',
        lineItemCost: amount(o, fromCents(toCents(l.unitPrice) * BigInt(l.quantity))),
        total: amount(o, fromCents(toCents(l.unitPrice) * BigInt(l.quantity) + shipPerLine)),
        deliveryCost: { shippingCost: amount(o, fromCents(shipPerLine)) },
        appliedPromotions: [],
        taxes: [],
        ebayCollectAndRemitTaxes: [],
        properties: { buyerProtection: true },
        lineItemFulfillmentInstructions: { minEstimatedDeliveryDate: o.creationDate, maxEstimatedDeliveryDate: new Date(Date.parse(o.creationDate) + 5 * 86_400_000).toISOString(), shipByDate: new Date(Date.parse(o.creationDate) + 2 * 86_400_000).toISOString(), guaranteedDelivery: false },
      })),
      salesRecordReference: o.orderId.slice(-4),
      totalFeeBasisAmount: amount(o, fromCents(total)),
      totalMarketplaceFee: amount(o, fromCents(fee)),
    };
  };

  function parseFilter(raw: string | null): { created?: [string | null, string | null]; modified?: [string | null, string | null]; statuses?: string[] } {
    const out: { created?: [string | null, string | null]; modified?: [string | null, string | null]; statuses?: string[] } = {};
    if (!raw) return out;
    const bad = (msg: string) => new EbayFail(400, [ful(30800, `Invalid filter: ${msg}`, { parameters: [{ name: 'filter', value: raw }] })]);
    for (const part of raw.split(/,(?![^[{]*[\]}])/)) {
      const m = /^(\w+):(.+)$/.exec(part.trim());
      if (!m) throw bad(part);
      const name = m[1]!.toLowerCase();
      const value = m[2]!;
      if (name === 'creationdate' || name === 'lastmodifieddate') {
        const r2 = /^\[([^\]]*?)\.\.([^\]]*)\]$/.exec(value);
        if (!r2) throw bad(`${name} must be a range like [2026-11-01T00:00:00.000Z..]`);
        const [a, b] = [r2[1] || null, r2[2] || null];
        for (const d of [a, b]) if (d && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(d)) throw bad(`${d} is not an ISO 8601 UTC timestamp (YYYY-MM-DDThh:mm:ss.sssZ)`);
        if (name === 'creationdate') out.created = [a, b];
        else out.modified = [a, b];
      } else if (name === 'orderfulfillmentstatus') {
        const r3 = /^\{([A-Z_|]+)\}$/.exec(value);
        if (!r3) throw bad('orderfulfillmentstatus must look like {NOT_STARTED|IN_PROGRESS}');
        const vals = r3[1]!.split('|').sort().join('|');
        if (vals !== 'IN_PROGRESS|NOT_STARTED' && vals !== 'FULFILLED|IN_PROGRESS') throw bad('orderfulfillmentstatus supports {NOT_STARTED|IN_PROGRESS} or {FULFILLED|IN_PROGRESS}');
        out.statuses = r3[1]!.split('|');
      } else throw bad(`unknown filter field ${name}`);
    }
    return out;
  }

  const inRange = (t: string, [a, b]: [string | null, string | null]) => (!a || t >= new Date(a).toISOString()) && (!b || t <= new Date(b).toISOString());

  r.add('GET', `${F}/order`, (req) => {
    const s = seller(req, 'API_FULFILLMENT', 'sell.fulfillment');
    countCall('fulfillment', 'API_FULFILLMENT');
    const limitRaw = req.query.get('limit') ?? '50';
    const offsetRaw = req.query.get('offset') ?? '0';
    const limit = Number(limitRaw);
    const offset = Number(offsetRaw);
    if (!/^\d+$/.test(limitRaw) || limit < 1 || limit > 200) throw new EbayFail(400, [ful(30700, "The 'limit' value should be between 1 and 200 (inclusive).", { parameters: [{ name: 'limit', value: limitRaw }] })]);
    if (!/^\d+$/.test(offsetRaw)) throw new EbayFail(400, [ful(30600, "The 'offset' value is invalid.", { parameters: [{ name: 'offset', value: offsetRaw }] })]);
    let list = Object.values(s.orders);
    const ids = req.query.get('orderIds');
    if (ids) {
      const wanted = ids.split(',').map((x) => x.trim());
      if (wanted.length > 50) throw new EbayFail(400, [ful(30500, 'A maximum of 50 order IDs can be specified.')]);
      list = list.filter((o) => wanted.includes(o.orderId));
    } else {
      const f = parseFilter(req.query.get('filter'));
      if (f.created) list = list.filter((o) => inRange(o.creationDate, f.created!));
      else if (f.modified) list = list.filter((o) => inRange(o.lastModifiedDate, f.modified!));
      else {
        const since = new Date(world.now() - 90 * 86_400_000).toISOString();
        list = list.filter((o) => o.creationDate >= since);
      }
      if (f.statuses) list = list.filter((o) => f.statuses!.includes(o.fulfillment));
    }
    list.sort((a, b) => (a.creationDate < b.creationDate ? 1 : -1));
    const page = list.slice(offset, offset + limit);
    const q = new URLSearchParams(req.query);
    const href = (off: number) => {
      q.set('limit', String(limit));
      q.set('offset', String(off));
      return `${world.baseUrl}/ebay${F}/order?${q.toString()}`;
    };
    return json(200, { href: href(offset), total: list.length, limit, offset, ...(offset + limit < list.length ? { next: href(offset + limit) } : {}), ...(offset > 0 ? { prev: href(Math.max(0, offset - limit)) } : {}), orders: page.map((o) => orderView(o, s.username)), warnings: [] });
  });
  r.add('GET', `${F}/order/:orderId`, (req) => {
    const s = seller(req, 'API_FULFILLMENT', 'sell.fulfillment');
    countCall('fulfillment', 'API_FULFILLMENT');
    const o = s.orders[req.params.orderId!];
    if (!o) throw new EbayFail(404, [ful(32100, 'Invalid order ID: ' + req.params.orderId!, { parameters: [{ name: 'orderId', value: req.params.orderId! }] })]);
    return json(200, orderView(o, s.username));
  });
  r.add('POST', `${F}/order/:orderId/shipping_fulfillment`, (req) => {
    const s = seller(req, 'API_FULFILLMENT', 'sell.fulfillment');
    countCall('fulfillment', 'API_FULFILLMENT');
    const o = s.orders[req.params.orderId!];
    if (!o) throw new EbayFail(404, [ful(32100, 'Invalid order ID: ' + req.params.orderId!)]);
    const body = validateBody(req, V.shipping!, ful);
    const lines = body.lineItems as Array<{ lineItemId: string; quantity: number }>;
    for (const l of lines) {
      const line = o.lines.find((x) => x.lineItemId === l.lineItemId);
      if (!line) throw new EbayFail(400, [ful(32200, `Invalid line item ID: ${l.lineItemId}`, { parameters: [{ name: 'lineItemId', value: l.lineItemId }] })]);
      if (line.fulfilled) throw new EbayFail(409, [ful(32400, `Line item ${l.lineItemId} is already fulfilled.`)]);
      const shipped = o.fulfillments.flatMap((f) => f.lineItems).filter((x) => x.lineItemId === l.lineItemId).reduce((s, x) => s + (x.quantity ?? 1), 0);
      if ((l.quantity ?? 1) < 1 || (l.quantity ?? 1) + shipped > line.quantity) throw new EbayFail(400, [ful(32300, `Invalid quantity for line item ${l.lineItemId}.`)]);
    }
    if (!body.trackingNumber !== !body.shippingCarrierCode) throw new EbayFail(400, [ful(32600, 'shippingCarrierCode and trackingNumber must be given together.')]);
    // GeteBayDetails ShippingCarrier values only (the ones the sandbox knows); eBay refuses others.
    if (body.shippingCarrierCode && !EBAY_CARRIERS.has(String(body.shippingCarrierCode))) throw new EbayFail(400, [ful(32500, `Invalid shipping carrier code: ${String(body.shippingCarrierCode)}.`, { parameters: [{ name: 'shippingCarrierCode', value: String(body.shippingCarrierCode) }] })]);
    if (body.trackingNumber && o.fulfillments.some((f) => f.trackingNumber === body.trackingNumber)) throw new EbayFail(409, [ful(32400, `Tracking number ${String(body.trackingNumber)} is already used by a fulfillment of this order.`)]);
    s.seq += 1;
    const fulfillmentId = body.trackingNumber ? `${String(body.trackingNumber)}${o.fulfillments.length ? `-${o.fulfillments.length + 1}` : ''}` : `SBX${s.seq}`;
    o.fulfillments.push({ fulfillmentId, shippedDate: (body.shippedDate as string | undefined) ?? world.iso(), shippingCarrierCode: (body.shippingCarrierCode as string | undefined) ?? '', trackingNumber: (body.trackingNumber as string | undefined) ?? '', lineItems: lines });
    for (const l of lines) {
      const line = o.lines.find((x) => x.lineItemId === l.lineItemId)!;
      const shipped = o.fulfillments.flatMap((f) => f.lineItems).filter((x) => x.lineItemId === l.lineItemId).reduce((s, x) => s + (x.quantity ?? 1), 0);
      line.fulfilled = shipped >= line.quantity;
    }
    o.fulfillment = o.lines.every((l) => l.fulfilled) ? 'FULFILLED' : 'IN_PROGRESS';
    o.lastModifiedDate = world.iso();
    return { status: 201, headers: { location: `${world.baseUrl}/ebay${F}/order/${o.orderId}/shipping_fulfillment/${fulfillmentId}` } };
  });
  r.add('GET', `${F}/order/:orderId/shipping_fulfillment`, (req) => {
    const s = seller(req, 'API_FULFILLMENT', 'sell.fulfillment');
    countCall('fulfillment', 'API_FULFILLMENT');
    const o = s.orders[req.params.orderId!];
    if (!o) throw new EbayFail(404, [ful(32100, 'Invalid order ID: ' + req.params.orderId!)]);
    return json(200, { total: o.fulfillments.length, fulfillments: o.fulfillments.map((f) => ({ fulfillmentId: f.fulfillmentId, lineItems: f.lineItems, shipmentTrackingNumber: f.trackingNumber || undefined, shippedDate: f.shippedDate, shippingCarrierCode: f.shippingCarrierCode || undefined })) });
  });

  const api: ApiModule = {
    name: 'ebay',
    prefix: '/ebay',
    secrets: () => [...Object.keys(st().refreshTokens), ...Object.keys(st().accessTokens), cred.clientSecret],
    async handle(req) {
      if (req.path === '/identity/v1/oauth2/token') return oauth(req);
      const m = r.match(req.method, req.path);
      if (m.kind === 'none') return json(404, { errors: [{ errorId: 2002, domain: 'ACCESS', category: 'REQUEST', message: 'Resource not found', longMessage: 'The requested resource could not be found.' }] });
      if (m.kind === 'method') return json(405, { errors: [{ errorId: 2003, domain: 'ACCESS', category: 'REQUEST', message: 'Method not allowed' }] }, { allow: m.allow.join(', ') });
      req.params = m.params;
      try {
        return await m.handler(req);
      } catch (e) {
        if (e instanceof EbayFail) return json(e.status, { errors: e.errors }, e.headers);
        throw e;
      }
    },
    faultResponse(kind, req) {
      const domain = req.path.startsWith('/sell/fulfillment') ? 'API_FULFILLMENT' : req.path.startsWith('/sell/account') ? 'API_ACCOUNT' : 'API_INVENTORY';
      if (kind === '429' || kind === 'throttled') return json(429, { errors: [{ errorId: 2001, domain: 'ACCESS', category: 'REQUEST', message: 'Too many requests.', longMessage: 'The request limit has been reached for the resource.' }] });
      if (kind === '503') return json(503, { errors: [{ errorId: 10001, domain: 'ACCESS', category: 'APPLICATION', message: 'Service unavailable.' }] });
      if (req.path.startsWith('/sell/feed')) return json(500, { errors: [{ errorId: 160001, domain: 'API_FEED', category: 'APPLICATION', message: 'There was a problem with an eBay internal system or process. Contact eBay Developer Technical Support for assistance.' }] });
      return json(500, { errors: [{ errorId: domain === 'API_INVENTORY' ? 25001 : 30500, domain, subdomain: 'Selling', category: 'APPLICATION', message: domain === 'API_INVENTORY' ? 'A system error has occurred. Core Inventory Service internal error' : 'There was a problem with an eBay internal system or process. Contact eBay developer support for assistance.' }] });
    },
    setLimit(name: string, value: number) {
      if (!(name in limits)) return false;
      limits[name] = value;
      return true;
    },
  };
  return api;
}
