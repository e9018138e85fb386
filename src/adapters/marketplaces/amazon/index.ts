// Amazon Selling Partner API.
//
// Regions: every marketplace is served by one regional endpoint (NA, EU, FE; regions.ts). The
// adapter holds one HTTP client per region the account was connected for and sends each region's
// endpoint only its own marketplaces; order pulls are one search per region.
// Auth: Login with Amazon refresh-token grant, access token cached for its life (3600 s) and sent as
// x-amz-access-token, shared by the regions. A 403 is told apart: a revoked token, marketplaces sent
// to the wrong region, or an app without the role / a seller who did not authorize the region.
// Pacing: every call waits for room in its operation's documented bucket (limits.ts) per seller and
// region before it is sent; JSON_LISTINGS_FEED submissions also wait for the 5-per-5-minutes quota.
// Price and stock: Listings Items PATCH with `merge` (listing.ts) and the listing's own product type,
// one call per SKU and marketplace for small change sets; a JSON_LISTINGS_FEED per marketplace for
// large ones (one marketplace per feed: Amazon refuses more, models#4726). Feeds are submitted first,
// then polled together for up to amazon.feedWaitMs; one still queued is handed back as `queued` (the
// caller records it through PushHooks.onQueued as soon as it is accepted) and checked by a later run
// with checkQueued(). FBA listings never get a quantity.
// Orders: searchOrders (2026-01-01) by lastUpdatedAfter with paginationToken, per region.
// FBA stock: FBA Inventory v1 getInventorySummaries, one marketplace per call (marketplaceIds has
// maxItems 1; granularityType=Marketplace, granularityId = that marketplace), details=true, every page
// by nextToken right away (a token lives 30 s).

import { amazonConfirm, amazonFulfilments, type Requester } from '../fulfilment.js';
import type { ShipmentConfirmationIn, ConfirmOutcome, RemoteFulfilment, ConfirmationFeedStatus } from '../../../ports/marketplace.js';
import { gunzipSync } from 'node:zlib';
import { TokenEndpointAuth, requestToken, type IssuedToken } from '../../http/token-holder.js';
import type { HttpClient, HttpResponse, RequestOptions, ApiErrorInfo } from '../../http/client.js';
import { defaultErrorInfo } from '../../http/client.js';
import type { HttpFactory } from '../../http/factory.js';
import { HttpError } from '../../http/errors.js';
import { describeLimit, type Limit, type Pacer, type PacerStateStore } from '../../http/pacer.js';
import { channelDef } from '../../../core/channels.js';
import type {
  AccountMarketplace,
  CallPlan,
  ItemOutcome,
  ListingChange,
  FbaStockRead,
  ListingFacts,
  MarketplacePort,
  OrdersPage,
  PushHooks,
  QueuedBatch,
  QueuedBatchStatus,
  RemoteListing,
  VerifyResult,
} from '../../../ports/marketplace.js';
import { asArray, asRecord, chunk, failAll, jsonWithDecimals, scaledSleep, str } from '../common.js';
import { AMAZON_USAGE_PLANS, LISTINGS_FEED_QUOTA, type AmazonOperation } from './limits.js';
import { amazonListingValues, amazonPatches, listingFacts, quantityToSend } from './listing.js';
import { normaliseAmazonOrder } from './orders.js';
import { AmazonPublishing } from './publish.js';
import { AMAZON_CONFIRM_FEED_THRESHOLD, FULFILMENT_FEED_CONTENT_TYPE, FULFILMENT_FEED_TYPE, fulfilmentFeedXml, fulfilmentReportOutcomes } from './fulfilment-feed.js';
import { AMAZON_REGIONS, REGION_NAMES, amazonMarketplace, byRegion, channelOfMarketplace, regionOf, type AmazonRegion } from './regions.js';

export { amazonPatches, amazonListingValues, listingFacts } from './listing.js';
export { normaliseAmazonOrder, amazonChannelOf } from './orders.js';
export { AMAZON_ENDPOINTS, AMAZON_MARKETPLACES, AMAZON_REGIONS, regionOf, byRegion, expandEndpoint, isAmazonRegion, channelOfMarketplace } from './regions.js';
export type { AmazonRegion } from './regions.js';

export const AMAZON_FEED_MAX = 25_000;
/** Above this many changes for one marketplace, a JSON_LISTINGS_FEED replaces per-SKU PATCH calls. */
export const AMAZON_FEED_THRESHOLD = 50;
/** How long a run waits for its feeds before handing them to the next run (ms). */
export const AMAZON_FEED_WAIT_MS = 15 * 60_000;
/** searchListingsItems takes at most 20 identifiers (and pageSize ≤ 20). */
const LOOKUP_BATCH = 20;

export interface AmazonConfig {
  /** The endpoint of each region the account was connected for. */
  endpoints?: Partial<Record<AmazonRegion, string>>;
  /** Legacy: one endpoint, serving `region` (default eu). */
  baseURL?: string;
  region?: AmazonRegion;
  /** Full LWA token endpoint URL (https://api.amazon.com/auth/o2/token). */
  authURL: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId: string;
  /** The marketplaces the account sells on (verify, and which regions to expect). */
  marketplaceIds?: string[];
  feedThreshold?: number;
  /** Above this many pending shipment confirmations per region, one order-fulfillment feed (amazon.confirmFeedThreshold). */
  confirmFeedThreshold?: number;
  /** Feed polling: first wait and cap (ms); the HTTP client's backoffScale applies to them. */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** Stop waiting for feeds after this long (ms); they are checked again by the next run. */
  feedWaitMs?: number;
  /** Where the request pacer keeps its buckets between runs. */
  pacerState?: PacerStateStore;
  now?: () => number;
}

