import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerRules } from './rules.js';
import { registerExplain } from './explain.js';
import { registerUpdate } from './update.js';

export function register(program: Command, ctx: Ctx): void {
  const prices = program
    .command('prices')
    .description('Pricing rules, exact price solving per channel, audited price updates')
    .addHelpText(
      'after',
      `
A price is solved exactly from cost, landed cost, the latest rate, fees, margin and VAT, rounded once
(up to the rule's ending) and clamped to [min, max]. See \`merchant prices explain\` for every step.

Examples:
  $ merchant prices rules set uk --channel amazon-uk --margin 25% --fee 15.3%+0.00 --min-fee 0.25 \\
      --vat 20% --vat-included --fx-buffer 2% --ending .99 --min 5.00 --max 500.00
  $ merchant prices explain MUG-BLU-S --channel amazon-uk
  $ merchant prices update --dry-run
  $ merchant prices update --channel amazon-uk,ebay-uk --yes`,
    );
  registerRules(prices, ctx);
  registerExplain(prices, ctx);
  registerUpdate(prices, ctx);
}
