// The only module family that imports better-sqlite3. Opens the one SQLite file in WAL mode with a
// busy timeout and foreign keys, migrates it, and hands out typed access. Integers come back as
// BigInt (safe integers) so money columns never pass through a float.

import Database from 'better-sqlite3';
import { mkdirSync, existsSync, statSync, openSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrate, schemaVersion, LATEST_VERSION } from './migrate.js';
import { crashPoint } from '../services/crashpoint.js';
import { InvalidInputError, NotConfiguredError, UsageError } from '../core/errors.js';
import { classifySystemError } from './system-errors.js';
import { configureConnection, isSharedFile } from './connection.js';
export { SCRATCH_DB } from './connection.js';
import type { Repositories } from '../ports/repositories.js';
import { attachRepositories } from './repos/index.js';

export type DB = Database.Database;
export type Statement = Database.Statement;

/** The SQLite store: the connection for code under src/store, and the repositories for everyone else. */
export interface Store extends Repositories {
  readonly db: DB;
  readonly path: string;
  /** Run fn in one transaction (BEGIN IMMEDIATE): all of it lands or none of it does. */
  tx<T>(fn: () => T): T;
  close(): void;
}

export interface OpenOptions {
  /** Create the file (and its folder) if missing. Default true. */
  create?: boolean;
  /** Open read-only; never migrates. */
  readonly?: boolean;
  busyTimeoutMs?: number;
}

export function openStore(path: string, opts: OpenOptions = {}): Store {
  const create = opts.create ?? true;
  if (isSharedFile(path) && existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`the database path ${path} is a folder, not a database file`, {
      hints: [`point --db (or MERCHANT_DB) at a file, e.g. ${join(path, 'merchant.db')}; or leave it out to use $MERCHANT_HOME/merchant.db`],
    });
  }
  if (isSharedFile(path) && !existsSync(path)) {
    if (!create || opts.readonly) {
      throw new NotConfiguredError(`no database at ${path}`, { hints: ['run `merchant onboard` to create one, or pass --db <path>'] });
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Created 0600, like the credentials: it holds the business profile, orders and customers'
    // addresses. SQLite gives its -wal and -shm files the database file's permissions.
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // (another merchant created it meanwhile)
    }
  }
  let db: DB;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: !create });
  } catch (e) {
    const classified = classifySystemError(e, path);
    if (classified) throw classified;
    throw new UsageError(`cannot open database ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    configureConnection(db, opts.busyTimeoutMs ?? 5000);
    // Check the version before anything that writes (even switching to WAL rewrites the header).
    const version = schemaVersion(db);
    if (version > LATEST_VERSION) {
      throw new InvalidInputError(
        `the database ${path} was written by a newer merchant (schema ${version}; this one knows up to ${LATEST_VERSION}); it was left untouched`,
        { hints: ['upgrade merchant (npm install -g merchant@latest), or point --db at another file'] },
      );
    }
    if (!opts.readonly) db.pragma('journal_mode = WAL');
    if (!opts.readonly) migrate(db);
    else if (version < LATEST_VERSION) {
      throw new UsageError(`the database ${path} needs an upgrade (schema ${version} → ${LATEST_VERSION}); run any writing command once`);
    }
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || /not a database|malformed/i.test((e as Error).message)) {
      throw new InvalidInputError(`${path} is not a merchant database or is corrupt: ${(e as Error).message}`, {
        hints: ['restore it from a backup (see README "Where data lives"), or move it aside and run `merchant onboard`'],
        cause: e,
      });
    }
    throw e;
  }
  const store = {
    db,
    path,
    tx<T>(fn: () => T): T {
      const result = db.transaction(() => {
        const r = fn();
        crashPoint('tx.before-commit'); // kill -9 inside a transaction: SQLite must roll it back
        return r;
      }).immediate();
      crashPoint('tx.after-commit'); // kill -9 between two transactions: the next run must resume
      return result;
    },
    close() {
      if (db.open) db.close();
    },
  };
  return attachRepositories(store);
}

/** SQLite integers arrive as BigInt; use this for counts and ids that are known to be small. */
export function num(v: bigint | number | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Money columns: always BigInt, whatever the driver handed back. */
export function big(v: bigint | number | null | undefined): bigint {
  if (v === null || v === undefined) return 0n;
  return typeof v === 'bigint' ? v : BigInt(v);
}
