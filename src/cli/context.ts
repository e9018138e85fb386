// The context every command receives (gh's Factory): IO, prompter, clock, configuration, the store,
// credentials and the writer lock, each created lazily so `merchant --help` touches none of them.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { classifySystemError } from '../store/system-errors.js';

/** A read on a read-only disk copies databases up to this size to read them (bytes). */
const SNAPSHOT_LIMIT = 512 * 1024 * 1024;
import { NotConfiguredError, StorageError, UsageError } from '../core/errors.js';
import { IO } from './io.js';
import { Prompter } from './prompter.js';
import { Config } from '../config/config.js';
import { CredentialStore } from '../config/credentials.js';
import { resolveHome, homePaths } from '../config/home.js';
import { openStore, SCRATCH_DB, type Store } from '../store/db.js';
import { acquireWriteLock, DEFAULT_LEASE_SECONDS, type WriteLock } from '../store/lock.js';
import { assertIntact, quickCheckDue, recordQuickCheck } from '../store/integrity.js';
import { profileTimeZone } from '../store/repos/seller-zone.js';

export interface Clock {
  now(): Date;
}

export interface GlobalOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  input: boolean;
  pager: boolean;
  db?: string;
  home?: string;
  wait?: number;
}

export interface CtxInit {
  io: IO;
  env?: Record<string, string | undefined>;
  cwd?: string;
  clock?: Clock;
  argv?: string[];
}

export class Ctx {
  readonly io: IO;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  readonly clock: Clock;
  readonly prompt: Prompter;
  readonly argv: string[];
  globals: GlobalOptions = { json: false, quiet: false, verbose: false, color: true, input: true, pager: true };
  /** The running command only reads (cli/read-commands.ts): the store is never created or migrated for it. */
  readOnly = false;
  /** The running command needs no existing data (cli/read-commands.ts WORKS_WITHOUT_DATABASE). */
  worksWithoutDatabase = false;
  private _timeZone?: string;
  private _store?: Store;
  private _config?: Config;
  private _credentials?: CredentialStore;
  private locks: WriteLock[] = [];
  private cleanups: Array<() => void | Promise<void>> = [];

  constructor(init: CtxInit) {
    this.io = init.io;
    this.env = init.env ?? init.io.env;
    this.cwd = init.cwd ?? process.cwd();
    this.argv = init.argv ?? [];
    // MERCHANT_NOW pins the clock (tests, reproducible demos); otherwise the real time.
    const pinned = this.env.MERCHANT_NOW;
    this.clock = init.clock ?? (pinned ? { now: () => new Date(pinned) } : { now: () => new Date() });
    this.prompt = new Prompter(this.io);
    this.io.pagerSetting = () => {
      const v = this.config().fileEntries().pager;
      return v === undefined || v === null ? undefined : String(v);
    };
    this.io.timeZone = () => this.timeZone();
  }

