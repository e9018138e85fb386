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
  { name: 'marketplace', summary: 'Connect, list and remove marketplace accounts', load: () => import('./marketplace/index.js') },
  { name: 'sync', summary: 'Push prices, stock and listing status; pull orders', load: () => import('./sync/index.js') },
  { name: 'orders', summary: 'Orders from every marketplace: list, show, import', load: () => import('./orders/index.js') },
  { name: 'sandbox', summary: 'Run a local emulator of the marketplace and carrier APIs', load: () => import('./sandbox/index.js') },
];
