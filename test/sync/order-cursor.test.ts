// Order pulls that die half-way never lose orders. eBay lists orders newest created first: a
// watermark committed after page 1 would make the next run ask only for orders modified after the
// newest ones, and the older orders of the unread pages would be skipped for good. The watermark is
// committed only when a pull completes; an interrupted pull continues where it stopped (eBay's offset)
// or starts over (adapters that cannot resume), and the watermark never passes the pull's start.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { world, runBinAsync, ROOT } from './helpers.js';
import { ebaySandboxWithOrders, manyOrders } from './ebay-helpers.js';
import { openStore, type Store } from '../../src/store/db.js';
import { getCursor, getPullProgress, pullMarketplaceOrders, watermarkAfterPull } from '../../src/services/orders/pull.js';
import type { MarketplacePort, NormalizedOrder, OrdersPage } from '../../src/ports/marketplace.js';
import { tempDir, run } from '../helpers/run.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
});

const count = (s: Store) => Number((s.db.prepare(`SELECT count(*) AS n FROM orders WHERE marketplace = 'ebay'`).get() as { n: bigint }).n);
const orderRequests = (sb: { requests(): Array<{ api: string; path: string }> }) =>
  sb.requests().filter((q) => q.api === 'ebay' && q.path.startsWith('/ebay/sell/fulfillment/v1/order?')).map((q) => new URLSearchParams(q.path.split('?')[1]));

describe('eBay order pull interrupted on page 2', () => {
  it('a pull that fails on page 2 is continued by the next run, and every order arrives', async () => {
    const sb = await ebaySandboxWithOrders(manyOrders(250)); // + the 3 seeded eBay orders = 253: two pages
    const w = await world(['ebay'], { sb });
    const st = w.store();
    // The second page answers 500 and the client may not retry: the pull stops after page 1.
    sb.scriptFaults([{ match: 'GET /ebay/sell/fulfillment/v1/order', nth: 2, fault: '500' }]);
    const first = await run(['sync', '--yes', '--only', 'orders'], { home: w.home, env: { ...w.env, MERCHANT_HTTP_RETRIES: '0' } });
    expect(first.code).toBe(6);
    expect(count(st)).toBe(200); // the newest 200 created
    expect(getCursor(st, 'ebay')).toBeUndefined(); // no watermark from an unfinished pull
    expect(getPullProgress(st, 'ebay')).toMatchObject({ watermark: null, resume: expect.stringContaining('"offset":200') });

    const second = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(count(st)).toBe(253);
    const reqs = orderRequests(sb);
    // It went on at offset 200 with the same filter, instead of starting over or skipping ahead.
    const resumed = reqs[2]!;
    expect(resumed.get('offset')).toBe('200');
    expect(resumed.get('filter')).toBe(reqs[0]!.get('filter'));
    // Completed: the watermark is the latest change seen, and the progress is gone.
    expect(getCursor(st, 'ebay')).toBe('2026-11-21T07:30:00.000Z');
    expect(getPullProgress(st, 'ebay')).toBeUndefined();
    const third = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(JSON.parse(third.stdout).marketplaces[0].orders).toMatchObject({ created: 0, fetched: 1 });
    expect(orderRequests(sb).at(-1)!.get('filter')).toBe('lastmodifieddate:[2026-11-21T07:30:00.000Z..]');
  });

  it('a pull killed (SIGKILL) after its first page commits is continued by the next run', async () => {
    const sb = await ebaySandboxWithOrders(manyOrders(250));
    const w = await world(['ebay'], { sb });
    // SIGKILL right after page 1 of the pull is committed.
    const killed = await runBinAsync(['sync', '--yes', '--only', 'orders'], { ...w.env, MERCHANT_HOME: w.home, MERCHANT_CRASH_AT: 'orders.page-saved:1' });
    expect(killed.code).not.toBe(0);
    const st = w.store();
    expect(count(st)).toBe(200);
    expect(getCursor(st, 'ebay')).toBeUndefined();
    const again = await w.cli(['sync', '--yes', '--only', 'orders']);
    expect(again.code, again.stderr).toBe(0);
    expect(count(st)).toBe(253);
  }, 30_000);
});

