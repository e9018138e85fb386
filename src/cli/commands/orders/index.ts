// `merchant orders …`: list and show (orders pulled by sync and imported from report files), import.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { registerList } from './list.js';
import { registerShow } from './show.js';
import { registerImport } from './import.js';
import { registerShip } from './ship.js';
import { examples } from '../help.js';
import { registerAssign } from './assign.js';

export function register(program: Command, ctx: Ctx): void {
  const orders = program
    .command('orders')
    .description('Orders from every marketplace: list, show, import report files, confirm a parcel shipped')
    .addHelpText(
      'after',
      `
Orders arrive with \`merchant sync\` (pulled from each marketplace) or from the marketplaces' own report
files with \`merchant orders import\`; either way an order is stored once, by its marketplace id.
${examples([
  'merchant orders list --status unshipped',
  'merchant orders list --marketplace ebay --from 2026-11-01 --to 2026-11-30',
  'merchant orders show 302-1234567-1000002',
  'merchant orders import orders_export.csv                     # a Shopify orders export',
  'merchant orders ship 12-11111-00002 --carrier "Royal Mail" --tracking JD014600003GB',
])}`,
    );
  registerList(orders, ctx);
  registerShow(orders, ctx);
  registerImport(orders, ctx);
  registerAssign(orders, ctx);
  registerShip(orders, ctx);
}
