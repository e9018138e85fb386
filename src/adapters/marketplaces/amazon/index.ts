// Amazon Selling Partner API. Auth: Login with Amazon refresh-token grant, access token cached for
// its life (3600 s) and sent as x-amz-access-token. Price and stock: Listings Items PATCH on
// purchasable_offer / fulfillment_availability, one call per SKU and marketplace, for small change
// sets; a JSON_LISTINGS_FEED (document upload, createFeed, polling with backoff, processing report
// parsed into per-SKU results) per marketplace for large ones (≤ 25,000 messages each).
// Orders: searchOrders (2026-01-01) by lastUpdatedAfter with paginationToken.

import { amazonConfirm, amazonFulfilments } from '../fulfilment.js';
import type { ShipmentConfirmationIn, ConfirmOutcome, RemoteFulfilment } from '../../../ports/marketplace.js';
import { gunzipSync } from 'node:zlib';
import type { HttpClient, AuthProvider } from '../../http/client.js';
import type { HttpFactory } from '../../http/factory.js';
import { HttpError } from '../../http/errors.js';
import { channelDef, CHANNELS } from '../../../core/channels.js';
import { registerSecret } from '../../../core/redact.js';
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
import { asArray, asRecord, chunk, decimalOf, jsonWithDecimals, minorFromWire, moneyFromWire, str, upperCountry } from '../common.js';
import { failAll } from '../shopify/index.js';

export const AMAZON_FEED_MAX = 25_000;
/** Above this many changes for one marketplace, a JSON_LISTINGS_FEED replaces per-SKU PATCH calls. */
export const AMAZON_FEED_THRESHOLD = 50;

export interface AmazonConfig {
  baseURL: string;
  /** Full LWA token endpoint URL (https://api.amazon.com/auth/o2/token). */
  authURL: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId: string;
  feedThreshold?: number;
  /** Feed polling: first wait and cap (ms); the HTTP client's backoffScale applies to them. */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** Give up on a feed after this many polls (it stays on Amazon; items are reconciled next run). */
  pollMaxTries?: number;
  now?: () => number;
}

class LwaAuth implements AuthProvider {
  private token?: { value: string; refreshAt: number; expiresAt: number };
  private inflight?: Promise<string>;
  lastExpiry?: string;
  constructor(
    private cfg: AmazonConfig,
    private http: HttpClient,
  ) {}
  private now(): number {
    return (this.cfg.now ?? Date.now)();
  }
  async headers(): Promise<Record<string, string>> {
    return { 'x-amz-access-token': await this.accessToken() };
  }
  invalidate(): void {
    this.token = undefined;
  }
  async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.inflight ??= this.refresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }
  private async refresh(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: this.cfg.refreshToken,
      client_id: this.cfg.clientId,
      client_secret: this.cfg.clientSecret,
    }).toString();
    let res;
    try {
      res = await this.http.request<{ access_token?: string; expires_in?: number }>({
        method: 'POST',
        url: this.cfg.authURL,
        data: form,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        noAuth: true,
        idempotent: true,
        operation: 'lwa token',
      });
    } catch (e) {
      if (e instanceof HttpError && e.status !== undefined && e.status >= 400 && e.status < 500) {
        const which = e.apiCode === 'invalid_client' ? 'the LWA client id/secret (rotated every 180 days?)' : 'the refresh token (revoked or never granted?)';
        throw new HttpError(`Login with Amazon refused ${which}: ${e.apiCode ?? e.status}${e.apiMessage ? ` ${e.apiMessage}` : ''}`, {
          service: 'amazon',
          kind: 'auth',
          status: e.status,
          apiCode: e.apiCode,
          apiMessage: e.apiMessage,
          method: 'POST',
          url: 'auth/o2/token',
          attempts: e.attempts,
          hints: ['update the credentials with `merchant marketplace connect amazon --token-file FILE`'],
        });
      }
      throw e;
    }
    const tok = res.data.access_token;
    if (!tok) throw new HttpError('LWA answered without an access_token', { service: 'amazon', kind: 'auth', status: res.status, method: 'POST', url: 'auth/o2/token', attempts: res.attempts });
    registerSecret(tok);
    const life = (res.data.expires_in ?? 3600) * 1000;
    this.token = { value: tok, refreshAt: this.now() + life - 60_000, expiresAt: this.now() + life };
    this.lastExpiry = new Date(this.token.expiresAt).toISOString();
    return tok;
  }
}

