// Catalogue: products, variants (one SKU each), stock, channel listings.
// Money: *_minor INTEGER in the currency column beside it. Weights in grams, sizes in millimetres.
export default {
  version: 2,
  name: 'catalog',
  sql: `
CREATE TABLE products (
  id           INTEGER PRIMARY KEY,
  handle       TEXT NOT NULL UNIQUE,
  title        TEXT NOT NULL,
  description  TEXT,
  vendor       TEXT,
  brand        TEXT,
  product_type TEXT,
  tags         TEXT,
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'draft', 'archived')),
  -- hash of the imported product fields: an unchanged product row writes nothing
  content_hash TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE TABLE variants (
  id                INTEGER PRIMARY KEY,
  product_id        INTEGER NOT NULL REFERENCES products(id),
  sku               TEXT NOT NULL UNIQUE,
  title             TEXT,
  options_json      TEXT,
  barcode           TEXT,
  price_minor       INTEGER,
  currency          TEXT CHECK (currency IS NULL OR length(currency) = 3),
  compare_at_minor  INTEGER,
  cost_minor        INTEGER,
  cost_currency     TEXT CHECK (cost_currency IS NULL OR length(cost_currency) = 3),
  landed_cost_minor INTEGER,
  weight_grams      INTEGER,
  length_mm         INTEGER,
  width_mm          INTEGER,
  height_mm         INTEGER,
  hs_code           TEXT,
  origin_country    TEXT,
  image_url         TEXT,
  status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'draft', 'archived')),
  -- hash of the imported fields: a re-import of an unchanged row writes nothing
  content_hash      TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX variants_product ON variants (product_id);

-- Stock on hand per SKU; reserved = units in open orders not yet shipped.
CREATE TABLE inventory (
  variant_id INTEGER PRIMARY KEY REFERENCES variants(id),
  on_hand    INTEGER NOT NULL DEFAULT 0,
  reserved   INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);

-- What we want listed on each channel (desired) and what the marketplace last acknowledged (acked).
CREATE TABLE channel_listings (
  id               INTEGER PRIMARY KEY,
  variant_id       INTEGER NOT NULL REFERENCES variants(id),
  channel          TEXT NOT NULL,
  remote_id        TEXT,
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'removed')),
  price_minor      INTEGER,
  currency         TEXT,
  quantity         INTEGER,
  acked_price_minor INTEGER,
  acked_quantity   INTEGER,
  acked_status     TEXT,
  acked_at         TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (variant_id, channel)
);
CREATE INDEX channel_listings_channel ON channel_listings (channel);

-- One row per committed \`listings import\` run. fingerprint = hash of the files' bytes and every
-- option that changes how they are read; a re-import with the same fingerprint, when no later run
-- changed the catalogue, is known to change nothing and skips the parse (listings import fast path).
CREATE TABLE import_runs (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  files_json  TEXT NOT NULL,
  created     INTEGER NOT NULL,
  updated     INTEGER NOT NULL,
  unchanged   INTEGER NOT NULL,
  rejected    INTEGER NOT NULL
);
CREATE INDEX import_runs_fingerprint ON import_runs (fingerprint);
`,
};
