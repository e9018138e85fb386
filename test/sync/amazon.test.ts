// Sync against the Amazon SP-API emulator: LWA token, regional endpoints (each region gets its own
// marketplaces only), Listings PATCH with `merge` and the listing's own product type, FBA listings and
// orders, JSON_LISTINGS_FEED (upload, createFeed, polling, processing report) for large change sets,
// feeds still queued at the end of a run checked by the next one, searchOrders per region.
import { describe, it, expect } from 'vitest';
import { world, setPrice, setStock, outboxStates, NOW } from './helpers.js';
import { run } from '../helpers/run.js';
import type { Sandbox } from '../../src/sandbox/index.js';

type J = Record<string, unknown>;
const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const US = 'ATVPDKIKX0DER';

function amazonSeller(sb: Sandbox): J {
  const sellers = (((sb.state() as J).apis as J).amazon as J).sellers as J;
  return Object.values(sellers)[0] as J;
}
function attrs(sb: Sandbox, sku: string, mk: string): Record<string, J[]> {
  const l = (amazonSeller(sb).listings as J)[sku] as J;
  return (l.attributes as J)[mk] as Record<string, J[]>;
}
function amazonListing(sb: Sandbox, sku: string, mk: string): { price?: number; qty?: number } {
  const a = attrs(sb, sku, mk);
  const po = a.purchasable_offer?.find((o) => (o.audience ?? 'ALL') === 'ALL');
  const price = (((po?.our_price as J[] | undefined)?.[0]?.schedule as J[] | undefined)?.[0] as J | undefined)?.value_with_tax as number | undefined;
  return { price, qty: a.fulfillment_availability?.find((f) => f.fulfillment_channel_code === 'DEFAULT')?.quantity as number | undefined };
}
const query = (path: string) => new URL(`http://x${path}`).searchParams;
async function sandboxLimits(sb: Sandbox, limits: Record<string, number>): Promise<void> {
  const r = await fetch(`${sb.url}/_sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(limits) });
  expect(r.status).toBe(200);
}
async function advanceSandbox(sb: Sandbox, ms: number): Promise<void> {
  await fetch(`${sb.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });
}

