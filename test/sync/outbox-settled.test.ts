// Acknowledged outbox rows do not pile up (issue #20): a run deletes an item's rows in the transaction
// that records what the marketplace acknowledged (and prunes the listing's superseded and skipped rows),
// so the outbox holds only open work; the history stays in sync_log / sync_runs and the listing's
// acked_* columns. Outbox ids are never reused (migration 280), so an idempotency key never repeats.
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { world, setPrice, setStock, enqueue, shopifyRemote, NOW } from './helpers.js';
import { resolveQueuedBatches } from '../../src/services/sync/apply.js';
import { wantedListings, kindsOf } from '../../src/store/repos/sync-state.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/db.js';
import { tempDir } from '../helpers/run.js';

type S = ReturnType<Awaited<ReturnType<typeof world>>['store']>;
const count = (s: S, sql: string) => Number((s.db.prepare(sql).get() as { n: bigint }).n);

describe('acknowledged outbox rows do not pile up', () => {
  it('run after run, the outbox stays empty while the sync log keeps every call', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    for (const [i, price] of ['17.50', '18.50'].entries()) {
      setPrice(s, 'shopify', 'MUG-BLU-S', price);
      setPrice(s, 'shopify', 'BOWL-GRY-M', price);
      setStock(s, 'MUG-BLU-S', 10 + i);
      const r = await w.cli(['sync', '--yes', '--only', 'prices,inventory', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).items.filter((x: { state: string }) => x.state === 'acked')).toHaveLength(2);
      expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.price).toBe(price);
      expect(count(s, 'SELECT count(*) AS n FROM outbox')).toBe(0);
      expect(count(s, `SELECT count(*) AS n FROM sync_log WHERE operation = 'push'`)).toBeGreaterThanOrEqual(i + 1);
      expect(count(s, `SELECT count(*) AS n FROM sync_runs WHERE status = 'ok'`)).toBe(i + 1);
    }
    // What the marketplace holds is on the listing.
    expect(s.db.prepare(`SELECT acked_price_minor FROM channel_listings WHERE channel = 'shopify' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`).get()).toEqual({ acked_price_minor: 1850n });
  });

  it("a listing's superseded, skipped and earlier acknowledged rows go with its acknowledgement; another listing's stay until its own", async () => {
    const w = await world(['shopify']);
    const s = w.store();
    enqueue(s, 'shopify', 'MUG-BLU-S', 'price');
    enqueue(s, 'shopify', 'MUG-BLU-S', 'price'); // supersedes the first
    const legacy = s.db.prepare(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, created_at, updated_at) VALUES (?, 'shopify', ?, 'price', '{}', ?, ?, ?)`);
    legacy.run('shopify', 'MUG-BLU-S', 'acked', NOW, NOW); // acknowledged before migration 280
    legacy.run('shopify', 'MUG-BLU-S', 'skipped', NOW, NOW);
    legacy.run('shopify', 'CANDLE-LAV', 'superseded', NOW, NOW);
    setPrice(s, 'shopify', 'MUG-BLU-S', '19.00');
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(s.db.prepare(`SELECT sku, state FROM outbox ORDER BY id`).all()).toEqual([{ sku: 'CANDLE-LAV', state: 'superseded' }]);
  });

  it('an outbox id is never used twice, so a new request never gets an old attempt key', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    enqueue(s, 'shopify', 'MUG-BLU-S', 'price');
    setPrice(s, 'shopify', 'MUG-BLU-S', '19.00');
    const first = Number((s.db.prepare(`SELECT max(id) AS n FROM outbox`).get() as { n: bigint }).n);
    expect((await w.cli(['sync', '--yes', '--only', 'prices'])).code).toBe(0);
    expect(count(s, 'SELECT count(*) AS n FROM outbox')).toBe(0);
    enqueue(s, 'shopify', 'MUG-BLU-S', 'price');
    expect(Number((s.db.prepare(`SELECT min(id) AS n FROM outbox`).get() as { n: bigint }).n)).toBeGreaterThan(first);
  });

  it('an older feed that overwrote a newer value: the listing wants the value again as state, not as an outbox row', async () => {
    const w = await world(['amazon']);
    const s = w.store();
    const ch = 'amazon-de';
    const sku = 'MUG-BLU-S';
    const sent = '{"price":"21.00","currency":"EUR"}';
    const id = Number(
      s.db.prepare(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, attempts, sent_json, created_at, updated_at) VALUES (?, 'amazon', ?, 'price', '{}', 'sent', 1, ?, ?, ?)`).run(ch, sku, sent, NOW, NOW).lastInsertRowid,
    );
    s.tx(() => s.sync.recordQueuedBatch({ marketplace: 'amazon', channel: ch, ref: 'F1', submittedAt: NOW, runId: null, items: [{ key: `${ch}/${sku}`, sku, outboxIds: [id], sentJson: sent }] }, NOW));
    const later = '2026-11-25T06:05:00.000Z';
    s.sync.setAcknowledgedValues(ch, sku, { priceMinor: 2300n }, later, later); // a newer PATCH, acknowledged
    const adapter = {
      name: 'amazon',
      checkQueued: async () => [{ ref: 'F1', state: 'done' as const, status: 'DONE', processedAt: '2026-11-25T06:10:00.000Z', outcomes: [{ key: `${ch}/${sku}`, channel: ch, sku, ok: true }] }],
    };
    const runId = s.sync.startSyncRun(NOW, '{}');
    const r = await resolveQueuedBatches({ store: s, runId, now: () => '2026-11-25T06:20:00.000Z' }, adapter as never);
    expect(r.resent).toBe(1);
    expect(count(s, 'SELECT count(*) AS n FROM outbox')).toBe(0);
    expect(wantedListings(s).map((x) => [x.channel, x.sku, kindsOf(x.bits)])).toEqual([[ch, sku, ['price']]]);
  });
});

