// Rate shopping and idempotent label purchase.
//
// The rule: a ledger row (shipments) with a unique reference is COMMITTED before any remote write,
// and the reference travels with the carrier shipment. Before every purchase the row says
// 'purchasing' (committed). On a retry, after a crash, or after an answer that never arrived, the
// carrier is asked first (the shipment by id, or shipments by reference) and a label is bought only
// when the carrier says none exists. A timeout after a purchase therefore never buys a second label.

import { existsSync, mkdirSync } from 'node:fs';
import { InvalidInputError, RemoteError, UsageError, NotFoundError, CancelledError } from '../../core/errors.js';
import { writeFileAtomic } from '../../config/atomic.js';
import { fileInside } from '../../config/safe-path.js';
import { checkCustoms } from '../../core/customs/engine.js';
import type { CustomsResult, FxLookup } from '../../core/customs/types.js';
import { formatAmount } from '../../core/money.js';
import { isHttpError } from '../../core/http-error.js';
import type { CarrierPort, KnownPurchase, RemoteRate, RemoteShipment } from '../../ports/carrier.js';
import type { Repositories } from '../../ports/repositories.js';
import { serializeCustomsInput } from '../customs/serialize.js';
import { crashPoint } from '../crashpoint.js';
import { writeDeclaration } from '../customs/declare.js';
import { planParcel, type LineRequest } from '../orders/parcel.js';
import type { ShipmentRow, ShipmentState } from '../../ports/shipments.js';
import { serviceKindOf, type ShipmentPlan } from './plan.js';

/** What booking reads and writes locally: the ledger, the parcel confirmations, the profile and declarations (for the customs papers). */
export type ShipStore = Pick<Repositories, 'tx' | 'shipments' | 'parcelConfirmations' | 'businessProfile' | 'customsDeclarations'>;
type Ledger = Pick<Repositories, 'shipments'>;

export interface ShipDeps {
  store: ShipStore;
  carrier: CarrierPort;
  now: () => string;
  labelsDir: string;
  documentsDir: string;
  /** Exchange rates at a date (for the customs check). */
  fxAt: (date: string) => FxLookup;
  warn: (text: string) => void;
  /** Shopify: e-mail the buyer when the parcel is confirmed (config shopify.notifyCustomer, --notify-buyer). */
  notifyCustomer?: boolean;
  /** The parcel holds these units of the order (--lines); default: every unit not yet in a parcel. */
  parcelLines?: readonly LineRequest[];
  /**
   * Asked once the rate is chosen, right before the purchase (a label costs money): false buys nothing
   * (shipBook throws CancelledError). Not asked when the label was already bought.
   */
  confirmPurchase?: (rate: RateView, reference: string) => Promise<boolean>;
}

export type Selection = { rateId: string } | { cheapest: true } | { fastest: true };

export interface RateView {
  id: string;
  carrier: string;
  service: string;
  amount: string;
  currency: string;
  deliveryDays?: number;
  kind: 'postal' | 'courier';
}

export interface BookResult {
  reference: string;
  state: ShipmentState;
  alreadyBooked: boolean;
  reconciled: boolean;
  carrier?: string;
  service?: string;
  trackingCode?: string;
  cost?: { amount: string; currency: string };
  labelPath?: string;
  declarationPath?: string;
  forms: Array<{ type: string; url: string; path?: string }>;
  customs?: CustomsResult;
  remoteShipmentId?: string;
}

const ACTIVE: ReadonlySet<string> = new Set(['planned', 'purchasing', 'purchased']);

export function rateView(r: RemoteRate): RateView {
  return {
    id: r.id,
    carrier: r.carrier,
    service: r.service,
    amount: formatAmount(r.amount),
    currency: r.amount.currency,
    ...(r.deliveryDays !== undefined ? { deliveryDays: r.deliveryDays } : {}),
    kind: serviceKindOf(r.carrier),
  };
}

/** The row this plan books into: the active one for its reference base, or a new reference. */
function activeRow(store: Ledger, plan: ShipmentPlan): ShipmentRow | undefined {
  const rows = store.shipments.withReferencePrefix(plan.referenceBase).filter((r) => ACTIVE.has(r.state));
  return rows[rows.length - 1];
}

function nextReference(store: Ledger, base: string): string {
  const rows = store.shipments.withReferencePrefix(base);
  if (rows.length === 0) return base;
  return `${base}-${rows.length + 1}`;
}

