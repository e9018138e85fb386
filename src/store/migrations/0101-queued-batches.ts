// Asynchronous batches a marketplace accepted but had not processed when a run ended (Amazon
// JSON_LISTINGS_FEED): recorded as soon as the marketplace accepts them, so a later run (even after a
// crash) polls them instead of sending their items again, and can tell when an older feed landed
// after a newer value had been acknowledged (it then re-sends the newer value).
export default {
  version: 101,
  name: 'queued-batches',
  sql: `
CREATE TABLE queued_batches (
  id           INTEGER PRIMARY KEY,
  marketplace  TEXT NOT NULL,
  channel      TEXT NOT NULL,
  ref          TEXT NOT NULL,            -- the marketplace's id (Amazon feedId)
  submitted_at TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
  status       TEXT,                     -- the marketplace's word: IN_QUEUE, IN_PROGRESS, DONE, FATAL, CANCELLED
  checked_at   TEXT,
  processed_at TEXT,
  run_id       INTEGER,
  UNIQUE (marketplace, ref)
);
CREATE INDEX queued_batches_pending ON queued_batches (marketplace, state);

-- One row per message (position = messageId - 1): the outbox rows it carries and the exact values sent.
CREATE TABLE queued_batch_items (
  batch_id   INTEGER NOT NULL REFERENCES queued_batches(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  item_key   TEXT NOT NULL,
  channel    TEXT NOT NULL,
  sku        TEXT NOT NULL,
  outbox_ids TEXT NOT NULL,               -- JSON array of outbox ids
  sent_json  TEXT NOT NULL,               -- {"price":"12.90","currency":"EUR","quantity":3}
  outcome    TEXT CHECK (outcome IN ('acked', 'failed', 'overwritten')),
  PRIMARY KEY (batch_id, position)
);
`,
};
