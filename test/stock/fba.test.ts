// Amazon FBA stock (issue #19): `merchant sync` reads getInventorySummaries per storefront (the sandbox
// answers from the FBA Inventory v1 model: one marketplace per call, of the endpoint's region, paged by
// nextToken) into a read-only `fba` location; FBA orders move no own stock; FBA listings never get a
// quantity; the FBA location cannot be changed by hand.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { world, setStock, ROOT } from '../sync/helpers.js';

type J = Record<string, unknown>;
const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const query = (path: string) => new URL(`http://x${path}`).searchParams;

async function amazonToken(url: string): Promise<string> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=Atzr%7Csandbox-refresh-token-0000&client_id=amzn1.application-oa2-client.sandbox0000&client_secret=amzn1.oa2-cs.v1.sandbox-secret-0000' });
  return ((await r.json()) as { access_token: string }).access_token;
}
async function toFba(sbUrl: string, token: string, sku: string, productType: string, mk: string): Promise<void> {
  const r = await fetch(`${sbUrl}/amazon/eu/listings/2021-08-01/items/A1SANDBOXSELLER/${sku}?marketplaceIds=${mk}`, {
    method: 'PATCH',
    headers: { 'x-amz-access-token': token, 'content-type': 'application/json' },
    body: JSON.stringify({ productType, patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'AMAZON_EU' }] }] }),
  });
  expect(((await r.json()) as J).status).toBe('ACCEPTED');
}