function customsBlock(result: CustomsResult, label: string): InvalidInputError {
  const items = [...new Set(result.errors.filter((e) => e.item).map((e) => e.item))];
  return new InvalidInputError(`${label}: the customs declaration has ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}${items.length ? ` (${items.join('; ')})` : ''}; nothing was booked`, {
    problems: result.errors.map((e) => ({ rule: e.code, message: e.message, ...(e.item ? { item: e.item } : {}) })),
    hints: ['run `merchant customs check` on it for every rule and warning; fix the items named above'],
    details: { customs: result },
  });
}

export function runCustoms(deps: ShipDeps, plan: ShipmentPlan, kind: 'postal' | 'courier'): CustomsResult | undefined {
  if (!plan.customs) return undefined;
  const input = { ...plan.customs, service: kind };
  return checkCustoms(input, deps.fxAt(input.date));
}

function openRow(deps: ShipDeps, plan: ShipmentPlan, kind: 'postal' | 'courier'): { row: ShipmentRow; fresh: boolean } {
  const existing = activeRow(deps.store, plan);
  const changed = existing && existing.state === 'planned' && (existing.parcelJson !== JSON.stringify(plan.parcel) || existing.toJson !== JSON.stringify(plan.to));
  if (existing && changed) {
    // Nothing was bought on it (planned): retire it, so the new parcel or address gets its own quote.
    deps.store.shipments.update(existing.id, { state: 'voided', voidStatus: 'replaced (parcel or address changed)' }, deps.now());
    deps.warn(`${existing.reference}: the parcel or address changed since it was quoted; starting a new shipment`);
  } else if (existing) return { row: existing, fresh: false };
  const row = deps.store.shipments.insert({
    reference: nextReference(deps.store, plan.referenceBase),
    ...(plan.orderId !== undefined ? { orderId: plan.orderId } : {}),
    carrierAccount: deps.carrier.name,
    fromJson: JSON.stringify(plan.from),
    toJson: JSON.stringify(plan.to),
    parcelJson: JSON.stringify(plan.parcel),
    ...(plan.customs ? { customsJson: serializeCustomsInput({ ...plan.customs, service: kind }) } : {}),
    serviceKind: kind,
    now: deps.now(),
  });
  return { row, fresh: true };
}

/** The carrier shipment behind a row: fetched, found by reference, or created (reconciling a lost create). */
async function ensureRemote(deps: ShipDeps, row: ShipmentRow, plan: ShipmentPlan, fresh: boolean): Promise<{ row: ShipmentRow; remote: RemoteShipment; reconciled: boolean }> {
  const c = deps.carrier;
  if (row.remoteShipmentId) {
    const remote = await c.getShipment(row.remoteShipmentId, knownPurchase(row));
    return { row, remote, reconciled: false };
  }
  if (!fresh) {
    // A previous run may have created it and lost the answer (or crashed before recording it).
    const found = await c.findByReference(row.reference);
    const pick = found.find((s) => s.purchased) ?? found[0];
    if (pick) return { row: adopt(deps, row, pick), remote: pick, reconciled: true };
  }
  const req = {
    reference: row.reference,
    from: plan.from,
    to: plan.to,
    parcel: plan.parcel,
    ...(plan.customs && row.customsJson ? { customs: { input: { ...plan.customs, service: row.serviceKind }, result: checkCustoms({ ...plan.customs, service: row.serviceKind }, deps.fxAt(plan.customs.date)), signer: plan.signer } } : {}),
  };
  try {
    const remote = await c.createShipment(req);
    return { row: adopt(deps, row, remote), remote, reconciled: false };
  } catch (e) {
    // No answer, or one that cannot be read: the shipment may exist. Look for it before anything else.
    if (!definiteRefusal(e)) {
      const found = await c.findByReference(row.reference);
      const pick = found.find((s) => s.purchased) ?? found[0];
      if (pick) return { row: adopt(deps, row, pick), remote: pick, reconciled: true };
    }
    throw e;
  }
}

/** What the ledger knows of a purchase: lets the carrier find it directly (Shippo keeps it apart). */
export function knownPurchase(row: ShipmentRow): KnownPurchase {
  return { ...(row.remoteTransactionId ? { transactionId: row.remoteTransactionId } : {}), ...(row.rateId ? { rateId: row.rateId } : {}) };
}

/**
 * The carrier answered and refused the request (HTTP 4xx other than timeout, conflict, too-early and
 * throttled): it was not applied. Anything else — no answer, a dropped connection, a 5xx, a duplicate
 * still in flight (EasyPost), an answer that does not read as what was asked for (HTML, `{}`, cut JSON) —
 * leaves the outcome unknown.
 */
