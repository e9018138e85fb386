// Sync against the Shopify emulator: prices by productVariantsBulkUpdate, stock by
// inventorySetQuantities, orders by cursor; dry-run; re-runs send nothing.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { world, sandbox, setPrice, setStock, shopifyRemote, requestsTo, outboxStates, testEnv, seedCatalogue, enqueue, NOW } from './helpers.js';
import { run, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import { SANDBOX_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';
import { requestProblems } from '../helpers/shopify-schema.js';

describe('sync with Shopify (sandbox)', () => {
  it('connects with the sandbox credentials and lists the account', async () => {
    const w = await world(['shopify']);
    const r = await w.cli(['marketplace', 'list', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.marketplaces[0]).toMatchObject({ marketplace: 'shopify', sandbox: true, channels: ['shopify'] });
    expect(doc.marketplaces[0].secrets).toEqual([{ name: 'token', source: 'file' }]);
    expect(r.stdout).not.toContain('shpat_');
  });

  it('dry-run prints the plan and sends nothing', async () => {
    const w = await world(['shopify']);
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '17.50');
    setStock(w.store(), 'BOWL-GRY-M', 3);
    const before = w.sb.requests().length;
    const r = await w.cli(['sync', '--dry-run', '--only', 'prices,inventory']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('MUG-BLU-S');
    expect(r.stdout).toContain('price 15.90 → 17.50 EUR');
    expect(r.stdout).toContain('qty 7 → 3');
    expect(r.stdout).toMatch(/productVariantsBulkUpdate\t1\t1/);
    expect(r.stdout).toMatch(/inventorySetQuantities\t1\t1/);
    expect(w.sb.requests().length).toBe(before);
    expect(outboxStates(w.store())).toEqual({ pending: 2 });
  });

  it('pushes price and stock deltas, then a re-run sends nothing', async () => {
    const w = await world(['shopify']);
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '17.50');
    setStock(w.store(), 'BOWL-GRY-M', 3);
    const r = await w.cli(['sync', '--yes', '--only', 'prices,inventory']);
    expect(r.code, r.stderr).toBe(0);
    const remote = shopifyRemote(w.sb);
    expect(remote.get('MUG-BLU-S')!.price).toBe('17.50');
    expect(remote.get('BOWL-GRY-M')!.available).toBe(3);
    expect(outboxStates(w.store())).toEqual({ acked: 2 });
    const n = w.sb.requests().length;
    const again = await w.cli(['sync', '--yes', '--only', 'prices,inventory', '--json']);
    expect(again.code).toBe(0);
    expect(w.sb.requests().length).toBe(n);
    expect(JSON.parse(again.stdout).status).toBe('ok');
    expect(requestsTo(w.sb, 'shopify')).toBeGreaterThan(0);
  });

  it('pulls orders once: a re-run adds no duplicates, open orders reserve stock', async () => {
    const w = await world(['shopify']);
    const r = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.marketplaces[0].orders).toMatchObject({ created: 3 });
    const again = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(JSON.parse(again.stdout).marketplaces[0].orders.created).toBe(0);
    const list = await w.cli(['orders', 'list', '--json']);
    const orders = JSON.parse(list.stdout).orders;
    expect(orders).toHaveLength(3);
    const reserved = w.store().db.prepare(`SELECT v.sku, i.reserved FROM inventory i JOIN variants v ON v.id = i.variant_id WHERE i.reserved > 0 ORDER BY v.sku`).all();
    expect(reserved.map((x) => [(x as { sku: string }).sku, Number((x as { reserved: bigint }).reserved)])).toEqual([
      ['BOWL-GRY-M', 1],
      ['MUG-RED-S', 1],
      ['TEA-TWL-NAT', 2],
    ]);
  });
});

describe('listings from an import', () => {
  it('a new listing pushes its price and stock; a new product is created; a new variant of an existing product is refused', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    // As `listings import` leaves them: listing rows never acknowledged, one 'listing' change each.
    s.db.prepare(`UPDATE channel_listings SET acked_price_minor = NULL, acked_quantity = NULL, acked_status = NULL WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-L')`).run();
    s.db.prepare(`UPDATE channel_listings SET price_minor = 1990 WHERE variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-L')`).run();
    const { enqueue } = await import('./helpers.js');
    enqueue(s, 'shopify', 'MUG-BLU-L', 'listing');
    const at = '2026-11-25T06:00:00Z';
    const p = s.db.prepare(`INSERT INTO products (handle, title, created_at, updated_at) VALUES ('new-vase', 'Vase', ?, ?)`).run(at, at);
    const v = s.db.prepare(`INSERT INTO variants (product_id, sku, created_at, updated_at) VALUES (?, 'VASE-NEW', ?, ?)`).run(p.lastInsertRowid, at, at);
    s.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, 3, 0, ?)`).run(v.lastInsertRowid, at);
    s.db.prepare(`INSERT INTO channel_listings (variant_id, channel, price_minor, currency, created_at, updated_at) VALUES (?, 'shopify', 4500, 'EUR', ?, ?)`).run(v.lastInsertRowid, at, at);
    enqueue(s, 'shopify', 'VASE-NEW', 'listing');
    // A new SKU whose product (handle mug-blu-s) already exists remotely with other variants.
    const v2 = s.db.prepare(`INSERT INTO variants (product_id, sku, created_at, updated_at) VALUES ((SELECT id FROM products WHERE handle = 'mug-blu-s'), 'MUG-BLU-XL', ?, ?)`).run(at, at);
    s.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, 2, 0, ?)`).run(v2.lastInsertRowid, at);
    s.db.prepare(`INSERT INTO channel_listings (variant_id, channel, price_minor, currency, created_at, updated_at) VALUES (?, 'shopify', 2290, 'EUR', ?, ?)`).run(v2.lastInsertRowid, at, at);
    enqueue(s, 'shopify', 'MUG-BLU-XL', 'listing');
    const r = await w.cli(['sync', '--yes', '--only', 'listings', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.items.find((i: { sku: string }) => i.sku === 'MUG-BLU-L')).toMatchObject({ state: 'acked', new: { price: '19.90', quantity: 11 } });
    expect(doc.items.find((i: { sku: string }) => i.sku === 'VASE-NEW')).toMatchObject({ state: 'acked', note: 'created product new-vase' });
    expect(doc.items.find((i: { sku: string }) => i.sku === 'MUG-BLU-XL')).toMatchObject({ state: 'failed', code: 'VARIANT_MISSING' });
    const remote = shopifyRemote(w.sb);
    expect(remote.get('MUG-BLU-L')!.price).toBe('19.90');
    expect(remote.get('VASE-NEW')).toEqual({ price: '45.00', available: 3 });
    expect(remote.get('MUG-BLU-S')).toBeDefined(); // the existing product kept its variant
    // Next run: the created listing is a normal one now; nothing is sent for it.
    const n = w.sb.requests().filter((q) => q.body.includes('productSet')).length;
    const again = await w.cli(['sync', '--yes', '--only', 'listings']);
    expect(again.code).toBe(4); // MUG-BLU-XL still refused
    expect(w.sb.requests().filter((q) => q.body.includes('productSet')).length).toBe(n);
  });
});

