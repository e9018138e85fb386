// One writer at a time. The lock is a row in the database itself (so it travels with the file and is
// taken atomically by SQLite), naming the holder's pid, host and command, and carrying a lease: the
// holder renews `heartbeat_at` every fifth of its lease while it runs. A lock is free to take over when
//   - its holder ran on this host and its pid is gone (kill -9), or the pid now belongs to another
//     program (same pid, other start time or boot: the pid was reused), or
//   - its holder has not renewed it within its lease — the only test there is for a holder on another
//     host (a container that died last night: its pid means nothing here).
// A holder on this host that is verifiably alive is never taken over, whatever its heartbeat says (it
// may be busy in a long transaction); `merchant unlock --force` is the way out if it is really stuck.
// Every takeover is reported (a warning naming the old holder and why).

import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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
  /** Last renewal (acquired_at for a lock written before leases existed). */
  heartbeatAt: string;
  leaseSeconds: number;
  token: string | null;
}

/**
 * What the lock row means now:
 *   held     — a live holder (verified on this host, or renewed within its lease elsewhere);
 *   dead     — its process is gone (this host: no such pid, or a pid from before the last reboot);
 *   reused   — its pid is alive but is another program (other start time);
 *   expired  — not renewed within its lease (a holder on another host, or one we cannot verify).
 */
export type LockState = 'held' | 'dead' | 'reused' | 'expired';

export interface LockStatus {
  holder: LockHolder;
  state: LockState;
  /** Why, in words, for warnings and `doctor` ("pid 123 is gone", "not renewed for 7 h (lease 5 min)"). */
  reason: string;
  /** This host, alive and the same process that took it (a takeover would make two writers). */
  verifiedAlive: boolean;
}

export const DEFAULT_LEASE_SECONDS = 300;

