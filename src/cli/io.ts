// Injected streams (after gh's IOStreams and Vercel's Client): every command writes through an IO,
// so tests run commands in-process with fake streams and decide what is a TTY.
// Policy (PRODUCT.md §3): data → stdout; progress, prompts, warnings, errors → stderr. Colour only
// on a TTY, never with NO_COLOR / --no-color / TERM=dumb / --json; FORCE_COLOR forces it on.
// chalk ignores NO_COLOR by itself, so we build our own Chalk instances with an explicit level.

import { Chalk, type ChalkInstance } from 'chalk';
import { Writable, type Readable } from 'node:stream';
import { launchPager, pagerCommand, type PagerSession } from './pager.js';

export interface Spinner {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

export interface Progress {
  tick(n?: number): void;
  /** A better estimate of the total (e.g. rows estimated from the bytes read so far). */
  setTotal?(n: number): void;
  done(text?: string): void;
}

export interface IOOptions {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  isStdoutTTY: boolean;
  isStderrTTY: boolean;
  isStdinTTY: boolean;
  env: Record<string, string | undefined>;
  /** Terminal width (default 100; charts and prompts draw to it). */
  columns?: number;
  /**
   * Width tables are fitted to: by default the terminal's when stdout is one, none on a pipe (a pipe
   * never truncates). null: never fit (the demo shows tables to a pipe).
   */
  fitWidth?: number | null;
  /** May long output start a pager (only the real process's terminal: never fake streams). */
  pager?: boolean;
}

export interface OutputFlags {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean; // false when --no-color
  input: boolean; // false when --no-input
  pager: boolean; // false when --no-pager
}

/** A stream that keeps what is written to it in `into` (output held back, to be written later). */
function collecting(into: Array<string | Uint8Array>): Writable {
  return new Writable({
    write(chunk: string | Uint8Array, _enc, cb) {
      into.push(chunk);
      cb();
    },
  });
}

export class IO {
  private readonly realStdout: Writable;
  private readonly realStderr: Writable;
  readonly stdin: Readable;
  readonly isStdoutTTY: boolean;
  readonly isStderrTTY: boolean;
  readonly isStdinTTY: boolean;
  readonly env: Record<string, string | undefined>;
  readonly columns: number;
  readonly fitWidth: number | undefined;
  flags: OutputFlags = { json: false, quiet: false, verbose: false, color: true, input: true, pager: true };
  private _chalk?: ChalkInstance;
  private _chalkErr?: ChalkInstance;
  private readonly pagerAllowed: boolean;
  private pagerSession?: PagerSession;
  /** stderr lines written while the pager owns the terminal, shown once it has quit. */
  private deferredErr: Array<string | Uint8Array> = [];
  private deferringStderr?: Writable;
  /** The `pager` setting (the Ctx supplies it: the config file is read only when a pager may start). */
  pagerSetting: () => string | undefined = () => undefined;
  /** The seller's time zone (the Ctx supplies it from the business profile). */
  timeZone: () => string = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  constructor(o: IOOptions) {
    this.realStdout = o.stdout;
    this.realStderr = o.stderr;
    this.stdin = o.stdin;
    this.isStdoutTTY = o.isStdoutTTY;
    this.isStderrTTY = o.isStderrTTY;
    this.isStdinTTY = o.isStdinTTY;
    this.env = o.env;
    this.columns = o.columns ?? 100;
    this.fitWidth = o.fitWidth === null ? undefined : (o.fitWidth ?? (o.isStdoutTTY ? this.columns : undefined));
    this.pagerAllowed = Boolean(o.pager);
  }

  /** Where data goes: held (holdStdout), the pager while one runs, else stdout. */
  get stdout(): Writable {
    return this.holding ?? this.pagerSession?.input ?? this.realStdout;
  }

  private holding?: Writable;
  /**
   * Render data now and show it later: what is written to stdout until release() is kept in memory,
   * then written out (or dropped by discard()). `prices update` renders its diff this way while its
   * writer thread commits, and shows it only once the prices are written — never a diff of a run that
   * then failed. Not for a terminal (a pager may start): callers hold only a pipe or a file.
   */
  holdStdout(): { release(): Promise<boolean>; discard(): void } {
    const held: Array<string | Uint8Array> = [];
    this.holding = collecting(held);
    return {
      release: async () => {
        this.holding = undefined;
        for (const chunk of held.splice(0)) if (!(await this.write(chunk))) return false;
        return !this.outputClosed;
      },
      discard: () => {
        this.holding = undefined;
        held.length = 0;
      },
    };
  }

  /** Where messages go. While a pager owns the terminal they wait, and follow once it has quit. */
  get stderr(): Writable {
    if (!this.pagerSession) return this.realStderr;
    if (!this.deferringStderr) this.deferringStderr = collecting(this.deferredErr);
    return this.deferringStderr;
  }

