// api.ebay.com emulator, the part a new eBay listing needs (`merchant listings publish --channel ebay-*`):
//   - Commerce Taxonomy v1: getDefaultCategoryTreeId (marketplace_id → category tree), getCategorySuggestions
//     (q → leaf categories with their ancestors), getItemAspectsForCategory (the aspects of a LEAF
//     category, with aspectConstraint.aspectRequired / aspectMode / itemToAspectCardinality /
//     aspectEnabledForVariations); an application token (client-credentials grant) is what these take;
//   - the category and aspect rules publishOffer / publishOfferByInventoryItemGroup apply: an unknown or
//     non-leaf categoryId is 25005, a required aspect without a value is 25029 "{field} is required for
//     this category.", a value outside a SELECTION_ONLY aspect's list is 25022, two values for a SINGLE
//     aspect 25022;
//   - inventory item groups (createOrReplaceInventoryItemGroup, getInventoryItemGroup,
//     publishOfferByInventoryItemGroup): unknown SKUs 25702, a SKU in another group 25703, an unknown
//     group 25705, a variant without an offer on the marketplace, a group without title / description /
//     pictures / variesBy, or variants whose varying aspects do not tell them apart: 25002.
// Sources of each rule: docs/sandbox.md ("eBay: new listings"). Error ids are those the Inventory API's
// OpenAPI contract lists per call (../shared/specs/ebay/sell_inventory_v1_oas3.json, x-response-codes);
// the Taxonomy ids (62004, 62005) are plausible, not from a published table.

type Obj = Record<string, unknown>;

export interface TaxonomyAspect {
  name: string;
  required: boolean;
  mode: 'FREE_TEXT' | 'SELECTION_ONLY';
  cardinality: 'SINGLE' | 'MULTI';
  variations: boolean;
  values?: string[];
  usage?: 'RECOMMENDED' | 'OPTIONAL';
}

export interface TaxonomyCategory {
  id: string;
  name: string;
  /** Ancestors, root first. */
  path: Array<{ id: string; name: string }>;
  leaf: boolean;
  keywords: string[];
  aspects: TaxonomyAspect[];
}

/** marketplace → default category tree id (getDefaultCategoryTreeId). */
export const CATEGORY_TREES: Record<string, string> = { EBAY_US: '0', EBAY_GB: '3', EBAY_AU: '15', EBAY_AT: '16', EBAY_BE: '23', EBAY_FR: '71', EBAY_DE: '77', EBAY_IT: '101', EBAY_NL: '146', EBAY_ES: '186', EBAY_CH: '193', EBAY_IE: '205', EBAY_PL: '212', EBAY_CA: '2' };

const brand: TaxonomyAspect = { name: 'Brand', required: true, mode: 'FREE_TEXT', cardinality: 'SINGLE', variations: false, values: ['Unbranded'] };
const colour: TaxonomyAspect = { name: 'Colour', required: false, mode: 'FREE_TEXT', cardinality: 'MULTI', variations: true, values: ['Black', 'Blue', 'Green', 'Grey', 'Natural', 'Red', 'White', 'Multicoloured'], usage: 'RECOMMENDED' };
const size: TaxonomyAspect = { name: 'Size', required: false, mode: 'FREE_TEXT', cardinality: 'SINGLE', variations: true, values: ['Small', 'Medium', 'Large'], usage: 'RECOMMENDED' };
const HOME = { id: '11700', name: 'Home, Furniture & DIY' };
const KITCHEN = { id: '20625', name: 'Cookware, Dining & Bar' };
const DECOR = { id: '10033', name: 'Home Décor' };

/** A small slice of eBay's category tree (the same in every marketplace's tree here). */
export const CATEGORIES: TaxonomyCategory[] = [
  {
    id: '20693',
    name: 'Mugs',
    path: [HOME, KITCHEN, { id: '36027', name: 'Dinnerware & Serveware' }],
    leaf: true,
    keywords: ['mug', 'mugs', 'cup', 'cups', 'beaker', 'stoneware', 'tea', 'coffee'],
    aspects: [brand, { name: 'Type', required: true, mode: 'SELECTION_ONLY', cardinality: 'SINGLE', variations: false, values: ['Mug', 'Cup', 'Beaker', 'Tankard', 'Travel Mug'] }, colour, size, { name: 'Material', required: false, mode: 'FREE_TEXT', cardinality: 'MULTI', variations: true, values: ['Ceramic', 'Stoneware', 'Porcelain', 'Glass'], usage: 'RECOMMENDED' }],
  },
  {
    id: '36030',
    name: 'Bowls',
    path: [HOME, KITCHEN, { id: '36027', name: 'Dinnerware & Serveware' }],
    leaf: true,
    keywords: ['bowl', 'bowls', 'dish', 'serving', 'stoneware'],
    aspects: [brand, { name: 'Type', required: true, mode: 'SELECTION_ONLY', cardinality: 'SINGLE', variations: false, values: ['Cereal Bowl', 'Serving Bowl', 'Soup Bowl', 'Salad Bowl'] }, colour, size],
  },
  {
    id: '46782',
    name: 'Candles',
    path: [HOME, DECOR, { id: '46783', name: 'Candles & Tea Lights' }],
    leaf: true,
    keywords: ['candle', 'candles', 'scented', 'wax', 'soy', 'tea', 'light'],
    aspects: [brand, { name: 'Type', required: true, mode: 'SELECTION_ONLY', cardinality: 'SINGLE', variations: false, values: ['Jar Candle', 'Pillar Candle', 'Tea Light', 'Taper Candle'] }, { name: 'Scent', required: true, mode: 'FREE_TEXT', cardinality: 'MULTI', variations: true }, colour],
  },
  {
    id: '10034',
    name: 'Vases',
    path: [HOME, DECOR],
    leaf: true,
    keywords: ['vase', 'vases', 'flower', 'stoneware'],
    aspects: [brand, { name: 'Material', required: true, mode: 'SELECTION_ONLY', cardinality: 'SINGLE', variations: false, values: ['Ceramic', 'Glass', 'Stoneware', 'Porcelain', 'Metal'] }, colour, size],
  },
  { id: '20625', name: 'Cookware, Dining & Bar', path: [HOME], leaf: false, keywords: ['kitchen', 'dining'], aspects: [] },
  { id: '10033', name: 'Home Décor', path: [HOME], leaf: false, keywords: ['decor', 'home'], aspects: [] },
];

