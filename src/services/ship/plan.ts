// What a shipment is before any carrier is involved: addresses, parcel, customs declaration and the
// ledger reference that makes booking idempotent. From an order (lines × catalogue) or from a
// shipment.json file (parcel.json plus full addresses and the parcel's size).

import { createHash } from 'node:crypto';
import { InvalidInputError, NotConfiguredError, UsageError } from '../../core/errors.js';
import { EU_COUNTRIES } from '../../core/currencies.js';
import type { CustomsInput, ServiceKind } from '../../core/customs/types.js';
import type { CarrierAddress, ParcelSpec } from '../../ports/carrier.js';
import type { Repositories } from '../../ports/repositories.js';
import { parseParcel } from '../customs/parcel.js';
import { sellerProfile } from '../customs/context.js';
import { customsInputForOrder } from '../customs/target.js';
import { loadShipOrder } from './orders.js';
import { missingForLabel, normaliseAddress } from '../../core/address.js';
import type { StockLocation } from '../../ports/stock.js';

export interface ShipmentPlan {
  /** Base of the ledger reference (a suffix -2, -3… is added after a failed or voided attempt). */
  referenceBase: string;
  orderId?: number;
  orderLabel: string;
  from: CarrierAddress;
  to: CarrierAddress;
  parcel: ParcelSpec;
  /** Absent when no customs border is crossed. */
  customs?: CustomsInput;
  signer: string;
  /** The stock location the parcel leaves from, when it is not the home warehouse (its address is `from`). */
  fromLocation?: { code: string; name: string; kind: string };
}

/** What planning a shipment reads: the seller's profile (ship-from, ids) and the orders as shipping sees them. */
export type ShipPlanStore = Pick<Repositories, 'businessProfile' | 'shippingOrders'>;

/** Postal operators (CN22/CN23); everything else is treated as a courier (commercial invoice). */
const POSTAL = /usps|royal ?mail|deutsche ?post|postnord|canada ?post|australia ?post|la ?poste|colissimo|correos|postnl|swiss ?post|posti|poste ?italiane|bpost|an ?post|post ?at|austrian ?post|asendia|japan ?post|new ?zealand ?post|nz ?post|india ?post|china ?post|usps_|dhl ?ecommerce/i;

export function serviceKindOf(carrier: string): ServiceKind {
  return POSTAL.test(carrier) ? 'postal' : 'courier';
}

export function crossesCustoms(from: string, to: string): boolean {
  const terr: Record<string, string> = { MC: 'FR', LI: 'CH' };
  const a = terr[from] ?? from;
  const b = terr[to] ?? to;
  return a !== b && !(EU_COUNTRIES.has(a) && EU_COUNTRIES.has(b));
}

function shipFrom(store: Pick<Repositories, 'businessProfile'>): { addr: CarrierAddress; signer: string } {
  const p = sellerProfile(store);
  const sf = p.shipFrom;
  if (!sf?.country && !p.country) {
    throw new NotConfiguredError('no ship-from address', { hints: ['run `merchant onboard` to set the ship-from address, or book from a file: `merchant ship book --file shipment.json`'] });
  }
  const addr: CarrierAddress = {
    country: (sf?.country ?? p.country ?? '').toUpperCase(),
    ...(sf?.name ? { name: sf.name } : {}),
    ...(p.legalName ? { company: p.legalName } : {}),
    ...(sf?.street1 ? { street1: sf.street1 } : {}),
    ...(sf?.street2 ? { street2: sf.street2 } : {}),
    ...(sf?.city ? { city: sf.city } : {}),
    ...(sf?.state ? { state: sf.state } : {}),
    ...(sf?.postalCode ? { postalCode: sf.postalCode } : {}),
    ...(sf?.phone ? { phone: sf.phone } : {}),
    ...(sf?.email ? { email: sf.email } : {}),
  };
  return { addr, signer: sf?.name ?? p.legalName ?? 'Shipper' };
}

/**
 * Where an order's parcel leaves from: the stock location it is reserved or assigned at (an overseas
 * warehouse or 3PL has its own address and country), else the business profile's ship-from. A location
 * without a full address is refused here, before any carrier or customs rule sees it.
 */
