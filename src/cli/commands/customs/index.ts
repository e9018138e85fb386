import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerCheck } from './check.js';
import { registerDeclare } from './declare.js';

export function register(program: Command, ctx: Ctx): void {
  const customs = program
    .command('customs')
    .description('Customs declarations: check a parcel against the destination\'s 2026 rules, write CN22/CN23/invoice PDFs');
  registerCheck(customs, ctx);
  registerDeclare(customs, ctx);
}
