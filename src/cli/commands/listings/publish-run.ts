// `merchant listings publish`: the run itself, loaded by publish.ts only when the command runs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Ctx } from '../../context.js';
import { printJson, printRows } from '../../render.js';
import { CancelledError, NotConfiguredError, PartialFailure, UsageError } from '../../../core/errors.js';
import { marketplaceOf } from '../../../core/channels.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { AmazonAdapter } from '../../../adapters/marketplaces/amazon/index.js';
import { EbayAdapter } from '../../../adapters/marketplaces/ebay/index.js';
import { EBAY_CONDITIONS } from '../../../services/listings/publish-ebay.js';
import { accountChannels, getAccount, storedSecrets } from '../../../services/marketplace/accounts.js';
import { marketplaceConnector } from '../../wiring/marketplaces.js';
import { loadRules } from '../../../services/sync/rules.js';
import { crashPoint } from '../../../services/crashpoint.js';
import { parseAttributesFile } from '../../../services/listings/publish-attributes.js';
import { publishListings, type PublishItem, type PublishReport } from '../../../services/listings/publish.js';
import { publishStore } from '../../../store/repos/listing-publications.js';
import { rateLimitWaits } from '../../rate-wait.js';

import type { Opts } from './publish.js';

const CONDITIONS = ['new_new', 'new_open_box', 'new_oem', 'refurbished_refurbished', 'used_like_new', 'used_very_good', 'used_good', 'used_acceptable', 'collectible_like_new', 'collectible_very_good', 'collectible_good', 'collectible_acceptable', 'club_club'];

