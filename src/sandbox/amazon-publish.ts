// Amazon SP-API emulator, the part a new listing needs (`merchant listings publish`):
//   - Catalog Items 2022-04-01 searchCatalogItems by identifiers (EAN/UPC/GTIN/ASIN), a small
//     catalogue of ASINs sold by other sellers too (one EAN matches two ASINs: a duplicate in
//     Amazon's catalogue);
//   - Product Type Definitions 2020-09-01 getDefinitionsProductType: the definition document with a
//     link to its JSON Schema (LISTING or LISTING_OFFER_ONLY requirements), the schema served at that
//     link like Amazon's presigned S3 URL;
//   - the rules putListingsItem applies with those definitions: the whole attribute set validated
//     against the product type's schema (missing required attributes are issue 90220, bad values
//     4000001), offer-only submissions (requirements LISTING_OFFER_ONLY) need an ASIN Amazon knows
//     (merchant_suggested_asin) and the listing takes that ASIN.
// Sources of each rule: docs/sandbox.md ("Amazon: new listings").
// Nothing here imports amazon.ts at run time (it imports this file): marketplaces come in through deps.

import { createHash } from 'node:crypto';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ValidateFunction } from 'ajv';
import { header, json, type Router, type SbRequest, type SbResponse } from './http.js';
import type { World } from './world.js';

type Obj = Record<string, unknown>;

export interface PublishMarketplace {
  language: string;
  currency: string;
  countryCode: string;
}

export interface PublishDeps {
  world: World;
  marketplaces: Record<string, PublishMarketplace>;
  /** Authenticates the request and returns nothing useful here but throws Amazon's 403s. */
  auth(req: SbRequest): unknown;
  throttle(seller: unknown, op: string, req: SbRequest): Record<string, string>;
  /** marketplaceIds of the request (known, of this endpoint's region), at most `max`. */
  marketplaceIds(req: SbRequest, required: boolean, max?: number): string[];
  /** Amazon's 400 InvalidInput error. */
  invalid(message: string, details?: string): Error;
  notFound(message: string): Error;
}

/** Usage plans of the operations this module adds (from the models' descriptions). */
export const PUBLISH_RATES: Record<string, [number, number]> = {
  searchCatalogItems: [2, 2],
  getDefinitionsProductType: [5, 10],
};

// ---- the catalogue (other sellers' and brands' ASINs, plus the seed's own) ----

export interface CatalogItem {
  asin: string;
  productType: string;
  itemName: string;
  brand: string;
  /** identifierType → value (EAN, UPC, GTIN). */
  identifiers: Array<{ identifierType: 'EAN' | 'UPC' | 'GTIN'; identifier: string }>;
  /** Marketplaces the item is in the catalogue of. */
  marketplaces: string[];
}

const DE = 'A1PA6795UKMFR9';
const UK = 'A1F83G8C2ARO7P';
const US = 'ATVPDKIKX0DER';
const FR = 'A13V1IB3VIYZZH';
const EU5 = [DE, UK, FR, 'APJ6JRA9NG5V4', 'A1RKKUPIHCS9HS'];

/**
 * ASINs a seller can offer on. The Lindqvist vase and the candle holder are in Amazon's catalogue
 * (a retailer created them) but not listed by the sandbox seller: an offer on them is an offer-only
 * listing. 4006381334013 is in the catalogue twice (a duplicate detail page), which Amazon allows and
 * a seller must resolve by choosing the ASIN. The US item is known by its UPC only.
 */
