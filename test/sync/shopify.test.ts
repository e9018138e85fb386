// Sync against the Shopify emulator: prices by productVariantsBulkUpdate, stock by
// inventorySetQuantities, orders by cursor; dry-run; re-runs send nothing.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { world, sandbox, setPrice, setStock, shopifyRemote, requestsTo, outboxStates, NOW } from './helpers.js';
import { run, tempDir } from '../helpers/run.js';
import { testEnv } from './helpers.js';
import { openStore } from '../../src/store/db.js';
import { STUDIO, WAREHOUSE, shopGql, shopifySale, shopifyCalls, setQuantityCalls } from './shopify-helpers.js';

describe('sync with Shopify (sandbox)', () => {
  it('connects with the sandbox credentials and lists the account', async () => {
    const w = await world(['shopify']);
    const r = await w.cli(['marketplace', 'list', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.items[0]).toMatchObject({ marketplace: 'shopify', sandbox: true, channels: ['shopify'] });
    expect(doc.items[0].secrets).toEqual([{ name: 'token', source: 'file' }]);
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
    expect(outboxStates(w.store())).toEqual({}); // acknowledged rows are deleted with the ack (migration 280)
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
    const orders = JSON.parse(list.stdout).items;
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
    expect(doc.items.find((i: { sku: string }) => i.sku === 'MUG-BLU-L')).toMatchObject({ state: 'acked', new: { price: { amount: '19.90', currency: 'EUR' }, quantity: 11 } });
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

// Stock: one explicit location, idempotency keys that name the attempt, compare-and-swap (issue #15).

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
    const { attemptKeyFor, claimPlannedState } = await import('../../src/services/sync/apply.js');
    const w = await world(['shopify']);
    setStock(w.store(), 'MUG-BLU-S', 20);
    const s = w.store();
    const { planMarketplace } = await import('../../src/services/sync/plan.js');
    const plan = planMarketplace(s, 'shopify', ['shopify'], new Set(['inventory']), { planCalls: () => [] });
    claimPlannedState(s, plan.items, NOW); // as apply does before sending: the listing's pending state becomes its outbox row
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

/** runSync with the real Shopify adapter of a world, wrapped by `wrap` (to act at a precise moment). */
async function syncWith(w: Awaited<ReturnType<typeof world>>, wrap: (real: import('../../src/ports/marketplace.js').MarketplacePort) => Partial<import('../../src/ports/marketplace.js').MarketplacePort>, only: string[], env: { retries?: number } = {}) {
  const { runSync } = await import('../../src/services/sync/run.js');
  const { CredentialStore } = await import('../../src/config/credentials.js');
  const { httpFactory } = await import('../../src/adapters/http/factory.js');
  const { listAccounts, storedSecrets } = await import('../../src/services/marketplace/accounts.js');
  const { adapterFor } = await import('../../src/adapters/marketplaces/connect.js');
  const store = w.store();
  const creds = new CredentialStore(join(w.home, 'credentials'), {});
  const http = httpFactory({ timeoutMs: 2000, retries: env.retries ?? 3, backoffScale: 0 });
  const real = adapterFor(listAccounts(store).find((a) => a.marketplace === 'shopify')!, storedSecrets(creds, 'shopify'), http);
  const wrapped = Object.assign(Object.create(Object.getPrototypeOf(real)), real, wrap(real));
  return runSync(
    { store, connections: (await import('../../src/cli/wiring/marketplaces.js')).syncConnections({ store, credentials: creds, http, now: () => NOW }), now: () => NOW, limits: { maxZeroShare: 1, maxRemoveShare: 1, minItems: 100 }, ordersSince: '2026-09-26T00:00:00.000Z', adapters: { shopify: wrapped } },
    { only: new Set(only as Array<'orders' | 'inventory'>), dryRun: false, allowMassChange: true },
  );
}

describe('Shopify: a write whose answer was lost is repeated as it was', () => {
  it('landed, then a sale on Shopify: the read-back differs, the same request goes again under the same key and the sale is kept', async () => {
    const w = await world(['shopify']);
    setStock(w.store(), 'MUG-BLU-S', 20); // Shopify 24, last synced 24
    // The stock write lands but its answer is lost (calls: location, variant lookup, the write).
    w.sb.scriptFaults([{ match: 'POST /shopify/admin/api', nth: 3, fault: 'lost' }]);
    let sold = false;
    const report = await syncWith(
      w,
      (real) => ({
        async readBack(...args: Parameters<typeof real.readBack>) {
          if (!sold) {
            sold = true;
            await shopifySale(w.sb, 'MUG-BLU-S', 1); // 20 → 19 on Shopify before merchant reads back
          }
          return real.readBack(...args);
        },
      }),
      ['inventory'],
      { retries: 0 },
    );
    expect(sold).toBe(true);
    const calls = setQuantityCalls(w.sb);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toEqual(calls[0]!.body); // same quantity, same compare, same key: Shopify answers from memory
    expect(shopifyRemote(w.sb).get('MUG-BLU-S')!.available).toBe(19); // the sale is not overwritten
    expect(report.items.find((i) => i.sku === 'MUG-BLU-S')).toMatchObject({ state: 'acked' });
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
    const { listAccounts, storedSecrets } = await import('../../src/services/marketplace/accounts.js');
    const { adapterFor } = await import('../../src/adapters/marketplaces/connect.js');
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
      { store, connections: (await import('../../src/cli/wiring/marketplaces.js')).syncConnections({ store, credentials: creds, http, now: () => NOW }), now: () => NOW, limits: { maxZeroShare: 1, maxRemoveShare: 1, minItems: 100 }, ordersSince: '2026-09-26T00:00:00.000Z', adapters: { shopify: racing } },
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
