// Orders pulled from any marketplace reserve stock, and the new available quantity goes to every
// other marketplace in the same run.
import { describe, it, expect } from 'vitest';
import { world, shopifyRemote, outboxStates } from './helpers.js';

type J = Record<string, unknown>;

describe('orders reserve stock across marketplaces', () => {
  it('one run: pull from all three, push the reduced availability to all three', async () => {
    const w = await world(['amazon', 'ebay', 'shopify']);
    const r = await w.cli(['sync', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const created = Object.fromEntries(doc.marketplaces.map((m: J) => [m.marketplace, (m.orders as J).created]));
    expect(created).toEqual({ amazon: 7, ebay: 3, shopify: 3 }); // 2 of the Amazon orders are fulfilled by Amazon: no stock effect
    // BOWL-GRY-M: 7 on hand, one open order on each marketplace → 4 available everywhere.
    const inv = w.store().db.prepare(`SELECT on_hand, reserved FROM inventory WHERE variant_id = (SELECT id FROM variants WHERE sku = 'BOWL-GRY-M')`).get() as { on_hand: bigint; reserved: bigint };
    expect([Number(inv.on_hand), Number(inv.reserved)]).toEqual([7, 3]);
    const bowl = doc.items.filter((i: J) => i.sku === 'BOWL-GRY-M');
    expect(bowl.map((i: J) => i.channel).sort()).toEqual(['amazon-de', 'amazon-uk', 'ebay-uk', 'shopify']);
    for (const i of bowl) expect(i).toMatchObject({ state: 'acked', new: { quantity: 4 } });
    expect(shopifyRemote(w.sb).get('BOWL-GRY-M')!.available).toBe(4);
    expect(outboxStates(w.store()).pending ?? 0).toBe(0);
    // Shipped historical orders (before the account was connected) do not touch stock.
    const mug = w.store().db.prepare(`SELECT on_hand, reserved FROM inventory WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`).get() as { on_hand: bigint; reserved: bigint };
    expect([Number(mug.on_hand), Number(mug.reserved)]).toEqual([24, 5]);
    // A second run changes nothing: it only reads the FBA stock of amazon-de (its FBA listing).
    const n = w.sb.requests().length;
    const again = await w.cli(['sync', '--yes', '--only', 'prices,inventory']);
    expect(again.code).toBe(0);
    const after = w.sb.requests().slice(n);
    expect(after.filter((q) => !q.path.includes('/fba/inventory/v1/summaries') && !q.path.endsWith('/auth/o2/token')).map((q) => `${q.method} ${q.path}`)).toEqual([]);
    expect(after.filter((q) => q.path.includes('/fba/inventory/v1/summaries'))).toHaveLength(1);
  });
});