export const CATALOG: readonly CatalogItem[] = [
  { asin: 'B0CVASE001', productType: 'VASE', itemName: 'Lindqvist Keramik stoneware vase, white, 18 cm', brand: 'Lindqvist Keramik', identifiers: [{ identifierType: 'EAN', identifier: '4006381333993' }], marketplaces: EU5 },
  { asin: 'B0CHOLD001', productType: 'CANDLE_HOLDER', itemName: 'Lindqvist Keramik candle holder, grey speckle', brand: 'Lindqvist Keramik', identifiers: [{ identifierType: 'EAN', identifier: '4006381334006' }], marketplaces: [DE, UK] },
  { asin: 'B0CPLATE01', productType: 'PLATE', itemName: 'Stoneware dinner plate, blue glaze, 27 cm', brand: 'Lindqvist Keramik', identifiers: [{ identifierType: 'EAN', identifier: '4006381334013' }], marketplaces: [DE, UK] },
  { asin: 'B0CPLATE02', productType: 'PLATE', itemName: 'Lindqvist plate blue 27cm (set of 1)', brand: 'Lindqvist Keramik', identifiers: [{ identifierType: 'EAN', identifier: '4006381334013' }], marketplaces: [DE] },
  { asin: 'B0CTUMBL01', productType: 'DRINKING_CUP', itemName: 'Stoneware tumbler, sand, 300 ml', brand: 'Lindqvist Keramik', identifiers: [{ identifierType: 'UPC', identifier: '850012345678' }, { identifierType: 'GTIN', identifier: '00850012345678' }], marketplaces: [US] },
];

/** The seed's own products are in the catalogue too (their ASINs are the listings' ASINs). */
export function catalogWithSeed(seed: ReadonlyArray<{ sku: string; ean: string; title: string; brand: string; productType: string }>, asinFor: (sku: string) => string): CatalogItem[] {
  return [
    ...CATALOG,
    ...seed.map((p) => ({ asin: asinFor(p.sku), productType: p.productType, itemName: p.title, brand: p.brand, identifiers: [{ identifierType: 'EAN' as const, identifier: p.ean }], marketplaces: [DE, UK] })),
  ];
}

// ---- product type definitions ----

/** Product types with a definition (getDefinitionsProductType answers 404 for others). */
export const DEFINED_PRODUCT_TYPES = ['PRODUCT', 'DRINKING_CUP', 'VASE', 'CANDLE', 'CANDLE_HOLDER', 'PLATE'] as const;
/** The ones a full listing (requirements LISTING) can be created under here; PRODUCT takes offers only. */
const FULL_TYPES: Record<string, { displayName: string; extra: string[] }> = {
  DRINKING_CUP: { displayName: 'Drinking Cup', extra: ['material', 'color', 'capacity'] },
  VASE: { displayName: 'Vase', extra: ['material', 'color', 'item_height'] },
  CANDLE: { displayName: 'Candle', extra: ['scent', 'color', 'item_weight', 'burn_time'] },
  CANDLE_HOLDER: { displayName: 'Candle Holder', extra: ['material', 'color'] },
  PLATE: { displayName: 'Plate', extra: ['material', 'color', 'item_diameter'] },
};
const VERSION = 'U8ce4b4b1-5d95-4c0e-9e76-aa5b1e5a3b1c';

const mkEnum = (mk: string) => ({ type: 'string', enum: [mk] });
function langs(info: PublishMarketplace): string[] {
  // A marketplace takes its own language and a few others (de_DE, en_GB… on amazon.de).
  return [...new Set([info.language, 'en_GB', 'de_DE', 'fr_FR', 'it_IT', 'es_ES'])];
}
function text(title: string, mk: string, info: PublishMarketplace, maxLength: number, maxItems = 1): Obj {
  return {
    title,
    type: 'array',
    minItems: 1,
    maxItems,
    items: {
      type: 'object',
      required: ['value', 'language_tag'],
      additionalProperties: false,
      properties: { value: { type: 'string', minLength: 1, maxLength }, language_tag: { type: 'string', enum: langs(info) }, marketplace_id: mkEnum(mk) },
    },
  };
}
function enumAttr(title: string, mk: string, values: string[]): Obj {
  return { title, type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: { type: 'string', enum: values }, marketplace_id: mkEnum(mk) } } };
}
function measure(title: string, mk: string, units: string[], integer = false): Obj {
  return {
    title,
    type: 'array',
    minItems: 1,
    maxItems: 1,
    items: { type: 'object', required: ['value', 'unit'], additionalProperties: false, properties: { value: { type: integer ? 'integer' : 'number', exclusiveMinimum: 0 }, unit: { type: 'string', enum: units }, marketplace_id: mkEnum(mk) } },
  };
}

