// Two writers at once, as real processes: one runs, the other exits 5 naming the holder (or waits
// with --wait); nothing is corrupted and nothing is sent twice.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { spawnBin } from '../helpers/run.js';
import { shop, integrity, query, ENV, FIX } from './pipeline.js';

function runChild(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnBin(args, { env: { ...ENV, MERCHANT_HOME: home } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((res) => child.on('close', (code) => res({ code: code ?? -1, stdout, stderr })));
}

// Writes that the marketplace accepted (a 429 was never applied, so its retry is not a second send).
const writes = (reqs: Array<{ method: string; path: string; status?: number }>) =>
  reqs.filter((r) => r.method !== 'GET' && !/oauth2|auth\/o2|graphql/.test(r.path) && r.status !== undefined && r.status < 300);

describe('concurrency', () => {
  it('two syncs at once: one runs, the other exits 5 or finds nothing left; no item is sent twice', async () => {
    const s = await shop({ marketplaces: ['amazon', 'ebay'] });
    const before = s.sb.requests().length;
    const [a, b] = await Promise.all([runChild(s.home, ['sync', '--yes']), runChild(s.home, ['sync', '--yes'])]);
    for (const r of [a, b]) expect([0, 5], r.stderr).toContain(r.code);
    expect([a.code, b.code]).toContain(0);
    for (const r of [a, b]) if (r.code === 5) expect(r.stderr).toMatch(/another merchant process holds the database lock: pid \d+ .*`sync`/);
    expect(integrity(s.home)).toBe('ok');
    // Every price write reached the marketplace exactly once.
    const sent = writes(s.sb.requests().slice(before));
    const amazonSkus = sent.filter((r) => r.path.includes('/listings/2021-08-01/items/')).map((r) => r.path);
    expect(new Set(amazonSkus).size).toBe(amazonSkus.length);
    const pending = query<{ n: bigint }>(s.home, "SELECT count(*) AS n FROM outbox WHERE state IN ('pending','sent','failed') AND marketplace IN ('amazon','ebay')");
    expect(Number(pending[0]!.n)).toBe(0);
    // A third run finds nothing to send.
    const mark = s.sb.requests().length;
    const c = await runChild(s.home, ['sync', '--yes']);
    expect(c.code, c.stderr).toBe(0);
    expect(writes(s.sb.requests().slice(mark))).toEqual([]);
  });

  it('with --wait both runs complete, one after the other', async () => {
    const s = await shop({ marketplaces: ['shopify'] });
    const [a, b] = await Promise.all([runChild(s.home, ['sync', '--yes', '--wait', '60']), runChild(s.home, ['sync', '--yes', '--wait', '60'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(integrity(s.home)).toBe('ok');
  });

  it('a sync and an import at once: neither corrupts the other, and a re-run of the refused one converges', async () => {
    const s = await shop({ marketplaces: ['shopify'] });
    // A catalogue update: one price changed in the seller's file.
    const src = readFileSync(join(FIX, 'demo', 'catalogue-shopify.csv'), 'utf8');
    const changed = join(s.home, 'catalogue-v2.csv');
    writeFileSync(changed, src.replace(',MUG-BLU-S,320,shopify,24,', ',MUG-BLU-S,320,shopify,30,'));
    const [sync, imp] = await Promise.all([runChild(s.home, ['sync', '--yes']), runChild(s.home, ['listings', 'import', changed])]);
    for (const r of [sync, imp]) expect([0, 5], r.stderr).toContain(r.code);
    expect(integrity(s.home)).toBe('ok');
    if (imp.code === 5) expect((await runChild(s.home, ['listings', 'import', changed])).code).toBe(0);
    const final = await runChild(s.home, ['sync', '--yes']);
    expect(final.code, final.stderr).toBe(0);
    const stock = query<{ on_hand: bigint }>(s.home, "SELECT i.on_hand FROM inventory i JOIN variants v ON v.id = i.variant_id WHERE v.sku = 'MUG-BLU-S'");
    expect(Number(stock[0]!.on_hand)).toBe(30);
    // Only Shopify is connected here: the Amazon changes from the flat file wait for a connection.
    const open = query<{ n: bigint }>(s.home, "SELECT count(*) AS n FROM outbox WHERE state IN ('pending','sent','failed') AND marketplace = 'shopify'");
    expect(Number(open[0]!.n)).toBe(0);
  });
});
