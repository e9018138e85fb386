// The sync plan: a pure reading of local state. For each marketplace, the listings whose pending state
// is set (channel_listings.sync_pending, read through its partial index; store/repos/sync-state.ts) and
// the outbox rows not yet acknowledged ('sent' by a run that never heard back, failed, or queued for a
// SKU with no listing) are joined with the listing's desired values (price, status) and the offered
// quantity (inventory rules on the sum of on_hand − reserved over the locations the channel sells from,
// store/repos/stock.ts), and compared with what the marketplace last acknowledged. Only real deltas
// become changes; the rest is skipped. --dry-run prints this and nothing is written.

import { formatAmount } from '../../core/money.js';
import type { MarketplaceName } from '../../core/channels.js';
import type { CallPlan, ListingChange, MarketplacePort } from '../../ports/marketplace.js';
import { loadRules, offeredQuantity, ruleFor, type InventoryRule } from './rules.js';
import type { PlanRow as Row, SyncRepos } from '../../ports/sync.js';
import { bitsOf, kindsOf } from '../../core/sync-kinds.js';
import { marketplaceOf } from '../../core/channels.js';

/** An integer column as a number (0 when null). */
const num = (v: bigint | number | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));

export type SyncArea = 'listings' | 'prices' | 'inventory' | 'orders';
export const SYNC_AREAS: readonly SyncArea[] = ['listings', 'prices', 'inventory', 'orders'];

export interface ValueSet {
  price?: string;
  currency?: string;
  quantity?: number;
  status?: string;
}

export interface PlanItem {
  marketplace: MarketplaceName;
  channel: string;
  sku: string;
  outboxIds: number[];
  /** Pending work read from the listing's state: the bits planned and the sequence they were read at. */
  wanted?: Wanted;
  kinds: string[];
  old: ValueSet;
  new: ValueSet;
  /** Some rows were 'sent' by a run that never got an answer: read back before sending. */
  reconcile: boolean;
  change: ListingChange;
}

export interface Wanted {
  listingId: number;
  bits: number;
  seq: number;
}

export interface SkippedItem {
  marketplace: MarketplaceName;
  channel: string;
  sku: string;
  outboxIds: number[];
  wanted?: Wanted;
  reason: string;
}

export interface MarketplacePlan {
  marketplace: MarketplaceName;
  channels: string[];
  items: PlanItem[];
  skipped: SkippedItem[];
  calls: CallPlan[];
  /** Outbox rows waiting for a channel that is not connected (left untouched). */
  waitingForChannel: number;
  /** Outbox rows carried by a batch the marketplace accepted but has not processed yet (Amazon feed). */
  waitingForBatch: number;
}

export interface GuardFinding {
  marketplace: MarketplaceName;
  rule: 'zero-stock' | 'remove-listings' | 'empty-catalogue';
  count: number;
  of: number;
  share: number;
  limit: number;
  message: string;
}

export function kindsFor(areas: ReadonlySet<SyncArea>): string[] {
  const k: string[] = [];
  if (areas.has('listings')) k.push('listing', 'delist');
  if (areas.has('prices')) k.push('price');
  if (areas.has('inventory')) k.push('inventory');
  return k;
}

