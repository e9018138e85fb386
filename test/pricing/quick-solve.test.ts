// compileSolve (the bulk solver of `prices update`) must answer exactly what solvePrice answers: the
// same minor units, bound, minimum-fee flag, the same exact P, and the same refusal — for every rule
// shape, direction, exponent (JPY 0, cash-rounded HUF 2→0, 3), ending and .5 tie.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileSolve, parseEnding, solvePrice, type RoundDirection, type SolveInput, type SolveRule } from '../../src/core/pricing.js';
import { parseDecimal, parsePercent, ratio, ZERO_RATIO } from '../../src/core/money.js';

function same(rule: SolveRule, i: SolveInput, solver = compileSolve(rule, { costExponent: i.costExponent, exponent: i.exponent, cashExponent: i.cashExponent, rate: i.rate })): void {
  const want = solvePrice(rule, i);
  const got = solver(i.costMinor, i.landedMinor);
  if (!want.ok) {
    expect(got).toEqual(want);
    return;
  }
  expect(got.ok).toBe(true);
  if (!got.ok) return;
  expect({ minor: got.minor, bound: got.bound, minFeeApplied: got.minFeeApplied, solved: ratio(got.solvedNum, got.solvedDen) }).toEqual({
    minor: want.minor,
    bound: want.bound,
    minFeeApplied: want.minFeeApplied,
    solved: want.solved,
  });
}

const pctArb = (maxBp: number) => fc.integer({ min: 0, max: maxBp }).map((bp) => ratio(BigInt(bp), 10000n));
const amountArb = (max: bigint) => fc.bigInt({ min: 0n, max }).map((m) => ratio(m, 100n));
const rateArb = fc.tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 99_999 })).map(([n, k, d]) => ratio(BigInt(n) * 10000n, 10n ** BigInt(k) * BigInt(d)));

const ruleArb = fc
  .record({
    basis: fc.constantFrom<'margin' | 'markup'>('margin', 'markup'),
    target: pctArb(9900),
    feePercent: pctArb(5000),
    feeFixed: amountArb(500n),
    minFee: amountArb(300n),
    vat: pctArb(2700),
    vatIncluded: fc.boolean(),
    fxBuffer: pctArb(500),
    ending: fc.constantFrom('.99', '.95', '.49', '.5', '.999', '1', '10', '100', 'none'),
    direction: fc.constantFrom<RoundDirection | undefined>(undefined, 'up', 'down', 'nearest'),
    landedPercent: pctArb(2000),
    landedFixed: amountArb(1000n),
    min: fc.option(fc.bigInt({ min: 0n, max: 5_000n }), { nil: undefined, freq: 2 }),
    max: fc.option(fc.bigInt({ min: 0n, max: 50_000n }), { nil: undefined, freq: 2 }),
  })
  .map((r) => ({ ...r, ending: parseEnding(r.ending) }) as SolveRule);

const inputArb = fc
  .record({
    costMinor: fc.oneof(fc.bigInt({ min: 0n, max: 5_000n }), fc.bigInt({ min: 1n, max: 10n ** 15n })),
    landedMinor: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 6n })),
    costExponent: fc.constantFrom(0, 2, 3),
    exponent: fc.constantFrom(0, 2, 3),
    cash: fc.constantFrom<'iso' | 'whole'>('iso', 'whole'),
    rate: rateArb,
  })
  .map(({ cash, ...i }): SolveInput => ({ ...i, cashExponent: cash === 'whole' ? 0 : i.exponent }));

