// The kinds of change sync pushes, and the bit each one has in a listing's pending state
// (channel_listings.sync_pending, migration 250). Pure: the store and the sync services share it.

export type SyncKind = 'listing' | 'price' | 'inventory' | 'delist';

export const KIND_BITS: Readonly<Record<SyncKind, number>> = { price: 1, inventory: 2, listing: 4, delist: 8 };
const KINDS = Object.keys(KIND_BITS) as SyncKind[];

export function bitsOf(kinds: Iterable<string>): number {
  let b = 0;
  for (const k of kinds) b |= KIND_BITS[k as SyncKind] ?? 0;
  return b;
}

export function kindsOf(bits: number): SyncKind[] {
  return KINDS.filter((k) => (bits & KIND_BITS[k]) !== 0);
}