export function orderShipFrom(store: ShipPlanStore, orderId: number, orderLabel: string): { addr: CarrierAddress; signer: string; location?: StockLocation } {
  const loc = store.shippingOrders.shipFromLocation(orderId);
  if (!loc || (loc.isHome && !loc.address)) return shipFrom(store);
  if (loc.kind === 'fba') {
    throw new UsageError(`order ${orderLabel} is at ${loc.code}, Amazon's stock: Amazon ships it, merchant books no label for it`);
  }
  const a = loc.address;
  const missing = (['street1', 'city', 'postalCode'] as const).filter((k) => !a?.[k]);
  const country = (a?.country ?? loc.country ?? '').toUpperCase();
  if (!country) missing.push('country' as never);
  if (missing.length) {
    const flags: Record<string, string> = { street1: '--street', city: '--city', postalCode: '--postal-code', country: '--country' };
    throw new NotConfiguredError(`order ${orderLabel} ships from stock location ${loc.code} (${loc.name}), which has no ${missing.join(', ')}: no label or customs form can name the sender's address`, {
      hints: [
        `set it: merchant stock locations edit ${loc.code} ${missing.map((m) => `${flags[m]} …`).join(' ')}`,
        `or ship it from another location: merchant orders assign ${orderLabel} --location home`,
      ],
    });
  }
  const p = sellerProfile(store);
  const addr: CarrierAddress = {
    country,
    name: a!.name ?? loc.name,
    ...(a!.company ? { company: a!.company } : p.legalName ? { company: p.legalName } : {}),
    street1: a!.street1!,
    ...(a!.street2 ? { street2: a!.street2 } : {}),
    city: a!.city!,
    ...(a!.state ? { state: a!.state } : {}),
    postalCode: a!.postalCode!,
    ...(a!.phone ? { phone: a!.phone } : p.shipFrom?.phone ? { phone: p.shipFrom.phone } : {}),
    ...(a!.email ? { email: a!.email } : p.shipFrom?.email ? { email: p.shipFrom.email } : {}),
  };
  return { addr, signer: p.shipFrom?.name ?? p.legalName ?? 'Shipper', location: loc };
}

/** "120x80x60" (mm) and/or "900g" / "0.9kg" → ParcelSpec. */
export function parseParcelFlag(text: string): ParcelSpec {
  let weightGrams: number | undefined;
  let dims: number[] | undefined;
  for (const part of text.split(/[,;\s]+/).filter(Boolean)) {
    const w = /^(\d+(?:\.\d+)?)(g|kg)$/i.exec(part);
    const d = /^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|cm)?$/i.exec(part);
    if (w) weightGrams = Math.round(Number(w[1]) * (w[2]!.toLowerCase() === 'kg' ? 1000 : 1));
    else if (d) {
      const f = d[4]?.toLowerCase() === 'cm' ? 10 : 1;
      dims = [d[1], d[2], d[3]].map((x) => Math.round(Number(x) * f));
    } else throw new UsageError(`--parcel: cannot read ${JSON.stringify(part)}; write e.g. --parcel 300x200x100mm,1.2kg`);
  }
  if (!weightGrams || weightGrams <= 0) throw new UsageError('--parcel needs a weight, e.g. --parcel 300x200x100mm,1.2kg');
  return { weightGrams, ...(dims ? { lengthMm: dims[0], widthMm: dims[1], heightMm: dims[2] } : {}) };
}

