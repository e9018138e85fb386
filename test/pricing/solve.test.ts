import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyEnding, marginAt, parseEnding, solvePrice, type SolveInput, type SolveRule } from '../../src/core/pricing.js';
import { parseDecimal, parsePercent, ratio, rCmp, ZERO_RATIO, type Ratio } from '../../src/core/money.js';

const D = Decimal.clone({ precision: 80 });
const dec = (r: Ratio) => new D(r.num.toString()).dividedBy(r.den.toString());

function rule(p: Partial<SolveRule> = {}): SolveRule {
  return {
    basis: 'margin',
    target: parsePercent('25%'),
    feePercent: parsePercent('15.3%'),
    feeFixed: ZERO_RATIO,
    minFee: parseDecimal('0.25'),
    vat: parsePercent('20%'),
    vatIncluded: true,
    fxBuffer: parsePercent('2%'),
    ending: parseEnding('.99'),
    landedPercent: ZERO_RATIO,
    landedFixed: ZERO_RATIO,
    ...p,
  };
}
const input = (p: Partial<SolveInput> = {}): SolveInput => ({ costMinor: 1000n, landedMinor: 0n, costExponent: 2, exponent: 2, rate: parseDecimal('0.87058'), ...p });

describe('solvePrice: the §6 steps on known values', () => {
  it('VAT-inclusive amazon-uk: 10.00 EUR at EUR/GBP 0.87058, 2% buffer, 15.3% fee, 25% margin, 20% VAT → 18.99', () => {
    // C = 10 × 0.87058 × 1.02 = 8.879916; P = C / (0.75/1.2 − 0.153) = 18.81338…; up to .99
    const r = solvePrice(rule(), input(), true);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.minor).toBe(1899n);
    expect(dec(r.solved).toFixed(10)).toBe(new D('8.879916').dividedBy(new D('0.625').minus('0.153')).toFixed(10));
    expect(r.steps.map((s) => s.step)).toEqual(['1', '1', '1', '1', '2', '2', '2', '2', '3', '4', '5', '6']);
    expect(r.steps.find((s) => s.name === 'C')?.value).toBe('8.879916');
  });

  it('tax-exclusive: P = (C + F) / (1 − r − m)', () => {
    const r = solvePrice(rule({ vatIncluded: false, feeFixed: parseDecimal('0.99'), ending: parseEnding('none'), fxBuffer: ZERO_RATIO }), input({ rate: parseDecimal('1.1684') }));
    // C = 11.684, (11.684 + 0.99)/(1 − 0.153 − 0.25) = 21.22948…  → next cent 21.23
    expect(r.ok && r.minor).toBe(2123n);
  });

  it('re-solves with the minimum fee when r·P is below it (step 4)', () => {
    const r = solvePrice(rule({ vatIncluded: false, fxBuffer: ZERO_RATIO, ending: parseEnding('none'), minFee: parseDecimal('0.30'), feePercent: parsePercent('15%') }), input({ costMinor: 100n, rate: ratio(1n) }));
    // P1 = 1/(1 − .15 − .25) = 1.6667; r·P1 = 0.25 < 0.30 → P = (1 + 0.30)/(1 − 0.25) = 1.7333… → 1.74
    expect(r.ok && r.minFeeApplied).toBe(true);
    expect(r.ok && r.minor).toBe(174n);
  });

  it('markup: P = C × (1 + markup) + F, fees and VAT not added', () => {
    const r = solvePrice(rule({ basis: 'markup', target: parsePercent('80%'), feeFixed: parseDecimal('0.50'), fxBuffer: ZERO_RATIO, ending: parseEnding('10') }), input({ costMinor: 1000n, exponent: 0, rate: parseDecimal('159.833960972') }));
    // 10 × 159.833960972 × 1.8 + 0.5 = 2877.51 → up to a multiple of 10 yen
    expect(r.ok && r.minor).toBe(2880n);
  });

  it('endings: .99, .95, whole units, steps, none, and .99 on a currency without minor units', () => {
    const p = new D('12.341');
    const pr = ratio(12341n, 1000n);
    expect(applyEnding(pr, parseEnding('.99'), 2).minor).toBe(1299n);
    expect(applyEnding(pr, parseEnding('.95'), 2).minor).toBe(1295n);
    expect(applyEnding(ratio(1296n, 100n), parseEnding('.95'), 2).minor).toBe(1395n);
    expect(applyEnding(ratio(1299n, 100n), parseEnding('.99'), 2).minor).toBe(1299n); // exact stays
    expect(applyEnding(ratio(50n, 100n), parseEnding('.99'), 2).minor).toBe(99n);
    expect(applyEnding(pr, parseEnding('1'), 2).minor).toBe(1300n);
    expect(applyEnding(pr, parseEnding('none'), 2).minor).toBe(1235n);
    expect(applyEnding(ratio(12001n, 10n), parseEnding('100'), 0).minor).toBe(1300n);
    const jpy = applyEnding(ratio(12341n, 10n), parseEnding('.99'), 0);
    expect(jpy.minor).toBe(1235n);
    expect(jpy.note).toMatch(/whole units/);
    expect(p.toString()).toBe('12.341');
  });

  it('round direction: down and nearest to the ending when a rule asks (up is the default)', () => {
    const pr = ratio(12341n, 1000n); // 12.341
    expect(applyEnding(pr, parseEnding('.99'), 2, 'down').minor).toBe(1199n);
    expect(applyEnding(pr, parseEnding('.99'), 2, 'nearest').minor).toBe(1199n); // 0.351 below vs 0.649 above
    expect(applyEnding(ratio(1280n, 100n), parseEnding('.99'), 2, 'nearest').minor).toBe(1299n);
    expect(applyEnding(ratio(1249n, 100n), parseEnding('.99'), 2, 'nearest').minor).toBe(1299n); // tie → up
    expect(applyEnding(pr, parseEnding('none'), 2, 'down').minor).toBe(1234n);
    expect(applyEnding(pr, parseEnding('10'), 0, 'down').minor).toBe(10n);
    const tiny = applyEnding(ratio(50n, 100n), parseEnding('.99'), 2, 'down'); // no positive .99 below 0.50
    expect(tiny.minor).toBe(99n);
    const r = solvePrice(rule({ direction: 'down' }), input(), true);
    expect(r.ok && r.minor).toBe(1799n); // P = 18.81 → down to 17.99
    expect(r.steps.find((s) => s.step === '5')?.formula).toBe('down to ending .99');
  });

  it('clamps to min, cuts an ending back to max, and refuses when the floor is above max', () => {
    const low = solvePrice(rule({ min: 500n }), input({ costMinor: 100n }));
    expect(low.ok && [low.minor, low.bound]).toEqual([500n, 'min']);
    // P = 18.8134 → 18.99 by the ending, max 18.90: the max may cut the ending (still ≥ P)
    const cut = solvePrice(rule({ max: 1890n }), input());
    expect(cut.ok && [cut.minor, cut.bound]).toEqual([1890n, 'max']);
    const refused = solvePrice(rule({ max: 1800n }), input(), true);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.code).toBe('floor-above-max');
    expect(!refused.ok && refused.reason).toMatch(/\(18\.82\) is above the max 18\.00/);
  });

  it('refuses when fees and margin leave nothing (denominator ≤ 0)', () => {
    const r = solvePrice(rule({ target: parsePercent('60%'), feePercent: parsePercent('40%'), vatIncluded: false }), input());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('fees-exceed-price');
  });
});

