// The request pacer (src/adapters/http/pacer.ts) on an injected clock: waits happen BEFORE a request
// is sent, at the documented rate and burst, honour the server's x-amzn-RateLimit-Limit, empty on a
// 429, stop at the run's cap with a clear exit-6 error, and can be persisted across runs.
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError, Pacer, type PacerState } from '../../src/adapters/http/index.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';

function clock(start = 1_000_000) {
  const c = { t: start, slept: [] as number[] };
  return {
    c,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
}

describe('Pacer', () => {
  it('a token bucket: the burst goes at once, then one request per 1/rate seconds (searchOrders 0.0056/s, burst 20)', async () => {
    const k = clock();
    const p = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep });
    p.define('searchOrders', { kind: 'bucket', rate: 0.0056, burst: 20 });
    for (let i = 0; i < 20; i++) expect(await p.acquire(['searchOrders'], 'searchOrders')).toBe(0);
    expect(k.c.slept).toEqual([]);
    const w = await p.acquire(['searchOrders'], 'searchOrders');
    expect(w).toBe(Math.ceil(1000 / 0.0056)); // 178,572 ms ≈ one call per 179 s
    expect(k.c.slept).toEqual([w]);
    // Reservations queue: two callers at the same instant wait one and two intervals.
    const q = new Pacer({ service: 'amazon', now: () => 0, sleep: async () => {} });
    q.define('searchOrders', { kind: 'bucket', rate: 0.0056, burst: 1 });
    const waits = await Promise.all([q.acquire(['searchOrders'], 'a'), q.acquire(['searchOrders'], 'b'), q.acquire(['searchOrders'], 'c')]);
    expect(waits).toEqual([0, Math.ceil(1000 / 0.0056), Math.ceil(2000 / 0.0056)]);
  });

  it('a sliding window: the 6th JSON_LISTINGS_FEED submission within 5 minutes waits for the 1st to leave the window', async () => {
    const k = clock();
    const p = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep });
    p.define('feeds', { kind: 'window', count: 5, windowMs: 300_000 });
    for (let i = 0; i < 5; i++) {
      expect(await p.acquire(['feeds'], 'createFeed')).toBe(0);
      k.c.t += 10_000;
    }
    expect(await p.acquire(['feeds'], 'createFeed')).toBe(300_000 - 50_000);
    expect(p.wouldWait(['feeds'])).toBe(10_000);
  });

  it('several limits at once: the request waits for the one with the least room', async () => {
    const k = clock();
    const p = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep });
    p.define('createFeed', { kind: 'bucket', rate: 0.0083, burst: 15 });
    p.define('feeds', { kind: 'window', count: 1, windowMs: 300_000 });
    expect(await p.acquire(['createFeed', 'feeds'], 'createFeed')).toBe(0);
    expect(await p.acquire(['createFeed', 'feeds'], 'createFeed')).toBe(300_000);
  });

  it("the server's x-amzn-RateLimit-Limit replaces the documented rate; a 429 empties the bucket", async () => {
    const k = clock();
    const p = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep });
    p.define('getOrders', { kind: 'bucket', rate: 0.0167, burst: 1 });
    await p.acquire(['getOrders'], 'getOrders');
    p.setRate('getOrders', 0.5);
    expect(await p.acquire(['getOrders'], 'getOrders')).toBe(2000);
    k.c.t += 10_000; // refilled to the burst
    p.penalize(['getOrders']); // …but the server says there is nothing left
    expect(await p.acquire(['getOrders'], 'getOrders')).toBe(2000);
  });

  it('stops at the run cap with a throttled RemoteError (exit 6) that names the wait and the setting', async () => {
    const k = clock();
    const p = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep, maxWaitMs: 10 * 60_000 });
    p.define('searchOrders', { kind: 'bucket', rate: 0.0056, burst: 1 });
    await p.acquire(['searchOrders'], 'searchOrders (eu)');
    for (let i = 0; i < 3; i++) await p.acquire(['searchOrders'], 'searchOrders (eu)'); // 3 × 179 s = 8m56s
    const e = await p.acquire(['searchOrders'], 'searchOrders (eu)').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).kind).toBe('throttled');
    expect(exitCodeOf(e as HttpError)).toBe(6);
    expect((e as HttpError).message).toMatch(/searchOrders \(eu\) would wait 2m59s for its rate limit \(0\.0056 requests\/s, burst 1\), beyond the 10m/);
    expect((e as HttpError).hints.join(' ')).toContain('http.maxWaitMs');
    expect(k.c.slept).toHaveLength(3); // nothing slept for the refused wait
  });

  it('with a scaled sleep (tests: backoffScale 0) nobody sleeps but the buckets see the time pass', async () => {
    const k = clock();
    const p = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep, scale: 0 });
    p.define('patch', { kind: 'bucket', rate: 5, burst: 5 });
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) waits.push(await p.acquire(['patch'], 'patchListingsItem'));
    expect(waits).toEqual([0, 0, 0, 0, 0, 200, 200, 200, 200, 200]);
    expect(k.c.slept).toEqual([]);
    expect(p.waitedMs).toBe(1000);
  });

  it('announces long waits (a terminal shows them) and persists its state for the next run', async () => {
    const k = clock();
    const saved = new Map<string, PacerState>();
    const store = { load: (key: string) => saved.get(key), save: (key: string, s: PacerState) => void saved.set(key, JSON.parse(JSON.stringify(s))) };
    const notices: string[] = [];
    const p = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep, state: store, onWait: (n) => notices.push(`${n.operation} ${n.waitMs} ${n.reason}`) });
    p.define('amazon/eu/feeds', { kind: 'window', count: 2, windowMs: 300_000 });
    await p.acquire(['amazon/eu/feeds'], 'JSON_LISTINGS_FEED (eu)');
    await p.acquire(['amazon/eu/feeds'], 'JSON_LISTINGS_FEED (eu)');
    expect(notices).toEqual([]);
    // A second process a minute later knows both submissions.
    k.c.t += 60_000;
    const p2 = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep, state: store, onWait: (n) => notices.push(`${n.operation} ${n.waitMs} ${n.reason}`) });
    p2.define('amazon/eu/feeds', { kind: 'window', count: 2, windowMs: 300_000 });
    expect(await p2.acquire(['amazon/eu/feeds'], 'JSON_LISTINGS_FEED (eu)')).toBe(240_000);
    expect(notices).toEqual(['JSON_LISTINGS_FEED (eu) 240000 2 per 5m']);
  });
});

