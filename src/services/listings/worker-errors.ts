// Errors across the import's worker boundary: a structured clone keeps only message and a few fields,
// so the worker sends what the error is and the main thread rebuilds the same typed error (the same
// exit code, problems and hints as if it had been thrown inline).

import { InvalidInputError, MerchantError, UsageError, type InputProblem } from '../../core/errors.js';

export interface SerializedError {
  kind: 'invalid' | 'usage' | 'other';
  message: string;
  problems?: InputProblem[];
  hints?: string[];
  details?: unknown;
  code?: string;
  stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  const err = e as Error & { code?: string; problems?: InputProblem[] };
  if (e instanceof InvalidInputError) return { kind: 'invalid', message: err.message, problems: e.problems, hints: e.hints, details: e.details };
  if (e instanceof UsageError) return { kind: 'usage', message: err.message, hints: e.hints, details: e.details };
  if (e instanceof MerchantError) return { kind: 'other', message: err.message, hints: e.hints, stack: err.stack };
  return { kind: 'other', message: err?.message ?? String(e), ...(err?.code ? { code: err.code } : {}), ...(err?.stack ? { stack: err.stack } : {}) };
}

export function deserializeError(s: SerializedError): Error {
  if (s.kind === 'invalid') return new InvalidInputError(s.message, { problems: s.problems, hints: s.hints, details: s.details });
  if (s.kind === 'usage') return new UsageError(s.message, { hints: s.hints, details: s.details });
  const e = new Error(s.message) as Error & { code?: string };
  if (s.code) e.code = s.code;
  if (s.stack) e.stack = s.stack;
  return e;
}
