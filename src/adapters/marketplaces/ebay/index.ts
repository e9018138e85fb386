// eBay Sell APIs. OAuth: refresh-token grant (Basic client auth), the access token cached until 90 %
// of its life. Price and stock: bulkUpdatePriceQuantity, ≤ 25 SKUs per call, each SKU carrying one
// entry per offer (one offer per eBay marketplace); HTTP 207 answers per offer. Offer ids are looked
// up once (GET /offer?sku=) and cached by sync. Writes carry Content-Language of the marketplace.
// Orders: Fulfillment getOrders with filter=lastmodifieddate:[…] and limit/offset (≤ 200).

import { ebayConfirm, ebayFulfilments } from '../fulfilment.js';
import type { ShipmentConfirmationIn, ConfirmOutcome, RemoteFulfilment } from '../../../ports/marketplace.js';
import type { HttpClient, AuthProvider } from '../../http/client.js';
import type { HttpFactory } from '../../http/factory.js';
import { HttpError } from '../../http/errors.js';
import { channelDef, CHANNELS } from '../../../core/channels.js';
import { divRound, formatAmount } from '../../../core/money.js';
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
import { asArray, asRecord, chunk, minorFromWire, moneyFromWire, str, upperCountry } from '../common.js';
import { failAll } from '../shopify/index.js';

export const EBAY_BULK_MAX = 25;
const ORDERS_PAGE = 200;
const SCOPES = [
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
  'https://api.ebay.com/oauth/api_scope/sell.account',
].join(' ');

export interface EbayConfig {
  baseURL: string;
  /** Token endpoint base (default: baseURL). */
  authURL?: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  now?: () => number;
}

