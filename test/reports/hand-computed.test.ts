// A small business whose every figure is worked out by hand below, beside the golden files (which are
// regenerated from the code and so only pin its output): if a golden is regenerated over a wrong
// number, these still fail. Issue #16 ("keep hand-computed expectations beside them") and #17 items
// 2, 7, 8 and the VAT-scheme grouping; #18 stale rates, Excel locale and months, the Xero hint.
//
// The business: Lindqvist Design AB, established in Sweden, ships from Stockholm, base currency EUR,
// no IOSS number; ECB rates 1 EUR = 0.85 GBP = 1.10 USD. Orders of March 2026:
//   A  shopify → DE  EUR  1 × 119.00 incl. 19% VAT, discount 11.90, shipping 11.90, VAT 19.00 (own shop, EU stock: OSS DE)
//      refund of A on 2026-03-20: 23.80 with 3.80 VAT
//   B  amazon-uk → GB GBP 24.00 incl. VAT 4.00, fee 3.60 (≤ £135 through Amazon: Amazon is the deemed supplier)
//   C  ebay-us → US  USD 50.00 + sales tax 4.00 on top (eBay is the marketplace facilitator)
//   D  shopify → SE  EUR three orders of 1.99 incl. 25% VAT 0.40 each (domestic Swedish VAT)
//   E  shopify → US  EUR 30.00 + 2.00 tax on top (own shop, export: nobody collects at sale; the 2.00 the shop charged is the seller's)
//
// By hand (VAT inside a price P at the order's own ratio):
//   A  VAT on shipping: 19.00 × 11.90 / (119.00 − 11.90 + 11.90) = 1.90; VAT on goods paid: 19.00 − 1.90 = 17.10;
//      VAT in the discount: 11.90 × 17.10 / (119.00 − 11.90) = 1.90.
//      sales net 119.00 − (17.10 + 1.90) = 100.00; shipping net 10.00; discount net 10.00; VAT 19.00
//      refund net 23.80 − 3.80 = 20.00, its VAT 3.80 back out of the VAT account (not out of sales)
//      clearing 119.00 + 11.90 − 11.90 − 23.80 = 95.20
//   B  Amazon keeps the VAT: sales net 24.00 − 4.00 = 20.00, fees 3.60, clearing 24.00 − 3.60 − 4.00 = 16.40
//   C  eBay keeps the sales tax: sales 50.00, clearing 50.00
//   D  sales net 5.97 − 1.20 = 4.77, VAT 1.20, clearing 5.97
//   E  sales 30.00, tax on top 2.00 (the seller's), clearing 32.00
import { beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { openHomeStore, seed, seedRates } from './seed.js';
import { orderTaxPort } from '../../src/services/orders/import.js';
import { recordOrderTaxFacts } from '../../src/services/orders/tax-facts.js';

const MARCH = ['--from', '2026-03-01', '--to', '2026-03-31'];

function business(home: string): void {
  const s = openHomeStore(home);
  s.db.prepare(`INSERT INTO business_profile (id, legal_name, country, base_currency, timezone, ship_from_json, created_at, updated_at)
    VALUES (1, 'Lindqvist Design AB', 'SE', 'EUR', 'UTC', '{"country":"SE","postalCode":"111 22"}', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`).run();
  seedRates(s, [['2026-03-02', 'GBP', '0.85'], ['2026-03-02', 'USD', '1.10'], ['2026-03-31', 'GBP', '0.85'], ['2026-03-31', 'USD', '1.10']]);
  const at = '2026-03-10T10:00:00Z';
  seed(s, [
    { id: 'A', channel: 'shopify', currency: 'EUR', at, country: 'DE', includesTax: 1, discount: 1190n, shipping: 1190n, tax: 1900n,
      lines: [{ sku: 'MUG', qty: 1, price: 11900n }], refunds: [{ at: '2026-03-20T09:00:00Z', amount: 2380n, tax: 380n }] },
    { id: 'B', channel: 'amazon-uk', currency: 'GBP', at, country: 'GB', includesTax: 1, tax: 400n, lines: [{ sku: 'MUG', qty: 1, price: 2400n }],
      fees: [{ amount: 360n, currency: 'GBP' }] },
    { id: 'C', channel: 'ebay-us', currency: 'USD', at, country: 'US', includesTax: 0, tax: 400n, lines: [{ sku: 'MUG', qty: 1, price: 5000n }] },
    { id: 'D1', channel: 'shopify', currency: 'EUR', at, country: 'SE', includesTax: 1, tax: 40n, lines: [{ sku: 'PIN', qty: 1, price: 199n }] },
    { id: 'D2', channel: 'shopify', currency: 'EUR', at, country: 'SE', includesTax: 1, tax: 40n, lines: [{ sku: 'PIN', qty: 1, price: 199n }] },
    { id: 'D3', channel: 'shopify', currency: 'EUR', at, country: 'SE', includesTax: 1, tax: 40n, lines: [{ sku: 'PIN', qty: 1, price: 199n }] },
    { id: 'E', channel: 'shopify', currency: 'EUR', at, country: 'US', includesTax: 0, tax: 200n, lines: [{ sku: 'MUG', qty: 1, price: 3000n }] },
  ]);
  s.close();
}

let home: string;
beforeAll(() => {
  home = tempDir();
  business(home);
});

const report = async (args: string[], opts: Parameters<typeof run>[1] = {}) => run(['report', 'sales', ...MARCH, ...args], { home, ...opts });

describe('--group-by vat-scheme,country: the figures the OSS/IOSS returns need', () => {
  const EXPECTED = `period,vat_scheme,country,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-03-01/2026-03-31,domestic,SE,EUR,3,3,5.97,0.00,0.00,0.00,0.00,1.20,4.77
2026-03-01/2026-03-31,import,US,EUR,1,1,30.00,0.00,0.00,0.00,0.00,2.00,30.00
2026-03-01/2026-03-31,marketplace,GB,GBP,1,1,24.00,0.00,0.00,3.60,0.00,4.00,16.40
2026-03-01/2026-03-31,marketplace,US,USD,1,1,50.00,0.00,0.00,0.00,0.00,4.00,50.00
2026-03-01/2026-03-31,oss,DE,EUR,1,1,119.00,11.90,23.80,0.00,11.90,15.20,80.00
total,,,EUR,5,5,154.97,11.90,23.80,0.00,11.90,18.40,114.77
total,,,GBP,1,1,24.00,0.00,0.00,3.60,0.00,4.00,16.40
total,,,USD,1,1,50.00,0.00,0.00,0.00,0.00,4.00,50.00
`;
  test('decided on the fly for orders stored before the tax facts existed (the database is not written)', async () => {
    const r = await report(['--group-by', 'vat-scheme,country', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(EXPECTED);
    const s = openHomeStore(home);
    expect((s.db.prepare('SELECT count(*) AS n FROM orders WHERE vat_scheme IS NOT NULL').get() as { n: bigint }).n).toBe(0n);
    s.close();
  });
  test('stored on the orders, the same', async () => {
    const h = tempDir();
    business(h);
    const s = openHomeStore(h);
    recordOrderTaxFacts(orderTaxPort(s), [1, 2, 3, 4, 5, 6, 7]);
    const stored = s.db.prepare('SELECT external_id, vat_collector, vat_scheme, vat_country, vat_rule FROM orders ORDER BY external_id').all();
    s.close();
    expect(stored).toEqual([
      { external_id: 'A', vat_collector: 'seller', vat_scheme: 'oss', vat_country: 'DE', vat_rule: 'EU-OSS-DISTANCE-SALES' },
      { external_id: 'B', vat_collector: 'marketplace', vat_scheme: 'marketplace', vat_country: 'GB', vat_rule: 'UK-OMP-DEEMED-SUPPLIER' },
      { external_id: 'C', vat_collector: 'marketplace', vat_scheme: 'marketplace', vat_country: 'US', vat_rule: 'US-MARKETPLACE-FACILITATOR' },
      { external_id: 'D1', vat_collector: 'seller', vat_scheme: 'domestic', vat_country: 'SE', vat_rule: 'DOMESTIC' },
      { external_id: 'D2', vat_collector: 'seller', vat_scheme: 'domestic', vat_country: 'SE', vat_rule: 'DOMESTIC' },
      { external_id: 'D3', vat_collector: 'seller', vat_scheme: 'domestic', vat_country: 'SE', vat_rule: 'DOMESTIC' },
      { external_id: 'E', vat_collector: 'import', vat_scheme: 'import', vat_country: 'US', vat_rule: 'US-DEMINIMIS-SUSPENDED' },
    ]);
    const r = await run(['report', 'sales', ...MARCH, '--group-by', 'vat-scheme,country', '--format', 'csv'], { home: h });
    expect(r.stdout).toBe(EXPECTED);
  });
});

describe('VAT decided on the fly for more orders than one batch (services/reports/sales.ts VAT_BATCH)', () => {
  test('12,000 more domestic orders: every batch decided and kept, the other rows unchanged', async () => {
    const h = tempDir();
    business(h);
    const s = openHomeStore(h);
    const at = '2026-03-12T10:00:00Z';
    seed(s, Array.from({ length: 12_000 }, (_, i) => ({ id: `P${i}`, channel: 'shopify', currency: 'EUR', at, country: 'SE', includesTax: 1 as const, tax: 40n, lines: [{ sku: 'PIN', qty: 1, price: 199n }] })));
    s.close();
    const r = await run(['report', 'sales', ...MARCH, '--group-by', 'vat-scheme,country', '--format', 'csv'], { home: h });
    expect(r.code, r.stderr).toBe(0);
    // domestic: 3 + 12,000 orders of 1.99 with 0.40 VAT; the EUR total grows by the same.
    expect(r.stdout).toBe(`period,vat_scheme,country,currency,orders,units,gross,discounts,refunds,fees,shipping,tax,net
2026-03-01/2026-03-31,domestic,SE,EUR,12003,12003,23885.97,0.00,0.00,0.00,0.00,4801.20,19084.77
2026-03-01/2026-03-31,import,US,EUR,1,1,30.00,0.00,0.00,0.00,0.00,2.00,30.00
2026-03-01/2026-03-31,marketplace,GB,GBP,1,1,24.00,0.00,0.00,3.60,0.00,4.00,16.40
2026-03-01/2026-03-31,marketplace,US,USD,1,1,50.00,0.00,0.00,0.00,0.00,4.00,50.00
2026-03-01/2026-03-31,oss,DE,EUR,1,1,119.00,11.90,23.80,0.00,11.90,15.20,80.00
total,,,EUR,12005,12005,24034.97,11.90,23.80,0.00,11.90,4818.40,19194.77
total,,,GBP,1,1,24.00,0.00,0.00,3.60,0.00,4.00,16.40
total,,,USD,1,1,50.00,0.00,0.00,0.00,0.00,4.00,50.00
`);
  });
});

describe('hledger: declared accounts, VAT per scheme, refund VAT out of the VAT account', () => {
  let text: string;
  beforeAll(async () => {
    const r = await report(['--group-by', 'month,channel', '--profile', 'hledger']);
    expect(r.code, r.stderr).toBe(0);
    text = r.stdout;
  });
  test('the shopify transaction, posting by posting', () => {
    const pad = (a: string, n: string) => `    ${a.padEnd(48)}  ${n.padStart(16)} EUR`;
    const shopify = [
      '2026-03-31 merchant sales 2026-03 shopify',
      pad('assets:marketplace-clearing:shopify', '133.17'), // 5.97 + 32.00 + 95.20
      pad('income:sales:domestic', '-4.77'),
      pad('liabilities:tax-payable:domestic', '-1.20'),
      pad('income:sales:import', '-30.00'),
      pad('liabilities:tax-payable:import', '-2.00'),
      pad('income:sales:oss:de', '-100.00'),
      pad('income:shipping', '-10.00'),
      pad('income:discounts', '10.00'),
      pad('income:refunds', '20.00'),
      pad('liabilities:tax-payable:oss:de', '-15.20'), // −19.00 collected + 3.80 given back
    ].join('\n');
    expect(text).toContain(`${shopify}\n`);
    expect(text).toContain(['2026-03-31 merchant sales 2026-03 amazon-uk', '    assets:marketplace-clearing:amazon-uk'.padEnd(54) + '16.40'.padStart(16) + ' GBP'].join('\n'));
    expect(text).toMatch(/income:sales:marketplace\s+-20\.00 GBP/);
    expect(text).toMatch(/expenses:marketplace-fees:amazon-uk\s+3\.60 GBP/);
    expect(text).not.toMatch(/tax-payable:marketplace/); // the marketplaces' VAT is not the seller's liability
  });
  test('every account used is declared, with its type', () => {
    for (const a of ['assets:marketplace-clearing:shopify  ; type: A', 'income:sales:oss:de  ; type: R', 'liabilities:tax-payable:oss:de  ; type: L', 'expenses:marketplace-fees:amazon-uk  ; type: X']) {
      expect(text).toContain(`account ${a}\n`);
    }
  });
  const hasHledger = spawnSync('hledger', ['--version']).status === 0;
  test.skipIf(!hasHledger)('`hledger check --strict` passes and the VAT account holds 15.20 + 1.20 + 2.00', () => {
    const f = join(tempDir(), 'march.journal');
    writeFileSync(f, text);
    const check = spawnSync('hledger', ['-f', f, 'check', '--strict'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const bal = spawnSync('hledger', ['-f', f, 'balance', 'liabilities', '--flat', '--no-total', '-O', 'csv'], { encoding: 'utf8' });
    expect(bal.stdout).toContain('"liabilities:tax-payable:oss:de","-15.20 EUR"');
    expect(bal.stdout).toContain('"liabilities:tax-payable:domestic","-1.20 EUR"');
  });
});

describe('Xero: base currency only; VAT through tax rates on the lines', () => {
  test('a report in other currencies than the base currency is refused, the hint names the base currency', async () => {
    const r = await report(['--profile', 'xero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Xero manual journals are in your base currency EUR, but this report is in EUR, GBP, USD');
    expect(r.stderr).toContain('--currency EUR (your base currency)');
    const sek = await report(['--profile', 'xero', '--currency', 'SEK']);
    expect(sek.code).toBe(2);
    expect(sek.stderr).toContain('Xero manual journals are in your base currency EUR, not SEK');
    expect(sek.stderr).toContain('--currency EUR (your base currency)');
  });
  test('domestic sales with a 25% tax rate post net, Xero adds the VAT; the cent Xero rounds away goes to the VAT account', async () => {
    const h = tempDir();
    business(h);
    expect((await run(['config', 'set', 'report.xero.taxRate.domestic', '25% (VAT on Income)'], { home: h })).code).toBe(0);
    const r = await run(['report', 'sales', ...MARCH, '--channel', 'shopify', '--group-by', 'month,channel', '--currency', 'EUR', '--profile', 'xero'], { home: h });
    expect(r.code, r.stderr).toBe(0);
    const n = 'merchant sales 2026-03 shopify,31/03/2026';
    // Xero's VAT on the domestic line: −4.77 × 25% = −1.1925 → −1.19; charged −1.20: −0.01 more to account 820.
    expect(r.stdout).toBe([
      '*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount,TrackingName1,TrackingOption1,TrackingName2,TrackingOption2',
      `${n},Marketplace clearing (money due from the marketplace),1210,No VAT,133.17,Channel,shopify,,`,
      `${n},"Sales, net of VAT (Domestic SE)",200,25% (VAT on Income),-4.77,Channel,shopify,VAT country,SE`,
      `${n},VAT rounding: charged less Xero's 25% (VAT on Income) (Domestic),820,No VAT,-0.01,Channel,shopify,VAT country,SE`,
      `${n},"Sales, net of VAT (Export / VAT at import)",206,No VAT,-30.00,Channel,shopify,,`,
      `${n},VAT collected (Export / VAT at import),820,No VAT,-2.00,Channel,shopify,,`,
      `${n},"Sales, net of VAT (OSS DE)",201,No VAT,-100.00,Channel,shopify,VAT country,DE`,
      `${n},"Shipping charged, net of VAT (OSS DE)",260,No VAT,-10.00,Channel,shopify,VAT country,DE`,
      `${n},"Discounts, net of VAT (OSS DE)",270,No VAT,10.00,Channel,shopify,VAT country,DE`,
      `${n},"Refunds, net of VAT (OSS DE)",280,No VAT,20.00,Channel,shopify,VAT country,DE`,
      `${n},VAT collected (OSS DE),825,No VAT,-19.00,Channel,shopify,VAT country,DE`,
      `${n},VAT given back with refunds (OSS DE),825,No VAT,3.80,Channel,shopify,VAT country,DE`,
      '',
    ].join('\r\n'));
    // the lines sum to +1.19, which Xero's own VAT line (−1.19) balances
  });
});

describe('QuickBooks: the company\'s date format and an exchange-rate column', () => {
  test('a Swedish company gets dd/mm/yyyy; a GBP journal carries EUR per GBP = 1 / 0.85 = 1.176471', async () => {
    const r = await report(['--group-by', 'month,channel', '--profile', 'qbo']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('JournalNo,JournalDate,AccountName,Debits,Credits,Description,Name,Currency,Exchange Rate');
    expect(lines).toContain('MS-0001,31/03/2026,Marketplace Clearing,16.40,,merchant sales 2026-03 amazon-uk: Marketplace clearing (money due from the marketplace),amazon-uk,GBP,1.176471');
    expect(lines).toContain('MS-0001,31/03/2026,Sales:Marketplace-collected,,20.00,"merchant sales 2026-03 amazon-uk: Sales, net of VAT (Marketplace-collected)",amazon-uk,GBP,1.176471');
    // USD: 1 / 1.10 = 0.9090909… → 0.909091; EUR journals (the home currency) have none
    expect(lines.some((l) => l.startsWith('MS-0002,31/03/2026,Marketplace Clearing,50.00,,') && l.endsWith(',USD,0.909091'))).toBe(true);
    expect(lines.filter((l) => l.includes(',EUR,')).every((l) => l.endsWith(',EUR,'))).toBe(true);
  });
  test('config report.qbo.dateFormat mdy gives 03/31/2026', async () => {
    const h = tempDir();
    business(h);
    await run(['config', 'set', 'report.qbo.dateFormat', 'mdy'], { home: h });
    const r = await run(['report', 'sales', ...MARCH, '--profile', 'qbo'], { home: h });
    expect(r.stdout).toContain(',03/31/2026,');
  });
});

describe('Excel: the business country\'s delimiter and decimal mark, months kept as text', () => {
  test('Sweden: ";" and "5,97"; the month written as ="2026-03"', async () => {
    const r = await report(['--group-by', 'month,vat-scheme,country', '--profile', 'excel']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\r\n').slice(0, 2)).toEqual([
      '\uFEFFperiod;vat_scheme;country;currency;orders;units;gross;discounts;refunds;fees;shipping;tax;net',
      '"=""2026-03""";domestic;SE;EUR;3;3;5,97;0,00;0,00;0,00;0,00;1,20;4,77',
    ]);
  });
});

describe('stale rates (#18): the rate dates are stated; without a terminal a stale conversion is refused unless --allow-stale', () => {
  let h: string;
  beforeAll(() => {
    h = tempDir();
    business(h);
    const s = openHomeStore(h);
    seedRates(s, [['2026-04-13', 'GBP', '0.87058']]);
    seed(s, [{ id: 'N', channel: 'amazon-uk', currency: 'GBP', at: '2026-11-10T10:00:00Z', country: 'GB', includesTax: 1, tax: 500n, lines: [{ sku: 'MUG', qty: 1, price: 3000n }] }]);
    s.close();
  });
  const nov = ['--from', '2026-11-01', '--to', '2026-11-30', '--currency', 'EUR', '--format', 'csv'];
  test('a pipe: exit 3, naming the currency, the rate date and its age (2026-04-13 → 2026-11-10 = 211 days)', async () => {
    const r = await run(['report', 'sales', ...nov], { home: h });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('GBP→EUR for 2026-11-10 uses the rate of 2026-04-13, 211 days older (fx.maxAgeDays is 4)');
    expect(r.stderr).toContain('--allow-stale');
  });
  test('--allow-stale: the report, with the warning and the rate dates used', async () => {
    const r = await run(['report', 'sales', ...nov, '--allow-stale'], { home: h });
    expect(r.code, r.stderr).toBe(0);
    // 30.00 GBP / 0.87058 = 34.4598… → 34.46
    expect(r.stdout).toContain(',EUR,1,1,34.46,');
    expect(r.stderr).toContain('rates into EUR: published 2026-04-13; the oldest is 211 days before the day it converts');
    expect(r.stderr).toContain('GBP→EUR up to 2026-11-10 uses the rate of 2026-04-13 (211 days older; fx.maxAgeDays 4)');
  });
  test('a terminal: warned, not refused; fx.maxAgeDays 365 accepts them', async () => {
    expect((await run(['report', 'sales', ...nov], { home: h, tty: true })).code).toBe(0);
    await run(['config', 'set', 'fx.maxAgeDays', '365'], { home: h });
    const r = await run(['report', 'sales', ...nov], { home: h });
    expect(r.code, r.stderr).toBe(0);
    await run(['config', 'unset', 'fx.maxAgeDays'], { home: h });
  });
  test('--detail is checked before the first row is written', async () => {
    const r = await run(['report', 'sales', ...nov, '--detail'], { home: h });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });
});