export function definiteRefusal(e: unknown): boolean {
  if (!(e instanceof RemoteError) || e.status === undefined) return false;
  if (isHttpError(e) && e.ambiguous) return false;
  if (/in-flight|in flight/i.test(`${e.message} ${isHttpError(e) ? e.apiMessage ?? '' : ''}`)) return false;
  return e.status >= 400 && e.status < 500 && ![408, 409, 425, 429].includes(e.status);
}

function adopt(deps: ShipDeps, row: ShipmentRow, remote: RemoteShipment): ShipmentRow {
  return deps.store.shipments.update(row.id, { remoteShipmentId: remote.id, ratesJson: JSON.stringify(remote.rates.map(rateView)) }, deps.now());
}

export async function shipRates(deps: ShipDeps, plan: ShipmentPlan, kind: 'postal' | 'courier'): Promise<{ reference: string; rates: RateView[]; messages: string[]; customs?: CustomsResult }> {
  const customs = runCustoms(deps, plan, kind);
  const { row, fresh } = openRow(deps, plan, kind);
  if (row.state === 'purchased') {
    return { reference: row.reference, rates: row.ratesJson ? (JSON.parse(row.ratesJson) as RateView[]) : [], messages: [`already booked: ${row.carrier ?? ''} ${row.service ?? ''} ${row.trackingCode ?? ''}`.trim()], ...(customs ? { customs } : {}) };
  }
  const { remote } = await ensureRemote(deps, row, plan, fresh);
  return { reference: row.reference, rates: remote.rates.map(rateView), messages: remote.messages, ...(customs ? { customs } : {}) };
}

export function selectRate(rates: RemoteRate[], sel: Selection): RemoteRate {
  if (rates.length === 0) throw new RemoteError('the carrier returned no rates for this parcel and lane', { hints: ['check the addresses and the parcel weight; `merchant ship rates` shows the carrier messages'] });
  if ('rateId' in sel) {
    const r = rates.find((x) => x.id === sel.rateId);
    if (!r) throw new NotFoundError(`rate ${sel.rateId} is not a rate of this shipment (rates: ${rates.map((x) => x.id).join(', ')})`, { hints: ['run `merchant ship rates` again: rates belong to one carrier shipment and expire'] });
    return r;
  }
  const byPrice = (a: RemoteRate, b: RemoteRate) => (a.amount.minor < b.amount.minor ? -1 : a.amount.minor > b.amount.minor ? 1 : 0);
  const sorted = [...rates].sort((a, b) => {
    if ('fastest' in sel) {
      const d = (a.deliveryDays ?? Number.MAX_SAFE_INTEGER) - (b.deliveryDays ?? Number.MAX_SAFE_INTEGER);
      if (d !== 0) return d;
    }
    return byPrice(a, b);
  });
  return sorted[0]!;
}

