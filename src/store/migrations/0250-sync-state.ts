// Pending sync work as state (issue #20): a channel listing says itself which of its managed values the
// marketplace has not acknowledged yet, instead of one outbox row per local change.
//   channel_listings.sync_pending  bit set of the kinds waiting to be pushed: 1 price, 2 inventory,
//                                  4 listing (the whole managed state of a new or edited listing), 8 delist.
//                                  0 = the marketplace has (or will be told by an in-flight request) what
//                                  we want. The values wanted are the listing's own (price_minor, status,
//                                  stock through the inventory rules); the values acknowledged are acked_*.
//   channel_listings.sync_seq      bumped by every change that sets a bit: sync clears the bits it planned
//                                  only if no change arrived since it read them (compare-and-clear).
// The sync plan is the set of listings with sync_pending != 0: one partial index that holds only them.
// A request in flight is still recorded as an outbox row ('sent', with the exact values and the attempt
// key, written before the request leaves): that row is the in-flight marker a killed run reads back.
// Rows are created only for what a run sends, never per change. Shipment confirmations keep their own
// outbox (migration 201).
//
// Existing pending outbox rows of a listing that exists become its bits (and are marked 'superseded',
// with a note saying where they went). Rows 'sent' or 'failed' stay rows: they carry the in-flight
// marker or the marketplace's error. Pending rows for a SKU or listing that does not exist stay pending
// rows, so the next sync still reports them the way it did.
export default {
  version: 250,
  name: 'sync-state',
  sql: `
ALTER TABLE channel_listings ADD COLUMN sync_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channel_listings ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;

CREATE TEMP TABLE sync_state_move AS
  SELECT o.id AS outbox_id, cl.id AS listing_id,
         CASE o.kind WHEN 'price' THEN 1 WHEN 'inventory' THEN 2 WHEN 'listing' THEN 4 ELSE 8 END AS bit
    FROM outbox o
    JOIN variants v ON v.sku = o.sku
    JOIN channel_listings cl ON cl.variant_id = v.id AND cl.channel = o.channel
   WHERE o.state = 'pending';

UPDATE channel_listings
   SET sync_pending = (SELECT sum(DISTINCT m.bit) FROM sync_state_move m WHERE m.listing_id = channel_listings.id),
       sync_seq = sync_seq + 1
 WHERE id IN (SELECT listing_id FROM sync_state_move);

UPDATE outbox
   SET state = 'superseded',
       error_message = 'pending change moved to channel_listings.sync_pending (migration 250)'
 WHERE id IN (SELECT outbox_id FROM sync_state_move);

DROP TABLE sync_state_move;

CREATE INDEX channel_listings_sync_pending ON channel_listings (channel) WHERE sync_pending != 0;
`,
};
