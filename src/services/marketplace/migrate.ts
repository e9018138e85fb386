// `merchant marketplace migrate ebay`: bring the seller's eBay listings made in Seller Hub or with the
// Trading API into the Inventory API, which cannot see them until they are migrated (getOffers finds
// nothing for their SKUs, so sync cannot price or stock them).
//
// Plan (reads only): every active fixed-price listing of each eBay storefront, from eBay's Active
// Inventory Report, is matched to the local catalogue by its eBay SKU (the stored mapping, the
// convention `SKU` on the home site / `SKU-<SITE>` elsewhere, or the SKU itself) and classified:
//   migrate           not in the Inventory API yet, and it sells a SKU of ours on that storefront
//   already-migrated  its SKUs are Inventory API items whose offer is this listing
//   blocked           eBay would refuse it: an item without a SKU, or an eBay SKU the Inventory API
//                     already uses for another listing (eBay offers a SKU on one marketplace only)
//   skipped           none of its SKUs is ours on that storefront (`--listing ID` migrates it anyway)
// Apply: bulkMigrateListing, at most five listings per call; eBay answers per listing, all of a listing
// or none of it. Each listing's outcome and the SKU/offer/listing ids it yields are stored in one
// transaction as they come back, so an interrupted run keeps what landed.

import { channelDef } from '../../core/channels.js';
import { conventionalEbaySku, localSkuCandidates } from '../../core/remote-sku.js';
import type { ActiveListing, ListingMappingStore, ListingMigrationPort, LocalEbayListing, MigrationOutcome } from '../../ports/listing-migration.js';

export type MigrationAction = 'migrate' | 'already-migrated' | 'blocked' | 'skipped';

export interface MigrationSku {
  /** The SKU on eBay (null: the item has no custom label). */
  ebaySku: string | null;
  /** Our SKU it stands for on that storefront (null: not in the catalogue there). */
  sku: string | null;
  offerId: string | null;
}

export interface MigrationItem {
  listingId: string;
  channel: string;
  marketplaceId: string;
  variations: boolean;
  skus: MigrationSku[];
  action: MigrationAction;
  reason?: string;
  /** After a real run: what eBay answered for this listing. */
  result?: 'migrated' | 'failed' | 'unconfirmed';
  code?: string;
  message?: string;
  warnings?: string[];
}

export interface MigrationReport {
  marketplace: 'ebay';
  dryRun: boolean;
  channels: string[];
  items: MigrationItem[];
  /** Local listings (active) that eBay lists nowhere on their storefront under the expected eBay SKU. */
  notOnEbay: Array<{ channel: string; sku: string; ebaySku: string }>;
  counts: { listings: number; migrate: number; alreadyMigrated: number; blocked: number; skipped: number; migrated: number; failed: number; unconfirmed: number };
}

export interface MigrationOptions {
  channels: readonly string[];
  homeChannel: string | undefined;
  /** Only these eBay listing ids (migrated even when none of their SKUs is in the catalogue). */
  listingIds?: readonly string[];
  /** eBay SKU → catalogue SKU, given by the seller: wins over stored mappings and the convention. */
  map?: ReadonlyMap<string, string>;
  progress?: (message: string) => void;
}

interface LocalIndex {
  /** channel → eBay SKU → local listing (stored mapping or convention). */
  byEbaySku: Map<string, Map<string, LocalEbayListing>>;
  /** channel → local SKU → local listing. */
  bySku: Map<string, Map<string, LocalEbayListing>>;
}

function indexLocal(listings: readonly LocalEbayListing[], home: string | undefined): LocalIndex {
  const byEbaySku = new Map<string, Map<string, LocalEbayListing>>();
  const bySku = new Map<string, Map<string, LocalEbayListing>>();
  for (const l of listings) {
    const e = l.remoteSku ?? conventionalEbaySku(l.sku, l.channel, home);
    if (!byEbaySku.has(l.channel)) byEbaySku.set(l.channel, new Map());
    if (!bySku.has(l.channel)) bySku.set(l.channel, new Map());
    byEbaySku.get(l.channel)!.set(e, l);
    bySku.get(l.channel)!.set(l.sku, l);
  }
  return { byEbaySku, bySku };
}

