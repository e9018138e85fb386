// `merchant listings show`: what runs (the command's definition is show.ts, loaded at start-up).
import type { Ctx } from '../../context.js';
import { showListing } from '../../../services/listings/catalogue.js';
import { formatTimestamp, printFields, printJson, printRows } from '../../render.js';
import { publicationsOfSku } from '../../../store/repos/listing-publications.js';
import { SqliteListingCatalogue } from '../../../store/repos/listing-catalogue.js';
import { getAccount, homeChannel } from '../../../services/marketplace/accounts.js';

export async function runShow(ctx: Ctx, sku: string): Promise<void> {
  const store = ctx.store();
  const d = showListing(new SqliteListingCatalogue(store), sku, () => homeChannel(getAccount(store, 'ebay')));
  // Listings created by `listings publish`, with the issues the marketplace reported (why not buyable).
  const publications = publicationsOfSku(ctx.store(), d.sku);
  if (ctx.globals.json) return printJson(ctx.io, { ...d, publications });
  const m = (x: { amount: string; currency: string } | null) => (x ? `${x.amount} ${x.currency}` : undefined);
  await printFields(ctx.io, [
    ['SKU', d.sku],
    ['Product', `${d.title} (${d.handle})`],
    ['Variant', d.variantTitle],
    ['Options', d.options.map((o) => `${o.name}: ${o.value}`).join(', ')],
    ['Status', d.status],
    ['Vendor', d.vendor],
    ['Brand', d.brand],
    ['Type', d.productType],
    ['Barcode', d.barcode],
    ['Price', m(d.price)],
    ['Compare at', m(d.compareAtPrice)],
    ['Cost', m(d.cost)],
    ['Landed cost', m(d.landedCost)],
    ['Weight', d.weightGrams === null ? undefined : `${d.weightGrams} g`],
    ['Size', d.dimensionsMm ? `${d.dimensionsMm.length ?? '?'} × ${d.dimensionsMm.width ?? '?'} × ${d.dimensionsMm.height ?? '?'} mm` : undefined],
    ['HS code', d.hsCode],
    ['Origin', d.originCountry],
    ['Stock', d.stock.onHand === null ? undefined : `${d.stock.onHand} on hand, ${d.stock.reserved ?? 0} reserved, ${d.stock.available} available`],
    ['Updated', formatTimestamp(ctx.io, d.updatedAt)],
  ]);
  if (d.channels.length) {
    ctx.io.out('');
    await printRows(ctx.io, d.channels, [
      { header: 'CHANNEL', value: (c) => c.channel },
      { header: 'STATUS', value: (c) => c.status },
      { header: 'PRICE', value: (c) => m(c.price) ?? '', align: 'right' },
      { header: 'QTY', value: (c) => (c.quantity === null ? '' : String(c.quantity)), align: 'right' },
      { header: 'REMOTE', value: (c) => (c.remoteSku === d.sku ? '' : c.remoteSku) + (c.remoteListingId ? `${c.remoteSku === d.sku ? '' : ' '}#${c.remoteListingId}` : '') },
      { header: 'LIVE', value: (c) => (c.acked ? `${m(c.acked.price) ?? ''} ${c.acked.quantity ?? ''} at ${formatTimestamp(ctx.io, c.acked.at)}`.trim() : 'not yet synced') },
    ]);
  }
  if (publications.length) {
    ctx.io.out('');
    await printRows(ctx.io, publications.flatMap((p) => [
      { channel: p.channel, what: p.channel.startsWith('ebay-') ? `${p.state === 'listed' ? 'published' : p.state}${p.method === 'create' ? ' as a new listing' : p.method === 'migrated' ? ' (migrated from Seller Hub)' : p.method === 'adopted' ? ' (adopted)' : ''}${p.remoteRef ? ` ${p.remoteRef}` : ''}${p.productType ? ` in category ${p.productType}` : ''} at ${formatTimestamp(ctx.io, p.updatedAt)}${p.message ? `: ${p.message}` : ''}` : `${p.state === 'listed' ? 'published' : p.state}${p.method === 'offer' ? ' as an offer' : p.method === 'create' ? ' as a new product' : p.method === 'adopted' ? ' (adopted)' : ''}${p.remoteRef ? ` ${p.remoteRef}` : ''}${p.productType ? ` (${p.productType})` : ''} at ${formatTimestamp(ctx.io, p.updatedAt)}${p.message ? `: ${p.message}` : ''}` },
      ...p.issues.map((x) => ({ channel: '', what: `${x.severity} ${x.code}: ${x.message}` })),
    ]), [
      { header: 'PUBLISHED', value: (r) => r.channel },
      { header: 'STATE AND ISSUES', value: (r) => r.what, overflow: 'wrap' },
    ]);
  }
  if (d.pendingChanges.length) ctx.io.info(`${d.pendingChanges.length} change(s) waiting for \`merchant sync\`: ${d.pendingChanges.map((p) => `${p.kind} → ${p.channel}`).join(', ')}`);
}
