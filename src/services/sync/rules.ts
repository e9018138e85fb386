// Inventory rules: the quantity offered on a channel from the available stock (on hand − reserved).
// Pure. Order of application, as the peers do it (Sellbrite, Linnworks, Marketplace Connect):
//   1. available ≤ out-of-stock threshold → 0 (also for a fixed quantity: never sell what is gone)
//   2. fixed quantity → that
//   3. (available − buffer) × percent, rounded down
//   4. raised to the minimum (never above what is available), capped at the maximum, never < 0

import type { Store } from '../../store/db.js';
import { num } from '../../store/db.js';
import { parseDecimal, ratio, rMul, roundRatio, type Ratio } from '../../core/money.js';

export interface InventoryRule {
  name: string;
  channel: string | null;
  skuPattern: string | null;
  percent: string | null;
  buffer: number | null;
  maxQty: number | null;
  minQty: number | null;
  oosThreshold: number | null;
  fixedQty: number | null;
}

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

interface RuleRow {
  name: string;
  channel: string | null;
  sku_pattern: string | null;
  percent: string | null;
  buffer: bigint | null;
  max_qty: bigint | null;
  min_qty: bigint | null;
  oos_threshold: bigint | null;
  fixed_qty: bigint | null;
}

const n = (v: bigint | null): number | null => (v === null ? null : num(v));

export function loadRules(store: Store): InventoryRule[] {
  const rows = store.db.prepare('SELECT * FROM inventory_rules ORDER BY name').all() as RuleRow[];
  return rows.map((r) => ({
    name: r.name,
    channel: r.channel,
    skuPattern: r.sku_pattern,
    percent: r.percent,
    buffer: n(r.buffer),
    maxQty: n(r.max_qty),
    minQty: n(r.min_qty),
    oosThreshold: n(r.oos_threshold),
    fixedQty: n(r.fixed_qty),
  }));
}

export function saveRule(store: Store, r: InventoryRule, at: string): void {
  store.db
    .prepare(
      `INSERT INTO inventory_rules (name, channel, sku_pattern, percent, buffer, max_qty, min_qty, oos_threshold, fixed_qty, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET channel = excluded.channel, sku_pattern = excluded.sku_pattern, percent = excluded.percent,
         buffer = excluded.buffer, max_qty = excluded.max_qty, min_qty = excluded.min_qty, oos_threshold = excluded.oos_threshold,
         fixed_qty = excluded.fixed_qty, updated_at = excluded.updated_at`,
    )
    .run(r.name, r.channel, r.skuPattern, r.percent, r.buffer, r.maxQty, r.minQty, r.oosThreshold, r.fixedQty, at, at);
}

export function deleteRule(store: Store, name: string): boolean {
  return store.db.prepare('DELETE FROM inventory_rules WHERE name = ?').run(name).changes > 0;
}
