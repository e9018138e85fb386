// HTTP failures as adapters raise them: the error type itself lives in src/core/http-error.ts (services
// read its kind without importing an adapter); here are the helpers that build one from a reply.

import { HttpError } from '../../core/http-error.js';

export { HttpError, isHttpError, type FailureKind } from '../../core/http-error.js';

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

