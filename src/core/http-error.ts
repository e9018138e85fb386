// Lives in core so services can tell a remote failure's kind without importing an adapter.
// Typed outcome of a remote call that did not succeed after retries. It is a RemoteError (exit 6)
// carrying the HTTP status, the API's own error code, and whether the request may have been applied
// remotely (`ambiguous`: a write that timed out or lost its connection). Callers that write reconcile
// an ambiguous failure by reading the remote state back before trying again.

import { RemoteError } from './errors.js';

export type FailureKind =
  | 'http' // the API answered with an error status (4xx/5xx)
  | 'timeout' // no answer within the timeout
  | 'network' // connection refused / reset / dropped
  | 'throttled' // still rate-limited after every retry
  | 'auth' // credentials rejected (401/403 or token endpoint refused)
  | 'malformed'; // a success status with a body that is not what the API sends (HTML, cut-off JSON, {})

export class HttpError extends RemoteError {
  readonly kind: FailureKind;
  /** The request may have landed remotely (a write that got no definite answer). */
  readonly ambiguous: boolean;
  readonly method: string;
  readonly url: string;
  readonly attempts: number;
  /** The API's error message (already redacted), if it sent one. */
  readonly apiMessage?: string;
  constructor(
    message: string,
    opts: {
      service: string;
      kind: FailureKind;
      status?: number;
      apiCode?: string;
      apiMessage?: string;
      ambiguous?: boolean;
      method: string;
      url: string;
      attempts: number;
      hints?: string[];
      cause?: unknown;
    },
  ) {
    super(message, {
      status: opts.status,
      apiCode: opts.apiCode,
      service: opts.service,
      hints: opts.hints,
      cause: opts.cause,
      details: { service: opts.service, status: opts.status, apiCode: opts.apiCode, kind: opts.kind, method: opts.method, url: opts.url },
    });
    this.kind = opts.kind;
    this.ambiguous = opts.ambiguous ?? false;
    this.method = opts.method;
    this.url = opts.url;
    this.attempts = opts.attempts;
    this.apiMessage = opts.apiMessage;
  }

  /** True when the failure says nothing about the data (worth retrying in a later run). */
  get transient(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || this.kind === 'throttled' || this.kind === 'malformed' || (this.status !== undefined && this.status >= 500);
  }
}


export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}
