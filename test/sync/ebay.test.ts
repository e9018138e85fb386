// Sync against the eBay emulator: offers looked up once and cached, bulkUpdatePriceQuantity ≤ 25
// with per-offer 207 results, Content-Language on writes, orders by lastmodifieddate + offset.
import { describe, it, expect } from 'vitest';
import { world, setPrice, setStock, outboxStates, requestsTo } from './helpers.js';
import type { Sandbox } from '../../src/sandbox/index.js';

type J = Record<string, unknown>;
function ebayOffers(sb: Sandbox): Map<string, { price?: string; qty?: number }> {
  const api = (sb.state() as J).apis as J;
  const sellers = (api.ebay as J).sellers as J;
  const seller = Object.values(sellers)[0] as J;
  const out = new Map<string, { price?: string; qty?: number }>();
  for (const o of Object.values(seller.offers as J) as J[]) {
    const body = o.body as J;
    const price = ((body.pricingSummary as J | undefined)?.price as J | undefined)?.value as string | undefined;
    out.set(`${o.sku as string}@${o.marketplaceId as string}`, { price, qty: body.availableQuantity as number | undefined });
  }
  return out;
}

describe('sync with eBay (sandbox)', () => {
  it('pushes price and quantity in one bulk call with Content-Language, caching offer ids', async () => {
    const w = await world(['ebay']);
    setPrice(w.store(), 'ebay-uk', 'MUG-BLU-S', '15.25');
    setStock(w.store(), 'CANDLE-LAV', 4);
    const r = await w.cli(['sync', '--yes', '--only', 'prices,inventory']);
    expect(r.code, r.stderr).toBe(0);
    const offers = ebayOffers(w.sb);
    expect(offers.get('MUG-BLU-S@EBAY_GB')!.price).toBe('15.25');
    expect(offers.get('CANDLE-LAV@EBAY_GB')!.qty).toBe(4);
    const bulk = w.sb.requests().filter((q) => q.path.includes('bulk_update_price_quantity'));
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.headers['content-language']).toBe('en-GB');
    expect(outboxStates(w.store())).toEqual({ acked: 2 });
    const remoteIds = w.store().db.prepare(`SELECT count(*) AS n FROM channel_listings WHERE remote_id IS NOT NULL`).get() as { n: bigint };
    expect(Number(remoteIds.n)).toBe(2);
    // Next change: the cached offer id means no lookup.
    setPrice(w.store(), 'ebay-uk', 'MUG-BLU-S', '15.75');
    const lookups = requestsTo(w.sb, 'ebay', 'GET /ebay/sell/inventory/v1/offer');
    const again = await w.cli(['sync', '--yes', '--only', 'prices']);
    expect(again.code, again.stderr).toBe(0);
    expect(requestsTo(w.sb, 'ebay', 'GET /ebay/sell/inventory/v1/offer')).toBe(lookups);
    expect(ebayOffers(w.sb).get('MUG-BLU-S@EBAY_GB')!.price).toBe('15.75');
  });

  it('reports a per-item eBay error (207) with its errorId and exits 4; the rest lands', async () => {
    const w = await world(['ebay']);
    setPrice(w.store(), 'ebay-uk', 'MUG-BLU-S', '15.25');
    // A zero price is refused by eBay for that offer only.
    w.store().db.prepare(`UPDATE channel_listings SET price_minor = 0 WHERE channel = 'ebay-uk' AND variant_id = (SELECT id FROM variants WHERE sku = 'BOWL-GRY-M')`).run();
    setPrice(w.store(), 'ebay-uk', 'TEA-TWL-NAT', '9.99');
    w.store().db.prepare(`UPDATE channel_listings SET price_minor = 0 WHERE channel = 'ebay-uk' AND variant_id = (SELECT id FROM variants WHERE sku = 'TEA-TWL-NAT')`).run();
    const r = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    const failed = doc.items.filter((i: J) => i.state === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ sku: 'TEA-TWL-NAT', code: '25020' });
    expect(r.stderr).toContain('TEA-TWL-NAT');
    expect(r.stderr).toContain('25020');
    expect(ebayOffers(w.sb).get('MUG-BLU-S@EBAY_GB')!.price).toBe('15.25');
  });

  it('pulls eBay orders with lines, fees and buyer country, without duplicates', async () => {
    const w = await world(['ebay']);
    const r = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).marketplaces[0].orders.created).toBe(3);
    const again = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(JSON.parse(again.stdout).marketplaces[0].orders.created).toBe(0);
    const show = await w.cli(['orders', 'show', '12-11111-00003', '--json']);
    expect(show.code, show.stderr).toBe(0);
    const o = JSON.parse(show.stdout);
    expect(o).toMatchObject({ channel: 'ebay-uk', currency: 'GBP', shipCountry: 'FR', status: 'unshipped' });
    expect(o.lines[0]).toMatchObject({ sku: 'CANDLE-LAV', quantity: 2, unitPrice: '18.99' });
  });
});
