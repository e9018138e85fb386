import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerRates } from './rates.js';
import { registerBook } from './book.js';
import { registerManage } from './manage.js';
import { examples } from '../help.js';

export function register(program: Command, ctx: Ctx): void {
  const ship = program
    .command('ship')
    .description('Shipments: rates, idempotent label purchase, labels, tracking, void')
    .addHelpText(
      'after',
      `
Customs are checked before anything is bought; a ledger entry is written before the purchase, so a
re-run after a crash or timeout reconciles with the carrier and never buys a second label.
${examples([
  'merchant ship rates 5600000002                     # every service and price; buys nothing',
  'merchant ship book 5600000002 --cheapest           # asks first on a terminal',
  'merchant ship book 5600000002 --cheapest --yes     # scripts',
  'merchant ship track O10-5600000002',
  'merchant ship list --state purchased',
])}`,
    );
  registerRates(ship, ctx);
  registerBook(ship, ctx);
  registerManage(ship, ctx);
}
