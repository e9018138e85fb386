// Our own SDL subset of the Shopify Admin GraphQL API as of 2026-10 (written for the sandbox; the
// saved 2025-04 schema predates changeFromQuantity and @idempotent). Field names, argument lists and
// types follow Shopify's published schema: test/sandbox/shopify-schema.test.ts checks every type and
// field here against ../shared/specs/shopify/schema.graphql (2025-04, MIT) and lists the 2026
// additions it may not contain (SHOPIFY_2026_ADDITIONS below). Only what merchant's adapters and the
// tests' own order/refund set-up use is here. CountryCode and CurrencyCode are generated from
// data/countries.csv (less the codes Shopify does not list); CurrencyCode is Shopify's own list.

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

/**
 * Shopify's CurrencyCode values (the published Admin schema's enum: current ISO 4217 codes plus
 * Shopify's own JEP and KID, without funds, metals and most historic codes).
 */
const SHOPIFY_CURRENCIES = 'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BYR BZD CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JEP JMD JOD JPY KES KGS KHR KID KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL LTL LVL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STD STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VEF VES VND VUV WST XAF XCD XOF XPF XXX YER ZAR ZMW';

/** ISO 3166 codes Shopify does not list as countries (it treats the US territories as US provinces). */
const NOT_SHOPIFY_COUNTRIES = new Set(['AQ', 'AS', 'FM', 'GU', 'MH', 'MP', 'PR', 'PW', 'VI']);

export function shopifySdl(): string {
  const countries = codes('countries.csv', 0, /^[A-Z]{2}$/).filter((c) => !NOT_SHOPIFY_COUNTRIES.has(c));
  return `${SDL}
${FULFILLMENT_SDL}
enum CountryCode { ${countries.join(' ')} }
enum CurrencyCode { ${SHOPIFY_CURRENCIES} }
`;
}

/**
 * What the sandbox's 2026 schema has that Shopify's published 2025-04 SDL does not (or has
 * differently): the consistency test allows exactly these differences.
 */
export const SHOPIFY_2026_ADDITIONS = {
  directives: ['idempotent'],
  inputFields: ['InventoryQuantityInput.changeFromQuantity'],
  enumValues: ['InventorySetQuantitiesUserErrorCode.CHANGE_FROM_QUANTITY_STALE', 'InventorySetQuantitiesUserErrorCode.CHANGE_FROM_QUANTITY_REQUIRED', 'InventorySetQuantitiesUserErrorCode.IDEMPOTENCY_CONCURRENT_REQUEST', 'InventorySetQuantitiesUserErrorCode.IDEMPOTENCY_KEY_PARAMETER_MISMATCH'],
} as const;

