// Our own JSON Schemas for the eBay Sell API request bodies the sandbox validates (written from the
// public API documentation; eBay's OpenAPI files are not redistributed). Strict on the properties
// an adapter sends, so a misspelt field or a number where eBay wants a string fails like it would.

const amount = { type: 'object', required: ['value', 'currency'], additionalProperties: false, properties: { value: { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } } };
const weight = { type: 'object', additionalProperties: false, properties: { unit: { enum: ['POUND', 'KILOGRAM', 'OUNCE', 'GRAM'] }, value: { type: 'number', minimum: 0 } } };
const dimensions = { type: 'object', additionalProperties: false, properties: { height: { type: 'number' }, length: { type: 'number' }, width: { type: 'number' }, unit: { enum: ['INCH', 'FEET', 'CENTIMETER', 'METER'] } } };

export const CONDITIONS = ['NEW', 'LIKE_NEW', 'NEW_OTHER', 'NEW_WITH_DEFECTS', 'CERTIFIED_REFURBISHED', 'EXCELLENT_REFURBISHED', 'VERY_GOOD_REFURBISHED', 'GOOD_REFURBISHED', 'SELLER_REFURBISHED', 'USED_EXCELLENT', 'USED_VERY_GOOD', 'USED_GOOD', 'USED_ACCEPTABLE', 'FOR_PARTS_OR_NOT_WORKING', 'PRE_OWNED_EXCELLENT', 'PRE_OWNED_FAIR'];

export const inventoryItemSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sku: { type: 'string', maxLength: 50 },
    locale: { type: 'string', pattern: '^[a-z]{2}_[A-Z]{2}$' },
    condition: { enum: CONDITIONS },
    conditionDescription: { type: 'string', maxLength: 1000 },
    conditionDescriptors: { type: 'array' },
    availability: {
      type: 'object',
      additionalProperties: false,
      properties: {
        shipToLocationAvailability: {
          type: 'object',
          additionalProperties: false,
          properties: {
            quantity: { type: 'integer', minimum: 0 },
            availabilityDistributions: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { merchantLocationKey: { type: 'string' }, quantity: { type: 'integer', minimum: 0 }, fulfillmentTime: { type: 'object' } } } },
          },
        },
        pickupAtLocationAvailability: { type: 'array' },
      },
    },
    packageWeightAndSize: { type: 'object', additionalProperties: false, properties: { weight, dimensions, packageType: { type: 'string' }, shippingIrregular: { type: 'boolean' } } },
    product: {
      type: 'object',
      additionalProperties: false,
      properties: {
        title: { type: 'string', maxLength: 80 },
        subtitle: { type: 'string', maxLength: 55 },
        description: { type: 'string', maxLength: 500000 },
        aspects: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        brand: { type: 'string', maxLength: 65 },
        mpn: { type: 'string', maxLength: 65 },
        ean: { type: 'array', items: { type: 'string' } },
        upc: { type: 'array', items: { type: 'string' } },
        isbn: { type: 'array', items: { type: 'string' } },
        epid: { type: 'string' },
        imageUrls: { type: 'array', maxItems: 24, items: { type: 'string', pattern: '^https?://' } },
        videoIds: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

export const bulkInventoryItemSchema = {
  type: 'object',
  required: ['requests'],
  additionalProperties: false,
  properties: { requests: { type: 'array', items: { ...inventoryItemSchema, required: ['sku', 'locale', 'condition', 'product', 'availability'] } } },
};

export const offerSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sku: { type: 'string', maxLength: 50 },
    marketplaceId: { enum: ['EBAY_US', 'EBAY_GB', 'EBAY_DE', 'EBAY_FR', 'EBAY_IT', 'EBAY_ES', 'EBAY_AU', 'EBAY_CA', 'EBAY_AT', 'EBAY_BE', 'EBAY_CH', 'EBAY_IE', 'EBAY_NL', 'EBAY_PL'] },
    format: { enum: ['FIXED_PRICE', 'AUCTION'] },
    availableQuantity: { type: 'integer', minimum: 0 },
    categoryId: { type: 'string' },
    secondaryCategoryId: { type: 'string' },
    listingDescription: { type: 'string', maxLength: 500000 },
    listingDuration: { enum: ['GTC', 'DAYS_1', 'DAYS_3', 'DAYS_5', 'DAYS_7', 'DAYS_10', 'DAYS_21', 'DAYS_30'] },
    listingStartDate: { type: 'string' },
    listingPolicies: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fulfillmentPolicyId: { type: 'string' },
        paymentPolicyId: { type: 'string' },
        returnPolicyId: { type: 'string' },
        productCompliancePolicyIds: { type: 'array', items: { type: 'string' } },
        takeBackPolicyId: { type: 'string' },
        eBayPlusIfEligible: { type: 'boolean' },
        bestOfferTerms: { type: 'object' },
        shippingCostOverrides: { type: 'array' },
      },
    },
    pricingSummary: {
      type: 'object',
      additionalProperties: false,
      properties: { price: amount, originalRetailPrice: amount, minimumAdvertisedPrice: amount, auctionStartPrice: amount, auctionReservePrice: amount, pricingVisibility: { type: 'string' }, originallySoldForRetailPriceOn: { type: 'string' } },
    },
    merchantLocationKey: { type: 'string', maxLength: 36 },
    quantityLimitPerBuyer: { type: 'integer', minimum: 1 },
    lotSize: { type: 'integer', minimum: 1 },
    hideBuyerDetails: { type: 'boolean' },
    includeCatalogProductDetails: { type: 'boolean' },
    storeCategoryNames: { type: 'array', items: { type: 'string' } },
    tax: { type: 'object', additionalProperties: false, properties: { vatPercentage: { type: 'number', minimum: 0, maximum: 100 }, applyTax: { type: 'boolean' }, thirdPartyTaxCategory: { type: 'string' } } },
    charity: { type: 'object' },
    regulatory: { type: 'object' },
    extendedProducerResponsibility: { type: 'object' },
  },
};

