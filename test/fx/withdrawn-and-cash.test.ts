// #17 items 9 and 10: withdrawn currencies kept for their dates (BGN, HRK) with the irrevocable euro
// rates after the changeover, whole-forint prices, and a clear refusal of a negative margin. Expected
// values are computed by hand in the comments (the rates are the ECB's published ones).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { run, tempDir } from '../helpers/run.js';
import { openStore } from '../../src/store/db.js';
import { applyEnding, parseEnding, solvePrice, type SolveRule } from '../../src/core/pricing.js';
import { cashExponent, isCurrencyOn } from '../../src/core/currencies.js';
import { parseDecimal, ratio, ZERO_RATIO } from '../../src/core/money.js';

/** A home with the ECB's own rows for the days used below (1 EUR = x). */
function home(): string {
  const h = tempDir();
  const s = openStore(join(h, 'merchant.db'));
  const ins = s.db.prepare("INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('ecb', ?, 'EUR', ?, ?, '2026-04-14T00:00:00Z')");
  // eurofxref-hist.csv: BGN 1.9558 until 2025-12-31 (N/A from 2026-01-02); HRK 7.5365 on 2022-12-30.
  for (const [d, q, r] of [
    ['2022-12-30', 'HRK', '7.5365'], ['2022-12-30', 'USD', '1.0666'], ['2023-01-02', 'USD', '1.0683'],
    ['2025-12-15', 'BGN', '1.9558'], ['2025-12-31', 'BGN', '1.9558'], ['2025-12-31', 'USD', '1.175'], ['2026-01-02', 'USD', '1.1721'], ['2026-04-13', 'USD', '1.1684'],
  ] as const) ins.run(d, q, r);
  s.close();
  return h;
}

const convert = async (h: string, args: string[]) => run(['fx', 'convert', ...args, '--json'], { home: h });

