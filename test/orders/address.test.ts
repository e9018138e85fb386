// Issue #21 "every order can be shipped": one ship-to shape for every marketplace and every order
// file, the migration that rewrites stored addresses, and `ship book` for each source.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { normaliseAddress } from '../../src/core/address.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/db.js';
import { tempDir } from '../helpers/run.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/credentials.js';
import { shipWorld } from './helpers.js';

describe('normaliseAddress', () => {
  it('reads eBay, Amazon and Shopify ship-to shapes into one', () => {
    const ebay = normaliseAddress({ fullName: 'Isla Brown', contactAddress: { addressLine1: '33 Queen Street', addressLine2: 'Flat 2', city: 'Edinburgh', stateOrProvince: 'Midlothian', postalCode: 'EH2 1JX', countryCode: 'gb' }, primaryPhone: { phoneNumber: '+441315550000' }, email: 'isla@example.co.uk' });
    expect(ebay).toEqual({ name: 'Isla Brown', company: null, street1: '33 Queen Street', street2: 'Flat 2', city: 'Edinburgh', state: 'Midlothian', postalCode: 'EH2 1JX', country: 'GB', phone: '+441315550000', email: 'isla@example.co.uk' });
    const amazon = normaliseAddress({ name: 'Anna Fischer', companyName: 'Fischer GmbH', addressLine1: 'Hauptstraße 3', addressLine2: 'Hinterhaus', addressLine3: '2. OG', city: 'Freiburg', stateOrRegion: 'BW', postalCode: '79098', countryCode: 'DE', phone: '+49761000' }, { email: 'a@example.de' });
    expect(amazon).toMatchObject({ name: 'Anna Fischer', company: 'Fischer GmbH', street1: 'Hauptstraße 3', street2: 'Hinterhaus, 2. OG', city: 'Freiburg', state: 'BW', postalCode: '79098', country: 'DE', email: 'a@example.de' });
    const shopify = normaliseAddress({ name: null, firstName: 'Mia', lastName: 'Johnson', company: null, address1: '120 Pine Street', address2: null, city: 'Portland', province: 'Oregon', provinceCode: 'OR', zip: '97204', country: 'United States', countryCodeV2: 'US', phone: null });
    expect(shopify).toMatchObject({ name: 'Mia Johnson', street1: '120 Pine Street', city: 'Portland', state: 'OR', postalCode: '97204', country: 'US' });
    // Normalising the stored shape again changes nothing.
    expect(normaliseAddress(ebay)).toEqual(ebay);
    expect(normaliseAddress(null, { name: 'X', country: 'fr' })).toMatchObject({ name: 'X', country: 'FR', street1: null });
  });
});

describe('migration 200 rewrites stored ship-to addresses', () => {
  it('from a database at the previous version, with nothing lost', () => {
    const h = tempDir();
    const file = join(h, 'merchant.db');
    const db = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version < 200)) db.exec(m.sql);
    db.pragma(`user_version = ${Math.max(...MIGRATIONS.filter((x) => x.version < 200).map((x) => x.version))}`);
    const ins = db.prepare(
      `INSERT INTO orders (marketplace, channel, external_id, status, ordered_at, currency, buyer_name, buyer_email, ship_to_json, ship_country, source, raw_json, created_at, updated_at)
       VALUES (?, ?, ?, 'unshipped', '2026-11-01T10:00:00Z', 'EUR', ?, ?, ?, ?, ?, '{"kept":true}', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z')`,
    );
    ins.run('ebay', 'ebay-uk', 'E1', 'Isla Brown', null, JSON.stringify({ fullName: 'Isla Brown', contactAddress: { addressLine1: '33 Queen Street', city: 'Edinburgh', postalCode: 'EH2 1JX', countryCode: 'GB' }, primaryPhone: { phoneNumber: '+44131' }, email: 'isla@example.co.uk' }), 'GB', 'api');
    ins.run('amazon', 'amazon-de', 'A1', 'Anna', 'anna@example.de', JSON.stringify({ name: 'Anna Fischer', addressLine1: 'Hauptstraße 3', addressLine2: 'Hof', addressLine3: '2. OG', city: 'Freiburg', postalCode: '79098', countryCode: 'DE', addressType: 'RESIDENTIAL' }), 'DE', 'api');
    ins.run('shopify', 'shopify', 'S1', 'Mia J', 'mia@example.com', JSON.stringify({ name: 'Mia Johnson', firstName: 'Mia', lastName: 'Johnson', address1: '120 Pine Street', city: 'Portland', provinceCode: 'OR', zip: '97204', countryCodeV2: 'US', phone: '+1503' }), 'US', 'api');
    ins.run('shopify', 'shopify', 'F1', 'Max Mustermann', 'max@example.de', null, 'DE', 'file:shopify');
    ins.run('shopify', 'shopify', 'BAD', null, null, '{not json', null, 'api');
    db.close();

    const store = openStore(file);
    const rows = store.db.prepare('SELECT external_id, ship_to_json, raw_json FROM orders ORDER BY id').all() as Array<{ external_id: string; ship_to_json: string | null; raw_json: string }>;
    store.close();
    const by = Object.fromEntries(rows.map((r) => [r.external_id, r.ship_to_json && r.ship_to_json.startsWith('{"') ? JSON.parse(r.ship_to_json) : r.ship_to_json]));
    expect(by.E1).toEqual({ name: 'Isla Brown', company: null, street1: '33 Queen Street', street2: null, city: 'Edinburgh', state: null, postalCode: 'EH2 1JX', country: 'GB', phone: '+44131', email: 'isla@example.co.uk' });
    expect(by.A1).toEqual({ name: 'Anna Fischer', company: null, street1: 'Hauptstraße 3', street2: 'Hof, 2. OG', city: 'Freiburg', state: null, postalCode: '79098', country: 'DE', phone: null, email: 'anna@example.de' });
    expect(by.S1).toEqual({ name: 'Mia Johnson', company: null, street1: '120 Pine Street', street2: null, city: 'Portland', state: 'OR', postalCode: '97204', country: 'US', phone: '+1503', email: 'mia@example.com' });
    expect(by.F1).toMatchObject({ name: 'Max Mustermann', street1: null, country: 'DE', email: 'max@example.de' });
    expect(by.BAD).toBe('{not json');
    expect(rows.every((r) => r.raw_json === '{"kept":true}')).toBe(true);
    // And what the migration wrote reads back the same through the normaliser.
    for (const id of ['E1', 'A1', 'S1']) expect(normaliseAddress(by[id])).toEqual(by[id]);
  });
});

