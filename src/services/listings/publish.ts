// `merchant listings publish`: create the listings of catalogue SKUs on a marketplace where they are not
// listed yet. Per SKU, all or nothing:
//   - checks that need no marketplace: the SKU is active, priced for the channel (pricing rules), not
//     listed there already; the quantity comes from the inventory rules, as sync's;
//   - Amazon: an existing listing of the SKU is adopted, never replaced; a GTIN that matches one ASIN
//     (searchCatalogItems) becomes an offer on it (LISTING_OFFER_ONLY); no match → a new product under
//     the product type the seller chose, with the attributes its definition requires, validated locally
//     with the definition's JSON Schema (what is missing is listed per SKU, nothing is sent);
//   - the mass-change guard: a run creating more than publish.maxNewListings listings, or offering a
//     large share of them with nothing in stock, is refused unless --allow-mass-change;
//   - before a request goes out its SKU is recorded as 'sending'; an answer that never came (a crash, a
//     timeout) is read back (getListingsItem) instead of sending again, so nothing is listed twice;
//   - after an accepted submission the listing's issues are read and kept (listings show).
// Reached through ports only (PublishStore, AmazonPublishingPort).

import { createHash } from 'node:crypto';
import { channelDef, marketplaceOf } from '../../core/channels.js';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { formatAmount, type Money } from '../../core/money.js';
import type { EbayPublishingPort } from '../../ports/listing-publish.js';
import { alreadySynced, listingBlockers } from './publish-checks.js';
import type { ListingMigrationPort } from '../../ports/listing-migration.js';
import { publishEbay } from './publish-ebay.js';
import type { AmazonPublishingPort, AmazonRequirements, CatalogMatch, ListingIssue, PublicationRecord, PublishCandidate, PublishStore } from '../../ports/listing-publish.js';
import { globToRegExp, offeredQuantity, ruleFor, type InventoryRule } from '../sync/rules.js';
import { checkAttributes, gtinType, listingAttributes, offerOnlyAttributes, resolveAttributeRows, type AttributeRow } from './publish-attributes.js';

export type PublishAction = 'offer' | 'create' | 'adopt' | 'skip' | 'refuse';
export type PublishOutcome = 'planned' | 'listed' | 'refused' | 'failed' | 'skipped';

export interface PublishItem {
  sku: string;
  channel: string;
  action: PublishAction;
  outcome: PublishOutcome;
  asin?: string;
  productType?: string;
  requirements?: AmazonRequirements;
  price?: { amount: string; currency: string };
  quantity?: number;
  /** Why the SKU cannot be listed (or was skipped), one reason each. */
  reasons: string[];
  /** Required attributes the product type's definition wants and the SKU does not have. */
  missing: string[];
  /** Issues the marketplace reported (a refused submission, or a listed item not yet buyable). */
  issues: ListingIssue[];
  /** The answer to the submission was lost and the listing was read back. */
  readBack?: boolean;
  /** eBay: the listing, its offer, the leaf category, the eBay SKU (when not the SKU itself), the variation group. */
  listingId?: string;
  offerId?: string;
  categoryId?: string;
  remoteSku?: string;
  group?: string;
  /** eBay: adopted by migrating its Seller Hub listing (bulkMigrateListing). */
  migrate?: boolean;
}

export interface PublishGuardFinding {
  rule: 'new-listings' | 'zero-stock';
  count: number;
  limit: number;
  message: string;
}

export interface PublishReport {
  channel: string;
  dryRun: boolean;
  items: PublishItem[];
  counts: { listed: number; planned: number; refused: number; failed: number; skipped: number };
  guard: PublishGuardFinding[];
  requests: number;
}

export interface PublishOptions {
  channel: string;
  /** SKUs or glob patterns (MUG-*); none: every SKU priced for the channel and not listed there. */
  patterns: readonly string[];
  dryRun: boolean;
  /** Product type for SKUs no ASIN matches and without a stored choice (Amazon). */
  productType?: string;
  /** Amazon condition_type (default new_new); eBay condition (default NEW). */
  condition?: string;
  /** eBay: the leaf category for SKUs without a stored one. */
  category?: string;
  /** eBay business policies (ids or names), kept per storefront once chosen. */
  policies?: { fulfillment?: string; payment?: string; return?: string };
  /** Parsed --attributes file and its name (for errors). */
  attributes?: { rows: AttributeRow[]; file: string };
  allowMassChange: boolean;
  /** Re-read the issues of listings published earlier (and keep them). */
  checkIssues?: boolean;
  limits: { maxNewListings: number; maxZeroShare: number; minItems: number };
  now: () => string;
}

