// The `orders` noun. The sync branch owns list/show; this minimal registration carries `import` until
// the two are merged (the lead keeps both verbs).
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerImport } from './import.js';

export function register(program: Command, ctx: Ctx): void {
  const orders = program.command('orders').description('Orders from every marketplace: import report files');
  registerImport(orders, ctx);
}
