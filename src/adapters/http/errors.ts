// Typed outcome of a remote call that did not succeed after retries. It is a RemoteError (exit 6)
// carrying the HTTP status, the API's own error code, and whether the request may have been applied
// remotely (`ambiguous`: a write that timed out or lost its connection). Callers that write reconcile
// an ambiguous failure by reading the remote state back before trying again.

import { RemoteError } from '../../core/errors.js';

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

/** The first characters of a body for an error message: one line, at most `max` characters. */
export function bodyStart(data: unknown, max = 120): string {
  let text: string;
  if (Buffer.isBuffer(data)) text = data.toString('utf8');
  else if (typeof data === 'string') text = data;
  else if (data === undefined || data === null) text = '';
  else {
    try {
      text = JSON.stringify(data);
    } catch {
      text = String(data);
    }
  }
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/**
 * A reply with a success status that is not what the API answers (an HTML page from a proxy, JSON cut
 * off, an empty object where a result belongs): a remote failure (exit 6), never a crash. Adapters that
 * find the JSON but not the shape they need throw this too.
 */
export function malformedReply(o: {
  service: string;
  operation: string;
  status: number;
  data: unknown;
  contentType?: string;
  why?: string;
  method: string;
  url: string;
  attempts: number;
  /** The request may have been applied (a write that got no readable answer). */
  ambiguous?: boolean;
  redact?: (s: string) => string;
}): HttpError {
  const start = (o.redact ?? ((s: string) => s))(bodyStart(o.data));
  const type = o.contentType ? o.contentType.split(';')[0]!.trim() : undefined;
  const what = o.why ?? `a reply that is not JSON${type ? ` (${type})` : ''}`;
  return new HttpError(
    `${o.service}: ${o.operation} → HTTP ${o.status} with ${what}${start ? `: ${JSON.stringify(start)}` : ' (empty body)'}${o.attempts > 1 ? ` (after ${o.attempts} attempts)` : ''}`,
    {
      service: o.service,
      kind: 'malformed',
      status: o.status,
      apiCode: 'MALFORMED_REPLY',
      method: o.method,
      url: o.url,
      attempts: o.attempts,
      ambiguous: o.ambiguous ?? false,
      hints: [
        /html/i.test(type ?? '') || /^<(!doctype|html)/i.test(start)
          ? `something between merchant and ${o.service} answered with a web page (a proxy, captive portal or firewall): check the network, or the base URL with \`merchant marketplace list\``
          : `${o.service} sent an answer merchant cannot read; run again later (completed items are not sent twice)`,
      ],
    },
  );
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}
