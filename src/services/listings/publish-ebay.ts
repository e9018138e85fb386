// `merchant listings publish --channel ebay-*`: new eBay listings through the Inventory API, per SKU
// (per product for a multiple-variation listing) all or nothing:
//   - local checks first (active, priced in the storefront's currency, stock above 0 — eBay refuses a
//     listing with quantity 0 —, a title of at most 80 characters, a description, an https picture);
//   - what eBay has already decides: an offer of the SKU's eBay SKU on this marketplace that is published
//     is adopted (never a second listing); an unpublished one (a run killed between createOffer and
//     publishOffer, or made elsewhere) is completed, never created twice;
//   - the category: the one the seller confirmed (kept per SKU), else --category, else the seller is
//     shown eBay's suggestions (getCategorySuggestions on the title) and chooses; its required item
//     specifics (getItemAspectsForCategory) are filled from the catalogue (brand or vendor → Brand,
//     variant options → Colour/Size/…) and the attributes file, checked locally (required, one of the
//     allowed values, one value where only one is allowed) and listed per SKU before anything is sent;
//   - business policies (fulfilment, payment, return) chosen once per storefront (flags, or the only
//     one the account has) and kept; the merchant location is created from the ship-from address
//     (merchantLocationKey derived from the address: the same address, the same key; "already exists" is
//     adopted) and kept;
//   - a catalogue product whose several variants are published together becomes one multiple-variation
//     listing: inventory items, an inventory item group varying by the options, one offer per variant,
//     publishOfferByInventoryItemGroup;
//   - each SKU is recorded 'sending' before the first write; an answer lost on createOffer or publish is
//     read back (getOffers / getOffer), and the next run after a crash finds the offer and completes or
//     adopts it: nothing is listed twice.
// Reached through ports only (PublishStore, EbayPublishingPort).

import { createHash } from 'node:crypto';
import { channelDef } from '../../core/channels.js';
import { UsageError } from '../../core/errors.js';
import { formatAmount, type Money } from '../../core/money.js';
import type { EbayApiError, EbayAspect, EbayOfferState, EbayPolicies, EbayPublishingPort, PublicationRecord, PublishCandidate } from '../../ports/listing-publish.js';
import { alreadySynced, listingBlockers } from './publish-checks.js';
import { ebaySkuProblem } from '../../core/remote-sku.js';
import { offeredQuantity, ruleFor } from '../sync/rules.js';
import { resolveAttributeRows } from './publish-attributes.js';
import type { PublishDeps, PublishItem, PublishOptions, PublishReport } from './publish.js';

/** An HTTP failure as the adapters throw it (duck-typed: services never import adapters). */
interface RemoteFailure {
  message: string;
  ambiguous?: boolean;
  kind?: string;
  apiCode?: string;
}
const isRemoteFailure = (e: unknown): e is RemoteFailure => e instanceof Error && 'ambiguous' in e && 'kind' in e;

export const EBAY_CONDITIONS = ['NEW', 'LIKE_NEW', 'NEW_OTHER', 'NEW_WITH_DEFECTS', 'CERTIFIED_REFURBISHED', 'EXCELLENT_REFURBISHED', 'VERY_GOOD_REFURBISHED', 'GOOD_REFURBISHED', 'SELLER_REFURBISHED', 'USED_EXCELLENT', 'USED_VERY_GOOD', 'USED_GOOD', 'USED_ACCEPTABLE', 'FOR_PARTS_OR_NOT_WORKING'];
const TITLE_MAX = 80;
const OPTION_ALIASES: Record<string, string[]> = { colour: ['colour', 'color', 'farbe', 'couleur'], color: ['colour', 'color'], size: ['size', 'größe', 'groesse', 'taille'], material: ['material', 'matériau'] };

interface Unit {
  /** Several SKUs of one product: a multiple-variation listing. */
  groupKey: string | null;
  plans: EbayPlan[];
}

interface EbayPlan {
  item: PublishItem;
  c: PublishCandidate;
  previous?: PublicationRecord;
  price?: Money;
  remoteSku: string;
  existing?: EbayOfferState;
  aspects: Record<string, string[]>;
}
// (PublishItem.migrate marks an adopted SKU whose Seller Hub listing is migrated rather than read.)

