import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerUpdate } from './update.js';
import { registerConvert } from './convert.js';
import { registerRates } from './rates.js';

export function register(program: Command, ctx: Ctx): void {
  const fx = program
    .command('fx')
    .description('Reference exchange rates (ECB): update, show, convert exactly')
    .addHelpText(
      'after',
      `
Rates are stored exactly as published (1 EUR = x CCY), with their publication date and source.
Cross rates are computed exactly and rounded once. A date without publication (weekend, TARGET
holiday) uses the latest earlier publication and says so.

Examples:
  $ merchant fx update                                  # today's ECB rates (eurofxref-daily.xml)
  $ merchant fx update --file eurofxref-hist.csv        # the full history, offline
  $ merchant fx convert 100 USD JPY --date 2026-04-13 --json
  $ merchant fx rates --base USD`,
    );
  registerUpdate(fx, ctx);
  registerConvert(fx, ctx);
  registerRates(fx, ctx);
}
