// One writer at a time. The lock is a row in the database itself (so it travels with the file and is
// taken atomically by SQLite), naming the holder's pid, host and command. A holder that died
// (kill -9) leaves its row behind; the next writer sees the pid is gone on this host and takes over.

import { hostname } from 'node:os';
import type { Store } from './db.js';
import { LockedError } from '../core/errors.js';

export interface WriteLock {
  release(): void;
}

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  acquiredAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryAcquire(store: Store, command: string): LockHolder | null {
  const host = hostname();
  return store.tx(() => {
    const row = store.db.prepare('SELECT pid, host, command, acquired_at FROM lock WHERE name = ?').get('writer') as
      | { pid: bigint; host: string; command: string; acquired_at: string }
      | undefined;
    if (row) {
      const pid = Number(row.pid);
      const stale = row.host === host && (!alive(pid) || pid === process.pid);
      if (!stale) return { pid, host: row.host, command: row.command, acquiredAt: row.acquired_at };
    }
    store.db
      .prepare('INSERT OR REPLACE INTO lock (name, pid, host, command, acquired_at) VALUES (?, ?, ?, ?, ?)')
      .run('writer', process.pid, host, command, new Date().toISOString());
    return null;
  });
}

export function currentLockHolder(store: Store): LockHolder | null {
  const row = store.db.prepare('SELECT pid, host, command, acquired_at FROM lock WHERE name = ?').get('writer') as
    | { pid: bigint; host: string; command: string; acquired_at: string }
    | undefined;
  if (!row) return null;
  const pid = Number(row.pid);
  if (row.host === hostname() && !alive(pid)) return null;
  return { pid, host: row.host, command: row.command, acquiredAt: row.acquired_at };
}

/**
 * Take the writer lock or throw LockedError (exit 5). With waitSeconds > 0, poll until the holder
 * releases it or the time runs out. `sleep` is injected so tests need no real waiting.
 */
export async function acquireWriteLock(
  store: Store,
  command: string,
  opts: { waitSeconds?: number; sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
): Promise<WriteLock> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const deadline = now() + (opts.waitSeconds ?? 0) * 1000;
  for (;;) {
    const holder = tryAcquire(store, command);
    if (!holder) break;
    if (now() >= deadline) {
      throw new LockedError(
        `another merchant process holds the database lock: pid ${holder.pid} on ${holder.host} running \`${holder.command}\` since ${holder.acquiredAt}`,
        { hints: ['wait for it to finish, or retry with --wait <seconds>'], details: holder },
      );
    }
    await sleep(Math.min(200, Math.max(10, deadline - now())));
  }
  let released = false;
  return {
    release() {
      if (released || !store.db.open) return;
      released = true;
      store.db.prepare('DELETE FROM lock WHERE name = ? AND pid = ? AND host = ?').run('writer', process.pid, hostname());
    },
  };
}