describe('Amazon FBA stock', () => {
  it('sync reads FBA stock per storefront into a read-only location; FBA orders leave home stock untouched; no quantity goes to the FBA listing', async () => {
    const w = await world(['amazon']);
    setStock(w.store(), 'MUG-BLU-L', 8);
    // Nothing known to be Amazon-fulfilled yet: the dry run plans no FBA read.
    const dry = JSON.parse((await w.cli(['sync', '--dry-run', '--only', 'inventory', '--json'])).stdout);
    expect(dry.marketplaces.find((m: J) => m.marketplace === 'amazon').plan.calls.map((c: J) => c.operation)).not.toContain('read FBA stock (getInventorySummaries, per storefront)');

    const r = await w.cli(['sync', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const read = report.marketplaces.find((m: J) => m.marketplace === 'amazon').stockRead;
    // The push learnt that amazon-de's MUG-BLU-L is Amazon-fulfilled: only that storefront is read
    // (UK and US have no FBA listing: no request for them).
    expect(read.fba).toEqual([{ channel: 'amazon-de', location: 'fba-de', skus: 1, changed: 1, unknownSkus: [] }]);
    // One call, to the marketplace's own region's endpoint, with the model's parameters.
    const calls = w.sb.requests().filter((q) => q.path.includes('/fba/inventory/v1/summaries'));
    expect(calls.map((q) => `${q.path.split('/fba/')[0]} ${query(q.path).get('marketplaceIds')}`)).toEqual([`/amazon/eu ${DE}`]);
    for (const q of calls) {
      const p = query(q.path);
      expect([p.get('details'), p.get('granularityType'), p.get('granularityId')]).toEqual(['true', 'Marketplace', p.get('marketplaceIds')]);
    }

    // Seed: 37 fulfillable at Amazon DE, 1 reserved for the open FBA order, 12 inbound, 1 damaged.
    const list = JSON.parse((await w.cli(['stock', 'list', '--sku', 'MUG-BLU-L', '--json'])).stdout);
    const fba = list.items.find((i: J) => i.location === 'fba-de');
    expect(fba).toMatchObject({ sku: 'MUG-BLU-L', location: 'fba-de', onHand: 38, reserved: 1, available: 37, inbound: 12 });
    const locs = JSON.parse((await w.cli(['stock', 'locations', 'list', '--json'])).stdout);
    expect(locs.items.find((l: J) => l.code === 'fba-de')).toMatchObject({ kind: 'fba', country: 'DE' });

    // The two FBA orders (one open) reserved and deducted nothing at home.
    const home = w.store().db.prepare(`SELECT on_hand, reserved FROM inventory WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-L')`).get();
    expect(home).toEqual({ on_hand: 8n, reserved: 0n });
    expect(w.store().db.prepare(`SELECT count(*) AS n FROM order_stock_effects e JOIN orders o ON o.id = e.order_id WHERE o.fulfilled_by = 'marketplace' AND (e.reserved > 0 OR e.deducted > 0)`).get()).toEqual({ n: 0n });
    // The movement history says where the FBA figure came from.
    expect(w.store().db.prepare(`SELECT kind, delta, on_hand_after, reason FROM stock_movements WHERE location_id = (SELECT id FROM stock_locations WHERE code = 'fba-de')`).all()).toEqual([
      { kind: 'marketplace', delta: 38n, on_hand_after: 38n, reason: 'FBA stock read from amazon-de' },
    ]);

    // No quantity was ever sent to the FBA offer on amazon.de (it would turn merchant-fulfilled).
    const toDe = w.sb.requests().filter((q) => q.method === 'PATCH' && q.path.includes('MUG-BLU-L') && query(q.path).get('marketplaceIds') === DE);
    for (const q of toDe) expect(q.body).not.toContain('fulfillment_availability');
    // A new home stock change: the plan sends it to amazon-uk only and says why amazon-de is skipped.
    setStock(w.store(), 'MUG-BLU-L', 6);
    const plan = JSON.parse((await w.cli(['sync', '--dry-run', '--only', 'inventory', '--json'])).stdout);
    expect(plan.planned.filter((p: J) => p.sku === 'MUG-BLU-L').map((p: J) => p.channel)).toEqual(['amazon-uk']);
    expect(plan.marketplaces.find((m: J) => m.marketplace === 'amazon').plan.calls.find((c: J) => String(c.operation).startsWith('read FBA stock'))).toMatchObject({ calls: 1 });

    // A second read with nothing changed at Amazon changes nothing.
    const again = JSON.parse((await w.cli(['sync', '--yes', '--only', 'inventory', '--json'])).stdout);
    expect(again.marketplaces.find((m: J) => m.marketplace === 'amazon').stockRead.fba.find((l: J) => l.channel === 'amazon-de').changed).toBe(0);
  });

  it('editing the FBA location by hand is refused with its name, nothing changed', async () => {
    const w = await world(['amazon']);
    expect((await w.cli(['sync', '--yes', '--only', 'inventory'])).code).toBe(0);
    const before = JSON.stringify(w.store().db.prepare('SELECT * FROM stock_levels ORDER BY location_id, variant_id').all(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
    const tries = [
      ['stock', 'set', 'MUG-BLU-L', '50', '--location', 'fba-de', '--reason', 'count'],
      ['stock', 'adjust', 'MUG-BLU-L', '-1', '--location', 'fba-de'],
      ['stock', 'move', 'MUG-BLU-L', '1', '--from', 'home', '--to', 'fba-de'],
      ['stock', 'locations', 'map', 'amazon-de', 'fba-de'],
    ];
    for (const args of tries) {
      const r = await w.cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/fba-de/);
    }
    const file = resolve(w.home, 'fba.csv');
    (await import('node:fs')).writeFileSync(file, 'sku,quantity\nMUG-BLU-L,3\n');
    const imp = await w.cli(['stock', 'import', file, '--location', 'fba-de']);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/fba-de/);
    const after = JSON.stringify(w.store().db.prepare('SELECT * FROM stock_levels ORDER BY location_id, variant_id').all(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
    expect(after).toBe(before);
  });

  it('the sandbox follows the model: pages by nextToken, refuses a marketplace of another region and a granularityId that is not the marketplace', async () => {
    const w = await world(['amazon']);
    const token = await amazonToken(w.sb.urls.amazonAuth);
    for (const [sku, type] of [['MUG-BLU-S', 'DRINKING_CUP'], ['BOWL-GRY-M', 'BOWL'], ['CANDLE-LAV', 'CANDLE']] as const) await toFba(w.sb.url, token, sku, type, DE);
    const lim = await fetch(`${w.sb.url}/_sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ 'amazon.fbaInventoryPageSize': 2, 'amazon.getInventorySummaries': 50 }) });
    expect(lim.status).toBe(200);
    const get = (region: string, qs: string) => fetch(`${w.sb.url}/amazon/${region}/fba/inventory/v1/summaries?${qs}`, { headers: { 'x-amz-access-token': token } });
    // A UK-or-DE marketplace at the NA endpoint: the regional 403.
    const wrongRegion = await get('na', `details=true&granularityType=Marketplace&granularityId=${DE}&marketplaceIds=${DE}`);
    expect(wrongRegion.status).toBe(403);
    expect(JSON.stringify(await wrongRegion.json())).toMatch(/not valid for region/);
    const mismatch = await get('eu', `details=true&granularityType=Marketplace&granularityId=${UK}&marketplaceIds=${DE}`);
    expect(mismatch.status).toBe(400);
    const two = await get('eu', `details=true&granularityType=Marketplace&granularityId=${DE}&marketplaceIds=${DE},${UK}`);
    expect(two.status).toBe(400);
    const noType = await get('eu', `granularityId=${DE}&marketplaceIds=${DE}`);
    expect(noType.status).toBe(400);
    // Responses match the model's GetInventorySummariesResponse.
    const model = JSON.parse(readFileSync(resolve(ROOT, 'fixtures/sandbox/specs/amazon/fbaInventory.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, validateFormats: false });
    ajv.addSchema(model, 'fba');
    const valid = ajv.compile({ $ref: 'fba#/definitions/GetInventorySummariesResponse' });
    const page1 = (await (await get('eu', `details=true&granularityType=Marketplace&granularityId=${DE}&marketplaceIds=${DE}`)).json()) as J;
    expect(valid(page1), JSON.stringify(valid.errors)).toBe(true);
    expect(((page1.payload as J).inventorySummaries as J[]).length).toBe(2);
    expect((page1.pagination as J).nextToken).toBeTruthy();

    // `stock locations refresh` asks every storefront and reads every page: the three converted listings
    // (0 fulfillable yet) and the seeded one; UK and US hold nothing (no location for them).
    const r = await w.cli(['stock', 'locations', 'refresh', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const fba = JSON.parse(r.stdout).items.find((m: J) => m.marketplace === 'amazon').fba as J[];
    expect(fba.find((l) => l.channel === 'amazon-de')!.skus).toBe(4);
    expect(fba.filter((l) => l.location === null).map((l) => l.channel).sort()).toEqual(['amazon-uk', 'amazon-us']);
    const pages = w.sb.requests().filter((q) => q.path.includes('/fba/inventory') && query(q.path).get('marketplaceIds') === DE && q.status === 200);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.some((q) => query(q.path).get('nextToken'))).toBe(true);
  });
});
