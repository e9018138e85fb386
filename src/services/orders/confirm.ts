// Shipment confirmations through their outbox (issue #21): a parcel is recorded before anything is sent;
// 'sent' is committed before the request; the marketplace's answer acknowledges it (or refuses it, for
// good); an answer that never came is settled by reading the order's fulfilments back, never by sending
// again. So a confirmation reaches the marketplace exactly once, whatever is killed or lost on the way.
// `ship book` calls this right after a purchase, `sync` and `orders ship` for whatever is due.

import { RemoteError } from '../../core/errors.js';
import type { ConfirmationRecord, ConfirmationStore } from '../../ports/confirmations.js';
import type { ConfirmOutcome, RemoteFulfilment, ShipmentConfirmationIn, ShipmentConfirmer } from '../../ports/marketplace.js';
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

/** Send (or settle) every due confirmation matching the filter. Never throws for one marketplace's failure. */
export async function sendConfirmations(deps: ConfirmDeps, filter: { orderId?: number; marketplace?: string; ids?: number[] } = {}): Promise<ConfirmResult[]> {
  const out: ConfirmResult[] = [];
  for (const c of deps.confirmations.due(filter)) {
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
