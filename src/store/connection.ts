// What every connection to the store sets for itself: these are per-connection settings, the file
// keeps none of them. store/db.ts opens the main connection with them, and the price writer thread
// (store/price-writer-worker.ts) its own — one list, so the two cannot drift apart. No other import:
// the writer thread loads this without the migrations and repositories.

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