export interface PublishDeps {
  store: PublishStore;
  amazon?: AmazonPublishingPort;
  ebay?: EbayPublishingPort;
  /** eBay: Seller Hub listings (Active Inventory Report) and bulkMigrateListing, so they are migrated, not duplicated. */
  ebayMigration?: Pick<ListingMigrationPort, 'activeListings' | 'migrate'>;
  rules: readonly InventoryRule[];
  /** Crash injection for the reliability tests (services/crashpoint.ts). */
  crash?: (label: string) => void;
  progress?: (message: string) => void;
  requestCount?: () => number;
}

/** An HTTP failure as the adapters throw it (duck-typed: services never import adapters). */
interface RemoteFailure {
  message: string;
  ambiguous?: boolean;
  kind?: string;
  apiCode?: string;
}
const isRemoteFailure = (e: unknown): e is RemoteFailure => e instanceof Error && 'ambiguous' in e && 'kind' in e;

interface Plan {
  item: PublishItem;
  candidate: PublishCandidate;
  previous?: PublicationRecord;
  price?: Money;
  body?: { productType: string; requirements: AmazonRequirements; attributes: Record<string, unknown[]> };
  createReasons?: string[];
}

const money = (m: Money) => ({ amount: formatAmount(m), currency: m.currency });

export async function publishListings(deps: PublishDeps, o: PublishOptions): Promise<PublishReport> {
  const def = channelDef(o.channel);
  const marketplace = marketplaceOf(o.channel);
  if (!def || !marketplace) throw new UsageError(`--channel: unknown channel "${o.channel}"`, { hints: ['see `merchant marketplace list` for the connected storefronts'] });
  if (marketplace === 'ebay') return publishEbay(deps, o, (all) => select(all, o.patterns, o.channel), (r) => finish(r, deps));
  if (marketplace !== 'amazon') throw new UsageError(`listings publish creates listings on Amazon and eBay storefronts; ${o.channel} is ${marketplace}`, { hints: ['Shopify listings are created by `merchant sync`'] });
  const amazon = deps.amazon;
  if (!amazon) throw new UsageError('Amazon is not connected', { hints: ['run `merchant marketplace connect amazon`'] });
  const mk = def.remoteId!;
  const condition = o.condition ?? 'new_new';

  const all = deps.store.candidates(o.channel);
  const resolved = o.attributes ? resolveAttributeRows(o.attributes.rows, all, o.attributes.file) : undefined;
  // The seller's values are kept for the next runs (not by a dry run, which writes nothing).
  if (resolved && !o.dryRun) deps.store.saveSettings(o.channel, [...resolved].map(([sku, v]) => ({ sku, productType: v.productType, attributes: v.attributes })), o.now());
  const selected = select(all, o.patterns, o.channel);
  const skus = selected.map((c) => c.sku);
  const settings = deps.store.settings(o.channel, skus);
  if (resolved && o.dryRun) {
    for (const [sku, v] of resolved) {
      const cur = settings.get(sku) ?? { productType: null, attributes: {} };
      settings.set(sku, { productType: v.productType ?? cur.productType, attributes: { ...cur.attributes, ...Object.fromEntries(Object.entries(v.attributes).filter(([, x]) => x !== '')) } });
    }
  }
  const pubs = deps.store.publications(o.channel, skus);
  const report: PublishReport = { channel: o.channel, dryRun: o.dryRun, items: [], counts: { listed: 0, planned: 0, refused: 0, failed: 0, skipped: 0 }, guard: [], requests: 0 };

  // 1. Local checks.
  const plans: Plan[] = [];
  for (const c of selected) {
    const item: PublishItem = { sku: c.sku, channel: o.channel, action: 'refuse', outcome: 'refused', reasons: [], missing: [], issues: [] };
    const prev = pubs.get(c.sku);
    report.items.push(item);
    if (prev?.state === 'listed') {
      Object.assign(item, { action: 'skip', outcome: 'skipped', asin: prev.remoteRef ?? undefined, productType: prev.productType ?? undefined, issues: prev.issues });
      item.reasons.push(`already published on ${o.channel}${prev.remoteRef ? ` (ASIN ${prev.remoteRef})` : ''} at ${prev.updatedAt}`);
      if (o.checkIssues) plans.push({ item, candidate: c, previous: prev });
      continue;
    }
    const synced = alreadySynced(c, prev, o.channel);
    if (synced) {
      Object.assign(item, { action: 'skip', outcome: 'skipped' });
      item.reasons.push(synced);
      continue;
    }
    item.reasons.push(...listingBlockers(c, o.channel, def.currency));
    // These stop a new listing only: a SKU Amazon already has is adopted whatever its barcode.
    const createReasons: string[] = [];
    const gtin = c.barcode ? gtinType(c.barcode) : undefined;
    const chosen = settings.get(c.sku)?.productType ?? o.productType;
    if (c.barcode && !gtin) createReasons.push(`barcode "${c.barcode}" is not a GTIN (EAN-13, UPC-12, GTIN-14 or EAN-8)`);
    if (!c.barcode && !chosen) createReasons.push('no barcode (GTIN) to match an Amazon product and no product type chosen to create one: add the barcode, or choose a product type (--product-type, or product_type in --attributes)');
    if (c.listing?.price) {
      item.price = money(c.listing.price);
      item.quantity = c.available === null ? 0 : offeredQuantity(c.available, ruleFor(deps.rules, o.channel, c.sku));
    }
    if (item.reasons.length) continue;
    plans.push({ item, candidate: c, previous: prev, price: c.listing!.price!, createReasons });
  }

  // 2. Amazon: what is there already, which ASIN a GTIN matches, the product types' schemas.
  const active = plans.filter((p) => p.item.action !== 'skip');
  const recheck = plans.filter((p) => p.item.action === 'skip');
  if (active.length) deps.progress?.(`reading ${active.length} SKU(s) on ${o.channel}…`);
  for (const p of active) {
    const remote = await amazon.listing(o.channel, p.candidate.sku);
    if (remote.found) {
      Object.assign(p.item, { action: 'adopt', asin: remote.asin, productType: remote.productType, issues: remote.issues });
      p.item.reasons.push(p.previous?.state === 'sending' ? 'the previous run sent it and lost the answer: it is on Amazon (read back), not sent again' : `already on Amazon under this SKU (made elsewhere): adopted, not replaced; \`merchant sync\` sends its price and stock`);
      if (p.previous?.state === 'sending') p.item.readBack = true;
    }
  }
  for (const p of active) if (p.item.action === 'refuse' && p.createReasons?.length) p.item.reasons.push(...p.createReasons);
  const toMatch = active.filter((p) => p.item.action === 'refuse' && !p.item.reasons.length && p.candidate.barcode);
  const byType = new Map<'EAN' | 'UPC' | 'GTIN', string[]>();
  for (const p of toMatch) {
    const t = gtinType(p.candidate.barcode!)!;
    byType.set(t, [...(byType.get(t) ?? []), p.candidate.barcode!]);
  }
  const matches = new Map<string, CatalogMatch[]>();
  for (const [t, values] of byType) for (const [k, v] of await amazon.matchIdentifiers(o.channel, t, values)) matches.set(k, v);

  for (const p of active) {
    if (p.item.action !== 'refuse' || p.item.reasons.length) continue;
    const c = p.candidate;
    const seller = settings.get(c.sku)?.attributes ?? {};
    const found = c.barcode ? (matches.get(c.barcode) ?? []) : [];
    const pickedAsin = seller.merchant_suggested_asin;
    let match: CatalogMatch | undefined;
    if (pickedAsin) {
      match = found.find((m) => m.asin === pickedAsin) ?? { asin: pickedAsin };
    } else if (found.length === 1) match = found[0];
    else if (found.length > 1) {
      p.item.reasons.push(`${gtinType(c.barcode!)} ${c.barcode} matches ${found.length} Amazon products (${found.map((m) => `${m.asin}${m.itemName ? ` "${m.itemName}"` : ''}`).join(', ')}): choose one with a merchant_suggested_asin column in --attributes`);
      continue;
    }
    const chosenType = settings.get(c.sku)?.productType ?? o.productType;
    let requirements: AmazonRequirements;
    let productType: string;
    let attributes: Record<string, unknown[]>;
    try {
      if (match) {
        requirements = 'LISTING_OFFER_ONLY';
        productType = match.productType ?? 'PRODUCT';
        const schema = await amazon.productTypeSchema(o.channel, productType, requirements);
        attributes = offerOnlyAttributes(match.asin, mk, condition);
        const check = checkAttributes(schema, attributes, { currency: p.price!.currency, amount: formatAmount(p.price!), quantity: p.item.quantity ?? 0 }, mk);
        p.item.missing = check.missing;
        p.item.reasons.push(...check.invalid);
        Object.assign(p.item, { asin: match.asin, productType, requirements });
      } else {
        if (!chosenType) {
          p.item.reasons.push(`no Amazon product has ${gtinType(c.barcode!)} ${c.barcode} on ${o.channel}: choose a product type to create it (--product-type TYPE, or product_type in --attributes)`);
          continue;
        }
        requirements = 'LISTING';
        productType = chosenType;
        const schema = await amazon.productTypeSchema(o.channel, productType, requirements);
        attributes = listingAttributes(c, seller, schema, mk, condition);
        const check = checkAttributes(schema, attributes, { currency: p.price!.currency, amount: formatAmount(p.price!), quantity: p.item.quantity ?? 0 }, mk);
        p.item.missing = check.missing;
        p.item.reasons.push(...check.invalid);
        Object.assign(p.item, { productType, requirements });
      }
    } catch (e) {
      if (isRemoteFailure(e) && (e.apiCode === 'NotFound' || /not found/i.test(e.message))) {
        p.item.reasons.push(`Amazon has no product type ${chosenType ?? match?.productType} for ${o.channel}: choose another (Amazon's product type names, e.g. DRINKING_CUP)`);
        continue;
      }
      throw e;
    }
    if (p.item.missing.length) p.item.reasons.unshift(`missing required attributes of ${productType}: ${p.item.missing.join(', ')} (add them as columns of --attributes FILE)`);
    if (p.item.reasons.length) continue;
    p.item.action = match ? 'offer' : 'create';
    p.item.outcome = 'planned';
    p.body = { productType, requirements, attributes };
  }
  for (const i of report.items) if (i.action === 'refuse') i.outcome = 'refused';

  // 3. The mass-change guard counts the new listings.
  const creating = report.items.filter((i) => i.action === 'offer' || i.action === 'create');
  if (creating.length > o.limits.maxNewListings) {
    report.guard.push({ rule: 'new-listings', count: creating.length, limit: o.limits.maxNewListings, message: `would create ${creating.length} new listings on ${o.channel} in one run (publish.maxNewListings is ${o.limits.maxNewListings})` });
  }
  const empty = creating.filter((i) => i.quantity === 0).length;
  if (empty >= o.limits.minItems && empty / Math.max(creating.length, 1) > o.limits.maxZeroShare) {
    report.guard.push({ rule: 'zero-stock', count: empty, limit: o.limits.maxZeroShare, message: `${empty} of ${creating.length} new listings on ${o.channel} would have no stock (more than ${Math.round(o.limits.maxZeroShare * 100)}%): stock levels missing from the catalogue?` });
  }

  if (o.dryRun || (report.guard.length && !o.allowMassChange)) {
    for (const i of report.items) if (i.outcome === 'planned' || i.action === 'adopt') i.outcome = 'planned';
    return finish(report, deps);
  }

  // 4. Send, SKU by SKU.
  const at = o.now;
  for (const p of active) {
    const i = p.item;
    if (i.action === 'adopt') {
      deps.store.markListed(o.channel, i.sku, { method: p.previous?.state === 'sending' ? p.previous.method : 'adopted', remoteRef: i.asin ?? null, productType: i.productType ?? null, issues: i.issues, acked: p.previous?.state === 'sending' ? { price: p.price ?? null, quantity: i.quantity ?? null } : null, at: at() });
      i.outcome = 'listed';
      continue;
    }
    if (!p.body) continue;
    const method = i.action === 'offer' ? 'offer' : 'create';
    const hash = createHash('sha256').update(JSON.stringify({ ...p.body, price: i.price, quantity: i.quantity })).digest('hex');
    deps.store.markSending(o.channel, i.sku, method, p.body.productType, hash, at());
    deps.crash?.('publish-before-put');
    let result;
    try {
      result = await amazon.putListing(o.channel, i.sku, { ...p.body, offer: { price: p.price!, quantity: i.quantity ?? 0 } });
    } catch (e) {
      if (!isRemoteFailure(e)) throw e;
      if (e.ambiguous) {
        // The answer was lost: what Amazon has decides, never a second PUT in this run.
        const back = await amazon.listing(o.channel, i.sku).catch(() => undefined);
        if (back?.found) {
          i.readBack = true;
          i.asin = back.asin ?? i.asin;
          i.issues = back.issues;
          deps.store.markListed(o.channel, i.sku, { method, remoteRef: i.asin ?? null, productType: p.body.productType, issues: back.issues, acked: { price: p.price!, quantity: i.quantity ?? 0 }, at: at() });
          i.outcome = 'listed';
          continue;
        }
        if (!back) {
          // Still unknown: left 'sending', read back by the next run.
          i.outcome = 'failed';
          i.reasons.push(`the answer was lost and Amazon could not be asked: ${e.message}; the next run reads it back before sending anything`);
          continue;
        }
      }
      deps.store.markRefused(o.channel, i.sku, { issues: [], message: e.message, at: at(), state: 'failed' });
      i.outcome = 'failed';
      i.reasons.push(e.message);
      if (e.kind === 'auth') throw e;
      continue;
    }
    deps.crash?.('publish-after-put');
    if (result.status !== 'ACCEPTED') {
      i.issues = result.issues;
      i.outcome = 'refused';
      i.reasons.push(...(result.issues.filter((x) => x.severity === 'ERROR').map((x) => `Amazon ${x.code}: ${x.message}`) || []));
      if (!i.reasons.length) i.reasons.push(`Amazon answered ${result.status}`);
      deps.store.markRefused(o.channel, i.sku, { issues: result.issues, message: i.reasons.join('; '), at: at() });
      continue;
    }
    // Accepted: the listing's issues as Amazon reports them now (kept, shown by listings show).
    const after = await amazon.listing(o.channel, i.sku).catch(() => undefined);
    i.asin = after?.asin ?? result.asin ?? i.asin;
    i.issues = [...result.issues, ...(after?.issues ?? [])];
    deps.store.markListed(o.channel, i.sku, { method, remoteRef: i.asin ?? null, productType: p.body.productType, issues: i.issues, acked: { price: p.price!, quantity: i.quantity ?? 0 }, at: at() });
    i.outcome = 'listed';
  }
  for (const p of recheck) {
    const back = await amazon.listing(o.channel, p.item.sku);
    p.item.issues = back.issues;
    deps.store.saveIssues(o.channel, p.item.sku, back.issues, at());
  }
  deps.store.audit({ channel: o.channel, listed: report.items.filter((i) => i.outcome === 'listed').map((i) => ({ sku: i.sku, asin: i.asin ?? null, action: i.action })), refused: report.items.filter((i) => i.outcome === 'refused').length, failed: report.items.filter((i) => i.outcome === 'failed').length }, at());
  return finish(report, deps);
}

function finish(report: PublishReport, deps: PublishDeps): PublishReport {
  for (const i of report.items) report.counts[i.outcome] += 1;
  report.requests = deps.requestCount?.() ?? 0;
  return report;
}

/** The SKUs a run works on: named ones (globs allowed), or every SKU priced for the channel and not listed there. */
function select(all: readonly PublishCandidate[], patterns: readonly string[], channel: string): PublishCandidate[] {
  if (!patterns.length) return all.filter((c) => c.listing && c.listing.ackedStatus === null && c.listing.remoteId === null && c.status === 'active');
  const out = new Map<string, PublishCandidate>();
  const unknown: string[] = [];
  for (const p of patterns) {
    const glob = /[*?]/.test(p);
    const hits = glob ? all.filter((c) => globToRegExp(p).test(c.sku)) : all.filter((c) => c.sku === p);
    if (!hits.length) unknown.push(p);
    for (const h of hits) out.set(h.sku, h);
  }
  if (unknown.length) throw new NotFoundError(`no SKU ${unknown.map((u) => `"${u}"`).join(', ')} in the catalogue`, { hints: [`see \`merchant listings list\`; without SKUs, listings publish takes every SKU priced for ${channel} and not listed there`] });
  return [...out.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1));
}
