// After the purchase: the label file, tracking, the list, and voiding (refund of an unused label).

import { NotConfiguredError, NotFoundError, UsageError } from '../../core/errors.js';
import type { CarrierPort, RemoteShipment, Tracking } from '../../ports/carrier.js';
import type { Repositories } from '../../ports/repositories.js';
import type { ShipmentRow } from '../../ports/shipments.js';
import { knownPurchase, labelCost, saveLabel } from './book.js';

/** The shipments ledger: all these read and write locally. */
type Ledger = Pick<Repositories, 'shipments'>;

export function mustFind(store: Ledger, ref: string): ShipmentRow {
  const row = store.shipments.find(ref);
  if (!row) {
    throw new NotFoundError(`no shipment ${JSON.stringify(ref)} (give its reference, tracking code or id)`, { hints: ['`merchant ship list` shows them'] });
  }
  return row;
}

export async function remoteOf(carrier: CarrierPort, row: ShipmentRow): Promise<RemoteShipment> {
  if (!row.remoteShipmentId) throw new UsageError(`${row.reference} has no carrier shipment yet (state ${row.state}); run \`merchant ship book\``);
  return carrier.getShipment(row.remoteShipmentId, knownPurchase(row));
}

export async function labelFor(deps: { store: Ledger; carrier: CarrierPort; labelsDir: string; now: () => string }, row: ShipmentRow): Promise<ShipmentRow> {
  if (row.state !== 'purchased' && row.state !== 'voided') throw new UsageError(`${row.reference} has no label (state ${row.state})`, { hints: [`book it: merchant ship book … --cheapest`] });
  return saveLabel(deps, row);
}

export async function trackShipment(deps: { store: Ledger; carrier: CarrierPort; now: () => string }, row: ShipmentRow): Promise<Tracking & { reference: string }> {
  if (row.state !== 'purchased') throw new UsageError(`${row.reference} has no label to track (state ${row.state})`);
  const remote = await remoteOf(deps.carrier, row);
  const t = await deps.carrier.track(remote);
  deps.store.shipments.update(row.id, { trackingStatus: t.status }, deps.now());
  return { reference: row.reference, ...t };
}

export interface ShipmentView {
  reference: string;
  state: string;
  order?: number;
  carrier?: string;
  service?: string;
  trackingCode?: string;
  trackingStatus?: string;
  /** What the label cost: {"amount": "14.60", "currency": "USD"}. */
  cost?: { amount: string; currency: string };
  labelPath?: string;
  to?: string;
  createdAt: string;
  voidStatus?: string;
  error?: string;
}

export function view(row: ShipmentRow): ShipmentView {
  let to: string | undefined;
  try {
    const t = row.toJson ? (JSON.parse(row.toJson) as { city?: string; country?: string; name?: string }) : undefined;
    to = t ? [t.name, t.city, t.country].filter(Boolean).join(', ') : undefined;
  } catch {
    to = undefined;
  }
  return {
    reference: row.reference,
    state: row.state,
    ...(row.orderId !== undefined ? { order: row.orderId } : {}),
    ...(row.carrier ? { carrier: row.carrier } : {}),
    ...(row.service ? { service: row.service } : {}),
    ...(row.trackingCode ? { trackingCode: row.trackingCode } : {}),
    ...(row.trackingStatus ? { trackingStatus: row.trackingStatus } : {}),
    ...labelCost(row),
    ...(row.labelPath ? { labelPath: row.labelPath } : {}),
    ...(to ? { to } : {}),
    createdAt: row.createdAt,
    ...(row.voidStatus ? { voidStatus: row.voidStatus } : {}),
    ...(row.errorMessage ? { error: row.errorMessage } : {}),
  };
}

export async function voidShipment(deps: { store: Ledger; carrier: CarrierPort; now: () => string }, row: ShipmentRow): Promise<ShipmentView> {
  if (row.state === 'voided') return view(row);
  if (row.state === 'planned' || row.state === 'failed') {
    // Nothing was bought: close the ledger row so a new booking starts fresh.
    return view(deps.store.shipments.update(row.id, { state: 'voided', voidStatus: 'not purchased' }, deps.now()));
  }
  const remote = await remoteOf(deps.carrier, row);
  if (!remote.purchased) return view(deps.store.shipments.update(row.id, { state: 'voided', voidStatus: 'not purchased' }, deps.now()));
  if (row.carrierAccount !== deps.carrier.name) throw new NotConfiguredError(`${row.reference} was booked with ${row.carrierAccount}`);
  const r = remote.refundStatus ? { status: remote.refundStatus } : await deps.carrier.void(remote);
  return view(deps.store.shipments.update(row.id, { state: 'voided', voidStatus: r.status }, deps.now()));
}
