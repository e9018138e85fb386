import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { examples } from './index.js';

export interface TemplateOpts {
  output?: string;
  example?: boolean;
}

export function registerTemplate(parent: Command, ctx: Ctx): void {
  parent
    .command('template <format>')
    .description('Write a blank, documented import template (merchant, shopify, amazon, ebay, woocommerce, or a generation such as shopify/legacy)')
    .option('--output <file>', "write the template to this file ('-' = stdout)")
    .option('--example', 'add an example row')
    .addHelpText(
      'after',
      examples([
        'merchant listings template merchant --output catalogue.csv',
        'merchant listings template amazon/workbook --output amazon.txt',
        'merchant listings template shopify/legacy --example',
        'merchant listings template ebay --json                        # the columns and what they mean',
      ]),
    )
    // What runs loads only when the verb runs (as for publish): `--help` and the other verbs do not pay for it.
    .action(async (format: string, opts: TemplateOpts) => (await import('./template-run.js')).runTemplate(ctx, format, opts));
}
