import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../../src/store/db.js';
import { run } from '../helpers/run.js';

export const FIX = resolve(import.meta.dirname, '../../fixtures/ecb');

export function withStore<T>(home: string, fn: (s: Store) => T): T {
  const s = openStore(join(home, 'merchant.db'));
  try {
    return fn(s);
  } finally {
    s.close();
  }
}

export interface SeedVariant {
  sku: string;
  cost: bigint | null;
  currency: string;
  landed?: bigint;
}

/** Insert products/variants as the catalogue import would (0002 schema). */
export function seedCatalog(home: string, variants: SeedVariant[]): void {
  withStore(home, (s) => {
    const at = '2026-04-01T00:00:00Z';
    const p = s.db.prepare("INSERT INTO products (handle, title, created_at, updated_at) VALUES (?, ?, ?, ?)");
    const v = s.db.prepare(
      'INSERT INTO variants (product_id, sku, cost_minor, cost_currency, landed_cost_minor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    s.tx(() => {
      for (const x of variants) {
        const pid = p.run(x.sku.toLowerCase(), x.sku, at, at).lastInsertRowid;
        v.run(pid, x.sku, x.cost, x.currency, x.landed ?? null, at, at);
      }
    });
  });
}

/**
 * The ECB's full history (217k rows) loaded by `fx update` into `home`. Loading costs seconds of CPU,
 * so it is done once per test file and environment, in a home of its own, and each test gets a copy
 * of that home (the same database, byte for byte, as if it had run the command itself).
 */
const loaded = new Map<string, Promise<string>>();

export async function loadRates(home: string, env: Record<string, string>): Promise<void> {
  const key = JSON.stringify(env);
  let template = loaded.get(key);
  if (!template) {
    template = (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'merchant-rates-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const r = await run(['fx', 'update', '--file', join(FIX, 'eurofxref-hist.csv')], { home: dir, env });
      if (r.code !== 0) throw new Error(r.stderr);
      return dir;
    })();
    loaded.set(key, template);
  }
  cpSync(await template, home, { recursive: true });
}