interface Row {
  pid: bigint;
  host: string;
  command: string;
  acquired_at: string;
  heartbeat_at: string | null;
  lease_seconds: bigint | null;
  token: string | null;
  boot_id: string | null;
  pid_start: string | null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

let ownBoot: string | null | undefined;
/** This boot of this machine (Linux); undefined elsewhere. */
export function bootId(): string | undefined {
  if (ownBoot === undefined) ownBoot = readText('/proc/sys/kernel/random/boot_id') ?? null;
  return ownBoot ?? undefined;
}

/** When a process started, in clock ticks since boot (Linux /proc/PID/stat field 22); undefined elsewhere or when it is gone. */
export function processStart(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

function holderOf(row: Row): LockHolder {
  return {
    pid: Number(row.pid),
    host: row.host,
    command: row.command,
    acquiredAt: row.acquired_at,
    heartbeatAt: row.heartbeat_at ?? row.acquired_at,
    leaseSeconds: row.lease_seconds !== null ? Number(row.lease_seconds) : DEFAULT_LEASE_SECONDS,
    token: row.token,
  };
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

function assess(row: Row, nowMs: number): LockStatus {
  const holder = holderOf(row);
  const here = row.host === hostname();
  if (here) {
    const boot = bootId();
    if (row.boot_id && boot && row.boot_id !== boot) return { holder, state: 'dead', reason: `pid ${holder.pid} ran before this machine last restarted`, verifiedAlive: false };
    if (holder.pid === process.pid) return { holder, state: 'dead', reason: `pid ${holder.pid} is this process: the holder was an earlier process with the same pid`, verifiedAlive: false };
    if (!alive(holder.pid)) return { holder, state: 'dead', reason: `pid ${holder.pid} is no longer running`, verifiedAlive: false };
    const start = row.pid_start ? processStart(holder.pid) : undefined;
    if (row.pid_start && start !== undefined && start !== row.pid_start) {
      return { holder, state: 'reused', reason: `pid ${holder.pid} now belongs to another program (the holder is gone and its pid was reused)`, verifiedAlive: false };
    }
    if (row.pid_start && start === row.pid_start) return { holder, state: 'held', reason: `pid ${holder.pid} is running on this host`, verifiedAlive: true };
    // A row from before leases (no start time recorded) whose pid is running here: the holder may well
    // be that process (an older merchant mid-upgrade); never take it over (`merchant unlock` can).
    if (!row.pid_start) return { holder, state: 'held', reason: `pid ${holder.pid} is running on this host`, verifiedAlive: false };
  }
  const last = Date.parse(holder.heartbeatAt);
  const age = Number.isFinite(last) ? nowMs - last : Number.POSITIVE_INFINITY;
  if (age > holder.leaseSeconds * 1000) {
    return { holder, state: 'expired', reason: `it has not been renewed for ${Number.isFinite(age) ? duration(age) : 'an unknown time'} (lease ${duration(holder.leaseSeconds * 1000)})`, verifiedAlive: false };
  }
  return { holder, state: 'held', reason: `renewed ${duration(Math.max(0, age))} ago (lease ${duration(holder.leaseSeconds * 1000)})`, verifiedAlive: false };
}

function readRow(store: Store): Row | undefined {
  return store.db.prepare('SELECT pid, host, command, acquired_at, heartbeat_at, lease_seconds, token, boot_id, pid_start FROM lock WHERE name = ?').get('writer') as Row | undefined;
}

/** The lock as it stands (undefined when free); nothing is changed. */
export function inspectLock(store: Store, now: () => number = Date.now): LockStatus | undefined {
  const row = readRow(store);
  return row ? assess(row, now()) : undefined;
}

/** The holder of a lock that is in force (null when free or free to take over). */
export function currentLockHolder(store: Store, now: () => number = Date.now): LockHolder | null {
  const s = inspectLock(store, now);
  return s && s.state === 'held' ? s.holder : null;
}

/** Remove the lock row `expected` describes (and no newer one): `merchant unlock`, `doctor --fix`. */
export function clearLock(store: Store, expected: LockHolder): boolean {
  const r = store.db
    .prepare('DELETE FROM lock WHERE name = ? AND pid = ? AND host = ? AND acquired_at = ? AND token IS ?')
    .run('writer', expected.pid, expected.host, expected.acquiredAt, expected.token);
  return r.changes > 0;
}

export interface LockOptions {
  /** Poll this long for the holder to finish (--wait). */
  waitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The clock (ms): tests and the demo pin it; leases and heartbeats are measured with it. */
  now?: () => number;
  leaseSeconds?: number;
  /** Told when a stale lock is taken over, and if this lock is lost while held. */
  warn?: (message: string) => void;
  /** Heartbeat period (default: a fifth of the lease, at least a second). */
  renewEveryMs?: number;
}

function tryAcquire(store: Store, command: string, token: string, o: Required<Pick<LockOptions, 'now' | 'leaseSeconds'>>): { held?: LockStatus; took?: LockStatus } {
  // Look first without a write transaction (readers never wait in WAL mode): a holder in the middle of
  // its own long transaction (an import) keeps SQLite's write lock, and BEGIN IMMEDIATE would only say
  // "busy" after the busy timeout instead of naming it at once.
  const seen = readRow(store);
  if (seen) {
    const s = assess(seen, o.now());
    if (s.state === 'held') return { held: s };
  }
  return store.tx(() => {
    const row = readRow(store);
    let took: LockStatus | undefined;
    if (row) {
      const s = assess(row, o.now());
      if (s.state === 'held') return { held: s };
      took = s;
    }
    const at = new Date(o.now()).toISOString();
    store.db
      .prepare('INSERT OR REPLACE INTO lock (name, pid, host, command, acquired_at, heartbeat_at, lease_seconds, token, boot_id, pid_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run('writer', process.pid, hostname(), command, at, at, o.leaseSeconds, token, bootId() ?? null, processStart(process.pid) ?? null);
    return took ? { took } : {};
  });
}

/**
 * Take the writer lock or throw LockedError (exit 5). With waitSeconds > 0, poll until the holder
 * releases it (or its lease runs out) or the time runs out. While held, the lock is renewed in the
 * background (an unref'd timer: it never keeps the process alive).
 */
export async function acquireWriteLock(store: Store, command: string, opts: LockOptions = {}): Promise<WriteLock> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const leaseSeconds = Math.max(1, opts.leaseSeconds ?? DEFAULT_LEASE_SECONDS);
  const deadline = now() + (opts.waitSeconds ?? 0) * 1000;
  const token = randomBytes(8).toString('hex');
  for (;;) {
    const r = tryAcquire(store, command, token, { now, leaseSeconds });
    if (r.took) {
      const h = r.took.holder;
      opts.warn?.(`took over the writer lock of pid ${h.pid} on ${h.host} (\`${h.command}\` since ${h.acquiredAt}): ${r.took.reason}`);
    }
    if (!r.held) break;
    if (now() >= deadline) {
      const h = r.held.holder;
      throw new LockedError(
        `another merchant process holds the database lock: pid ${h.pid} on ${h.host} running \`${h.command}\` since ${h.acquiredAt} (${r.held.reason})`,
        {
          hints: [
            'wait for it to finish, or retry with --wait <seconds>',
            r.held.verifiedAlive
              ? `it is running on this machine: if it is stuck, stop it (kill ${h.pid}) and run again`
              : `if that process is gone (another machine or container), \`merchant unlock\` clears the lock now; otherwise it is taken over once its lease (${duration(h.leaseSeconds * 1000)}) runs out`,
          ],
          details: { ...h, state: r.held.state },
        },
      );
    }
    await sleep(Math.min(200, Math.max(10, deadline - now())));
  }
  return heldLock(store, token, now, leaseSeconds, opts);
}

function heldLock(store: Store, token: string, now: () => number, leaseSeconds: number, opts: LockOptions): WriteLock {
  let released = false;
  let lost = false;
  let retry: NodeJS.Timeout | undefined;
  const renew = (): void => {
    retry = undefined;
    if (released || lost || !store.db.open) return;
    // Inside a transaction of this connection (an import spans awaits) the row cannot be renewed on its
    // own — and nobody else can take it either, SQLite's write lock is ours. Renew right after.
    if (store.db.inTransaction) {
      retry = setTimeout(renew, 100);
      retry.unref();
      return;
    }
    try {
      const r = store.db.prepare('UPDATE lock SET heartbeat_at = ? WHERE name = ? AND token = ?').run(new Date(now()).toISOString(), 'writer', token);
      if (r.changes === 0) {
        lost = true;
        opts.warn?.('the writer lock of this run was cleared or taken over by another merchant process (`merchant unlock`, or its lease ran out); finish or stop this run and check with `merchant doctor`');
      }
    } catch {
      /* busy or closing: the next beat tries again */
    }
  };
  const every = opts.renewEveryMs ?? Math.max(1000, Math.floor((leaseSeconds * 1000) / 5));
  const timer = setInterval(renew, every);
  timer.unref();
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      if (!store.db.open) return;
      store.db.prepare('DELETE FROM lock WHERE name = ? AND token = ?').run('writer', token);
    },
  };
}
