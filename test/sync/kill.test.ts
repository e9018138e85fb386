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

    // The kill is an event, not a race: the sandbox tells us when it has applied the 6th write and
    // before its answer leaves; SIGKILL is sent right there, so that write is applied remotely and never
    // answered, however busy the machine is. (The child's own timeout is the production one: no
    // answer is cut short on a slow machine.)
    const writes = () => sb.requests().filter((r) => r.body.includes('productVariantsBulkUpdate'));
    const child = spawnBin(['sync', '--yes', '--only', 'prices'], { env: { ...w.env, MERCHANT_HOME: w.home, MERCHANT_HTTP_TIMEOUTMS: '30000' } });
    let applied = 0;
    let killedAt = -1;
    const stop = sb.onRequest((r) => {
      if (!r.body.includes('productVariantsBulkUpdate') || r.status !== 200) return;
      if (++applied === 6) {
        killedAt = r.seq;
        child.kill('SIGKILL');
      }
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((res) => child.on('close', (code, signal) => res(signal ?? code)));
    expect(await exited, stderr).toBe('SIGKILL');
    stop();
    expect(killedAt).toBeGreaterThan(0);
    expect(writes().length).toBe(6);

    // Five answered and acknowledged, the sixth in flight (applied remotely, never answered), the rest waiting.
    expect(outboxStates(store)).toEqual({ sent: 1, pending: EXTRA.length - 6 }); // the 5 acknowledged rows are gone
    const landedBefore = writes().length;

    // Resume (the lock of the dead process is taken over).
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.items.filter((i: { confirmedByReadBack?: boolean }) => i.confirmedByReadBack)).toHaveLength(1);
    expect(outboxStates(store)).toEqual({}); // all acknowledged: nothing left
    const remote = shopifyRemote(sb);
    for (const [i, p] of EXTRA.entries()) expect(remote.get(p.sku)!.price).toBe(`${30 + i}.95`);
    // One write per variant in total: nothing that landed before the kill went out again.
    expect(writes().length).toBe(EXTRA.length);
    expect(writes().length - landedBefore).toBe(EXTRA.length - landedBefore);
    const perVariant = new Map<string, number>();
    for (const q of writes()) for (const m of q.body.matchAll(/ProductVariant\/(\d+)/g)) perVariant.set(m[1]!, (perVariant.get(m[1]!) ?? 0) + 1);
    expect([...perVariant.values()].every((n) => n === 1)).toBe(true);
  });
});
