// `customs check <order|shipment>`: build the declaration from an order (lines × catalogue HS codes,
// origins and weights) or reload the one stored with a shipment, then check it.

import { NotConfiguredError } from '../../core/errors.js';
import type { CustomsInput, SaleInfo, ServiceKind } from '../../core/customs/types.js';
import { ONLINE_MARKETPLACES, type TaxIdKind } from '../../core/customs/vat-collector.js';
import type { Repositories } from '../../ports/repositories.js';
import { loadShipOrder, orderCustomsItems, type Address, type ShipOrder } from '../ship/orders.js';
import { orderShipFrom } from '../ship/plan.js';
import { addEoris, checkInput, type CheckOutcome } from './check.js';
import { sellerProfile, type BundledRates } from './context.js';
import { deserializeCustomsInput } from './serialize.js';

/** What a declaration built from an order reads: the seller's profile and the order's sale facts. */
export type OrderCustomsStore = Pick<Repositories, 'businessProfile' | 'shippingOrders'>;
/** What `customs check <order|shipment>` reads: the above, the rates and the shipments ledger. */
export type CustomsTargetStore = OrderCustomsStore & Pick<Repositories, 'fxRates' | 'shipments'>;

export function customsInputForOrder(store: OrderCustomsStore, order: ShipOrder, opts: { date: string; service: ServiceKind; incoterm?: 'DAP' | 'DDP'; fromCountry?: string }): CustomsInput {
  const profile = sellerProfile(store);
  // The parcel leaves from the order's stock location (an overseas warehouse or 3PL), else the profile's ship-from.
  const fromCountry = opts.fromCountry ?? profile.shipFrom?.country ?? profile.country;
  if (!fromCountry) {
    throw new NotConfiguredError('no ship-from address: the customs declaration needs the country the parcel leaves from', {
      hints: ['run `merchant onboard` (ship-from address), or check a parcel file with `merchant customs check --file parcel.json`'],
    });
  }
  const row = store.shippingOrders.saleFacts(order.id);
  const paid = (row?.paidAt ?? row?.orderedAt ?? order.orderedAt).slice(0, 10);
  const marketplace = ONLINE_MARKETPLACES.has(order.marketplace) ? order.marketplace : null;
  const ids = marketplace ? marketplaceTaxIds(row?.rawJson ?? null, order.shipTo.country, order.shipTo.postalCode) : {};
  const sale: SaleInfo = {
    marketplace,
    channel: order.channel,
    ...(profile.country ? { sellerCountry: profile.country } : {}),
    ...(Object.keys(ids).length ? { marketplaceIds: ids } : {}),
  };
  return {
    date: opts.date,
    paymentDate: paid <= opts.date ? paid : opts.date,
    sale,
    from: { country: fromCountry.toUpperCase() },
    to: { country: order.shipTo.country, ...(order.shipTo.postalCode ? { postalCode: order.shipTo.postalCode } : {}) },
    service: opts.service,
    currency: order.currency,
    shipping: { minor: row?.shippingMinor ?? 0n, currency: order.currency },
    incoterm: opts.incoterm ?? 'DAP',
    contentsType: 'merchandise',
    items: orderCustomsItems(order),
    seller: profile.ids,
    orderValue: order.goodsValue,
  };
}

export function checkTarget(store: CustomsTargetStore, bundled: BundledRates, target: string, opts: { today: string; service: ServiceKind; date?: string; incoterm?: 'DAP' | 'DDP'; eoris?: string[] }): CheckOutcome {
  const shipment = store.shipments.storedDeclaration(target);
  if (shipment?.customsJson) {
    const input = deserializeCustomsInput(shipment.customsJson);
    if (opts.date) input.date = opts.date;
    addEoris(input, opts.eoris);
    // The shipment's own sender (a 3PL's address when it left from there).
    let sender: Address | undefined;
    try {
      sender = shipment.fromJson ? (JSON.parse(shipment.fromJson) as Address) : undefined;
    } catch {
      sender = undefined;
    }
    return { result: checkInput(store, bundled, input), input, notes: [], ...(sender?.street1 ? { sender } : {}) };
  }
  const order = loadShipOrder(store, target);
  const origin = orderShipFrom(store, order.id, order.externalId);
  const input = customsInputForOrder(store, order, { date: opts.date ?? opts.today, service: opts.service, fromCountry: origin.addr.country, ...(opts.incoterm ? { incoterm: opts.incoterm } : {}) });
  const sender = origin.location ? { sender: origin.addr } : {};
  const notes = order.lines.filter((l) => l.weightGrams === undefined).map((l) => `${l.sku ?? l.title}: no weight in the catalogue; declared as 0 g`);
  addEoris(input, opts.eoris);
  return { result: checkInput(store, bundled, input), input, notes, ...sender };
}

/**
 * The marketplace's own registration numbers as an order carries them: eBay puts them on each line's
 * `ebayCollectAndRemitTaxes[].ebayReference` ({name: IOSS | VOEC | ABN | IRD | OSS, value}); eBay's
 * "IOSS" reference is its UK VAT number on orders to Great Britain. Amazon's orders do not carry them.
 */
export function marketplaceTaxIds(rawJson: string | null, shipToCountry: string, postalCode?: string): Partial<Record<TaxIdKind, string>> {
  const greatBritain = shipToCountry.toUpperCase() === 'GB' && !/^BT/i.test((postalCode ?? '').trim());
  if (!rawJson) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(rawJson);
  } catch {
    return {};
  }
  const out: Partial<Record<TaxIdKind, string>> = {};
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    const ref = o.ebayReference as Record<string, unknown> | undefined;
    if (ref && typeof ref.name === 'string' && typeof ref.value === 'string' && ref.value.trim()) {
      const kind: TaxIdKind | undefined =
        ref.name === 'IOSS' ? (greatBritain ? 'UKVAT' : 'IOSS')
          : ref.name === 'VOEC' ? 'VOEC' : ref.name === 'ABN' ? 'ARN' : ref.name === 'IRD' ? 'NZGST' : undefined;
      if (kind && !out[kind]) out[kind] = ref.value.trim();
    }
    for (const x of Object.values(o)) visit(x, depth + 1);
  };
  visit(raw, 0);
  return out;
}
