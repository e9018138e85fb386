// Sync against the eBay emulator: offers looked up once and cached, bulkUpdatePriceQuantity ≤ 25
// with per-offer 207 results, Content-Language on writes, orders by lastmodifieddate + offset; one
// eBay SKU per marketplace (ebay-uk and ebay-de), Seller Hub listings migrated before they can sync,
// orders on the storefront of the listing they were bought from, only the scopes merchant uses.
import { describe, it, expect } from 'vitest';
import { world, setPrice, setStock, outboxStates, requestsTo, NOW, type World } from './helpers.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { parseAmount } from '../../src/core/money.js';
import { ebaySandboxWithOrders } from './ebay-helpers.js';

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
    expect(outboxStates(w.store())).toEqual({}); // acknowledged rows are deleted with the ack (migration 280)
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
    expect(failed[0]).toMatchObject({ sku: 'TEA-TWL-NAT', code: '25003' }); // eBay's table: 25003 Invalid price
    expect(r.stderr).toContain('TEA-TWL-NAT');
    expect(r.stderr).toContain('25003');
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
    // Bought on ebay.fr (purchaseMarketplaceId EBAY_FR) from the ebay.co.uk listing: an ebay-uk sale.
    expect(o).toMatchObject({ channel: 'ebay-uk', currency: 'GBP', shipCountry: 'FR', status: 'unshipped' });
    expect(o.lines[0]).toMatchObject({ sku: 'CANDLE-LAV', quantity: 2, unitPrice: { amount: '18.99', currency: 'GBP' } });
  });

  it('asks for only the scopes it uses: the sandbox seller never consented to sell.account', async () => {
    const w = await world(['ebay']);
    const r = await w.cli(['sync', '--yes', '--only', 'orders']);
    expect(r.code, r.stderr).toBe(0);
    const tokens = w.sb.requests().filter((q) => q.api === 'ebay' && q.path === '/ebay/identity/v1/oauth2/token');
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) {
      expect(new URLSearchParams(t.body).get('scope')!.split(' ').sort()).toEqual(['https://api.ebay.com/oauth/api_scope/sell.fulfillment', 'https://api.ebay.com/oauth/api_scope/sell.inventory']);
    }
  });
});

/** The same products listed on ebay.de too (the sandbox seller's Seller Hub listings there). */
async function withEbayDe(w: World): Promise<void> {
  const c = await w.cli(['marketplace', 'connect', 'ebay', '--sandbox', w.sb.url, '--channels', 'ebay-uk,ebay-de']);
  expect(c.code, c.stderr).toBe(0);
  const st = w.store();
  for (const [sku, price, qty] of [['MUG-BLU-S', '16.50', 6], ['BOWL-GRY-M', '31.00', 3], ['TEA-TWL-NAT', '12.00', 10], ['MUG-BLU-L', '19.50', 4], ['MUG-RED-S', '16.50', 2], ['CANDLE-LAV', '21.50', 5]] as const) {
    const minor = parseAmount(price, 'EUR').minor;
    st.db
      .prepare(
        `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, quantity, acked_price_minor, acked_quantity, acked_status, acked_at, created_at, updated_at)
         VALUES ((SELECT id FROM variants WHERE sku = ?), 'ebay-de', 'active', ?, 'EUR', ?, ?, ?, 'active', ?, ?, ?)`,
      )
      .run(sku, minor, qty, minor, qty, NOW, NOW, NOW);
  }
}

type J2 = Record<string, unknown>;
function deOffer(sb: Sandbox, ebaySku: string): J2 | undefined {
  const sellers = (((sb.state() as J2).apis as J2).ebay as J2).sellers as J2;
  const seller = Object.values(sellers)[0] as J2;
  return Object.values(seller.offers as J2).map((o) => o as J2).find((o) => o.sku === ebaySku && o.marketplaceId === 'EBAY_DE');
}

