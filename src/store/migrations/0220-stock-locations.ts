// Stock where it really is (issue #19): a quantity per SKU per location, with an audit trail.
//
//   stock_locations        where goods sit: the home warehouse (exactly one, is_home = 1; its address is
//                          the business profile's ship-from while address_json is NULL), overseas
//                          warehouses and 3PLs (own address and country: the ship-from of parcels sent
//                          from there), Amazon FBA per region and Shopify locations (read from the
//                          marketplace: marketplace + remote_id, not editable locally).
//   stock_levels           per location and variant: on_hand (physically there and owned), reserved (held
//                          by open orders that location ships), inbound (on its way there: a move in
//                          transit, FBA working/shipped/receiving), unfulfillable (FBA: damaged, still owned).
//                          available = on_hand − reserved.
//   stock_movements        every change of on_hand, append only: delta and the level after it, what caused
//                          it (kind, reason, order, transfer). `report stock --at` reads the last movement
//                          of each (location, variant) on or before the date. The history starts here: each
//                          existing stock number becomes an 'opening' movement dated its last update.
//   stock_transfers        a move between locations: out of the source's on_hand at once, in the
//                          destination's inbound until received.
//   channel_stock_locations which locations a storefront's merchant-fulfilled listings sell from, in the
//                          order orders reserve from them. No row for a channel = the home warehouse.
//   marketplace_locations  Shopify's locations as last read, each mapped to the merchant location whose
//                          stock it sells (pushes of that location's quantity go there); NULL = unmapped.
//   orders.stock_location_id        the location that ships the order (assigned on the first reservation
//                          or by `orders assign`); NULL = not decided yet, or fulfilled by the marketplace.
//   order_stock_effects.location_id where the order's reservation/deduction was made.
//
// The old single number (table `inventory`) becomes the home warehouse's stock. `inventory` stays as a
// view of the home warehouse (with INSTEAD OF triggers that write stock_levels and the audit trail), so
// the catalogue import's "stock" column and older readers keep working unchanged.
export default {
  version: 220,
  name: 'stock-locations',
  sql: `
CREATE TABLE stock_locations (
  id           INTEGER PRIMARY KEY,
  code         TEXT NOT NULL UNIQUE CHECK (code = lower(code) AND length(code) BETWEEN 1 AND 40),
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('own', 'warehouse', '3pl', 'fba', 'shopify')),
  country      TEXT CHECK (country IS NULL OR length(country) = 2),
  address_json TEXT,
  marketplace  TEXT CHECK (marketplace IS NULL OR marketplace IN ('amazon', 'shopify')),
  remote_id    TEXT,
  channel      TEXT,
  is_home      INTEGER NOT NULL DEFAULT 0 CHECK (is_home IN (0, 1)),
  active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  CHECK ((kind IN ('fba', 'shopify')) = (marketplace IS NOT NULL))
);
CREATE UNIQUE INDEX stock_locations_one_home ON stock_locations (is_home) WHERE is_home = 1;
CREATE UNIQUE INDEX stock_locations_remote ON stock_locations (marketplace, remote_id) WHERE remote_id IS NOT NULL;

INSERT INTO stock_locations (code, name, kind, country, is_home, created_at, updated_at)
SELECT 'home', 'Home warehouse', 'own', (SELECT country FROM business_profile WHERE id = 1), 1,
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now');

CREATE TABLE stock_levels (
  location_id   INTEGER NOT NULL REFERENCES stock_locations(id),
  variant_id    INTEGER NOT NULL REFERENCES variants(id),
  on_hand       INTEGER NOT NULL DEFAULT 0,
  reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  inbound       INTEGER NOT NULL DEFAULT 0 CHECK (inbound >= 0),
  unfulfillable INTEGER NOT NULL DEFAULT 0 CHECK (unfulfillable >= 0),
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (location_id, variant_id)
) WITHOUT ROWID;
CREATE INDEX stock_levels_variant ON stock_levels (variant_id, location_id, on_hand, reserved, inbound);

CREATE TABLE stock_transfers (
  id               INTEGER PRIMARY KEY,
  variant_id       INTEGER NOT NULL REFERENCES variants(id),
  from_location_id INTEGER NOT NULL REFERENCES stock_locations(id),
  to_location_id   INTEGER NOT NULL REFERENCES stock_locations(id),
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  status           TEXT NOT NULL CHECK (status IN ('in_transit', 'received', 'cancelled')),
  reason           TEXT,
  created_at       TEXT NOT NULL,
  closed_at        TEXT,
  CHECK (from_location_id <> to_location_id)
);
CREATE INDEX stock_transfers_open ON stock_transfers (status, to_location_id);

CREATE TABLE stock_movements (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  location_id   INTEGER NOT NULL REFERENCES stock_locations(id),
  variant_id    INTEGER NOT NULL,
  sku           TEXT NOT NULL,
  delta         INTEGER NOT NULL,
  on_hand_after INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('opening', 'set', 'adjust', 'import', 'move-out', 'move-in', 'move-cancel', 'order', 'catalogue', 'marketplace')),
  reason        TEXT,
  order_id      INTEGER,
  transfer_id   INTEGER,
  command       TEXT
);
CREATE INDEX stock_movements_item ON stock_movements (location_id, variant_id, at, id);

CREATE TABLE channel_stock_locations (
  channel     TEXT NOT NULL,
  location_id INTEGER NOT NULL REFERENCES stock_locations(id),
  position    INTEGER NOT NULL,
  PRIMARY KEY (channel, location_id),
  UNIQUE (channel, position)
) WITHOUT ROWID;

CREATE TABLE marketplace_locations (
  marketplace TEXT NOT NULL CHECK (marketplace IN ('shopify')),
  remote_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  country     TEXT,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  location_id INTEGER REFERENCES stock_locations(id),
  read_at     TEXT NOT NULL,
  PRIMARY KEY (marketplace, remote_id)
);

ALTER TABLE orders ADD COLUMN stock_location_id INTEGER REFERENCES stock_locations(id);
ALTER TABLE order_stock_effects ADD COLUMN location_id INTEGER REFERENCES stock_locations(id);
UPDATE order_stock_effects SET location_id = (SELECT id FROM stock_locations WHERE is_home = 1);
UPDATE orders SET stock_location_id = (SELECT id FROM stock_locations WHERE is_home = 1)
 WHERE id IN (SELECT order_id FROM order_stock_effects WHERE reserved > 0 OR deducted > 0);

INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, inbound, unfulfillable, updated_at)
SELECT (SELECT id FROM stock_locations WHERE is_home = 1), variant_id, on_hand, max(reserved, 0), 0, 0, updated_at FROM inventory;
INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason, command)
SELECT i.updated_at, (SELECT id FROM stock_locations WHERE is_home = 1), i.variant_id, v.sku, i.on_hand, i.on_hand, 'opening',
       'stock before locations (migration 220)', 'migrate'
  FROM inventory i JOIN variants v ON v.id = i.variant_id;
DROP TABLE inventory;

-- rowid: the old table's rowid was its variant_id (INTEGER PRIMARY KEY); readers that order by it keep working.
CREATE VIEW inventory AS
SELECT variant_id, on_hand, reserved, updated_at, variant_id AS rowid FROM stock_levels
 WHERE location_id = (SELECT id FROM stock_locations WHERE is_home = 1);

CREATE TRIGGER inventory_insert INSTEAD OF INSERT ON inventory
BEGIN
  INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason)
  SELECT NEW.updated_at, h.id, NEW.variant_id, (SELECT sku FROM variants WHERE id = NEW.variant_id),
         NEW.on_hand - coalesce((SELECT on_hand FROM stock_levels WHERE location_id = h.id AND variant_id = NEW.variant_id), 0),
         NEW.on_hand, 'catalogue', 'catalogue stock column'
    FROM stock_locations h WHERE h.is_home = 1;
  INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, updated_at)
  VALUES ((SELECT id FROM stock_locations WHERE is_home = 1), NEW.variant_id, NEW.on_hand, max(coalesce(NEW.reserved, 0), 0), NEW.updated_at)
  ON CONFLICT (location_id, variant_id) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at;
END;

CREATE TRIGGER inventory_update INSTEAD OF UPDATE ON inventory
BEGIN
  INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason)
  SELECT coalesce(NEW.updated_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), h.id, OLD.variant_id, (SELECT sku FROM variants WHERE id = OLD.variant_id),
         NEW.on_hand - OLD.on_hand, NEW.on_hand, 'catalogue', 'catalogue stock column'
    FROM stock_locations h WHERE h.is_home = 1 AND NEW.on_hand IS NOT OLD.on_hand;
  UPDATE stock_levels SET on_hand = NEW.on_hand, reserved = max(NEW.reserved, 0), updated_at = coalesce(NEW.updated_at, OLD.updated_at)
   WHERE location_id = (SELECT id FROM stock_locations WHERE is_home = 1) AND variant_id = OLD.variant_id;
END;

CREATE TRIGGER inventory_delete INSTEAD OF DELETE ON inventory
BEGIN
  INSERT INTO stock_movements (at, location_id, variant_id, sku, delta, on_hand_after, kind, reason)
  SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), h.id, OLD.variant_id, (SELECT sku FROM variants WHERE id = OLD.variant_id), -OLD.on_hand, 0,
         'catalogue', 'stock level removed'
    FROM stock_locations h WHERE h.is_home = 1 AND OLD.on_hand <> 0;
  DELETE FROM stock_levels WHERE location_id = (SELECT id FROM stock_locations WHERE is_home = 1) AND variant_id = OLD.variant_id;
END;
`,
};