class LwaAuth extends TokenEndpointAuth {
  constructor(
    private cfg: AmazonConfig,
    private http: HttpClient,
  ) {
    super(cfg);
  }
  // LWA tokens live an hour; ask for a new one a minute before.
  protected renewAt(at: number, life: number): number {
    return at + life - 60_000;
  }
  async headers(): Promise<Record<string, string>> {
    return { 'x-amz-access-token': await this.accessToken() };
  }
  protected async refresh(): Promise<IssuedToken> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: this.cfg.refreshToken,
      client_id: this.cfg.clientId,
      client_secret: this.cfg.clientSecret,
    }).toString();
    const { token, data } = await requestToken(this.http, {
      service: 'amazon',
      url: this.cfg.authURL,
      form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      operation: 'lwa token',
      errorUrl: 'auth/o2/token',
      malformed: { operation: 'lwa token', url: 'auth/o2/token' },
      refused: (e) => {
        const which = e.apiCode === 'invalid_client' ? 'the LWA client id/secret (rotated every 180 days?)' : 'the refresh token (revoked or never granted?)';
        return {
          message: `Login with Amazon refused ${which}: ${e.apiCode ?? e.status}${e.apiMessage ? ` ${e.apiMessage}` : ''}`,
          hints: ['update the credentials with `merchant marketplace connect amazon --token-file FILE`'],
        };
      },
    });
    return { value: token, lifeMs: (data.expires_in ?? 3600) * 1000 };
  }
}

/** Amazon's error envelope {errors:[{code,message,details}]}: the details say which 403 it is. */
export function amazonErrorInfo(status: number, data: unknown): ApiErrorInfo {
  const info = defaultErrorInfo(status, data);
  let body = data;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return info;
    }
  }
  const first = asRecord(asArray(asRecord(body).errors)[0]);
  const details = str(first.details);
  if (details && info.message && !info.message.includes(details)) return { ...info, message: `${info.message} ${details}` };
  return info;
}

const NOT_IN_REGION = /not valid for (the )?region/i;
const BAD_TOKEN = /access token .*(revoked|malformed|invalid|expired)/i;

function amazonIsAuthFailure(status: number, info: ApiErrorInfo): boolean {
  if (status === 401) return true;
  if (status !== 403) return false;
  // Marketplaces sent to the wrong region: a new token changes nothing.
  if (NOT_IN_REGION.test(info.message ?? '')) return false;
  return info.code === 'Unauthorized' || info.code === 'MissingAuthenticationToken';
}

interface FeedRun {
  channel: string;
  marketplaceId: string;
  region: AmazonRegion;
  feedId: string;
  submittedAt: string;
  group: ListingChange[];
  /** Adds what was learnt about each listing to its outcome. */
  decorate: (o: ItemOutcome) => ItemOutcome;
}

export class AmazonAdapter implements MarketplacePort {
  readonly name = 'amazon' as const;
  private clients = new Map<AmazonRegion, HttpClient>();
  private tokenHttp: HttpClient;
  private docHttp: HttpClient;
  private auth: LwaAuth;
  private pacer: Pacer;
  private sleep: (ms: number) => Promise<void>;
  private endpoints: Partial<Record<AmazonRegion, string>>;

  constructor(
    private cfg: AmazonConfig,
    private factory: HttpFactory,
  ) {
    this.endpoints = { ...(cfg.endpoints ?? {}) };
    if (cfg.baseURL && !Object.keys(this.endpoints).length) this.endpoints[cfg.region ?? 'eu'] = cfg.baseURL;
    for (const r of AMAZON_REGIONS) if (this.endpoints[r]) this.endpoints[r] = this.endpoints[r]!.replace(/\/+$/, '');
    this.tokenHttp = factory.create({ service: 'amazon', baseURL: cfg.authURL.replace(/\/auth\/o2\/token$/, '') });
    this.auth = new LwaAuth(cfg, this.tokenHttp);
    // Presigned document URLs: no SP-API token on them.
    this.docHttp = factory.create({ service: 'amazon', baseURL: this.endpoints.eu ?? this.endpoints.na ?? this.endpoints.fe ?? 'http://invalid' });
    this.pacer = factory.pacer({ service: 'amazon', state: cfg.pacerState });
    this.sleep = scaledSleep(factory);
  }

  /** The calls `listings publish` makes (publish.ts), paced and explained like every other call. */
  publishing(): AmazonPublishing {
    return new AmazonPublishing(this.cfg.sellerId, (region, op, req, mks) => this.call(region, op, req, [], mks), this.docHttp);
  }

  /** The regions this adapter can reach. */
  regions(): AmazonRegion[] {
    return AMAZON_REGIONS.filter((r) => this.endpoints[r]);
  }

  private client(region: AmazonRegion): HttpClient {
    let c = this.clients.get(region);
    if (c) return c;
    const url = this.endpoints[region];
    if (!url) {
      throw new HttpError(`amazon: this account is not connected for the ${REGION_NAMES[region]} region (${region}), whose endpoint serves that marketplace`, {
        service: 'amazon',
        kind: 'auth',
        method: '-',
        url: region,
        attempts: 0,
        hints: ['run `merchant marketplace connect amazon` again: it reads the marketplaces the account sells on and connects each region'],
      });
    }
    c = this.factory.create({
      service: 'amazon',
      baseURL: url,
      auth: this.auth,
      headers: { Accept: 'application/json' },
      errorInfo: amazonErrorInfo,
      isAuthFailure: amazonIsAuthFailure,
      pacer: this.pacer,
    });
    this.clients.set(region, c);
    return c;
  }

  requestCount(): number {
    let n = this.tokenHttp.requestCount + this.docHttp.requestCount;
    for (const c of this.clients.values()) n += c.requestCount;
    return n;
  }

