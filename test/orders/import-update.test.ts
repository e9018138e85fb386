// `orders import` of an order file whose content changed: the order, its lines and its own fees and
// refunds are replaced; what a settlement (or eBay transaction) report attached to it stays.
// Guards the file-import statements moved into store/repos/orders.ts (issue #20).
import { expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { fixture, openHomeStore } from '../reports/seed.js';

test('a changed order file updates the order and keeps the fees and refunds its settlement attached', async () => {
  const home = tempDir();
  const first = await run(['orders', 'import', fixture('amazon-all-orders.txt'), fixture('amazon-settlement.txt')], { home });
  expect(first.code).toBe(0);
  const attached = () => {
    const s = openHomeStore(home);
    const r = {
      fees: s.db.prepare(`SELECT f.external_id, f.amount_minor FROM order_fees f JOIN orders o ON o.id = f.order_id WHERE o.external_id = '302-1111111-1000001' ORDER BY f.external_id`).all(),
      refunds: s.db.prepare(`SELECT r.external_id, r.amount_minor, r.tax_minor FROM order_refunds r JOIN orders o ON o.id = r.order_id WHERE o.external_id = '302-1111111-1000001' ORDER BY r.external_id`).all(),
      titles: s.db.prepare(`SELECT l.title FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.external_id = '302-1111111-1000001' ORDER BY l.id`).all(),
    };
    s.close();
    return r;
  };
  const before = attached();
  expect(before.fees.length).toBeGreaterThan(0);
  expect(before.refunds.length).toBeGreaterThan(0);

  // The seller's newer report renames one product: the order changes, nothing is added twice.
  const changed = join(home, 'amazon-all-orders-v2.txt');
  writeFileSync(changed, readFileSync(fixture('amazon-all-orders.txt'), 'utf8').replace('Organic tee – green, M', 'Organic tee – green, M (2026)'));
  const second = await run(['orders', 'import', changed], { home });
  expect(second.code).toBe(0);
  expect(second.stdout).toMatch(/^orders: 0 created, 1 updated, 5 unchanged;/);
  const after = attached();
  expect(after.titles).toEqual([{ title: 'Stoneware mug "Fjord" – blue, small' }, { title: 'Organic tee – green, M (2026)' }]);
  expect(after.fees).toEqual(before.fees);
  expect(after.refunds).toEqual(before.refunds);
});