// ---- properties ----------------------------------------------------------------------------------

const pctArb = (maxBp: number) => fc.integer({ min: 0, max: maxBp }).map((bp) => ratio(BigInt(bp), 10000n));
const amountArb = (max: bigint) => fc.bigInt({ min: 0n, max }).map((m) => ratio(m, 100n));
const endingArb = fc.constantFrom('.99', '.95', '.49', '1', '10', '100', 'none');
const rateArb = fc.tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 4, max: 8 })).map(([n, k]) => ratio(BigInt(n), 10n ** BigInt(k)));

const ruleArb = fc
  .record({
    basis: fc.constantFrom<'margin' | 'markup'>('margin', 'markup'),
    target: pctArb(8000),
    feePercent: pctArb(4000),
    feeFixed: amountArb(500n),
    minFee: amountArb(100n),
    vat: pctArb(2700),
    vatIncluded: fc.boolean(),
    fxBuffer: pctArb(500),
    ending: endingArb,
    landedPercent: pctArb(2000),
    landedFixed: amountArb(1000n),
    min: fc.option(fc.bigInt({ min: 0n, max: 5_000n }), { nil: undefined, freq: 2 }),
    max: fc.option(fc.bigInt({ min: 0n, max: 50_000n }), { nil: undefined, freq: 2 }),
  })
  .filter((r) => r.min === undefined || r.max === undefined || r.min <= r.max) // as `rules set` enforces
  .map((r) => ({ ...r, ending: parseEnding(r.ending) }) as SolveRule);
