// Sync benchmark (PRODUCT.md §9): 100,000 listings across three marketplaces (amazon-de, ebay-uk,
// shopify; 33,334 SKUs), 1% of them changed (333 SKUs get a new stock level and a new price on every
// channel: 999 listing changes). Measured in one run against the sandbox:
//   - write calls per marketplace vs the floor ceil(changed ÷ the API's batch size); target: equal
//     (Shopify prices: productVariantsBulkUpdate takes one product per call, so its floor is one call
//     per changed product; Amazon: one JSON_LISTINGS_FEED submission per 25,000 messages)
//   - all HTTP requests per marketplace (token, look-ups, feed upload/polling), reported as-is
//   - planning time vs a plain SQL select of the same changed rows (same process, same database)
// The sandbox holds remote copies of the changed SKUs (cloned from its demo seed); the unchanged 99%
// exist only locally, which changes nothing for a delta sync that never touches them.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const SKUS = 33_334;
const CHANGED_EVERY = 100; // 1%
const CHANNELS = ['amazon-de', 'ebay-uk', 'shopify'];
const NOW = '2026-11-25T06:00:00.000Z';

function runBin(root, args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'merchant.js'), ...args], { env: { PATH: process.env.PATH, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => resolve({ code, stdout: out, stderr: err }));
  });
}

function sku(i) {
  return `BENCH-${String(i).padStart(6, '0')}`;
}

/** Remote copies of the changed SKUs, cloned from the sandbox's seeded MUG-BLU-S on each API. */
function addRemote(state, changed) {
  const a = state.apis;
  const am = Object.values(a.amazon.sellers)[0];
  const proto = am.listings['MUG-BLU-S'];
  const eb = Object.values(a.ebay.sellers)[0];
  const ebItem = eb.items['MUG-BLU-S'];
  const ebOffer = Object.values(eb.offers).find((o) => o.sku === 'MUG-BLU-S' && o.marketplaceId === 'EBAY_GB');
  const sh = Object.values(a.shopify.shops)[0];
  const loc = String(sh.locations[0].id);
  for (const i of changed) {
    const s = sku(i);
    const de = JSON.parse(JSON.stringify(proto.attributes.A1PA6795UKMFR9));
    de.purchasable_offer[0].our_price[0].schedule[0].value_with_tax = 10;
    de.fulfillment_availability[0].quantity = 10;
    am.listings[s] = { ...JSON.parse(JSON.stringify(proto)), sku: s, attributes: { A1PA6795UKMFR9: de } };
    eb.items[s] = { ...JSON.parse(JSON.stringify(ebItem)), sku: s, availability: { shipToLocationAvailability: { quantity: 10 } } };
    const offerId = String(9_000_000_000 + i);
    eb.offers[offerId] = { ...JSON.parse(JSON.stringify(ebOffer)), offerId, sku: s, listingId: String(190_000_000_000 + i), revisions: {}, body: { ...JSON.parse(JSON.stringify(ebOffer.body)), availableQuantity: 10, pricingSummary: { price: { value: '10.00', currency: 'GBP' } } } };
    const pid = 9_100_000_000 + i;
    const vid = 9_200_000_000 + i;
    const iid = 9_300_000_000 + i;
    const t = '2026-10-01T09:00:00.000Z';
    sh.products[pid] = { id: pid, title: `Bench ${i}`, handle: s.toLowerCase(), descriptionHtml: '', vendor: 'Bench', productType: 'HOME', status: 'ACTIVE', tags: [], createdAt: t, updatedAt: t, variantIds: [vid] };
    sh.variants[vid] = { id: vid, productId: pid, title: 'Default Title', barcode: null, price: '10.00', compareAtPrice: null, taxable: true, inventoryPolicy: 'DENY', itemId: iid, createdAt: t, updatedAt: t };
    sh.items[iid] = { id: iid, variantId: vid, sku: s, tracked: true, requiresShipping: true, countryCodeOfOrigin: null, harmonizedSystemCode: null, cost: null, weight: null, createdAt: t, updatedAt: t, levels: { [loc]: { available: 10, on_hand: 10, committed: 0, updatedAt: t } } };
  }
}

