// The sandbox HTTP server: reads the request, records it (secrets redacted), decides a fault,
// dispatches to the API module by prefix and writes the answer — or drops, loses or stalls it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiModule } from './api.js';
import { FaultInjector, GARBLED_KINDS, type FaultKind, type GarbledKind } from './faults.js';
import type { ApiName, SbRequest, SbResponse } from './http.js';
import type { World } from './world.js';
import { redact } from '../core/redact.js';

export interface RecordedRequest {
  seq: number;
  /** ISO time on the sandbox clock. */
  time: string;
  api: ApiName | 'unknown';
  method: string;
  /** Path with the API prefix and the query string. */
  path: string;
  headers: Record<string, string>;
  /** Request body as text (secrets redacted; bodies over 64 KiB are truncated). */
  body: string;
  /** Status answered; undefined when the connection was dropped, lost or timed out. */
  status?: number;
  fault?: FaultKind;
}

const MAX_BODY = 32 * 1024 * 1024;
const SECRET_HEADERS = new Set(['authorization', 'x-amz-access-token', 'x-shopify-access-token', 'x-ebay-signature-key', 'signature', 'cookie']);

/**
 * Told of a request once its fate is decided (applied or not, the answer about to be sent, withheld or
 * dropped) and before any answer leaves: lets a test act at an exact point — kill a client while its
 * write is applied and unanswered, or end a client's attempt that the sandbox left without an answer —
 * instead of racing the wall clock. `origin` is the sandbox's base URL.
 */
export type RequestObserver = (record: RecordedRequest, origin: string) => void;
const allObservers = new Set<RequestObserver>();

const liveOrigins = new Set<string>();

/** The base URLs of the sandboxes listening in this process. */
export function liveSandboxOrigins(): ReadonlySet<string> {
  return liveOrigins;
}

/** Observe every sandbox of this process (a test setup file); returns the function that stops it. */
export function observeAllSandboxes(cb: RequestObserver): () => void {
  allObservers.add(cb);
  return () => allObservers.delete(cb);
}

export interface ServerHooks {
  inspect(req: SbRequest): Promise<SbResponse> | SbResponse;
}

export class SandboxServer {
  readonly server: Server;
  readonly faults: FaultInjector;
  private log: RecordedRequest[] = [];
  private sockets = new Set<Socket>();
  private stalled = new Set<ServerResponse>();
  private seq = 0;
  private observers = new Set<RequestObserver>();
  private origin = '';