function marketplaceIdOf(channel: string): string {
  const id = channelDef(channel)?.remoteId;
  if (!id) throw new Error(`unknown Amazon channel ${channel}`);
  return id;
}
export function amazonChannelOf(marketplaceId: string | undefined): string {
  return CHANNELS.find((c) => c.marketplace === 'amazon' && c.remoteId === marketplaceId)?.code ?? 'amazon-us';
}

/** JSON Patch operations for one change (values as exact decimals). */
export function amazonPatches(c: ListingChange): Array<Record<string, unknown>> {
  const patches: Array<Record<string, unknown>> = [];
  if (c.price) {
    patches.push({
      op: 'replace',
      path: '/attributes/purchasable_offer',
      value: [{ marketplace_id: marketplaceIdOf(c.channel), currency: c.price.currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: decimalOf(c.price) }] }] }],
    });
  }
  const qty = c.status === 'inactive' || c.status === 'removed' ? 0 : c.quantity;
  if (qty !== undefined) {
    patches.push({ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: qty }] });
  }
  return patches;
}

export class AmazonAdapter implements MarketplacePort {
  readonly name = 'amazon' as const;
  private http: HttpClient;
  private tokenHttp: HttpClient;
  private docHttp: HttpClient;
  private auth: LwaAuth;
  private sleep: (ms: number) => Promise<void>;

  constructor(
    private cfg: AmazonConfig,
    factory: HttpFactory,
  ) {
    this.tokenHttp = factory.create({ service: 'amazon', baseURL: cfg.authURL.replace(/\/auth\/o2\/token$/, '') });
    this.auth = new LwaAuth(cfg, this.tokenHttp);
    this.http = factory.create({ service: 'amazon', baseURL: cfg.baseURL, auth: this.auth, headers: { Accept: 'application/json' } });
    // Presigned document URLs: no SP-API token on them.
    this.docHttp = factory.create({ service: 'amazon', baseURL: cfg.baseURL });
    const scale = factory.defaults.backoffScale;
    const sleep = factory.defaults.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    this.sleep = (ms) => sleep(Math.round(ms * scale));
  }

  requestCount(): number {
    return this.http.requestCount + this.tokenHttp.requestCount + this.docHttp.requestCount;
  }

  private threshold(): number {
    return this.cfg.feedThreshold ?? AMAZON_FEED_THRESHOLD;
  }

  planCalls(changes: readonly ListingChange[]): CallPlan[] {
    const plan: CallPlan[] = [];
    const byChannel = groupBy(changes, (c) => c.channel);
    let patches = 0;
    let feeds = 0;
    let feedItems = 0;
    for (const group of byChannel.values()) {
      if (group.length > this.threshold()) {
        feeds += Math.ceil(group.length / AMAZON_FEED_MAX);
        feedItems += group.length;
      } else patches += group.length;
    }
    if (patches) plan.push({ operation: 'patchListingsItem', calls: patches, items: patches, batchSize: 1 });
    if (feeds) plan.push({ operation: 'JSON_LISTINGS_FEED (upload, createFeed, poll, report)', calls: feeds, items: feedItems, batchSize: AMAZON_FEED_MAX });
    return plan;
  }

