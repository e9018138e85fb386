// Pricing rules: stored as the seller typed them (rule_json keeps the flag texts), resolved against a
// channel at solve time so a rule without --fee/--vat/--ending takes that channel's defaults.
// Precedence (most specific wins): exact SKU > SKU pattern > channel > default (no channel); then a
// channel-specific rule over a default one; then the longer literal pattern; then the name.

import { InvalidInputError, UsageError } from '../../core/errors.js';
import { currencyExponent } from '../../core/currencies.js';
import { globToRegExp, isGlob, parseEnding, ROUND_DIRECTIONS, type RoundDirection, type SolveRule } from '../../core/pricing.js';
import { isPlainDecimal, MoneyError, parseAmount, parseDecimal, parsePercent, ratio, rAdd, rCmp, ZERO_RATIO, type Ratio } from '../../core/money.js';
import type { Repositories } from '../../ports/repositories.js';
import type { PriceRuleRecord } from '../../ports/pricing.js';

export type RuleStore = Pick<Repositories, 'priceRules'>;
import type { ChannelInfo } from './channels.js';

/** What the seller set; every field optional except the basis. Texts as typed (normalised). */
export interface RuleSpec {
  margin?: string;
  markup?: string;
  fee?: string;
  minFee?: string;
  vat?: string;
  vatIncluded?: boolean;
  fxBuffer?: string;
  ending?: string;
  /** direction of the ending rounding (default up) */
  round?: RoundDirection;
  min?: string;
  max?: string;
  landedCost?: string;
}

export interface StoredRule {
  id: number;
  name: string;
  channel: string | null;
  skuPattern: string | null;
  spec: RuleSpec;
  createdAt: string;
  updatedAt: string;
}

export type FieldSource = 'rule' | 'channel' | 'default';

export interface ResolvedRule {
  rule: StoredRule;
  solve: SolveRule;
  /** the effective value of each field as text, and where it came from */
  fields: Record<string, { value: string; from: FieldSource }>;
}

// ---- flag parsing -------------------------------------------------------------------------------

function percentText(flag: string, text: string, opts: { allowZero?: boolean; max?: Ratio } = {}): string {
  const t = text.trim();
  if (/^-\s*\d+(\.\d+)?\s*%$/.test(t)) {
    const what = flag === '--margin' || flag === '--markup'
      ? `a negative ${flag.slice(2)} prices below cost: every sale would lose money, so merchant refuses it`
      : `${flag.slice(2)} cannot be negative`;
    throw new UsageError(`${flag} ${t}: ${what}`, {
      hints: flag === '--margin' || flag === '--markup' ? [`${flag} 0% breaks even after fees and VAT; to sell at a fixed price use --min and --max`] : [`e.g. ${flag} 2%`],
    });
  }
  if (!/^\d+(\.\d+)?%$/.test(t)) throw new UsageError(`${flag} ${JSON.stringify(text)} must be a percentage such as 25%`, { hints: [`e.g. ${flag} 25%`] });
  const r = parsePercent(t);
  if (opts.max && rCmp(r, opts.max) >= 0) throw new UsageError(`${flag} ${text} must be below ${opts.max.num * 100n / opts.max.den}%`);
  return t;
}

function amountText(flag: string, text: string): string {
  const t = text.trim();
  if (!isPlainDecimal(t) || t.startsWith('-') || t.startsWith('+')) throw new UsageError(`${flag} ${JSON.stringify(text)} must be an amount such as 0.25 (channel currency, no symbol)`);
  return t;
}

/** `15.3%+0.30`, `15.3%`, `12%+2.9%+0.30`: percentages add up to r, plain amounts to F. */
export function parseFeeText(text: string, flag = '--fee'): { percent: Ratio; fixed: Ratio } {
  let percent = ZERO_RATIO;
  let fixed = ZERO_RATIO;
  const terms = text.split('+').map((t) => t.trim());
  if (terms.some((t) => t === '')) throw new UsageError(`${flag} ${JSON.stringify(text)}: write PERCENT%[+FIXED], e.g. 15.3%+0.30`);
  for (const t of terms) {
    if (/^\d+(\.\d+)?%$/.test(t)) percent = rAdd(percent, parsePercent(t));
    else if (isPlainDecimal(t) && !t.startsWith('-')) fixed = rAdd(fixed, parseDecimal(t));
    else throw new UsageError(`${flag} ${JSON.stringify(text)}: ${JSON.stringify(t)} is neither a percentage nor an amount`, { hints: [`e.g. ${flag} 15.3%+0.30`] });
  }
  return { percent, fixed };
}

