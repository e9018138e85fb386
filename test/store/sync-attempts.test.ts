// Migration 110 (sync attempts) on a database at the previous version, and the token cache file.
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { migrate } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/db.js';
import { outboxAttempts, syncInstanceId } from '../../src/store/repos/sync-attempts.js';
import { FileTokenCache } from '../../src/config/token-cache.js';
import { tempDir } from '../helpers/run.js';

describe('migration 110: the attempt an outbox row is in', () => {
  it('migrates a database at the previous version with nothing lost, and gives it its own instance id', () => {
    const dir = tempDir('merchant-mig110-');
    const path = join(dir, 'merchant.db');
    const db = new Database(path);
    for (const m of MIGRATIONS.filter((x) => x.version < 110)) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    expect(Number(db.pragma('user_version', { simple: true }))).toBeLessThan(110);
    db.prepare(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, attempts, sent_json, created_at, updated_at) VALUES ('shopify', 'shopify', 'MUG', 'inventory', '{}', 'sent', 2, '{"quantity":3}', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`).run();
    db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('fx.source', 'ecb', '2026-11-01T00:00:00Z')`).run();
    expect(migrate(db)).toContain(110);
    db.close();
    const store = openStore(path);
    try {
      const [row] = outboxAttempts(store, [1]);
      expect(row).toEqual({ id: 1, state: 'sent', attempts: 2, ambiguous: false, attemptKey: null, sentJson: '{"quantity":3}' });
      expect(syncInstanceId(store)).toMatch(/^[0-9a-f]{16}$/);
      expect((store.db.prepare(`SELECT value FROM settings WHERE key = 'fx.source'`).get() as { value: string }).value).toBe('ecb');
    } finally {
      store.close();
    }
    // Two databases never share an instance id (so never an attempt key).
    const other = join(dir, 'other.db');
    const s2 = openStore(other);
    const again = openStore(path);
    expect(syncInstanceId(s2)).not.toBe(syncInstanceId(again));
    s2.close();
    again.close();
  });
});

describe('token cache', () => {
  it('keeps tokens in a 0600 file, forgets expired ones, and trusts no file others can read', () => {
    const dir = tempDir('merchant-tokens-');
    let now = 1_000_000;
    const cache = new FileTokenCache(join(dir, 'token-cache'), () => now);
    cache.set('shopify:a', { token: 'shpat_aaaa1111', expiresAt: now + 10_000 });
    cache.set('shopify:b', { token: 'shpat_bbbb2222', expiresAt: now + 50_000 });
    expect(statSync(join(dir, 'token-cache')).mode & 0o777).toBe(0o600);
    expect(cache.get('shopify:a')?.token).toBe('shpat_aaaa1111');
    now += 20_000;
    expect(cache.get('shopify:a')).toBeUndefined();
    cache.delete('shopify:b');
    expect(existsSync(join(dir, 'token-cache'))).toBe(false);
    cache.set('shopify:c', { token: 'shpat_cccc3333', expiresAt: now + 10_000 });
    chmodSync(join(dir, 'token-cache'), 0o644);
    expect(cache.get('shopify:c')).toBeUndefined();
    writeFileSync(join(dir, 'token-cache'), 'not json', { mode: 0o600 });
    chmodSync(join(dir, 'token-cache'), 0o600);
    expect(cache.get('shopify:c')).toBeUndefined();
    cache.set('shopify:d', { token: 'shpat_dddd4444', expiresAt: now + 10_000 });
    expect(JSON.parse(readFileSync(join(dir, 'token-cache'), 'utf8'))).toEqual({ 'shopify:d': { token: 'shpat_dddd4444', expiresAt: now + 10_000 } });
  });
});
