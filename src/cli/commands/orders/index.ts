// `merchant orders …`: list and show (orders pulled by sync and imported from report files), import.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';
import { registerImport } from './import.js';
import { registerAssign } from './assign.js';

export function register(program: Command, ctx: Ctx): void {
  const orders = program.command('orders').description('Orders from every marketplace: list, show, import report files');
  registerList(orders, ctx);
  registerShow(orders, ctx);
  registerImport(orders, ctx);
  registerAssign(orders, ctx);
}