// ---------------------------------------------------------------------------------------------------
// Issue #15 (Shopify): expiring tokens, locations, idempotency keys, compare-and-swap, complete orders.
// ---------------------------------------------------------------------------------------------------

const SBC = SANDBOX_CREDENTIALS.shopify;
const STUDIO = 'gid://shopify/Location/70000000001';
const WAREHOUSE = 70000000003;

/** A GraphQL call to the sandbox shop as the legacy custom app (what a checkout or the admin would do). */
async function shopGql(sb: Sandbox, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = await fetch(`${sb.urls.shopify}/admin/api/2026-10/graphql.json`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': SBC.token }, body: JSON.stringify({ query, variables }) });
  const doc = (await r.json()) as Record<string, any>;
  if (doc.errors) throw new Error(JSON.stringify(doc.errors));
  return doc.data;
}

const eurMoney = (amount: string) => ({ shopMoney: { amount, currencyCode: 'EUR' } });

/** A customer buys on Shopify: the order claims stock at the primary location. */
async function shopifySale(sb: Sandbox, sku: string, quantity: number): Promise<string> {
  const v = (await shopGql(sb, 'query($q: String!) { productVariants(first: 1, query: $q) { nodes { id } } }', { q: `sku:${sku}` })).productVariants.nodes[0];
  const d = await shopGql(sb, 'mutation($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) { orderCreate(order: $order, options: $options) { order { id } userErrors { message } } }', {
    order: { currency: 'EUR', taxesIncluded: true, financialStatus: 'PAID', lineItems: [{ variantId: v.id, quantity }], shippingAddress: { firstName: 'Eva', lastName: 'Berg', address1: 'Storgatan 1', city: 'Lund', zip: '22350', countryCode: 'SE' } },
    options: { inventoryBehaviour: 'DECREMENT_OBEYING_POLICY' },
  });
  if (d.orderCreate.userErrors.length) throw new Error(JSON.stringify(d.orderCreate.userErrors));
  return d.orderCreate.order.id;
}

/** Every Shopify GraphQL request the sandbox received: its parsed body and status. */
function shopifyCalls(sb: Sandbox): Array<{ body: { query: string; variables?: Record<string, any> }; status?: number; path: string }> {
  return sb
    .requests()
    .filter((r) => r.api === 'shopify' && r.path.includes('/graphql.json'))
    .map((r) => ({ body: JSON.parse(r.body), status: r.status, path: r.path }));
}
const setQuantityCalls = (sb: Sandbox) => shopifyCalls(sb).filter((c) => c.body.query.includes('inventorySetQuantities'));
const tokenRequests = (sb: Sandbox) => sb.requests().filter((r) => r.api === 'shopify' && r.path.endsWith('/admin/oauth/access_token'));

async function advanceSandbox(sb: Sandbox, ms: number): Promise<void> {
  const r = await fetch(`${sb.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });
  expect(r.status).toBe(200);
}

describe('Shopify client credentials (Dev Dashboard apps): 24-hour tokens', () => {
  async function ccWorld() {
    const sb = await sandbox();
    const home = tempDir('merchant-shopify-cc-');
    const env = testEnv();
    const file = join(home, 'app.env');
    writeFileSync(file, `client_secret=${SBC.clientSecret}\n`);
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', file, '--json'], { home, env });
    return { sb, home, env, connect: r };
  }

  it('connects with the client id and a secret from a file: the grant as documented, the token cached outside the database, 0600', async () => {
    const { sb, home, connect } = await ccWorld();
    expect(connect.code, connect.stderr).toBe(0);
    const doc = JSON.parse(connect.stdout);
    expect(doc).toMatchObject({ marketplace: 'shopify', verified: true, secretsStored: ['client_secret', 'client_id'], stockLocation: { name: 'Studio', primary: true } });
    expect(doc.tokenExpiresAt).toBe(new Date(Date.parse(NOW) + 86_399_000).toISOString());
    const grants = tokenRequests(sb);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.method).toBe('POST');
    expect(grants[0]!.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(grants[0]!.body))).toEqual({ grant_type: 'client_credentials', client_id: SBC.clientId, client_secret: '***' });
    // The token is in the 0600 token cache, and nowhere in the database or the output.
    const cache = join(home, 'token-cache');
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    const token = (Object.values(JSON.parse(readFileSync(cache, 'utf8'))) as Array<{ token: string }>)[0]!.token;
    expect(token).toMatch(/^shpat_/);
    const db = ['merchant.db', 'merchant.db-wal'].filter((f) => existsSync(join(home, f))).map((f) => readFileSync(join(home, f)).toString('latin1')).join('');
    expect(db).not.toContain(token);
    expect(db).not.toContain(SBC.clientSecret);
    expect(connect.stdout + connect.stderr).not.toContain(token);
    const list = JSON.parse((await run(['marketplace', 'list', '--json'], { home, env: testEnv() })).stdout);
    expect(list.marketplaces[0]).toMatchObject({ credentials: { kind: 'client_credentials', renewsItself: true }, secrets: [{ name: 'client_id', source: 'file' }, { name: 'client_secret', source: 'file' }] });
  });

  it('reuses the cached token, renews it before it expires, and once when Shopify answers 401', async () => {
    const { sb, home, env } = await ccWorld();
    const w = { store: () => openStore(join(home, 'merchant.db')) };
    const s = w.store();
    seedCatalogue(s, ['shopify']);
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    s.close();
    // An hour later: the cached token is used, no new grant.
    let r = await run(['sync', '--yes', '--only', 'prices'], { home, env: { ...env, MERCHANT_NOW: '2026-11-25T07:00:00.000Z' } });
    expect(r.code, r.stderr).toBe(0);
    expect(tokenRequests(sb)).toHaveLength(1);
    // 23 hours after it was issued, less than a tenth of its life is left: renewed before the first call, no 401.
    const s2 = w.store();
    setPrice(s2, 'shopify', 'MUG-BLU-S', '18.50');
    s2.close();
    r = await run(['sync', '--yes', '--only', 'prices'], { home, env: { ...env, MERCHANT_NOW: '2026-11-26T05:00:00.000Z' } });
    expect(r.code, r.stderr).toBe(0);
    expect(tokenRequests(sb)).toHaveLength(2);
    expect(shopifyCalls(sb).filter((c) => c.status === 401)).toHaveLength(0);
    // Shopify forgets it early (the sandbox's clock passes its 24 hours): one 401, one new grant, the call repeated.
    await advanceSandbox(sb, 25 * 3600_000);
    const s3 = w.store();
    setPrice(s3, 'shopify', 'MUG-BLU-S', '19.50');
    s3.close();
    r = await run(['sync', '--yes', '--only', 'prices', '--json'], { home, env: { ...env, MERCHANT_NOW: '2026-11-26T06:00:00.000Z' } });
    expect(r.code, r.stderr).toBe(0);
    expect(shopifyCalls(sb).filter((c) => c.status === 401)).toHaveLength(1);
    expect(tokenRequests(sb)).toHaveLength(3);
    expect(shopifyRemote(sb).get('MUG-BLU-S')!.price).toBe('19.50');
  });

  it('a wrong secret is refused before anything is stored (exit 6), with what to check; the secret never shows', async () => {
    const sb = await sandbox();
    const home = tempDir('merchant-shopify-cc-');
    const file = join(home, 'app.json');
    writeFileSync(file, JSON.stringify({ clientSecret: 'shpss_wrongwrongwrong0000000000' }));
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', file], { home, env: testEnv() });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/refused the app's client credentials/);
    expect(r.stderr).toMatch(/Dev Dashboard/);
    expect(r.stderr).not.toContain('shpss_wrongwrong');
    expect(existsSync(join(home, 'credentials'))).toBe(false);
    expect(existsSync(join(home, 'token-cache'))).toBe(false);
  });

  it('reads the secret from stdin; a token and client credentials together are refused; env overrides the stored secret', async () => {
    const sb = await sandbox();
    const home = tempDir('merchant-shopify-cc-');
    const r = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', '-'], { home, env: testEnv(), stdin: `${SBC.clientSecret}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/client credentials \(24-hour tokens, renewed automatically\)/);
    const both = await run(['marketplace', 'connect', 'shopify', '--shop', SBC.shop, '--base-url', sb.urls.shopify, '--client-id', SBC.clientId, '--token-file', '-'], { home, env: testEnv(), stdin: `token=${SBC.token}\nclient_secret=${SBC.clientSecret}\n` });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either an Admin API token or the client id and secret/);
    // MERCHANT_SHOPIFY_CLIENT_SECRET overrides the stored one (here: a wrong one → the grant is refused).
    const s = openStore(join(home, 'merchant.db'));
    seedCatalogue(s, ['shopify']);
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    s.close();
    rmSync(join(home, 'token-cache'), { force: true });
    const bad = await run(['sync', '--yes', '--only', 'prices'], { home, env: testEnv({ MERCHANT_SHOPIFY_CLIENT_SECRET: 'shpss_fromenv0000000000000000' }) });
    expect(bad.code).toBe(6);
    expect(bad.stderr).toMatch(/refused the app's client credentials/);
  });
});