export function planFromOrder(store: ShipPlanStore, ref: string, opts: { date: string; parcel?: ParcelSpec; service: ServiceKind; incoterm?: 'DAP' | 'DDP' }): ShipmentPlan {
  const order = loadShipOrder(store, ref);
  const { addr: from, signer, location } = orderShipFrom(store, order.id, order.externalId);
  if (!order.shipTo.country) throw new InvalidInputError(`order ${order.externalId} has no ship-to country`, { hints: ['check the order with `merchant orders show`'] });
  const missing = missingForLabel(normaliseAddress(order.shipTo));
  if (missing.length) {
    // The carrier would refuse it (EasyPost: 422 "Unable to verify address"); say so before anything is created there.
    throw new InvalidInputError(`order ${order.externalId}: the ship-to address has no ${missing.join(', ')}; no carrier can verify it`, {
      problems: missing.map((f) => ({ field: `shipTo.${f}`, rule: 'address', message: `${f} is missing` })),
      hints: [
        'pull the order from the marketplace with `merchant sync --only orders` (the API gives the full address; Amazon\'s All Orders report has no street)',
        'or book it from a file with the full address: `merchant ship book --file shipment.json`',
      ],
    });
  }
  const missingWeight = order.lines.filter((l) => !l.weightGrams);
  let parcel = opts.parcel;
  if (!parcel) {
    if (missingWeight.length) {
      throw new InvalidInputError(`order ${order.externalId}: no weight for ${missingWeight.map((l) => l.sku ?? l.title).join(', ')} in the catalogue`, {
        problems: missingWeight.map((l) => ({ rule: 'weight', message: 'weight_grams is missing', ...(l.sku ? { sku: l.sku, item: l.sku } : { item: l.title }) })),
        hints: ['give the parcel explicitly: --parcel 300x200x100mm,1.2kg, or set the variant weights in the catalogue'],
      });
    }
    const grams = order.lines.reduce((s, l) => s + (l.weightGrams ?? 0) * l.quantity, 0);
    // The largest item's box, when the catalogue has sizes; otherwise weight only.
    const sized = order.lines.filter((l) => l.lengthMm && l.widthMm && l.heightMm).sort((a, b) => b.lengthMm! * b.widthMm! * b.heightMm! - a.lengthMm! * a.widthMm! * a.heightMm!);
    const box = sized[0];
    parcel = { weightGrams: grams, ...(box ? { lengthMm: box.lengthMm!, widthMm: box.widthMm!, heightMm: box.heightMm! } : {}) };
  }
  const to: CarrierAddress = { ...order.shipTo };
  const customs = crossesCustoms(from.country, to.country) ? customsInputForOrder(store, order, { date: opts.date, service: opts.service, fromCountry: from.country, ...(opts.incoterm ? { incoterm: opts.incoterm } : {}) }) : undefined;
  if (customs && parcel.weightGrams) customs.grossWeightGrams = parcel.weightGrams;
  return {
    referenceBase: `O${order.id}-${order.externalId}`.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60),
    orderId: order.id,
    orderLabel: `${order.channel} ${order.externalId}`,
    from,
    to,
    parcel,
    ...(customs ? { customs } : {}),
    signer,
    ...(location ? { fromLocation: { code: location.code, name: location.name, kind: location.kind } } : {}),
  };
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function addressFrom(v: unknown, fallback?: CarrierAddress): CarrierAddress | undefined {
  if (!isObj(v)) return fallback;
  const g = (k: string) => (typeof v[k] === 'string' && v[k] ? (v[k] as string) : undefined);
  const country = (g('country') ?? fallback?.country ?? '').toUpperCase();
  const a: CarrierAddress = { ...(fallback && !g('street1') ? fallback : {}), country };
  for (const k of ['name', 'company', 'street1', 'street2', 'city', 'state', 'postalCode', 'phone', 'email'] as const) {
    const val = g(k);
    if (val) a[k] = val;
  }
  return a;
}

/** shipment.json: a parcel.json plus full `from`/`to` addresses, `parcel` {weightGrams, lengthMm…} and an optional `reference`. */
export function planFromFile(store: Pick<Repositories, 'businessProfile'>, text: string, file: string, today: string): ShipmentPlan {
  const p = sellerProfile(store);
  const fromCountry = p.shipFrom?.country ?? p.country;
  const { input } = parseParcel(text, file, { ...(fromCountry ? { fromCountry } : {}), seller: p.ids, today });
  const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  let profileFrom: CarrierAddress | undefined;
  let signer = 'Shipper';
  try {
    const sf = shipFrom(store);
    profileFrom = sf.addr;
    signer = sf.signer;
  } catch {
    profileFrom = undefined;
  }
  const from = addressFrom(doc.from, profileFrom);
  const to = addressFrom(doc.to);
  const problems: Array<{ file: string; field: string; rule: string; message: string }> = [];
  for (const [field, a] of [['from', from], ['to', to]] as const) {
    if (!a?.street1 || !a.city) problems.push({ file, field, rule: 'address', message: `"${field}" needs street1, city, postalCode and country (and a name) to book a label` });
  }
  const pj = isObj(doc.parcel) ? doc.parcel : {};
  const net = input.items.reduce((s, i) => s + i.unitWeightGrams * i.quantity, 0);
  const weightGrams = typeof pj.weightGrams === 'number' ? pj.weightGrams : net;
  if (!(weightGrams > 0)) problems.push({ file, field: 'parcel.weightGrams', rule: 'parcel', message: 'the parcel needs a weight: "parcel": {"weightGrams": 900} or item weights' });
  if (problems.length) throw new InvalidInputError(`${file}: cannot book this shipment`, { problems });
  const num = (k: string) => (typeof pj[k] === 'number' && (pj[k] as number) > 0 ? Math.round(pj[k] as number) : undefined);
  const parcel: ParcelSpec = {
    weightGrams: Math.round(weightGrams),
    ...(num('lengthMm') && num('widthMm') && num('heightMm') ? { lengthMm: num('lengthMm')!, widthMm: num('widthMm')!, heightMm: num('heightMm')! } : {}),
  };
  const reference = typeof doc.reference === 'string' && doc.reference ? doc.reference : `F-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  if (isObj(doc.from) && typeof doc.from.name === 'string') signer = doc.from.name;
  return {
    referenceBase: reference.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60),
    orderLabel: file,
    from: from!,
    to: to!,
    parcel,
    ...(crossesCustoms(from!.country, to!.country) ? { customs: { ...input, grossWeightGrams: parcel.weightGrams } } : {}),
    signer,
  };
}
