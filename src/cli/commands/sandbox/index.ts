import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerStart } from './start.js';

export function register(program: Command, ctx: Ctx): void {
  const sandbox = program
    .command('sandbox')
    .description('A local emulator of the Amazon, eBay, Shopify, EasyPost and Shippo APIs for trying everything without real accounts');
  registerStart(sandbox, ctx);
}
