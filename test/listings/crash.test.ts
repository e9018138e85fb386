// kill -9 in the middle of a large import: the database is exactly as before (one transaction that
// never committed), passes integrity_check, and the next writer takes over the dead holder's lock.
import { describe, expect, it } from 'vitest';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { run, spawnBin, tempDir } from '../helpers/run.js';
import { fx, query, snapshot } from './helpers.js';

async function bigFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('sku,handle,title,variant_title,vendor,price,currency,cost,weight_grams,hs_code,origin_country,quantity\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    buf += `BIG-${i},big-${i >> 2},Big product ${i >> 2},Size ${i & 3},Vendor,${(i % 900) + 10}.95,EUR,${(i % 400) + 2}.10,${200 + (i % 500)},691200,SE,${i % 50}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/** Imports `file` with the built binary and kill -9s it as soon as `midway()` holds (polled every 10 ms). */
async function importKilledWhen(home: string, file: string, midway: () => boolean): Promise<void> {
  const child = spawnBin(['listings', 'import', file], { env: { MERCHANT_HOME: home } });
  const exited = once(child, 'exit');
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  let killed = false;
  for (let i = 0; i < 3000 && child.exitCode === null; i++) {
    if (midway()) {
      child.kill('SIGKILL');
      killed = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const [code, signal] = await exited;
  expect(killed, `import finished before it could be killed (exit ${code}): ${stderr}`).toBe(true);
  expect(signal).toBe('SIGKILL');
}

describe('listings import: crash safety', () => {
  it('kill -9 mid-import leaves the catalogue unchanged and intact', async () => {
    const home = tempDir();
    expect((await run(['listings', 'import', fx('merchant.csv')], { home })).code).toBe(0);
    const before = snapshot(home);
    const file = join(tempDir(), 'big.csv');
    await bigFile(file, 400_000);

    // Kill it once the import's transaction has spilled well into the WAL.
    const wal = join(home, 'merchant.db-wal');
    await importKilledWhen(home, file, () => existsSync(wal) && statSync(wal).size > 8 * 1024 * 1024);

    expect(query(home, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(snapshot(home)).toBe(before);
    expect(query(home, `SELECT count(*) AS n FROM variants WHERE sku LIKE 'BIG-%'`)).toEqual([{ n: 0n }]);

    // The dead process's lock is taken over; a new import works.
    const ok = await run(['listings', 'import', fx('shopify-bom.csv'), '--currency', 'EUR'], { home });
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);

  // The first import into an empty catalogue takes the bulk load: the same guarantee, and a reader
  // meanwhile sees the catalogue as it was (readers never block, PRODUCT.md §4).
  it('kill -9 mid first import (bulk load) leaves the database as it was; a reader meanwhile is not blocked', async () => {
    const home = tempDir();
    expect((await run(['prices', 'rules', 'set', 'se', '--channel', 'shopify', '--margin', '30%'], { home })).code).toBe(0);
    const rules = () => JSON.stringify(query(home, 'SELECT * FROM price_rules ORDER BY rowid'), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    const rulesBefore = rules();
    expect(rulesBefore).toContain('shopify');
    const before = snapshot(home);
    const file = join(tempDir(), 'big.csv');
    await bigFile(file, 400_000);

    const wal = join(home, 'merchant.db-wal');
    let readDuring: unknown;
    await importKilledWhen(home, file, () => {
      if (!(existsSync(wal) && statSync(wal).size > 8 * 1024 * 1024)) return false;
      readDuring = query(home, 'SELECT count(*) AS n FROM variants');
      return true;
    });
    expect(readDuring).toEqual([{ n: 0n }]);

    expect(query(home, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(snapshot(home)).toBe(before);
    expect(rules()).toBe(rulesBefore);

    const ok = await run(['listings', 'import', fx('merchant.csv')], { home });
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);
});
