// Low-level storage and file failures (SQLite result codes, fs errno, csv-parse errors that escaped a
// reader) turned into the typed errors of core/errors.ts, with what to do next.

import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInputError, LockedError, StorageError, UsageError, type MerchantError } from '../core/errors.js';

const SQLITE_MESSAGES: Record<string, string> = {
  SQLITE_FULL: 'the disk is full',
  SQLITE_READONLY: 'the database is read-only (read-only file system or file permissions)',
  SQLITE_CANTOPEN: 'the database file cannot be opened (missing folder, permissions or a read-only file system)',
  SQLITE_IOERR: 'the disk reported an I/O error',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the file is not a merchant database',
  SQLITE_PERM: 'access to the database was denied',
};

const FS_MESSAGES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EDQUOT: 'the disk quota is exhausted',
  EIO: 'the disk reported an I/O error',
};

/**
 * Turn low-level storage failures (SQLite result codes, fs errno) into a clear StorageError. SQLite
 * rolls back the transaction and files are written atomically, so "nothing was changed" is true.
 */
export function classifySystemError(e: unknown, dbPath?: string): MerchantError | undefined {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string') return undefined;
  let base = code.startsWith('SQLITE_IOERR') ? 'SQLITE_IOERR' : code.startsWith('SQLITE_READONLY') ? 'SQLITE_READONLY' : code.startsWith('SQLITE_CANTOPEN') ? 'SQLITE_CANTOPEN' : code.startsWith('SQLITE_CORRUPT') ? 'SQLITE_CORRUPT' : code;
  // csv-parse errors that escaped a reader: still bad input, not a bug.
  if (code.startsWith('CSV_') || (e as Error).constructor?.name === 'CsvError') {
    const lines = (e as { lines?: number }).lines;
    return new InvalidInputError(`the file is not valid CSV${lines ? ` (near line ${lines})` : ''}: ${(e as Error).message}; nothing was written`, {
      hints: ['check the file is the export you meant, saved as CSV (not a spreadsheet or a binary file)'],
      cause: e,
    });
  }
  if (base === 'SQLITE_BUSY' || base === 'SQLITE_LOCKED') {
    return new LockedError('the database stayed busy (another merchant process is writing to it)', { hints: ['retry with --wait <seconds>'], cause: e });
  }
  // A table or column this version expects is not there: a database from a development build whose
  // schema was edited before release (same user_version, other tables). Not a bug to report, not input.
  if (base === 'SQLITE_ERROR' && /^no such (table|column)/.test((e as Error).message)) {
    return new StorageError(`the database${dbPath ? ` ${dbPath}` : ''} does not have the tables this version of merchant expects (${(e as Error).message}); it was probably created by a development build. Nothing was written`, {
      hints: [`move it aside${dbPath ? ` (mv ${dbPath} ${dbPath}.old)` : ''} or point --home / --db elsewhere, then run the command again`],
      cause: e,
    });
  }
  // SQLite reports ENOSPC on write as a generic I/O error: look at the free space to say which.
  if (base === 'SQLITE_IOERR' && dbPath && diskNearlyFull(dbPath)) base = 'SQLITE_FULL';
  const sqlite = SQLITE_MESSAGES[base];
  if (sqlite) {
    const hint = base === 'SQLITE_FULL' ? 'free some disk space and run the command again' : base === 'SQLITE_CORRUPT' || base === 'SQLITE_NOTADB' ? 'restore the last backup (README: "Where data lives, and backups")' : 'check the folder with `merchant doctor`, or point --home / --db elsewhere';
    return new StorageError(`${sqlite}; the change was rolled back and nothing was written`, { hints: [hint], cause: e });
  }
  const path = (e as { path?: string }).path;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    const what = code === 'EISDIR' ? 'is a folder, not a file' : ': no such file or folder';
    const shown = path ? path.replace(/\/\.([^/]+)\.\d+(\.[0-9a-f]+)?\.tmp$/, '/$1') : undefined;
    return new UsageError(`${shown ?? 'the path'}${what.startsWith(':') ? what : ` ${what}`}; nothing was written`, { hints: ['check the path given to --output / --home / --db, or the file name'], cause: e });
  }
  const fsMsg = FS_MESSAGES[code];
  if (fsMsg) {
    return new StorageError(`${fsMsg}${path ? ` (${path})` : ''}; nothing was written`, { hints: [code === 'ENOSPC' || code === 'EDQUOT' ? 'free some disk space and run the command again' : 'check the folder permissions, or point --home / --output elsewhere'], cause: e });
  }
  return undefined;
}

function diskNearlyFull(path: string): boolean {
  try {
    const st = statfsSync(dirname(path));
    return Number(st.bavail) * Number(st.bsize) < 1024 * 1024;
  } catch {
    return false;
  }
}