  /**
   * The zone a terminal shows times in: the business profile's, else this computer's (before
   * onboarding), else UTC. Never creates a database to find out.
   */
  timeZone(): string {
    if (this._timeZone) return this._timeZone;
    let zone: string | null = null;
    try {
      if (this.storeExists()) zone = profileTimeZone(this.store({ create: false }));
    } catch {
      zone = null; // a database we cannot read is reported by the command itself
    }
    zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      zone = 'UTC';
    }
    this._timeZone = zone;
    return zone;
  }

  setGlobals(g: Partial<GlobalOptions>): void {
    this.globals = { ...this.globals, ...g };
    this.io.setFlags({ json: this.globals.json, quiet: this.globals.quiet, verbose: this.globals.verbose, color: this.globals.color, input: this.globals.input, pager: this.globals.pager });
  }

  get home(): string {
    return resolveHome(this.env, this.globals.home);
  }

  get paths() {
    const p = homePaths(this.home);
    return { ...p, db: this.globals.db ?? this.env.MERCHANT_DB ?? p.db };
  }

  /** Make sure MERCHANT_HOME exists (0700) and return its paths. */
  ensureHome() {
    const p = this.paths;
    mkdirSync(p.home, { recursive: true, mode: 0o700 });
    return p;
  }

  config(flags: Record<string, string | undefined> = {}): Config {
    if (!this._config || Object.keys(flags).length) this._config = new Config(this.paths.config, this.env, flags);
    return this._config;
  }

  credentials(): CredentialStore {
    if (!this._credentials) this._credentials = new CredentialStore(this.paths.credentials, this.env);
    return this._credentials;
  }

  /** True when the database path came from --db or MERCHANT_DB (the user typed it). */
  get dbGiven(): boolean {
    return Boolean(this.globals.db ?? this.env.MERCHANT_DB);
  }

  /**
   * The store, opened on first use. Writing commands create (and migrate) it; a read command never
   * creates one: without a database it is "not configured" (exit 7). A --db path whose folder does not
   * exist is a usage error (exit 2), never a folder created on a typo.
   */
  store(opts: { create?: boolean } = {}): Store {
    if (this._store) return this._store;
    const path = this.paths.db;
    const given = this.dbGiven;
    if (given && path !== ':memory:' && !existsSync(dirname(path))) {
      throw new UsageError(`--db ${path}: the folder ${dirname(path)} does not exist`, { hints: ['check the path, or create the folder first'] });
    }
    const create = opts.create ?? !this.readOnly;
    if (!create && path !== ':memory:' && !existsSync(path)) {
      if (this.worksWithoutDatabase && !given) {
        this._store = openStore(SCRATCH_DB, { create: true });
        return this._store;
      }
      throw new NotConfiguredError(given ? `no database at ${path}` : `no merchant database yet (${path})`, {
        hints: given ? ['check the --db path (MERCHANT_DB); `merchant onboard --db PATH` creates a new database there'] : ['run `merchant onboard` first: it creates the database'],
      });
    }
    if (create && !given) this.ensureHome();
    try {
      this._store = openStore(path, { create });
    } catch (e0) {
      const e = e0 instanceof StorageError ? e0 : classifySystemError(e0, path);
      if (!(e instanceof StorageError)) throw e0;
      const why = e.message.replace(/; the change was rolled back and nothing was written$/, '');
      // A read needs no write access: a database on a read-only disk (or without write permission)
      // is read read-only, or from a snapshot when SQLite cannot share its WAL index there.
      if (this.readOnly) {
        const snapshot = this.readOnlySnapshot(path);
        if (snapshot) return snapshot;
        throw new StorageError(`cannot read the database ${path}: ${why}`, { hints: e.hints, cause: e0 });
      }
      // A path the user gave that cannot be opened is a bad argument, not a bug (exit 2, not 1).
      if (given) throw new UsageError(`--db ${path}: ${why}; nothing was written`, { hints: ['point --db (MERCHANT_DB) at a database you can write, or fix its permissions'], cause: e0 });
      throw e;
    }
    return this._store;
  }

  /**
   * For a read on a read-only disk: open the database read-only, or else a private copy of it (and of
   * its WAL) in the temp folder, removed at exit. SQLite cannot open a WAL database read-only where it
   * cannot create the shared-memory index next to it. Large databases are not copied.
   */
  private readOnlySnapshot(path: string): Store | undefined {
    try {
      this._store = openStore(path, { readonly: true });
      return this._store;
    } catch {
      /* try a copy */
    }
    try {
      if (statSync(path).size > SNAPSHOT_LIMIT) return undefined;
      const dir = mkdtempSync(join(tmpdir(), 'merchant-read-'));
      this.onClose(() => rmSync(dir, { recursive: true, force: true }));
      const copy = join(dir, 'merchant.db');
      copyFileSync(path, copy);
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
      this._store = openStore(copy, { create: false });
      this.io.warn(`${path} cannot be written (read-only disk or permissions): reading a snapshot of it`);
      return this._store;
    } catch {
      return undefined;
    }
  }

  /** True when the database file exists (commands that only read can skip creating one). */
  storeExists(): boolean {
    return this._store !== undefined || existsSync(this.paths.db);
  }

  /**
   * Take the single-writer lock for this command (exit 5 if held, or wait with --wait). A damaged
   * database is refused first (exit 3, nothing changed; store/integrity.ts says when it is checked).
   */
  async writeLock(command: string): Promise<WriteLock> {
    const store = this.store();
    const now = () => this.clock.now().getTime();
    const check = quickCheckDue(store, now());
    if (check) assertIntact(store);
    const lock = await acquireWriteLock(store, command, {
      waitSeconds: this.globals.wait ?? 0,
      now,
      leaseSeconds: this.config().getNumber('lock.leaseSeconds', DEFAULT_LEASE_SECONDS),
      warn: (m) => this.io.warn(m),
    });
    this.locks.push(lock);
    if (check === 'daily') recordQuickCheck(store, now());
    return lock;
  }

  onClose(fn: () => void | Promise<void>): void {
    this.cleanups.push(fn);
  }

  async close(): Promise<void> {
    await this.io.endPager();
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch {
        /* best effort */
      }
    }
    for (const l of this.locks) l.release();
    this.locks = [];
    this._store?.close();
    this._store = undefined;
  }
}