describe('eBay: one SKU per marketplace, and listings made in Seller Hub', () => {
  it('the home storefront is set on the first connect and kept when --channels is reordered', async () => {
    const w = await world(['ebay']); // the sandbox default: EBAY_GB, EBAY_US
    const again = await w.cli(['marketplace', 'connect', 'ebay', '--sandbox', w.sb.url, '--channels', 'ebay-de,ebay-uk', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ channels: ['ebay-uk', 'ebay-de'], homeChannel: 'ebay-uk' });
    // Without ebay-uk any more, the first of --channels becomes home.
    const moved = await w.cli(['marketplace', 'connect', 'ebay', '--sandbox', w.sb.url, '--channels', 'ebay-de,ebay-us', '--json']);
    expect(JSON.parse(moved.stdout)).toMatchObject({ homeChannel: 'ebay-de' });
    const human = await w.cli(['marketplace', 'connect', 'ebay', '--sandbox', w.sb.url, '--channels', 'ebay-de,ebay-us']);
    expect(human.stdout).toMatch(/home storefront\s+ebay-de/);
    expect(human.stderr).toContain('marketplace migrate ebay --dry-run');
  });

  it('migrate --dry-run lists what would happen per listing and writes nothing', async () => {
    const w = await world(['ebay']);
    await withEbayDe(w);
    const r = await w.cli(['marketplace', 'migrate', 'ebay', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ marketplace: 'ebay', dryRun: true, channels: ['ebay-uk', 'ebay-de'] });
    const by = Object.fromEntries(doc.items.map((i: J2) => [i.listingId, i]));
    expect(by['120500000001']).toMatchObject({ channel: 'ebay-de', action: 'migrate', skus: [{ ebaySku: 'MUG-BLU-S-DE', sku: 'MUG-BLU-S', offerId: null }] });
    expect(by['120500000004']).toMatchObject({ action: 'migrate', variations: true, skus: [{ ebaySku: 'MUG-BLU-L-DE', sku: 'MUG-BLU-L' }, { ebaySku: 'MUG-RED-S-DE', sku: 'MUG-RED-S' }] });
    expect(by['120500000002'].action).toBe('migrate'); // eBay will say why not (no business policies)
    expect(by['120500000003']).toMatchObject({ action: 'blocked' });
    expect(by['120500000003'].reason).toMatch(/TEA-TWL-NAT already belongs to an Inventory API offer on EBAY_GB.*TEA-TWL-NAT-DE/);
    expect(by['120500000005']).toMatchObject({ action: 'skipped', skus: [{ ebaySku: null }] });
    expect(by['120500000006']).toBeUndefined(); // an auction: not a fixed-price listing
    expect(by['110500000001']).toMatchObject({ channel: 'ebay-uk', action: 'already-migrated', skus: [{ ebaySku: 'MUG-BLU-S', sku: 'MUG-BLU-S', offerId: '7000000001' }] });
    expect(doc.counts).toMatchObject({ listings: 11, migrate: 3, alreadyMigrated: 6, blocked: 1, skipped: 1, migrated: 0 });
    expect(doc.notOnEbay).toEqual([{ channel: 'ebay-de', sku: 'CANDLE-LAV', ebaySku: 'CANDLE-LAV-DE' }]);
    expect(requestsTo(w.sb, 'ebay', 'bulk_migrate_listing')).toBe(0);
    const st = w.store();
    expect(st.db.prepare('SELECT count(*) AS n FROM listing_migrations').get()).toEqual({ n: 0n });
    expect(st.db.prepare('SELECT count(*) AS n FROM channel_listings WHERE remote_sku IS NOT NULL OR remote_listing_id IS NOT NULL').get()).toEqual({ n: 0n });
    // Without a terminal a real run needs --yes.
    const noYes = await w.cli(['marketplace', 'migrate', 'ebay']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('--yes');
  });

  it('migrates per listing (≤ 5 per call), stores each storefront\'s eBay SKU, and the ebay-de listing then syncs to its own SKU', async () => {
    const w = await world(['ebay']);
    await withEbayDe(w);
    // Before: the ebay-de listing cannot be found by the Inventory API.
    setPrice(w.store(), 'ebay-de', 'MUG-BLU-S', '17.00');
    const before = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(before.code).toBe(4);
    const miss = JSON.parse(before.stdout).items.find((i: J2) => i.channel === 'ebay-de');
    expect(miss).toMatchObject({ sku: 'MUG-BLU-S', state: 'failed', code: 'NO_OFFER' });
    expect(miss.message).toMatch(/no Inventory API offer for SKU MUG-BLU-S-DE on EBAY_DE.*marketplace migrate ebay/);

    const r = await w.cli(['marketplace', 'migrate', 'ebay', '--yes', '--json']);
    expect(r.code).toBe(4); // one refused by eBay, one blocked; the rest migrated
    const doc = JSON.parse(r.stdout);
    const by = Object.fromEntries(doc.items.map((i: J2) => [i.listingId, i]));
    expect(by['120500000001']).toMatchObject({ result: 'migrated' });
    expect(by['120500000004']).toMatchObject({ result: 'migrated' });
    expect(by['120500000002']).toMatchObject({ result: 'failed', code: '25718' });
    expect(by['120500000002'].message).toMatch(/business policies/);
    expect(by['120500000003'].result).toBeUndefined();
    expect(doc.counts).toMatchObject({ migrated: 2, failed: 1, blocked: 1 });
    const calls = w.sb.requests().filter((q) => q.path.endsWith('/bulk_migrate_listing'));
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]!.body).requests.map((x: J2) => x.listingId)).toEqual(['120500000001', '120500000002', '120500000004']);

    const st = w.store();
    const row = (ch: string, sku: string) => st.db.prepare(`SELECT remote_sku, remote_id, remote_listing_id FROM channel_listings WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`).get(ch, sku);
    const de = deOffer(w.sb, 'MUG-BLU-S-DE')!;
    expect(row('ebay-de', 'MUG-BLU-S')).toEqual({ remote_sku: 'MUG-BLU-S-DE', remote_id: de.offerId, remote_listing_id: '120500000001' });
    expect(row('ebay-de', 'MUG-RED-S')).toMatchObject({ remote_sku: 'MUG-RED-S-DE', remote_listing_id: '120500000004' });
    expect(row('ebay-uk', 'MUG-BLU-S')).toEqual({ remote_sku: 'MUG-BLU-S', remote_id: '7000000001', remote_listing_id: '110500000001' });
    expect(row('ebay-de', 'BOWL-GRY-M')).toEqual({ remote_sku: null, remote_id: null, remote_listing_id: null });
    const hist = st.db.prepare('SELECT listing_id, status, error_code FROM listing_migrations ORDER BY listing_id').all();
    expect(hist).toEqual([
      { listing_id: '120500000001', status: 'migrated', error_code: null },
      { listing_id: '120500000002', status: 'failed', error_code: '25718' },
      { listing_id: '120500000004', status: 'migrated', error_code: null },
    ]);

    // The failed price change goes out again, to the ebay-de offer of MUG-BLU-S-DE; ebay-uk untouched.
    const after = await w.cli(['sync', '--yes', '--only', 'prices', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect(((deOffer(w.sb, 'MUG-BLU-S-DE')!.body as J2).pricingSummary as J2).price).toEqual({ value: '17.00', currency: 'EUR' });
    const bulk = w.sb.requests().filter((q) => q.path.endsWith('/bulk_update_price_quantity')).at(-1)!;
    expect(JSON.parse(bulk.body).requests).toEqual([{ sku: 'MUG-BLU-S-DE', offers: [{ offerId: de.offerId, price: { value: '17.00', currency: 'EUR' } }] }]);
    expect(bulk.headers['content-language']).toBe('de-DE');

    // listings show: each storefront's eBay SKU and listing.
    const show = JSON.parse((await w.cli(['listings', 'show', 'MUG-BLU-S', '--json'])).stdout);
    expect(show.channels.map((c: J2) => [c.channel, c.remoteSku, c.remoteSkuSource, c.remoteListingId])).toEqual([
      ['ebay-de', 'MUG-BLU-S-DE', 'stored', '120500000001'],
      ['ebay-uk', 'MUG-BLU-S', 'stored', '110500000001'],
    ]);
    const human = await w.cli(['listings', 'show', 'MUG-BLU-S'], { tty: true });
    expect(human.stdout).toMatch(/ebay-de\s+active\s+17\.00 EUR\s+6\s+MUG-BLU-S-DE #120500000001/);

    // Again: nothing is sent twice; the migrated listings are recognised.
    const again = await w.cli(['marketplace', 'migrate', 'ebay', '--yes', '--json']);
    const doc2 = JSON.parse(again.stdout);
    expect(doc2.items.find((i: J2) => i.listingId === '120500000001')).toMatchObject({ action: 'already-migrated' });
    expect(w.sb.requests().filter((q) => q.path.endsWith('/bulk_migrate_listing')).map((q) => JSON.parse(q.body).requests.map((x: J2) => x.listingId))).toEqual([['120500000001', '120500000002', '120500000004'], ['120500000002']]);
  });

  it('--listing migrates only the listings named; a listing eBay does not report is said so', async () => {
    const w = await world(['ebay']);
    await withEbayDe(w);
    const quiet = await w.cli(['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--listing', '120500000004', '--yes', '--quiet']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
    const r = await w.cli(['marketplace', 'migrate', 'ebay', '--channels', 'ebay-de', '--listing', '120500000001,999999999', '--yes', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.items.map((i: J2) => [i.listingId, i.action, i.result ?? null])).toEqual([['120500000001', 'migrate', 'migrated'], ['999999999', 'skipped', null]]);
    expect(r.code, r.stderr).toBe(0);
    const bad = await w.cli(['marketplace', 'migrate', 'ebay', '--channels', 'ebay-fr', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ebay-fr is not a connected eBay storefront');
    const amazon = await w.cli(['marketplace', 'migrate', 'amazon', '--dry-run']);
    expect(amazon.code).toBe(2);
  });

  it('orders: a line is read as its listing storefront\'s SKU; a mixed order goes to the site with the larger share', async () => {
    const sb = await ebaySandboxWithOrders([
      // A buyer on ebay.de: two MUG-BLU-S-DE from the ebay.de listing, one TEA-TWL-NAT from the ebay.co.uk one.
      { orderId: '12-22222-00001', created: '2026-11-22T10:00:00.000Z', site: 'EBAY_DE', currency: 'EUR', lines: [{ sku: 'MUG-BLU-S-DE', quantity: 2, unitPrice: '16.50', listing: 'EBAY_DE', legacyItemId: '120500000001' }, { sku: 'TEA-TWL-NAT', quantity: 1, unitPrice: '12.00', listing: 'EBAY_GB' }] },
      // A sale from a Seller Hub listing not yet migrated: its SKU follows the convention too.
      { orderId: '12-22222-00002', created: '2026-11-22T11:00:00.000Z', site: 'EBAY_DE', currency: 'EUR', lines: [{ sku: 'BOWL-GRY-M-DE', quantity: 1, unitPrice: '31.00', listing: 'EBAY_DE', legacyItemId: '120500000002' }] },
    ]);
    const w = await world(['ebay'], { sb });
    await withEbayDe(w);
    const r = await w.cli(['sync', '--yes', '--only', 'orders', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const mixed = JSON.parse((await w.cli(['orders', 'show', '12-22222-00001', '--json'])).stdout);
    expect(mixed).toMatchObject({ channel: 'ebay-de', currency: 'EUR' });
    expect(mixed.lines.map((l: J2) => [l.sku, l.quantity])).toEqual([['MUG-BLU-S', 2], ['TEA-TWL-NAT', 1]]);
    const legacy = JSON.parse((await w.cli(['orders', 'show', '12-22222-00002', '--json'])).stdout);
    expect(legacy).toMatchObject({ channel: 'ebay-de' });
    expect(legacy.lines[0].sku).toBe('BOWL-GRY-M');
    // Stock follows: the units are reserved on our SKUs.
    const eff = w.store().db.prepare(`SELECT e.sku, e.reserved FROM order_stock_effects e JOIN orders o ON o.id = e.order_id WHERE o.external_id LIKE '12-22222-%' ORDER BY e.sku`).all();
    expect(eff).toEqual([{ sku: 'BOWL-GRY-M', reserved: 1n }, { sku: 'MUG-BLU-S', reserved: 2n }, { sku: 'TEA-TWL-NAT', reserved: 1n }]);
  });
});
