// eBay Sell APIs.
//
// OAuth: refresh-token grant (Basic client auth) asking only for the scopes merchant uses (a refresh
// may not ask for more than the seller consented to); the access token is cached until 90 % of its life.
//
// Offers: eBay offers a SKU on one marketplace only, so each storefront's listing has its own eBay SKU
// (the stored mapping, else merchant's convention: core/remote-sku.ts). Offer ids are looked up once
// by that SKU (getOffers) and cached by sync. Price and stock: bulkUpdatePriceQuantity, ≤ 25 SKUs per
// call, one call per marketplace (its Content-Language), HTTP 207 answered per offer.
//
// Orders: Fulfillment getOrders with filter=lastmodifieddate:[…] and limit/offset (≤ 200). eBay lists
// them newest created first, so the store commits the watermark only when a pull completes; each page
// carries the offset to resume an interrupted pull. A line's storefront is the listing's own site
// (listingMarketplaceId), not the buyer's (purchaseMarketplaceId).
//
// Migration (ListingMigrationPort): the Active Inventory Report (Sell Feed inventory_task, a ZIP of
// eBay's XML) lists every active listing of a site; bulkMigrateListing (≤ 5 listings per call, per
// listing all or nothing) brings Seller Hub / Trading API listings into the Inventory API.

import { ebayConfirm, ebayFulfilments } from '../fulfilment.js';
import type { ShipmentConfirmationIn, ConfirmOutcome, RemoteFulfilment } from '../../../ports/marketplace.js';
import { gunzipSync } from 'node:zlib';
import { TokenEndpointAuth, requestToken, type IssuedToken } from '../../http/token-holder.js';
import { unzipSync, strFromU8 } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import type { HttpClient } from '../../http/client.js';
import type { HttpFactory } from '../../http/factory.js';
import { HttpError } from '../../http/errors.js';
import { channelDef, CHANNELS } from '../../../core/channels.js';
import { divRound, formatAmount } from '../../../core/money.js';
import { registerSecret } from '../../../core/redact.js';
import { conventionalEbaySku, ebaySkuProblem } from '../../../core/remote-sku.js';
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
import type { ActiveListing, ListingMigrationPort, MigrationOutcome, RemoteOffer } from '../../../ports/listing-migration.js';
import { asArray, asRecord, chunk, failAll, minorFromWire, moneyFromWire, scaledSleep, str, upperCountry } from '../common.js';
import { EBAY_ACCOUNT_SCOPE, EbayPublishing } from './publish.js';

export const EBAY_BULK_MAX = 25;
/** bulkMigrateListing: "one to five eBay listing IDs" per call. */
export const EBAY_MIGRATE_MAX = 5;
const ORDERS_PAGE = 200;
const INVENTORY_PAGE = 200;
/**
 * What sync, orders and migration call: Inventory (offers, price and quantity, migration, the Active
 * Inventory Report) and Fulfillment (orders). A refresh may ask for the consent's scopes or fewer, never
 * more: a scope the seller did not grant makes that refresh fail with invalid_scope. So
 * sell.account.readonly (business policies, for `listings publish` only) is asked for by a separate
 * token (publishing()), and a consent without it keeps everything else working.
 */
export const EBAY_SCOPES = ['https://api.ebay.com/oauth/api_scope/sell.inventory', 'https://api.ebay.com/oauth/api_scope/sell.fulfillment'];
/** The application token's scope (client-credentials grant): Commerce Taxonomy. */
export const EBAY_APP_SCOPE = 'https://api.ebay.com/oauth/api_scope';

export interface EbayConfig {
  baseURL: string;
  /** Token endpoint base (default: baseURL). */
  authURL?: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** The account's home site (EBAY_GB…): its listings keep the SKU itself, other sites get `SKU-<SITE>`. */
  homeMarketplaceId?: string;
  /** Active Inventory Report: first poll delay and the most to wait in total (ms, before backoff scaling). */
  reportPollMs?: number;
  reportMaxWaitMs?: number;
  now?: () => number;
}

