// `merchant stock …`: locations, set/adjust with the audit trail, moves in transit, and bad input
// refused with nothing changed (exit 3; unknown names exit 2 as not_found, the house convention).
import { describe, it, expect } from 'vitest';
import { stockHome, snapshot } from './helpers.js';

const N = (v: unknown) => Number(v);

describe('stock locations', () => {
  it('has a home warehouse; adds a 3PL with its address; lists both; refuses FBA by hand', async () => {
    const h = stockHome();
    let r = await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'de', '--name', 'Fulfillment Leipzig', '--street', 'Am Exer 12', '--postal-code', '04158', '--city', 'Leipzig']);
    expect(r.code, r.stderr).toBe(0);
    r = await h.cli(['stock', 'locations', 'list', '--json']);
    const items = JSON.parse(r.stdout).items;
    expect(items.map((l: { code: string; kind: string; country: string | null; home: boolean }) => [l.code, l.kind, l.country, l.home])).toEqual([
      ['home', 'own', null, true],
      ['de-3pl', '3pl', 'DE', false],
    ]);
    expect(items[1].address).toEqual({ name: 'Fulfillment Leipzig', street1: 'Am Exer 12', postalCode: '04158', city: 'Leipzig', country: 'DE' });
    const before = snapshot(h);
    r = await h.cli(['stock', 'locations', 'add', 'fba-uk', '--kind', 'fba', '--country', 'GB']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/read from the marketplace/);
    r = await h.cli(['stock', 'locations', 'add', 'us', '--kind', '3pl']);
    expect(r.code).toBe(2);
    r = await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(snapshot(h)).toBe(before);
  });

  it('removes an unused location, refuses one with stock or channels, never the home warehouse', async () => {
    const h = stockHome();
    await h.cli(['stock', 'locations', 'add', 'us-wh', '--kind', 'warehouse', '--country', 'US']);
    await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
    expect((await h.cli(['stock', 'set', 'MUG-BLU-S', '3', '--location', 'de-3pl'])).code).toBe(0);
    let r = await h.cli(['stock', 'locations', 'remove', 'de-3pl']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/1 SKUs still have stock there/);
    r = await h.cli(['stock', 'locations', 'remove', 'home']);
    expect(r.code).toBe(2);
    r = await h.cli(['stock', 'locations', 'remove', 'us-wh']);
    expect(r.code, r.stderr).toBe(0);
    expect(h.q(`SELECT code FROM stock_locations ORDER BY id`).map((x) => x.code)).toEqual(['home', 'de-3pl']);
  });
});

describe('stock set / adjust', () => {
  it('sets and adjusts with reasons; every change is a movement with the level after it', async () => {
    const h = stockHome();
    let r = await h.cli(['stock', 'set', 'MUG-BLU-S', '30', '--location', 'home', '--reason', 'stocktake', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sku: 'MUG-BLU-S', location: 'home', before: 24, onHand: 30, reserved: 0, available: 30 });
    r = await h.cli(['stock', 'adjust', 'MUG-BLU-S', '-2', '--location', 'home', '--reason', 'broken']);
    expect(r.code, r.stderr).toBe(0);
    r = await h.cli(['stock', 'adjust', 'MUG-BLU-S', '+1', '--location', 'home', '--reason', 'return']);
    expect(r.code, r.stderr).toBe(0);
    expect(h.q(`SELECT kind, delta, on_hand_after, reason, command FROM stock_movements WHERE sku = 'MUG-BLU-S' AND kind <> 'catalogue' ORDER BY id`).map((m) => [m.kind, N(m.delta), N(m.on_hand_after), m.reason, m.command])).toEqual([
      ['set', 6, 30, 'stocktake', 'stock set'],
      ['adjust', -2, 28, 'broken', 'stock adjust'],
      ['adjust', 1, 29, 'return', 'stock adjust'],
    ]);
    r = await h.cli(['stock', 'list', '--json']);
    expect(JSON.parse(r.stdout).items.find((i: { sku: string }) => i.sku === 'MUG-BLU-S')).toMatchObject({ location: 'home', onHand: 29, available: 29 });
  });

  it('refuses negative stock, a non-number, an unknown location or SKU, with nothing changed', async () => {
    const h = stockHome();
    const before = snapshot(h);
    let r = await h.cli(['stock', 'set', 'MUG-BLU-S', '-1', '--location', 'home']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/cannot be negative/);
    r = await h.cli(['stock', 'adjust', 'MUG-RED-S', '-6', '--location', 'home']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/5 on hand.*negative \(-1\)/);
    r = await h.cli(['stock', 'set', 'MUG-BLU-S', '2.5', '--location', 'home']);
    expect(r.code).toBe(3);
    r = await h.cli(['stock', 'set', 'MUG-BLU-S', '4', '--location', 'nowhere', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout || r.stderr).error?.code ?? r.stderr).toMatch(/not_found|no stock location/);
    r = await h.cli(['stock', 'set', 'NOPE', '4', '--location', 'home']);
    expect(r.code).toBe(2);
    expect(snapshot(h)).toBe(before);
  });
});

