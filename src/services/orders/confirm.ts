// Shipment confirmations through their outbox (issue #21): a parcel is recorded before anything is sent;
// 'sent' is committed before the request; the marketplace's answer acknowledges it (or refuses it, for
// good); an answer that never came is settled by reading the order's fulfilments back, never by sending
// again. So a confirmation reaches the marketplace exactly once, whatever is killed or lost on the way.
// `ship book` calls this right after a purchase, `sync` and `orders ship` for whatever is due.
//
// Many at once (Amazon's order-fulfillment feed): when more than the confirmer's threshold of pending
// parcels share a feed group (Amazon: a region), they go as ONE feed. Every row is 'sent' (marked as in a
// feed) before the feed is created; the feed id is committed as soon as createFeed answers; the feed's
// processing report then acks or fails each row by its message. A run killed or cut off after that reads
// the feed back (getFeed + report) instead of sending anything again; a row whose feed id never got
// recorded is read back from its order, like a lost single confirmation.

import { RemoteError } from '../../core/errors.js';
import type { ConfirmationRecord, ConfirmationStore } from '../../ports/confirmations.js';
import type { ConfirmationFeedStatus, ConfirmOutcome, RemoteFulfilment, ShipmentConfirmationIn, ShipmentConfirmer } from '../../ports/marketplace.js';
import { crashPoint } from '../crashpoint.js';

export interface ConfirmDeps {
  confirmations: ConfirmationStore;
  /** The marketplace's confirmer, or undefined when it is not connected. Throws NotConfiguredError-like errors only for bad setup. */
  confirmerFor: (marketplace: string) => ShipmentConfirmer | undefined;
  now: () => string;
}

export type ConfirmResultState = 'acked' | 'failed' | 'pending' | 'sent';

export interface ConfirmResult {
  id: number;
  orderId: number;
  marketplace: string;
  externalOrderId: string;
  tracking: string;
  state: ConfirmResultState;
  /** Settled by reading the marketplace back (a lost answer or an earlier killed run). */
  readBack: boolean;
  remoteId?: string;
  message?: string;
  /** The order's marketplace is not connected: nothing was attempted. */
  notConnected?: boolean;
  /** Sent in this order-fulfillment feed (Amazon) rather than on its own. */
  feedId?: string;
}

function inputOf(c: ConfirmationRecord): ShipmentConfirmationIn {
  return {
    key: String(c.id),
    channel: c.channel,
    externalOrderId: c.externalOrderId,
    carrier: c.carrier,
    service: c.service,
    tracking: c.tracking,
    shipDate: c.shipDate,
    lines: c.lines,
    notifyCustomer: c.notifyCustomer,
  };
}

