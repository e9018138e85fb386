// `marketplace connect`: every non-secret field is asked for (or refused, naming its flag and format)
// before a single secret is typed, so a seller never types three secrets to be told --seller-id is missing.
import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { run, tempDir } from '../helpers/run.js';
import { Typist } from '../helpers/interactive.js';
import { sandbox, testEnv } from '../sync/helpers.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';

const c = SANDBOX_CREDENTIALS;

describe('marketplace connect: the account fields before the secrets', () => {
  it('on a terminal asks for the merchant token and client id first (format checked as typed), then the secrets, and connects', async () => {
    const sb = await sandbox();
    const home = tempDir();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const env = { ...testEnv(), MERCHANT_HOME: home, TZ: 'UTC', PATH: process.env.PATH };
    const io = new IO({ stdout, stderr, stdin, isStdoutTTY: true, isStderrTTY: true, isStdinTTY: true, env });
    const t = new Typist(stdin, stderr);
    const done = main(['marketplace', 'connect', 'amazon', '--base-url', sb.urls.amazon, '--auth-url', sb.urls.amazonAuth], { io, env });
    await t.answer('Amazon merchant token', 'seller-123\r'); // not a merchant token: asked again, with the format
    await t.waitFor('A2EUQ1WTGCTBG2');
    stdin.write(`\x15${c.amazon.sellerId}\r`);
    await t.answer('LWA client id', `${c.amazon.clientId}\r`);
    await t.answer('LWA client secret', `${c.amazon.clientSecret}\r`);
    await t.answer('LWA refresh token', `${c.amazon.refreshToken}\r`);
    expect(await done).toBe(0);
    const order = ['Amazon merchant token', 'LWA client id', 'LWA client secret', 'LWA refresh token'].map((p) => t.output.indexOf(p));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(t.output).toMatch(/amazon connected/);
    expect(t.output).not.toContain(c.amazon.clientSecret);
  });

  it('without a terminal a missing or malformed field exits 2 naming the flag and its format, reading no secret and storing nothing', async () => {
    const home = tempDir();
    const secrets = `client_secret=${c.amazon.clientSecret}\nrefresh_token=${c.amazon.refreshToken}\n`;
    const missing = await run(['marketplace', 'connect', 'amazon', '--client-id', c.amazon.clientId, '--token-file', '-'], { home, env: testEnv(), stdin: secrets });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: amazon: --seller-id is required: the merchant token: capital letters and digits, e\.g\. A2EUQ1WTGCTBG2 \(Seller Central → Settings → Account Info → Merchant Token\)$/m);
    expect(missing.stderr).toMatch(/--sandbox http:\/\/127\.0\.0\.1:4010/);
    const cases: Array<[string[], RegExp]> = [
      [['amazon', '--seller-id', 'a2example', '--client-id', c.amazon.clientId], /--seller-id: "a2example" is not an Amazon merchant token; expected the merchant token/],
      [['amazon', '--seller-id', 'A2EXAMPLE1', '--client-id', 'my-client'], /--client-id: "my-client" is not an LWA client id; expected amzn1\.application-oa2-client\./],
      [['amazon', '--seller-id', 'A2EXAMPLE1', '--client-id', c.amazon.clientId, '--region', 'us'], /--region must be na, eu or fe, got "us"/],
      [['amazon', '--seller-id', 'A2EXAMPLE1', '--client-id', c.amazon.clientId, '--channels', 'ebay-uk'], /--channels: "ebay-uk" is not a amazon channel/],
      [['ebay', '--client-id', 'x'], /--client-id: "x" is not an eBay App ID/],
      [['shopify', '--shop', 'shop.example.com'], /--shop: "shop\.example\.com" is not a shop domain; expected your shop's myshopify\.com domain/],
      [['shopify'], /shopify: --shop is required/],
      [['shopify', '--shop', 'lindqvist', '--base-url', 'localhost:4010'], /--base-url takes an http\(s\) URL/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['marketplace', 'connect', ...args, '--token-file', '-'], { home, env: testEnv(), stdin: secrets });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(existsSync(join(home, 'credentials'))).toBe(false);
  });

  it('a bare shop name or an admin URL becomes the myshopify.com domain', async () => {
    const sb = await sandbox();
    const home = tempDir();
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', 'https://Sandbox-Shop.myshopify.com/admin', '--base-url', sb.urls.shopify, '--token-file', '-', '--json'], { home, env: testEnv(), stdin: c.shopify.token });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).account).toBe('sandbox-shop.myshopify.com');
  });
});
