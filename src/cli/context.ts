// The context every command receives (gh's Factory): IO, prompter, clock, configuration, the store,
// credentials and the writer lock, each created lazily so `merchant --help` touches none of them.

import { existsSync, mkdirSync } from 'node:fs';
import { IO } from './io.js';
import { Prompter } from './prompter.js';
import { Config } from '../config/config.js';
import { CredentialStore } from '../config/credentials.js';
import { resolveHome, homePaths } from '../config/home.js';
import { openStore, type Store } from '../store/db.js';
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

  /** The store, opened (created and migrated if needed) on first use. */
  store(opts: { create?: boolean } = {}): Store {
    if (!this._store) {
      if (opts.create !== false && !this.globals.db && !this.env.MERCHANT_DB) this.ensureHome();
      this._store = openStore(this.paths.db, { create: opts.create ?? true });
    }
    return this._store;
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
