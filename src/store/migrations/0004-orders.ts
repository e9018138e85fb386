// Orders from marketplace APIs and from marketplace report files: the same records.
// Amounts are in the order currency unless a row has its own currency column (fees may differ).
// Timestamps are UTC ISO 8601. Contract shared by sync (writes from APIs), orders import (writes
// from files) and reports (reads): change it only additively.
export default {
  version: 4,
  name: 'orders',
  sql: `
CREATE TABLE orders (
  id                INTEGER PRIMARY KEY,
  marketplace       TEXT NOT NULL,
  channel           TEXT NOT NULL,
  external_id       TEXT NOT NULL,
  status            TEXT NOT NULL,
  ordered_at        TEXT NOT NULL,
  remote_updated_at TEXT,
  paid_at           TEXT,
  currency          TEXT NOT NULL CHECK (length(currency) = 3),
  buyer_name        TEXT,
  buyer_email       TEXT,
  ship_to_json      TEXT,
  ship_country      TEXT,
  shipping_minor    INTEGER NOT NULL DEFAULT 0,
  shipping_tax_minor INTEGER NOT NULL DEFAULT 0,
  discount_minor    INTEGER NOT NULL DEFAULT 0,
  tax_minor         INTEGER NOT NULL DEFAULT 0,
  tax_kind          TEXT,
  total_minor       INTEGER,
  source            TEXT NOT NULL,
  raw_json          TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (marketplace, external_id)
);
CREATE INDEX orders_ordered_at ON orders (ordered_at);
CREATE INDEX orders_channel ON orders (channel, ordered_at);

CREATE TABLE order_lines (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  external_line_id TEXT NOT NULL,
  sku              TEXT,
  title            TEXT,
  quantity         INTEGER NOT NULL,
  unit_price_minor INTEGER NOT NULL,
  discount_minor   INTEGER NOT NULL DEFAULT 0,
  tax_minor        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (order_id, external_line_id)
);
CREATE INDEX order_lines_sku ON order_lines (sku);

-- Marketplace fees (referral, final value, payment...), each in its own currency.
CREATE TABLE order_fees (
  id          INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line_id     INTEGER REFERENCES order_lines(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency    TEXT NOT NULL CHECK (length(currency) = 3),
  occurred_at TEXT,
  external_id TEXT NOT NULL,
  UNIQUE (order_id, external_id)
);

-- Refunds are dated (they may fall in a later month than the order) and may be partial.
CREATE TABLE order_refunds (
  id              INTEGER PRIMARY KEY,
  order_id        INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  line_id         INTEGER REFERENCES order_lines(id) ON DELETE CASCADE,
  external_id     TEXT NOT NULL,
  refunded_at     TEXT NOT NULL,
  quantity        INTEGER NOT NULL DEFAULT 0,
  amount_minor    INTEGER NOT NULL DEFAULT 0,
  shipping_minor  INTEGER NOT NULL DEFAULT 0,
  tax_minor       INTEGER NOT NULL DEFAULT 0,
  currency        TEXT NOT NULL CHECK (length(currency) = 3),
  reason          TEXT,
  UNIQUE (order_id, external_id)
);
CREATE INDEX order_refunds_at ON order_refunds (refunded_at);
`,
};
