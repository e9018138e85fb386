// Exit codes scripts can rely on: "not found" is 2 (code not_found) everywhere; a read command never
// creates a database, an unusable --db is 2 or 7 (never 1), a read never says "rolled back"; a
// remote failure (6) names each marketplace once.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { run, runBin, tempDir } from '../helpers/run.js';
import { sandbox, testEnv, world } from '../sync/helpers.js';

const PROFILE = resolve(import.meta.dirname, '../../fixtures/onboard/profile.json');

describe('not found: exit 2 and code not_found, everywhere', () => {
  it('orders, SKUs, shipments, rules and rates the user named', async () => {
    const home = tempDir();
    expect((await run(['onboard', '--no-input', '--from', PROFILE], { home })).code).toBe(0);
    const cases: Array<[string[], RegExp]> = [
      [['orders', 'show', '302-000'], /no order "302-000"/],
      [['listings', 'show', 'NOPE-1'], /no SKU "NOPE-1" in the catalogue/],
      [['prices', 'explain', 'NOPE-1', '--channel', 'amazon-uk', '--cost', '1.00'], /no variant with SKU "NOPE-1"|no pricing rules yet/],
      [['prices', 'rules', 'remove', 'nope'], /no pricing rule named "nope"/],
      [['sync', 'rules', 'remove', 'nope'], /no inventory rule named "nope"/],
      [['ship', 'track', 'O1-nope'], /no shipment "O1-nope"/],
      [['ship', 'label', 'O1-nope'], /no shipment "O1-nope"/],
      [['ship', 'void', 'O1-nope', '--yes'], /no shipment "O1-nope"/],
      [['ship', 'rates', '1042'], /no order "1042": there are no orders yet/],
    ];
    for (const [args, message] of cases) {
      const r = await run([...args, '--json'], { home });
      const what = args.join(' ');
      if (/no pricing rules yet/.test(r.stdout)) continue; // prices explain needs a rule before it looks up the SKU
      expect(r.code, `${what}: ${r.stdout}`).toBe(2);
      expect(JSON.parse(r.stdout).error, what).toMatchObject({ code: 'not_found', exitCode: 2, message: expect.stringMatching(message) });
    }
    // And prices explain with a rule in place.
    expect((await run(['prices', 'rules', 'set', 'uk', '--channel', 'amazon-uk', '--margin', '25%'], { home })).code).toBe(0);
    const r = await run(['prices', 'explain', 'NOPE-1', '--channel', 'amazon-uk', '--json'], { home });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no variant with SKU "NOPE-1"/) });
  });
});

