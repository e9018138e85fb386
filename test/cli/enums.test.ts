// Flags that take a value from a known set exit 2 with the valid values (and the nearest one) instead of
// quietly matching nothing: `orders list --marketplace amazn` used to print "no orders" and exit 0.
import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { run, tempDir } from '../helpers/run.js';

const PROFILE = resolve(import.meta.dirname, '../../fixtures/onboard/profile.json');

describe('enum flags refuse unknown values with the valid ones', () => {
  it('every command that takes a marketplace, channel, status, state, area or carrier', async () => {
    const home = tempDir();
    expect((await run(['onboard', '--no-input', '--from', PROFILE], { home })).code).toBe(0);
    const cases: Array<[string[], RegExp]> = [
      [['orders', 'list', '--marketplace', 'amazn'], /--marketplace: unknown marketplace "amazn" \(did you mean amazon\?\); use amazon, ebay, shopify/],
      [['orders', 'list', '--channel', 'amazon-xx'], /--channel: unknown channel "amazon-xx" .*; use amazon-us, amazon-ca, .*shopify/],
      [['orders', 'list', '--status', 'opne'], /--status: unknown status "opne"; use unshipped, partially_shipped, shipped, shipped_unconfirmed, pending, cancelled, refunded/],
      [['sync', '--marketplace', 'ebya', '--dry-run'], /--marketplace: unknown marketplace "ebya" \(did you mean ebay\?\)/],
      [['sync', '--only', 'price', '--dry-run'], /--only: unknown area "price" \(did you mean prices\?\); use listings, prices, inventory, orders/],
      [['report', 'sales', '--channel', 'amazon-dk', '--from', '2026-01-01', '--to', '2026-01-31'], /--channel: unknown channel "amazon-dk"/],
      [['prices', 'update', '--channel', 'amazon-uk,ebay-fr', '--dry-run'], /--channel: unknown channel "ebay-fr"/],
      [['prices', 'explain', 'MUG-BLU-S', '--channel', 'amazon-ux'], /--channel: unknown channel "amazon-ux" \(did you mean amazon-us\?\)/],
      [['prices', 'rules', 'set', 'x', '--channel', 'amzon-uk', '--margin', '10%'], /--channel: unknown channel "amzon-uk" \(did you mean amazon-uk\?\)/],
      [['ship', 'list', '--state', 'purchsed'], /--state: unknown state "purchsed" \(did you mean purchased\?\); use planned, purchasing, purchased, voided, failed/],
      [['ship', 'rates', '1', '--carrier', 'easypst'], /--carrier: unknown carrier "easypst" \(did you mean easypost\?\); use easypost, shippo/],
      [['ship', 'book', '1', '--carrier', 'dhl', '--cheapest'], /--carrier: unknown carrier "dhl"; use easypost, shippo/],
      [['onboard', '--no-input', '--marketplaces', 'amazon,etsy'], /--marketplaces: unknown marketplace "etsy"; use amazon, ebay, shopify, none/],
      [['onboard', 'check', 'amazon', 'document', '--done'], /unknown checklist item "document" \(did you mean documents\?\)/],
      [['listings', 'list', '--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are table, csv, json/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, { home });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    // Valid values still work (and match case-insensitively).
    expect((await run(['orders', 'list', '--marketplace', 'Amazon', '--status', 'shipped'], { home })).code).toBe(0);
    // --json errors carry the valid values for scripts.
    const j = await run(['orders', 'list', '--marketplace', 'amazn', '--json'], { home });
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'usage', exitCode: 2, details: { flag: '--marketplace', value: 'amazn', allowed: ['amazon', 'ebay', 'shopify'] } });
  });
});
