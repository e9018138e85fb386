// The HTTP client against a real loopback server: retries, backoff signals, no blind write retries,
// typed errors with the API's own code, token refresh, redacted logs.
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError } from '../../src/adapters/http/index.js';
import { registerSecret, clearSecretsForTests } from '../../src/core/redact.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let server: Server | undefined;

async function serve(handler: Handler): Promise<{ url: string; hits: () => number }> {
  let n = 0;
  server = createServer((req, res) => {
    n++;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, res, n));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => n };
}

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server?.closeAllConnections?.();
  server = undefined;
  clearSecretsForTests();
});

function client(url: string, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const waits: number[] = [];
  const logs: string[] = [];
  const c = new HttpClient({
    service: 'test',
    baseURL: url,
    retries: 3,
    timeoutMs: 300,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    log: (l) => logs.push(l),
    ...extra,
  });
  return { c, waits, logs };
}

describe('HttpClient', () => {
  it('retries a 429 and honours Retry-After', async () => {
    const s = await serve((_q, res, n) => {
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota' }] }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }
    });
    const { c, waits } = client(s.url);
    const r = await c.request<{ ok: boolean }>({ method: 'POST', url: '/x' });
    expect(r.data.ok).toBe(true);
    expect(r.attempts).toBe(2);
    expect(waits[0]).toBe(7000);
  });

  it('waits 1/rate after a 429 when x-amzn-RateLimit-Limit was seen', async () => {
    const s = await serve((_q, res, n) => {
      if (n === 2) {
        res.writeHead(429, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'QuotaExceeded', message: 'quota' }] }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-ratelimit-limit': '0.1' });
        res.end('{}');
      }
    });
    const { c, waits } = client(s.url, { maxDelayMs: 60_000 });
    await c.request({ method: 'GET', url: '/orders', operation: 'searchOrders' });
    await c.request({ method: 'GET', url: '/orders', operation: 'searchOrders' });
    expect(waits).toEqual([10_000]);
  });

  it('retries a GET on 500 but never blindly retries a POST on 500 (ambiguous)', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ errorId: 25001, message: 'Core Inventory Service internal error' }] }));
    });
    const { c } = client(s.url);
    await expect(c.request({ method: 'GET', url: '/a' })).rejects.toMatchObject({ status: 500, apiCode: '25001', attempts: 4, ambiguous: false });
    const before = s.hits();
    const err = await c.request({ method: 'POST', url: '/b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).ambiguous).toBe(true);
    expect(exitCodeOf(err as HttpError)).toBe(6);
    expect(s.hits() - before).toBe(1);
  });

  it('a POST that times out is reported as ambiguous and not repeated', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const { c } = client(s.url);
    const err = (await c.request({ method: 'POST', url: '/slow' }).catch((e: unknown) => e)) as HttpError;
    expect(err.kind).toBe('timeout');
    expect(err.ambiguous).toBe(true);
    expect(s.hits()).toBe(1);
  });

  it('an idempotent-marked POST is retried after a dropped connection', async () => {
    const s = await serve((req, res, n) => {
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"done":1}');
    });
    const { c } = client(s.url);
    const r = await c.request<{ done: number }>({ method: 'POST', url: '/q', idempotent: true });
    expect(r.data.done).toBe(1);
    expect(s.hits()).toBe(2);
  });

  it('retries a 200 that the service marks as throttled (Shopify) for any method', async () => {
    const s = await serve((_q, res, n) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(n === 1 ? JSON.stringify({ errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] }) : '{"data":{}}');
    });
    const { c, waits } = client(s.url, {
      throttledDelay: (res) => ((res.data as { errors?: unknown[] }).errors ? 1500 : undefined),
    });
    const r = await c.request({ method: 'POST', url: '/graphql.json' });
    expect(r.attempts).toBe(2);
    expect(waits[0]).toBe(1500);
  });

  it('refreshes the token once on 401 and redacts it in logs', async () => {
    let issued = 0;
    const s = await serve((req, res) => {
      const ok = req.headers.authorization === 'Bearer tok-2-secretvalue';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(ok ? '{}' : JSON.stringify({ errors: [{ errorId: 1001, message: 'Invalid access token' }] }));
    });
    const { c, logs } = client(s.url, {
      auth: {
        async headers() {
          issued = issued || 1;
          const t = `tok-${issued}-secretvalue`;
          registerSecret(t);
          return { Authorization: `Bearer ${t}` };
        },
        invalidate() {
          issued++;
        },
      },
    });
    await c.request({ method: 'GET', url: '/me', params: { access_token: 'tok-1-secretvalue' } });
    expect(issued).toBe(2);
    expect(logs.join('\n')).not.toContain('secretvalue');
    expect(logs.some((l) => l.includes('← 200'))).toBe(true);
  });

  it('gives up with a throttled RemoteError after the retries', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ errorId: 2001, message: 'Too many requests.' }] }));
    });
    const { c, waits } = client(s.url);
    const err = (await c.request({ method: 'GET', url: '/z' }).catch((e: unknown) => e)) as HttpError;
    expect(err.kind).toBe('throttled');
    expect(err.apiCode).toBe('2001');
    expect(waits).toHaveLength(3);
    // exponential: each cap doubles
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
  });
});

describe('HttpClient against a host that is down', () => {
  it('retries a refused connection a few times only, then fails fast for the rest of the run', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const { c, waits } = client(`http://127.0.0.1:${port}`, { retries: 8 });
    const e1 = (await c.request({ method: 'POST', url: '/x' }).catch((e: unknown) => e)) as HttpError;
    expect(e1.kind).toBe('network');
    expect(e1.ambiguous).toBe(false); // refused: nothing was sent
    expect(waits).toHaveLength(3);
    const e2 = (await c.request({ method: 'GET', url: '/y' }).catch((e: unknown) => e)) as HttpError;
    expect(e2.attempts).toBe(0);
    expect(e2.message).toContain('unreachable earlier in this run');
    expect(waits).toHaveLength(3);
  });
});
