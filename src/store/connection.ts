// What every connection to the store sets for itself: these are per-connection settings, the file
// keeps none of them. store/db.ts opens the main connection with them, and the price writer thread
// (store/price-writer-worker.ts) its own — one list, so the two cannot drift apart. No other import:
// the writer thread loads this without the migrations and repositories. Also here: which paths name a
// file other connections can share (not ':memory:', not the scratch store of a dry run).

import type Database from 'better-sqlite3';

/**
 * Integers as BigInt (money never passes through a float), a busy timeout instead of an immediate
 * SQLITE_BUSY, foreign keys enforced, and WAL's NORMAL sync (durable at checkpoints).
 */
export function configureConnection(db: Database.Database, busyTimeoutMs: number): void {
  db.defaultSafeIntegers(true);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
}

/**
 * The path of a scratch store: SQLite's private temporary database (an empty file name), on disk in the
 * temp folder and deleted when it is closed. What a command that works without a database (a dry run of
 * an import before onboarding) writes into: unlike ':memory:', its pages spill to disk once the page
 * cache is full, so a million-row dry run keeps the memory a real import does.
 */
export const SCRATCH_DB = '';

/** Whether the store lives in a file other processes (and threads) can open: not :memory:, not scratch. */
export function isSharedFile(path: string): boolean {
  return path !== ':memory:' && path !== SCRATCH_DB;
}