class EbayAuth extends TokenEndpointAuth {
  refreshExpiry?: string;
  constructor(
    private cfg: EbayConfig,
    private http: HttpClient,
    /** The scopes this token asks for (a refresh may ask for fewer than the consent, never more). */
    private scopes: readonly string[] = EBAY_SCOPES,
    /** 'application': a client-credentials token (Taxonomy), no seller consent involved. */
    private grant: 'user' | 'application' = 'user',
  ) {
    super(cfg);
  }
  // eBay user tokens live two hours; ask for a new one at 90% of that.
  protected renewAt(at: number, life: number): number {
    return at + life * 0.9;
  }
  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.accessToken()}` };
  }
  protected async refresh(): Promise<IssuedToken> {
    const basic = Buffer.from(`${this.cfg.clientId}:${this.cfg.clientSecret}`).toString('base64');
    registerSecret(basic);
    const form = new URLSearchParams(this.grant === 'application' ? { grant_type: 'client_credentials', scope: EBAY_APP_SCOPE } : { grant_type: 'refresh_token', refresh_token: this.cfg.refreshToken, scope: this.scopes.join(' ') }).toString();
    const { token, data } = await requestToken<{ access_token?: string; expires_in?: number; refresh_token_expires_in?: number }>(this.http, {
      service: 'ebay',
      url: `${(this.cfg.authURL ?? this.cfg.baseURL).replace(/\/+$/, '')}/identity/v1/oauth2/token`,
      form,
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      operation: 'oauth2/token',
      errorUrl: 'identity/v1/oauth2/token',
      malformed: { operation: 'oauth2 token', url: 'oauth2/token' },
      refused: (e) => ({
        message: `eBay refused the refresh token (${e.apiCode ?? e.status}${e.apiMessage ? `: ${e.apiMessage}` : ''})`,
        hints:
          e.apiCode === 'invalid_scope'
            ? [`merchant asks for ${this.scopes.map((s) => s.replace(/^.*\/api_scope\//, '')).join(' and ')}; the seller's consent must include ${this.scopes.length > 2 ? 'all of them' : 'both'}: grant them again and run \`merchant marketplace connect ebay --token-file FILE\``]
            : ['the eBay consent may have expired or been revoked: get a new refresh token and run `merchant marketplace connect ebay --token-file FILE`'],
      }),
    });
    if (data.refresh_token_expires_in) this.refreshExpiry = new Date(this.now() + data.refresh_token_expires_in * 1000).toISOString();
    return { value: token, lifeMs: (data.expires_in ?? 7200) * 1000 };
  }
}

function marketplaceIdOf(channel: string): string {
  return channelDef(channel)?.remoteId ?? `EBAY_${channel.replace(/^ebay-/, '').toUpperCase()}`;
}
function languageOf(channel: string): string {
  return channelDef(channel)?.language ?? 'en-US';
}

/**
 * The storefront of an eBay site: a known channel (EBAY_GB → ebay-uk), else `ebay-<country>` for a
 * site merchant has no channel for yet (EBAY_FR → ebay-fr) — never silently another storefront.
 */
export function ebayChannelOf(marketplaceId: string | undefined): string | undefined {
  if (!marketplaceId) return undefined;
  const known = CHANNELS.find((c) => c.marketplace === 'ebay' && c.remoteId === marketplaceId);
  if (known) return known.code;
  const m = /^EBAY_([A-Z]{2})$/.exec(marketplaceId);
  return m ? `ebay-${m[1]!.toLowerCase()}` : undefined;
}

function homeChannelOf(cfg: EbayConfig): string | undefined {
  return cfg.homeMarketplaceId ? ebayChannelOf(cfg.homeMarketplaceId) : undefined;
}

interface EbayOffer {
  offerId: string;
  sku: string;
  marketplaceId: string;
  format?: string;
  availableQuantity?: number;
  status?: string;
  listing?: { listingId?: string; listingStatus?: string };
  pricingSummary?: { price?: { value?: string; currency?: string } };
}

interface EbayErrorEntry {
  errorId?: number;
  message?: string;
  longMessage?: string;
}


const errText = (e: EbayErrorEntry | undefined): string => e?.longMessage ?? e?.message ?? '';

export class EbayAdapter implements MarketplacePort, ListingMigrationPort {
  readonly name = 'ebay' as const;
  readonly migrateBatchMax = EBAY_MIGRATE_MAX;
  private http: HttpClient;
  private tokenHttp: HttpClient;
  private auth: EbayAuth;
  private sleep: (ms: number) => Promise<void>;
  private extra: HttpClient[] = [];

  constructor(
    private cfg: EbayConfig,
    private factory: HttpFactory,
  ) {
    this.tokenHttp = factory.create({ service: 'ebay', baseURL: cfg.authURL ?? cfg.baseURL });
    this.auth = new EbayAuth(cfg, this.tokenHttp);
    this.http = factory.create({ service: 'ebay', baseURL: cfg.baseURL, auth: this.auth, headers: { Accept: 'application/json' } });
    this.sleep = scaledSleep(factory);
  }

  requestCount(): number {
    return this.http.requestCount + this.tokenHttp.requestCount + this.extra.reduce((n, h) => n + h.requestCount, 0);
  }

