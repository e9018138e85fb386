// The mass-change guard counts what it refuses against the same listings: never "5 of 4 (125%)".
// Listings that were never synced (no acknowledged quantity) and offer the SKU's stock (no quantity
// of their own) are stocked as far as the guard knows — they count on both sides.
import { describe, it, expect } from 'vitest';
import { shop, ENV } from './pipeline.js';
import { openStore } from '../../src/store/db.js';
import { join } from 'node:path';

describe('mass-change guard arithmetic', () => {
  it('zeroing every SKU of a never-synced catalogue: N of N (100%), refused, nothing sent', async () => {
    const s = await shop({ marketplaces: ['shopify'] });
    const store = openStore(join(s.home, 'merchant.db'));
    try {
      store.db.prepare(`UPDATE channel_listings SET quantity = NULL, acked_quantity = NULL WHERE channel = 'shopify'`).run();
      store.db.prepare(`UPDATE inventory SET on_hand = 0`).run();
      store.db
        .prepare(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, created_at, updated_at) SELECT 'shopify', 'shopify', v.sku, 'inventory', '{}', ?, ? FROM variants v JOIN channel_listings cl ON cl.variant_id = v.id AND cl.channel = 'shopify'`)
        .run(ENV.MERCHANT_NOW, ENV.MERCHANT_NOW);
    } finally {
      store.close();
    }
    const before = s.sb.requests().filter((r) => r.body.includes('mutation')).length;
    const r = await s.cli(['sync', '--yes', '--only', 'inventory', '--json']);
    expect(r.code, r.stderr).toBe(4);
    const guard = JSON.parse(r.stdout).guard as Array<{ rule: string; count: number; of: number; share: number; message: string }>;
    const zero = guard.find((g) => g.rule === 'zero-stock')!;
    expect(zero.count).toBeGreaterThan(0);
    expect(zero.count).toBe(zero.of);
    expect(zero.share).toBe(1);
    expect(zero.message).toMatch(new RegExp(`would set ${zero.count} of ${zero.of} listings on shopify that have stock \\(or were never synced\\) to zero \\(100% > 20%\\)`));
    expect(s.sb.requests().filter((q) => q.body.includes('mutation')).length).toBe(before);
  });
});
