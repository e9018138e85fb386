// The nouns, with a one-line summary each and a lazy loader, so `merchant --help` imports no command
// code (changesets' lazy import). Each noun module exports `register(parent, ctx)`; a verb module
// lives in commands/<noun>/<verb>.ts.

import type { Command } from 'commander';
import type { Ctx } from '../context.js';

export interface NounEntry {
  name: string;
  summary: string;
  /** Single-verb commands (onboard, doctor, demo) register themselves on `parent` as `name`. */
  load: () => Promise<{ register: (parent: Command, ctx: Ctx) => void }>;
}

export const NOUNS: NounEntry[] = [
  { name: 'orders', summary: 'Orders from every marketplace: import report files', load: () => import('./orders/index.js') },
  { name: 'config', summary: 'Show and change settings, and where each value comes from', load: () => import('./config/index.js') },
  { name: 'demo', summary: 'Show the whole product on bundled data against a local sandbox', load: () => import('./demo/index.js') },
  { name: 'doctor', summary: 'Check the install, database, credentials and connectivity', load: () => import('./doctor/index.js') },
  { name: 'onboard', summary: 'Set up the business profile, marketplaces and carriers (guided or scripted)', load: () => import('./onboard/index.js') },
  { name: 'sandbox', summary: 'Run a local emulator of the marketplace and carrier APIs', load: () => import('./sandbox/index.js') },
  { name: 'fx', summary: 'Reference exchange rates: update, rates, convert', load: () => import('./fx/index.js') },
  { name: 'report', summary: 'Sales reports and accountant exports (CSV, Excel, Xero, QuickBooks, hledger)', load: () => import('./report/index.js') },
  { name: 'prices', summary: 'Pricing rules, price explain and audited price updates', load: () => import('./prices/index.js') },
];
