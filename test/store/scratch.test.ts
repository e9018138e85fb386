// The scratch store (store/connection.ts SCRATCH_DB): where a command that works without a database (a
// dry run of an import before onboarding) writes. It must live on disk, not in memory: a dry run of a
// million-row file into ':memory:' held every page in RAM (668 MB peak, against the 256 MB an import
// keeps), while SQLite's private temporary database spills past its page cache to a deleted temp file.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, SCRATCH_DB } from '../../src/store/db.js';
import { isSharedFile } from '../../src/store/connection.js';
import { priceWriter, InlinePriceWriter } from '../../src/store/repos/price-writer.js';
import { PassThrough } from 'node:stream';
import { run, tempDir } from '../helpers/run.js';
import { Ctx } from '../../src/cli/context.js';
import { IO } from '../../src/cli/io.js';

describe('scratch store', () => {
  it('is migrated, on disk (journal "delete", not "memory"), and private to its connection', () => {
    const a = openStore(SCRATCH_DB);
    const b = openStore(SCRATCH_DB);
    try {
      expect(a.db.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(a.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'variants'").get()).toEqual({ n: 1n });
      a.db.prepare("INSERT INTO products (handle, title, created_at, updated_at) VALUES ('p', 'P', 'x', 'x')").run();
      expect(b.db.prepare('SELECT count(*) AS n FROM products').get()).toEqual({ n: 0n });
    } finally {
      a.close();
      b.close();
    }
  });

  it('is not a file another connection or thread can open: a large price run writes inline', () => {
    expect(isSharedFile(SCRATCH_DB)).toBe(false);
    expect(isSharedFile(':memory:')).toBe(false);
    expect(isSharedFile('/tmp/shop.db')).toBe(true);
    const s = openStore(SCRATCH_DB);
    try {
      const w = priceWriter(s, '2026-04-14T09:00:00.000Z', 10_000_000);
      expect(w).toBeInstanceOf(InlinePriceWriter);
      w.abort();
    } finally {
      s.close();
    }
  });

  it('a dry run before onboarding imports into it and leaves no file behind', async () => {
    const home = tempDir();
    const file = join(home, 'shop.csv');
    writeFileSync(file, 'sku,handle,title,price,currency,quantity\nMUG-1,mug,Mug,12.50,EUR,4\nMUG-2,mug,Mug,12.50,EUR,2\n');
    const r = await run(['listings', 'import', file, '--dry-run', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, created: 2 });
    expect(readdirSync(home).sort()).toEqual(['shop.csv']);
    expect(existsSync(join(home, 'merchant.db'))).toBe(false);
    // The command's context hands such a command the scratch store, not ':memory:'.
    const io = new IO({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), isStdoutTTY: false, isStderrTTY: false, isStdinTTY: false, env: {} });
    const ctx = new Ctx({ io, env: { MERCHANT_HOME: home } });
    ctx.worksWithoutDatabase = true;
    ctx.readOnly = true;
    const store = ctx.store();
    try {
      expect(store.path).toBe(SCRATCH_DB);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      store.close();
    }
    expect(readdirSync(home).sort()).toEqual(['shop.csv']);
  });
});
