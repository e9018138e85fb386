// Secrets never appear in stdout, stderr, logs or the database — with --verbose, and on error paths.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
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
});
