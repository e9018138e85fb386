import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import type { ImportOptions } from '../../../services/listings/import.js';
import { examples } from './index.js';

/** The command's flags are the service's options that a user sets. */
export type Opts = Omit<ImportOptions, 'files' | 'now' | 'command' | 'stdin' | 'onProgress'>;

export function registerImport(parent: Command, ctx: Ctx): void {
  parent
    .command('import <file...>')
    .description('Import catalogue files (Shopify, Amazon, eBay, WooCommerce, merchant template); upsert by SKU, all files in one transaction')
    .option('--format <format>', 'auto, merchant, shopify, amazon, ebay, woocommerce or a generation such as shopify/legacy (default: auto, from the header row)')
    .option('--encoding <enc>', 'utf-8, utf-16le, utf-16be or windows-1252 (default: detected)')
    .option('--delimiter <char>', "',', ';' or tab (default: sniffed)")
    .option('--decimal-comma', "amounts are written 9,99 (implied by ';'-delimited files)")
    .option('--currency <code>', 'currency of files that carry none (Shopify, WooCommerce); default: the shop or base currency')
    .option('--channel <code>', 'storefront of a marketplace file when the file does not say (amazon-de, ebay-uk, …)')
    .option('--dry-run', 'validate and report what would change; write nothing')
    .option('--skip-invalid', 'import the valid rows, write the invalid ones to --rejects (exit 4)')
    .option('--rejects <file>', 'with --skip-invalid: where to write rejected rows, unchanged plus a reason column')
    .addHelpText(
      'after',
      examples([
        'merchant listings import products_export.csv                 # Shopify export, format detected',
        'merchant listings import Flat.File.Kitchen.txt --channel amazon-de',
        'merchant listings import shop.csv ebay.csv --dry-run          # both files, one transaction, nothing written',
        'merchant listings import shop.csv --skip-invalid --rejects rejects.csv',
        'merchant listings import excel-export.csv --encoding windows-1252 --delimiter ";"',
      ]) +
        `
Formats: merchant (own template), shopify (legacy and 2024 headers), amazon (flat file, price & quantity,
inventory loader, settings= workbook), ebay (File Exchange, Seller Hub), woocommerce. See
\`merchant listings template <format>\`. Re-importing an unchanged file writes nothing.
Exit codes: 0 imported · 2 bad flag · 3 invalid data (nothing written) · 4 some rows rejected (rest imported) · 5 locked.
`,
    )
    // What runs loads only when the verb runs (as for publish): `--help` and the other verbs do not pay for it.
    .action(async (files: string[], opts: Opts) => (await import('./import-run.js')).runImport(ctx, files, opts));
}
