// Where an Amazon listing's attributes come from, for a seller with 50 SKUs rather than 5:
//   1. the catalogue: title (+ variant title) → item_name, brand (else vendor) → brand, barcode →
//      externally_assigned_product_identifier, description (HTML stripped) → product_description,
//      origin country → country_of_origin, image URL → main_product_image_locator, weight → item_weight,
//      variant options whose name is an attribute (Colour → color, Material → material);
//   2. an attributes file (CSV/TSV, `listings publish --attributes FILE`), one row per SKU or per
//      product handle (a handle's row applies to all its variants; a SKU row wins), columns
//      `product_type` and attribute names; `name.field` columns fill one field of a structured value
//      (capacity.value, capacity.unit), "250 milliliters" fills value and unit at once, and `a | b`
//      gives several values (bullet_point). Values are kept per SKU and channel, so a re-run needs none.
// The values are shaped by the product type's own schema (which fields an attribute has, number or
// text, a language tag), then the whole set is validated locally with that schema (ajv, draft 2019-09)
// before anything is sent: what is missing or invalid is listed per SKU.

import { parse } from 'csv-parse/sync';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InvalidInputError, type InputProblem } from '../../core/errors.js';
import type { PublishCandidate, ProductTypeSchema } from '../../ports/listing-publish.js';

type Obj = Record<string, unknown>;

export interface AttributeRow {
  line: number;
  /** A SKU or a product handle. */
  key: string;
  productType: string | null;
  attributes: Record<string, string>;
}

/** Parse an attributes file. Keys are checked against the catalogue by the caller (resolveAttributeRows). */
export function parseAttributesFile(text: string, file: string, marketplace: 'amazon' | 'ebay' = 'amazon'): AttributeRow[] {
  // eBay: the columns are item specifics as eBay names them (Brand, Type, Colour, "Country of Origin"),
  // and category_id takes the place of product_type (the row's productType carries the category id).
  const ebay = marketplace === 'ebay';
  const typeCol = ebay ? /^(category_id|category)$/i : /^product_type$/i;
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') ? '\t' : firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new InvalidInputError(`${file}: not a readable CSV/TSV file: ${(e as Error).message}`, { problems: [{ file, rule: 'csv', message: (e as Error).message }] });
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const keyCol = header.findIndex((h) => /^(sku|handle|sku_or_handle)$/i.test(h));
  const problems: InputProblem[] = [];
  if (keyCol < 0) problems.push({ file, line: 1, rule: 'header', message: 'the first column must be `sku` (a SKU or a product handle per row)' });
  for (const [i, h] of header.entries()) {
    if (i === keyCol || typeCol.test(h)) continue;
    if (ebay ? !h || h.length > 65 : !/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/.test(h)) problems.push({ file, line: 1, column: i + 1, field: h, rule: 'header', message: ebay ? `column ${i + 1} has no item specific name (eBay's names, such as Brand or Type, at most 65 characters)` : `"${h}" is not an attribute name (lower-case Amazon attribute names such as bullet_point or capacity.unit)` });
  }
  if (problems.length) throw new InvalidInputError(`${file}: ${problems[0]!.message}`, { problems });
  const ptCol = header.findIndex((h) => typeCol.test(h));
  const out: AttributeRow[] = [];
  for (const [n, rec] of records.slice(1).entries()) {
    const key = (rec[keyCol] ?? '').trim();
    if (!key) continue;
    const attributes: Record<string, string> = {};
    for (const [i, h] of header.entries()) {
      if (i === keyCol || i === ptCol) continue;
      const v = (rec[i] ?? '').trim();
      if (v) attributes[h] = v;
    }
    const pt = ptCol >= 0 ? (ebay ? (rec[ptCol] ?? '').trim() : (rec[ptCol] ?? '').trim().toUpperCase()) : '';
    if (ebay && pt && !/^\d{1,10}$/.test(pt)) throw new InvalidInputError(`${file}: line ${n + 2}: category_id "${pt}" is not an eBay category id (digits, e.g. 20693)`, { problems: [{ file, line: n + 2, field: 'category_id', value: pt, rule: 'category', message: 'not an eBay category id' }] });
    out.push({ line: n + 2, key, productType: pt || null, attributes });
  }
  return out;
}

