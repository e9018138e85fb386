// Migration 290 (a compact price history, issue #20) on a database at the version before it (280)
// holding price_history rows of several runs — with and without a rule, a rate date, an explanation —
// keeps every row exactly: the price_history view shows the same ids and the same values in every
// column, explanations byte for byte; a later `prices update` appends after them.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { run, tempDir } from '../helpers/run.js';

const BEFORE = 280;
const T1 = '2026-03-01T08:00:00.000Z';
const T2 = '2026-03-02T08:00:00.000Z';

function oldHome(): string {
  const home = tempDir();
  const raw = new Database(join(home, 'merchant.db'));
  for (const m of MIGRATIONS.filter((x) => x.version <= BEFORE)) {
    raw.exec(m.sql);
    raw.pragma(`user_version = ${m.version}`);
  }
  raw.prepare(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Mug', ?, ?)`).run(T1, T1);
  const v = raw.prepare(`INSERT INTO variants (id, product_id, sku, cost_minor, cost_currency, created_at, updated_at) VALUES (?, 1, ?, 1000, 'EUR', ?, ?)`);
  ['MUG-A', 'MUG-B', 'MUG-C'].forEach((sku, i) => v.run(i + 1, sku, T1, T1));
  const l = raw.prepare(`INSERT INTO channel_listings (id, variant_id, channel, status, price_minor, currency, created_at, updated_at) VALUES (?, ?, 'amazon-uk', ?, ?, 'GBP', ?, ?)`);
  l.run(1, 1, 'active', 1399, T2, T2); // MUG-A: listed, re-priced by the update below
  l.run(2, 3, 'removed', 1000, T2, T2); // MUG-C: removed, never priced again
  const h = raw.prepare(
    `INSERT INTO price_history (id, variant_id, channel, old_minor, new_minor, currency, rule_name, rate_date, explain_json, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ex = (rule: string, solved: string) => JSON.stringify({ rule, rate: '43529/50000', rateDate: '2026-02-27', source: 'ecb', solved, bound: null, minFee: false });
  h.run(3, 1, 'amazon-uk', null, 1299, 'GBP', 'uk', '2026-02-27', ex('uk', '25981/20'), T1);
  h.run(4, 2, 'amazon-uk', null, 1499, 'GBP', 'uk', '2026-02-27', ex('uk', '1499'), T1);
  h.run(5, 1, 'shopify', null, 1500, 'EUR', 'se', null, '{"rule":"se","older":"shape"}', T1); // an older explanation's shape, kept as written
  h.run(9, 3, 'ebay-de', 1000, 1100, 'EUR', null, null, null, T1); // no rule, no rate date, no explanation
  h.run(12, 1, 'amazon-uk', 1299, 1399, 'GBP', 'uk', '2026-02-28', ex('uk', '13981/10'), T2);
  raw.close();
  return home;
}

const ALL = 'SELECT id, variant_id, channel, old_minor, new_minor, currency, rule_name, rate_date, explain_json, changed_at FROM price_history ORDER BY id';

describe('migration 290 (compact price history) from a database at version 280', () => {
  it('keeps every history row, id and explanation exactly, and a later prices update appends after them', async () => {
    const home = oldHome();
    const raw = new Database(join(home, 'merchant.db'), { readonly: true });
    raw.defaultSafeIntegers(true);
    const before = raw.prepare(ALL).all();
    raw.close();
    expect(before).toHaveLength(5);

    const s = openStore(join(home, 'merchant.db'));
    try {
      expect(Number(s.db.pragma('user_version', { simple: true }))).toBeGreaterThanOrEqual(290);
      expect(s.db.prepare(ALL).all()).toEqual(before);
      // one basis per (time, channel, currency, rule, rate date) of the old rows
      expect(Number(s.db.prepare('SELECT count(*) FROM price_bases').pluck().get())).toBe(4);
      expect(s.db.prepare("SELECT name FROM sqlite_master WHERE name IN ('price_history_variant', 'price_bases_legacy')").all()).toEqual([]);
      expect(s.db.prepare("SELECT type FROM sqlite_master WHERE name = 'price_history'").pluck().get()).toBe('view');
    } finally {
      s.close();
    }

    const env = { MERCHANT_NOW: '2026-03-03T09:00:00Z' };
    expect((await run(['fx', 'update', '--rate', 'EUR/GBP=0.85', '--date', '2026-03-03'], { home, env })).code).toBe(0);
    expect((await run(['prices', 'rules', 'set', 'uk', '--channel', 'amazon-uk', '--markup', '50%', '--ending', '.99'], { home, env })).code).toBe(0);
    const r = await run(['prices', 'update', '--yes'], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const s2 = openStore(join(home, 'merchant.db'));
    try {
      const rows = s2.db.prepare(ALL).all() as Array<{ id: bigint; changed_at: string; explain_json: string; variant_id: bigint; new_minor: bigint }>;
      expect(rows.slice(0, 5)).toEqual(before);
      const added = rows.slice(5);
      expect(added.map((x) => x.variant_id)).toEqual([1n, 2n]);
      expect(added.every((x) => x.id > 12n && x.changed_at === '2026-03-03T09:00:00.000Z')).toBe(true);
      // EUR 10.00 × 1.5 × 0.85 = 12.75 → GBP 12.99 (.99 ending)
      expect(added.map((x) => x.new_minor)).toEqual([1299n, 1299n]);
      expect(s2.db.prepare('SELECT old_minor FROM price_history WHERE id > 12 ORDER BY id').pluck().all()).toEqual([1399n, null]);
      expect(JSON.parse(added[0]!.explain_json)).toEqual({ rule: 'uk', rate: '17/20', rateDate: '2026-03-03', source: 'manual', solved: '51/4', bound: null, minFee: false });
      // the listing that existed is updated and the missing one created, both with their price pending for
      // sync; the removed one is left as it was
      expect(s2.db.prepare("SELECT v.sku, l.price_minor, l.sync_pending & 1 FROM channel_listings l JOIN variants v ON v.id = l.variant_id WHERE l.channel = 'amazon-uk' ORDER BY v.sku").raw(true).all()).toEqual([
        ['MUG-A', 1299n, 1n],
        ['MUG-B', 1299n, 1n],
        ['MUG-C', 1000n, 0n],
      ]);
      s2.db.prepare("UPDATE variants SET cost_minor = 2000 WHERE sku = 'MUG-A'").run();
    } finally {
      s2.close();
    }
    // A second run sets MUG-A from its own change row, not an earlier run's.
    const again = await run(['prices', 'update', '--yes'], { home, env: { MERCHANT_NOW: '2026-03-03T10:00:00Z' } });
    expect(again.code, again.stderr).toBe(0);
    const s3 = openStore(join(home, 'merchant.db'));
    try {
      // EUR 20.00 × 1.5 × 0.85 = 25.50 → GBP 25.99
      expect(s3.db.prepare("SELECT price_minor, sync_seq FROM channel_listings WHERE id = 1").raw(true).get()).toEqual([2599n, 2n]);
      expect(s3.db.prepare('SELECT old_minor, new_minor FROM price_history WHERE id > 12 ORDER BY id').raw(true).all()).toEqual([
        [1399n, 1299n],
        [null, 1299n],
        [1299n, 2599n],
      ]);
      s3.db.prepare("UPDATE channel_listings SET sync_pending = 0 WHERE id = 1").run(); // as if sync had sent it
      s3.db.prepare("UPDATE variants SET cost_minor = 3000 WHERE sku = 'MUG-B'").run();
    } finally {
      s3.close();
    }
    // A run that re-prices only MUG-B leaves MUG-A's listing as it is (no earlier change row applied again).
    const only = await run(['prices', 'update', '--yes', '--sku', 'MUG-B'], { home, env: { MERCHANT_NOW: '2026-03-03T11:00:00Z' } });
    expect(only.code, only.stderr).toBe(0);
    const s4 = openStore(join(home, 'merchant.db'));
    try {
      expect(s4.db.prepare("SELECT price_minor, sync_seq, sync_pending FROM channel_listings WHERE id = 1").raw(true).get()).toEqual([2599n, 2n, 0n]);
      expect(s4.db.prepare("SELECT l.price_minor FROM channel_listings l JOIN variants v ON v.id = l.variant_id WHERE v.sku = 'MUG-B'").pluck().get()).toBe(3899n);
    } finally {
      s4.close();
    }
  });
});
