// A seller's home built the way a user builds it: onboard, connect the sandbox, import the demo
// catalogue, load rates, set rules, compute prices. Used by the cross-cutting reliability tests.
import { onTestFinished } from 'vitest';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { run, tempDir, type RunResult } from '../helpers/run.js';

export const NOW = '2026-11-25T06:00:00.000Z';
export const FIX = resolve(import.meta.dirname, '../../fixtures');

export const ENV: Record<string, string> = {
  MERCHANT_NOW: NOW,
  MERCHANT_HTTP_TIMEOUTMS: '1500',
  MERCHANT_HTTP_RETRIES: '8',
  MERCHANT_AMAZON_POLLINITIALMS: '10',
  MERCHANT_SYNC_ORDERSSINCEDAYS: '60',
  MERCHANT_FX_MAXAGEDAYS: '400',
};

/** The sandbox on the real clock: its rate limits refill, and the client's backoff really waits. */
export async function sandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await startSandbox({ port: 0, seed: 11, ...opts });
  onTestFinished(() => sb.stop());
  return sb;
}

export interface Shop {
  home: string;
  sb: Sandbox;
  cli(args: string[], extraEnv?: Record<string, string>): Promise<RunResult>;
}

async function must(p: Promise<RunResult>, what: string): Promise<RunResult> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr}`);
  return r;
}

/** Everything up to (not including) the first sync. */
export async function shop(opts: { sb?: Sandbox; marketplaces?: Array<'amazon' | 'ebay' | 'shopify'>; carrier?: boolean } = {}): Promise<Shop> {
  const sb = opts.sb ?? (await sandbox());
  const home = tempDir('merchant-rel-');
  const cli = (args: string[], extraEnv: Record<string, string> = {}) => run(args, { home, env: { ...ENV, ...extraEnv } });
  await must(cli(['onboard', '--no-input', '--from', join(FIX, 'demo', 'profile.json')]), 'onboard');
  for (const m of opts.marketplaces ?? ['amazon', 'ebay', 'shopify']) await must(cli(['marketplace', 'connect', m, '--sandbox', sb.url]), `connect ${m}`);
  if (opts.carrier) await must(cli(['carrier', 'connect', 'easypost', '--sandbox', sb.url]), 'carrier connect');
  await must(cli(['listings', 'import', join(FIX, 'demo', 'catalogue-shopify.csv')]), 'import shopify');
  await must(cli(['listings', 'import', join(FIX, 'demo', 'catalogue-amazon-uk.txt')]), 'import amazon');
  await must(cli(['fx', 'update', '--file', join(FIX, 'ecb', 'eurofxref.csv')]), 'fx update');
  await must(cli(['prices', 'rules', 'set', 'default', '--margin', '30%', '--fx-buffer', '2%', '--ending', '.90']), 'rules');
  const channels = (opts.marketplaces ?? ['amazon', 'ebay', 'shopify']).flatMap((m) => (m === 'amazon' ? ['amazon-uk', 'amazon-de'] : m === 'ebay' ? ['ebay-uk'] : ['shopify']));
  await must(cli(['prices', 'update', '--yes', '--allow-stale', '--channel', channels.join(',')]), 'prices update');
  return { home, sb, cli };
}

/** A stable digest of every table's content (order-independent of rowid gaps), for "nothing changed". */
export function dbDigest(home: string, skip: string[] = ['lock']): string {
  const db = new Database(join(home, 'merchant.db'), { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const h = createHash('sha256');
    for (const t of tables) {
      if (skip.includes(t)) continue;
      const rows = db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all();
      h.update(`${t}:${JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}

export function integrity(home: string): string {
  const db = new Database(join(home, 'merchant.db'), { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

export function query<T = Record<string, unknown>>(home: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(home, 'merchant.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
