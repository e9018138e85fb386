// Customs for a marketplace order (#17 item 2): the order says who collected the VAT; when the
// marketplace did (eBay as deemed supplier of an imported consignment ≤ EUR 150, VAT Directive
// art. 14a(1)), its IOSS number — carried on the order by eBay's ebayCollectAndRemitTaxes — goes on the
// declaration and the seller's own IOSS number does not; the order itself stores who collected it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { run, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import { recordOrderTaxFacts } from '../../src/services/orders/tax-facts.js';
import { orderTaxPort } from '../../src/services/orders/import.js';

/** A seller in Shenzhen with its own IOSS number, an eBay order to Germany, the catalogue's HS code. */
function home(raw: unknown, channel = 'ebay-de'): string {
  const h = tempDir();
  const s = openStore(join(h, 'merchant.db'));
  const t = '2026-07-01T00:00:00Z';
  s.db.prepare(`INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, ioss_number, ship_from_json, created_at, updated_at)
    VALUES (1, 'Shenzhen Mugs Ltd', 'CN', 'EUR', 'Asia/Shanghai', 'IM1560000001', '{"country":"CN","postalCode":"518000","name":"Li","street1":"1 Road","city":"Shenzhen"}', ?, ?)`).run(t, t);
  s.db.prepare(`INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Stoneware mug', ?, ?)`).run(t, t);
  s.db.prepare(`INSERT INTO variants (id, product_id, sku, hs_code, origin_country, weight_grams, barcode, created_at, updated_at) VALUES (1, 1, 'MUG-1', '691200', 'CN', 400, '7350012345678', ?, ?)`).run(t, t);
  for (const [q, r] of Object.entries({ USD: '1.16', GBP: '0.86', CNY: '8.2', JPY: '180' })) {
    for (const d of ['2026-06-17', '2026-07-01']) s.db.prepare("INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('ecb', ?, 'EUR', ?, ?, ?)").run(d, q, r, t);
  }
  s.db.prepare(`INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, paid_at, currency, ship_to_json, ship_country, tax_minor, prices_include_tax, source, raw_json, created_at, updated_at)
    VALUES (1, ?, ?, '12-34567-89012', 'paid', '2026-07-01T08:00:00Z', '2026-07-01T08:01:00Z', 'EUR', '{"name":"Max","street1":"Hauptstr. 1","city":"Berlin","postalCode":"10115","country":"DE"}', 'DE', 479, 1, 'api', ?, ?, ?)`)
    .run(channel.split('-')[0], channel, JSON.stringify(raw), t, t);
  s.db.prepare(`INSERT INTO order_lines (order_id, external_line_id, sku, title, quantity, unit_price_minor, tax_minor) VALUES (1, 'L1', 'MUG-1', 'Stoneware mug', 1, 2999, 479)`).run();
  recordOrderTaxFacts(orderTaxPort(s), [1]);
  s.close();
  return h;
}

const EBAY_RAW = { orderId: '12-34567-89012', lineItems: [{ lineItemId: '1', ebayCollectAndRemitTaxes: [{ taxType: 'VAT', amount: { value: '4.79', currency: 'EUR' }, ebayReference: { name: 'IOSS', value: 'IM2760000999' } }] }] };

/** The text drawn on the PDF's pages: pdf-lib deflates the content streams and writes text as hex strings. */
function pdfText(path: string): string {
  const raw = readFileSync(path);
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = raw.indexOf('stream\n', at);
    if (start < 0) break;
    const end = raw.indexOf('\nendstream', start);
    let body = raw.subarray(start + 7, end);
    try {
      body = inflateSync(body);
    } catch {
      // not deflated (fonts, metadata)
    }
    out.push(...[...body.toString('latin1').matchAll(/<([0-9A-Fa-f]+)> Tj/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1')));
    at = end + 10;
  }
  return out.join('\n');
}

describe('customs for an eBay order: eBay collected the VAT', () => {
  it('the order stores it; check and declare put eBay\'s IOSS number on the declaration, not the seller\'s', async () => {
    const h = home(EBAY_RAW);
    const s = openStore(join(h, 'merchant.db'));
    expect(s.db.prepare('SELECT vat_collector, vat_scheme, vat_country, vat_rule FROM orders').get()).toEqual({ vat_collector: 'marketplace', vat_scheme: 'marketplace', vat_country: 'DE', vat_rule: 'EU-DEEMED-SUPPLIER-IMPORT' });
    s.close();
    const c = await run(['customs', 'check', '12-34567-89012', '--date', '2026-07-02', '--json'], { home: h });
    expect(c.code, c.stderr).toBe(0);
    const doc = JSON.parse(c.stdout);
    // intrinsic value 29.99 − 4.79 VAT = 25.20 ≤ 150
    expect(doc).toMatchObject({ vatCollectedAtSale: true, vatCollector: 'marketplace', requiredIds: [], declarationIds: [{ id: 'IOSS', holder: 'marketplace', number: 'IM2760000999' }] });
    expect(c.stdout).not.toContain('IM1560000001');
    const out = join(h, 'cn22.pdf');
    const d = await run(['customs', 'declare', '12-34567-89012', '--date', '2026-07-02', '--output', out], { home: h });
    expect(d.code, d.stderr).toBe(0);
    const text = pdfText(out);
    expect(text).toContain('IOSS (marketplace, deemed supplier): IM2760000999');
    expect(text).not.toContain('IM1560000001');
  });
  it('an order through the seller\'s own shop carries the seller\'s IOSS', async () => {
    const h = home({}, 'shopify');
    const c = JSON.parse((await run(['customs', 'check', '12-34567-89012', '--date', '2026-07-02', '--json'], { home: h })).stdout);
    expect(c).toMatchObject({ vatCollector: 'seller', requiredIds: ['IOSS'], declarationIds: [{ id: 'IOSS', holder: 'seller', number: 'IM1560000001' }] });
  });
  it('an Amazon order (no number on the order): warned where to find Amazon\'s number; the seller\'s is not used', async () => {
    const h = home({}, 'amazon-de');
    const r = await run(['customs', 'check', '12-34567-89012', '--date', '2026-07-02', '--json'], { home: h });
    const c = JSON.parse(r.stdout);
    expect(c.declarationIds).toEqual([{ id: 'IOSS', holder: 'marketplace', number: null }]);
    expect(c.warnings.map((w: { code: string }) => w.code)).toContain('MARKETPLACE_ID');
    expect(r.stdout).not.toContain('IM1560000001');
  });
});
