import { Option, type Command } from 'commander';
import type { Ctx } from '../../context.js';
import { examples } from './index.js';

export interface ExportOpts {
  output: string;
  sku?: string;
  channel?: string;
}

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
    // What runs loads only when the verb runs (as for publish): `--help` and the other verbs do not pay for it.
    .action(async (opts: ExportOpts) => (await import('./export-run.js')).runExport(ctx, opts));
}