/** The attribute schemas, in the shapes of Amazon's product type definitions (meta-schema v1, draft 2019-09). */
function properties(mk: string, info: PublishMarketplace): Record<string, Obj> {
  return {
    item_name: text('Item Name', mk, info, 200),
    brand: text('Brand Name', mk, info, 100),
    externally_assigned_product_identifier: {
      title: 'External Product ID',
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['type', 'value'],
        additionalProperties: false,
        properties: { type: { type: 'string', enum: ['ean', 'upc', 'gtin', 'isbn'] }, value: { type: 'string', pattern: '^[0-9]{8,14}$' }, marketplace_id: mkEnum(mk) },
      },
    },
    merchant_suggested_asin: { title: 'Merchant Suggested ASIN', type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: { type: 'string', pattern: '^[A-Z0-9]{10}$' }, marketplace_id: mkEnum(mk) } } },
    condition_type: enumAttr('Item Condition', mk, ['new_new', 'new_open_box', 'new_oem', 'refurbished_refurbished', 'used_like_new', 'used_very_good', 'used_good', 'used_acceptable', 'collectible_like_new', 'collectible_very_good', 'collectible_good', 'collectible_acceptable', 'club_club']),
    product_description: text('Product Description', mk, info, 2000),
    bullet_point: text('Bullet Point', mk, info, 500, 10),
    recommended_browse_nodes: { title: 'Recommended Browse Nodes', type: 'array', minItems: 1, maxItems: 2, items: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: { type: 'string', pattern: '^[0-9]+$' }, marketplace_id: mkEnum(mk) } } },
    country_of_origin: { title: 'Country of Origin', type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['value'], additionalProperties: false, properties: { value: { type: 'string', pattern: '^[A-Z]{2}$' }, marketplace_id: mkEnum(mk) } } },
    main_product_image_locator: { title: 'Main Image Location', type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['media_location'], additionalProperties: false, properties: { media_location: { type: 'string', pattern: '^https://' }, marketplace_id: mkEnum(mk) } } },
    material: text('Material', mk, info, 100, 3),
    color: text('Colour', mk, info, 100),
    scent: text('Scent', mk, info, 100),
    capacity: measure('Capacity', mk, ['milliliters', 'liters', 'fluid_ounces']),
    item_height: measure('Item Height', mk, ['millimeters', 'centimeters', 'inches']),
    item_diameter: measure('Item Diameter', mk, ['millimeters', 'centimeters', 'inches']),
    item_weight: measure('Item Weight', mk, ['grams', 'kilograms', 'ounces', 'pounds']),
    burn_time: measure('Burn Time', mk, ['hours'], true),
    purchasable_offer: {
      title: 'Purchasable Offer',
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['currency', 'our_price'],
        properties: {
          currency: { type: 'string', enum: [info.currency] },
          audience: { type: 'string', enum: ['ALL', 'B2B'] },
          marketplace_id: mkEnum(mk),
          our_price: { type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['schedule'], properties: { schedule: { type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', required: ['value_with_tax'], properties: { value_with_tax: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.01 } } } } } } },
        },
      },
    },
    fulfillment_availability: {
      title: 'Fulfillment Availability',
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['fulfillment_channel_code'],
        properties: { fulfillment_channel_code: { type: 'string', enum: ['DEFAULT', 'AMAZON_EU', 'AMAZON_NA', 'AMAZON_JP'] }, quantity: { type: 'integer', minimum: 0 }, lead_time_to_ship_max_days: { type: 'integer', minimum: 0, maximum: 30 } },
      },
    },
  };
}

/** The JSON Schema of a product type for one marketplace and requirements set (what the link serves). */
export function productTypeSchema(productType: string, requirements: 'LISTING' | 'LISTING_OFFER_ONLY', mk: string, info: PublishMarketplace): Obj {
  const all = properties(mk, info);
  const offerOnly = requirements === 'LISTING_OFFER_ONLY';
  const common = ['item_name', 'brand', 'externally_assigned_product_identifier', 'product_description', 'bullet_point', 'recommended_browse_nodes', 'country_of_origin', 'condition_type'];
  const required = offerOnly ? ['merchant_suggested_asin', 'condition_type'] : [...common, ...(FULL_TYPES[productType]?.extra ?? [])];
  const keep = offerOnly ? ['merchant_suggested_asin', 'condition_type', 'purchasable_offer', 'fulfillment_availability'] : Object.keys(all).filter((k) => k !== 'merchant_suggested_asin');
  const props: Record<string, Obj> = {};
  for (const k of keep) props[k] = all[k]!;
  return {
    $schema: 'https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1',
    $id: `https://schemas.amazon.com/selling-partners/definitions/product-types/schema/v1/${productType}`,
    $comment: `Amazon product type definition for ${productType} product type (sandbox)`,
    type: 'object',
    required,
    properties: props,
  };
}

