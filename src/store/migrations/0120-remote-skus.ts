// Per-storefront remote identity of a listing. eBay offers a SKU on one marketplace only, so the same
// item on ebay-uk and ebay-de has two eBay SKUs: remote_sku is the one a storefront knows it by (NULL =
// merchant's convention, core/remote-sku.ts), remote_listing_id the marketplace's listing (item) id.
// listing_migrations keeps every `marketplace migrate ebay` outcome per eBay listing.
export default {
  version: 120,
  name: 'remote-skus',
  sql: `
ALTER TABLE channel_listings ADD COLUMN remote_sku TEXT;
ALTER TABLE channel_listings ADD COLUMN remote_listing_id TEXT;
-- Two listings of one storefront can never share a remote SKU.
CREATE UNIQUE INDEX channel_listings_remote_sku ON channel_listings (channel, remote_sku) WHERE remote_sku IS NOT NULL;

CREATE TABLE listing_migrations (
  id            INTEGER PRIMARY KEY,
  marketplace   TEXT NOT NULL,
  channel       TEXT NOT NULL,
  listing_id    TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('migrated', 'failed', 'unconfirmed')),
  -- [{"ebaySku":…,"sku":local SKU or null,"offerId":… or null}]
  items_json    TEXT NOT NULL,
  error_code    TEXT,
  error_message TEXT,
  at            TEXT NOT NULL
);
CREATE INDEX listing_migrations_listing ON listing_migrations (marketplace, listing_id);
`,
};
