// The one place that says which exit code each kind of error means (PRODUCT.md §3). Only cli/main.ts
// uses it to end a command; `merchant help exit-codes` prints the table.

import {
  BugError,
  CancelledError,
  CommandFailed,
  InvalidInputError,
  LockedError,
  NotConfiguredError,
  PartialFailure,
  RemoteError,
  StorageError,
  UsageError,
  type MerchantError,
} from '../core/errors.js';

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

/** The exit code a typed error ends the command with. */
export function exitCodeOf(e: MerchantError): number {
  if (e instanceof CommandFailed) return e.childExitCode || ExitCode.INTERNAL;
  if (e instanceof UsageError) return ExitCode.USAGE;
  if (e instanceof InvalidInputError) return ExitCode.INVALID_INPUT;
  if (e instanceof PartialFailure) return ExitCode.PARTIAL;
  if (e instanceof LockedError) return ExitCode.LOCKED;
  if (e instanceof RemoteError) return ExitCode.REMOTE;
  if (e instanceof NotConfiguredError) return ExitCode.NOT_CONFIGURED;
  if (e instanceof CancelledError) return ExitCode.INTERRUPTED;
  if (e instanceof StorageError || e instanceof BugError) return ExitCode.INTERNAL;
  return ExitCode.INTERNAL;
}
