import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerRates } from './rates.js';
import { registerBook } from './book.js';
import { registerManage } from './manage.js';

export function register(program: Command, ctx: Ctx): void {
  const ship = program.command('ship').description('Shipments: rates, idempotent label purchase, labels, tracking, void');
  registerRates(ship, ctx);
  registerBook(ship, ctx);
  registerManage(ship, ctx);
}