  private limitKey(region: AmazonRegion, what: string): string {
    return `amazon/${this.cfg.sellerId}/${region}/${what}`;
  }

  /** One SP-API call to a region, paced on its operation's bucket (and any extra limits). */
  private async call<T>(region: AmazonRegion, op: AmazonOperation, req: Omit<RequestOptions, 'operation' | 'pace'>, extra: Array<{ key: string; limit: Limit }> = [], marketplaceIds: readonly string[] = []): Promise<HttpResponse<T>> {
    const key = this.limitKey(region, op);
    this.pacer.define(key, AMAZON_USAGE_PLANS[op]);
    for (const x of extra) this.pacer.define(x.key, x.limit);
    const http = this.client(region);
    try {
      return await http.request<T>({ ...req, operation: op, pace: { keys: [key, ...extra.map((x) => x.key)], rateKey: key, label: `${op} (${region})` } });
    } catch (e) {
      throw this.explain(e, region, op, marketplaceIds);
    }
  }

  /** Tell the 403s apart: a rejected token, marketplaces of another region, or a missing role/authorization. */
  private explain(e: unknown, region: AmazonRegion, op: string, marketplaceIds: readonly string[]): unknown {
    if (!(e instanceof HttpError) || e.status !== 403) return e;
    const text = `${e.apiMessage ?? ''} ${e.message}`;
    const endpoint = this.endpoints[region] ?? region;
    const base = { service: 'amazon', kind: 'auth' as const, status: 403, apiCode: e.apiCode, apiMessage: e.apiMessage, method: e.method, url: e.url, attempts: e.attempts };
    if (NOT_IN_REGION.test(text)) {
      const names = marketplaceIds.map((id) => `${id} (${amazonMarketplace(id)?.name ?? 'unknown'}, ${regionOf(id) ?? '?'})`).join(', ');
      return new HttpError(`amazon: the ${REGION_NAMES[region]} endpoint refused ${op}: the marketplaces sent${names ? ` (${names})` : ''} are not valid for that region (403 ${e.apiCode ?? 'Unauthorized'})`, {
        ...base,
        hints: [`each marketplace goes to its own region's endpoint (${endpoint} serves ${region.toUpperCase()}); run \`merchant marketplace connect amazon\` again to re-read the account's marketplaces and regions`],
      });
    }
    if (BAD_TOKEN.test(text) || e.apiCode === 'MissingAuthenticationToken') {
      return new HttpError(`amazon: ${op} rejected the access token even after a fresh one was issued (403 ${e.apiCode ?? 'Unauthorized'}): the refresh token or the app's authorization was revoked`, {
        ...base,
        hints: ['authorize the app again in Seller Central, then `merchant marketplace connect amazon --token-file FILE` with the new refresh token'],
      });
    }
    return new HttpError(
      `amazon: access to ${op} was denied in the ${REGION_NAMES[region]} region (403 ${e.apiCode ?? 'Unauthorized'}) although Login with Amazon issued a valid token: the app lacks the role this call needs (Product Listing for listings and feeds, Inventory and Order Tracking for orders, Selling Partner Insights for the account's marketplaces) or the seller has not authorized it for ${region.toUpperCase()}`,
      {
        ...base,
        hints: [`add the role to the app (Solution Provider Portal → your app → Edit) and authorize it again in Seller Central for ${REGION_NAMES[region]}; then \`merchant marketplace connect amazon\``],
      },
    );
  }

  private threshold(): number {
    return this.cfg.feedThreshold ?? AMAZON_FEED_THRESHOLD;
  }

  planCalls(changes: readonly ListingChange[]): CallPlan[] {
    const plan: CallPlan[] = [];
    let patches = 0;
    let feeds = 0;
    let feedItems = 0;
    let lookups = 0;
    let unknown = 0;
    const regions = new Set<string>();
    for (const [channel, group] of groupBy(changes, (c) => c.channel)) {
      const mk = channelDef(channel)?.remoteId;
      const region = mk ? regionOf(mk) : undefined;
      if (region) regions.add(region);
      const uncached = group.filter(needsLookup).length;
      lookups += Math.ceil(uncached / LOOKUP_BATCH);
      unknown += uncached;
      if (group.length > this.threshold()) {
        feeds += Math.ceil(group.length / AMAZON_FEED_MAX);
        feedItems += group.length;
      } else patches += group.length;
    }
    const where = regions.size ? ` (${[...regions].join(', ')})` : '';
    if (lookups) plan.push({ operation: `searchListingsItems: product type and fulfilment channel (before any quantity)${where}`, calls: lookups, items: unknown, batchSize: LOOKUP_BATCH });
    if (patches) plan.push({ operation: `patchListingsItem (merge)${where}`, calls: patches, items: patches, batchSize: 1 });
    if (feeds) plan.push({ operation: `JSON_LISTINGS_FEED (upload, createFeed, poll, report), one marketplace each${where}`, calls: feeds, items: feedItems, batchSize: AMAZON_FEED_MAX });
    return plan;
  }

  private listingPath(sku: string): string {
    return `/listings/2021-08-01/items/${encodeURIComponent(this.cfg.sellerId)}/${encodeURIComponent(sku)}`;
  }

