// Pending sync work as listing state (migration 250, issue #20): a change is a bit on the listing, the
// plan is the listings whose bits are set, and what a run sends becomes its in-flight outbox rows. These
// check the seams that state adds: a change that arrives while a run holds a plan is never lost, a run
// that sent and was acknowledged leaves nothing wanted, and nothing is sent twice.
import { describe, it, expect } from 'vitest';
import { world, setPrice, setStock, shopifyRemote, outboxStates, NOW } from './helpers.js';
import { planMarketplace } from '../../src/services/sync/plan.js';
import { claimPlannedState, applyMarketplace } from '../../src/services/sync/apply.js';
import { wantedListings, kindsOf } from '../../src/store/repos/sync-state.js';
import { pendingOutboxForSku } from '../../src/store/repos/catalog.js';

const AREAS = new Set(['prices', 'inventory'] as const);
const noCalls = { planCalls: () => [] };

describe('sync state: pending work on the listing', () => {
  it('a price change leaves no outbox row; the plan finds it, the run sends it once and clears it', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.90'); // a second change of the same listing: still one piece of work
    expect(s.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0n });
    expect(wantedListings(s).map((x) => [x.channel, x.sku, kindsOf(x.bits)])).toEqual([['shopify', 'MUG-BLU-S', ['price']]]);
    expect(pendingOutboxForSku(s, 'MUG-BLU-S')).toEqual([expect.objectContaining({ channel: 'shopify', kind: 'price', state: 'pending' })]);
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.price).toBe('17.90');
    expect(wantedListings(s)).toEqual([]);
    expect(outboxStates(s)).toEqual({}); // acknowledged: the row is gone with the ack
    const writes = w.sb.requests().filter((q) => q.body.includes('mutation')).length;
    const again = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(w.sb.requests().filter((q) => q.body.includes('mutation')).length).toBe(writes);
  });

  it('a change made after the plan was read is not cleared with it: the next plan sends the newer value', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    const plan = planMarketplace(s, 'shopify', ['shopify'], AREAS, noCalls);
    expect(plan.items.map((i) => i.new.price)).toEqual(['17.50']);
    setPrice(s, 'shopify', 'MUG-BLU-S', '18.00'); // arrives between the plan and the claim
    claimPlannedState(s, plan.items, NOW);
    expect(plan.items[0]!.outboxIds).toHaveLength(1);
    // The claimed row carries the planned change; the listing still wants its newer price.
    expect(wantedListings(s).map((x) => [x.sku, kindsOf(x.bits)])).toEqual([['MUG-BLU-S', ['price']]]);
    const next = planMarketplace(s, 'shopify', ['shopify'], AREAS, noCalls);
    expect(next.items.map((i) => [i.sku, i.new.price])).toEqual([['MUG-BLU-S', '18.00']]);
  });

  it('a change made after the plan called it unchanged is not cleared by the skip', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    setPrice(s, 'shopify', 'MUG-BLU-S', '15.90'); // the price Shopify already has: nothing to send
    const plan = planMarketplace(s, 'shopify', ['shopify'], AREAS, noCalls);
    expect(plan.items).toEqual([]);
    expect(plan.skipped.map((x) => x.sku)).toEqual(['MUG-BLU-S']);
    setPrice(s, 'shopify', 'MUG-BLU-S', '16.40');
    const adapter = { name: 'shopify', requestCount: () => 0, planCalls: () => [], push: async () => [], readBack: async () => [] } as unknown as Parameters<typeof applyMarketplace>[1];
    await applyMarketplace({ store: s, runId: 1, now: () => NOW }, adapter, plan);
    expect(planMarketplace(s, 'shopify', ['shopify'], AREAS, noCalls).items.map((i) => [i.sku, i.new.price])).toEqual([['MUG-BLU-S', '16.40']]);
    // Without a newer change, the skip clears it.
    setPrice(s, 'shopify', 'MUG-BLU-S', '15.90');
    const plan3 = planMarketplace(s, 'shopify', ['shopify'], AREAS, noCalls);
    expect(plan3.items).toEqual([]);
    await applyMarketplace({ store: s, runId: 2, now: () => NOW }, adapter, plan3);
    expect(wantedListings(s)).toEqual([]);
  });

  it('--dry-run writes nothing: the wanted state and the outbox are as they were', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    setStock(s, 'BOWL-GRY-M', 3);
    const before = JSON.stringify([wantedListings(s), outboxStates(s)]);
    const r = await w.cli(['sync', '--dry-run', '--only', 'prices,inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.stringify([wantedListings(s), outboxStates(s)])).toBe(before);
  });
});
