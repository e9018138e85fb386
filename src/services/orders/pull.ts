// Incremental order pulls. Each page of orders is saved in one transaction (orders are unique by
// marketplace + external id; lines, fees and refunds by their own external ids, so a re-read page
// changes nothing). The watermark (sync_cursors, stream 'orders') moves only when a pull completes:
// eBay lists orders newest created first, so a watermark committed after page 1 would make the next
// run skip, for good, the older orders of the pages a dead pull never read. Meanwhile each saved page
// records where the pull stands (stream 'orders:resume': the adapter's resume position, the latest
// update seen, when the pull began), and the next run continues there when the adapter can resume
// (eBay: the offset) or starts over from the watermark. The committed watermark is the latest update
// seen, but never later than a few minutes before the pull began: an order changed while the pull ran,
// on a page it had already read, is read again next time. Line SKUs are read as the storefront's own
// (a stored remote SKU, or eBay's `SKU-<SITE>` convention) and saved as ours. Stock follows the orders: an open order reserves its units
// at the location that ships it (stock_levels.reserved; see applyStockEffect), a shipped one moves them out of on_hand, a cancelled one releases them —
// each order's effect is remembered (order_stock_effects) so a re-pulled order never counts twice —
// and every listing of a touched SKU gets an inventory change queued for the push that follows.

import { divRound } from '../../core/money.js';
import type { MarketplacePort, NormalizedOrder } from '../../ports/marketplace.js';
import type { RemoteSkuLookups } from '../../ports/order-pull.js';
import type { Repositories } from '../../ports/repositories.js';
import { marketplaceOf } from '../../core/channels.js';
import { normaliseAddress } from '../../core/address.js';
import { recordPulledOrderTaxFacts } from './import.js';
import { localSkuCandidates } from '../../core/remote-sku.js';
import { getAccount, homeChannel } from '../marketplace/accounts.js';
import { crashPoint } from '../crashpoint.js';
import type { OrderPullSummary } from '../../ports/sync.js';

/** What a pull reads and writes: the orders and their VAT facts (and the rates deciding them), its cursors, stock and pushes, one transaction per page. */
export type OrderPullRepos = Pick<Repositories, 'orders' | 'orderTax' | 'fxRates' | 'orderPull' | 'marketplaceAccounts' | 'tx'>;
/** The orders and their VAT facts (an order upsert decides who collects its VAT). */
type OrderUpsertRepos = Pick<Repositories, 'orders' | 'orderTax' | 'fxRates'>;

/** What one marketplace's pull did (SKUs in stockChanged: their available stock changed because of these orders). */
export type PullResult = OrderPullSummary;

const OPEN = new Set(['unshipped', 'pending', 'partially_shipped']);

export function getCursor(repos: Pick<Repositories, 'orderPull'>, marketplace: string, stream = 'orders'): string | undefined {
  return repos.orderPull.cursor(marketplace, stream);
}

