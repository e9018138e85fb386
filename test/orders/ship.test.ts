// Issue #21: `merchant orders ship` (a parcel without a label bought here), partial shipments with
// --lines, order status in `orders list/show`, stock deducted once per parcel, Shopify orders by name.
import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openStore } from '../../src/store/db.js';
import { shipWorld } from './helpers.js';
import type { World } from '../sync/helpers.js';

const stock = (w: World, sku: string) => {
  const s = openStore(join(w.home, 'merchant.db'));
  const r = s.db.prepare('SELECT i.on_hand, i.reserved FROM inventory i JOIN variants v ON v.id = i.variant_id WHERE v.sku = ?').get(sku) as { on_hand: bigint; reserved: bigint };
  s.close();
  return { onHand: Number(r.on_hand), reserved: Number(r.reserved) };
};
const fulfilments = (w: World) => w.sb.requests().filter((q) => q.method === 'POST' && /shipping_fulfillment$/.test(q.path) && (q.status ?? 0) < 300);
const SCHEMAS = resolve(import.meta.dirname, '../../docs/schemas');
function schemaOk(name: string, doc: unknown): void {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')));
  const v = ajv.getSchema(`https://merchant.local/schemas/${name}.schema.json`)!;
  expect(v(doc), JSON.stringify(v.errors)).toBe(true);
}
const status = async (w: World, ref: string) => JSON.parse((await w.cli(['orders', 'show', ref, '--json'])).stdout);

