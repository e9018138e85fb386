// `customs check` / `customs declare`: parse the parcel, run the rules engine at the shipment date's
// rates, and hand back the result. Rendering and exit codes are the command's job.

import { checkCustoms } from '../../core/customs/engine.js';
import type { CustomsInput, CustomsResult } from '../../core/customs/types.js';
import type { Store } from '../../store/db.js';
import { parseParcel } from './parcel.js';
import { sellerProfile, storeFx } from './context.js';

export interface CheckOutcome {
  result: CustomsResult;
  input: CustomsInput;
  notes: string[];
}

export function checkParcelText(store: Store, opts: { text: string; file: string; today: string; date?: string }): CheckOutcome {
  const profile = sellerProfile(store);
  const { input, notes } = parseParcel(opts.text, opts.file, {
    ...(profile.shipFrom?.country ?? profile.country ? { fromCountry: profile.shipFrom?.country ?? profile.country } : {}),
    seller: profile.ids,
    today: opts.today,
  });
  if (opts.date) input.date = opts.date;
  return { result: checkInput(store, input), input, notes };
}

export function checkInput(store: Store, input: CustomsInput): CustomsResult {
  return checkCustoms(input, storeFx(store, input.date));
}
