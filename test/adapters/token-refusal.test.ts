// A token endpoint that refuses the long-lived credential (Amazon LWA, eBay OAuth) is an auth failure
// that says which credential and how to renew it (exit 6), with nothing stored and no secret shown.
// Both adapters reach their token endpoint through http/token-holder.ts (requestToken).
import { describe, expect, it } from 'vitest';
import { sandbox, testEnv } from '../sync/helpers.js';
import { run, tempDir } from '../helpers/run.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';

const c = SANDBOX_CREDENTIALS;

describe('token endpoint refusals', () => {
  it('Amazon LWA: a wrong refresh token names the refresh token and how to replace it', async () => {
    const sb = await sandbox();
    const home = tempDir();
    const r = await run(['marketplace', 'connect', 'amazon', '--seller-id', c.amazon.sellerId, '--client-id', c.amazon.clientId, '--channels', 'amazon-de', '--base-url', sb.urls.amazon, '--auth-url', sb.urls.amazonAuth, '--token-file', '-'], {
      home, env: testEnv(), stdin: `client_secret=${c.amazon.clientSecret}\nrefresh_token=Atzr|wrong-refresh-token-value\n`,
    });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('Login with Amazon refused the refresh token (revoked or never granted?): invalid_grant');
    expect(r.stderr).toContain('merchant marketplace connect amazon --token-file FILE');
    expect(r.stderr).not.toContain('wrong-refresh-token-value');
    expect((await run(['marketplace', 'list', '--json'], { home, env: testEnv() })).stdout).toContain('"items": []');
  });

  it('eBay OAuth: a wrong refresh token says the consent may have expired and how to connect again', async () => {
    const sb = await sandbox();
    const home = tempDir();
    const r = await run(['marketplace', 'connect', 'ebay', '--client-id', c.ebay.clientId, '--base-url', sb.urls.ebay, '--auth-url', sb.urls.ebay, '--token-file', '-'], {
      home, env: testEnv(), stdin: `client_secret=${c.ebay.clientSecret}\nrefresh_token=v^1.1#wrong-refresh-token-value\n`,
    });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('eBay refused the refresh token (invalid_grant');
    expect(r.stderr).toContain('the eBay consent may have expired or been revoked');
    expect(r.stderr).not.toContain('wrong-refresh-token-value');
    expect((await run(['marketplace', 'list', '--json'], { home, env: testEnv() })).stdout).toContain('"items": []');
  });
});
