// An order reference that names several orders (the same order id on two marketplaces) is a usage
// error that lists how to write each of them, on every command that takes an order; qualified, it
// names one. The repositories only answer what a reference names (OrderLookup); the services decide
// the error (services/orders/ref.ts), so this pins the message, class and exit code end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run.js';
import { fixture } from '../reports/seed.js';

const ID = '302-1111111-1000001';
const AMBIGUOUS = `order ${ID} names 2 orders; write it as amazon:${ID} or ebay:${ID}`;

let home: string;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'merchant-test-'));
  // An eBay report whose order number is the Amazon order's id: two stored orders answer to it.
  const ebay = join(home, 'ebay-orders.csv');
  writeFileSync(ebay, readFileSync(fixture('ebay-orders-report-uk.csv'), 'utf8').replaceAll('12-10001-00001', ID));
  const r = await run(['orders', 'import', fixture('amazon-all-orders.txt'), ebay], { home });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('a reference that names several orders', () => {
  it.each([
    ['orders show', ['orders', 'show', ID]],
    ['ship rates', ['ship', 'rates', ID]],
    ['customs check', ['customs', 'check', ID]],
    ['customs declare', ['customs', 'declare', ID]],
    ['orders ship', ['orders', 'ship', ID, '--carrier', 'dhl', '--tracking', '123456', '--dry-run']],
  ])('%s: exit 2, the candidates as marketplace:id, nothing on stdout', async (_what, args) => {
    const r = await run(args, { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${AMBIGUOUS}\n`);
    expect(r.stdout).toBe('');
  });

  it('--json: a usage error (not not_found) with the same message and no hints', async () => {
    const r = await run(['orders', 'show', ID, '--json'], { home });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'usage', message: AMBIGUOUS, exitCode: 2, hints: [] } });
  });

  it('written as marketplace:id it names one order', async () => {
    for (const mp of ['amazon', 'ebay']) {
      const r = await run(['orders', 'show', `${mp}:${ID}`, '--json'], { home });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ marketplace: mp, externalId: ID });
    }
  });

  it('a reference that names none, with orders stored: not found, with the hint', async () => {
    const r = await run(['ship', 'rates', 'nope-1'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: no order "nope-1" (give the order\'s id or its marketplace order id)\nhint: `merchant orders list` shows them\n');
  });
});

describe("a Shopify order imported from the orders export, by its name", () => {
  // The admin and the buyer's e-mails call it #1002; the stored external id is the export's numeric Id.
  it('is found as #1002, 1002 and shopify:#1002', async () => {
    const h = mkdtempSync(join(tmpdir(), 'merchant-test-'));
    try {
      const imp = await run(['orders', 'import', fixture('shopify-orders-export.csv')], { home: h });
      expect(imp.code, imp.stderr).toBe(0);
      for (const ref of ['#1002', '1002', 'shopify:#1002']) {
        const r = await run(['orders', 'show', ref, '--json'], { home: h });
        expect(r.code, `${ref}: ${r.stderr}`).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ externalId: '5550001002', marketplace: 'shopify' });
      }
    } finally {
      rmSync(h, { recursive: true, force: true });
    }
  });
});