/** Map each row to the SKUs it names (a SKU, or every SKU of a handle); SKU rows win over handle rows. */
export function resolveAttributeRows(rows: readonly AttributeRow[], candidates: readonly PublishCandidate[], file: string): Map<string, { productType: string | null; attributes: Record<string, string> }> {
  const bySku = new Map(candidates.map((c) => [c.sku, c]));
  const byHandle = new Map<string, PublishCandidate[]>();
  for (const c of candidates) byHandle.set(c.handle, [...(byHandle.get(c.handle) ?? []), c]);
  const problems: InputProblem[] = [];
  const out = new Map<string, { productType: string | null; attributes: Record<string, string> }>();
  const apply = (sku: string, r: AttributeRow) => {
    const cur = out.get(sku) ?? { productType: null, attributes: {} };
    out.set(sku, { productType: r.productType ?? cur.productType, attributes: { ...cur.attributes, ...r.attributes } });
  };
  for (const r of rows) if (!bySku.has(r.key)) {
    const skus = byHandle.get(r.key);
    if (!skus) problems.push({ file, line: r.line, field: 'sku', value: r.key, rule: 'exists', message: `no SKU or product handle "${r.key}" in the catalogue` });
    else for (const c of skus) apply(c.sku, r);
  }
  for (const r of rows) if (bySku.has(r.key)) apply(r.key, r);
  if (problems.length) throw new InvalidInputError(`${file}: ${problems.length} row(s) name nothing in the catalogue (first: line ${problems[0]!.line}, "${problems[0]!.value}")`, { problems, hints: ['the first column takes a SKU or a product handle (`merchant listings list`)'] });
  return out;
}

const stripHtml = (s: string) => s.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
const OPTION_ALIASES: Record<string, string> = { colour: 'color', farbe: 'color', couleur: 'color', material: 'material', scent: 'scent', duft: 'scent' };

/** The GTIN type of a barcode for Amazon's identifiers (EAN-13, UPC-12, GTIN-14 / EAN-8). */
export function gtinType(barcode: string): 'EAN' | 'UPC' | 'GTIN' | undefined {
  if (!/^\d+$/.test(barcode)) return undefined;
  if (barcode.length === 13) return 'EAN';
  if (barcode.length === 12) return 'UPC';
  if (barcode.length === 14 || barcode.length === 8) return 'GTIN';
  return undefined;
}

function itemSchema(schema: Obj, name: string): Obj | undefined {
  const p = (schema.properties as Record<string, Obj> | undefined)?.[name];
  return p ? ((p.items as Obj | undefined) ?? undefined) : undefined;
}

function fieldType(item: Obj | undefined, field: string): string | undefined {
  const t = ((item?.properties as Record<string, Obj> | undefined)?.[field])?.type;
  return typeof t === 'string' ? t : undefined;
}

function convert(raw: string, type: string | undefined): unknown {
  if (type === 'number' || type === 'integer') {
    const n = Number(raw.replace(',', '.'));
    return Number.isFinite(n) && raw.trim() !== '' ? n : raw;
  }
  if (type === 'boolean') return /^(true|yes|1)$/i.test(raw) ? true : /^(false|no|0)$/i.test(raw) ? false : raw;
  return raw;
}

/** The attribute values for one name, shaped by the schema (fields, types, language tag, marketplace). */
function shape(schema: Obj, name: string, fields: Record<string, string>, locale: string, marketplaceId: string): unknown[] {
  const item = itemSchema(schema, name);
  const props = (item?.properties as Record<string, Obj> | undefined) ?? {};
  const extras = (o: Obj): Obj => ({ ...o, ...('language_tag' in props && o.language_tag === undefined ? { language_tag: locale } : {}), ...('marketplace_id' in props ? { marketplace_id: marketplaceId } : {}) });
  const plain = fields[''];
  if (plain !== undefined && Object.keys(fields).length === 1) {
    if ('value' in props && 'unit' in props) {
      const m = /^\s*([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z_]+)\s*$/.exec(plain);
      if (m) return [extras({ value: convert(m[1]!, fieldType(item, 'value')), unit: m[2] })];
    }
    const key = 'value' in props || !Object.keys(props).length ? 'value' : 'media_location' in props ? 'media_location' : 'value';
    return plain.split(/\s*\|\s*/).filter(Boolean).map((v) => extras({ [key]: convert(v, fieldType(item, key)) }));
  }
  const o: Obj = {};
  for (const [f, v] of Object.entries(fields)) o[f || 'value'] = convert(v, fieldType(item, f || 'value'));
  return [extras(o)];
}

/**
 * The attributes of a new listing created under a product type (requirements LISTING): catalogue
 * fields first, then the seller's attribute values; only names the schema knows are set.
 */
