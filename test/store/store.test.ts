import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync, chmodSync, statSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { LATEST_VERSION } from '../../src/store/migrate.js';
import { assertIntact, quickCheckDue, recordQuickCheck } from '../../src/store/integrity.js';
import { acquireWriteLock, currentLockHolder } from '../../src/store/lock.js';
import { CredentialStore } from '../../src/config/credentials.js';
import { redact } from '../../src/core/redact.js';
import { LockedError } from '../../src/core/errors.js';
import { run, runBin, spawnBin, tempDir } from '../helpers/run.js';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('store', () => {
  it('creates a WAL database with foreign keys at the latest schema version', () => {
    const dir = tempDir();
    const s = openStore(join(dir, 'm.db'));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(s.db.pragma('foreign_keys', { simple: true }))).toBe(1);
    expect(Number(s.db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    expect(Number(s.db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    s.close();
  });

  it('creates merchant.db, and its -wal and -shm, readable by its owner only (0600)', async () => {
    const home = tempDir();
    const r = await run(['prices', 'rules', 'set', 'default', '--margin', '30%'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(home, 'merchant.db')).mode & 0o777).toBe(0o600);
    // The WAL and shared-memory files exist while a connection is open; SQLite copies the database's mode.
    const s = openStore(join(home, 'merchant.db'));
    s.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('t', 'v', 'now')").run();
    for (const f of ['merchant.db-wal', 'merchant.db-shm']) expect(statSync(join(home, f)).mode & 0o777, f).toBe(0o600);
    s.close();
    // --db elsewhere (a folder that is not 0700) likewise.
    const other = join(tempDir(), 'shop.db');
    expect((await run(['prices', 'rules', 'set', 'default', '--margin', '30%', '--db', other], { home })).code).toBe(0);
    expect(statSync(other).mode & 0o777).toBe(0o600);
  });

  it('--db naming a folder is a usage error (exit 2) that says so, and nothing is created', async () => {
    const home = tempDir();
    const folder = tempDir();
    for (const args of [['onboard', 'status', '--db', folder], ['prices', 'rules', 'set', 'default', '--margin', '30%', '--db', folder]]) {
      const r = await run(args, { home });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`the database path ${folder} is a folder, not a database file`);
      expect(r.stderr).toContain(join(folder, 'merchant.db'));
    }
    const env = await run(['onboard', 'status'], { home, env: { MERCHANT_DB: folder } });
    expect(env.code).toBe(2);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('integrity: small databases are checked by every writing command, large ones once a day', () => {
    const s = openStore(join(tempDir(), 'm.db'));
    const day = 24 * 3600_000;
    const t0 = Date.parse('2026-11-25T06:00:00Z');
    expect(quickCheckDue(s, t0)).toBe('daily'); // never checked: checked, and the day's check recorded
    expect(quickCheckDue(s, t0, 0)).toBe('daily'); // (as if it were larger than the threshold) never checked yet
    recordQuickCheck(s, t0);
    expect(quickCheckDue(s, t0 + 1000)).toBe('always'); // small: every writing command, recorded once a day
    expect(quickCheckDue(s, t0 + day - 1, 0)).toBe(false);
    expect(quickCheckDue(s, t0 + day, 0)).toBe('daily');
    expect(quickCheckDue(s, t0 - 1000, 0)).toBe('daily'); // a clock that went back: check rather than trust it
    expect(() => assertIntact(s)).not.toThrow();
    s.close();
  });

  it('integrity: a file that grows past the limit during the day (a first import) is not checked again that day', async () => {
    const home = tempDir();
    const env = { MERCHANT_NOW: '2026-11-25T06:00:00Z' };
    expect((await run(['stock', 'locations', 'add', 'w2', '--kind', 'warehouse', '--country', 'DE'], { home, env })).code).toBe(0);
    const s = openStore(join(home, 'merchant.db'));
    const day = 24 * 3600_000;
    const t0 = Date.parse('2026-11-25T06:00:00Z');
    // The small file's check was recorded by that writing command: as a large file it is due tomorrow.
    expect(quickCheckDue(s, t0 + 3600_000, 0)).toBe(false);
    expect(quickCheckDue(s, t0 + day, 0)).toBe('daily');
    s.close();
  });

  it('returns integers as BigInt so money never passes through a float', () => {
    const s = openStore(join(tempDir(), 'm.db'));
    const v = s.db.prepare('SELECT 9007199254740993 AS big').get() as { big: bigint };
    expect(v.big).toBe(9007199254740993n);
    s.close();
  });

  it('refuses a database written by a newer version and leaves it untouched', async () => {
    const dir = tempDir();
    const path = join(dir, 'future.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    const before = sha(path);
    const r = await run(['onboard', 'status', '--db', path], { home: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/written by a newer merchant \(schema \d+; this one knows up to \d+\); it was left untouched/);
    expect(sha(path)).toBe(before);
  });

  it('says clearly when the file is not a database, without touching it', async () => {
    const dir = tempDir();
    const path = join(dir, 'junk.db');
    writeFileSync(path, 'this is not sqlite '.repeat(200));
    const before = sha(path);
    const r = await run(['onboard', 'status', '--db', path], { home: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not a merchant database or is corrupt/);
    expect(sha(path)).toBe(before);
  });

  it('migrations are transactional: a crash mid-way is simulated by an older version re-opening cleanly', () => {
    const dir = tempDir();
    const path = join(dir, 'm.db');
    const raw = new Database(path);
    raw.pragma('user_version = 0');
    raw.close();
    const s = openStore(path);
    expect(Number(s.db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    s.close();
    // re-opening an up-to-date database runs nothing
    const s2 = openStore(path);
    expect(Number(s2.db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
    s2.close();
  });
});

describe('writer lock', () => {
  it('a second writer is refused with exit-5 semantics while the first holds the lock', async () => {
    const dir = tempDir();
    const a = openStore(join(dir, 'm.db'));
    const b = openStore(join(dir, 'm.db'));
    const lock = await acquireWriteLock(a, 'sync');
    // Same pid in one process counts as stale, so fake another live holder: our parent process.
    a.db.prepare('UPDATE lock SET pid = ?, pid_start = NULL').run(process.ppid);
    await expect(acquireWriteLock(b, 'listings import')).rejects.toBeInstanceOf(LockedError);
    expect(currentLockHolder(b)).toMatchObject({ pid: process.ppid, command: 'sync' });
    a.db.prepare('UPDATE lock SET pid = ?').run(process.pid);
    lock.release();
    const l2 = await acquireWriteLock(b, 'listings import');
    l2.release();
    a.close();
    b.close();
  });

  it('--wait polls until the holder releases (injected clock, no real sleeping)', async () => {
    const dir = tempDir();
    const a = openStore(join(dir, 'm.db'));
    const b = openStore(join(dir, 'm.db'));
    await acquireWriteLock(a, 'sync');
    a.db.prepare('UPDATE lock SET pid = ?, pid_start = NULL').run(process.ppid);
    let t = 0;
    let polls = 0;
    const lock = await acquireWriteLock(b, 'prices update', {
      waitSeconds: 10,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
        if (++polls === 3) a.db.prepare('DELETE FROM lock').run();
      },
    });
    expect(polls).toBe(3);
    lock.release();
    a.close();
    b.close();
  });

  it('a lock left by a killed process (kill -9) is taken over', async () => {
    const dir = tempDir();
    const a = openStore(join(dir, 'm.db'));
    // a pid that certainly is not running
    a.db.prepare("INSERT INTO lock (name, pid, host, command, acquired_at) VALUES ('writer', 2147483646, ?, 'sync', '2026-01-01T00:00:00Z')").run(hostname());
    const lock = await acquireWriteLock(a, 'sync');
    lock.release();
    a.close();
  });

  it('two real processes: the second exits 5 naming the holder, and nothing is corrupted', async () => {
    const home = tempDir();
    const profile = join(import.meta.dirname, '../../fixtures/onboard/profile.json');
    expect(runBin(['onboard', '--no-input', '--from', profile], { env: { MERCHANT_HOME: home } }).code).toBe(0);
    // Hold the lock from this test process as if a long sync were running in another process.
    const s = openStore(join(home, 'merchant.db'));
    s.db.prepare("INSERT INTO lock (name, pid, host, command, acquired_at) VALUES ('writer', ?, ?, 'sync', ?)").run(process.ppid, hostname(), new Date().toISOString());
    const r = runBin(['onboard', '--no-input', '--from', profile, '--legal-name', 'Other AB'], { env: { MERCHANT_HOME: home } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/another merchant process holds the database lock: pid \d+ .* running `sync`/);
    expect(r.stderr).toMatch(/--wait/);
    s.db.prepare('DELETE FROM lock').run();
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((s.db.prepare('SELECT legal_name FROM business_profile').get() as { legal_name: string }).legal_name).toBe('Lindqvist Keramik AB');
    s.close();
    void spawnBin;
  });
});

describe('credentials', () => {
  it('are written 0600 and a group/world-readable file is refused', async () => {
    const dir = tempDir();
    const path = join(dir, 'credentials');
    const c = new CredentialStore(path, {});
    c.setService('shopify', { token: 'shpat_abcdef1234567890' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o644);
    const fresh = new CredentialStore(path, {});
    expect(() => fresh.get('shopify', 'token')).toThrow(/readable by other users \(mode 644\)/);
  });

  it('environment variables override the file', () => {
    const dir = tempDir();
    const c = new CredentialStore(join(dir, 'credentials'), { MERCHANT_SHOPIFY_TOKEN: 'shpat_fromenv999999' });
    expect(c.get('shopify', 'token')).toEqual({ value: 'shpat_fromenv999999', source: 'env' });
  });

  it('every secret read is redacted from any text, and known token shapes are masked', () => {
    const c = new CredentialStore(join(tempDir(), 'credentials'), { MERCHANT_EBAY_CLIENT_SECRET: 'my-very-secret-value' });
    c.get('ebay', 'client_secret');
    expect(redact('error: client rejected my-very-secret-value')).toBe('error: client rejected ***');
    expect(redact('token Atza|IwEBIJ8abc.def')).toBe('token Atza|***');
    expect(redact('x-shopify-access-token: shpat_123456789')).not.toMatch(/123456789/);
    expect(redact('grant_type=refresh_token&refresh_token=Atzr|xyz&client_secret=abc')).not.toMatch(/xyz|abc/);
  });
});
