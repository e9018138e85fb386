import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { examples } from './index.js';

export function registerShow(parent: Command, ctx: Ctx): void {
  parent
    .command('show <sku>')
    .description('One SKU in full: product, price, cost, customs data, stock, each storefront and pending sync changes')
    .addHelpText('after', examples(['merchant listings show MUG-BLU-S', 'merchant listings show MUG-BLU-S --json']))
    // What runs loads only when the verb runs (as for publish): `--help` and the other verbs do not pay for it.
    .action(async (sku: string) => (await import('./show-run.js')).runShow(ctx, sku));
}
