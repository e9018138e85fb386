import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerConnect } from './connect.js';
import { registerList } from './list.js';
import { registerRemove } from './remove.js';

export function register(program: Command, ctx: Ctx): void {
  const mp = program.command('marketplace').description('Connect, list and remove marketplace accounts (Amazon, eBay, Shopify)');
  registerConnect(mp, ctx);
  registerList(mp, ctx);
  registerRemove(mp, ctx);
}
