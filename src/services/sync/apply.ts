// Applying a marketplace plan, crash-safe. Every item's outbox rows go pending → sent (committed, with
// the exact values, before the request leaves) → acknowledged (right after the answer: the listing's
// acknowledged values recorded and the rows deleted, one transaction) or failed (with the API's error
// code). Rows left 'sent' by a killed run, and writes whose answer was lost (ambiguous), are read back
// from the marketplace: if the values are there they are acknowledged without sending again; otherwise
// they are re-sent. Acknowledged rows are gone, so nothing is sent twice after an acknowledgement, and
// nothing piles up (the sync log and runs keep the history).

import type { ItemOutcome, ListingChange, MarketplacePort, QueuedBatch, RemoteListing } from '../../ports/marketplace.js';
import type { SyncRepos } from '../../ports/sync.js';
import { parseAmount } from '../../core/money.js';
import { HttpError } from '../../core/http-error.js';
import { formatAmount } from '../../core/money.js';
import type { MarketplaceName } from '../../core/channels.js';
import type { MarketplacePlan, PlanItem, ValueSet } from './plan.js';

/** queued: accepted by the marketplace into a batch it has not processed yet (Amazon feed); a later run confirms it. */
export type ItemState = 'acked' | 'failed' | 'skipped' | 'unconfirmed' | 'queued';

export interface ItemResult {
  marketplace: MarketplaceName;
  channel: string;
  sku: string;
  kinds: string[];
  old: ValueSet;
  new: ValueSet;
  state: ItemState;
  /** Acknowledged by reading the marketplace back (the earlier write had landed), not by sending. */
  confirmedByReadBack?: boolean;
  attempts: number;
  code?: string;
  message?: string;
  note?: string;
}

export interface MarketplaceSummary {
  marketplace: MarketplaceName;
  sent: number;
  acked: number;
  failed: number;
  skipped: number;
  /** Accepted into a batch the marketplace is still processing (checked by the next run). */
  queued?: number;
  /** HTTP requests this run made to the marketplace. */
  requests: number;
  /** Set when the marketplace could not be reached or rejected the credentials (with the adapter's own next steps). */
  unreachable?: { code: string; message: string; hints?: string[] };
}

export interface ApplyContext {
  store: SyncRepos;
  runId: number;
  now: () => string;
  /** Rounds of read-back-and-resend for ambiguous writes within one run. */
  maxRounds?: number;
}

const READBACK_SLICE = 25;
const TRANSIENT = /^(TIMEOUT|NETWORK|THROTTLED|HTTP_5\d\d|QuotaExceeded|2001|25001|InternalFailure|THROTTLED)$/;

/** The request an item makes, as recorded in outbox.sent_json: its values and the quantity it compares against. */
function valuesSent(c: ListingChange): string {
  return JSON.stringify({
    ...(c.price ? { price: formatAmount(c.price), currency: c.price.currency } : {}),
    ...(c.quantity !== undefined ? { quantity: c.quantity } : {}),
    ...(c.status ? { status: c.status } : {}),
    ...((c.quantity !== undefined || c.status) && c.previousQuantity !== undefined && c.previousQuantity !== null ? { changeFrom: c.previousQuantity } : {}),
  });
}

/**
 * The attempt an item's request belongs to (ListingChange.attemptKey): the previous attempt's key when
 * this is the very same request repeated after its answer was lost (rows still 'sent' or ambiguous,
 * same sent_json); otherwise a new attempt, named by the outbox rows and the attempt number — never by
 * the content, so a later change with the same values is not taken for a repeat.
 */
export function attemptKeyFor(store: Pick<SyncRepos, 'sync'>, item: PlanItem, instance: string): string {
  if (!item.outboxIds.length) throw new Error(`internal: ${item.change.key} has no outbox rows (claimPlannedState must run before sending)`);
  const rows = store.sync.outboxAttempts(item.outboxIds);
  const prior = rows[0]?.attemptKey;
  const lost = rows.some((r) => r.state === 'sent' || r.ambiguous);
  const same = rows.length > 0 && rows.every((r) => r.attemptKey === prior && r.sentJson === valuesSent(item.change));
  if (prior && lost && same) return prior;
  const n = Math.max(0, ...rows.map((r) => r.attempts)) + 1;
  return `${instance}:${[...item.outboxIds].sort((a, b) => a - b).join('.')}:${n}`;
}