/** Our listing an eBay SKU stands for on a storefront, if any. */
function matchLocal(idx: LocalIndex, channel: string, ebaySku: string, home: string | undefined, map?: ReadonlyMap<string, string>): LocalEbayListing | undefined {
  const given = map?.get(ebaySku);
  if (given) return idx.bySku.get(channel)?.get(given);
  const direct = idx.byEbaySku.get(channel)?.get(ebaySku);
  if (direct) return direct;
  // The seller's own choice on eBay: the SKU itself on a second site, or `SKU-<SITE>` written by hand —
  // as long as that listing is not stored under another eBay SKU.
  for (const candidate of localSkuCandidates(ebaySku, channel, home)) {
    const l = idx.bySku.get(channel)?.get(candidate);
    if (l && !l.remoteSku) return l;
  }
  return undefined;
}

/** getOffers calls in flight at once while planning (eBay's limits are per day, not per second). */
const OFFER_LOOKUP_CONCURRENCY = 4;

const emptyCounts = (): MigrationReport['counts'] => ({ listings: 0, migrate: 0, alreadyMigrated: 0, blocked: 0, skipped: 0, migrated: 0, failed: 0, unconfirmed: 0 });

function count(items: readonly MigrationItem[]): MigrationReport['counts'] {
  const c = emptyCounts();
  c.listings = items.length;
  for (const i of items) {
    if (i.action === 'migrate') c.migrate++;
    else if (i.action === 'already-migrated') c.alreadyMigrated++;
    else if (i.action === 'blocked') c.blocked++;
    else c.skipped++;
    if (i.result === 'migrated') c.migrated++;
    else if (i.result === 'failed') c.failed++;
    else if (i.result === 'unconfirmed') c.unconfirmed++;
  }
  return c;
}

