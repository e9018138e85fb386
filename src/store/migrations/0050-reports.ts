// Reports: two additive columns on the orders contract (0004) and the indexes the sales report uses.
//
// What the order columns mean (the contract sync, orders import and the report share):
//   orders.shipping_minor      shipping (and other buyer charges such as gift wrap) as listed to the buyer
//   orders.discount_minor      ALL discounts of the order (line and order level), a positive number
//   orders.tax_minor           ALL tax of the order (items and shipping) as the marketplace reports it
//   orders.shipping_tax_minor  the part of tax_minor on shipping (a breakdown, never added again)
//   order_lines.discount_minor / tax_minor   the line's share of the above, where the source gives it
//                              (a report uses the lines' sum when the order-level total is 0)
//   order_refunds.amount_minor + shipping_minor   money returned to the buyer, as listed (tax-inclusive
//                              where the order's prices include tax); tax_minor is the tax in it
//   order_fees.amount_minor    a marketplace fee in its own currency; negative = a fee given back
//   order_fees.kind            'refund:<name>' marks a fee charged or given back with a refund: it is
//                              reported on its occurred_at date like the refund, not on the order date
// Added here:
//   orders.prices_include_tax  1 when listed prices include the tax (EU/UK VAT), 0 when tax is added on
//                              top (US sales tax); NULL = the channel's default (core/channels.ts)
//   order_lines.gross_minor    the line's price × quantity as listed, when the source gives a line total
//                              that does not divide by the quantity (Amazon item-price); NULL = computed
export default {
  version: 50,
  name: 'reports',
  sql: `
ALTER TABLE orders ADD COLUMN prices_include_tax INTEGER CHECK (prices_include_tax IN (0, 1));
ALTER TABLE order_lines ADD COLUMN gross_minor INTEGER;
-- The report reads orders by date range and then the money columns; a covering index avoids the table.
CREATE INDEX orders_report ON orders (ordered_at, channel, currency, status, shipping_minor, discount_minor,
  tax_minor, prices_include_tax, ship_country, marketplace);
-- Lines and fees are aggregated per order.
CREATE INDEX order_lines_report ON order_lines (order_id, quantity, unit_price_minor, gross_minor, discount_minor, tax_minor);
CREATE INDEX order_fees_order ON order_fees (order_id);
CREATE INDEX order_fees_occurred ON order_fees (occurred_at);
-- The currencies a converted report needs rates for, found by a loose index scan.
CREATE INDEX orders_currency ON orders (currency);
CREATE INDEX order_fees_currency ON order_fees (currency);
CREATE INDEX order_refunds_currency ON order_refunds (currency);
CREATE INDEX order_refunds_order ON order_refunds (order_id);
`,
};