  /** Product type and fulfilment channel of these SKUs on one marketplace (searchListingsItems, 20 a call). */
  private async lookupFacts(region: AmazonRegion, marketplaceId: string, skus: readonly string[]): Promise<Map<string, ListingFacts>> {
    const out = new Map<string, ListingFacts>();
    for (const part of chunk([...new Set(skus)], LOOKUP_BATCH)) {
      const r = await this.call<{ items?: unknown[] }>(
        region,
        'searchListingsItems',
        {
          method: 'GET',
          url: `/listings/2021-08-01/items/${encodeURIComponent(this.cfg.sellerId)}`,
          params: { marketplaceIds: marketplaceId, identifiers: part.join(','), identifiersType: 'SKU', includedData: 'summaries,fulfillmentAvailability', pageSize: LOOKUP_BATCH },
        },
        [],
        [marketplaceId],
      );
      for (const it of asArray(r.data.items).map(asRecord)) {
        const sku = str(it.sku);
        if (sku) out.set(sku, listingFacts(it, marketplaceId));
      }
    }
    return out;
  }

  async push(changes: readonly ListingChange[], hooks: PushHooks = {}): Promise<ItemOutcome[]> {
    const out: ItemOutcome[] = [];
    const feeds: FeedRun[] = [];
    for (const [channel, all] of groupBy(changes, (c) => c.channel)) {
      const marketplaceId = channelDef(channel)?.remoteId ?? undefined;
      const region = marketplaceId ? regionOf(marketplaceId) : undefined;
      if (!marketplaceId || !region) {
        out.push(...all.map((c) => fail(c, 'UNKNOWN_MARKETPLACE', `${channel} is not an Amazon marketplace merchant knows`)));
        continue;
      }
      // What we must know before writing: the listing's own product type and whether Amazon fulfils it
      // (read again before any quantity: a seller may have moved the offer to FBA since).
      let group = all.map((c) => ({ ...c }));
      const learned = new Map<string, ListingFacts>();
      const missing = group.filter(needsLookup);
      if (missing.length) {
        let facts: Map<string, ListingFacts>;
        try {
          facts = await this.lookupFacts(region, marketplaceId, missing.map((c) => c.sku));
        } catch (e) {
          out.push(...failAll(group, e));
          continue;
        }
        const notListed: ListingChange[] = [];
        for (const c of missing) {
          const f = facts.get(c.sku);
          if (!f || !f.productType) {
            notListed.push(c);
            continue;
          }
          learned.set(c.key, f);
          c.remoteProductType = f.productType;
          if (f.fulfilledBy) c.fulfilledBy = f.fulfilledBy;
        }
        for (const c of notListed) out.push(fail(c, 'NOT_FOUND', `SKU ${c.sku} is not listed on ${channel} (${marketplaceId}); sync updates existing Amazon listings only: create it with \`merchant listings publish ${c.sku} --channel ${channel}\``));
        group = group.filter((c) => !notListed.includes(c));
      }
      // FBA listings: Amazon owns the stock. Nothing to send for stock alone; a take-down is refused.
      const ready: ListingChange[] = [];
      for (const c of group) {
        const facts = learned.get(c.key);
        if (c.fulfilledBy === 'marketplace') {
          if (c.status === 'inactive' || c.status === 'removed') {
            out.push({ ...fail(c, 'FULFILLED_BY_AMAZON', `${channel} ${c.sku} is fulfilled by Amazon: its stock is Amazon's, so merchant cannot take it off sale by setting 0; close the offer in Seller Central`), ...(facts ? { learned: facts } : {}) });
            continue;
          }
          if (!c.price) {
            out.push({ key: c.key, channel, sku: c.sku, ok: true, note: 'fulfilled by Amazon: stock not sent', notSent: ['quantity'], ...(facts ? { learned: facts } : {}) });
            continue;
          }
        }
        ready.push(c);
      }
      const withFacts = (o: ItemOutcome): ItemOutcome => {
        const c = ready.find((x) => x.key === o.key);
        const f = learned.get(o.key);
        const extra: Partial<ItemOutcome> = {};
        if (f) extra.learned = f;
        if (c && c.fulfilledBy === 'marketplace' && quantityToSend(c) !== undefined) extra.notSent = ['quantity'];
        return { ...o, ...extra };
      };
      if (ready.length > this.threshold()) {
        for (const part of chunk(ready, AMAZON_FEED_MAX)) {
          try {
            feeds.push({ ...(await this.submitFeed(region, channel, marketplaceId, part, hooks)), decorate: withFacts });
          } catch (e) {
            const outs = failAll(part, e).map(withFacts);
            hooks.afterBatch?.(outs);
            out.push(...outs);
          }
        }
      } else {
        for (const c of ready) out.push(withFacts(await this.patchOne(region, marketplaceId, c, hooks, withFacts)));
      }
    }
    // Every feed is submitted first, then they are waited for together.
    if (feeds.length) out.push(...(await this.awaitFeeds(feeds, hooks)));
    return out;
  }

  private async patchOne(region: AmazonRegion, marketplaceId: string, c: ListingChange, hooks: PushHooks, decorate: (o: ItemOutcome) => ItemOutcome): Promise<ItemOutcome> {
    hooks.beforeBatch?.([c.key]);
    let res: ItemOutcome;
    try {
      const r = await this.call<{ status?: string; submissionId?: string; issues?: Array<{ code?: string; message?: string; severity?: string }> }>(
        region,
        'patchListingsItem',
        {
          method: 'PATCH',
          url: this.listingPath(c.sku),
          params: { marketplaceIds: marketplaceId, issueLocale: 'en_US' },
          data: jsonWithDecimals({ productType: c.remoteProductType, patches: amazonPatches(c, marketplaceId, { fulfilledBy: c.fulfilledBy }) }),
          headers: { 'Content-Type': 'application/json' },
        },
        [],
        [marketplaceId],
      );
      const errors = (r.data.issues ?? []).filter((i) => i.severity === 'ERROR');
      if (r.data.status === 'ACCEPTED' && !errors.length) res = { key: c.key, channel: c.channel, sku: c.sku, ok: true, note: r.data.submissionId ? `submission ${r.data.submissionId}` : undefined };
      else res = { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: errors[0]?.code ?? r.data.status ?? 'INVALID', message: errors[0]?.message ?? `listing ${r.data.status ?? 'not accepted'}` };
    } catch (e) {
      res = failAll([c], e)[0]!;
    }
    res = decorate(res);
    hooks.afterBatch?.([res]);
    return res;
  }