export function listingAttributes(c: PublishCandidate, seller: Record<string, string>, schema: ProductTypeSchema, marketplaceId: string, condition: string): Record<string, unknown[]> {
  const s = schema.schema;
  const known = new Set(Object.keys((s.properties as Obj | undefined) ?? {}));
  const flat: Record<string, Record<string, string>> = {};
  const set = (name: string, field: string, v: string | null | undefined) => {
    if (v === null || v === undefined || v === '' || !known.has(name)) return;
    (flat[name] ??= {})[field] = v;
  };
  const variant = c.variantTitle && c.variantTitle !== 'Default Title' && c.variantTitle !== c.title ? `, ${c.variantTitle}` : '';
  set('item_name', '', `${c.title}${variant}`);
  set('brand', '', c.brand ?? c.vendor);
  if (c.barcode && gtinType(c.barcode)) {
    set('externally_assigned_product_identifier', 'type', gtinType(c.barcode) === 'UPC' ? 'upc' : gtinType(c.barcode) === 'EAN' ? 'ean' : 'gtin');
    set('externally_assigned_product_identifier', 'value', c.barcode);
  }
  if (c.description) set('product_description', '', stripHtml(c.description));
  set('country_of_origin', '', c.originCountry);
  if (c.imageUrl?.startsWith('https://')) set('main_product_image_locator', 'media_location', c.imageUrl);
  if (c.weightGrams !== null && c.weightGrams > 0) {
    set('item_weight', 'value', String(c.weightGrams));
    set('item_weight', 'unit', 'grams');
  }
  set('condition_type', '', condition);
  for (const o of c.options) {
    const n = OPTION_ALIASES[o.name.trim().toLowerCase()];
    if (n) set(n, '', o.value);
  }
  // The seller's values win over what the catalogue gave: a whole attribute is replaced.
  const sellerFlat: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(seller)) {
    const [name, field] = k.split('.') as [string, string | undefined];
    if (name === 'merchant_suggested_asin') continue;
    (sellerFlat[name] ??= {})[field ?? ''] = v;
  }
  for (const [name, fields] of Object.entries(sellerFlat)) flat[name] = fields;
  const out: Record<string, unknown[]> = {};
  for (const [name, fields] of Object.entries(flat)) out[name] = shape(s, name, fields, schema.locale, marketplaceId);
  return out;
}

/** The attributes of an offer on an existing ASIN (requirements LISTING_OFFER_ONLY). */
export function offerOnlyAttributes(asin: string, marketplaceId: string, condition: string): Record<string, unknown[]> {
  return {
    merchant_suggested_asin: [{ value: asin, marketplace_id: marketplaceId }],
    condition_type: [{ value: condition, marketplace_id: marketplaceId }],
  };
}

export interface AttributeCheck {
  missing: string[];
  invalid: string[];
}

const validators = new Map<string, ValidateFunction>();
/**
 * Validate attributes (plus a stand-in of the offer the adapter adds) with the product type's own
 * schema. The price stand-in is a JS number used only to check the schema's shape, never for money.
 */
export function checkAttributes(schema: ProductTypeSchema, attributes: Record<string, unknown[]>, offer: { currency: string; amount: string; quantity: number }, marketplaceId: string): AttributeCheck {
  const key = `${schema.productType}/${schema.requirements}/${schema.version}/${marketplaceId}`;
  let v = validators.get(key);
  if (!v) {
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const { $schema: _meta, $id: _id, ...doc } = schema.schema;
    v = ajv.compile(doc);
    validators.set(key, v);
  }
  const props = (schema.schema.properties as Obj | undefined) ?? {};
  const full: Obj = { ...attributes };
  if ('purchasable_offer' in props) full.purchasable_offer = [{ marketplace_id: marketplaceId, currency: offer.currency, audience: 'ALL', our_price: [{ schedule: [{ value_with_tax: Number(offer.amount) }] }] }];
  if ('fulfillment_availability' in props) full.fulfillment_availability = [{ fulfillment_channel_code: 'DEFAULT', quantity: offer.quantity }];
  const out: AttributeCheck = { missing: [], invalid: [] };
  if (v(full)) return out;
  for (const e of (v.errors ?? []) as ErrorObject[]) {
    if (e.keyword === 'required' && e.instancePath === '') out.missing.push(String((e.params as Obj).missingProperty));
    else {
      const name = e.instancePath.split('/')[1] ?? '';
      const where = e.instancePath.split('/').slice(2).filter((x) => !/^\d+$/.test(x)).join('.');
      const allowed = (e.params as Obj).allowedValues;
      const text = `${name}${where ? `.${where}` : ''} ${e.message ?? 'is invalid'}${Array.isArray(allowed) ? ` (${allowed.slice(0, 8).join(', ')}${allowed.length > 8 ? ', …' : ''})` : ''}`;
      if (!out.invalid.includes(text)) out.invalid.push(text);
    }
  }
  out.missing = [...new Set(out.missing)].sort();
  return out;
}
