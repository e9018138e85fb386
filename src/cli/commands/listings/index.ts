// `merchant listings`: bulk import, templates, and browsing/export of the catalogue.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerImport } from './import.js';
import { registerTemplate } from './template.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';
import { registerExport } from './export.js';

export function register(program: Command, ctx: Ctx): void {
  const listings = program
    .command('listings')
    .description('The catalogue: bulk import from Shopify/Amazon/eBay/WooCommerce files, templates, list, show, export')
    .addHelpText(
      'after',
      `
The files you already have are read as they are (format detected from the header row); one import is
one transaction, and re-importing an unchanged file writes nothing. Every change a marketplace must
see is queued for \`merchant sync\`.
${examples([
  'merchant listings import products_export.csv --dry-run      # what would change',
  'merchant listings import products_export.csv',
  'merchant listings list --channel amazon-uk',
  "merchant listings list --sku 'MUG-*' | cut -f1,4              # a pipe: a header line, then tab-separated rows",
  'merchant listings show MUG-BLU-S',
  'merchant listings template shopify --output shopify.csv',
  'merchant listings export --output catalogue.csv',
])}`,
    );
  registerImport(listings, ctx);
  registerTemplate(listings, ctx);
  registerList(listings, ctx);
  registerShow(listings, ctx);
  registerExport(listings, ctx);
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
