// FX rates (exact decimal text, dated, per source), pricing rules and price history.
export default {
  version: 3,
  name: 'fx-pricing',
  sql: `
-- rate = units of quote per 1 unit of base, exactly as published (ECB: base EUR).
CREATE TABLE fx_rates (
  source     TEXT NOT NULL,
  rate_date  TEXT NOT NULL,
  base       TEXT NOT NULL,
  quote      TEXT NOT NULL,
  rate       TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (source, rate_date, base, quote)
);
CREATE INDEX fx_rates_quote_date ON fx_rates (quote, rate_date);

CREATE TABLE price_rules (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  channel     TEXT,
  sku_pattern TEXT,
  rule_json   TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE price_history (
  id          INTEGER PRIMARY KEY,
  variant_id  INTEGER NOT NULL REFERENCES variants(id),
  channel     TEXT NOT NULL,
  old_minor   INTEGER,
  new_minor   INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  rule_name   TEXT,
  rate_date   TEXT,
  explain_json TEXT,
  changed_at  TEXT NOT NULL
);
CREATE INDEX price_history_variant ON price_history (variant_id, channel);
`,
};