describe('migration 280 (outbox ids) from a database at version 250', () => {
  it('keeps every row and id, and hands out ids above the highest ever used', () => {
    const path = join(tempDir(), 'old.db');
    const raw = new Database(path);
    raw.defaultSafeIntegers(true);
    for (const m of MIGRATIONS.filter((x) => x.version <= 250)) {
      raw.exec(m.sql);
      raw.pragma(`user_version = ${m.version}`);
    }
    const o = raw.prepare(`INSERT INTO outbox (id, channel, marketplace, sku, kind, payload_json, state, attempts, sent_json, attempt_key, created_at, updated_at) VALUES (?, 'shopify', 'shopify', ?, 'price', '{}', ?, ?, ?, ?, ?, ?)`);
    o.run(3, 'MUG-A', 'acked', 1, '{"price":"10.00"}', 'db:3:1', NOW, NOW);
    o.run(7, 'MUG-B', 'sent', 1, '{"price":"11.00"}', 'db:7:1', NOW, NOW);
    o.run(9, 'MUG-C', 'failed', 2, '{"price":"12.00"}', 'db:9:2', NOW, NOW);
    const before = raw.prepare('SELECT * FROM outbox ORDER BY id').all();
    raw.close();
    const s = openStore(path);
    try {
      expect(Number(s.db.pragma('user_version', { simple: true }))).toBeGreaterThanOrEqual(280);
      expect(s.db.prepare('SELECT * FROM outbox ORDER BY id').all()).toEqual(before);
      expect(s.db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name = 'outbox' AND type = 'index' ORDER BY name`).all()).toEqual([{ name: 'outbox_item' }, { name: 'outbox_pending' }]);
      s.db.prepare('DELETE FROM outbox WHERE id = 9').run();
      const next = s.db.prepare(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, created_at, updated_at) VALUES ('shopify', 'shopify', 'MUG-D', 'price', '{}', ?, ?)`).run(NOW, NOW);
      expect(Number(next.lastInsertRowid)).toBe(10);
    } finally {
      s.close();
    }
  });
});
