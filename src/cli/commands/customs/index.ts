import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerCheck } from './check.js';
import { registerDeclare } from './declare.js';
import { examples } from './shared.js';

export function register(program: Command, ctx: Ctx): void {
  const customs = program
    .command('customs')
    .description('Customs declarations: check a parcel against the destination\'s 2026 rules, write CN22/CN23/invoice PDFs')
    .addHelpText(
      'after',
      `
Every rule that applies is shown with the date it took effect and its source.
${examples([
  'merchant customs check 5600000002                 # an order: the parcel as it would ship',
  'merchant customs check --file parcel.json --json',
  'merchant customs declare 5600000002               # writes the CN22 / CN23 / invoice PDF',
])}`,
    );
  registerCheck(customs, ctx);
  registerDeclare(customs, ctx);
}
