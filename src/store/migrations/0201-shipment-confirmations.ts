// The confirmation outbox (issue #21): a parcel the marketplace must be told about. Recorded in the same
// transaction as the label purchase (or by `orders ship`), before anything is sent. state: pending →
// sent (committed before the request, with what was sent) → acked | failed. A row left 'sent' (a
// killed run, a lost answer) is read back on the marketplace before it is ever sent again.
export default {
  version: 201,
  name: 'shipment-confirmations',
  sql: `
CREATE TABLE shipment_confirmations (
  id                INTEGER PRIMARY KEY,
  order_id          INTEGER NOT NULL REFERENCES orders(id),
  shipment_id       INTEGER REFERENCES shipments(id),
  marketplace       TEXT NOT NULL,
  channel           TEXT NOT NULL,
  external_order_id TEXT NOT NULL,
  carrier           TEXT NOT NULL,
  service           TEXT,
  tracking          TEXT NOT NULL,
  ship_date         TEXT NOT NULL,
  lines_json        TEXT NOT NULL,
  notify_customer   INTEGER NOT NULL DEFAULT 0,
  state             TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'acked', 'failed')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  remote_id         TEXT,
  sent_json         TEXT,
  sent_at           TEXT,
  acked_at          TEXT,
  error_code        TEXT,
  error_message     TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (order_id, tracking)
);
CREATE INDEX shipment_confirmations_state ON shipment_confirmations (state, marketplace);
CREATE INDEX shipment_confirmations_shipment ON shipment_confirmations (shipment_id);
`,
};
