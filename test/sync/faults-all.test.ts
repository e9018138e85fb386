// Faults on all three marketplaces at once (Amazon PATCH and feed paths, eBay bulk, Shopify): repeated
// cron runs converge to the remote state of a clean run; nothing acknowledged is sent again.
// Timeouts are events, not a race: a `timeout` fault leaves the request unanswered and the client's
// attempt ends exactly then (test/helpers/deadlines.ts); no answer is ever cut short because the
// machine is busy. One timeout per marketplace is scripted so the path is always taken.
import { describe, it, expect } from 'vitest';
import { world, sandboxWith, seedCatalogue, setPrice, setStock, generatedProducts, outboxStates, amazonRemote, ebayRemote, shopifyRemote } from './helpers.js';

// Listed on amazon-de, ebay-uk and shopify (the sandbox copies exist there only).
const PRODUCTS = generatedProducts(20, 'ALL').map((p) => ({ ...p, prices: { 'amazon-de': p.prices['amazon-de']!, 'ebay-uk': p.prices['ebay-uk']!, shopify: p.prices.shopify! } }));

async function scenario(faults: string | undefined, seed: number, env: Record<string, string> = {}) {
  const sb = await sandboxWith(PRODUCTS, { seed });
  const w = await world(['amazon', 'ebay', 'shopify'], { sb, env });
  const store = w.store();
  seedCatalogue(store, ['amazon', 'ebay', 'shopify'], PRODUCTS);
  for (const [i, p] of PRODUCTS.entries()) {
    for (const ch of ['amazon-de', 'ebay-uk', 'shopify']) setPrice(store, ch, p.sku, `${40 + i}.50`);
    if (i % 2 === 0) setStock(store, p.sku, 50 + i);
  }
  if (faults) {
    sb.setFaults(faults);
    sb.scriptFaults([
      { match: ' /amazon/', nth: 3, fault: 'timeout' },
      { match: ' /ebay/', nth: 3, fault: 'timeout' },
      { match: 'POST /shopify/admin/api', nth: 3, fault: 'timeout' },
    ]);
  }
  const codes: number[] = [];
  for (let n = 0; n < 15; n++) {
    const r = await w.cli(['sync', '--yes', '--only', 'prices,inventory']);
    codes.push(r.code);
    if (r.code === 0) break;
    expect([4, 6], r.stderr).toContain(r.code);
  }
  sb.setFaults('');
  const pick = <V>(m: Map<string, V>) => PRODUCTS.map((p) => [p.sku, m.get(p.sku)]);
  return { codes, states: outboxStates(store), remote: { amazon: pick(amazonRemote(sb)), ebay: pick(ebayRemote(sb)), shopify: pick(shopifyRemote(sb)) }, sb };
}

describe('sync under faults, all marketplaces', () => {
  it.each([
    ['Amazon per-SKU PATCH', {}, 5],
    ['Amazon feed', { MERCHANT_AMAZON_FEEDTHRESHOLD: '10' }, 9],
  ])('%s: converges to the clean run', async (_n, env, seed) => {
    const clean = await scenario(undefined, seed, env);
    expect(clean.codes).toEqual([0]);
    const faulty = await scenario('429:0.08,500:0.08,503:0.04,throttled:0.05,timeout:0.03,drop:0.05,lost:0.1', seed, env);
    expect(faulty.codes.at(-1)).toBe(0);
    expect(faulty.remote).toEqual(clean.remote);
    expect(faulty.states).toEqual(clean.states);
    // eBay: no offer revised by a delivered success twice (each bulk entry answered once).
    const delivered = new Map<string, number>();
    for (const q of faulty.sb.requests()) {
      if (q.api !== 'ebay' || q.fault || q.status === undefined || q.status >= 300 || !q.path.includes('bulk_update')) continue;
      for (const m of q.body.matchAll(/"offerId":"(\d+)"/g)) delivered.set(m[1]!, (delivered.get(m[1]!) ?? 0) + 1);
    }
    for (const [id, n] of delivered) expect(n, `offer ${id}`).toBe(1);
    expect(new Set(faulty.sb.requests().map((q) => q.fault).filter(Boolean)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(faulty.sb.requests().filter((q) => q.fault === 'timeout').map((q) => q.api))).toEqual(new Set(['amazon', 'ebay', 'shopify']));
  }, 90_000);
});
