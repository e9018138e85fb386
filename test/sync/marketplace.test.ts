// marketplace connect|list|remove: secrets from --token-file / stdin / never a flag, verification by
// one real call, redaction in --verbose logs, and the --notify hook of sync.
import { describe, it, expect } from 'vitest';
import { writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandbox, testEnv, world, setPrice } from './helpers.js';
import { run, tempDir } from '../helpers/run.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { closedPort } from '../helpers/ports.js';

describe('merchant marketplace', () => {
  it('connects a "real" account from a token file, verified by one call; the secret never shows', async () => {
    const sb = await sandbox();
    const home = tempDir();
    const file = join(home, 'token.txt');
    writeFileSync(file, `${SANDBOX_CREDENTIALS.shopify.token}\n`);
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', 'sandbox-shop.myshopify.com', '--base-url', sb.urls.shopify, '--token-file', file, '--verbose', '--json'], { home, env: testEnv() });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ marketplace: 'shopify', sandbox: false, verified: true, channels: ['shopify'], secretsStored: ['token'] });
    expect(r.stderr).toContain('graphql.json'); // --verbose request log
    expect(r.stdout + r.stderr).not.toContain(SANDBOX_CREDENTIALS.shopify.token);
    expect(statSync(join(home, 'credentials')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(home, 'merchant.db')).includes(Buffer.from(SANDBOX_CREDENTIALS.shopify.token))).toBe(false);
    const sent = sb.requests().filter((q) => q.api === 'shopify');
    expect(sent).toHaveLength(1); // one cheap verification call
  });

  it('reads Amazon secrets from stdin (--token-file -) and rejects bad ones with exit 6, storing nothing', async () => {
    const sb = await sandbox();
    const home = tempDir();
    const c = SANDBOX_CREDENTIALS.amazon;
    const args = ['marketplace', 'connect', 'amazon', '--seller-id', c.sellerId, '--client-id', c.clientId, '--channels', 'amazon-de', '--base-url', sb.urls.amazon, '--auth-url', sb.urls.amazonAuth, '--token-file', '-'];
    const bad = await run(args, { home, env: testEnv(), stdin: `client_secret=wrong-secret-value\nrefresh_token=${c.refreshToken}\n` });
    expect(bad.code).toBe(6);
    expect(bad.stderr).toContain('invalid_client');
    expect(bad.stderr).not.toContain('wrong-secret-value');
    expect((await run(['marketplace', 'list', '--json'], { home, env: testEnv() })).stdout).toContain('"items": []');
    const good = await run([...args, '--json'], { home, env: testEnv(), stdin: JSON.stringify({ clientSecret: c.clientSecret, refreshToken: c.refreshToken }) });
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ channels: ['amazon-de'], verified: true });
    expect(JSON.parse(good.stdout).tokenExpiresAt).toMatch(/^2026-/);
  });

  it('without a TTY a missing secret is a usage error naming --token-file, never a prompt', async () => {
    const home = tempDir();
    const r = await run(['marketplace', 'connect', 'ebay', '--client-id', 'MyApp-PRD-123'], { home, env: testEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--token-file');
  });

  it('remove forgets the secrets and disables the channels, with --yes', async () => {
    const w = await world(['ebay']);
    const no = await w.cli(['marketplace', 'remove', 'ebay']);
    expect(no.code).toBe(2);
    const r = await w.cli(['marketplace', 'remove', 'ebay', '--yes']);
    expect(r.code).toBe(0);
    const list = JSON.parse((await w.cli(['marketplace', 'list', '--json'])).stdout);
    expect(list.items).toEqual([]);
    const creds = JSON.parse(readFileSync(join(w.home, 'credentials'), 'utf8'));
    expect(creds.ebay).toBeUndefined();
    const sync = await w.cli(['sync', '--yes']);
    expect(sync.code).toBe(7);
  });
});

describe('sync --notify and --verbose', () => {
  it('POSTs the summary to a URL and logs requests with secrets redacted', async () => {
    const got: string[] = [];
    const hook = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        got.push(b);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    try {
      const w = await world(['ebay']);
      setPrice(w.store(), 'ebay-uk', 'MUG-BLU-S', '15.10');
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      const r = await w.cli(['sync', '--yes', '--only', 'prices', '--verbose', '--notify', url]);
      expect(r.code, r.stderr).toBe(0);
      expect(got).toHaveLength(1);
      expect(JSON.parse(got[0]!)).toMatchObject({ status: 'ok', exitCode: 0 });
      expect(r.stderr).toContain('bulk_update_price_quantity');
      expect(r.stderr).not.toContain(SANDBOX_CREDENTIALS.ebay.refreshToken);
      expect(r.stderr).not.toContain(SANDBOX_CREDENTIALS.ebay.clientSecret);
      expect(r.stderr).not.toMatch(/Bearer [A-Za-z0-9]/);
    } finally {
      hook.close();
    }
  });

  it('a hook URL that answers an error or refuses the connection is a warning naming it; sync still succeeds', async () => {
    const hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end('no'));
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const downPort = await closedPort();
    try {
      const w = await world(['ebay']);
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      setPrice(w.store(), 'ebay-uk', 'MUG-BLU-S', '15.20');
      const answered = await w.cli(['sync', '--yes', '--only', 'prices', '--notify', url]);
      expect(answered.code, answered.stderr).toBe(0);
      expect(answered.stderr).toContain(`warning: notify ${url} answered HTTP 500\n`);
      setPrice(w.store(), 'ebay-uk', 'MUG-BLU-S', '15.30');
      const down = `http://127.0.0.1:${downPort}/hook`;
      const refused = await w.cli(['sync', '--yes', '--only', 'prices', '--notify', down]);
      expect(refused.code, refused.stderr).toBe(0);
      expect(refused.stderr).toContain(`warning: notify ${down} failed: connect ECONNREFUSED 127.0.0.1:${downPort}\n`);
    } finally {
      hook.close();
    }
  });

  it('pipes the summary into a command with the exit code in its environment', async () => {
    const w = await world(['shopify']);
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '16.10');
    const out = join(w.home, 'notified.json');
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--notify', `cat > ${out}; echo $MERCHANT_SYNC_EXIT > ${out}.code`]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).status).toBe('ok');
    expect(readFileSync(`${out}.code`, 'utf8').trim()).toBe('0');
  });
});