  /**
   * Publishing new listings (listings publish): the seller's token for Inventory, a second one that also
   * asks for sell.account.readonly (business policies, asked for only here: a consent without it keeps
   * sync and orders working), and an application token for Taxonomy.
   */
  publishing(): EbayPublishing {
    const tokenHttp = this.factory.create({ service: 'ebay', baseURL: this.cfg.authURL ?? this.cfg.baseURL });
    const accountAuth = new EbayAuth(this.cfg, tokenHttp, [...EBAY_SCOPES, EBAY_ACCOUNT_SCOPE]);
    const appAuth = new EbayAuth(this.cfg, tokenHttp, [EBAY_APP_SCOPE], 'application');
    const account = this.factory.create({ service: 'ebay', baseURL: this.cfg.baseURL, auth: accountAuth, headers: { Accept: 'application/json' } });
    const app = this.factory.create({ service: 'ebay', baseURL: this.cfg.baseURL, auth: appAuth, headers: { Accept: 'application/json' } });
    this.extra.push(tokenHttp, account, app);
    return new EbayPublishing({ user: this.http, account, app, remoteSku: (sku, channel, mapped) => this.remoteSku({ sku, channel, remoteSku: mapped }) });
  }

  /** The eBay SKU of a listing: the stored mapping, else the convention. */
  remoteSku(c: { sku: string; channel: string; remoteSku?: string | null }): string {
    return c.remoteSku || conventionalEbaySku(c.sku, c.channel, homeChannelOf(this.cfg));
  }

  /** Inventory API headers for a marketplace's content: the payload's language, and the answer's. */
  private languageHeaders(channel: string): Record<string, string> {
    const lang = languageOf(channel);
    return { 'Content-Language': lang, 'Accept-Language': lang };
  }

  planCalls(changes: readonly ListingChange[]): CallPlan[] {
    const unknown = changes.filter((c) => !c.remoteRef);
    const plan: CallPlan[] = [];
    if (unknown.length) plan.push({ operation: 'getOffers (look up offer ids)', calls: new Set(unknown.map((c) => `${c.channel}\u0000${this.remoteSku(c)}`)).size, items: unknown.length, batchSize: 1 });
    if (changes.length) {
      const perMarketplace = new Map<string, Set<string>>();
      for (const c of changes) perMarketplace.set(c.channel, (perMarketplace.get(c.channel) ?? new Set()).add(this.remoteSku(c)));
      const calls = [...perMarketplace.values()].reduce((n, skus) => n + Math.ceil(skus.size / EBAY_BULK_MAX), 0);
      plan.push({ operation: 'bulkUpdatePriceQuantity', calls, items: changes.length, batchSize: EBAY_BULK_MAX });
    }
    return plan;
  }

  /** The Inventory API offers of one eBay SKU ([] when eBay knows no offer for it). */
  async offersOf(remoteSku: string): Promise<RemoteOffer[]> {
    return (await this.offersFor(remoteSku)).map((o) => ({ offerId: o.offerId, marketplaceId: o.marketplaceId, format: o.format ?? null, status: o.status ?? null, listingId: o.listing?.listingId ?? null }));
  }

  private async offersFor(remoteSku: string): Promise<EbayOffer[]> {
    const res = await this.http.request<{ offers?: EbayOffer[]; errors?: EbayErrorEntry[] }>({
      method: 'GET',
      url: '/sell/inventory/v1/offer',
      params: { sku: remoteSku, limit: 100 },
      operation: 'getOffers',
      acceptStatus: [404],
    });
    if (res.status === 404) return [];
    return res.data.offers ?? [];
  }

  /** The fixed-price offer of this SKU on the channel's marketplace, or why there is none. */
  private pickOffer(c: ListingChange, offers: EbayOffer[]): { offer: EbayOffer } | { code: string; message: string } {
    const mk = marketplaceIdOf(c.channel);
    const sku = this.remoteSku(c);
    const here = offers.filter((o) => o.marketplaceId === mk);
    const offer = here.find((o) => (o.format ?? 'FIXED_PRICE') === 'FIXED_PRICE') ?? here[0];
    if (offer) return { offer };
    const elsewhere = [...new Set(offers.map((o) => o.marketplaceId))];
    if (elsewhere.length) {
      return {
        code: 'NO_OFFER',
        message: `eBay SKU ${sku} is offered on ${elsewhere.join(', ')}, not on ${mk}: eBay offers a SKU on one marketplace only, so each storefront needs its own eBay SKU (merchant's convention: the SKU itself on the home site, SKU-<SITE> on the others; \`merchant marketplace migrate ebay\` stores the SKUs your listings really use)`,
      };
    }
    return {
      code: 'NO_OFFER',
      message: `eBay has no Inventory API offer for SKU ${sku} on ${mk}: a listing made in Seller Hub or with the Trading API stays invisible until it is migrated (\`merchant marketplace migrate ebay --dry-run\` lists them)`,
    };
  }

