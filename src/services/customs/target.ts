// `customs check <order|shipment>`: build the declaration from an order (lines × catalogue HS codes,
// origins and weights) or reload the one stored with a shipment, then check it.

import { NotConfiguredError } from '../../core/errors.js';
import type { CustomsInput, ServiceKind } from '../../core/customs/types.js';
import type { Store } from '../../store/db.js';
import { loadShipOrder, orderCustomsItems, type ShipOrder } from '../ship/orders.js';
import { checkInput, type CheckOutcome } from './check.js';
import { sellerProfile } from './context.js';
import { deserializeCustomsInput } from './serialize.js';

export function customsInputForOrder(store: Store, order: ShipOrder, opts: { date: string; service: ServiceKind; incoterm?: 'DAP' | 'DDP' }): CustomsInput {
  const profile = sellerProfile(store);
  const fromCountry = profile.shipFrom?.country ?? profile.country;
  if (!fromCountry) {
    throw new NotConfiguredError('no ship-from address: the customs declaration needs the country the parcel leaves from', {
      hints: ['run `merchant onboard` (ship-from address), or check a parcel file with `merchant customs check --file parcel.json`'],
    });
  }
  const shipping = store.db.prepare('SELECT shipping_minor FROM orders WHERE id = ?').get(BigInt(order.id)) as { shipping_minor: bigint } | undefined;
  return {
    date: opts.date,
    from: { country: fromCountry.toUpperCase() },
    to: { country: order.shipTo.country, ...(order.shipTo.postalCode ? { postalCode: order.shipTo.postalCode } : {}) },
    service: opts.service,
    currency: order.currency,
    shipping: { minor: shipping?.shipping_minor ?? 0n, currency: order.currency },
    incoterm: opts.incoterm ?? 'DAP',
    contentsType: 'merchandise',
    items: orderCustomsItems(order),
    seller: profile.ids,
    orderValue: order.goodsValue,
  };
}

export function checkTarget(store: Store, target: string, opts: { today: string; service: ServiceKind; date?: string; incoterm?: 'DAP' | 'DDP' }): CheckOutcome {
  const shipment = store.db.prepare('SELECT customs_json FROM shipments WHERE reference = ?').get(target) as { customs_json: string | null } | undefined;
  if (shipment?.customs_json) {
    const input = deserializeCustomsInput(shipment.customs_json);
    if (opts.date) input.date = opts.date;
    return { result: checkInput(store, input), input, notes: [] };
  }
  const order = loadShipOrder(store, target);
  const input = customsInputForOrder(store, order, { date: opts.date ?? opts.today, service: opts.service, ...(opts.incoterm ? { incoterm: opts.incoterm } : {}) });
  const notes = order.lines.filter((l) => l.weightGrams === undefined).map((l) => `${l.sku ?? l.title}: no weight in the catalogue; declared as 0 g`);
  return { result: checkInput(store, input), input, notes };
}
