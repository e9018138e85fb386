// Secrets never appear in stdout, stderr, logs or the database — with --verbose, and on error paths.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync, existsSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { clearSecretsForTests } from '../../src/core/redact.js';
import { shop, ENV } from './pipeline.js';
import { run } from '../helpers/run.js';

const SECRETS = [
  SANDBOX_CREDENTIALS.amazon.clientSecret,
  SANDBOX_CREDENTIALS.amazon.refreshToken,
  SANDBOX_CREDENTIALS.ebay.clientSecret,
  SANDBOX_CREDENTIALS.ebay.refreshToken,
  SANDBOX_CREDENTIALS.shopify.token,
  SANDBOX_CREDENTIALS.easypost.apiKey,
  SANDBOX_CREDENTIALS.shippo.apiKey,
];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

function leaks(text: string): string[] {
  const found = SECRETS.filter((s) => text.includes(s));
  // Access tokens the sandbox issued (LWA Atza|…, eBay v^1.1#…, bearer values) must be masked too.
  const atza = text.match(/Atza\|(?!\*\*\*)[A-Za-z0-9\-_.|]{6,}/g) ?? [];
  const bearer = text.match(/Bearer (?!\*\*\*)[A-Za-z0-9\-_.|^#]{8,}/g) ?? [];
  return [...found, ...atza, ...bearer];
}

describe('secrets', () => {
  it('never appear in output with --verbose, in logs, or in the database; the credentials file is 0600', async () => {
    const s = await shop({ carrier: true });
    let all = '';
    const steps: string[][] = [
      ['marketplace', 'list', '--verbose'],
      ['marketplace', 'connect', 'shopify', '--sandbox', s.sb.url, '--verbose'],
      ['sync', '--yes', '--verbose'],
      ['sync', '--yes', '--verbose', '--json'],
      ['orders', 'list', '--verbose'],
      ['ship', 'rates', '5600000002', '--verbose'],
      ['doctor', '--verbose'],
    ];
    for (const args of steps) {
      const r = await s.cli(args);
      all += `\n$ ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`;
    }
    expect(all).toMatch(/GET|POST/); // --verbose really logged HTTP traffic
    expect(leaks(all)).toEqual([]);
    for (const f of filesUnder(s.home)) {
      if (f.endsWith('credentials')) continue; // the one place secrets belong
      const bytes = readFileSync(f).toString('latin1');
      expect(leaks(bytes), f).toEqual([]);
    }
    const cred = join(s.home, 'credentials');
    expect(existsSync(cred)).toBe(true);
    expect(statSync(cred).mode & 0o777).toBe(0o600);
  });

  it('stay out of error paths: rejected credentials, unreachable hosts', async () => {
    const s = await shop({ marketplaces: ['shopify', 'amazon'] });
    const outputs: string[] = [];
    // Wrong secrets from the environment: the remote rejects them (exit 6) and says so without echoing them.
    const fast = { MERCHANT_HTTP_BACKOFFSCALE: '0' };
    const bad = { ...fast, MERCHANT_SHOPIFY_TOKEN: 'shpat_WRONGwrongWRONG1234567890', MERCHANT_AMAZON_CLIENT_SECRET: 'amzn1.oa2-cs.v1.WRONG-secret-987654321' };
    for (const args of [['sync', '--yes', '--verbose'], ['sync', '--yes', '--json']]) {
      const r = await s.cli(args, bad);
      expect(r.code).toBe(6);
      outputs.push(r.stdout, r.stderr);
    }
    // An unreachable sandbox.
    await s.sb.stop();
    const down = await s.cli(['sync', '--yes', '--verbose'], fast);
    expect(down.code).toBe(6);
    outputs.push(down.stdout, down.stderr);
    const text = outputs.join('\n');
    expect(leaks(text)).toEqual([]);
    expect(text).not.toContain(bad.MERCHANT_SHOPIFY_TOKEN);
    expect(text).not.toContain(bad.MERCHANT_AMAZON_CLIENT_SECRET);
    void run;
    void ENV;
  });

  // Secrets that look like nothing: no token shape to mask them, so only the registry of values read
  // (environment, credentials file, token file) keeps them out. --verbose logs every request's headers
  // through redact(), which is where such a value would otherwise show.
  const PLAIN = ['correct horse battery staple 42', 'tulip umbrella window 7', 'purple monkey dishwasher 9'];
  /** The secret, or any distinctive word of it. */
  const plainLeaks = (text: string) => PLAIN.flatMap((s) => [s, ...s.split(' ').filter((w) => w.length >= 5)]).filter((w) => text.includes(w));

  it('secrets that do not look like tokens are masked too: from the environment and from the credentials file', async () => {
    const s = await shop({ marketplaces: ['shopify', 'ebay'] });
    const fast = { MERCHANT_HTTP_BACKOFFSCALE: '0' };
    const outputs: string[] = [];
    // From the environment: the marketplaces reject them (exit 6), and --verbose has logged the requests.
    const env = { ...fast, MERCHANT_SHOPIFY_TOKEN: PLAIN[0]!, MERCHANT_EBAY_CLIENT_SECRET: PLAIN[1]! };
    for (const args of [['sync', '--yes', '--verbose'], ['sync', '--yes', '--verbose', '--json'], ['doctor', '--verbose']]) {
      const r = await s.cli(args, env);
      outputs.push(`$ ${args.join(' ')} → ${r.code}`, r.stdout, r.stderr);
    }
    expect(outputs.join('\n')).toMatch(/x-shopify-access-token: \*\*\*/); // the header was logged, masked
    // From the credentials file: a token stored without verification, then used.
    const tokenFile = join(s.home, 'token.txt');
    writeFileSync(tokenFile, `${PLAIN[2]}\n`);
    const c = await s.cli(['marketplace', 'connect', 'shopify', '--shop', 'sandbox-shop.myshopify.com', '--base-url', `${s.sb.url}/shopify`, '--token-file', tokenFile, '--no-verify']);
    expect(c.code, c.stderr).toBe(0);
    // (Runs share this process: forget what connect registered, as a new process — the nightly cron — would.)
    clearSecretsForTests();
    for (const args of [['sync', '--yes', '--verbose'], ['marketplace', 'list', '--verbose', '--json']]) {
      const r = await s.cli(args, fast);
      outputs.push(`$ ${args.join(' ')} → ${r.code}`, r.stdout, r.stderr);
    }
    const text = outputs.join('\n');
    expect(text).toMatch(/→ 6/); // rejected remotely, as it should be
    expect(plainLeaks(text)).toEqual([]);
    for (const f of filesUnder(s.home)) {
      if (f.endsWith('credentials') || f === tokenFile) continue;
      expect(plainLeaks(readFileSync(f).toString('latin1')), f).toEqual([]);
    }
    expect(readFileSync(join(s.home, 'credentials'), 'utf8')).toContain(PLAIN[2]); // (it is where it belongs)
  });

  it('a credentials file readable by others is refused before anything is sent, with the chmod to fix it', async () => {
    const s = await shop({ marketplaces: ['shopify'] });
    const cred = join(s.home, 'credentials');
    chmodSync(cred, 0o644);
    const before = s.sb.requests().length;
    for (const args of [['sync', '--yes'], ['marketplace', 'list']]) {
      const r = await s.cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`refusing to read ${cred}: it is readable by other users (mode 644)`);
      expect(r.stderr).toContain(`chmod 600 ${cred}`);
    }
    expect(s.sb.requests().length).toBe(before);
    chmodSync(cred, 0o600);
    const ok = await s.cli(['sync', '--yes']);
    expect(ok.code, ok.stderr).toBe(0);
  });
});