/**
 * Planned items whose pending work is the listing's state (PlanItem.wanted) get their outbox rows —
 * the in-flight marker that attempt keys, 'sent', acknowledgements and read-back work on — in one
 * transaction with clearing the bits they came from. Apply calls it before anything is sent.
 */
export function claimPlannedState(store: SyncRepos, items: readonly PlanItem[], at: string): void {
  const fromState = items.filter((i) => i.wanted);
  if (!fromState.length) return;
  store.tx(() => {
    for (const i of fromState) {
      const w = i.wanted!;
      i.outboxIds = [...i.outboxIds, ...store.sync.materializeForSend({ listingId: w.listingId, channel: i.channel, marketplace: i.marketplace, sku: i.sku, bits: w.bits, seq: w.seq }, at)];
      delete i.wanted;
    }
  });
}

/** Does the marketplace hold what we meant to write? */
export function matchesRemote(c: ListingChange, r: RemoteListing | undefined): boolean {
  if (!r || !r.found) return false;
  if (c.price && (!r.price || r.price.minor !== c.price.minor || r.price.currency !== c.price.currency)) return false;
  if (c.quantity !== undefined && r.quantity !== c.quantity) return false;
  return true;
}

export async function applyMarketplace(ax: ApplyContext, adapter: MarketplacePort, plan: MarketplacePlan): Promise<{ summary: MarketplaceSummary; items: ItemResult[] }> {
  const { store } = ax;
  const sync = store.sync;
  const startRequests = adapter.requestCount();
  const byKey = new Map<string, PlanItem>(plan.items.map((i) => [i.change.key, i]));
  const results = new Map<string, ItemResult>();
  const attempts = new Map<string, number>();
  const sentThisRun = new Set<string>();
  const summary: MarketplaceSummary = { marketplace: plan.marketplace, sent: 0, acked: 0, failed: 0, skipped: plan.skipped.length, requests: 0 };

  const ids = (keys: readonly string[]) => keys.flatMap((k) => byKey.get(k)?.outboxIds ?? []);

  // Skipped rows: nothing to send. Skipped listing state: its planned bits are cleared (unless a newer
  // change arrived since the plan read them).
  if (plan.skipped.length) {
    const skippedIds = plan.skipped.flatMap((s) => s.outboxIds);
    store.tx(() => {
      sync.dropSkippedOutboxRows(skippedIds);
      for (const s of plan.skipped) if (s.wanted) sync.clearSyncWanted(s.wanted.listingId, s.wanted.bits, s.wanted.seq);
    });
  }

  // Listings whose pending work is state: what this run is about to send becomes outbox rows (the
  // in-flight marker every later step — attempt keys, 'sent', acks, read-back — works on), in one
  // transaction with clearing the bits. A kill before it leaves the bits; after it, the rows.
  claimPlannedState(store, plan.items, ax.now());

  const markSent = (keys: readonly string[]) => {
    store.tx(() => {
      const at = ax.now();
      const sends = [];
      for (const k of keys) {
        const item = byKey.get(k);
        if (!item) continue;
        sends.push({ ids: item.outboxIds, sentJson: valuesSent(item.change), attemptKey: item.change.attemptKey ?? null });
        attempts.set(k, (attempts.get(k) ?? 0) + 1);
        sentThisRun.add(k);
      }
      sync.markOutboxSent(sends, ax.runId, at);
    });
  };

  const ack = (item: PlanItem, remoteRef: string | undefined, note: string | undefined, byReadBack: boolean, notSent: ReadonlyArray<'quantity'> = []) => {
    const at = ax.now();
    const c = { ...item.change };
    // Done: the item's rows go (the listing's acked_* columns below keep what the marketplace holds).
    sync.settleAcknowledged(item.outboxIds, { channel: c.channel, sku: c.sku });
    if (notSent.includes('quantity') && c.quantity !== undefined) {
      // Deliberately not sent (the marketplace fulfils this listing): nothing was acknowledged for stock.
      delete c.quantity;
    }
    sync.setListingAcknowledged(c.channel, c.sku, { ...(c.price ? { priceMinor: c.price.minor } : {}), ...(c.quantity !== undefined ? { quantity: c.quantity } : {}), ...(c.status ? { status: c.status } : {}) }, remoteRef ?? null, at);
    results.set(c.key, { ...base(item), state: 'acked', attempts: attempts.get(c.key) ?? 0, note, ...(byReadBack ? { confirmedByReadBack: true } : {}) });
  };

  /** Some parts of an item landed: acknowledge those (listing values and their outbox rows) and narrow the change to the rest. */
  const ackParts = (item: PlanItem, parts: ReadonlyArray<'price' | 'quantity'>) => {
    if (!parts.length) return;
    const at = ax.now();
    const c = item.change;
    const kinds: string[] = [];
    if (parts.includes('price') && c.price) {
      sync.setListingAckedPrice(c.channel, c.sku, c.price.minor, at);
      kinds.push('price');
      delete c.price;
    }
    if (parts.includes('quantity') && c.quantity !== undefined && !c.status) {
      sync.setListingAckedQuantity(c.channel, c.sku, c.quantity, at);
      c.previousQuantity = c.quantity;
      kinds.push('inventory');
      delete c.quantity;
    }
    if (!kinds.length) return;
    const done = sync.outboxIdsOfKinds(item.outboxIds, kinds);
    sync.settleLandedRows(done);
    item.outboxIds = item.outboxIds.filter((id) => !done.includes(id));
  };

  const record = (outcomes: readonly ItemOutcome[]) => {
    store.tx(() => {
      const at = ax.now();
      for (const o of outcomes) {
        const item = byKey.get(o.key);
        if (!item) continue;
        if (o.learned) sync.rememberListingFacts(o.channel, o.sku, o.learned, at);
        if (o.ok) {
          ack(item, o.remoteRef, o.note, false, o.notSent);
          continue;
        }
        if (o.queued) {
          // Accepted, not processed yet: the rows stay 'sent' and the batch was recorded (onQueued).
          results.set(o.key, { ...base(item), state: 'queued', attempts: attempts.get(o.key) ?? 0, code: o.code, message: o.message, note: `in ${o.queued.ref}` });
          continue;
        }
        if (o.landed?.length) ackParts(item, o.landed);
        if (o.ambiguous) {
          sync.markOutboxAmbiguous(item.outboxIds, o.code ?? null, o.message ?? null, at);
          results.set(o.key, { ...base(item), state: 'unconfirmed', attempts: attempts.get(o.key) ?? 0, code: o.code, message: o.message });
        } else {
          sync.failOutboxRows(item.outboxIds, o.code ?? null, o.message ?? null, ax.runId, at);
          results.set(o.key, { ...base(item), state: 'failed', attempts: attempts.get(o.key) ?? 0, code: o.code, message: o.message });
        }
        if (o.remoteRef) sync.setListingRemoteId(o.channel, o.sku, o.remoteRef);
        // A stale compare-and-swap: what the marketplace holds now is the quantity to compare against next.
        if (o.remoteQuantity !== undefined) sync.recordRemoteQuantity(o.channel, o.sku, o.remoteQuantity, at);
      }
      const ok = outcomes.filter((o) => o.ok).length;
      sync.logSyncCall({
        runId: ax.runId,
        at,
        service: plan.marketplace,
        operation: 'push',
        items: outcomes.length,
        outcome: ok === outcomes.length ? 'ok' : ok === 0 ? 'failed' : 'partial',
        detail: outcomes.filter((o) => !o.ok).slice(0, 5).map((o) => `${o.sku}: ${o.code ?? ''} ${o.message ?? ''}`.slice(0, 200)).join('; ') || null,
      });
    });
  };

  /** Read back items; acknowledge those already holding our values; return the rest. */
  const reconcile = async (all: PlanItem[]): Promise<PlanItem[]> => {
    if (!all.length) return [];
    // Read back in slices: a slice that cannot be read stays unconfirmed (never re-sent blindly).
    const remote: RemoteListing[] = [];
    const items: PlanItem[] = [];
    for (let s = 0; s < all.length; s += READBACK_SLICE) {
      const slice = all.slice(s, s + READBACK_SLICE);
      try {
        remote.push(...(await adapter.readBack(slice.map((i) => ({ channel: i.channel, sku: i.sku, remoteRef: i.change.remoteRef, remoteSku: i.change.remoteSku })))));
        items.push(...slice);
      } catch (e) {
        if (!(e instanceof HttpError) || e.kind === 'auth') throw e;
        for (const i of slice) {
          results.set(i.change.key, { ...base(i), state: 'unconfirmed', attempts: attempts.get(i.change.key) ?? 0, code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()), message: `could not read back: ${e.message}` });
        }
      }
    }
    const byK = new Map(remote.map((r) => [`${r.channel}/${r.sku}`, r]));
    const rest: PlanItem[] = [];
    store.tx(() => {
      for (const r of remote) if (r.learned) sync.rememberListingFacts(r.channel, r.sku, r.learned, ax.now());
      for (const i of items) {
        const r = byK.get(i.change.key);
        if (matchesRemote(i.change, r)) {
          ack(i, r?.remoteRef, 'confirmed by reading the marketplace back', true);
          continue;
        }
        // Only what is still missing goes out again.
        const parts: Array<'price' | 'quantity'> = [];
        if (r?.found && i.change.price && r.price && r.price.minor === i.change.price.minor && r.price.currency === i.change.price.currency) parts.push('price');
        if (r?.found && i.change.quantity !== undefined && !i.change.status && r.quantity === i.change.quantity) parts.push('quantity');
        ackParts(i, parts);
        // The compare value stays what the lost request carried: the same request goes again under the
        // same idempotency key, so a write that did land is answered from Shopify's memory instead of
        // being applied twice; if the remote moved meanwhile, the compare fails and nothing is overwritten.
        rest.push(i);
      }
    });
    return rest;
  };

  const instance = sync.syncInstanceId();
  const push = async (items: PlanItem[]) => {
    for (const i of items) i.change.attemptKey = attemptKeyFor(store, i, instance);
    const processed = new Set<string>();
    const outcomes = await adapter.push(
      items.map((i) => i.change),
      {
        beforeBatch: (keys) => markSent(keys),
        onQueued: (b: QueuedBatch) => {
          // Committed as soon as the marketplace accepts the batch: a later run checks it, even after a crash.
          store.tx(() =>
            sync.recordQueuedBatch(
              {
                marketplace: plan.marketplace,
                channel: b.channel,
                ref: b.ref,
                // On the clock acknowledgements are stamped with, so a later one can be compared with it.
                submittedAt: ax.now(),
                runId: ax.runId,
                items: b.items.map((i) => {
                  const item = byKey.get(i.key);
                  return { key: i.key, sku: i.sku, outboxIds: item?.outboxIds ?? [], sentJson: item ? valuesSent(item.change) : '{}' };
                }),
              },
              ax.now(),
            ),
          );
        },
        afterBatch: (outs) => {
          record(outs);
          for (const o of outs) processed.add(o.key);
        },
      },
    );
    const rest = outcomes.filter((o) => !processed.has(o.key));
    if (rest.length) record(rest);
  };

  try {
    // 1. Rows a killed run left 'sent': did they land?
    const toReconcile = plan.items.filter((i) => i.reconcile);
    const fresh = plan.items.filter((i) => !i.reconcile);
    const notLanded = await reconcile(toReconcile);
    // 2. Send.
    await push([...fresh, ...notLanded]);
    // 3. Ambiguous answers: read back, re-send what is missing, a few rounds.
    const rounds = ax.maxRounds ?? 3;
    for (let round = 0; round < rounds; round++) {
      const unsure = [...results.values()].filter((r) => r.state === 'unconfirmed').map((r) => byKey.get(`${r.channel}/${r.sku}`)!);
      if (!unsure.length) break;
      const missing = await reconcile(unsure);
      if (!missing.length) break;
      await push(missing);
    }
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    summary.unreachable = { code: e.apiCode ?? (e.status ? `HTTP_${e.status}` : e.kind.toUpperCase()), message: e.message, ...(e.hints.length ? { hints: e.hints } : {}) };
    for (const i of plan.items) {
      if (results.get(i.change.key)?.state === 'acked' || results.get(i.change.key)?.state === 'failed') continue;
      results.set(i.change.key, { ...base(i), state: sentThisRun.has(i.change.key) ? 'unconfirmed' : 'failed', attempts: attempts.get(i.change.key) ?? 0, code: summary.unreachable.code, message: e.message });
      if (!sentThisRun.has(i.change.key)) {
        sync.failUnsentOutboxRows(i.outboxIds, summary.unreachable.code, e.message, ax.runId, ax.now());
      }
    }
  }

  const items: ItemResult[] = plan.items.map((i) => results.get(i.change.key) ?? { ...base(i), state: 'failed', attempts: attempts.get(i.change.key) ?? 0, code: 'NOT_SENT', message: 'no result' });
  for (const s of plan.skipped) items.push({ marketplace: s.marketplace, channel: s.channel, sku: s.sku, kinds: [], old: {}, new: {}, state: 'skipped', attempts: 0, note: s.reason });
  summary.sent = sentThisRun.size;
  summary.acked = items.filter((i) => i.state === 'acked').length;
  summary.queued = items.filter((i) => i.state === 'queued').length;
  summary.failed = items.filter((i) => i.state === 'failed' || i.state === 'unconfirmed').length;
  summary.requests = adapter.requestCount() - startRequests;
  // Every failure transient (network, 5xx, throttled) and nothing acknowledged: the marketplace is unreachable.
  const failures = items.filter((i) => i.state === 'failed' || i.state === 'unconfirmed');
  if (!summary.unreachable && failures.length && summary.acked === 0 && failures.every((f) => TRANSIENT.test(f.code ?? ''))) {
    summary.unreachable = { code: failures[0]!.code ?? 'NETWORK', message: failures[0]!.message ?? 'unreachable' };
  }
  void ids;
  return { summary, items };
}

