// Ship from the order's stock location: `ship book` and `customs check/declare` use the address and
// country of the warehouse or 3PL the order is reserved or assigned at, not the profile's ship-from.
// A UK seller's German 3PL sending to a French buyer is intra-EU (no customs); the same parcel from the
// London home warehouse needs a customs declaration. A location without an address is refused before the
// carrier. The parcel's units leave the 3PL's stock, not the home warehouse's.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { openStore } from '../../src/store/db.js';
import { run } from '../helpers/run.js';
import { ENV, home, useSandbox } from './helpers.js';

const sandbox = useSandbox();
const T = '2026-07-01T10:00:00Z';

/** A UK business (ship-from London), a catalogue SKU tracked at home (5) and an order of 2 to `country`. */
function seed(h: string, to: { country: string; city: string; zip: string }): void {
  const store = openStore(join(h, 'merchant.db'));
  const db = store.db;
  db.prepare(
    `INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, eori, ioss_number, ship_from_json, created_at, updated_at)
     VALUES (1, 'Thames Pottery Ltd', 'GB', 'GBP', 'Europe/London', 'GB123456789000', 'IM8260000123', ?, ?, ?)`,
  ).run(JSON.stringify({ name: 'Tom Baker', street1: '1 Mill Lane', city: 'London', postalCode: 'E1 6AN', country: 'GB', phone: '+442071234567', email: 'tom@example.co.uk' }), T, T);
  db.prepare("UPDATE stock_locations SET country = 'GB' WHERE is_home = 1").run();
  db.prepare("INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Stoneware mug', ?, ?)").run(T, T);
  db.prepare(
    "INSERT INTO variants (id, product_id, sku, title, weight_grams, length_mm, width_mm, height_mm, hs_code, origin_country, cost_minor, cost_currency, created_at, updated_at) VALUES (1, 1, 'MUG-BLU-S', 'Blue, small', 420, 120, 120, 110, '691200', 'GB', 600, 'GBP', ?, ?)",
  ).run(T, T);
  db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (1, 5, 0, ?)`).run(T);
  db.prepare(
    `INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, currency, buyer_name, ship_to_json, ship_country, shipping_minor, source, created_at, updated_at)
     VALUES (1, 'shopify', 'shopify', '#1042', 'paid', ?, 'EUR', 'Marie Curie', ?, ?, 490, 'api', ?, ?)`,
  ).run(T, JSON.stringify({ name: 'Marie Curie', address1: '5 rue de Rivoli', city: to.city, zip: to.zip, country: to.country, phone: '+33142345678' }), to.country, T, T);
  db.prepare("INSERT INTO order_lines (order_id, external_line_id, sku, title, quantity, unit_price_minor) VALUES (1, 'L1', 'MUG-BLU-S', 'Mug', 2, 2490)").run();
  store.close();
}

/** The 3PL with 10 on hand and the order's 2 units reserved there (as the order pull does). */
async function at3pl(h: string, address = true): Promise<void> {
  const add = ['stock', 'locations', 'add', 'de-3pl', '--kind', '3pl', '--country', 'DE', '--name', 'Fulfillment Leipzig'];
  if (address) add.push('--street', 'Am Exer 12', '--postal-code', '04158', '--city', 'Leipzig');
  for (const a of [add, ['stock', 'set', 'MUG-BLU-S', '10', '--location', 'de-3pl'], ['orders', 'assign', '#1042', '--location', 'de-3pl']]) {
    const r = await run(a, { home: h, env: ENV });
    expect(r.code, `${a.join(' ')}\n${r.stderr}`).toBe(0);
  }
  const s = openStore(join(h, 'merchant.db'));
  s.db.prepare(`INSERT INTO order_stock_effects (order_id, sku, reserved, deducted, location_id) VALUES (1, 'MUG-BLU-S', 2, 0, (SELECT id FROM stock_locations WHERE code = 'de-3pl'))`).run();
  s.db.prepare(`UPDATE stock_levels SET reserved = 2 WHERE location_id = (SELECT id FROM stock_locations WHERE code = 'de-3pl')`).run();
  s.close();
}

/** The text drawn in a PDF: every content stream inflated, hex strings <…> decoded. */
function pdfText(pdf: Buffer): string {
  let out = '';
  const raw = pdf.toString('latin1');
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf('endstream', start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      body = raw.slice(start, end);
    }
    out += body.replace(/<([0-9A-Fa-f]+)>/g, (_x, hex: string) => Buffer.from(hex, 'hex').toString('latin1'));
  }
  return out;
}

function levels(h: string): Record<string, [number, number]> {
  const s = openStore(join(h, 'merchant.db'));
  const rows = s.db.prepare('SELECT l.code, s.on_hand, s.reserved FROM stock_levels s JOIN stock_locations l ON l.id = s.location_id ORDER BY l.code').all() as Array<{ code: string; on_hand: bigint; reserved: bigint }>;
  s.close();
  return Object.fromEntries(rows.map((r) => [r.code, [Number(r.on_hand), Number(r.reserved)]]));
}

describe('ship from the order\'s stock location', () => {
  it('customs check: the German 3PL → France is intra-EU (no form); from the London home warehouse it is an export', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seed(h, { country: 'FR', city: 'Paris', zip: '75001' });
    const before = await run(['customs', 'check', '#1042', '--json'], { home: h, env: ENV });
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ from: 'GB', to: 'FR' });
    expect(JSON.parse(before.stdout).form).not.toBe('none');
    await at3pl(h);
    const r = await run(['customs', 'check', '#1042', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ from: 'DE', to: 'FR', form: 'none' });
  });

  it('ship book: the label is bought with the 3PL as sender, no customs form, and the units leave the 3PL', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seed(h, { country: 'FR', city: 'Paris', zip: '75001' });
    await at3pl(h);
    expect(levels(h)).toEqual({ 'de-3pl': [10, 2], home: [5, 0] });
    const r = await run(['ship', 'book', '--yes', '#1042', '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.state).toBe('purchased');
    expect(doc.customs ?? null).toBeNull();
    const create = sb.requests().find((q) => q.api === 'easypost' && q.method === 'POST' && /\/v2\/shipments$/.test(q.path))!;
    const body = JSON.parse(create.body);
    expect(body.shipment.from_address).toMatchObject({ street1: 'Am Exer 12', city: 'Leipzig', zip: '04158', country: 'DE', company: 'Thames Pottery Ltd' });
    expect(body.shipment.customs_info ?? null).toBeNull();
    const docs = join(h, 'documents');
    expect(existsSync(docs) ? readdirSync(docs) : []).toEqual([]);
    // The parcel took its 2 units out of the 3PL's stock (an 'order' movement there); home is untouched.
    expect(levels(h)).toEqual({ 'de-3pl': [8, 0], home: [5, 0] });
    const s = openStore(join(h, 'merchant.db'));
    const mv = s.db.prepare(`SELECT l.code, m.delta, m.kind, m.order_id FROM stock_movements m JOIN stock_locations l ON l.id = m.location_id WHERE m.kind = 'order'`).all() as Array<Record<string, unknown>>;
    s.close();
    expect(mv.map((m) => [m.code, Number(m.delta), Number(m.order_id)])).toEqual([['de-3pl', -2, 1]]);
  });

  it('from the 3PL to Switzerland: customs from DE, and the declaration names the 3PL as sender', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seed(h, { country: 'CH', city: 'Zürich', zip: '8001' });
    await at3pl(h);
    const r = await run(['ship', 'book', '--yes', '#1042', '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const create = sb.requests().find((q) => q.api === 'easypost' && q.method === 'POST' && /\/v2\/shipments$/.test(q.path))!;
    const body = JSON.parse(create.body);
    expect(body.shipment.from_address.country).toBe('DE');
    expect(body.shipment.customs_info).toBeTruthy();
    const check = await run(['customs', 'check', '#1042', '--json'], { home: h, env: ENV });
    expect(JSON.parse(check.stdout)).toMatchObject({ from: 'DE', to: 'CH' });
    // The declaration PDF's sender block is the 3PL's address (text drawn as hex strings in deflated streams).
    const s = openStore(join(h, 'merchant.db'));
    const paths = (s.db.prepare('SELECT document_path FROM customs_declarations').all() as Array<{ document_path: string }>).map((x) => x.document_path);
    s.close();
    expect(paths).toHaveLength(1);
    const text = pdfText(readFileSync(paths[0]!));
    expect(text).toContain('Am Exer 12');
    expect(text).not.toContain('1 Mill Lane');
    // customs declare <order> writes the same sender.
    const out = join(h, 'declared.pdf');
    const d = await run(['customs', 'declare', '#1042', '--output', out], { home: h, env: ENV });
    expect(d.code, d.stderr).toBe(0);
    const declared = pdfText(readFileSync(out));
    expect(declared).toContain('Am Exer 12');
    expect(declared).not.toContain('1 Mill Lane');
  });

  it('a location without an address is refused before the carrier (exit 7) with the command that fixes it', async () => {
    const sb = sandbox();
    const { home: h } = await home(sb);
    seed(h, { country: 'FR', city: 'Paris', zip: '75001' });
    await at3pl(h, false);
    const snapshot = JSON.stringify(levels(h));
    // orders assign already warned (the assignment itself is allowed: the address can come later).
    const again = await run(['orders', 'assign', '#1042', '--location', 'de-3pl'], { home: h, env: ENV });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/de-3pl has no address yet: `merchant ship book` refuses/);
    const r = await run(['ship', 'book', '--yes', '#1042', '--cheapest'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(/ships from stock location de-3pl \(Fulfillment Leipzig\), which has no street1, city, postalCode/);
    expect(r.stderr).toMatch(/merchant stock locations edit de-3pl --street … --city … --postal-code …/);
    expect(sb.requests().filter((q) => q.api === 'easypost' && q.method === 'POST')).toEqual([]);
    expect(JSON.stringify(levels(h))).toBe(snapshot);
    expect((await run(['customs', 'check', '#1042'], { home: h, env: ENV })).code).toBe(7);
    // The fix the message names works.
    const fix = await run(['stock', 'locations', 'edit', 'de-3pl', '--street', 'Am Exer 12', '--city', 'Leipzig', '--postal-code', '04158'], { home: h, env: ENV });
    expect(fix.code, fix.stderr).toBe(0);
    expect((await run(['ship', 'book', '--yes', '#1042', '--cheapest'], { home: h, env: ENV })).code).toBe(0);
  });
});
