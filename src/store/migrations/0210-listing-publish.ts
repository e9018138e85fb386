// `merchant listings publish` (#21 part B): what was published where, and what the seller chose.
// - listing_publications: one row per (channel, SKU) merchant created or adopted a listing for. State
//   'sending' is committed before the request goes out, so a run killed mid-publish leaves it for the
//   next run to read back (never listed twice); issues_json keeps the issues the marketplace reported
//   (Amazon getListingsItem issues), shown by `listings show`.
// - publish_settings: per (channel, SKU) the product type (Amazon), category (eBay) and attribute values
//   the seller supplied (an attributes file), kept so a re-run needs none of it again.
// - publish_channel_settings: per channel, choices made once (eBay business policies, merchant location).
export default {
  version: 210,
  name: 'listing-publish',
  sql: `
CREATE TABLE listing_publications (
  id           INTEGER PRIMARY KEY,
  channel      TEXT NOT NULL,
  sku          TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('sending', 'listed', 'refused', 'failed')),
  method       TEXT NOT NULL CHECK (method IN ('offer', 'create', 'adopted', 'migrated')),
  product_type TEXT,
  remote_ref   TEXT,
  request_hash TEXT,
  issues_json  TEXT NOT NULL DEFAULT '[]',
  message      TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (channel, sku)
);

CREATE TABLE publish_settings (
  channel         TEXT NOT NULL,
  sku             TEXT NOT NULL,
  product_type    TEXT,
  category_id     TEXT,
  attributes_json TEXT NOT NULL DEFAULT '{}',
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (channel, sku)
);

CREATE TABLE publish_channel_settings (
  channel    TEXT NOT NULL,
  name       TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (channel, name)
);
`,
};
