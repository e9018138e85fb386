// template, list, show, export: what a user sees, and the export → import round trip.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { fx, query, snapshot, DEMO } from './helpers.js';

const SHOP = join(DEMO, 'shop-products.csv');

describe('listings template', () => {
  it('writes a blank template for each format that the importer detects as that format', async () => {
    for (const [format, expectId] of [
      ['merchant', 'merchant/1'],
      ['shopify', 'shopify/2024'],
      ['shopify/legacy', 'shopify/legacy'],
      ['amazon', 'amazon/flatfile'],
      ['amazon/workbook', 'amazon/workbook'],
      ['amazon/price-inventory', 'amazon/price-inventory'],
      ['ebay', 'ebay/file-exchange'],
      ['ebay/seller-hub', 'ebay/seller-hub'],
      ['woocommerce', 'woocommerce/3'],
    ]) {
      const dir = tempDir();
      const out = join(dir, 'template.csv');
      const t = await run(['listings', 'template', format!, '--output', out, '--example'], { home: dir });
      expect(t.code, format).toBe(0);
      expect(t.stderr).toContain(expectId!);
      // Importing the template with its example row: recognised, and valid or rejected only for data reasons.
      const r = await run(['listings', 'import', out, '--currency', 'GBP', '--dry-run', '--json'], { home: dir });
      const doc = JSON.parse(r.stdout);
      if (doc.error) {
        // A price & quantity file only updates SKUs that exist: recognised, rejected for that reason.
        expect(format).toBe('amazon/price-inventory');
        expect(doc.error.problems.map((p: { rule: string }) => p.rule)).toEqual(['unknown-sku']);
        continue;
      }
      expect(`${doc.files[0].format}/${doc.files[0].generation}`, format).toBe(expectId);
      expect(doc.created, format).toBe(1);
    }
  });

  it('prints to stdout with the column guide on stderr, and --json describes the columns', async () => {
    const r = await run(['listings', 'template', 'merchant'], { home: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe(
      'sku,handle,title,variant_title,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value,description,vendor,brand,product_type,tags,status,barcode,price,currency,compare_at_price,cost,cost_currency,landed_cost,weight_grams,length_mm,width_mm,height_mm,hs_code,origin_country,image_url,quantity,channels',
    );
    expect(r.stderr).toMatch(/sku\s+required\s+Stock keeping unit/);
    const j = await run(['listings', 'template', 'ebay', '--json'], { home: tempDir() });
    const doc = JSON.parse(j.stdout);
    expect(doc.columns.find((c: { field: string }) => c.field === 'sku')).toMatchObject({ header: 'CustomLabel', required: true });
    const bad = await run(['listings', 'template', 'etsy'], { home: tempDir() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('shopify/legacy');
  });

  it('the eBay template carries the *Action(SiteID=…) header', async () => {
    const r = await run(['listings', 'template', 'ebay'], { home: tempDir() });
    expect(r.stdout.startsWith('*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193|CC=UTF-8),ItemID,*CustomLabel')).toBe(true);
  });
});

describe('listings list / show', () => {
  it('list: TSV on a pipe, table on a TTY, json, csv, filters', async () => {
    const home = tempDir();
    await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home });
    await run(['listings', 'import', join(DEMO, 'amazon-flatfile.txt')], { home });
    const pipe = await run(['listings', 'list'], { home });
    expect(pipe.stdout.split('\n')[1]).toBe('MUG-BLU-S\tStoneware mug\tBlue / Small\t249.00 SEK\t40\tamazon-uk shopify');
    const tty = await run(['listings', 'list', '--sku', 'BOWL-*'], { home, tty: true, env: { NO_COLOR: '1' } });
    expect(tty.stdout).toMatch(/SKU\s+PRODUCT\s+VARIANT\s+PRICE\s+STOCK\s+CHANNELS/);
    expect(tty.stdout).toMatch(/BOWL-S\s+Ceramic bowl\s+Small\s+229\.00 SEK\s+18\s+shopify/);
    expect(tty.stdout).not.toContain('MUG-');
    const j = JSON.parse((await run(['listings', 'list', '--format', 'json', '--channel', 'amazon-uk'], { home })).stdout).items;
    expect(j.map((x: { sku: string }) => x.sku)).toEqual(['MUG-BLU-S', 'MUG-BLU-L', 'MUG-GRN-S', 'MUG-GRN-L', 'TOWEL-NAT', 'TOWEL-STR']);
    expect(j[0]).toMatchObject({ price: { amount: '249.00', currency: 'SEK' }, onHand: 40, available: 40 });
    const csv = await run(['listings', 'list', '--format', 'csv', '--search', 'candle'], { home });
    expect(csv.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('show <sku> --json: the §10 shape with storefronts and pending changes', async () => {
    const home = tempDir();
    await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home });
    await run(['listings', 'import', join(DEMO, 'amazon-flatfile.txt')], { home });
    const r = await run(['listings', 'show', 'MUG-BLU-S', '--json'], { home });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({
      sku: 'MUG-BLU-S',
      handle: 'stoneware-mug',
      title: 'Stoneware mug',
      variantTitle: 'Blue / Small',
      price: { amount: '249.00', currency: 'SEK' },
      cost: { amount: '68.00', currency: 'SEK' },
      weightGrams: 380,
      hsCode: '691200',
      originCountry: 'SE',
      barcode: '7350053850019',
      stock: { onHand: 40, reserved: 0, available: 40 },
    });
    expect(d.channels).toEqual([
      { channel: 'amazon-uk', status: 'active', price: { amount: '22.99', currency: 'GBP' }, quantity: 20, remoteId: null, remoteSku: 'MUG-BLU-S', remoteSkuSource: 'sku', remoteListingId: null, acked: null },
      { channel: 'shopify', status: 'active', price: { amount: '249.00', currency: 'SEK' }, quantity: null, remoteId: null, remoteSku: 'MUG-BLU-S', remoteSkuSource: 'sku', remoteListingId: null, acked: null },
    ]);
    expect(d.pendingChanges.map((p: { channel: string; kind: string }) => `${p.kind}:${p.channel}`)).toEqual(['listing:shopify', 'listing:amazon-uk']);
    const human = await run(['listings', 'show', 'MUG-BLU-S'], { home, tty: true, env: { NO_COLOR: '1' } });
    expect(human.stdout).toMatch(/HS code\s+691200/);
    expect(human.stdout).toMatch(/amazon-uk\s+active\s+22\.99 GBP\s+20\s+not yet synced/);
    const missing = await run(['listings', 'show', 'NOPE'], { home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no SKU "NOPE"');
  });
});

describe('listings export', () => {
  it('round-trips through import with zero changes (Shopify + Amazon catalogue)', async () => {
    const home = tempDir();
    await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home });
    await run(['listings', 'import', join(DEMO, 'amazon-flatfile.txt')], { home });
    await run(['listings', 'import', fx('merchant.csv')], { home });
    const out = join(tempDir(), 'export.csv');
    const e = await run(['listings', 'export', '--format', 'csv', '--output', out], { home });
    expect(e.code).toBe(0);
    const before = snapshot(home);
    const r = await run(['listings', 'import', out, '--json'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 15, rejected: 0, outbox: 0 });
    const strip = (s: string) => JSON.stringify(JSON.parse(s).slice(0, 5));
    expect(strip(snapshot(home))).toBe(strip(before));
    // stdout export is the same bytes as the file
    const stdout = await run(['listings', 'export', '--format', 'csv', '--output', '-'], { home });
    expect(stdout.stdout).toBe(readFileSync(out, 'utf8'));
  });

  it('an export imported into a new catalogue gives the same catalogue, storefront quantities included', async () => {
    const home = tempDir();
    await run(['listings', 'import', SHOP, '--currency', 'SEK'], { home });
    await run(['listings', 'import', join(DEMO, 'amazon-flatfile.txt')], { home });
    const out = join(tempDir(), 'export.csv');
    expect((await run(['listings', 'export', '--format', 'csv', '--output', out], { home })).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/amazon-uk=\d+\.\d\d:\d+/);
    const fresh = tempDir();
    const r = await run(['listings', 'import', out], { home: fresh });
    expect(r.code, r.stderr).toBe(0);
    const state = (h: string) =>
      query(h, `SELECT v.sku, v.price_minor, v.currency, i.on_hand, c.channel, c.price_minor AS cp, c.currency AS cc, c.quantity, c.status
                FROM variants v LEFT JOIN inventory i ON i.variant_id = v.id LEFT JOIN channel_listings c ON c.variant_id = v.id ORDER BY v.sku, c.channel`);
    expect(state(fresh)).toEqual(state(home));
    expect(state(home).some((x) => x.quantity !== null)).toBe(true);
  });

  it('neutralises formula injection in text cells and reads it back unchanged', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'evil.csv');
    writeFileSync(f, 'sku,handle,title,vendor,price,currency\nEVIL-1,evil,"=HYPERLINK(""http://x"",""click"")",@vendor,1.00,EUR\n');
    expect((await run(['listings', 'import', f], { home })).code).toBe(0);
    const out = (await run(['listings', 'export'], { home })).stdout;
    expect(out).toContain(`"'=HYPERLINK(""http://x"",""click"")"`);
    expect(out).toContain(",'@vendor,");
    const again = join(tempDir(), 'again.csv');
    writeFileSync(again, out);
    const r = await run(['listings', 'import', again, '--json'], { home });
    expect(JSON.parse(r.stdout)).toMatchObject({ updated: 0, unchanged: 1 });
    expect(query(home, 'SELECT title, vendor FROM products')).toEqual([{ title: '=HYPERLINK("http://x","click")', vendor: '@vendor' }]);
  });
});
