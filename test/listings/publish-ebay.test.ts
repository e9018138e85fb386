// `merchant listings publish --channel ebay-uk` against the eBay emulator: a single SKU becomes an
// inventory item, one offer (category, business policies, merchant location from the ship-from address,
// price from the pricing rules, quantity from the inventory rules) and a published listing; a product
// with several variants one multiple-variation listing (inventory item group); a dry run sends nothing;
// missing item specifics are listed per SKU before anything is sent; an offer eBay already has is adopted
// or completed, never doubled; a lost answer to publishOffer is read back; kill -9 mid-publish and a
// re-run leave one offer and one listing.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { world, sandbox, NOW, ROOT, type World } from '../sync/helpers.js';
import { spawnBin, tempDir } from '../helpers/run.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Store } from '../../src/store/db.js';
import { loadSpec, SHARED_SPECS, SpecChecker } from '../sandbox/spec-check.js';

type J = Record<string, unknown>;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
});

function ebaySeller(sb: Sandbox): J {
  const sellers = (((sb.state() as J).apis as J).ebay as J).sellers as J;
  return Object.values(sellers)[0] as J;
}
const offersOf = (sb: Sandbox, sku: string) => Object.values(ebaySeller(sb).offers as J).filter((o) => (o as J).sku === sku) as J[];
const calls = (sb: Sandbox, method: string, re: RegExp) => sb.requests().filter((r) => r.api === 'ebay' && r.method === method && re.test(r.path));
/** Requests that change something on eBay (token grants and the Active Inventory Report task are reads). */
const writes = (sb: Sandbox) => sb.requests().filter((r) => r.api === 'ebay' && r.method !== 'GET' && !r.path.includes('/oauth2/token') && !r.path.includes('/sell/feed/'));

