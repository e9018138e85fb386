// Shopify Dev Dashboard apps: client credentials and 24-hour tokens (issue #15, item 3).
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, setPrice, shopifyRemote, testEnv, seedCatalogue, NOW } from './helpers.js';
import { run, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import { SBC, shopifyCalls, tokenRequests, advanceSandbox } from './shopify-helpers.js';

describe('Shopify client credentials (Dev Dashboard apps): 24-hour tokens', () => {
  async function ccWorld() {
    const sb = await sandbox();
    const home = tempDir('merchant-shopify-cc-');
    const env = testEnv();
    const file = join(home, 'app.env');
    writeFileSync(file, `client_secret=${SBC.clientSecret}\n`);
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', file, '--json'], { home, env });
    return { sb, home, env, connect: r };
  }

  it('connects with the client id and a secret from a file: the grant as documented, the token cached outside the database, 0600', async () => {
    const { sb, home, connect } = await ccWorld();
    expect(connect.code, connect.stderr).toBe(0);
    const doc = JSON.parse(connect.stdout);
    expect(doc).toMatchObject({ marketplace: 'shopify', verified: true, secretsStored: ['client_secret', 'client_id'], stockLocation: { name: 'Studio', primary: true } });
    expect(doc.tokenExpiresAt).toBe(new Date(Date.parse(NOW) + 86_399_000).toISOString().replace('.000Z', 'Z'));
    const grants = tokenRequests(sb);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.method).toBe('POST');
    expect(grants[0]!.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(grants[0]!.body))).toEqual({ grant_type: 'client_credentials', client_id: SBC.clientId, client_secret: '***' });
    // The token is in the 0600 token cache, and nowhere in the database or the output.
    const cache = join(home, 'token-cache');
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    const token = (Object.values(JSON.parse(readFileSync(cache, 'utf8'))) as Array<{ token: string }>)[0]!.token;
    expect(token).toMatch(/^shpat_/);
    const db = ['merchant.db', 'merchant.db-wal'].filter((f) => existsSync(join(home, f))).map((f) => readFileSync(join(home, f)).toString('latin1')).join('');
    expect(db).not.toContain(token);
    expect(db).not.toContain(SBC.clientSecret);
    expect(connect.stdout + connect.stderr).not.toContain(token);
    const list = JSON.parse((await run(['marketplace', 'list', '--json'], { home, env: testEnv() })).stdout);
    expect(list.items[0]).toMatchObject({ credentials: { kind: 'client_credentials', renewsItself: true }, tokenExpiresAt: doc.tokenExpiresAt, secrets: [{ name: 'client_id', source: 'file' }, { name: 'client_secret', source: 'file' }] });
    // doctor sees the app's client id and secret (no "missing token"), and no account token to expire: merchant renews it.
    const dr = JSON.parse((await run(['doctor', '--offline', '--json'], { home, env: testEnv({ MERCHANT_NOW: '2026-12-30T00:00:00.000Z' }) })).stdout);
    expect(dr.checks.find((c: { id: string }) => c.id === 'shopify credentials')).toMatchObject({ status: 'ok', detail: 'client_id (file), client_secret (file)' });
    expect(dr.checks.find((c: { id: string }) => c.id === 'shopify token')).toBeUndefined();
  });

  it('reuses the cached token, renews it before it expires, and once when Shopify answers 401', async () => {
    const { sb, home, env } = await ccWorld();
    const w = { store: () => openStore(join(home, 'merchant.db')) };
    const s = w.store();
    seedCatalogue(s, ['shopify']);
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    s.close();
    // An hour later: the cached token is used, no new grant.
    let r = await run(['sync', '--yes', '--only', 'prices'], { home, env: { ...env, MERCHANT_NOW: '2026-11-25T07:00:00.000Z' } });
    expect(r.code, r.stderr).toBe(0);
    expect(tokenRequests(sb)).toHaveLength(1);
    // 23 hours after it was issued, less than a tenth of its life is left: renewed before the first call, no 401.
    const s2 = w.store();
    setPrice(s2, 'shopify', 'MUG-BLU-S', '18.50');
    s2.close();
    r = await run(['sync', '--yes', '--only', 'prices'], { home, env: { ...env, MERCHANT_NOW: '2026-11-26T05:00:00.000Z' } });
    expect(r.code, r.stderr).toBe(0);
    expect(tokenRequests(sb)).toHaveLength(2);
    expect(shopifyCalls(sb).filter((c) => c.status === 401)).toHaveLength(0);
    // Shopify forgets it early (the sandbox's clock passes its 24 hours): one 401, one new grant, the call repeated.
    await advanceSandbox(sb, 25 * 3600_000);
    const s3 = w.store();
    setPrice(s3, 'shopify', 'MUG-BLU-S', '19.50');
    s3.close();
    r = await run(['sync', '--yes', '--only', 'prices', '--json'], { home, env: { ...env, MERCHANT_NOW: '2026-11-26T06:00:00.000Z' } });
    expect(r.code, r.stderr).toBe(0);
    expect(shopifyCalls(sb).filter((c) => c.status === 401)).toHaveLength(1);
    expect(tokenRequests(sb)).toHaveLength(3);
    expect(shopifyRemote(sb).get('MUG-BLU-S')!.price).toBe('19.50');
  });

  it('a wrong secret is refused before anything is stored (exit 6), with what to check; the secret never shows', async () => {
    const sb = await sandbox();
    const home = tempDir('merchant-shopify-cc-');
    const file = join(home, 'app.json');
    writeFileSync(file, JSON.stringify({ clientSecret: 'shpss_wrongwrongwrong0000000000' }));
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', file], { home, env: testEnv() });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/refused the app's client credentials/);
    expect(r.stderr).toMatch(/Dev Dashboard/);
    expect(r.stderr).not.toContain('shpss_wrongwrong');
    expect(existsSync(join(home, 'credentials'))).toBe(false);
    expect(existsSync(join(home, 'token-cache'))).toBe(false);
  });

  it('reads the secret from stdin; a token and client credentials together are refused; env overrides the stored secret', async () => {
    const sb = await sandbox();
    const home = tempDir('merchant-shopify-cc-');
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', '-'], { home, env: testEnv(), stdin: `${SBC.clientSecret}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/client credentials \(24-hour tokens, renewed automatically\)/);
    const both = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', '-'], { home, env: testEnv(), stdin: `token=${SBC.token}\nclient_secret=${SBC.clientSecret}\n` });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either an Admin API token or the client id and secret/);
    // MERCHANT_SHOPIFY_CLIENT_SECRET overrides the stored one (here: a wrong one → the grant is refused).
    const s = openStore(join(home, 'merchant.db'));
    seedCatalogue(s, ['shopify']);
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    s.close();
    rmSync(join(home, 'token-cache'), { force: true });
    const bad = await run(['sync', '--yes', '--only', 'prices'], { home, env: testEnv({ MERCHANT_SHOPIFY_CLIENT_SECRET: 'shpss_fromenv0000000000000000' }) });
    expect(bad.code).toBe(6);
    expect(bad.stderr).toMatch(/refused the app's client credentials/);
  });
});
