// Shopify locations (issue #19): sync reads the shop's locations (read-only merchant locations, levels of
// the unlinked ones); `stock locations link` makes a Shopify location sell a merchant location's stock;
// each linked location then receives its own quantity (one inventorySetQuantities entry per location);
// unknown, inactive or doubly linked locations are refused with their name and nothing changed.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { world, shopifyRemote, ROOT } from '../sync/helpers.js';
import { setQuantityCalls, shopGql } from '../sync/shopify-helpers.js';

type J = Record<string, any>;
const STUDIO = 70000000001;
const ANNEX = 70000000002;
const MALMO = 70000000003;

function schema(name: string) {
  const dir = resolve(ROOT, 'docs/schemas');
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const f of readdirSync(dir)) ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return ajv.getSchema(`https://merchant.local/schemas/${name}.schema.json`)!;
}
const levels = (w: Awaited<ReturnType<typeof world>>) =>
  JSON.stringify(w.store().db.prepare('SELECT * FROM stock_levels ORDER BY location_id, variant_id').all(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
const state = (w: Awaited<ReturnType<typeof world>>) =>
  levels(w) + JSON.stringify(w.store().db.prepare('SELECT remote_id, location_id, active FROM marketplace_locations ORDER BY remote_id').all(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) + JSON.stringify(w.store().db.prepare(`SELECT count(*) AS n FROM outbox`).get(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v));

async function twoLinked() {
  const w = await world(['shopify']);
  expect((await w.cli(['stock', 'locations', 'add', 'se-wh', '--kind', 'warehouse', '--country', 'SE', '--name', 'Malmö lager'])).code).toBe(0);
  // Without a link, sync leaves the Shopify locations alone (stock goes to the account's one location).
  const sync = await w.cli(['sync', '--yes', '--only', 'inventory', '--json']);
  expect(sync.code, sync.stderr).toBe(0);
  expect(JSON.parse(sync.stdout).marketplaces[0].stockRead).toBeUndefined();
  const r = await w.cli(['stock', 'locations', 'refresh', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const v = schema('stock-locations-refresh');
  expect(v(JSON.parse(r.stdout)), JSON.stringify(v.errors)).toBe(true);
  return { w, first: JSON.parse(r.stdout) };
}

describe('Shopify locations', () => {
  it('sync reads the locations; two linked locations each receive their own merchant location\'s quantity', async () => {
    const { w, first } = await twoLinked();
    const read = first.items.find((m: J) => m.marketplace === 'shopify').shopify as J[];
    expect(read.map((l) => [l.location, l.active, l.linked])).toEqual([
      ['shopify-annex-pop-up', true, null],
      ['shopify-studio', true, null],
      ['shopify-warehouse-malmo', true, null],
    ]);
    // No link yet: the list only, no levels (the primary location holds merchant's own pushed stock).
    expect(read.map((l) => l.skus)).toEqual([0, 0, 0]);
    const locs = JSON.parse((await w.cli(['stock', 'locations', 'list', '--json'])).stdout);
    expect(locs.items.filter((l: J) => l.kind === 'shopify').map((l: J) => [l.code, l.country])).toEqual([
      ['shopify-annex-pop-up', 'SE'],
      ['shopify-studio', 'SE'],
      ['shopify-warehouse-malmo', 'SE'],
    ]);

    // Home 24 and the Swedish warehouse 7 of MUG-BLU-S; Studio sells home, Malmö sells se-wh.
    expect((await w.cli(['stock', 'set', 'MUG-BLU-S', '24', '--location', 'home', '--reason', 'count'])).code).toBe(0);
    expect((await w.cli(['stock', 'set', 'MUG-BLU-S', '7', '--location', 'se-wh', '--reason', 'count'])).code).toBe(0);
    const l1 = await w.cli(['stock', 'locations', 'link', 'shopify-studio', 'home', '--json']);
    expect(l1.code, l1.stderr).toBe(0);
    const v = schema('stock-locations-link');
    expect(v(JSON.parse(l1.stdout)), JSON.stringify(v.errors)).toBe(true);
    expect(JSON.parse(l1.stdout)).toMatchObject({ shopify: 'shopify-studio', name: 'Studio', location: 'home' });
    expect((await w.cli(['stock', 'locations', 'link', 'Warehouse Malmö', 'se-wh'])).code).toBe(0);
    // Linked: sync reads the unlinked Annex's levels (it holds n % 3 of each seeded SKU), never pushes there.
    const dry = JSON.parse((await w.cli(['sync', '--dry-run', '--only', 'inventory', '--json'])).stdout);
    expect(dry.marketplaces[0].plan.calls.map((c: J) => c.operation)).toContain('read locations and the levels of the unlinked ones');
    const listed = await w.cli(['stock', 'locations', 'list']);
    const text = listed.stdout;
    expect(listed.code, listed.stderr).toBe(0);
    expect(text).toMatch(/shopify-studio[^\n]*sells home's stock \(linked\)/);

    const before = shopifyRemote(w.sb, ANNEX);
    const calls = setQuantityCalls(w.sb).length;
    const r = await w.cli(['sync', '--yes', '--only', 'inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(shopifyRemote(w.sb, STUDIO).get('MUG-BLU-S')!.available).toBe(24);
    expect(shopifyRemote(w.sb, MALMO).get('MUG-BLU-S')!.available).toBe(7);
    // The unlinked Annex is never written; its levels were read.
    expect(shopifyRemote(w.sb, ANNEX)).toEqual(before);
    const annex = JSON.parse((await w.cli(['stock', 'list', '--location', 'shopify-annex-pop-up', '--json'])).stdout);
    expect(annex.items.find((i: J) => i.sku === 'MUG-BLU-L')).toMatchObject({ onHand: 2, available: 2 });
    // The linked locations' own levels are not kept (their stock is counted at home and se-wh).
    expect(JSON.parse((await w.cli(['stock', 'list', '--location', 'shopify-studio', '--json'])).stdout).items).toEqual([]);
    // Each SKU's two locations go in the same call, compared against what each held.
    const sent = setQuantityCalls(w.sb).slice(calls);
    const qs = sent.flatMap((c) => c.body.variables!.input.quantities as J[]);
    expect(new Set(qs.map((q) => q.locationId))).toEqual(new Set([`gid://shopify/Location/${STUDIO}`, `gid://shopify/Location/${MALMO}`]));
    for (const q of qs) expect(q.changeFromQuantity).not.toBeNull();
    // The outcome is acknowledged with the sum offered on Shopify.
    expect(w.store().db.prepare(`SELECT acked_quantity FROM channel_listings WHERE channel = 'shopify' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`).get()).toEqual({ acked_quantity: 31n });

    // Stock moves between the two merchant locations: the sum stays 31, each Shopify location changes.
    expect((await w.cli(['stock', 'move', 'MUG-BLU-S', '4', '--from', 'home', '--to', 'se-wh', '--received'])).code).toBe(0);
    expect((await w.cli(['sync', '--yes', '--only', 'inventory'])).code).toBe(0);
    expect(shopifyRemote(w.sb, STUDIO).get('MUG-BLU-S')!.available).toBe(20);
    expect(shopifyRemote(w.sb, MALMO).get('MUG-BLU-S')!.available).toBe(11);
    // A change at the linked warehouse alone (no channel sells from it) still goes to its Shopify location.
    expect((await w.cli(['stock', 'adjust', 'MUG-BLU-S', '+1', '--location', 'se-wh', '--reason', 'found'])).code).toBe(0);
    expect((await w.cli(['sync', '--yes', '--only', 'inventory'])).code).toBe(0);
    expect(shopifyRemote(w.sb, MALMO).get('MUG-BLU-S')!.available).toBe(12);
    expect(shopifyRemote(w.sb, STUDIO).get('MUG-BLU-S')!.available).toBe(20);

    // Unlink: Malmö is no longer written; its levels are read again.
    const u = await w.cli(['stock', 'locations', 'unlink', 'shopify-warehouse-malmo', '--json']);
    expect(u.code, u.stderr).toBe(0);
    const vu = schema('stock-locations-unlink');
    expect(vu(JSON.parse(u.stdout)), JSON.stringify(vu.errors)).toBe(true);
    expect((await w.cli(['stock', 'set', 'MUG-BLU-S', '2', '--location', 'se-wh', '--reason', 'count'])).code).toBe(0);
    expect((await w.cli(['sync', '--yes', '--only', 'inventory'])).code).toBe(0);
    expect(shopifyRemote(w.sb, MALMO).get('MUG-BLU-S')!.available).toBe(12);
    const malmo = JSON.parse((await w.cli(['stock', 'list', '--location', 'shopify-warehouse-malmo', '--sku', 'MUG-BLU-S', '--json'])).stdout);
    expect(malmo.items[0]).toMatchObject({ onHand: 12 });
  });

  it('bad input: unknown or inactive Shopify location, a location linked twice, stock set by hand there — refused with the name, nothing changed', async () => {
    const { w } = await twoLinked();
    expect((await w.cli(['stock', 'locations', 'link', 'shopify-studio', 'home'])).code).toBe(0);
    const before = state(w);
    const cases: Array<[string[], RegExp]> = [
      [['stock', 'locations', 'link', 'shopify-nowhere', 'home'], /shopify-nowhere[\s\S]*shopify-studio/],
      [['stock', 'locations', 'link', 'shopify-annex-pop-up', 'nowhere'], /nowhere/],
      [['stock', 'locations', 'link', 'shopify-annex-pop-up', 'home'], /home already sells through the Shopify location shopify-studio/],
      [['stock', 'locations', 'link', 'shopify-annex-pop-up', 'shopify-warehouse-malmo'], /shopify-warehouse-malmo is a Shopify location/],
      [['stock', 'locations', 'unlink', 'shopify-annex-pop-up'], /shopify-annex-pop-up .*is not linked/],
      [['stock', 'set', 'MUG-BLU-S', '3', '--location', 'shopify-annex-pop-up'], /shopify-annex-pop-up/],
      [['stock', 'locations', 'map', 'shopify', 'shopify-annex-pop-up'], /shopify-annex-pop-up is a Shopify location/],
    ];
    for (const [args, msg] of cases) {
      const r = await w.cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    }
    expect(state(w)).toBe(before);

    // The seller closes the Malmö warehouse in Shopify (its stock goes to the Studio).
    const d = await shopGql(w.sb, 'mutation($id: ID!, $to: ID) { locationDeactivate(locationId: $id, destinationLocationId: $to) { location { isActive } locationDeactivateUserErrors { code message } } }', { id: `gid://shopify/Location/${MALMO}`, to: `gid://shopify/Location/${STUDIO}` });
    expect(d.locationDeactivate.locationDeactivateUserErrors).toEqual([]);
    const r = await w.cli(['sync', '--yes', '--only', 'inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const malmo = JSON.parse(r.stdout).marketplaces.find((m: J) => m.marketplace === 'shopify').stockRead.shopify.find((l: J) => l.location === 'shopify-warehouse-malmo');
    expect(malmo).toMatchObject({ active: false, skus: 0 });
    const link = await w.cli(['stock', 'locations', 'link', 'shopify-warehouse-malmo', 'se-wh']);
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/shopify-warehouse-malmo \(Warehouse Malmö\) is not active/);
  });

  it('the sandbox refuses what Shopify refuses: an unknown location, an item no longer stocked at a deactivated one, deactivating a stocked location without a destination', async () => {
    const w = await world(['shopify']);
    const item = (await shopGql(w.sb, 'query { productVariants(first: 1, query: "sku:MUG-BLU-S") { nodes { inventoryItem { id } } } }')).productVariants.nodes[0].inventoryItem.id;
    const set = (loc: string, from: number | null) =>
      shopGql(w.sb, 'mutation($input: InventorySetQuantitiesInput!, $key: String!) { inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code field message } } }', {
        input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: item, locationId: loc, quantity: 5, changeFromQuantity: from }] },
        key: `k-${loc}-${from}`,
      });
    expect((await set('gid://shopify/Location/79999999999', null)).inventorySetQuantities.userErrors[0].code).toBe('INVALID_LOCATION');
    const refuse = await shopGql(w.sb, 'mutation($id: ID!) { locationDeactivate(locationId: $id) { locationDeactivateUserErrors { code } } }', { id: `gid://shopify/Location/${MALMO}` });
    expect(refuse.locationDeactivate.locationDeactivateUserErrors[0].code).toBe('HAS_ACTIVE_INVENTORY_ERROR');
    const ok = await shopGql(w.sb, 'mutation($id: ID!, $to: ID) { locationDeactivate(locationId: $id, destinationLocationId: $to) { location { isActive } locationDeactivateUserErrors { code } } }', { id: `gid://shopify/Location/${MALMO}`, to: `gid://shopify/Location/${ANNEX}` });
    expect(ok.locationDeactivate.location.isActive).toBe(false);
    expect((await set(`gid://shopify/Location/${MALMO}`, null)).inventorySetQuantities.userErrors[0].code).toBe('ITEM_NOT_STOCKED_AT_LOCATION');
    const primary = await shopGql(w.sb, 'mutation($id: ID!) { locationDeactivate(locationId: $id) { locationDeactivateUserErrors { code } } }', { id: `gid://shopify/Location/${STUDIO}` });
    expect(primary.locationDeactivate.locationDeactivateUserErrors[0].code).toBe('CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT');
  });
});
