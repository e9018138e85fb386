import { test } from 'vitest';
import { run, tempDir } from '../helpers/run.js';
import { openHomeStore, seed, seedRates } from './seed.js';
test('smoke', async () => {
  const home = tempDir();
  const s = openHomeStore(home);
  seed(s, [
    { id: 'A1', channel: 'amazon-de', currency: 'EUR', at: '2026-10-03T10:00:00Z', country: 'DE', tax: 319n, shipping: 499n, lines: [{ sku: 'MUG', qty: 2, price: 999n, tax: 319n }], fees: [{ amount: 300n, currency: 'EUR' }], refunds: [{ at: '2026-11-02T09:00:00Z', amount: 999n, tax: 160n }] },
    { id: 'J1', channel: 'amazon-jp', currency: 'JPY', at: '2026-10-04T23:30:00Z', country: 'JP', tax: 300n, lines: [{ sku: 'MUG', qty: 1, price: 3300n, tax: 300n }] },
    { id: 'U1', channel: 'amazon-us', currency: 'USD', at: '2026-10-31T23:30:00Z', country: 'US', tax: 80n, lines: [{ sku: 'CUP', qty: 1, price: 1000n, tax: 80n }] },
  ]);
  seedRates(s, [['2026-10-02', 'JPY', '162.35'], ['2026-10-02', 'USD', '1.1684'], ['2026-10-30', 'USD', '1.1700']]);
  s.close();
  for (const args of [
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'month,channel'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'month,channel', '--currency', 'EUR', '--format', 'csv'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'week,sku', '--format', 'csv'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--currency', 'EUR', '--detail'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'month', '--profile', 'hledger', '--currency', 'EUR'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'month', '--profile', 'xero', '--currency', 'EUR'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'month,channel', '--profile', 'qbo'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'month', '--chart', '--timezone', 'Asia/Tokyo'],
    ['report', 'sales', '--from', '2026-10-01', '--to', '2026-11-30', '--group-by', 'month', '--currency', 'KWD'],
  ]) {
    const r = await run(args, { home });
    console.log(args.join(' '), '\n', r.code, '\n', r.stdout, '\n', r.stderr);
  }
});
