// The seller's time zone, as the business profile records it: what terminals show times in.
import type { Store } from '../db.js';

/** The business profile's IANA time zone, or null before onboarding. */
export function profileTimeZone(store: Store): string | null {
  const row = store.db.prepare('SELECT timezone FROM business_profile WHERE id = 1').get() as { timezone: string } | undefined;
  return row?.timezone || null;
}
