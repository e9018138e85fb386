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
