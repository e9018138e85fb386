// End-to-end through the built binary (npm test builds first): real pipes, real exit codes.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runBin, tempDir } from '../helpers/run.js';

const FIX = resolve(import.meta.dirname, '../../fixtures/ecb');

describe('merchant fx / prices as a built binary', () => {
  it('loads the history, converts (§10 JSON), and explains a price computed from it', () => {
    const home = tempDir();
    const env = { MERCHANT_HOME: home, MERCHANT_NOW: '2026-04-14T09:00:00Z' };
    // The ECB's own history file, cut to its newest 60 business days: this test is about the binary
    // (pipes, exit codes, --quiet), not size; test/fx/fx-cli.test.ts loads all 217k rows in-process.
    const hist = join(tempDir(), 'eurofxref-hist.csv');
    writeFileSync(hist, readFileSync(join(FIX, 'eurofxref-hist.csv'), 'utf8').split('\n').slice(0, 61).join('\n') + '\n');
    const up = runBin(['fx', 'update', '--file', hist, '--quiet'], { env });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toBe('');
    const c = runBin(['fx', 'convert', '100', 'USD', 'JPY', '--date', '2026-04-13', '--json'], { env });
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ to: { amount: '15983', currency: 'JPY' }, rateDate: '2026-04-13', source: 'ecb' });
    const rule = runBin(['prices', 'rules', 'set', 'us', '--channel', 'amazon-us', '--margin', '30%', '--fee', '15%', '--min-fee', '0.30', '--ending', '.99'], { env });
    expect(rule.code, rule.stderr).toBe(0);
    const ex = runBin(['prices', 'explain', 'X', '--channel', 'amazon-us', '--cost', '1000', '--cost-currency', 'JPY', '--json'], { env });
    expect(ex.code, ex.stderr).toBe(0);
    // 1000 JPY × 1.1684/186.75 = 6.2565…; /(1 − .15 − .30) = 11.3755… → 11.99
    expect(JSON.parse(ex.stdout).price).toEqual({ amount: '11.99', currency: 'USD' });
    const missing = runBin(['fx', 'convert', '1', 'EUR', 'AED'], { env });
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');
  });
});