/** The remote fulfilment that is this confirmation: same tracking (or our key), covering its lines. */
export function matchFulfilment(c: ConfirmationRecord, remote: readonly RemoteFulfilment[]): RemoteFulfilment | undefined {
  return remote.find((f) => (f.key !== undefined && f.key === String(c.id)) || (f.tracking !== null && f.tracking === c.tracking && c.lines.every((l) => f.lines.some((x) => x.externalLineId === l.externalLineId))));
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const ambiguousError = (e: unknown) => (e as { ambiguous?: boolean } | null)?.ambiguous === true;

async function readBack(confirmer: ShipmentConfirmer, c: ConfirmationRecord): Promise<RemoteFulfilment | undefined> {
  return matchFulfilment(c, await confirmer.fulfilmentsOf(c.channel, c.externalOrderId));
}

const baseOf = (c: ConfirmationRecord) => ({ id: c.id, orderId: c.orderId, marketplace: c.marketplace, externalOrderId: c.externalOrderId, tracking: c.tracking });

/** A feed's answer applied to its rows. 'void' (cancelled, unknown to Amazon) returns the rows to send again. */
function settleFeed(deps: ConfirmDeps, rows: readonly ConfirmationRecord[], feedId: string, st: ConfirmationFeedStatus, readBackRun: boolean, out: ConfirmResult[]): ConfirmationRecord[] {
  if (st.state === 'processing') {
    for (const c of rows) out.push({ ...baseOf(c), state: 'sent', readBack: readBackRun, feedId, message: `order-fulfillment feed ${feedId} is still being processed by ${c.marketplace} (${st.status}); the next run reads it back` });
    return [];
  }
  if (st.state === 'void') return [...rows];
  for (const c of rows) {
    const o = st.outcomes.find((x) => x.key === String(c.id));
    if (o?.ok) {
      deps.confirmations.markAcked(c.id, feedId, deps.now());
      out.push({ ...baseOf(c), state: 'acked', readBack: readBackRun, remoteId: feedId, feedId });
    } else {
      const code = o?.code ?? 'FEED_NO_RESULT';
      const message = o?.message ?? `feed ${feedId} gave no result for this message`;
      deps.confirmations.markFailed(c.id, code, message, deps.now());
      out.push({ ...baseOf(c), state: 'failed', readBack: readBackRun, feedId, message: `${code}: ${message}` });
    }
  }
  return [];
}

/** Rows sent as one feed: 'sent' before the feed exists, its id committed as soon as it does, then its report. */
async function sendFeed(deps: ConfirmDeps, confirmer: ShipmentConfirmer, group: string, rows: readonly ConfirmationRecord[], out: ConfirmResult[]): Promise<void> {
  const inputs = rows.map(inputOf);
  rows.forEach((c, i) => deps.confirmations.markSent(c.id, { ...inputs[i], via: 'feed' }, deps.now()));
  crashPoint('confirm.before-feed');
  let feedId: string;
  try {
    feedId = await confirmer.submitConfirmationFeed!(group, inputs);
  } catch (e) {
    if (!(e instanceof RemoteError)) throw e;
    if (ambiguousError(e)) {
      // createFeed may have landed: the rows stay 'sent' and the next run reads their orders back first.
      for (const c of rows) out.push({ ...baseOf(c), state: 'sent', readBack: false, message: `no answer while creating the order-fulfillment feed (${errText(e)}); the next run reads the orders back before sending again` });
    } else {
      for (const c of rows) {
        deps.confirmations.markPending(c.id, errText(e), deps.now());
        out.push({ ...baseOf(c), state: 'pending', readBack: false, message: errText(e) });
      }
    }
    return;
  }
  deps.confirmations.markFeed(rows.map((c) => c.id), feedId, deps.now());
  crashPoint('confirm.after-feed');
  let st: ConfirmationFeedStatus;
  try {
    st = await confirmer.confirmationFeedStatus!(group, feedId, inputs.map((x) => x.key), true);
  } catch (e) {
    if (!(e instanceof RemoteError)) throw e;
    for (const c of rows) out.push({ ...baseOf(c), state: 'sent', readBack: false, feedId, message: `order-fulfillment feed ${feedId} was created; reading its result failed (${errText(e)}); the next run reads it back` });
    return;
  }
  const again = settleFeed(deps, rows, feedId, st, false, out);
  for (const c of again) {
    deps.confirmations.markPending(c.id, `order-fulfillment feed ${feedId} ended ${st.status}`, deps.now());
    out.push({ ...baseOf(c), state: 'pending', readBack: false, feedId, message: `order-fulfillment feed ${feedId} ended ${st.status}; sent again by the next run` });
  }
}

const feedCapable = (x: ShipmentConfirmer | undefined): x is ShipmentConfirmer & Required<Pick<ShipmentConfirmer, 'confirmationFeedGroup' | 'submitConfirmationFeed' | 'confirmationFeedStatus'>> =>
  Boolean(x?.confirmationFeedGroup && x.submitConfirmationFeed && x.confirmationFeedStatus);

/** Send (or settle) every due confirmation matching the filter. Never throws for one marketplace's failure. */
export async function sendConfirmations(deps: ConfirmDeps, filter: { orderId?: number; marketplace?: string; ids?: number[] } = {}): Promise<ConfirmResult[]> {
  const out: ConfirmResult[] = [];
  let due = deps.confirmations.due(filter);
  const done = new Set<number>();

  // 1. Rows sent in a feed whose id we hold: one read-back of each feed settles them all.
  const byFeed = new Map<string, ConfirmationRecord[]>();
  for (const c of due) if (c.state === 'sent' && c.feedId) byFeed.set(`${c.marketplace}\u0000${c.feedId}`, [...(byFeed.get(`${c.marketplace}\u0000${c.feedId}`) ?? []), c]);
  for (const rows of byFeed.values()) {
    const confirmer = deps.confirmerFor(rows[0]!.marketplace);
    const group = feedCapable(confirmer) ? confirmer.confirmationFeedGroup(rows[0]!.channel) : undefined;
    if (!feedCapable(confirmer) || !group) continue; // not connected: reported by the per-row loop
    const feedId = rows[0]!.feedId!;
    rows.forEach((c) => done.add(c.id));
    let st: ConfirmationFeedStatus;
    try {
      st = await confirmer.confirmationFeedStatus(group, feedId, rows.map((c) => String(c.id)), true);
    } catch (e) {
      if (!(e instanceof RemoteError)) throw e;
      for (const c of rows) out.push({ ...baseOf(c), state: 'sent', readBack: false, feedId, message: `reading order-fulfillment feed ${feedId} back failed (${errText(e)}); the next run tries again` });
      continue;
    }
    // A feed Amazon cancelled or no longer knows applied nothing: its rows are sent again below.
    for (const c of settleFeed(deps, rows, feedId, st, true, out)) {
      deps.confirmations.markPending(c.id, `order-fulfillment feed ${feedId} ended ${st.status}`, deps.now());
      done.delete(c.id);
    }
  }
  if (byFeed.size) due = deps.confirmations.due(filter).filter((c) => !done.has(c.id));

  // 1b. Rows sent in a feed whose id never came back (killed before or during createFeed, or no answer):
  // read back from their order; while a confirmation feed of their group is still open it may be theirs,
  // so they wait; otherwise nothing landed and they are pending again, to go in this run's feed.
  const openFeeds = new Map<string, number>();
  let requeued = false;
  for (const c of due) {
    if (c.state !== 'sent' || !c.viaFeed || c.feedId) continue;
    const confirmer = deps.confirmerFor(c.marketplace);
    const group = feedCapable(confirmer) ? confirmer.confirmationFeedGroup(c.channel) : undefined;
    if (!feedCapable(confirmer) || !group || !confirmer.openConfirmationFeeds) continue; // the per-row loop settles it
    try {
      const found = await readBack(confirmer, c);
      if (found) {
        deps.confirmations.markAcked(c.id, found.remoteId, deps.now());
        out.push({ ...baseOf(c), state: 'acked', readBack: true, remoteId: found.remoteId });
        done.add(c.id);
        continue;
      }
      const key = `${c.marketplace}\u0000${group}`;
      if (!openFeeds.has(key)) openFeeds.set(key, await confirmer.openConfirmationFeeds(group));
      if (openFeeds.get(key)! > 0) {
        out.push({ ...baseOf(c), state: 'sent', readBack: false, message: `sent in an order-fulfillment feed whose id was never received, and ${c.marketplace} is still processing ${openFeeds.get(key)} such feed(s); the next run reads the order back before sending again` });
        done.add(c.id);
        continue;
      }
      deps.confirmations.markPending(c.id, 'not found on the marketplace after a feed that was never created; sent again', deps.now());
      requeued = true;
    } catch (e) {
      if (!(e instanceof RemoteError)) throw e;
      out.push({ ...baseOf(c), state: 'sent', readBack: false, message: errText(e) });
      done.add(c.id);
    }
  }
  if (requeued) due = deps.confirmations.due(filter).filter((c) => !done.has(c.id));

  // 2. Pending rows of one feed group above the confirmer's threshold: one feed.
  const groups = new Map<string, { confirmer: ShipmentConfirmer; group: string; rows: ConfirmationRecord[] }>();
  for (const c of due) {
    if (c.state !== 'pending' || done.has(c.id)) continue;
    const confirmer = deps.confirmerFor(c.marketplace);
    if (!feedCapable(confirmer)) continue;
    const group = confirmer.confirmationFeedGroup(c.channel);
    if (!group) continue;
    const k = `${c.marketplace}\u0000${group}`;
    const g = groups.get(k) ?? { confirmer, group, rows: [] };
    g.rows.push(c);
    groups.set(k, g);
  }
  for (const g of groups.values()) {
    if (g.rows.length <= (g.confirmer.confirmationFeedThreshold?.() ?? Infinity)) continue;
    g.rows.forEach((c) => done.add(c.id));
    await sendFeed(deps, g.confirmer, g.group, g.rows, out);
  }

  // 3. The rest one at a time.
  for (const c of due) {
    if (done.has(c.id)) continue;
    const base = { id: c.id, orderId: c.orderId, marketplace: c.marketplace, externalOrderId: c.externalOrderId, tracking: c.tracking };
    const confirmer = deps.confirmerFor(c.marketplace);
    if (!confirmer) {
      out.push({ ...base, state: c.state === 'sent' ? 'sent' : 'pending', readBack: false, notConnected: true, message: `${c.marketplace} is not connected: run \`merchant marketplace connect ${c.marketplace}\`` });
      continue;
    }
    try {
      // 1. An earlier attempt may have landed (killed run, lost answer): ask before sending again.
      if (c.state === 'sent') {
        const found = await readBack(confirmer, c);
        if (found) {
          deps.confirmations.markAcked(c.id, found.remoteId, deps.now());
          out.push({ ...base, state: 'acked', readBack: true, remoteId: found.remoteId });
          continue;
        }
      }
      // 2. 'sent' is durable before the request.
      const input = inputOf(c);
      deps.confirmations.markSent(c.id, { ...input }, deps.now());
      crashPoint('confirm.before-send');
      let outcome: ConfirmOutcome;
      try {
        outcome = await confirmer.confirmShipment(input);
      } catch (e) {
        if (!ambiguousError(e)) {
          // Nothing reached the marketplace (refused connection, auth) or it refused with a status: see below.
          const status = (e as RemoteError).status;
          if (e instanceof RemoteError && status !== undefined && status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status)) {
            outcome = { ok: false, code: e.apiCode ?? `HTTP_${status}`, message: (e as { apiMessage?: string }).apiMessage ?? e.message };
          } else {
            deps.confirmations.markPending(c.id, errText(e), deps.now());
            out.push({ ...base, state: 'pending', readBack: false, message: errText(e) });
            continue;
          }
        } else outcome = { ok: false, ambiguous: true, message: errText(e) };
      }
      crashPoint('confirm.after-send');
      if (outcome.ok) {
        deps.confirmations.markAcked(c.id, outcome.remoteId ?? null, deps.now());
        out.push({ ...base, state: 'acked', readBack: false, ...(outcome.remoteId ? { remoteId: outcome.remoteId } : {}) });
        continue;
      }
      if (outcome.ambiguous) {
        // 3. No answer: read back now; if it is not there the row stays 'sent' and the next run asks again.
        const found = await readBack(confirmer, { ...c, state: 'sent' }).catch(() => undefined);
        if (found) {
          deps.confirmations.markAcked(c.id, found.remoteId, deps.now());
          out.push({ ...base, state: 'acked', readBack: true, remoteId: found.remoteId });
        } else out.push({ ...base, state: 'sent', readBack: false, message: `no answer from ${c.marketplace} (${outcome.message ?? 'lost'}); the next run reads it back before sending again` });
        continue;
      }
      deps.confirmations.markFailed(c.id, outcome.code ?? 'REFUSED', outcome.message ?? 'refused', deps.now());
      out.push({ ...base, state: 'failed', readBack: false, message: `${outcome.code ?? 'refused'}: ${outcome.message ?? ''}`.trim() });
    } catch (e) {
      // The read-back itself failed (marketplace down): the row keeps its state for the next run.
      if (!(e instanceof RemoteError)) throw e;
      out.push({ ...base, state: c.state === 'sent' ? 'sent' : 'pending', readBack: false, message: errText(e) });
    }
  }
  return out;
}
