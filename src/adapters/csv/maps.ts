// Column maps for every import format and generation, loaded from templates/import/*.json (data, not
// code, like hledger's rules files): adding a generation is adding a file. This module resolves a
// file's header row to canonical fields and picks the format by header signature, never by position.

import { readdirSync, readFileSync } from 'node:fs';
import { templatesPath } from '../../config/paths.js';

// The data types live with the port the import reads through (src/ports/listing-files.ts).
import type { BoundField, Binding, ColumnMap, Detection, FieldSpec, HeaderAlias, Layout, RowStrategy, Unit } from '../../ports/listing-files.js';
export type { BoundField, Binding, ColumnMap, Detection, FieldSpec, HeaderAlias, Layout, RowStrategy, Unit };

export const FORMATS = ['merchant', 'shopify', 'amazon', 'ebay', 'woocommerce'] as const;

let cache: ColumnMap[] | undefined;

export function loadMaps(): ColumnMap[] {
  if (cache) return cache;
  const dir = templatesPath('import');
  const maps: ColumnMap[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const raw = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Omit<ColumnMap, 'id'>;
    maps.push({ ...raw, id: `${raw.format}/${raw.generation}` });
  }
  cache = maps;
  return maps;
}

/** Header text as written, for telling two columns apart: like normaliseHeader, qualifiers kept. */
export function headerText(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().replace(/^\*+/, '').replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Header text → comparable key: no BOM, trimmed, no leading `*` (eBay's required marker), lower case,
 * single spaces, and Amazon's `[marketplace_id=…][language_tag=…]` qualifiers removed.
 */
export function normaliseHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^\*+/, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** Qualifiers such as marketplace_id=A1F83G8C2ARO7P found in Amazon workbook headers. */
export function headerQualifiers(h: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of h.matchAll(/\[([^=\]]+)=([^\]]*)\]/g)) out[m[1]!] = m[2]!;
  return out;
}

export function aliasText(a: HeaderAlias): string {
  return typeof a === 'string' ? a : 'name' in a ? a.name : `${a.prefix}…)`;
}

function aliasMatches(a: HeaderAlias, key: string): boolean {
  if (typeof a === 'string') return normaliseHeader(a) === key;
  if ('name' in a) return normaliseHeader(a.name) === key;
  return key.startsWith(normaliseHeader(a.prefix));
}

