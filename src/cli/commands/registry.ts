// The nouns in the order of a seller's day (set up, catalogue, price, sync, ship, report), each with a one-line summary and a lazy loader, so `merchant --help` imports no command
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
  { name: 'onboard', summary: 'Set up the business profile, marketplaces and carriers (guided or scripted)', load: () => import('./onboard/index.js') },
  { name: 'marketplace', summary: 'Connect, list and remove marketplace accounts', load: () => import('./marketplace/index.js') },
  { name: 'carrier', summary: 'Carrier accounts (EasyPost, Shippo): connect, list', load: () => import('./carrier/index.js') },
  { name: 'listings', summary: 'Catalogue: import seller files, templates, list, show, export', load: () => import('./listings/index.js') },
  { name: 'fx', summary: 'Reference exchange rates: update, rates, convert', load: () => import('./fx/index.js') },
  { name: 'prices', summary: 'Pricing rules, price explain and audited price updates', load: () => import('./prices/index.js') },
  { name: 'sync', summary: 'Push prices, stock and listing status; pull orders', load: () => import('./sync/index.js') },
  { name: 'orders', summary: 'Orders from every marketplace: list, show, import', load: () => import('./orders/index.js') },
  { name: 'customs', summary: 'Customs declarations: check against 2026 rules, CN22/CN23/invoice PDFs', load: () => import('./customs/index.js') },
  { name: 'ship', summary: 'Shipments: rates, label purchase (idempotent), labels, tracking, void', load: () => import('./ship/index.js') },
  { name: 'report', summary: 'Sales reports and accountant exports (CSV, Excel, Xero, QuickBooks, hledger)', load: () => import('./report/index.js') },
  { name: 'sandbox', summary: 'Run a local emulator of the marketplace and carrier APIs', load: () => import('./sandbox/index.js') },
  { name: 'demo', summary: 'Show the whole product on bundled data against a local sandbox', load: () => import('./demo/index.js') },
  { name: 'doctor', summary: 'Check the install, database, credentials and connectivity', load: () => import('./doctor/index.js') },
  { name: 'unlock', summary: 'Clear the writer lock left by a merchant process that is gone', load: () => import('./unlock/index.js') },
  { name: 'config', summary: 'Show and change settings, and where each value comes from', load: () => import('./config/index.js') },
  { name: 'completion', summary: 'Shell completion script for bash, zsh or fish', load: () => import('./completion/index.js') },
];
