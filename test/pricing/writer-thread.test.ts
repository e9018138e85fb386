// `prices update` as a user runs it (the built binary, stdout a pipe), with its writes on the writer
// thread (MERCHANT_PRICE_THREAD_MIN=1: every run is "large") and inline: the same diff, the same --json,
// the same stored prices, history and audit. And when the thread's writing fails half way, the run says
// so, prints no diff (it was rendered while the thread committed, and is dropped) and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runBin, tempDir } from '../helpers/run.js';
import { seedCatalog, withStore } from './helpers.js';

const BASE = { MERCHANT_NOW: '2026-04-14T09:00:00Z', NO_COLOR: '1' };
const THREAD = { MERCHANT_PRICE_THREAD_MIN: '1' };
const INLINE = { MERCHANT_PRICE_THREAD_MIN: '1000000000' };
const SKUS = 2100; // × 2 channels: more than one chunk of 4,096 prices

/** The shop every test starts from (built once: each run of the binary costs a start-up). */
function shopHome(home: string): string {
  const rates = ['EUR/GBP=0.85432', 'USD/GBP=0.7461', 'EUR/USD=1.0842', 'GBP/USD=1.3403'].flatMap((r) => ['--rate', r]);
  const fx = runBin(['fx', 'update', ...rates, '--date', '2026-04-14'], { env: { ...BASE, MERCHANT_HOME: home } });
  expect(fx.code, fx.stderr).toBe(0);
  const ccys = ['EUR', 'USD', 'GBP'];
  seedCatalog(home, Array.from({ length: SKUS }, (_, i) => ({ sku: `SKU-${String(i).padStart(5, '0')}`, cost: i % 97 === 0 ? null : BigInt(150 + ((i * 37) % 9000)), currency: ccys[i % 3]!, landed: BigInt(i % 4) * 25n })));
  for (const rule of [
    ['uk', '--channel', 'amazon-uk', '--margin', '25%', '--fee', '15.3%', '--min-fee', '0.25', '--vat', '20%', '--vat-included', '--fx-buffer', '2%', '--ending', '.99', '--min', '5.00'],
    ['us', '--channel', 'ebay-us', '--margin', '22%', '--fee', '13.25%+0.30', '--fx-buffer', '1.5%', '--ending', '.95'],
  ]) {
    const r = runBin(['prices', 'rules', 'set', ...rule], { env: { ...BASE, MERCHANT_HOME: home } });
    expect(r.code, r.stderr).toBe(0);
  }
  return home;
}

function copyHome(from: string): string {
  const to = tempDir();
  mkdirSync(to, { recursive: true });
  copyFileSync(join(from, 'merchant.db'), join(to, 'merchant.db'));
  return to;
}

function stored(home: string): unknown {
  return withStore(home, (s) => ({
    history: s.db.prepare('SELECT * FROM price_history ORDER BY id').raw(true).all(),
    listings: s.db.prepare('SELECT * FROM channel_listings ORDER BY id').raw(true).all(),
    audit: s.db.prepare("SELECT at, command, entity, entity_id, action, detail_json FROM audit_log WHERE entity = 'prices' ORDER BY id").raw(true).all(),
  }));
}

const update = (home: string, mode: Record<string, string>, extra: string[] = []) => runBin(['prices', 'update', '--yes', ...extra], { env: { ...BASE, ...mode, MERCHANT_HOME: home } });

describe('prices update on the writer thread', () => {
  let shop: string;
  beforeAll(() => {
    shop = shopHome(tempDir());
  });
  afterAll(() => {
    if (shop) rmSync(shop, { recursive: true, force: true });
  });

  it('shows and stores exactly what the inline writer does: first run, re-price with new listings, --json', () => {
    const inline = copyHome(shop);
    const thread = copyHome(inline);
    const a = update(inline, INLINE);
    const b = update(thread, THREAD);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout.split('\n').length).toBeGreaterThan(4096); // the whole diff, in a pipe
    expect(b.stderr).toBe(a.stderr);
    expect(stored(thread)).toEqual(stored(inline));
    // Costs move and some listings go: a run that updates most listings and creates some.
    for (const home of [inline, thread]) {
      withStore(home, (s) => {
        s.db.exec('UPDATE variants SET cost_minor = cost_minor * 11 / 10 WHERE id % 3 <> 0');
        s.db.exec('DELETE FROM channel_listings WHERE id % 7 = 0');
      });
    }
    const c = update(inline, INLINE, ['--json']);
    const d = update(thread, THREAD, ['--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(d.stdout).toBe(c.stdout);
    expect(JSON.parse(d.stdout).written).toBe(true);
    expect(stored(thread)).toEqual(stored(inline));
  });

  it('a write that fails on the thread half way: a clear error, no diff on stdout, nothing written', () => {
    const home = copyHome(shop);
    const before = stored(home);
    // The 4,100th change row fails (as a full disk would): the first chunk is already in the thread's transaction.
    withStore(home, (s) => s.db.exec("CREATE TRIGGER fail_write BEFORE INSERT ON price_changes WHEN (SELECT count(*) FROM price_changes) >= 4100 BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END"));
    const r = update(home, THREAD);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('simulated write failure');
    expect(r.stdout).toBe('');
    expect(stored(home)).toEqual(before);
    // The same run inline fails the same way.
    const i = update(home, INLINE);
    expect(i.code).toBe(r.code);
    expect(i.stdout).toBe('');
    expect(stored(home)).toEqual(before);
  });
});
