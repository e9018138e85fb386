// What the customs check needs from the local state: exchange rates at the shipment date (through
// the FX store's exact cross rates) and the seller's profile (ship-from country, registration numbers).

import { readFileSync } from 'node:fs';
import { isMerchantError } from '../../core/errors.js';
import { fixturesPath } from '../../config/paths.js';
import { parseDecimal, rDiv, ONE, type Ratio } from '../../core/money.js';
import { parseEcbCsv, type RateDay } from '../../adapters/fx/ecb-formats.js';
import type { FxLookup, SellerIds } from '../../core/customs/types.js';
import type { Store } from '../../store/db.js';
import { crossRate } from '../fx/lookup.js';

/** Rates as of `date` (or the latest earlier publication); undefined when the store has none. */
export function storeFx(store: Store, date: string): FxLookup {
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

let bundled: RateDay[] | undefined;

/** The ECB history shipped in fixtures/ecb (newest first). */
function bundledDays(): RateDay[] {
  if (!bundled) {
    const file = fixturesPath('ecb', 'eurofxref-hist.csv');
    bundled = parseEcbCsv(readFileSync(file, 'utf8'), file).days;
  }
  return bundled;
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
export function customsFx(store: Store, date: string): CustomsFx {
  const any = store.db.prepare('SELECT 1 FROM fx_rates LIMIT 1').get();
  if (any) return { fx: storeFx(store, date), bundledUsed: () => undefined };
  let used: string | undefined;
  const fx: FxLookup = (from, to, on = date) => {
    for (const day of bundledDays()) {
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

interface ProfileRow {
  legal_name: string;
  country: string;
  base_currency: string;
  vat_number: string | null;
  eori: string | null;
  ioss_number: string | null;
  uk_vat_number: string | null;
  voec_number: string | null;
  abn_arn: string | null;
  ship_from_json: string | null;
}

export function sellerProfile(store: Store): SellerProfile {
  const row = store.db.prepare('SELECT * FROM business_profile WHERE id = 1').get() as ProfileRow | undefined;
  if (!row) return { ids: {} };
  let shipFrom: Record<string, string> | undefined;
  try {
    shipFrom = row.ship_from_json ? (JSON.parse(row.ship_from_json) as Record<string, string>) : undefined;
  } catch {
    shipFrom = undefined;
  }
  const ids: SellerIds = {};
  if (row.ioss_number) ids.ioss = row.ioss_number;
  if (row.eori) ids.eori = row.eori;
  if (row.uk_vat_number) ids.ukVat = row.uk_vat_number;
  if (row.voec_number) ids.voec = row.voec_number;
  if (row.abn_arn) ids.abnArn = row.abn_arn;
  return {
    legalName: row.legal_name,
    country: row.country,
    baseCurrency: row.base_currency,
    ...(row.vat_number ? { vatNumber: row.vat_number } : {}),
    ...(shipFrom ? { shipFrom } : {}),
    ids,
  };
}
