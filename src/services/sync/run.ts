// `merchant sync` as a use-case: pull orders (they reserve stock and queue inventory changes), plan
// every marketplace from local state, refuse a mass change, confirm, apply, and report per
// marketplace and per item. The run and its outcome are recorded in sync_runs / sync_log.

import { HttpError } from '../../core/http-error.js';
import type { MarketplaceName } from '../../core/channels.js';
import { NotConfiguredError } from '../../core/errors.js';
import type { MarketplacePort } from '../../ports/marketplace.js';
import { applyMarketplace, resolveQueuedBatches, type ItemResult, type MarketplaceSummary } from './apply.js';
import { massChangeFindings, planMarketplace, type GuardFinding, type MarketplacePlan, type SyncArea } from './plan.js';
import { loadRules } from './rules.js';
import { sendConfirmations, type ConfirmResult } from '../orders/confirm.js';
import { isShipmentConfirmer } from '../../ports/marketplace.js';
import type { OrderPullSummary as PullResult, SyncAccount, SyncConnections, SyncRepos } from '../../ports/sync.js';
import { readMarketplaceStock, syncFbaChannels, syncReadsFba, syncReadsLocations, type StockReadOutcome } from '../stock/remote-read.js';

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
  store: SyncRepos;
  /** Accounts, their adapters, order pulls, stock and confirmations (wired in src/cli/wiring/*.ts: syncConnections). */
  connections: SyncConnections;
  now: () => string;
  limits: SyncLimits;
  /** How far back the first order pull goes (ISO date-time). */
  ordersSince: string;
  /**
   * Asked before anything remote happens, with the plan as the dry run shows it (orders not pulled
   * yet); false cancels the run: nothing is pulled or sent.
   */
  confirm?: (preview: SyncReport) => Promise<boolean>;
  /** What the run is doing now (for a spinner): the stage and the marketplace. */
  onStage?: (stage: SyncStage) => void;
  /** Test seam: use these adapters instead of building them from the stored accounts. */
  adapters?: Partial<Record<MarketplaceName, MarketplacePort>>;
}

export interface SyncStage {
  stage: 'pulling orders' | 'planning' | 'sending' | 'sent';
  marketplace?: MarketplaceName;
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
    /** Changes in batches the marketplace accepted earlier and is still processing (checked, not re-sent). */
    waitingForBatch: number;
    calls: MarketplacePlan['calls'];
  };
  /** Batches (Amazon feeds) earlier runs left queued: finished now, still queued, re-sent after an overwrite. */
  queuedBatches?: { finished: number; stillQueued: number; resent: number };
  summary?: MarketplaceSummary;
  /** Stock the marketplace holds (Amazon FBA) or its locations (Shopify), read into merchant locations before planning. */
  stockRead?: StockReadOutcome & { error?: string };
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

const STALE = 'CHANGE_FROM_QUANTITY_STALE';
const STALE_ROUNDS = 3;

function addPull(a: MarketplaceReport['orders'], b: PullResult): MarketplaceReport['orders'] {
  if (!a) return b;
  return { ...a, fetched: a.fetched + b.fetched, created: a.created + b.created, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged, stockChanged: [...new Set([...a.stockChanged, ...b.stockChanged])].sort(), cursor: b.cursor };
}

/** The plan's row for an order pull not done yet. */
function orderPullRow(connections: SyncConnections, marketplace: MarketplaceName, defaultSince: string): MarketplacePlan['calls'][number] {
  const cursor = connections.orderCursor(marketplace);
  return { operation: `pull orders updated since ${cursor ?? defaultSince}`, calls: 1, items: 0, batchSize: marketplace === 'ebay' ? 200 : marketplace === 'shopify' ? 250 : 100 };
}

