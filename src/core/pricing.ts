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
  if (cashExponent < exponent) {
    // Priced in whole units in practice (HUF, TWD) although ISO keeps decimals: round in cash units,
    // then store in ISO minor units (4990 Ft → 499000).
    const r = applyEnding(p, ending, cashExponent, direction, cashExponent);
    const scale = 10n ** BigInt(exponent - cashExponent);
    const why = `prices in this currency are whole units in practice (ISO keeps ${exponent} decimals)`;
    return { ...r, minor: r.minor * scale, note: r.note ? `${why}; ${r.note}` : why };
  }
  if (ending.kind === 'fraction' && ending.digits !== exponent) {
    // e.g. ".99" on JPY (no minor unit): whole units are the nearest meaning.
    const whole: Ending = { kind: 'step', text: '1', units: 1n };
    const r = applyEnding(p, whole, exponent, direction);
    return { ...r, note: `ending ${ending.text} needs ${ending.digits} decimals; this currency has ${exponent}: whole units` };
  }
  const scale = 10n ** BigInt(exponent);
  const pm = rMul(p, ratio(scale)); // price in minor units, exact
  const up = endingUp(pm, ending, scale);
  if (direction === 'up') return { minor: up, applied: ending };
  const down = endingDown(pm, ending, scale);
  if (down <= 0n) return { minor: up, applied: ending, note: 'no positive price rounds down to this ending: rounded up' };
  if (direction === 'down') return { minor: down, applied: ending };
  // nearest: compare (up − P) with (P − down), exactly
  const above = rSub(ratio(up), pm);
  const below = rSub(pm, ratio(down));
  return { minor: rCmp(below, above) < 0 ? down : up, applied: ending };
}

function endingUp(pm: Ratio, ending: Ending, scale: bigint): bigint {
  const ceilMinor = divRound(pm.num, pm.den, 'ceil');
  if (ending.kind === 'none') return ceilMinor;
  if (ending.kind === 'fraction') return divRound(ceilMinor - ending.minor, scale, 'ceil') * scale + ending.minor;
  const step = ending.units * scale;
  return divRound(ceilMinor, step, 'ceil') * step;
}

function endingDown(pm: Ratio, ending: Ending, scale: bigint): bigint {
  const floorMinor = divRound(pm.num, pm.den, 'floor');
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