const money = (m: Money) => ({ amount: formatAmount(m), currency: m.currency });
const errText = (errs: EbayApiError[]) => errs.map((e) => `eBay ${e.errorId}: ${e.message}`);

/** inventoryItemGroupKey of a product on a storefront: stable, ≤ 50 characters, one per marketplace. */
export function groupKeyOf(handle: string, channel: string): string {
  const site = channel.replace(/^ebay-/, '').toUpperCase();
  const base = handle.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 46 - site.length) || 'product';
  return `${base}-${site}`;
}

/** merchantLocationKey of an address: the same address always gives the same key. */
export function locationKeyOf(a: { street1: string; city: string; postalCode: string; country: string }): string {
  return `merchant-${createHash('sha256').update(JSON.stringify([a.street1, a.city, a.postalCode, a.country.toUpperCase()])).digest('hex').slice(0, 10)}`;
}

export async function publishEbay(deps: PublishDeps, o: PublishOptions, select: (all: readonly PublishCandidate[]) => PublishCandidate[], finish: (r: PublishReport) => PublishReport): Promise<PublishReport> {
  const ebay = deps.ebay;
  if (!ebay) throw new UsageError('eBay is not connected', { hints: ['run `merchant marketplace connect ebay`'] });
  const def = channelDef(o.channel)!;
  const mk = def.remoteId!;
  const condition = o.condition ?? 'NEW';
  const at = o.now;

  const all = deps.store.candidates(o.channel);
  const resolved = o.attributes ? resolveAttributeRows(o.attributes.rows, all, o.attributes.file) : undefined;
  if (resolved && !o.dryRun) deps.store.saveSettings(o.channel, [...resolved].map(([sku, v]) => ({ sku, categoryId: v.productType, attributes: v.attributes })), at());
  const selected = select(all);
  const skus = selected.map((c) => c.sku);
  const settings = deps.store.settings(o.channel, skus);
  if (resolved && o.dryRun) {
    for (const [sku, v] of resolved) {
      const cur = settings.get(sku) ?? { productType: null, categoryId: null, attributes: {} };
      settings.set(sku, { ...cur, categoryId: v.productType ?? cur.categoryId, attributes: { ...cur.attributes, ...v.attributes } });
    }
  }
  const pubs = deps.store.publications(o.channel, skus);
  const report: PublishReport = { channel: o.channel, dryRun: o.dryRun, items: [], counts: { listed: 0, planned: 0, refused: 0, failed: 0, skipped: 0 }, guard: [], requests: 0 };

  // 1. Local checks.
  const plans: EbayPlan[] = [];
  for (const c of selected) {
    const item: PublishItem = { sku: c.sku, channel: o.channel, action: 'refuse', outcome: 'refused', reasons: [], missing: [], issues: [] };
    report.items.push(item);
    const prev = pubs.get(c.sku);
    if (prev?.state === 'listed') {
      Object.assign(item, { action: 'skip', outcome: 'skipped', listingId: prev.remoteRef ?? undefined, categoryId: prev.productType ?? undefined });
      item.reasons.push(`already published on ${o.channel}${prev.remoteRef ? ` (listing ${prev.remoteRef})` : ''} at ${prev.updatedAt}`);
      continue;
    }
    const synced = alreadySynced(c, prev, o.channel);
    if (synced) {
      Object.assign(item, { action: 'skip', outcome: 'skipped' });
      item.reasons.push(synced);
      continue;
    }
    item.reasons.push(...listingBlockers(c, o.channel, def.currency));
    const remoteSku = ebay.remoteSku(c.sku, o.channel, c.remoteSku ?? null);
    if (remoteSku !== c.sku) item.remoteSku = remoteSku;
    const skuProblem = ebaySkuProblem(remoteSku);
    if (skuProblem) item.reasons.push(`${skuProblem}: map ${c.sku} on ${o.channel} to a shorter eBay SKU`);
    if (c.listing?.price) {
      item.price = money(c.listing.price);
      item.quantity = c.available === null ? 0 : offeredQuantity(c.available, ruleFor(deps.rules, o.channel, c.sku));
    }
    plans.push({ item, c, previous: prev, price: c.listing?.price ?? undefined, remoteSku, aspects: {} });
  }

  // 2. What eBay has: an offer of this eBay SKU on this marketplace is adopted or completed, never doubled.
  const live = plans.filter((p) => !p.item.reasons.length || p.previous?.state === 'sending');
  if (live.length) deps.progress?.(`reading ${live.length} SKU(s) on ${o.channel}…`);
  for (const p of live) {
    const offers = await ebay.offers(p.remoteSku);
    const here = offers.filter((x) => x.marketplaceId === mk);
    const offer = here.find((x) => (x.format ?? 'FIXED_PRICE') === 'FIXED_PRICE') ?? here[0];
    const elsewhere = offers.filter((x) => x.marketplaceId !== mk);
    if (offer?.status === 'PUBLISHED' && offer.listingId) {
      p.item.reasons = [];
      Object.assign(p.item, { action: 'adopt', listingId: offer.listingId, offerId: offer.offerId });
      if (p.previous?.state === 'sending') {
        p.item.readBack = true;
        p.item.reasons.push('the previous run sent it and lost the answer: it is on eBay (read back), not sent again');
      } else p.item.reasons.push(`already on eBay as listing ${offer.listingId} (offer ${offer.offerId}, made elsewhere): adopted, not duplicated; \`merchant sync\` sends its price and stock`);
      continue;
    }
    if (offer) {
      p.existing = offer;
      p.item.offerId = offer.offerId;
    } else if (elsewhere.length) {
      p.item.reasons.push(`eBay SKU ${p.remoteSku} is offered on ${[...new Set(elsewhere.map((x) => x.marketplaceId))].join(', ')}: eBay offers a SKU on one marketplace only; map ${p.c.sku} on ${o.channel} to its own eBay SKU (\`merchant marketplace migrate ebay\` learns the SKUs your listings use)`);
    }
  }

  // 2b. A listing made in Seller Hub (or with the Trading API) is invisible to getOffers until it is
  // migrated: the Active Inventory Report says which eBay SKUs it carries, and such a SKU is migrated
  // (bulkMigrateListing), never listed a second time.
  const unseen = live.filter((p) => p.item.action === 'refuse' && !p.item.reasons.length && !p.existing);
  const hub = new Map<string, { listingId: string; skus: string[] }>();
  if (unseen.length && deps.ebayMigration) {
    deps.progress?.(`asking eBay which listings of ${o.channel} were made in Seller Hub…`);
    for (const l of await deps.ebayMigration.activeListings(mk, deps.progress)) for (const s of l.skus) if (s) hub.set(s, { listingId: l.listingId, skus: l.skus.filter((x): x is string => Boolean(x)) });
  }
  for (const p of unseen) {
    const l = hub.get(p.remoteSku);
    if (!l) continue;
    Object.assign(p.item, { action: 'adopt', listingId: l.listingId, migrate: true });
    p.item.reasons.push(`listed in Seller Hub as item ${l.listingId}${l.skus.length > 1 ? ` (with ${l.skus.filter((x) => x !== p.remoteSku).join(', ')})` : ''}: ${o.dryRun ? 'would be migrated' : 'migrated'} into the Inventory API (bulkMigrateListing), not listed twice; \`merchant sync\` then sends its price and stock`);
  }

  // 3. Per SKU: stock, title, description, picture; category and its required item specifics.
  const categoryCache = new Map<string, EbayAspect[] | null>();
  const confirmed: string[] = [];
  const aspectsOf = async (id: string) => {
    if (!categoryCache.has(id)) categoryCache.set(id, await ebay.aspects(o.channel, id));
    return categoryCache.get(id)!;
  };
  for (const p of plans) {
    const i = p.item;
    if (i.action === 'adopt' || i.action === 'skip' || i.reasons.length) continue;
    const c = p.c;
    if ((i.quantity ?? 0) <= 0) i.reasons.push(`no stock to offer (quantity ${i.quantity ?? 0}): eBay refuses a listing with quantity 0; publish it once it is in stock`);
    const title = titleOf(c);
    if (title.length > TITLE_MAX) i.reasons.push(`its title has ${title.length} characters, eBay allows ${TITLE_MAX}: shorten it in the catalogue`);
    if (!c.description?.trim()) i.reasons.push('no description: eBay listings need one (add it to the catalogue)');
    if (!c.imageUrl?.startsWith('https://')) i.reasons.push(c.imageUrl ? `its picture ${c.imageUrl} is not an https URL: eBay takes pictures by https URL` : 'no picture: eBay listings need at least one (an https image URL in the catalogue)');
    const chosen = settings.get(c.sku)?.categoryId ?? o.category;
    if (!chosen) {
      const suggestions = await ebay.categorySuggestions(o.channel, title);
      i.reasons.push(
        suggestions.length
          ? `no eBay category chosen: eBay suggests ${suggestions.slice(0, 3).map((s) => `${s.categoryId} (${s.path})`).join(', ')}; confirm one with --category ID or a category_id column in --attributes (kept for the next runs)`
          : `no eBay category chosen and eBay suggests none for "${title}": choose one with --category ID (the category ids are in Seller Hub)`,
      );
      continue;
    }
    i.categoryId = chosen;
    const aspects = await aspectsOf(chosen);
    if (!aspects) {
      i.reasons.push(`eBay has no leaf category ${chosen} on ${o.channel}: choose another (--category ID; a category with subcategories cannot take listings)`);
      continue;
    }
    // A category confirmed with --category is kept for the SKU (a dry run keeps nothing).
    if (!settings.get(c.sku)?.categoryId && !o.dryRun) confirmed.push(c.sku);
    const seller = settings.get(c.sku)?.attributes ?? {};
    const check = fillAspects(aspects, c, seller);
    p.aspects = check.values;
    i.missing = check.missing;
    if (check.missing.length) i.reasons.push(`missing required item specifics of category ${chosen}: ${check.missing.map((m) => { const a = aspects.find((x) => x.name === m); return a?.mode === 'SELECTION_ONLY' && a.values.length ? `${m} (one of ${a.values.slice(0, 6).join(', ')}${a.values.length > 6 ? ', …' : ''})` : m; }).join(', ')} (add them as columns of --attributes FILE)`);
    i.reasons.push(...check.invalid);
  }

  if (confirmed.length && o.category) deps.store.saveSettings(o.channel, confirmed.map((sku) => ({ sku, categoryId: o.category!, attributes: {} })), at());

  // 4. Products published together become one multiple-variation listing, all or nothing.
  const units: Unit[] = [];
  const byHandle = new Map<string, EbayPlan[]>();
  for (const p of plans) if (p.item.action !== 'skip' && p.item.action !== 'adopt') byHandle.set(p.c.handle, [...(byHandle.get(p.c.handle) ?? []), p]);
  for (const [handle, ps] of byHandle) {
    if (ps.length === 1) {
      units.push({ groupKey: null, plans: ps });
      continue;
    }
    const key = groupKeyOf(handle, o.channel);
    for (const p of ps) p.item.group = key;
    const varies = variesBy(ps);
    if (!varies.length) for (const p of ps) p.item.reasons.push(`the variants of ${handle} have no option (Colour, Size…) that tells them apart: a multiple-variation listing needs one`);
    const cats = new Set(ps.map((p) => p.item.categoryId).filter(Boolean));
    if (cats.size > 1) for (const p of ps) p.item.reasons.push(`the variants of ${handle} are in different categories (${[...cats].join(', ')}): one listing has one category`);
    const bad = ps.filter((p) => p.item.reasons.length).map((p) => p.c.sku);
    if (bad.length) for (const p of ps) if (!p.item.reasons.length) p.item.reasons.push(`published with the other variants of ${handle} as one listing, and ${bad.join(', ')} cannot be listed yet`);
    units.push({ groupKey: key, plans: ps });
  }
  for (const u of units) for (const p of u.plans) if (!p.item.reasons.length) Object.assign(p.item, { action: 'create', outcome: 'planned' });

  // 5. Business policies (once per storefront) and the merchant location (the ship-from address).
  const creating = report.items.filter((i) => i.action === 'create');
  let policies: { fulfillmentPolicyId: string; paymentPolicyId: string; returnPolicyId: string } | undefined;
  let location: { key: string; address: NonNullable<ReturnType<typeof deps.store.shipFrom>> } | undefined;
  if (creating.length) {
    policies = await choosePolicies(deps, o, ebay);
    const address = deps.store.shipFrom();
    if (!address) throw new UsageError(`eBay listings need the address items ship from (the merchant location), and the business profile has none`, { hints: ['set it with `merchant onboard` (ship-from address), then run listings publish again'] });
    location = { key: locationKeyOf(address), address };
  }

  // 6. The mass-change guard counts the new listings.
  if (creating.length > o.limits.maxNewListings) report.guard.push({ rule: 'new-listings', count: creating.length, limit: o.limits.maxNewListings, message: `would create ${creating.length} new listings on ${o.channel} in one run (publish.maxNewListings is ${o.limits.maxNewListings})` });
  for (const i of report.items) if (i.action === 'refuse') i.outcome = 'refused';
  if (o.dryRun || (report.guard.length && !o.allowMassChange)) {
    for (const i of report.items) if (i.action === 'adopt') i.outcome = 'planned';
    return finish(report);
  }

  // 7. Send.
  const migrations = [...new Set(plans.filter((p) => p.item.action === 'adopt' && p.item.migrate).map((p) => p.item.listingId!))];
  for (let n = 0; n < migrations.length && deps.ebayMigration; n += 5) {
    for (const m of await deps.ebayMigration.migrate(migrations.slice(n, n + 5))) {
      for (const p of plans.filter((x) => x.item.migrate && x.item.listingId === m.listingId)) {
        const got = m.items.find((x) => x.sku === p.remoteSku);
        if (m.ok && got?.offerId) {
          p.item.offerId = got.offerId;
          deps.store.markListed(o.channel, p.c.sku, { method: 'migrated', remoteRef: m.listingId, remoteId: got.offerId, remoteSku: p.remoteSku !== p.c.sku ? p.remoteSku : null, productType: null, issues: [], acked: null, at: at() });
          p.item.outcome = 'listed';
        } else {
          p.item.outcome = m.unconfirmed ? 'failed' : 'refused';
          p.item.reasons.push(`eBay did not migrate item ${m.listingId}: ${m.errors.map((e) => `${e.code} ${e.message}`).join('; ') || 'no answer'}; see \`merchant marketplace migrate ebay --dry-run\``);
        }
      }
    }
  }
  for (const p of plans) {
    if (p.item.action !== 'adopt' || p.item.migrate) continue;
    const sending = p.previous?.state === 'sending';
    deps.store.markListed(o.channel, p.c.sku, { method: sending ? p.previous!.method : 'adopted', remoteRef: p.item.listingId ?? null, remoteId: p.item.offerId ?? null, remoteSku: p.item.remoteSku ?? null, productType: p.previous?.productType ?? null, issues: [], acked: sending ? { price: p.price ?? null, quantity: p.item.quantity ?? null } : null, at: at() });
    p.item.outcome = 'listed';
  }
  const todo = units.filter((u) => u.plans.every((p) => p.item.action === 'create'));
  if (todo.length && location && !o.dryRun) {
    const saved = deps.store.channelSettings(o.channel);
    if (saved.merchantLocationKey !== location.key) {
      await ebay.ensureLocation(location.key, location.address);
      deps.store.saveChannelSettings(o.channel, { merchantLocationKey: location.key }, at());
    }
  }
  for (const u of todo) {
    try {
      await sendUnit(deps, o, ebay, u, policies!, location!.key, condition);
    } catch (e) {
      if (!isRemoteFailure(e)) throw e;
      for (const p of u.plans) {
        if (p.item.outcome === 'listed') continue;
        p.item.outcome = 'failed';
        p.item.reasons.push(`${e.message}${e.ambiguous ? '; the next run reads back what eBay has before sending anything' : ''}`);
        if (!e.ambiguous) deps.store.markRefused(o.channel, p.c.sku, { issues: [], message: e.message, at: at(), state: 'failed' });
      }
      if (e.kind === 'auth') throw e;
    }
  }
  deps.store.audit({ channel: o.channel, listed: report.items.filter((i) => i.outcome === 'listed').map((i) => ({ sku: i.sku, listingId: i.listingId ?? null, action: i.action })), refused: report.items.filter((i) => i.outcome === 'refused').length, failed: report.items.filter((i) => i.outcome === 'failed').length }, at());
  return finish(report);
}