  /** True once the reader of our output has gone (the pager quit early): stop producing output. */
  get outputClosed(): boolean {
    return this.pagerSession?.gone ?? false;
  }

  /**
   * Send what follows on stdout through the pager, if this is a terminal that may have one. Commands
   * call it (through printRows / printFields) just before their data, so anything they say first on
   * stderr is shown first, and never before they prompt.
   */
  async startPager(opts: { chop?: boolean } = {}): Promise<void> {
    if (this.pagerSession || !this.pagerAllowed || !this.isStdoutTTY || !this.flags.pager || this.flags.json) return;
    if (this.env.TERM === 'dumb') return;
    let setting: string | undefined;
    try {
      setting = this.pagerSetting();
    } catch {
      setting = undefined; // an unreadable config file is reported by whatever reads it next
    }
    const command = pagerCommand(this.env, setting);
    if (!command) return;
    this.pagerSession = (await launchPager(command, this.env, opts)) ?? undefined;
  }

  /** Close the pager (if one runs), wait until it has quit, then show the messages held meanwhile. */
  async endPager(): Promise<void> {
    const session = this.pagerSession;
    if (!session) return;
    await session.finish();
    this.pagerSession = undefined;
    this.deferringStderr = undefined;
    for (const chunk of this.deferredErr.splice(0)) this.realStderr.write(chunk);
  }

  /**
   * Write data, waiting while the reader (a pager, a slow pipe) is behind, so a long listing never
   * piles up in memory. False once the reader has gone.
   */
  async write(chunk: string | Uint8Array): Promise<boolean> {
    if (this.outputClosed) return false;
    const s = this.stdout;
    if (!s.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          s.off('drain', done);
          s.off('close', done);
          s.off('error', done);
          resolve();
        };
        s.on('drain', done);
        s.on('close', done);
        s.on('error', done);
      });
    }
    return !this.outputClosed;
  }

  static fromProcess(): IO {
    // `merchant … | head`: the reader went away. Stop quietly, as Unix tools do; any open
    // transaction is rolled back by SQLite.
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
        throw e;
      });
    }
    const isStdoutTTY = Boolean(process.stdout.isTTY);
    // A pseudo-terminal nobody has sized (script(1) without a terminal) reports 0 columns.
    const columns = (isStdoutTTY && process.stdout.columns) || Number(process.env.COLUMNS) || (isStdoutTTY ? 80 : undefined);
    return new IO({
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      isStdoutTTY,
      isStderrTTY: Boolean(process.stderr.isTTY),
      isStdinTTY: Boolean(process.stdin.isTTY),
      env: process.env,
      columns,
      pager: isStdoutTTY,
    });
  }

  setFlags(flags: Partial<OutputFlags>): void {
    this.flags = { ...this.flags, ...flags };
    this._chalk = undefined;
    this._chalkErr = undefined;
  }

  /** Colour decision for one stream. */
  colorFor(isTTY: boolean): boolean {
    const env = this.env;
    if (!this.flags.color) return false;
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
    if (env.MERCHANT_NO_COLOR !== undefined && env.MERCHANT_NO_COLOR !== '') return false;
    const force = env.FORCE_COLOR;
    if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
    if (force === '0' || force === 'false') return false;
    if (env.TERM === 'dumb') return false;
    return isTTY;
  }

  /** Chalk for stdout (off for --json: JSON must never carry escape codes). */
  get chalk(): ChalkInstance {
    if (!this._chalk) this._chalk = new Chalk({ level: !this.flags.json && this.colorFor(this.isStdoutTTY) ? 1 : 0 });
    return this._chalk;
  }

  /** Chalk for stderr. */
  get chalkErr(): ChalkInstance {
    if (!this._chalkErr) this._chalkErr = new Chalk({ level: this.colorFor(this.isStderrTTY) ? 1 : 0 });
    return this._chalkErr;
  }

  /** Prompts need a human at both ends and no --no-input (gh's CanPrompt). CI=true also disables. */
  canPrompt(): boolean {
    if (!this.flags.input) return false;
    if (this.env.CI === 'true' || this.env.CI === '1') return false;
    return this.isStdinTTY && this.isStderrTTY;
  }

  /** Write data to stdout. */
  out(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A status line for humans on stderr (suppressed by --quiet and --json). */
  info(text: string): void {
    if (this.flags.quiet || this.flags.json) return;
    this.stderr.write(`${text}\n`);
  }

  /** Advice worth reading but not acting on (suppressed by --quiet and --json, unlike warn). */
  note(text: string): void {
    if (this.flags.quiet || this.flags.json) return;
    this.stderr.write(`${this.chalkErr.dim('note:')} ${text}\n`);
  }

  /**
   * The next step, with its full flags, for a person at a terminal: on stderr, only when stderr is a
   * terminal, never with --quiet or --json (a cron log gets no advice).
   */
  hint(command: string, why?: string): void {
    if (this.flags.quiet || this.flags.json || !this.isStderrTTY) return;
    this.stderr.write(`${this.chalkErr.dim('next:')} ${command}${why ? `  ${this.chalkErr.dim(`# ${why}`)}` : ''}\n`);
  }

  success(text: string): void {
    if (this.flags.quiet || this.flags.json) return;
    this.stderr.write(`${this.chalkErr.green('✓')} ${text}\n`);
  }

  /** Something the user must act on: shown even with --quiet (the cron job's log is where they see it). */
  warn(text: string): void {
    this.stderr.write(`${this.chalkErr.yellow('warning:')} ${text}\n`);
  }

  error(text: string): void {
    this.stderr.write(`${this.chalkErr.red('error:')} ${text}\n`);
  }

  /** --verbose diagnostics (already redacted by the caller) on stderr. */
  debug(text: string): void {
    if (!this.flags.verbose) return;
    this.stderr.write(`${this.chalkErr.dim(text)}\n`);
  }

  /** Animations only on an interactive stderr, never with --quiet/--json. */
  get animate(): boolean {
    return this.isStderrTTY && !this.flags.quiet && !this.flags.json && this.env.CI !== 'true' && this.env.TERM !== 'dumb';
  }

  spinner(text: string): Spinner {
    if (!this.animate) {
      return { update() {}, succeed: (t) => t && this.success(t), fail: (t) => t && this.warn(t), stop() {} };
    }
    return new LazyOraSpinner(this, text);
  }

  /** A progress bar with rate and ETA on a TTY stderr; silent elsewhere. */
  progress(label: string, total?: number, now: () => number = Date.now): Progress {
    if (!this.animate) return { tick() {}, done: () => {} };
    return new TtyProgress(this, label, total, now);
  }
}

