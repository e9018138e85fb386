// Replies with a success status that are not the API: a captive portal's HTML page, JSON cut off by a
// proxy, an empty `{}` from a gateway. They are remote failures: exit 6 naming the marketplace or
// carrier, the status and the start of the body — never exit 1 "this is a bug" — and the sync run is
// closed, not left "running".
import { describe, it, expect } from 'vitest';
import { shop, query, ENV } from './pipeline.js';

const FAST = { MERCHANT_HTTP_BACKOFFSCALE: '0', MERCHANT_HTTP_RETRIES: '2' };

const KINDS = [
  { fault: 'html', shows: /HTTP 200 with a reply that is not JSON \(text\/html\): "<!DOCTYPE html> <html><head><title>Service Unavailable/ },
  { fault: 'truncated', shows: /HTTP 200 with a reply that is not JSON/ },
  { fault: 'empty', shows: /HTTP 200 with (no access_token in the reply: "{}"|.*no GraphQL data)/ },
] as const;

describe('malformed replies from marketplaces', () => {
  for (const m of ['shopify', 'amazon', 'ebay'] as const) {
    for (const k of KINDS) {
      it(`${m}, ${k.fault}: sync exits 6 with the marketplace, the status and the body's start; the run is closed`, async () => {
        const s = await shop({ marketplaces: [m] });
        s.sb.setFaults(`${k.fault}:1`);
        const r = await s.cli(['sync', '--yes'], FAST);
        s.sb.setFaults('');
        expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(6);
        if (process.env.SHOW_MALFORMED) console.log(m, k.fault, r.stderr);
        expect(r.stderr).not.toMatch(/This is a bug|unexpected internal error/);
        expect(r.stderr).toMatch(new RegExp(m));
        expect(r.stderr).toMatch(k.shows);
        const runs = query<{ status: string; finished_at: string | null }>(s.home, 'SELECT status, finished_at FROM sync_runs ORDER BY id');
        expect(runs.length).toBeGreaterThan(0);
        for (const run of runs) {
          expect(run.status).not.toBe('running');
          expect(run.finished_at).not.toBeNull();
        }
        // Once the network is itself again, the next run converges.
        const again = await s.cli(['sync', '--yes']);
        expect(again.code, again.stderr).toBe(0);
      });
    }
  }

  it('a write answered with cut-off JSON (it was applied): read back and acknowledged, never sent twice', async () => {
    const s = await shop({ marketplaces: ['ebay'] });
    s.sb.scriptFaults([{ match: 'bulk_update_price_quantity', nth: 1, fault: 'truncated' }]);
    const mark = s.sb.requests().length;
    const r = await s.cli(['sync', '--yes', '--json'], FAST);
    expect(r.code, r.stderr).toBe(0);
    const writes = s.sb.requests().slice(mark).filter((q) => q.path.includes('bulk_update_price_quantity'));
    expect(writes.some((q) => q.fault === 'truncated')).toBe(true);
    const skus = writes.flatMap((q) => [...q.body.matchAll(/"sku":"([^"]+)"/g)].map((m) => m[1]));
    expect(skus.length).toBeGreaterThan(0);
    expect(new Set(skus).size, skus.join(',')).toBe(skus.length);
    const items = JSON.parse(r.stdout).items as Array<{ state: string; confirmedByReadBack?: boolean }>;
    expect(items.some((i) => i.confirmedByReadBack)).toBe(true);
    expect(items.every((i) => i.state === 'acked' || i.state === 'skipped')).toBe(true);
  });

  it('--json: one document with the error, code remote_failure', async () => {
    const s = await shop({ marketplaces: ['shopify'] });
    s.sb.setFaults('html:1');
    const r = await s.cli(['sync', '--yes', '--json'], FAST);
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout) as { error: { code: string; message: string; exitCode: number } };
    expect(doc.error.code).toBe('remote_failure');
    expect(doc.error.exitCode).toBe(6);
    expect(doc.error.message).toMatch(/shopify: .*HTTP 200 with a reply that is not JSON \(text\/html\)/);
  });
});

describe('malformed replies from carriers and on connect', () => {
  it('easypost: ship rates exits 6 (not 1) for each kind of reply, and works once the network is back', async () => {
    const s = await shop({ carrier: true });
    expect((await s.cli(['sync', '--yes', '--only', 'orders'])).code).toBe(0);
    // (A `{}` from a carrier is its adapter's to refuse: the carriers' own work, issue #16 fault 1.)
    for (const k of KINDS.filter((x) => x.fault !== 'empty')) {
      s.sb.setFaults(`${k.fault}:1`);
      const r = await s.cli(['ship', 'rates', '5600000002'], FAST);
      s.sb.setFaults('');
      expect(r.code, `${k.fault}: ${r.stdout}\n${r.stderr}`).toBe(6);
      expect(r.stderr).not.toMatch(/This is a bug|unexpected internal error/);
      expect(r.stderr).toMatch(/easypost/);
    }
    const ok = await s.cli(['ship', 'rates', '5600000002']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('marketplace connect against an HTML page: exit 6, nothing stored', async () => {
    const s = await shop({ marketplaces: ['ebay'] });
    s.sb.setFaults('html:1');
    const r = await s.cli(['marketplace', 'connect', 'shopify', '--sandbox', s.sb.url], FAST);
    s.sb.setFaults('');
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/shopify: .*HTTP 200 with a reply that is not JSON \(text\/html\)/);
    expect(query(s.home, "SELECT marketplace FROM marketplace_accounts WHERE marketplace = 'shopify'")).toEqual([]);
  });
});

describe('a sync run that ends in an unexpected error is closed, not left running', () => {
  it('an adapter that throws something that is not a remote failure: the run is marked failed', async () => {
    const { openStore } = await import('../../src/store/db.js');
    const { CredentialStore } = await import('../../src/config/credentials.js');
    const { httpFactory } = await import('../../src/adapters/http/factory.js');
    const { runSync } = await import('../../src/services/sync/run.js');
    const { join } = await import('node:path');
    const s = await shop({ marketplaces: ['shopify'] });
    const store = openStore(join(s.home, 'merchant.db'));
    // An adapter whose every call fails the way a bug would (a TypeError reading a reply).
    const broken = new Proxy({ name: 'shopify' }, {
      get: (t, k) => (k === 'name' ? t.name : () => {
        throw new TypeError("Cannot read properties of undefined (reading 'nodes')");
      }),
    });
    try {
      await expect(
        runSync(
          {
            store,
            connections: (await import('../../src/cli/wiring/marketplaces.js')).syncConnections({
              store,
              credentials: new CredentialStore(join(s.home, 'credentials'), {}),
              http: httpFactory({ timeoutMs: 1000, retries: 0, backoffScale: 0 }),
              now: () => ENV.MERCHANT_NOW!,
            }),
            now: () => ENV.MERCHANT_NOW!,
            limits: { maxZeroShare: 0.2, maxRemoveShare: 0.2, minItems: 5 },
            ordersSince: '2026-01-01T00:00:00Z',
            adapters: { shopify: broken as never },
          },
          { only: new Set(['orders', 'prices', 'inventory', 'listings']) as never, dryRun: false, allowMassChange: false },
        ),
      ).rejects.toThrow(TypeError);
      const runs = store.db.prepare('SELECT status, finished_at FROM sync_runs').all() as Array<{ status: string; finished_at: string | null }>;
      expect(runs).toEqual([{ status: 'failed', finished_at: ENV.MERCHANT_NOW }]);
    } finally {
      store.close();
    }
  });
});
