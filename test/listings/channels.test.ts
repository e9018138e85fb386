// Which storefront a marketplace file's prices belong to, and progress output on a TTY only.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir } from '../helpers/run.js';
import { query } from './helpers.js';

const FLAT = (currency: string) =>
  [
    'TemplateType=fptcustom\tVersion=2021.0625\tTemplateSignature=X',
    'Seller SKU\tProduct Name\tStandard Price\tCurrency\tQuantity',
    'item_sku\titem_name\tstandard_price\tcurrency\tquantity',
    `BECHER-1\tBecher\t12,90\t${currency}\t4`,
  ].join('\n');

describe('listings import: storefronts and progress', () => {
  it('an EUR Amazon flat file needs --channel; with it the price lands on that storefront (decimal comma via flag)', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'de.txt');
    writeFileSync(f, FLAT('EUR'));
    const r = await run(['listings', 'import', f, '--decimal-comma'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${f}:4:4: currency: EUR is the currency of amazon-de, amazon-fr, amazon-it, amazon-es, amazon-nl; pass --channel to say which`);
    const ok = await run(['listings', 'import', f, '--decimal-comma', '--channel', 'amazon-fr'], { home });
    expect(ok.code).toBe(0);
    expect(query(home, `SELECT channel, price_minor, currency, quantity FROM channel_listings`)).toEqual([{ channel: 'amazon-fr', price_minor: 1290n, currency: 'EUR', quantity: 4n }]);
    const wrong = await run(['listings', 'import', f, '--decimal-comma', '--channel', 'ebay-de'], { home });
    expect(wrong.code).toBe(2);
  });

  it('an eBay Seller Hub report without *Action takes the site from its Currency column, else asks for --channel', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'report.csv');
    writeFileSync(f, 'Item number,Title,Custom label (SKU),Available quantity,Currency,Start price\n1234,Stoneware mug,MUG-1,3,GBP,19.99\n');
    const r = await run(['listings', 'import', f], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(query(home, `SELECT channel, price_minor, currency, quantity FROM channel_listings`)).toEqual([{ channel: 'ebay-uk', price_minor: 1999n, currency: 'GBP', quantity: 3n }]);
    const g = join(tempDir(), 'nocur.csv');
    writeFileSync(g, 'Item number,Title,Custom label (SKU),Available quantity,Start price\n1234,Stoneware mug,MUG-2,3,19.99\n');
    const r2 = await run(['listings', 'import', g], { home });
    expect(r2.code).toBe(3);
    expect(r2.stderr).toContain('no currency column and no --channel');
    expect((await run(['listings', 'import', g, '--channel', 'ebay-us'], { home })).code).toBe(0);
  });

  it('prices in the wrong currency for the storefront are refused', async () => {
    const home = tempDir();
    const f = join(tempDir(), 'x.txt');
    writeFileSync(f, FLAT('USD'));
    const r = await run(['listings', 'import', f, '--decimal-comma', '--channel', 'amazon-uk'], { home });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('prices for amazon-uk must be in GBP, not USD');
  });

  it('a progress bar with rate and ETA on a TTY stderr, nothing on a pipe', async () => {
    const f = join(tempDir(), 'p.csv');
    const rows = ['sku,handle,title,price,currency'];
    for (let i = 0; i < 9000; i++) rows.push(`P-${i},p${i},Thing ${i},1.00,EUR`);
    writeFileSync(f, rows.join('\n'));
    const tty = await run(['listings', 'import', f], { home: tempDir(), tty: true, env: { NO_COLOR: '1' } });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/importing \[[█░]+\] \d+% [\d,]+\/[\d,]+/); // (rate and ETA after 0.2 s: see test/cli/progress.test.ts)
    const pipe = await run(['listings', 'import', f], { home: tempDir() });
    expect(pipe.stderr).not.toContain('importing');
    expect(pipe.stderr).not.toContain('\x1b');
    // Through the reading worker too; the total is re-estimated, so the count never passes it.
    const viaWorker = await run(['listings', 'import', f], { home: tempDir(), tty: true, env: { NO_COLOR: '1', MERCHANT_IMPORT_WORKER: 'on' } });
    expect(viaWorker.code).toBe(0);
    const frames = [...viaWorker.stderr.matchAll(/importing \[[█░]+\] \d+% ([\d,]+)\/([\d,]+)/g)];
    expect(frames.length).toBeGreaterThan(0);
    for (const m of frames) expect(Number(m[1]!.replace(/,/g, ''))).toBeLessThanOrEqual(Number(m[2]!.replace(/,/g, '')));
  });
});
