// #17 item 7: refunds from Shopify's orders export have no date. The import says how many, the detail
// report marks them, and a later pull of the same order from Shopify's API (refunds with their real
// dates) replaces them. And migration 140 on a database at the previous version loses nothing.
import { describe, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { fixture, fixtureRates, openHomeStore, seedRates } from './seed.js';
import { upsertOrder } from '../../src/services/orders/pull.js';
import type { NormalizedOrder } from '../../src/ports/marketplace.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/db.js';

describe('Shopify export refunds: dated at their order, said so, replaced by a sync', () => {
  test('the import counts them, --detail marks them, the API\'s refunds replace them', async () => {
    const home = tempDir();
    const s0 = openHomeStore(home);
    seedRates(s0, fixtureRates());
    s0.close();
    const imp = await run(['orders', 'import', fixture('shopify-orders-export.csv')], { home });
    expect(imp.code, imp.stderr).toBe(0);
    // #1002 (AT, 10.00) and #1004 (DE, 24.90, cancelled) have a "Refunded Amount" and no refund date in the export
    expect(imp.stderr).toContain("2 refunds from the Shopify orders export are dated at their order's date: the export has no refund date");
    const json = JSON.parse((await run(['orders', 'import', fixture('shopify-orders-export.csv'), '--json'], { home })).stdout);
    expect(json.refundsDatedAtOrder).toBe(2);

    const detail = await run(['report', 'sales', '--from', '2026-03-01', '--to', '2026-04-30', '--detail', '--format', 'csv'], { home });
    expect(detail.code, detail.stderr).toBe(0);
    const refundLine = detail.stdout.split('\n').find((l) => l.includes(',refund,5550001002,'))!;
    expect(refundLine).toContain('2026-03-19,refund,5550001002,shopify,shopify,AT,');
    expect(refundLine.endsWith(',refund date unknown (Shopify orders export): order date used')).toBe(true);
    expect(detail.stderr).toContain('1 refund is dated at the order\'s date'); // #1004 is cancelled: not in the report

    // The same order pulled from Shopify's API: its refund came on 2026-04-02, 10.00 incl. 1.67 VAT.
    const s = openHomeStore(home);
    const row = s.db.prepare("SELECT * FROM orders WHERE external_id = '5550001002'").get() as Record<string, unknown>;
    const api: NormalizedOrder = {
      marketplace: 'shopify', channel: 'shopify', externalId: '5550001002', status: 'paid', orderedAt: String(row.ordered_at), remoteUpdatedAt: '2026-04-02T10:00:00Z',
      paidAt: null, currency: 'EUR', buyerName: null, buyerEmail: null, shipTo: { country: 'AT', postalCode: '1010' }, shipCountry: 'AT',
      shippingMinor: BigInt(row.shipping_minor as bigint), shippingTaxMinor: 0n, discountMinor: BigInt(row.discount_minor as bigint), taxMinor: BigInt(row.tax_minor as bigint),
      taxKind: 'included', totalMinor: row.total_minor === null ? null : BigInt(row.total_minor as bigint),
      lines: [], fees: [], refunds: [{ externalId: 'gid://shopify/Refund/1', refundedAt: '2026-04-02T10:00:00Z', amountMinor: 1000n, currency: 'EUR', reason: null }],
      raw: { id: 5550001002 },
    };
    s.tx(() => upsertOrder(s, api, '2026-04-02T10:00:01Z'));
    const refunds = s.db.prepare('SELECT external_id, refunded_at, date_estimated FROM order_refunds WHERE order_id = ? ORDER BY id').all(row.id as bigint);
    expect(refunds).toEqual([{ external_id: 'gid://shopify/Refund/1', refunded_at: '2026-04-02T10:00:00Z', date_estimated: 0n }]);
    s.close();
    const after = await run(['report', 'sales', '--from', '2026-03-01', '--to', '2026-04-30', '--detail', '--format', 'csv'], { home });
    expect(after.stdout).not.toContain('refund date unknown');
    expect(after.stdout).toContain('2026-04-02,refund,5550001002,');
    expect(after.stderr).not.toContain('dated at the order');
  });
});

describe('migration 140 from a database at version 50', () => {
  test('orders, refunds and rates survive; the export refund is marked estimated; VAT columns start empty', () => {
    const dir = tempDir();
    const file = join(dir, 'merchant.db');
    const raw = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 50)) {
      raw.exec(m.sql);
      raw.pragma(`user_version = ${m.version}`);
    }
    raw.exec(`INSERT INTO orders (id, marketplace, channel, external_id, status, ordered_at, currency, ship_country, source, created_at, updated_at, tax_minor)
      VALUES (1, 'shopify', 'shopify', '1001', 'paid', '2026-03-07T09:15:00Z', 'EUR', 'DE', 'file:shopify', 'x', 'x', 1191)`);
    raw.exec(`INSERT INTO order_refunds (order_id, external_id, refunded_at, amount_minor, currency) VALUES (1, 'shopify-export:refunded-amount', '2026-03-07T09:15:00Z', 1000, 'EUR'),
      (1, 'settlement:9', '2026-03-20T00:00:00Z', 500, 'EUR')`);
    raw.exec(`INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('ecb', '2026-03-06', 'EUR', 'SEK', '10.693', 'x')`);
    raw.close();
    const s = openStore(file);
    expect(Number(s.db.pragma('user_version', { simple: true }))).toBeGreaterThanOrEqual(140);
    expect(s.db.prepare('SELECT external_id, tax_minor, vat_scheme, vat_collector FROM orders').all()).toEqual([{ external_id: '1001', tax_minor: 1191n, vat_scheme: null, vat_collector: null }]);
    expect(s.db.prepare('SELECT external_id, date_estimated FROM order_refunds ORDER BY id').all()).toEqual([
      { external_id: 'shopify-export:refunded-amount', date_estimated: 1n },
      { external_id: 'settlement:9', date_estimated: 0n },
    ]);
    expect(s.db.prepare('SELECT rate FROM fx_rates').get()).toEqual({ rate: '10.693' });
    s.close();
  });
});
