import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
// Typed errors carry the user-facing message and the next step. Only cli/main.ts turns them
// into exit codes (PRODUCT.md §3). Services and core throw these; they never call process.exit.

export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  INVALID_INPUT: 3,
  PARTIAL: 4,
  LOCKED: 5,
  REMOTE: 6,
  NOT_CONFIGURED: 7,
  INTERRUPTED: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_HELP: ReadonlyArray<[number, string, string]> = [
  [0, 'success', 'everything asked for was done (an empty result is a success)'],
  [1, 'internal error', 'a bug in merchant; run again with --verbose and report it'],
  [2, 'usage error', 'a flag or argument is missing or wrong; nothing was done'],
  [3, 'invalid input data', 'a file or value failed validation; nothing was written'],
  [4, 'partial failure', 'some items failed or were held, the rest applied; details in the output'],
  [5, 'locked', 'another merchant process holds the database lock (use --wait <seconds>)'],
  [6, 'remote failure', 'a marketplace or carrier was unreachable or rejected the request after retries'],
  [7, 'not configured', 'run `merchant onboard` or `merchant marketplace connect` first'],
];

export abstract class MerchantError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** Short machine-readable code for --json error output. */
  abstract readonly code: string;
  /** What the user can do next, one line each. */
  readonly hints: string[];
  /** Extra structured data for --json output (never secrets). */
  readonly details?: unknown;
  constructor(message: string, opts: { hints?: string[]; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = new.target.name;
    this.hints = opts.hints ?? [];
    this.details = opts.details;
  }
}

/** Bad flag, argument or missing answer without a TTY. Exit 2. */
export class UsageError extends MerchantError {
  readonly exitCode = ExitCode.USAGE;
  readonly code = 'usage';
}

/** One problem found in input data, with its location. */
export interface InputProblem {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  value?: string;
  rule: string;
  message: string;
  sku?: string;
  item?: string;
}

export function formatProblem(p: InputProblem): string {
  const where = p.file ? `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.column !== undefined ? `:${p.column}` : ''}: ` : '';
  const field = p.field ? `${p.field}: ` : '';
  return `${where}${field}${p.message}`;
}

/** Input data failed validation; nothing was written. Exit 3. */
export class InvalidInputError extends MerchantError {
  readonly exitCode = ExitCode.INVALID_INPUT;
  readonly code = 'invalid_input';
  readonly problems: InputProblem[];
  constructor(message: string, opts: { problems?: InputProblem[]; hints?: string[]; details?: unknown; cause?: unknown } = {}) {
    super(message, opts);
    this.problems = opts.problems ?? [];
  }
}

/** Some items failed or were held, the rest applied. Exit 4. Render the result (including the --json document) first, then throw this: main prints only its message, on stderr. */
export class PartialFailure extends MerchantError {
  readonly exitCode = ExitCode.PARTIAL;
  readonly code = 'partial_failure';
}

/** Another writer holds the lock. Exit 5. */
export class LockedError extends MerchantError {
  readonly exitCode = ExitCode.LOCKED;
  readonly code = 'locked';
}

/** A remote API failed after retries, or rejected auth. Exit 6. */
export class RemoteError extends MerchantError {
  readonly exitCode = ExitCode.REMOTE;
  readonly code = 'remote_failure';
  readonly status?: number;
  readonly apiCode?: string;
  readonly service?: string;
  constructor(
    message: string,
    opts: { status?: number; apiCode?: string; service?: string; hints?: string[]; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, opts);
    this.status = opts.status;
    this.apiCode = opts.apiCode;
    this.service = opts.service;
  }
}

/** Nothing to talk to yet: no profile, no marketplace or carrier account. Exit 7. */
export class NotConfiguredError extends MerchantError {
  readonly exitCode = ExitCode.NOT_CONFIGURED;
  readonly code = 'not_configured';
}

/** The user declined a confirmation or pressed Ctrl-C at a prompt. */
export class CancelledError extends MerchantError {
  readonly exitCode = ExitCode.INTERRUPTED;
  readonly code = 'cancelled';
}

/** Something that should never happen; exit 1 with a bug-report hint. */
export class BugError extends MerchantError {
  readonly exitCode = ExitCode.INTERNAL;
  readonly code = 'internal';
}

export function isMerchantError(e: unknown): e is MerchantError {
  return e instanceof MerchantError;
}

/** The machine refused a write or read: disk full, read-only file system, permissions, I/O error. */
export class StorageError extends MerchantError {
  readonly exitCode = ExitCode.INTERNAL;
  readonly code = 'storage';
}

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
