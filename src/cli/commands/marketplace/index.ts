import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerConnect } from './connect.js';
import { registerList } from './list.js';
import { registerMigrate } from './migrate.js';
import { registerRemove } from './remove.js';

export function register(program: Command, ctx: Ctx): void {
  const mp = program.command('marketplace').description('Connect, list and remove marketplace accounts (Amazon, eBay, Shopify); migrate eBay listings');
  registerConnect(mp, ctx);
  registerList(mp, ctx);
  registerRemove(mp, ctx);
  registerMigrate(mp, ctx);
}