/** Match a header row to a map. Each canonical field takes the first alias present. */
export function bind(map: ColumnMap, headers: readonly string[]): Binding {
  const keys = headers.map(normaliseHeader);
  const fields: BoundField[] = [];
  const used = new Set<number>();
  const missing: string[] = [];
  // Of several columns that differ only in Amazon's qualifiers, the one for all buyers: a workbook has
  // the price twice, [audience=ALL] and [audience=B2B] (business price), and the first is the price.
  const audience = (i: number) => headerQualifiers(headers[i]!).audience?.toUpperCase();
  const find = (alias: HeaderAlias): number => {
    let fallback = -1;
    for (let i = 0; i < keys.length; i++) {
      if (used.has(i) || keys[i] === '' || !aliasMatches(alias, keys[i]!)) continue;
      const a = audience(i);
      if (a === undefined || a === 'ALL') return i;
      if (fallback < 0) fallback = i;
    }
    return fallback;
  };
  for (const [name, spec] of Object.entries(map.fields)) {
    let bound: BoundField | undefined;
    for (const alias of spec.headers) {
      const idx = find(alias);
      if (idx >= 0) {
        bound = { name, index: idx, header: headers[idx]!.replace(/^\uFEFF/, '').trim(), spec, ...(typeof alias === 'object' && 'unit' in alias ? { unit: alias.unit } : {}) };
        used.add(idx);
        break;
      }
    }
    if (bound) fields.push(bound);
    else if (spec.required) missing.push(aliasText(spec.headers[0]!));
  }
  // Later aliases of a bound field that are in the file too (and no other field took): its fallbacks.
  for (const f of fields) {
    const after = f.spec.headers.slice(f.spec.headers.findIndex((a) => aliasMatches(a, keys[f.index]!)) + 1);
    for (const alias of after) {
      const idx = find(alias);
      if (idx < 0) continue;
      used.add(idx);
      (f.fallbacks ??= []).push({ index: idx, header: headers[idx]!.replace(/^\uFEFF/, '').trim(), ...(typeof alias === 'object' && 'unit' in alias ? { unit: alias.unit } : {}) });
    }
  }
  const ignored = new Set((map.ignored ?? []).map(normaliseHeader));
  // A second alias of a field that took its first one (Shopify's Product image URL next to Variant image URL).
  for (const spec of Object.values(map.fields)) for (const a of spec.headers) if (typeof a === 'string' || 'name' in a) ignored.add(normaliseHeader(aliasText(a)));
  // Known families of optional columns are not worth a warning: eBay item specifics (C:, P:), WooCommerce
  // meta and attribute flags, Shopify's Google Shopping, Markets (Price / International) and metafields.
  const optional = /^(c:|p:|meta:|attribute \d+ (visible|global|default)|google shopping \/|.+ \/ [a-z ]+$|.*metafield|.*\(product\.metafields)/;
  const unknown = headers.filter((h, i) => !used.has(i) && keys[i] !== '' && !ignored.has(keys[i]!) && !optional.test(keys[i]!)).map((h) => h.trim());
  return { map, fields, byName: new Map(fields.map((f) => [f.name, f])), missing, unknown };
}

/** A signature entry's alternatives, and whether a header key is one of them (a trailing `(` is a prefix). */
function sigAlternatives(s: string | string[]): string[] {
  return typeof s === 'string' ? [s] : s;
}
function sigMatches(s: string, key: string): boolean {
  const n = normaliseHeader(s);
  return s.endsWith('(') ? key.startsWith(n) : key === n;
}

/** Display text of a signature entry ("Start price" or "Start price|Price"). */
export function signatureText(s: string | string[]): string {
  return sigAlternatives(s).join(' or ');
}

/** How many of a map's signature entries a header row has. */
export function signatureScore(map: ColumnMap, headers: readonly string[]): { hit: number; missing: string[] } {
  const keys = headers.map(normaliseHeader);
  const missing: string[] = [];
  let hit = 0;
  for (const s of map.signature) {
    const ok = sigAlternatives(s).some((alt) => keys.some((k) => sigMatches(alt, k)));
    if (ok) hit++;
    else missing.push(signatureText(s));
  }
  return { hit, missing };
}

/** Does a map know this header key (a field alias, an ignored column or a signature column)? */
function knows(map: ColumnMap, key: string): boolean {
  if (key === '') return false;
  for (const spec of Object.values(map.fields)) {
    for (const a of spec.headers) if (aliasMatches(a, key)) return true;
  }
  if ((map.ignored ?? []).some((i) => normaliseHeader(i) === key)) return true;
  return map.signature.some((s) => sigAlternatives(s).some((alt) => sigMatches(alt, key)));
}

/**
 * How strongly a header row says "this format": each of its columns the map knows counts 1/n, where n
 * is the number of formats that know that column. `Custom label (SKU)` (eBay only) weighs 1, `Price` or
 * `Quantity` (known to several formats) a fraction: a file is recognised by its distinctive columns,
 * not by how many generic ones it shares with another format.
 */
export function headerWeight(map: ColumnMap, headers: readonly string[], all: readonly ColumnMap[] = loadMaps()): number {
  let score = 0;
  const seen = new Set<string>();
  for (const h of headers) {
    const key = normaliseHeader(h);
    if (key === '' || seen.has(key) || !knows(map, key)) continue;
    seen.add(key);
    const n = all.filter((m) => knows(m, key)).length;
    score += 1 / Math.max(1, n);
  }
  return score;
}

/**
 * Pick the map whose whole signature is present, limited to `layouts`; of several, the one the header
 * row says most strongly (headerWeight), and for Amazon templates the one whose TemplateType the file
 * names. Candidates (for messages) are ranked by the same weight.
 */
export function detect(headers: readonly string[], layouts: readonly Layout[], format?: string, templateType?: string): Detection {
  const maps = loadMaps().filter((m) => layouts.includes(m.layout) && (!format || m.format === format));
  const tt = templateType?.toLowerCase();
  const sameType = (m: ColumnMap) => (tt !== undefined && m.templateType?.toLowerCase() === tt ? 1 : 0);
  const scored = maps
    .map((m) => ({ m, ...signatureScore(m, headers), weight: headerWeight(m, headers) }))
    .sort((a, b) => b.weight - a.weight || b.hit / b.m.signature.length - a.hit / a.m.signature.length || b.hit - a.hit);
  const full = scored.filter((s) => s.missing.length === 0).sort((a, b) => sameType(b.m) - sameType(a.m) || b.weight - a.weight || b.hit - a.hit);
  return {
    map: full[0]?.m,
    candidates: scored.map((s) => ({ id: s.m.id, title: s.m.title, hit: s.hit, missing: s.missing, weight: s.weight })),
  };
}

export function mapsFor(format: string): ColumnMap[] {
  return loadMaps().filter((m) => m.format === format || m.id === format);
}