  async push(changes: readonly ListingChange[], hooks: PushHooks = {}): Promise<ItemOutcome[]> {
    const out: ItemOutcome[] = [];
    for (const [channel, group] of groupBy(changes, (c) => c.channel)) {
      if (group.length > this.threshold()) {
        for (const part of chunk(group, AMAZON_FEED_MAX)) out.push(...(await this.pushFeed(channel, part, hooks)));
      } else {
        for (const c of group) out.push(await this.patchOne(c, hooks));
      }
    }
    return out;
  }

  private listingPath(sku: string): string {
    return `/listings/2021-08-01/items/${encodeURIComponent(this.cfg.sellerId)}/${encodeURIComponent(sku)}`;
  }

  private async patchOne(c: ListingChange, hooks: PushHooks): Promise<ItemOutcome> {
    hooks.beforeBatch?.([c.key]);
    let res: ItemOutcome;
    try {
      const r = await this.http.request<{ status?: string; submissionId?: string; issues?: Array<{ code?: string; message?: string; severity?: string }> }>({
        method: 'PATCH',
        url: this.listingPath(c.sku),
        params: { marketplaceIds: marketplaceIdOf(c.channel), issueLocale: 'en_US' },
        data: jsonWithDecimals({ productType: c.productType || 'PRODUCT', patches: amazonPatches(c) }),
        headers: { 'Content-Type': 'application/json' },
        operation: 'patchListingsItem',
      });
      const errors = (r.data.issues ?? []).filter((i) => i.severity === 'ERROR');
      if (r.data.status === 'ACCEPTED' && !errors.length) res = { key: c.key, channel: c.channel, sku: c.sku, ok: true, note: r.data.submissionId ? `submission ${r.data.submissionId}` : undefined };
      else res = { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: errors[0]?.code ?? r.data.status ?? 'INVALID', message: errors[0]?.message ?? `listing ${r.data.status ?? 'not accepted'}` };
    } catch (e) {
      res = failAll([c], e)[0]!;
    }
    hooks.afterBatch?.([res]);
    return res;
  }