  /** Upload a feed document and create the feed (paced on createFeed and the JSON_LISTINGS_FEED quota). */
  private async submitFeed(region: AmazonRegion, channel: string, marketplaceId: string, group: ListingChange[], hooks: PushHooks): Promise<Omit<FeedRun, 'decorate'>> {
    const messages = group.map((c, i) => ({ messageId: i + 1, sku: c.sku, operationType: 'PATCH', productType: c.remoteProductType, patches: amazonPatches(c, marketplaceId, { fulfilledBy: c.fulfilledBy }) }));
    const feedBody = jsonWithDecimals({ header: { sellerId: this.cfg.sellerId, version: '2.0', issueLocale: 'en_US' }, messages });
    const contentType = 'application/json; charset=UTF-8';
    // Wait for the feed quota before the document is created: its upload URL lives 5 minutes only.
    const quota = { key: this.limitKey(region, 'JSON_LISTINGS_FEED'), limit: LISTINGS_FEED_QUOTA };
    this.pacer.define(quota.key, quota.limit);
    const feedKey = this.limitKey(region, 'createFeed');
    this.pacer.define(feedKey, AMAZON_USAGE_PLANS.createFeed);
    await this.pacer.waitForRoom([quota.key, feedKey], `JSON_LISTINGS_FEED for ${channel} (${region}: ${describeLimit(LISTINGS_FEED_QUOTA)})`);
    hooks.beforeBatch?.(group.map((c) => c.key));
    const doc = await this.call<{ feedDocumentId: string; url: string }>(region, 'createFeedDocument', {
      method: 'POST',
      url: '/feeds/2021-06-30/documents',
      data: { contentType },
      // Creating an unused document is harmless: retry freely.
      idempotent: true,
    });
    await this.docHttp.request({ method: 'PUT', url: doc.data.url, data: feedBody, headers: { 'Content-Type': contentType }, operation: 'uploadFeedDocument', noAuth: true });
    const feed = await this.call<{ feedId: string }>(
      region,
      'createFeed',
      { method: 'POST', url: '/feeds/2021-06-30/feeds', data: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [marketplaceId], inputFeedDocumentId: doc.data.feedDocumentId } },
      [quota],
      [marketplaceId],
    );
    const submittedAt = new Date(this.pacer.now()).toISOString();
    hooks.onQueued?.({ ref: feed.data.feedId, channel, submittedAt, items: group.map((c) => ({ key: c.key, sku: c.sku })) });
    return { channel, marketplaceId, region, feedId: feed.data.feedId, submittedAt, group };
  }

  /** Poll every submitted feed until it is processed or amazon.feedWaitMs is used up. */
  private async awaitFeeds(feeds: FeedRun[], hooks: PushHooks): Promise<ItemOutcome[]> {
    const out: ItemOutcome[] = [];
    let open = [...feeds];
    let wait = this.cfg.pollInitialMs ?? 2_000;
    const max = this.cfg.pollMaxMs ?? 60_000;
    const budget = this.cfg.feedWaitMs ?? AMAZON_FEED_WAIT_MS;
    let waited = 0;
    for (;;) {
      const still: FeedRun[] = [];
      for (const f of open) {
        let st: QueuedBatchStatus;
        try {
          st = await this.feedStatus(f.region, f.feedId, f.group);
        } catch (e) {
          // The feed is on Amazon; reading its status failed. A later run checks it again.
          if (e instanceof HttpError && e.kind !== 'auth') {
            still.push(f);
            continue;
          }
          throw e;
        }
        if (st.state === 'done') {
          const outs = (st.outcomes ?? []).map(f.decorate);
          hooks.afterBatch?.(outs);
          out.push(...outs);
        } else still.push(f);
      }
      open = still;
      if (!open.length) return out;
      if (waited >= budget) break;
      await this.sleep(wait);
      waited += wait;
      wait = Math.min(max, wait * 2);
    }
    for (const f of open) {
      const outs = f.group.map((c) =>
        f.decorate({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'FEED_QUEUED', message: `feed ${f.feedId} is still being processed by Amazon; the next run checks it`, queued: { ref: f.feedId, submittedAt: f.submittedAt, status: 'IN_QUEUE' } }),
      );
      hooks.afterBatch?.(outs);
      out.push(...outs);
    }
    return out;
  }

  /** getFeed; when processed, its report mapped to the group's items by messageId. */
  private async feedStatus(region: AmazonRegion, feedId: string, group: ReadonlyArray<Pick<ListingChange, 'key' | 'channel' | 'sku'>>): Promise<QueuedBatchStatus> {
    const f = await this.call<{ processingStatus: string; resultFeedDocumentId?: string; processingEndTime?: string }>(region, 'getFeed', { method: 'GET', url: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}` });
    const st = f.data.processingStatus;
    const processedAt = f.data.processingEndTime;
    if (st === 'DONE') {
      if (!f.data.resultFeedDocumentId) return { ref: feedId, state: 'done', status: st, processedAt, outcomes: group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: true, note: `feed ${feedId} done` })) };
      return { ref: feedId, state: 'done', status: st, processedAt, outcomes: await this.readReport(region, feedId, f.data.resultFeedDocumentId, group) };
    }
    if (st === 'FATAL' || st === 'CANCELLED') {
      const detail = f.data.resultFeedDocumentId ? await this.readReport(region, feedId, f.data.resultFeedDocumentId, group).catch(() => undefined) : undefined;
      const outcomes = detail?.some((o) => !o.ok) ? detail : group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: `FEED_${st}`, message: `feed ${feedId} ended ${st}` }));
      return { ref: feedId, state: 'done', status: st, processedAt, outcomes };
    }
    return { ref: feedId, state: 'pending', status: st };
  }

  async checkQueued(batches: readonly QueuedBatch[]): Promise<QueuedBatchStatus[]> {
    const out: QueuedBatchStatus[] = [];
    for (const b of batches) {
      const mk = channelDef(b.channel)?.remoteId ?? '';
      const region = regionOf(mk) ?? 'eu';
      const items = b.items.map((i) => ({ key: i.key, channel: b.channel, sku: i.sku }));
      try {
        out.push(await this.feedStatus(region, b.ref, items));
      } catch (e) {
        if (!(e instanceof HttpError) || e.kind === 'auth') throw e;
        // Amazon keeps feeds 90 days: one it no longer knows failed for us; its items are sent again.
        if (e.status === 404) out.push({ ref: b.ref, state: 'done', status: 'NOT_FOUND', outcomes: items.map((c) => ({ ...c, ok: false, code: 'FEED_NOT_FOUND', message: `Amazon no longer knows feed ${b.ref}; the change is sent again` })) });
        // Anything else (5xx, network, throttled): still pending, checked again next time.
        else out.push({ ref: b.ref, state: 'pending', status: 'UNKNOWN' });
      }
    }
    return out;
  }

  private async readReport(region: AmazonRegion, feedId: string, documentId: string, group: ReadonlyArray<Pick<ListingChange, 'key' | 'channel' | 'sku'>>): Promise<ItemOutcome[]> {
    const d = await this.call<{ url: string; compressionAlgorithm?: string }>(region, 'getFeedDocument', { method: 'GET', url: `/feeds/2021-06-30/documents/${encodeURIComponent(documentId)}` });
    const raw = await this.docHttp.request<ArrayBuffer>({ method: 'GET', url: d.data.url, responseType: 'arraybuffer', operation: 'downloadFeedReport', noAuth: true });
    let buf = Buffer.from(raw.data);
    // Sniff gzip by magic bytes: the declared compression is not always true (models#2618).
    if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
    const report = asRecord(JSON.parse(buf.toString('utf8')));
    const issues = asArray(report.issues).map(asRecord);
    const feedWide = issues.filter((x) => x.messageId === undefined && str(x.severity) === 'ERROR');
    return group.map((c, i) => {
      const mine = issues.filter((x) => Number(x.messageId) === i + 1 && str(x.severity) === 'ERROR');
      const first = mine[0] ?? feedWide[0];
      if (!first) return { key: c.key, channel: c.channel, sku: c.sku, ok: true, note: `feed ${feedId}` };
      return { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: str(first.code) ?? 'FEED_ERROR', message: str(first.message) ?? 'rejected by the feed' };
    });
  }

  async readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null }>): Promise<RemoteListing[]> {
    const out: RemoteListing[] = [];
    for (const i of items) {
      const mid = channelDef(i.channel)?.remoteId;
      const region = mid ? regionOf(mid) : undefined;
      if (!mid || !region) {
        out.push({ channel: i.channel, sku: i.sku, found: false });
        continue;
      }
      const r = await this.call<Record<string, unknown>>(
        region,
        'getListingsItem',
        { method: 'GET', url: this.listingPath(i.sku), params: { marketplaceIds: mid, includedData: 'summaries,attributes,offers,fulfillmentAvailability' }, acceptStatus: [404] },
        [],
        [mid],
      );
      if (r.status === 404) {
        out.push({ channel: i.channel, sku: i.sku, found: false });
        continue;
      }
      out.push({ channel: i.channel, sku: i.sku, found: true, ...amazonListingValues(r.data, mid, channelDef(i.channel)?.currency ?? 'EUR'), learned: listingFacts(r.data, mid) });
    }
    return out;
  }

  /**
   * Orders updated since the cursor, one search per region with that region's marketplaces. The
   * cursor is per region ({"eu":"…","na":"…"}); an older plain timestamp applies to every region.
   */
  async *pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[] }): AsyncGenerator<OrdersPage> {
    const ids = opts.channels.map((c) => channelDef(c)?.remoteId).filter((x): x is string => Boolean(x));
    const groups = [...byRegion(ids)];
    const positions = parseCursor(cursor);
    if (!groups.length) return;
    for (let gi = 0; gi < groups.length; gi++) {
      const [region, marketplaceIds] = groups[gi]!;
      const since = positions[region] ?? positions['*'] ?? opts.since;
      let token: string | undefined;
      let maxUpdated = since;
      for (;;) {
        const res = await this.call<{ orders?: unknown[]; pagination?: { nextToken?: string }; lastUpdatedBefore?: string }>(
          region,
          'searchOrders',
          {
            method: 'GET',
            url: '/orders/2026-01-01/orders',
            params: token
              ? { paginationToken: token, includedData: 'BUYER,RECIPIENT,PROCEEDS,FULFILLMENT', maxResultsPerPage: 100 }
              : { lastUpdatedAfter: since, marketplaceIds: marketplaceIds.join(','), includedData: 'BUYER,RECIPIENT,PROCEEDS,FULFILLMENT', maxResultsPerPage: 100 },
          },
          [],
          marketplaceIds,
        );
        const orders = (res.data.orders ?? []).map((o) => normaliseAmazonOrder(asRecord(o)));
        for (const o of orders) if (o.remoteUpdatedAt && o.remoteUpdatedAt > maxUpdated) maxUpdated = o.remoteUpdatedAt;
        token = res.data.pagination?.nextToken;
        positions[region] = maxUpdated;
        yield { orders, cursor: formatCursor(positions), done: !token && gi === groups.length - 1 };
        if (!token) break;
      }
    }
  }

  /**
   * FBA stock of these storefronts: every inventory summary Amazon has for the marketplace (all SKUs,
   * details=true), page by page. A storefront without FBA stock gives an empty list.
   */
  async readFbaStock(channels: readonly string[]): Promise<FbaStockRead[]> {
    const out: FbaStockRead[] = [];
    for (const channel of channels) {
      const mk = channelDef(channel)?.remoteId;
      const info = mk ? amazonMarketplace(mk) : undefined;
      if (!mk || !info) continue;
      const read: FbaStockRead = { channel, marketplaceId: mk, country: info.country, items: [] };
      let token: string | undefined;
      for (let page = 0; page < 10_000; page++) {
        const params: Record<string, string> = { details: 'true', granularityType: 'Marketplace', granularityId: mk, marketplaceIds: mk };
        if (token) params.nextToken = token;
        const res = await this.call<{ payload?: { inventorySummaries?: unknown[] }; pagination?: { nextToken?: string } }>(info.region, 'getInventorySummaries', { method: 'GET', url: '/fba/inventory/v1/summaries', params }, [], [mk]);
        for (const raw of res.data.payload?.inventorySummaries ?? []) {
          const x = asRecord(raw);
          const sku = str(x.sellerSku);
          if (!sku) continue;
          const d = asRecord(x.inventoryDetails);
          const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.trunc(v) : 0);
          read.items.push({
            sku,
            fulfillable: n(d.fulfillableQuantity),
            reserved: n(asRecord(d.reservedQuantity).totalReservedQuantity),
            inbound: n(d.inboundWorkingQuantity) + n(d.inboundShippedQuantity) + n(d.inboundReceivingQuantity),
            unfulfillable: n(asRecord(d.unfulfillableQuantity).totalUnfulfillableQuantity),
          });
        }
        token = res.data.pagination?.nextToken || undefined;
        if (!token) break;
      }
      out.push(read);
    }
    return out;
  }

  /** Shipment confirmation (issue #21): Orders v0 confirmShipment; read back from getOrder PACKAGES. */
  confirmShipment(c: ShipmentConfirmationIn): Promise<ConfirmOutcome> {
    return amazonConfirm(this.orderCaller(c.channel), c);
  }
  fulfilmentsOf(channel: string, orderId: string): Promise<RemoteFulfilment[]> {
    return amazonFulfilments(this.orderCaller(channel), channel, orderId);
  }
  // ---- The order-fulfillment feed (many confirmations at once; fulfilment-feed.ts) ----

  /** A parcel of an Amazon marketplace is batched with the others of its region. */
  confirmationFeedGroup(channel: string): string | undefined {
    const mid = channelDef(channel)?.remoteId;
    return mid ? regionOf(mid) : undefined;
  }
  confirmationFeedThreshold(): number {
    return this.cfg.confirmFeedThreshold ?? AMAZON_CONFIRM_FEED_THRESHOLD;
  }
  /** createFeedDocument → upload the XML → createFeed (POST_ORDER_FULFILLMENT_DATA) for the region's marketplaces involved. */
  async submitConfirmationFeed(group: string, cs: readonly ShipmentConfirmationIn[]): Promise<string> {
    const region = group as AmazonRegion;
    const mks = [...new Set(cs.map((c) => channelDef(c.channel)?.remoteId).filter((x): x is string => Boolean(x)))];
    const xml = fulfilmentFeedXml(this.cfg.sellerId, cs);
    const doc = await this.call<{ feedDocumentId: string; url: string }>(region, 'createFeedDocument', { method: 'POST', url: '/feeds/2021-06-30/documents', data: { contentType: FULFILMENT_FEED_CONTENT_TYPE } });
    await this.docHttp.request({ method: 'PUT', url: doc.data.url, data: xml, headers: { 'Content-Type': FULFILMENT_FEED_CONTENT_TYPE }, operation: 'uploadFeedDocument', noAuth: true });
    const feed = await this.call<{ feedId: string }>(region, 'createFeed', { method: 'POST', url: '/feeds/2021-06-30/feeds', data: { feedType: FULFILMENT_FEED_TYPE, marketplaceIds: mks, inputFeedDocumentId: doc.data.feedDocumentId } }, [], mks);
    return feed.data.feedId;
  }
  /** getFeed (polled up to amazon.feedWaitMs when `wait`), then the XML processing report per MessageID. */
  async confirmationFeedStatus(group: string, feedId: string, keys: readonly string[], wait: boolean): Promise<ConfirmationFeedStatus> {
    const region = group as AmazonRegion;
    let delay = this.cfg.pollInitialMs ?? 2_000;
    const max = this.cfg.pollMaxMs ?? 60_000;
    const budget = wait ? (this.cfg.feedWaitMs ?? AMAZON_FEED_WAIT_MS) : 0;
    let waited = 0;
    for (;;) {
      const f = await this.call<{ processingStatus: string; resultFeedDocumentId?: string }>(region, 'getFeed', { method: 'GET', url: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`, acceptStatus: [404] });
      if (f.status === 404) return { state: 'void', status: 'NOT_FOUND' };
      const st = f.data.processingStatus;
      if (st === 'CANCELLED') return { state: 'void', status: st };
      if (st === 'DONE' || st === 'FATAL') {
        if (!f.data.resultFeedDocumentId) {
          if (st === 'DONE') return { state: 'done', status: st, outcomes: keys.map((key) => ({ key, ok: true })) };
          return { state: 'done', status: st, outcomes: keys.map((key) => ({ key, ok: false, code: 'FEED_FATAL', message: `order-fulfillment feed ${feedId} ended FATAL without a report` })) };
        }
        const d = await this.call<{ url: string }>(region, 'getFeedDocument', { method: 'GET', url: `/feeds/2021-06-30/documents/${encodeURIComponent(f.data.resultFeedDocumentId)}` });
        const raw = await this.docHttp.request<ArrayBuffer>({ method: 'GET', url: d.data.url, responseType: 'arraybuffer', operation: 'downloadFeedReport', noAuth: true });
        let buf = Buffer.from(raw.data);
        if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
        return { state: 'done', status: st, outcomes: fulfilmentReportOutcomes(buf.toString('utf8'), keys) };
      }
      if (waited >= budget) return { state: 'processing', status: st };
      await this.sleep(delay);
      waited += delay;
      delay = Math.min(max, delay * 2);
    }
  }

  /** getFeeds: POST_ORDER_FULFILLMENT_DATA feeds of the region still IN_QUEUE or IN_PROGRESS (one page of up to 100). */
  async openConfirmationFeeds(group: string): Promise<number> {
    const r = await this.call<{ feeds?: unknown[] }>(group as AmazonRegion, 'getFeeds', { method: 'GET', url: '/feeds/2021-06-30/feeds', params: { feedTypes: FULFILMENT_FEED_TYPE, processingStatuses: 'IN_QUEUE,IN_PROGRESS', pageSize: 100 } });
    return asArray(r.data.feeds).length;
  }

  /** Order calls go to the region of the order's marketplace, paced on their operation's bucket. */
  private orderCaller(channel: string): Requester {
    const mid = channelDef(channel)?.remoteId ?? undefined;
    const region = (mid ? regionOf(mid) : undefined) ?? this.regions()[0] ?? 'eu';
    return {
      request: <T>(o: RequestOptions) => {
        const { operation, pace, ...req } = o;
        void pace;
        return this.call<T>(region, (operation ?? 'getOrder') as AmazonOperation, req, [], mid ? [mid] : []);
      },
    };
  }

  /**
   * The token exchange plus getMarketplaceParticipations on every region the adapter can reach: which
   * marketplaces the account sells on, per region. A region the seller has not authorized is reported,
   * not fatal, as long as one region answers.
   */
  async verify(): Promise<VerifyResult> {
    const marketplaces: AccountMarketplace[] = [];
    const regions: NonNullable<VerifyResult['regions']> = [];
    let firstError: unknown;
    for (const region of this.regions()) {
      try {
        const r = await this.call<{ payload?: unknown[] }>(region, 'getMarketplaceParticipations', { method: 'GET', url: '/sellers/v1/marketplaceParticipations' });
        for (const p of asArray(r.data.payload).map(asRecord)) {
          const m = asRecord(p.marketplace);
          const part = asRecord(p.participation);
          const id = str(m.id);
          if (!id) continue;
          const known = amazonMarketplace(id);
          // Each endpoint speaks for its own region's marketplaces; keep one entry per marketplace.
          if ((known && known.region !== region) || marketplaces.some((x) => x.id === id)) continue;
          marketplaces.push({
            id,
            name: str(m.name) ?? known?.name ?? id,
            country: str(m.countryCode) ?? known?.country ?? '',
            currency: str(m.defaultCurrencyCode),
            region: known?.region ?? region,
            participating: part.isParticipating !== false,
            suspendedListings: part.hasSuspendedListings === true,
            channel: channelOfMarketplace(id),
          });
        }
        regions.push({ region, endpoint: this.endpoints[region]!, ok: true });
      } catch (e) {
        // Only a refusal of this region is survivable; a token refused by LWA, a network failure… are not.
        if (!(e instanceof HttpError) || e.status !== 403) throw e;
        firstError ??= e;
        regions.push({ region, endpoint: this.endpoints[region]!, ok: false, error: e.message });
      }
    }
    if (!regions.some((r) => r.ok)) throw firstError ?? new HttpError('amazon: no region endpoint is configured for this account', { service: 'amazon', kind: 'auth', method: '-', url: '-', attempts: 0 });
    return {
      account: `seller ${this.cfg.sellerId}`,
      check: `LWA token issued; marketplaces read in ${regions.filter((r) => r.ok).map((r) => r.region.toUpperCase()).join(', ')}`,
      tokenExpiresAt: this.auth.lastExpiry,
      marketplaces,
      regions,
    };
  }
}

/**
 * A change needs the listing's facts read from Amazon when its product type or fulfilment is unknown,
 * or when it carries a quantity: a cached "merchant-fulfilled" may be stale, and a quantity sent to an
 * offer the seller has since moved to FBA would turn it back into a merchant-fulfilled one.
 */
function needsLookup(c: ListingChange): boolean {
  return !c.remoteProductType || !c.fulfilledBy || (c.fulfilledBy !== 'marketplace' && quantityToSend(c) !== undefined);
}

function fail(c: ListingChange, code: string, message: string): ItemOutcome {
  return { key: c.key, channel: c.channel, sku: c.sku, ok: false, code, message };
}

function parseCursor(cursor: string | undefined): Record<string, string> {
  if (!cursor) return {};
  if (cursor.startsWith('{')) {
    try {
      const o = JSON.parse(cursor) as Record<string, unknown>;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k] = v;
      return out;
    } catch {
      return {};
    }
  }
  return { '*': cursor };
}

function formatCursor(p: Record<string, string>): string {
  const out: Record<string, string> = {};
  for (const r of AMAZON_REGIONS) if (p[r]) out[r] = p[r];
  if (p['*']) for (const r of AMAZON_REGIONS) out[r] ??= p['*'];
  return JSON.stringify(out);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

