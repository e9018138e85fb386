// Disk and database faults: a full disk and a read-only file system (real tmpfs mounts, as CI runs as
// root on this machine kind), a locked and a corrupt database. Each must give a clear message, a
// documented exit code, and leave what was there before intact.
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { runBin } from '../helpers/run.js';

const PROFILE = join(import.meta.dirname, '../../fixtures/onboard/profile.json');
const mountpoint = mkdtempSync(join(tmpdir(), 'merchant-disk-'));
// Mounted while the file is collected, so that a machine where it cannot be done SKIPS these tests
// (visibly, with the reason in the test name) instead of passing them without running anything.
const mounted = process.platform === 'linux' ? spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountpoint]) : undefined;
const canMount = mounted?.status === 0;
const noMount = canMount
  ? ''
  : ` [SKIPPED: cannot mount a tmpfs here: ${process.platform !== 'linux' ? `not Linux (${process.platform})` : mounted?.stderr?.toString().trim() || mounted?.error?.message || 'no permission (needs root)'}]`;

afterAll(() => {
  if (canMount) spawnSync('umount', [mountpoint]);
  rmSync(mountpoint, { recursive: true, force: true });
});

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('disk faults', () => {
  it.skipIf(!canMount)(`full disk: clear message, exit 1 without "bug", database unchanged and intact${noMount}`, () => {
    const home = join(mountpoint, 'full');
    expect(runBin(['onboard', '--no-input', '--from', PROFILE], { env: { MERCHANT_HOME: home } }).code).toBe(0);
    // Fill the disk to the last byte.
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(mountpoint, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      /* dd stops with ENOSPC: that is the point */
    }
    const longName = 'A'.repeat(100_000); // a change big enough to need new pages
    const r = runBin(['onboard', '--no-input', '--legal-name', longName], { env: { MERCHANT_HOME: home } });
    rmSync(join(mountpoint, 'filler'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the disk is full; the change was rolled back and nothing was written/);
    expect(r.stderr).toMatch(/free some disk space/);
    expect(r.stderr).not.toMatch(/This is a bug/);
    const db = new Database(join(home, 'merchant.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT legal_name FROM business_profile').get() as { legal_name: string }).legal_name).toBe('Lindqvist Keramik AB');
    db.close();
  });

  it.skipIf(!canMount)(`read-only file system: clear message, nothing changed${noMount}`, () => {
    const home = join(mountpoint, 'ro');
    expect(runBin(['onboard', '--no-input', '--from', PROFILE], { env: { MERCHANT_HOME: home } }).code).toBe(0);
    // Checkpoint so the database file alone holds the state, then freeze the file system.
    const db0 = new Database(join(home, 'merchant.db'));
    db0.pragma('wal_checkpoint(TRUNCATE)');
    db0.close();
    const before = sha(join(home, 'merchant.db'));
    expect(spawnSync('mount', ['-o', 'remount,ro', mountpoint]).status).toBe(0);
    try {
      const r = runBin(['onboard', '--no-input', '--legal-name', 'Changed AB'], { env: { MERCHANT_HOME: home } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/read-only|cannot be opened/);
      expect(r.stderr).not.toMatch(/This is a bug|at .*\.js:\d+/);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mountpoint]);
    }
    expect(sha(join(home, 'merchant.db'))).toBe(before);
  });
});

describe('database faults', () => {
  it('a corrupt database is reported with the backup hint and left as it was', () => {
    const home = mkdtempSync(join(tmpdir(), 'merchant-corrupt-'));
    try {
      expect(runBin(['onboard', '--no-input', '--from', PROFILE], { env: { MERCHANT_HOME: home } }).code).toBe(0);
      const path = join(home, 'merchant.db');
      const db0 = new Database(path);
      db0.pragma('wal_checkpoint(TRUNCATE)');
      db0.close();
      const buf = readFileSync(path);
      buf.fill(0x5a, 0, 100); // wreck the header
      writeFileSync(path, buf);
      const before = sha(path);
      const r = runBin(['onboard', 'status'], { env: { MERCHANT_HOME: home } });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/not a merchant database or is corrupt/);
      expect(r.stderr).toMatch(/backup/);
      expect(sha(path)).toBe(before);
      expect(existsSync(path)).toBe(true);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a damaged page in the middle of the file: a writing command refuses it (exit 3) and leaves it as it was', () => {
    const home = mkdtempSync(join(tmpdir(), 'merchant-badpage-'));
    try {
      expect(runBin(['onboard', '--no-input', '--from', PROFILE], { env: { MERCHANT_HOME: home } }).code).toBe(0);
      const demo = join(import.meta.dirname, '../../fixtures/demo/catalogue-shopify.csv');
      expect(runBin(['listings', 'import', demo], { env: { MERCHANT_HOME: home } }).code).toBe(0);
      const path = join(home, 'merchant.db');
      const db0 = new Database(path);
      db0.pragma('wal_checkpoint(TRUNCATE)');
      // A table the import never reads: its page is damaged, the rest of the file is fine.
      const { rootpage } = db0.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'fx_rates'").get() as { rootpage: number };
      const pageSize = Number(db0.pragma('page_size', { simple: true }));
      db0.close();
      const buf = readFileSync(path);
      buf.fill(0xa5, (rootpage - 1) * pageSize, (rootpage - 1) * pageSize + 64);
      writeFileSync(path, buf);
      const before = sha(path);
      const other = join(home, 'more.csv');
      writeFileSync(other, 'sku,handle,title,price,currency\nNEW-1,new,New thing,9.00,SEK\n');
      const r = runBin(['listings', 'import', other], { env: { MERCHANT_HOME: home } });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/the database .*merchant\.db is damaged \(PRAGMA quick_check: .+\); nothing was changed/);
      expect(r.stderr).toMatch(/restore the last backup/);
      expect(r.stderr).toMatch(/\.recover/);
      expect(sha(path)).toBe(before);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
