// A damaged page must not go unnoticed until it is in every backup: a writing command checks the
// database with `PRAGMA quick_check` before it changes anything (so a damaged file is refused, exit 3,
// and left exactly as it was). quick_check reads every page, so its cost grows with the file
// (measured: ~3 s for a 250 MB catalogue of 1,000,000 SKUs on a busy 2-core machine; a few ms for a
// shop's usual few MB). Up to QUICK_CHECK_ALWAYS_BYTES every writing command checks; above that, the
// first writing command of each day does (the nightly cron pays it once), and `merchant doctor`
// always does. Corruption met in the middle of any command is reported by system-errors.ts.

import { statSync } from 'node:fs';
import { InvalidInputError } from '../core/errors.js';
import type { Store } from './db.js';
import { isSharedFile } from './connection.js';

/** Databases up to this size are checked by every writing command. */
export const QUICK_CHECK_ALWAYS_BYTES = 32 * 1024 * 1024;
/** Larger ones once per this period. */
export const QUICK_CHECK_EVERY_MS = 24 * 3600 * 1000;
const SETTING = 'store.quickCheckAt';

function sizeOf(store: Store): number {
  try {
    // (The WAL holds recent pages too; quick_check reads through it.)
    return statSync(store.path).size + (statSync(`${store.path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Whether this writing command checks the database first (see the header): 'always' (a small file),
 * 'daily' (a large one whose last check is a day old: record the new one after it passes), or false.
 */
export function quickCheckDue(store: Store, nowMs: number, alwaysBytes = QUICK_CHECK_ALWAYS_BYTES): 'always' | 'daily' | false {
  if (!isSharedFile(store.path)) return false;
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING) as { value: string } | undefined;
  const last = row ? Date.parse(row.value) : Number.NaN;
  const stale = !Number.isFinite(last) || nowMs - last >= QUICK_CHECK_EVERY_MS || nowMs < last;
  // A small file is checked every time; the day's first check is recorded whatever the size, so a file
  // that grows past the limit during the day (a first import) is not checked again until tomorrow.
  if (stale) return 'daily';
  return sizeOf(store) <= alwaysBytes ? 'always' : false;
}

/**
 * PRAGMA quick_check; throws InvalidInputError (exit 3) naming what it found when the file is damaged.
 * Reads only: a damaged database is left byte for byte as it was.
 */
export function assertIntact(store: Store): void {
  let found: string[];
  try {
    found = (store.db.pragma('quick_check(20)') as Array<{ quick_check: string }>).map((r) => String(r.quick_check));
  } catch (e) {
    found = [(e as Error).message];
  }
  if (found.length === 1 && found[0] === 'ok') return;
  throw new InvalidInputError(`the database ${store.path} is damaged (PRAGMA quick_check: ${found[0]}${found.length > 1 ? `; and ${found.length - 1} more finding${found.length > 2 ? 's' : ''}` : ''}); nothing was changed`, {
    hints: [
      'restore the last backup (README: "Where data lives, and backups"): stop merchant, copy the backup over the file',
      `without a backup, sqlite3 can often salvage the rest: sqlite3 ${store.path} ".recover" | sqlite3 recovered.db`,
      '`merchant doctor` shows the check again',
    ],
    details: { quickCheck: found },
  });
}

/** Remember when the last full check passed (written under the writer lock). */
export function recordQuickCheck(store: Store, nowMs: number): void {
  const at = new Date(nowMs).toISOString();
  store.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(SETTING, at, at);
}
