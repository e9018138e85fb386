import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerConnect } from './connect.js';
import { registerList } from './list.js';
import { registerMigrate } from './migrate.js';
import { registerRemove } from './remove.js';
import { examples } from '../help.js';

export function register(program: Command, ctx: Ctx): void {
  const mp = program
    .command('marketplace')
    .description('Connect, list and remove marketplace accounts (Amazon, eBay, Shopify); migrate eBay listings')
    .addHelpText(
      'after',
      `
Secrets are read from a file or stdin (never a flag's value) and kept in $MERCHANT_HOME/credentials
(0600); MERCHANT_<MARKETPLACE>_* variables override them. Each connection is verified with one real call.
${examples([
  'merchant marketplace connect shopify --shop myshop.myshopify.com --token-file shopify-token.txt',
  'merchant marketplace connect amazon --sandbox http://127.0.0.1:4010   # the local sandbox',
  'merchant marketplace list',
  'merchant marketplace migrate ebay --channels ebay-de --dry-run   # Seller Hub listings into the Inventory API',
  'merchant marketplace remove ebay',
])}`,
    );
  registerConnect(mp, ctx);
  registerList(mp, ctx);
  registerRemove(mp, ctx);
  registerMigrate(mp, ctx);
}