describe('compileSolve: the bulk solver answers what solvePrice answers', () => {
  it('on random rules and inputs (every outcome, costs beyond 2^53)', () => {
    fc.assert(fc.property(ruleArb, inputArb, (r, i) => same(r, i)), { numRuns: 3000 });
  });

  it('the random rules reach every outcome (so the property is not vacuous)', () => {
    const seen = new Set<string>();
    for (const [r, i] of fc.sample(fc.tuple(ruleArb, inputArb), { numRuns: 3000, seed: 7 })) {
      const x = solvePrice(r, i);
      seen.add(x.ok ? `ok:${x.bound}:${x.minFeeApplied}` : x.code);
    }
    for (const k of ['ok:null:false', 'ok:null:true', 'ok:min:false', 'ok:max:false', 'floor-above-max', 'fees-exceed-price']) expect(seen.has(k), k).toBe(true);
  });

  it('on a grid of small costs: every ending × direction × exponent, .5 ties and exact endings included', () => {
    const endings = ['.99', '.95', '.5', '1', '10', 'none'];
    const directions: RoundDirection[] = ['up', 'down', 'nearest'];
    // markup 0 at rate 1/2: P = cost/2 lands exactly on .5 of a minor unit for odd costs (a tie for nearest)
    const rates = [ratio(1n, 2n), parseDecimal('159.833960972'), ratio(3n, 7n)];
    for (const ending of endings)
      for (const direction of directions)
        for (const [exponent, cashExponent] of [[2, 2], [0, 0], [2, 0], [3, 3]] as const)
          for (const rate of rates)
            for (const basis of ['markup', 'margin'] as const) {
              const rule: SolveRule = {
                basis,
                target: basis === 'markup' ? ZERO_RATIO : parsePercent('25%'),
                feePercent: basis === 'markup' ? ZERO_RATIO : parsePercent('15.3%'),
                feeFixed: ZERO_RATIO,
                minFee: parseDecimal('0.25'),
                vat: parsePercent('20%'),
                vatIncluded: true,
                fxBuffer: ZERO_RATIO,
                ending: parseEnding(ending),
                direction,
                landedPercent: ZERO_RATIO,
                landedFixed: ZERO_RATIO,
              };
              // one compiled solver for the whole run of costs, as prices update uses it
              const at = { costExponent: 2, exponent, cashExponent, rate };
              const solver = compileSolve(rule, at);
              for (let cost = 0n; cost <= 48n; cost += 1n) same(rule, { ...at, costMinor: cost, landedMinor: 0n }, solver);
            }
  });

  it('exact edges: a .5 tie goes up under nearest; r·P exactly at the minimum fee does not apply it', () => {
    const markup: SolveRule = {
      basis: 'markup',
      target: ZERO_RATIO,
      feePercent: ZERO_RATIO,
      feeFixed: ZERO_RATIO,
      minFee: ZERO_RATIO,
      vat: ZERO_RATIO,
      vatIncluded: false,
      fxBuffer: ZERO_RATIO,
      ending: parseEnding('none'),
      direction: 'nearest',
      landedPercent: ZERO_RATIO,
      landedFixed: ZERO_RATIO,
    };
    const half = { costExponent: 2, exponent: 2, rate: ratio(1n, 2n) };
    // P = 0.015 → 1.5 minor units: a tie between 1 and 2 → 2
    for (const r of [solvePrice(markup, { ...half, costMinor: 3n, landedMinor: 0n }), compileSolve(markup, half)(3n, 0n)]) expect(r.ok && r.minor).toBe(2n);
    // .99 ending: P = 2.49 is exactly between 1.99 and 2.99 → 2.99 (rate 1)
    const ninetyNine = { ...markup, ending: parseEnding('.99') };
    const one = { costExponent: 2, exponent: 2, rate: ratio(1n) };
    for (const r of [solvePrice(ninetyNine, { ...one, costMinor: 249n, landedMinor: 0n }), compileSolve(ninetyNine, one)(249n, 0n)]) expect(r.ok && r.minor).toBe(299n);
    // margin 25%, fee 10%, min fee 0.20: P1 = C/0.65 and r·P1 = 0.20 exactly at C = 1.30 → the min fee is not applied
    const margin: SolveRule = { ...markup, basis: 'margin', target: parsePercent('25%'), feePercent: parsePercent('10%'), minFee: parseDecimal('0.20'), direction: 'up' };
    for (const [cost, applied] of [[130n, false], [129n, true]] as const) {
      for (const r of [solvePrice(margin, { ...one, costMinor: cost, landedMinor: 0n }), compileSolve(margin, one)(cost, 0n)]) expect(r.ok && r.minFeeApplied).toBe(applied);
    }
  });

  it('a refusal is the same refusal, text included', () => {
    const base: SolveRule = {
      basis: 'margin',
      target: parsePercent('60%'),
      feePercent: parsePercent('40%'),
      feeFixed: ZERO_RATIO,
      minFee: ZERO_RATIO,
      vat: ZERO_RATIO,
      vatIncluded: false,
      fxBuffer: ZERO_RATIO,
      ending: parseEnding('.99'),
      landedPercent: ZERO_RATIO,
      landedFixed: ZERO_RATIO,
    };
    same(base, { costMinor: 1000n, landedMinor: 0n, costExponent: 2, exponent: 2, rate: ratio(1n) });
    const capped = { ...base, target: parsePercent('25%'), feePercent: parsePercent('15%'), max: 1000n };
    same(capped, { costMinor: 5000n, landedMinor: 0n, costExponent: 2, exponent: 2, rate: ratio(1n) });
    expect(solvePrice(capped, { costMinor: 5000n, landedMinor: 0n, costExponent: 2, exponent: 2, rate: ratio(1n) }).ok).toBe(false);
  });
});