const inputArb = fc.record({
  // up to 10^15 minor units: far beyond 2^53, where any float on the path would lose digits
  costMinor: fc.oneof(fc.bigInt({ min: 1n, max: 5_000n }), fc.bigInt({ min: 1n, max: 10n ** 15n })),
  landedMinor: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 6n })),
  costExponent: fc.constantFrom(0, 2, 3),
  exponent: fc.constantFrom(0, 2, 3),
  rate: rateArb,
});

/** decimal.js oracle for P (steps 1–4), independent of the Ratio code. */
function oracleP(r: SolveRule, i: SolveInput): Decimal {
  const unit = new D(i.costMinor.toString()).dividedBy(new D(10).pow(i.costExponent));
  const landed = new D(i.landedMinor.toString()).dividedBy(new D(10).pow(i.costExponent));
  const basis = unit.plus(landed).plus(unit.times(dec(r.landedPercent))).plus(dec(r.landedFixed));
  const C = basis.times(dec(i.rate)).times(dec(r.fxBuffer).plus(1));
  const F = dec(r.feeFixed);
  const m = dec(r.target);
  if (r.basis === 'markup') return C.times(m.plus(1)).plus(F);
  const net = r.vatIncluded ? new D(1).minus(m).dividedBy(dec(r.vat).plus(1)) : new D(1).minus(m);
  let P = C.plus(F).dividedBy(net.minus(dec(r.feePercent)));
  if (dec(r.feePercent).times(P).lessThan(dec(r.minFee))) P = C.plus(F).plus(dec(r.minFee)).dividedBy(net);
  return P;
}

