// Issue #21 shipment confirmation: ship book tells the marketplace (Shopify fulfillmentCreate, eBay
// createShippingFulfillment, Amazon confirmShipment) exactly once, through the confirmation outbox:
// a marketplace down (label kept, sync sends it later), a lost answer (read back, not resent), kill -9
// between label and confirmation (the next run confirms exactly once), partial shipments.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';
import { spawnBin } from '../helpers/run.js';
import { shipWorld } from './helpers.js';
import type { World } from '../sync/helpers.js';

type Obj = Record<string, unknown>;
const reqs = (w: World, method: string, re: RegExp) => w.sb.requests().filter((q) => q.method === method && re.test(q.path));
const applied = (w: World, method: string, re: RegExp) => reqs(w, method, re).filter((q) => (q.fault ? ['lost', 'html', 'empty', 'truncated'].includes(q.fault) : (q.status ?? 0) < 300));
const confirmations = (w: World) => {
  const s = openStore(join(w.home, 'merchant.db'));
  const rows = s.db.prepare('SELECT external_order_id, state, tracking, lines_json, attempts FROM shipment_confirmations ORDER BY id').all() as Array<{ external_order_id: string; state: string; tracking: string; lines_json: string; attempts: bigint }>;
  s.close();
  return rows;
};
const ebayOrder = (w: World, id: string) => (((w.sb.state() as { apis: { ebay: { sellers: Record<string, { orders: Record<string, Obj> }> } } }).apis.ebay.sellers) ? Object.values((w.sb.state() as { apis: { ebay: { sellers: Record<string, { orders: Record<string, Obj> }> } } }).apis.ebay.sellers)[0]!.orders[id] : undefined) as { fulfillments: Obj[] } | undefined;

async function bin(w: World, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const p = spawnBin(args, { env: { ...w.env, MERCHANT_HOME: w.home, ...env } });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => p.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

describe('shipment confirmation after ship book', () => {
  it('Shopify: the US order gets fulfillmentCreate with the tracking, checked against the schema; a second ship book sends nothing', async () => {
    const w = await shipWorld(['shopify']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    const r = await w.cli(['ship', 'book', '5600000002', '--cheapest', '--yes', '--json', '--notify-buyer']);
    expect(r.code, r.stdout).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.confirmations).toEqual([expect.objectContaining({ marketplace: 'shopify', state: 'acked', tracking: doc.trackingCode })]);
    const creates = w.sb.requests().filter((q) => q.api === 'shopify' && q.body.includes('fulfillmentCreate'));
    expect(creates).toHaveLength(1);
    const body = JSON.parse(creates[0]!.body) as { variables: { fulfillment: Obj } };
    expect(body.variables.fulfillment).toMatchObject({ notifyCustomer: true, trackingInfo: { company: 'Deutsche Post', number: doc.trackingCode } }); // EasyPost's cheapest here: DeutschePost → Shopify's listed company
    expect(creates[0]!.status).toBe(200);
    const again = await w.cli(['ship', 'book', '5600000002', '--cheapest', '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(w.sb.requests().filter((q) => q.api === 'shopify' && q.body.includes('fulfillmentCreate'))).toHaveLength(1);
    expect(confirmations(w).map((c) => c.state)).toEqual(['acked']);
  });

  it('eBay down during ship book: the label is kept, exit 4, and the next sync confirms it once', async () => {
    const w = await shipWorld(['ebay']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    w.sb.scriptFaults([1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ match: 'POST /ebay/sell/fulfillment/v1/order/12-11111-00002/shipping_fulfillment', nth: n, fault: '503' as const })));
    const r = await w.cli(['ship', 'book', '12-11111-00002', '--cheapest', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased', confirmations: [expect.objectContaining({ state: expect.stringMatching(/^(pending|sent)$/) })] });
    expect(applied(w, 'POST', /shipping_fulfillment$/)).toHaveLength(0);
    w.sb.scriptFaults([]);
    const s = await w.cli(['sync', '--only', 'orders', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/12-11111-00002: tracking \S+ confirmed/);
    expect(applied(w, 'POST', /shipping_fulfillment$/)).toHaveLength(1);
    const sent = JSON.parse(applied(w, 'POST', /shipping_fulfillment$/)[0]!.body);
    expect(sent).toMatchObject({ shippingCarrierCode: 'DeutschePost', lineItems: [{ quantity: 1 }, { quantity: 1 }] });
    expect(confirmations(w).map((c) => c.state)).toEqual(['acked']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect(applied(w, 'POST', /shipping_fulfillment$/)).toHaveLength(1);
  });

  it('Amazon: a lost answer is read back (getOrder PACKAGES), not sent again', async () => {
    const w = await shipWorld(['amazon']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    w.sb.scriptFaults([{ match: '/orders/v0/orders/302-1234567-1000003/shipmentConfirmation', fault: 'lost' }]);
    const r = await w.cli(['ship', 'book', '302-1234567-1000003', '--cheapest', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).confirmations).toEqual([expect.objectContaining({ state: 'acked', readBack: true })]);
    expect(applied(w, 'POST', /shipmentConfirmation$/)).toHaveLength(1);
    const body = JSON.parse(applied(w, 'POST', /shipmentConfirmation$/)[0]!.body);
    expect(body).toMatchObject({ marketplaceId: 'A1PA6795UKMFR9', packageDetail: { packageReferenceId: expect.stringMatching(/^[1-9]\d*$/), carrierCode: expect.any(String), trackingNumber: expect.any(String), orderItems: [{ quantity: 1 }] } });
    expect(reqs(w, 'GET', /orders\/2026-01-01\/orders\/302-1234567-1000003\?.*PACKAGES/).length).toBeGreaterThan(0);
  });

  it('kill -9 after the confirmation left but before its answer was recorded: the next sync reads it back and sends nothing', async () => {
    const w = await shipWorld(['ebay']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    const killed = await bin(w, ['ship', 'book', '12-11111-00003', '--cheapest', '--yes'], { MERCHANT_CRASH_AT: 'confirm.after-send' });
    expect(killed.signal).toBe('SIGKILL');
    expect(confirmations(w).map((c) => c.state)).toEqual(['sent']);
    expect(applied(w, 'POST', /shipping_fulfillment$/)).toHaveLength(1);
    const s = await w.cli(['sync', '--only', 'orders', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    expect(applied(w, 'POST', /shipping_fulfillment$/)).toHaveLength(1);
    expect(confirmations(w).map((c) => c.state)).toEqual(['acked']);
    expect(ebayOrder(w, '12-11111-00003')?.fulfillments).toHaveLength(1);
  });

  it('kill -9 between the label and the confirmation: the next sync confirms exactly once', async () => {
    const w = await shipWorld(['ebay']);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    const killed = await bin(w, ['ship', 'book', '12-11111-00003', '--cheapest', '--yes'], { MERCHANT_CRASH_AT: 'confirm.before-send' });
    expect(killed.signal).toBe('SIGKILL');
    expect(applied(w, 'POST', /shipping_fulfillment$/)).toHaveLength(0);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect(applied(w, 'POST', /shipping_fulfillment$/)).toHaveLength(1);
    expect(confirmations(w).map((c) => c.state)).toEqual(['acked']);
  });
});