export default async function ({ root }) {
  const { startSandbox } = await import(join(root, 'dist/sandbox/index.js'));
  const { openStore } = await import(join(root, 'dist/store/db.js'));
  const { markSyncWanted } = await import(join(root, 'dist/store/repos/sync-state.js'));
  const { planMarketplace } = await import(join(root, 'dist/services/sync/plan.js'));
  const { ShopifyAdapter } = await import(join(root, 'dist/adapters/marketplaces/shopify/index.js'));
  const { EbayAdapter } = await import(join(root, 'dist/adapters/marketplaces/ebay/index.js'));
  const { AmazonAdapter } = await import(join(root, 'dist/adapters/marketplaces/amazon/index.js'));
  const { httpFactory } = await import(join(root, 'dist/adapters/http/factory.js'));

  const dir = mkdtempSync(join(tmpdir(), 'merchant-bench-sync-'));
  const rows = [];
  let sb;
  try {
    const changed = [];
    for (let i = 0; i < SKUS; i += CHANGED_EVERY) changed.push(i);

    // The sandbox, with the changed SKUs present remotely.
    const seedSb = await startSandbox({ port: 0 });
    const state = seedSb.state();
    await seedSb.stop();
    addRemote(state, changed);
    const statePath = join(dir, 'sandbox-state.json');
    writeFileSync(statePath, JSON.stringify(state));
    let t = Date.parse(NOW);
    sb = await startSandbox({ port: 0, statePath, now: () => (t += 20) });

    const home = join(dir, 'home');
    const env = { MERCHANT_HOME: home, MERCHANT_NOW: NOW, MERCHANT_HTTP_BACKOFFSCALE: '0', MERCHANT_AMAZON_POLLINITIALMS: '10' };
    for (const m of ['amazon', 'ebay', 'shopify']) {
      const r = await runBin(root, ['marketplace', 'connect', m, '--sandbox', sb.url], env);
      if (r.code !== 0) throw new Error(`connect ${m}: ${r.stderr}`);
    }

    // 100,002 local listings, in sync with what the marketplaces last acknowledged.
    const store = openStore(join(home, 'merchant.db'));
    store.tx(() => {
      const p = store.db.prepare(`INSERT INTO products (id, handle, title, product_type, created_at, updated_at) VALUES (?, ?, ?, 'HOME', ?, ?)`);
      const v = store.db.prepare(`INSERT INTO variants (id, product_id, sku, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`);
      const inv = store.db.prepare(`INSERT INTO inventory (variant_id, on_hand, reserved, updated_at) VALUES (?, 10, 0, ?)`);
      const cl = store.db.prepare(
        `INSERT INTO channel_listings (variant_id, channel, status, price_minor, currency, quantity, acked_price_minor, acked_quantity, acked_status, acked_at, created_at, updated_at)
         VALUES (?, ?, 'active', 1000, ?, 10, 1000, 10, 'active', ?, ?, ?)`,
      );
      const cur = { 'amazon-de': 'EUR', 'ebay-uk': 'GBP', shopify: 'EUR' };
      for (let i = 0; i < SKUS; i++) {
        p.run(i + 1, sku(i).toLowerCase(), `Bench ${i}`, NOW, NOW);
        v.run(i + 1, i + 1, sku(i), NOW, NOW);
        inv.run(i + 1, NOW);
        for (const c of CHANNELS) cl.run(i + 1, c, cur[c], NOW, NOW, NOW);
      }
    });
    // 1% changed: new stock and a new price on every channel of 333 SKUs.
    store.tx(() => {
      for (const i of changed) {
        store.db.prepare(`UPDATE inventory SET on_hand = 7 WHERE variant_id = ?`).run(i + 1);
        store.db.prepare(`UPDATE channel_listings SET price_minor = 1295 WHERE variant_id = ?`).run(i + 1);
        // As prices update and stock changes record them: the listing's pending state (migration 250).
        for (const c of CHANNELS) {
          markSyncWanted(store, c, sku(i), 'price', NOW);
          markSyncWanted(store, c, sku(i), 'inventory', NOW);
        }
      }
    });
    const listings = Number(store.db.prepare('SELECT count(*) AS n FROM channel_listings').get().n);
    const changedListings = changed.length * CHANNELS.length;

    // Planning time vs a plain select of the changed rows.
    const areas = new Set(['prices', 'inventory']);
    const fake = httpFactory({ timeoutMs: 1000, retries: 0, backoffScale: 0 });
    const ports = {
      amazon: new AmazonAdapter({ baseURL: 'http://127.0.0.1:9', authURL: 'http://127.0.0.1:9/auth/o2/token', clientId: 'x', clientSecret: 'x', refreshToken: 'x', sellerId: 'x' }, fake),
      ebay: new EbayAdapter({ baseURL: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'x', refreshToken: 'x' }, fake),
      shopify: new ShopifyAdapter({ baseURL: 'http://127.0.0.1:9', shop: 'x', credentials: { kind: 'admin_token', token: 'x' }, currency: 'EUR' }, fake),
    };
    const plan = () => {
      let n = 0;
      for (const c of CHANNELS) n += planMarketplace(store, c.split('-')[0], [c], areas, ports[c.split('-')[0]]).items.length;
      return n;
    };
    const select = store.db.prepare(
      `SELECT cl.id, cl.channel, v.sku, cl.sync_pending, cl.price_minor, cl.acked_price_minor, cl.acked_quantity, i.on_hand, i.reserved
       FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id
       JOIN inventory i ON i.variant_id = v.id WHERE cl.sync_pending != 0 ORDER BY cl.channel, v.sku`,
    );
    const median = (f) => {
      const ts = [];
      for (let k = 0; k < 7; k++) {
        const t0 = performance.now();
        f();
        ts.push(performance.now() - t0);
      }
      ts.sort((a, b) => a - b);
      return ts[3];
    };
    plan();
    select.all();
    const planMs = median(plan);
    const selectMs = median(() => select.all());
    const planned = plan();
    store.close();

    // Apply, and count what reached each API.
    const before = sb.requests().length;
    const r = await runBin(root, ['sync', '--yes', '--only', 'prices,inventory', '--json'], env);
    if (r.code !== 0) throw new Error(`sync exited ${r.code}: ${r.stderr.slice(0, 500)}`);
    const report = JSON.parse(r.stdout);
    const reqs = sb.requests().slice(before);
    const count = (api, f) => reqs.filter((q) => q.api === api && f(q)).length;
    const per = Math.round(changedListings / 3);
    const shopifyWrites = count('shopify', (q) => q.body.includes('productVariantsBulkUpdate')) + count('shopify', (q) => q.body.includes('inventorySetQuantities'));
    const ebayWrites = count('ebay', (q) => q.path.includes('bulk_update_price_quantity'));
    const amazonWrites = count('amazon', (q) => q.method === 'POST' && q.path.split('?')[0].endsWith('/feeds/2021-06-30/feeds')) + count('amazon', (q) => q.method === 'PATCH');
    const floors = { shopify: per + Math.ceil(per / 250), ebay: Math.ceil(per / 25), amazon: Math.ceil(per / 25_000) };
    const acked = report.items.filter((i) => i.state === 'acked').length;
    rows.push({ name: `sync: listings / changed / planned / acknowledged`, value: `${listings} / ${changedListings} / ${planned} / ${acked}`, unit: '' });
    rows.push({ name: 'sync: Amazon write calls (feeds) vs floor ceil(n/25000)', value: amazonWrites, unit: 'calls', baseline: floors.amazon, ratio: amazonWrites / floors.amazon, target: 1 });
    rows.push({ name: 'sync: eBay write calls (bulkUpdatePriceQuantity) vs floor ceil(n/25)', value: ebayWrites, unit: 'calls', baseline: floors.ebay, ratio: ebayWrites / floors.ebay, target: 1 });
    rows.push({ name: 'sync: Shopify write calls vs floor (1 per product for prices + ceil(n/250) stock)', value: shopifyWrites, unit: 'calls', baseline: floors.shopify, ratio: shopifyWrites / floors.shopify, target: 1 });
    for (const m of report.marketplaces) rows.push({ name: `sync: ${m.marketplace} HTTP requests in all (token, look-ups, uploads, polls)`, value: m.summary.requests, unit: 'requests' });
    rows.push({ name: 'sync: planning time vs plain SQL select of the changed rows', value: planMs, unit: 'ms', baseline: selectMs, ratio: planMs / selectMs, target: 2 });
    // What a run leaves in the outbox: acknowledged rows are deleted with their acknowledgement (issue #20).
    const outboxRows = () => {
      const o = openStore(join(home, 'merchant.db'));
      try {
        return Number(o.db.prepare('SELECT count(*) AS n FROM outbox').get().n);
      } finally {
        o.close();
      }
    };
    rows.push({ name: 'sync: outbox rows left after the run (all acknowledged)', value: outboxRows(), unit: 'rows' });

    // Steady state: the next night changes the same listings again; remote ids are cached now.
    const s2 = openStore(join(home, 'merchant.db'));
    s2.tx(() => {
      for (const i of changed) {
        s2.db.prepare(`UPDATE inventory SET on_hand = 5 WHERE variant_id = ?`).run(i + 1);
        s2.db.prepare(`UPDATE channel_listings SET price_minor = 1395 WHERE variant_id = ?`).run(i + 1);
        for (const c of CHANNELS) {
          markSyncWanted(s2, c, sku(i), 'price', NOW);
          markSyncWanted(s2, c, sku(i), 'inventory', NOW);
        }
      }
    });
    s2.close();
    const r2 = await runBin(root, ['sync', '--yes', '--only', 'prices,inventory', '--json'], env);
    if (r2.code !== 0) throw new Error(`second sync exited ${r2.code}: ${r2.stderr.slice(0, 500)}`);
    for (const m of JSON.parse(r2.stdout).marketplaces) {
      const floor = floors[m.marketplace];
      rows.push({ name: `sync (next run, ids cached): ${m.marketplace} HTTP requests in all vs write floor`, value: m.summary.requests, unit: 'requests', baseline: floor, ratio: m.summary.requests / floor });
    }
    rows.push({ name: 'sync (next run): outbox rows left after two runs', value: outboxRows(), unit: 'rows' });
  } finally {
    if (sb) await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