  constructor(
    private readonly world: World,
    private readonly apis: ApiModule[],
    private readonly hooks: ServerHooks,
    faultSpec: string | undefined,
    seed: number,
  ) {
    this.faults = new FaultInjector(faultSpec, seed);
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `sandbox bug: ${(e as Error).message}` }));
        }
      });
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  requests(): RecordedRequest[] {
    return this.log.map((r) => ({ ...r, headers: { ...r.headers } }));
  }

  /** Observe this sandbox's requests (see RequestObserver); returns the function that stops it. */
  observe(cb: RequestObserver): () => void {
    this.observers.add(cb);
    return () => this.observers.delete(cb);
  }

  private notify(record: RecordedRequest): void {
    for (const cb of [...this.observers, ...allObservers]) {
      try {
        cb({ ...record, headers: { ...record.headers } }, this.origin);
      } catch (e) {
        // An observer's bug must show, not turn into a sandbox answer.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  clearLog(): void {
    this.log = [];
    this.seq = 0;
  }

  listen(port: number, host: string): Promise<{ port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        const bound = typeof addr === 'object' && addr ? addr.port : port;
        this.origin = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
        liveOrigins.add(this.origin);
        resolve({ port: bound });
      });
    });
  }

  async close(): Promise<void> {
    liveOrigins.delete(this.origin);
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          resolve(undefined);
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private secretValues(): string[] {
    const out: string[] = [];
    for (const a of this.apis) if (a.secrets) out.push(...a.secrets());
    return out;
  }

  private redactText(text: string, secrets: string[]): string {
    let t = text;
    for (const s of secrets) if (s.length >= 4 && t.includes(s)) t = t.split(s).join('***');
    t = t.replace(/((?:^|&)(?:client_secret|refresh_token|code|client_assertion)=)[^&]*/g, '$1***');
    return redact(t);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const fullPath = url.pathname;
    const body = await this.readBody(req);
    if (body === undefined) {
      send(res, { status: 413, body: { message: 'request body too large' } });
      return;
    }
    const base: Omit<SbRequest, 'path' | 'seq'> = { method, fullPath, query: url.searchParams, headers: req.headers, body, params: {} };

    if (fullPath === '/_sandbox' || fullPath.startsWith('/_sandbox/')) {
      const r = await this.hooks.inspect({ ...base, seq: 0, path: fullPath.slice('/_sandbox'.length) || '/' });
      send(res, r);
      return;
    }

    const api = this.apis.find((a) => fullPath === a.prefix || fullPath.startsWith(`${a.prefix}/`));
    const seq = ++this.seq;
    const secrets = this.secretValues();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      const text = Array.isArray(v) ? v.join(', ') : v;
      headers[k] = SECRET_HEADERS.has(k) ? redactHeader(text) : this.redactText(text, secrets);
    }
    const bodyText = body.length > 65536 ? `${body.subarray(0, 65536).toString('utf8')}…[truncated ${body.length} bytes]` : body.toString('utf8');
    const record: RecordedRequest = {
      seq,
      time: this.world.iso(),
      api: api?.name ?? 'unknown',
      method,
      path: fullPath + url.search,
      headers,
      body: this.redactText(bodyText, secrets),
    };
    this.log.push(record);
    if (this.log.length > 100_000) this.log.splice(0, this.log.length - 100_000);

    if (!api) {
      record.status = 404;
      this.notify(record);
      send(res, { status: 404, body: { message: `no emulated API at ${fullPath}; the sandbox serves /amazon, /ebay, /shopify, /easypost, /shippo, /ecb and /_sandbox` } });
      return;
    }
    const sbReq: SbRequest = { ...base, seq, path: fullPath.slice(api.prefix.length) || '/' };
    const fault = this.faults.decide(`${method} ${fullPath}`);
    if (fault) record.fault = fault;
    const slow = this.faults.slowMs;

    if (fault === 'drop') {
      this.notify(record);
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      this.stalled.add(res);
      res.on('close', () => this.stalled.delete(res));
      this.notify(record);
      return;
    }
    const applied = !fault || fault === 'lost' || isGarbled(fault);
    let answer: SbResponse;
    if (!applied) {
      answer = api.faultResponse(fault as Exclude<FaultKind, 'timeout' | 'drop' | 'lost' | GarbledKind>, sbReq);
    } else {
      try {
        answer = await api.handle(sbReq);
      } catch (e) {
        answer = api.faultResponse('500', sbReq);
        answer.headers = { ...answer.headers, 'x-sandbox-error': String((e as Error).message).slice(0, 200).replace(/[^\x20-\x7e]/g, '?') };
      }
      // Reads can change state too (a polled feed gets processed), so every answer is persisted.
      this.world.save();
    }
    if (fault === 'lost') {
      // The write landed; the answer never arrives.
      this.notify(record);
      req.socket.destroy();
      return;
    }
    if (fault && isGarbled(fault)) answer = garble(fault, answer);
    record.status = answer.status;
    this.notify(record);
    if (slow > 0) await new Promise((r) => setTimeout(r, slow));
    send(res, answer);
  }
}

function isGarbled(kind: FaultKind): kind is GarbledKind {
  return (GARBLED_KINDS as readonly string[]).includes(kind);
}

/** The answer as it reaches the client after it was applied: what a broken proxy or a cut stream delivers. */
export function garble(kind: GarbledKind, answer: SbResponse): SbResponse {
  if (kind === 'html') {
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>\n',
    };
  }
  if (kind === 'empty') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
  const full = Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? ''));
  const cut = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
  const headers = Object.fromEntries(Object.entries(answer.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'content-length'));
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type') && !Buffer.isBuffer(answer.body) && typeof answer.body !== 'string') headers['content-type'] = 'application/json';
  return { status: answer.status, headers, body: cut };
}

function redactHeader(value: string): string {
  const m = /^(Bearer|Basic|ShippoToken|Token)\s+/i.exec(value);
  return m ? `${m[1]} ***` : '***';
}

export function send(res: ServerResponse, r: SbResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload: Buffer | string = '';
  if (Buffer.isBuffer(r.body)) payload = r.body;
  else if (typeof r.body === 'string') payload = r.body;
  else if (r.body !== undefined) {
    payload = JSON.stringify(r.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(payload);
}