function titleOf(c: PublishCandidate): string {
  const variant = c.variantTitle && c.variantTitle !== 'Default Title' && c.variantTitle !== c.title ? `, ${c.variantTitle}` : '';
  return `${c.title}${variant}`.trim();
}

/** The option names that tell a product's variants apart, with their values. */
function variesBy(ps: readonly EbayPlan[]): Array<{ name: string; values: string[] }> {
  const names = [...new Set(ps.flatMap((p) => p.c.options.map((x) => x.name)))];
  const out: Array<{ name: string; values: string[] }> = [];
  for (const n of names) {
    const values = ps.map((p) => p.c.options.find((x) => x.name === n)?.value);
    if (values.some((v) => !v)) continue;
    if (new Set(values).size > 1) out.push({ name: n, values: [...new Set(values as string[])] });
  }
  return out;
}

/** The item specifics of a SKU for a category: catalogue values, then the seller's; checked like eBay does. */
export function fillAspects(aspects: readonly EbayAspect[], c: PublishCandidate, seller: Record<string, string>): { values: Record<string, string[]>; missing: string[]; invalid: string[] } {
  const values: Record<string, string[]> = {};
  const byLower = new Map(aspects.map((a) => [a.name.toLowerCase(), a]));
  const set = (name: string, v: string[]) => {
    const a = byLower.get(name.toLowerCase());
    const key = a?.name ?? name;
    const clean = v.map((x) => x.trim()).filter(Boolean);
    if (clean.length) values[key] = clean;
  };
  const brand = c.brand ?? c.vendor;
  if (brand && byLower.has('brand')) set('Brand', [brand]);
  if (c.barcode && byLower.has('ean') && c.barcode.length === 13) set('EAN', [c.barcode]);
  for (const opt of c.options) {
    const n = opt.name.trim().toLowerCase();
    const target = aspects.find((a) => a.name.toLowerCase() === n) ?? aspects.find((a) => (OPTION_ALIASES[a.name.toLowerCase()] ?? []).includes(n));
    // Options no aspect knows still describe the variant (a multiple-variation listing varies by them).
    set(target?.name ?? opt.name, [opt.value]);
  }
  for (const [k, v] of Object.entries(seller)) set(k, v.split(/\s*\|\s*/));
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const a of aspects) {
    const v = values[a.name] ?? [];
    if (a.required && !v.length) missing.push(a.name);
    if (!a.multi && v.length > 1) invalid.push(`item specific ${a.name} takes one value, got ${v.length} (${v.join(', ')})`);
    if (a.mode === 'SELECTION_ONLY' && a.values.length) for (const x of v) if (!a.values.includes(x)) invalid.push(`item specific ${a.name}: "${x}" is not one of eBay's values (${a.values.slice(0, 8).join(', ')}${a.values.length > 8 ? ', …' : ''})`);
  }
  return { values, missing, invalid };
}

