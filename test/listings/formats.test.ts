// Every format and generation: detected from its header, imported into the right tables.
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';
import { fx, query, count, pendingWork, DEMO } from './helpers.js';
import { join } from 'node:path';

type V = { sku: string; handle: string; title: string | null; price_minor: bigint | null; currency: string | null; weight_grams: bigint | null; barcode: string | null; options_json: string | null; cost_minor: bigint | null; hs_code: string | null };
const variants = (home: string) =>
  query<V & { product_title: string; on_hand: bigint | null }>(
    home,
    `SELECT v.*, p.handle, p.title AS product_title, i.on_hand FROM variants v JOIN products p ON p.id = v.product_id LEFT JOIN inventory i ON i.variant_id = v.id ORDER BY v.sku`,
  );
const listings = (home: string) => query<{ sku: string; channel: string; price_minor: bigint | null; currency: string; quantity: bigint | null; status: string }>(home, 'SELECT v.sku, c.* FROM channel_listings c JOIN variants v ON v.id = c.variant_id ORDER BY v.sku, c.channel');

describe('listings import: formats', () => {
  it('Shopify legacy: handle rows + variant and image continuation rows, multi-line quoted body, Default Title', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('shopify-legacy.csv'), '--currency', 'EUR'], { home });
    expect(r.stderr).toContain('shopify (legacy)');
    expect(r.code).toBe(0);
    const v = variants(home);
    expect(v.map((x) => x.sku)).toEqual(['CANDLE-1', 'TT-NAT', 'TT-STR']);
    const tt = v.find((x) => x.sku === 'TT-STR')!;
    expect(tt.handle).toBe('tea-towel');
    expect(tt.product_title).toBe('Linen tea towel');
    expect(tt.price_minor).toBe(1590n);
    expect(tt.currency).toBe('EUR');
    expect(tt.options_json).toBe(JSON.stringify([['Colour', 'Striped']]));
    expect(tt.on_hand).toBeNull(); // blank quantity is not 0
    expect(v.find((x) => x.sku === 'CANDLE-1')!.on_hand).toBe(0n);
    expect(v.find((x) => x.sku === 'CANDLE-1')!.options_json).toBeNull();
    const desc = query<{ description: string; status: string }>(home, `SELECT description, status FROM products WHERE handle = 'tea-towel'`)[0]!;
    expect(desc.description).toBe('<p>Stonewashed linen.</p>\n<p>50 × 70 cm, "oversized".</p>');
    expect(query<{ status: string }>(home, `SELECT status FROM products WHERE handle = 'candle'`)[0]!.status).toBe('draft');
    expect(listings(home).map((l) => `${l.sku}:${l.channel}:${l.price_minor}`)).toEqual(['CANDLE-1:shopify:1290', 'TT-NAT:shopify:1590', 'TT-STR:shopify:1590']);
    expect(pendingWork(home)).toHaveLength(3); // one new listing each, queued for sync
  });

  it('Shopify 2024 headers, CRLF line ends and trailing empty columns', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('shopify-2024.csv'), '--currency', 'EUR', '--json'], { home });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0]).toMatchObject({ format: 'shopify', generation: '2024', channel: 'shopify' });
    expect(doc.created).toBe(2);
    const v = variants(home);
    expect(v.map((x) => [x.sku, x.handle, x.weight_grams, x.cost_minor])).toEqual([
      ['MUG-BLU', 'stoneware-mug', 380n, 620n],
      ['MUG-GRN', 'stoneware-mug', 380n, 620n],
    ]);
    expect(query<{ compare_at_minor: bigint }>(home, `SELECT compare_at_minor FROM variants WHERE sku = 'MUG-GRN'`)[0]!.compare_at_minor).toBe(2990n);
  });

  it('Amazon fptcustom flat file: three header rows, parent/child, price in the channel currency (demo file)', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', join(DEMO, 'amazon-flatfile.txt')], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('amazon (flatfile)');
    const v = variants(home);
    expect(v).toHaveLength(6);
    const mug = v.find((x) => x.sku === 'MUG-BLU-S')!;
    expect(mug.handle).toBe('MUG-PARENT');
    expect(mug.product_title).toBe('Lindqvist Keramik Stoneware Mug, Hand-Thrown, 350 ml');
    expect(mug.options_json).toBe(JSON.stringify([['Colour', 'Blue'], ['Size', 'Small']]));
    expect(mug.barcode).toBe('7350053850019');
    expect(mug.on_hand).toBe(20n); // a marketplace file that creates a SKU gives it its stock
    const l = listings(home).find((x) => x.sku === 'MUG-BLU-S')!;
    expect(l).toMatchObject({ channel: 'amazon-uk', price_minor: 2299n, currency: 'GBP', quantity: 20n, status: 'active' });
  });

  it('Amazon settings= workbook: attribute row from settings, example row skipped, marketplace from primaryMarketplaceId', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('amazon-workbook.txt')], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('amazon (workbook)');
    expect(r.stderr).toContain('channel amazon-de');
    expect(variants(home).map((x) => [x.sku, x.product_title])).toEqual([
      ['MUG-BLU', 'Steinzeugbecher, blau'],
      ['MUG-GRN', 'Steinzeugbecher, grün'],
    ]);
    expect(listings(home).map((l) => [l.sku, l.channel, l.price_minor, l.currency, l.quantity])).toEqual([
      ['MUG-BLU', 'amazon-de', 2690n, 'EUR', 15n],
      ['MUG-GRN', 'amazon-de', 2690n, 'EUR', 8n],
    ]);
  });

  it('Amazon price & quantity file updates existing SKUs; blank quantity keeps the stored one', async () => {
    const home = tempDir();
    expect((await run(['listings', 'import', fx('shopify-2024.csv'), '--currency', 'EUR'], { home })).code).toBe(0);
    const r = await run(['listings', 'import', fx('amazon-price-inventory.txt'), '--json'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 0, updated: 2 });
    const l = listings(home).filter((x) => x.channel === 'amazon-uk');
    expect(l.map((x) => [x.sku, x.price_minor, x.quantity])).toEqual([
      ['MUG-BLU', 2199n, 18n],
      ['MUG-GRN', 2199n, null],
    ]);
    // Shopify's own price and stock are untouched by an Amazon file.
    expect(variants(home).map((x) => [x.sku, x.price_minor, x.currency, x.on_hand])).toEqual([
      ['MUG-BLU', 2490n, 'EUR', 40n],
      ['MUG-GRN', 2490n, 'EUR', 12n],
    ]);
  });

  it('eBay File Exchange: *Action(SiteID=UK) header, variation parent and children, simple listing', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('ebay-file-exchange.csv')], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('channel ebay-uk');
    const v = variants(home);
    expect(v.map((x) => [x.sku, x.handle, x.product_title, x.options_json])).toEqual([
      ['BOWL-1', 'BOWL-1', 'Ceramic bowl', null],
      ['MUG-BLU', 'MUG', 'Stoneware mug, hand-thrown', JSON.stringify([['Colour', 'Blue']])],
      ['MUG-GRN', 'MUG', 'Stoneware mug, hand-thrown', JSON.stringify([['Colour', 'Green']])],
    ]);
    expect(listings(home).map((l) => [l.sku, l.channel, l.price_minor, l.currency, l.quantity])).toEqual([
      ['BOWL-1', 'ebay-uk', 2450n, 'GBP', 5n],
      ['MUG-BLU', 'ebay-uk', 1999n, 'GBP', 10n],
      ['MUG-GRN', 'ebay-uk', 1999n, 'GBP', 7n],
    ]);
  });

  it('eBay Seller Hub headers (Custom label (SKU), Start price) with the US site', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('ebay-seller-hub.csv'), '--json'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ format: 'ebay', generation: 'seller-hub', channel: 'ebay-us' });
    expect(listings(home).map((l) => [l.sku, l.price_minor, l.currency])).toEqual([
      ['CANDLE-1', 1500n, 'USD'],
      ['MUG-BLU', 2700n, 'USD'],
    ]);
  });

  it('WooCommerce: simple, variable parent, variations by Parent SKU and id:N, kg → grams, first image', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('woocommerce.csv'), '--currency', 'EUR'], { home });
    expect(r.code).toBe(0);
    const v = variants(home);
    expect(v.map((x) => [x.sku, x.handle, x.product_title, x.weight_grams, x.price_minor])).toEqual([
      ['CANDLE-1', 'CANDLE-1', 'Beeswax candle', 310n, 1290n],
      ['MUG-BLU', 'MUG', 'Stoneware mug', 380n, 2490n],
      ['MUG-GRN', 'MUG', 'Stoneware mug', 380n, 2490n],
    ]);
    expect(query<{ options_json: string }>(home, `SELECT options_json FROM variants WHERE sku = 'MUG-GRN'`)[0]!.options_json).toBe(JSON.stringify([['Colour', 'Green']]));
    expect(query<{ image_url: string; length_mm: bigint }>(home, `SELECT image_url, length_mm FROM variants WHERE sku = 'CANDLE-1'`)[0]).toEqual({
      image_url: 'https://cdn.example.com/c1.jpg',
      length_mm: 80n,
    });
    expect(count(home, 'channel_listings')).toBe(0); // WooCommerce is a source, not a channel merchant syncs
  });

  it('merchant template: options, landed cost, dimensions, HS code with dots, channels column, JPY', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('merchant.csv')], { home });
    expect(r.code).toBe(0);
    const mug = query<Record<string, unknown>>(home, `SELECT * FROM variants WHERE sku = 'MUG-BLU'`)[0]!;
    expect(mug).toMatchObject({ price_minor: 2490n, currency: 'EUR', cost_minor: 620n, landed_cost_minor: 110n, hs_code: '691200', origin_country: 'SE', length_mm: 100n });
    expect(query<Record<string, unknown>>(home, `SELECT price_minor, currency FROM variants WHERE sku = 'YEN-1'`)[0]).toEqual({ price_minor: 1200n, currency: 'JPY' });
    expect(listings(home).filter((l) => l.sku === 'MUG-BLU').map((l) => [l.channel, l.price_minor, l.currency])).toEqual([
      ['amazon-uk', 1999n, 'GBP'],
      ['shopify', 2490n, 'EUR'],
    ]);
    // MUG-GRN's blank product fields keep the first row's.
    expect(query<{ title: string; n: bigint }>(home, `SELECT p.title, count(*) AS n FROM products p JOIN variants v ON v.product_id = p.id WHERE p.handle = 'stoneware-mug'`)[0]).toEqual({ title: 'Stoneware mug', n: 2n });
  });

  it('the demo Shopify catalogue: 12 variants in 6 products with costs, weights and HS codes', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', join(DEMO, 'shop-products.csv'), '--currency', 'SEK', '--json'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 12, products: { created: 6 } });
    const missing = query(home, 'SELECT sku FROM variants WHERE cost_minor IS NULL OR weight_grams IS NULL OR hs_code IS NULL OR origin_country IS NULL OR barcode IS NULL');
    expect(missing).toEqual([]);
  });

  it('Shopify prices take the shop currency from the business profile when --currency is absent, else exit 2', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('shopify-legacy.csv')], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--currency');
    query(home, `INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, created_at, updated_at) VALUES (1, 'L AB', 'SE', 'SEK', 'Europe/Stockholm', 'x', 'x')`);
    const r2 = await run(['listings', 'import', fx('shopify-legacy.csv')], { home });
    expect(r2.code).toBe(0);
    expect(query<{ currency: string }>(home, `SELECT DISTINCT currency FROM variants`)).toEqual([{ currency: 'SEK' }]);
  });

  it('--format forces a family; a wrong one reports the columns it lacks', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', fx('merchant.csv'), '--format', 'woocommerce'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/required column "Type" is missing/);
    expect(count(home, 'variants')).toBe(0);
    const bad = await run(['listings', 'import', fx('merchant.csv'), '--format', 'etsy'], { home });
    expect(bad.code).toBe(2);
  });
});
