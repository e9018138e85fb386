import { Option, type Command } from 'commander';
import { openSync, writeSync, closeSync, fsyncSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Ctx } from '../../context.js';
import { exportCsv } from '../../../services/listings/catalogue.js';
import { examples } from './index.js';

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
      const chunks = exportCsv(ctx.store(), { sku: opts.sku, channel: opts.channel });
      if (opts.output === '-') {
        for (const c of chunks) ctx.io.stdout.write(c);
        return;
      }
      // Atomic like config/atomic.ts (temp file + fsync + rename), but streamed: a million rows never sit in memory.
      const tmp = join(dirname(opts.output), `.${basename(opts.output)}.${process.pid}.tmp`);
      const fd = openSync(tmp, 'w', 0o644);
      try {
        for (const c of chunks) {
          writeSync(fd, c);
        }
        fsyncSync(fd);
        closeSync(fd);
        renameSync(tmp, opts.output);
      } catch (e) {
        try {
          closeSync(fd);
        } catch {
          /* closed */
        }
        unlinkSync(tmp);
        throw e;
      }
      ctx.io.success(`exported to ${opts.output}`);
    });
}