/** The `prices rules set` flags: the rule's fields, where it applies, and the rounding direction as typed. */
export type RuleFlags = Omit<RuleSpec, 'round'> & { channel?: string; sku?: string; round?: string };

/** Validate the flags of `prices rules set` into a spec (UsageError naming the flag on a bad value). */
export function specFromFlags(f: RuleFlags, channel: ChannelInfo | null): RuleSpec {
  if ((f.margin === undefined) === (f.markup === undefined)) {
    throw new UsageError('pass exactly one of --margin P% (share of the net price) or --markup P% (on landed cost)', {
      hints: ['e.g. merchant prices rules set uk --channel amazon-uk --margin 25%'],
    });
  }
  const spec: RuleSpec = {};
  if (f.margin !== undefined) spec.margin = percentText('--margin', f.margin, { max: ratio(1n) });
  if (f.markup !== undefined) spec.markup = percentText('--markup', f.markup);
  if (f.fee !== undefined) {
    parseFeeText(f.fee);
    spec.fee = f.fee.replace(/\s+/g, '');
  }
  if (f.minFee !== undefined) spec.minFee = amountText('--min-fee', f.minFee);
  if (f.vat !== undefined) spec.vat = percentText('--vat', f.vat);
  if (f.vatIncluded !== undefined) spec.vatIncluded = f.vatIncluded;
  if (f.fxBuffer !== undefined) spec.fxBuffer = percentText('--fx-buffer', f.fxBuffer);
  if (f.ending !== undefined) {
    try {
      parseEnding(f.ending);
    } catch (e) {
      throw new UsageError(`--ending: ${(e as Error).message}`);
    }
    spec.ending = f.ending.trim();
  }
  if (f.round !== undefined) {
    if (!(ROUND_DIRECTIONS as readonly string[]).includes(f.round)) throw new UsageError(`--round ${JSON.stringify(f.round)} must be up, down or nearest`);
    spec.round = f.round as RoundDirection;
  }
  if (f.landedCost !== undefined) {
    parseFeeText(f.landedCost, '--landed-cost');
    spec.landedCost = f.landedCost.replace(/\s+/g, '');
  }
  for (const [k, flag] of [['min', '--min'], ['max', '--max']] as const) {
    const v = f[k];
    if (v === undefined) continue;
    spec[k] = amountText(flag, v);
    if (channel) {
      try {
        parseAmount(spec[k]!, channel.currency);
      } catch (e) {
        if (e instanceof MoneyError) throw new UsageError(`${flag} ${v}: ${e.message}`);
        throw e;
      }
    }
  }
  if (spec.min !== undefined && spec.max !== undefined && rCmp(parseDecimal(spec.min), parseDecimal(spec.max)) > 0) {
    throw new UsageError(`--min ${spec.min} is above --max ${spec.max}: no price can satisfy both`);
  }
  if (channel && spec.ending) {
    const e = parseEnding(spec.ending);
    const exp = currencyExponent(channel.currency);
    if (e.kind === 'fraction' && e.digits !== exp) {
      throw new UsageError(`--ending ${spec.ending} needs ${e.digits} decimals but ${channel.currency} has ${exp}`, {
        hints: [exp === 0 ? `use --ending 1 (whole ${channel.currency}), 10 or 100` : `use --ending .${'9'.repeat(exp)} or none`],
      });
    }
  }
  return spec;
}

// ---- defaults per marketplace (fx-pricing-reports.md §3.2; every one overridable per rule) ----------

export interface FeeDefaults {
  fee: string;
  minFee: string;
  note: string;
}

