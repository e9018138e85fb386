// One HTTP client per remote service (gh's api client, Shopify CLI's fetch wrapper): base URL,
// timeouts, retries with jittered exponential backoff that honour the service's own signals
// (Retry-After, x-amzn-RateLimit-Limit, Shopify's throttleStatus on HTTP 200, eBay/Amazon 429),
// a token hook that refreshes once on an auth rejection, typed errors (HttpError → exit 6) with the
// API's own error code, and --verbose request logs with secrets redacted.
//
// Writes are never retried blindly: a non-idempotent request (POST/PATCH unless marked otherwise)
// is retried only when the server certainly did not apply it (429/throttled, connection refused).
// A timeout, a dropped connection or a 5xx on such a request fails at once as `ambiguous`, so the
// caller can read the remote state back before sending it again.

import axios, { type AxiosInstance, type AxiosResponse, type Method, type ResponseType } from 'axios';
import { redact } from '../../core/redact.js';
import { HttpError, malformedReply, type FailureKind } from './errors.js';
import type { Pacer } from './pacer.js';

export type Sleep = (ms: number) => Promise<void>;

export interface HttpResponse<T = unknown> {
  status: number;
  data: T;
  headers: Record<string, string>;
  /** How many attempts it took (1 = first try). */
  attempts: number;
}

/** Authentication for a service: adds headers, and can be told its token was rejected. */
export interface AuthProvider {
  headers(): Promise<Record<string, string>>;
  /** Forget a cached token so the next headers() fetches a fresh one. */
  invalidate(): void;
}

export interface RequestOptions {
  method: Method;
  /** Path relative to the base URL, or an absolute URL (presigned document URLs). */
  url: string;
  params?: Record<string, string | number | boolean | undefined | null>;
  data?: unknown;
  headers?: Record<string, string>;
  /**
   * Safe to send twice. Default: true for GET/HEAD/OPTIONS/PUT/DELETE, false for POST/PATCH.
   * Mark a POST idempotent when it carries an idempotency key or is a read (GraphQL query).
   */
  idempotent?: boolean;
  /** A short name for logs and errors ("patchListingsItem"). */
  operation?: string;
  timeoutMs?: number;
  responseType?: ResponseType;
  /** Skip the service's AuthProvider (token endpoints, presigned URLs). */
  noAuth?: boolean;
  /** Statuses the caller handles itself (returned instead of thrown), e.g. 404 on a read-back, 207. */
  acceptStatus?: number[];
  /**
   * Pace this request before sending on the client's Pacer: the limits it draws on, and the one whose
   * rate an `x-amzn-RateLimit-Limit` answer updates. A 429 empties them; the retry waits for room.
   */
  pace?: { keys: string[]; rateKey?: string; label?: string };
}

export interface ApiErrorInfo {
  code?: string;
  message?: string;
}

export interface HttpClientOptions {
  service: string;
  baseURL: string;
  timeoutMs?: number;
  /** Retries after the first attempt (default 5). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Multiplies every wait (0 in tests: retries happen, nobody waits). */
  backoffScale?: number;
  headers?: Record<string, string>;
  auth?: AuthProvider;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  /** --verbose log sink; lines are redacted before they get here. */
  log?: (line: string) => void;
  /** Pull the API's own error code/message out of an error body. Default understands Amazon, eBay, Shopify, EasyPost, Shippo. */
  errorInfo?: (status: number, data: unknown) => ApiErrorInfo;
  /**
   * A response that is "throttled" though its status is 2xx (Shopify GraphQL THROTTLED): return
   * how long to wait (ms) before retrying, or undefined when it is a real answer.
   */
  throttledDelay?: (res: HttpResponse) => number | undefined;
  /** Is this response an auth rejection worth one token refresh? Default: 401, and 403 with an expired/invalid token code. */
  isAuthFailure?: (status: number, info: ApiErrorInfo) => boolean;
  /** Called after every response (rate-limit bookkeeping such as Shopify's bucket). */
  onResponse?: (res: HttpResponse) => void;
  /** Paces requests that carry `pace` keys (src/adapters/http/pacer.ts). */
  pacer?: Pacer;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const REFUSED_RETRIES = 3;
const SAFE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A test seam for deterministic timeouts. Production never sets it: every attempt has axios's wall-clock
 * `timeout`. A test that runs the CLI in-process against its sandbox can decide instead when an attempt
 * times out: the hook is told of each attempt as it goes on the wire and returns a stop function to take
 * over that attempt's deadline (it then calls `expire()` — e.g. when the sandbox left exactly this
 * request unanswered), or undefined to keep the wall-clock timer. An expired attempt fails exactly as a
 * timed-out one (kind `timeout`, ambiguous for a write), so a busy machine can neither cause nor delay one.
 */