export async function runPublish(ctx: Ctx, patterns: string[], opts: Opts): Promise<void> {
  const channel = (opts.channel ?? '').trim().toLowerCase();
  const marketplace = marketplaceOf(channel);
  if (marketplace !== 'amazon' && marketplace !== 'ebay') throw new UsageError(`--channel: listings publish creates listings on Amazon and eBay storefronts (amazon-de, ebay-uk, …), not "${opts.channel}"`, { hints: channel === 'shopify' ? ['Shopify listings are created by `merchant sync`'] : [] });
  const ebayOnly = [opts.category && '--category', opts.fulfillmentPolicy && '--fulfillment-policy', opts.paymentPolicy && '--payment-policy', opts.returnPolicy && '--return-policy'].filter(Boolean);
  if (marketplace === 'amazon' && ebayOnly.length) throw new UsageError(`${ebayOnly.join(', ')}: eBay options, not for ${channel}`);
  if (marketplace === 'ebay' && (opts.productType || opts.checkIssues)) throw new UsageError(`${opts.productType ? '--product-type' : '--check-issues'}: an Amazon option, not for ${channel} (eBay listings take --category)`);
  if (marketplace === 'amazon' && opts.condition && !CONDITIONS.includes(opts.condition)) throw new UsageError(`--condition: "${opts.condition}" is not an Amazon condition_type`, { hints: [`use one of ${CONDITIONS.join(', ')}`] });
  const condition = marketplace === 'ebay' && opts.condition ? opts.condition.trim().toUpperCase() : opts.condition;
  if (marketplace === 'ebay' && condition && !EBAY_CONDITIONS.includes(condition)) throw new UsageError(`--condition: "${opts.condition}" is not an eBay condition`, { hints: [`use one of ${EBAY_CONDITIONS.join(', ')}`] });
  if (opts.category !== undefined && !/^\d{1,10}$/.test(opts.category.trim())) throw new UsageError(`--category: "${opts.category}" is not an eBay category id (digits, e.g. 20693)`);
  const productType = opts.productType?.trim().toUpperCase();
  if (productType !== undefined && !/^[A-Z][A-Z0-9_]*$/.test(productType)) throw new UsageError(`--product-type: "${opts.productType}" is not an Amazon product type name (DRINKING_CUP, VASE, …)`);
  const store = ctx.store();
  const account = getAccount(store, marketplace);
  const NAME = marketplace === 'amazon' ? 'Amazon' : 'eBay';
  if (!account) throw new NotConfiguredError(`${NAME} is not connected`, { hints: [`run \`merchant marketplace connect ${marketplace}\` (or \`--sandbox URL\` to try the local sandbox)`] });
  if (!accountChannels(account).includes(channel)) throw new UsageError(`--channel: ${channel} is not a storefront of the connected ${NAME} account`, { hints: [`connected: ${accountChannels(account).join(', ') || 'none'}`] });
  let attributes: { rows: ReturnType<typeof parseAttributesFile>; file: string } | undefined;
  if (opts.attributes) {
    const file = resolve(ctx.cwd ?? process.cwd(), opts.attributes);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--attributes: cannot read ${opts.attributes}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    attributes = { rows: parseAttributesFile(text, opts.attributes, marketplace), file: opts.attributes };
  }
  if (!opts.dryRun) await ctx.writeLock('listings publish');
  const cfg = ctx.config();
  const io = ctx.io;
  const spinner = io.spinner(opts.dryRun ? 'checking…' : 'publishing…');
  const onWait = rateLimitWaits(io, () => spinner, 'publishing…');
  const adapter = marketplaceConnector(httpFactoryFromCtx(ctx, { onWait })).make(account, storedSecrets(ctx.credentials(), marketplace), { now: () => ctx.clock.now().getTime() });
  if (!(adapter instanceof AmazonAdapter) && !(adapter instanceof EbayAdapter)) throw new UsageError('listings publish needs the Amazon or eBay adapter');
  const deps = {
    store: publishStore(store),
    ...(adapter instanceof AmazonAdapter ? { amazon: adapter.publishing() } : { ebay: adapter.publishing(), ebayMigration: adapter }),
    rules: loadRules(store),
    crash: crashPoint,
    progress: (m: string) => spinner.update(m),
    requestCount: () => adapter.requestCount(),
  };
  const base = {
    channel,
    patterns,
    productType,
    condition,
    category: opts.category?.trim(),
    policies: { fulfillment: opts.fulfillmentPolicy?.trim(), payment: opts.paymentPolicy?.trim(), return: opts.returnPolicy?.trim() },
    attributes,
    allowMassChange: Boolean(opts.allowMassChange),
    checkIssues: Boolean(opts.checkIssues),
    limits: { maxNewListings: cfg.getNumber('publish.maxNewListings', 100), maxZeroShare: cfg.getNumber('sync.maxZeroShare', 0.2), minItems: cfg.getNumber('sync.massChangeMinItems', 5) },
    now: () => ctx.clock.now().toISOString(),
  };
  let report: PublishReport;
  try {
    // --yes (cron) and --dry-run: one pass. Otherwise the plan is shown and confirmed first.
    report = await publishListings(deps, { ...base, dryRun: Boolean(opts.dryRun || !opts.yes) });
    const sending = report.items.filter((i) => i.action === 'offer' || i.action === 'create' || i.action === 'adopt');
    if (!opts.dryRun && !opts.yes && (sending.length || opts.checkIssues) && !(report.guard.length && !opts.allowMassChange)) {
      spinner.stop();
      if (sending.length) {
        if (!ctx.globals.json) render(ctx, report, 'stderr');
        const ok = await ctx.prompt.confirm(`Publish ${sending.length} listing${sending.length === 1 ? '' : 's'} on ${channel}?`, { yes: opts.yes });
        if (!ok) throw new CancelledError('nothing was published');
      }
      report = await publishListings(deps, { ...base, dryRun: false });
    }
  } finally {
    spinner.stop();
  }
  if (ctx.globals.json) printJson(io, report);
  else render(ctx, report, 'stdout');
  if (report.guard.length && !opts.allowMassChange) {
    throw new PartialFailure(`listings publish refused: ${report.guard.map((g) => g.message).join('; ')}; nothing was sent`, { hints: ['check the SKUs and their stock, then run again with --allow-mass-change'] });
  }
  const bad = report.items.filter((i) => i.outcome === 'refused' || i.outcome === 'failed');
  if (bad.length && !opts.dryRun) {
    throw new PartialFailure(`${bad.length} of ${report.items.length} SKU(s) could not be listed on ${channel}: ${bad.slice(0, 5).map((i) => i.sku).join(', ')}${bad.length > 5 ? ', …' : ''} (reasons above)`, {
      hints: [marketplace === 'ebay' ? 'fix what the table says (missing item specifics: --attributes FILE; no category: --category ID) and run again; listed SKUs are not sent twice' : 'fix what the table says (missing attributes: --attributes FILE; no product type: --product-type) and run again; listed SKUs are not sent twice'],
    });
  }
}

