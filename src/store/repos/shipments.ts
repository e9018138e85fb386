// The shipments ledger (0006): one row per intended label, written and committed BEFORE any purchase
// call, so a crash or a lost answer leaves a row that says "a label may exist — ask the carrier".

import { PreparedOnce } from './prepared.js';
import { big, num } from '../db.js';
import type { NewShipment, ShipmentRow, ShipmentState, ShipmentsRepo } from '../../ports/shipments.js';

type Raw = Record<string, unknown>;
const o = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function fromRaw(r: Raw): ShipmentRow {
  return {
    id: num(r.id as bigint),
    reference: String(r.reference),
    ...(r.order_id !== null ? { orderId: num(r.order_id as bigint) } : {}),
    carrierAccount: String(r.carrier_account),
    state: r.state as ShipmentState,
    ...(o(r.remote_shipment_id) ? { remoteShipmentId: o(r.remote_shipment_id) } : {}),
    ...(o(r.remote_transaction_id) ? { remoteTransactionId: o(r.remote_transaction_id) } : {}),
    ...(o(r.rate_id) ? { rateId: o(r.rate_id) } : {}),
    ...(o(r.carrier) ? { carrier: o(r.carrier) } : {}),
    ...(o(r.service) ? { service: o(r.service) } : {}),
    ...(o(r.tracking_code) ? { trackingCode: o(r.tracking_code) } : {}),
    ...(o(r.tracking_status) ? { trackingStatus: o(r.tracking_status) } : {}),
    ...(o(r.label_url) ? { labelUrl: o(r.label_url) } : {}),
    ...(o(r.label_path) ? { labelPath: o(r.label_path) } : {}),
    ...(r.cost_minor !== null && r.cost_minor !== undefined ? { costMinor: big(r.cost_minor as bigint) } : {}),
    ...(o(r.cost_currency) ? { costCurrency: o(r.cost_currency) } : {}),
    ...(o(r.from_json) ? { fromJson: o(r.from_json) } : {}),
    ...(o(r.to_json) ? { toJson: o(r.to_json) } : {}),
    ...(o(r.parcel_json) ? { parcelJson: o(r.parcel_json) } : {}),
    ...(o(r.customs_json) ? { customsJson: o(r.customs_json) } : {}),
    ...(o(r.rates_json) ? { ratesJson: o(r.rates_json) } : {}),
    ...(o(r.forms_json) ? { formsJson: o(r.forms_json) } : {}),
    serviceKind: (r.service_kind as 'postal' | 'courier') ?? 'postal',
    ...(o(r.selection) ? { selection: o(r.selection) } : {}),
    attempts: num(r.attempts as bigint),
    ...(o(r.void_status) ? { voidStatus: o(r.void_status) } : {}),
    ...(o(r.error_message) ? { errorMessage: o(r.error_message) } : {}),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

const COLUMNS: Record<string, string> = {
  state: 'state', remoteShipmentId: 'remote_shipment_id', remoteTransactionId: 'remote_transaction_id', rateId: 'rate_id', carrier: 'carrier', service: 'service',
  trackingCode: 'tracking_code', trackingStatus: 'tracking_status', labelUrl: 'label_url', labelPath: 'label_path',
  costMinor: 'cost_minor', costCurrency: 'cost_currency', customsJson: 'customs_json', ratesJson: 'rates_json',
  formsJson: 'forms_json', serviceKind: 'service_kind', selection: 'selection', attempts: 'attempts',
  voidStatus: 'void_status', errorMessage: 'error_message', parcelJson: 'parcel_json', carrierAccount: 'carrier_account',
};

export class SqliteShipments extends PreparedOnce implements ShipmentsRepo {
  byReference(reference: string): ShipmentRow | undefined {
    const r = this.stmt('SELECT * FROM shipments WHERE reference = ?').get(reference) as Raw | undefined;
    return r ? fromRaw(r) : undefined;
  }

  byId(id: number): ShipmentRow | undefined {
    const r = this.stmt('SELECT * FROM shipments WHERE id = ?').get(BigInt(id)) as Raw | undefined;
    return r ? fromRaw(r) : undefined;
  }

  find(ref: string): ShipmentRow | undefined {
    const r = this.stmt('SELECT * FROM shipments WHERE reference = ? OR tracking_code = ? OR remote_shipment_id = ? ORDER BY id DESC LIMIT 1').get(ref, ref, ref) as Raw | undefined;
    if (r) return fromRaw(r);
    return /^\d+$/.test(ref) ? this.byId(Number(ref)) : undefined;
  }

  withReferencePrefix(prefix: string): ShipmentRow[] {
    return (this.stmt("SELECT * FROM shipments WHERE reference = ? OR reference LIKE ? ESCAPE '\\' ORDER BY id").all(prefix, `${prefix.replace(/[%_\\]/g, '\\$&')}-%`) as Raw[]).map(fromRaw);
  }

  list(opts: { state?: string; limit?: number } = {}): ShipmentRow[] {
    const where = opts.state ? 'WHERE state = ?' : '';
    const args: unknown[] = opts.state ? [opts.state] : [];
    return (this.store.db.prepare(`SELECT * FROM shipments ${where} ORDER BY id DESC LIMIT ${Math.max(1, opts.limit ?? 100)}`).all(...args) as Raw[]).map(fromRaw);
  }

  insert(n: NewShipment): ShipmentRow {
    const store = this.store;
    store.tx(() => {
      this.stmt(
        `INSERT INTO shipments (reference, order_id, carrier_account, state, from_json, to_json, parcel_json, customs_json, service_kind, created_at, updated_at)
         VALUES (?, ?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?)`,
      ).run(n.reference, n.orderId ?? null, n.carrierAccount, n.fromJson, n.toJson, n.parcelJson, n.customsJson ?? null, n.serviceKind, n.now, n.now);
    });
    return this.byReference(n.reference)!;
  }

  update(id: number, patch: Partial<ShipmentRow>, now: string): ShipmentRow {
    const store = this.store;
    const sets: string[] = [];
    const args: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      const col = COLUMNS[k];
      if (!col) continue;
      sets.push(`${col} = ?`);
      args.push(v === undefined ? null : v);
    }
    sets.push('updated_at = ?');
    args.push(now, BigInt(id));
    store.tx(() => this.stmt(`UPDATE shipments SET ${sets.join(', ')} WHERE id = ?`).run(...args));
    return this.byId(id)!;
  }

  storedDeclaration(reference: string): { customsJson: string | null; fromJson: string | null } | undefined {
    const r = this.stmt('SELECT customs_json, from_json FROM shipments WHERE reference = ?').get(reference) as { customs_json: string | null; from_json: string | null } | undefined;
    return r ? { customsJson: r.customs_json, fromJson: r.from_json } : undefined;
  }
}
