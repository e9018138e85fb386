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

export async function loadRates(home: string, env: Record<string, string>): Promise<void> {
  const r = await run(['fx', 'update', '--file', join(FIX, 'eurofxref-hist.csv')], { home, env });
  if (r.code !== 0) throw new Error(r.stderr);
}
