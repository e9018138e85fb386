// Core: settings, business profile, onboarding checklist, connected accounts, writer lock, audit log.
// Frozen once released: append a new migration instead of editing this one.
export default {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE lock (
  name        TEXT PRIMARY KEY,
  pid         INTEGER NOT NULL,
  host        TEXT NOT NULL,
  command     TEXT NOT NULL,
  acquired_at TEXT NOT NULL
);

-- One row: the seller's business. Addresses are JSON objects {name,company,street1,street2,city,
-- state,postalCode,country,phone,email}.
CREATE TABLE business_profile (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  legal_name     TEXT NOT NULL,
  country        TEXT NOT NULL CHECK (length(country) = 2),
  base_currency  TEXT NOT NULL CHECK (length(base_currency) = 3),
  timezone       TEXT NOT NULL,
  vat_number     TEXT,
  eori           TEXT,
  ioss_number    TEXT,
  uk_vat_number  TEXT,
  voec_number    TEXT,
  abn_arn        TEXT,
  ship_from_json TEXT,
  return_json    TEXT,
  marketplaces_json TEXT NOT NULL DEFAULT '[]',
  carriers_json  TEXT NOT NULL DEFAULT '[]',
  fx_source      TEXT NOT NULL DEFAULT 'ecb',
  default_rule_json TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

-- Each marketplace's onboarding checklist as status items.
CREATE TABLE onboarding_items (
  marketplace TEXT NOT NULL,
  item        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('todo', 'done', 'n/a')),
  note        TEXT,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (marketplace, item)
);

-- Connected accounts. Secrets are never stored here (see config/credentials.ts); settings_json holds
-- non-secret identifiers (shop domain, region, marketplace ids, seller id, site).
CREATE TABLE marketplace_accounts (
  marketplace      TEXT PRIMARY KEY CHECK (marketplace IN ('amazon', 'ebay', 'shopify')),
  base_url         TEXT,
  auth_url         TEXT,
  sandbox          INTEGER NOT NULL DEFAULT 0,
  settings_json    TEXT NOT NULL DEFAULT '{}',
  credential_store TEXT,
  verified_at      TEXT,
  token_expires_at TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

CREATE TABLE carrier_accounts (
  carrier          TEXT PRIMARY KEY CHECK (carrier IN ('easypost', 'shippo')),
  base_url         TEXT,
  mode             TEXT NOT NULL CHECK (mode IN ('test', 'live')),
  sandbox          INTEGER NOT NULL DEFAULT 0,
  settings_json    TEXT NOT NULL DEFAULT '{}',
  credential_store TEXT,
  verified_at      TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

-- Storefronts: one currency each (PRODUCT.md §6). Seeded from core/channels.ts on connect.
CREATE TABLE channels (
  code               TEXT PRIMARY KEY,
  marketplace        TEXT NOT NULL,
  currency           TEXT NOT NULL CHECK (length(currency) = 3),
  country            TEXT,
  prices_include_tax INTEGER NOT NULL DEFAULT 0,
  vat_rate           TEXT,
  remote_id          TEXT,
  enabled            INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);

-- Who changed what, when (local changes and remote outcomes). Never contains secrets.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  command    TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT,
  action     TEXT NOT NULL,
  detail_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
`,
};
