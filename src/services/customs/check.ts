// `customs check` / `customs declare`: parse the parcel, run the rules engine at the shipment date's
// rates, and hand back the result. Rendering and exit codes are the command's job.

import { checkCustoms } from '../../core/customs/engine.js';
import type { CustomsInput, CustomsResult } from '../../core/customs/types.js';
import { parseParcel } from './parcel.js';
import type { CarrierAddress } from '../../ports/carrier.js';
import { customsFx, sellerProfile, type BundledRates, type CustomsStore } from './context.js';

export interface CheckOutcome {
  result: CustomsResult;
  input: CustomsInput;
  notes: string[];
  /** The sender's address when it is not the profile's ship-from (an order at a 3PL, a booked shipment). */
  sender?: CarrierAddress;
}

export function checkParcelText(store: CustomsStore, bundled: BundledRates, opts: { text: string; file: string; today: string; date?: string; eoris?: string[] }): CheckOutcome {
  const profile = sellerProfile(store);
  const { input, notes } = parseParcel(opts.text, opts.file, {
    ...(profile.shipFrom?.country ?? profile.country ? { fromCountry: profile.shipFrom?.country ?? profile.country } : {}),
    seller: profile.ids,
    today: opts.today,
    ...(profile.country ? { sellerCountry: profile.country } : {}),
  });
  if (opts.date) input.date = opts.date;
  addEoris(input, opts.eoris);
  return { result: checkInput(store, bundled, input), input, notes };
}

/** EORI numbers given on the command line (--eori) join the profile's and the file's: the one valid for the destination is used. */
export function addEoris(input: CustomsInput, eoris: string[] | undefined): void {
  if (!eoris?.length) return;
  const all = [...eoris, ...(input.seller.eori ? [input.seller.eori] : []), ...(input.seller.eoris ?? [])];
  input.seller = { ...input.seller, eori: all[0]!, eoris: [...new Set(all.slice(1))] };
}

export function checkInput(store: CustomsStore, bundled: BundledRates, input: CustomsInput): CustomsResult {
  const { fx, bundledUsed } = customsFx(store, input.date, bundled);
  const result = checkCustoms(input, fx);
  const day = bundledUsed();
  if (day) {
    result.warnings.push({
      code: 'FX_BUNDLED_RATES',
      message: `no exchange rates are stored: used the ECB reference rates bundled with merchant (latest ${day}); run \`merchant fx update\` for current rates`,
    });
  }
  return result;
}