class LazyOraSpinner implements Spinner {
  private ora?: import('ora').Ora;
  private text: string;
  constructor(
    private io: IO,
    text: string,
  ) {
    this.text = text;
    void import('ora').then(({ default: ora }) => {
      if (this.text === '\0stopped') return;
      this.ora = ora({ text: this.text, stream: this.io.stderr as NodeJS.WritableStream, isEnabled: true }).start();
    });
  }
  update(text: string) {
    this.text = text;
    if (this.ora) this.ora.text = text;
  }
  succeed(text?: string) {
    if (this.ora) this.ora.succeed(text ?? this.text);
    else this.io.success(text ?? this.text);
    this.text = '\0stopped';
  }
  fail(text?: string) {
    if (this.ora) this.ora.fail(text ?? this.text);
    else this.io.warn(text ?? this.text);
    this.text = '\0stopped';
  }
  stop() {
    this.ora?.stop();
    this.text = '\0stopped';
  }
}

class TtyProgress implements Progress {
  private count = 0;
  private started: number;
  private lastDraw = 0;
  /** Count at the first tick: rows done before the bar appeared are not part of its rate. */
  private base: number | undefined;
  constructor(
    private io: IO,
    private label: string,
    private total: number | undefined,
    private now: () => number,
  ) {
    this.started = now();
  }
  setTotal(n: number) {
    this.total = n;
  }
  tick(n = 1) {
    this.count += n;
    if (this.base === undefined) {
      this.base = this.count;
      this.started = this.now();
    }
    const t = this.now();
    if (t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.draw();
  }
  private draw() {
    const elapsed = Math.max(1, this.now() - this.started) / 1000;
    // (Over the first 0.2 s a rate is noise — a batch of rows in a few milliseconds: none is shown.)
    const rate = elapsed < 0.2 ? 0 : Math.round((this.count - (this.base ?? 0)) / elapsed);
    let line = `${this.label} ${this.count.toLocaleString('en-US')}`;
    if (this.total) {
      const pct = Math.min(100, Math.floor((this.count * 100) / this.total));
      const width = 24;
      const filled = Math.round((pct * width) / 100);
      const eta = rate > 0 ? Math.ceil((this.total - this.count) / rate) : 0;
      line = `${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${pct}% ${this.count.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}${rate ? ` · ${rate.toLocaleString('en-US')}/s · ETA ${eta}s` : ''}`;
    } else if (rate) {
      line += ` · ${rate.toLocaleString('en-US')}/s`;
    }
    this.io.stderr.write(`\r\x1b[2K${line}`);
  }
  done(text?: string) {
    this.io.stderr.write('\r\x1b[2K');
    if (text) this.io.success(text);
  }
}
