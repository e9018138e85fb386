// --output onto what is not a plain file: a device, a pipe, a symlink. Only a regular file (or a missing
// path) is replaced atomically (temp + rename); a device or a pipe is written in place, and a symlink is
// followed (its target replaced, the link kept). Renaming over /dev/full as root once turned the device
// into a regular file. Device nodes here are made in a temp folder (same major/minor as /dev/null and
// /dev/full), so the old behaviour cannot damage the machine's own /dev.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runBin, tempDir } from '../helpers/run.js';

function canMknod(): string {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  const d = mkdtempSync(join(tmpdir(), 'merchant-mknod-'));
  try {
    const r = spawnSync('mknod', [join(d, 'null'), 'c', '1', '3']);
    return r.status === 0 ? '' : r.stderr.toString().trim() || 'mknod failed (needs root)';
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}
const noMknod = canMknod();
const skipDevices = noMknod ? ` [SKIPPED: cannot make device nodes here: ${noMknod}]` : '';

const template = (output: string, env: Record<string, string> = {}) => runBin(['listings', 'template', 'merchant', '--output', output], { env: { MERCHANT_HOME: tempDir(), ...env } });

describe('--output onto devices, pipes and symlinks', () => {
  it.skipIf(!!noMknod)(`a character device (like /dev/null) is written in place and stays a device${skipDevices}`, () => {
    const dir = tempDir();
    const dev = join(dir, 'null');
    expect(spawnSync('mknod', [dev, 'c', '1', '3']).status).toBe(0);
    const r = template(dev);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
  });

  it.skipIf(!!noMknod)(`a device that refuses the write (like /dev/full): a clear "disk is full" error, and it stays a device${skipDevices}`, () => {
    const dir = tempDir();
    const dev = join(dir, 'full');
    expect(spawnSync('mknod', [dev, 'c', '1', '7']).status).toBe(0);
    const r = template(dev);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the disk is full/);
    expect(r.stderr).not.toMatch(/This is a bug/);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
  });

  it('a symlink to /proc/self/fd/1 writes to the command’s own stdout (a pipe), and the link stays a link', () => {
    if (process.platform !== 'linux') return;
    const dir = tempDir();
    const link = join(dir, 'out.csv');
    symlinkSync('/proc/self/fd/1', link);
    const r = spawnSync(process.execPath, [BIN, 'listings', 'template', 'merchant', '--output', link], { env: { PATH: process.env.PATH, MERCHANT_HOME: dir }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sku,handle,title/); // the file came out of the pipe
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('/proc/self/fd/1');
  });

  it('a FIFO is written in place (a reader gets the file; no regular file replaces it)', () => {
    if (process.platform !== 'linux') return;
    const dir = tempDir();
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A reader on the other end: `cat fifo` in the background, into a file. (If the FIFO were replaced by
    // a regular file, that reader would wait for a writer forever: `timeout` ends it, the test fails.)
    const got = join(dir, 'got.csv');
    const sh = spawnSync('sh', ['-c', `timeout 30 cat "${fifo}" > "${got}" & "${process.execPath}" "${BIN}" listings template merchant --output "${fifo}"; s=$?; wait; exit $s`], {
      env: { PATH: process.env.PATH, MERCHANT_HOME: dir },
      encoding: 'utf8',
    });
    expect(sh.status, sh.stderr).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(got, 'utf8')).toMatch(/^sku,handle,title/);
  });

  it('a symlink to a regular file: the target is replaced atomically (its mode kept), the link stays', () => {
    const dir = tempDir();
    const real = join(dir, 'real.csv');
    writeFileSync(real, 'old\n');
    chmodSync(real, 0o640);
    const link = join(dir, 'link.csv');
    symlinkSync('real.csv', link); // relative, as `ln -s` makes them
    const r = template(link);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toMatch(/^sku,handle,title/);
    expect(statSync(real).mode & 0o777).toBe(0o640);
  });

  it('a dangling symlink: its target is created, the link stays', () => {
    const dir = tempDir();
    const link = join(dir, 'link.csv');
    symlinkSync(join(dir, 'later.csv'), link);
    const r = template(link);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'later.csv'), 'utf8')).toMatch(/^sku,handle,title/);
  });

  it('a regular file is still replaced atomically, keeping its mode; a folder is refused', () => {
    const dir = tempDir();
    const f = join(dir, 'catalogue.csv');
    writeFileSync(f, 'old\n');
    chmodSync(f, 0o600);
    const ino = statSync(f).ino;
    const r = template(f);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(f, 'utf8')).toMatch(/^sku,handle,title/);
    expect(statSync(f).ino).not.toBe(ino); // a new file renamed into place
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const d = template(dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/is a folder; give a file name/);
  });
});

describe('merchant’s own files through a symlink', () => {
  it('marketplace connect writes through a symlinked credentials file: the link stays, the target keeps 0600', async () => {
    const { startSandbox } = await import('../../src/sandbox/index.js');
    const { run } = await import('../helpers/run.js');
    const sb = await startSandbox({ port: 0, seed: 1 });
    try {
      const home = tempDir();
      const vault = tempDir();
      const real = join(vault, 'merchant-credentials.json');
      writeFileSync(real, '{}\n', { mode: 0o600 });
      symlinkSync(real, join(home, 'credentials'));
      const r = await run(['marketplace', 'connect', 'shopify', '--sandbox', sb.url], { home });
      expect(r.code, r.stderr).toBe(0);
      expect(lstatSync(join(home, 'credentials')).isSymbolicLink()).toBe(true);
      expect(JSON.parse(readFileSync(real, 'utf8'))).toHaveProperty('shopify');
      expect(statSync(real).mode & 0o777).toBe(0o600);
      const again = await run(['marketplace', 'list', '--json'], { home });
      expect(again.code, again.stderr).toBe(0);
    } finally {
      await sb.stop();
    }
  });
});
