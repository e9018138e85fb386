// `prices update`: price every active variant on every enabled channel that has a rule, from cost,
// rules and the latest rates; show the diff; write listings (with their pending sync state) + price history in ONE
// transaction (or nothing with --dry-run). Moves beyond --max-change are held unless --yes.

import { InvalidInputError, NotConfiguredError, UsageError } from '../../core/errors.js';
import { cashExponent, currencyExponent } from '../../core/currencies.js';
import { daysBetween, formatRate, ratioText } from '../../core/fx.js';
import { compileSolve, globToRegExp, type Bound, type PriceSolver } from '../../core/pricing.js';
import { divRound, ratio, type Ratio } from '../../core/money.js';
import type { PriceBasis } from '../../ports/pricing.js';
import type { Repositories } from '../../ports/repositories.js';
import { crossRate, type CrossRate } from '../fx/lookup.js';
import { channelInfo, enabledChannels, type ChannelInfo } from './channels.js';
import { listRules, resolveRule, ruleChooser, type ResolvedRule, type StoredRule } from './rules.js';

export type ItemStatus = 'changed' | 'new' | 'unchanged' | 'held' | 'refused' | 'skipped';

export interface PriceItem {
  sku: string;
  channel: string;
  currency: string;
  oldMinor: bigint | null;
  newMinor: bigint | null;
  /** "+12.5%" (one decimal, half-up), null without an old price */
  change: string | null;
  /** units of the channel currency per 1 unit of the cost currency (display text; exact in history) */
  rate: string | null;
  rateDate: string | null;
  rateSource: string | null;
  rule: string | null;
  bound: Bound;
  status: ItemStatus;
  reason?: string;
}

export interface StaleRate {
  from: string;
  to: string;
  rateDate: string;
  ageDays: number;
  source: string;
}

export interface UpdateResult {
  date: string;
  dryRun: boolean;
  maxChange: string;
  channels: string[];
  counts: Record<ItemStatus, number>;
  /** every item except the unchanged ones */
  items: PriceItem[];
  stale: StaleRate[];
  /** whether anything was written */
  written: boolean;
}

export interface UpdateOptions {
  channels?: string[];
  skuPattern?: string;
  dryRun: boolean;
  /** share, e.g. 1/5 for 20% */
  maxChange: Ratio;
  maxChangeText: string;
  yes: boolean;
  date: string;
  now: string;
  maxAgeDays: number;
  /** true: stale rates only warn; false: stale rates refuse (exit 3) */
  allowStale: boolean;
  onStale?: (stale: StaleRate[]) => void;
  /** called with the number of (variant, channel) pairs examined so far, every 1000 */
  onProgress?: (done: number, total: number) => void;
  command?: string;
  /**
   * Called once every price is solved, while the writes commit (a large run's writer thread commits
   * them meanwhile), with the result as it will be if they land: the CLI renders the diff then, and
   * shows it only once this function's promise resolves — a failed commit rejects it instead.
   */
  whileCommitting?: (r: UpdateResult) => Promise<void>;
}

/** "+12.5%": (new − old)/old in percent, one decimal, half-up; exact BigInt arithmetic. */
export function percentChange(oldMinor: bigint, newMinor: bigint): string | null {
  if (oldMinor === 0n) return null;
  const tenths = divRound((newMinor - oldMinor) * 1000n, oldMinor, 'halfUp');
  const neg = tenths < 0n;
  const a = neg ? -tenths : tenths;
  return `${neg ? '-' : '+'}${a / 10n}.${a % 10n}%`;
}

function beyond(oldMinor: bigint, newMinor: bigint, max: Ratio): boolean {
  if (oldMinor <= 0n) return false;
  const diff = newMinor > oldMinor ? newMinor - oldMinor : oldMinor - newMinor;
  return diff * max.den > oldMinor * max.num;
}

interface Solver {
  solve: PriceSolver;
  /** the rate as shown (display text); the exact one, its date and source are in the basis */
  rateText: string;
  /** what the price history records once for every price this solver makes */
  basis: PriceBasis;
}

/** An item as first seen; the field order is the --json order. */
function newItem(sku: string, ch: ChannelInfo, oldMinor: bigint | null, rule: string, status: ItemStatus): PriceItem {
  return { sku, channel: ch.code, currency: ch.currency, oldMinor, newMinor: null, change: null, rate: null, rateDate: null, rateSource: null, rule, bound: null, status };
}

/** What `prices update` reads and writes. */
export type PricingStore = Pick<Repositories, 'fxRates' | 'catalogueCosts' | 'channels' | 'priceRules' | 'prices'>;

