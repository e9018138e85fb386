// Stuck locks: a lock left by a process on another host (last night's container) or whose pid was
// reused is taken over with a warning; a live holder is not; `merchant unlock` and `doctor --fix` clear
// one after confirmation. Real processes (the built binary), the real clock, no sleeping for timing.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { LATEST_VERSION } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { bootId, processStart } from '../../src/store/lock.js';
import { BIN, tempDir } from '../helpers/run.js';

const PROFILE = resolve(import.meta.dirname, '../../fixtures/onboard/profile.json');

beforeAll(() => {
  if (!existsSync(resolve(import.meta.dirname, '../../dist/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
});

/** The built binary, asynchronously (a holder process may be running meanwhile). */
function bin(args: string[], home: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', MERCHANT_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((res) => child.on('close', (code) => res({ code: code ?? -1, stdout, stderr })));
}

async function onboarded(): Promise<string> {
  const home = tempDir();
  const r = await bin(['onboard', '--no-input', '--from', PROFILE], home);
  expect(r.code, r.stderr).toBe(0);
  return home;
}

interface LockRow {
  pid: number;
  host: string;
  command?: string;
  acquiredAt: string;
  heartbeatAt?: string | null;
  leaseSeconds?: number | null;
  bootId?: string | null;
  pidStart?: string | null;
}

function putLock(home: string, l: LockRow): void {
  const s = openStore(join(home, 'merchant.db'));
  try {
    s.db
      .prepare('INSERT OR REPLACE INTO lock (name, pid, host, command, acquired_at, heartbeat_at, lease_seconds, token, boot_id, pid_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('writer', l.pid, l.host, l.command ?? 'sync', l.acquiredAt, l.heartbeatAt === undefined ? l.acquiredAt : l.heartbeatAt, l.leaseSeconds === undefined ? 300 : l.leaseSeconds, 'test-token', l.bootId ?? null, l.pidStart ?? null);
  } finally {
    s.close();
  }
}

function lockRow(home: string): Record<string, unknown> | undefined {
  const db = new Database(join(home, 'merchant.db'), { readonly: true });
  try {
    return db.prepare("SELECT * FROM lock WHERE name = 'writer'").get() as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const WRITE = ['prices', 'rules', 'set', 'default', '--margin', '30%'];

/** A sleeping process: alive, and certainly not merchant. */
function sleeper(): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  return c;
}

describe('writer lock: leases and takeovers', () => {
  it('a lock from another host whose lease ran out is taken over, with a warning naming it', async () => {
    const home = await onboarded();
    putLock(home, { pid: 4242, host: 'ci-runner-7f2a', acquiredAt: ago(7 * 3600_000), heartbeatAt: ago(2 * 3600_000) });
    const r = await bin(WRITE, home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/took over the writer lock of pid 4242 on ci-runner-7f2a \(`sync` since .*\): it has not been renewed for 2 h \(lease 5 min\)/);
    expect(lockRow(home)).toBeUndefined(); // released at the end of the run
  });

  it('a lock written before leases existed (no heartbeat) counts from when it was taken', async () => {
    const home = await onboarded();
    putLock(home, { pid: 99, host: 'old-container', acquiredAt: ago(26 * 3600_000), heartbeatAt: null, leaseSeconds: null });
    const r = await bin(WRITE, home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/took over the writer lock of pid 99 on old-container .*not been renewed for 26 h \(lease 5 min\)/);
  });

  it('a lock from another host renewed within its lease is respected: exit 5, and the hint says how to clear it', async () => {
    const home = await onboarded();
    putLock(home, { pid: 4242, host: 'ci-runner-7f2a', acquiredAt: ago(3600_000), heartbeatAt: ago(10_000) });
    const r = await bin(WRITE, home);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/another merchant process holds the database lock: pid 4242 on ci-runner-7f2a running `sync` since .* \(renewed \d+ s ago \(lease 5 min\)\)/);
    expect(r.stderr).toMatch(/`merchant unlock` clears the lock now/);
    expect(lockRow(home)).toMatchObject({ pid: 4242, host: 'ci-runner-7f2a' });
  });

  it('a reused pid (alive, but another program) is taken over, even with a fresh heartbeat', async () => {
    if (!processStart(process.pid)) return; // (needs /proc: Linux)
    const home = await onboarded();
    const other = sleeper();
    try {
      await once(other, 'spawn');
      putLock(home, { pid: other.pid!, host: hostname(), acquiredAt: ago(1000), bootId: bootId(), pidStart: '1' });
      const r = await bin(WRITE, home);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`took over the writer lock of pid ${other.pid} on .*: pid ${other.pid} now belongs to another program`));
      // …and a pid from before the last reboot likewise.
      putLock(home, { pid: other.pid!, host: hostname(), acquiredAt: ago(1000), bootId: '00000000-0000-0000-0000-000000000000', pidStart: processStart(other.pid!) });
      const again = await bin(WRITE, home);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/ran before this machine last restarted/);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('a live holder is not taken over, however stale its heartbeat looks; it renews its lease; unlock refuses it without --force', async () => {
    const home = await onboarded();
    // A real merchant holding the lock: `marketplace connect` waiting for its token on stdin.
    const holder = spawn(process.execPath, [BIN, 'marketplace', 'connect', 'shopify', '--shop', 'lock-test.myshopify.com', '--token-file', '-', '--no-verify'], {
      env: { PATH: process.env.PATH, TZ: 'UTC', MERCHANT_HOME: home, MERCHANT_LOCK_LEASESECONDS: '5' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let holderErr = '';
    holder.stderr!.on('data', (c: Buffer) => (holderErr += c.toString()));
    try {
      // Wait (poll) until it holds the lock.
      let row: Record<string, unknown> | undefined;
      for (let i = 0; i < 400 && !(row = lockRow(home)); i++) await new Promise((r) => setTimeout(r, 25));
      expect(row, holderErr).toMatchObject({ pid: holder.pid!, command: 'marketplace connect', lease_seconds: 5 });
      const r = await bin(WRITE, home);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(new RegExp(`pid ${holder.pid} on .* running \`marketplace connect\`.*is running on this host`));
      // Its heartbeat made to look hours old: still alive here, still not taken over…
      const s = openStore(join(home, 'merchant.db'));
      s.db.prepare('UPDATE lock SET heartbeat_at = ?').run(ago(5 * 3600_000));
      s.close();
      const r2 = await bin(WRITE, home);
      expect(r2.code, r2.stderr).toBe(5);
      // …and it renews it (a fifth of its 5 s lease): wait for the row to change.
      let beat = String(lockRow(home)!.heartbeat_at);
      for (let i = 0; i < 600 && Date.parse(beat) < Date.now() - 3600_000; i++) {
        await new Promise((r) => setTimeout(r, 25));
        beat = String(lockRow(home)!.heartbeat_at);
      }
      expect(Date.parse(beat)).toBeGreaterThan(Date.now() - 3600_000);
      const u = await bin(['unlock', '--yes'], home);
      expect(u.code).toBe(5);
      expect(u.stderr).toMatch(/running on this machine/);
      expect(u.stderr).toMatch(/--force/);
      expect(lockRow(home)).toMatchObject({ pid: holder.pid! });
    } finally {
      holder.stdin!.end('shpat_locktest0000000000000000\n');
      await once(holder, 'close');
    }
    expect(holder.exitCode, holderErr).toBe(0);
    expect(lockRow(home)).toBeUndefined();
  }, 30_000);
});

describe('merchant unlock and doctor --fix', () => {
  it('unlock asks first: without a terminal it needs --yes; with it the lock is cleared and audited', async () => {
    const home = await onboarded();
    putLock(home, { pid: 4242, host: 'ci-runner-7f2a', acquiredAt: ago(3600_000), heartbeatAt: ago(10_000) });
    const no = await bin(['unlock'], home);
    expect(no.code).toBe(2);
    expect(no.stderr).toMatch(/--yes/);
    expect(lockRow(home)).toBeDefined();
    const r = await bin(['unlock', '--yes', '--json'], home);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cleared: true, state: 'held', holder: { pid: 4242, host: 'ci-runner-7f2a', command: 'sync' } });
    expect(lockRow(home)).toBeUndefined();
    const db = new Database(join(home, 'merchant.db'), { readonly: true });
    expect(db.prepare("SELECT command, action FROM audit_log WHERE entity = 'lock'").all()).toEqual([{ command: 'unlock', action: 'clear' }]);
    db.close();
    const free = await bin(['unlock', '--yes'], home);
    expect(free.code).toBe(0);
    expect(free.stderr).toMatch(/the writer lock is free/);
  });

  it('doctor reports a stale lock and --fix clears it after confirmation', async () => {
    const home = await onboarded();
    putLock(home, { pid: 4242, host: 'ci-runner-7f2a', acquiredAt: ago(9 * 3600_000), heartbeatAt: ago(9 * 3600_000) });
    const d = await bin(['doctor', '--offline', '--json'], home);
    const lock = (JSON.parse(d.stdout).checks as Array<{ id: string; status: string; detail: string; fix?: string }>).find((c) => c.id === 'lock')!;
    expect(lock).toMatchObject({ status: 'warn' });
    expect(lock.detail).toMatch(/left by pid 4242 on ci-runner-7f2a .*not been renewed for 9 h/);
    expect(lock.fix).toMatch(/doctor --fix/);
    expect((await bin(['doctor', '--offline', '--fix'], home)).code).toBe(2); // no terminal, no --yes
    expect(lockRow(home)).toBeDefined();
    const f = await bin(['doctor', '--offline', '--fix', '--yes', '--json'], home);
    expect(JSON.parse(f.stdout).checks.find((c: { id: string }) => c.id === 'lock')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/cleared the lock of pid 4242/) });
    expect(lockRow(home)).toBeUndefined();
  });
});

describe('lock migration (150)', () => {
  it('a database at the previous version keeps its lock row and everything else', () => {
    const dir = tempDir();
    const path = join(dir, 'm.db');
    const raw = new Database(path);
    const previous = MIGRATIONS.filter((m) => m.version < 150);
    for (const m of previous) raw.exec(m.sql);
    raw.pragma(`user_version = ${previous.at(-1)!.version}`);
    raw.prepare("INSERT INTO lock (name, pid, host, command, acquired_at) VALUES ('writer', 7, 'old-host', 'sync', '2026-01-01T00:00:00Z')").run();
    raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', '2026-01-01T00:00:00Z')").run();
    raw.close();
    const s = openStore(path);
    try {
      expect(Number(s.db.pragma('user_version', { simple: true }))).toBe(LATEST_VERSION);
      expect(s.db.prepare('SELECT pid, host, command, acquired_at, heartbeat_at, lease_seconds, token FROM lock').all()).toEqual([
        { pid: 7n, host: 'old-host', command: 'sync', acquired_at: '2026-01-01T00:00:00Z', heartbeat_at: null, lease_seconds: null, token: null },
      ]);
      expect(s.db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'k', value: 'v' }]);
    } finally {
      s.close();
    }
  });
});
