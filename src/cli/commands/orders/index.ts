// `merchant orders …`. One line per verb; `import` is registered by its own module.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';

export function register(program: Command, ctx: Ctx): void {
  const orders = program.command('orders').description('Orders from every marketplace: list, show, import report files');
  registerList(orders, ctx);
  registerShow(orders, ctx);
}