  async push(changes: readonly ListingChange[], hooks: PushHooks = {}): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    const ready: Array<ListingChange & { remoteRef: string; ebaySku: string }> = [];
    const lookups = new Map<string, Promise<EbayOffer[]>>();
    for (const c of changes) {
      const ebaySku = this.remoteSku(c);
      const bad = ebaySkuProblem(ebaySku);
      if (bad) {
        outcomes.push({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'INVALID_SKU', message: `${bad}: map ${c.sku} on ${c.channel} to a shorter eBay SKU` });
        continue;
      }
      if (c.remoteRef) {
        ready.push({ ...c, remoteRef: c.remoteRef, ebaySku });
        continue;
      }
      let offers: EbayOffer[];
      try {
        if (!lookups.has(ebaySku)) lookups.set(ebaySku, this.offersFor(ebaySku));
        offers = await lookups.get(ebaySku)!;
      } catch (e) {
        outcomes.push(...failAll([c], e));
        continue;
      }
      const pick = this.pickOffer(c, offers);
      if ('offer' in pick) ready.push({ ...c, remoteRef: pick.offer.offerId, ebaySku });
      else outcomes.push({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: pick.code, message: pick.message });
    }
    // One call per marketplace (its language), ≤ 25 SKUs each; one request entry per eBay SKU.
    const byChannel = new Map<string, typeof ready>();
    for (const c of ready) byChannel.set(c.channel, [...(byChannel.get(c.channel) ?? []), c]);
    for (const [channel, items] of byChannel) {
      for (const batch of chunk(items, EBAY_BULK_MAX)) {
        const requests = batch.map((c) => {
          const q = qtyOf(c);
          return {
            sku: c.ebaySku,
            ...(q !== undefined ? { shipToLocationAvailability: { quantity: q } } : {}),
            offers: [{ offerId: c.remoteRef, ...(q !== undefined ? { availableQuantity: q } : {}), ...(c.price ? { price: { value: formatAmount(c.price), currency: c.price.currency } } : {}) }],
          };
        });
        hooks.beforeBatch?.(batch.map((c) => c.key));
        let res: ItemOutcome[];
        try {
          const r = await this.http.request<{ responses?: Array<{ offerId?: string; sku?: string; statusCode?: number; errors?: EbayErrorEntry[] }> }>({
            method: 'POST',
            url: '/sell/inventory/v1/bulk_update_price_quantity',
            data: { requests },
            headers: { 'Content-Type': 'application/json', ...this.languageHeaders(channel) },
            operation: 'bulkUpdatePriceQuantity',
            acceptStatus: [207],
          });
          const responses = r.data.responses ?? [];
          res = batch.map((c) => {
            const hit = responses.find((x) => x.offerId === c.remoteRef) ?? responses.find((x) => x.sku === c.ebaySku && !x.offerId);
            if (!hit) {
              return r.status === 200
                ? { key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: c.remoteRef }
                : { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'NO_RESPONSE', message: 'eBay returned no result for this offer', ambiguous: true };
            }
            const ok = (hit.statusCode ?? 200) < 300 && !(hit.errors ?? []).length;
            const err = hit.errors?.[0];
            return ok
              ? { key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: c.remoteRef }
              : { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: String(err?.errorId ?? hit.statusCode), message: errText(err) || `status ${hit.statusCode}` };
          });
        } catch (e) {
          res = failAll(batch, e);
        }
        hooks.afterBatch?.(res);
        outcomes.push(...res);
      }
    }
    return outcomes;
  }

  private async offerById(offerId: string): Promise<EbayOffer | undefined> {
    const res = await this.http.request<EbayOffer & { errors?: EbayErrorEntry[] }>({ method: 'GET', url: `/sell/inventory/v1/offer/${encodeURIComponent(offerId)}`, operation: 'getOffer', acceptStatus: [400, 404] });
    if (res.status === 404) return undefined;
    if (res.status === 400) {
      // eBay's table lists 25713 "This Offer is not available" under 400 for getOffer.
      if (res.data.errors?.some((e) => e.errorId === 25713)) return undefined;
      throw new HttpError(`ebay: getOffer → HTTP 400 ${res.data.errors?.[0]?.errorId ?? ''}: ${errText(res.data.errors?.[0])}`, { service: 'ebay', kind: 'http', status: 400, apiCode: String(res.data.errors?.[0]?.errorId ?? ''), method: 'GET', url: `offer/${offerId}`, attempts: res.attempts });
    }
    return res.data;
  }

  async readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null; remoteSku?: string | null }>): Promise<RemoteListing[]> {
    const out: RemoteListing[] = [];
    const bySku = new Map<string, EbayOffer[]>();
    for (const i of items) {
      const mk = marketplaceIdOf(i.channel);
      let o: EbayOffer | undefined;
      if (i.remoteRef) {
        o = await this.offerById(i.remoteRef);
        if (o && o.marketplaceId !== mk) o = undefined;
      } else {
        const ebaySku = this.remoteSku(i);
        if (!bySku.has(ebaySku)) bySku.set(ebaySku, await this.offersFor(ebaySku));
        const here = (bySku.get(ebaySku) ?? []).filter((x) => x.marketplaceId === mk);
        o = here.find((x) => (x.format ?? 'FIXED_PRICE') === 'FIXED_PRICE') ?? here[0];
      }
      if (!o) {
        out.push({ channel: i.channel, sku: i.sku, found: false });
        continue;
      }
      const cur = o.pricingSummary?.price?.currency ?? channelDef(i.channel)?.currency ?? 'USD';
      out.push({ channel: i.channel, sku: i.sku, found: true, price: moneyFromWire(o.pricingSummary?.price?.value, cur), quantity: o.availableQuantity, remoteRef: o.offerId });
    }
    return out;
  }

  async *pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[]; resume?: string }): AsyncGenerator<OrdersPage> {
    const since = cursor ?? opts.since;
    // Resume: the offset an interrupted pull of the same window had reached. Orders come newest created
    // first, so orders created since push the old ones down: resuming at the offset re-reads a few, it
    // never skips one.
    let offset = resumeOffset(opts.resume, since);
    let maxUpdated = since;
    for (;;) {
      const res = await this.http.request<{ orders?: unknown[]; total?: number; next?: string }>({
        method: 'GET',
        url: '/sell/fulfillment/v1/order',
        params: { filter: `lastmodifieddate:[${since}..]`, limit: ORDERS_PAGE, offset },
        operation: 'getOrders',
      });
      const raw = res.data.orders ?? [];
      const orders = raw.map((o) => normaliseEbayOrder(asRecord(o)));
      for (const o of orders) if (o.remoteUpdatedAt && Date.parse(o.remoteUpdatedAt) > Date.parse(maxUpdated)) maxUpdated = o.remoteUpdatedAt;
      offset += raw.length;
      const more = raw.length > 0 && (res.data.next ? true : res.data.total !== undefined ? offset < res.data.total : raw.length === ORDERS_PAGE);
      yield { orders, cursor: maxUpdated, done: !more, resume: JSON.stringify({ since, offset }) };
      if (!more) return;
    }
  }

  /** Shipment confirmation (issue #21): createShippingFulfillment / getShippingFulfillments. */
  confirmShipment(c: ShipmentConfirmationIn): Promise<ConfirmOutcome> {
    return ebayConfirm(this.http, c);
  }
  fulfilmentsOf(channel: string, orderId: string): Promise<RemoteFulfilment[]> {
    return ebayFulfilments(this.http, channel, orderId);
  }

  async verify(): Promise<VerifyResult> {
    // One cheap authorised read: the token refresh plus a 1-item inventory page.
    const res = await this.http.request<{ total?: number }>({ method: 'GET', url: '/sell/inventory/v1/inventory_item', params: { limit: 1, offset: 0 }, operation: 'getInventoryItems' });
    return {
      account: `client ${this.cfg.clientId.slice(0, 12)}…`,
      check: `token refreshed; inventory readable (${res.data.total ?? 0} items)`,
      tokenExpiresAt: this.auth.lastExpiry,
      refreshExpiresAt: this.auth.refreshExpiry,
    };
  }

  // ---------- ListingMigrationPort ----------

  async inventorySkus(): Promise<Set<string>> {
    const out = new Set<string>();
    // getInventoryItems: `offset` is a page number here, `limit` ≤ 200.
    for (let page = 0; ; page++) {
      const res = await this.http.request<{ inventoryItems?: Array<{ sku?: string }>; total?: number; next?: string }>({
        method: 'GET',
        url: '/sell/inventory/v1/inventory_item',
        params: { limit: INVENTORY_PAGE, offset: page },
        operation: 'getInventoryItems',
      });
      const items = res.data.inventoryItems ?? [];
      for (const i of items) if (i.sku) out.add(i.sku);
      const more = items.length > 0 && (res.data.next ? true : res.data.total !== undefined ? (page + 1) * INVENTORY_PAGE < res.data.total : items.length === INVENTORY_PAGE);
      if (!more) return out;
    }
  }

  async activeListings(marketplaceId: string, progress?: (message: string) => void): Promise<ActiveListing[]> {
    const created = await this.http.request({
      method: 'POST',
      url: '/sell/feed/v1/inventory_task',
      data: { feedType: 'LMS_ACTIVE_INVENTORY_REPORT', schemaVersion: '1.0', filterCriteria: { listingFormat: 'FIXED_PRICE' } },
      headers: { 'Content-Type': 'application/json', 'X-EBAY-C-MARKETPLACE-ID': marketplaceId },
      operation: 'createInventoryTask',
    });
    const location = created.headers.location ?? '';
    const taskId = /\/inventory_task\/([^/?#]+)/.exec(location)?.[1];
    if (!taskId) throw new HttpError(`ebay: createInventoryTask answered ${created.status} without the task's Location header`, { service: 'ebay', kind: 'http', status: created.status, method: 'POST', url: 'sell/feed/v1/inventory_task', attempts: created.attempts });
    // eBay builds the report in the background (seconds for a small shop, minutes for a large one).
    let wait = this.cfg.reportPollMs ?? 500;
    const maxWait = this.cfg.reportMaxWaitMs ?? 30 * 60_000;
    let waited = 0;
    for (;;) {
      const t = await this.http.request<{ status?: string }>({ method: 'GET', url: `/sell/feed/v1/inventory_task/${encodeURIComponent(taskId)}`, operation: 'getInventoryTask' });
      const status = t.data.status ?? '';
      if (status === 'COMPLETED' || status === 'COMPLETED_WITH_ERROR' || status === 'PARTIALLY_PROCESSED') break;
      if (status === 'FAILED') throw new HttpError(`ebay: the Active Inventory Report for ${marketplaceId} failed (task ${taskId}); run again later`, { service: 'ebay', kind: 'http', status: t.status, method: 'GET', url: `sell/feed/v1/inventory_task/${taskId}`, attempts: t.attempts });
      if (waited >= maxWait) {
        throw new HttpError(`ebay: the Active Inventory Report for ${marketplaceId} is still ${status.toLowerCase() || 'pending'} after ${Math.round(waited / 60_000)} min (task ${taskId})`, {
          service: 'ebay',
          kind: 'timeout',
          method: 'GET',
          url: `sell/feed/v1/inventory_task/${taskId}`,
          attempts: 1,
          hints: ['eBay builds the report in the background; run the command again later'],
        });
      }
      progress?.(`eBay is building the active-listings report for ${marketplaceId} (${status.toLowerCase() || 'queued'})…`);
      await this.sleep(wait);
      waited += wait;
      wait = Math.min(wait * 2, 30_000);
    }
    const file = await this.http.request<ArrayBuffer>({ method: 'GET', url: `/sell/feed/v1/task/${encodeURIComponent(taskId)}/download_result_file`, responseType: 'arraybuffer', operation: 'getResultFile', headers: { Accept: 'application/octet-stream' } });
    return parseActiveInventoryReport(Buffer.from(file.data), marketplaceId);
  }

  async migrate(listingIds: readonly string[]): Promise<MigrationOutcome[]> {
    if (listingIds.length < 1 || listingIds.length > EBAY_MIGRATE_MAX) throw new RangeError(`bulkMigrateListing takes 1 to ${EBAY_MIGRATE_MAX} listings, got ${listingIds.length}`);
    let res;
    try {
      res = await this.http.request<{ responses?: unknown[] }>({
        method: 'POST',
        url: '/sell/inventory/v1/bulk_migrate_listing',
        data: { requests: listingIds.map((listingId) => ({ listingId })) },
        headers: { 'Content-Type': 'application/json' },
        operation: 'bulkMigrateListing',
        acceptStatus: [207],
      });
    } catch (e) {
      if (!(e instanceof HttpError) || e.kind === 'auth') throw e;
      // A refused call (4xx) migrated nothing; no definite answer (timeout, 5xx) may have migrated any.
      const definite = !e.ambiguous && e.status !== undefined && e.status < 500;
      return listingIds.map((listingId) => ({
        listingId,
        marketplaceId: null,
        ok: false,
        statusCode: e.status ?? null,
        items: [],
        errors: [{ code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()), message: e.apiMessage ?? e.message }],
        warnings: [],
        ...(definite ? {} : { unconfirmed: true }),
      }));
    }
    const responses = (res.data.responses ?? []).map(asRecord);
    return listingIds.map((listingId) => {
      const r = responses.find((x) => str(x.listingId) === listingId);
      if (!r) return { listingId, marketplaceId: null, ok: false, statusCode: null, items: [], errors: [{ code: 'NO_RESPONSE', message: 'eBay returned no result for this listing' }], warnings: [], unconfirmed: true };
      const statusCode = Number(r.statusCode ?? res.status);
      const errors = asArray(r.errors).map(asRecord).map((e) => ({ code: String(e.errorId ?? ''), message: str(e.longMessage) ?? str(e.message) ?? '' }));
      const warnings = asArray(r.warnings).map(asRecord).map((e) => ({ code: String(e.errorId ?? ''), message: str(e.longMessage) ?? str(e.message) ?? '' }));
      const items = asArray(r.inventoryItems).map(asRecord).filter((i) => str(i.sku)).map((i) => ({ sku: str(i.sku)!, offerId: str(i.offerId) ?? null }));
      const ok = statusCode >= 200 && statusCode < 300 && !errors.length;
      return { listingId, marketplaceId: str(r.marketplaceId) ?? null, ok, statusCode, items, ...(str(r.inventoryItemGroupKey) ? { inventoryItemGroupKey: str(r.inventoryItemGroupKey) } : {}), errors, warnings };
    });
  }
}