export const createOfferSchema = { ...offerSchema, required: ['sku', 'marketplaceId', 'format'] };
export const bulkOfferSchema = { type: 'object', required: ['requests'], additionalProperties: false, properties: { requests: { type: 'array', items: createOfferSchema } } };
export const bulkPublishSchema = { type: 'object', required: ['requests'], additionalProperties: false, properties: { requests: { type: 'array', items: { type: 'object', required: ['offerId'], additionalProperties: false, properties: { offerId: { type: 'string' } } } } } };
export const bulkMigrateSchema = { type: 'object', required: ['requests'], additionalProperties: false, properties: { requests: { type: 'array', items: { type: 'object', required: ['listingId'], additionalProperties: false, properties: { listingId: { type: 'string', pattern: '^\\d+$' } } } } } };
/** Sell Feed createInventoryTask (the only feed type is LMS_ACTIVE_INVENTORY_REPORT). */
export const inventoryTaskSchema = {
  type: 'object',
  required: ['feedType', 'schemaVersion'],
  additionalProperties: false,
  properties: { feedType: { type: 'string' }, schemaVersion: { type: 'string' }, filterCriteria: { type: 'object', additionalProperties: false, properties: { listingFormat: { type: 'string' } } } },
};
export const bulkGetSchema = { type: 'object', required: ['requests'], additionalProperties: false, properties: { requests: { type: 'array', items: { type: 'object', required: ['sku'], additionalProperties: false, properties: { sku: { type: 'string' } } } } } };

export const bulkPriceQuantitySchema = {
  type: 'object',
  required: ['requests'],
  additionalProperties: false,
  properties: {
    requests: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sku'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string' },
          shipToLocationAvailability: { type: 'object', additionalProperties: false, properties: { quantity: { type: 'integer', minimum: 0 }, availabilityDistributions: { type: 'array' } } },
          offers: { type: 'array', items: { type: 'object', required: ['offerId'], additionalProperties: false, properties: { offerId: { type: 'string' }, availableQuantity: { type: 'integer', minimum: 0 }, price: amount } } },
        },
      },
    },
  },
};

export const locationSchema = {
  type: 'object',
  required: ['location'],
  additionalProperties: false,
  properties: {
    location: { type: 'object', required: ['address'], additionalProperties: false, properties: { address: { type: 'object', required: ['country'], additionalProperties: false, properties: { addressLine1: { type: 'string' }, addressLine2: { type: 'string' }, city: { type: 'string' }, stateOrProvince: { type: 'string' }, postalCode: { type: 'string' }, country: { type: 'string', pattern: '^[A-Z]{2}$' }, county: { type: 'string' } } }, geoCoordinates: { type: 'object' } } },
    name: { type: 'string', maxLength: 1000 },
    merchantLocationStatus: { enum: ['ENABLED', 'DISABLED'] },
    locationTypes: { type: 'array', items: { enum: ['STORE', 'WAREHOUSE', 'FULFILLMENT_CENTER'] } },
    phone: { type: 'string' },
    locationInstructions: { type: 'string' },
    locationAdditionalInformation: { type: 'string' },
    locationWebUrl: { type: 'string' },
    operatingHours: { type: 'array' },
    specialHours: { type: 'array' },
    fulfillmentCenterSpecifications: { type: 'object' },
    timeZoneId: { type: 'string' },
  },
};

export const shippingFulfillmentSchema = {
  type: 'object',
  required: ['lineItems'],
  additionalProperties: false,
  properties: {
    lineItems: { type: 'array', minItems: 1, items: { type: 'object', required: ['lineItemId', 'quantity'], additionalProperties: false, properties: { lineItemId: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } } },
    shippedDate: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z$' },
    shippingCarrierCode: { type: 'string' },
    trackingNumber: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
  },
};