export function planMarketplace(
  store: Pick<SyncRepos, 'sync'>,
  marketplace: MarketplaceName,
  channels: readonly string[],
  areas: ReadonlySet<SyncArea>,
  adapter: Pick<MarketplacePort, 'planCalls'>,
  rules: readonly InventoryRule[] = loadRules(store),
): MarketplacePlan {
  const kinds = kindsFor(areas);
  const plan: MarketplacePlan = { marketplace, channels: [...channels], items: [], skipped: [], calls: [], waitingForChannel: 0, waitingForBatch: 0 };
  if (!kinds.length) return plan;
  const mask = bitsOf(kinds);
  // Unfinished outbox rows (in flight, refused, or for a SKU or listing that does not exist) and
  // pending work as state: the channels of this marketplace being synced are read in full, its other
  // channels only counted (waiting for a channel).
  const rows = store.sync.unfinishedOutboxRows(marketplace, kinds);
  const perChannel = store.sync.pendingCountsByChannel(mask).filter((c) => marketplaceOf(c.channel) === marketplace);
  const synced = new Set(channels);
  for (const c of perChannel) if (!synced.has(c.channel)) plan.waitingForChannel += c.n;
  const read = perChannel.filter((c) => synced.has(c.channel) && c.n > 0).map((c) => c.channel);
  const stateRows = store.sync.pendingStateRows(mask, read);
  for (const r of stateRows) for (const k of kindsOf(Number(r.sync_pending) & mask)) rows.push({ ...r, kind: k });
  if (stateRows.length) rows.sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  // Product fields are read only where needed (Amazon's product type, a listing to create): most
  // changes never touch the products table.
  const productFields = store.sync.productFieldsReader();
  const variantFields = store.sync.variantFieldsReader();
  const productOf = (id: bigint | null) => (id === null ? undefined : productFields(id));
  const wanted = new Set(channels);
  // Shopify locations linked to merchant locations: each gets its own location's stock (see below).
  const shopLinks = marketplace === 'shopify' ? store.sync.linkedShopLocations(marketplace) : undefined;
  // Rows an accepted, unprocessed batch carries are checked by the next run, not sent again.
  const inBatches = store.sync.outboxIdsInPendingBatches(marketplace);
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    if (r.id !== null && inBatches.has(num(r.id))) {
      plan.waitingForBatch++;
      continue;
    }
    if (!wanted.has(r.channel)) {
      plan.waitingForChannel++;
      continue;
    }
    const k = `${r.channel}\u0000${r.sku}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  for (const g of groups.values()) {
    const r = g[0]!;
    const ids = g.filter((x) => x.id !== null).map((x) => num(x.id));
    const kindSet = new Set(g.map((x) => x.kind));
    const st = g.find((x) => x.id === null);
    const wantedState = st ? { wanted: { listingId: num(st.listing_id), bits: Number(st.sync_pending) & mask, seq: Number(st.sync_seq) } } : {};
    const base = { marketplace, channel: r.channel, sku: r.sku, outboxIds: ids, ...wantedState };
    if (r.listing_id === null || r.variant_id === null) {
      plan.skipped.push({ ...base, reason: r.variant_id === null ? 'no such SKU in the catalogue' : `SKU has no listing on ${r.channel}` });
      continue;
    }
    const oldV: ValueSet = {};
    const newV: ValueSet = {};
    const change: ListingChange = {
      key: `${r.channel}/${r.sku}`,
      channel: r.channel,
      sku: r.sku,
      remoteRef: r.remote_id,
      // The listing's own product type as the marketplace reported it (never the local catalogue's).
      remoteProductType: r.remote_product_type,
      fulfilledBy: r.fulfilled_by,
      remoteSku: r.remote_sku,
      previousQuantity: r.acked_quantity === null ? null : num(r.acked_quantity),
    };
    const reconcile = g.some((x) => x.state === 'sent');
    const product = kindSet.has('listing') && r.acked_status === null ? productOf(r.product_id) : undefined;
    if (product) {
      const vr = variantFields(r.variant_id);
      let options: Array<{ name: string; value: string }> = [];
      try {
        const parsed = vr?.options_json ? (JSON.parse(vr.options_json) as unknown) : [];
        if (Array.isArray(parsed)) options = parsed.filter((o): o is [string, string] => Array.isArray(o) && o.length === 2).map(([name, value]) => ({ name: String(name), value: String(value) }));
      } catch {
        options = [];
      }
      change.create = { productHandle: product.handle, productTitle: product.title ?? r.sku, vendor: product.vendor, productType: product.product_type, description: product.description, options, barcode: vr?.barcode ?? null };
    }
    // A draft product is off sale everywhere, an archived one removed: whatever its listings say.
    const rank = (x: string | null) => (x === 'removed' || x === 'archived' ? 2 : x === 'inactive' || x === 'draft' ? 1 : 0);
    const off = Math.max(rank(r.listing_status), rank(r.variant_status), rank(r.product_status));
    const desiredStatus = off === 2 ? 'removed' : off === 1 ? 'inactive' : 'active';
    if (desiredStatus !== 'active' && r.acked_status === null && r.remote_id === null) {
      // Never listed there: nothing to create, nothing to take down.
      plan.skipped.push({ ...base, reason: `not on ${r.channel}, and ${r.product_status !== 'active' && r.product_status ? `its product is ${r.product_status}` : `the listing is ${desiredStatus}`}: nothing to push` });
      continue;
    }
    const ackedStatus = r.acked_status ?? 'active';
    if ((kindSet.has('delist') || kindSet.has('listing')) && desiredStatus !== ackedStatus) {
      change.status = desiredStatus as 'active' | 'inactive' | 'removed';
      oldV.status = ackedStatus;
      newV.status = desiredStatus;
    }
    const offline = desiredStatus !== 'active';
    // A 'listing' change (new or edited listing) brings the listing's whole managed state: price,
    // stock and status. Content (title, description, images) is not pushed by sync.
    const full = kindSet.has('listing');
    if ((kindSet.has('price') || full) && r.price_minor !== null && r.currency && !offline) {
      if (r.acked_price_minor === null || r.acked_price_minor !== r.price_minor || reconcile) {
        change.price = { minor: r.price_minor, currency: r.currency };
        if (r.acked_price_minor !== null) oldV.price = formatAmount({ minor: r.acked_price_minor, currency: r.currency });
        oldV.currency = r.currency;
        newV.price = formatAmount(change.price);
        newV.currency = r.currency;
      }
    }
    // No stock level (a blank quantity, stock Shopify does not track): nothing to offer but 0 when off sale.
    // A listing the marketplace fulfils (Amazon FBA) offers the marketplace's stock, never ours.
    const byMarketplace = r.fulfilled_by === 'marketplace';
    const wantsQty = !byMarketplace && (kindSet.has('inventory') || full || change.status !== undefined) && (offline || r.available !== null);
    if (wantsQty) {
      const available = num(r.available);
      const q = offline ? 0 : offeredQuantity(available, ruleFor(rules, r.channel, r.sku));
      if (r.acked_quantity === null || num(r.acked_quantity) !== q || reconcile || change.status !== undefined) {
        change.quantity = q;
        if (r.acked_quantity !== null) oldV.quantity = num(r.acked_quantity);
        newV.quantity = q;
      }
    }
    // Linked Shopify locations (`stock locations link`): one quantity per location, from its merchant
    // location's available stock (inventory rules applied to each); `quantity` is their sum. Sent
    // whenever stock was queued: the split between locations may change while the sum does not.
    if (shopLinks?.links.length && !byMarketplace) {
      delete change.quantity;
      delete oldV.quantity;
      delete newV.quantity;
      const per = shopLinks.links.map((l) => ({ ...l, available: shopLinks.availableAt(l.locationId, num(r.variant_id)) }));
      if ((kindSet.has('inventory') || full || change.status !== undefined) && (offline || per.some((x) => x.available !== undefined))) {
        const rule = ruleFor(rules, r.channel, r.sku);
        change.locationQuantities = per.map((x) => ({ remoteId: x.remoteId, name: x.name, quantity: offline ? 0 : offeredQuantity(x.available ?? 0, rule) }));
        change.quantity = change.locationQuantities.reduce((a, x) => a + x.quantity, 0);
        if (r.acked_quantity !== null) oldV.quantity = num(r.acked_quantity);
        newV.quantity = change.quantity;
      }
    }
    if (change.price === undefined && change.quantity === undefined && change.status === undefined) {
      const onlyContent = [...kindSet].every((k) => k === 'listing');
      const onlyStock = [...kindSet].every((k) => k === 'inventory');
      plan.skipped.push({
        ...base,
        reason: byMarketplace && onlyStock ? `fulfilled by ${marketplace} (FBA): its stock is ${marketplace}'s, merchant does not send it` : onlyContent ? 'listing content is not pushed by sync (price, stock and status are)' : 'unchanged: the marketplace already has these values',
      });
      continue;
    }
    plan.items.push({ ...base, kinds: [...kindSet].sort(), old: oldV, new: newV, reconcile, change });
  }
  plan.calls = adapter.planCalls(plan.items.map((i) => i.change));
  return plan;
}

