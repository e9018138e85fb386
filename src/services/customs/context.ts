// What the customs check needs from the local state: exchange rates at the shipment date (through
// the FX store's exact cross rates) and the seller's profile (ship-from country, registration numbers).

import { isMerchantError } from '../../core/errors.js';
import { parseDecimal, rDiv, ONE, type Ratio } from '../../core/money.js';
import type { FxLookup, SellerIds } from '../../core/customs/types.js';
import type { RateFiles } from '../../ports/fx.js';
import type { Repositories } from '../../ports/repositories.js';
import { crossRate } from '../fx/lookup.js';
import type { FxRates } from '../fx/ports.js';

/** The seller's profile, as the customs services read it. */
export type ProfileStore = Pick<Repositories, 'businessProfile'>;
/** What a customs check reads: the rates and the profile. */
export type CustomsStore = Pick<Repositories, 'fxRates' | 'businessProfile'>;
/** Where the ECB history bundled with merchant comes from (a fresh home has no rates). */
export type BundledRates = Pick<RateFiles, 'bundledHistory'>;

/** Rates as of `date` (or the latest earlier publication); undefined when the store has none. */
export function storeFx(store: FxRates, date: string): FxLookup {
  return (from, to, on = date) => {
    try {
      const r = crossRate(store, from, to, on);
      return { rate: r.rate, rateDate: r.rateDate, source: r.source };
    } catch (e) {
      if (isMerchantError(e)) return undefined;
      throw e;
    }
  };
}

export interface CustomsFx {
  fx: FxLookup;
  /** Set when the store had no rates and the bundled ECB file was used. */
  bundledUsed: () => string | undefined;
}

/**
 * Rates for a customs check: the FX store when it has any rates at all; otherwise (a fresh home) the
 * ECB history bundled with merchant, read in memory and never written, with a warning in the result.
 */
export function customsFx(store: FxRates, date: string, bundled: BundledRates): CustomsFx {
  if (store.fxRates.hasAnyRate()) return { fx: storeFx(store, date), bundledUsed: () => undefined };
  let used: string | undefined;
  const fx: FxLookup = (from, to, on = date) => {
    for (const day of bundled.bundledHistory()) {
      if (day.date > on) continue;
      const leg = (c: string): Ratio | undefined => {
        if (c === 'EUR') return ONE;
        const cell = day.rates.find((r) => r.quote === c);
        return cell ? parseDecimal(cell.rate) : undefined;
      };
      const a = leg(from);
      const b = leg(to);
      if (!a || !b) continue;
      if (!used || day.date > used) used = day.date;
      return { rate: rDiv(b, a), rateDate: day.date, source: 'ecb (bundled file)' };
    }
    return undefined;
  };
  return { fx, bundledUsed: () => used };
}

export interface SellerProfile {
  legalName?: string;
  country?: string;
  baseCurrency?: string;
  vatNumber?: string;
  shipFrom?: Record<string, string>;
  ids: SellerIds;
}

export function sellerProfile(store: ProfileStore): SellerProfile {
  const row = store.businessProfile.get();
  if (!row) return { ids: {} };
  let shipFrom: Record<string, string> | undefined;
  try {
    shipFrom = row.shipFromJson ? (JSON.parse(row.shipFromJson) as Record<string, string>) : undefined;
  } catch {
    shipFrom = undefined;
  }
  const ids: SellerIds = {};
  if (row.iossNumber) ids.ioss = row.iossNumber;
  if (row.eori) ids.eori = row.eori;
  if (row.ukVatNumber) ids.ukVat = row.ukVatNumber;
  if (row.voecNumber) ids.voec = row.voecNumber;
  if (row.abnArn) ids.abnArn = row.abnArn;
  return {
    legalName: row.legalName,
    country: row.country,
    baseCurrency: row.baseCurrency,
    ...(row.vatNumber ? { vatNumber: row.vatNumber } : {}),
    ...(shipFrom ? { shipFrom } : {}),
    ids,
  };
}