function resumeOffset(resume: string | undefined, since: string): number {
  if (!resume) return 0;
  try {
    const r = JSON.parse(resume) as { since?: unknown; offset?: unknown };
    return r.since === since && typeof r.offset === 'number' && Number.isInteger(r.offset) && r.offset > 0 ? r.offset : 0;
  } catch {
    return 0;
  }
}

const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/**
 * eBay's Active Inventory Report: a ZIP holding one XML file (LMS ActiveInventoryReport, possibly
 * inside BulkDataExchangeResponses) with a SKUDetails per listing: ItemID, SKU, Price, Quantity, and
 * Variations/Variation for a multiple-variation listing. A gzip or bare XML answer is read too.
 */
export function parseActiveInventoryReport(buf: Buffer, marketplaceId: string): ActiveListing[] {
  let xml: string;
  if (buf[0] === 0x50 && buf[1] === 0x4b) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(new Uint8Array(buf), { filter: (f) => /\.xml$/i.test(f.name) && f.originalSize <= MAX_REPORT_BYTES });
    } catch (e) {
      throw new HttpError(`ebay: the Active Inventory Report is not a readable ZIP: ${(e as Error).message}`, { service: 'ebay', kind: 'http', method: 'GET', url: 'sell/feed/v1/task/…/download_result_file', attempts: 1 });
    }
    const name = Object.keys(entries)[0];
    if (!name) throw new HttpError('ebay: the Active Inventory Report ZIP holds no XML file', { service: 'ebay', kind: 'http', method: 'GET', url: 'sell/feed/v1/task/…/download_result_file', attempts: 1 });
    xml = strFromU8(entries[name]!);
  } else if (buf[0] === 0x1f && buf[1] === 0x8b) {
    xml = gunzipSync(buf).toString('utf8');
  } else {
    xml = buf.toString('utf8');
  }
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, removeNSPrefix: true, processEntities: true, isArray: (n) => n === 'SKUDetails' || n === 'Variation' });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch (e) {
    throw new HttpError(`ebay: the Active Inventory Report is not valid XML: ${(e as Error).message}`, { service: 'ebay', kind: 'http', method: 'GET', url: 'sell/feed/v1/task/…/download_result_file', attempts: 1 });
  }
  const report = asRecord(asRecord(doc.BulkDataExchangeResponses).ActiveInventoryReport ?? doc.ActiveInventoryReport);
  const text = (v: unknown) => {
    const s = typeof v === 'object' && v !== null ? str((v as Record<string, unknown>)['#text']) : str(v);
    return s?.trim() ? s.trim() : null;
  };
  const out: ActiveListing[] = [];
  for (const d of asArray(report.SKUDetails).map(asRecord)) {
    const listingId = text(d.ItemID);
    if (!listingId) continue;
    const variations = asArray(asRecord(d.Variations).Variation).map(asRecord);
    out.push(variations.length ? { listingId, marketplaceId, skus: variations.map((v) => text(v.SKU)), variations: true } : { listingId, marketplaceId, skus: [text(d.SKU)], variations: false });
  }
  return out;
}

