import { Option, type Command } from 'commander';
import type { Ctx } from '../../context.js';
import { listCatalogue, exportCsv } from '../../../services/listings/catalogue.js';
import { printJson, printRows } from '../../render.js';
import { examples } from './index.js';
import { SqliteListingCatalogue } from '../../../store/repos/listing-catalogue.js';
import { listingFiles } from '../../wiring/files.js';

interface Opts {
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
    .action(async (opts: Opts) => {
      const catalogue = new SqliteListingCatalogue(ctx.store());
      const limit = opts.limit ? Number(opts.limit) : undefined;
      const filter = { sku: opts.sku, handle: opts.handle, channel: opts.channel, search: opts.search, status: opts.status, limit };
      if (opts.format === 'csv') {
        for (const chunk of exportCsv(catalogue, listingFiles().maps, filter)) ctx.io.stdout.write(chunk);
        return;
      }
      if (opts.format === 'json' || ctx.globals.json) return printJson(ctx.io, { items: [...listCatalogue(catalogue, filter)] });
      // Streamed from the database: the first screen shows before the last row is read.
      let count = 0;
      const items = (function* () {
        for (const i of listCatalogue(catalogue, filter)) {
          count++;
          yield i;
        }
      })();
      await printRows(ctx.io, items, [
        { header: 'SKU', value: (i) => i.sku, overflow: 'keep' },
        { header: 'PRODUCT', value: (i) => i.title },
        { header: 'VARIANT', value: (i) => i.variant ?? '' },
        { header: 'PRICE', value: (i) => (i.price ? `${i.price.amount} ${i.price.currency}` : ''), align: 'right' },
        { header: 'STOCK', value: (i) => (i.onHand === null ? '' : String(i.onHand)), align: 'right' },
        { header: 'CHANNELS', value: (i) => i.channels.join(' ') },
      ]);
      if (!count) ctx.io.info('no SKUs match; import some with `merchant listings import FILE`');
    });
}
