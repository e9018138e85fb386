// Faults on (429, 5xx, timeouts, dropped connections, "applied but the answer lost"): repeated runs
// converge to the same remote state as a clean run, nothing acknowledged is sent again, nothing is lost.
import { describe, it, expect } from 'vitest';
import { world, sandbox, setPrice, setStock, shopifyRemote, outboxStates, addShopifyProducts, generatedProducts, seedCatalogue } from './helpers.js';
import type { Sandbox } from '../../src/sandbox/index.js';

const EXTRA = generatedProducts(24);

/** Delivered, successful write requests per SKU (a write whose answer we got). */
function deliveredWrites(sb: Sandbox): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of sb.requests()) {
    if (r.api !== 'shopify' || r.fault || r.status !== 200 || !r.body.includes('mutation')) continue;
    for (const m of r.body.matchAll(/"(?:id|inventoryItemId)":"gid:\/\/shopify\/(?:ProductVariant|InventoryItem)\/(\d+)"/g)) {
      const key = m[1]!;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

async function scenario(faults: string | undefined, seed: number) {
  const sb = await sandbox({ faults: undefined, seed });
  await addShopifyProducts(sb, EXTRA);
  const w = await world([], { sb });
  const c = await w.cli(['marketplace', 'connect', 'shopify', '--sandbox', sb.url]);
  expect(c.code, c.stderr).toBe(0);
  const store = w.store();
  seedCatalogue(store, ['shopify'], EXTRA);
  // Every product gets a new price, every third a new stock level.
  for (const [i, p] of EXTRA.entries()) {
    setPrice(store, 'shopify', p.sku, `${20 + i}.95`);
    if (i % 3 === 0) setStock(store, p.sku, 100 + i);
  }
  if (faults) sb.setFaults(faults);
  const codes: number[] = [];
  for (let runN = 0; runN < 12; runN++) {
    const r = await w.cli(['sync', '--yes', '--only', 'prices,inventory']);
    codes.push(r.code);
    if (r.code === 0) break;
    expect([4, 6]).toContain(r.code);
  }
  sb.setFaults('');
  return { sb, w, codes, remote: shopifyRemote(sb), states: outboxStates(store) };
}

describe('sync under faults (Shopify sandbox)', () => {
  it.each([
    ['mixed faults', '429:0.1,500:0.08,throttled:0.08,timeout:0.04,drop:0.05,lost:0.1', 11],
    ['heavy faults', '429:0.15,500:0.15,503:0.05,throttled:0.1,timeout:0.05,drop:0.1,lost:0.15', 23],
  ])('%s: converges to the clean run, with no write repeated after its acknowledgement', async (_name, spec, seed) => {
    const clean = await scenario(undefined, seed);
    expect(clean.codes).toEqual([0]);
    const faulty = await scenario(spec, seed);
    expect(faulty.codes.at(-1)).toBe(0);
    expect(faulty.states).toEqual(clean.states);
    for (const p of EXTRA) expect(faulty.remote.get(p.sku), p.sku).toEqual(clean.remote.get(p.sku));
    // Each item's write was answered successfully exactly once (lost answers are confirmed by reading back).
    const writes = deliveredWrites(faulty.sb);
    for (const [id, n] of writes) expect(n, `gid ${id}`).toBe(1);
    // The faults did happen.
    const kinds = new Set(faulty.sb.requests().map((r) => r.fault).filter(Boolean));
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
