// Who collects each order's VAT, decided where orders are stored (orders import, the order pull) and
// written on the order (orders.vat_collector / vat_scheme / vat_country / vat_rule). The decision is
// core/customs/vat-collector.ts; this file gathers its facts through the OrderTaxPort:
//   - where the goods ship from: the business's ship-from address (orders fulfilled by a marketplace
//     from its own warehouses are not told apart yet);
//   - the consignment value for the destination's at-sale threshold, at the payment day's rate
//     (EU: the ECB rate of the day payment was accepted, VAT Directive art. 91(2));
//   - the channel: an online marketplace (Amazon, eBay) or the seller's own shop (Shopify).
// No SQL here (ports/order-tax.ts).

import { parseDecimal, rCmp, rMul, ratio, type Ratio } from '../../core/money.js';
import { currencyExponent } from '../../core/currencies.js';
import { territory } from '../../core/customs/territories.js';
import { decideVat, sameVatArea, vatRegime, ONLINE_MARKETPLACES, type VatDecision } from '../../core/customs/vat-collector.js';
import type { OrderTaxFacts, OrderTaxPort, StoredVat } from '../../ports/order-tax.js';

/** The at-sale thresholds (rules.ts params): value ≤ threshold; Norway: every item below NOK 3,000. */
const AT_SALE: Record<string, { threshold: string; currency: string; perItem?: boolean }> = {
  EU: { threshold: '150', currency: 'EUR' },
  UK: { threshold: '135', currency: 'GBP' },
  AU: { threshold: '1000', currency: 'AUD' },
  NZ: { threshold: '1000', currency: 'NZD' },
  NO: { threshold: '3000', currency: 'NOK', perItem: true },
};

export interface OrderVat {
  decision?: VatDecision;
  /** Why there is no decision (no ship-to country, no ship-from address). */
  missing?: string;
}

/** Decide (without writing) who collects the VAT of each order. */
export function classifyOrders(port: OrderTaxPort, ids: readonly (number | bigint)[]): Map<bigint, OrderVat> {
  const profile = port.profile();
  const out = new Map<bigint, OrderVat>();
  const fromCountry = profile.shipFrom?.country ?? profile.country;
  for (const f of port.facts(ids)) {
    if (!fromCountry) {
      out.set(f.id, { missing: 'no ship-from address in the business profile (`merchant onboard`)' });
      continue;
    }
    if (!f.shipCountry) {
      out.set(f.id, { missing: 'the order has no ship-to country' });
      continue;
    }
    const from = territory(fromCountry, profile.shipFrom?.country ? profile.shipFrom.postalCode : undefined);
    const to = territory(f.shipCountry, f.shipPostalCode ?? undefined);
    const lowValue = sameVatArea(from, to) ? undefined : atSaleTest(port, f, vatRegime(to));
    const decision = decideVat({
      from,
      to,
      marketplace: ONLINE_MARKETPLACES.has(f.marketplace) ? f.marketplace : null,
      ...(profile.country ? { sellerCountry: profile.country } : {}),
      date: f.paymentDay,
      ...(lowValue === undefined ? {} : { lowValue }),
      seller: profile.ids,
    });
    out.set(f.id, { decision });
  }
  return out;
}

/** Decide and store. `fromApi`: the order came from the marketplace's API, whose refunds replace undated ones. */
export function recordOrderTaxFacts(port: OrderTaxPort, ids: readonly (number | bigint)[], opts: { fromApi?: boolean } = {}): Map<bigint, OrderVat> {
  const decided = classifyOrders(port, ids);
  for (const [id, v] of decided) {
    port.save(id, v.decision ? stored(v.decision) : null);
    if (opts.fromApi) port.dropEstimatedRefunds(id);
  }
  return decided;
}

export function stored(d: VatDecision): StoredVat {
  return { collector: d.collector, scheme: d.scheme, country: d.country, rule: d.rule };
}

/** The destination's at-sale test on this order, at the payment day's rate; undefined without a rate or a regime. */
function atSaleTest(port: OrderTaxPort, f: OrderTaxFacts, regime: string): boolean | undefined {
  const t = AT_SALE[regime];
  if (!t) return undefined;
  const value = t.perItem ? f.maxUnitMinor : f.goodsMinor;
  const major: Ratio = ratio(value, 10n ** BigInt(currencyExponent(f.currency)));
  let inThreshold: Ratio;
  if (f.currency === t.currency) inThreshold = major;
  else {
    const r = port.rate(f.currency, t.currency, f.paymentDay);
    if (!r) return undefined;
    inThreshold = rMul(major, r);
  }
  const c = rCmp(inThreshold, parseDecimal(t.threshold));
  return t.perItem ? c < 0 : c <= 0;
}
