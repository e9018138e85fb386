// What stops any new listing, whatever the marketplace: the product, its price on the storefront and the
// listing's own status. Each reason says what to run.

import { formatAmount } from '../../core/money.js';
import type { PublicationRecord, PublishCandidate } from '../../ports/listing-publish.js';

/** The reasons a candidate cannot be listed on `channel` (selling in `currency`); empty when it can. */
export function listingBlockers(c: PublishCandidate, channel: string, currency: string): string[] {
  const reasons: string[] = [];
  if (c.status !== 'active') reasons.push(`the product is ${c.status}: only active products are listed`);
  if (!c.listing?.price) reasons.push(`no price for ${channel}: set pricing rules and run \`merchant prices update --channel ${channel}\``);
  else if (c.listing.price.currency !== currency) reasons.push(`its ${channel} price is in ${c.listing.price.currency}, the storefront sells in ${currency}: run \`merchant prices update --channel ${channel}\``);
  else if (c.listing.price.minor <= 0n) reasons.push(`its ${channel} price is ${formatAmount(c.listing.price)}: a listing needs a price above zero`);
  if (c.listing && c.listing.status !== 'active') reasons.push(`its ${channel} listing is set ${c.listing.status}`);
  return reasons;
}

/**
 * Why a SKU is skipped as already on `channel` by other means than publish (a listing sync has seen or
 * acknowledged), unless an earlier publish run is still being read back; undefined when it is not.
 */
export function alreadySynced(c: PublishCandidate, previous: PublicationRecord | undefined, channel: string): string | undefined {
  if (!c.listing || (c.listing.ackedStatus === null && c.listing.remoteId === null) || previous?.state === 'sending') return undefined;
  return `already on ${channel}: \`merchant sync\` keeps its price and stock`;
}
