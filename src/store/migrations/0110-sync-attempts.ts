// Sync attempts: which attempt an outbox row is in, so that an idempotency key (Shopify's
// @idempotent) names the attempt and never the content.
//   outbox.attempt_key   the key of the request in flight for the row, written together with state
//                        'sent' before the request leaves; reused only to repeat that same request
//                        after its answer was lost (state still 'sent', or ambiguous = 1, and the same
//                        sent_json), replaced when a new attempt starts
//   settings 'sync.instanceId'   a random id of this database: two databases syncing one shop (a
//                        restored backup, a second machine) never produce the same key
export default {
  version: 110,
  name: 'sync-attempts',
  sql: `
ALTER TABLE outbox ADD COLUMN attempt_key TEXT;
INSERT OR IGNORE INTO settings (key, value, updated_at)
  VALUES ('sync.instanceId', lower(hex(randomblob(8))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
`,
};
