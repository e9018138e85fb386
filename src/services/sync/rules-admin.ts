// `merchant sync rules set|list|remove`: inventory rules as a use-case. Changing a rule queues an
// inventory change for every listing it may affect, so the next sync pushes the new quantities (only
// those that really differ from what the marketplace has are sent).

import { UsageError } from '../../core/errors.js';
import { channelDef, marketplaceOf } from '../../core/channels.js';
import type { SyncRepos } from '../../ports/sync.js';
import type { AuditRepo } from '../../ports/pricing.js';

/** The sync aggregate and the audit log, in one unit of work. */
export type RulesAdminRepos = SyncRepos & { readonly audit: AuditRepo };
import { deleteRule, globToRegExp, loadRules, parseShare, saveRule, type InventoryRule } from './rules.js';

export interface RuleInput {
  name: string;
  channel?: string;
  sku?: string;
  percent?: string;
  buffer?: string;
  max?: string;
  min?: string;
  oos?: string;
  fixed?: string;
}

function int(v: string | undefined, flag: string): number | null {
  if (v === undefined) return null;
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`${flag} takes a whole number ≥ 0, got "${v}"`);
  return Number(v);
}

export function parseRule(i: RuleInput): InventoryRule {
  if (!/^[\w.-]+$/.test(i.name)) throw new UsageError(`rule name "${i.name}" may use letters, digits, ".", "_" and "-"`);
  if (i.channel && !channelDef(i.channel)) throw new UsageError(`--channel: unknown channel "${i.channel}"`);
  let percent: string | null = null;
  if (i.percent !== undefined) {
    let share;
    try {
      share = parseShare(i.percent);
    } catch {
      throw new UsageError(`--percent takes a share like 80% or 0.8, got "${i.percent}"`);
    }
    if (share.num < 0n || share.num > share.den) throw new UsageError(`--percent must be between 0% and 100%, got "${i.percent}"`);
    percent = i.percent.trim();
  }
  const r: InventoryRule = {
    name: i.name,
    channel: i.channel ?? null,
    skuPattern: i.sku ?? null,
    percent,
    buffer: int(i.buffer, '--buffer'),
    maxQty: int(i.max, '--max'),
    minQty: int(i.min, '--min'),
    oosThreshold: int(i.oos, '--out-of-stock-at'),
    fixedQty: int(i.fixed, '--fixed'),
  };
  if (r.minQty !== null && r.maxQty !== null && r.minQty > r.maxQty) throw new UsageError('--min is larger than --max');
  if ([r.percent, r.buffer, r.maxQty, r.minQty, r.oosThreshold, r.fixedQty].every((x) => x === null)) {
    throw new UsageError('a rule needs at least one of --percent, --buffer, --max, --min, --out-of-stock-at, --fixed');
  }
  return r;
}

function requeue(store: SyncRepos, r: Pick<InventoryRule, 'channel' | 'skuPattern'>, at: string): number {
  const rows = store.sync.listedSkus(r.channel);
  const re = r.skuPattern ? globToRegExp(r.skuPattern) : undefined;
  let n = 0;
  for (const row of rows) {
    if (re && !re.test(row.sku)) continue;
    const mp = marketplaceOf(row.channel);
    if (!mp) continue;
    store.sync.markSyncWanted(row.channel, row.sku, 'inventory', at);
    n++;
  }
  return n;
}

export function setRule(store: RulesAdminRepos, input: RuleInput, at: string): { rule: InventoryRule; queued: number } {
  const rule = parseRule(input);
  return store.tx(() => {
    const old = loadRules(store).find((x) => x.name === rule.name);
    saveRule(store, rule, at);
    let queued = requeue(store, rule, at);
    if (old && (old.channel !== rule.channel || old.skuPattern !== rule.skuPattern)) queued += requeue(store, old, at);
    store.audit.record({ at, command: 'sync rules set', entity: 'inventory_rule', entityId: rule.name, action: old ? 'update' : 'create', detail: rule });
    return { rule, queued };
  });
}

export function removeRule(store: RulesAdminRepos, name: string, at: string): { removed: boolean; queued: number } {
  return store.tx(() => {
    const old = loadRules(store).find((x) => x.name === name);
    if (!old) return { removed: false, queued: 0 };
    deleteRule(store, name);
    const queued = requeue(store, old, at);
    store.audit.record({ at, command: 'sync rules remove', entity: 'inventory_rule', entityId: name, action: 'remove' });
    return { removed: true, queued };
  });
}
