// Sync: the outbox of local changes to push, per-run records, per-call log and pull cursors.
export default {
  version: 5,
  name: 'sync',
  sql: `
-- A change that must reach a marketplace. kind: listing | price | inventory | delist.
-- state: pending → sent → acked | failed; superseded when a newer change for the same
-- (channel, sku, kind) replaces a pending one; skipped when sync found nothing to send (the
-- marketplace already has the value) or the kind is not pushed. 'sent' is written (committed)
-- before the request goes out, with the exact values in sent_json, so a run killed mid-call can
-- read the remote back and tell whether it landed before sending again.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  channel      TEXT NOT NULL,
  marketplace  TEXT NOT NULL,
  sku          TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('listing', 'price', 'inventory', 'delist')),
  payload_json TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'acked', 'failed', 'superseded', 'skipped')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  run_id       INTEGER,
  sent_json    TEXT,
  sent_at      TEXT,
  acked_at     TEXT,
  ambiguous    INTEGER NOT NULL DEFAULT 0,
  error_code   TEXT,
  error_message TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox (marketplace, state);
CREATE INDEX outbox_item ON outbox (channel, sku, kind, state);

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed', 'refused')),
  options_json TEXT,
  summary_json TEXT
);

-- Every remote call's outcome (no secrets, no bodies with PII).
CREATE TABLE sync_log (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER REFERENCES sync_runs(id),
  at          TEXT NOT NULL,
  service     TEXT NOT NULL,
  operation   TEXT NOT NULL,
  http_status INTEGER,
  items       INTEGER,
  outcome     TEXT NOT NULL,
  detail      TEXT
);
CREATE INDEX sync_log_run ON sync_log (run_id);

-- Incremental pull positions (e.g. orders lastUpdatedAfter per marketplace).
CREATE TABLE sync_cursors (
  marketplace TEXT NOT NULL,
  stream      TEXT NOT NULL,
  cursor      TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (marketplace, stream)
);
`,
};
