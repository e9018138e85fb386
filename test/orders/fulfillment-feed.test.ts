// Issue #21, the last item: many Amazon shipment confirmations at once go as ONE order-fulfillment feed
// (POST_ORDER_FULFILLMENT_DATA, XML), through the same outbox as single confirmations: 'sent' before the
// feed is created, the feed id kept, the processing report acking or failing each parcel by its message,
// a killed run reading the feed back instead of sending anything twice. Below the threshold
// (amazon.confirmFeedThreshold, default 10) each parcel still goes as its own confirmShipment.
import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { startSandbox } from '../../src/sandbox/index.js';
import { openStore } from '../../src/store/db.js';
import { recordConfirmation } from '../../src/store/repos/confirmations.js';
import { spawnBin, tempDir } from '../helpers/run.js';
import { sandbox, world, type World } from '../sync/helpers.js';

type Obj = Record<string, unknown>;
const PARCELS = 12;
const SCHEMAS = resolve(import.meta.dirname, '../../docs/schemas');
function syncSchemaOk(doc: unknown): void {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')));
  const v = ajv.getSchema('https://merchant.local/schemas/sync.schema.json')!;
  expect(v(doc), JSON.stringify(v.errors)).toBe(true);
}
const reqs = (w: World, method: string, re: RegExp) => w.sb.requests().filter((q) => q.method === method && re.test(q.path) && (q.status ?? 0) < 300 && !q.fault);

/** The demo sandbox plus `n` unshipped amazon-de orders (one line of 2 units each), cloned from 302-1234567-1000003. */
async function sandboxWithOrders(n: number) {
  const seed = await startSandbox({ port: 0 });
  const state = seed.state() as { apis: { amazon: { sellers: Record<string, { orders: Record<string, Obj> }> } } };
  await seed.stop();
  const seller = Object.values(state.apis.amazon.sellers)[0]!;
  const proto = seller.orders['302-1234567-1000003']!;
  for (let i = 0; i < n; i++) {
    const id = `302-5550000-${String(4000000 + i)}`;
    const o = JSON.parse(JSON.stringify(proto)) as Obj & { items: Obj[] };
    o.orderId = id;
    o.createdTime = '2026-11-20T10:00:00Z';
    o.lastUpdatedTime = '2026-11-20T10:00:00Z';
    o.items = [{ ...o.items[0]!, orderItemId: String(71000000000000 + i), quantity: 2, shipped: 0 }];
    seller.orders[id] = o;
  }
  const statePath = join(tempDir('merchant-feedstate-'), 'state.json');
  writeFileSync(statePath, JSON.stringify(state));
  return sandbox({ statePath });
}

async function pulled(n: number): Promise<World> {
  const w = await world(['amazon'], { sb: await sandboxWithOrders(n) });
  const r = await w.cli(['sync', '--only', 'orders', '--yes']);
  expect(r.code, r.stderr).toBe(0);
  return w;
}

/** Record one parcel (DHL, its own tracking) for each of the cloned orders, as ship book would. */
function parcels(w: World, n: number, tweak: (i: number, lines: Array<{ externalLineId: string; sku: string | null; quantity: number }>) => void = () => {}): void {
  const s = openStore(join(w.home, 'merchant.db'));
  const orders = s.db.prepare("SELECT id, external_id FROM orders WHERE external_id LIKE '302-5550000-%' ORDER BY external_id").all() as Array<{ id: bigint; external_id: string }>;
  expect(orders).toHaveLength(n);
  orders.forEach((o, i) => {
    const l = s.db.prepare('SELECT external_line_id, sku, quantity FROM order_lines WHERE order_id = ?').get(o.id) as { external_line_id: string; sku: string; quantity: bigint };
    const lines = [{ externalLineId: l.external_line_id, sku: l.sku, quantity: Number(l.quantity) }];
    tweak(i, lines);
    recordConfirmation(s, { orderId: Number(o.id), carrier: 'DHL', service: 'Paket', tracking: `JJD00${String(390000000 + i)}`, shipDate: '2026-11-25T09:00:00Z', lines, notifyCustomer: false }, '2026-11-25T09:00:00Z');
  });
  s.close();
}