describe('HttpClient with a pacer', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('waits before sending (not after a 429), and a 429 is retried after 1/rate, not given up after 30 s', async () => {
    const k = clock();
    const sentAt: number[] = [];
    let n = 0;
    server = createServer((_req, res) => {
      n++;
      sentAt.push(k.c.t);
      if (n === 3) {
        res.writeHead(429, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-ratelimit-limit': '0.0056' });
      res.end('{"orders":[]}');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pacer = new Pacer({ service: 'amazon', now: k.now, sleep: k.sleep });
    pacer.define('so', { kind: 'bucket', rate: 0.0056, burst: 2 });
    const c = new HttpClient({ service: 'amazon', baseURL: url, retries: 3, sleep: k.sleep, now: k.now, pacer, random: () => 0.5 });
    const get = () => c.request({ method: 'GET', url: '/orders', operation: 'searchOrders', pace: { keys: ['so'] } });
    await get();
    await get(); // burst of 2 used
    await get(); // paced: 179 s before it is sent; the server still answers 429 once; paced retry
    expect(sentAt[1]! - sentAt[0]!).toBe(0);
    expect(sentAt[2]! - sentAt[1]!).toBe(Math.ceil(1000 / 0.0056));
    expect(sentAt[3]! - sentAt[2]!).toBe(Math.ceil(1000 / 0.0056));
    expect(n).toBe(4);
    expect(Math.max(...k.c.slept)).toBeGreaterThan(30_000);
  });
});
