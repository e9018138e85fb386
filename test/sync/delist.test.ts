// Taking listings off sale, the removal guard, and the orders list filters.
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/run.js';
import { world, enqueue, shopifyRemote, DEMO } from './helpers.js';
import { pendingOutboxForSku } from '../../src/store/repos/catalog.js';

describe('delist', () => {
  it('an inactive listing goes to quantity 0 and its status is acknowledged; back to active restores stock', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    s.db.prepare(`UPDATE channel_listings SET status = 'inactive' WHERE variant_id = (SELECT id FROM variants WHERE sku = 'CANDLE-LAV')`).run();
    enqueue(s, 'shopify', 'CANDLE-LAV', 'delist');
    const dry = await w.cli(['sync', '--dry-run', '--only', 'listings']);
    expect(dry.stdout).toContain('status active → inactive; qty 15 → 0');
    const r = await w.cli(['sync', '--yes', '--only', 'listings']);
    expect(r.code, r.stderr).toBe(0);
    expect(shopifyRemote(w.sb).get('CANDLE-LAV')!.available).toBe(0);
    const row = s.db.prepare(`SELECT acked_status, acked_quantity FROM channel_listings WHERE variant_id = (SELECT id FROM variants WHERE sku = 'CANDLE-LAV')`).get() as { acked_status: string; acked_quantity: bigint };
    expect([row.acked_status, Number(row.acked_quantity)]).toEqual(['inactive', 0]);
    s.db.prepare(`UPDATE channel_listings SET status = 'active' WHERE variant_id = (SELECT id FROM variants WHERE sku = 'CANDLE-LAV')`).run();
    enqueue(s, 'shopify', 'CANDLE-LAV', 'listing');
    expect((await w.cli(['sync', '--yes', '--only', 'listings'])).code).toBe(0);
    expect(shopifyRemote(w.sb).get('CANDLE-LAV')!.available).toBe(15);
  });

  it('a product set to draft or archived by an import takes its listings off sale; a new draft product is never listed', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    const title = (s.db.prepare(`SELECT p.title FROM products p JOIN variants v ON v.product_id = p.id WHERE v.sku = 'CANDLE-LAV'`).get() as { title: string }).title;
    const f = join(tempDir(), 'status.csv');
    writeFileSync(
      f,
      `sku,handle,title,status,price,currency,quantity,channels\nCANDLE-LAV,candle-lav,"${title}",draft,,,,\nNEW-DRAFT,new-draft,New thing,draft,10.00,SEK,5,shopify\nNEW-LIVE,new-live,Live thing,active,10.00,SEK,5,shopify\n`,
    );
    const imp = await w.cli(['listings', 'import', f, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(pendingOutboxForSku(s, 'CANDLE-LAV').filter((o) => o.state === 'pending').map((o) => ({ kind: o.kind }))).toEqual([{ kind: 'delist' }]);
    const plan = JSON.parse((await w.cli(['sync', '--dry-run', '--only', 'listings', '--json'])).stdout);
    expect(plan.planned.map((i: { sku: string }) => i.sku).sort()).toEqual(['CANDLE-LAV', 'NEW-LIVE']);
    expect(plan.planned.find((i: { sku: string }) => i.sku === 'CANDLE-LAV').new).toMatchObject({ status: 'inactive', quantity: 0 });
    expect((await w.cli(['sync', '--yes', '--only', 'listings'])).code).toBe(0);
    expect(shopifyRemote(w.sb).get('CANDLE-LAV')!.available).toBe(0);
    expect(shopifyRemote(w.sb).has('NEW-DRAFT')).toBe(false);
    // Skipped: nothing was sent for it and nothing is left pending (its queued state was cleared, no row).
    expect(pendingOutboxForSku(s, 'NEW-DRAFT')).toEqual([]);
    expect(s.db.prepare(`SELECT count(*) AS n FROM outbox WHERE sku = 'NEW-DRAFT' AND state != 'skipped'`).get()).toEqual({ n: 0n });
  });

  it('a SKU with no stock level (blank quantity, untracked in Shopify) gets no quantity pushed, only its price', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    s.db.prepare(`DELETE FROM inventory WHERE variant_id = (SELECT id FROM variants WHERE sku = 'CANDLE-LAV')`).run();
    s.db.prepare(`UPDATE channel_listings SET price_minor = price_minor + 100 WHERE variant_id = (SELECT id FROM variants WHERE sku = 'CANDLE-LAV')`).run();
    enqueue(s, 'shopify', 'CANDLE-LAV', 'inventory');
    enqueue(s, 'shopify', 'CANDLE-LAV', 'price');
    const plan = JSON.parse((await w.cli(['sync', '--dry-run', '--json'])).stdout);
    const item = plan.planned.find((i: { sku: string }) => i.sku === 'CANDLE-LAV');
    expect(item.new).toEqual({ price: { amount: '22.00', currency: 'EUR' } }); // no quantity
    expect((await w.cli(['sync', '--yes'])).code).toBe(0);
    expect(shopifyRemote(w.sb).get('CANDLE-LAV')).toMatchObject({ price: '22.00', available: 15 });
  });

  it('taking most listings off sale is refused unless --allow-mass-change', async () => {
    const w = await world(['shopify']);
    const s = w.store();
    s.db.prepare(`UPDATE channel_listings SET status = 'removed'`).run();
    for (const p of DEMO.products) enqueue(s, 'shopify', p.sku, 'delist');
    const r = await w.cli(['sync', '--yes', '--only', 'listings', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('refused');
    expect(doc.guard.map((g: { rule: string }) => g.rule)).toContain('remove-listings');
    expect(w.sb.requests().filter((q) => q.body.includes('mutation'))).toHaveLength(0);
    const runs = s.db.prepare(`SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1`).get() as { status: string };
    expect(runs.status).toBe('refused');
    expect((await w.cli(['sync', '--yes', '--only', 'listings', '--allow-mass-change'])).code).toBe(0);
  });
});

describe('orders list', () => {
  it('filters by marketplace, status, SKU and date, newest first', async () => {
    const w = await world(['amazon', 'ebay', 'shopify']);
    expect((await w.cli(['sync', '--yes', '--only', 'orders'])).code).toBe(0);
    const all = JSON.parse((await w.cli(['orders', 'list', '--json'])).stdout).items;
    expect(all).toHaveLength(13); // 7 Amazon (2 of them fulfilled by Amazon), 3 eBay, 3 Shopify
    expect(all[0].orderedAt >= all[1].orderedAt).toBe(true);
    const ebayOpen = JSON.parse((await w.cli(['orders', 'list', '--marketplace', 'ebay', '--status', 'unshipped', '--json'])).stdout).items;
    expect(ebayOpen.map((o: { externalId: string }) => o.externalId)).toEqual(['12-11111-00003', '12-11111-00002']);
    const bowls = JSON.parse((await w.cli(['orders', 'list', '--sku', 'BOWL-GRY-M', '--from', '2026-11-13', '--json'])).stdout).items;
    expect(bowls.map((o: { channel: string }) => o.channel).sort()).toEqual(['ebay-uk', 'shopify']);
    const piped = await w.cli(['orders', 'list', '--limit', '2']);
    expect(piped.stdout.trim().split('\n')).toHaveLength(3); // header + 2 rows, tab-separated
    expect(piped.stdout).not.toMatch(/\u001b\[/);
    expect((await w.cli(['orders', 'show', 'nope'])).code).toBe(2);
  });
});
