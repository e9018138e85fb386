// The access-token holder the OAuth-style marketplace auths share (Amazon LWA, eBay refresh token,
// Shopify client credentials):
// keep the token in memory until its renewal time, and let concurrent callers share one token
// request (single flight); TokenEndpointAuth and requestToken are the AuthProvider face and the token
// request they share. What a refusal means, and when to renew, stays in each adapter.

import type { AuthProvider, HttpClient } from './client.js';
import { HttpError, malformedReply } from './errors.js';
import { redact, registerSecret } from '../../core/redact.js';

export interface IssuedToken {
  value: string;
  /** How long it is valid from now (ms). */
  lifeMs: number;
}

export class SingleFlightToken {
  private token?: { value: string; renewAt: number; expiresAt: number };
  private inflight?: Promise<string>;
  /** When the last token issued expires (ISO 8601), kept after invalidate() for status reports. */
  lastExpiry?: string;

  /** @param renewAt when to ask again, given the issue time and the token's life (ms). */
  constructor(
    private readonly now: () => number,
    private readonly renewAt: (issuedAt: number, lifeMs: number) => number,
  ) {}

  /** The token was refused (401): the next call asks for a new one. */
  invalidate(): void {
    this.token = undefined;
  }

  /** Whether a token is held (fresh or due for renewal). */
  get held(): boolean {
    return this.token !== undefined;
  }

  /** When the held token expires (ISO 8601); undefined when none is held. */
  get expiresAt(): string | undefined {
    return this.token ? new Date(this.token.expiresAt).toISOString() : undefined;
  }

  /** Hold a token kept elsewhere (a cache between runs), used until `renewAt` (ms). */
  seed(value: string, expiresAt: number, renewAt: number): void {
    this.token = { value, renewAt, expiresAt };
  }

  /** The current token, or a new one from `issue` (one request however many callers wait). */
  async get(issue: () => Promise<IssuedToken>): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return this.token.value;
    this.inflight ??= issue()
      .then((t) => {
        const at = this.now();
        this.token = { value: t.value, renewAt: this.renewAt(at, t.lifeMs), expiresAt: at + t.lifeMs };
        this.lastExpiry = new Date(this.token.expiresAt).toISOString();
        return t.value;
      })
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }
}

/**
 * An AuthProvider whose access token comes from a token endpoint (Amazon LWA, eBay OAuth): one
 * SingleFlightToken behind headers()/invalidate(). Each adapter says when to renew, how to ask
 * (refresh(), usually through requestToken) and which header carries the token.
 */
export abstract class TokenEndpointAuth implements AuthProvider {
  private readonly tokens = new SingleFlightToken(() => this.now(), (at, life) => this.renewAt(at, life));
  /** @param clock the adapter's clock (ms; default real time), read when the token is needed. */
  constructor(private readonly clock: { now?: () => number }) {}
  protected now(): number {
    return (this.clock.now ?? Date.now)();
  }
  /** When to ask again, given the issue time and the token's life (ms). */
  protected abstract renewAt(issuedAt: number, lifeMs: number): number;
  /** Ask the token endpoint for a new token. */
  protected abstract refresh(): Promise<IssuedToken>;
  abstract headers(): Promise<Record<string, string>>;

  /** When the last token issued expires (ISO 8601), kept after invalidate() for status reports. */
  get lastExpiry(): string | undefined {
    return this.tokens.lastExpiry;
  }
  invalidate(): void {
    this.tokens.invalidate();
  }
  accessToken(): Promise<string> {
    return this.tokens.get(() => this.refresh());
  }
}

export interface TokenReply {
  access_token?: string;
  expires_in?: number;
}

/**
 * POST a form to a token endpoint (unauthenticated, and repeatable: asking twice only issues two
 * tokens). A 4xx answer is the refusal `refused` puts in words (an auth failure: exit 6, with what
 * to renew); a reply without an access_token is a malformed reply. The token is registered as a
 * secret, so it never shows in output, logs or errors.
 */
export async function requestToken<T extends TokenReply>(
  http: HttpClient,
  o: {
    service: string;
    url: string;
    form: string;
    headers: Record<string, string>;
    operation: string;
    /** The endpoint as errors name it (no host). */
    errorUrl: string;
    /** How a reply without a token is named (operation, url). */
    malformed: { operation: string; url: string };
    /** The error for a reply without a token, where it is not a malformed reply. */
    noToken?: (res: { status: number; attempts: number }) => HttpError;
    refused: (e: HttpError) => { message: string; hints: string[] };
  },
): Promise<{ token: string; data: T }> {
  let res;
  try {
    res = await http.request<T>({ method: 'POST', url: o.url, data: o.form, headers: o.headers, noAuth: true, idempotent: true, operation: o.operation });
  } catch (e) {
    if (e instanceof HttpError && e.status !== undefined && e.status >= 400 && e.status < 500) {
      const r = o.refused(e);
      throw new HttpError(r.message, {
        service: o.service,
        kind: 'auth',
        status: e.status,
        apiCode: e.apiCode,
        apiMessage: e.apiMessage,
        method: 'POST',
        url: o.errorUrl,
        attempts: e.attempts,
        hints: r.hints,
      });
    }
    throw e;
  }
  const tok = res.data?.access_token;
  if (!tok && o.noToken) throw o.noToken(res);
  if (!tok) throw malformedReply({ service: o.service, operation: o.malformed.operation, status: res.status, data: res.data, why: 'no access_token in the reply', method: 'POST', url: o.malformed.url, attempts: res.attempts, redact });
  registerSecret(tok);
  return { token: tok, data: res.data };
}