describe('stock move', () => {
  it('moves out at once, inbound until received; refuses more than available (reserved counts)', async () => {
    const h = stockHome();
    await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
    h.store().db.prepare(`UPDATE stock_levels SET reserved = 4 WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`).run();
    const before = snapshot(h);
    let r = await h.cli(['stock', 'move', 'MUG-BLU-S', '21', '--from', 'home', '--to', 'de-3pl']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/only 20 available there \(24 on hand, 4 reserved/);
    expect(snapshot(h)).toBe(before);
    r = await h.cli(['stock', 'move', 'MUG-BLU-S', '20', '--from', 'home', '--to', 'de-3pl', '--reason', 'pallet 1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t).toMatchObject({ sku: 'MUG-BLU-S', from: 'home', to: 'de-3pl', quantity: 20, status: 'in_transit' });
    r = await h.cli(['stock', 'list', '--sku', 'MUG-BLU-S', '--json']);
    let doc = JSON.parse(r.stdout);
    expect(doc.items.map((i: { location: string; onHand: number; inbound: number; available: number }) => [i.location, i.onHand, i.available, i.inbound])).toEqual([
      ['home', 4, 0, 0],
      ['de-3pl', 0, 0, 20],
    ]);
    expect(doc.totals).toEqual([{ sku: 'MUG-BLU-S', onHand: 4, reserved: 4, available: 0, inbound: 20, locations: 2 }]);
    r = await h.cli(['stock', 'receive', String(t.id)]);
    expect(r.code, r.stderr).toBe(0);
    r = await h.cli(['stock', 'list', '--sku', 'MUG-BLU-S', '--json']);
    doc = JSON.parse(r.stdout);
    expect(doc.items.map((i: { location: string; onHand: number; inbound: number }) => [i.location, i.onHand, i.inbound])).toEqual([
      ['home', 4, 0],
      ['de-3pl', 20, 0],
    ]);
    expect((await h.cli(['stock', 'receive', String(t.id)])).code).toBe(2);
  });

  it('a cancelled move puts the units back', async () => {
    const h = stockHome();
    await h.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
    const t = JSON.parse((await h.cli(['stock', 'move', 'MUG-RED-S', '5', '--from', 'home', '--to', 'de-3pl', '--json'])).stdout);
    expect((await h.cli(['stock', 'receive', String(t.id), '--cancel'])).code).toBe(0);
    expect(h.q(`SELECT l.code, s.on_hand, s.inbound FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-RED-S') ORDER BY l.id`).map((x) => [x.code, N(x.on_hand), N(x.inbound)])).toEqual([
      ['home', 5, 0],
      ['de-3pl', 0, 0],
    ]);
  });
});