const SDL = /* GraphQL */ `
"Makes a mutation idempotent: a retry with the same key returns the first result (mandatory on inventory and refund mutations from 2026-04)."
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

type Shop implements Node { id: ID! name: String! myshopifyDomain: String! currencyCode: CurrencyCode! ianaTimezone: String! email: String! taxesIncluded: Boolean! }

enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductSortKeys { CREATED_AT ID INVENTORY_TOTAL PRODUCT_TYPE PUBLISHED_AT RELEVANCE TITLE UPDATED_AT VENDOR }
enum ProductVariantSortKeys { ID SKU TITLE INVENTORY_QUANTITY POSITION RELEVANCE }
enum ProductVariantInventoryPolicy { CONTINUE DENY }
enum WeightUnit { GRAMS KILOGRAMS OUNCES POUNDS }
enum OrderSortKeys { CREATED_AT CUSTOMER_NAME DESTINATION FINANCIAL_STATUS FULFILLMENT_STATUS ID ORDER_NUMBER PO_NUMBER PROCESSED_AT RELEVANCE TOTAL_ITEMS_QUANTITY TOTAL_PRICE UPDATED_AT }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED }
enum LocationSortKeys { ID NAME RELEVANCE }

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
  "The total sellable quantity of the variant over all locations."
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

type Location implements Node {
  id: ID!
  name: String!
  isActive: Boolean!
  fulfillsOnlineOrders: Boolean!
  shipsInventory: Boolean!
  isPrimary: Boolean! @deprecated(reason: "The concept of a primary location is deprecated, shipsInventory can be used to get a fallback location")
  address: LocationAddress!
  inventoryLevel(inventoryItemId: ID!): InventoryLevel
  inventoryLevels(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): InventoryLevelConnection!
}
type LocationAddress { city: String country: String countryCode: String formatted: [String!]! }
enum LocationDeactivateUserErrorCode { CANNOT_DISABLE_ONLINE_ORDER_FULFILLMENT DESTINATION_LOCATION_IS_THE_SAME_LOCATION DESTINATION_LOCATION_NOT_FOUND_OR_INACTIVE FAILED_TO_RELOCATE_ACTIVE_INVENTORIES FAILED_TO_RELOCATE_INCOMING_MOVEMENTS FAILED_TO_RELOCATE_OPEN_PURCHASE_ORDERS HAS_ACTIVE_INVENTORY_ERROR HAS_ACTIVE_RETAIL_SUBSCRIPTIONS HAS_FULFILLMENT_ORDERS_ERROR HAS_INCOMING_MOVEMENTS_ERROR HAS_OPEN_PURCHASE_ORDERS_ERROR LOCATION_NOT_FOUND PERMANENTLY_BLOCKED_FROM_DEACTIVATION_ERROR TEMPORARILY_BLOCKED_FROM_DEACTIVATION_ERROR }
type LocationDeactivateUserError { code: LocationDeactivateUserErrorCode field: [String!] message: String! }
type LocationDeactivatePayload { location: Location locationDeactivateUserErrors: [LocationDeactivateUserError!]! }
type LocationEdge { cursor: String! node: Location! }
type LocationConnection { edges: [LocationEdge!]! nodes: [Location!]! pageInfo: PageInfo! }

type MailingAddress { name: String firstName: String lastName: String company: String address1: String address2: String city: String province: String provinceCode: String zip: String country: String countryCodeV2: CountryCode phone: String }

type TaxLine { title: String! rate: Float ratePercentage: Float priceSet: MoneyBag! channelLiable: Boolean source: String }

type LineItem implements Node {
  id: ID!
  name: String!
  title: String!
  sku: String
  quantity: Int!
  currentQuantity: Int!
  refundableQuantity: Int!
  variant: ProductVariant
  originalUnitPriceSet: MoneyBag!
  discountedUnitPriceSet: MoneyBag!
  originalTotalSet: MoneyBag!
  totalDiscountSet: MoneyBag!
  taxable: Boolean!
  taxLines(first: Int): [TaxLine!]!
}
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

type ShippingLine { id: ID title: String! code: String originalPriceSet: MoneyBag! discountedPriceSet: MoneyBag! taxLines: [TaxLine!]! isRemoved: Boolean! }
type ShippingLineEdge { cursor: String! node: ShippingLine! }
type ShippingLineConnection { edges: [ShippingLineEdge!]! nodes: [ShippingLine!]! pageInfo: PageInfo! }

enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID }
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
type OrderTransaction implements Node { id: ID! kind: OrderTransactionKind! status: OrderTransactionStatus! gateway: String amountSet: MoneyBag! createdAt: DateTime! processedAt: DateTime test: Boolean! }
type OrderTransactionEdge { cursor: String! node: OrderTransaction! }
type OrderTransactionConnection { edges: [OrderTransactionEdge!]! nodes: [OrderTransaction!]! pageInfo: PageInfo! }

enum RefundLineItemRestockType { CANCEL LEGACY_RESTOCK NO_RESTOCK RETURN }
type RefundLineItem { id: ID lineItem: LineItem! quantity: Int! restockType: RefundLineItemRestockType! restocked: Boolean! location: Location priceSet: MoneyBag! subtotalSet: MoneyBag! totalTaxSet: MoneyBag! }
type RefundLineItemEdge { cursor: String! node: RefundLineItem! }
type RefundLineItemConnection { edges: [RefundLineItemEdge!]! nodes: [RefundLineItem!]! pageInfo: PageInfo! }
type Refund implements Node {
  id: ID!
  createdAt: DateTime
  updatedAt: DateTime!
  note: String
  totalRefundedSet: MoneyBag!
  refundLineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): RefundLineItemConnection!
  transactions(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): OrderTransactionConnection!
}

type Order implements Node {
  id: ID!
  name: String!
  email: String
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  test: Boolean!
  taxesIncluded: Boolean!
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  currencyCode: CurrencyCode!
  presentmentCurrencyCode: CurrencyCode!
  subtotalPriceSet: MoneyBag
  totalPriceSet: MoneyBag!
  totalShippingPriceSet: MoneyBag!
  totalTaxSet: MoneyBag
  totalDiscountsSet: MoneyBag
  totalRefundedSet: MoneyBag!
  currentTotalPriceSet: MoneyBag!
  shippingAddress: MailingAddress
  taxLines: [TaxLine!]!
  lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
  shippingLines(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, includeRemovals: Boolean = false): ShippingLineConnection!
  refunds(first: Int): [Refund!]!
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

type Query {
  shop: Shop!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  product(id: ID!): Product
  productByIdentifier(identifier: ProductIdentifierInput!): Product
  products(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: ProductSortKeys = ID, query: String): ProductConnection!
  productsCount(query: String): Count
  productVariant(id: ID!): ProductVariant
  productVariants(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: ProductVariantSortKeys = ID, query: String): ProductVariantConnection!
  inventoryItem(id: ID!): InventoryItem
  inventoryItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): InventoryItemConnection!
  inventoryLevel(id: ID!): InventoryLevel
  "A location by id; without an id, the shop's primary location."
  location(id: ID): Location
  locations(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, sortKey: LocationSortKeys = NAME, query: String, includeInactive: Boolean = false, includeLegacy: Boolean = false): LocationConnection!
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
enum InventorySetQuantitiesUserErrorCode { CHANGE_FROM_QUANTITY_REQUIRED CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH INVALID_INVENTORY_ITEM INVALID_LOCATION INVALID_NAME INVALID_QUANTITY_NEGATIVE INVALID_QUANTITY_TOO_HIGH INVALID_QUANTITY_TOO_LOW INVALID_REASON INVALID_REFERENCE_DOCUMENT ITEM_NOT_STOCKED_AT_LOCATION NON_MUTABLE_INVENTORY_ITEM NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR }
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
  optionValues: [VariantOptionValueInput!]!
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
enum ProductSetUserErrorCode { HANDLE_NOT_UNIQUE INPUT_MISMATCH INVALID_INPUT INVALID_VARIANT MISSING_FIELD_REQUIRED PRODUCT_DOES_NOT_EXIST VARIANTS_OVER_LIMIT DUPLICATED_OPTION_VALUE }
type ProductSetUserError { code: ProductSetUserErrorCode field: [String!] message: String! }
type ProductSetPayload { product: Product userErrors: [ProductSetUserError!]! }

input MoneyInput { amount: Decimal! currencyCode: CurrencyCode! }
input MoneyBagInput { shopMoney: MoneyInput! }
input MailingAddressInput { firstName: String lastName: String company: String address1: String address2: String city: String provinceCode: String zip: String countryCode: CountryCode phone: String }
input OrderCreateTaxLineInput { title: String! rate: Decimal! priceSet: MoneyBagInput channelLiable: Boolean = false }
input OrderCreateLineItemInput { variantId: ID sku: String title: String quantity: Int! priceSet: MoneyBagInput taxLines: [OrderCreateTaxLineInput!] }
input OrderCreateShippingLineInput { title: String! priceSet: MoneyBagInput! taxLines: [OrderCreateTaxLineInput!] }
input OrderCreateOrderTransactionInput { amountSet: MoneyBagInput! kind: OrderTransactionKind = SALE status: OrderTransactionStatus = SUCCESS gateway: String processedAt: DateTime test: Boolean = false }
enum OrderCreateFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
enum OrderCreateFulfillmentStatus { FULFILLED PARTIAL RESTOCKED }
input OrderCreateOrderInput {
  currency: CurrencyCode
  presentmentCurrency: CurrencyCode
  email: String
  note: String
  processedAt: DateTime
  financialStatus: OrderCreateFinancialStatus
  fulfillmentStatus: OrderCreateFulfillmentStatus
  taxesIncluded: Boolean = false
  test: Boolean = false
  shippingAddress: MailingAddressInput
  lineItems: [OrderCreateLineItemInput!]
  shippingLines: [OrderCreateShippingLineInput!]
  taxLines: [OrderCreateTaxLineInput!]
  transactions: [OrderCreateOrderTransactionInput!]
}
enum OrderCreateInputsInventoryBehavior { BYPASS DECREMENT_IGNORING_POLICY DECREMENT_OBEYING_POLICY }
input OrderCreateOptionsInput { inventoryBehaviour: OrderCreateInputsInventoryBehavior = BYPASS }
enum OrderCreateUserErrorCode { FULFILLMENT_SERVICE_INVALID INVALID INVENTORY_CLAIM_FAILED PROCESSED_AT_INVALID REDUNDANT_CUSTOMER_FIELDS SHOP_DORMANT TAX_LINE_RATE_MISSING }
type OrderCreateUserError { code: OrderCreateUserErrorCode field: [String!] message: String! }
type OrderCreatePayload { order: Order userErrors: [OrderCreateUserError!]! }

input RefundLineItemInput { lineItemId: ID! quantity: Int! restockType: RefundLineItemRestockType locationId: ID }
input ShippingRefundInput { amount: Money fullRefund: Boolean }
input OrderTransactionInput { amount: Money! gateway: String! kind: OrderTransactionKind! orderId: ID! parentId: ID }
input RefundInput { orderId: ID! note: String currency: CurrencyCode refundLineItems: [RefundLineItemInput!] shipping: ShippingRefundInput transactions: [OrderTransactionInput!] }
type UserError { field: [String!] message: String! }
type RefundCreatePayload { order: Order refund: Refund userErrors: [UserError!]! }

type Mutation {
  productVariantsBulkUpdate(productId: ID!, variants: [ProductVariantsBulkInput!]!, allowPartialUpdates: Boolean = false): ProductVariantsBulkUpdatePayload
  inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
  productSet(input: ProductSetInput!, identifier: ProductSetIdentifiers, synchronous: Boolean = true): ProductSetPayload
  orderCreate(order: OrderCreateOrderInput!, options: OrderCreateOptionsInput): OrderCreatePayload
  refundCreate(input: RefundInput!): RefundCreatePayload
  locationDeactivate(locationId: ID!, destinationLocationId: ID): LocationDeactivatePayload
}
`;