const rows = (w: World) => {
  const s = openStore(join(w.home, 'merchant.db'));
  const r = s.db.prepare("SELECT external_order_id, state, error_message, attempts, json_extract(sent_json, '$.feedId') AS feed FROM shipment_confirmations ORDER BY id").all() as Array<{ external_order_id: string; state: string; error_message: string | null; attempts: bigint; feed: string | null }>;
  s.close();
  return r;
};
const sbOrder = (w: World, id: string) => Object.values((w.sb.state() as { apis: { amazon: { sellers: Record<string, { orders: Record<string, Obj> }> } } }).apis.amazon.sellers)[0]!.orders[id] as { status: string; packages: Obj[]; items: Array<{ shipped: number }> };
const uploaded = (w: World) => reqs(w, 'PUT', /_s3\/feeds-input\//).map((q) => q.body);

describe('Amazon order-fulfillment feed', () => {
  it(`${PARCELS} parcels pending → one POST_ORDER_FULFILLMENT_DATA feed, all acked, the orders shipped on Amazon`, async () => {
    const w = await pulled(PARCELS);
    parcels(w, PARCELS);
    const r = await w.cli(['sync', '--only', 'orders', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    syncSchemaOk(JSON.parse(r.stdout));
    expect(reqs(w, 'POST', /shipmentConfirmation$/)).toHaveLength(0);
    const feeds = reqs(w, 'POST', /\/feeds\/2021-06-30\/feeds$/);
    expect(feeds).toHaveLength(1);
    expect(JSON.parse(feeds[0]!.body)).toMatchObject({ feedType: 'POST_ORDER_FULFILLMENT_DATA', marketplaceIds: ['A1PA6795UKMFR9'] });
    // The document: one OrderFulfillment message per parcel, in the amzn-envelope.
    const xml = new XMLParser({ parseTagValue: false, isArray: (n) => n === 'Message' || n === 'Item' }).parse(uploaded(w)[0]!) as Obj;
    const env = xml.AmazonEnvelope as { MessageType: string; Message: Array<{ MessageID: string; OrderFulfillment: Obj }> };
    expect(env.MessageType).toBe('OrderFulfillment');
    expect(env.Message).toHaveLength(PARCELS);
    expect(env.Message[0]!.OrderFulfillment).toMatchObject({ AmazonOrderID: '302-5550000-4000000', FulfillmentData: { CarrierCode: 'DHL', ShippingMethod: 'Paket', ShipperTrackingNumber: 'JJD00390000000' }, Item: [{ AmazonOrderItemCode: '71000000000000', Quantity: '2' }] });
    const all = rows(w);
    expect(all.map((x) => x.state)).toEqual(Array(PARCELS).fill('acked'));
    expect(new Set(all.map((x) => x.feed)).size).toBe(1);
    for (let i = 0; i < PARCELS; i++) {
      const o = sbOrder(w, `302-5550000-${4000000 + i}`);
      expect(o.status).toBe('SHIPPED');
      expect(o.packages).toEqual([expect.objectContaining({ trackingNumber: `JJD00${390000000 + i}`, carrier: 'DHL' })]);
    }
    // A second run has nothing to send.
    expect((await w.cli(['sync', '--only', 'orders', '--yes'])).code).toBe(0);
    expect(reqs(w, 'POST', /\/feeds\/2021-06-30\/feeds$/)).toHaveLength(1);
  });

  it('bad messages (quantity above what is unshipped, unknown order item code, unknown order, no tracking) → those parcels failed with Amazon’s reason, the others acked', async () => {
    const w = await pulled(PARCELS);
    parcels(w, PARCELS, (i, lines) => {
      if (i === 4) lines[0]!.quantity = 5;
      if (i === 5) lines[0]!.externalLineId = '79999999999999';
    });
    const s = openStore(join(w.home, 'merchant.db'));
    s.db.prepare("UPDATE shipment_confirmations SET external_order_id = '302-0000000-0000000' WHERE id = 7").run();
    s.db.prepare("UPDATE shipment_confirmations SET tracking = '' WHERE id = 8").run();
    s.close();
    const r = await w.cli(['sync', '--only', 'orders', '--yes', '--json']);
    // A refused confirmation is a failed item of the run: exit 4, as for a single confirmShipment.
    expect(r.code, r.stderr).toBe(4);
    // The summary counts the confirmations, not "0 items failed".
    expect(r.stderr).toMatch(/^error: 4 shipment confirmations not done, the rest landed: amazon order \S+ confirmation failed \(/m);
    expect(reqs(w, 'POST', /\/feeds\/2021-06-30\/feeds$/)).toHaveLength(1);
    const all = rows(w);
    expect(all.filter((x) => x.state === 'acked')).toHaveLength(PARCELS - 4);
    expect(all.slice(4, 8).map((x) => x.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(all[4]!.error_message).toMatch(/Quantity 5 .* more than the 2 unshipped/);
    expect(all[5]!.error_message).toMatch(/no item with AmazonOrderItemCode 79999999999999/);
    expect(all[6]!.error_message).toMatch(/302-0000000-0000000 was not found/);
    expect(all[7]!.error_message).toMatch(/ShipperTrackingNumber is missing/);
    for (const i of [4, 5, 6, 7]) expect(sbOrder(w, `302-5550000-${4000000 + i}`).packages).toHaveLength(0);
    expect(sbOrder(w, '302-5550000-4000008').status).toBe('SHIPPED');
    syncSchemaOk(JSON.parse(r.stdout));
    const out = JSON.parse(r.stdout) as { confirmations: Array<{ state: string; message?: string; feedId?: string }> };
    expect(out.confirmations.filter((c) => c.state === 'failed').map((c) => c.message)).toEqual([expect.stringMatching(/unshipped/), expect.stringMatching(/AmazonOrderItemCode/), expect.stringMatching(/not found/), expect.stringMatching(/ShipperTrackingNumber/)]);
  });

  it('kill -9 right after createFeed: the next run reads the feed back and sends nothing twice', async () => {
    const w = await pulled(PARCELS);
    parcels(w, PARCELS);
    const p = spawnBin(['sync', '--only', 'orders', '--yes'], { env: { ...w.env, MERCHANT_HOME: w.home, MERCHANT_CRASH_AT: 'confirm.after-feed' } });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += String(d)));
    const killed = await new Promise<{ signal: string | null }>((res) => p.on('exit', (_c, signal) => res({ signal })));
    expect(killed.signal, stderr).toBe('SIGKILL');
    expect(stderr).toMatch(/crash point confirm.after-feed/);
    const mid = rows(w);
    expect(mid.map((x) => x.state)).toEqual(Array(PARCELS).fill('sent'));
    expect(mid.every((x) => x.feed)).toBe(true);
    const r = await w.cli(['sync', '--only', 'orders', '--yes', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(reqs(w, 'POST', /\/feeds\/2021-06-30\/feeds$/)).toHaveLength(1);
    expect(reqs(w, 'POST', /shipmentConfirmation$/)).toHaveLength(0);
    expect(reqs(w, 'GET', new RegExp(`/feeds/2021-06-30/feeds/${mid[0]!.feed}$`)).length).toBeGreaterThan(0);
    expect(rows(w).map((x) => x.state)).toEqual(Array(PARCELS).fill('acked'));
    expect((JSON.parse(r.stdout) as { confirmations: Array<{ readBack: boolean }> }).confirmations.every((c) => c.readBack)).toBe(true);
    for (let i = 0; i < PARCELS; i++) expect(sbOrder(w, `302-5550000-${4000000 + i}`).packages).toHaveLength(1);
  });

  it('kill -9 after the parcels were marked sent but before the feed existed: the next run finds nothing landed and sends them as one feed', async () => {
    const w = await pulled(PARCELS);
    parcels(w, PARCELS);
    const p = spawnBin(['sync', '--only', 'orders', '--yes'], { env: { ...w.env, MERCHANT_HOME: w.home, MERCHANT_CRASH_AT: 'confirm.before-feed' } });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += String(d)));
    const killed = await new Promise<{ signal: string | null }>((res) => p.on('exit', (_c, signal) => res({ signal })));
    expect(killed.signal, stderr).toBe('SIGKILL');
    expect(rows(w).map((x) => x.state)).toEqual(Array(PARCELS).fill('sent'));
    expect(w.sb.requests().filter((q) => q.method === 'POST' && /\/feeds\/2021-06-30\/feeds$/.test(q.path))).toHaveLength(0);
    const r = await w.cli(['sync', '--only', 'orders', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(reqs(w, 'POST', /\/feeds\/2021-06-30\/feeds$/)).toHaveLength(1);
    expect(reqs(w, 'POST', /shipmentConfirmation$/)).toHaveLength(0);
    expect(rows(w).map((x) => x.state)).toEqual(Array(PARCELS).fill('acked'));
  });

  it('no answer to createFeed: the parcels stay sent, and while the feed is still queued the next run waits for it instead of sending twins', async () => {
    const w = await pulled(PARCELS);
    parcels(w, PARCELS);
    w.sb.scriptFaults([{ match: '/feeds/2021-06-30/feeds', fault: 'lost' }]);
    const r1 = await w.cli(['sync', '--only', 'orders', '--yes', '--json']);
    expect(r1.code, r1.stderr).toBe(4);
    const mid = rows(w);
    expect(mid.map((x) => x.state)).toEqual(Array(PARCELS).fill('sent'));
    expect(mid.every((x) => x.feed === null)).toBe(true);
    // The lost createFeed did land on Amazon (a queued feed); nothing confirmed there yet.
    const r2 = await w.cli(['sync', '--only', 'orders', '--yes', '--json']);
    expect(r2.code, r2.stderr).toBe(4);
    syncSchemaOk(JSON.parse(r2.stdout));
    expect(reqs(w, 'GET', /\/feeds\/2021-06-30\/feeds(\?|$)/).length).toBeGreaterThan(0);
    expect(reqs(w, 'POST', /shipmentConfirmation$/)).toHaveLength(0);
    expect(w.sb.requests().filter((q) => q.method === 'POST' && /\/feeds\/2021-06-30\/feeds$/.test(q.path))).toHaveLength(1);
    expect(rows(w).map((x) => x.state)).toEqual(Array(PARCELS).fill('sent'));
    expect((JSON.parse(r2.stdout) as { confirmations: Array<{ message?: string }> }).confirmations[0]!.message).toMatch(/still processing 1 such feed/);
  });

  it('a document Amazon refuses as a whole (another seller’s MerchantIdentifier): every parcel refused with the reason, nothing shipped', async () => {
    const w = await pulled(PARCELS);
    parcels(w, PARCELS);
    const s = openStore(join(w.home, 'merchant.db'));
    s.db.prepare("UPDATE marketplace_accounts SET settings_json = json_set(settings_json, '$.sellerId', 'A3OTHERSELLER') WHERE marketplace = 'amazon'").run();
    s.close();
    const r = await w.cli(['sync', '--only', 'orders', '--yes']);
    expect(r.code, r.stderr).toBe(4);
    const all = rows(w);
    expect(all.map((x) => x.state)).toEqual(Array(PARCELS).fill('failed'));
    expect(all[0]!.error_message).toMatch(/MerchantIdentifier \(A3OTHERSELLER\) does not match/);
    expect(sbOrder(w, '302-5550000-4000000').packages).toHaveLength(0);
  });

  it('at or below the threshold: each parcel goes as its own confirmShipment, as before', async () => {
    const w = await pulled(10);
    parcels(w, 10);
    const r = await w.cli(['sync', '--only', 'orders', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(reqs(w, 'POST', /\/feeds\/2021-06-30\/feeds$/)).toHaveLength(0);
    expect(reqs(w, 'POST', /shipmentConfirmation$/)).toHaveLength(10);
    expect(rows(w).map((x) => x.state)).toEqual(Array(10).fill('acked'));
  });
});
