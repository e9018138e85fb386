import { Option, type Command } from 'commander';
import type { Ctx } from '../../context.js';
import { examples } from './index.js';

export interface Opts {
  format: 'table' | 'csv' | 'json';
  sku?: string;
  handle?: string;
  channel?: string;
  search?: string;
  status?: string;
  limit?: string;
}

export function registerList(parent: Command, ctx: Ctx): void {
  parent
    .command('list')
    .description('List SKUs with price, stock and storefronts')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--sku <pattern>', "SKU or glob pattern ('MUG-*')")
    .option('--handle <handle>', 'only variants of this product')
    .option('--channel <code>', 'only SKUs listed on this storefront')
    .option('--search <text>', 'title or SKU contains text')
    .addOption(new Option('--status <status>', 'product status').choices(['active', 'draft', 'archived']))
    .option('--limit <n>', 'at most n rows')
    .addHelpText('after', examples(['merchant listings list', "merchant listings list --sku 'MUG-*' --channel amazon-uk", 'merchant listings list --json | jq -r .items[].sku']))
    // What runs loads only when the verb runs (as for publish): `--help` and the other verbs do not pay for it.
    .action(async (opts: Opts) => (await import('./list-run.js')).runList(ctx, opts));
}
