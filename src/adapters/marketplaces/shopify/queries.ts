// Every GraphQL document the Shopify adapter sends, in one place: the tests validate each of them (and
// every request the sandbox logs) against Shopify's published Admin schema plus the 2026-04 additions
// (test/helpers/shopify-schema.ts).
//
// Query cost (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): object 1, scalar 0,
// connection 2 + first × one node, a list sized by first/ids that many times its element; one query
// may request at most 1000 points. The sizes below are chosen so that each query stays under it:
//   ORDERS_PAGE          2 + 250 × 1                                              = 252
//   ORDER_DETAILS        per order 1 + 1 + 4×2 + (2 + 5×6) + (2 + 10×20)           = 244 → 4 orders a query
//   ORDER_LINES          1 + 2 + 45 × 20                                           = 903
//   ORDER_REFUNDS        per order 1 + 5 × (1 + 2 + (2 + 10×6) + (2 + 5×3))        = 411 → 2 orders a query
//   VARIANTS_BY_SKU      2 + 5 × 3 ; VARIANTS_PAGE 2 + 250 × 3                     = 17 ; 752
//   LEVELS               per item 1 + 1 + 1 (nodes(ids:) of inventory items)       = 3 → 250 items: 750
//   SHOP_LOCATIONS       2 + 250 × (1 + address 1)                                 = 502
//   LOCATION_LEVELS      1 + 2 + 100 × (1 + item 1 + 4 quantities)                 = 603

/** Orders of one page: only ids (their details come in ORDER_DETAILS, sized to the cost limit). */
export const ORDERS_PAGE_SIZE = 250;
export const DETAIL_ORDERS_PER_QUERY = 4;
export const DETAIL_LINES = 10;
export const MORE_LINES_PER_QUERY = 45;
export const REFUND_ORDERS_PER_QUERY = 2;
export const REFUNDS_PER_ORDER = 5;
export const REFUNDS_PER_ORDER_ALONE = 12;
export const REFUND_LINES = 10;
export const TAX_LINES = 5;

export const Q = {
  /** Verification: the shop and its primary location, in one cheap call. */
  shop: 'query Shop { shop { name myshopifyDomain currencyCode } location { id name isActive } }',

  /** The shop's primary location: location without an id (the schema's own description of location(id:)). */
  primaryLocation: 'query PrimaryLocation { location { id name isActive } }',
  locationById: 'query LocationById($id: ID!) { location(id: $id) { id name isActive } }',
  locations: 'query Locations($after: String) { locations(first: 250, after: $after, includeInactive: true) { nodes { id name isActive } pageInfo { hasNextPage endCursor } } }',

  /** Every location of the shop with what merchant keeps of it (inactive ones too: they are shown as such). */
  shopLocations: 'query ShopLocations($after: String) { locations(first: 250, after: $after, includeInactive: true) { nodes { id name isActive fulfillsOnlineOrders address { countryCode } } pageInfo { hasNextPage endCursor } } }',
  /** The inventory levels held at one location, 100 a page. */
  locationLevels: `query LocationLevels($id: ID!, $after: String) {
  location(id: $id) { id isActive inventoryLevels(first: 100, after: $after) {
    nodes { item { sku } quantities(names: ["available", "on_hand", "committed", "incoming"]) { name quantity } }
    pageInfo { hasNextPage endCursor } } } }`,

  variantsBySku: `query VariantsBySku($q: String!) {
  productVariants(first: 5, query: $q) { nodes { id sku price product { id } inventoryItem { id } } } }`,
  variantsPage: `query VariantsPage($after: String) {
  productVariants(first: 250, after: $after) { nodes { id sku price product { id } inventoryItem { id } } pageInfo { hasNextPage endCursor } } }`,
  /** Price and the available quantity at one location of known variants (read-back). */
  variantsAt: `query VariantsAt($ids: [ID!]!, $location: ID!) {
  nodes(ids: $ids) { id ... on ProductVariant { sku price product { id } inventoryItem { id inventoryLevel(locationId: $location) { quantities(names: ["available"]) { quantity } } } } } }`,
  /** The available quantity of inventory items at one location (compare-and-swap values). */
  levels: `query Levels($ids: [ID!]!, $location: ID!) {
  nodes(ids: $ids) { id ... on InventoryItem { inventoryLevel(locationId: $location) { quantities(names: ["available"]) { quantity } } } } }`,
  productByHandle: 'query ProductByHandle($q: String!) { products(first: 1, query: $q) { nodes { id } } }',

  pricesUpdate: `mutation PricesUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: true) {
    productVariants { id price } userErrors { code field message } } }`,
  /** @idempotent(key:) is mandatory from 2026-04; the key identifies the attempt (see index.ts). */
  setQuantities: `mutation SetQuantities($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { code field message } } }`,
  productCreate: `mutation ProductCreate($input: ProductSetInput!, $identifier: ProductSetIdentifiers) {
  productSet(input: $input, identifier: $identifier, synchronous: true) {
    product { id variants(first: 250) { nodes { id sku price product { id } inventoryItem { id } } } }
    userErrors { code field message } } }`,

  ordersPage: `query OrdersPage($q: String!, $after: String) {
  orders(first: ${ORDERS_PAGE_SIZE}, after: $after, sortKey: UPDATED_AT, query: $q) {
    nodes { id updatedAt displayFinancialStatus }
    pageInfo { hasNextPage endCursor } } }`,
  orderDetails: `query OrderDetails($ids: [ID!]!) {
  nodes(ids: $ids) { id ... on Order {
    name createdAt updatedAt processedAt cancelledAt displayFinancialStatus displayFulfillmentStatus currencyCode email taxesIncluded
    shippingAddress { name address1 address2 city zip provinceCode countryCodeV2 phone }
    totalPriceSet { shopMoney { amount currencyCode } }
    totalTaxSet { shopMoney { amount } }
    totalShippingPriceSet { shopMoney { amount } }
    totalDiscountsSet { shopMoney { amount } }
    shippingLines(first: 5) { nodes { title originalPriceSet { shopMoney { amount } } taxLines { title rate priceSet { shopMoney { amount } } } } }
    lineItems(first: ${DETAIL_LINES}) {
      nodes { id sku title quantity originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } } taxLines(first: ${TAX_LINES}) { title rate priceSet { shopMoney { amount } } } }
      pageInfo { hasNextPage endCursor } } } } }`,
  orderLines: `query OrderLines($id: ID!, $after: String) {
  order(id: $id) { lineItems(first: ${MORE_LINES_PER_QUERY}, after: $after) {
    nodes { id sku title quantity originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } } taxLines(first: ${TAX_LINES}) { title rate priceSet { shopMoney { amount } } } }
    pageInfo { hasNextPage endCursor } } } }`,
  orderRefunds: `query OrderRefunds($ids: [ID!]!, $refunds: Int!) {
  nodes(ids: $ids) { id ... on Order { refunds(first: $refunds) {
    id createdAt note totalRefundedSet { shopMoney { amount } }
    refundLineItems(first: ${REFUND_LINES}) { nodes { quantity lineItem { id } subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } pageInfo { hasNextPage endCursor } }
    transactions(first: 5) { nodes { kind status processedAt amountSet { shopMoney { amount } } } } } } } }`,
  refundLines: `query RefundLines($id: ID!, $after: String) {
  node(id: $id) { ... on Refund { refundLineItems(first: 100, after: $after) {
    nodes { quantity lineItem { id } subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } pageInfo { hasNextPage endCursor } } } } }`,
} as const;
