import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run, tempDir } from '../helpers/run.js';
import { openHomeStore } from '../reports/seed.js';
import { sandbox, testEnv } from '../sync/helpers.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { closedPort } from '../helpers/ports.js';

const PROFILE = join(import.meta.dirname, '../../fixtures/onboard/profile.json');

describe('merchant doctor', () => {
  it('on a fresh machine says there is no database and what to run (exit 4)', async () => {
    const home = tempDir();
    const r = await run(['doctor', '--offline', '--json'], { home });
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.checks.find((c: { id: string }) => c.id === 'database')).toMatchObject({ status: 'fail', fix: 'run `merchant onboard`' });
  });

  it('after onboarding everything passes, and a world-readable credentials file is a failure with the fix', async () => {
    const home = tempDir();
    await run(['onboard', '--no-input', '--from', PROFILE], { home });
    const ok = await run(['doctor', '--offline'], { home });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^database\tok\t.*schema \d+\/\d+.*integrity ok/m);
    expect(ok.stdout).toMatch(/^lock\tok\tfree/m);
    writeFileSync(join(home, 'credentials'), '{"shopify":{"token":"shpat_doctor123456"}}');
    chmodSync(join(home, 'credentials'), 0o644);
    const bad = await run(['doctor', '--offline'], { home });
    expect(bad.code).toBe(4);
    expect(bad.stdout).toMatch(/credentials file\tfail\t.*mode 644.*chmod 600/);
    expect(bad.stdout + bad.stderr).not.toMatch(/shpat_doctor123456/);
  });
});

// Connectivity: any HTTP answer means the host is up, and the probe follows no redirect (a 302 is the
// host's answer, not a hop to somewhere else); a refused connection is a failure with what to do.
describe('merchant doctor: connectivity', () => {
  it('reports the HTTP status the host answered (302 not followed) and an unreachable host with its error code', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/moved') res.writeHead(302, { Location: '/elsewhere' }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const downPort = await closedPort();
    try {
      const home = tempDir();
      await run(['onboard', '--no-input', '--from', PROFILE], { home });
      const upHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const s = openHomeStore(home);
      const add = s.db.prepare(`INSERT INTO carrier_accounts (carrier, base_url, mode, created_at, updated_at) VALUES (?, ?, 'test', '2026-11-03T09:00:00Z', '2026-11-03T09:00:00Z')`);
      add.run('easypost', `http://${upHost}/moved`);
      add.run('shippo', `http://127.0.0.1:${downPort}/v1`);
      s.close();
      const r = await run(['doctor', '--json'], { home });
      expect(r.code).toBe(4);
      const checks = JSON.parse(r.stdout).checks as Array<{ id: string; status: string; detail: string; fix?: string }>;
      const up = checks.find((c) => c.id === 'easypost connectivity');
      expect(up).toMatchObject({ status: 'ok', detail: expect.stringMatching(new RegExp(`^${upHost} answered HTTP 302 in \\d+ ms$`)) });
      expect(up?.fix).toBeUndefined();
      expect(hits).toEqual(['/moved']);
      expect(checks.find((c) => c.id === 'shippo connectivity')).toEqual({
        id: 'shippo connectivity',
        status: 'fail',
        detail: `127.0.0.1:${downPort} unreachable (ECONNREFUSED)`,
        fix: 'check the network or proxy; for a sandbox URL, start `merchant sandbox start`',
      });
      // --offline reaches nothing.
      const off = await run(['doctor', '--offline', '--json'], { home });
      expect((JSON.parse(off.stdout).checks as Array<{ id: string; status: string; detail: string }>).find((c) => c.id === 'easypost connectivity')).toMatchObject({ status: 'skip', detail: 'skipped (--offline)' });
      expect(hits).toEqual(['/moved']);
    } finally {
      server.close();
    }
  });
});

