// Price solving, exactly as PRODUCT.md §6 (all arithmetic on exact Ratios; one rounding, at step 5):
//   1. C = (unit cost + landed costs) × rate(cost → channel currency) × (1 + fxBuffer)
//   2. F = fixed fees per unit; r = percentage fees; m = target margin (share of the net price); v = VAT
//   3. tax-exclusive:  P = (C + F) / (1 − r − m)
//      VAT-inclusive:  P = (C + F) / ((1 − m)/(1 + v) − r)      (the fee is charged on the gross price)
//   4. if r·P < minFee: solve again with F + minFee and r = 0
//   5. round UP to the ending (.99: the smallest price ≥ P whose minor part is 99; 1: whole units;
//      none: the next minor unit); a rule may choose down or nearest instead (then P may be undercut)
//   6. clamp to [min, max] and say which bound applied. The solved P is a floor: a max below it
//      refuses the price (it would miss the target margin) instead of selling under it.
//   A markup rule: P = C·(1 + markup) + F, then steps 5–6.
// Pure: no I/O, no Number on any money path.

import { formatMinor, formatRate, ratioText } from './fx.js';
import { divRound, ONE, ratio, rAdd, rCmp, rDiv, rMul, rSub, ZERO_RATIO, type Ratio } from './money.js';

export type Ending =
  | { kind: 'fraction'; text: string; minor: bigint; digits: number } // ".99": minor part fixed
  | { kind: 'step'; text: string; units: bigint } // "1", "10": a multiple of whole units
  | { kind: 'none'; text: 'none' }; // the next minor unit

export class PricingError extends Error {
  override name = 'PricingError';
}

export function parseEnding(text: string): Ending {
  const t = text.trim();
  if (t === 'none' || t === '') return { kind: 'none', text: 'none' };
  let m = /^\.(\d{1,4})$/.exec(t);
  if (m) return { kind: 'fraction', text: t, minor: BigInt(m[1]!), digits: m[1]!.length };
  m = /^([1-9]\d{0,6})$/.exec(t);
  if (m) return { kind: 'step', text: t, units: BigInt(m[1]!) };
  throw new PricingError(`ending ${JSON.stringify(text)} is not one of .99, .95 (any .NN), 1, 10, 100 (whole-unit steps) or none`);
}

export type RoundDirection = 'up' | 'down' | 'nearest';
export const ROUND_DIRECTIONS: readonly RoundDirection[] = ['up', 'down', 'nearest'];

/**
 * Round an exact price (major units) to the ending, in minor units of a currency with `exponent`.
 * up (the default, PRODUCT.md §6 step 5): the smallest price ≥ P with the ending; down: the largest
 * positive price ≤ P with the ending (up when there is none); nearest: the closer of the two, up on a tie.
 */
export function applyEnding(
  p: Ratio,
  ending: Ending,
  exponent: number,
  direction: RoundDirection = 'up',
  cashExponent: number = exponent,
): { minor: bigint; applied: Ending; note?: string } {
  return endingOf(p.num, p.den, ending, exponent, direction, cashExponent);
}

/** 10^e for the exponents prices use, computed once each. */
const POW10: bigint[] = [];
function pow10(e: number): bigint {
  return (POW10[e] ??= 10n ** BigInt(e));
}

/**
 * applyEnding on P = pNum/pDen (pDen > 0), reduced or not: every step below depends only on the
 * value (ceil/floor divisions and one comparison over a common positive denominator), so the bulk
 * solver can round without reducing the fraction first.
 */
