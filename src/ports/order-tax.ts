// What deciding who collects an order's VAT needs from the local state (implemented over the store by
// services/orders/import.ts#orderTaxPort): the orders' facts, the business's establishment, ship-from
// and registrations, exchange rates, and where the decision is written.

import type { Ratio } from '../core/money.js';
import type { SellerIds } from '../core/customs/types.js';
import type { VatCollector, VatScheme } from '../core/customs/vat-collector.js';

export interface OrderTaxFacts {
  id: bigint;
  marketplace: string;
  channel: string;
  currency: string;
  /** YYYY-MM-DD of the payment (paid_at, else ordered_at). */
  paymentDay: string;
  shipCountry: string | null;
  shipPostalCode: string | null;
  /** Goods after discounts, excluding VAT included in prices and excluding shipping (the intrinsic value), minor units. */
  goodsMinor: bigint;
  /** The most valuable unit, on the same basis (Norway's per-item test), minor units. */
  maxUnitMinor: bigint;
}

export interface BusinessTaxProfile {
  /** Where the business is established. */
  country?: string;
  /** Where its goods ship from, with the postcode (Northern Ireland…). */
  shipFrom?: { country: string; postalCode?: string };
  ids: SellerIds;
  baseCurrency?: string;
}

export interface StoredVat {
  collector: VatCollector;
  scheme: VatScheme;
  country: string;
  rule: string;
}

export interface OrderTaxPort {
  facts(ids: readonly (number | bigint)[]): OrderTaxFacts[];
  profile(): BusinessTaxProfile;
  /** Units of `to` per 1 `from` on `date` (or the latest earlier publication); undefined when not known. */
  rate(from: string, to: string, date: string): Ratio | undefined;
  save(id: bigint | number, v: StoredVat | null): void;
  dropEstimatedRefunds(id: bigint | number): number;
}
