// `listings list | show | export`: the catalogue as rows, one SKU in full, and the merchant template
// written back (export → import changes nothing: same columns, same values, formula-safe cells).

import { stringify } from 'csv-stringify/sync';
import type { CatalogueFilter, CatalogueReadRepo, CatalogueRow } from '../../ports/listing-catalogue.js';
import type { ColumnMaps } from '../../ports/listing-files.js';
import { formatAmount } from '../../core/money.js';
import { UsageError, NotFoundError } from '../../core/errors.js';
import { CHANNELS, channelDef } from '../../core/channels.js';
import { remoteSkuOf } from '../../core/remote-sku.js';

const amount = (minor: bigint | null, currency: string | null): string => (minor === null || !currency ? '' : formatAmount({ minor, currency }));
const money = (minor: bigint | null, currency: string | null) => (minor === null || !currency ? null : { amount: formatAmount({ minor, currency }), currency });
const n = (v: bigint | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export interface ListItem {
  sku: string;
  handle: string;
  title: string;
  variant: string | null;
  price: { amount: string; currency: string } | null;
  onHand: number | null;
  available: number | null;
  channels: string[];
  status: string;
}

function channelsOf(row: CatalogueRow): Array<{ channel: string; price: bigint | null; currency: string | null; status: string; quantity: bigint | null }> {
  if (!row.channels) return [];
  return row.channels.split(';').map((s) => {
    const [channel = '', price = '', currency = '', status = '', quantity = ''] = s.split('=');
    return { channel, price: price === '' ? null : BigInt(price), currency: currency || null, status, quantity: quantity === '' ? null : BigInt(quantity) };
  });
}

function toItem(r: CatalogueRow): ListItem {
  return {
    sku: r.sku,
    handle: r.handle,
    title: r.product_title,
    variant: r.title,
    price: money(r.price_minor, r.currency),
    onHand: n(r.on_hand),
    available: r.on_hand === null ? null : Number(r.on_hand - (r.reserved ?? 0n)),
    channels: channelsOf(r).filter((c) => c.status !== 'removed').map((c) => c.channel),
    status: r.product_status,
  };
}

/** A --channel that is no storefront would silently list nothing: say so instead. */
function checkFilter(filter: CatalogueFilter): void {
  if (filter.channel && !channelDef(filter.channel)) {
    throw new UsageError(`unknown --channel ${filter.channel}`, { hints: [`storefronts: ${CHANNELS.map((c) => c.code).join(', ')}`] });
  }
}

export function* listCatalogue(catalogue: CatalogueReadRepo, filter: CatalogueFilter): Generator<ListItem> {
  checkFilter(filter);
  for (const r of catalogue.iterate(filter)) yield toItem(r);
}

/** `ebayHome`: the seller's home eBay site (eBay's SKU convention off it), asked only for a SKU that exists. */
export function showListing(catalogue: CatalogueReadRepo, sku: string, ebayHome: () => string | undefined) {
  const row = sku.includes('*') ? undefined : [...catalogue.iterate({ sku, limit: 1 })][0];
  if (!row) {
    throw new NotFoundError(`no SKU ${JSON.stringify(sku)} in the catalogue`, { hints: ['list SKUs with `merchant listings list`, or import them with `merchant listings import FILE`'] });
  }
  const listings = catalogue.listingsForSku(sku);
  const home = ebayHome();
  return {
    sku: row.sku,
    handle: row.handle,
    title: row.product_title,
    variantTitle: row.title,
    options: row.options_json ? (JSON.parse(row.options_json) as Array<[string, string]>).map(([name, value]) => ({ name, value })) : [],
    status: row.product_status,
    vendor: row.vendor,
    brand: row.brand,
    productType: row.product_type,
    tags: row.tags,
    description: row.description,
    barcode: row.barcode,
    price: money(row.price_minor, row.currency),
    compareAtPrice: money(row.compare_at_minor, row.currency),
    cost: money(row.cost_minor, row.cost_currency),
    landedCost: money(row.landed_cost_minor, row.cost_currency),
    weightGrams: n(row.weight_grams),
    dimensionsMm: row.length_mm === null && row.width_mm === null && row.height_mm === null ? null : { length: n(row.length_mm), width: n(row.width_mm), height: n(row.height_mm) },
    hsCode: row.hs_code,
    originCountry: row.origin_country,
    imageUrl: row.image_url,
    stock: { onHand: n(row.on_hand), reserved: n(row.reserved), available: row.on_hand === null ? null : Number(row.on_hand - (row.reserved ?? 0n)) },
    channels: listings.map((l) => ({
      channel: l.channel,
      status: l.status,
      price: money(l.price_minor, l.currency),
      quantity: n(l.quantity),
      remoteId: l.remote_id,
      // The SKU this storefront knows the listing by: stored (learnt from the marketplace), eBay's
      // convention (one SKU per eBay site: SKU-<SITE> off the home site), or the SKU itself.
      remoteSku: remoteSkuOf({ sku: row.sku, channel: l.channel, remoteSku: l.remote_sku }, home),
      remoteSkuSource: l.remote_sku ? ('stored' as const) : l.channel.startsWith('ebay-') ? ('convention' as const) : ('sku' as const),
      remoteListingId: l.remote_listing_id ?? null,
      acked: l.acked_at ? { price: money(l.acked_price_minor, l.currency), quantity: n(l.acked_quantity), status: l.acked_status, at: l.acked_at } : null,
    })),
    pendingChanges: catalogue.pendingForSku(sku).map((o) => ({ channel: o.channel, kind: o.kind, state: o.state, since: o.created_at })),
    updatedAt: row.updated_at,
  };
}

export type ListingDetail = ReturnType<typeof showListing>;

/** Spreadsheet formula injection: a text cell starting with = + - @ (or tab/CR) gets a leading '. */
export function formulaSafe(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function exportHeaders(maps: ColumnMaps): string[] {
  const map = maps.all().find((m) => m.id === 'merchant/1')!;
  return Object.values(map.fields).map((f) => maps.aliasText(f.headers[0]!));
}

function exportRow(r: CatalogueRow): string[] {
  const opts = r.options_json ? (JSON.parse(r.options_json) as Array<[string, string]>) : [];
  const t = (s: string | null) => (s === null ? '' : formulaSafe(s));
  const chans = channelsOf(r)
    .filter((c) => c.status === 'active')
    .map((c) => `${c.channel}${c.price !== null && c.currency ? `=${formatAmount({ minor: c.price, currency: c.currency })}` : ''}${c.quantity !== null ? `:${c.quantity}` : ''}`)
    .join(';');
  const dims = (v: bigint | null) => (v === null ? '' : v.toString());
  return [
    t(r.sku),
    t(r.handle),
    t(r.product_title),
    t(r.title),
    t(opts[0]?.[0] ?? null), t(opts[0]?.[1] ?? null),
    t(opts[1]?.[0] ?? null), t(opts[1]?.[1] ?? null),
    t(opts[2]?.[0] ?? null), t(opts[2]?.[1] ?? null),
    t(r.description),
    t(r.vendor),
    t(r.brand),
    t(r.product_type),
    t(r.tags),
    r.product_status,
    r.barcode ?? '',
    amount(r.price_minor, r.currency),
    r.currency ?? '',
    amount(r.compare_at_minor, r.currency),
    amount(r.cost_minor, r.cost_currency),
    r.cost_currency ?? '',
    amount(r.landed_cost_minor, r.cost_currency),
    dims(r.weight_grams),
    dims(r.length_mm),
    dims(r.width_mm),
    dims(r.height_mm),
    r.hs_code ?? '',
    r.origin_country ?? '',
    t(r.image_url),
    r.on_hand === null ? '' : r.on_hand.toString(),
    chans,
  ];
}

/** The catalogue as the merchant template, in chunks (streams a million rows in flat memory). */
export function* exportCsv(catalogue: CatalogueReadRepo, maps: ColumnMaps, filter: CatalogueFilter = {}): Generator<string> {
  checkFilter(filter);
  yield stringify([exportHeaders(maps)]);
  let batch: string[][] = [];
  for (const r of catalogue.iterate(filter)) {
    batch.push(exportRow(r));
    if (batch.length === 2000) {
      yield stringify(batch);
      batch = [];
    }
  }
  if (batch.length) yield stringify(batch);
}
