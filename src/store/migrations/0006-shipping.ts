// Shipments (the booking ledger) and customs declarations.
export default {
  version: 6,
  name: 'shipping',
  sql: `
-- state: planned → purchasing → purchased → (voided); failed. A row in 'purchasing' after a crash
-- means "a label may exist": reconcile with the carrier by reference before buying again.
-- reference is unique and is sent to the carrier with the shipment (EasyPost reference, Shippo
-- metadata), so the carrier can be asked "did a label for this reference get bought?".
CREATE TABLE shipments (
  id                 INTEGER PRIMARY KEY,
  reference          TEXT NOT NULL UNIQUE,
  order_id           INTEGER REFERENCES orders(id),
  carrier_account    TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('planned', 'purchasing', 'purchased', 'voided', 'failed')),
  remote_shipment_id TEXT,
  remote_transaction_id TEXT,
  rate_id            TEXT,
  carrier            TEXT,
  service            TEXT,
  tracking_code      TEXT,
  tracking_status    TEXT,
  label_url          TEXT,
  label_path         TEXT,
  cost_minor         INTEGER,
  cost_currency      TEXT,
  from_json          TEXT,
  to_json            TEXT,
  parcel_json        TEXT,
  customs_json       TEXT,
  rates_json         TEXT,
  forms_json         TEXT,
  service_kind       TEXT NOT NULL DEFAULT 'postal' CHECK (service_kind IN ('postal', 'courier')),
  selection          TEXT,
  attempts           INTEGER NOT NULL DEFAULT 0,
  void_status        TEXT,
  error_message      TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_state ON shipments (state);

CREATE TABLE customs_declarations (
  id          INTEGER PRIMARY KEY,
  shipment_id INTEGER REFERENCES shipments(id),
  order_id    INTEGER REFERENCES orders(id),
  form        TEXT NOT NULL,
  destination TEXT NOT NULL,
  currency    TEXT NOT NULL,
  declaration_json TEXT NOT NULL,
  document_path TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX customs_declarations_shipment ON customs_declarations (shipment_id);
`,
};
