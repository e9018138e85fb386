import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerStart } from './start.js';
import { examples } from '../help.js';

export function register(program: Command, ctx: Ctx): void {
  const sandbox = program
    .command('sandbox')
    .description('A local emulator of the Amazon, eBay, Shopify, EasyPost and Shippo APIs for trying everything without real accounts')
    .addHelpText(
      'after',
      examples([
        'merchant sandbox start --port 4010',
        'merchant sandbox start --port 4010 --faults 429:0.1,500:0.05 --seed 7',
        'merchant marketplace connect shopify --sandbox http://127.0.0.1:4010   # in another terminal',
      ]),
    );
  registerStart(sandbox, ctx);
}