function endingOf(pNum: bigint, pDen: bigint, ending: Ending, exponent: number, direction: RoundDirection, cashExponent: number): { minor: bigint; applied: Ending; note?: string } {
  if (cashExponent < exponent) {
    // Priced in whole units in practice (HUF, TWD) although ISO keeps decimals: round in cash units,
    // then store in ISO minor units (4990 Ft → 499000).
    const r = endingOf(pNum, pDen, ending, cashExponent, direction, cashExponent);
    const scale = pow10(exponent - cashExponent);
    const why = `prices in this currency are whole units in practice (ISO keeps ${exponent} decimals)`;
    return { ...r, minor: r.minor * scale, note: r.note ? `${why}; ${r.note}` : why };
  }
  if (ending.kind === 'fraction' && ending.digits !== exponent) {
    // e.g. ".99" on JPY (no minor unit): whole units are the nearest meaning.
    const whole: Ending = { kind: 'step', text: '1', units: 1n };
    const r = endingOf(pNum, pDen, whole, exponent, direction, exponent);
    return { ...r, note: `ending ${ending.text} needs ${ending.digits} decimals; this currency has ${exponent}: whole units` };
  }
  const scale = pow10(exponent);
  // the price in minor units, exact: mNum/pDen
  const mNum = pNum * scale;
  const up = endingUp(mNum, pDen, ending, scale);
  if (direction === 'up') return { minor: up, applied: ending };
  const down = endingDown(mNum, pDen, ending, scale);
  if (down <= 0n) return { minor: up, applied: ending, note: 'no positive price rounds down to this ending: rounded up' };
  if (direction === 'down') return { minor: down, applied: ending };
  // nearest: compare (P − down) with (up − P), exactly, over the common denominator pDen > 0
  const below = mNum - down * pDen;
  const above = up * pDen - mNum;
  return { minor: below < above ? down : up, applied: ending };
}

function endingUp(mNum: bigint, mDen: bigint, ending: Ending, scale: bigint): bigint {
  const ceilMinor = divRound(mNum, mDen, 'ceil');
  if (ending.kind === 'none') return ceilMinor;
  if (ending.kind === 'fraction') return divRound(ceilMinor - ending.minor, scale, 'ceil') * scale + ending.minor;
  const step = ending.units * scale;
  return divRound(ceilMinor, step, 'ceil') * step;
}

function endingDown(mNum: bigint, mDen: bigint, ending: Ending, scale: bigint): bigint {
  const floorMinor = divRound(mNum, mDen, 'floor');
  if (ending.kind === 'none') return floorMinor;
  if (ending.kind === 'fraction') return divRound(floorMinor - ending.minor, scale, 'floor') * scale + ending.minor;
  const step = ending.units * scale;
  return divRound(floorMinor, step, 'floor') * step;
}

export interface SolveRule {
  basis: 'margin' | 'markup';
  /** margin (share of the net price) or markup (share of C) */
  target: Ratio;
  feePercent: Ratio;
  /** fixed fee per unit, major units of the channel currency */
  feeFixed: Ratio;
  /** minimum of the percentage fee, major units of the channel currency */
  minFee: Ratio;
  vat: Ratio;
  vatIncluded: boolean;
  fxBuffer: Ratio;
  ending: Ending;
  /** direction of the ending rounding; `up` unless the seller chose otherwise (down/nearest may undercut P) */
  direction?: RoundDirection;
  /** bounds in minor units of the channel currency */
  min?: bigint;
  max?: bigint;
  /** extra landed cost from the rule: a share of the unit cost, and a fixed amount (major units of the cost currency) */
  landedPercent: Ratio;
  landedFixed: Ratio;
}

export interface SolveInput {
  /** unit cost and stored landed cost (shipping, duty), minor units of costCurrency */
  costMinor: bigint;
  landedMinor: bigint;
  costExponent: number;
  /** channel currency exponent */
  exponent: number;
  /** the exponent prices are rounded to when it is below the ISO one (HUF, TWD: 0); default: exponent */
  cashExponent?: number;
  /** units of channel currency per 1 unit of cost currency, exact */
  rate: Ratio;
}

export interface Step {
  step: string;
  name: string;
  formula: string;
  /** decimal text (exact when it terminates, else 12 significant digits) */
  value: string;
  /** the exact value as a reduced fraction */
  exact: string;
}

export type Bound = 'min' | 'max' | null;

