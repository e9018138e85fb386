// The history row of each changed price keeps the solve's explanation as it always has: the JSON text
// of { rule, rate, rateDate, source, solved, bound, minFee } in that key order, `solved` the exact P as a
// REDUCED fraction, the same P `prices explain` reports. (prices update builds this text itself now.)
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/run.js';
import { seedCatalog, withStore } from './helpers.js';
import { gcd } from '../../src/core/money.js';

const NOW = { MERCHANT_NOW: '2026-04-14T09:00:00Z' };

describe('prices update: the history explanation', () => {
  it('is canonical JSON in the old key order, with the exact reduced P of prices explain, bound and min-fee flag', async () => {
    const home = tempDir();
    for (const rate of ['EUR/GBP=0.85432', 'USD/GBP=0.7461']) expect((await run(['fx', 'update', '--rate', rate, '--date', '2026-04-14'], { home, env: NOW })).code).toBe(0);
    seedCatalog(home, [
      { sku: 'CHEAP-1', cost: 10n, currency: 'EUR' }, // clamped up to --min, min fee applies
      { sku: 'MUG-1', cost: 1000n, currency: 'EUR', landed: 150n },
      { sku: 'TEE-1', cost: 800n, currency: 'GBP' }, // same currency: no rate date, no source
      { sku: 'ODD-"Q"', cost: 1337n, currency: 'USD' },
    ]);
    const rule = ['prices', 'rules', 'set', 'uk', '--channel', 'amazon-uk', '--margin', '25%', '--fee', '15.3%', '--min-fee', '0.25', '--vat', '20%', '--vat-included', '--fx-buffer', '2%', '--ending', '.99', '--min', '5.00'];
    expect((await run(rule, { home, env: NOW })).code).toBe(0);
    const r = await run(['prices', 'update', '--yes'], { home, env: NOW });
    expect(r.code, r.stderr).toBe(0);
    const rows = withStore(home, (s) =>
      s.db.prepare("SELECT v.sku, h.new_minor, h.explain_json FROM price_history h JOIN variants v ON v.id = h.variant_id WHERE h.channel = 'amazon-uk' ORDER BY h.id").all(),
    ) as Array<{ sku: string; new_minor: bigint; explain_json: string }>;
    expect(rows.map((x) => x.sku)).toEqual(['CHEAP-1', 'MUG-1', 'ODD-"Q"', 'TEE-1']);
    for (const row of rows) {
      const e = JSON.parse(row.explain_json);
      expect(Object.keys(e)).toEqual(['rule', 'rate', 'rateDate', 'source', 'solved', 'bound', 'minFee']);
      expect(JSON.stringify(e)).toBe(row.explain_json);
      const [num, den] = (e.solved as string).split('/').map((x) => BigInt(x));
      expect(gcd(num!, den ?? 1n)).toBe(1n);
      const ex = await run(['prices', 'explain', row.sku, '--channel', 'amazon-uk', '--json'], { home, env: NOW });
      const doc = JSON.parse(ex.stdout);
      expect(JSON.stringify(doc)).toContain(`"${e.solved}"`);
    }
    const bySku = Object.fromEntries(rows.map((x) => [x.sku, JSON.parse(x.explain_json)]));
    expect(bySku['CHEAP-1']).toMatchObject({ rule: 'uk', bound: 'min', minFee: true, source: 'manual' });
    expect(bySku['TEE-1']).toMatchObject({ rate: '1', rateDate: null, source: null, bound: null, minFee: false });
  });
});

describe('prices update: listings beyond 2^53', () => {
  // A channel's listings are read as JSON number columns (store/repos/pricing.ts listingPrices); ids and
  // prices past 2^53 would round there, so such a channel is read row by row as BigInt instead.
  it('re-prices a listing whose id and variant id are past 2^53 exactly, and leaves its neighbours alone', async () => {
    const home = tempDir();
    expect((await run(['fx', 'update', '--rate', 'EUR/GBP=0.85', '--date', '2026-04-14'], { home, env: NOW })).code).toBe(0);
    const BIG = 2n ** 60n + 1n; // Number(BIG) is 2^60: the neighbour's id
    withStore(home, (s) => {
      const at = '2026-04-01T00:00:00Z';
      s.db.prepare("INSERT INTO products (id, handle, title, created_at, updated_at) VALUES (1, 'mug', 'Mug', ?, ?)").run(at, at);
      const v = s.db.prepare("INSERT INTO variants (id, product_id, sku, cost_minor, cost_currency, created_at, updated_at) VALUES (?, 1, ?, 1000, 'EUR', ?, ?)");
      v.run(BIG, 'MUG-BIG', at, at);
      v.run(BIG - 1n, 'MUG-NEXT', at, at);
      const l = s.db.prepare("INSERT INTO channel_listings (id, variant_id, channel, status, price_minor, currency, created_at, updated_at) VALUES (?, ?, 'amazon-uk', 'active', ?, 'GBP', ?, ?)");
      l.run(BIG, BIG, 2n ** 55n + 1n, at, at);
      l.run(BIG - 1n, BIG - 1n, 1299n, at, at); // already at its price: unchanged
    });
    expect((await run(['prices', 'rules', 'set', 'uk', '--channel', 'amazon-uk', '--markup', '50%', '--ending', '.99'], { home, env: NOW })).code).toBe(0);
    const r = await run(['prices', 'update', '--yes', '--json'], { home, env: NOW });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { counts: Record<string, number>; items: Array<{ sku: string; status: string; old: { amount: string } | null }> };
    expect(doc.counts).toMatchObject({ changed: 1, new: 0, unchanged: 1 });
    expect(doc.items.map((i) => [i.sku, i.status, i.old?.amount])).toEqual([['MUG-BIG', 'changed', '360287970189639.69']]);
    const rows = withStore(home, (s) => s.db.prepare("SELECT id, price_minor, sync_pending & 1 AS pending FROM channel_listings ORDER BY id").raw(true).all());
    expect(rows).toEqual([
      [BIG - 1n, 1299n, 0n],
      [BIG, 1299n, 1n],
    ]);
  });
});
