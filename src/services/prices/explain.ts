// `prices explain`: the whole computation for one SKU on one channel, every step with its exact value.

import { InvalidInputError, NotConfiguredError, UsageError, NotFoundError } from '../../core/errors.js';
import { cashExponent, currencyExponent, isCurrency } from '../../core/currencies.js';
import { formatRate, ratioText } from '../../core/fx.js';
import { marginAt, solvePrice, type Bound, type Step } from '../../core/pricing.js';
import { formatAmount, MoneyError, parseAmount } from '../../core/money.js';
import type { Repositories } from '../../ports/repositories.js';
import { crossRate } from '../fx/lookup.js';
import { describeRate, type RateReport } from '../fx/convert.js';
import { channelInfo } from './channels.js';
import { listRules, pickRule, resolveRule } from './rules.js';

export interface ExplainOptions {
  sku: string;
  channel: string;
  date: string;
  /** price a cost that is not (yet) in the catalogue: "12.00" in costCurrency */
  cost?: string;
  costCurrency?: string;
  landed?: string;
}

export interface ExplainResult {
  sku: string;
  channel: string;
  price: { amount: string; currency: string } | null;
  refused: { code: string; reason: string } | null;
  bound: Bound;
  minFeeApplied: boolean;
  steps: Step[];
  rule: {
    name: string;
    channel: string | null;
    sku: string | null;
    basis: 'margin' | 'markup';
    fields: Record<string, { value: string; from: string }>;
    alsoMatched: string[];
  };
  cost: { unit: string; landed: string; currency: string; from: 'catalogue' | 'flags' };
  rate: { from: string; to: string } & RateReport;
}

function money(flag: string, text: string, currency: string): bigint {
  try {
    return parseAmount(text, currency).minor;
  } catch (e) {
    if (e instanceof MoneyError) throw new UsageError(`${flag} ${text}: ${e.message}`);
    throw e;
  }
}

/** What `prices explain` reads. */
export type ExplainStore = Pick<Repositories, 'fxRates' | 'catalogueCosts' | 'channels' | 'priceRules'>;

export function explainPrice(store: ExplainStore, o: ExplainOptions): ExplainResult {
  const ch = channelInfo(store, o.channel);
  let costMinor: bigint;
  let landedMinor: bigint;
  let costCurrency: string;
  let from: 'catalogue' | 'flags';
  if (o.cost !== undefined) {
    costCurrency = (o.costCurrency ?? ch.currency).toUpperCase();
    if (!isCurrency(costCurrency)) throw new UsageError(`--cost-currency ${costCurrency} is not an ISO 4217 currency`);
    costMinor = money('--cost', o.cost, costCurrency);
    landedMinor = o.landed !== undefined ? money('--landed', o.landed, costCurrency) : 0n;
    from = 'flags';
  } else {
    const v = store.catalogueCosts.variantBySku(o.sku);
    if (!v) {
      throw new NotFoundError(`no variant with SKU ${JSON.stringify(o.sku)} in the catalogue`, {
        hints: ['import the catalogue first (merchant listings import), or pass --cost 12.00 --cost-currency EUR to price a cost directly'],
      });
    }
    if (v.costMinor === null || !v.costCurrency) {
      throw new InvalidInputError(`SKU ${o.sku} has no cost${v.costMinor === null ? '' : ' currency'} in the catalogue`, {
        hints: ['add cost and cost_currency to the catalogue, or pass --cost 12.00 --cost-currency EUR'],
      });
    }
    costMinor = v.costMinor;
    costCurrency = v.costCurrency;
    landedMinor = o.landed !== undefined ? money('--landed', o.landed, costCurrency) : v.landedMinor;
    from = 'catalogue';
  }
  const rules = listRules(store);
  if (!rules.length) throw new NotConfiguredError('no pricing rules yet', { hints: ['merchant prices rules set uk --channel amazon-uk --margin 25% --vat 20% --vat-included --ending .99'] });
  const { rule, alsoMatched } = pickRule(rules, o.sku, o.channel);
  if (!rule) {
    throw new InvalidInputError(`no pricing rule matches SKU ${o.sku} on ${o.channel}`, {
      hints: [`merchant prices rules set ${o.channel} --channel ${o.channel} --margin 25%   (or --sku 'PATTERN*')`],
    });
  }
  const resolved = resolveRule(rule, ch);
  const rate = crossRate(store, costCurrency, ch.currency, o.date);
  const result = solvePrice(
    resolved.solve,
    { costMinor, landedMinor, costExponent: currencyExponent(costCurrency), exponent: currencyExponent(ch.currency), cashExponent: cashExponent(ch.currency), rate: rate.rate },
    true,
  );
  if (result.ok && resolved.solve.basis === 'margin') {
    // A check a reader can redo: the margin the seller keeps at the final price, fee = max(r·price, minFee).
    const { margin } = marginAt(resolved.solve, { costMinor, landedMinor, costExponent: currencyExponent(costCurrency), exponent: currencyExponent(ch.currency), cashExponent: cashExponent(ch.currency), rate: rate.rate }, result.minor);
    result.steps.push({ step: 'check', name: 'margin', formula: `kept at the price after fees (target ${resolved.fields.margin?.value ?? ''})`, value: formatRate(margin), exact: ratioText(margin) });
  }
  const out: ExplainResult = {
    sku: o.sku,
    channel: o.channel,
    price: result.ok ? { amount: formatAmount({ minor: result.minor, currency: ch.currency }), currency: ch.currency } : null,
    refused: result.ok ? null : { code: result.code, reason: result.reason },
    bound: result.ok ? result.bound : null,
    minFeeApplied: result.ok ? result.minFeeApplied : false,
    steps: result.steps,
    rule: {
      name: rule.name,
      channel: rule.channel,
      sku: rule.skuPattern,
      basis: resolved.solve.basis,
      fields: resolved.fields,
      alsoMatched: alsoMatched.map((r) => r.name),
    },
    cost: {
      unit: formatAmount({ minor: costMinor, currency: costCurrency }),
      landed: formatAmount({ minor: landedMinor, currency: costCurrency }),
      currency: costCurrency,
      from,
    },
    rate: { from: rate.from, to: rate.to, ...describeRate(store, rate) },
  };
  return out;
}