/** What a real run would do: every active listing of the storefronts, classified. Reads only. */
export async function planListingMigration(port: ListingMigrationPort, repo: ListingMappingStore, o: MigrationOptions): Promise<MigrationReport> {
  const home = o.homeChannel;
  const local = repo.ebayListings(o.channels);
  const idx = indexLocal(local, home);
  const wanted = o.listingIds?.length ? new Set(o.listingIds) : undefined;

  o.progress?.('reading the SKUs the Inventory API knows…');
  const inventory = await port.inventorySkus();
  const reported: ActiveListing[] = [];
  const channelOfListing = new Map<string, string>();
  for (const channel of o.channels) {
    const mk = channelDef(channel)?.remoteId;
    if (!mk) continue;
    o.progress?.(`asking eBay for the active listings of ${channel} (${mk})…`);
    for (const l of await port.activeListings(mk, o.progress)) {
      reported.push(l);
      channelOfListing.set(l.listingId, channel);
    }
  }

  const considered = reported
    .filter((l) => !wanted || wanted.has(l.listingId))
    .map((l) => {
      const channel = channelOfListing.get(l.listingId)!;
      const skus: MigrationSku[] = l.skus.map((ebaySku) => ({ ebaySku, sku: ebaySku ? matchLocal(idx, channel, ebaySku, home, o.map)?.sku ?? null : null, offerId: null }));
      return { l, channel, skus };
    });
  const localOf = (channel: string, s: MigrationSku) => (s.sku ? idx.bySku.get(channel)?.get(s.sku) : undefined);
  // Which listing an Inventory API SKU is offered with: asked once per SKU, a few at a time, only for
  // listings of ours whose listing id is not stored yet.
  const lookups = new Set<string>();
  for (const { l, channel, skus } of considered) {
    if (!wanted && !skus.some((x) => x.sku)) continue;
    for (const x of skus) if (x.ebaySku && inventory.has(x.ebaySku) && localOf(channel, x)?.remoteListingId !== l.listingId) lookups.add(x.ebaySku);
  }
  const offersBySku = new Map<string, Awaited<ReturnType<ListingMigrationPort['offersOf']>>>();
  if (lookups.size) o.progress?.(`looking up the offers of ${lookups.size} Inventory API SKU${lookups.size === 1 ? '' : 's'}…`);
  const queue = [...lookups];
  await Promise.all(
    Array.from({ length: Math.min(OFFER_LOOKUP_CONCURRENCY, queue.length) }, async () => {
      for (let sku = queue.shift(); sku !== undefined; sku = queue.shift()) offersBySku.set(sku, await port.offersOf(sku));
    }),
  );

  const items: MigrationItem[] = [];
  /** eBay SKU → the listing this run migrates it with (one SKU, one listing, one site). */
  const claimed = new Map<string, string>();
  for (const { l, channel, skus } of considered) {
    const item: MigrationItem = { listingId: l.listingId, channel, marketplaceId: l.marketplaceId, variations: l.variations, skus, action: 'migrate' };
    items.push(item);
    const ours = skus.some((s) => s.sku);
    if (!ours && !wanted) {
      item.action = 'skipped';
      item.reason = l.skus.every((x) => !x)
        ? 'the listing has no SKU (custom label), so merchant cannot tell which product it sells: add one in Seller Hub to migrate it'
        : `no listing of ${channel} in the catalogue has ${l.skus.length > 1 ? 'any of these SKUs' : 'this SKU'} (import it first, or pass --listing ${l.listingId} to migrate it anyway)`;
      continue;
    }
    if (skus.some((s) => !s.ebaySku)) {
      item.action = 'blocked';
      item.reason = `${l.variations ? 'a variation' : 'the listing'} has no SKU (custom label): eBay migrates only listings whose every item has one; add it in Seller Hub and run again`;
      continue;
    }
    // Already in the Inventory API: this listing's own offers (migrated before), or another listing's.
    const known = skus.filter((s) => inventory.has(s.ebaySku!));
    for (const s of known) {
      const loc = localOf(channel, s);
      if (loc?.remoteListingId === l.listingId) {
        s.offerId = loc.remoteId; // stored by an earlier run
        continue;
      }
      const offers = offersBySku.get(s.ebaySku!) ?? [];
      const offer = offers.find((x) => x.listingId === l.listingId);
      if (offer) {
        s.offerId = offer.offerId;
        continue;
      }
      const on = [...new Set(offers.map((x) => x.marketplaceId))].join(', ');
      item.action = 'blocked';
      item.reason = `eBay SKU ${s.ebaySku!} already belongs to ${on ? `an Inventory API offer on ${on}` : 'an Inventory API item'}: eBay offers a SKU on one marketplace only; give this listing its own custom label in Seller Hub${s.sku ? ` (merchant expects ${conventionalEbaySku(s.sku, channel, home)} for ${s.sku} on ${channel})` : ''} and run again`;
      break;
    }
    if (item.action === 'blocked') continue;
    if (known.length && known.length === skus.length) {
      item.action = 'already-migrated';
      continue;
    }
    const clash = skus.find((s) => claimed.has(s.ebaySku!) && claimed.get(s.ebaySku!) !== l.listingId);
    if (clash) {
      item.action = 'blocked';
      item.reason = `eBay SKU ${clash.ebaySku!} is also used by listing ${claimed.get(clash.ebaySku!)!}, migrated first in this run: eBay offers a SKU on one marketplace only; give one of them its own custom label in Seller Hub`;
      continue;
    }
    for (const s of skus) claimed.set(s.ebaySku!, l.listingId);
  }
  if (wanted) {
    for (const id of wanted) {
      if (channelOfListing.has(id)) continue;
      items.push({ listingId: id, channel: '', marketplaceId: '', variations: false, skus: [], action: 'skipped', reason: `not among the active fixed-price listings eBay reports for ${o.channels.join(', ')}` });
    }
  }

  const notOnEbay: MigrationReport['notOnEbay'] = [];
  if (!wanted) {
    const seen = new Set(reported.flatMap((r) => r.skus.filter((s): s is string => Boolean(s)).map((s) => `${channelOfListing.get(r.listingId)}\u0000${s}`)));
    const matched = new Set(items.flatMap((i) => i.skus.filter((s) => s.sku).map((s) => `${i.channel}\u0000${s.sku!}`)));
    for (const l of local) {
      if (l.status !== 'active') continue;
      const e = l.remoteSku ?? conventionalEbaySku(l.sku, l.channel, home);
      if (!seen.has(`${l.channel}\u0000${e}`) && !matched.has(`${l.channel}\u0000${l.sku}`)) notOnEbay.push({ channel: l.channel, sku: l.sku, ebaySku: e });
    }
  }
  return { marketplace: 'ebay', dryRun: true, channels: [...o.channels], items, notOnEbay, counts: count(items) };
}

