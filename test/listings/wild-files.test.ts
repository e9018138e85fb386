// Seller files as found in the wild (issue #16), through the built binary: our own small files in
// fixtures/listings/wild/ showing each case (never sellers' files), imported with --dry-run and for real.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run, runBin, tempDir } from '../helpers/run.js';
import { query } from './helpers.js';

const WILD = resolve(import.meta.dirname, '../../fixtures/listings/wild');
const wild = (name: string) => join(WILD, name);

/** The built binary (dry run and real import of the first cases); in-process for the rest (fast on a busy machine). */
function bin(home: string, ...args: string[]) {
  return runBin(args, { env: { MERCHANT_HOME: home, NO_COLOR: '1' } });
}
function merchant(home: string, ...args: string[]) {
  return run(args, { home });
}
const variants = (home: string) => (existsSync(join(home, 'merchant.db')) ? query(home, 'SELECT sku FROM variants ORDER BY sku').map((r) => r.sku) : []);

describe('listings import: seller files as found in the wild', async () => {
  it('eBay PicURL with several pictures: the first is the image, never the |-joined string; the rest are named as not kept', async () => {
    const home = tempDir();
    const dry = bin(home, 'listings', 'import', wild('ebay-picurl.csv'), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(variants(home)).toEqual([]);
    const r = bin(home, 'listings', 'import', wild('ebay-picurl.csv'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('ebay-picurl.csv:3:6: PicURL holds 3 pictures: the first is VASE-1\'s image, the other 2 (and those of later rows) are not kept');
    expect(query(home, 'SELECT sku, image_url FROM variants ORDER BY sku')).toEqual([
      { sku: 'VASE-1', image_url: 'https://i.example.com/vase-front.jpg' },
      { sku: 'VASE-2', image_url: 'https://i.example.com/small-vase.jpg' },
    ]);
    expect(query(home, `SELECT count(*) AS n FROM variants WHERE image_url LIKE '%|%'`)).toEqual([{ n: 0n }]);
  });

  it('a WooCommerce export without the optional ID column is detected; a variable product with no variation rows gets a note', async () => {
    const home = tempDir();
    const dry = bin(home, 'listings', 'import', wild('woocommerce-no-id.csv'), '--currency', 'EUR', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const doc = JSON.parse(dry.stdout);
    expect(doc.files[0]).toMatchObject({ format: 'woocommerce', generation: '3', created: 3 });
    expect(doc.files[0].warnings).toContain(
      `${wild('woocommerce-no-id.csv')}:6: WOO-SCARF is a variable product and the file has none of its variations: nothing imported for it (export it again with "Product variations" among the product types)`,
    );
    expect(variants(home)).toEqual([]);
    const r = bin(home, 'listings', 'import', wild('woocommerce-no-id.csv'), '--currency', 'EUR');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('WOO-TEE is a variable product');
    expect(query(home, 'SELECT v.sku, p.handle, v.price_minor FROM variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku')).toEqual([
      { sku: 'WOO-CUP', handle: 'WOO-CUP', price_minor: 950n },
      { sku: 'WOO-TEE-M', handle: 'WOO-TEE', price_minor: 2500n },
      { sku: 'WOO-TEE-S', handle: 'WOO-TEE', price_minor: 2500n },
    ]);
  });

  it('a Seller Hub draft listings template is detected as eBay by its own columns; its Price and UPC are read', async () => {
    const home = tempDir();
    const dry = await merchant(home, 'listings', 'import', wild('ebay-draft-template.csv'), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).not.toMatch(/Amazon/);
    expect(dry.stdout + dry.stderr).toContain('ebay (seller-hub)');
    const r = await merchant(home, 'listings', 'import', wild('ebay-draft-template.csv'));
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, 'SELECT v.sku, v.barcode, v.image_url, c.channel, c.price_minor, c.currency FROM variants v JOIN channel_listings c ON c.variant_id = v.id ORDER BY v.sku')).toEqual([
      { sku: 'DRAFT-BOWL', barcode: null, image_url: null, channel: 'ebay-us', price_minor: 2200n, currency: 'USD' },
      { sku: 'DRAFT-MUG', barcode: '012345678905', image_url: 'https://i.example.com/mug-a.jpg', channel: 'ebay-us', price_minor: 1450n, currency: 'USD' },
    ]);
  });

  it('Amazon Offer template of the Version=1.4 generation (attribute names on line 2) is read; another 1.4 template is named with its real header line', async () => {
    const home = tempDir();
    expect((await merchant(home, 'listings', 'import', wild('shopify-free-text-barcode.csv'), '--currency', 'GBP')).code).toBe(0); // a catalogue with MUG-B…
    const noChannel = await merchant(home, 'listings', 'import', wild('amazon-offer-1.4.txt'), '--json');
    expect(noChannel.code).toBe(3);
    const err = JSON.parse(noChannel.stdout).error;
    expect(err.problems).toEqual([expect.objectContaining({ line: 2, rule: 'channel' })]); // once for the file, not per row
    const r = await merchant(home, 'listings', 'import', wild('amazon-offer-1.4.txt'), '--channel', 'amazon-uk', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ format: 'amazon', generation: 'offer', created: 2 });
    expect(query(home, `SELECT v.sku, v.barcode, c.price_minor, c.quantity FROM variants v JOIN channel_listings c ON c.variant_id = v.id WHERE c.channel = 'amazon-uk' ORDER BY v.sku`)).toEqual([
      { sku: 'MUG-1', barcode: '5012345678900', price_minor: 1650n, quantity: 7n },
      { sku: 'PLATE-9', barcode: null, price_minor: 1100n, quantity: 2n },
    ]);

    const old = await merchant(tempDir(), 'listings', 'import', wild('amazon-home-1.4.txt'), '--json');
    expect(old.code).toBe(3);
    const e = JSON.parse(old.stdout).error;
    expect(e.message).toBe(
      `${wild('amazon-home-1.4.txt')}: Amazon template TemplateType=Home Version=1.4 is an older template generation merchant does not read: its column names are on line 2 (sku, product-name, brand, manufacturer, item-price, currency, …), data from line 3`,
    );
    expect(e.problems).toEqual([expect.objectContaining({ line: 2, rule: 'unknown-format' })]);
    expect(old.stdout).not.toContain('LAMP-1'); // the data line is never quoted as "the header"
  });

  it('Amazon All Listings Report: updates price and quantity of known SKUs on the storefront, leaves unknown SKUs out with one note', async () => {
    const home = tempDir();
    const seed = await run(['listings', 'import', '-', '--currency', 'GBP'], {
      home,
      stdin: 'sku,handle,title,price,currency,quantity,channels\nMUG-1,mug,Mug,15.00,GBP,20,amazon-uk=16.00\nBOWL-1,bowl,Bowl,19.00,GBP,4,amazon-uk=20.00:3\n',
    });
    expect(seed.code, seed.stderr).toBe(0);
    const dry = await merchant(home, 'listings', 'import', wild('amazon-all-listings.txt'), '--channel', 'amazon-uk', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).files[0]).toMatchObject({ format: 'amazon', generation: 'all-listings', updated: 2, created: 0 });
    expect(query(home, `SELECT price_minor FROM channel_listings ORDER BY price_minor`)).toEqual([{ price_minor: 1600n }, { price_minor: 2000n }]);
    const r = await merchant(home, 'listings', 'import', wild('amazon-all-listings.txt'), '--channel', 'amazon-uk');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 SKU is not in the catalogue and was left out (TEAPOT-OLD): Amazon All Listings Report updates SKUs merchant already has');
    expect(query(home, `SELECT v.sku, c.price_minor, c.quantity FROM variants v JOIN channel_listings c ON c.variant_id = v.id WHERE c.channel = 'amazon-uk' ORDER BY v.sku`)).toEqual([
      { sku: 'BOWL-1', price_minor: 2100n, quantity: 3n }, // FBA: blank quantity keeps the stored one
      { sku: 'MUG-1', price_minor: 1725n, quantity: 9n },
    ]);
    expect(variants(home)).toEqual(['BOWL-1', 'MUG-1']);
    expect(query(home, `SELECT title FROM products ORDER BY handle`)).toEqual([{ title: 'Bowl' }, { title: 'Mug' }]); // marketplace files only fill empty fields
  });

  it('Shopify free-text Barcode: a wrong check digit or an internal code is a note, the row is imported, and the barcode is not stored (so never sent as a GTIN)', async () => {
    const home = tempDir();
    const r = await merchant(home, 'listings', 'import', wild('shopify-free-text-barcode.csv'), '--currency', 'EUR');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('shopify-free-text-barcode.csv:2:9: Variant Barcode: barcode 7350053850018 has a wrong check digit: not imported as MUG-B\'s barcode');
    expect(r.stderr).toContain('shopify-free-text-barcode.csv:4:9: Variant Barcode: barcode "INT-0042" must be digits only');
    expect(query(home, 'SELECT sku, barcode FROM variants ORDER BY sku')).toEqual([
      { sku: 'MUG-B', barcode: null },
      { sku: 'MUG-G', barcode: null },
      { sku: 'MUG-R', barcode: '7350053850019' },
    ]);
  });

  it('notes about rows that were then rejected are not printed; a file with no SKU at all is one problem', async () => {
    const home = tempDir();
    const rejects = join(tempDir(), 'rejects.csv');
    const r = await merchant(home, 'listings', 'import', wild('shopify-notes-rejected.csv'), '--currency', 'EUR', '--skip-invalid', '--rejects', rejects);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('shopify-notes-rejected.csv:2:7: Variant Inventory Qty -2 (oversold) read as 0');
    expect(r.stderr).not.toMatch(/:3:7: .*oversold|:5:7: .*oversold|BOWL-1 does not track stock/); // rows 3–5 were rejected
    expect(variants(home)).toEqual(['MUG-B']);

    const none = await merchant(tempDir(), 'listings', 'import', wild('shopify-no-skus.csv'), '--currency', 'EUR', '--json');
    expect(none.code).toBe(3);
    const e = JSON.parse(none.stdout).error;
    expect(e.problems).toEqual([
      expect.objectContaining({ line: 1, column: 5, rule: 'no-sku', message: expect.stringContaining("none of the file's 4 rows has a SKU") }),
    ]);
    expect(none.stderr + none.stdout).not.toContain('SKU is required');
  });
});