export type AttemptDeadline = (attempt: { service: string; method: string; url: string; expire: () => void }) => (() => void) | undefined;
let attemptDeadline: AttemptDeadline | undefined;

export function setAttemptDeadline(d: AttemptDeadline | undefined): void {
  attemptDeadline = d;
}

export class HttpClient {
  readonly service: string;
  readonly baseURL: string;
  private axios: AxiosInstance;
  private opts: Required<Pick<HttpClientOptions, 'timeoutMs' | 'retries' | 'baseDelayMs' | 'maxDelayMs' | 'backoffScale'>> & HttpClientOptions;
  /** Last x-amzn-RateLimit-Limit (requests/second) seen per operation. */
  private rateLimits = new Map<string, number>();
  /** Set once the host refused connections after every retry; later requests fail fast. */
  private down?: HttpError;
  /** Count of requests actually put on the wire (attempts, including retries). */
  requestCount = 0;

  constructor(o: HttpClientOptions) {
    this.service = o.service;
    this.baseURL = o.baseURL.replace(/\/+$/, '');
    this.opts = { timeoutMs: 30_000, retries: 5, baseDelayMs: 500, maxDelayMs: 30_000, backoffScale: 1, ...o };
    this.axios = axios.create({
      baseURL: this.baseURL,
      timeout: this.opts.timeoutMs,
      headers: { 'User-Agent': 'merchant-cli/0.1 (Language=TypeScript; Platform=Node)', ...(o.headers ?? {}) },
      validateStatus: () => true,
      maxRedirects: 0,
      // Amazon documents sometimes say gzip twice; we sniff the bytes ourselves where it matters.
      decompress: true,
      transitional: { clarifyTimeoutError: true },
    });
  }

  private sleep(ms: number): Promise<void> {
    const scaled = Math.max(0, Math.round(ms * this.opts.backoffScale));
    return (this.opts.sleep ?? realSleep)(scaled);
  }

  private log(line: string): void {
    this.opts.log?.(redact(`[${this.service}] ${line}`));
  }