/** An adapter that cannot resume: newest first, pages of 2, fails on the page given. */
function fakeAdapter(orders: Array<{ id: string; updated: string }>, o: { failOnPage?: number; calls: Array<{ cursor?: string; resume?: string }> }): MarketplacePort {
  const order = (id: string, updated: string): NormalizedOrder => ({
    marketplace: 'shopify', channel: 'shopify', externalId: id, status: 'unshipped', orderedAt: updated, remoteUpdatedAt: updated, paidAt: null, currency: 'EUR',
    buyerName: null, buyerEmail: null, shipTo: null, shipCountry: null, shippingMinor: 0n, shippingTaxMinor: 0n, discountMinor: 0n, taxMinor: 0n, taxKind: null, totalMinor: null,
    lines: [], fees: [], refunds: [], raw: { id },
  });
  return {
    name: 'shopify',
    planCalls: () => [],
    push: async () => [],
    readBack: async () => [],
    verify: async () => ({ account: 'x', check: 'x' }),
    requestCount: () => 0,
    async *pullOrders(cursor: string | undefined, opts: { since: string; resume?: string }): AsyncGenerator<OrdersPage> {
      o.calls.push({ cursor, resume: opts.resume });
      const since = cursor ?? opts.since;
      const list = orders.filter((x) => x.updated >= since).sort((a, b) => (a.id < b.id ? 1 : -1));
      let max = since;
      for (let i = 0; i < list.length; i += 2) {
        if (o.failOnPage === i / 2 + 1) throw new Error('connection reset');
        const page = list.slice(i, i + 2);
        for (const p of page) if (p.updated > max) max = p.updated;
        yield { orders: page.map((p) => order(p.id, p.updated)), cursor: max, done: i + 2 >= list.length };
      }
    },
  };
}

describe('order pulls in general (any marketplace)', () => {
  const ORDERS = [
    // Newest created first; the newest were also modified last.
    { id: 'o6', updated: '2026-11-20T10:00:00.000Z' },
    { id: 'o5', updated: '2026-11-19T10:00:00.000Z' },
    { id: 'o4', updated: '2026-11-03T10:00:00.000Z' },
    { id: 'o3', updated: '2026-11-02T10:00:00.000Z' },
    { id: 'o2', updated: '2026-11-01T10:00:00.000Z' },
  ];
  const opts = (now: string) => ({ channels: ['shopify'], defaultSince: '2026-10-01T00:00:00.000Z', connectedAt: '2026-10-01T00:00:00.000Z', now: () => now });

  it('an adapter that cannot resume starts over from the last committed watermark; no order is skipped', async () => {
    const st = openStore(join(tempDir('merchant-pull-'), 'm.db'));
    const calls: Array<{ cursor?: string; resume?: string }> = [];
    await expect(pullMarketplaceOrders(st, fakeAdapter(ORDERS, { failOnPage: 2, calls }), opts('2026-11-25T06:00:00.000Z'))).rejects.toThrow('connection reset');
    expect(getCursor(st, 'shopify')).toBeUndefined();
    const r = await pullMarketplaceOrders(st, fakeAdapter(ORDERS, { calls }), opts('2026-11-25T07:00:00.000Z'));
    expect(calls).toEqual([{ cursor: undefined, resume: undefined }, { cursor: undefined, resume: undefined }]);
    expect(r).toMatchObject({ created: 3, unchanged: 2 });
    expect(Number((st.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: bigint }).n)).toBe(5);
    expect(getCursor(st, 'shopify')).toBe('2026-11-20T10:00:00.000Z');
    st.close();
  });

  it('the watermark never passes the start of the pull (less a margin): a change made meanwhile is read again', () => {
    expect(watermarkAfterPull(null, '2026-11-20T10:00:00.000Z', '2026-11-25T06:00:00.000Z')).toBe('2026-11-20T10:00:00.000Z');
    // An order changed two minutes before the pull began: the next pull starts five minutes before it.
    expect(watermarkAfterPull(null, '2026-11-25T05:58:00.000Z', '2026-11-25T06:00:00.000Z')).toBe('2026-11-25T05:55:00.000Z');
    expect(watermarkAfterPull('2026-11-25T05:59:00.000Z', '2026-11-25T05:58:00.000Z', '2026-11-25T06:00:00.000Z')).toBe('2026-11-25T05:59:00.000Z'); // never backwards
    expect(watermarkAfterPull('2026-11-01T00:00:00Z', null, '2026-11-25T06:00:00.000Z')).toBe('2026-11-01T00:00:00Z');
    // Mixed precision compares as instants, not as text.
    expect(watermarkAfterPull('2026-11-20T10:00:00Z', '2026-11-20T10:00:00.500Z', '2026-11-25T06:00:00.000Z')).toBe('2026-11-20T10:00:00.500Z');
  });
});