function setCursor(repos: Pick<Repositories, 'orderPull'>, marketplace: string, cursor: string, at: string, stream = 'orders'): void {
  repos.orderPull.setCursor(marketplace, stream, cursor, at);
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** The ship-to address in the one stored shape (core/address.ts), whatever the marketplace sent. */
export function storedShipTo(o: Pick<NormalizedOrder, 'shipTo' | 'buyerName' | 'buyerEmail' | 'shipCountry'>): string | null {
  const a = normaliseAddress(o.shipTo, { name: o.buyerName, email: o.buyerEmail, country: o.shipCountry });
  return a ? JSON.stringify(a) : null;
}

/** Insert or update one order; returns whether it was new, changed or unchanged, and its row id. */
export function upsertOrder(repos: OrderUpsertRepos, o: NormalizedOrder, at: string): { id: number; outcome: 'created' | 'updated' | 'unchanged'; previousStatus?: string } {
  const orders = repos.orders;
  const existing = orders.pulledState(o.marketplace, o.externalId);
  const raw = JSON.stringify(o.raw, bigintSafe);
  if (existing && existing.status === o.status && existing.remoteUpdatedAt === o.remoteUpdatedAt && existing.rawJson === raw) {
    return { id: existing.id, outcome: 'unchanged', previousStatus: existing.status };
  }
  const cols = {
    channel: o.channel,
    status: o.status,
    orderedAt: o.orderedAt,
    remoteUpdatedAt: o.remoteUpdatedAt,
    paidAt: o.paidAt,
    currency: o.currency,
    buyerName: o.buyerName,
    buyerEmail: o.buyerEmail,
    shipToJson: storedShipTo(o),
    shipCountry: o.shipCountry,
    shippingMinor: o.shippingMinor,
    shippingTaxMinor: o.shippingTaxMinor,
    discountMinor: o.discountMinor,
    taxMinor: o.taxMinor,
    taxKind: o.taxKind,
    totalMinor: o.totalMinor,
    rawJson: raw,
  };
  let id: number;
  if (existing) {
    id = existing.id;
    orders.updatePulled(id, cols, at);
  } else {
    id = orders.insertPulled(o.marketplace, o.externalId, cols, at);
  }
  for (const l of o.lines) orders.upsertPulledLine(id, l);
  for (const f of o.fees) orders.upsertPulledFee(id, f, o.orderedAt);
  for (const r of o.refunds) {
    // The refund's own tax when the marketplace states it (Shopify refund lines), else the order's ratio.
    const split =
      r.taxMinor !== undefined && r.currency === o.currency
        ? { amountMinor: o.taxKind === 'included' ? r.amountMinor : r.amountMinor - r.taxMinor, taxMinor: r.taxMinor }
        : splitRefundTax(o, r.amountMinor, r.currency);
    orders.upsertPulledRefund(id, { externalId: r.externalId, refundedAt: r.refundedAt, quantity: r.quantity ?? 0, amountMinor: split.amountMinor, taxMinor: split.taxMinor, currency: r.currency, reason: r.reason ?? null });
  }
  recordPulledOrderTaxFacts(repos, id); // who collects the VAT; API refunds replace the export's undated ones
  return { id, outcome: existing ? 'updated' : 'created', previousStatus: existing?.status };
}

/**
 * The APIs give a refund as one total. The orders schema (0050) keeps the tax in it apart, so reports
 * reduce tax collected as well as revenue: the tax share is the order's own tax ratio (exact for a full
 * refund), rounded half-up once. Where prices include tax the amount stays tax-inclusive (as listed);
 * where tax was added on top, the amount is the refund less its tax.
 */
export function splitRefundTax(o: Pick<NormalizedOrder, 'taxMinor' | 'totalMinor' | 'taxKind' | 'currency'>, refundMinor: bigint, currency: string): { amountMinor: bigint; taxMinor: bigint } {
  const total = o.totalMinor ?? 0n;
  if (currency !== o.currency || o.taxMinor <= 0n || total <= 0n) return { amountMinor: refundMinor, taxMinor: 0n };
  const taxPart = divRound(refundMinor * o.taxMinor, total, 'halfUp');
  return o.taxKind === 'included' ? { amountMinor: refundMinor, taxMinor: taxPart } : { amountMinor: refundMinor - taxPart, taxMinor: taxPart };
}

/**
 * Bring the order's stock effect to what its status calls for; returns the SKUs whose available
 * quantity changed. `countShipped`: a shipped order first seen now deducts stock only if it was placed
 * after the account was connected (older ones are already out of the stock count).
 * Stock is per location (issue #19): the order reserves and ships at its location — the one assigned
 * (`orders assign`), else the channel's first location with stock for every line (the channel's first
 * location when none has), remembered on the order. An order moved to another location gives its
 * reservation back at the old one. A SKU without any stock level (stock not tracked) is left alone.
 */
export function applyStockEffect(repos: Pick<Repositories, 'orders' | 'orderPull'>, orderId: number, o: NormalizedOrder, countShipped: boolean): string[] {
  const stock = repos.orderPull.stockEffects();
  const qty = new Map<string, number>();
  for (const l of o.lines) if (l.sku) qty.set(l.sku, (qty.get(l.sku) ?? 0) + l.quantity);
  const prevEffects = new Map(stock.orderEffects(orderId).map((e) => [e.sku, e]));
  const byMarketplace = o.fulfilledBy === 'marketplace';
  let loc = byMarketplace ? null : stock.orderLocation(orderId);
  const holds = OPEN.has(o.status) || (o.status === 'shipped' && (countShipped || prevEffects.size > 0));
  if (!byMarketplace && loc === null && holds) {
    loc = stock.pickOrderLocation(o.channel, qty);
    stock.setOrderLocation(orderId, loc);
  }
  const ids = stock.variantIds([...qty.keys()]);
  const changed: string[] = [];
  // Parcels merchant shipped (ship book / orders ship) already moved their units out: an order the
  // marketplace still calls open keeps only the rest reserved, so a re-pull never undoes nor repeats it.
  const inParcels = repos.orders.shippedUnitsBySku(orderId);
  for (const [sku, q] of qty) {
    const local = Math.min(q, inParcels.get(sku) ?? 0);
    const prev = prevEffects.get(sku);
    let pr = prev?.reserved ?? 0;
    let pd = prev?.deducted ?? 0;
    let r = pr;
    let d = pd;
    if (byMarketplace) {
      // Fulfilled by the marketplace (Amazon FBA) from its own stock: ours is never reserved or moved.
      r = 0;
      d = 0;
    } else if (OPEN.has(o.status)) {
      r = q - local;
      d = local;
    } else if (o.status === 'shipped') {
      r = 0;
      d = prev || countShipped ? q : 0;
    } else if (o.status === 'cancelled') {
      r = 0;
      d = local; // a parcel that left stays out of stock
    } else {
      r = 0; // refunded / unfulfillable: no longer holds stock; what shipped stays shipped
    }
    const at = loc ?? prev?.locationId ?? null;
    const vid = ids.get(sku);
    const tracked = vid !== undefined && stock.tracked(vid);
    let moved = false;
    if (prev && prev.locationId !== null && at !== null && prev.locationId !== at && (pr || pd)) {
      // The order ships from another location now: what it held at the old one goes back.
      if (tracked) stock.applyOrderEffect(prev.locationId, vid, sku, -pr, -pd, orderId, 'sync');
      pr = 0;
      pd = 0;
      moved = true;
    }
    if (r === pr && d === pd && prev && !moved) continue;
    stock.setOrderEffect(orderId, sku, r, d, at);
    if (r === pr && d === pd && !moved) continue;
    if (!tracked || at === null) continue;
    stock.applyOrderEffect(at, vid, sku, r - pr, d - pd, orderId, 'sync');
    changed.push(sku);
  }
  return changed;
}

/** Queue an inventory push to every enabled listing of these SKUs. */
export function enqueueInventoryFor(repos: Pick<Repositories, 'orderPull'>, skus: readonly string[], at: string, reason: string): number {
  let n = 0;
  for (const sku of skus) {
    for (const channel of repos.orderPull.listingChannelsOf(sku)) {
      const mp = marketplaceOf(channel);
      if (!mp) continue;
      repos.orderPull.markSyncWanted(channel, sku, 'inventory', at);
      n++;
    }
  }
  return n;
}

/** Where an unfinished pull stands (saved with each page; cleared when the pull completes). */
export interface PullProgress {
  /** The committed watermark the pull started from (a progress for another watermark is stale). */
  watermark: string | null;
  /** The adapter's position after the last saved page (OrdersPage.resume), if it has one. */
  resume: string | null;
  /** The latest update time seen by this pull so far. */
  max: string | null;
  /** When the pull began (the watermark never passes it). */
  startedAt: string;
  at: string;
}

const PROGRESS_STREAM = 'orders:resume';
/** Orders changed this long before a pull began are read again by the next one (clock skew). */
const WATERMARK_MARGIN_MS = 5 * 60_000;
/** A resume position older than this is not used (Amazon's page tokens live 24 h). */
const RESUME_MAX_AGE_MS = 24 * 3_600_000;

export function getPullProgress(repos: Pick<Repositories, 'orderPull'>, marketplace: string): PullProgress | undefined {
  const raw = getCursor(repos, marketplace, PROGRESS_STREAM);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as PullProgress;
  } catch {
    return undefined;
  }
}

