// The error vocabulary every layer throws: typed, carrying the user-facing message, the next steps
// (hints) and structured details for --json. This module imports nothing. Which exit code each kind
// means is decided in one place only, src/cli/exit-codes.ts (PRODUCT.md §3); services, core, store
// and adapters never call process.exit.

export abstract class MerchantError extends Error {
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
  readonly code: string = 'usage';
}

/**
 * A thing the user named (an order id, a SKU, a shipment, a rule, a location) does not exist. Exit 2,
 * like any bad argument, everywhere; `--json` errors say code "not_found" so scripts can tell it apart.
 */
export class NotFoundError extends UsageError {
  override readonly code: string = 'not_found';
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
  readonly code = 'invalid_input';
  readonly problems: InputProblem[];
  constructor(message: string, opts: { problems?: InputProblem[]; hints?: string[]; details?: unknown; cause?: unknown } = {}) {
    super(message, opts);
    this.problems = opts.problems ?? [];
  }
}

/** Some items failed or were held, the rest applied. Exit 4. Render the result (including the --json document) first, then throw this: main prints only its message, on stderr. */
export class PartialFailure extends MerchantError {
  readonly code = 'partial_failure';
}

/** Another writer holds the lock. Exit 5. */
export class LockedError extends MerchantError {
  readonly code = 'locked';
}

/** A remote API failed after retries, or rejected auth. Exit 6. */
export class RemoteError extends MerchantError {
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
  readonly code = 'not_configured';
}

/** The user declined a confirmation or pressed Ctrl-C at a prompt. */
export class CancelledError extends MerchantError {
  readonly code = 'cancelled';
}

/** Something that should never happen; exit 1 with a bug-report hint. */
export class BugError extends MerchantError {
  readonly code = 'internal';
}

export function isMerchantError(e: unknown): e is MerchantError {
  return e instanceof MerchantError;
}

/** The machine refused a write or read: disk full, read-only file system, permissions, I/O error. */
export class StorageError extends MerchantError {
  readonly code = 'storage';
}


/**
 * A command run on the user's behalf (a demo step) ended with this exit code: the caller's command
 * ends with the same one, so a failing step can never be reported as success.
 */
export class CommandFailed extends MerchantError {
  readonly code = 'command_failed';
  readonly childExitCode: number;
  constructor(message: string, childExitCode: number, opts: { hints?: string[]; details?: unknown; cause?: unknown } = {}) {
    super(message, opts);
    this.childExitCode = childExitCode;
  }
}
