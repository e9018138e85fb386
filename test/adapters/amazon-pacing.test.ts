// The Amazon adapter paces every call by the documented usage plan BEFORE sending, against the sandbox,
// with one clock shared by the adapter's waits and the sandbox's buckets (nobody really sleeps): the
// 21st searchOrders waits ~179 s instead of earning a 429 and giving up after 30 s; the 6th
// JSON_LISTINGS_FEED within 5 minutes in a region waits for the quota; the cap ends a run that would
// wait too long with a clear exit-6 error.
import { describe, it, expect, afterEach } from 'vitest';
import { startSandbox, SANDBOX_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';
import { httpFactory } from '../../src/adapters/http/factory.js';
import { HttpError, type WaitNotice } from '../../src/adapters/http/index.js';
import { AmazonAdapter } from '../../src/adapters/marketplaces/amazon/index.js';
import type { ListingChange } from '../../src/ports/marketplace.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';

const C = SANDBOX_CREDENTIALS.amazon;
const running: Sandbox[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

async function setup(o: { maxWaitMs?: number; feedThreshold?: number } = {}) {
  const clock = { t: Date.parse('2026-11-25T06:00:00Z') };
  const sb = await startSandbox({ port: 0, now: () => clock.t });
  running.push(sb);
  const notices: WaitNotice[] = [];
  const http = httpFactory({
    timeoutMs: 5000,
    retries: 5,
    backoffScale: 1,
    now: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
    },
    random: () => 0.5,
    maxWaitMs: o.maxWaitMs,
    onWait: (n) => notices.push(n),
  });
  const adapter = new AmazonAdapter(
    {
      endpoints: { eu: `${sb.urls.amazon}/eu`, na: `${sb.urls.amazon}/na` },
      authURL: sb.urls.amazonAuth,
      clientId: C.clientId,
      clientSecret: C.clientSecret,
      refreshToken: C.refreshToken,
      sellerId: C.sellerId,
      feedThreshold: o.feedThreshold,
      pollInitialMs: 1000,
      now: () => clock.t,
    },
    http,
  );
  return { sb, clock, adapter, notices };
}

async function pull(adapter: AmazonAdapter): Promise<number> {
  let n = 0;
  for await (const page of adapter.pullOrders(undefined, { since: '2026-11-01T00:00:00Z', channels: ['amazon-de'] })) n += page.orders.length;
  return n;
}

describe('Amazon pacing against the sandbox', () => {
  it('searchOrders: a burst of 20, then the 21st waits ~179 s before it is sent; no 429', async () => {
    const { sb, clock, adapter, notices } = await setup();
    const t0 = clock.t;
    for (let i = 0; i < 21; i++) expect(await pull(adapter)).toBe(5);
    const searches = sb.requests().filter((q) => q.path.includes('/orders/2026-01-01/orders'));
    expect(searches).toHaveLength(21);
    expect(searches.map((q) => q.status)).toEqual(Array(21).fill(200));
    expect(clock.t - t0).toBeGreaterThanOrEqual(178_000);
    expect(notices.map((n) => `${n.operation}: ${n.reason}`)).toEqual(['searchOrders (eu): 0.0056 requests/s, burst 20']);
  });

  it('the run cap: a wait beyond http.maxWaitMs fails at once with a throttled error (exit 6) naming the setting', async () => {
    const { sb, adapter } = await setup({ maxWaitMs: 60_000 });
    for (let i = 0; i < 20; i++) await pull(adapter);
    const e = await pull(adapter).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect(exitCodeOf(e as HttpError)).toBe(6);
    expect((e as HttpError).message).toMatch(/searchOrders \(eu\) would wait 2m59s for its rate limit \(0\.0056 requests\/s, burst 20\), beyond the 1m/);
    expect((e as HttpError).hints.join(' ')).toContain('http.maxWaitMs');
    expect(sb.requests().filter((q) => q.path.includes('/orders/2026-01-01/orders'))).toHaveLength(20);
  });

  it('JSON_LISTINGS_FEED: the 6th feed within 5 minutes in a region waits for the quota before its document is created; no 429', async () => {
    const { sb, clock, adapter, notices } = await setup({ feedThreshold: 1 });
    const changes = (round: number): ListingChange[] =>
      ['amazon-de', 'amazon-uk'].flatMap((channel) =>
        ['MUG-BLU-S', 'BOWL-GRY-M'].map((sku) => ({ key: `${channel}/${sku}`, channel, sku, quantity: 10 + round, remoteProductType: sku === 'BOWL-GRY-M' ? 'BOWL' : 'DRINKING_CUP', fulfilledBy: 'merchant' as const })),
      );
    for (let round = 0; round < 3; round++) {
      const out = await adapter.push(changes(round));
      expect(out.every((o) => o.ok), JSON.stringify(out)).toBe(true);
    }
    const creates = sb.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/feeds/2021-06-30/feeds'));
    expect(creates.map((q) => q.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const at = (q: { time: string }) => Date.parse(q.time);
    expect(at(creates[5]!) - at(creates[0]!)).toBeGreaterThanOrEqual(300_000);
    // The 6th document was created after the wait, so its 5-minute upload URL was still valid.
    const docs = sb.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/feeds/2021-06-30/documents'));
    expect(at(docs[5]!) - at(creates[0]!)).toBeGreaterThanOrEqual(300_000);
    expect(notices.some((n) => n.operation.startsWith('JSON_LISTINGS_FEED for') && n.reason === '5 per 5m')).toBe(true);
    void clock;
  });
});