  /** The delay before retry number `attempt` (1-based): full jitter on an exponential cap. */
  backoff(attempt: number): number {
    const cap = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempt - 1));
    const r = (this.opts.random ?? Math.random)();
    return Math.round(cap / 2 + (cap / 2) * r);
  }

  /** What the server asked us to wait, if anything (ms). */
  serverDelay(res: HttpResponse, opKey: string): number | undefined {
    const ra = res.headers['retry-after'];
    if (ra !== undefined) {
      const secs = Number(ra);
      if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
      const at = Date.parse(ra);
      if (Number.isFinite(at)) return Math.max(0, at - (this.opts.now ?? Date.now)());
    }
    const rate = this.rateLimits.get(opKey);
    if (rate && rate > 0) return Math.min(this.opts.maxDelayMs, 1000 / rate);
    return undefined;
  }

  async request<T = unknown>(req: RequestOptions): Promise<HttpResponse<T>> {
    const method = req.method.toUpperCase();
    const idempotent = req.idempotent ?? SAFE_METHODS.has(method);
    const op = req.operation ?? `${method} ${req.url.split('?')[0]}`;
    const shown = describeUrl(this.baseURL, req.url, req.params);
    let authRetried = false;
    let lastThrottle: HttpResponse | undefined;
    if (this.down) {
      // The host refused connections after every retry earlier in this run: fail fast instead of
      // waiting through the same backoff for every remaining item.
      throw new HttpError(`${this.down.message} (not tried again: unreachable earlier in this run)`, {
        service: this.service,
        kind: 'network',
        method,
        url: shown,
        attempts: 0,
        hints: this.down.hints,
      });
    }
    const pacer = req.pace && this.opts.pacer ? this.opts.pacer : undefined;
    for (let attempt = 1; ; attempt++) {
      const canRetry = attempt <= this.opts.retries;
      // Wait for room on the operation's limits before anything goes on the wire.
      if (pacer) await pacer.acquire(req.pace!.keys, req.pace!.label ?? op);
      const headers: Record<string, string> = { ...(req.headers ?? {}) };
      if (this.opts.auth && !req.noAuth) Object.assign(headers, await this.opts.auth.headers());
      const started = (this.opts.now ?? Date.now)();
      this.log(`→ ${method} ${shown}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
      // The headers too (as gh's debug log does): every value passes redact(), so a credential shows as ***.
      if (this.opts.log) this.log(`  > ${Object.entries({ ...this.opts.headers, ...headers }).map(([k, v]) => `${k.toLowerCase()}: ${v}`).join(' | ')}`);
      let raw: AxiosResponse;
      let expired = false;
      let stopDeadline: (() => void) | undefined;
      const abort = attemptDeadline ? new AbortController() : undefined;
      if (attemptDeadline && abort) {
        stopDeadline = attemptDeadline({
          service: this.service,
          method,
          url: /^https?:\/\//i.test(req.url) ? req.url : `${this.baseURL}/${req.url.replace(/^\/+/, '')}`,
          expire: () => {
            expired = true;
            abort.abort();
          },
        });
      }
      try {
        this.requestCount++;
        raw = await this.axios.request({
          method,
          url: req.url,
          params: cleanParams(req.params),
          data: req.data,
          headers,
          timeout: stopDeadline ? 0 : (req.timeoutMs ?? this.opts.timeoutMs),
          ...(stopDeadline ? { signal: abort!.signal } : {}),
          responseType: req.responseType,
        });
      } catch (e) {
        stopDeadline?.();
        const code = (e as { code?: string }).code ?? '';
        const timedOut = expired || code === 'ETIMEDOUT' || code === 'ECONNABORTED';
        const kind: FailureKind = timedOut ? 'timeout' : 'network';
        // Refused before connecting: nothing reached the server, so even a write may be retried.
        const neverSent = SAFE_NETWORK_CODES.has(code);
        this.log(`✗ ${method} ${shown}: ${timedOut ? 'timed out' : `network error ${code || (e as Error).message}`}`);
        // A refused connection means the host is down more often than busy: a few retries only.
        const budget = neverSent ? Math.min(this.opts.retries, REFUSED_RETRIES) : this.opts.retries;
        if (attempt <= budget && (idempotent || neverSent)) {
          const wait = this.backoff(attempt);
          this.log(`  retrying in ${wait} ms`);
          await this.sleep(wait);
          continue;
        }
        const failure = new HttpError(
          `${this.service}: ${op} ${timedOut ? `timed out after ${req.timeoutMs ?? this.opts.timeoutMs} ms` : `failed: ${code || (e as Error).message}`}${
            attempt > 1 ? ` (after ${attempt} attempts)` : ''
          }`,
          {
            service: this.service,
            kind,
            method,
            url: shown,
            attempts: attempt,
            ambiguous: !idempotent && !neverSent,
            hints: [`check that ${this.baseURL} is reachable; run again later (completed items are not sent twice)`],
            cause: e,
          },
        );
        if (neverSent) this.down = failure;
        throw failure;
      }
      stopDeadline?.();
      const res: HttpResponse = { status: raw.status, data: raw.data as unknown, headers: lowerHeaders(raw.headers), attempts: attempt };
      const elapsed = (this.opts.now ?? Date.now)() - started;
      const rid = res.headers['x-amzn-requestid'] ?? res.headers['x-request-id'] ?? res.headers['x-ebay-c-request-id'];
      this.log(`← ${res.status} ${method} ${shown} ${elapsed} ms${rid ? ` request-id ${rid}` : ''}`);
      const rl = Number(res.headers['x-amzn-ratelimit-limit']);
      if (Number.isFinite(rl) && rl > 0) {
        this.rateLimits.set(op, rl);
        const rateKey = req.pace?.rateKey ?? req.pace?.keys[0];
        if (pacer && rateKey) pacer.setRate(rateKey, rl);
      }
      this.opts.onResponse?.(res);

      if (res.status >= 200 && res.status < 300) {
        // A JSON API answering with something that does not parse (a proxy's HTML page, a body cut
        // off): a remote failure, retried like a 5xx when the request is safe to repeat. A write that
        // got such an answer may have been applied: ambiguous, reconciled by reading back.
        if (unreadable(raw.data, req.responseType)) {
          this.log(`  the reply is not JSON (${res.headers['content-type'] ?? 'no content type'})`);
          if (canRetry && idempotent) {
            const wait = this.backoff(attempt);
            this.log(`  retrying in ${Math.round(wait)} ms`);
            await this.sleep(wait);
            continue;
          }
          throw malformedReply({ service: this.service, operation: op, status: res.status, data: res.data, contentType: res.headers['content-type'], method, url: shown, attempts: attempt, ambiguous: !idempotent, redact });
        }
        const throttled = this.opts.throttledDelay?.(res);
        if (throttled === undefined) return res as HttpResponse<T>;
        // Throttled before execution: safe to repeat whatever the method.
        lastThrottle = res;
        if (canRetry) {
          const wait = Math.max(throttled, this.backoff(attempt) / 4);
          this.log(`  throttled; waiting ${Math.round(wait)} ms`);
          await this.sleep(wait);
          continue;
        }
        throw this.failure(res, { method, shown, op, attempt, kind: 'throttled', idempotent });
      }
      if (req.acceptStatus?.includes(res.status)) return res as HttpResponse<T>;
      const info = (this.opts.errorInfo ?? defaultErrorInfo)(res.status, res.data);
      const authFail = (this.opts.isAuthFailure ?? defaultIsAuthFailure)(res.status, info);
      if (authFail && this.opts.auth && !req.noAuth && !authRetried) {
        // A rejected token was not applied: refresh once and repeat.
        authRetried = true;
        this.opts.auth.invalidate();
        this.log('  token rejected; refreshing once');
        continue;
      }
      if (res.status === 429) {
        lastThrottle = res;
        if (pacer && canRetry) {
          // The server has no room: empty the limits; the next attempt waits for one to refill.
          pacer.penalize(req.pace!.keys);
          this.log(`  rate limited (${info.code ?? '429'}); pacing the retry`);
          continue;
        }
        if (canRetry) {
          const wait = Math.max(this.serverDelay(res, op) ?? 0, this.backoff(attempt));
          this.log(`  rate limited (${info.code ?? '429'}); waiting ${Math.round(wait)} ms`);
          await this.sleep(wait);
          continue;
        }
        throw this.failure(res, { method, shown, op, attempt, kind: 'throttled', idempotent, info });
      }
      if (res.status >= 500 || res.status === 408) {
        if (canRetry && idempotent) {
          const wait = Math.max(this.serverDelay(res, op) ?? 0, this.backoff(attempt));
          this.log(`  server error; retrying in ${Math.round(wait)} ms`);
          await this.sleep(wait);
          continue;
        }
        throw this.failure(res, { method, shown, op, attempt, kind: 'http', idempotent, info, ambiguous: !idempotent });
      }
      void lastThrottle;
      throw this.failure(res, { method, shown, op, attempt, kind: authFail || res.status === 401 ? 'auth' : 'http', idempotent, info });
    }
  }

  private failure(
    res: HttpResponse,
    o: { method: string; shown: string; op: string; attempt: number; kind: FailureKind; idempotent: boolean; info?: ApiErrorInfo; ambiguous?: boolean },
  ): HttpError {
    const info = o.info ?? (this.opts.errorInfo ?? defaultErrorInfo)(res.status, res.data);
    const what = o.kind === 'throttled' ? 'still rate-limited' : `HTTP ${res.status}`;
    const hints: string[] = [];
    if (o.kind === 'auth') hints.push(`the ${this.service} credentials were rejected; reconnect with \`merchant marketplace connect ${this.service}\``);
    else if (o.kind === 'throttled') hints.push('the API asked us to slow down; run again later (completed items are not sent twice)');
    else if (res.status >= 500) hints.push(`${this.service} had a server error; run again later`);
    const apiMessage = info.message ? redact(info.message) : undefined;
    return new HttpError(
      `${this.service}: ${o.op} → ${what}${info.code ? ` ${info.code}` : ''}${apiMessage ? `: ${apiMessage}` : ''}${o.attempt > 1 ? ` (after ${o.attempt} attempts)` : ''}`,
      {
        service: this.service,
        kind: o.kind,
        status: res.status,
        apiCode: info.code,
        apiMessage,
        method: o.method,
        url: o.shown,
        attempts: o.attempt,
        ambiguous: o.ambiguous ?? false,
        hints,
      },
    );
  }
}