// Doctor judges what the seller must renew by hand, never the one-hour access token that renews itself.
describe('merchant doctor: credentials the seller must renew', () => {
  const c = SANDBOX_CREDENTIALS;
  const at = (iso: string) => ({ ...testEnv(), MERCHANT_NOW: iso });
  const check = (out: string, id: string) => (JSON.parse(out).checks as Array<{ id: string; status: string; detail: string; fix?: string }>).find((x) => x.id === id);

  async function connectAmazon(home: string, sb: Awaited<ReturnType<typeof sandbox>>, extra: string[] = []) {
    const r = await run(
      ['marketplace', 'connect', 'amazon', '--seller-id', c.amazon.sellerId, '--client-id', c.amazon.clientId, '--base-url', `${sb.urls.amazon}/{region}`, '--auth-url', sb.urls.amazonAuth, '--token-file', '-', ...extra],
      { home, env: at('2026-11-03T09:00:00Z'), stdin: `client_secret=${c.amazon.clientSecret}\nrefresh_token=${c.amazon.refreshToken}\n` },
    );
    expect(r.code, r.stderr).toBe(0);
    return r;
  }

  it('Amazon: fine right after connecting and two hours later (the access token is not judged); the 180-day client-secret rotation warns, then fails', async () => {
    const sb = await sandbox();
    const home = tempDir();
    await run(['onboard', '--no-input', '--from', PROFILE], { home });
    const connected = await connectAmazon(home, sb);
    expect(connected.stdout).toMatch(/^renew LWA client secret\t2027-05-02 \(in 180 days, estimated\)$/m);
    expect(connected.stdout).not.toMatch(/token expires/);

    for (const now of ['2026-11-03T09:00:01Z', '2026-11-03T11:00:00Z']) {
      const r = await run(['doctor', '--offline', '--json'], { home, env: at(now) });
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).not.toMatch(/expires in 0 days|renew it/);
      expect(check(r.stdout, 'amazon LWA client secret')).toMatchObject({ status: 'ok' });
      expect(check(r.stdout, 'amazon LWA client secret')!.detail).toMatch(/^renew by 2027-05-02 at the latest \(estimated\), in 18\d days: Amazon makes apps rotate the client secret every 180 days/);
      expect(check(r.stdout, 'amazon authorisation')).toMatchObject({ status: 'ok' });
      expect(check(r.stdout, 'amazon token')).toBeUndefined();
    }
    const soon = await run(['doctor', '--offline', '--json'], { home, env: at('2026-04-20T00:00:00Z'.replace('2026', '2027')) });
    expect(soon.code).toBe(0); // a warning does not fail the run
    expect(check(soon.stdout, 'amazon LWA client secret')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/Seller Central → Apps and Services → Develop Apps → LWA credentials/) });
    const late = await run(['doctor', '--offline'], { home, env: at('2027-05-03T00:00:00Z') });
    expect(late.code).toBe(4);
    expect(late.stdout).toMatch(/^amazon LWA client secret\tfail\texpired on 2027-05-02 at the latest \(estimated\)/m);
    expect(late.stderr).toMatch(/check failed: amazon LWA client secret/);
  });

  it('Amazon: --renew-by records the deadline Seller Central shows, and that date is judged', async () => {
    const sb = await sandbox();
    const home = tempDir();
    await connectAmazon(home, sb, ['--renew-by', '2026-12-01']);
    const r = await run(['doctor', '--offline', '--json'], { home, env: at('2026-11-20T00:00:00Z') });
    expect(check(r.stdout, 'amazon LWA client secret')).toMatchObject({ status: 'warn', detail: 'renew by 2026-12-01, in 11 days' });
    const bad = await run(['marketplace', 'connect', 'amazon', '--seller-id', c.amazon.sellerId, '--renew-by', '1 Dec'], { home, env: testEnv() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--renew-by takes a date YYYY-MM-DD/);
  });

  it('eBay: the refresh token lives 18 months from connecting unless told otherwise; Shopify: a static Admin token never expires', async () => {
    const sb = await sandbox();
    const home = tempDir();
    await run(['onboard', '--no-input', '--from', PROFILE], { home });
    const e = await run(['marketplace', 'connect', 'ebay', '--client-id', c.ebay.clientId, '--base-url', sb.urls.ebay, '--auth-url', sb.urls.ebay, '--token-file', '-'], {
      home, env: at('2026-11-03T09:00:00Z'), stdin: `client_secret=${c.ebay.clientSecret}\nrefresh_token=${c.ebay.refreshToken}\n`,
    });
    expect(e.code, e.stderr).toBe(0);
    const s = await run(['marketplace', 'connect', 'shopify', '--shop', c.shopify.shop, '--base-url', sb.urls.shopify, '--token-file', '-'], { home, env: at('2026-11-03T09:00:00Z'), stdin: c.shopify.token });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/^renew Admin API token\tdoes not expire$/m);
    const r = await run(['doctor', '--offline', '--json'], { home, env: at('2028-04-10T00:00:00Z') });
    expect(check(r.stdout, 'ebay refresh token')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^renew by 2028-05-03 at the latest \(estimated\), in 23 days: eBay refresh tokens live 18 months/) });
    expect(check(r.stdout, 'shopify Admin API token')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^does not expire/) });
    expect(r.code).toBe(0);
    const list = await run(['marketplace', 'list'], { home, env: at('2026-11-03T10:00:00Z') });
    expect(list.stdout).toMatch(/^ebay\t.*\t2028-05-03 \(in 547 days, estimated\) refresh token\t/m);
    expect(list.stdout).toMatch(/^shopify\t.*\tnothing to renew\t/m);
  });
});