describe('BGN and HRK: kept for their dates, irrevocable euro rates after', () => {
  it('1000 BGN → EUR on 2025-12-31 at the ECB rate 1.9558 = 511.30 (1000 / 1.9558 = 511.2997…)', async () => {
    const r = await convert(home(), ['1000', 'BGN', 'EUR', '--date', '2025-12-31']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ to: { amount: '511.30', currency: 'EUR' }, source: 'ecb', rateDate: '2025-12-31', legs: [{ base: 'EUR', quote: 'BGN', rate: '1.9558' }] });
  });
  it('from 2026-01-01 the irrevocable 1.95583: 1000 / 1.95583 = 511.2918… → 511.29, and it says so', async () => {
    const h = home();
    for (const date of ['2026-01-01', '2026-04-13']) {
      const r = await run(['fx', 'convert', '1000', 'BGN', 'EUR', '--date', date], { home: h });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('511.29 EUR');
      expect(r.stderr).toContain('irrevocable conversion rate 1 EUR = 1.95583 BGN applies from 2026-01-01');
    }
    const j = JSON.parse((await convert(h, ['1000', 'BGN', 'EUR', '--date', '2026-04-13'])).stdout);
    expect(j).toMatchObject({ source: 'irrevocable', legs: [{ quote: 'BGN', rate: '1.95583', fixed: { from: '2026-01-01' } }] });
  });
  it('BGN → USD after the changeover chains the fixed rate with the ECB dollar: 1000 / 1.95583 × 1.1684 = 597.3934… → 597.39', async () => {
    const j = JSON.parse((await convert(home(), ['1000', 'BGN', 'USD', '--date', '2026-04-13'])).stdout);
    expect(j).toMatchObject({ to: { amount: '597.39', currency: 'USD' }, rateDate: '2026-04-13' });
    expect(j.legs).toEqual([{ base: 'EUR', quote: 'BGN', rate: '1.95583', fixed: expect.objectContaining({ from: '2026-01-01' }) }, { base: 'EUR', quote: 'USD', rate: '1.1684' }]);
  });
  it('into BGN after the changeover: exit 3 with the reason and what to do', async () => {
    const r = await run(['fx', 'convert', '100', 'EUR', 'BGN', '--date', '2026-04-13'], { home: home() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('BGN was replaced by the euro after 2025-12-31 (1 EUR = 1.95583 BGN)');
  });
  it('HRK: 1000 HRK on 2022-12-30 = 1000 / 7.5365 = 132.687… → 132.69; on 2023-01-02 1000 / 7.53450 = 132.7228… → 132.72', async () => {
    const h = home();
    expect(JSON.parse((await convert(h, ['1000', 'HRK', 'EUR', '--date', '2022-12-30'])).stdout).to.amount).toBe('132.69');
    expect(JSON.parse((await convert(h, ['1000', 'HRK', 'EUR', '--date', '2023-01-02'])).stdout)).toMatchObject({ to: { amount: '132.72' }, source: 'irrevocable' });
  });
  it('a currency is in use up to its last day', () => {
    expect(isCurrencyOn('BGN', '2025-12-31')).toBe(true);
    expect(isCurrencyOn('BGN', '2026-01-01')).toBe(false);
    expect(isCurrencyOn('HRK', '2022-12-31')).toBe(true);
    expect(isCurrencyOn('HRK', '2023-01-01')).toBe(false);
    expect(isCurrencyOn('EUR', '1999-01-01')).toBe(true);
  });

  it('a Shopify order in BGN from 2025 is imported and converted at its date; one dated 2026 is refused with the reason', async () => {
    const h = home();
    const header = 'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Country,Shipping Name,Shipping Country,Refunded Amount,Id';
    const row = (name: string, at: string) => `${name},a@example.com,paid,${at},fulfilled,${at},no,BGN,97.79,0.00,16.30,97.79,,0.00,Standard,${at},1,Mug,97.79,,MUG-1,true,true,fulfilled,Ivan,BG,Ivan,BG,0.00,${name.slice(1)}`;
    const ok = join(h, 'orders.csv');
    writeFileSync(ok, `${header}\n${row('#1001', '2025-12-15 10:00:00 +0200')}\n`);
    const r = await run(['orders', 'import', ok], { home: h });
    expect(r.code, r.stderr).toBe(0);
    // 97.79 BGN / 1.9558 (ECB 2025-12-15, the order's day) = 50.00 exactly (1.9558 × 50 = 97.79)
    const rep = await run(['report', 'sales', '--from', '2025-12-01', '--to', '2025-12-31', '--currency', 'EUR', '--json', '--allow-stale'], { home: h });
    expect(rep.code, rep.stderr).toBe(0);
    expect(JSON.parse(rep.stdout).totals[0]).toMatchObject({ currency: 'EUR', gross: '50.00' });
    const bad = join(h, 'late.csv');
    writeFileSync(bad, `${header}\n${row('#1002', '2026-01-05 10:00:00 +0200')}\n`);
    const refused = await run(['orders', 'import', bad], { home: h });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('BGN, which the euro replaced after 2025-12-31');
  });
});

describe('HUF: whole forints although ISO 4217 keeps two decimals (cash exponent)', () => {
  it('the cash exponent is 0 for HUF and TWD, the ISO one elsewhere', () => {
    expect(cashExponent('HUF')).toBe(0);
    expect(cashExponent('TWD')).toBe(0);
    expect(cashExponent('EUR')).toBe(2);
    expect(cashExponent('JPY')).toBe(0);
  });
  it('4987.30 Ft with ending .99 → 4988 Ft (stored 498800), not 4987.99; ending 10 → 4990 Ft', () => {
    const p = parseDecimal('4987.3');
    const up99 = applyEnding(p, parseEnding('.99'), 2, 'up', 0);
    expect(up99.minor).toBe(498800n);
    expect(up99.note).toContain('whole units in practice');
    expect(applyEnding(p, parseEnding('10'), 2, 'up', 0).minor).toBe(499000n);
    expect(applyEnding(p, parseEnding('none'), 2, 'up', 0).minor).toBe(498800n);
    // the ISO exponent alone would have given 4987.99
    expect(applyEnding(p, parseEnding('.99'), 2, 'up').minor).toBe(498799n);
  });
  it('solvePrice uses it: cost 3000 Ft at 40% markup → 4200 Ft exactly, .99 ending → 4200 Ft (420000), not 4200.99', () => {
    const rule: SolveRule = {
      basis: 'markup', target: ratio(40n, 100n), feePercent: ZERO_RATIO, feeFixed: ZERO_RATIO, minFee: ZERO_RATIO, vat: ZERO_RATIO,
      vatIncluded: false, fxBuffer: ZERO_RATIO, ending: parseEnding('.99'), landedPercent: ZERO_RATIO, landedFixed: ZERO_RATIO,
    };
    const r = solvePrice(rule, { costMinor: 300000n, landedMinor: 0n, costExponent: 2, exponent: 2, cashExponent: 0, rate: ratio(1n) });
    expect(r.ok && r.minor).toBe(420000n);
  });
});

describe('a negative margin is refused with a message that says why', () => {
  it('--margin -10%: "prices below cost", with a hint; a negative fee: "cannot be negative"', async () => {
    const h = home();
    const r = await run(['prices', 'rules', 'set', 'clearance', '--margin=-10%'], { home: h });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--margin -10%: a negative margin prices below cost');
    expect(r.stderr).not.toContain('must be a percentage such as 25%');
    const f = await run(['prices', 'rules', 'set', 'x', '--margin', '20%', '--fx-buffer=-2%'], { home: h });
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('fx-buffer cannot be negative');
  });
});