export async function runSync(deps: SyncDeps, opts: SyncOptions): Promise<SyncReport> {
  const { store } = deps;
  const accounts = deps.connections.accounts().filter((a) => !opts.marketplaces || opts.marketplaces.includes(a.marketplace));
  if (!accounts.length) {
    throw new NotConfiguredError(opts.marketplaces ? `none of ${opts.marketplaces.join(', ')} is connected` : 'no marketplace is connected', {
      hints: ['run `merchant marketplace connect <amazon|ebay|shopify>` (or `--sandbox URL` to try the local sandbox)'],
    });
  }
  const startedAt = deps.now();
  const report: SyncReport = { runId: null, dryRun: opts.dryRun, status: 'planned', startedAt, marketplaces: [], guard: [], items: [], planned: [], exitCode: 0 };
  if (!opts.dryRun) {
    // We hold the writer lock: a run still marked running was killed. Its items are reconciled below.
    report.runId = store.sync.startSyncRun(startedAt, JSON.stringify({ marketplaces: opts.marketplaces ?? null, only: [...opts.only], allowMassChange: opts.allowMassChange }));
  }
  try {
    return await syncRun(deps, opts, accounts, report);
  } finally {
    // Whatever ended the run (a reply no adapter could read, a bug, Ctrl-C at the prompt), it does not
    // stay 'running': the next run would take it for one that was killed.
    if (report.runId !== null && report.finishedAt === undefined) {
      try {
        store.sync.failSyncRun(report.runId, deps.now(), JSON.stringify({ error: 'the run ended with an error (see its output)', marketplaces: report.marketplaces }, toJsonSafe));
      } catch {
        /* the database itself is what failed: nothing more to record */
      }
    }
  }
}

