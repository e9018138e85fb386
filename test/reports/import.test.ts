// `merchant orders import`: what the user sees (stdout, stderr, exit code) and the database after it.
import { describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { fixture, openHomeStore, seed, setTimezone } from './seed.js';

const ALL = ['shopify-orders-export.csv', 'shopify-orders-export-kwd.csv', 'amazon-all-orders.txt', 'amazon-settlement.txt',
  'ebay-orders-report-uk.csv', 'ebay-orders-report-us.csv'].map(fixture);

function counts(home: string) {
  const s = openHomeStore(home);
  const one = (sql: string) => Number((s.db.prepare(sql).get() as { n: bigint }).n);
  const r = {
    orders: one('SELECT count(*) AS n FROM orders'),
    lines: one('SELECT count(*) AS n FROM order_lines'),
    fees: one('SELECT count(*) AS n FROM order_fees'),
    refunds: one('SELECT count(*) AS n FROM order_refunds'),
  };
  s.close();
  return r;
}

describe('orders import', () => {
  test('imports every fixture format, then a re-import changes nothing and duplicates nothing', async () => {
    const home = tempDir();
    const first = await run(['orders', 'import', ...ALL], { home });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('orders: 15 created, 0 updated, 0 unchanged; fees: 9 created, 0 updated, 0 unchanged; refunds: 5 created, 0 updated, 0 unchanged\n');
    expect(first.stderr).toContain('amazon-all-orders.txt: 1 Non-Amazon (multi-channel fulfilment) rows skipped');
    expect(first.stderr).toMatch(/ebay-orders-report-uk\.csv: ebay, 4 rows, 2 orders/);
    const after = counts(home);
    expect(after).toEqual({ orders: 15, lines: 19, fees: 9, refunds: 5 });

    const again = await run(['orders', 'import', ...ALL], { home });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('orders: 0 created, 0 updated, 15 unchanged; fees: 0 created, 0 updated, 9 unchanged; refunds: 0 created, 0 updated, 5 unchanged\n');
    expect(counts(home)).toEqual(after);
  });

  test('stores each marketplace\'s amounts exactly (JPY without decimals, KWD with three, Amazon line totals)', async () => {
    const home = tempDir();
    expect((await run(['orders', 'import', ...ALL], { home })).code).toBe(0);
    const s = openHomeStore(home);
    const o = (id: string) => s.db.prepare('SELECT * FROM orders WHERE external_id = ?').get(id) as Record<string, unknown>;
    const jp = o('503-4444444-4000001');
    expect([jp.channel, jp.currency, jp.tax_minor, jp.ordered_at, jp.prices_include_tax]).toEqual(['amazon-jp', 'JPY', 362n, '2026-03-28T15:20:00Z', 1n]);
    const kw = o('6660002001');
    expect([kw.channel, kw.currency, kw.shipping_minor, kw.ship_country, kw.ordered_at]).toEqual(['shopify', 'KWD', 1500n, 'KW', '2026-03-08T09:00:00Z']);
    const lines = s.db.prepare('SELECT sku, quantity, unit_price_minor, gross_minor FROM order_lines WHERE order_id = ? ORDER BY id').all(kw.id);
    expect(lines).toEqual([
      { sku: 'OUD-50ML', quantity: 1n, unit_price_minor: 12750n, gross_minor: null },
      { sku: 'MUG-BLU-S', quantity: 2n, unit_price_minor: 3125n, gross_minor: null },
    ]);
    const us = o('111-3333333-3000001');
    expect([us.prices_include_tax, us.tax_kind, us.tax_minor, us.shipping_minor]).toEqual([0n, 'marketplace_facilitator', 528n, 599n]);
    const usLine = s.db.prepare('SELECT quantity, unit_price_minor, gross_minor FROM order_lines WHERE order_id = ?').get(us.id);
    expect(usLine).toEqual({ quantity: 3n, unit_price_minor: 1999n, gross_minor: 5997n });
    // Shopify: "Total = Subtotal + Shipping" means prices include the tax.
    expect(o('5550001001').prices_include_tax).toBe(1n);
    // eBay US: Total = items + shipping + eBay collected tax → tax on top.
    const eus = o('12-20001-00001');
    expect([eus.channel, eus.currency, eus.tax_minor, eus.total_minor, eus.prices_include_tax]).toEqual(['ebay-us', 'USD', 280n, 3779n, 0n]);
    // A multi-item eBay order: the order row's shipping, then one line per item row.
    const eu = o('12-10002-00002');
    expect([eu.channel, eu.shipping_minor, eu.ship_country]).toEqual(['ebay-uk', 450n, 'IE']);
    expect(s.db.prepare('SELECT count(*) AS n FROM order_lines WHERE order_id = ?').get(eu.id)).toEqual({ n: 2n });
    // Settlement refunds: dated when posted, tax-inclusive for an amazon-de order; promotion given back deducted.
    const refunds = s.db.prepare(`SELECT external_id, refunded_at, amount_minor, tax_minor, currency FROM order_refunds
      WHERE external_id LIKE 'settlement:%' ORDER BY external_id`).all();
    expect(refunds).toEqual([
      { external_id: 'settlement:11223344551:AMZADJ-9001', refunded_at: '2026-04-06T08:52:26Z', amount_minor: 1990n, tax_minor: 318n, currency: 'EUR' },
      { external_id: 'settlement:11223344551:AMZADJ-9002', refunded_at: '2026-04-13T13:05:00Z', amount_minor: 2690n, tax_minor: 477n, currency: 'EUR' },
    ]);
    // The Shopify export's Refunded Amount: dated at the order (the file has no refund date), tax in proportion.
    expect(s.db.prepare(`SELECT refunded_at, amount_minor, tax_minor FROM order_refunds WHERE external_id = 'shopify-export:refunded-amount'
      AND order_id = (SELECT id FROM orders WHERE external_id = '5550001002')`).get()).toEqual({ refunded_at: '2026-03-19T17:40:12Z', amount_minor: 1000n, tax_minor: 160n });
    s.close();
  });

  test('eBay transaction report: fees in the payout currency (EUR) on GBP orders, a dated partial refund with its fee credit', async () => {
    const home = tempDir();
    const r = await run(['orders', 'import', fixture('ebay-orders-report-uk.csv'), fixture('ebay-transaction-report-uk.csv')], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('orders: 2 created, 0 updated, 0 unchanged; fees: 9 created, 0 updated, 0 unchanged; refunds: 1 created, 0 updated, 0 unchanged\n');
    expect(r.stderr).toContain('ebay-transaction-report-uk.csv: ebay-transactions, 4 rows, 2 orders with fees or refunds');
    const rep = await run(['report', 'sales', '--from', '2026-03-01', '--to', '2026-04-30', '--group-by', 'month,channel', '--format', 'csv'], { home });
    // The April EUR net (−20.07) is the report's own "Net amount" for the refund row.
    expect(rep.stdout).toBe(`period,channel,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-03,ebay-uk,EUR,0,0,0.00,0.00,0.00,16.07,0.00,0.00,-16.07
2026-03,ebay-uk,GBP,2,4,89.96,0.00,0.00,0.00,8.00,0.00,97.96
2026-04,ebay-uk,EUR,0,0,0.00,0.00,22.99,-2.92,0.00,0.00,-20.07
total,,EUR,0,0,0.00,0.00,22.99,13.15,0.00,0.00,-36.14
total,,GBP,2,4,89.96,0.00,0.00,0.00,8.00,0.00,97.96
`);
    const again = await run(['orders', 'import', fixture('ebay-transaction-report-uk.csv')], { home });
    expect(again.stdout).toBe('orders: 0 created, 0 updated, 0 unchanged; fees: 0 created, 0 updated, 9 unchanged; refunds: 0 created, 0 updated, 1 unchanged\n');
  });

  test('eBay: a report whose "Sold For" is the line total (Total Price only adds up that way) is read as such', async () => {
    const home = tempDir();
    const dir = tempDir();
    const file = join(dir, 'ebay.csv');
    writeFileSync(file, readFileSync(fixture('ebay-orders-report-uk.csv'), 'utf8').replace('"2","£24.99"', '"2","£49.98"'));
    expect((await run(['orders', 'import', file], { home })).code).toBe(0);
    const s = openHomeStore(home);
    expect(s.db.prepare(`SELECT quantity, unit_price_minor, gross_minor FROM order_lines WHERE external_line_id = '2411111111001'`).get())
      .toEqual({ quantity: 2n, unit_price_minor: 2499n, gross_minor: 4998n });
    s.close();
  });

  test('eBay date-only sale dates fall on that day in the seller time zone', async () => {
    const home = tempDir();
    const s = openHomeStore(home);
    setTimezone(s, 'America/Los_Angeles');
    s.close();
    expect((await run(['orders', 'import', fixture('ebay-orders-report-us.csv')], { home })).code).toBe(0);
    const t = openHomeStore(home);
    expect(t.db.prepare('SELECT ordered_at FROM orders').get()).toEqual({ ordered_at: '2026-04-05T19:00:00Z' }) // noon PDT on Easter Sunday;
    t.close();
  });

  test('an edited export updates the order in place (same id, new values), never duplicating it', async () => {
    const home = tempDir();
    const dir = tempDir();
    const file = join(dir, 'orders_export.csv');
    const text = readFileSync(fixture('shopify-orders-export.csv'), 'utf8');
    writeFileSync(file, text);
    expect((await run(['orders', 'import', file], { home })).code).toBe(0);
    writeFileSync(file, text.replace('partially_refunded', 'refunded').replace(',10.00,Lindqvist', ',26.91,Lindqvist'));
    const r = await run(['orders', 'import', file], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^orders: 0 created, 1 updated, 3 unchanged; fees: 0 created, 0 updated, 0 unchanged; refunds: 1 created/);
    const s = openHomeStore(home);
    expect(s.db.prepare(`SELECT count(*) AS n, sum(amount_minor) AS a FROM order_refunds WHERE order_id = (SELECT id FROM orders WHERE external_id = '5550001002')`).get())
      .toEqual({ n: 1n, a: 2691n });
    expect(s.db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 4n });
    s.close();
  });

  test('invalid rows: file:line:column errors, exit 3, nothing written', async () => {
    const home = tempDir();
    const dir = tempDir();
    const file = join(dir, 'amazon.txt');
    const lines = readFileSync(fixture('amazon-all-orders.txt'), 'utf8').split('\n');
    lines[2] = lines[2]!.replace('\t39.80\t', '\t39,8O\t'); // line 3, item-price (column 17)
    lines[5] = lines[5]!.replace('2026-03-14T14:00:00+00:00', '10/10/2026'); // line 6, purchase-date (column 3)
    writeFileSync(file, lines.join('\n'));
    const r = await run(['orders', 'import', fixture('shopify-orders-export.csv'), file], { home });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('2 problems in');
    expect(r.stderr).toContain(`${file}:3:17: item-price: "39,8O" is not an amount`);
    expect(r.stderr).toContain(`${file}:6:3: purchase-date: "10/10/2026" is not a timestamp with a zone`);
    expect(r.stderr).toContain('nothing was imported');
    expect(counts(home)).toEqual({ orders: 0, lines: 0, fees: 0, refunds: 0 });
  });

  test('--json error document carries the problems', async () => {
    const home = tempDir();
    const dir = tempDir();
    const file = join(dir, 'x.csv');
    writeFileSync(file, 'sku,price\nA,1\n');
    const r = await run(['orders', 'import', file, '--json'], { home });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { error: { code: string; problems: Array<{ line: number; rule: string }> } };
    expect(doc.error.code).toBe('invalid_input');
    expect(doc.error.problems[0]).toMatchObject({ line: 1, rule: 'format' });
  });

  test('a settlement for an order that is not known fails without writing anything', async () => {
    const home = tempDir();
    const r = await run(['orders', 'import', fixture('amazon-settlement.txt')], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('order 302-1111111-1000001 is not in the database: import its order report first');
    expect(counts(home)).toEqual({ orders: 0, lines: 0, fees: 0, refunds: 0 });
  });

  test('--dry-run validates and counts but writes nothing', async () => {
    const home = tempDir();
    const r = await run(['orders', 'import', fixture('amazon-all-orders.txt'), '--dry-run'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('dry run, nothing written — orders: 6 created, 0 updated, 0 unchanged; fees: 0 created, 0 updated, 0 unchanged; refunds: 0 created, 0 updated, 0 unchanged\n');
    expect(counts(home).orders).toBe(0);
  });

  test('Windows-1252 (EU Amazon flat files) and UTF-16 files are decoded', async () => {
    const home = tempDir();
    const dir = tempDir();
    const iconv = (await import('iconv-lite')).default;
    const amazon = readFileSync(fixture('amazon-all-orders.txt'), 'utf8').replace('– blue, small', 'für Küche – blue, small');
    writeFileSync(join(dir, 'amazon-cp1252.txt'), iconv.encode(amazon, 'win1252'));
    writeFileSync(join(dir, 'shopify-utf16.csv'), iconv.encode(readFileSync(fixture('shopify-orders-export.csv'), 'utf8'), 'utf16le', { addBOM: true }));
    const r = await run(['orders', 'import', join(dir, 'amazon-cp1252.txt'), join(dir, 'shopify-utf16.csv')], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^orders: 10 created/);
    const s = openHomeStore(home);
    expect(s.db.prepare(`SELECT title FROM order_lines WHERE title LIKE '%Küche%' LIMIT 1`).get()).toEqual({ title: 'Stoneware mug "Fjord" für Küche – blue, small' });
    s.close();
  });

  test('reads stdin with -', async () => {
    const home = tempDir();
    const r = await run(['orders', 'import', '-'], { home, stdin: readFileSync(fixture('ebay-orders-report-uk.csv'), 'utf8') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^orders: 2 created/);
  });

  test('an order already synced from the marketplace API is kept, not overwritten by a file', async () => {
    const home = tempDir();
    const s = openHomeStore(home);
    seed(s, [{ id: '12-10001-00001', channel: 'ebay-uk', currency: 'GBP', at: '2026-10-11T10:00:00Z', lines: [{ sku: 'MUG-BLU-S', qty: 2, price: 2499n }] }]);
    s.db.prepare(`UPDATE orders SET source = 'api'`).run();
    s.close();
    const r = await run(['orders', 'import', fixture('ebay-orders-report-uk.csv')], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^orders: 1 created, 0 updated, 0 unchanged, 1 kept as synced from the API/);
    expect(counts(home).orders).toBe(2);
  });

  test('writing takes the lock: another holder means exit 5', async () => {
    const home = tempDir();
    const s = openHomeStore(home);
    s.db.prepare(`INSERT INTO lock (name, pid, host, command, acquired_at) VALUES ('writer', 1, ?, 'sync', '2026-11-25T00:00:00Z')`).run((await import('node:os')).hostname());
    s.close();
    const r = await run(['orders', 'import', fixture('amazon-all-orders.txt')], { home });
    expect(r.code).toBe(5);
  });
});
