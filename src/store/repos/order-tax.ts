// Orders' tax facts (migration 0140): what deciding who collects the VAT needs to read (the order's
// channel, ship-to, payment day and goods value; the business's establishment, ship-from and
// registrations), where the decision is written, and the refunds whose date is only estimated.

import { big, num, type Store } from '../db.js';
import type { SellerIds } from '../../core/customs/types.js';
import type { BusinessTaxProfile, OrderTaxFacts, StoredVat } from '../../ports/order-tax.js';

interface Row {
  id: bigint;
  marketplace: string;
  channel: string;
  currency: string;
  paid: string;
  ship_country: string | null;
  postal: string | null;
  gross: bigint | null;
  disc: bigint;
  tax: bigint;
  ship_tax: bigint;
  incl: bigint | null;
  max_unit: bigint | null;
}

const FACTS_SQL = `
SELECT o.id, o.marketplace, o.channel, o.currency, substr(COALESCE(o.paid_at, o.ordered_at), 1, 10) AS paid, o.ship_country,
  COALESCE(o.ship_postal_code,
    CASE WHEN json_valid(o.ship_to_json) THEN COALESCE(json_extract(o.ship_to_json, '$.postalCode'), json_extract(o.ship_to_json, '$.zip'),
      json_extract(o.ship_to_json, '$.postal_code'), json_extract(o.ship_to_json, '$.PostalCode')) END) AS postal,
  (SELECT SUM(COALESCE(l.gross_minor, l.quantity * l.unit_price_minor)) FROM order_lines l WHERE l.order_id = o.id) AS gross,
  CASE WHEN o.discount_minor = 0 THEN COALESCE((SELECT SUM(discount_minor) FROM order_lines WHERE order_id = o.id), 0) ELSE o.discount_minor END AS disc,
  CASE WHEN o.tax_minor = 0 THEN COALESCE((SELECT SUM(tax_minor) FROM order_lines WHERE order_id = o.id), 0) ELSE o.tax_minor END AS tax,
  o.shipping_tax_minor AS ship_tax,
  o.prices_include_tax AS incl,
  (SELECT MAX((COALESCE(l.gross_minor, l.quantity * l.unit_price_minor) - l.discount_minor - CASE WHEN COALESCE(o.prices_include_tax, 1) = 1 THEN l.tax_minor ELSE 0 END) / MAX(l.quantity, 1))
     FROM order_lines l WHERE l.order_id = o.id) AS max_unit
FROM orders o WHERE o.id = ?`;

/** The facts of these orders (unknown ids are skipped). `includesTax` resolves a NULL prices_include_tax (the channel default). */
export function orderTaxFacts(store: Store, ids: readonly (number | bigint)[], includesTax: (channel: string) => boolean): OrderTaxFacts[] {
  const st = store.db.prepare(FACTS_SQL);
  const out: OrderTaxFacts[] = [];
  for (const id of ids) {
    const r = st.get(BigInt(id)) as Row | undefined;
    if (!r) continue;
    const incl = r.incl === null ? includesTax(r.channel) : num(r.incl) === 1;
    const itemTax = incl ? big(r.tax) - big(r.ship_tax) : 0n;
    out.push({
      id: r.id,
      marketplace: r.marketplace,
      channel: r.channel,
      currency: r.currency,
      paymentDay: r.paid,
      shipCountry: r.ship_country,
      shipPostalCode: r.postal === null ? null : String(r.postal),
      goodsMinor: big(r.gross) - big(r.disc) - itemTax,
      maxUnitMinor: big(r.max_unit),
    });
  }
  return out;
}

/** Orders without a decision, in id order (a bounded batch). */
export function unclassifiedOrderIds(store: Store, limit: number, range?: { fromUtc: string; toUtc: string }): bigint[] {
  const rows = (range
    ? store.db.prepare('SELECT id FROM orders WHERE vat_scheme IS NULL AND ordered_at >= ? AND ordered_at < ? ORDER BY id LIMIT ?').raw().all(range.fromUtc, range.toUtc, limit)
    : store.db.prepare('SELECT id FROM orders WHERE vat_scheme IS NULL ORDER BY id LIMIT ?').raw().all(limit)) as bigint[][];
  return rows.map((r) => r[0]!);
}

export function saveOrderVat(store: Store, id: bigint | number, v: StoredVat | null): void {
  store.db
    .prepare('UPDATE orders SET vat_collector = ?, vat_scheme = ?, vat_country = ?, vat_rule = ? WHERE id = ?')
    .run(v?.collector ?? null, v?.scheme ?? null, v?.country ?? null, v?.rule ?? null, BigInt(id));
}

export function businessTaxProfile(store: Store): BusinessTaxProfile {
  const row = store.db
    .prepare('SELECT country, base_currency, eori, ioss_number, uk_vat_number, voec_number, abn_arn, ship_from_json FROM business_profile WHERE id = 1')
    .get() as
    | { country: string; base_currency: string; eori: string | null; ioss_number: string | null; uk_vat_number: string | null; voec_number: string | null; abn_arn: string | null; ship_from_json: string | null }
    | undefined;
  if (!row) return { ids: {} };
  let shipFrom: BusinessTaxProfile['shipFrom'];
  try {
    const j = row.ship_from_json ? (JSON.parse(row.ship_from_json) as Record<string, unknown>) : undefined;
    if (j && typeof j.country === 'string') shipFrom = { country: j.country.toUpperCase(), ...(typeof j.postalCode === 'string' ? { postalCode: j.postalCode } : {}) };
  } catch {
    shipFrom = undefined;
  }
  const ids: SellerIds = {};
  if (row.ioss_number) ids.ioss = row.ioss_number;
  if (row.eori) ids.eori = row.eori;
  if (row.uk_vat_number) ids.ukVat = row.uk_vat_number;
  if (row.voec_number) ids.voec = row.voec_number;
  if (row.abn_arn) ids.abnArn = row.abn_arn;
  return { country: row.country, baseCurrency: row.base_currency, ...(shipFrom ? { shipFrom } : {}), ids };
}

/**
 * An order the marketplace's API has just delivered carries its refunds with their real dates: the
 * refunds imported from a file without a date (Shopify's orders export) are replaced by them.
 * Returns how many were dropped.
 */
export function dropEstimatedRefunds(store: Store, orderId: bigint | number): number {
  return num(store.db.prepare('DELETE FROM order_refunds WHERE order_id = ? AND date_estimated = 1').run(BigInt(orderId)).changes);
}
