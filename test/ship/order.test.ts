// Shipping a marketplace order: lines × catalogue (HS code, origin, weight) → customs → label.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';
import { run } from '../helpers/run.js';
import { ENV, home, labelsByReference, useSandbox } from './helpers.js';

const sandbox = useSandbox();
const T = '2026-07-01T10:00:00Z';

function seedOrder(h: string, opts: { country: string; postalCode: string; hs?: string | null; currency?: string; price?: bigint; qty?: bigint }): void {
  const store = openStore(join(h, 'merchant.db'));
  const db = store.db;
  db.prepare(
    `INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, eori, ioss_number, ship_from_json, created_at, updated_at)
     VALUES (1, 'Lindqvist Keramik AB', 'SE', 'SEK', 'Europe/Stockholm', 'SE5566778899', 'IM7520000123', ?, ?, ?)`,
  ).run(JSON.stringify({ name: 'Anna Lindqvist', street1: 'Storgatan 1', city: 'Stockholm', postalCode: '11122', country: 'SE', phone: '+46812345678', email: 'anna@example.se' }), T, T);
  db.prepare("INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Stoneware mug', ?, ?)").run(T, T);
  db.prepare(
    "INSERT INTO variants (product_id, sku, title, weight_grams, length_mm, width_mm, height_mm, hs_code, origin_country, created_at, updated_at) VALUES (1, 'MUG-BLU-S', 'Blue, small', 420, 120, 120, 110, ?, 'SE', ?, ?)",
  ).run(opts.hs === undefined ? '691200' : opts.hs, T, T);
  db.prepare(
    `INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, currency, buyer_name, ship_to_json, ship_country, shipping_minor, source, created_at, updated_at)
     VALUES (1, 'shopify', 'shopify', '#1042', 'paid', ?, ?, 'Max Mustermann', ?, ?, 490, 'api', ?, ?)`,
  ).run(T, opts.currency ?? 'EUR', JSON.stringify({ name: 'Max Mustermann', address1: 'Hauptstr. 5', city: 'Zürich', zip: opts.postalCode, country: opts.country, phone: '+41441234567' }), opts.country, T, T);
  db.prepare("INSERT INTO order_lines (order_id, external_line_id, sku, title, quantity, unit_price_minor) VALUES (1, 'L1', 'MUG-BLU-S', 'Mug', ?, ?)").run(opts.qty ?? 2n, opts.price ?? 2490n);
  store.close();
}