export function feeDefaults(ch: ChannelInfo): FeeDefaults {
  switch (ch.marketplace) {
    case 'amazon':
      if (ch.code === 'amazon-uk') return { fee: '15.3%', minFee: '0.25', note: 'Amazon UK referral 15% + 2% DST = 15.3%, minimum £0.25' };
      if (ch.code === 'amazon-us') return { fee: '15%', minFee: '0.30', note: 'Amazon US referral 15%, minimum $0.30' };
      return { fee: '15%', minFee: '0', note: 'Amazon referral 15% (most categories); set --min-fee for this store' };
    case 'ebay':
      return { fee: '13.25%+0.30', minFee: '0', note: 'eBay final value fee 13.25% (most categories, assumed) + 0.30 per order' };
    case 'shopify':
      return { fee: '2.9%+0.30', minFee: '0', note: 'Shopify Payments card rate 2.9% + 0.30 (Basic plan, assumed)' };
    default:
      return { fee: '0%', minFee: '0', note: 'no marketplace fee model' };
  }
}

export function defaultEnding(currency: string): string {
  const exp = currencyExponent(currency);
  return exp === 2 ? '.99' : exp === 0 ? '1' : 'none';
}

/** Resolve a stored rule against the channel it prices (defaults from the channel where unset). */
export function resolveRule(rule: StoredRule, ch: ChannelInfo): ResolvedRule {
  const s = rule.spec;
  const fields: ResolvedRule['fields'] = {};
  const pick = (key: string, own: string | undefined, fallback: string, from: FieldSource): string => {
    const value = own ?? fallback;
    fields[key] = { value, from: own !== undefined ? 'rule' : from };
    return value;
  };
  const defs = feeDefaults(ch);
  const basis: 'margin' | 'markup' = s.margin !== undefined ? 'margin' : 'markup';
  const target = parsePercent((basis === 'margin' ? s.margin : s.markup)!);
  fields[basis] = { value: (basis === 'margin' ? s.margin : s.markup)!, from: 'rule' };
  const fee = parseFeeText(pick('fee', s.fee, defs.fee, 'default'));
  const minFee = parseDecimal(pick('minFee', s.minFee, defs.minFee, 'default'));
  const vatDefault = ch.vatRate ? `${formatShare(parseDecimal(ch.vatRate))}%` : '0%';
  const vat = parsePercent(pick('vat', s.vat, vatDefault, 'channel'));
  // --vat-included is a flag: when --vat is given without it, prices exclude VAT; when neither is
  // given, the channel decides (EU/UK storefronts include VAT).
  const vatIncluded = s.vatIncluded ?? (s.vat !== undefined ? false : ch.pricesIncludeTax);
  fields.vatIncluded = { value: String(vatIncluded), from: s.vatIncluded !== undefined || s.vat !== undefined ? 'rule' : 'channel' };
  const fxBuffer = parsePercent(pick('fxBuffer', s.fxBuffer, '0%', 'default'));
  const ending = parseEnding(pick('ending', s.ending, defaultEnding(ch.currency), 'default'));
  const direction = pick('round', s.round, 'up', 'default') as RoundDirection;
  const landed = parseFeeText(pick('landedCost', s.landedCost, '0%', 'default'), '--landed-cost');
  let min: bigint | undefined;
  let max: bigint | undefined;
  try {
    if (s.min !== undefined) min = parseAmount(pick('min', s.min, '', 'rule'), ch.currency).minor;
    if (s.max !== undefined) max = parseAmount(pick('max', s.max, '', 'rule'), ch.currency).minor;
  } catch (e) {
    throw new InvalidInputError(`rule ${rule.name}: ${(e as Error).message}`);
  }
  return {
    rule,
    fields,
    solve: {
      basis,
      target,
      feePercent: fee.percent,
      feeFixed: fee.fixed,
      minFee,
      vat,
      vatIncluded,
      fxBuffer,
      ending,
      direction,
      min,
      max,
      landedPercent: landed.percent,
      landedFixed: landed.fixed,
    },
  };
}

