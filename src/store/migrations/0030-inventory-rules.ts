// Inventory rules per channel and SKU pattern (sync): how much of the available stock each channel is
// offered. The most specific rule wins: channel+pattern, then pattern, then channel, then global.
// Also: what each order has done to stock so far (reserved while open, deducted once shipped), so a
// re-pulled order never counts twice.
export default {
  version: 30,
  name: 'inventory-rules',
  sql: `
CREATE TABLE inventory_rules (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  channel       TEXT,
  sku_pattern   TEXT,
  percent       TEXT,
  buffer        INTEGER,
  max_qty       INTEGER,
  min_qty       INTEGER,
  oos_threshold INTEGER,
  fixed_qty     INTEGER,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE order_stock_effects (
  order_id  INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  sku       TEXT NOT NULL,
  reserved  INTEGER NOT NULL DEFAULT 0,
  deducted  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (order_id, sku)
);
`,
};