function qtyOf(c: ListingChange): number | undefined {
  if (c.status === 'inactive' || c.status === 'removed') return 0;
  return c.quantity;
}

function ebayStatus(o: Record<string, unknown>): string {
  const cancel = str(asRecord(o.cancelStatus).cancelState);
  if (cancel === 'CANCELED') return 'cancelled';
  const pay = str(o.orderPaymentStatus);
  if (pay === 'FULLY_REFUNDED') return 'refunded';
  const f = str(o.orderFulfillmentStatus);
  if (f === 'FULFILLED') return 'shipped';
  if (f === 'IN_PROGRESS') return 'partially_shipped';
  if (pay === 'PENDING') return 'pending';
  return 'unshipped';
}

/**
 * The storefront an eBay order belongs to: the site of the listing its lines were sold from
 * (lineItems[].listingMarketplaceId) — a buyer on ebay.fr can buy from the seller's ebay.co.uk listing
 * (purchaseMarketplaceId EBAY_FR): the sale is ebay-uk's, in its currency. A mixed order (lines from
 * listings on several sites) goes to the site with the largest line total (ties: the first line's);
 * each line keeps its own listing's storefront, so its SKU is read as that storefront's.
 */
function orderChannel(lines: Array<{ channel: string | undefined; cost: bigint }>, currency: string): string {
  const totals = new Map<string, bigint>();
  for (const l of lines) if (l.channel) totals.set(l.channel, (totals.get(l.channel) ?? 0n) + l.cost);
  let best: string | undefined;
  for (const [ch, t] of totals) if (best === undefined || t > totals.get(best)!) best = ch;
  return best ?? CHANNELS.find((c) => c.marketplace === 'ebay' && c.currency === currency)?.code ?? 'ebay-us';
}

