// `merchant sync` as a use-case: pull orders (they reserve stock and queue inventory changes), plan
// every marketplace from local state, refuse a mass change, confirm, apply, and report per
// marketplace and per item. The run and its outcome are recorded in sync_runs / sync_log.

import type { Store } from '../../store/db.js';
import type { CredentialStore } from '../../config/credentials.js';
import type { HttpFactory } from '../../adapters/http/factory.js';
import { HttpError } from '../../adapters/http/errors.js';
import type { MarketplaceName } from '../../core/channels.js';
import { NotConfiguredError } from '../../core/errors.js';
import type { MarketplacePort } from '../../ports/marketplace.js';
import { accountChannels, adapterFor, listAccounts, storedSecrets, type AdapterOptions } from '../marketplace/accounts.js';
import { pullMarketplaceOrders, getCursor, type PullResult } from '../orders/pull.js';
import { applyMarketplace, type ItemResult, type MarketplaceSummary } from './apply.js';
import { massChangeFindings, planMarketplace, type GuardFinding, type MarketplacePlan, type SyncArea } from './plan.js';
import { loadRules } from './rules.js';
import { sendConfirmations, type ConfirmResult } from '../orders/confirm.js';
import { confirmationStore } from '../../store/repos/confirmations.js';
import { isShipmentConfirmer } from '../../ports/marketplace.js';

export interface SyncLimits {
  maxZeroShare: number;
  maxRemoveShare: number;
  minItems: number;
}

export interface SyncOptions {
  marketplaces?: MarketplaceName[];
  only: ReadonlySet<SyncArea>;
  dryRun: boolean;
  allowMassChange: boolean;
}

export interface SyncDeps {
  store: Store;
  credentials: CredentialStore;
  http: HttpFactory;
  now: () => string;
  limits: SyncLimits;
  /** How far back the first order pull goes (ISO date-time). */
  ordersSince: string;
  adapterOptions?: AdapterOptions;
  /** Asked once the plan is known and something remote would change; false cancels. */
  confirm?: (report: SyncReport) => Promise<boolean>;
  /** Test seam: use these adapters instead of building them from the stored accounts. */
  adapters?: Partial<Record<MarketplaceName, MarketplacePort>>;
}

export interface MarketplaceReport {
  marketplace: MarketplaceName;
  channels: string[];
  orders?: PullResult & { error?: string };
  plan: {
    changes: number;
    skipped: number;
    reconcile: number;
    waitingForChannel: number;
    calls: MarketplacePlan['calls'];
  };
  summary?: MarketplaceSummary;
}

export type SyncStatus = 'ok' | 'partial' | 'failed' | 'refused' | 'planned' | 'cancelled';

export interface SyncReport {
  runId: number | null;
  dryRun: boolean;
  status: SyncStatus;
  startedAt: string;
  finishedAt?: string;
  marketplaces: MarketplaceReport[];
  guard: GuardFinding[];
  items: ItemResult[];
  /** What the plan would change (dry-run and confirmation). */
  planned: Array<{ marketplace: MarketplaceName; channel: string; sku: string; kinds: string[]; old: ItemResult['old']; new: ItemResult['new']; reconcile: boolean }>;
  /** Shipment confirmations sent (or settled) in this run (issue #21). */
  confirmations?: ConfirmResult[];
  exitCode: 0 | 4 | 6;
}

const toJsonSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

