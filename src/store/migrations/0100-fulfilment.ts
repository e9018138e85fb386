// Amazon conformance (issue #15): who fulfils a listing and an order, and the listing's own product type.
// - channel_listings.fulfilled_by: 'merchant' (the seller ships from own stock) or 'marketplace'
//   (Amazon FBA/AFN ships from Amazon's stock, so merchant never sends its quantity); NULL = not
//   learnt yet (learnt from getListingsItem / searchListingsItems on the first push or read-back).
// - channel_listings.remote_product_type: the product type the marketplace reports for the listing
//   (Amazon summaries.productType); patches must name it, never the local catalogue's type.
// - orders.fulfilled_by: 'marketplace' orders (Amazon fulfilledBy AMAZON) never reserve or deduct
//   the seller's own stock. NULL for orders pulled before this migration (they were merchant's).
// Stock per location (FBA inventory) is issue #19; this only stores the channel.
export default {
  version: 100,
  name: 'fulfilment',
  sql: `
ALTER TABLE channel_listings ADD COLUMN fulfilled_by TEXT CHECK (fulfilled_by IN ('merchant', 'marketplace'));
ALTER TABLE channel_listings ADD COLUMN remote_product_type TEXT;
ALTER TABLE orders ADD COLUMN fulfilled_by TEXT CHECK (fulfilled_by IN ('merchant', 'marketplace'));
`,
};