describe('orders ship', () => {
  it('eBay, two parcels: each sends exactly its lines, status goes partially shipped → shipped, stock moves once per parcel', async () => {
    const w = await shipWorld(['ebay']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    const bowl0 = stock(w, 'BOWL-GRY-M');
    const mug0 = stock(w, 'MUG-BLU-S');
    expect(bowl0.reserved).toBeGreaterThan(0);

    const dry = await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'Royal Mail', '--tracking', 'JD014600003GB', '--lines', 'BOWL-GRY-M:1', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, lines: [{ sku: 'BOWL-GRY-M', quantity: 1 }] });
    schemaOk('orders-ship', JSON.parse(dry.stdout));
    expect(fulfilments(w)).toHaveLength(0);

    const r1 = await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'Royal Mail', '--tracking', 'JD014600003GB', '--lines', 'BOWL-GRY-M:1', '--date', '2026-11-24', '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(JSON.parse(r1.stdout).confirmations).toEqual([expect.objectContaining({ state: 'acked', tracking: 'JD014600003GB' })]);
    schemaOk('orders-ship', JSON.parse(r1.stdout));
    expect(fulfilments(w)).toHaveLength(1);
    const sent = JSON.parse(fulfilments(w)[0]!.body);
    expect(sent).toMatchObject({ shippingCarrierCode: 'RoyalMail', trackingNumber: 'JD014600003GB' });
    expect(sent.lineItems).toHaveLength(1);
    expect(stock(w, 'BOWL-GRY-M')).toEqual({ onHand: bowl0.onHand - 1, reserved: bowl0.reserved - 1 });
    expect(stock(w, 'MUG-BLU-S')).toEqual(mug0);

    let o = await status(w, '12-11111-00002');
    expect(o.status).toBe('partially_shipped');
    expect(o.parcels).toEqual([expect.objectContaining({ tracking: 'JD014600003GB', confirmation: 'acked', lines: [expect.objectContaining({ sku: 'BOWL-GRY-M', quantity: 1 })] })]);
    expect(o.lines.find((l: { sku: string }) => l.sku === 'BOWL-GRY-M').shipped).toBe(1);
    const text = await w.cli(['orders', 'show', '12-11111-00002']);
    expect(text.stdout).toMatch(/partially shipped/);
    expect(text.stdout).toMatch(/JD014600003GB.*confirmed/);

    // Same tracking again: nothing sent, nothing moved.
    const again = await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'Royal Mail', '--tracking', 'JD014600003GB']);
    expect(again.code, again.stderr).toBe(0);
    expect(fulfilments(w)).toHaveLength(1);
    expect(stock(w, 'BOWL-GRY-M').onHand).toBe(bowl0.onHand - 1);

    // More than is left: refused before anything is recorded or sent.
    const over = await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'DHL', '--tracking', 'X1234567', '--lines', 'BOWL-GRY-M:1']);
    expect(over.code).toBe(3);
    expect(over.stderr).toMatch(/BOWL-GRY-M: 1 asked, 0 left unshipped/);
    expect((await status(w, '12-11111-00002')).parcels).toHaveLength(1);

    // The re-pull (the marketplace still says unshipped) neither undoes nor repeats the deduction.
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect(stock(w, 'BOWL-GRY-M')).toEqual({ onHand: bowl0.onHand - 1, reserved: bowl0.reserved - 1 });

    // The rest: no --lines ships what is left; the order is shipped.
    const r2 = await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'Evri', '--tracking', 'H01234567890123', '--json']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(fulfilments(w)).toHaveLength(2);
    expect(JSON.parse(fulfilments(w)[1]!.body).lineItems).toHaveLength(1);
    o = await status(w, '12-11111-00002');
    expect(o.status).toBe('shipped');
    expect(stock(w, 'MUG-BLU-S')).toEqual({ onHand: mug0.onHand - 1, reserved: mug0.reserved - 1 });
    const list = JSON.parse((await w.cli(['orders', 'list', '--status', 'shipped', '--json'])).stdout);
    expect(list.items.map((i: { externalId: string }) => i.externalId)).toContain('12-11111-00002');
    schemaOk('orders-list', list);
    // Nothing left to ship.
    const none = await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'Evri', '--tracking', 'H09999999999999']);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/already in a parcel/);
  });

  it('Shopify by its order name (#1002 or 1002); Shopify down: recorded, exit 4, "shipped (confirmation pending)", sync sends it once', async () => {
    const w = await shipWorld(['shopify']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect((await status(w, '#1002')).externalId).toBe('5600000002');
    expect((await status(w, '1002')).externalId).toBe('5600000002');
    expect((await status(w, 'shopify:#1002')).externalId).toBe('5600000002');
    w.sb.scriptFaults(Array.from({ length: 12 }, (_, i) => ({ match: 'POST /shopify/admin/api', nth: i + 1, fault: '503' as const })));
    const r = await w.cli(['orders', 'ship', '#1002', '--carrier', 'USPS', '--tracking', '9400111899223197428490']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/merchant sync/);
    w.sb.scriptFaults([]);
    const listed = JSON.parse((await w.cli(['orders', 'list', '--status', 'shipped_unconfirmed', '--json'])).stdout);
    expect(listed.items.map((i: { externalId: string; marketplaceStatus: string }) => [i.externalId, i.marketplaceStatus])).toEqual([['5600000002', 'unshipped']]);
    expect((await w.cli(['orders', 'list'])).stdout).toMatch(/shipped \(confirmation pending\)/);
    const s = await w.cli(['sync', '--only', 'orders', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    const creates = () => w.sb.requests().filter((q) => q.api === 'shopify' && q.body.includes('fulfillmentCreate') && q.status === 200);
    expect(creates()).toHaveLength(1);
    expect(JSON.parse(creates()[0]!.body).variables.fulfillment.trackingInfo).toMatchObject({ company: 'USPS', number: '9400111899223197428490' });
    expect((await status(w, '#1002')).status).toBe('shipped');
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect(creates()).toHaveLength(1);
  });

  it('refuses an unknown order (exit 2), a bad --lines (exit 2) and a future date, recording nothing', async () => {
    const w = await shipWorld(['ebay']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect((await w.cli(['orders', 'ship', 'NOPE-1', '--carrier', 'DHL', '--tracking', '123456'])).code).toBe(2);
    expect((await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'DHL', '--tracking', '123456', '--lines', 'MUG-BLU-S:0'])).code).toBe(2);
    const nosku = await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'DHL', '--tracking', '123456', '--lines', 'CUP-X:1']);
    expect(nosku.code).toBe(3);
    expect(nosku.stderr).toMatch(/CUP-X is not in order/);
    expect((await w.cli(['orders', 'ship', '12-11111-00002', '--carrier', 'DHL', '--tracking', '123456', '--date', '2099-01-01'])).code).toBe(2);
    expect((await status(w, '12-11111-00002')).parcels).toEqual([]);
    expect(fulfilments(w)).toHaveLength(0);
  });
});