export const categoryOf = (id: unknown): TaxonomyCategory | undefined => CATEGORIES.find((c) => c.id === String(id));

export interface AspectProblem {
  errorId: 25029 | 25022;
  aspect: string;
  message: string;
}

/** What publish refuses about an item's aspects in its category (names compared case-insensitively). */
export function aspectProblems(cat: TaxonomyCategory, aspects: Record<string, unknown>): AspectProblem[] {
  const out: AspectProblem[] = [];
  const lower = new Map(Object.entries(aspects).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.map(String).filter((x) => x.trim() !== '') : []]));
  for (const a of cat.aspects) {
    const values = lower.get(a.name.toLowerCase()) ?? [];
    if (a.required && !values.length) out.push({ errorId: 25029, aspect: a.name, message: `${a.name} is required for this category.` });
    if (a.cardinality === 'SINGLE' && values.length > 1) out.push({ errorId: 25022, aspect: a.name, message: `Invalid attribute. ${a.name}: only one value is allowed.` });
    if (a.mode === 'SELECTION_ONLY' && a.values) for (const v of values) if (!a.values.includes(v)) out.push({ errorId: 25022, aspect: a.name, message: `Invalid attribute. ${a.name}: "${v}" is not one of its values.` });
  }
  return out;
}

/** getCategorySuggestions: leaf categories whose keywords the query's words hit, best first (at most 10). */
export function suggest(q: string): TaxonomyCategory[] {
  const words = q.toLowerCase().split(/[^a-z0-9äöüéè]+/).filter((w) => w.length > 1);
  const scored = CATEGORIES.filter((c) => c.leaf)
    .map((c) => ({ c, score: words.filter((w) => c.keywords.includes(w) || c.name.toLowerCase().startsWith(w)).length + (words.some((w) => c.name.toLowerCase().replace(/s$/, '') === w.replace(/s$/, '')) ? 2 : 0) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || (a.c.id < b.c.id ? -1 : 1));
  return scored.slice(0, 10).map((x) => x.c);
}

export function suggestionView(c: TaxonomyCategory, n: number): Obj {
  return {
    category: { categoryId: c.id, categoryName: c.name },
    categoryTreeNodeAncestors: [...c.path].reverse().map((p, i) => ({ categoryId: p.id, categoryName: p.name, categoryTreeNodeLevel: c.path.length - i, categorySubtreeNodeHref: `/commerce/taxonomy/v1/category_tree/x/get_category_subtree?category_id=${p.id}` })),
    categoryTreeNodeLevel: c.path.length + 1,
    relevancy: n === 0 ? 'HIGH' : n < 3 ? 'MEDIUM' : 'LOW',
  };
}

export function aspectView(a: TaxonomyAspect): Obj {
  return {
    localizedAspectName: a.name,
    aspectConstraint: {
      aspectDataType: 'STRING',
      itemToAspectCardinality: a.cardinality,
      aspectMode: a.mode,
      aspectRequired: a.required,
      aspectUsage: a.required ? 'RECOMMENDED' : (a.usage ?? 'OPTIONAL'),
      aspectEnabledForVariations: a.variations,
      aspectApplicableTo: ['ITEM'],
      aspectMaxLength: 65,
    },
    ...(a.values ? { aspectValues: a.values.map((v) => ({ localizedValue: v })) } : {}),
  };
}

/** createOrReplaceInventoryItemGroup body (our own schema, written from eBay's InventoryItemGroup type). */
export const inventoryItemGroupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['variantSKUs'],
  properties: {
    inventoryItemGroupKey: { type: 'string', maxLength: 50 },
    title: { type: 'string', maxLength: 80 },
    subtitle: { type: 'string', maxLength: 55 },
    description: { type: 'string', maxLength: 500000 },
    aspects: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    imageUrls: { type: 'array', maxItems: 24, items: { type: 'string', pattern: '^https?://' } },
    videoIds: { type: 'array', items: { type: 'string' } },
    variantSKUs: { type: 'array', minItems: 1, items: { type: 'string', maxLength: 50 } },
    variesBy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        aspectsImageVariesBy: { type: 'array', items: { type: 'string' } },
        specifications: { type: 'array', items: { type: 'object', required: ['name', 'values'], additionalProperties: false, properties: { name: { type: 'string' }, values: { type: 'array', minItems: 1, items: { type: 'string' } } } } },
      },
    },
  },
};

export const publishByGroupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['inventoryItemGroupKey', 'marketplaceId'],
  properties: { inventoryItemGroupKey: { type: 'string' }, marketplaceId: { type: 'string' } },
};
