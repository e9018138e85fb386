// Shopify orders pulled complete (issue #15, item 10), and every GraphQL document the adapter sends
// validated against Shopify's Admin schema.
import { describe, it, expect } from 'vitest';
import { world, setPrice, setStock, enqueue, NOW } from './helpers.js';
import { run } from '../helpers/run.js';
import { requestProblems } from '../helpers/shopify-schema.js';
import { SBC, STUDIO, shopGql, eurMoney, shopifySale, shopifyCalls } from './shopify-helpers.js';

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
      locationLevels: { id: STUDIO, after: 'x' },
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
