import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerSales } from './sales.js';
import { registerStock } from './stock.js';
import { examples } from '../help.js';

export function register(program: Command, ctx: Ctx): void {
  const report = program
    .command('report')
    .description('Sales and stock reports and accountant exports that reconcile to the cent')
    .addHelpText(
      'after',
      examples([
        'merchant report sales                                             # this month, in your time zone',
        'merchant report sales --from 2026-10-01 --to 2026-10-31 --group-by channel --currency EUR',
        'merchant report sales --from 2026-10-01 --to 2026-10-31 --format csv --profile xero --output xero.csv',
        'merchant report stock --at 2026-12-31 --currency SEK --format csv --output stock-2026.csv   # year-end valuation',
      ]),
    );
  registerSales(report, ctx);
  registerStock(report, ctx);
}