/** Validators per (product type, requirements, marketplace), compiled once per process. */
const compiled = new Map<string, ValidateFunction>();
function validatorFor(productType: string, requirements: 'LISTING' | 'LISTING_OFFER_ONLY', mk: string, info: PublishMarketplace): ValidateFunction {
  const key = `${productType}/${requirements}/${mk}`;
  let v = compiled.get(key);
  if (!v) {
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const { $schema: _meta, ...schema } = productTypeSchema(productType, requirements, mk, info);
    v = ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

const issue = (code: string, message: string, attributeNames: string[], categories: string[], mk: string): Obj => ({ code, message, severity: 'ERROR', attributeNames, categories, marketplaceIds: [mk] });

/**
 * Checks a putListingsItem against the product type's definition. Returns undefined for product
 * types the sandbox has no definition for (the older, smaller checks of amazon.ts apply), else the
 * issues (empty: accepted) and the ASIN the listing gets.
 */
export function checkPut(catalog: readonly CatalogItem[], productType: string, requirements: string | undefined, attributes: Record<string, unknown[]>, mk: string, info: PublishMarketplace): { issues: Obj[]; asin?: string } | undefined {
  const offerOnly = requirements === 'LISTING_OFFER_ONLY';
  if (!offerOnly && !FULL_TYPES[productType]) return undefined;
  if (requirements === 'LISTING_PRODUCT_ONLY') return { issues: [issue('4000001', 'The sandbox emulates LISTING and LISTING_OFFER_ONLY submissions (a seller, not a vendor).', [], ['INVALID_ATTRIBUTE'], mk)] };
  const v = validatorFor(productType, offerOnly ? 'LISTING_OFFER_ONLY' : 'LISTING', mk, info);
  const out: Obj[] = [];
  if (!v(attributes)) {
    for (const e of v.errors ?? []) {
      if (e.keyword === 'required' && e.instancePath === '') {
        const name = String((e.params as Obj).missingProperty);
        out.push(issue('90220', `'${name}' is required but not supplied.`, [name], ['MISSING_ATTRIBUTE'], mk));
      } else {
        const name = e.instancePath.split('/')[1] ?? '';
        if (out.some((x) => (x.attributeNames as string[])[0] === name && x.code === '4000001')) continue;
        out.push(issue('4000001', `The value provided for '${name}' is invalid: ${e.instancePath.split('/').slice(2).join('.') || 'value'} ${e.message ?? ''}.`.replace(/\s+\./, '.'), [name], ['INVALID_ATTRIBUTE'], mk));
      }
    }
  }
  if (out.length) return { issues: out };
  if (offerOnly) {
    const asin = String(((attributes.merchant_suggested_asin?.[0] as Obj | undefined)?.value as string | undefined) ?? '');
    const item = catalog.find((c) => c.asin === asin && c.marketplaces.includes(mk));
    if (!item) return { issues: [issue('8566', `The ASIN ${asin} does not exist in the catalogue of this marketplace; an offer can only be made on an ASIN that does.`, ['merchant_suggested_asin'], ['INVALID_ATTRIBUTE'], mk)] };
    if (productType !== 'PRODUCT' && productType !== item.productType) return { issues: [issue('8101', `The product type ${productType} does not match the product type ${item.productType} of ASIN ${asin}; use ${item.productType} or PRODUCT for an offer.`, [], ['INVALID_ATTRIBUTE'], mk)] };
    return { issues: [], asin };
  }
  // A new product whose identifier is already an ASIN's: Amazon matches it to that ASIN instead of creating one.
  const ean = String(((attributes.externally_assigned_product_identifier?.[0] as Obj | undefined)?.value as string | undefined) ?? '');
  const existing = catalog.find((c) => c.marketplaces.includes(mk) && c.identifiers.some((i) => i.identifier === ean));
  return { issues: [], asin: existing?.asin };
}

export function definitionsRoutes(r: Router, deps: PublishDeps, catalog: () => CatalogItem[]): void {
  const { world } = deps;
  const schemaUrl = (productType: string, requirements: string, mk: string) => {
    const t = world.now();
    return `${world.baseUrl}/amazon/_schemas/${productType}.${requirements}.${mk}.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=${createHash('sha256').update(`${productType}${requirements}${mk}${t}`).digest('hex')}&t=${t}`;
  };

  r.add('GET', '/catalog/2022-04-01/items', (req) => {
    const s = deps.auth(req);
    const h = deps.throttle(s, 'searchCatalogItems', req);
    const mks = deps.marketplaceIds(req, true, 1);
    const mk = mks[0]!;
    const ids = req.query.get('identifiers');
    const keywords = req.query.get('keywords');
    if (ids && keywords) throw deps.invalid("'identifiers' and 'keywords' cannot be used together.");
    if (!ids && !keywords) throw deps.invalid("Either 'identifiers' or 'keywords' must be provided.");
    if (keywords) throw deps.invalid("The sandbox searches by 'identifiers' only.");
    const type = req.query.get('identifiersType');
    const TYPES = ['ASIN', 'EAN', 'GTIN', 'ISBN', 'JAN', 'MINSAN', 'SKU', 'UPC'];
    if (!type) throw deps.invalid("'identifiersType' is required when 'identifiers' are provided.");
    if (!TYPES.includes(type)) throw deps.invalid(`Invalid 'identifiersType' value: ${type}.`);
    if (type === 'SKU' && !req.query.get('sellerId')) throw deps.invalid("'sellerId' is required when 'identifiersType' is SKU.");
    const wanted = ids!.split(',').map((x) => x.trim()).filter(Boolean);
    if (wanted.length > 20) throw deps.invalid("At most 20 'identifiers' can be provided.");
    const INCLUDED = ['attributes', 'dimensions', 'identifiers', 'images', 'productTypes', 'relationships', 'salesRanks', 'summaries', 'vendorDetails'];
    const inc = (req.query.get('includedData') ?? 'summaries').split(',').map((x) => x.trim());
    for (const x of inc) if (!INCLUDED.includes(x)) throw deps.invalid(`Invalid 'includedData' value: ${x}.`);
    if (inc.includes('vendorDetails')) throw deps.invalid("'vendorDetails' is available to vendors only.");
    const pageSize = Number(req.query.get('pageSize') ?? '10');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20) throw deps.invalid("'pageSize' must be between 1 and 20.");
    const hits = catalog().filter((c) => c.marketplaces.includes(mk) && (type === 'ASIN' ? wanted.includes(c.asin) : c.identifiers.some((i) => wanted.includes(i.identifier) && (type === 'GTIN' || i.identifierType === type))));
    const info = deps.marketplaces[mk]!;
    const items = hits.slice(0, pageSize).map((c) => {
      const o: Obj = { asin: c.asin };
      if (inc.includes('identifiers')) o.identifiers = [{ marketplaceId: mk, identifiers: c.identifiers.map((i) => ({ identifierType: i.identifierType, identifier: i.identifier })) }];
      if (inc.includes('productTypes')) o.productTypes = [{ marketplaceId: mk, productType: c.productType }];
      if (inc.includes('summaries')) o.summaries = [{ marketplaceId: mk, brand: c.brand, itemName: c.itemName, itemClassification: 'BASE_PRODUCT', websiteDisplayGroup: 'home_display_on_website', websiteDisplayGroupName: info.language.startsWith('de') ? 'Küche' : 'Kitchen' }];
      if (inc.includes('images')) o.images = [{ marketplaceId: mk, images: [{ variant: 'MAIN', link: `https://m.media-amazon.example/${c.asin}.jpg`, height: 500, width: 500 }] }];
      if (inc.includes('attributes')) o.attributes = { item_name: [{ value: c.itemName, language_tag: info.language, marketplace_id: mk }], brand: [{ value: c.brand, language_tag: info.language, marketplace_id: mk }] };
      return o;
    });
    return json(200, { numberOfResults: hits.length, pagination: {}, refinements: { brands: [], classifications: [] }, items }, h);
  });

  r.add('GET', '/definitions/2020-09-01/productTypes/:productType', (req) => {
    const s = deps.auth(req);
    const h = deps.throttle(s, 'getDefinitionsProductType', req);
    const mks = deps.marketplaceIds(req, true, 1);
    const mk = mks[0]!;
    const productType = req.params.productType!;
    const requirements = req.query.get('requirements') ?? 'LISTING';
    if (!['LISTING', 'LISTING_PRODUCT_ONLY', 'LISTING_OFFER_ONLY'].includes(requirements)) throw deps.invalid(`Invalid 'requirements' value: ${requirements}.`);
    const enforced = req.query.get('requirementsEnforced') ?? 'ENFORCED';
    if (!['ENFORCED', 'NOT_ENFORCED'].includes(enforced)) throw deps.invalid(`Invalid 'requirementsEnforced' value: ${enforced}.`);
    const version = req.query.get('productTypeVersion') ?? 'LATEST';
    if (version !== 'LATEST' && version !== VERSION) throw deps.notFound(`Version ${version} of product type ${productType} was not found.`);
    if (!(DEFINED_PRODUCT_TYPES as readonly string[]).includes(productType)) throw deps.notFound(`Product type definition for ${productType} was not found.`);
    if (productType === 'PRODUCT' && requirements !== 'LISTING_OFFER_ONLY') throw deps.invalid('The PRODUCT product type only supports the LISTING_OFFER_ONLY requirements.');
    if (requirements === 'LISTING_PRODUCT_ONLY') throw deps.invalid('The sandbox serves LISTING and LISTING_OFFER_ONLY definitions (sellers); LISTING_PRODUCT_ONLY is for vendors.');
    const info = deps.marketplaces[mk]!;
    const schema = productTypeSchema(productType, requirements as 'LISTING' | 'LISTING_OFFER_ONLY', mk, info);
    const checksum = createHash('md5').update(JSON.stringify(schema)).digest('base64');
    const required = schema.required as string[];
    return json(
      200,
      {
        metaSchema: { link: { resource: `${world.baseUrl}/amazon/_schemas/meta-schema-v1.json`, verb: 'GET' }, checksum: 'sandbox-meta' },
        schema: { link: { resource: schemaUrl(productType, requirements, mk), verb: 'GET' }, checksum },
        requirements,
        requirementsEnforced: enforced,
        propertyGroups: {
          offer: { title: 'Offer', description: 'Sales terms', propertyNames: ['condition_type', 'purchasable_offer', 'fulfillment_availability', 'merchant_suggested_asin'] },
          product_identity: { title: 'Product Identity', description: 'Items that uniquely identify the product', propertyNames: required.filter((x) => !['condition_type', 'merchant_suggested_asin'].includes(x)) },
        },
        locale: info.language,
        marketplaceIds: [mk],
        productType,
        displayName: FULL_TYPES[productType]?.displayName ?? 'Product',
        productTypeVersion: { version: VERSION, latest: true, releaseCandidate: false },
      },
      h,
    );
  });
}

/** GET /amazon/_schemas/<TYPE>.<REQUIREMENTS>.<MARKETPLACE>.json (the presigned link of a definition). */
export function serveSchema(req: SbRequest, marketplaces: Record<string, PublishMarketplace>): SbResponse {
  const m = /^\/_schemas\/([A-Z_]+)\.(LISTING|LISTING_OFFER_ONLY)\.([A-Z0-9]+)\.json$/.exec(req.path);
  const xml = (status: number, code: string, message: string): SbResponse => ({ status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>` });
  if (req.method !== 'GET') return xml(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  if (!m || !marketplaces[m[3]!] || !(DEFINED_PRODUCT_TYPES as readonly string[]).includes(m[1]!)) return xml(404, 'NoSuchKey', 'The specified key does not exist.');
  if (!req.query.get('X-Amz-Signature')) return xml(403, 'AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
  if (header(req, 'authorization') || header(req, 'x-amz-access-token')) return xml(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter should be specified');
  return json(200, productTypeSchema(m[1]!, m[2] as 'LISTING' | 'LISTING_OFFER_ONLY', m[3]!, marketplaces[m[3]!]!));
}