export async function shipBook(deps: ShipDeps, plan: ShipmentPlan, sel: Selection | undefined, kindHint: 'postal' | 'courier'): Promise<BookResult> {
  const store = deps.store;
  // 1. The customs check comes first: errors block the booking and nothing is written.
  let customs = runCustoms(deps, plan, kindHint);
  if (customs && customs.errors.length) throw customsBlock(customs, plan.orderLabel);

  // 2. The ledger row (committed), or the one a previous run left.
  const previous = activeRow(store, plan);
  if (!sel && !previous?.rateId && previous?.state !== 'purchased') {
    throw new UsageError('choose a rate: --rate <id> (from `merchant ship rates`), --cheapest or --fastest');
  }
  const { row: opened, fresh } = openRow(deps, plan, kindHint);
  let row = opened;
  if (row.state === 'purchased') return resultOf(row, { alreadyBooked: true, reconciled: false, ...(customs ? { customs } : {}) });
  if (row.carrierAccount !== deps.carrier.name) {
    throw new UsageError(`${row.reference} was started with ${row.carrierAccount}; finish it with --carrier ${row.carrierAccount}`);
  }

  // 3. The carrier shipment: reconcile before creating.
  const ensured = await ensureRemote(deps, row, plan, fresh);
  row = ensured.row;
  let remote = ensured.remote;
  if (remote.purchased) return finishPurchased(deps, row, remote, plan, customs, true);

  // 4. Which rate. A row left in 'purchasing' keeps the rate it was buying unless told otherwise.
  const selection: Selection | undefined = sel ?? (row.rateId ? { rateId: row.rateId } : undefined);
  if (!selection) throw new UsageError('choose a rate: --rate <id> (from `merchant ship rates`), --cheapest or --fastest');
  const rate = selectRate(remote.rates, selection);
  const kind = serviceKindOf(rate.carrier);
  if (plan.customs && kind !== row.serviceKind) {
    customs = runCustoms(deps, plan, kind);
    if (customs && customs.errors.length) throw customsBlock(customs, plan.orderLabel);
    row = store.shipments.update(row.id, { serviceKind: kind, customsJson: serializeCustomsInput({ ...plan.customs, service: kind }) }, deps.now());
  }

  // The seller sees what is bought, and for how much, before anything is spent.
  if (deps.confirmPurchase && !(await deps.confirmPurchase(rateView(rate), row.reference))) {
    throw new CancelledError(`${row.reference}: nothing bought`);
  }

  // 5. 'purchasing' is durable before the buy call.
  row = store.shipments.update(row.id, { state: 'purchasing', rateId: rate.id, selection: JSON.stringify(selection), attempts: row.attempts + 1, errorMessage: undefined }, deps.now());
  let reconciled = ensured.reconciled;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      crashPoint('ship.before-buy');
      const bought = await deps.carrier.buy(remote.id, rate.id);
      // Whatever the adapter made of the answer: only this shipment, with a label, is a purchase.
      if (bought.id !== remote.id || !bought.purchased) {
        throw new RemoteError(`${deps.carrier.name}: the purchase answer for ${remote.id} does not show a label`, { details: { malformedReply: true } });
      }
      remote = bought;
      crashPoint('ship.after-buy'); // the label exists at the carrier, the ledger still says 'purchasing'
      return finishPurchased(deps, row, remote, plan, customs, reconciled);
    } catch (e) {
      const exists = isHttpError(e) && /POSTAGE\.EXISTS|already/i.test(`${e.apiCode ?? ''} ${e.apiMessage ?? ''}`);
      if (!exists && definiteRefusal(e)) {
        store.shipments.update(row.id, { state: 'failed', errorMessage: (e as Error).message.slice(0, 500) }, deps.now());
        throw e;
      }
      // The purchase may have happened (no answer, a 5xx, or an answer that is not a purchased
      // shipment): ask the carrier before anything else. The row stays 'purchasing' until it says.
      let fresh2: RemoteShipment;
      try {
        fresh2 = await deps.carrier.getShipment(remote.id, { ...knownPurchase(row), rateId: rate.id });
      } catch (e2) {
        throw new RemoteError(`${row.reference}: the purchase answer was lost or unreadable and the carrier could not be asked (${(e2 as Error).message}); the shipment stays 'purchasing'`, {
          hints: [`run the same \`merchant ship book\` again: it asks ${deps.carrier.name} first and never buys a second label`],
          cause: e2,
        });
      }
      reconciled = true;
      if (fresh2.purchased) return finishPurchased(deps, row, fresh2, plan, customs, true);
      remote = fresh2;
      if (attempt === 2) {
        throw new RemoteError(`${row.reference}: the label purchase did not go through (${(e as Error).message}); no label exists`, {
          hints: ['run the same `merchant ship book` again later'],
          cause: e,
        });
      }
      deps.warn(`${row.reference}: the purchase answer was lost or unreadable; ${deps.carrier.name} has no label for ${remote.id}, buying again`);
    }
  }
  throw new RemoteError('unreachable');
}

async function finishPurchased(
  deps: ShipDeps,
  row: ShipmentRow,
  remote: RemoteShipment,
  plan: ShipmentPlan,
  customs: CustomsResult | undefined,
  reconciled: boolean,
): Promise<BookResult> {
  const sel = remote.selectedRate;
  // The label and the marketplace confirmation it owes are recorded together (issue #21): a run killed
  // right after this still confirms the parcel on the next `sync`.
  let updated = deps.store.tx(() => {
    const u = deps.store.shipments.update(
      row.id,
      {
        state: 'purchased',
        remoteShipmentId: remote.id,
        ...(remote.transactionId ? { remoteTransactionId: remote.transactionId } : {}),
        ...(sel ? { rateId: sel.id, carrier: sel.carrier, service: sel.service, costMinor: sel.amount.minor, costCurrency: sel.amount.currency } : {}),
        ...(remote.trackingCode ? { trackingCode: remote.trackingCode } : {}),
        ...(remote.labelUrl ? { labelUrl: remote.labelUrl } : {}),
        formsJson: JSON.stringify(remote.forms),
        errorMessage: undefined,
      },
      deps.now(),
    );
    if (plan.orderId !== undefined && u.trackingCode) recordParcelConfirmation(deps.store, plan.orderId, plan.orderLabel, u, deps, deps.now());
    return u;
  });
  // Files: the label, the carrier's forms, our CN22/CN23/invoice. A failed download keeps the purchase.
  try {
    updated = await saveLabel(deps, updated, remote);
  } catch (e) {
    deps.warn(`${updated.reference}: label bought but not downloaded (${(e as Error).message}); run \`merchant ship label ${updated.reference}\``);
  }
  let declarationPath: string | undefined;
  if (plan.customs && customs && customs.form !== 'none') {
    try {
      const d = await writeDeclaration(deps.store, {
        result: customs,
        input: { ...plan.customs, service: updated.serviceKind },
        reference: updated.reference,
        documentsDir: deps.documentsDir,
        recipient: plan.to,
        ...(plan.fromLocation ? { sender: plan.from } : {}),
        ...(plan.orderId !== undefined ? { orderId: plan.orderId } : {}),
        shipmentId: updated.id,
        now: deps.now(),
      });
      declarationPath = d.path;
    } catch (e) {
      deps.warn(`${updated.reference}: customs document not written (${(e as Error).message})`);
    }
  }
  return resultOf(updated, { alreadyBooked: false, reconciled, ...(customs ? { customs } : {}), ...(declarationPath ? { declarationPath } : {}) });
}

