// Seller files as they come from real shops, beyond the fixtures: spreadsheet-guarded values, a blank
// preferred column with another column for the same field, marketplace placeholders, a rejects path
// that is an input, a database from a development build.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { query } from './helpers.js';
import { openStore } from '../../src/store/db.js';

function file(name: string, text: string): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}
const variant = (home: string, sku: string) => query<Record<string, unknown>>(home, 'SELECT v.*, p.product_type FROM variants v JOIN products p ON p.id = v.product_id WHERE sku = ?', sku)[0];

describe('listings import: seller files beyond the fixtures', () => {
  it('eBay templates as downloaded: File Exchange `Info,Version=…,Template=…` and Seller Hub `#INFO` lines above the header are preamble', async () => {
    // (What eBay's own downloads start with: File Exchange category templates carry an
    // `Info,Version=1.0.0,Template=fx_category_template_EBAY_US` line, Seller Hub's draft listings
    // template `#INFO,Version=0.0.2,Template= eBay-draft-listings-template_US` and `#INFO` instructions.)
    const home = tempDir();
    const fx = file('fx.csv', 'Info,Version=1.0.0,Template=fx_category_template_EBAY_US\n*Action(SiteID=US|Country=US|Currency=USD|Version=1193),CustomLabel,*Title,*StartPrice,*Quantity\nAdd,FX-1,Mug,19.99,5\n');
    const r1 = await run(['listings', 'import', fx], { home });
    expect(r1.code, r1.stderr).toBe(0);
    const hub = file('hub.csv', '#INFO,Version=0.0.2,Template= eBay-draft-listings-template_US,,,\n#INFO Action and Category ID are required fields.,,,,,\nAction(SiteID=US|Country=US|Currency=USD|Version=1193|CC=UTF-8),Custom label (SKU),Category ID,Title,Start price,Quantity\nAdd,HUB-1,20685,Cup,9.50,3\n');
    const r2 = await run(['listings', 'import', hub, '--format', 'ebay'], { home });
    expect(r2.code, r2.stderr).toBe(0);
    expect(query(home, `SELECT channel, price_minor, currency FROM channel_listings ORDER BY price_minor`)).toEqual([
      { channel: 'ebay-us', price_minor: 950n, currency: 'USD' },
      { channel: 'ebay-us', price_minor: 1999n, currency: 'USD' },
    ]);
    // The draft listings template names its columns Price and UPC: read with --format ebay.
    const draft = file('draft.csv', '#INFO,Version=0.0.2,Template= eBay-draft-listings-template_US,,,,,\nAction(SiteID=US|Country=US|Currency=USD|Version=1193|CC=UTF-8),Custom label (SKU),Category ID,Title,UPC,Price,Quantity,Condition ID\nDraft,DRAFT-1,20685,Bowl,012345678905,12.50,2,1000\n');
    const r3 = await run(['listings', 'import', draft, '--format', 'ebay'], { home });
    expect(r3.code, r3.stderr).toBe(0);
    expect(variant(home, 'DRAFT-1')).toMatchObject({ barcode: '012345678905' });
    expect(query(home, `SELECT cl.price_minor FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id WHERE v.sku = 'DRAFT-1'`)).toEqual([{ price_minor: 1250n }]);
    // Only Info lines and no header: the usual message, not a crash.
    const bare = file('bare.csv', 'Info,Version=1.0.0,Template=fx_category_template_EBAY_US\n');
    expect((await run(['listings', 'import', bare], { home })).code).toBe(3);
  });

  it('a ="…"-guarded SKU or barcode is read without the guard (Shopify, merchant template)', async () => {
    const home = tempDir();
    const shop = file('shop.csv', 'Handle,Title,Variant SKU,Variant Price,Variant Barcode\nmug,Mug,="MUG-1",12.00,="012345678905"\n');
    const r = await run(['listings', 'import', shop, '--currency', 'EUR'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(variant(home, 'MUG-1')).toMatchObject({ sku: 'MUG-1', barcode: '012345678905', price_minor: 1200n });
    const own = file('own.csv', 'sku,handle,title,price,currency\n="CUP-1",cup,Cup,3.50,EUR\n');
    expect((await run(['listings', 'import', own], { home })).code).toBe(0);
    expect(query(home, `SELECT sku FROM variants ORDER BY sku`)).toEqual([{ sku: 'CUP-1' }, { sku: 'MUG-1' }]);
  });

  it('a blank column falls back to the same field’s other column (Variant Image → Image Src, Type → Product category)', async () => {
    const home = tempDir();
    const legacy = file(
      'legacy.csv',
      'Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Variant Image\n' +
        'plain-mug,Plain mug,Title,Default Title,PLAIN-MUG,12.00,https://cdn.example.com/plain-mug.jpg,1,\n' +
        'blue-mug,Blue mug,Title,Default Title,BLUE-MUG,12.00,https://cdn.example.com/mug.jpg,1,https://cdn.example.com/blue.jpg\n',
    );
    expect((await run(['listings', 'import', legacy, '--currency', 'EUR'], { home })).code).toBe(0);
    expect(variant(home, 'PLAIN-MUG')).toMatchObject({ image_url: 'https://cdn.example.com/plain-mug.jpg' });
    expect(variant(home, 'BLUE-MUG')).toMatchObject({ image_url: 'https://cdn.example.com/blue.jpg' });

    const home2 = tempDir();
    const modern = file(
      'modern.csv',
      'Title,URL handle,Vendor,Product category,Type,SKU,Price,Inventory quantity\n' +
        'Candle,candle,Lindqvist,Home & Garden > Decor > Candles,,CANDLE-1,9.00,4\n' +
        'Mug,mug,Lindqvist,Home & Garden > Kitchen,Mugs,MUG-2,12.00,4\n',
    );
    const r = await run(['listings', 'import', modern, '--currency', 'EUR'], { home: home2 });
    expect(r.code, r.stderr).toBe(0);
    expect(variant(home2, 'CANDLE-1')).toMatchObject({ product_type: 'Home & Garden > Decor > Candles' });
    expect(variant(home2, 'MUG-2')).toMatchObject({ product_type: 'Mugs' });
  });

  it('eBay’s "Does not apply" is no barcode; the next identifier column is read instead', async () => {
    const home = tempDir();
    const ebay = file(
      'ebay.csv',
      '*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193),Custom label (SKU),Title,Start price,Quantity,P:EAN,P:UPC\n' +
        'Add,EB-1,Unbranded mug,12.00,3,Does not apply,012345678905\n' +
        'Add,EB-2,Unbranded cup,9.00,2,Does not apply,Does not apply\n',
    );
    const r = await run(['listings', 'import', ebay], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(variant(home, 'EB-1')).toMatchObject({ barcode: '012345678905' });
    expect(variant(home, 'EB-2')).toMatchObject({ barcode: null });
  });

  it('a bad value in the fallback column is reported at that column', async () => {
    const home = tempDir();
    const ebay = file('ebay.csv', '*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193),Custom label (SKU),Title,Start price,Quantity,P:EAN,P:UPC\nAdd,EB-1,Mug,12.00,3,,012345678906\n');
    const r = await run(['listings', 'import', ebay, '--json'], { home });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.problems[0]).toMatchObject({ line: 2, column: 7, field: 'P:UPC', value: '012345678906' });
  });

  it('--rejects naming an input file is refused before anything is read or written', async () => {
    const home = tempDir();
    const text = 'sku,handle,title,price,currency\nA-1,a,A,1.00,EUR\nA-2,a,A,x,EUR\n';
    const f = file('shop.csv', text);
    const r = await run(['listings', 'import', f, '--skip-invalid', '--rejects', f], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is one of the files being imported');
    expect(readFileSync(f, 'utf8')).toBe(text);
  });

  it('a database from a development build (a table missing) gets a clear message, not an internal error', async () => {
    const home = tempDir();
    const f = file('shop.csv', 'sku,handle,title,price,currency\nA-1,a,A,1.00,EUR\n');
    openStore(join(home, 'merchant.db')).close(); // a read command no longer creates one
    query(home, 'DROP TABLE import_runs');
    const r = await run(['listings', 'import', f], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not have the tables this version of merchant expects (no such table: import_runs)');
    expect(r.stderr).toContain('development build');
    expect(r.stderr).not.toMatch(/unexpected internal error|at .*\.js:\d+/);
    expect(query(home, 'SELECT count(*) AS n FROM variants')).toEqual([{ n: 0n }]);
  });

  it('a UTF-8 file with one line saved as Windows-1252 stops at that line instead of garbling the rest', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'mixed.csv');
    writeFileSync(f, Buffer.concat([Buffer.from('sku,handle,title,price,currency\nA-1,a,Café crème mug,3.00,EUR\nA-2,b,Plain,3.00,EUR\n'), Buffer.from('A-3,c,Bol à thé,3.00,EUR\n', 'latin1')]));
    for (const args of [[], ['--encoding', 'utf-8']]) {
      const r = await run(['listings', 'import', f, ...args, '--json'], { home });
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout).error.problems[0]).toMatchObject({ line: 4, column: 11, rule: 'encoding' });
    }
    expect(query(home, 'SELECT count(*) AS n FROM variants')).toEqual([{ n: 0n }]);
    // A file that is Windows-1252 throughout is still read as such.
    const cp = join(tempDir(), 'cp.csv');
    writeFileSync(cp, Buffer.from('sku,handle,title,price,currency\nA-3,c,Bol à thé,3.00,EUR\n', 'latin1'));
    expect((await run(['listings', 'import', cp], { home })).code).toBe(0);
    expect(query(home, 'SELECT title FROM products')).toEqual([{ title: 'Bol à thé' }]);
  });

  it('a minimal own-format file (no handle column) is the merchant template; Amazon columns without their template row are named', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', file('min.csv', 'sku,title,price,currency,quantity\nA-1,Thing,3.00,EUR,1\n')], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, 'SELECT sku FROM variants')).toEqual([{ sku: 'A-1' }]);
    const amz = await run(['listings', 'import', file('pq.txt', 'sku\tprice\tquantity\nA-1\t3.00\t1\n')], { home: tempDir() });
    expect(amz.code).toBe(3);
    expect(amz.stderr).toContain('has the columns of Amazon price & quantity file (TemplateType=PriceInventory), but not the "TemplateType=PriceInventory" row');
  });

  it('a column that appears twice is refused at the header, naming both', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', file('dup.csv', 'sku,handle,title,price,currency,quantity,price\nD-1,d1,Dup,9.99,EUR,3,11.99\n'), '--json'], { home });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.problems).toEqual([
      expect.objectContaining({ line: 1, column: 7, rule: 'duplicate-column', message: 'column "price" appears twice (columns 4 and 7): merchant cannot tell which one holds price' }),
    ]);
    expect(query(home, 'SELECT count(*) AS n FROM variants')).toEqual([{ n: 0n }]);
  });

  it('an eBay file from a site merchant has no storefront for is one file-level error; --channel may not contradict SiteID', async () => {
    const home = tempDir();
    const it = file('it.csv', '*Action(SiteID=Italy|Country=IT|Currency=EUR|Version=1193|CC=UTF-8),CustomLabel,*Title,*StartPrice,*Quantity\nAdd,X-1,Cosa,17.90,3\nAdd,X-2,Altro,7.90,3\n');
    for (const extra of [[], ['--channel', 'ebay-de']]) {
      const r = await run(['listings', 'import', it, ...extra, '--json'], { home });
      expect(r.code).toBe(3);
      const err = JSON.parse(r.stdout).error;
      expect(err.message).toBe(`${it}: eBay site Italy is not a storefront merchant knows (it knows ebay-us, ebay-uk, ebay-de, ebay-au)`);
      expect(err.problems).toHaveLength(1);
    }
    const uk = file('uk.csv', '*Action(SiteID=3|Country=GB|Currency=GBP|Version=1193),CustomLabel,*Title,*StartPrice,*Quantity\nAdd,X-1,Cosa,17.90,3\n');
    const wrong = await run(['listings', 'import', uk, '--channel', 'ebay-de'], { home });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--channel ebay-de contradicts');
    expect((await run(['listings', 'import', uk], { home })).code).toBe(0); // numeric SiteID 3 = UK
    expect(query(home, `SELECT channel, price_minor, currency FROM channel_listings`)).toEqual([{ channel: 'ebay-uk', price_minor: 1790n, currency: 'GBP' }]);
  });

  it('thousands separators and a blank currency cell get messages that say what to write', async () => {
    const home = tempDir();
    const r = await run(['listings', 'import', file('y.csv', 'sku;handle;title;price;currency;quantity\nA-1;a;A;1.024,00;EUR;1\nA-2;b;B;2,00;;1\nA-3;c;C;2,00;EUR;1.000\n')], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('y.csv:2:4: price: "1.024,00" has "." as a thousands separator; write it without one, e.g. "1024,00"');
    expect(r.stderr).toContain('y.csv:3:4: price: price given but the row has no currency; fill in its currency cell');
    expect(r.stderr).toContain('y.csv:4:6: quantity: quantity "1.000" has "." as a thousands separator; write 1000');
  });

  it('a WooCommerce variation with a blank weight or size takes its parent’s, and follows it when the parent changes', async () => {
    const home = tempDir();
    const head = 'ID,Type,SKU,Name,Published,Stock,Weight (kg),Length (cm),Width (cm),Height (cm),Regular price,Parent,Attribute 1 name,Attribute 1 value(s)\n';
    const rows = (w: string) =>
      `30,variable,HOODIE,Hoodie,1,,${w},35,30,8,,,Size,"S, M"\n31,variation,HOODIE-S,Hoodie - S,1,5,,,,,39.00,HOODIE,Size,S\n32,variation,HOODIE-M,Hoodie - M,1,5,0.7,,,,39.00,id:30,Size,M\n`;
    const f = file('woo.csv', head + rows('0.65'));
    const r = await run(['listings', 'import', f, '--currency', 'EUR'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, 'SELECT sku, weight_grams, length_mm, width_mm, height_mm FROM variants ORDER BY sku')).toEqual([
      { sku: 'HOODIE-M', weight_grams: 700n, length_mm: 350n, width_mm: 300n, height_mm: 80n },
      { sku: 'HOODIE-S', weight_grams: 650n, length_mm: 350n, width_mm: 300n, height_mm: 80n },
    ]);
    // Only the parent's line changes: the variation that inherits is updated, the other is not.
    const g = file('woo2.csv', head + rows('0.6'));
    const again = JSON.parse((await run(['listings', 'import', g, '--currency', 'EUR', '--json'], { home })).stdout);
    expect(again).toMatchObject({ updated: 1, unchanged: 1 });
    expect(query(home, `SELECT weight_grams FROM variants WHERE sku = 'HOODIE-S'`)).toEqual([{ weight_grams: 600n }]);
  });

  it('a country of origin may be the code, the alpha-3 code or the English name (Amazon writes names)', async () => {
    const home = tempDir();
    const f = file(
      'c.csv',
      'sku,handle,title,price,currency,origin_country\nC-1,c1,A,1.00,EUR,Lithuania\nC-2,c2,B,1.00,EUR,uk\nC-3,c3,C,1.00,EUR,SWE\nC-4,c4,D,1.00,EUR,united states\nC-5,c5,E,1.00,EUR,Türkiye\nC-6,c6,F,1.00,EUR,se\n',
    );
    expect((await run(['listings', 'import', f], { home })).code).toBe(0);
    expect(query(home, 'SELECT origin_country AS c FROM variants ORDER BY sku').map((r) => r.c)).toEqual(['LT', 'GB', 'SE', 'US', 'TR', 'SE']);
    const bad = await run(['listings', 'import', file('b.csv', 'sku,handle,title,price,currency,origin_country\nC-9,c9,A,1.00,EUR,Narnia\n')], { home: tempDir() });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('"Narnia" is not a country merchant knows: write its ISO 3166 code (e.g. SE, DE, CN, GB) or its English name');
  });

  it('an Amazon price & quantity file with an English label row above the attribute names reads the attribute row as the header', async () => {
    const home = tempDir();
    expect((await run(['listings', 'import', file('own.csv', 'sku,handle,title,price,currency,quantity\nMUG-1,mug,Mug,10.00,GBP,1\n')], { home })).code).toBe(0);
    const pq = file('pq.txt', 'TemplateType=PriceInventory\tVersion=2018.0924\nSKU\tPrice\tQuantity\tCurrency\nsku\tprice\tquantity\tcurrency\nMUG-1\t12.00\t5\tGBP\n');
    const r = await run(['listings', 'import', pq, '--json'], { home });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ updated: 1 });
    expect(query(home, 'SELECT channel, price_minor, quantity FROM channel_listings')).toEqual([{ channel: 'amazon-uk', price_minor: 1200n, quantity: 5n }]);
  });

  it('an import does not flip a SKU to another currency (a wrong --currency would reprice every storefront)', async () => {
    const home = tempDir();
    const shop = file('shop.csv', 'Handle,Title,Variant SKU,Variant Price\nmug,Mug,MUG-1,249.00\n');
    expect((await run(['listings', 'import', shop, '--currency', 'SEK'], { home })).code).toBe(0);
    const before = query(home, 'SELECT sku, price_minor, currency FROM variants');
    const r = await run(['listings', 'import', shop, '--currency', 'EUR', '--json'], { home });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.problems[0]).toMatchObject({
      line: 2,
      field: '--currency',
      rule: 'currency-change',
      message: "SKU MUG-1 is priced in SEK in the catalogue, this row in EUR; an import does not change a SKU's currency (check --currency)",
    });
    const own = await run(['listings', 'import', file('own.csv', 'sku,handle,title,price,currency\nMUG-1,mug,Mug,24.90,EUR\n')], { home });
    expect(own.code).toBe(3);
    expect(own.stderr).toContain('own.csv:2:5: currency: SKU MUG-1 is priced in SEK in the catalogue, this row in EUR');
    expect(query(home, 'SELECT sku, price_minor, currency FROM variants')).toEqual(before);
    expect(query(home, `SELECT count(*) AS n FROM outbox WHERE kind = 'price'`)).toEqual([{ n: 0n }]);
  });

  it('rejects of an Excel-saved file (Windows-1252, ;, CRLF) keep its delimiter and line endings, with a BOM so Excel reads the accents', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'excel.csv');
    writeFileSync(f, Buffer.from('sku;handle;title;price;currency\r\nA-1;a;Crème;1,00;EUR\r\nA-2;b;Brûlée;x;EUR\r\n', 'latin1'));
    const rej = join(tempDir(), 'rejects.csv');
    const r = await run(['listings', 'import', f, '--skip-invalid', '--rejects', rej], { home });
    expect(r.code).toBe(4);
    const text = readFileSync(rej, 'utf8');
    expect(text.startsWith('\uFEFFsku;handle;title;price;currency;reason\r\nA-2;b;Brûlée;x;EUR;')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    writeFileSync(rej, text.replace(';x;', ';2,00;'));
    const again = await run(['listings', 'import', rej, '--json'], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(query(home, `SELECT title FROM products ORDER BY handle`)).toEqual([{ title: 'Crème' }, { title: 'Brûlée' }]);
  });

  it('WooCommerce: a sale price gets a note (the regular price is imported), an external product is not a SKU', async () => {
    const home = tempDir();
    const f = file(
      'woo.csv',
      'ID,Type,SKU,Name,Published,Stock,Sale price,Regular price,External URL\n' +
        '40,simple,CAP-1,Cap,1,5,15.00,19.00,\n' +
        '41,external,AFF-1,Partner kettle,1,,,49.00,https://partner.example.com/kettle\n',
    );
    const r = await run(['listings', 'import', f, '--currency', 'EUR'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${f}:2:7: Sale price 15.00 not imported (the regular price is CAP-1's price)`);
    expect(r.stderr).toContain(`${f}:3: AFF-1 is an external/affiliate product: not imported`);
    expect(query(home, 'SELECT sku, price_minor FROM variants')).toEqual([{ sku: 'CAP-1', price_minor: 1900n }]);
  });

  it('a title line above the header is named as the reason the format is not recognised', async () => {
    const r = await run(['listings', 'import', file('c.csv', '# Catalogue export 2026-11\n\nsku,handle,title,price,currency\nA-1,a,A,1.00,EUR\n')], { home: tempDir() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('hint: the column names must be the first row: delete the title, comment or blank lines above them');
  });

  it('--currency is for the files that carry none: an eBay file in the same run keeps its site’s currency', async () => {
    const home = tempDir();
    const shop = file('s.csv', 'Handle,Title,Variant SKU,Variant Price\nmug,Mug,MUG-1,12.00\n');
    const ebay = file('e.csv', '*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193),CustomLabel,*Title,*StartPrice,*Quantity\nAdd,MUG-1,Mug,10.99,3\n');
    const r = await run(['listings', 'import', shop, ebay, '--currency', 'EUR'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('e.csv: --currency EUR does not apply to this file: its prices are in GBP (ebay-uk)');
    expect(query(home, 'SELECT channel, price_minor, currency FROM channel_listings ORDER BY channel')).toEqual([
      { channel: 'ebay-uk', price_minor: 1099n, currency: 'GBP' },
      { channel: 'shopify', price_minor: 1200n, currency: 'EUR' },
    ]);
  });

  it('an Amazon workbook with the price for all buyers and the business price takes the first; German record actions are read', async () => {
    const home = tempDir();
    const q = '[marketplace_id=A1F83G8C2ARO7P]';
    const wb = file(
      'wb.txt',
      'settings=labelRow=2&attributeRow=3&dataRow=4&primaryMarketplaceId=amzn1.mp.o.A1F83G8C2ARO7P\n' +
        'SKU\tVorgang\tArtikelname\tGeschäftspreis\tIhr Preis\n' +
        `contribution_sku#1.value\t::record_action\titem_name${q}[language_tag=en_GB]#1.value\tpurchasable_offer${q}[audience=B2B]#1.our_price#1.schedule#1.value_with_tax\tpurchasable_offer${q}[audience=ALL]#1.our_price#1.schedule#1.value_with_tax\n` +
        'THROW-1\tBearbeiten (Teilaktualisierung)\tWool throw\t65.00\t79.00\n',
    );
    const r = await run(['listings', 'import', wb], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, 'SELECT channel, price_minor, currency FROM channel_listings')).toEqual([{ channel: 'amazon-uk', price_minor: 7900n, currency: 'GBP' }]);
  });

  it('eBay: an auction row and a VerifyAdd row are not imported (with notes); End on a variation parent is refused with what to do', async () => {
    const home = tempDir();
    const head = '*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193),ItemID,CustomLabel,*Title,*StartPrice,*Quantity,Relationship,RelationshipDetails,Format\n';
    const f = file(
      'ea.csv',
      head + 'Add,,SHIRT,Shirt,,,,Size=S;M,FixedPrice\n,,SHIRT-S,,20.00,3,Variation,Size=S,\n,,SHIRT-M,,20.00,2,Variation,Size=M,\nAdd,,AUC-1,Old clock,0.99,1,,,Auction\nVerifyAdd,,VER-1,Verify me,5.00,1,,,FixedPrice\n',
    );
    const r = await run(['listings', 'import', f], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${f}:5: AUC-1 is an auction listing: not imported (merchant manages fixed-price offers)`);
    expect(r.stderr).toContain(`${f}:6: VerifyAdd rows are validated only, not imported`);
    expect(query(home, 'SELECT sku FROM variants ORDER BY sku')).toEqual([{ sku: 'SHIRT-M' }, { sku: 'SHIRT-S' }]);
    const bad = await run(['listings', 'import', file('v.csv', head + 'VerifyAdd,,VER-2,Bad price,x,1,,,FixedPrice\n')], { home });
    expect(bad.code).toBe(3); // validated all the same
    const end = await run(['listings', 'import', file('end.csv', head + 'End,110555000001,SHIRT,,,,,Size=S;M,\n'), '--json'], { home });
    expect(end.code).toBe(3);
    expect(JSON.parse(end.stdout).error.problems[0]).toMatchObject({ line: 2, rule: 'end-variations' });
    expect(query(home, `SELECT status FROM channel_listings`)).toEqual([{ status: 'active' }, { status: 'active' }]);
  });

  it('UTF-16 without a BOM is recognised; an unknown --channel for list/export is refused; the problem count is the full one', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'u16.csv');
    writeFileSync(f, Buffer.from('sku,handle,title,price,currency\nA-1,a,Crème,1.00,EUR\n', 'utf16le'));
    expect((await run(['listings', 'import', f], { home })).code).toBe(0);
    expect(query(home, 'SELECT title FROM products')).toEqual([{ title: 'Crème' }]);
    for (const cmd of ['list', 'export']) {
      const r = await run(['listings', cmd, '--channel', 'nosuch'], { home });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('unknown --channel nosuch');
      expect(r.stdout).toBe('');
    }
    const rows = ['sku,handle,title,price,currency'];
    for (let i = 0; i < 1500; i++) rows.push(`B-${i},b${i},B,x,EUR`);
    const many = await run(['listings', 'import', file('many.csv', rows.join('\n') + '\n')], { home });
    expect(many.code).toBe(3);
    expect(many.stderr).toContain('… and 1480 more');
  });

  it('a new SKU in a Shopify file needs a price; a blank price on a known SKU keeps the stored one', async () => {
    const head = 'Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n';
    for (const env of [{}, { MERCHANT_IMPORT_WORKER: 'off' }]) {
      const home = tempDir();
      const r = await run(['listings', 'import', file('p.csv', head + 'plate,Plate,Size,S,PLATE-S,9.50\nplate,,,M,PLATE-M,\n'), '--currency', 'EUR', '--json'], { home, env });
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout).error.problems).toEqual([
        expect.objectContaining({ line: 3, column: 6, rule: 'required', message: 'Variant Price is blank and SKU PLATE-M is new: its Shopify listing needs a price (a blank price only keeps a stored one)' }),
      ]);
    }
    const home = tempDir();
    expect((await run(['listings', 'import', file('a.csv', head + 'plate,Plate,Size,S,PLATE-S,9.50\n'), '--currency', 'EUR'], { home })).code).toBe(0);
    const again = await run(['listings', 'import', file('b.csv', head + 'plate,Plate,Size,S,PLATE-S,\nplate,,,M,PLATE-M,8.00\n'), '--currency', 'EUR'], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(query(home, 'SELECT sku, price_minor FROM variants ORDER BY sku')).toEqual([{ sku: 'PLATE-M', price_minor: 800n }, { sku: 'PLATE-S', price_minor: 950n }]);
    // Row by row (the catalogue is not empty now): the same rule for a new SKU.
    const third = await run(['listings', 'import', file('c.csv', head + 'plate,Plate,Size,L,PLATE-L,\n'), '--currency', 'EUR'], { home });
    expect(third.code).toBe(3);
    expect(third.stderr).toContain('c.csv:2:6: Variant Price: Variant Price is blank and SKU PLATE-L is new');
  });

  it('Shopify: a variant whose stock Shopify does not track keeps no stock level (its exported 0 is not stock)', async () => {
    const home = tempDir();
    const f = file(
      'track.csv',
      'Handle,Title,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Price\nmug,Mug,MUG-T,shopify,7,12.00\nprint,Print,PRINT-U,,0,30.00\n',
    );
    const r = await run(['listings', 'import', f, '--currency', 'EUR'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${f}:3: PRINT-U does not track stock in Shopify (Inventory tracker blank): its quantity is not imported`);
    expect(query(home, 'SELECT v.sku, i.on_hand FROM variants v LEFT JOIN inventory i ON i.variant_id = v.id ORDER BY v.sku')).toEqual([
      { sku: 'MUG-T', on_hand: 7n },
      { sku: 'PRINT-U', on_hand: null },
    ]);
  });

  it('a Shopify variant row apart from its product’s first row takes the product’s option names', async () => {
    const head = 'Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n';
    const home = tempDir();
    const f = file('nc.csv', head + 'mug,Mug,Colour,Blue,MUG-B,12.00\nbowl,Bowl,Title,Default Title,BOWL-1,15.00\nmug,,,Red,MUG-R,12.00\n');
    expect((await run(['listings', 'import', f, '--currency', 'EUR'], { home })).code).toBe(0);
    // Row by row too: a fixed rejects file with only a continuation row.
    expect((await run(['listings', 'import', file('rej.csv', head + 'mug,,,Green,MUG-G,12.00\n'), '--currency', 'EUR'], { home })).code).toBe(0);
    expect(query(home, `SELECT sku, options_json FROM variants WHERE sku LIKE 'MUG-%' ORDER BY sku`)).toEqual([
      { sku: 'MUG-B', options_json: '[["Colour","Blue"]]' },
      { sku: 'MUG-G', options_json: '[["Colour","Green"]]' },
      { sku: 'MUG-R', options_json: '[["Colour","Red"]]' },
    ]);
    // Renaming the option on the product's first row reaches the rows apart from it too.
    const renamed = JSON.parse((await run(['listings', 'import', file('nc2.csv', head + 'mug,Mug,Color,Blue,MUG-B,12.00\nbowl,Bowl,Title,Default Title,BOWL-1,15.00\nmug,,,Red,MUG-R,12.00\n'), '--currency', 'EUR', '--json'], { home })).stdout);
    expect(renamed).toMatchObject({ updated: 2, unchanged: 1 });
    expect(query(home, `SELECT sku, options_json FROM variants WHERE sku IN ('MUG-B', 'MUG-R') ORDER BY sku`)).toEqual([
      { sku: 'MUG-B', options_json: '[["Color","Blue"]]' },
      { sku: 'MUG-R', options_json: '[["Color","Red"]]' },
    ]);
  });

  it('an Amazon row with a blank currency cell asks for that cell or --channel; a price of 0 gets a note', async () => {
    const home = tempDir();
    const pq = file('pq.txt', 'TemplateType=PriceInventory\tVersion=2018.0924\nsku\tprice\tquantity\tcurrency\nMUG-1\t12.00\t5\t\n');
    const r = await run(['listings', 'import', pq], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('pq.txt:3:4: currency: the currency cell is blank and no --channel was given: cannot tell which Amazon storefront this row is for (fill in the currency, or pass --channel, e.g. amazon-uk)');
    const zero = await run(['listings', 'import', file('z.csv', 'sku,handle,title,price,currency\nFREE-1,f,Freebie,0.00,EUR\n')], { home });
    expect(zero.code).toBe(0);
    expect(zero.stderr).toContain('z.csv:2: FREE-1 has price 0: it would be offered for nothing');
  });

  it('a delete row (Amazon inventory loader add-delete=d) takes the SKU off the storefront and edits nothing else', async () => {
    const home = tempDir();
    const loader = (rows: string) => file('inv.txt', 'sku\tproduct-id\tproduct-id-type\tprice\tquantity\tadd-delete\n' + rows);
    expect((await run(['listings', 'import', file('own.csv', 'sku,handle,title,price,currency\nMUG-1,mug,Mug,10.00,GBP\n')], { home })).code).toBe(0);
    expect((await run(['listings', 'import', loader('MUG-1\t\t\t12.00\t5\ta\n'), '--channel', 'amazon-uk'], { home })).code).toBe(0);
    const r = await run(['listings', 'import', loader('MUG-1\t5012345678900\t4\t\t\td\n'), '--channel', 'amazon-uk'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, `SELECT v.barcode, c.status FROM variants v JOIN channel_listings c ON c.variant_id = v.id`)).toEqual([{ barcode: null, status: 'removed' }]);
  });

  it('a ="…" guard is one quoted value and nothing else: text that merely starts with = is kept', async () => {
    const home = tempDir();
    const f = file('g.csv', 'sku,handle,title,price,currency\n="0013" ,h1,"=""a"" and ""b""",1.00,EUR\nX-2,h2,="a""b",1.00,EUR\n');
    expect((await run(['listings', 'import', f], { home })).code).toBe(0);
    expect(query(home, 'SELECT v.sku, p.title FROM variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku')).toEqual([
      { sku: '0013', title: '="a" and "b"' },
      { sku: 'X-2', title: 'a"b' },
    ]);
  });

  it('eBay: a header Currency that is not the site’s is refused; End for a site the SKU is not on writes nothing', async () => {
    const home = tempDir();
    const eur = await run(['listings', 'import', file('eb5.csv', '*Action(SiteID=UK|Country=GB|Currency=EUR),*CustomLabel,*Title,*StartPrice,*Quantity\nAdd,F9,Tasse,9.99,3\n')], { home });
    expect(eur.code).toBe(3);
    expect(eur.stderr).toContain('the Action header says Currency=EUR, but eBay site UK (ebay-uk) sells in GBP');
    expect((await run(['listings', 'import', file('own.csv', 'sku,handle,title,price,currency\nMUG-R,mug,Mug,10.00,GBP\n')], { home })).code).toBe(0);
    const end = await run(['listings', 'import', file('end.csv', '*Action(SiteID=UK|Country=GB|Currency=GBP),*CustomLabel,*Title,*StartPrice,*Quantity\nEnd,MUG-R,,,\n')], { home });
    expect(end.code, end.stderr).toBe(0);
    expect(query(home, 'SELECT count(*) AS n FROM channel_listings')).toEqual([{ n: 0n }]);
  });

  it('a legacy Shopify export’s Product Category stands in for a blank Type', async () => {
    const home = tempDir();
    const f = file('pc.csv', 'Handle,Title,Type,Product Category,Variant SKU,Variant Price\nmug,Mug,,Home > Mugs,MUG-1,12.00\n');
    const r = await run(['listings', 'import', f, '--currency', 'EUR'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('columns not imported: Product Category');
    expect(query(home, 'SELECT product_type FROM products')).toEqual([{ product_type: 'Home > Mugs' }]);
  });

  it('Shopify: a variant without its own image gets the product’s first image, not the gallery image on its row', async () => {
    const home = tempDir();
    const head = 'Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Variant Image\n';
    const f = file('img.csv', head + 'mug,Mug,Colour,Blue,MUG-B,12.00,https://cdn/x/main.jpg,1,https://cdn/x/blue.jpg\nmug,,,Red,MUG-R,12.00,https://cdn/x/second.jpg,2,\nmug,,,,,,https://cdn/x/third.jpg,3,\n');
    const first = await run(['listings', 'import', f, '--currency', 'EUR'], { home });
    expect(first.code).toBe(0);
    // The gallery pictures the catalogue does not keep are said once, not dropped silently.
    expect(first.stderr.match(/gallery picture/g)).toHaveLength(1);
    expect(first.stderr).toMatch(/img\.csv:3: 2 further gallery pictures \(Image Src after a product's first row\) not kept/);
    expect(query(home, 'SELECT sku, image_url FROM variants ORDER BY sku')).toEqual([
      { sku: 'MUG-B', image_url: 'https://cdn/x/blue.jpg' },
      { sku: 'MUG-R', image_url: 'https://cdn/x/main.jpg' },
    ]);
    // A new first image reaches the variants that use it on the next import.
    const g = file('img2.csv', head + 'mug,Mug,Colour,Blue,MUG-B,12.00,https://cdn/x/new.jpg,1,https://cdn/x/blue.jpg\nmug,,,Red,MUG-R,12.00,https://cdn/x/second.jpg,2,\n');
    expect(JSON.parse((await run(['listings', 'import', g, '--currency', 'EUR', '--json'], { home })).stdout)).toMatchObject({ updated: 1, unchanged: 1 });
    expect(query(home, `SELECT image_url FROM variants WHERE sku = 'MUG-R'`)).toEqual([{ image_url: 'https://cdn/x/new.jpg' }]);
  });

  it('--quiet prints nothing on success (a cron job’s import), and still the problems of rejected rows', async () => {
    const home = tempDir();
    const ok = await run(['listings', 'import', file('q.csv', 'sku,handle,title,price,currency\nQ-1,q,Q,1.00,EUR\n'), '--quiet'], { home });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toBe('');
    const rej = join(tempDir(), 'rej.csv');
    const partial = await run(['listings', 'import', file('p.csv', 'sku,handle,title,price,currency\nQ-2,q2,Q,x,EUR\n'), '--quiet', '--skip-invalid', '--rejects', rej], { home });
    expect(partial.code).toBe(4);
    expect(partial.stdout).toBe('');
    expect(partial.stderr).toContain('p.csv:2:4');
  });
});
