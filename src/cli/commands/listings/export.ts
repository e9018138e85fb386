import { Option, type Command } from 'commander';
import { openAtomicFile } from '../../../config/atomic.js';
import type { Ctx } from '../../context.js';
import { exportCsv } from '../../../services/listings/catalogue.js';
import { examples } from './index.js';
import { SqliteListingCatalogue } from '../../../store/repos/listing-catalogue.js';
import { listingFiles } from '../../wiring/files.js';

export function registerExport(parent: Command, ctx: Ctx): void {
  parent
    .command('export')
    .description('Export the catalogue as the merchant template (importing it back changes nothing)')
    .addOption(new Option('--format <format>', 'file format').choices(['csv']).default('csv'))
    .option('--output <file>', "where to write ('-' = stdout)", '-')
    .option('--sku <pattern>', "only SKUs matching ('MUG-*')")
    .option('--channel <code>', 'only SKUs listed on this storefront')
    .addHelpText(
      'after',
      examples(['merchant listings export --format csv --output -', 'merchant listings export --output catalogue.csv && merchant listings import catalogue.csv   # 0 changes']) +
        "\nText cells that a spreadsheet would run as a formula (= + - @) are written with a leading ' ; import reads them back unchanged.\n",
    )
    .action((opts: { output: string; sku?: string; channel?: string }) => {
      const chunks = exportCsv(new SqliteListingCatalogue(ctx.store()), listingFiles().maps, { sku: opts.sku, channel: opts.channel });
      if (opts.output === '-') {
        for (const c of chunks) ctx.io.stdout.write(c);
        return;
      }
      const out = openAtomicFile(opts.output);
      try {
        for (const c of chunks) out.write(c);
      } catch (e) {
        out.abort();
        throw e;
      }
      out.commit();
      ctx.io.success(`exported to ${opts.output}`);
    });
}
