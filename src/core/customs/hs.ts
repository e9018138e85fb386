// HS 2022 nomenclature (data/hs2022.csv, the WCO 6-digit subheadings) and the goods classes the rules
// need: excise goods, agricultural goods (Swiss tariff), lithium batteries and commonly restricted goods.
// Reads the bundled table once, like core/currencies.ts; otherwise pure.

import { readFileSync } from 'node:fs';
import { dataPath } from '../../config/paths.js';
import { parseCsvLine } from '../csvline.js';

let table: Map<string, string> | undefined;

function load(): Map<string, string> {
  if (table) return table;
  const map = new Map<string, string>();
  const lines = readFileSync(dataPath('hs2022.csv'), 'utf8').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [, code = '', description = ''] = parseCsvLine(line);
    if (/^\d+$/.test(code)) map.set(code, description);
  }
  table = map;
  return map;
}

export type HsProblem = 'missing' | 'format' | 'length' | 'unknown';

export interface HsCheck {
  /** The code with dots and spaces removed. */
  normalized?: string;
  subheading?: string;
  description?: string;
  problem?: HsProblem;
}

/** Strip dots, spaces and dashes; require digits only, 6, 8 or 10 long, and a known HS 2022 subheading. */
export function checkHsCode(raw: string | undefined): HsCheck {
  if (raw === undefined || raw.trim() === '') return { problem: 'missing' };
  const normalized = raw.replace(/[.\s-]/g, '');
  if (!/^\d+$/.test(normalized)) return { normalized, problem: 'format' };
  if (![6, 8, 10].includes(normalized.length)) return { normalized, problem: 'length' };
  const subheading = normalized.slice(0, 6);
  const description = load().get(subheading);
  if (description === undefined) return { normalized, subheading, problem: 'unknown' };
  return { normalized, subheading, description };
}

export function hsDescription(code: string): string | undefined {
  return load().get(code);
}

/** Number of 6-digit subheadings in the table (5,613 in HS 2022). */
export function hsSubheadingCount(): number {
  let n = 0;
  for (const k of load().keys()) if (k.length === 6) n++;
  return n;
}

const startsWithAny = (code: string, prefixes: readonly string[]) => prefixes.some((p) => code.startsWith(p));

/** Alcoholic beverages (2203–2208) and tobacco (chapter 24): excise goods. */
export function isExciseGoods(subheading: string): boolean {
  return startsWithAny(subheading, ['2203', '2204', '2205', '2206', '2207', '2208', '24']);
}

/** Agricultural products per WTO Agreement on Agriculture Annex 1: chapters 1–24 plus a list of headings. */
const AGRI_EXTRA = [
  '290543', '290544', '3301', '3501', '3502', '3503', '3504', '3505', '380910', '382460',
  '4101', '4102', '4103', '4301', '5001', '5002', '5003', '5101', '5102', '5103', '5201', '5202', '5203', '5301', '5302',
];
export function isAgricultural(subheading: string): boolean {
  const chapter = Number(subheading.slice(0, 2));
  return (chapter >= 1 && chapter <= 24) || startsWithAny(subheading, AGRI_EXTRA);
}

/** Goods taxed at the Swiss reduced VAT rate (food and non-alcoholic drinks, books, newspapers, medicines). */
export function isSwissReducedRate(subheading: string): boolean {
  const chapter = Number(subheading.slice(0, 2));
  if (isExciseGoods(subheading)) return false;
  return (chapter >= 1 && chapter <= 22) || startsWithAny(subheading, ['3003', '3004', '4901', '4902', '4903']);
}

export type LithiumKind = 'cells-alone' | 'in-equipment';

/** Lithium batteries shipped as goods: 8507.60 (lithium-ion accumulators), 8506.50 (lithium primary cells). */
export function lithiumFromHs(subheading: string): LithiumKind | undefined {
  if (subheading === '850760' || subheading === '850650') return 'cells-alone';
  return undefined;
}

const LITHIUM_WORDS = /\b(lithium|li-?ion|li-?po|lipo|power ?bank|battery|batteries|akku|accu)\b/i;
export function mentionsBattery(description: string): boolean {
  return LITHIUM_WORDS.test(description);
}

export interface RestrictedClass {
  code: string;
  label: string;
}

const RESTRICTED: Array<{ prefixes: string[]; code: string; label: string }> = [
  { prefixes: ['2203', '2204', '2205', '2206', '2208'], code: 'ALCOHOL', label: 'alcoholic beverages' },
  { prefixes: ['24'], code: 'TOBACCO', label: 'tobacco or nicotine products' },
  { prefixes: ['93'], code: 'WEAPONS', label: 'arms and ammunition' },
  { prefixes: ['36'], code: 'EXPLOSIVES', label: 'explosives, fireworks or matches' },
  { prefixes: ['3001', '3002', '3003', '3004'], code: 'MEDICINES', label: 'medicines' },
  { prefixes: ['06', '1209', '1211'], code: 'PLANTS_SEEDS', label: 'plants or seeds' },
  { prefixes: ['01', '02', '03', '04', '05'], code: 'ANIMAL_PRODUCTS', label: 'animals or animal products' },
  { prefixes: ['7106', '7108', '7110', '7118'], code: 'PRECIOUS_METALS', label: 'precious metals or coin' },
  { prefixes: ['3303'], code: 'PERFUME', label: 'perfume (flammable liquid in air transport)' },
  { prefixes: ['3208', '3209', '3210', '3814'], code: 'FLAMMABLE', label: 'paints, varnishes or solvents (possibly flammable)' },
];

export function restrictedClass(subheading: string): RestrictedClass | undefined {
  const hit = RESTRICTED.find((r) => startsWithAny(subheading, r.prefixes));
  return hit ? { code: hit.code, label: hit.label } : undefined;
}

/** Food is restricted by biosecurity rules, strictest in AU, NZ and JP. */
export function isFood(subheading: string): boolean {
  const chapter = Number(subheading.slice(0, 2));
  return chapter >= 2 && chapter <= 21;
}

const VAGUE = new Set([
  'gift', 'gifts', 'present', 'parts', 'part', 'spare parts', 'sample', 'samples', 'clothing', 'clothes', 'apparel',
  'electronics', 'electronic', 'goods', 'merchandise', 'item', 'items', 'stuff', 'accessories', 'accessory', 'personal items',
  'personal effects', 'misc', 'miscellaneous', 'various', 'none', 'n/a', 'na', 'product', 'products', 'other', 'toys', 'toy',
  'food', 'tools', 'equipment', 'materials', 'household goods', 'commercial goods', 'general merchandise',
]);

/** A description that says nothing about what the item is ("gift", "parts"…). */
export function isVagueDescription(description: string): boolean {
  const d = description.trim().toLowerCase().replace(/[.!]+$/, '');
  return d.length < 3 || VAGUE.has(d);
}