export async function saveLabel(deps: Pick<ShipDeps, 'carrier' | 'labelsDir' | 'now'> & { store: Ledger }, row: ShipmentRow, remote?: RemoteShipment): Promise<ShipmentRow> {
  const r = remote ?? (await deps.carrier.getShipment(row.remoteShipmentId ?? '', knownPurchase(row)));
  if (!r.purchased) throw new UsageError(`${row.reference} has no label (state ${row.state})`);
  const url = await deps.carrier.labelPdfUrl(r);
  const bytes = await deps.carrier.download(url);
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    const start = Buffer.from(bytes.subarray(0, 60)).toString('utf8').replace(/\s+/g, ' ');
    throw new RemoteError(`${row.reference}: the label file from ${hostOf(url)} is not a PDF (it starts "${start}")`, {
      hints: [`run \`merchant ship label ${row.reference}\` again later`],
    });
  }
  mkdirSync(deps.labelsDir, { recursive: true });
  const path = fileInside(deps.labelsDir, row.reference, '.pdf');
  writeFileAtomic(path, bytes, 0o644, { mkdir: true });
  return deps.store.shipments.update(row.id, { labelPath: path, labelUrl: url }, deps.now());
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the carrier';
  }
}

/** What the label cost, as the JSON conventions write money ({} when nothing was bought). */
export function labelCost(row: ShipmentRow): { cost?: { amount: string; currency: string } } {
  return row.costMinor !== undefined && row.costCurrency ? { cost: { amount: formatAmount({ minor: row.costMinor, currency: row.costCurrency }), currency: row.costCurrency } } : {};
}

function resultOf(row: ShipmentRow, extra: { alreadyBooked: boolean; reconciled: boolean; customs?: CustomsResult; declarationPath?: string }): BookResult {
  const forms = row.formsJson ? (JSON.parse(row.formsJson) as Array<{ type: string; url: string }>) : [];
  return {
    reference: row.reference,
    state: row.state,
    alreadyBooked: extra.alreadyBooked,
    reconciled: extra.reconciled,
    ...(row.carrier ? { carrier: row.carrier } : {}),
    ...(row.service ? { service: row.service } : {}),
    ...(row.trackingCode ? { trackingCode: row.trackingCode } : {}),
    ...labelCost(row),
    ...(row.labelPath && existsSync(row.labelPath) ? { labelPath: row.labelPath } : {}),
    ...(extra.declarationPath ? { declarationPath: extra.declarationPath } : {}),
    forms,
    ...(extra.customs ? { customs: extra.customs } : {}),
    ...(row.remoteShipmentId ? { remoteShipmentId: row.remoteShipmentId } : {}),
  };
}

/** The parcel's confirmation: the --lines asked for, else the order's lines not yet in another parcel. */
function recordParcelConfirmation(store: Pick<Repositories, 'parcelConfirmations'>, orderId: number, orderLabel: string, row: ShipmentRow, deps: Pick<ShipDeps, 'notifyCustomer' | 'parcelLines'>, now: string): void {
  const shippable = store.parcelConfirmations.linesForShipping(orderId);
  if (!shippable.some((l) => l.quantity > l.inParcels)) return;
  const lines = planParcel(orderLabel, shippable, deps.parcelLines);
  store.parcelConfirmations.record({ orderId, shipmentId: row.id, carrier: row.carrier ?? row.carrierAccount, service: row.service ?? null, tracking: row.trackingCode!, shipDate: now, lines, notifyCustomer: deps.notifyCustomer ?? false }, now);
}
