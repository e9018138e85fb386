// Sync against the Shopify emulator: prices by productVariantsBulkUpdate, stock by
// inventorySetQuantities, orders by cursor; dry-run; re-runs send nothing.
import { describe, it, expect } from 'vitest';
import { world, setPrice, setStock, shopifyRemote, requestsTo, outboxStates } from './helpers.js';

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