export function normaliseEbayOrder(o: Record<string, unknown>): NormalizedOrder {
  const ps = asRecord(o.pricingSummary);
  const total = asRecord(ps.total);
  const cur = str(total.currency) ?? str(asRecord(ps.priceSubtotal).currency) ?? 'USD';
  const amt = (v: unknown) => minorFromWire(asRecord(v).value, cur);
  const lineItems = asArray(o.lineItems).map(asRecord);
  const shipStep = asRecord(asRecord(asArray(o.fulfillmentStartInstructions)[0]).shippingStep);
  const shipTo = asRecord(shipStep.shipTo);
  const addr = asRecord(shipTo.contactAddress);
  const buyer = asRecord(o.buyer);
  const lineChannel = (l: Record<string, unknown>) => ebayChannelOf(str(l.listingMarketplaceId)) ?? ebayChannelOf(str(l.purchaseMarketplaceId));
  const lines = lineItems.map((l) => {
    const qty = Number(l.quantity ?? 1) || 1;
    const cost = amt(l.lineItemCost);
    const tax = asArray(l.taxes).reduce<bigint>((s, t) => s + amt(asRecord(t).amount), 0n) + asArray(l.ebayCollectAndRemitTaxes).reduce<bigint>((s, t) => s + amt(asRecord(t).amount), 0n);
    const discounted = asRecord(l.discountedLineItemCost);
    const channel = lineChannel(l);
    return {
      externalLineId: str(l.lineItemId) ?? `${str(l.sku)}`,
      sku: str(l.sku) ?? null,
      ...(channel ? { channel } : {}),
      title: str(l.title) ?? null,
      quantity: qty,
      unitPriceMinor: divRound(cost, BigInt(qty), 'halfUp'),
      discountMinor: discounted.value !== undefined ? cost - amt(discounted) : 0n,
      taxMinor: tax,
    };
  });
  const channel = orderChannel(
    lineItems.map((l) => ({ channel: lineChannel(l), cost: amt(l.lineItemCost) })),
    cur,
  );
  const fee = asRecord(o.totalMarketplaceFee);
  const refunds = asArray(asRecord(o.paymentSummary).refunds).map(asRecord);
  return {
    marketplace: 'ebay',
    channel,
    externalId: str(o.orderId) ?? '',
    status: ebayStatus(o),
    orderedAt: str(o.creationDate) ?? '',
    remoteUpdatedAt: str(o.lastModifiedDate) ?? null,
    paidAt: null,
    currency: cur,
    buyerName: str(shipTo.fullName) ?? str(asRecord(buyer.buyerRegistrationAddress).fullName) ?? str(buyer.username) ?? null,
    buyerEmail: str(shipTo.email) ?? null,
    shipTo: Object.keys(shipTo).length ? shipTo : null,
    shipCountry: upperCountry(addr.countryCode),
    shippingMinor: amt(ps.deliveryCost),
    shippingTaxMinor: 0n,
    discountMinor: absBig(amt(ps.priceDiscount)),
    taxMinor: amt(ps.tax),
    taxKind: 'included',
    totalMinor: total.value !== undefined ? amt(total) : null,
    lines,
    fees: fee.value !== undefined ? [{ externalId: 'marketplace-fee', kind: 'marketplace', amountMinor: minorFromWire(fee.value, str(fee.currency) ?? cur), currency: str(fee.currency) ?? cur }] : [],
    refunds: refunds.map((r, i) => ({
      externalId: str(r.refundId) ?? `refund-${i}`,
      refundedAt: str(r.refundDate) ?? str(o.lastModifiedDate) ?? '',
      amountMinor: amt(r.amount),
      currency: str(asRecord(r.amount).currency) ?? cur,
    })),
    raw: o,
  };
}

function absBig(v: bigint): bigint {
  return v < 0n ? -v : v;
}