describe('Shopify stock goes to one explicit location', () => {
  it('writes to the primary location (not the alphabetical first) and reads back that location, not the total', async () => {
    const w = await world(['shopify']);
    setStock(w.store(), 'BOWL-GRY-M', 3);
    // The answer to the stock write (3rd call: location, variant lookup, the write) is lost: sync must
    // read the level back to know it landed.
    w.sb.scriptFaults([{ match: 'POST /shopify/admin/api', nth: 3, fault: 'lost' }]);
    const r = await run(['sync', '--yes', '--only', 'inventory', '--json'], { home: w.home, env: { ...w.env, MERCHANT_HTTP_RETRIES: '0' } });
    expect(r.code, r.stderr).toBe(0);
    const set = setQuantityCalls(w.sb);
    expect(w.sb.requests().find((q) => q.fault === 'lost')!.body).toContain('inventorySetQuantities');
    expect(set).toHaveLength(1);
    for (const c of set) for (const q of c.body.variables!.input.quantities) expect(q.locationId).toBe(STUDIO);
    expect(shopifyRemote(w.sb).get('BOWL-GRY-M')!.available).toBe(3);
    expect(shopifyRemote(w.sb, 70000000002).get('BOWL-GRY-M')!.available).toBe(1); // Annex untouched
    expect(shopifyRemote(w.sb, WAREHOUSE).get('BOWL-GRY-M')!.available).toBe(14); // Warehouse untouched
    const item = JSON.parse(r.stdout).items.find((i: { sku: string }) => i.sku === 'BOWL-GRY-M');
    expect(item).toMatchObject({ state: 'acked', confirmedByReadBack: true });
    // Read back by location level: the written location, not the sum over Studio, Annex and Warehouse.
    expect(shopifyCalls(w.sb).some((c) => /inventoryLevel\(locationId: \$location\)/.test(c.body.query) && c.body.variables?.location === STUDIO)).toBe(true);
    expect(shopifyCalls(w.sb).some((c) => /inventoryQuantity/.test(c.body.query))).toBe(false);
  });

  it('shopify.location by name sends stock there (compared against that location’s own level); an unknown name stops before anything is sent', async () => {
    const w = await world(['shopify']);
    setStock(w.store(), 'BOWL-GRY-M', 3);
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '17.50');
    const bad = await run(['sync', '--yes'], { home: w.home, env: { ...w.env, MERCHANT_SHOPIFY_LOCATION: 'Lager Nord' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Shopify location "Lager Nord" not found/);
    expect(bad.stderr).toMatch(/Warehouse Malmö \(70000000003\)/);
    expect(shopifyCalls(w.sb).filter((c) => c.body.query.startsWith('mutation'))).toHaveLength(0);
    const r = await run(['sync', '--yes', '--only', 'prices,inventory', '--json'], { home: w.home, env: { ...w.env, MERCHANT_SHOPIFY_LOCATION: 'warehouse malmö' } });
    expect(r.code, r.stderr).toBe(0);
    // The refused run pulled the orders first (seed order #1002 holds one bowl): 3 − 1 = 2 offered. Its
    // level at the warehouse (14) differed from what was synced to the primary location (7): the
    // compare failed, the level was read, and 2 was sent against 14.
    expect(shopifyRemote(w.sb, WAREHOUSE).get('BOWL-GRY-M')!.available).toBe(2);
    expect(shopifyRemote(w.sb).get('BOWL-GRY-M')!.available).toBe(7); // the primary location keeps its stock
    const bowl = (await shopGql(w.sb, '{ productVariants(first: 1, query: "sku:BOWL-GRY-M") { nodes { inventoryItem { id } } } }')).productVariants.nodes[0].inventoryItem.id;
    const quantities = setQuantityCalls(w.sb).flatMap((c) => c.body.variables!.input.quantities).filter((q: { inventoryItemId: string }) => q.inventoryItemId === bowl);
    expect(quantities.map((q: { quantity: number; changeFromQuantity: number | null }) => [q.quantity, q.changeFromQuantity])).toEqual([[2, 7], [2, 14]]);
    for (const c of setQuantityCalls(w.sb)) for (const q of c.body.variables!.input.quantities) expect(q.locationId).toBe(`gid://shopify/Location/${WAREHOUSE}`);
  });

  it('marketplace connect --location keeps the location by id and says where stock goes', async () => {
    const sb = await sandbox();
    const home = tempDir('merchant-shopify-loc-');
    const r = await run(['marketplace', 'connect', 'shopify', '--sandbox', sb.url, '--location', 'Warehouse Malmö'], { home, env: testEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/stock location\s+Warehouse Malmö gid:\/\/shopify\/Location\/70000000003/);
    const s = openStore(join(home, 'merchant.db'));
    const settings = JSON.parse((s.db.prepare(`SELECT settings_json FROM marketplace_accounts WHERE marketplace = 'shopify'`).get() as { settings_json: string }).settings_json);
    s.close();
    expect(settings.location).toBe('gid://shopify/Location/70000000003');
  });
});

describe('Shopify @idempotent keys name the attempt, not the content', () => {
  it('a later change with the same content as an earlier one is applied', async () => {
    const w = await world(['shopify']);
    for (const q of [7, 24, 7]) {
      setStock(w.store(), 'MUG-BLU-S', q);
      const r = await w.cli(['sync', '--yes', '--only', 'inventory']);
      expect(r.code, r.stderr).toBe(0);
      expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.available).toBe(q);
    }
    const keys = setQuantityCalls(w.sb).map((c) => c.body.variables!.key);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });

  it('a request retried after a lost answer keeps its key, and Shopify applies it once', async () => {
    const w = await world(['shopify']);
    setStock(w.store(), 'MUG-BLU-S', 20);
    w.sb.scriptFaults([{ match: 'POST /shopify/admin/api', nth: 3, fault: 'lost' }]);
    const r = await w.cli(['sync', '--yes', '--only', 'inventory']);
    expect(r.code, r.stderr).toBe(0);
    const calls = setQuantityCalls(w.sb);
    expect(calls).toHaveLength(2);
    expect(w.sb.requests().find((q) => q.fault === 'lost')!.body).toContain('inventorySetQuantities');
    expect(calls[1]!.body).toEqual(calls[0]!.body);
    expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.available).toBe(20);
  });

  it('an item whose answer was lost and whose read-back differs is sent again under the same key (the write is not applied twice)', async () => {
    const { attemptKeyFor } = await import('../../src/services/sync/apply.js');
    const w = await world(['shopify']);
    setStock(w.store(), 'MUG-BLU-S', 20);
    const s = w.store();
    const { planMarketplace } = await import('../../src/services/sync/plan.js');
    const plan = planMarketplace(s, 'shopify', ['shopify'], new Set(['inventory']), { planCalls: () => [] });
    const item = plan.items[0]!;
    const first = attemptKeyFor(s, item, 'db1');
    // Sent, no answer (killed, or lost): the same request keeps the key …
    s.db.prepare(`UPDATE outbox SET state = 'sent', attempts = 1, attempt_key = ?, sent_json = ? WHERE id IN (${item.outboxIds.join(',')})`).run(first, JSON.stringify({ quantity: 20, changeFrom: 24 }));
    expect(attemptKeyFor(s, item, 'db1')).toBe(first);
    // … a different request (another quantity) is a new attempt, as is anything after a definite answer.
    expect(attemptKeyFor(s, { ...item, change: { ...item.change, quantity: 19 } }, 'db1')).not.toBe(first);
    s.db.prepare(`UPDATE outbox SET state = 'failed' WHERE id IN (${item.outboxIds.join(',')})`).run();
    expect(attemptKeyFor(s, item, 'db1')).not.toBe(first);
    expect(first).toMatch(new RegExp(`^db1:${item.outboxIds.join('.')}:1$`));
  });
});

