// kill -9 in the middle of a sync (the built binary), then a resume: everything lands, and no write
// that reached the marketplace is sent again — the one in flight is confirmed by reading it back.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, world, seedCatalogue, setPrice, addShopifyProducts, generatedProducts, shopifyRemote, outboxStates, ROOT } from './helpers.js';
import { spawnBin } from '../helpers/run.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
});

const EXTRA = generatedProducts(20, 'KIL');

describe('sync killed mid-run', () => {
  it('resumes after SIGKILL without re-sending what landed', async () => {
    const sb = await sandbox();
    await addShopifyProducts(sb, EXTRA);
    const w = await world([], { sb });
    expect((await w.cli(['marketplace', 'connect', 'shopify', '--sandbox', sb.url])).code).toBe(0);
    const store = w.store();
    seedCatalogue(store, ['shopify'], EXTRA);
    for (const [i, p] of EXTRA.entries()) setPrice(store, 'shopify', p.sku, `${30 + i}.95`);

    // Every answer is held back 150 ms after the write is applied: a kill lands between the two.
    sb.setFaults('slow:150ms');
    const writes = () => sb.requests().filter((r) => r.body.includes('productVariantsBulkUpdate'));
    const child = spawnBin(['sync', '--yes', '--only', 'prices'], { env: { ...w.env, MERCHANT_HOME: w.home } });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((res) => child.on('close', (code, signal) => res(signal ? -1 : code)));
    for (let i = 0; i < 400 && writes().length < 6; i++) await new Promise((r) => setTimeout(r, 10));
    expect(writes().length, stderr).toBeGreaterThanOrEqual(6);
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    sb.setFaults('');

    const mid = outboxStates(store);
    expect(mid.acked ?? 0).toBeGreaterThan(0);
    expect(mid.pending ?? 0).toBeGreaterThan(0);
    expect(mid.sent ?? 0).toBe(1); // the call in flight: applied remotely, never answered
    const landedBefore = writes().length;

    // Resume (the lock of the dead process is taken over).
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.items.filter((i: { confirmedByReadBack?: boolean }) => i.confirmedByReadBack)).toHaveLength(1);
    expect(outboxStates(store)).toEqual({ acked: EXTRA.length });
    const remote = shopifyRemote(sb);
    for (const [i, p] of EXTRA.entries()) expect(remote.get(p.sku)!.price).toBe(`${30 + i}.95`);
    // One write per variant in total: nothing that landed before the kill went out again.
    expect(writes().length).toBe(EXTRA.length);
    expect(writes().length - landedBefore).toBe(EXTRA.length - landedBefore);
    const perVariant = new Map<string, number>();
    for (const q of writes()) for (const m of q.body.matchAll(/ProductVariant\/(\d+)/g)) perVariant.set(m[1]!, (perVariant.get(m[1]!) ?? 0) + 1);
    expect([...perVariant.values()].every((n) => n === 1)).toBe(true);
  }, 30_000);
});