describe("eBay order lines map to catalogue SKUs by the account's home site", () => {
  // Off the home site a listing's eBay SKU is SKU-<SITE> (VASE-US on ebay-us is our VASE); on the home
  // site eBay's SKU is ours, so VASE-UK there is a SKU of its own and must not be folded onto VASE.
  it('VASE-US sold on ebay-us is VASE; VASE-UK sold on the home site ebay-uk stays VASE-UK', async () => {
    const st = openStore(join(tempDir('merchant-pull-home-'), 'm.db'));
    const at = '2026-11-01T00:00:00Z';
    st.marketplaceAccounts.save({ marketplace: 'ebay', baseUrl: 'http://127.0.0.1:1/ebay', authUrl: null, sandbox: true, settings: { homeMarketplaceId: 'EBAY_GB', marketplaceIds: ['EBAY_GB', 'EBAY_US'] }, verifiedAt: at, tokenExpiresAt: null }, at);
    st.tx(() => {
      const p = st.db.prepare("INSERT INTO products (handle, title, created_at, updated_at) VALUES ('vase', 'Vase', ?, ?)").run(at, at).lastInsertRowid;
      st.db.prepare("INSERT INTO variants (product_id, sku, created_at, updated_at) VALUES (?, 'VASE', ?, ?)").run(p, at, at);
    });
    const line = (sku: string, channel: string) => ({ externalLineId: `${sku}-1`, sku, channel, title: 'Vase', quantity: 1, unitPriceMinor: 1500n, discountMinor: 0n, taxMinor: 0n });
    const order = (id: string, channel: string, sku: string): NormalizedOrder => ({
      marketplace: 'ebay', channel, externalId: id, status: 'unshipped', orderedAt: '2026-11-20T10:00:00.000Z', remoteUpdatedAt: '2026-11-20T10:00:00.000Z', paidAt: null, currency: channel === 'ebay-us' ? 'USD' : 'GBP',
      buyerName: null, buyerEmail: null, shipTo: null, shipCountry: null, shippingMinor: 0n, shippingTaxMinor: 0n, discountMinor: 0n, taxMinor: 0n, taxKind: null, totalMinor: null,
      lines: [line(sku, channel)], fees: [], refunds: [], raw: { id },
    });
    const adapter: MarketplacePort = {
      name: 'ebay', planCalls: () => [], push: async () => [], readBack: async () => [], verify: async () => ({ account: 'x', check: 'x' }), requestCount: () => 0,
      async *pullOrders(): AsyncGenerator<OrdersPage> {
        yield { orders: [order('E-US', 'ebay-us', 'VASE-US'), order('E-UK', 'ebay-uk', 'VASE-UK')], cursor: '2026-11-20T10:00:00.000Z', done: true };
      },
    };
    await pullMarketplaceOrders(st, adapter, { channels: ['ebay-us', 'ebay-uk'], defaultSince: '2026-10-01T00:00:00.000Z', connectedAt: '2026-10-01T00:00:00.000Z', now: () => '2026-11-25T06:00:00.000Z' });
    const skus = st.db.prepare('SELECT o.external_id AS id, l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id ORDER BY o.external_id').all();
    expect(skus).toEqual([{ id: 'E-UK', sku: 'VASE-UK' }, { id: 'E-US', sku: 'VASE' }]);
    st.close();
  });
});