function formatShare(r: Ratio): string {
  // 0.19 → "19"
  const hundred = ratio(r.num * 100n, r.den);
  if (hundred.den === 1n) return hundred.num.toString();
  const digits = 6;
  const scaled = (hundred.num * 10n ** BigInt(digits)) / hundred.den;
  const s = scaled.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`.replace(/\.?0+$/, '');
}

// ---- precedence ---------------------------------------------------------------------------------

export function ruleMatches(rule: StoredRule, sku: string, channel: string): boolean {
  if (rule.channel !== null && rule.channel !== channel) return false;
  if (rule.skuPattern === null) return true;
  return isGlob(rule.skuPattern) ? globToRegExp(rule.skuPattern).test(sku) : rule.skuPattern === sku;
}

export function specificity(rule: StoredRule): [number, number, number] {
  const skuKind = rule.skuPattern === null ? 0 : isGlob(rule.skuPattern) ? 1 : 2;
  const literal = rule.skuPattern === null ? 0 : rule.skuPattern.replace(/[*?]/g, '').length;
  return [skuKind, rule.channel === null ? 0 : 1, literal];
}

export function compareRules(a: StoredRule, b: StoredRule): number {
  const sa = specificity(a);
  const sb = specificity(b);
  for (let i = 0; i < 3; i++) if (sa[i] !== sb[i]) return sb[i]! - sa[i]!;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The winning rule for (sku, channel) and the others that also matched, most specific first. */
export function pickRule(rules: readonly StoredRule[], sku: string, channel: string): { rule?: StoredRule; alsoMatched: StoredRule[] } {
  const matching = rules.filter((r) => ruleMatches(r, sku, channel)).sort(compareRules);
  return { rule: matching[0], alsoMatched: matching.slice(1) };
}

/**
 * pickRule for many SKUs on one channel: the rules sorted once (compareRules is a total order, names
 * being unique, so the first match in that order is the winner pickRule would sort to the front) and
 * each SKU pattern compiled once. When no rule names a SKU the winner is the same for every SKU.
 */
export function ruleChooser(rules: readonly StoredRule[], channel: string): (sku: string) => StoredRule | undefined {
  const sorted = rules.filter((r) => r.channel === null || r.channel === channel).sort(compareRules);
  if (sorted.every((r) => r.skuPattern === null)) {
    const only = sorted[0];
    return () => only;
  }
  const tests = sorted.map((r): ((sku: string) => boolean) => {
    const p = r.skuPattern;
    if (p === null) return () => true;
    if (!isGlob(p)) return (sku) => sku === p;
    const re = globToRegExp(p);
    return (sku) => re.test(sku);
  });
  return (sku) => {
    for (let i = 0; i < sorted.length; i++) if (tests[i]!(sku)) return sorted[i];
    return undefined;
  };
}

// ---- storage --------------------------------------------------------------------------------------

function fromRecord(r: PriceRuleRecord): StoredRule {
  return { ...r, spec: r.spec as RuleSpec };
}

export function listRules(store: RuleStore): StoredRule[] {
  return store.priceRules.all().map(fromRecord);
}

export function getRule(store: RuleStore, name: string): StoredRule | undefined {
  const r = store.priceRules.byName(name);
  return r ? fromRecord(r) : undefined;
}

/** Create or replace a rule by name. Returns whether it was created, replaced or already identical. */
export function upsertRule(store: RuleStore, name: string, channel: string | null, skuPattern: string | null, spec: RuleSpec, at: string): 'created' | 'updated' | 'unchanged' {
  const json = JSON.stringify(spec);
  const old = getRule(store, name);
  if (old && old.channel === channel && old.skuPattern === skuPattern && JSON.stringify(old.spec) === json) return 'unchanged';
  if (old) {
    store.priceRules.update({ name, channel, skuPattern, spec }, at);
    return 'updated';
  }
  store.priceRules.insert({ name, channel, skuPattern, spec }, at);
  return 'created';
}

export function removeRule(store: RuleStore, name: string): boolean {
  return store.priceRules.remove(name);
}