function clearPullProgress(repos: Pick<Repositories, 'orderPull'>, marketplace: string): void {
  repos.orderPull.clearCursor(marketplace, PROGRESS_STREAM);
}

const time = (s: string | null | undefined): number => (s ? Date.parse(s) : NaN);

/** The later of two cursors (timestamps compared as instants; an opaque cursor wins when it is the only one). */
function later(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  const ta = time(a);
  const tb = time(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return b;
  return tb > ta ? b : a;
}

/** The watermark a completed pull commits: the latest update seen, capped a margin before the pull began. */
export function watermarkAfterPull(previous: string | null, maxSeen: string | null, startedAt: string): string | null {
  if (!maxSeen) return previous;
  const tMax = time(maxSeen);
  if (Number.isNaN(tMax)) return maxSeen; // an opaque cursor: the adapter's own
  const cap = time(startedAt) - WATERMARK_MARGIN_MS;
  const candidate = !Number.isNaN(cap) && tMax > cap ? new Date(cap).toISOString() : maxSeen;
  return later(previous, candidate);
}

/** The local SKU for a line's storefront SKU: a stored remote SKU, else the SKU itself or eBay's convention. */
function localSku(q: RemoteSkuLookups, channel: string, remote: string | null, home: string | undefined): string | null {
  if (!remote) return remote;
  const mapped = q.localSkuFor(channel, remote);
  if (mapped) return mapped;
  for (const candidate of localSkuCandidates(remote, channel, home)) {
    if (!q.exists(candidate)) continue;
    // A listing stored under another remote SKU on this storefront is not this line's.
    const stored = q.storedRemoteSku(channel, candidate);
    if (stored && stored !== remote) continue;
    return candidate;
  }
  return remote;
}

function withLocalSkus(q: RemoteSkuLookups, o: NormalizedOrder, home: string | undefined): NormalizedOrder {
  return { ...o, lines: o.lines.map((l) => ({ ...l, sku: localSku(q, l.channel ?? o.channel, l.sku, home) })) };
}

export async function pullMarketplaceOrders(
  repos: OrderPullRepos,
  adapter: MarketplacePort,
  opts: { channels: readonly string[]; defaultSince: string; connectedAt: string; now: () => string },
): Promise<PullResult> {
  const mp = adapter.name;
  const committed = getCursor(repos, mp) ?? null;
  const result: PullResult = { marketplace: mp, fetched: 0, created: 0, updated: 0, unchanged: 0, stockChanged: [], cursor: committed };
  // An interrupted pull from the same watermark: continue it (its start time and what it saw stand).
  const saved = getPullProgress(repos, mp);
  const progress = saved && saved.watermark === committed ? saved : undefined;
  const startedAt = progress?.startedAt ?? opts.now();
  let maxSeen = progress?.max ?? null;
  const resume = progress?.resume && Date.parse(opts.now()) - Date.parse(progress.at) < RESUME_MAX_AGE_MS ? progress.resume : undefined;
  const home = mp === 'ebay' ? homeChannel(getAccount(repos, mp)) : undefined;
  const lookups = repos.orderPull.remoteSkuLookups();
  const touched = new Set<string>();
  for await (const page of adapter.pullOrders(committed ?? undefined, { since: opts.defaultSince, channels: opts.channels, resume })) {
    repos.tx(() => {
      const at = opts.now();
      const pageSkus: string[] = [];
      for (const raw of page.orders) {
        if (!raw.externalId) continue;
        const o = withLocalSkus(lookups, raw, home);
        result.fetched++;
        const { id, outcome } = upsertOrder(repos, o, at);
        result[outcome]++;
        if (o.fulfilledBy) repos.orders.setFulfilledBy(id, o.fulfilledBy);
        const changed = applyStockEffect(repos, id, o, o.orderedAt >= opts.connectedAt);
        pageSkus.push(...changed);
      }
      const fresh = [...new Set(pageSkus)];
      for (const s of fresh) touched.add(s);
      if (fresh.length) enqueueInventoryFor(repos, fresh, at, `orders from ${mp}`);
      maxSeen = later(maxSeen, page.cursor || null);
      if (page.done) {
        const watermark = watermarkAfterPull(committed, maxSeen, startedAt);
        if (watermark) setCursor(repos, mp, watermark, at);
        clearPullProgress(repos, mp);
        result.cursor = watermark;
      } else {
        const p: PullProgress = { watermark: committed, resume: page.resume ?? null, max: maxSeen, startedAt, at };
        setCursor(repos, mp, JSON.stringify(p), at, PROGRESS_STREAM);
      }
    });
    crashPoint('orders.page-saved'); // kill -9 between two pages: the next run must lose nothing
  }
  result.stockChanged = [...touched].sort();
  return result;
}
