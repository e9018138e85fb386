// `merchant listings publish --channel amazon-de` against the Amazon emulator: a SKU whose EAN matches
// an ASIN becomes an offer on it (LISTING_OFFER_ONLY), one without a match is created under the chosen
// product type once its required attributes are there (listed per SKU before, nothing sent), issues are
// kept for `listings show`, a SKU already on Amazon is adopted (never replaced), the guard counts new
// listings, and a lost answer or a kill -9 after the PUT never lists anything twice.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { world, NOW, ROOT, type World } from '../sync/helpers.js';
import { spawnBin } from '../helpers/run.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Store } from '../../src/store/db.js';

type J = Record<string, unknown>;
const DE = 'A1PA6795UKMFR9';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
});

function amazonListings(sb: Sandbox): Record<string, J> {
  const sellers = (((sb.state() as J).apis as J).amazon as J).sellers as J;
  return (Object.values(sellers)[0] as J).listings as Record<string, J>;
}
const puts = (sb: Sandbox, sku?: string) => sb.requests().filter((r) => r.api === 'amazon' && r.method === 'PUT' && r.path.includes('/listings/2021-08-01/items/') && (!sku || r.path.endsWith(`/${sku}`)));

/** A product of the local catalogue priced for amazon-de (as `prices update` leaves it), never listed there. */
function addProduct(store: Store, p: { sku: string; handle?: string; title: string; barcode?: string; brand?: string; price: string; stock: number | null; description?: string; origin?: string; image?: string; options?: Array<[string, string]> }): void {
  store.tx(() => {
    const pr = store.db
      .prepare(`INSERT INTO products (handle, title, description, brand, vendor, created_at, updated_at) VALUES (?, ?, ?, ?, 'Lindqvist Keramik', ?, ?)`)
      .run(p.handle ?? p.sku.toLowerCase(), p.title, p.description ?? null, p.brand ?? null, NOW, NOW);
    const v = store.db
      .prepare(`INSERT INTO variants (product_id, sku, barcode, origin_country, image_url, options_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(pr.lastInsertRowid, p.sku, p.barcode ?? null, p.origin ?? null, p.image ?? null, p.options ? JSON.stringify(p.options) : null, NOW, NOW);
    if (p.stock !== null) store.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, ?, 0, ?)`).run(v.lastInsertRowid, p.stock, NOW);
    const minor = BigInt(p.price.replace('.', ''));
    store.db.prepare(`INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, created_at, updated_at) VALUES (?, 'amazon-de', 'active', ?, 'EUR', ?, ?)`).run(v.lastInsertRowid, minor, NOW, NOW);
    store.db
      .prepare(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, state, created_at, updated_at) VALUES ('amazon-de', 'amazon', ?, 'price', '{}', 'pending', ?, ?)`)
      .run(p.sku, NOW, NOW);
  });
}

const VASE = { sku: 'VASE-WHT', title: 'Stoneware vase, white, 18 cm', barcode: '4006381333993', price: '34.90', stock: 6 };
const CANDLE = {
  sku: 'CANDLE-CED',
  title: 'Scented candle, cedar',
  barcode: '4006381339990',
  brand: 'Lindqvist Keramik',
  price: '24.00',
  stock: 9,
  description: '<p>Soy wax in a <b>stoneware</b> pot.</p>',
  origin: 'SE',
  options: [['Colour', 'Natural']] as Array<[string, string]>,
};

async function setup(): Promise<World> {
  const w = await world(['amazon']);
  const store = w.store();
  addProduct(store, VASE);
  addProduct(store, CANDLE);
  return w;
}

function validateAgainstSchema(doc: unknown): void {
  const schema = JSON.parse(readFileSync(join(ROOT, 'docs/schemas/listings-publish.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const v = ajv.compile(schema);
  expect(v(doc), JSON.stringify(v.errors)).toBe(true);
}

describe('listings publish --channel amazon-de', () => {
  it('a SKU whose EAN matches an ASIN is offered on it: dry run sends nothing, the run one PUT with the offer-only requirements', async () => {
    const w = await setup();
    const dry = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'amazon-de', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    validateAgainstSchema(plan);
    expect(plan.items).toEqual([expect.objectContaining({ sku: 'VASE-WHT', action: 'offer', outcome: 'planned', asin: 'B0CVASE001', productType: 'VASE', price: { amount: '34.90', currency: 'EUR' }, quantity: 6 })]);
    expect(puts(w.sb)).toHaveLength(0);
    const search = w.sb.requests().find((r) => r.path.includes('/catalog/2022-04-01/items'))!;
    const q = new URL(`http://x${search.path}`).searchParams;
    expect([q.get('identifiersType'), q.get('identifiers'), q.get('marketplaceIds')]).toEqual(['EAN', '4006381333993', DE]);

    const r = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'amazon-de', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    validateAgainstSchema(doc);
    expect(doc.items[0]).toMatchObject({ sku: 'VASE-WHT', outcome: 'listed', asin: 'B0CVASE001' });
    expect(puts(w.sb)).toHaveLength(1);
    const body = JSON.parse(puts(w.sb)[0]!.body);
    expect(body.requirements).toBe('LISTING_OFFER_ONLY');
    expect(body.attributes.merchant_suggested_asin).toEqual([{ value: 'B0CVASE001', marketplace_id: DE }]);
    expect(puts(w.sb)[0]!.body).toContain('"value_with_tax":34.90');
    const remote = amazonListings(w.sb)['VASE-WHT']!;
    expect((remote.asin as J)[DE]).toBe('B0CVASE001');
    expect(((remote.attributes as J)[DE] as J).fulfillment_availability).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 6 }]);

    // Local state: acknowledged (sync sends only later changes), the queued price spent, the publication kept.
    const row = w.store().db.prepare(`SELECT remote_id, acked_price_minor, acked_quantity, acked_status FROM channel_listings WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'VASE-WHT')`).get() as J;
    expect(row).toEqual({ remote_id: 'B0CVASE001', acked_price_minor: 3490n, acked_quantity: 6n, acked_status: 'active' });
    // Sync: nothing for the vase (acknowledged); the candle, never published, is not on Amazon and says how to create it.
    const sync = await w.cli(['sync', '--yes', '--only', 'prices,inventory']);
    expect(sync.code, sync.stderr).toBe(4);
    expect(sync.stderr).toMatch(/CANDLE-CED.*create it with `merchant listings publish CANDLE-CED --channel amazon-de`/);
    expect(sync.stderr).not.toMatch(/VASE-WHT/);
    expect(w.sb.requests().filter((x) => x.method === 'PATCH' && x.path.endsWith('/VASE-WHT'))).toHaveLength(0);
    const show = await w.cli(['listings', 'show', 'VASE-WHT', '--json']);
    expect(JSON.parse(show.stdout).publications).toEqual([expect.objectContaining({ channel: 'amazon-de', state: 'listed', method: 'offer', remoteRef: 'B0CVASE001' })]);

    // Run again: nothing sent twice.
    const again = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'amazon-de', '--yes', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).items[0]).toMatchObject({ action: 'skip', outcome: 'skipped' });
    expect(puts(w.sb)).toHaveLength(1);
  }, 30_000);

  it('no ASIN for the EAN: refused with the missing required attributes of the chosen product type, nothing sent; listed once the attributes file has them, issues kept', async () => {
    const w = await setup();
    const none = await w.cli(['listings', 'publish', 'CANDLE-CED', '--channel', 'amazon-de', '--yes']);
    expect(none.code).toBe(4);
    expect(none.stdout).toMatch(/CANDLE-CED\s+no Amazon product has EAN 4006381339990 on amazon-de: choose a product type/);

    const r = await w.cli(['listings', 'publish', 'CANDLE-CED', '--channel', 'amazon-de', '--product-type', 'CANDLE', '--yes', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    validateAgainstSchema(doc);
    expect(doc.items[0]).toMatchObject({ sku: 'CANDLE-CED', action: 'refuse', outcome: 'refused', productType: 'CANDLE' });
    // What the catalogue gave (item_name, brand, EAN, description, origin, Colour option) is not missing.
    expect(doc.items[0].missing).toEqual(['bullet_point', 'burn_time', 'item_weight', 'recommended_browse_nodes', 'scent']);
    expect(puts(w.sb)).toHaveLength(0);
    const table = await w.cli(['listings', 'publish', 'CANDLE-CED', '--channel', 'amazon-de', '--product-type', 'CANDLE', '--dry-run']);
    expect(table.stdout).toContain('missing required attributes of CANDLE: bullet_point, burn_time, item_weight, recommended_browse_nodes, scent');

    // A wrong value is named too, still before anything is sent.
    const file = join(w.home, 'attrs.csv');
    writeFileSync(file, 'sku,bullet_point,recommended_browse_nodes,scent,item_weight,burn_time\ncandle-ced,Hand-poured | 40 hours,3167641,Cedar,310 grams,forty hours\n');
    const bad = await w.cli(['listings', 'publish', 'CANDLE-CED', '--channel', 'amazon-de', '--attributes', file, '--product-type', 'CANDLE', '--yes', '--json']);
    expect(bad.code).toBe(4);
    expect(JSON.parse(bad.stdout).items[0].reasons.join(' ')).toMatch(/burn_time/);
    expect(puts(w.sb)).toHaveLength(0);

    writeFileSync(file, 'sku,product_type,bullet_point,recommended_browse_nodes,scent,item_weight,burn_time.value,burn_time.unit\ncandle-ced,CANDLE,Hand-poured | 40 hours,3167641,Cedar,310 grams,40,hours\n');
    const ok = await w.cli(['listings', 'publish', 'CANDLE-CED', '--channel', 'amazon-de', '--attributes', file, '--yes', '--json']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).items[0]).toMatchObject({ action: 'create', outcome: 'listed', productType: 'CANDLE' });
    const body = JSON.parse(puts(w.sb)[0]!.body);
    expect(body).toMatchObject({ productType: 'CANDLE', requirements: 'LISTING' });
    expect(body.attributes.item_name).toEqual([{ value: 'Scented candle, cedar', language_tag: 'de_DE', marketplace_id: DE }]);
    expect(body.attributes.bullet_point.map((b: J) => b.value)).toEqual(['Hand-poured', '40 hours']);
    expect(body.attributes.burn_time).toEqual([{ value: 40, unit: 'hours', marketplace_id: DE }]);
    expect(body.attributes.product_description[0].value).toBe('Soy wax in a stoneware pot.');
    expect(body.attributes.color[0].value).toBe('Natural');

    // Amazon's asynchronous checks: no main image. --check-issues reads them; listings show says why.
    await fetch(`${w.sb.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 10 * 60_000 }) });
    const check = await w.cli(['listings', 'publish', 'CANDLE-CED', '--channel', 'amazon-de', '--check-issues', '--yes']);
    expect(check.code, check.stderr).toBe(0);
    const show = await w.cli(['listings', 'show', 'CANDLE-CED']);
    expect(show.stdout).toMatch(/amazon-de.*18027.*no main image/s);
  }, 30_000);

  it('a SKU already on Amazon is adopted, never replaced; an EAN with two ASINs asks which; a SKU without price says how to price it', async () => {
    const w = await setup();
    const store = w.store();
    // MUG-RED-S is on amazon.de (seed) but the local listing was never acknowledged (a fresh import).
    store.db.prepare(`UPDATE channel_listings SET acked_status = NULL, acked_price_minor = NULL, acked_quantity = NULL, acked_at = NULL WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-RED-S')`).run();
    addProduct(store, { sku: 'PLATE-BLU', title: 'Plate', barcode: '4006381334013', price: '19.00', stock: 3 });
    store.db.prepare(`UPDATE channel_listings SET price_minor = NULL WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'VASE-WHT')`).run();
    const r = await w.cli(['listings', 'publish', '--channel', 'amazon-de', '--yes', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    const bySku = Object.fromEntries(doc.items.map((i: J) => [i.sku, i]));
    expect(Object.keys(bySku).sort()).toEqual(['CANDLE-CED', 'MUG-RED-S', 'PLATE-BLU', 'VASE-WHT']);
    expect(bySku['MUG-RED-S']).toMatchObject({ action: 'adopt', outcome: 'listed' });
    expect(bySku['PLATE-BLU'].reasons[0]).toMatch(/matches 2 Amazon products \(B0CPLATE01 .*B0CPLATE02/);
    expect(bySku['VASE-WHT'].reasons[0]).toMatch(/no price for amazon-de: .*prices update --channel amazon-de/);
    expect(puts(w.sb)).toHaveLength(0);
    // Adopted: sync sends it our price and stock (a listing change is queued).
    const q = store.db.prepare(`SELECT count(*) AS n FROM outbox WHERE sku = 'MUG-RED-S' AND channel = 'amazon-de' AND kind = 'listing' AND state = 'pending'`).get() as { n: bigint };
    expect(q.n).toBe(1n);

    // The seller picks the ASIN in the attributes file.
    const file = join(w.home, 'pick.csv');
    writeFileSync(file, 'sku,merchant_suggested_asin\nPLATE-BLU,B0CPLATE01\n');
    const ok = await w.cli(['listings', 'publish', 'PLATE-BLU', '--channel', 'amazon-de', '--attributes', file, '--yes', '--json']);
    expect(ok.code, ok.stdout).toBe(0);
    expect((amazonListings(w.sb)['PLATE-BLU']!.asin as J)[DE]).toBe('B0CPLATE01');

    const missing = await w.cli(['listings', 'publish', 'NO-SUCH', '--channel', 'amazon-de', '--dry-run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no SKU "NO-SUCH" in the catalogue/);
  }, 30_000);

  it('a SKU sync already keeps on amazon-de (acknowledged there) is skipped when named, never listed again', async () => {
    const w = await setup();
    const r = await w.cli(['listings', 'publish', 'MUG-RED-S', '--channel', 'amazon-de', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const item = JSON.parse(r.stdout).items[0];
    expect(item).toMatchObject({ sku: 'MUG-RED-S', action: 'skip', outcome: 'skipped' });
    expect(item.reasons).toEqual(['already on amazon-de: `merchant sync` keeps its price and stock']);
    expect(puts(w.sb)).toHaveLength(0);
  }, 30_000);

  it('the mass-change guard counts new listings: more than publish.maxNewListings is refused, nothing sent', async () => {
    const w = await setup();
    expect((await w.cli(['config', 'set', 'publish.maxNewListings', '1'])).code).toBe(0);
    const file = join(w.home, 'a.csv');
    writeFileSync(file, 'sku,product_type,bullet_point,recommended_browse_nodes,scent,item_weight,burn_time\nCANDLE-CED,CANDLE,Hand-poured,3167641,Cedar,310 grams,40 hours\n');
    const r = await w.cli(['listings', 'publish', '--channel', 'amazon-de', '--attributes', file, '--yes']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/would create 2 new listings on amazon-de in one run \(publish.maxNewListings is 1\)/);
    expect(puts(w.sb)).toHaveLength(0);
    const ok = await w.cli(['listings', 'publish', '--channel', 'amazon-de', '--yes', '--allow-mass-change', '--json']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(puts(w.sb)).toHaveLength(2);
  }, 30_000);

  it('a lost answer is read back: listed, one PUT', async () => {
    const w = await setup();
    w.sb.scriptFaults([{ match: 'PUT /amazon/eu/listings/2021-08-01/items', nth: 1, fault: 'lost' }]);
    const r = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'amazon-de', '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ outcome: 'listed', readBack: true, asin: 'B0CVASE001' });
    expect(puts(w.sb)).toHaveLength(1);
  }, 30_000);

  it('kill -9 right after the PUT: the next run reads it back and sends nothing again', async () => {
    const w = await setup();
    const child = spawnBin(['listings', 'publish', 'VASE-WHT', '--channel', 'amazon-de', '--yes'], { env: { ...w.env, MERCHANT_HOME: w.home, MERCHANT_CRASH_AT: 'publish-after-put' } });
    const exited = await new Promise<string | number | null>((res) => child.on('close', (code, signal) => res(signal ?? code)));
    expect(exited).toBe('SIGKILL');
    expect(puts(w.sb)).toHaveLength(1);
    const mid = w.store().db.prepare(`SELECT state FROM listing_publications WHERE sku = 'VASE-WHT'`).get() as J;
    expect(mid.state).toBe('sending');
    const r = await w.cli(['listings', 'publish', '--channel', 'amazon-de', '--yes', '--json']);
    expect(r.code, r.stdout).toBe(4); // CANDLE-CED has no product type: refused, the vase read back
    const vase = JSON.parse(r.stdout).items.find((i: J) => i.sku === 'VASE-WHT');
    expect(vase).toMatchObject({ outcome: 'listed', readBack: true, asin: 'B0CVASE001' });
    expect(puts(w.sb)).toHaveLength(1);
    const row = w.store().db.prepare(`SELECT acked_status, acked_quantity FROM channel_listings WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'VASE-WHT')`).get() as J;
    expect(row).toEqual({ acked_status: 'active', acked_quantity: 6n });
  }, 30_000);
});