async function choosePolicies(deps: PublishDeps, o: PublishOptions, ebay: EbayPublishingPort): Promise<{ fulfillmentPolicyId: string; paymentPolicyId: string; returnPolicyId: string }> {
  const saved = deps.store.channelSettings(o.channel);
  const wanted = { fulfillment: o.policies?.fulfillment ?? saved.fulfillmentPolicyId, payment: o.policies?.payment ?? saved.paymentPolicyId, return: o.policies?.return ?? saved.returnPolicyId };
  const given = { fulfillment: o.policies?.fulfillment, payment: o.policies?.payment, return: o.policies?.return };
  // Stored choices and three ids given on the command line need no account access.
  if (wanted.fulfillment && wanted.payment && wanted.return && !(given.fulfillment || given.payment || given.return)) return { fulfillmentPolicyId: wanted.fulfillment, paymentPolicyId: wanted.payment, returnPolicyId: wanted.return };
  let list: EbayPolicies | undefined;
  try {
    list = await ebay.policies(o.channel);
  } catch (e) {
    // Without sell.account.readonly the seller can still name all three (eBay checks them at publish).
    if (isRemoteFailure(e) && e.kind === 'auth' && given.fulfillment && given.payment && given.return) list = undefined;
    else throw e;
  }
  const out: Record<'fulfillment' | 'payment' | 'return', string> = { fulfillment: '', payment: '', return: '' };
  const problems: string[] = [];
  const flag = { fulfillment: '--fulfillment-policy', payment: '--payment-policy', return: '--return-policy' };
  for (const kind of ['fulfillment', 'payment', 'return'] as const) {
    const w = wanted[kind];
    if (!list) {
      out[kind] = w!;
      continue;
    }
    const options = list[kind];
    const shown = options.map((p) => `${p.id} "${p.name}"`).join(', ');
    if (w) {
      const hit = options.find((p) => p.id === w || p.name.toLowerCase() === w.toLowerCase());
      if (hit) out[kind] = hit.id;
      else problems.push(`${flag[kind]}: the account has no ${kind} policy "${w}" on ${o.channel} (it has ${shown || 'none'})`);
    } else if (options.length === 1) out[kind] = options[0]!.id;
    else if (!options.length) problems.push(`the eBay account has no ${kind} policy for ${o.channel}: create one in Seller Hub (Account > Business policies)`);
    else problems.push(`choose the ${kind} policy of ${o.channel} once: ${flag[kind]} ID (${shown})`);
  }
  if (problems.length) throw new UsageError(`eBay business policies for ${o.channel}: ${problems.join('; ')}`, { hints: ['the choice is kept for the storefront: later runs need no flag', 'nothing was sent'] });
  if (!o.dryRun) deps.store.saveChannelSettings(o.channel, { fulfillmentPolicyId: out.fulfillment, paymentPolicyId: out.payment, returnPolicyId: out.return }, o.now());
  return { fulfillmentPolicyId: out.fulfillment, paymentPolicyId: out.payment, returnPolicyId: out.return };
}