describe('Shopify changeFromQuantity: a stale compare is never answered with a blind overwrite', () => {
  it('an order placed on Shopify between the pull and the push: sync pulls it, recomputes, and sets the right quantity', async () => {
    const w = await world(['shopify']);
    setStock(w.store(), 'MUG-BLU-S', 20); // local: 20 on hand (Shopify: 24, last synced 24)
    const home = w.home;
    const { runSync } = await import('../../src/services/sync/run.js');
    const { CredentialStore } = await import('../../src/config/credentials.js');
    const { httpFactory } = await import('../../src/adapters/http/factory.js');
    const { listAccounts, adapterFor, storedSecrets } = await import('../../src/services/marketplace/accounts.js');
    const store = w.store();
    const creds = new CredentialStore(join(home, 'credentials'), {});
    const http = httpFactory({ timeoutMs: 2000, retries: 3, backoffScale: 0 });
    const real = adapterFor(listAccounts(store).find((a) => a.marketplace === 'shopify')!, storedSecrets(creds, 'shopify'), http);
    let sold = false;
    // A customer buys 2 on Shopify right after sync pulled the orders, before it pushes stock.
    const racing = Object.assign(Object.create(Object.getPrototypeOf(real)), real, {
      async push(...args: Parameters<typeof real.push>) {
        if (!sold) {
          sold = true;
          await shopifySale(w.sb, 'MUG-BLU-S', 2);
        }
        return real.push(...args);
      },
    });
    const report = await runSync(
      { store, credentials: creds, http, now: () => NOW, limits: { maxZeroShare: 1, maxRemoveShare: 1, minItems: 100 }, ordersSince: '2026-09-26T00:00:00.000Z', adapters: { shopify: racing } },
      { only: new Set(['orders', 'inventory']), dryRun: false, allowMassChange: true },
    );
    expect(report.exitCode).toBe(0);
    // 20 on hand, 2 sold on Shopify (reserved once pulled): 18 offered — not 20, which would erase the sale.
    expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.available).toBe(18);
    const item = (await shopGql(w.sb, '{ productVariants(first: 1, query: "sku:MUG-BLU-S") { nodes { inventoryItem { id } } } }')).productVariants.nodes[0].inventoryItem.id;
    const quantities = setQuantityCalls(w.sb).flatMap((c) => c.body.variables!.input.quantities).filter((q: { inventoryItemId: string }) => q.inventoryItemId === item);
    expect(quantities.map((q: { quantity: number; changeFromQuantity: number | null }) => [q.quantity, q.changeFromQuantity])).toEqual([[20, 24], [18, 22]]);
    expect(setQuantityCalls(w.sb).flatMap((c) => c.body.variables!.input.quantities).every((q: { changeFromQuantity: unknown }) => typeof q.changeFromQuantity === 'number')).toBe(true);
    expect(report.items.find((i) => i.sku === 'MUG-BLU-S')).toMatchObject({ state: 'acked', new: { quantity: 18 } });
    expect(report.marketplaces[0]!.orders!.created).toBe(4); // the three seed orders and the one placed meanwhile
  });

  it('--only inventory: orders placed on Shopify since the last pull count too', async () => {
    const w = await world(['shopify']);
    await shopifySale(w.sb, 'BOWL-GRY-M', 1); // Shopify: 7 → 6
    setStock(w.store(), 'BOWL-GRY-M', 5); // local: 5 on hand
    const r = await w.cli(['sync', '--yes', '--only', 'inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // 5 on hand less the bowl just sold and the one seed order #1002 holds: 3 (a blind overwrite would say 5).
    expect(shopifyRemote(w.sb).get('BOWL-GRY-M')!.available).toBe(3);
    expect(JSON.parse(r.stdout).marketplaces[0].orders).toMatchObject({ created: 4 });
    expect(setQuantityCalls(w.sb).flatMap((c) => c.body.variables!.input.quantities).every((q: { changeFromQuantity: unknown }) => typeof q.changeFromQuantity === 'number')).toBe(true);
  });

  it('an order pulled in the same run: once counted, Shopify already holds the right quantity and nothing more is sent', async () => {
    const w = await world(['shopify']);
    const before = shopifyRemote(w.sb).get('CANDLE-LAV')!.available;
    await shopifySale(w.sb, 'CANDLE-LAV', 2); // Shopify took 2 off its own count
    const r = await w.cli(['sync', '--yes', '--only', 'orders,inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const item = (await shopGql(w.sb, '{ productVariants(first: 1, query: "sku:CANDLE-LAV") { nodes { inventoryItem { id } } } }')).productVariants.nodes[0].inventoryItem.id;
    const sets = setQuantityCalls(w.sb).flatMap((c) => c.body.variables!.input.quantities).filter((q: { inventoryItemId: string }) => q.inventoryItemId === item);
    expect(sets).toHaveLength(1); // the stale compare only: no second write
    expect(shopifyRemote(w.sb).get('CANDLE-LAV')!.available).toBe(before - 2);
    expect(JSON.parse(r.stdout).items.find((i: { sku: string }) => i.sku === 'CANDLE-LAV')).toMatchObject({ state: 'acked', confirmedByReadBack: true });
    const s = w.store();
    expect(Number((s.db.prepare(`SELECT acked_quantity FROM channel_listings WHERE channel = 'shopify' AND variant_id = (SELECT id FROM variants WHERE sku = 'CANDLE-LAV')`).get() as { acked_quantity: bigint }).acked_quantity)).toBe(before - 2);
  });
});

describe('Shopify orders are complete', () => {
  it('every line of a 12-line order, line and shipping tax, refunds with their lines, tax and dates; pages of 250 within the cost limit', async () => {
    const w = await world(['shopify']);
    const v = (await shopGql(w.sb, '{ productVariants(first: 1, query: "sku:MUG-BLU-S") { nodes { id } } }')).productVariants.nodes[0];
    const lineItems = [
      { variantId: v.id, quantity: 2, priceSet: eurMoney('15.90'), taxLines: [{ title: 'Sales tax', rate: '0.08', priceSet: eurMoney('2.54') }] },
      ...Array.from({ length: 11 }, (_, i) => ({ title: `Sample ${i + 1}`, sku: `SAMPLE-${i + 1}`, quantity: 1, priceSet: eurMoney('5.00'), taxLines: [{ title: 'Sales tax', rate: '0.08', priceSet: eurMoney('0.40') }] })),
    ];
    const created = await shopGql(w.sb, 'mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id totalPriceSet { shopMoney { amount } } lineItems(first: 1) { nodes { id } } } userErrors { message } } }', {
      order: { currency: 'EUR', taxesIncluded: false, financialStatus: 'PAID', fulfillmentStatus: 'FULFILLED', lineItems, shippingLines: [{ title: 'Ground', priceSet: eurMoney('8.00'), taxLines: [{ title: 'Sales tax', rate: '0.08', priceSet: eurMoney('0.64') }] }], shippingAddress: { firstName: 'Jo', lastName: 'Park', address1: '1 Main St', city: 'Austin', zip: '73301', countryCode: 'US' } },
    });
    const order = created.orderCreate.order;
    expect(order.totalPriceSet.shopMoney.amount).toBe('102.38'); // 31.80 + 55.00 + 8.00 + tax 7.58
    await shopGql(w.sb, 'mutation($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) { userErrors { message } } }', {
      key: 'test-refund-1',
      input: { orderId: order.id, note: 'one mug broke', refundLineItems: [{ lineItemId: order.lineItems.nodes[0].id, quantity: 1, restockType: 'NO_RESTOCK' }], transactions: [{ orderId: order.id, kind: 'REFUND', gateway: 'manual', amount: '17.17' }] },
    });
    const r = await w.cli(['sync', '--yes', '--only', 'orders']);
    expect(r.code, r.stderr).toBe(0);
    const s = w.store();
    const id = order.id.replace('gid://shopify/Order/', '');
    const row = s.db.prepare(`SELECT id, tax_minor, shipping_minor, shipping_tax_minor, tax_kind, total_minor FROM orders WHERE marketplace = 'shopify' AND external_id = ?`).get(id) as Record<string, bigint | string>;
    expect(row).toMatchObject({ tax_minor: 758n, shipping_minor: 800n, shipping_tax_minor: 64n, tax_kind: 'added', total_minor: 10238n });
    const lines = s.db.prepare('SELECT sku, quantity, tax_minor FROM order_lines WHERE order_id = ? ORDER BY id').all(row.id) as Array<{ sku: string; quantity: bigint; tax_minor: bigint }>;
    expect(lines).toHaveLength(12);
    expect(lines[0]).toEqual({ sku: 'MUG-BLU-S', quantity: 2n, tax_minor: 254n });
    expect(lines.reduce((a, l) => a + l.tax_minor, 0n)).toBe(254n + 11n * 40n);
    const refunds = s.db.prepare('SELECT external_id, refunded_at, quantity, amount_minor, tax_minor, reason FROM order_refunds WHERE order_id = ?').all(row.id) as Array<Record<string, unknown>>;
    // Tax added on top: 17.17 returned, of which 1.27 is the refunded mug's tax (half of 2.54), as Shopify computed it.
    expect(refunds).toEqual([{ external_id: expect.stringMatching(/^gid:\/\/shopify\/Refund\//), refunded_at: expect.any(String), quantity: 1n, amount_minor: 1717n - 127n, tax_minor: 127n, reason: 'one mug broke' }]);
    // Pages: 250 order ids a page; details in queries that stay under Shopify's 1000-point limit.
    const calls = shopifyCalls(w.sb).filter((c) => c.body.query.includes('query Order'));
    expect(calls.find((c) => c.body.query.includes('OrdersPage'))!.body.query).toMatch(/orders\(first: 250,/);
    for (const c of calls) {
      const again = await fetch(`${w.sb.urls.shopify}/admin/api/2026-10/graphql.json`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': SBC.token }, body: JSON.stringify(c.body) });
      const cost = ((await again.json()) as { extensions: { cost: { requestedQueryCost: number } } }).extensions.cost.requestedQueryCost;
      expect(cost, c.body.query.slice(0, 40)).toBeLessThanOrEqual(1000);
    }
    expect(calls.some((c) => c.body.query.includes('OrderLines'))).toBe(true); // lines 11 and 12 came in a second query
  });
});

describe("every GraphQL document the adapter sends is valid against Shopify's Admin schema (2025-04 + the 2026-04 additions)", () => {
  it('validates each request of a full run (connect, prices, stock, a new product, a stale compare, a lost answer, orders with many lines and refunds)', async () => {
    const w = await world(['shopify']);
    const v = (await shopGql(w.sb, '{ productVariants(first: 1, query: "sku:MUG-RED-S") { nodes { id } } }')).productVariants.nodes[0];
    const created = await shopGql(w.sb, 'mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id lineItems(first: 1) { nodes { id } } } userErrors { message } } }', {
      order: { currency: 'EUR', taxesIncluded: true, financialStatus: 'PAID', lineItems: [{ variantId: v.id, quantity: 1, taxLines: [{ title: 'VAT', rate: '0.25', priceSet: eurMoney('3.18') }] }, ...Array.from({ length: 11 }, (_, i) => ({ title: `Card ${i}`, sku: `CARD-${i}`, quantity: 1, priceSet: eurMoney('2.00') }))] },
    });
    const o = created.orderCreate.order;
    await shopGql(w.sb, 'mutation($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) { userErrors { message } } }', { key: 'contract-refund', input: { orderId: o.id, refundLineItems: [{ lineItemId: o.lineItems.nodes[0].id, quantity: 1, restockType: 'RETURN' }], transactions: [{ orderId: o.id, kind: 'REFUND', gateway: 'manual', amount: '15.90' }] } });
    await shopifySale(w.sb, 'MUG-BLU-S', 1);
    const s = w.store();
    setPrice(s, 'shopify', 'MUG-BLU-S', '17.50');
    setStock(s, 'MUG-BLU-S', 20);
    const at = NOW;
    const p = s.db.prepare(`INSERT INTO products (handle, title, created_at, updated_at) VALUES ('contract-vase', 'Vase', ?, ?)`).run(at, at);
    const nv = s.db.prepare(`INSERT INTO variants (product_id, sku, created_at, updated_at) VALUES (?, 'VASE-CONTRACT', ?, ?)`).run(p.lastInsertRowid, at, at);
    s.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, 3, 0, ?)`).run(nv.lastInsertRowid, at);
    s.db.prepare(`INSERT INTO channel_listings (variant_id, channel, price_minor, currency, created_at, updated_at) VALUES (?, 'shopify', 4500, 'EUR', ?, ?)`).run(nv.lastInsertRowid, at, at);
    enqueue(s, 'shopify', 'VASE-CONTRACT', 'listing');
    let r = await w.cli(['sync', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    // A lost answer: the write is read back (calls: location, the write).
    setStock(w.store(), 'BOWL-GRY-M', 2);
    w.sb.scriptFaults([{ match: 'POST /shopify/admin/api', nth: 2, fault: 'lost' }]);
    r = await run(['sync', '--yes', '--only', 'inventory'], { home: w.home, env: { ...w.env, MERCHANT_HTTP_RETRIES: '0' } });
    expect(r.code, r.stderr).toBe(0);
    // A location by name.
    setStock(w.store(), 'BOWL-GRY-M', 1);
    r = await run(['sync', '--yes', '--only', 'inventory'], { home: w.home, env: { ...w.env, MERCHANT_SHOPIFY_LOCATION: 'Studio' } });
    expect(r.code, r.stderr).toBe(0);

    const mine = w.sb.requests().filter((q) => q.api === 'shopify' && q.path.includes('/graphql.json') && /merchant-cli/.test(q.headers['user-agent'] ?? ''));
    const problems = mine.flatMap((q) => requestProblems(JSON.parse(q.body)).map((m) => `${JSON.parse(q.body).query.slice(0, 40)}: ${m}`));
    expect(problems).toEqual([]);
    const ops = new Set(mine.map((q) => /(?:query|mutation) (\w+)/.exec(JSON.parse(q.body).query)?.[1]));
    for (const op of ['Shop', 'PrimaryLocation', 'Locations', 'VariantsBySku', 'PricesUpdate', 'SetQuantities', 'Levels', 'ProductByHandle', 'ProductCreate', 'VariantsAt', 'OrdersPage', 'OrderDetails', 'OrderLines', 'OrderRefunds']) expect(ops, op).toContain(op);
  });

  it('validates every document of the adapter, including the rarely sent ones', async () => {
    const { Q } = await import('../../src/adapters/marketplaces/shopify/queries.js');
    const samples: Record<string, Record<string, unknown>> = {
      locationById: { id: 'gid://shopify/Location/1' },
      variantsBySku: { q: 'sku:"A"' },
      variantsAt: { ids: ['gid://shopify/ProductVariant/1'], location: STUDIO },
      levels: { ids: ['gid://shopify/InventoryItem/1'], location: STUDIO },
      productByHandle: { q: 'handle:"a"' },
      pricesUpdate: { productId: 'gid://shopify/Product/1', variants: [{ id: 'gid://shopify/ProductVariant/1', price: '1.00' }] },
      setQuantities: { key: 'k', input: { name: 'available', reason: 'correction', referenceDocumentUri: 'merchant-cli://sync/k', quantities: [{ inventoryItemId: 'gid://shopify/InventoryItem/1', locationId: STUDIO, quantity: 1, changeFromQuantity: 2 }] } },
      productCreate: { input: { title: 'T', handle: 't', status: 'ACTIVE', productOptions: [{ name: 'Title', values: [{ name: 'Default Title' }] }], variants: [{ sku: 'T', price: '1.00', optionValues: [{ optionName: 'Title', name: 'Default Title' }], inventoryQuantities: [{ locationId: STUDIO, name: 'available', quantity: 1 }] }] }, identifier: { handle: 't' } },
      ordersPage: { q: "updated_at:>='2026-01-01T00:00:00Z' status:any" },
      orderDetails: { ids: ['gid://shopify/Order/1'] },
      orderLines: { id: 'gid://shopify/Order/1', after: 'x' },
      orderRefunds: { ids: ['gid://shopify/Order/1'], refunds: 12 },
      refundLines: { id: 'gid://shopify/Refund/1', after: 'x' },
    };
    for (const [name, query] of Object.entries(Q)) expect(requestProblems({ query, variables: samples[name] ?? {} }), name).toEqual([]);
    // The validator itself: a removed field, a missing @idempotent, a missing changeFromQuantity.
    const old = { query: Q.setQuantities.replace(' @idempotent(key: $key)', '').replace(', $key: String!', ''), variables: { input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: 'gid://shopify/InventoryItem/1', locationId: STUDIO, quantity: 1, compareQuantity: 2 }] } } };
    const found = requestProblems(old).join('\n');
    expect(found).toMatch(/inventorySetQuantities without @idempotent/);
    expect(found).toMatch(/compareQuantity/);
    expect(found).toMatch(/has no changeFromQuantity/);
  });
});