describe('--db and read commands', () => {
  it('a read command never creates a database: exit 7, nothing left behind', async () => {
    const home = tempDir();
    for (const args of [['orders', 'list'], ['listings', 'list'], ['marketplace', 'list'], ['prices', 'rules', 'list'], ['fx', 'rates'], ['ship', 'list'], ['report', 'sales', '--from', '2026-11-01', '--to', '2026-11-30']]) {
      const r = await run(args, { home });
      expect(r.code, args.join(' ')).toBe(7);
      expect(r.stderr, args.join(' ')).toMatch(/no merchant database yet \(.*merchant\.db\)\nhint: run `merchant onboard` first/);
    }
    const dry = await run(['sync', '--dry-run'], { home });
    expect(dry.code).toBe(7);
    expect(existsSync(join(home, 'merchant.db'))).toBe(false);
  });

  it('--db: a missing file is 7 for a read and created by a write; a missing folder is 2 and is not created', async () => {
    const dir = tempDir();
    const missing = join(dir, 'shop.db');
    const read = await run(['orders', 'list', '--db', missing], { home: dir });
    expect(read.code).toBe(7);
    expect(read.stderr).toMatch(/no database at .*shop\.db\nhint: check the --db path/);
    expect(existsSync(missing)).toBe(false);
    expect((await run(['onboard', '--no-input', '--from', PROFILE, '--db', missing], { home: dir })).code).toBe(0);
    expect(existsSync(missing)).toBe(true);
    expect((await run(['orders', 'list', '--db', missing], { home: dir })).code).toBe(0);

    const typo = join(dir, 'no-such-folder', 'shop.db');
    for (const args of [['orders', 'list'], ['onboard', '--no-input', '--from', PROFILE]]) {
      const r = await run([...args, '--db', typo], { home: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--db .*no-such-folder\/shop\.db: the folder .*no-such-folder does not exist/);
    }
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    // MERCHANT_DB is the same as --db.
    expect((await run(['orders', 'list'], { home: dir, env: { MERCHANT_DB: typo } })).code).toBe(2);
  });

  // A read-only file system (a real tmpfs remounted read-only, as root in CI): reads work, and no
  // message ever claims a change was rolled back.
  const mountpoint = mkdtempSync(join(tmpdir(), 'merchant-ro-'));
  const canMount = process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountpoint]).status === 0;
  it.skipIf(!canMount)('on a read-only file system a read command still reads (skipped where a tmpfs cannot be mounted)', () => {
    try {
      const home = join(mountpoint, 'home');
      expect(runBin(['onboard', '--no-input', '--from', PROFILE], { env: { MERCHANT_HOME: home } }).code).toBe(0);
      const db = new Database(join(home, 'merchant.db'));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      expect(spawnSync('mount', ['-o', 'remount,ro', mountpoint]).status).toBe(0);
      const status = runBin(['onboard', 'status'], { env: { MERCHANT_HOME: home } });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/Lindqvist Keramik AB/);
      const list = runBin(['orders', 'list', '--json'], { env: { MERCHANT_HOME: home } });
      expect(list.code, list.stderr).toBe(0);
      for (const r of [status, list]) expect(r.stderr).not.toMatch(/rolled back/);
      expect(status.stderr).toMatch(/cannot be written \(read-only disk or permissions\): reading a snapshot of it/);
      // A write to a --db there is a bad argument (2), not a bug (1).
      const write = runBin(['onboard', '--no-input', '--legal-name', 'Changed AB', '--db', join(home, 'merchant.db')], { env: { MERCHANT_HOME: home } });
      expect(write.code, write.stderr).toBe(2);
      expect(write.stderr).toMatch(/^error: --db .*merchant\.db: .*read-only.*; nothing was written$/m);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mountpoint]);
      spawnSync('umount', [mountpoint]);
      rmSync(mountpoint, { recursive: true, force: true });
    }
  });
  if (!canMount) rmSync(mountpoint, { recursive: true, force: true });
});

describe('remote failure (6)', () => {
  it('names each marketplace once, and the credentials hint only for a rejected one', async () => {
    const sb = await sandbox();
    const w = await world(['shopify', 'ebay'], { sb });
    await sb.stop();
    const r = await w.cli(['sync', '--yes'], {});
    expect(r.code).toBe(6);
    const err = r.stderr;
    for (const m of ['ebay', 'shopify']) expect(err.match(new RegExp(`\\b${m}: ${m}:`, 'g'))).toBeNull();
    expect(err).toMatch(/^error: ebay: .*ECONNREFUSED.*; shopify: .*ECONNREFUSED/m);
    expect(err.match(/^error:/gm)).toHaveLength(1);
    expect(err).not.toMatch(/reconnect with/);
    const rejected = await w.cli(['sync', '--yes', '--marketplace', 'shopify'], {});
    void rejected;
  });

  it('a rejected credential says which marketplace to reconnect', async () => {
    const w = await world(['shopify']);
    const r = await run(['sync', '--yes'], { home: w.home, env: { ...testEnv(), MERCHANT_SHOPIFY_TOKEN: 'shpat_wrong0000000000000000000000' } });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/hint: shopify rejected the credentials: reconnect with `merchant marketplace connect shopify`/);
  });
});