export type SolveResult =
  | { ok: true; minor: bigint; bound: Bound; solved: Ratio; minFeeApplied: boolean; steps: Step[] }
  | { ok: false; reason: string; code: 'fees-exceed-price' | 'floor-above-max'; solved?: Ratio; steps: Step[] };

function st(steps: Step[] | undefined, step: string, name: string, formula: string, value: Ratio): void {
  if (!steps) return;
  steps.push({ step, name, formula, value: formatRate(value), exact: ratioText(value) });
}

const pct = (r: Ratio) => `${formatRate(rMul(r, ratio(100n)))}%`;

/** Solve one price. `trace` builds the explain steps (skip it on bulk runs: it formats every value). */
export function solvePrice(rule: SolveRule, input: SolveInput, trace = false): SolveResult {
  const steps: Step[] | undefined = trace ? [] : undefined;
  const costScale = ratio(1n, 10n ** BigInt(input.costExponent));
  const unit = rMul(ratio(input.costMinor), costScale);
  const landedStored = rMul(ratio(input.landedMinor), costScale);
  const landedRule = rAdd(rMul(unit, rule.landedPercent), rule.landedFixed);
  const basis = rAdd(rAdd(unit, landedStored), landedRule);
  const C = rMul(rMul(basis, input.rate), rAdd(ONE, rule.fxBuffer));
  if (steps) {
    st(steps, '1', 'unit cost', 'variant cost', unit);
    st(steps, '1', 'landed cost', 'variant landed cost + rule landed cost', rAdd(landedStored, landedRule));
    st(steps, '1', 'rate', 'channel currency per 1 cost currency', input.rate);
    st(steps, '1', 'C', `(unit + landed) × rate × (1 + ${pct(rule.fxBuffer)} fx buffer)`, C);
  }
  const F = rule.feeFixed;
  const r = rule.feePercent;
  const m = rule.target;
  const v = rule.vat;
  let P: Ratio;
  let minFeeApplied = false;
  if (rule.basis === 'markup') {
    P = rAdd(rMul(C, rAdd(ONE, m)), F);
    if (steps) {
      st(steps, '2', 'F', 'fixed fees per unit', F);
      st(steps, '2', 'markup', 'share of C', m);
      st(steps, '3', 'P', 'C × (1 + markup) + F', P);
    }
  } else {
    const netShare = rule.vatIncluded ? rDiv(rSub(ONE, m), rAdd(ONE, v)) : rSub(ONE, m);
    const denom = rSub(netShare, r);
    if (steps) {
      st(steps, '2', 'F', 'fixed fees per unit', F);
      st(steps, '2', 'r', 'percentage fees', r);
      st(steps, '2', 'm', 'target margin (share of the net price)', m);
      st(steps, '2', 'v', rule.vatIncluded ? 'VAT (prices include it)' : 'VAT (prices exclude it; not in the formula)', v);
    }
    if (denom.num <= 0n) {
      return { ok: false, code: 'fees-exceed-price', reason: `fees (${pct(r)}) and margin (${pct(m)}) leave nothing of the ${rule.vatIncluded ? 'VAT-exclusive ' : ''}price to cover the cost`, steps: steps ?? [] };
    }
    P = rDiv(rAdd(C, F), denom);
    st(steps, '3', 'P', rule.vatIncluded ? '(C + F) / ((1 − m)/(1 + v) − r)' : '(C + F) / (1 − r − m)', P);
    const fee = rMul(r, P);
    if (rCmp(fee, rule.minFee) < 0) {
      minFeeApplied = true;
      P = rDiv(rAdd(rAdd(C, F), rule.minFee), netShare);
      if (steps) {
        st(steps, '4', 'r·P', `below the minimum fee ${formatRate(rule.minFee)}: solve again with F + minFee and r = 0`, fee);
        st(steps, '4', 'P', rule.vatIncluded ? '(C + F + minFee) / ((1 − m)/(1 + v))' : '(C + F + minFee) / (1 − m)', P);
      }
    } else st(steps, '4', 'r·P', `at least the minimum fee ${formatRate(rule.minFee)}: P stands`, fee);
  }
  const scale = ratio(1n, 10n ** BigInt(input.exponent));
  const direction = rule.direction ?? 'up';
  const ended = applyEnding(P, rule.ending, input.exponent, direction, input.cashExponent ?? input.exponent);
  st(steps, '5', 'rounded', `${direction === 'nearest' ? 'to the nearest' : `${direction} to`} ending ${ended.applied.text}${ended.note ? ` (${ended.note})` : ''}`, rMul(ratio(ended.minor), scale));
  let minor = ended.minor;
  let bound: Bound = null;
  if (rule.min !== undefined && minor < rule.min) {
    minor = rule.min;
    bound = 'min';
  }
  if (rule.max !== undefined && minor > rule.max) {
    // The max may only cut what the ending added: never below the solved floor P.
    const floorMinor = divRound(P.num * 10n ** BigInt(input.exponent), P.den, 'ceil');
    if (floorMinor > rule.max || (rule.min !== undefined && rule.min > rule.max)) {
      const floorText = formatMinor(floorMinor, input.exponent);
      const maxText = formatMinor(rule.max, input.exponent);
      st(steps, '6', 'refused', `the floor ${floorText} is above the max ${maxText}`, rMul(ratio(floorMinor), scale));
      return { ok: false, code: 'floor-above-max', reason: `the price that reaches the target (${floorText}) is above the max ${maxText}`, solved: P, steps: steps ?? [] };
    }
    minor = rule.max;
    bound = 'max';
  }
  st(steps, '6', 'price', bound ? `clamped to the ${bound}` : 'within [min, max]', rMul(ratio(minor), scale));
  return { ok: true, minor, bound, solved: P, minFeeApplied, steps: steps ?? [] };
}

