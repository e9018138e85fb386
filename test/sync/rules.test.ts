// Inventory rules: the pure calculation, and rules set through the CLI reaching the marketplace.
import { describe, it, expect } from 'vitest';
import { offeredQuantity, ruleFor, type InventoryRule } from '../../src/services/sync/rules.js';
import { world, shopifyRemote } from './helpers.js';

const R = (o: Partial<InventoryRule>): InventoryRule => ({ name: 'r', channel: null, skuPattern: null, percent: null, buffer: null, maxQty: null, minQty: null, oosThreshold: null, fixedQty: null, ...o });

describe('offeredQuantity', () => {
  it.each([
    [10, undefined, 10],
    [-3, undefined, 0],
    [10, R({ percent: '80%' }), 8],
    [1, R({ percent: '90%' }), 0], // rounded down, as Sellbrite does
    [7, R({ percent: '0.5' }), 3],
    [10, R({ buffer: 3 }), 7],
    [2, R({ buffer: 3 }), 0],
    [10, R({ buffer: 2, percent: '50%' }), 4],
    [50, R({ maxQty: 10 }), 10],
    [3, R({ percent: '10%', minQty: 2 }), 2],
    [1, R({ percent: '10%', minQty: 2 }), 1], // never above what is available
    [2, R({ oosThreshold: 2 }), 0],
    [3, R({ oosThreshold: 2 }), 3],
    [100, R({ fixedQty: 5 }), 5],
    [0, R({ fixedQty: 5 }), 0],
  ])('available %i with %o → %i', (avail, rule, want) => {
    expect(offeredQuantity(avail, rule)).toBe(want);
  });

  it('picks the most specific rule', () => {
    const rules = [R({ name: 'all', percent: '50%' }), R({ name: 'ebay', channel: 'ebay-uk', maxQty: 3 }), R({ name: 'mugs', skuPattern: 'MUG-*', buffer: 1 }), R({ name: 'ebay-mugs', channel: 'ebay-uk', skuPattern: 'MUG-*', fixedQty: 2 })];
    expect(ruleFor(rules, 'ebay-uk', 'MUG-BLU-S')!.name).toBe('ebay-mugs');
    expect(ruleFor(rules, 'amazon-de', 'MUG-BLU-S')!.name).toBe('mugs');
    expect(ruleFor(rules, 'ebay-uk', 'BOWL-GRY-M')!.name).toBe('ebay');
    expect(ruleFor(rules, 'shopify', 'BOWL-GRY-M')!.name).toBe('all');
  });
});

describe('merchant sync rules', () => {
  it('a rule set on the CLI changes what the next sync offers', async () => {
    const w = await world(['shopify']);
    const set = await w.cli(['sync', 'rules', 'set', 'half', '--channel', 'shopify', '--sku', 'MUG-*', '--percent', '50%', '--max', '10']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('3 listings');
    const list = await w.cli(['sync', 'rules', 'list', '--json']);
    expect(JSON.parse(list.stdout).items[0]).toMatchObject({ name: 'half', channel: 'shopify', skuPattern: 'MUG-*', percent: '50%', maxQty: 10 });
    const r = await w.cli(['sync', '--yes', '--only', 'inventory']);
    expect(r.code, r.stderr).toBe(0);
    const remote = shopifyRemote(w.sb);
    expect(remote.get('MUG-BLU-S')!.available).toBe(10); // 24 → 12 → max 10
    expect(remote.get('MUG-BLU-L')!.available).toBe(5); // 11 → 5
    expect(remote.get('BOWL-GRY-M')!.available).toBe(7); // no rule
    const bad = await w.cli(['sync', 'rules', 'set', 'x', '--percent', '150%']);
    expect(bad.code).toBe(2);
    const rm = await w.cli(['sync', 'rules', 'remove', 'half']);
    expect(rm.code).toBe(0);
    expect((await w.cli(['sync', 'rules', 'remove', 'half'])).code).toBe(2);
  });
});