const easypostTo = (w: { sb: { requests(): Array<{ api: string; method: string; path: string; body: string }> } }) =>
  w.sb
    .requests()
    .filter((q) => q.api === 'easypost' && q.method === 'POST' && /\/v2\/shipments$/.test(q.path))
    .map((q) => ((JSON.parse(q.body) as { shipment?: { to_address?: Record<string, unknown> } }).shipment?.to_address ?? {}));

describe('ship book for an order of every marketplace', () => {
  it('Amazon, eBay and Shopify orders pulled by sync reach the carrier with street, city and postal code', async () => {
    const w = await shipWorld(['amazon', 'ebay', 'shopify']);
    const s = await w.cli(['sync', '--only', 'orders', '--yes']);
    expect(s.code, s.stderr).toBe(0);
    // Stored in the one shape, whatever the API sent.
    const store = openStore(join(w.home, 'merchant.db'));
    const stored = (id: string) => JSON.parse((store.db.prepare('SELECT ship_to_json FROM orders WHERE external_id = ?').get(id) as { ship_to_json: string }).ship_to_json);
    expect(stored('12-11111-00002')).toEqual({ name: 'Isla Brown', company: null, street1: '33 Queen Street', street2: null, city: 'Edinburgh', state: null, postalCode: 'EH2 1JX', country: 'GB', phone: null, email: null });
    expect(stored('302-1234567-1000002')).toMatchObject({ name: 'Anna Fischer', street1: 'Hauptstraße 3', postalCode: '79098', country: 'DE' });
    expect(stored('5600000002')).toMatchObject({ name: 'Mia Johnson', street1: '120 Pine Street', postalCode: '97204', country: 'US' });
    store.close();
    for (const [order, street, city, zip, country] of [
      ['302-1234567-1000002', 'Hauptstraße 3', 'Freiburg', '79098', 'DE'],
      ['12-11111-00002', '33 Queen Street', 'Edinburgh', 'EH2 1JX', 'GB'],
      ['5600000002', '120 Pine Street', 'Portland', '97204', 'US'], // Shopify #1002
    ]) {
      const r = await w.cli(['ship', 'book', order!, '--cheapest', '--yes', '--json']);
      expect(r.code, `${order}: ${r.stderr}`).toBeLessThan(5)
      expect(JSON.parse(r.stdout), `${order}: ${r.stdout}`).toMatchObject({ state: 'purchased' });
      const to = easypostTo(w).at(-1)!;
      expect(to).toMatchObject({ street1: street, city, zip, country });
    }
  });
});

const SHOPIFY_HEAD = 'Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Cancelled at,Refunded Amount,Id,Lineitem discount';
const SHOPIFY_ROW = '#2001,kai@example.com,paid,2026-11-20 10:00:00 +0100,unfulfilled,EUR,31.80,4.90,0.00,36.70,0.00,2026-11-20 10:00:00 +0100,2,Stoneware mug,15.90,MUG-BLU-S,Kai Nord,Kai Nord,Kirkegata 1,Kirkegata 1,3. etasje,,Oslo,0153,,NO,+4722000000,,0.00,7000000001,0.00';
// The All Orders layout with the address columns a seller with address access gets (recipient-name, ship-address-1 …).
const AMAZON_HEAD = ['order-id', 'order-item-id', 'purchase-date', 'payments-date', 'buyer-email', 'buyer-name', 'sku', 'product-name', 'quantity', 'currency', 'item-price', 'item-tax', 'shipping-price', 'shipping-tax', 'ship-service-level', 'recipient-name', 'ship-address-1', 'ship-address-2', 'ship-address-3', 'ship-city', 'ship-state', 'ship-postal-code', 'ship-country', 'ship-phone-number', 'sales-channel', 'amazon-order-id', 'order-status', 'last-updated-date', 'item-promotion-discount', 'ship-promotion-discount', 'gift-wrap-price', 'gift-wrap-tax'];