function addProduct(store: Store, p: { sku: string; handle?: string; title: string; description?: string | null; brand?: string; price: string; stock: number; image?: string | null; options?: Array<[string, string]> }): void {
  store.tx(() => {
    const handle = p.handle ?? p.sku.toLowerCase();
    const existing = store.db.prepare('SELECT id FROM products WHERE handle = ?').get(handle) as { id: bigint } | undefined;
    const productId = existing
      ? existing.id
      : store.db.prepare(`INSERT INTO products (handle, title, description, brand, vendor, created_at, updated_at) VALUES (?, ?, ?, ?, 'Lindqvist Keramik', ?, ?)`).run(handle, p.title, p.description === undefined ? 'Hand-thrown stoneware, glazed in the studio.' : p.description, p.brand ?? null, NOW, NOW).lastInsertRowid;
    const v = store.db
      .prepare(`INSERT INTO variants (product_id, sku, image_url, options_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(productId, p.sku, p.image === undefined ? `https://cdn.example.com/${p.sku}.jpg` : p.image, p.options ? JSON.stringify(p.options) : null, NOW, NOW);
    store.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, ?, 0, ?)`).run(v.lastInsertRowid, p.stock, NOW);
    store.db.prepare(`INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, created_at, updated_at) VALUES (?, 'ebay-uk', 'active', ?, 'GBP', ?, ?)`).run(v.lastInsertRowid, BigInt(p.price.replace('.', '')), NOW, NOW);
  });
}

function profile(store: Store): void {
  store.db
    .prepare(
      `INSERT OR REPLACE INTO business_profile (id, legal_name, country, base_currency, timezone, ship_from_json, created_at, updated_at)
       VALUES (1, 'Lindqvist Keramik AB', 'SE', 'SEK', 'Europe/Stockholm', ?, ?, ?)`,
    )
    .run(JSON.stringify({ name: 'Anna Lindqvist', company: 'Lindqvist Keramik', street1: 'Storgatan 1', city: 'Stockholm', postalCode: '11122', country: 'SE' }), NOW, NOW);
}

const VASE = { sku: 'VASE-WHT', title: 'Stoneware vase, white, 18 cm', brand: 'Lindqvist Keramik', price: '29.90', stock: 6 };

async function setup(o: { sb?: Sandbox } = {}): Promise<World> {
  const w = await world(['ebay'], o);
  const store = w.store();
  profile(store);
  addProduct(store, VASE);
  addProduct(store, { sku: 'TUMBLER-GRN', handle: 'tumbler', title: 'Stoneware tumbler', price: '12.50', stock: 4, options: [['Colour', 'Green']] });
  addProduct(store, { sku: 'TUMBLER-BLK', handle: 'tumbler', title: 'Stoneware tumbler', price: '12.50', stock: 3, options: [['Colour', 'Black']] });
  return w;
}

// eBay's own contract (read from ../shared, never copied): every request body merchant sent must use
// only fields eBay defines, with eBay's types (aspects excepted: the contract types them as a string).
const invSpec = loadSpec(join(SHARED_SPECS, 'ebay/sell_inventory_v1_oas3.json'));
const INV = invSpec ? new SpecChecker(invSpec, 'inv', '#/components/schemas/') : undefined;
function conformsToEbay(sb: Sandbox): number {
  if (!INV) return 0;
  const bodies: Array<[RegExp, string, string]> = [
    [/\/inventory_item\/[^/]+$/, 'PUT', 'InventoryItem'],
    [/\/inventory_item_group\/[^/]+$/, 'PUT', 'InventoryItemGroup'],
    [/\/offer$/, 'POST', 'EbayOfferDetailsWithKeys'],
    [/\/offer\/[^/]+$/, 'PUT', 'EbayOfferDetailsWithId'],
    [/\/location\/[^/]+$/, 'POST', 'InventoryLocationFull'],
    [/\/publish_by_inventory_item_group$/, 'POST', 'PublishByInventoryItemGroupRequest'],
  ];
  let n = 0;
  for (const r of sb.requests().filter((x) => x.api === 'ebay' && x.body)) {
    const hit = bodies.find(([re, m]) => m === r.method && re.test(r.path));
    if (!hit) continue;
    const body = JSON.parse(r.body) as J;
    expect(INV.unknownKeys(hit[2], body), `${r.method} ${r.path}`).toEqual([]);
    const { aspects: _a, ...typed } = body;
    const product = typed.product as J | undefined;
    const check = product ? { ...typed, product: Object.fromEntries(Object.entries(product).filter(([k]) => k !== 'aspects')) } : typed;
    expect(INV.errors(hit[2], check), `${r.method} ${r.path}`).toEqual([]);
    n += 1;
  }
  return n;
}

function validate(doc: unknown): void {
  const schema = JSON.parse(readFileSync(join(ROOT, 'docs/schemas/listings-publish.schema.json'), 'utf8'));
  const v = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
  expect(v(doc), JSON.stringify(v.errors)).toBe(true);
}

/** A sandbox started from the demo state changed by `edit` (eBay's seller, consents). */
async function editedSandbox(edit: (ebay: J) => void): Promise<Sandbox> {
  const first = await sandbox();
  const state = first.state() as J;
  edit((state.apis as J).ebay as J);
  const path = join(tempDir('merchant-sbstate-'), 'state.json');
  writeFileSync(path, JSON.stringify(state));
  return sandbox({ statePath: path });
}

describe('listings publish --channel ebay-uk', () => {
  it('a single SKU: the category is suggested, then confirmed; missing item specifics listed before anything is sent; then one item, one offer, one listing', async () => {
    const w = await setup();
    const none = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--yes', '--json']);
    expect(none.code, none.stderr).toBe(4);
    const doc0 = JSON.parse(none.stdout);
    validate(doc0);
    expect(doc0.items[0].reasons.join(' ')).toMatch(/no eBay category chosen: eBay suggests 10034 \(Home, Furniture & DIY > Home Décor > Vases\)/);
    expect(writes(w.sb)).toHaveLength(0);

    const dry = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--category', '10034', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/VASE-WHT\s+missing required item specifics of category 10034: Material \(one of Ceramic, Glass, Stoneware/);
    expect(writes(w.sb)).toHaveLength(0);

    const file = join(w.home, 'specifics.csv');
    writeFileSync(file, 'sku,category_id,Material\nVASE-WHT,10034,Stoneware\n');
    const plan = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--attributes', file, '--dry-run', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    const p = JSON.parse(plan.stdout);
    validate(p);
    expect(p.items[0]).toMatchObject({ sku: 'VASE-WHT', action: 'create', outcome: 'planned', categoryId: '10034', price: { amount: '29.90', currency: 'GBP' }, quantity: 6 });
    expect(writes(w.sb)).toHaveLength(0);

    const r = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--attributes', file, '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    validate(doc);
    expect(doc.items[0]).toMatchObject({ sku: 'VASE-WHT', action: 'create', outcome: 'listed', categoryId: '10034' });
    const offers = offersOf(w.sb, 'VASE-WHT');
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ marketplaceId: 'EBAY_GB', status: 'PUBLISHED', listingId: doc.items[0].listingId });
    const body = offers[0]!.body as J;
    expect(body).toMatchObject({ categoryId: '10034', availableQuantity: 6, pricingSummary: { price: { value: '29.90', currency: 'GBP' } }, listingPolicies: { fulfillmentPolicyId: '6200000001', paymentPolicyId: '6200000002', returnPolicyId: '6200000003' } });
    const item = (ebaySeller(w.sb).items as J)['VASE-WHT'] as J;
    expect((item.product as J).aspects).toEqual({ Brand: ['Lindqvist Keramik'], Material: ['Stoneware'] });
    // The merchant location was created from the ship-from address.
    const loc = (ebaySeller(w.sb).locations as J)[body.merchantLocationKey as string] as J;
    expect((loc.location as J).address).toMatchObject({ addressLine1: 'Storgatan 1', city: 'Stockholm', postalCode: '11122', country: 'SE' });
    // Local state: acknowledged with the offer id (sync's bulkUpdatePriceQuantity needs it), the publication kept.
    const row = w.store().db.prepare(`SELECT remote_id, acked_price_minor, acked_quantity, acked_status FROM channel_listings WHERE channel = 'ebay-uk' AND variant_id = (SELECT id FROM variants WHERE sku = 'VASE-WHT')`).get() as J;
    expect(row).toEqual({ remote_id: offers[0]!.offerId, acked_price_minor: 2990n, acked_quantity: 6n, acked_status: 'active' });
    const show = await w.cli(['listings', 'show', 'VASE-WHT', '--json']);
    expect(JSON.parse(show.stdout).publications).toEqual([expect.objectContaining({ channel: 'ebay-uk', state: 'listed', method: 'create', remoteRef: doc.items[0].listingId })]);

    if (INV) expect(conformsToEbay(w.sb)).toBeGreaterThanOrEqual(3);
    // Again: nothing sent twice; the choices were kept.
    const before = writes(w.sb).length;
    const again = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--yes', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).items[0]).toMatchObject({ action: 'skip', outcome: 'skipped' });
    expect(writes(w.sb)).toHaveLength(before);
  }, 30_000);

  it('a product with two variants becomes one multiple-variation listing (inventory item group, publishOfferByInventoryItemGroup)', async () => {
    const w = await setup();
    const file = join(w.home, 'specifics.csv');
    writeFileSync(file, 'sku,category_id,Type\ntumbler,20693,Mug\n');
    const r = await w.cli(['listings', 'publish', 'TUMBLER-*', '--channel', 'ebay-uk', '--attributes', file, '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    validate(doc);
    expect(doc.items.map((i: J) => [i.sku, i.outcome, i.group])).toEqual([
      ['TUMBLER-BLK', 'listed', 'tumbler-UK'],
      ['TUMBLER-GRN', 'listed', 'tumbler-UK'],
    ]);
    expect(doc.items[0].listingId).toBe(doc.items[1].listingId);
    const group = (ebaySeller(w.sb).itemGroups as J)['tumbler-UK'] as J;
    expect(group.variantSKUs).toEqual(['TUMBLER-BLK', 'TUMBLER-GRN']);
    expect(group.variesBy).toMatchObject({ specifications: [{ name: 'Colour', values: ['Black', 'Green'] }] });
    expect(calls(w.sb, 'POST', /publish_by_inventory_item_group$/)).toHaveLength(1);
    expect(calls(w.sb, 'POST', /\/offer\/[^/]+\/publish$/)).toHaveLength(0);
    if (INV) expect(conformsToEbay(w.sb)).toBeGreaterThanOrEqual(6);
    for (const sku of ['TUMBLER-BLK', 'TUMBLER-GRN']) expect(offersOf(w.sb, sku)).toEqual([expect.objectContaining({ status: 'PUBLISHED', listingId: doc.items[0].listingId })]);
  }, 30_000);

  it('the mass-change guard counts new eBay listings: more than publish.maxNewListings is refused, nothing sent', async () => {
    const w = await setup();
    expect((await w.cli(['config', 'set', 'publish.maxNewListings', '1'])).code).toBe(0);
    const file = join(w.home, 'specifics.csv');
    writeFileSync(file, 'sku,Type\ntumbler,Mug\n');
    const r = await w.cli(['listings', 'publish', 'TUMBLER-*', '--channel', 'ebay-uk', '--category', '20693', '--attributes', file, '--yes']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/would create 2 new listings on ebay-uk in one run \(publish.maxNewListings is 1\)/);
    expect(writes(w.sb)).toHaveLength(0);
    const ok = await w.cli(['listings', 'publish', 'TUMBLER-*', '--channel', 'ebay-uk', '--yes', '--allow-mass-change', '--json']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    // The category given with --category was kept for both SKUs: this run names none.
    expect(JSON.parse(ok.stdout).counts).toMatchObject({ listed: 2 });
    expect(JSON.parse(ok.stdout).items.map((i: J) => i.categoryId)).toEqual(['20693', '20693']);
  }, 30_000);

  it('business policies: chosen once when the account has several (the list is shown, nothing sent); a consent without sell.account gets a clear error', async () => {
    const sb = await editedSandbox((ebay) => {
      const s = Object.values(ebay.sellers as J)[0] as J;
      ((s.policies as J).fulfillment as J[]).push({ fulfillmentPolicyId: '6200000021', name: 'Royal Mail Tracked 24', marketplaceId: 'EBAY_GB', categoryTypes: [{ name: 'ALL_EXCLUDING_MOTORS_VEHICLES', default: true }] });
    });
    const w = await setup({ sb });
    const file = join(w.home, 'specifics.csv');
    writeFileSync(file, 'sku,category_id,Material\nVASE-WHT,10034,Stoneware\n');
    const r = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--attributes', file, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/choose the fulfillment policy of ebay-uk once: --fulfillment-policy ID \(6200000001 "Royal Mail 2nd class", 6200000021 "Royal Mail Tracked 24"\)/);
    expect(writes(sb)).toHaveLength(0);
    const ok = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--fulfillment-policy', 'Royal Mail Tracked 24', '--yes', '--json']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect((offersOf(sb, 'VASE-WHT')[0]!.body as J).listingPolicies).toMatchObject({ fulfillmentPolicyId: '6200000021' });

    const sb2 = await editedSandbox((ebay) => {
      for (const k of Object.keys(ebay.consents as J)) (ebay.consents as J)[k] = ['', '/sell.inventory', '/sell.fulfillment'].map((x) => `https://api.ebay.com/oauth/api_scope${x}`);
    });
    const w2 = await setup({ sb: sb2 });
    const no = await w2.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--category', '10034', '--attributes', file, '--yes']);
    expect(no.code).toBe(6);
    expect(no.stderr).toMatch(/consent does not include sell\.account\.readonly/);
    expect(no.stderr).toMatch(/merchant marketplace connect ebay --token-file FILE/);
    expect(no.stderr).toMatch(/--fulfillment-policy ID --payment-policy ID --return-policy ID/);
    expect(writes(sb2)).toHaveLength(0);
    // Sync and orders keep working with that consent: only publishing asks for the scope.
    const pull = await w2.cli(['sync', '--marketplace', 'ebay', '--only', 'orders', '--yes']);
    expect(pull.code, pull.stderr).toBe(0);
  }, 30_000);

  it('an offer eBay already has for the SKU is adopted (published) or completed (unpublished), never a second one', async () => {
    const w = await setup();
    // MUG-BLU-S is listed on ebay.co.uk (seed) but the local listing was never acknowledged (a fresh import).
    const store = w.store();
    store.db.prepare(`UPDATE channel_listings SET acked_status = NULL, acked_price_minor = NULL, acked_quantity = NULL, acked_at = NULL, remote_id = NULL WHERE channel = 'ebay-uk' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`).run();
    const r = await w.cli(['listings', 'publish', 'MUG-BLU-S', '--channel', 'ebay-uk', '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ action: 'adopt', outcome: 'listed', listingId: '110500000001' });
    expect(offersOf(w.sb, 'MUG-BLU-S')).toHaveLength(1);
    expect(calls(w.sb, 'POST', /\/offer$/)).toHaveLength(0);
  }, 30_000);

  it('a SKU on a listing made in Seller Hub is migrated (bulkMigrateListing), never listed a second time', async () => {
    const w = await setup();
    const c = await w.cli(['marketplace', 'connect', 'ebay', '--sandbox', w.sb.url, '--channels', 'ebay-uk,ebay-de']);
    expect(c.code, c.stderr).toBe(0);
    const store = w.store();
    store.db.prepare(`INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, created_at, updated_at) VALUES ((SELECT id FROM variants WHERE sku = 'MUG-BLU-S'), 'ebay-de', 'active', 1690, 'EUR', ?, ?)`).run(NOW, NOW);
    const dry = await w.cli(['listings', 'publish', 'MUG-BLU-S', '--channel', 'ebay-de', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    validate(plan);
    expect(plan.items[0]).toMatchObject({ sku: 'MUG-BLU-S', action: 'adopt', outcome: 'planned', migrate: true, listingId: '120500000001', remoteSku: 'MUG-BLU-S-DE' });
    expect(plan.items[0].reasons[0]).toMatch(/listed in Seller Hub as item 120500000001: would be migrated/);
    expect(calls(w.sb, 'POST', /bulk_migrate_listing$/)).toHaveLength(0);
    const r = await w.cli(['listings', 'publish', 'MUG-BLU-S', '--channel', 'ebay-de', '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ action: 'adopt', outcome: 'listed', migrate: true });
    expect(calls(w.sb, 'POST', /bulk_migrate_listing$/)).toHaveLength(1);
    expect(calls(w.sb, 'POST', /\/offer$/)).toHaveLength(0);
    expect(offersOf(w.sb, 'MUG-BLU-S-DE')).toEqual([expect.objectContaining({ marketplaceId: 'EBAY_DE', listingId: '120500000001' })]);
    const row = w.store().db.prepare(`SELECT remote_sku, remote_id FROM channel_listings WHERE channel = 'ebay-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-S')`).get() as J;
    expect(row).toEqual({ remote_sku: 'MUG-BLU-S-DE', remote_id: offersOf(w.sb, 'MUG-BLU-S-DE')[0]!.offerId });
  }, 30_000);

  it('kill -9 between createOffer and publishOffer, then a re-run: the offer is completed and published, one offer, one listing', async () => {
    const w = await setup();
    const file = join(w.home, 'specifics.csv');
    writeFileSync(file, 'sku,category_id,Material\nVASE-WHT,10034,Stoneware\n');
    const child = spawnBin(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--attributes', file, '--yes'], { env: { ...w.env, MERCHANT_HOME: w.home, MERCHANT_CRASH_AT: 'publish-ebay-before-publish' } });
    const exited = await new Promise<string | number | null>((res) => child.on('close', (code, signal) => res(signal ?? code)));
    expect(exited).toBe('SIGKILL');
    expect(offersOf(w.sb, 'VASE-WHT')).toEqual([expect.objectContaining({ status: 'UNPUBLISHED' })]);
    expect((w.store().db.prepare(`SELECT state FROM listing_publications WHERE sku = 'VASE-WHT'`).get() as J).state).toBe('sending');
    const r = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ outcome: 'listed' });
    expect(offersOf(w.sb, 'VASE-WHT')).toEqual([expect.objectContaining({ status: 'PUBLISHED' })]);
    expect(calls(w.sb, 'POST', /\/offer$/)).toHaveLength(1);
  }, 30_000);

  it('kill -9 right after publishOffer: the next run reads the listing back and sends nothing again', async () => {
    const w = await setup();
    const file = join(w.home, 'specifics.csv');
    writeFileSync(file, 'sku,category_id,Material\nVASE-WHT,10034,Stoneware\n');
    const child = spawnBin(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--attributes', file, '--yes'], { env: { ...w.env, MERCHANT_HOME: w.home, MERCHANT_CRASH_AT: 'publish-ebay-after-publish' } });
    const exited = await new Promise<string | number | null>((res) => child.on('close', (code, signal) => res(signal ?? code)));
    expect(exited).toBe('SIGKILL');
    const sent = writes(w.sb).length;
    const r = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const listingId = offersOf(w.sb, 'VASE-WHT')[0]!.listingId;
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ action: 'adopt', outcome: 'listed', readBack: true, listingId });
    expect(writes(w.sb)).toHaveLength(sent);
    const row = w.store().db.prepare(`SELECT acked_status, acked_quantity FROM channel_listings WHERE channel = 'ebay-uk' AND variant_id = (SELECT id FROM variants WHERE sku = 'VASE-WHT')`).get() as J;
    expect(row).toEqual({ acked_status: 'active', acked_quantity: 6n });
  }, 30_000);

  it('a lost answer to publishOffer is read back: listed, published once', async () => {
    const w = await setup();
    const file = join(w.home, 'specifics.csv');
    writeFileSync(file, 'sku,category_id,Material\nVASE-WHT,10034,Stoneware\n');
    w.sb.scriptFaults([{ match: 'POST /ebay/sell/inventory/v1/offer/71', nth: 1, fault: 'lost' }]);
    const r = await w.cli(['listings', 'publish', 'VASE-WHT', '--channel', 'ebay-uk', '--attributes', file, '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items[0]).toMatchObject({ outcome: 'listed', readBack: true });
    expect(calls(w.sb, 'POST', /\/offer\/[^/]+\/publish$/)).toHaveLength(1);
    expect(offersOf(w.sb, 'VASE-WHT')).toEqual([expect.objectContaining({ status: 'PUBLISHED' })]);
  }, 30_000);
});
