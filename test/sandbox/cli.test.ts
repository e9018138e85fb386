import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { run, spawnBin, tempDir } from '../helpers/run.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { startSandbox } from '../../src/sandbox/index.js';

/** Wait for the "listening on URL" line of `merchant sandbox start`. */
function started(child: ChildProcess): Promise<{ url: string; out: () => string; err: () => string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${err}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, out: () => out, err: () => err });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

describe('merchant sandbox start (built binary)', () => {
  it('starts in the foreground, answers a token and a listing as in docs/sandbox.md, stops cleanly on SIGTERM with its state saved', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const child = spawnBin(['sandbox', 'start', '--port', '0', '--state', state, '--faults', '500:0', '--seed', '7'], { cwd: dir });
    const { url, out, err } = await started(child);
    const c = SANDBOX_CREDENTIALS.amazon;
    const tok = await fetch(`${url}/amazon/auth/o2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }) });
    const access = ((await tok.json()) as { access_token: string }).access_token;
    const listing = await fetch(`${url}/amazon/listings/2021-08-01/items/${c.sellerId}/MUG-BLU-S?marketplaceIds=A1F83G8C2ARO7P&includedData=summaries,offers`, { headers: { 'x-amz-access-token': access } });
    expect(listing.status).toBe(200);
    expect(((await listing.json()) as { offers: Array<{ price: { amount: string } }> }).offers[0]!.price.amount).toBe('14.99');
    const patch = await fetch(`${url}/amazon/listings/2021-08-01/items/${c.sellerId}/MUG-BLU-S?marketplaceIds=A1F83G8C2ARO7P`, { method: 'PATCH', headers: { 'x-amz-access-token': access, 'content-type': 'application/json' }, body: JSON.stringify({ productType: 'DRINKING_CUP', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 2 }] }] }) });
    expect(patch.status).toBe(200);
    expect(out()).toContain('merchant marketplace connect amazon --sandbox');
    expect(out()).toContain(SANDBOX_CREDENTIALS.shopify.token);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(err()).toContain('sandbox stopped');
    expect(existsSync(state)).toBe(true);
    // The saved state is loaded again by the next sandbox.
    const sb = await startSandbox({ statePath: state });
    const doc = sb.state() as { apis: { amazon: { sellers: Record<string, { listings: Record<string, { attributes: Record<string, Record<string, Array<{ quantity?: number }>>> }> }> } } };
    expect(doc.apis.amazon.sellers[c.sellerId]!.listings['MUG-BLU-S']!.attributes.A1F83G8C2ARO7P!.fulfillment_availability![0]!.quantity).toBe(2);
    await sb.stop();
  });

  it('--json prints one document with the URLs and credentials', async () => {
    const child = spawnBin(['sandbox', 'start', '--port', '0', '--json', '--seed-data', 'empty']);
    let out = '';
    const doc = await new Promise<{ url: string; urls: Record<string, string>; credentials: typeof SANDBOX_CREDENTIALS }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no JSON document')), 20_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        try {
          const d = JSON.parse(out) as { url: string; urls: Record<string, string>; credentials: typeof SANDBOX_CREDENTIALS };
          clearTimeout(timer);
          resolve(d);
        } catch {
          /* not complete yet */
        }
      });
    });
    expect(doc.urls.amazonAuth).toBe(`${doc.url}/amazon/auth/o2/token`);
    expect(doc.credentials.shippo.apiKey).toBe(SANDBOX_CREDENTIALS.shippo.apiKey);
    const r = await fetch(`${doc.url}/_sandbox/state`);
    expect(r.status).toBe(200);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  it('refuses a bad --faults spec with exit 2 and names the problem', async () => {
    const r = await run(['sandbox', 'start', '--faults', '429:2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--faults: fault probability for 429 must be between 0 and 1/);
  });

  it('has help with examples', async () => {
    const r = await run(['sandbox', 'start', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('merchant sandbox start --port 4010');
    expect(r.stdout).toContain('--seed-data');
  });

  it('a state file that is not sandbox state is refused', async () => {
    const dir = tempDir();
    const f = join(dir, 'x.json');
    writeFileSync(f, '{"hello":1}');
    await expect(startSandbox({ statePath: f })).rejects.toThrow(/not a sandbox state file/);
    expect(readFileSync(f, 'utf8')).toBe('{"hello":1}');
  });
});

describe('inspection and reset', () => {
  it('reset returns to the seed; --seed-data empty starts with nothing; requests are redacted', async () => {
    const sb = await startSandbox({ seedData: 'empty' });
    try {
      const key = SANDBOX_CREDENTIALS.shopify.token;
      const q = await fetch(`${sb.urls.shopify}/admin/api/2026-10/graphql.json`, { method: 'POST', headers: { 'x-shopify-access-token': key, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ products(first: 5) { nodes { id } } }' }) });
      expect(((await q.json()) as { data: { products: { nodes: unknown[] } } }).data.products.nodes).toEqual([]);
      const log = await (await fetch(`${sb.url}/_sandbox/requests?api=shopify`)).json() as { requests: Array<{ headers: Record<string, string> }> };
      expect(log.requests[0]!.headers['x-shopify-access-token']).toBe('***');
      expect(JSON.stringify(log)).not.toContain(key);
    } finally {
      await sb.stop();
    }
    const demo = await startSandbox();
    try {
      const before = JSON.stringify(demo.state());
      const key = SANDBOX_CREDENTIALS.easypost.apiKey;
      await fetch(`${demo.urls.easypost}/v2/parcels`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' }, body: JSON.stringify({ parcel: { weight: 3 } }) });
      expect(JSON.stringify(demo.state())).not.toBe(before);
      const r = await fetch(`${demo.url}/_sandbox/reset`, { method: 'POST' });
      expect(r.status).toBe(200);
      expect(JSON.stringify(demo.state())).toBe(before);
      expect(demo.requests()).toEqual([]);
    } finally {
      await demo.stop();
    }
  });
});