describe('ship book for an order from every order-file format', () => {
  it('Shopify export, Amazon report with addresses and eBay orders report carry the street to the carrier', async () => {
    const w = await shipWorld([]);
    const dir = w.home;
    writeFileSync(join(dir, 'shopify.csv'), `${SHOPIFY_HEAD}\n${SHOPIFY_ROW}\n`);
    const amazonRow: Record<string, string> = {
      'amazon-order-id': '028-1111111-2222222', 'order-id': '028-1111111-2222222', 'order-item-id': '11', 'purchase-date': '2026-11-20T09:00:00+00:00', 'last-updated-date': '2026-11-20T09:00:00+00:00', 'payments-date': '',
      'buyer-email': 'x@marketplace.amazon.co.uk', 'buyer-name': 'Tom', sku: 'MUG-BLU-S', 'product-name': 'Mug', quantity: '1', currency: 'GBP', 'item-price': '14.99', 'item-tax': '2.50',
      'shipping-price': '0.00', 'shipping-tax': '0.00', 'ship-service-level': 'Standard', 'recipient-name': 'Tom Baker', 'ship-address-1': '4 High Street', 'ship-address-2': '', 'ship-address-3': '', 'ship-city': 'Bath',
      'ship-state': 'Somerset', 'ship-postal-code': 'BA1 1AA', 'ship-country': 'GB', 'ship-phone-number': '+441225000000', 'sales-channel': 'Amazon.co.uk', 'item-status': 'Unshipped', 'order-status': 'Unshipped',
      'item-promotion-discount': '0.00', 'ship-promotion-discount': '0.00', 'gift-wrap-price': '', 'gift-wrap-tax': '',
    };
    writeFileSync(join(dir, 'amazon.txt'), `${AMAZON_HEAD.join('\t')}\n${AMAZON_HEAD.map((k) => amazonRow[k] ?? '').join('\t')}\n`);
    // eBay's Orders report with the street filled in (the fixture's rows have city and postcode only).
    const ebayText = readFileSync('fixtures/orders/ebay-orders-report-uk.csv', 'utf8').replace('"Oliver Smith","","","","Bristol"', '"Oliver Smith","+447700900000","12 Harbourside","Flat 3","Bristol"');
    writeFileSync(join(dir, 'ebay.csv'), ebayText);
    const imp = await w.cli(['orders', 'import', join(dir, 'shopify.csv'), join(dir, 'amazon.txt'), join(dir, 'ebay.csv'), '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    const store = openStore(join(w.home, 'merchant.db'));
    const ebayTo = JSON.parse((store.db.prepare("SELECT ship_to_json FROM orders WHERE external_id = '12-10001-00001'").get() as { ship_to_json: string }).ship_to_json);
    store.close();
    expect(ebayTo).toEqual({ name: 'Oliver Smith', company: null, street1: '12 Harbourside', street2: 'Flat 3', city: 'Bristol', state: null, postalCode: 'BS1 4DJ', country: 'GB', phone: '+447700900000', email: 'oliver@example.co.uk' });
    for (const [order, street, city] of [
      ['7000000001', 'Kirkegata 1', 'Oslo'],
      ['028-1111111-2222222', '4 High Street', 'Bath'],
      ['12-10001-00001', '12 Harbourside', 'Bristol'],
    ]) {
      const r = await w.cli(['ship', 'book', order!, '--cheapest', '--yes', '--json', '--parcel', '200x150x100mm,0.9kg']);
      expect(r.code, `${order}: ${r.stderr}`).toBeLessThan(5)
      expect(easypostTo(w).at(-1)).toMatchObject({ street1: street, city });
    }
  });

  it('an order whose file had no street (Amazon All Orders report) is refused before the carrier is asked, naming what is missing', async () => {
    const w = await shipWorld([]);
    const imp = await w.cli(['orders', 'import', 'fixtures/orders/amazon-all-orders.txt']);
    expect(imp.code, imp.stderr).toBe(0);
    const r = await w.cli(['ship', 'book', '302-1111111-1000001', '--cheapest', '--yes', '--parcel', '0.9kg']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/address has no .*street1/);
    expect(r.stderr).toMatch(/merchant sync --only orders/);
    expect(easypostTo(w)).toEqual([]);
  });

  it('the EasyPost sandbox itself refuses an address without street and city (422 Unable to verify address)', async () => {
    const w = await shipWorld([]);
    const res = await fetch(`${w.sb.url}/easypost/v2/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.easypost.apiKey}:`).toString('base64')}` },
      body: JSON.stringify({ shipment: { to_address: { name: 'Isla Brown', country: 'GB' }, from_address: { name: 'A', street1: 'Storgatan 1', city: 'Stockholm', zip: '11122', country: 'SE' }, parcel: { weight: 10 } } }),
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toMatch(/Unable to verify address/);
  });
});
