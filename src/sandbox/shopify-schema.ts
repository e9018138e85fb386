// Our own SDL subset of the Shopify Admin GraphQL API as of 2026-10 (written for the sandbox; the
// saved 2025-04 schema predates changeFromQuantity and @idempotent). Field names and types follow
// Shopify's; only what merchant's adapters use is here. CountryCode and CurrencyCode are generated
// from data/countries.csv and data/iso4217.csv.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';
import { FULFILLMENT_SDL } from './shopify-fulfillment.js';

function codes(file: string, col: number, re: RegExp): string[] {
  const out = new Set<string>();
  for (const line of readFileSync(join(PACKAGE_ROOT, 'data', file), 'utf8').split(/\r?\n/).slice(1)) {
    const cells = line.split(',');
    const c = cells[col]?.trim() ?? '';
    if (re.test(c)) out.add(c);
  }
  return [...out].sort();
}

export const SHOPIFY_API_VERSION = '2026-10';

export function shopifySdl(): string {
  const countries = codes('countries.csv', 0, /^[A-Z]{2}$/);
  // iso4217.csv has quoted entity names with commas; the code is the third-from-last-but-two column.
  const currencies = new Set<string>();
  for (const line of readFileSync(join(PACKAGE_ROOT, 'data', 'iso4217.csv'), 'utf8').split(/\r?\n/).slice(1)) {
    const m = /,([A-Z]{3}),(\d{3}),/.exec(line);
    if (m) currencies.add(m[1]!);
  }
  return `${SDL}
${FULFILLMENT_SDL}
enum CountryCode { ${countries.join(' ')} }
enum CurrencyCode { ${[...currencies].sort().join(' ')} }
`;
}

