// A temp home with a small catalogue (three SKUs with costs) for the stock tests.
import { onTestFinished } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/db.js';
import { run, tempDir, type RunResult } from '../helpers/run.js';

export const NOW = '2026-11-25T06:00:00.000Z';

export interface StockHome {
  home: string;
  cli(args: string[], o?: { stdin?: string; env?: Record<string, string> }): Promise<RunResult>;
  store(): Store;
  q<T = Record<string, unknown>>(sql: string, ...args: unknown[]): T[];
}

export function stockHome(items: Array<{ sku: string; stock: number; cost?: number; currency?: string }> = [
  { sku: 'MUG-BLU-S', stock: 24, cost: 400, currency: 'EUR' },
  { sku: 'MUG-RED-S', stock: 5, cost: 450, currency: 'EUR' },
  { sku: 'BOWL-GRY-M', stock: 0, cost: 9900, currency: 'SEK' },
]): StockHome {
  const home = tempDir('merchant-stock-');
  const stores: Store[] = [];
  onTestFinished(() => stores.forEach((s) => s.close()));
  const store = () => {
    const s = openStore(join(home, 'merchant.db'));
    stores.push(s);
    return s;
  };
  const s = store();
  s.tx(() => {
    for (const it of items) {
      const p = s.db.prepare(`INSERT INTO products (handle, title, created_at, updated_at) VALUES (?, ?, ?, ?)`).run(it.sku.toLowerCase(), it.sku, NOW, NOW);
      const v = s.db
        .prepare(`INSERT INTO variants (product_id, sku, cost_minor, cost_currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(p.lastInsertRowid, it.sku, it.cost ?? null, it.cost === undefined ? null : it.currency ?? 'EUR', NOW, NOW);
      s.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, ?, 0, ?)`).run(v.lastInsertRowid, it.stock, NOW);
    }
  });
  return {
    home,
    cli: (args, o = {}) => run(args, { home, env: { MERCHANT_NOW: NOW, ...o.env }, stdin: o.stdin }),
    store,
    q: <T,>(sql: string, ...args: unknown[]) => s.db.prepare(sql).all(...args) as T[],
  };
}

/** Every stock level and movement, to check that a refused command changed nothing. */
export function snapshot(h: StockHome): string {
  return JSON.stringify([
    h.q('SELECT * FROM stock_levels ORDER BY location_id, variant_id'),
    h.q('SELECT count(*) AS n FROM stock_movements'),
    h.q('SELECT * FROM stock_transfers'),
    h.q('SELECT * FROM stock_locations'),
    h.q('SELECT count(*) AS n FROM outbox'),
    h.q('SELECT id, sync_pending, sync_seq FROM channel_listings ORDER BY id'),
  ], (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
}
