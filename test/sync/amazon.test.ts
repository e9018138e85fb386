// Sync against the Amazon SP-API emulator: LWA token, Listings PATCH per SKU for small change sets,
// JSON_LISTINGS_FEED (upload, createFeed, polling, processing report) for large ones, searchOrders.
import { describe, it, expect } from 'vitest';
import { world, setPrice, setStock, outboxStates } from './helpers.js';
import type { Sandbox } from '../../src/sandbox/index.js';

type J = Record<string, unknown>;
function amazonListing(sb: Sandbox, sku: string, mk: string): { price?: number; qty?: number } {
  const sellers = (((sb.state() as J).apis as J).amazon as J).sellers as J;
  const seller = Object.values(sellers)[0] as J;
  const l = (seller.listings as J)[sku] as J;
  const a = (l.attributes as J)[mk] as Record<string, J[]>;
  const po = a.purchasable_offer?.[0] as J | undefined;
  const price = ((((po?.our_price as J[] | undefined)?.[0]?.schedule as J[] | undefined)?.[0] as J | undefined)?.value_with_tax as number | undefined);
  return { price, qty: a.fulfillment_availability?.[0]?.quantity as number | undefined };
}

describe('sync with Amazon (sandbox)', () => {
  it('patches price and quantity per SKU and marketplace, with an LWA token', async () => {
    const w = await world(['amazon']);
    setPrice(w.store(), 'amazon-de', 'MUG-BLU-S', '17.90');
    setStock(w.store(), 'BOWL-GRY-M', 5);
    const tokens = () => w.sb.requests().filter((q) => q.path.includes('/auth/o2/token')).length;
    const t0 = tokens();
    const r = await w.cli(['sync', '--yes', '--only', 'prices,inventory', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(amazonListing(w.sb, 'MUG-BLU-S', 'A1PA6795UKMFR9').price).toBe(17.9);
    expect(amazonListing(w.sb, 'BOWL-GRY-M', 'A1PA6795UKMFR9').qty).toBe(5);
    expect(amazonListing(w.sb, 'BOWL-GRY-M', 'A1F83G8C2ARO7P').qty).toBe(5);
    const patches = w.sb.requests().filter((q) => q.method === 'PATCH');
    expect(patches).toHaveLength(3);
    expect(patches[0]!.headers['x-amz-access-token']).toBeDefined();
    expect(patches.find((q) => q.path.includes('MUG-BLU-S'))!.body).toContain('"value_with_tax":17.90');
    expect(tokens() - t0).toBe(1); // one token for the whole run, cached
    expect(outboxStates(w.store())).toEqual({ acked: 3 });
  });

  it('uses one JSON_LISTINGS_FEED per marketplace above the threshold and maps the report per SKU', async () => {
    const w = await world(['amazon'], { env: { MERCHANT_AMAZON_FEEDTHRESHOLD: '2' } });
    for (const sku of ['MUG-BLU-S', 'MUG-BLU-L', 'BOWL-GRY-M', 'CANDLE-LAV']) setPrice(w.store(), 'amazon-de', sku, '21.00');
    const dry = await w.cli(['sync', '--dry-run', '--only', 'prices']);
    expect(dry.stdout).toMatch(/JSON_LISTINGS_FEED[^\n]*\t1\t4\t25000/);
    const r = await w.cli(['sync', '--yes', '--only', 'prices']);
    expect(r.code, r.stderr).toBe(0);
    for (const sku of ['MUG-BLU-S', 'MUG-BLU-L', 'BOWL-GRY-M', 'CANDLE-LAV']) expect(amazonListing(w.sb, sku, 'A1PA6795UKMFR9').price).toBe(21);
    const paths = w.sb.requests().map((q) => `${q.method} ${q.path.split('?')[0]}`);
    expect(paths.filter((p) => p.endsWith('/feeds/2021-06-30/feeds'))).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('PATCH'))).toHaveLength(0);
    expect(outboxStates(w.store())).toEqual({ acked: 4 });
  });

  it('maps a rejected feed message to its SKU (exit 4) while the rest of the feed lands', async () => {
    const w = await world(['amazon'], { env: { MERCHANT_AMAZON_FEEDTHRESHOLD: '2' } });
    for (const sku of ['MUG-BLU-S', 'MUG-BLU-L', 'BOWL-GRY-M']) setPrice(w.store(), 'amazon-de', sku, '23.00');
    w.store().db.prepare(`UPDATE channel_listings SET price_minor = 0 WHERE channel = 'amazon-de' AND variant_id = (SELECT id FROM variants WHERE sku = 'MUG-BLU-L')`).run();
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    const failed = doc.items.filter((i: J) => i.state === 'failed');
    expect(failed.map((i: J) => i.sku)).toEqual(['MUG-BLU-L']);
    expect(failed[0].code).toBeTruthy();
    expect(amazonListing(w.sb, 'MUG-BLU-S', 'A1PA6795UKMFR9').price).toBe(23);
    expect(amazonListing(w.sb, 'MUG-BLU-L', 'A1PA6795UKMFR9').price).toBe(19.9);
  });

  it('pulls orders by lastUpdatedAfter and keeps the cursor', async () => {
    const w = await world(['amazon']);
    const r = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).marketplaces[0].orders.created).toBe(5);
    const again = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(JSON.parse(again.stdout).marketplaces[0].orders.created).toBe(0);
    const show = await w.cli(['orders', 'show', '302-1234567-1000002', '--json']);
    const o = JSON.parse(show.stdout);
    expect(o).toMatchObject({ channel: 'amazon-de', currency: 'EUR', shipCountry: 'DE', status: 'unshipped' });
    expect(o.lines.map((l: J) => l.sku)).toEqual(['BOWL-GRY-M', 'TEA-TWL-NAT']);
    const q = w.sb.requests().filter((x) => x.path.includes('/orders/2026-01-01/orders'));
    expect(q.at(-1)!.path).toContain('lastUpdatedAfter=');
  });
});