const SDL = /* GraphQL */ `
"Makes a mutation idempotent: a retry with the same key returns the first result (mandatory on inventory mutations from 2026-04)."
directive @idempotent(key: String!) on FIELD

scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar HTML
scalar UnsignedInt64

interface Node { id: ID! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type Count { count: Int! precision: CountPrecision! }
enum CountPrecision { EXACT AT_LEAST }

type Shop implements Node { id: ID! name: String! myshopifyDomain: String! currencyCode: CurrencyCode! ianaTimezone: String! email: String! }

enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductSortKeys { CREATED_AT ID INVENTORY_TOTAL PRODUCT_TYPE PUBLISHED_AT RELEVANCE TITLE UPDATED_AT VENDOR }
enum ProductVariantSortKeys { ID SKU TITLE INVENTORY_QUANTITY POSITION RELEVANCE }
enum ProductVariantInventoryPolicy { CONTINUE DENY }
enum WeightUnit { GRAMS KILOGRAMS OUNCES POUNDS }
enum OrderSortKeys { CREATED_AT CUSTOMER_NAME DESTINATION FINANCIAL_STATUS FULFILLMENT_STATUS ID ORDER_NUMBER PO_NUMBER PROCESSED_AT RELEVANCE TOTAL_ITEMS_QUANTITY TOTAL_PRICE UPDATED_AT }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED }

type Product implements Node {
  id: ID!
  title: String!
  handle: String!
  descriptionHtml: HTML!
  vendor: String!
  productType: String!
  status: ProductStatus!
  tags: [String!]!
  createdAt: DateTime!
  updatedAt: DateTime!
  totalInventory: Int!
  variantsCount: Count
  variants(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: ProductVariantSortKeys = POSITION): ProductVariantConnection!
}
type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

type ProductVariant implements Node {
  id: ID!
  title: String!
  displayName: String!
  sku: String
  barcode: String
  price: Money!
  compareAtPrice: Money
  taxable: Boolean!
  inventoryPolicy: ProductVariantInventoryPolicy!
  inventoryQuantity: Int
  position: Int!
  createdAt: DateTime!
  updatedAt: DateTime!
  product: Product!
  inventoryItem: InventoryItem!
}
type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }

type Weight { unit: WeightUnit! value: Float! }
type InventoryItemMeasurement { id: ID! weight: Weight }
type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

type InventoryItem implements Node {
  id: ID!
  sku: String
  tracked: Boolean!
  requiresShipping: Boolean!
  countryCodeOfOrigin: CountryCode
  harmonizedSystemCode: String
  unitCost: MoneyV2
  measurement: InventoryItemMeasurement!
  createdAt: DateTime!
  updatedAt: DateTime!
  variant: ProductVariant!
  inventoryLevel(locationId: ID!): InventoryLevel
  inventoryLevels(first: Int, after: String, last: Int, before: String): InventoryLevelConnection!
}
type InventoryItemEdge { cursor: String! node: InventoryItem! }
type InventoryItemConnection { edges: [InventoryItemEdge!]! nodes: [InventoryItem!]! pageInfo: PageInfo! }

type InventoryQuantity implements Node { id: ID! name: String! quantity: Int! updatedAt: DateTime }
type InventoryLevel implements Node {
  id: ID!
  item: InventoryItem!
  location: Location!
  quantities(names: [String!]!): [InventoryQuantity!]!
  createdAt: DateTime!
  updatedAt: DateTime!
}
type InventoryLevelEdge { cursor: String! node: InventoryLevel! }
type InventoryLevelConnection { edges: [InventoryLevelEdge!]! nodes: [InventoryLevel!]! pageInfo: PageInfo! }

type Location implements Node { id: ID! name: String! isActive: Boolean! fulfillsOnlineOrders: Boolean! }
type LocationEdge { cursor: String! node: Location! }
type LocationConnection { edges: [LocationEdge!]! nodes: [Location!]! pageInfo: PageInfo! }

type MailingAddress { name: String firstName: String lastName: String company: String address1: String address2: String city: String province: String provinceCode: String zip: String country: String countryCodeV2: CountryCode phone: String }

type LineItem implements Node {
  id: ID!
  name: String!
  title: String!
  sku: String
  quantity: Int!
  currentQuantity: Int!
  variant: ProductVariant
  originalUnitPriceSet: MoneyBag!
  discountedUnitPriceSet: MoneyBag!
  originalTotalSet: MoneyBag!
  totalDiscountSet: MoneyBag!
}
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

type Order implements Node {
  id: ID!
  name: String!
  email: String
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  test: Boolean!
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  currencyCode: CurrencyCode!
  presentmentCurrencyCode: CurrencyCode!
  subtotalPriceSet: MoneyBag
  totalPriceSet: MoneyBag!
  totalShippingPriceSet: MoneyBag!
  totalTaxSet: MoneyBag
  totalDiscountsSet: MoneyBag
  currentTotalPriceSet: MoneyBag!
  shippingAddress: MailingAddress
  lineItems(first: Int, after: String, last: Int, before: String): LineItemConnection!
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

type Query {
  shop: Shop!
  node(id: ID!): Node
  product(id: ID!): Product
  productByIdentifier(identifier: ProductIdentifierInput!): Product
  products(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: ProductSortKeys = ID, query: String): ProductConnection!
  productsCount(query: String): Count
  productVariant(id: ID!): ProductVariant
  productVariants(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: ProductVariantSortKeys = ID, query: String): ProductVariantConnection!
  inventoryItem(id: ID!): InventoryItem
  inventoryItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): InventoryItemConnection!
  inventoryLevel(id: ID!): InventoryLevel
  location(id: ID): Location
  locations(first: Int, after: String, last: Int, before: String): LocationConnection!
  order(id: ID!): Order
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: OrderSortKeys = PROCESSED_AT, query: String): OrderConnection!
}

input ProductIdentifierInput { id: ID handle: String }

input WeightInput { unit: WeightUnit! value: Float! }
input InventoryItemMeasurementInput { weight: WeightInput }
input InventoryItemInput {
  sku: String
  cost: Decimal
  tracked: Boolean
  requiresShipping: Boolean
  countryCodeOfOrigin: CountryCode
  harmonizedSystemCode: String
  measurement: InventoryItemMeasurementInput
}
input ProductVariantsBulkInput {
  id: ID
  price: Money
  compareAtPrice: Money
  barcode: String
  taxable: Boolean
  inventoryPolicy: ProductVariantInventoryPolicy
  inventoryItem: InventoryItemInput
}
enum ProductVariantsBulkUpdateUserErrorCode { BLANK GREATER_THAN_OR_EQUAL_TO INVALID_INPUT INVALID_VALUE MUST_BE_FOR_THIS_PRODUCT NEGATIVE_PRICE_VALUE PRODUCT_DOES_NOT_EXIST PRODUCT_VARIANT_DOES_NOT_EXIST PRODUCT_VARIANT_ID_MISSING TOO_LONG }
type ProductVariantsBulkUpdateUserError { code: ProductVariantsBulkUpdateUserErrorCode field: [String!] message: String! }
type ProductVariantsBulkUpdatePayload { product: Product productVariants: [ProductVariant!] userErrors: [ProductVariantsBulkUpdateUserError!]! }

input InventoryQuantityInput {
  inventoryItemId: ID!
  locationId: ID!
  quantity: Int!
  "Required from 2026-04 on every quantity: the quantity you last read, or null to skip the compare-and-swap check."
  changeFromQuantity: Int
}
input InventorySetQuantitiesInput { name: String! reason: String! referenceDocumentUri: String quantities: [InventoryQuantityInput!]! }
enum InventorySetQuantitiesUserErrorCode { CHANGE_FROM_QUANTITY_REQUIRED CHANGE_FROM_QUANTITY_STALE INVALID_INVENTORY_ITEM INVALID_LOCATION INVALID_NAME INVALID_QUANTITY_NEGATIVE INVALID_QUANTITY_TOO_HIGH INVALID_QUANTITY_TOO_LOW INVALID_REASON INVALID_REFERENCE_DOCUMENT ITEM_NOT_STOCKED_AT_LOCATION NON_MUTABLE_INVENTORY_ITEM NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR }
type InventorySetQuantitiesUserError { code: InventorySetQuantitiesUserErrorCode field: [String!] message: String! }
type InventoryChange { name: String! delta: Int! quantityAfterChange: Int ledgerDocumentUri: String item: InventoryItem location: Location }
type InventoryAdjustmentGroup implements Node { id: ID! createdAt: DateTime! reason: String! referenceDocumentUri: String changes(inventoryItemIds: [ID!], locationIds: [ID!], quantityNames: [String!]): [InventoryChange!]! }
type InventorySetQuantitiesPayload { inventoryAdjustmentGroup: InventoryAdjustmentGroup userErrors: [InventorySetQuantitiesUserError!]! }

input ProductVariantSetInput {
  id: ID
  sku: String
  price: Money
  compareAtPrice: Money
  barcode: String
  taxable: Boolean
  inventoryPolicy: ProductVariantInventoryPolicy
  inventoryItem: InventoryItemInput
  optionValues: [VariantOptionValueInput!]
  inventoryQuantities: [ProductSetInventoryInput!]
}
input VariantOptionValueInput { optionName: String name: String }
input ProductSetInventoryInput { locationId: ID! name: String! quantity: Int! }
input OptionValueSetInput { name: String }
input OptionSetInput { name: String values: [OptionValueSetInput!] }
input ProductSetInput {
  title: String
  handle: String
  descriptionHtml: String
  vendor: String
  productType: String
  status: ProductStatus
  tags: [String!]
  productOptions: [OptionSetInput!]
  variants: [ProductVariantSetInput!]
}
input ProductSetIdentifiers { id: ID handle: String }
enum ProductSetUserErrorCode { BLANK HANDLE_NOT_UNIQUE INPUT_MISMATCH INVALID_INPUT INVALID_VARIANT PRODUCT_DOES_NOT_EXIST VARIANTS_OVER_LIMIT DUPLICATED_OPTION_VALUE }
type ProductSetUserError { code: ProductSetUserErrorCode field: [String!] message: String! }
type ProductSetPayload { product: Product userErrors: [ProductSetUserError!]! }

type Mutation {
  productVariantsBulkUpdate(productId: ID!, variants: [ProductVariantsBulkInput!]!, allowPartialUpdates: Boolean = false): ProductVariantsBulkUpdatePayload
  inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
  productSet(input: ProductSetInput!, identifier: ProductSetIdentifiers, synchronous: Boolean = true): ProductSetPayload
}
`;