describe('sync with Amazon (sandbox)', () => {
  it('connect reads the marketplaces per region: EU and NA endpoints each get only their own marketplaces', async () => {
    const w = await world(['amazon']);
    const connect = w.sb.requests().filter((q) => q.api === 'amazon' && !q.path.includes('/auth/o2/token'));
    expect(connect.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /amazon/na/sellers/v1/marketplaceParticipations',
      'GET /amazon/eu/sellers/v1/marketplaceParticipations',
      'GET /amazon/fe/sellers/v1/marketplaceParticipations',
      'GET /amazon/fe/sellers/v1/marketplaceParticipations', // refused: one fresh token, then it is the seller's authorization
    ]);
    const list = JSON.parse((await w.cli(['marketplace', 'list', '--json'])).stdout);
    const amazon = (list.items ?? list.marketplaces).find((a: J) => a.marketplace === 'amazon');
    expect(amazon.channels.sort()).toEqual(['amazon-de', 'amazon-uk', 'amazon-us']);
    const row = w.store().db.prepare(`SELECT settings_json FROM marketplace_accounts WHERE marketplace = 'amazon'`).get() as { settings_json: string };
    const settings = JSON.parse(row.settings_json);
    expect(settings.endpoints).toEqual({ na: `${w.sb.url}/amazon/na`, eu: `${w.sb.url}/amazon/eu` });
    expect(settings.marketplaceIds.sort()).toEqual([DE, UK, US].sort());

    // Orders: one search per region, each with its own marketplaces.
    const r = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const searches = w.sb.requests().filter((q) => q.path.includes('/orders/2026-01-01/orders'));
    expect(searches.map((q) => `${q.path.split('/orders/')[0]} ${query(q.path).get('marketplaceIds')!.split(',').sort().join(',')}`)).toEqual([`/amazon/na ${US}`, `/amazon/eu ${[DE, UK].sort().join(',')}`]);
    expect(searches.every((q) => q.status === 200)).toBe(true);
  });

  it('connect --json lists what the account sells on; --channels outside it is refused and nothing is stored', async () => {
    const w = await world([]);
    const ok = await w.cli(['marketplace', 'connect', 'amazon', '--sandbox', w.sb.url, '--channels', 'amazon-de', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const doc = JSON.parse(ok.stdout);
    expect(doc.channels).toEqual(['amazon-de']);
    expect(doc.marketplaces.map((m: J) => `${m.channel}:${m.region}:${m.connected}`).sort()).toEqual(['amazon-de:eu:true', 'amazon-uk:eu:false', 'amazon-us:na:false']);
    expect(doc.regions.map((r: J) => `${r.region}:${r.ok}`)).toEqual(['na:true', 'eu:true', 'fe:false']);
    const w2 = await world([]);
    const bad = await w2.cli(['marketplace', 'connect', 'amazon', '--sandbox', w2.sb.url, '--channels', 'amazon-fr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/does not sell on amazon-fr .*Amazon lists: .*amazon-de/);
    expect((await w2.cli(['marketplace', 'list', '--json'])).stdout).not.toContain('amazon');
  });

  it('tells a 403 for marketplaces sent to the wrong region, and one for a region the seller never authorized, from a bad token', async () => {
    const w = await world(['amazon']);
    // A stale account: the US marketplace is sent to the EU endpoint.
    w.store()
      .db.prepare(`UPDATE marketplace_accounts SET settings_json = json_set(settings_json, '$.endpoints.na', ?) WHERE marketplace = 'amazon'`)
      .run(`${w.sb.url}/amazon/eu`);
    const r = await w.cli(['sync', '--yes', '--only', 'orders']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('not valid for that region');
    expect(r.stderr).toContain('ATVPDKIKX0DER (United States of America, na)');
    expect(r.stderr).toContain('merchant marketplace connect amazon');
    expect(r.stderr).not.toMatch(/credentials were rejected/);
    const refused = w.sb.requests().filter((q) => q.status === 403);
    expect(refused.length).toBeGreaterThan(0);

    // Only FE, where the sandbox seller never authorized the app: denied with a fresh token.
    const w2 = await world([]);
    const fe = await w2.cli(['marketplace', 'connect', 'amazon', '--sandbox', w2.sb.url, '--region', 'fe']);
    expect(fe.code).toBe(6);
    expect(fe.stderr).toMatch(/access to getMarketplaceParticipations was denied in the Far East region \(403 Unauthorized\) although Login with Amazon issued a valid token/);
    expect(fe.stderr).toMatch(/role|authorized/);
  });

  it('patches with merge and the listing own product type: other offers, min/max prices and handling time survive', async () => {
    const w = await world(['amazon']);
    // A local catalogue type that is not Amazon's (as imports bring it): never sent.
    w.store().db.prepare(`UPDATE products SET product_type = 'Mugs & cups'`).run();
    setPrice(w.store(), 'amazon-de', 'MUG-BLU-S', '17.90');
    setStock(w.store(), 'BOWL-GRY-M', 5);
    const before = attrs(w.sb, 'MUG-BLU-S', DE);
    const tokens = () => w.sb.requests().filter((q) => q.path.includes('/auth/o2/token')).length;
    const t0 = tokens();
    const r = await w.cli(['sync', '--yes', '--only', 'prices,inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(amazonListing(w.sb, 'MUG-BLU-S', DE).price).toBe(17.9);
    expect(amazonListing(w.sb, 'BOWL-GRY-M', DE).qty).toBe(5);
    expect(amazonListing(w.sb, 'BOWL-GRY-M', UK).qty).toBe(5);
    const after = attrs(w.sb, 'MUG-BLU-S', DE);
    // The B2B offer and the min/max prices are still there; only our_price changed.
    expect(after.purchasable_offer!.find((o) => o.audience === 'B2B')).toEqual(before.purchasable_offer!.find((o) => o.audience === 'B2B'));
    const all = after.purchasable_offer!.find((o) => o.audience === 'ALL')!;
    expect(all.minimum_seller_allowed_price).toEqual(before.purchasable_offer![0]!.minimum_seller_allowed_price);
    expect(all.maximum_seller_allowed_price).toEqual(before.purchasable_offer![0]!.maximum_seller_allowed_price);
    expect(attrs(w.sb, 'BOWL-GRY-M', DE).fulfillment_availability).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 5, lead_time_to_ship_max_days: 2 }]);
    const patches = w.sb.requests().filter((q) => q.method === 'PATCH');
    expect(patches).toHaveLength(3);
    for (const p of patches) {
      const body = JSON.parse(p.body);
      expect(body.patches.every((x: J) => x.op === 'merge')).toBe(true);
      expect(body.productType).toBe(p.path.includes('MUG-BLU-S') ? 'DRINKING_CUP' : 'BOWL');
    }
    expect(patches.find((q) => q.path.includes('MUG-BLU-S'))!.body).toContain('"value_with_tax":17.90');
    expect(tokens() - t0).toBe(1); // one token for the whole run, cached
    expect(outboxStates(w.store())).toEqual({}); // acknowledged rows are deleted with the ack (migration 280)
    // The product type learnt from Amazon is cached: a price change looks nothing up; a quantity
    // re-reads the fulfilment first (the seller may have moved the offer to FBA since).
    const cached = w.store().db.prepare(`SELECT channel, remote_product_type, fulfilled_by FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id WHERE v.sku = 'BOWL-GRY-M' ORDER BY channel`).all();
    expect(cached).toEqual([
      { channel: 'amazon-de', remote_product_type: 'BOWL', fulfilled_by: 'merchant' },
      { channel: 'amazon-uk', remote_product_type: 'BOWL', fulfilled_by: 'merchant' },
    ]);
    const lookups = () => w.sb.requests().filter((q) => q.method === 'GET' && /\/listings\/2021-08-01\/items\/[^/?]+\?/.test(q.path)).length;
    const n = lookups();
    setPrice(w.store(), 'amazon-de', 'BOWL-GRY-M', '33.50');
    expect((await w.cli(['sync', '--yes', '--only', 'prices'])).code).toBe(0);
    expect(lookups()).toBe(n);
    expect(amazonListing(w.sb, 'BOWL-GRY-M', DE).price).toBe(33.5);
    setStock(w.store(), 'BOWL-GRY-M', 4);
    expect((await w.cli(['sync', '--yes', '--only', 'inventory'])).code).toBe(0);
    expect(lookups()).toBe(n + 2); // one search per marketplace, before the quantity goes out
  });

  it('an offer the seller moved to FBA since its fulfilment was cached gets no quantity', async () => {
    const w = await world(['amazon']);
    setStock(w.store(), 'BOWL-GRY-M', 5);
    expect((await w.cli(['sync', '--yes', '--only', 'inventory'])).code).toBe(0);
    expect(w.store().db.prepare(`SELECT fulfilled_by FROM channel_listings WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'BOWL-GRY-M')`).get()).toEqual({ fulfilled_by: 'merchant' });
    // In Seller Central the seller converts the offer to "Fulfilled by Amazon" (here through the API).
    const token = await (await fetch(w.sb.urls.amazonAuth, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=Atzr%7Csandbox-refresh-token-0000&client_id=amzn1.application-oa2-client.sandbox0000&client_secret=amzn1.oa2-cs.v1.sandbox-secret-0000' })).json() as { access_token: string };
    const put = await fetch(`${w.sb.url}/amazon/eu/listings/2021-08-01/items/A1SANDBOXSELLER/BOWL-GRY-M?marketplaceIds=${DE}`, {
      method: 'PATCH',
      headers: { 'x-amz-access-token': token.access_token, 'content-type': 'application/json' },
      body: JSON.stringify({ productType: 'BOWL', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'AMAZON_EU' }] }] }),
    });
    expect(((await put.json()) as J).status).toBe('ACCEPTED');
    setStock(w.store(), 'BOWL-GRY-M', 3);
    const r = await w.cli(['sync', '--yes', '--only', 'inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(attrs(w.sb, 'BOWL-GRY-M', DE).fulfillment_availability).toEqual([{ fulfillment_channel_code: 'AMAZON_EU' }]);
    expect(amazonListing(w.sb, 'BOWL-GRY-M', UK).qty).toBe(3);
    expect(w.store().db.prepare(`SELECT fulfilled_by FROM channel_listings WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'BOWL-GRY-M')`).get()).toEqual({ fulfilled_by: 'marketplace' });
  });

  it('FBA: an Amazon-fulfilled listing never gets a quantity (it would turn merchant-fulfilled); its orders move no own stock', async () => {
    const w = await world(['amazon']);
    setStock(w.store(), 'MUG-BLU-L', 8);
    setPrice(w.store(), 'amazon-de', 'MUG-BLU-L', '21.50');
    const r = await w.cli(['sync', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // DE (FBA): price merged, fulfilment untouched; UK (merchant-fulfilled): the new stock.
    expect(attrs(w.sb, 'MUG-BLU-L', DE).fulfillment_availability).toEqual([{ fulfillment_channel_code: 'AMAZON_EU' }]);
    expect(amazonListing(w.sb, 'MUG-BLU-L', DE).price).toBe(21.5);
    expect(amazonListing(w.sb, 'MUG-BLU-L', UK).qty).toBe(8);
    const sentToDe = w.sb.requests().filter((q) => q.method === 'PATCH' && q.path.includes('MUG-BLU-L') && query(q.path).get('marketplaceIds') === DE);
    expect(sentToDe).toHaveLength(1);
    expect(sentToDe[0]!.body).not.toContain('fulfillment_availability');
    const listing = w.store().db.prepare(`SELECT fulfilled_by, acked_quantity FROM channel_listings WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-L')`).get() as J;
    expect(listing).toEqual({ fulfilled_by: 'marketplace', acked_quantity: 11n }); // untouched: Amazon's stock is not ours
    // Amazon-fulfilled orders are stored as such and reserve nothing (one of them is open).
    const fba = w.store().db.prepare(`SELECT external_id, status, fulfilled_by FROM orders WHERE fulfilled_by = 'marketplace' ORDER BY external_id`).all();
    expect(fba).toEqual([
      { external_id: '302-1234567-1000004', status: 'shipped', fulfilled_by: 'marketplace' },
      { external_id: '302-1234567-1000005', status: 'unshipped', fulfilled_by: 'marketplace' },
    ]);
    const inv = w.store().db.prepare(`SELECT on_hand, reserved FROM inventory WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-L')`).get() as J;
    expect(inv).toEqual({ on_hand: 8n, reserved: 0n });
    // The next stock change skips the FBA listing in the plan, with the reason.
    setStock(w.store(), 'MUG-BLU-L', 6);
    const dry = JSON.parse((await w.cli(['sync', '--dry-run', '--only', 'inventory', '--json'])).stdout);
    expect(dry.planned.map((p: J) => p.channel)).toEqual(['amazon-uk']);
  });

  it('uses one JSON_LISTINGS_FEED per marketplace above the threshold and maps the report per SKU', async () => {
    const w = await world(['amazon'], { env: { MERCHANT_AMAZON_FEEDTHRESHOLD: '2' } });
    for (const sku of ['MUG-BLU-S', 'MUG-BLU-L', 'BOWL-GRY-M', 'CANDLE-LAV']) setPrice(w.store(), 'amazon-de', sku, '21.00');
    const dry = await w.cli(['sync', '--dry-run', '--only', 'prices']);
    expect(dry.stdout).toMatch(/JSON_LISTINGS_FEED[^\n]*\t1\t4\t25000/);
    expect(dry.stdout).toMatch(/searchListingsItems[^\n]*\t1\t4\t20/);
    const r = await w.cli(['sync', '--yes', '--only', 'prices']);
    expect(r.code, r.stderr).toBe(0);
    for (const sku of ['MUG-BLU-S', 'MUG-BLU-L', 'BOWL-GRY-M', 'CANDLE-LAV']) expect(amazonListing(w.sb, sku, DE).price).toBe(21);
    const paths = w.sb.requests().map((q) => `${q.method} ${q.path.split('?')[0]}`);
    const feeds = w.sb.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/feeds/2021-06-30/feeds'));
    expect(feeds).toHaveLength(1);
    expect(JSON.parse(feeds[0]!.body).marketplaceIds).toEqual([DE]);
    expect(paths.filter((p) => p.startsWith('PATCH'))).toHaveLength(0);
    expect(outboxStates(w.store())).toEqual({}); // acknowledged rows are deleted with the ack (migration 280)
  });

  it('maps a rejected feed message to its SKU (exit 4) while the rest of the feed lands', async () => {
    const w = await world(['amazon'], { env: { MERCHANT_AMAZON_FEEDTHRESHOLD: '2' } });
    for (const sku of ['MUG-BLU-S', 'MUG-BLU-L', 'BOWL-GRY-M']) setPrice(w.store(), 'amazon-de', sku, '23.00');
    w.store().db.prepare(`UPDATE channel_listings SET price_minor = 0 WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-L')`).run();
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    const failed = doc.items.filter((i: J) => i.state === 'failed');
    expect(failed.map((i: J) => i.sku)).toEqual(['MUG-BLU-L']);
    expect(failed[0].code).toBeTruthy();
    expect(amazonListing(w.sb, 'MUG-BLU-S', DE).price).toBe(23);
    expect(amazonListing(w.sb, 'MUG-BLU-L', DE).price).toBe(19.9);
  });

  it('a feed still queued when the run ends is recorded, not re-sent, and confirmed by the next run', async () => {
    const w = await world(['amazon'], { env: { MERCHANT_AMAZON_FEEDTHRESHOLD: '2', MERCHANT_AMAZON_FEEDWAITMS: '40' } });
    await sandboxLimits(w.sb, { 'amazon.feedPollSteps': 0 }); // processed on the clock only (60 s)
    for (const sku of ['MUG-BLU-S', 'BOWL-GRY-M', 'CANDLE-LAV']) setPrice(w.store(), 'amazon-de', sku, '24.00');
    const r1 = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r1.code, r1.stderr).toBe(0);
    const d1 = JSON.parse(r1.stdout);
    expect(d1.items.map((i: J) => i.state)).toEqual(['queued', 'queued', 'queued']);
    expect(outboxStates(w.store())).toEqual({ sent: 3 });
    const batch = w.store().db.prepare(`SELECT marketplace, channel, state, status FROM queued_batches`).all();
    expect(batch).toEqual([{ marketplace: 'amazon', channel: 'amazon-de', state: 'pending', status: 'IN_QUEUE' }]);
    expect(amazonListing(w.sb, 'MUG-BLU-S', DE).price).toBe(16.9);
    // Before Amazon processed it: the next run checks it, plans nothing for its items, sends nothing.
    const writes = () => w.sb.requests().filter((q) => q.method === 'PATCH' || (q.method === 'POST' && q.path.includes('/feeds/2021-06-30/feeds'))).length;
    const n = writes();
    const r2 = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout).marketplaces[0].plan.waitingForBatch).toBe(3);
    expect(writes()).toBe(n);
    // An hour later (long past the ~56 minutes the old client gave up after) it is confirmed.
    await advanceSandbox(w.sb, 3_600_000);
    const r3 = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r3.code, r3.stderr).toBe(0);
    expect(writes()).toBe(n);
    expect(JSON.parse(r3.stdout).items.map((i: J) => i.state)).toEqual(['acked', 'acked', 'acked']);
    expect(outboxStates(w.store())).toEqual({}); // acknowledged rows are deleted with the ack (migration 280)
    expect(amazonListing(w.sb, 'MUG-BLU-S', DE).price).toBe(24);
    expect(w.store().db.prepare(`SELECT state, status FROM queued_batches`).all()).toEqual([{ state: 'done', status: 'DONE' }]);
  });

  it('a queued feed Amazon no longer knows (feeds are kept 90 days) has its changes sent again', async () => {
    const w = await world(['amazon'], { env: { MERCHANT_AMAZON_FEEDTHRESHOLD: '2', MERCHANT_AMAZON_FEEDWAITMS: '40' } });
    await sandboxLimits(w.sb, { 'amazon.feedPollSteps': 0 });
    for (const sku of ['MUG-BLU-S', 'BOWL-GRY-M', 'CANDLE-LAV']) setPrice(w.store(), 'amazon-de', sku, '25.00');
    expect((await w.cli(['sync', '--yes', '--only', 'prices'])).code).toBe(0);
    w.store().db.prepare(`UPDATE queued_batches SET ref = '49999999999'`).run();
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.marketplaces[0].queuedBatches).toEqual({ finished: 1, stillQueued: 0, resent: 0 });
    expect(doc.items.map((i: J) => i.state)).toEqual(['queued', 'queued', 'queued']); // sent again, in a new feed
    expect(w.sb.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/feeds/2021-06-30/feeds'))).toHaveLength(2);
  });

  it('an older queued feed that lands after a newer PATCH was acknowledged is detected, and the newer value is sent again', async () => {
    const w = await world(['amazon'], { env: { MERCHANT_AMAZON_FEEDTHRESHOLD: '2', MERCHANT_AMAZON_FEEDWAITMS: '40' } });
    await sandboxLimits(w.sb, { 'amazon.feedPollSteps': 0 });
    const at = (ms: number) => ({ ...w.env, MERCHANT_NOW: new Date(Date.parse(NOW) + ms).toISOString() });
    for (const sku of ['MUG-BLU-S', 'BOWL-GRY-M', 'CANDLE-LAV']) setPrice(w.store(), 'amazon-de', sku, '21.00');
    expect((await run(['sync', '--yes', '--only', 'prices'], { home: w.home, env: at(0) })).code).toBe(0); // feed queued
    setPrice(w.store(), 'amazon-de', 'MUG-BLU-S', '23.00');
    const r2 = await run(['sync', '--yes', '--only', 'prices', '--json'], { home: w.home, env: at(30_000) });
    expect(r2.code, r2.stderr).toBe(0);
    expect(amazonListing(w.sb, 'MUG-BLU-S', DE).price).toBe(23); // the newer price, PATCHed
    await advanceSandbox(w.sb, 120_000); // now Amazon gets to the feed: 21.00 overwrites 23.00
    const r3 = await run(['sync', '--yes', '--only', 'prices', '--json'], { home: w.home, env: at(300_000) });
    expect(r3.code, r3.stderr).toBe(0);
    const doc = JSON.parse(r3.stdout);
    expect(doc.marketplaces[0].queuedBatches).toEqual({ finished: 1, stillQueued: 0, resent: 1 });
    expect(amazonListing(w.sb, 'MUG-BLU-S', DE).price).toBe(23);
    expect(amazonListing(w.sb, 'BOWL-GRY-M', DE).price).toBe(21);
    const lastPatch = w.sb.requests().filter((q) => q.method === 'PATCH').at(-1)!;
    expect(lastPatch.path).toContain('MUG-BLU-S');
    expect(lastPatch.body).toContain('"value_with_tax":23.00');
    expect(w.store().db.prepare(`SELECT sku, outcome FROM queued_batch_items ORDER BY position`).all()).toEqual([
      { sku: 'BOWL-GRY-M', outcome: 'acked' },
      { sku: 'CANDLE-LAV', outcome: 'acked' },
      { sku: 'MUG-BLU-S', outcome: 'overwritten' },
    ]);
  });

  it('pulls orders by lastUpdatedAfter and keeps a cursor per region', async () => {
    const w = await world(['amazon']);
    const r = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).marketplaces[0].orders.created).toBe(7);
    const cursor = JSON.parse((w.store().db.prepare(`SELECT cursor FROM sync_cursors WHERE marketplace = 'amazon'`).get() as { cursor: string }).cursor);
    expect(Object.keys(cursor).sort()).toEqual(['eu', 'na']);
    const again = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(JSON.parse(again.stdout).marketplaces[0].orders.created).toBe(0);
    const show = await w.cli(['orders', 'show', '302-1234567-1000002', '--json']);
    const o = JSON.parse(show.stdout);
    expect(o).toMatchObject({ channel: 'amazon-de', currency: 'EUR', shipCountry: 'DE', status: 'unshipped' });
    expect(o.lines.map((l: J) => l.sku)).toEqual(['BOWL-GRY-M', 'TEA-TWL-NAT']);
    const q = w.sb.requests().filter((x) => x.path.includes('/orders/2026-01-01/orders'));
    expect(q.at(-1)!.path).toContain('lastUpdatedAfter=');
  });

  it('rate limits carry over between runs: a run after one that used the searchOrders burst waits (one warning on a pipe, nothing with --quiet)', async () => {
    const w = await world(['amazon']);
    // What an earlier run left: the EU searchOrders bucket empty a moment ago.
    const empty = () =>
      w.store()
        .db.prepare(`INSERT OR REPLACE INTO rate_limit_state (key, state_json, updated_at) VALUES ('amazon/A1SANDBOXSELLER/eu/searchOrders', ?, ?)`)
        .run(JSON.stringify({ tokens: 0, at: Date.now() }), NOW);
    empty();
    const r = await w.cli(['sync', '--yes', '--only', 'orders']);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: waiting 2m5[89]s \(until \d\d:\d\d:\d\d UTC\) for amazon searchOrders \(eu\): 0\.0056 requests\/s, burst 20; merchant waits/);
    expect(w.sb.requests().filter((q) => q.status === 429)).toEqual([]);
    // The state is kept: this run's use is there for the next one.
    const kept = w.store().db.prepare(`SELECT key FROM rate_limit_state WHERE key LIKE 'amazon/A1SANDBOXSELLER/%/searchOrders' ORDER BY key`).all();
    expect(kept).toEqual([{ key: 'amazon/A1SANDBOXSELLER/eu/searchOrders' }, { key: 'amazon/A1SANDBOXSELLER/na/searchOrders' }]);
    empty();
    const quiet = await w.cli(['sync', '--yes', '--only', 'orders', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});
