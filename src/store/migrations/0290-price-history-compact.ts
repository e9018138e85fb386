// A compact price history (issue #20: re-pricing ≤ 5× a plain SQL UPDATE). Every price change is still
// recorded (PRODUCT.md §4), but what one run shares is written once:
//   price_bases   — one row per run × channel × rule × cost currency: when, the channel and its
//                   currency, the rule, the exact rate (as exact decimal/fraction text), its date and source;
//   price_changes — one row per changed price: the basis, the variant, the listing it set, old and new
//                   price, the exact solved P (a reduced fraction), the clamp hit and the minimum-fee flag.
// Before, each price_history row repeated ~120 bytes of explanation JSON and fed an index
// (price_history_variant) that no command reads. `price_history` is now a view with the old columns, and
// its explain_json is the same text `prices update` wrote before (the same keys in the same order).
// Rows written before this migration keep their explanation exactly as written (price_changes.explain_json,
// their solved column NULL), under one basis per (time, channel, currency, rule, rate date); ids are kept.
// A re-price sets its listings from the change rows in one set-based statement (store/repos/pricing.ts).
export default {
  version: 290,
  name: 'price-history-compact',
  sql: `
CREATE TABLE price_bases (
  id          INTEGER PRIMARY KEY,
  changed_at  TEXT NOT NULL,
  channel     TEXT NOT NULL,
  currency    TEXT NOT NULL,
  rule_name   TEXT,
  rate        TEXT,
  rate_date   TEXT,
  source      TEXT
);
CREATE TABLE price_changes (
  id           INTEGER PRIMARY KEY,
  basis_id     INTEGER NOT NULL REFERENCES price_bases(id),
  variant_id   INTEGER NOT NULL REFERENCES variants(id),
  listing_id   INTEGER,
  old_minor    INTEGER,
  new_minor    INTEGER NOT NULL,
  solved       TEXT,
  bound        TEXT CHECK (bound IN ('min', 'max')),
  min_fee      INTEGER,
  explain_json TEXT
);

INSERT INTO price_bases (changed_at, channel, currency, rule_name, rate_date)
  SELECT changed_at, channel, currency, rule_name, rate_date FROM price_history
   GROUP BY changed_at, channel, currency, rule_name, rate_date ORDER BY min(id);
CREATE INDEX price_bases_legacy ON price_bases (changed_at, channel, currency, rule_name, rate_date);
INSERT INTO price_changes (id, basis_id, variant_id, old_minor, new_minor, explain_json)
  SELECT h.id, b.id, h.variant_id, h.old_minor, h.new_minor, h.explain_json
    FROM price_history h JOIN price_bases b
      ON b.changed_at = h.changed_at AND b.channel = h.channel AND b.currency = h.currency
     AND b.rule_name IS h.rule_name AND b.rate_date IS h.rate_date
   ORDER BY h.id;
DROP INDEX price_bases_legacy;
DROP TABLE price_history;

CREATE VIEW price_history AS
SELECT c.id, c.variant_id, b.channel, c.old_minor, c.new_minor, b.currency, b.rule_name, b.rate_date,
       CASE WHEN c.solved IS NULL THEN c.explain_json
            ELSE '{"rule":' || json_quote(b.rule_name) || ',"rate":' || json_quote(b.rate) || ',"rateDate":' || json_quote(b.rate_date)
                 || ',"source":' || json_quote(b.source) || ',"solved":' || json_quote(c.solved) || ',"bound":' || json_quote(c.bound)
                 || ',"minFee":' || CASE WHEN c.min_fee THEN 'true' ELSE 'false' END || '}'
       END AS explain_json,
       b.changed_at
  FROM price_changes c JOIN price_bases b ON b.id = c.basis_id;
`,
};