export async function runSync(deps: SyncDeps, opts: SyncOptions): Promise<SyncReport> {
  const { store } = deps;
  const accounts = listAccounts(store).filter((a) => !opts.marketplaces || opts.marketplaces.includes(a.marketplace));
  if (!accounts.length) {
    throw new NotConfiguredError(opts.marketplaces ? `none of ${opts.marketplaces.join(', ')} is connected` : 'no marketplace is connected', {
      hints: ['run `merchant marketplace connect <amazon|ebay|shopify>` (or `--sandbox URL` to try the local sandbox)'],
    });
  }
  const startedAt = deps.now();
  const report: SyncReport = { runId: null, dryRun: opts.dryRun, status: 'planned', startedAt, marketplaces: [], guard: [], items: [], planned: [], exitCode: 0 };
  if (!opts.dryRun) {
    // We hold the writer lock: a run still marked running was killed. Its items are reconciled below.
    store.db.prepare(`UPDATE sync_runs SET status = 'failed', finished_at = ?, summary_json = coalesce(summary_json, '{"interrupted":true}') WHERE status = 'running'`).run(startedAt);
    const r = store.db
      .prepare(`INSERT INTO sync_runs (started_at, status, options_json) VALUES (?, 'running', ?)`)
      .run(startedAt, JSON.stringify({ marketplaces: opts.marketplaces ?? null, only: [...opts.only], allowMassChange: opts.allowMassChange }));
    report.runId = Number(r.lastInsertRowid);
  }
  const adapters = new Map<MarketplaceName, MarketplacePort>();
  for (const a of accounts) {
    adapters.set(a.marketplace, deps.adapters?.[a.marketplace] ?? adapterFor(a, storedSecrets(deps.credentials, a.marketplace), deps.http, deps.adapterOptions));
  }

  // 1. Orders first: they reserve stock, and the new available quantities go out in this same run.
  for (const a of accounts) {
    const mr: MarketplaceReport = { marketplace: a.marketplace, channels: accountChannels(a), plan: { changes: 0, skipped: 0, reconcile: 0, waitingForChannel: 0, calls: [] } };
    report.marketplaces.push(mr);
    if (!opts.only.has('orders')) continue;
    if (opts.dryRun) {
      const cursor = getCursor(store, a.marketplace);
      mr.orders = { marketplace: a.marketplace, fetched: 0, created: 0, updated: 0, unchanged: 0, stockChanged: [], cursor: cursor ?? null };
      mr.plan.calls.push({ operation: `pull orders updated since ${cursor ?? deps.ordersSince}`, calls: 1, items: 0, batchSize: a.marketplace === 'ebay' ? 200 : 100 });
      continue;
    }
    try {
      mr.orders = await pullMarketplaceOrders(store, adapters.get(a.marketplace)!, { channels: mr.channels, defaultSince: deps.ordersSince, connectedAt: a.createdAt, now: deps.now });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      mr.orders = { marketplace: a.marketplace, fetched: 0, created: 0, updated: 0, unchanged: 0, stockChanged: [], cursor: getCursor(store, a.marketplace) ?? null, error: e.message };
      mr.summary = { marketplace: a.marketplace, sent: 0, acked: 0, failed: 0, skipped: 0, requests: 0, unreachable: { code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()), message: e.message } };
    }
  }

  // 2. Plan.
  const rules = loadRules(store);
  const plans = new Map<MarketplaceName, MarketplacePlan>();
  for (const mr of report.marketplaces) {
    if (mr.summary?.unreachable) continue;
    const p = planMarketplace(store, mr.marketplace, mr.channels, opts.only, adapters.get(mr.marketplace)!, rules);
    plans.set(mr.marketplace, p);
    mr.plan = { changes: p.items.length, skipped: p.skipped.length, reconcile: p.items.filter((i) => i.reconcile).length, waitingForChannel: p.waitingForChannel, calls: [...mr.plan.calls, ...p.calls] };
    for (const i of p.items) report.planned.push({ marketplace: i.marketplace, channel: i.channel, sku: i.sku, kinds: i.kinds, old: i.old, new: i.new, reconcile: i.reconcile });
  }

  // 3. Guard.
  report.guard = massChangeFindings(store, [...plans.values()], deps.limits);
  const finish = (status: SyncStatus) => {
    report.status = status;
    report.finishedAt = deps.now();
    if (report.runId !== null) {
      store.db
        .prepare('UPDATE sync_runs SET finished_at = ?, status = ?, summary_json = ? WHERE id = ?')
        .run(report.finishedAt, status === 'cancelled' || status === 'planned' ? 'refused' : status, JSON.stringify({ marketplaces: report.marketplaces, guard: report.guard }, toJsonSafe), report.runId);
    }
    return report;
  };
  if (opts.dryRun) return finish('planned');
  if (report.guard.length && !opts.allowMassChange) {
    report.exitCode = 4;
    return finish('refused');
  }
  if (report.planned.length && deps.confirm) {
    let ok: boolean;
    try {
      ok = await deps.confirm(report);
    } catch (e) {
      finish('cancelled');
      throw e;
    }
    if (!ok) return finish('cancelled');
  }

  // 4. Apply, marketplaces in parallel (each one's calls in order, within its own limits).
  const runId = report.runId!;
  await Promise.all(
    report.marketplaces.map(async (mr) => {
      const p = plans.get(mr.marketplace);
      if (!p) return;
      const { summary, items } = await applyMarketplace({ store, runId, now: deps.now }, adapters.get(mr.marketplace)!, p);
      mr.summary = summary;
      report.items.push(...items);
    }),
  );
  for (const mr of report.marketplaces) {
    const requestsForPull = 0;
    void requestsForPull;
    mr.summary ??= { marketplace: mr.marketplace, sent: 0, acked: 0, failed: 0, skipped: 0, requests: 0 };
  }
  // 5. Shipment confirmations that are due: a label bought while a marketplace was down is confirmed now.
  if (opts.only.has('orders')) {
    report.confirmations = await sendConfirmations(
      {
        confirmations: confirmationStore(store),
        confirmerFor: (mp) => {
          const a = report.marketplaces.find((m) => m.marketplace === mp && !m.summary?.unreachable) ? adapters.get(mp as MarketplaceName) : undefined;
          return isShipmentConfirmer(a) ? a : undefined;
        },
        now: deps.now,
      },
      {},
    ).then((rs) => rs.filter((r) => adapters.has(r.marketplace as MarketplaceName)));
  }
  const unreachable = report.marketplaces.some((m) => m.summary?.unreachable);
  const failed = report.items.some((i) => i.state === 'failed' || i.state === 'unconfirmed') || (report.confirmations ?? []).some((c) => c.state !== 'acked');
  report.exitCode = unreachable ? 6 : failed ? 4 : 0;
  return finish(unreachable && !report.items.some((i) => i.state === 'acked') ? 'failed' : failed || unreachable ? 'partial' : 'ok');
}