describe('pricing properties (fast-check)', () => {
  it('the generators reach every outcome (so the properties below are not vacuous)', () => {
    const seen: Record<string, number> = {};
    for (const [r, i] of fc.sample(fc.tuple(ruleArb, inputArb), { numRuns: 3000, seed: 42 })) {
      const x = solvePrice(r, i);
      const k = x.ok ? `ok:${x.bound}:${x.minFeeApplied}` : x.code;
      seen[k] = (seen[k] ?? 0) + 1;
    }
    const ok = Object.entries(seen).filter(([k]) => k.startsWith('ok')).reduce((a, [, n]) => a + n, 0);
    expect(ok).toBeGreaterThan(900);
    for (const k of ['ok:null:false', 'ok:null:true', 'ok:min:false', 'ok:max:false', 'floor-above-max', 'fees-exceed-price']) expect(seen[k], k).toBeGreaterThan(2);
  });

  it('agrees with a decimal.js oracle far beyond float precision, and is stable under re-run', () => {
    fc.assert(
      fc.property(ruleArb, inputArb, (r, i) => {
        const a = solvePrice(r, i);
        const b = solvePrice(r, i);
        expect(b).toEqual(a);
        if (!a.ok) return;
        expect(typeof a.minor).toBe('bigint');
        const P = oracleP(r, i);
        // the exact solved value matches the oracle to 40 significant digits
        expect(dec(a.solved).toSignificantDigits(40).equals(P.toSignificantDigits(40))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('respects endings and the clamp: never below P (unless min raised it), never above max, ending kept unless clamped', () => {
    fc.assert(
      fc.property(ruleArb, inputArb, (r, i) => {
        const res = solvePrice(r, i);
        if (!res.ok) {
          if (res.code === 'floor-above-max') {
            const floor = BigInt(oracleP(r, i).times(new D(10).pow(i.exponent)).ceil().toFixed(0));
            expect(floor > r.max!).toBe(true);
          }
          return;
        }
        const pMinor = res.solved.num * 10n ** BigInt(i.exponent);
        expect(res.minor * res.solved.den >= pMinor).toBe(true); // ≥ P
        if (r.min !== undefined) expect(res.minor >= r.min).toBe(true);
        if (r.max !== undefined) expect(res.minor <= r.max).toBe(true);
        if (res.bound === null) {
          const scale = 10n ** BigInt(i.exponent);
          const e = r.ending;
          if (e.kind === 'fraction' && e.digits === i.exponent) expect(res.minor % scale).toBe(e.minor);
          if (e.kind === 'step' || (e.kind === 'fraction' && e.digits !== i.exponent)) expect(res.minor % ((e.kind === 'step' ? e.units : 1n) * scale)).toBe(0n);
          // the smallest such price: one step lower would be below P
          const step = e.kind === 'fraction' && e.digits === i.exponent ? scale : e.kind === 'step' ? e.units * scale : e.kind === 'none' ? 1n : scale;
          expect((res.minor - step) * res.solved.den < pMinor).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('down/nearest keep the ending and stay within one ending step of P', () => {
    fc.assert(
      fc.property(ruleArb, inputArb, fc.constantFrom<'down' | 'nearest'>('down', 'nearest'), (r0, i, direction) => {
        const r = { ...r0, direction, min: undefined, max: undefined };
        const res = solvePrice(r, i);
        if (!res.ok) return;
        const scale = 10n ** BigInt(i.exponent);
        const e = r.ending;
        const step = e.kind === 'fraction' && e.digits === i.exponent ? scale : e.kind === 'step' ? e.units * scale : e.kind === 'none' ? 1n : scale;
        if (e.kind === 'fraction' && e.digits === i.exponent) expect(res.minor % scale).toBe(e.minor);
        else expect(res.minor % step).toBe(0n);
        const pMinor = res.solved.num * scale; // P × scale × den
        const diff = res.minor * res.solved.den - pMinor;
        const abs = diff < 0n ? -diff : diff;
        expect(abs <= step * res.solved.den).toBe(true);
        if (direction === 'down' && res.minor > step) expect(diff <= 0n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('margin after fees (fee = max(r·price, minFee)) is at least the target for margin rules', () => {
    fc.assert(
      fc.property(ruleArb.filter((r) => r.basis === 'margin'), inputArb, (r, i) => {
        const res = solvePrice(r, i);
        if (!res.ok) return;
        const { margin } = marginAt(r, i, res.minor);
        expect(rCmp(margin, r.target) >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('no float on the money path: the pricing and fx modules never call Number/parseFloat/Math/toFixed', () => {
    const files = ['src/core/pricing.ts', 'src/services/fx/lookup.ts', 'src/services/prices/update.ts'].map((f) => readFileSync(resolve(import.meta.dirname, '../..', f), 'utf8'));
    for (const src of files) {
      const code = src.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code).not.toMatch(/\bNumber\(|parseFloat|parseInt|Math\.|toFixed|toPrecision/);
    }
  });
});