async function sendUnit(deps: PublishDeps, o: PublishOptions, ebay: EbayPublishingPort, u: Unit, policies: { fulfillmentPolicyId: string; paymentPolicyId: string; returnPolicyId: string }, locationKey: string, condition: string): Promise<void> {
  const at = o.now;
  const refuse = (errs: string[], ps: readonly EbayPlan[] = u.plans) => {
    for (const p of ps) {
      p.item.outcome = 'refused';
      p.item.reasons.push(...errs);
      deps.store.markRefused(o.channel, p.c.sku, { issues: [], message: errs.join('; '), at: at() });
    }
  };
  for (const p of u.plans) {
    const hash = createHash('sha256').update(JSON.stringify({ sku: p.remoteSku, category: p.item.categoryId, aspects: p.aspects, price: p.item.price, quantity: p.item.quantity })).digest('hex');
    deps.store.markSending(o.channel, p.c.sku, 'create', p.item.categoryId ?? '', hash, at());
  }
  // Inventory items (createOrReplace: sending one again is harmless).
  for (const p of u.plans) {
    const c = p.c;
    const r = await ebay.putItem(o.channel, p.remoteSku, {
      title: u.groupKey ? titleOf(c) : titleOf(c),
      description: c.description ?? '',
      aspects: p.aspects,
      imageUrls: [c.imageUrl!],
      condition,
      quantity: p.item.quantity ?? 0,
      ...(c.brand ?? c.vendor ? { brand: (c.brand ?? c.vendor)! } : {}),
      ...(c.barcode && c.barcode.length === 13 ? { ean: [c.barcode] } : c.barcode && c.barcode.length === 12 ? { upc: [c.barcode] } : {}),
      ...(c.weightGrams ? { weightGrams: c.weightGrams } : {}),
    });
    if (!r.ok) return refuse(errText(r.errors));
  }
  deps.crash?.('publish-ebay-after-items');
  if (u.groupKey) {
    const first = u.plans[0]!.c;
    const varies = variesBy(u.plans);
    const names = new Set(varies.map((v) => v.name.toLowerCase()));
    const common: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(u.plans[0]!.aspects)) if (!names.has(k.toLowerCase()) && !OPTION_ALIASES[k.toLowerCase()]?.some((x) => names.has(x))) common[k] = v;
    // Variation aspects keep the option's own name in the items (fillAspects maps it to eBay's name).
    const specs = varies.map((v) => {
      const aspectName = Object.keys(u.plans[0]!.aspects).find((k) => k.toLowerCase() === v.name.toLowerCase() || (OPTION_ALIASES[k.toLowerCase()] ?? []).includes(v.name.toLowerCase())) ?? v.name;
      return { name: aspectName, values: v.values };
    });
    const r = await ebay.putGroup(o.channel, u.groupKey, { title: first.title.slice(0, 80), description: first.description ?? '', imageUrls: [...new Set(u.plans.map((p) => p.c.imageUrl!))].slice(0, 24), aspects: common, variantSkus: u.plans.map((p) => p.remoteSku), variesBy: specs });
    if (!r.ok) return refuse(errText(r.errors));
  }
  // Offers: one per SKU and marketplace, never a second.
  for (const p of u.plans) {
    const body = { remoteSku: p.remoteSku, categoryId: p.item.categoryId!, policies, merchantLocationKey: locationKey, price: p.price!, quantity: p.item.quantity ?? 0, ...(u.groupKey ? {} : { description: p.c.description ?? '' }) };
    if (p.existing) {
      // An unpublished offer eBay has already (a run killed before publish, or made elsewhere): completed, not doubled.
      const up = await ebay.updateOffer(o.channel, p.existing.offerId, body);
      if (!up.ok) return refuse(errText(up.errors));
      continue;
    }
    let r;
    try {
      r = await ebay.createOffer(o.channel, body);
    } catch (e) {
      if (!isRemoteFailure(e) || !e.ambiguous) throw e;
      r = undefined;
    }
    if (!r || (!r.ok && r.errors.some((x) => x.errorId === '25002' && /already exists/i.test(x.message)))) {
      // The answer was lost, or eBay has it already: what eBay has decides.
      const mk = channelDef(o.channel)!.remoteId!;
      const back = (await ebay.offers(p.remoteSku)).find((x) => x.marketplaceId === mk);
      if (!back) return refuse([r && !r.ok ? errText(r.errors).join('; ') : 'createOffer: the answer was lost and eBay has no offer'], [p]);
      p.existing = back;
      p.item.offerId = back.offerId;
      if (!r) p.item.readBack = true;
      else {
        const up = await ebay.updateOffer(o.channel, back.offerId, body);
        if (!up.ok) return refuse(errText(up.errors));
      }
      continue;
    }
    if (!r.ok) return refuse(errText(r.errors));
    p.item.offerId = r.offerId;
    p.existing = { offerId: r.offerId, marketplaceId: '', format: 'FIXED_PRICE', status: 'UNPUBLISHED', listingId: null };
  }
  deps.crash?.('publish-ebay-before-publish');
  let listingId: string | null = null;
  let lost = false;
  try {
    const r = u.groupKey ? await ebay.publishGroup(o.channel, u.groupKey) : await ebay.publishOffer(u.plans[0]!.item.offerId!);
    if (!r.ok) return refuse(errText(r.errors));
    listingId = r.listingId || null;
  } catch (e) {
    if (!isRemoteFailure(e) || !e.ambiguous) throw e;
    lost = true;
  }
  deps.crash?.('publish-ebay-after-publish');
  if (lost || !listingId) {
    // Read back: published or not, never a second publish in this run.
    listingId = u.groupKey ? await ebay.groupListing(o.channel, u.plans.map((p) => p.remoteSku)) : ((await ebay.getOffer(u.plans[0]!.item.offerId!))?.listingId ?? null);
    if (!listingId) {
      for (const p of u.plans) {
        p.item.outcome = 'failed';
        p.item.reasons.push('the answer to publish was lost and eBay shows no listing yet; the next run reads it back and completes it');
      }
      return;
    }
    for (const p of u.plans) p.item.readBack = true;
  }
  for (const p of u.plans) {
    p.item.listingId = listingId;
    p.item.outcome = 'listed';
    deps.store.markListed(o.channel, p.c.sku, { method: 'create', remoteRef: listingId, remoteId: p.item.offerId ?? null, remoteSku: p.remoteSku !== p.c.sku ? p.remoteSku : null, productType: p.item.categoryId ?? null, issues: [], acked: { price: p.price!, quantity: p.item.quantity ?? 0 }, at: at() });
  }
}
