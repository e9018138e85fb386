// kill -9 at many points of prices update and sync (MERCHANT_CRASH_AT stops the process with SIGKILL
// right before or after the n-th transaction commits), then a plain re-run: the database passes
// integrity_check, nothing is half-applied, no accepted write reaches the marketplace twice, and the
// final state equals an uninterrupted run's.
// Cost: each kill point is two runs of the built binary, one test each, over a home built once per
// command (the sync points share its sandbox, reset before each point). The children keep the production HTTP timeout: on a busy machine a
// slow answer must not turn into a timeout the test did not ask for.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnBin } from '../helpers/run.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { shop, integrity, query, ENV, type Shop } from './pipeline.js';

function runChild(home: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawnBin(args, { env: { ...ENV, MERCHANT_HTTP_TIMEOUTMS: '30000', MERCHANT_HOME: home, ...env } });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.resume();
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stderr })));
}

/** The child was stopped by MERCHANT_CRASH_AT at exactly `point` (label:n): SIGKILL, and the point's own line on stderr. */
function expectKilledAt(r: { code: number | null; signal: string | null; stderr: string }, point: string): void {
  expect(r.signal, `${point}: the run was not killed (exit ${r.code}); the kill point was never reached: ${r.stderr}`).toBe('SIGKILL');
  expect(r.stderr, `${point}: killed, but not by the crash point`).toContain(`merchant: crash point ${point} reached`);
}

function copyHome(from: string): string {
  const to = mkdtempSync(join(tmpdir(), 'merchant-crash-'));
  cpSync(from, to, { recursive: true });
  return to;
}

const listingState = (home: string) =>
  query(home, `SELECT v.sku, cl.channel, cl.price_minor, cl.currency, cl.acked_price_minor FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id ORDER BY 1, 2`);

describe('crash safety (kill -9 at transaction boundaries, then re-run)', () => {
  describe('prices update: every kill point converges to the uninterrupted result', () => {
    let s: Shop;
    let expected: unknown;
    let expectedHistory: unknown;
    beforeAll(async () => {
      // Prices update needs no remote: the sandbox only serves the connections made while building the home.
      s = await shop({ sb: await startSandbox({ port: 0, seed: 11 }), marketplaces: ['amazon', 'shopify'] });
      // A change to price: a new rule for every channel.
      expect((await s.cli(['prices', 'rules', 'set', 'default', '--margin', '35%', '--fx-buffer', '2%', '--ending', '.90'])).code).toBe(0);
      const reference = copyHome(s.home);
      try {
        const ref = await runChild(reference, ['prices', 'update', '--yes', '--allow-stale']);
        expect(ref.code, ref.stderr).toBe(0);
        expected = listingState(reference);
        expectedHistory = query(reference, 'SELECT count(*) AS n FROM price_history')[0];
      } finally {
        rmSync(reference, { recursive: true, force: true });
      }
    });
    afterAll(async () => {
      await s?.sb.stop();
      if (s?.home) rmSync(s.home, { recursive: true, force: true });
    });

    // Inline, and with the writes on the writer thread (store/repos/price-writer.ts), which passes the
    // same points with the count the main thread reached.
    const points = ['tx.before-commit:1', 'tx.after-commit:1', 'tx.before-commit:2', 'tx.after-commit:2'];
    it.each([...points.map((p) => [p, 'inline']), ...points.map((p) => [p, 'thread'])])('%s (%s)', async (point, mode) => {
      const h = copyHome(s.home);
      try {
        const env = { MERCHANT_CRASH_AT: point, MERCHANT_PRICE_THREAD_MIN: mode === 'thread' ? '1' : '1000000000' };
        const crashed = await runChild(h, ['prices', 'update', '--yes', '--allow-stale'], env);
        expectKilledAt(crashed, point);
        expect(integrity(h), point).toBe('ok');
        const again = await runChild(h, ['prices', 'update', '--yes', '--allow-stale']);
        expect(again.code, `${point}: ${again.stderr}`).toBe(0);
        expect(listingState(h), point).toEqual(expected);
        expect(query(h, 'SELECT count(*) AS n FROM price_history')[0], point).toEqual(expectedHistory);
      } finally {
        rmSync(h, { recursive: true, force: true });
      }
    });
  });

  describe('sync: killed after any committed step, the re-run sends only what is missing and converges', () => {
    let s: Shop;
    let base: string;
    beforeAll(async () => {
      // Built once for all points (a sandbox started here: pipeline's sandbox() belongs to one test).
      s = await shop({ sb: await startSandbox({ port: 0, seed: 11 }), marketplaces: ['shopify', 'ebay'] });
      base = copyHome(s.home);
    });
    afterAll(async () => {
      await s?.sb.stop();
      for (const d of [base, s?.home]) if (d) rmSync(d, { recursive: true, force: true });
    });

    it.each([1, 2, 3, 4, 6, 8, 12])('after commit %i', async (n) => {
      s.sb.reset();
      const h = copyHome(base);
      try {
        const mark = s.sb.requests().length;
        const crashed = await runChild(h, ['sync', '--yes'], { MERCHANT_CRASH_AT: `tx.after-commit:${n}` });
        expectKilledAt(crashed, `tx.after-commit:${n}`);
        expect(integrity(h), `n=${n}`).toBe('ok');
        const again = await runChild(h, ['sync', '--yes']);
        expect(again.code, `n=${n}: ${again.stderr}`).toBe(0);
        expect(integrity(h)).toBe('ok');
        const open = query<{ n: bigint }>(h, "SELECT count(*) AS n FROM outbox WHERE state IN ('pending','sent','failed') AND marketplace IN ('shopify','ebay')");
        expect(Number(open[0]!.n), `n=${n}`).toBe(0);
        // No accepted write twice: eBay bulk writes and Shopify variant updates carry each SKU once overall.
        const writes = s.sb.requests().slice(mark).filter((r) => r.status !== undefined && r.status < 300 && r.method === 'POST');
        const ebaySkus = writes.filter((r) => r.path.includes('bulk_update_price_quantity')).flatMap((r) => [...r.body.matchAll(/"sku":"([^"]+)"/g)].map((m) => m[1]));
        const shopifyUpdates = writes.filter((r) => r.body.includes('productVariantsBulkUpdate')).flatMap((r) => [...r.body.matchAll(/gid:\/\/shopify\/ProductVariant\/\d+/g)].map((m) => m[0]));
        expect(ebaySkus.length, `n=${n}: eBay writes seen`).toBeGreaterThan(0);
        expect(shopifyUpdates.length, `n=${n}: Shopify writes seen`).toBeGreaterThan(0);
        expect(new Set(ebaySkus).size, `n=${n} ebay ${ebaySkus.join(',')}`).toBe(ebaySkus.length);
        expect(new Set(shopifyUpdates).size, `n=${n} shopify`).toBe(shopifyUpdates.length);
      } finally {
        rmSync(h, { recursive: true, force: true });
      }
    });
  });
});