  private async pushFeed(channel: string, group: ListingChange[], hooks: PushHooks): Promise<ItemOutcome[]> {
    const marketplaceId = marketplaceIdOf(channel);
    const messages = group.map((c, i) => ({ messageId: i + 1, sku: c.sku, operationType: 'PATCH', productType: c.productType || 'PRODUCT', patches: amazonPatches(c) }));
    const feedBody = jsonWithDecimals({ header: { sellerId: this.cfg.sellerId, version: '2.0', issueLocale: 'en_US' }, messages });
    const contentType = 'application/json; charset=UTF-8';
    hooks.beforeBatch?.(group.map((c) => c.key));
    let outcomes: ItemOutcome[];
    try {
      const doc = await this.http.request<{ feedDocumentId: string; url: string }>({
        method: 'POST',
        url: '/feeds/2021-06-30/documents',
        data: { contentType },
        operation: 'createFeedDocument',
        // Creating an unused document is harmless: retry freely.
        idempotent: true,
      });
      await this.docHttp.request({ method: 'PUT', url: doc.data.url, data: feedBody, headers: { 'Content-Type': contentType }, operation: 'uploadFeedDocument', noAuth: true });
      const feed = await this.http.request<{ feedId: string }>({
        method: 'POST',
        url: '/feeds/2021-06-30/feeds',
        data: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [marketplaceId], inputFeedDocumentId: doc.data.feedDocumentId },
        operation: 'createFeed',
      });
      outcomes = await this.awaitFeed(feed.data.feedId, group);
    } catch (e) {
      outcomes = failAll(group, e);
    }
    hooks.afterBatch?.(outcomes);
    return outcomes;
  }

  private async awaitFeed(feedId: string, group: ListingChange[]): Promise<ItemOutcome[]> {
    let wait = this.cfg.pollInitialMs ?? 2_000;
    const max = this.cfg.pollMaxMs ?? 60_000;
    const tries = this.cfg.pollMaxTries ?? 60;
    for (let i = 0; i < tries; i++) {
      const f = await this.http.request<{ processingStatus: string; resultFeedDocumentId?: string }>({ method: 'GET', url: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`, operation: 'getFeed' });
      const st = f.data.processingStatus;
      if (st === 'DONE') {
        if (!f.data.resultFeedDocumentId) return group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: true, note: `feed ${feedId} done` }));
        return this.readReport(feedId, f.data.resultFeedDocumentId, group);
      }
      if (st === 'FATAL' || st === 'CANCELLED') {
        const detail = f.data.resultFeedDocumentId ? await this.readReport(feedId, f.data.resultFeedDocumentId, group).catch(() => undefined) : undefined;
        return detail ?? group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: `FEED_${st}`, message: `feed ${feedId} ended ${st}` }));
      }
      await this.sleep(wait);
      wait = Math.min(max, wait * 2);
    }
    return group.map((c) => ({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'FEED_PENDING', message: `feed ${feedId} still processing; will be checked on the next run`, ambiguous: true }));
  }

  private async readReport(feedId: string, documentId: string, group: ListingChange[]): Promise<ItemOutcome[]> {
    const d = await this.http.request<{ url: string; compressionAlgorithm?: string }>({ method: 'GET', url: `/feeds/2021-06-30/documents/${encodeURIComponent(documentId)}`, operation: 'getFeedDocument' });
    const raw = await this.docHttp.request<ArrayBuffer>({ method: 'GET', url: d.data.url, responseType: 'arraybuffer', operation: 'downloadFeedReport', noAuth: true });
    let buf = Buffer.from(raw.data);
    // Sniff gzip by magic bytes: the declared compression is not always true (models#2618).
    if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
    const report = asRecord(JSON.parse(buf.toString('utf8')));
    const issues = asArray(report.issues).map(asRecord);
    return group.map((c, i) => {
      const mine = issues.filter((x) => Number(x.messageId) === i + 1 && str(x.severity) === 'ERROR');
      if (!mine.length) return { key: c.key, channel: c.channel, sku: c.sku, ok: true, note: `feed ${feedId}` };
      return { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: str(mine[0]!.code) ?? 'FEED_ERROR', message: str(mine[0]!.message) ?? 'rejected by the feed' };
    });
  }

  async readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null }>): Promise<RemoteListing[]> {
    const out: RemoteListing[] = [];
    for (const i of items) {
      const mid = marketplaceIdOf(i.channel);
      const r = await this.http.request<Record<string, unknown>>({
        method: 'GET',
        url: this.listingPath(i.sku),
        params: { marketplaceIds: mid, includedData: 'summaries,attributes,offers,fulfillmentAvailability' },
        operation: 'getListingsItem',
        acceptStatus: [404],
      });
      if (r.status === 404) {
        out.push({ channel: i.channel, sku: i.sku, found: false });
        continue;
      }
      out.push({ channel: i.channel, sku: i.sku, found: true, ...amazonListingValues(r.data, mid, channelDef(i.channel)?.currency ?? 'EUR') });
    }
    return out;
  }

  async *pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[] }): AsyncGenerator<OrdersPage> {
    const since = cursor ?? opts.since;
    const marketplaceIds = opts.channels.map((c) => channelDef(c)?.remoteId).filter((x): x is string => Boolean(x));
    let token: string | undefined;
    let maxUpdated = since;
    for (;;) {
      const res = await this.http.request<{ orders?: unknown[]; pagination?: { nextToken?: string }; lastUpdatedBefore?: string }>({
        method: 'GET',
        url: '/orders/2026-01-01/orders',
        params: token
          ? { paginationToken: token, includedData: 'BUYER,RECIPIENT,PROCEEDS,FULFILLMENT', maxResultsPerPage: 100 }
          : { lastUpdatedAfter: since, marketplaceIds: marketplaceIds.join(','), includedData: 'BUYER,RECIPIENT,PROCEEDS,FULFILLMENT', maxResultsPerPage: 100 },
        operation: 'searchOrders',
      });
      const orders = (res.data.orders ?? []).map((o) => normaliseAmazonOrder(asRecord(o)));
      for (const o of orders) if (o.remoteUpdatedAt && o.remoteUpdatedAt > maxUpdated) maxUpdated = o.remoteUpdatedAt;
      token = res.data.pagination?.nextToken;
      yield { orders, cursor: maxUpdated, done: !token };
      if (!token) return;
    }
  }

  /** Shipment confirmation (issue #21): Orders v0 confirmShipment; read back from getOrder PACKAGES. */
  confirmShipment(c: ShipmentConfirmationIn): Promise<ConfirmOutcome> {
    return amazonConfirm(this.http, c);
  }
  fulfilmentsOf(channel: string, orderId: string): Promise<RemoteFulfilment[]> {
    return amazonFulfilments(this.http, channel, orderId);
  }

  async verify(): Promise<VerifyResult> {
    // The token exchange plus one cheap read: a listings search with one result.
    const mid = CHANNELS.find((c) => c.marketplace === 'amazon')!.remoteId!;
    await this.http.request({
      method: 'GET',
      url: `/listings/2021-08-01/items/${encodeURIComponent(this.cfg.sellerId)}`,
      params: { marketplaceIds: mid, pageSize: 1 },
      operation: 'searchListingsItems',
    });
    return { account: `seller ${this.cfg.sellerId}`, check: 'LWA token issued; listings readable', tokenExpiresAt: this.auth.lastExpiry };
  }
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

/** Price and quantity of a listing from getListingsItem (offers/fulfillmentAvailability, else attributes). */
export function amazonListingValues(body: Record<string, unknown>, marketplaceId: string, currency: string): Pick<RemoteListing, 'price' | 'quantity' | 'status'> {
  const out: Pick<RemoteListing, 'price' | 'quantity' | 'status'> = {};
  const offer = asArray(body.offers).map(asRecord).find((o) => !o.marketplaceId || o.marketplaceId === marketplaceId);
  if (offer) {
    const p = asRecord(offer.price);
    out.price = moneyFromWire(p.amount, str(p.currencyCode) ?? currency);
  }
  const fa = asArray(body.fulfillmentAvailability).map(asRecord).find((f) => (str(f.fulfillmentChannelCode) ?? 'DEFAULT') === 'DEFAULT');
  if (fa && fa.quantity !== undefined) out.quantity = Number(fa.quantity);
  const attrs = asRecord(body.attributes);
  if (!out.price) {
    const po = asArray(attrs.purchasable_offer).map(asRecord).find((o) => !o.marketplace_id || o.marketplace_id === marketplaceId);
    const v = asRecord(asArray(asRecord(asArray(po?.our_price)[0]).schedule)[0]).value_with_tax;
    if (po && v !== undefined) out.price = moneyFromWire(v, str(po.currency) ?? currency);
  }
  if (out.quantity === undefined) {
    const f = asArray(attrs.fulfillment_availability).map(asRecord).find((x) => (str(x.fulfillment_channel_code) ?? 'DEFAULT') === 'DEFAULT');
    if (f && f.quantity !== undefined) out.quantity = Number(f.quantity);
  }
  return out;
}

function amazonStatus(s: string | undefined): string {
  switch (s) {
    case 'SHIPPED':
      return 'shipped';
    case 'PARTIALLY_SHIPPED':
      return 'partially_shipped';
    case 'CANCELLED':
      return 'cancelled';
    case 'PENDING':
    case 'PENDING_AVAILABILITY':
      return 'pending';
    case 'UNFULFILLABLE':
      return 'unfulfillable';
    default:
      return 'unshipped';
  }
}

export function normaliseAmazonOrder(o: Record<string, unknown>): NormalizedOrder {
  const sc = asRecord(o.salesChannel);
  const channel = amazonChannelOf(str(sc.marketplaceId));
  const proceeds = asRecord(o.proceeds);
  const grand = asRecord(proceeds.grandTotal);
  const items = asArray(o.orderItems).map(asRecord);
  const firstPrice = asRecord(asRecord(asRecord(asRecord(items[0]?.product).price).unitPrice));
  const cur = str(grand.currencyCode) ?? str(firstPrice.currencyCode) ?? channelDef(channel)?.currency ?? 'USD';
  const amt = (m: unknown) => minorFromWire(asRecord(m).amount, cur);
  let shipping = 0n;
  let tax = 0n;
  let shippingTax = 0n;
  let discount = 0n;
  const lines = items.map((it) => {
    const product = asRecord(it.product);
    const qty = Number(it.quantityOrdered ?? 1) || 1;
    let lineTax = 0n;
    let lineDiscount = 0n;
    for (const b of asArray(asRecord(it.proceeds).breakdowns).map(asRecord)) {
      const v = amt(b.subtotal);
      const type = str(b.type);
      if (type === 'SHIPPING') shipping += v;
      else if (type === 'TAX') {
        const details = asArray(b.detailedBreakdowns).map(asRecord);
        const shipT = details.filter((d) => str(d.subtype) === 'SHIPPING').reduce((s, d) => s + amt(d.value), 0n);
        shippingTax += shipT;
        lineTax += v - shipT;
      } else if (type === 'DISCOUNT') lineDiscount += v < 0n ? -v : v;
    }
    tax += lineTax;
    discount += lineDiscount;
    return {
      externalLineId: str(it.orderItemId) ?? str(product.sellerSku) ?? '',
      sku: str(product.sellerSku) ?? null,
      title: str(product.title) ?? null,
      quantity: qty,
      unitPriceMinor: amt(asRecord(asRecord(product.price).unitPrice)),
      discountMinor: lineDiscount,
      taxMinor: lineTax,
    };
  });
  // Order-level breakdowns carry what the items do not (shipping, tax, discounts of the whole order).
  let orderShipping = 0n;
  let orderTax = 0n;
  let orderDiscount = 0n;
  for (const b of asArray(proceeds.breakdowns).map(asRecord)) {
    const v = amt(b.subtotal);
    const type = str(b.type);
    if (type === 'SHIPPING') orderShipping += v;
    else if (type === 'TAX') orderTax += v;
    else if (type === 'DISCOUNT') orderDiscount += v < 0n ? -v : v;
  }
  if (shipping === 0n) shipping = orderShipping;
  if (tax === 0n && shippingTax === 0n) tax = orderTax;
  if (discount === 0n) discount = orderDiscount;
  const addr = asRecord(asRecord(o.recipient).deliveryAddress);
  const buyer = asRecord(o.buyer);
  return {
    marketplace: 'amazon',
    channel,
    externalId: str(o.orderId) ?? '',
    status: amazonStatus(str(asRecord(o.fulfillment).fulfillmentStatus)),
    orderedAt: str(o.createdTime) ?? '',
    remoteUpdatedAt: str(o.lastUpdatedTime) ?? null,
    paidAt: null,
    currency: cur,
    buyerName: str(buyer.buyerName) ?? str(addr.name) ?? null,
    buyerEmail: str(buyer.buyerEmail) ?? null,
    shipTo: Object.keys(addr).length ? addr : null,
    shipCountry: upperCountry(addr.countryCode),
    shippingMinor: shipping,
    shippingTaxMinor: shippingTax,
    discountMinor: discount,
    taxMinor: tax + shippingTax,
    taxKind: 'included',
    totalMinor: grand.amount !== undefined ? amt(grand) : null,
    lines,
    fees: [],
    refunds: [],
    raw: o,
  };
}