/**
 * The mass-change guard: refuse a run that would set more than maxZeroShare of a marketplace's
 * stocked listings to zero, take more than maxRemoveShare of its listings off sale, or push after an
 * import left the catalogue empty. Tiny changes (< minItems) never trip it.
 */
export function massChangeFindings(
  store: Pick<SyncRepos, 'sync'>,
  plans: readonly MarketplacePlan[],
  limits: { maxZeroShare: number; maxRemoveShare: number; minItems: number },
): GuardFinding[] {
  const out: GuardFinding[] = [];
  const activeVariants = store.sync.activeVariantCount();
  for (const p of plans) {
    if (!p.items.length) continue;
    const stats = store.sync.channelListingStats(p.channels);
    const total = stats.total;
    if (activeVariants === 0 && total > 0) {
      out.push({ marketplace: p.marketplace, rule: 'empty-catalogue', count: total, of: total, share: 1, limit: 0, message: `the local catalogue has no active products but ${total} listings on ${p.marketplace}: a bad import? Pushing would empty the shop` });
      continue;
    }
    // Zeroed and stocked count the same listings: stock acknowledged above zero, or never acknowledged
    // (a listing that was never synced may have stock out there). So `zeroed` is part of `stocked`.
    const zeroed = p.items.filter((i) => i.new.quantity === 0 && (i.old.quantity === undefined || i.old.quantity > 0)).length;
    const stocked = Math.max(stats.stocked, zeroed, 1);
    if (zeroed >= limits.minItems && zeroed / stocked > limits.maxZeroShare) {
      out.push({ marketplace: p.marketplace, rule: 'zero-stock', count: zeroed, of: stocked, share: zeroed / stocked, limit: limits.maxZeroShare, message: `would set ${zeroed} of ${stocked} listings on ${p.marketplace} that have stock (or were never synced) to zero (${pct(zeroed / stocked)} > ${pct(limits.maxZeroShare)})` });
    }
    const removed = p.items.filter((i) => i.new.status === 'inactive' || i.new.status === 'removed').length;
    const active = Math.max(stats.active, removed, 1);
    if (removed >= limits.minItems && removed / active > limits.maxRemoveShare) {
      out.push({ marketplace: p.marketplace, rule: 'remove-listings', count: removed, of: active, share: removed / active, limit: limits.maxRemoveShare, message: `would take ${removed} of ${active} active listings on ${p.marketplace} off sale (${pct(removed / active)} > ${pct(limits.maxRemoveShare)})` });
    }
  }
  return out;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
