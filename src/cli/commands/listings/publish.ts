import type { Command } from 'commander';
import type { Ctx } from '../../context.js';

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

export interface Opts {
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
    // The publishing code (adapters, the product-type schemas' validator) loads only when publish runs,
    // so `merchant listings import/list/…` do not pay for it at start-up.
    .action(async (patterns: string[], opts: Opts) => (await import('./publish-run.js')).runPublish(ctx, patterns, opts));
}
