// Tax facts on orders (issue #17). Additive, so a database at any earlier version migrates with nothing lost.
//   orders.vat_collector     who collects and remits the VAT (GST, US sales tax) of the order: 'seller',
//                            'marketplace' (deemed supplier / marketplace facilitator) or 'import'
//                            (nobody at sale: the destination collects it at import). NULL = not yet
//                            decided (orders stored before this version; reports decide them on the fly)
//   orders.vat_scheme        how that VAT is accounted for: domestic, oss, ioss, uk, voec, gst, ch,
//                            marketplace, import (core/customs/vat-collector.ts)
//   orders.vat_country       the country whose VAT is due (XI = Northern Ireland), e.g. the OSS member state
//   orders.vat_rule          the rule that decided it (core/customs/rules.ts id), for the audit trail
//   orders.ship_postal_code  the ship-to postcode where a report file gives it (Northern Ireland, the
//                            Canary Islands, Åland… are told apart by postcode)
//   order_refunds.date_estimated  1 = the refund's date is not known and the order date stands in
//                            (Shopify's orders export has no refund date); a sync replaces such refunds
export default {
  version: 140,
  name: 'tax',
  sql: `
ALTER TABLE orders ADD COLUMN vat_collector TEXT CHECK (vat_collector IN ('seller', 'marketplace', 'import'));
ALTER TABLE orders ADD COLUMN vat_scheme TEXT CHECK (vat_scheme IN ('domestic', 'oss', 'ioss', 'uk', 'voec', 'gst', 'ch', 'marketplace', 'import'));
ALTER TABLE orders ADD COLUMN vat_country TEXT;
ALTER TABLE orders ADD COLUMN vat_rule TEXT;
ALTER TABLE orders ADD COLUMN ship_postal_code TEXT;
ALTER TABLE order_refunds ADD COLUMN date_estimated INTEGER NOT NULL DEFAULT 0 CHECK (date_estimated IN (0, 1));
UPDATE order_refunds SET date_estimated = 1 WHERE external_id LIKE 'shopify-export:%';
CREATE INDEX orders_vat_unclassified ON orders (id) WHERE vat_scheme IS NULL;
`,
};