export function createHttpClient(o: HttpClientOptions): HttpClient {
  return new HttpClient(o);
}

/**
 * A body that should be JSON (the caller asked for no other response type) but is text axios could not
 * parse. An empty body is an answer (204, or a 200 without content). (A bare JSON string would look
 * the same; none of the APIs merchant talks to answers with one.)
 */
function unreadable(data: unknown, responseType: ResponseType | undefined): boolean {
  if (responseType !== undefined && responseType !== 'json') return false;
  return typeof data === 'string' && data.trim() !== '';
}

function cleanParams(p: RequestOptions['params']): Record<string, string | number | boolean> | undefined {
  if (!p) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

function lowerHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h || typeof h !== 'object') return out;
  const src = typeof (h as { toJSON?: () => unknown }).toJSON === 'function' ? ((h as { toJSON: () => unknown }).toJSON() as Record<string, unknown>) : (h as Record<string, unknown>);
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** URL for logs and errors: relative to the service, query values of secret-looking keys masked. */
function describeUrl(base: string, url: string, params?: RequestOptions['params']): string {
  const full = /^https?:\/\//.test(url) ? url : `${base}${url.startsWith('/') ? '' : '/'}${url}`;
  let shown = full;
  try {
    const u = new URL(full);
    // Presigned document URLs carry credentials in their query: never show it.
    if (/^(X-Amz-|Signature|AWSAccessKeyId)/i.test([...u.searchParams.keys()].join(' '))) u.search = '?…';
    shown = u.toString();
  } catch {
    /* keep as is */
  }
  const q = cleanParams(params);
  if (q && Object.keys(q).length) {
    const qs = Object.entries(q)
      .map(([k, v]) => `${k}=${/token|secret|key|password/i.test(k) ? '***' : encodeURIComponent(String(v))}`)
      .join('&');
    shown += `${shown.includes('?') ? '&' : '?'}${qs}`;
  }
  return redact(shown);
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * The API's own error code and message from the usual envelopes: Amazon {errors:[{code,message}]},
 * eBay {errors:[{errorId,message}]}, Shopify {errors:[{message,extensions:{code}}]} or {errors:"…"},
 * OAuth {error,error_description}, EasyPost {error:{code,message}}, Shippo {detail}.
 */
export function defaultErrorInfo(_status: number, data: unknown): ApiErrorInfo {
  let body = data;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    const text: string = body;
    try {
      body = JSON.parse(text);
    } catch {
      return { message: text.slice(0, 300) || undefined };
    }
  }
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors) && b.errors.length) {
    const e = b.errors[0] as Record<string, unknown>;
    const ext = (e.extensions ?? {}) as Record<string, unknown>;
    return { code: str(e.code ?? e.errorId ?? ext.code), message: str(e.longMessage ?? e.message) };
  }
  if (typeof b.errors === 'string') return { message: b.errors };
  if (b.error && typeof b.error === 'object') {
    const e = b.error as Record<string, unknown>;
    return { code: str(e.code), message: str(e.message) };
  }
  if (typeof b.error === 'string') return { code: b.error, message: str(b.error_description) };
  if (typeof b.detail === 'string') return { message: b.detail };
  if (typeof b.message === 'string') return { code: str(b.code), message: b.message };
  return {};
}

function defaultIsAuthFailure(status: number, info: ApiErrorInfo): boolean {
  if (status === 401) return true;
  // Amazon: 403 Unauthorized (token revoked/expired); eBay: 403 errorId 1100 for an expired token.
  if (status === 403 && (info.code === 'Unauthorized' || info.code === '1100' || info.code === 'MissingAuthenticationToken')) return true;
  return false;
}
