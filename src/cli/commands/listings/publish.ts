import type { Command } from 'commander';
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
import { marketplaceConnector } from '../../wiring.js';
import { loadRules } from '../../../services/sync/rules.js';
import { crashPoint } from '../../../services/crashpoint.js';
import { parseAttributesFile } from '../../../services/listings/publish-attributes.js';
import { publishListings, type PublishItem, type PublishReport } from '../../../services/listings/publish.js';
import { publishStore } from '../../../store/repos/listing-publications.js';
import { rateLimitWaits } from '../../rate-wait.js';

const HELP = `
Creates the listings of catalogue SKUs on an Amazon or eBay storefront where they are not listed yet
(sync only keeps existing listings' price, stock and status). Each SKU is published whole or not at all;
price from the pricing rules (\`merchant prices update --channel C\`), quantity from the inventory rules,
exactly as sync sends them. A SKU already on the storefront is never listed twice (one made elsewhere is
adopted). Without SKUs it takes every SKU priced for the channel and not listed there. --dry-run asks
the marketplace but submits nothing. A run creating more than publish.maxNewListings (100) listings, or
many with no stock, is refused unless --allow-mass-change.

Amazon (amazon-de, amazon-uk, …):
  - the barcode (EAN/UPC/GTIN) is looked up in Amazon's catalogue: one match → an offer on that ASIN
    (condition, price, quantity, merchant-fulfilled);
  - no match → a new product under the product type you choose (--product-type, or product_type in the
    attributes file), with the attributes that type's definition requires: catalogue fields (title,
    brand or vendor, barcode, description, origin, image, weight, Colour/Material options) plus the
    columns of --attributes FILE; checked against Amazon's schema before anything is sent;
  - the issues Amazon reports are kept: \`merchant listings show SKU\` says why a listing is not
    buyable (--check-issues reads them again later).

eBay (ebay-uk, ebay-de, …):
  - a leaf category per product, confirmed once (--category ID, or category_id in the attributes file;
    without one the SKU is refused with eBay's suggestions for its title);
  - the category's required item specifics from the catalogue (Brand, variant options) and the
    attributes file (columns named as eBay names them: Type, Material, …), checked before sending;
  - business policies chosen once per storefront (--fulfillment-policy, --payment-policy,
    --return-policy: an id or a name; the only one of a kind is taken), kept; reading them needs the
    sell.account.readonly scope in the eBay consent;
  - the merchant location is created from the ship-from address of the business profile;
  - variants of one product published together become one multiple-variation listing;
  - an offer eBay already has is adopted (published) or completed (unpublished); a listing made in
    Seller Hub is migrated (bulkMigrateListing) instead of listed again.

Attributes file (CSV or TSV, one row per SKU or per product handle; a SKU row wins over its handle's):
  sku,product_type,bullet_point,recommended_browse_nodes,material,color,capacity      (Amazon)
  stoneware-mug,DRINKING_CUP,Hand-glazed | Dishwasher safe,3167641,Stoneware,,250 milliliters
  sku,category_id,Type,Material                                                    (eBay)
  stoneware-mug,20693,Mug,Stoneware
Amazon columns are attribute names (name.field fills one field: capacity.unit); eBay columns are item
specifics; "a | b" gives several values; merchant_suggested_asin picks the ASIN when a barcode matches
more than one. Values are kept per SKU and channel: a re-run needs only what changed.

Exit codes: 0 every SKU listed (or nothing to do; a dry run) · 2 no such SKU, eBay business policies not
chosen, or no ship-from address · 3 unreadable attributes file · 4 some SKUs could not be listed (table
of reasons), or the mass-change guard refused the run · 6 the marketplace unreachable or refused the
credentials (eBay: a consent without sell.account.readonly) · 7 the marketplace not connected.

Examples:
  $ merchant listings publish --channel amazon-de --dry-run
  $ merchant listings publish VASE-WHT --channel amazon-de --yes
  $ merchant listings publish 'MUG-*' --channel amazon-de --product-type DRINKING_CUP --attributes mugs.csv --yes
  $ merchant listings publish --channel amazon-de --check-issues
  $ merchant listings publish BUDVASE-GRY --channel ebay-uk --dry-run
  $ merchant listings publish 'TUMBLER-*' --channel ebay-uk --category 20693 --attributes specifics.csv --yes --json
  $ merchant listings publish --channel ebay-uk --fulfillment-policy "Royal Mail 2nd class" --yes`;

interface Opts {
  channel?: string;
  dryRun?: boolean;
  yes?: boolean;
  productType?: string;
  condition?: string;
  attributes?: string;
  allowMassChange?: boolean;
  checkIssues?: boolean;
  category?: string;
  fulfillmentPolicy?: string;
  paymentPolicy?: string;
  returnPolicy?: string;
}

const CONDITIONS = ['new_new', 'new_open_box', 'new_oem', 'refurbished_refurbished', 'used_like_new', 'used_very_good', 'used_good', 'used_acceptable', 'collectible_like_new', 'collectible_very_good', 'collectible_good', 'collectible_acceptable', 'club_club'];

export function registerPublish(parent: Command, ctx: Ctx): void {
  parent
    .command('publish [skus...]')
    .description('Create listings on an Amazon or eBay storefront for catalogue SKUs not listed there yet')
    .requiredOption('--channel <channel>', 'the storefront, e.g. amazon-de or ebay-uk')
    .option('--dry-run', 'check every SKU with the marketplace (catalogue, product type, category) and submit nothing')
    .option('-y, --yes', 'publish without asking (required without a terminal)')
    .option('--product-type <TYPE>', 'Amazon product type for SKUs no ASIN matches (kept per SKU), e.g. DRINKING_CUP')
    .option('--condition <condition>', 'condition of the offers: Amazon condition_type (default new_new), eBay condition (default NEW)')
    .option('--category <ID>', 'eBay leaf category for SKUs without a confirmed one (kept per SKU), e.g. 20693')
    .option('--fulfillment-policy <ID>', 'eBay fulfilment (shipping) business policy, id or name (kept for the storefront)')
    .option('--payment-policy <ID>', 'eBay payment business policy, id or name (kept for the storefront)')
    .option('--return-policy <ID>', 'eBay return business policy, id or name (kept for the storefront)')
    .option('--attributes <file>', 'CSV/TSV of attribute values per SKU or product handle (kept per SKU and channel)')
    .option('--allow-mass-change', 'publish even when the run creates more than publish.maxNewListings listings or many without stock')
    .option('--check-issues', 'also read again the issues of listings published earlier, and keep them')
    .addHelpText('after', HELP)
    .action(async (patterns: string[], opts: Opts) => {
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
    });
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
