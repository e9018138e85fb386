// Which stock each storefront sells: amazon-de's merchant-fulfilled listings sell the German 3PL's
// stock, the others the home warehouse; orders reserve at the location that ships them; `orders assign`
// moves a reservation.
import { describe, it, expect } from 'vitest';
import { world } from '../sync/helpers.js';
import { pendingOutboxForSku } from '../../src/store/repos/catalog.js';

type J = Record<string, unknown>;
const N = (v: unknown) => Number(v);

describe('channel → locations', () => {
  it('amazon-de offers the 3PL stock, amazon-uk the home stock; its orders reserve at the 3PL', async () => {
    const w = await world(['amazon']);
    let r = await w.cli(['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE']);
    expect(r.code, r.stderr).toBe(0);
    r = await w.cli(['stock', 'locations', 'map', 'amazon-de', 'de-3pl']);
    expect(r.code, r.stderr).toBe(0);
    r = await w.cli(['stock', 'set', 'BOWL-GRY-M', '3', '--location', 'de-3pl', '--reason', 'first delivery']);
    expect(r.code, r.stderr).toBe(0);
    // Setting 3PL stock queued a push only where it is sold: amazon-de.
    const queued = pendingOutboxForSku(w.store(), 'BOWL-GRY-M').filter((q) => q.state === 'pending');
    expect(queued.map((q) => q.channel)).toEqual(['amazon-de']);
    r = await w.cli(['sync', '--only', 'inventory', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const items = JSON.parse(r.stdout).planned as J[];
    expect(items.find((i) => i.channel === 'amazon-de' && i.sku === 'BOWL-GRY-M')).toMatchObject({ new: { quantity: 3 } });

    // Orders: the amazon-de order of BOWL-GRY-M reserves at the 3PL, home keeps its stock.
    r = await w.cli(['sync', '--only', 'orders', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const effects = w.store().db
      .prepare(`SELECT o.channel, e.reserved, l.code FROM order_stock_effects e JOIN orders o ON o.id = e.order_id LEFT JOIN stock_locations l ON l.id = e.location_id WHERE e.sku = 'BOWL-GRY-M' AND e.reserved > 0 ORDER BY o.channel`)
      .all() as J[];
    expect(effects.map((e) => [e.channel, N(e.reserved), e.code])).toEqual([
      ['amazon-de', 1, 'de-3pl'],
    ]);
    const lv = (code: string) => w.store().db.prepare(`SELECT on_hand, reserved FROM stock_levels WHERE location_id = (SELECT id FROM stock_locations WHERE code = ?) AND variant_id = (SELECT id FROM variants WHERE sku = 'BOWL-GRY-M')`).get(code) as J;
    expect([N(lv('de-3pl').on_hand), N(lv('de-3pl').reserved)]).toEqual([3, 1]);
    expect([N(lv('home').on_hand), N(lv('home').reserved)]).toEqual([7, 0]);

    // orders assign: the amazon-de order ships from home instead; its reservation moves.
    const order = w.store().db.prepare(`SELECT o.external_id FROM orders o JOIN order_stock_effects e ON e.order_id = o.id WHERE o.channel = 'amazon-de' AND e.sku = 'BOWL-GRY-M' AND e.reserved > 0`).get() as { external_id: string };
    r = await w.cli(['orders', 'assign', order.external_id, '--location', 'home']);
    expect(r.code, r.stderr).toBe(0);
    expect([N(lv('de-3pl').reserved), N(lv('home').reserved)]).toEqual([0, 1]);
    r = await w.cli(['orders', 'assign', order.external_id, '--location', 'nowhere']);
    expect(r.code).toBe(2);
  });
});