class EbayAuth implements AuthProvider {
  private token?: { value: string; refreshAt: number; expiresAt: number };
  private inflight?: Promise<string>;
  lastExpiry?: string;
  refreshExpiry?: string;
  constructor(
    private cfg: EbayConfig,
    private http: HttpClient,
  ) {}
  private now(): number {
    return (this.cfg.now ?? Date.now)();
  }
  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.accessToken()}` };
  }
  invalidate(): void {
    this.token = undefined;
  }
  async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    // Single flight: concurrent callers share one refresh.
    this.inflight ??= this.refresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }
  private async refresh(): Promise<string> {
    const basic = Buffer.from(`${this.cfg.clientId}:${this.cfg.clientSecret}`).toString('base64');
    registerSecret(basic);
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.cfg.refreshToken, scope: SCOPES }).toString();
    let res;
    try {
      res = await this.http.request<{ access_token?: string; expires_in?: number; refresh_token_expires_in?: number }>({
        method: 'POST',
        url: `${(this.cfg.authURL ?? this.cfg.baseURL).replace(/\/+$/, '')}/identity/v1/oauth2/token`,
        data: form,
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        noAuth: true,
        idempotent: true,
        operation: 'oauth2/token',
      });
    } catch (e) {
      if (e instanceof HttpError && e.status !== undefined && e.status >= 400 && e.status < 500) {
        throw new HttpError(`eBay refused the refresh token (${e.apiCode ?? e.status}${e.apiMessage ? `: ${e.apiMessage}` : ''})`, {
          service: 'ebay',
          kind: 'auth',
          status: e.status,
          apiCode: e.apiCode,
          apiMessage: e.apiMessage,
          method: 'POST',
          url: 'identity/v1/oauth2/token',
          attempts: e.attempts,
          hints: ['the eBay consent may have expired or been revoked: get a new refresh token and run `merchant marketplace connect ebay --token-file FILE`'],
        });
      }
      throw e;
    }
    const tok = res.data.access_token;
    if (!tok) throw new HttpError('eBay token endpoint answered without an access_token', { service: 'ebay', kind: 'auth', status: res.status, method: 'POST', url: 'oauth2/token', attempts: res.attempts });
    registerSecret(tok);
    const life = (res.data.expires_in ?? 7200) * 1000;
    this.token = { value: tok, refreshAt: this.now() + life * 0.9, expiresAt: this.now() + life };
    this.lastExpiry = new Date(this.token.expiresAt).toISOString();
    if (res.data.refresh_token_expires_in) this.refreshExpiry = new Date(this.now() + res.data.refresh_token_expires_in * 1000).toISOString();
    return tok;
  }
}

function marketplaceIdOf(channel: string): string {
  return channelDef(channel)?.remoteId ?? 'EBAY_US';
}
function languageOf(channel: string): string {
  return channelDef(channel)?.language ?? 'en-US';
}
function channelOfMarketplaceId(id: string | undefined): string {
  return CHANNELS.find((c) => c.marketplace === 'ebay' && c.remoteId === id)?.code ?? 'ebay-us';
}

interface EbayOffer {
  offerId: string;
  sku: string;
  marketplaceId: string;
  availableQuantity?: number;
  status?: string;
  pricingSummary?: { price?: { value?: string; currency?: string } };
}

export class EbayAdapter implements MarketplacePort {
  readonly name = 'ebay' as const;
  private http: HttpClient;
  private auth: EbayAuth;

  constructor(
    private cfg: EbayConfig,
    factory: HttpFactory,
  ) {
    const tokenHttp = factory.create({ service: 'ebay', baseURL: cfg.authURL ?? cfg.baseURL });
    this.auth = new EbayAuth(cfg, tokenHttp);
    this.http = factory.create({ service: 'ebay', baseURL: cfg.baseURL, auth: this.auth, headers: { Accept: 'application/json' } });
    this.tokenHttp = tokenHttp;
  }
  private tokenHttp: HttpClient;

  requestCount(): number {
    return this.http.requestCount + this.tokenHttp.requestCount;
  }

  planCalls(changes: readonly ListingChange[]): CallPlan[] {
    const skus = new Set(changes.map((c) => c.sku));
    const unknown = changes.filter((c) => !c.remoteRef).length;
    const plan: CallPlan[] = [];
    if (unknown) plan.push({ operation: 'getOffers (look up offer ids)', calls: new Set(changes.filter((c) => !c.remoteRef).map((c) => c.sku)).size, items: unknown, batchSize: 1 });
    if (skus.size) plan.push({ operation: 'bulkUpdatePriceQuantity', calls: Math.ceil(skus.size / EBAY_BULK_MAX), items: changes.length, batchSize: EBAY_BULK_MAX });
    return plan;
  }

  private async offersFor(sku: string): Promise<EbayOffer[]> {
    const res = await this.http.request<{ offers?: EbayOffer[] }>({
      method: 'GET',
      url: '/sell/inventory/v1/offer',
      params: { sku, limit: 100 },
      operation: 'getOffers',
      acceptStatus: [404],
    });
    if (res.status === 404) return [];
    return res.data.offers ?? [];
  }

  async push(changes: readonly ListingChange[], hooks: PushHooks = {}): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    // Offer id per (sku, channel): cached, else looked up.
    const offerOf = new Map<string, string>();
    const need = [...new Set(changes.filter((c) => !c.remoteRef).map((c) => c.sku))];
    for (const sku of need) {
      try {
        for (const o of await this.offersFor(sku)) offerOf.set(`${sku}\u0000${channelOfMarketplaceId(o.marketplaceId)}`, o.offerId);
      } catch (e) {
        outcomes.push(...failAll(changes.filter((c) => c.sku === sku && !c.remoteRef), e));
      }
    }
    const ready: ListingChange[] = [];
    for (const c of changes) {
      if (outcomes.some((o) => o.key === c.key)) continue;
      const id = c.remoteRef ?? offerOf.get(`${c.sku}\u0000${c.channel}`);
      if (id) ready.push({ ...c, remoteRef: id });
      else outcomes.push({ key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'NO_OFFER', message: `no eBay offer for SKU ${c.sku} on ${marketplaceIdOf(c.channel)}` });
    }
    const bySku = new Map<string, ListingChange[]>();
    for (const c of ready) bySku.set(c.sku, [...(bySku.get(c.sku) ?? []), c]);
    for (const group of chunk([...bySku.entries()], EBAY_BULK_MAX)) {
      const items = group.flatMap(([, cs]) => cs);
      const requests = group.map(([sku, cs]) => {
        const qtys = cs.map((c) => qtyOf(c)).filter((q): q is number => q !== undefined);
        const entry: Record<string, unknown> = {
          sku,
          offers: cs.map((c) => ({
            offerId: c.remoteRef,
            ...(qtyOf(c) !== undefined ? { availableQuantity: qtyOf(c) } : {}),
            ...(c.price ? { price: { value: formatAmount(c.price), currency: c.price.currency } } : {}),
          })),
        };
        if (qtys.length) entry.shipToLocationAvailability = { quantity: Math.max(...qtys) };
        return entry;
      });
      hooks.beforeBatch?.(items.map((c) => c.key));
      let res: ItemOutcome[];
      try {
        const r = await this.http.request<{ responses?: Array<{ offerId?: string; sku?: string; statusCode?: number; errors?: Array<{ errorId?: number; message?: string; longMessage?: string }> }> }>({
          method: 'POST',
          url: '/sell/inventory/v1/bulk_update_price_quantity',
          data: { requests },
          headers: { 'Content-Type': 'application/json', 'Content-Language': languageOf(items[0]!.channel), 'Accept-Language': languageOf(items[0]!.channel) },
          operation: 'bulkUpdatePriceQuantity',
          acceptStatus: [207],
        });
        const responses = r.data.responses ?? [];
        res = items.map((c) => {
          const hit = responses.find((x) => x.offerId === c.remoteRef) ?? responses.find((x) => x.sku === c.sku && !x.offerId);
          if (!hit) {
            return r.status === 200
              ? { key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: c.remoteRef ?? undefined }
              : { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: 'NO_RESPONSE', message: 'eBay returned no result for this offer', ambiguous: true };
          }
          const ok = (hit.statusCode ?? 200) < 300 && !(hit.errors ?? []).length;
          const err = hit.errors?.[0];
          return ok
            ? { key: c.key, channel: c.channel, sku: c.sku, ok: true, remoteRef: c.remoteRef ?? undefined }
            : { key: c.key, channel: c.channel, sku: c.sku, ok: false, code: String(err?.errorId ?? hit.statusCode), message: err?.longMessage ?? err?.message ?? `status ${hit.statusCode}` };
        });
      } catch (e) {
        res = failAll(items, e);
      }
      hooks.afterBatch?.(res);
      outcomes.push(...res);
    }
    return outcomes;
  }

  async readBack(items: ReadonlyArray<{ channel: string; sku: string; remoteRef?: string | null }>): Promise<RemoteListing[]> {
    const out: RemoteListing[] = [];
    const skus = [...new Set(items.map((i) => i.sku))];
    const offers = new Map<string, EbayOffer[]>();
    for (const sku of skus) offers.set(sku, await this.offersFor(sku));
    for (const i of items) {
      const o = (offers.get(i.sku) ?? []).find((x) => (i.remoteRef ? x.offerId === i.remoteRef : channelOfMarketplaceId(x.marketplaceId) === i.channel));
      if (!o) {
        out.push({ channel: i.channel, sku: i.sku, found: false });
        continue;
      }
      const cur = o.pricingSummary?.price?.currency ?? channelDef(i.channel)?.currency ?? 'USD';
      out.push({
        channel: i.channel,
        sku: i.sku,
        found: true,
        price: moneyFromWire(o.pricingSummary?.price?.value, cur),
        quantity: o.availableQuantity,
        remoteRef: o.offerId,
      });
    }
    return out;
  }

  async *pullOrders(cursor: string | undefined, opts: { since: string; channels: readonly string[] }): AsyncGenerator<OrdersPage> {
    const since = cursor ?? opts.since;
    let offset = 0;
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
      for (const o of orders) if (o.remoteUpdatedAt && o.remoteUpdatedAt > maxUpdated) maxUpdated = o.remoteUpdatedAt;
      offset += raw.length;
      const more = raw.length > 0 && (res.data.next ? true : res.data.total !== undefined ? offset < res.data.total : raw.length === ORDERS_PAGE);
      yield { orders, cursor: maxUpdated, done: !more };
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
  const lines = lineItems.map((l) => {
    const qty = Number(l.quantity ?? 1) || 1;
    const cost = amt(l.lineItemCost);
    const tax = asArray(l.taxes).reduce<bigint>((s, t) => s + amt(asRecord(t).amount), 0n) + asArray(l.ebayCollectAndRemitTaxes).reduce<bigint>((s, t) => s + amt(asRecord(t).amount), 0n);
    const discounted = asRecord(l.discountedLineItemCost);
    return {
      externalLineId: str(l.lineItemId) ?? `${str(l.sku)}`,
      sku: str(l.sku) ?? null,
      title: str(l.title) ?? null,
      quantity: qty,
      unitPriceMinor: divRound(cost, BigInt(qty), 'halfUp'),
      discountMinor: discounted.value !== undefined ? cost - amt(discounted) : 0n,
      taxMinor: tax,
    };
  });
  const marketplaceId = str(lineItems[0]?.purchaseMarketplaceId) ?? str(o.purchaseMarketplaceId);
  const fee = asRecord(o.totalMarketplaceFee);
  const refunds = asArray(asRecord(o.paymentSummary).refunds).map(asRecord);
  return {
    marketplace: 'ebay',
    channel: channelOfMarketplaceId(marketplaceId),
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