const WHAT: Record<PublishItem['action'], string> = { offer: 'offer on ASIN', create: 'new product', adopt: 'already on Amazon', skip: 'skip', refuse: 'cannot list' };
const WHAT_EBAY: Record<PublishItem['action'], string> = { offer: 'offer', create: 'new listing', adopt: 'already on eBay', skip: 'skip', refuse: 'cannot list' };
const isEbay = (r: PublishReport) => r.channel.startsWith('ebay-');
/** ACTION cell: what happens, with the ASIN (Amazon) or the listing / variation group (eBay). */
function what(r: PublishReport, i: PublishItem): string {
  if (!isEbay(r)) return `${WHAT[i.action]}${i.asin && i.action !== 'skip' ? ` ${i.asin}` : ''}`;
  const base = i.action === 'create' && i.group ? `new variation listing ${i.group}` : i.action === 'adopt' && i.migrate ? 'migrate from Seller Hub' : WHAT_EBAY[i.action];
  return `${base}${i.listingId && i.action !== 'skip' ? ` ${i.listingId}` : ''}`;
}

function render(ctx: Ctx, r: PublishReport, stream: 'stdout' | 'stderr'): void {
  const io = ctx.io;
  const out = (s: string) => (stream === 'stdout' ? io.out(s) : io.info(s));
  if (stream === 'stdout' && ctx.globals.quiet && !r.dryRun) {
    // --quiet: only what the seller must act on.
    for (const i of r.items.filter((x) => x.outcome === 'refused' || x.outcome === 'failed')) io.warn(`${i.sku}: ${i.reasons.join('; ')}`);
    return;
  }
  if (!r.items.length) {
    out(`nothing to publish on ${r.channel}: every SKU priced for it is listed (name SKUs to publish others)`);
    return;
  }
  const rows = r.items.filter((i) => i.action !== 'refuse');
  if (stream === 'stdout') {
    printRows(io, rows, [
      { header: 'SKU', value: (i) => i.sku },
      { header: 'ACTION', value: (i) => what(r, i) },
      { header: isEbay(r) ? 'CATEGORY' : 'PRODUCT TYPE', value: (i) => (isEbay(r) ? i.categoryId : i.productType) ?? '' },
      { header: 'PRICE', value: (i) => (i.price ? `${i.price.amount} ${i.price.currency}` : ''), align: 'right' },
      { header: 'QTY', value: (i) => (i.quantity === undefined ? '' : String(i.quantity)), align: 'right' },
      { header: 'RESULT', value: (i) => (i.outcome === 'skipped' ? i.reasons[0] ?? 'skipped' : i.outcome === 'listed' ? `listed${i.readBack ? ' (answer lost, read back)' : ''}${i.issues.length ? `; ${i.issues.length} issue(s)` : ''}` : i.outcome === 'failed' ? `failed: ${i.reasons.join('; ')}` : r.dryRun ? 'would be listed' : i.outcome) },
    ], { header: true });
  } else {
    for (const i of rows) out(`  ${i.sku}: ${what(r, i)}${(isEbay(r) ? i.categoryId : i.productType) ? ` (${isEbay(r) ? `category ${i.categoryId}` : i.productType})` : ''}${i.price ? `, ${i.price.amount} ${i.price.currency}` : ''}${i.quantity !== undefined ? `, qty ${i.quantity}` : ''}`);
  }
  const refused = r.items.filter((i) => i.outcome === 'refused');
  if (refused.length && stream === 'stdout') {
    io.out('');
    io.out(`${refused.length} SKU(s) cannot be listed on ${r.channel}:`);
    printRows(
      io,
      refused.flatMap((i) => (i.reasons.length ? i.reasons : ['refused']).map((reason, n) => ({ sku: n === 0 ? i.sku : '', reason }))),
      [
        { header: 'SKU', value: (x) => x.sku },
        { header: 'REASON', value: (x) => x.reason },
      ],
      { header: true },
    );
  }
  const issues = r.items.filter((i) => i.outcome === 'listed' && i.issues.length);
  for (const i of issues) for (const x of i.issues) io.warn(`${i.sku}: Amazon ${x.severity} ${x.code}: ${x.message}`);
  for (const g of r.guard) io.warn(`mass-change guard: ${g.message}`);
  if (stream === 'stdout') io.info(`${r.dryRun ? 'dry run: ' : ''}${r.counts.listed} listed, ${r.counts.planned} ${r.dryRun ? 'would be listed' : 'planned'}, ${r.counts.refused} cannot be listed, ${r.counts.failed} failed, ${r.counts.skipped} skipped (${r.requests} request(s) to ${isEbay(r) ? 'eBay' : 'Amazon'})`);
}
