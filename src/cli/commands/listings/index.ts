// `merchant listings`: bulk import, templates, and browsing/export of the catalogue.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerImport } from './import.js';
import { registerTemplate } from './template.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';
import { registerExport } from './export.js';
import { registerPublish } from './publish.js';

export function register(program: Command, ctx: Ctx): void {
  const listings = program
    .command('listings')
    .description('The catalogue: bulk import from Shopify/Amazon/eBay/WooCommerce files, templates, list, show, export');
  registerImport(listings, ctx);
  registerTemplate(listings, ctx);
  registerList(listings, ctx);
  registerShow(listings, ctx);
  registerExport(listings, ctx);
  registerPublish(listings, ctx);
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
