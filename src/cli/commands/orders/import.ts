// `merchant orders import <file…>`: marketplace order reports into the orders tables (one transaction).

import type { Command } from 'commander';
import { Option } from 'commander';
import type { Ctx } from '../../context.js';
import { UsageError } from '../../../core/errors.js';
import { printJson } from '../../render.js';
import { importOrders } from '../../../services/orders/import.js';
import { sellerTimezone } from '../../../services/reports/sales.js';
import { ORDER_FILE_FORMATS, type OrderFileFormat } from '../../../ports/order-files.js';
import { orderFiles } from '../../wiring/files.js';
import { channelDef } from '../../../core/channels.js';

const EXAMPLES = `
Examples:
  $ merchant orders import orders_export.csv                      # Shopify Admin → Orders → Export
  $ merchant orders import amazon-all-orders.txt settlement.txt   # Amazon order report, then its settlement (fees, refunds)
  $ merchant orders import ebay-orders.csv --channel ebay-uk      # eBay Seller Hub orders report
  $ merchant orders import ebay-orders.csv transaction-report.csv # then eBay's fees and refunds (payout currency)
  $ cat orders_export.csv | merchant orders import - --json

Formats are recognised by their header row: Shopify orders export CSV, Amazon "All Orders" flat file
(tab-separated), Amazon V2 settlement flat file and eBay transaction report (fees and dated refunds for
orders already imported or synced, in the payout currency), eBay Seller Hub orders report CSV. Re-importing a file changes nothing; an order is matched on
its marketplace id, never on its date. Errors name file:line:column and nothing is written.
Exit codes: 0 ok · 2 bad flag · 3 invalid file (nothing written) · 5 another merchant holds the lock`;

export function registerImport(parent: Command, ctx: Ctx): void {
  parent
    .command('import <files...>')
    .description('Import marketplace order reports (Shopify, Amazon, eBay) so reports cover the time before the first sync')
    .addOption(new Option('--format <format>', 'skip detection').choices([...ORDER_FILE_FORMATS]))
    .option('--channel <code>', 'the channel the orders belong to, when the file does not say (e.g. ebay-uk)')
    .option('--dry-run', 'validate and count, write nothing')
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], opts: { format?: OrderFileFormat; channel?: string; dryRun?: boolean }) => {
      if (opts.channel && !channelDef(opts.channel)) throw new UsageError(`--channel: unknown channel ${JSON.stringify(opts.channel)} (e.g. amazon-de, ebay-uk, shopify)`);
      if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read once');
      const store = ctx.store();
      if (!opts.dryRun) await ctx.writeLock('orders import');
      const result = await importOrders(
        store,
        orderFiles(),
        { files, timezone: sellerTimezone(store), format: opts.format, channel: opts.channel, dryRun: opts.dryRun, now: ctx.clock.now() },
        ctx.io.stdin,
      );
      for (const w of result.warnings) ctx.io.warn(w);
      if (ctx.globals.json) return printJson(ctx.io, result);
      const o = result.orders;
      for (const f of result.files) ctx.io.info(`${f.file}: ${f.format}, ${f.rows} rows, ${f.format === 'amazon-settlement' || f.format === 'ebay-transactions' ? `${f.settlementOrders} orders with fees or refunds` : `${f.orders} orders`}`);
      const line = `orders: ${o.created} created, ${o.updated} updated, ${o.unchanged} unchanged${o.keptFromApi ? `, ${o.keptFromApi} kept as synced from the API` : ''}`
        + `; fees: ${result.fees.created} created, ${result.fees.updated} updated, ${result.fees.unchanged} unchanged`
        + `; refunds: ${result.refunds.created} created, ${result.refunds.updated} updated, ${result.refunds.unchanged} unchanged`;
      // The counts report what was written (--quiet drops them); of a dry run they are the answer.
      if (result.dryRun) ctx.io.out(`dry run, nothing written — ${line}`);
      else if (!ctx.globals.quiet) ctx.io.out(line);
    });
}
