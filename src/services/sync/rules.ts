// Inventory rules: the quantity offered on a channel from the available stock (on hand − reserved).
// Pure. Order of application, as the peers do it (Sellbrite, Linnworks, Marketplace Connect):
//   1. available ≤ out-of-stock threshold → 0 (also for a fixed quantity: never sell what is gone)
//   2. fixed quantity → that
//   3. (available − buffer) × percent, rounded down
//   4. raised to the minimum (never above what is available), capped at the maximum, never < 0

import { parseDecimal, ratio, rMul, roundRatio, type Ratio } from '../../core/money.js';
import type { InventoryRule, SyncRepos } from '../../ports/sync.js';

export type { InventoryRule } from '../../ports/sync.js';

export function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`, 'i');
}

function specificity(r: InventoryRule): number {
  return (r.channel ? 1 : 0) + (r.skuPattern ? 2 : 0);
}

/** The rule that applies to (channel, sku): the most specific match, ties to the longest pattern. */
export function ruleFor(rules: readonly InventoryRule[], channel: string, sku: string): InventoryRule | undefined {
  let best: InventoryRule | undefined;
  for (const r of rules) {
    if (r.channel && r.channel !== channel) continue;
    if (r.skuPattern && !globToRegExp(r.skuPattern).test(sku)) continue;
    if (!best || specificity(r) > specificity(best) || (specificity(r) === specificity(best) && (r.skuPattern?.length ?? 0) > (best.skuPattern?.length ?? 0))) best = r;
  }
  return best;
}

/** Share as an exact ratio: "80%", "0.8". */
export function parseShare(text: string): Ratio {
  const t = text.trim();
  const r = t.endsWith('%') ? (() => {
    const p = parseDecimal(t.slice(0, -1));
    return { num: p.num, den: p.den * 100n };
  })() : parseDecimal(t);
  return r;
}

export function offeredQuantity(available: number, rule: InventoryRule | undefined): number {
  const avail = Math.max(0, Math.trunc(available));
  if (!rule) return avail;
  if (avail <= (rule.oosThreshold ?? 0)) return 0;
  if (rule.fixedQty !== null && rule.fixedQty !== undefined) return Math.max(0, rule.fixedQty);
  let q = Math.max(0, avail - (rule.buffer ?? 0));
  if (rule.percent) q = Number(roundRatio(rMul(ratio(BigInt(q)), parseShare(rule.percent)), 'floor'));
  if (rule.minQty !== null && rule.minQty !== undefined && q < rule.minQty) q = Math.min(rule.minQty, avail);
  if (rule.maxQty !== null && rule.maxQty !== undefined) q = Math.min(q, rule.maxQty);
  return Math.max(0, q);
}

/** The inventory rules, by name (stored in inventory_rules). */
export function loadRules(store: Pick<SyncRepos, 'sync'>): InventoryRule[] {
  return store.sync.inventoryRules();
}

export function saveRule(store: Pick<SyncRepos, 'sync'>, r: InventoryRule, at: string): void {
  store.sync.saveInventoryRule(r, at);
}

export function deleteRule(store: Pick<SyncRepos, 'sync'>, name: string): boolean {
  return store.sync.deleteInventoryRule(name);
}
