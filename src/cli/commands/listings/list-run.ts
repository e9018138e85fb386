// `merchant listings list`: what runs (the command's definition is list.ts, loaded at start-up).
import type { Ctx } from '../../context.js';
import { listCatalogue, exportCsv } from '../../../services/listings/catalogue.js';
import { Streamed, printJsonStream, printRows } from '../../render.js';
import { SqliteListingCatalogue } from '../../../store/repos/listing-catalogue.js';
import { listingFiles } from '../../wiring/files.js';
import type { Opts } from './list.js';

export async function runList(ctx: Ctx, opts: Opts): Promise<void> {
  const catalogue = new SqliteListingCatalogue(ctx.store());
  const limit = opts.limit ? Number(opts.limit) : undefined;
  const filter = { sku: opts.sku, handle: opts.handle, channel: opts.channel, search: opts.search, status: opts.status, limit };
  if (opts.format === 'csv') {
    for (const chunk of exportCsv(catalogue, listingFiles().maps, filter)) ctx.io.stdout.write(chunk);
    return;
  }
  // Streamed too: one SKU at a time, however large the catalogue.
  if (opts.format === 'json' || ctx.globals.json) return void (await printJsonStream(ctx.io, { items: new Streamed(listCatalogue(catalogue, filter)) }));
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
}