function base(i: PlanItem): Omit<ItemResult, 'state' | 'attempts'> {
  return { marketplace: i.marketplace, channel: i.channel, sku: i.sku, kinds: i.kinds, old: i.old, new: i.new };
}

export interface QueuedResolution {
  /** Items of batches that finished since the last run (acked, failed or overwritten). */
  items: ItemResult[];
  /** Batches still waiting at the marketplace. */
  stillQueued: number;
  /** Items whose older batch landed after a newer value was acknowledged: queued to be sent again. */
  resent: number;
}

/**
 * Check the batches earlier runs left queued at the marketplace (Amazon feeds) and record what became
 * of their items. A batch processed after a newer value of the same listing was acknowledged (a later
 * PATCH or feed) has overwritten it on the marketplace: the listing's acknowledged values become the
 * batch's (what the marketplace now holds) and a change is queued, so this run's plan sends the newer
 * value again. A batch processed before that acknowledgement changes nothing.
 */
export async function resolveQueuedBatches(ax: ApplyContext, adapter: MarketplacePort): Promise<QueuedResolution> {
  const { store } = ax;
  const res: QueuedResolution = { items: [], stillQueued: 0, resent: 0 };
  const batches = store.sync.pendingBatches(adapter.name);
  if (!batches.length || !adapter.checkQueued) return res;
  const statuses = await adapter.checkQueued(batches.map((b) => ({ ref: b.ref, channel: b.channel, submittedAt: b.submittedAt, items: b.items.map((i) => ({ key: i.key, sku: i.sku })) })));
  for (const st of statuses) {
    const b = batches.find((x) => x.ref === st.ref);
    if (!b) continue;
    if (st.state === 'pending') {
      store.tx(() => store.sync.markBatchChecked(b.id, st.status === 'UNKNOWN' ? (b.status ?? 'IN_QUEUE') : st.status, ax.now()));
      res.stillQueued++;
      continue;
    }
    store.tx(() => {
      const at = ax.now();
      for (const o of st.outcomes ?? []) {
        const it = b.items.find((i) => i.key === o.key);
        if (!it) continue;
        const kinds = [...(it.sent.price !== undefined ? ['price'] : []), ...(it.sent.quantity !== undefined ? ['inventory'] : [])];
        const view: Omit<ItemResult, 'state' | 'attempts'> = { marketplace: adapter.name, channel: it.channel, sku: it.sku, kinds, old: {}, new: { ...it.sent } };
        if (!o.ok && o.code === 'FEED_NOT_FOUND') {
          // The marketplace lost the batch: its items are simply planned and sent again.
          store.sync.requeueSentRows(it.outboxIds, o.message ?? 'feed lost', at);
          store.sync.setBatchItemOutcome(b.id, it.position, 'failed');
          continue;
        }
        if (!o.ok) {
          store.sync.failSentRows(it.outboxIds, { code: o.code, message: o.message, runId: ax.runId }, at);
          store.sync.setBatchItemOutcome(b.id, it.position, 'failed');
          res.items.push({ ...view, state: 'failed', attempts: 1, code: o.code, message: o.message, note: `feed ${b.ref} (queued ${b.submittedAt})` });
          continue;
        }
        store.sync.settleBatchRows(it.outboxIds, { channel: it.channel, sku: it.sku });
        const ackNow = store.sync.listingAcknowledgement(it.channel, it.sku);
        const priceMinor = it.sent.price !== undefined && it.sent.currency ? parseAmount(it.sent.price, it.sent.currency).minor : undefined;
        const newer = ackNow?.ackedAt && ackNow.ackedAt > b.submittedAt;
        // Processed after the newer acknowledgement (or we cannot tell): the older values now stand.
        const landedLater = newer && (!st.processedAt || st.processedAt >= ackNow!.ackedAt!);
        if (newer && !landedLater) {
          store.sync.setBatchItemOutcome(b.id, it.position, 'acked');
          res.items.push({ ...view, state: 'acked', attempts: 1, note: `feed ${b.ref} landed before a newer value, which stands` });
          continue;
        }
        const differs = landedLater && ((priceMinor !== undefined && ackNow!.priceMinor !== priceMinor) || (it.sent.quantity !== undefined && ackNow!.quantity !== it.sent.quantity));
        store.sync.setAcknowledgedValues(it.channel, it.sku, { priceMinor, quantity: it.sent.quantity }, landedLater ? ackNow!.ackedAt! : at, at);
        if (differs) {
          // The marketplace holds the older values now: send the current ones again in this run.
          // Like every other change: the listing's state wants those kinds again (no outbox row).
          for (const kind of kinds) store.sync.markSyncWanted(it.channel, it.sku, kind as 'price' | 'inventory', at);
          store.sync.setBatchItemOutcome(b.id, it.position, 'overwritten');
          res.resent++;
          res.items.push({ ...view, state: 'acked', attempts: 1, note: `feed ${b.ref} landed after a newer value and overwrote it; the newer value is sent again` });
          continue;
        }
        store.sync.setBatchItemOutcome(b.id, it.position, 'acked');
        res.items.push({ ...view, state: 'acked', attempts: 1, note: `feed ${b.ref} (queued ${b.submittedAt}) processed` });
      }
      store.sync.finishBatch(b.id, st.status, st.processedAt ?? null, at);
      store.sync.logSyncCall({ runId: ax.runId, at, service: adapter.name, operation: 'check queued batch', items: (st.outcomes ?? []).length, outcome: (st.outcomes ?? []).every((o) => o.ok) ? 'ok' : 'partial', detail: `${b.ref} ${st.status}` });
    });
  }
  return res;
}
