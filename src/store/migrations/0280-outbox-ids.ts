// Outbox ids are never used twice (issue #20). Sync now deletes an item's outbox rows in the transaction
// that acknowledges them (and prunes the listing's superseded and skipped rows), so the outbox holds only
// open work. An idempotency key names its rows by id (`<instance>:<ids>:<attempt>`, migration 110):
// with a plain INTEGER PRIMARY KEY, SQLite hands out max(id)+1 and would give a new row the id of a
// deleted one, and a new request the key of an old one (answered from the marketplace's memory instead
// of applied). AUTOINCREMENT keeps the high-water mark in sqlite_sequence. The table is rebuilt the
// SQLite way (new table, copy, drop, rename); every row and id is kept, indexes recreated.
export default {
  version: 280,
  name: 'outbox-ids',
  sql: `
CREATE TABLE outbox_new (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
  updated_at   TEXT NOT NULL,
  attempt_key  TEXT
);
INSERT INTO outbox_new (id, channel, marketplace, sku, kind, payload_json, state, attempts, run_id, sent_json, sent_at, acked_at, ambiguous, error_code, error_message, created_at, updated_at, attempt_key)
  SELECT id, channel, marketplace, sku, kind, payload_json, state, attempts, run_id, sent_json, sent_at, acked_at, ambiguous, error_code, error_message, created_at, updated_at, attempt_key
    FROM outbox ORDER BY id;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (marketplace, state);
CREATE INDEX outbox_item ON outbox (channel, sku, kind, state);
`,
};