async function syncRun(deps: SyncDeps, opts: SyncOptions, accounts: SyncAccount[], report: SyncReport): Promise<SyncReport> {
  const { store, connections } = deps;
  const adapters = new Map<MarketplaceName, MarketplacePort>();
  for (const a of accounts) {
    // Rate-limit buckets persist between runs, except a dry run's (connections.adapter).
    adapters.set(a.marketplace, deps.adapters?.[a.marketplace] ?? connections.adapter(a.marketplace, { dryRun: opts.dryRun }));
  }

  const finish = (status: SyncStatus) => {
    report.status = status;
    report.finishedAt = deps.now();
    if (report.runId !== null) {
      store.sync.finishSyncRun(report.runId, report.finishedAt, status === 'cancelled' || status === 'planned' ? 'refused' : status, JSON.stringify({ marketplaces: report.marketplaces, guard: report.guard }, toJsonSafe));
    }
    return report;
  };
  const rules = loadRules(store);
  const plans = new Map<MarketplaceName, MarketplacePlan>();
  /** Plan every reachable marketplace from local state; orders pulled or not, the same rows. */
  const planAll = (pulled: boolean) => {
    report.planned = [];
    plans.clear();
    for (const mr of report.marketplaces) {
      if (mr.summary?.unreachable) continue;
      deps.onStage?.({ stage: 'planning', marketplace: mr.marketplace });
      const a = accounts.find((x) => x.marketplace === mr.marketplace)!;
      const adapter = adapters.get(mr.marketplace)!;
      const pullRow = opts.only.has('orders') && !pulled ? [orderPullRow(connections, a.marketplace, deps.ordersSince)] : [];
      // Batches earlier runs left queued at the marketplace (Amazon feeds) are checked before the plan is sent.
      const queued = !pulled && adapter.checkQueued ? store.sync.pendingBatches(mr.marketplace).length : 0;
      const queuedRow = queued ? [{ operation: 'check feeds queued by earlier runs (getFeed, report)', calls: queued, items: 0, batchSize: 1 }] : [];
      const sp = connections.stock();
      const inv = opts.only.has('inventory') && !pulled;
      const fbaRow = [
        ...(inv && syncReadsLocations(adapter, sp) ? [{ operation: 'read locations and the levels of the unlinked ones', calls: 1, items: 0, batchSize: 100 }] : []),
        ...(inv && syncReadsFba(adapter, sp, mr.channels) ? [{ operation: 'read FBA stock (getInventorySummaries, per storefront)', calls: syncFbaChannels(mr.channels, sp).length, items: 0, batchSize: 50 }] : []),
      ];
      const p = planMarketplace(store, mr.marketplace, mr.channels, opts.only, adapter, rules);
      plans.set(mr.marketplace, p);
      mr.plan = { changes: p.items.length, skipped: p.skipped.length, reconcile: p.items.filter((i) => i.reconcile).length, waitingForChannel: p.waitingForChannel, waitingForBatch: p.waitingForBatch, calls: [...pullRow, ...queuedRow, ...fbaRow, ...p.calls] };
      for (const i of p.items) report.planned.push({ marketplace: i.marketplace, channel: i.channel, sku: i.sku, kinds: i.kinds, old: i.old, new: i.new, reconcile: i.reconcile });
    }
  };
  for (const a of accounts) {
    report.marketplaces.push({ marketplace: a.marketplace, channels: [...a.channels], plan: { changes: 0, skipped: 0, reconcile: 0, waitingForChannel: 0, waitingForBatch: 0, calls: [] } });
  }

  // 0. The plan as it stands (what a dry run shows: orders are not pulled in a dry run). A seller at a
  //    terminal sees it and says yes before anything remote happens, even before orders are pulled.
  if (opts.dryRun || deps.confirm) {
    planAll(false);
    for (const mr of report.marketplaces) {
      if (!opts.only.has('orders')) continue;
      const cursor = connections.orderCursor(mr.marketplace);
      mr.orders = { marketplace: mr.marketplace, fetched: 0, created: 0, updated: 0, unchanged: 0, stockChanged: [], cursor: cursor ?? null };
    }
    report.guard = massChangeFindings(store, [...plans.values()], deps.limits);
  }
  if (opts.dryRun) return finish('planned');
  if (deps.confirm && report.guard.length && !opts.allowMassChange) {
    // Refused as it stands: asking first would only waste the seller's yes.
    report.exitCode = 4;
    return finish('refused');
  }
  if (deps.confirm && (report.planned.length || opts.only.has('orders'))) {
    let ok: boolean;
    try {
      ok = await deps.confirm(report);
    } catch (e) {
      finish('cancelled');
      throw e;
    }
    if (!ok) return finish('cancelled');
  }

  // 1. Orders first: they reserve stock, and the new available quantities go out in this same run.
  const pullRequests = new Map<MarketplaceName, number>();
  for (const mr of report.marketplaces) {
    delete mr.orders;
    if (!opts.only.has('orders')) continue;
    const a = accounts.find((x) => x.marketplace === mr.marketplace)!;
    deps.onStage?.({ stage: 'pulling orders', marketplace: mr.marketplace });
    const adapter = adapters.get(mr.marketplace)!;
    const before = adapter.requestCount();
    try {
      mr.orders = await connections.pullOrders(adapter, { channels: mr.channels, defaultSince: deps.ordersSince, connectedAt: a.createdAt, now: deps.now });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      mr.orders = { marketplace: mr.marketplace, fetched: 0, created: 0, updated: 0, unchanged: 0, stockChanged: [], cursor: connections.orderCursor(mr.marketplace) ?? null, error: e.message };
      mr.summary = { marketplace: mr.marketplace, sent: 0, acked: 0, failed: 0, skipped: 0, requests: adapter.requestCount() - before, unreachable: { code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()), message: e.message, ...(e.hints.length ? { hints: e.hints } : {}) } };
    }
    pullRequests.set(mr.marketplace, adapter.requestCount() - before);
  }

  // 1a. The shop's locations (Shopify, once one is linked), before planning: which ones are active, and
  // the levels of the unlinked ones (never pushed to).
  for (const mr of report.marketplaces) {
    const adapter = adapters.get(mr.marketplace)!;
    const stockPort = connections.stock(() => new Date(deps.now()));
    if (mr.summary?.unreachable || !opts.only.has('inventory') || !syncReadsLocations(adapter, stockPort)) continue;
    try {
      mr.stockRead = await readMarketplaceStock(adapter, stockPort, mr.channels, { command: 'sync', shopLocations: 'linked-only', fba: 'none' });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      // The locations stay as last read.
      mr.stockRead = { error: e.message };
    }
  }

  // 1b. Batches earlier runs left queued at the marketplace (Amazon feeds): what became of them. A
  // batch that overwrote a newer value queues that value again, so the plan below re-sends it.
  for (const mr of report.marketplaces) {
    if (mr.summary?.unreachable) continue;
    const adapter = adapters.get(mr.marketplace)!;
    if (!adapter.checkQueued) continue;
    const pending = store.sync.pendingBatches(mr.marketplace).length;
    if (!pending) continue;
    try {
      const r = await resolveQueuedBatches({ store, runId: report.runId!, now: deps.now }, adapter);
      mr.queuedBatches = { finished: pending - r.stillQueued, stillQueued: r.stillQueued, resent: r.resent };
      report.items.push(...r.items);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      mr.summary = { marketplace: mr.marketplace, sent: 0, acked: 0, failed: 0, skipped: 0, requests: 0, unreachable: { code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()), message: e.message, ...(e.hints.length ? { hints: e.hints } : {}) } };
    }
  }

  // 2. Plan again with the orders in: their reservations may add stock changes.
  planAll(true);

  // 3. Guard.
  report.guard = massChangeFindings(store, [...plans.values()], deps.limits);
  if (report.guard.length && !opts.allowMassChange) {
    report.exitCode = 4;
    return finish('refused');
  }

  // 4. Apply, marketplaces in parallel (each one's calls in order, within its own limits).
  const runId = report.runId!;
  await Promise.all(
    report.marketplaces.map(async (mr) => {
      const p = plans.get(mr.marketplace);
      if (!p) return;
      if (p.items.length) deps.onStage?.({ stage: 'sending', marketplace: mr.marketplace });
      const adapter = adapters.get(mr.marketplace)!;
      let { summary, items } = await applyMarketplace({ store, runId, now: deps.now }, adapter, p);
      // 5. A stale compare-and-swap (Shopify's changeFromQuantity): the marketplace's quantity moved
      // since it was last known — orders placed there meanwhile. Never overwrite it blindly: pull the
      // orders (they count, reserving stock), recompute the quantity from local state, and send again
      // against the quantity just read (apply recorded it). A few rounds; what is still stale fails.
      for (let round = 0; round < STALE_ROUNDS && !summary.unreachable; round++) {
        const stale = items.filter((i) => i.state === 'failed' && i.code === STALE);
        if (!stale.length) break;
        try {
          const pulled = await connections.pullOrders(adapter, { channels: mr.channels, defaultSince: deps.ordersSince, connectedAt: accounts.find((a) => a.marketplace === mr.marketplace)!.createdAt, now: deps.now });
          mr.orders = addPull(mr.orders, pulled);
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
          break;
        }
        const keys = new Set(stale.map((i) => `${i.channel}/${i.sku}`));
        const again = planMarketplace(store, mr.marketplace, mr.channels, opts.only, adapter, rules);
        again.items = again.items.filter((i) => keys.has(i.change.key));
        again.skipped = again.skipped.filter((i) => keys.has(`${i.channel}/${i.sku}`));
        again.calls = adapter.planCalls(again.items.map((i) => i.change));
        const next = await applyMarketplace({ store, runId, now: deps.now }, adapter, again);
        const replaced = new Map(next.items.map((i) => [`${i.channel}/${i.sku}`, i]));
        items = items.map((i) => {
          const n = replaced.get(`${i.channel}/${i.sku}`);
          if (!n) return i;
          // Nothing left to send: after counting the new orders, the marketplace already holds what local stock calls for.
          if (n.state === 'skipped') return { ...i, state: 'acked' as const, confirmedByReadBack: true, code: undefined, message: undefined, note: `${mr.marketplace} already held the right quantity once the orders placed meanwhile were counted` };
          return { ...n, kinds: i.kinds, old: i.old, attempts: i.attempts + n.attempts };
        });
        summary = {
          ...summary,
          sent: summary.sent + next.summary.sent,
          requests: summary.requests + next.summary.requests,
          skipped: summary.skipped,
          acked: items.filter((i) => i.state === 'acked').length,
          failed: items.filter((i) => i.state === 'failed' || i.state === 'unconfirmed').length,
          ...(next.summary.unreachable ? { unreachable: next.summary.unreachable } : {}),
        };
      }
      // REQUESTS counts every call of the run, the order pull included.
      mr.summary = { ...summary, requests: summary.requests + (pullRequests.get(mr.marketplace) ?? 0) };
      if (p.items.length) deps.onStage?.({ stage: 'sent', marketplace: mr.marketplace });
      report.items.push(...items);
    }),
  );
  for (const mr of report.marketplaces) {
    mr.summary ??= { marketplace: mr.marketplace, sent: 0, acked: 0, failed: 0, skipped: 0, requests: pullRequests.get(mr.marketplace) ?? 0 };
  }
  // 4b. Stock Amazon holds for the seller (FBA), into read-only fba-… locations. It changes no quantity
  // sent (FBA listings offer Amazon's stock by themselves); read after the pushes, which learn which
  // listings Amazon fulfils.
  for (const mr of report.marketplaces) {
    const adapter = adapters.get(mr.marketplace)!;
    const stockPort = connections.stock(() => new Date(deps.now()));
    if (mr.summary?.unreachable || !opts.only.has('inventory') || !syncReadsFba(adapter, stockPort, mr.channels)) continue;
    try {
      mr.stockRead = { ...mr.stockRead, ...(await readMarketplaceStock(adapter, stockPort, mr.channels, { command: 'sync', shopLocations: 'never', fba: 'known' })) };
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      // The FBA figures stay as last read.
      mr.stockRead = { ...mr.stockRead, error: e.message };
    }
  }

  // 5. Shipment confirmations that are due: a label bought while a marketplace was down is confirmed now.
  if (opts.only.has('orders')) {
    report.confirmations = await sendConfirmations(
      {
        confirmations: connections.confirmations(),
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