export async function updatePrices(store: PricingStore, o: UpdateOptions): Promise<UpdateResult> {
  const rules = listRules(store);
  if (!rules.length) {
    throw new NotConfiguredError('no pricing rules yet: nothing to price', {
      hints: ['merchant prices rules set uk --channel amazon-uk --margin 25% --vat 20% --vat-included --ending .99'],
    });
  }
  let channels: ChannelInfo[] = enabledChannels(store, rules.map((r) => r.channel));
  if (o.channels?.length) {
    const wanted = o.channels.map((c) => channelInfo(store, c)); // unknown → exit 3
    const enabled = new Set(channels.map((c) => c.code));
    for (const w of wanted) {
      if (!enabled.has(w.code)) throw new UsageError(`channel ${w.code} is not enabled`, { hints: ['enable it with `merchant marketplace connect`, or add a rule for it'] });
    }
    channels = wanted;
  }
  const skuRe = o.skuPattern ? globToRegExp(o.skuPattern) : undefined;
  // A real run's writes start now (a dry run writes nothing): each price goes to the writer as it is
  // solved, and a large run's writer is another thread, which starts while this one reads the catalogue
  // and then writes while it solves. Nothing is visible until commit; any failure before it (stale
  // rates included) leaves the store as it was.
  const writer = o.dryRun ? undefined : store.prices.begin(o.now, store.catalogueCosts.variantCount() * channels.length);

  const counts: Record<ItemStatus, number> = { changed: 0, new: 0, unchanged: 0, held: 0, refused: 0, skipped: 0 };
  const items: PriceItem[] = [];
  const rates = new Map<string, CrossRate | { error: string }>();
  const rateTexts = new Map<CrossRate, string>();
  const resolvedCache = new Map<string, ResolvedRule | { error: string }>();

  const rateFor = (from: string, to: string): CrossRate | { error: string } => {
    const key = `${from}>${to}`;
    let r = rates.get(key);
    if (!r) {
      try {
        r = crossRate(store, from, to, o.date);
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        r = { error: e.message };
      }
      rates.set(key, r);
    }
    return r;
  };
  const resolvedFor = (rule: StoredRule, ch: ChannelInfo): ResolvedRule | { error: string } => {
    const key = `${rule.id}|${ch.code}`;
    let r = resolvedCache.get(key);
    if (!r) {
      try {
        r = resolveRule(rule, ch);
      } catch (e) {
        r = { error: (e as Error).message };
      }
      resolvedCache.set(key, r);
    }
    return r;
  };

  const done = (item: PriceItem, reason?: string) => {
    if (reason) item.reason = reason;
    counts[item.status]++;
    items.push(item);
  };

  let writes = 0;
  let written = false;
  const stale: StaleRate[] = [];
  const result = (writtenNow: boolean): UpdateResult => ({
    date: o.date,
    dryRun: o.dryRun,
    maxChange: o.maxChangeText,
    channels: channels.map((c) => c.code),
    counts,
    items,
    stale,
    written: writtenNow,
  });
  try {
    const variants = store.catalogueCosts.activeVariants().filter((v) => !skuRe || skuRe.test(v.sku));
    const total = variants.length * channels.length;
    let examined = 0;
    for (const ch of channels) {
      const exponent = currencyExponent(ch.currency);
      if (!rules.some((r) => r.channel === null || r.channel === ch.code)) {
        examined += variants.length;
        continue;
      }
      const chooseRule = ruleChooser(rules, ch.code);
      const cashExp = cashExponent(ch.currency);
      const listings = store.catalogueCosts.listingPrices(ch.code, ch.currency);
      // One solver per (rule, cost currency) on this channel: the rule and the rate folded once.
      const solvers = new Map<StoredRule, Map<string, Solver>>();
      // The run-wide caches above, looked up without building a string key per price.
      const resolvedHere = new Map<StoredRule, ResolvedRule | { error: string }>();
      const ratesHere = new Map<string, CrossRate | { error: string }>();
      const solverFor = (rule: StoredRule, resolved: ResolvedRule, costCurrency: string, rate: CrossRate): Solver => {
        let byCcy = solvers.get(rule);
        if (!byCcy) solvers.set(rule, (byCcy = new Map()));
        let s = byCcy.get(costCurrency);
        if (!s) {
          let rateText = rateTexts.get(rate);
          if (rateText === undefined) rateTexts.set(rate, (rateText = formatRate(rate.rate)));
          // Same currency: no rate was looked up, so no rate date to report.
          const rateDate = rate.from === rate.to ? null : rate.rateDate;
          const rateSource = rate.from === rate.to ? null : rate.source;
          s = {
            solve: compileSolve(resolved.solve, { costExponent: currencyExponent(costCurrency), exponent, cashExponent: cashExp, rate: rate.rate }),
            rateText,
            basis: { channel: ch.code, currency: ch.currency, rule: rule.name, rate: ratioText(rate.rate), rateDate, source: rateSource },
          };
          byCcy.set(costCurrency, s);
        }
        return s;
      };
      for (const v of variants) {
        if (++examined % 1000 === 0) o.onProgress?.(examined, total);
        const rule = chooseRule(v.sku);
        if (!rule) continue;
        const at = listings.find(v.id);
        if (at >= 0 && listings.removed(at)) continue;
        const oldMinor = at >= 0 ? listings.priceIn(at) : null;
        // (an item is made only for a price that is shown)
        if (v.costMinor === null || !v.costCurrency) {
          done(newItem(v.sku, ch, oldMinor, rule.name, 'skipped'), 'no cost in the catalogue');
          continue;
        }
        let resolved = resolvedHere.get(rule);
        if (!resolved) resolvedHere.set(rule, (resolved = resolvedFor(rule, ch)));
        if ('error' in resolved) {
          done(newItem(v.sku, ch, oldMinor, rule.name, 'refused'), resolved.error);
          continue;
        }
        let rate = ratesHere.get(v.costCurrency);
        if (!rate) ratesHere.set(v.costCurrency, (rate = rateFor(v.costCurrency, ch.currency)));
        if ('error' in rate) {
          done(newItem(v.sku, ch, oldMinor, rule.name, 'refused'), rate.error);
          continue;
        }
        const solver = solverFor(rule, resolved, v.costCurrency, rate);
        const res = solver.solve(v.costMinor, v.landedMinor);
        if (res.ok && oldMinor === res.minor) {
          // Unchanged: counted, not shown, not written.
          counts.unchanged++;
          continue;
        }
        const item = newItem(v.sku, ch, oldMinor, rule.name, 'skipped');
        item.rate = solver.rateText;
        item.rateDate = solver.basis.rateDate;
        item.rateSource = solver.basis.source;
        if (!res.ok) {
          item.status = 'refused';
          done(item, res.reason);
          continue;
        }
        item.newMinor = res.minor;
        item.bound = res.bound;
        if (oldMinor !== null) item.change = percentChange(oldMinor, res.minor);
        if (oldMinor !== null && !o.yes && beyond(oldMinor, res.minor, o.maxChange)) {
          item.status = 'held';
          done(item, `moves ${item.change} (more than ${o.maxChangeText}); pass --yes to apply`);
          continue;
        }
        item.status = oldMinor === null ? 'new' : 'changed';
        done(item);
        if (writer) {
          writes++;
          writer.add({
            basis: solver.basis,
            variantId: v.id,
            listingId: at >= 0 ? listings.listingId(at) : null,
            oldMinor,
            newMinor: res.minor,
            solved: ratioText(ratio(res.solvedNum, res.solvedDen)),
            bound: res.bound,
            minFee: res.minFeeApplied,
          });
        }
      }
    }

    for (const r of rates.values()) {
      if ('error' in r || r.from === r.to) continue;
      const age = daysBetween(r.rateDate, o.date);
      if (age > o.maxAgeDays) stale.push({ from: r.from, to: r.to, rateDate: r.rateDate, ageDays: age, source: r.source });
    }
    if (stale.length) {
      o.onStale?.(stale);
      if (!o.allowStale && !o.dryRun) {
        const worst = stale.reduce((a, b) => (b.ageDays > a.ageDays ? b : a));
        throw new InvalidInputError(`exchange rates are stale: ${worst.from}→${worst.to} uses ${worst.source} rates of ${worst.rateDate}, ${worst.ageDays} days old (fx.maxAgeDays is ${o.maxAgeDays}); no prices were changed`, {
          hints: ['run `merchant fx update` first', 'or pass --allow-stale to price with them anyway'],
          details: { stale },
        });
      }
    }

    if (writer && writes) {
      const committed = writer.commit({
        at: o.now,
        command: o.command ?? 'prices update',
        entity: 'prices',
        action: 'update',
        detail: { changed: counts.changed, new: counts.new, held: counts.held, refused: counts.refused, channels: channels.map((c) => c.code), skuPattern: o.skuPattern ?? null },
      });
      try {
        await o.whileCommitting?.(result(true));
      } finally {
        await committed; // (a failure to commit is the error to report, whatever the rendering did)
      }
      written = true;
    }
  } finally {
    writer?.abort(); // (after a commit: nothing left to drop)
  }

  return result(written);
}