/** A bulk solve's answer: solvePrice's, with P kept as an unreduced fraction (reduce it with `ratio` when shown). */
export type QuickResult =
  | { ok: true; minor: bigint; bound: Bound; minFeeApplied: boolean; solvedNum: bigint; solvedDen: bigint }
  | Extract<SolveResult, { ok: false }>;

/** A price solver for one (rule, cost exponent, channel currency, rate): (cost, landed) → the price. */
export type PriceSolver = (costMinor: bigint, landedMinor: bigint) => QuickResult;

/**
 * solvePrice for many costs under the same rule and rate (prices update: 500,000 of them). Steps 1–4
 * are affine in (cost, landed) — P = (a·cost + b·landed + c) / d — so the exact coefficients are
 * folded once here, and each price costs a few BigInt products and one division instead of a dozen
 * reduced Ratio operations (each a gcd). Still exact: the same value P, compared and rounded by
 * value (the minimum-fee test r·P < minFee is cross-multiplied over positive denominators), so the
 * result is solvePrice's to the minor unit, bound and flag included. Refusals (fees exceed the price,
 * floor above max) are rare and are answered by solvePrice itself, so their texts stay one
 * implementation. test/pricing/quick-solve.test.ts checks the two against each other.
 */
export function compileSolve(rule: SolveRule, at: Omit<SolveInput, 'costMinor' | 'landedMinor'>): PriceSolver {
  const reference = (costMinor: bigint, landedMinor: bigint) => solvePrice(rule, { ...at, costMinor, landedMinor }) as QuickResult;
  const exponent = at.exponent;
  const cashExp = at.cashExponent ?? exponent;
  const lp = rule.landedPercent;
  const lf = rule.landedFixed;
  const sc = pow10(at.costExponent);
  // basis = unit + stored landed + rule landed = cost·(1 + lp)/sc + landed/sc + lf = (bc·cost + bl·landed + b0)/bd
  const bc = (lp.den + lp.num) * lf.den;
  const bl = lp.den * lf.den;
  const b0 = lf.num * lp.den * sc;
  const bd = sc * lp.den * lf.den;
  const k = rMul(at.rate, rAdd(ONE, rule.fxBuffer)); // C = k · basis
  // P = μ·basis + ν = (a·cost + b·landed + c)/d with d > 0 (every denominator is positive)
  const affine = (mu: Ratio, nu: Ratio) => ({
    a: mu.num * bc * nu.den,
    b: mu.num * bl * nu.den,
    c: mu.num * b0 * nu.den + nu.num * bd * mu.den,
    d: mu.den * bd * nu.den,
  });
  type Affine = ReturnType<typeof affine>;
  let main: Affine;
  let withMinFee: Affine | undefined;
  let feeLeft = 0n;
  let feeRight = 0n;
  if (rule.basis === 'markup') {
    main = affine(rMul(k, rAdd(ONE, rule.target)), rule.feeFixed);
  } else {
    const m = rule.target;
    const r = rule.feePercent;
    const netShare = rule.vatIncluded ? rDiv(rSub(ONE, m), rAdd(ONE, rule.vat)) : rSub(ONE, m);
    const denom = rSub(netShare, r);
    // fees-exceed-price (whatever the cost), or shapes `rules set` never stores: the reference answers.
    if (denom.num <= 0n || netShare.num <= 0n || r.num < 0n) return reference;
    main = affine(rDiv(k, denom), rDiv(rule.feeFixed, denom));
    withMinFee = affine(rDiv(k, netShare), rDiv(rAdd(rule.feeFixed, rule.minFee), netShare));
    // r·P < minFee  ⇔  r.num·minFee.den·N < minFee.num·r.den·d   (P = N/d; all denominators > 0)
    feeLeft = r.num * rule.minFee.den;
    feeRight = rule.minFee.num * r.den * main.d;
  }
  const direction = rule.direction ?? 'up';
  const scale = pow10(exponent);
  return (costMinor, landedMinor) => {
    let f = main;
    let n = f.a * costMinor + f.b * landedMinor + f.c;
    let minFeeApplied = false;
    if (withMinFee && feeLeft * n < feeRight) {
      minFeeApplied = true;
      f = withMinFee;
      n = f.a * costMinor + f.b * landedMinor + f.c;
    }
    let minor = endingOf(n, f.d, rule.ending, exponent, direction, cashExp).minor;
    let bound: Bound = null;
    if (rule.min !== undefined && minor < rule.min) {
      minor = rule.min;
      bound = 'min';
    }
    if (rule.max !== undefined && minor > rule.max) {
      const floorMinor = divRound(n * scale, f.d, 'ceil');
      if (floorMinor > rule.max || (rule.min !== undefined && rule.min > rule.max)) return reference(costMinor, landedMinor);
      minor = rule.max;
      bound = 'max';
    }
    return { ok: true, minor, bound, minFeeApplied, solvedNum: n, solvedDen: f.d };
  };
}

/** The seller's profit and margin at a price (for tests and explain): fee = max(r·price, minFee). */
export function marginAt(rule: SolveRule, input: SolveInput, priceMinor: bigint): { net: Ratio; profit: Ratio; margin: Ratio } {
  const price = ratio(priceMinor, 10n ** BigInt(input.exponent));
  const net = rule.vatIncluded ? rDiv(price, rAdd(ONE, rule.vat)) : price;
  const pctFee = rMul(rule.feePercent, price);
  const fee = rCmp(pctFee, rule.minFee) < 0 ? rule.minFee : pctFee;
  const costScale = ratio(1n, 10n ** BigInt(input.costExponent));
  const unit = rMul(ratio(input.costMinor), costScale);
  const basis = rAdd(rAdd(unit, rMul(ratio(input.landedMinor), costScale)), rAdd(rMul(unit, rule.landedPercent), rule.landedFixed));
  const C = rMul(rMul(basis, input.rate), rAdd(ONE, rule.fxBuffer));
  const profit = rSub(rSub(rSub(net, fee), rule.feeFixed), C);
  return { net, profit, margin: net.num === 0n ? ZERO_RATIO : rDiv(profit, net) };
}

/** `*` any run of characters, `?` one character; everything else literal. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
