// What a nightly cron job sees: the built binary, no TTY, --yes. Exit codes 0/2/4/5/6/7 and never a prompt.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { world, setPrice, setStock, runBinAsync, ROOT, DEMO } from './helpers.js';
import { openStore } from '../../src/store/db.js';
import { tempDir } from '../helpers/run.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
});

const PROMPT = /\?\s|\(y\/N\)|\(Y\/n\)/;

describe('cron: merchant sync without a terminal', () => {
  it('shows each exit code, and never a prompt', async () => {
    const w = await world(['shopify', 'ebay']);
    const env = { ...w.env, MERCHANT_HOME: w.home };
    const bin = (args: string[], extra: Record<string, string> = {}) => runBinAsync(args, { ...env, ...extra });

    // Nothing to do: 0.
    let r = await bin(['sync', '--only', 'prices,inventory']);
    expect(r.code, r.stderr).toBe(0);

    // A change without --yes: a usage error naming --yes (2), nothing sent, no prompt.
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '16.50');
    const before = w.sb.requests().length;
    r = await bin(['sync', '--only', 'prices']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(r.stderr).not.toMatch(PROMPT);
    expect(w.sb.requests().filter((q) => q.body.includes('mutation')).length).toBe(0);
    expect(w.sb.requests().length - before).toBeLessThanOrEqual(2);

    // With --yes: 0, JSON summary on stdout.
    r = await bin(['sync', '--yes', '--only', 'prices', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('ok');

    // Credentials rejected (env overrides the stored token): 6.
    setPrice(w.store(), 'shopify', 'MUG-BLU-S', '16.90');
    r = await bin(['sync', '--yes', '--marketplace', 'shopify'], { MERCHANT_SHOPIFY_TOKEN: 'shpat_wrong0000000000000000000000' });
    expect(r.code).toBe(6);
    expect(r.stderr).not.toContain('shpat_wrong');
    expect(r.stderr).not.toMatch(PROMPT);

    // One item refused by eBay: 4, the SKU and eBay's errorId in the output.
    w.store().db.prepare(`UPDATE channel_listings SET price_minor = 0 WHERE channel = 'ebay-uk' AND variant_id = (SELECT id FROM variants WHERE sku = 'TEA-TWL-NAT')`).run();
    setPrice(w.store(), 'ebay-uk', 'BOWL-GRY-M', '26.99');
    w.store().db.prepare(`INSERT INTO outbox (channel, marketplace, sku, kind, payload_json, created_at, updated_at) VALUES ('ebay-uk', 'ebay', 'TEA-TWL-NAT', 'price', '{}', '2026-11-25T06:00:00Z', '2026-11-25T06:00:00Z')`).run();
    r = await bin(['sync', '--yes', '--only', 'prices']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/TEA-TWL-NAT.*25003/);

    // Mass change: every SKU to zero stock is refused (4) and nothing is sent…
    for (const p of DEMO.products) setStock(w.store(), p.sku, 0);
    const mutations = () => w.sb.requests().filter((q) => q.body.includes('mutation') || q.path.includes('bulk_update')).length;
    const m0 = mutations();
    r = await bin(['sync', '--yes', '--only', 'inventory']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('refused');
    expect(r.stderr).toContain('--allow-mass-change');
    expect(mutations()).toBe(m0);
    // …unless asked for.
    r = await bin(['sync', '--yes', '--only', 'inventory', '--allow-mass-change']);
    expect(r.code, r.stderr).toBe(0);
    expect(mutations()).toBeGreaterThan(m0);
  });

  it('exit 5 while another merchant holds the lock, 7 when nothing is connected', async () => {
    const w = await world(['shopify']);
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const s = openStore(join(w.home, 'merchant.db'));
      s.db.prepare(`INSERT INTO lock (name, pid, host, command, acquired_at) VALUES ('writer', ?, ?, 'sync', '2026-11-25T06:00:00Z')`).run(holder.pid, (await import('node:os')).hostname());
      s.close();
      const r = await runBinAsync(['sync', '--yes'], { ...w.env, MERCHANT_HOME: w.home });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('lock');
    } finally {
      holder.kill('SIGKILL');
    }
    const empty = tempDir();
    const r7 = await runBinAsync(['sync', '--yes'], { ...w.env, MERCHANT_HOME: empty });
    expect(r7.code).toBe(7);
    expect(r7.stderr).toContain('marketplace connect');
  });
});