describe('orders → customs → label', () => {
  it('customs check <order> builds the declaration from the catalogue', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seedOrder(h, { country: 'CH', postalCode: '8001' });
    const r = await run(['customs', 'check', '#1042', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ from: 'SE', to: 'CH', form: 'CN22', value: { amount: '49.80', currency: 'EUR' }, shipping: { amount: '4.90', currency: 'EUR' }, dutyApplies: false });
    expect(doc.items[0]).toMatchObject({ sku: 'MUG-BLU-S', hsCode: '691200', originCountry: 'SE', quantity: 2, unitValue: { amount: '24.90', currency: 'EUR' }, lineWeightGrams: 840 });
    // 49.80 + 4.90 EUR = 51.97 CHF at 0.95: below CHF 62, import VAT not collected
    expect(doc.thresholds.find((t: { rule: string }) => t.rule === 'CH-VAT-SMALL-AMOUNT')).toMatchObject({ comparison: 'below', value: { amount: '51.97', currency: 'CHF' } });
  });

  it('a catalogue item without HS code blocks ship book <order> with exit 3 naming the SKU', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seedOrder(h, { country: 'US', postalCode: '62701', hs: null });
    const r = await run(['ship', 'book', '--yes', '#1042', '--cheapest'], { home: h, env: ENV });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('MUG-BLU-S');
    expect(sb.requests().filter((q) => q.api === 'easypost' && q.method === 'POST')).toEqual([]);
  });

  it('ship rates <order>, then ship book <order> --cheapest; both use one carrier shipment', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seedOrder(h, { country: 'US', postalCode: '62701' });
    const rates = await run(['ship', 'rates', '#1042'], { home: h, env: ENV });
    expect(rates.code, rates.stderr).toBe(0);
    expect(rates.stdout).toMatch(/^rate_\S+\t/m);
    const r = await run(['ship', 'book', '--yes', '#1042', '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ reference: 'O1--1042', state: 'purchased' });
    expect(labelsByReference(sb).get('O1--1042')).toBe(1);
    // One remote shipment for rates + book (the rates shipment is reused).
    expect(sb.requests().filter((q) => q.method === 'POST' && /\/v2\/shipments$/.test(q.path))).toHaveLength(1);
  });

  it('an order shipped in two parcels: each customs declaration lists its own parcel and a share of the shipping', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seedOrder(h, { country: 'CH', postalCode: '8001', qty: 3n });
    const customsOf = async (args: string[]) => {
      const r = await run(['ship', 'book', '#1042', ...args, '--dry-run', '--json'], { home: h, env: ENV });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).customs;
    };
    // 3 mugs at 24.90 EUR, 4.90 shipping: the first parcel carries one mug and a third of the shipping.
    const first = await customsOf(['--lines', 'MUG-BLU-S:1']);
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ sku: 'MUG-BLU-S', quantity: 1, unitValue: { amount: '24.90', currency: 'EUR' } });
    expect(first).toMatchObject({ value: { amount: '24.90', currency: 'EUR' }, shipping: { amount: '1.63', currency: 'EUR' } });
    const booked = await run(['ship', 'book', '--yes', '#1042', '--lines', 'MUG-BLU-S:1', '--cheapest', '--json'], { home: h, env: ENV });
    expect(booked.code, booked.stderr).toBe(0);
    expect(JSON.parse(booked.stdout).customs.items[0]).toMatchObject({ quantity: 1 });
    // The rest of the order is the second parcel: two mugs and the rest of the shipping (1.63 + 3.27 = 4.90).
    const second = await customsOf([]);
    expect(second.items[0]).toMatchObject({ sku: 'MUG-BLU-S', quantity: 2 });
    expect(second).toMatchObject({ value: { amount: '49.80', currency: 'EUR' }, shipping: { amount: '3.27', currency: 'EUR' } });
    // More than is left is refused before anything is bought.
    const over = await run(['ship', 'book', '--yes', '#1042', '--lines', 'MUG-BLU-S:3', '--cheapest'], { home: h, env: ENV });
    expect(over.code).toBe(3);
    expect(over.stderr).toMatch(/MUG-BLU-S: 3 asked, 2 left unshipped/);
    expect(labelsByReference(sb).size).toBe(1);
  });

  it('a different --parcel after quoting starts a new shipment; still one label', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seedOrder(h, { country: 'US', postalCode: '62701' });
    expect((await run(['ship', 'rates', '#1042', '--parcel', '200x150x100mm,0.9kg'], { home: h, env: ENV })).code).toBe(0);
    const noRate = await run(['ship', 'book', '--yes', '#1042'], { home: h, env: ENV });
    expect(noRate.code).toBe(2);
    const r = await run(['ship', 'book', '--yes', '#1042', '--parcel', '300x200x100mm,1.4kg', '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('changed since it was quoted');
    expect(JSON.parse(r.stdout).reference).toBe('O1--1042-2');
    const list = JSON.parse((await run(['ship', 'list', '--json'], { home: h, env: ENV })).stdout).items as Array<{ reference: string; state: string }>;
    expect(list.map((x) => [x.reference, x.state])).toEqual([['O1--1042-2', 'purchased'], ['O1--1042', 'voided']]);
    expect([...labelsByReference(sb).values()]).toEqual([1]);
  });

  it('a VAT-inclusive order declares the goods without VAT (intrinsic value)', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seedOrder(h, { country: 'GB', postalCode: 'SW1A 1AA', currency: 'GBP', price: 3000n, qty: 2n });
    const store = openStore(join(h, 'merchant.db'));
    store.db.prepare('UPDATE orders SET prices_include_tax = 1 WHERE id = 1').run();
    store.db.prepare('UPDATE order_lines SET tax_minor = 1000 WHERE order_id = 1').run(); // 20% VAT in 60.00
    store.close();
    const r = await run(['customs', 'check', '#1042', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.items[0]).toMatchObject({ unitValue: { amount: '25.00', currency: 'GBP' }, lineValue: { amount: '50.00', currency: 'GBP' } });
    // #17.3: an own-shop seller without a UK VAT number has not collected the VAT at sale: it is due at import
    expect(doc).toMatchObject({ to: 'GB', vatCollectedAtSale: false, requiredIds: [] });
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('VAT_AT_IMPORT');
    const registered = openStore(join(h, 'merchant.db'));
    registered.db.prepare("UPDATE business_profile SET uk_vat_number = 'GB123456789' WHERE id = 1").run();
    registered.close();
    const withVat = JSON.parse((await run(['customs', 'check', '#1042', '--json'], { home: h, env: ENV })).stdout);
    expect(withVat).toMatchObject({ to: 'GB', vatCollectedAtSale: true, requiredIds: ['UKVAT'] });
    const ddp = await run(['customs', 'check', '#1042', '--incoterm', 'DDP', '--service', 'courier', '--json'], { home: h, env: ENV });
    expect(JSON.parse(ddp.stdout)).toMatchObject({ incoterm: 'DDP', form: 'commercial-invoice', requiredIds: ['UKVAT'] });
    expect((await run(['customs', 'check', '#1042', '--incoterm', 'EXW'], { home: h, env: ENV })).code).toBe(2);
  });
});