/** Migrate what the plan says, ≤ 5 listings per call; store each listing's outcome as it comes back. */
export async function applyListingMigration(
  port: ListingMigrationPort,
  repo: ListingMappingStore,
  plan: MigrationReport,
  o: { now: () => string; progress?: (message: string) => void },
): Promise<MigrationReport> {
  const items = plan.items.map((i) => ({ ...i, skus: i.skus.map((s) => ({ ...s })) }));
  // Listings found migrated already: remember their eBay SKUs, offers and listing ids.
  repo.transaction(() => {
    const at = o.now();
    for (const i of items) {
      if (i.action !== 'already-migrated') continue;
      for (const s of i.skus) if (s.sku && s.ebaySku) repo.saveMapping({ channel: i.channel, sku: s.sku, remoteSku: s.ebaySku, offerId: s.offerId, listingId: i.listingId }, at);
    }
  });
  const todo = items.filter((i) => i.action === 'migrate');
  const size = Math.max(1, port.migrateBatchMax);
  for (let n = 0; n < todo.length; n += size) {
    const batch = todo.slice(n, n + size);
    o.progress?.(`migrating listings ${n + 1}–${n + batch.length} of ${todo.length}…`);
    const outcomes = await port.migrate(batch.map((i) => i.listingId));
    repo.transaction(() => {
      const at = o.now();
      for (const i of batch) record(repo, i, outcomes.find((x) => x.listingId === i.listingId), at);
    });
  }
  return { ...plan, dryRun: false, items, counts: count(items) };
}

function record(repo: ListingMappingStore, i: MigrationItem, out: MigrationOutcome | undefined, at: string): void {
  const rec = (status: 'migrated' | 'failed' | 'unconfirmed', code: string | null, message: string | null) =>
    repo.recordMigration({ marketplace: 'ebay', channel: i.channel, listingId: i.listingId, status, items: i.skus.map((s) => ({ ebaySku: s.ebaySku ?? '', sku: s.sku, offerId: s.offerId })), errorCode: code, errorMessage: message }, at);
  if (!out || out.unconfirmed) {
    const e = out?.errors[0];
    i.result = 'unconfirmed';
    i.code = e?.code ?? 'NO_RESPONSE';
    i.message = `${e?.message ?? 'eBay gave no answer for this listing'}: it may or may not have migrated; run the command again (it finds listings that did)`;
    rec('unconfirmed', i.code, i.message);
    return;
  }
  if (!out.ok) {
    const e = out.errors[0];
    i.result = 'failed';
    i.code = e?.code ?? String(out.statusCode ?? '');
    i.message = e?.message ?? `status ${out.statusCode ?? '?'}`;
    rec('failed', i.code, i.message);
    return;
  }
  i.result = 'migrated';
  if (out.warnings.length) i.warnings = out.warnings.map((w) => `${w.code} ${w.message}`.trim());
  for (const got of out.items) {
    const s = i.skus.find((x) => x.ebaySku === got.sku);
    if (s) s.offerId = got.offerId;
    else i.skus.push({ ebaySku: got.sku, sku: null, offerId: got.offerId });
  }
  for (const s of i.skus) if (s.sku && s.ebaySku) repo.saveMapping({ channel: i.channel, sku: s.sku, remoteSku: s.ebaySku, offerId: s.offerId, listingId: i.listingId }, at);
  rec('migrated', null, null);
}
