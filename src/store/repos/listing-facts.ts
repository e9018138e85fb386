// What a marketplace told us about a listing: its own product type and who fulfils it (channel_listings,
// migration 0100). Written when a push or a read-back learns it; read by the sync plan.
import type { Store } from '../db.js';

export interface ListingFactsRow {
  productType?: string;
  fulfilledBy?: 'merchant' | 'marketplace';
}

/** Cache the facts on the channel listing (only the ones learnt; the others stay). */
export function rememberListingFacts(store: Store, channel: string, sku: string, facts: ListingFactsRow, at: string): void {
  if (!facts.productType && !facts.fulfilledBy) return;
  store.db
    .prepare(
      `UPDATE channel_listings SET remote_product_type = coalesce(?, remote_product_type), fulfilled_by = coalesce(?, fulfilled_by), updated_at = ?
       WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`,
    )
    .run(facts.productType ?? null, facts.fulfilledBy ?? null, at, channel, sku);
}

/** When the marketplace last acknowledged a value of this listing (ISO), and the values it holds. */
export function listingAcknowledgement(store: Store, channel: string, sku: string): { ackedAt: string | null; priceMinor: bigint | null; quantity: number | null } | undefined {
  const r = store.db
    .prepare(`SELECT cl.acked_at, cl.acked_price_minor, cl.acked_quantity FROM channel_listings cl JOIN variants v ON v.id = cl.variant_id WHERE cl.channel = ? AND v.sku = ?`)
    .get(channel, sku) as { acked_at: string | null; acked_price_minor: bigint | null; acked_quantity: bigint | null } | undefined;
  if (!r) return undefined;
  return { ackedAt: r.acked_at, priceMinor: r.acked_price_minor, quantity: r.acked_quantity === null ? null : Number(r.acked_quantity) };
}

/** Record what the marketplace holds for a listing now (the parts given), acknowledged at `ackedAt`. */
export function setAcknowledgedValues(store: Store, channel: string, sku: string, v: { priceMinor?: bigint; quantity?: number }, ackedAt: string, at: string): void {
  store.db
    .prepare(
      `UPDATE channel_listings SET
         acked_price_minor = CASE WHEN ? THEN ? ELSE acked_price_minor END,
         acked_quantity = CASE WHEN ? THEN ? ELSE acked_quantity END,
         acked_at = ?, updated_at = ?
       WHERE channel = ? AND variant_id = (SELECT id FROM variants WHERE sku = ?)`,
    )
    .run(v.priceMinor !== undefined ? 1 : 0, v.priceMinor ?? null, v.quantity !== undefined ? 1 : 0, v.quantity ?? null, ackedAt, at, channel, sku);
}
