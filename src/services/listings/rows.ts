// From CSV records to import items: the column binding, the format's row assembler (validation and
// grouping) and the change-detection hashes. Pure and database-free, so it runs either inline or in
// the import's worker thread (import-worker.ts), whose items cross to the main thread as flat arrays
// of primitives (encodeItem/decodeItems): a structured clone of nested objects per row would cost the
// main thread more than the SQL it is there to run.

import type { Binding, CsvRecord } from '../../ports/listing-files.js';
import type { InputProblem } from '../../core/errors.js';
import { RowAssembler, type Row, type RowEnv } from '../../core/listing-rows.js';
import { rowHashOf, rowKey, ProductHasher, type Cell, type ListingRecord, type ProductFields, type VariantFields, type ChannelEntry } from '../../core/listing.js';

/** One data row, after validation: a record to apply, the problems that refuse it, or nothing (an image/product row). */
export interface RowItem {
  line: number;
  /** The row's cells (kept for a rejected row's line in the rejects file; undefined when not needed). */
  cells: string[] | undefined;
  problems?: InputProblem[];
  record?: ListingRecord;
  /** Change key of the row (rowHashOf): set on every row with a record. */
  hash?: string;
  pHash?: string;
}

/** Everything besides the file that decides what its rows become (plain data: it is posted to the worker). */
export interface RowSetup {
  env: RowEnv;
  /** Options and environment that change what a row means (part of every row's hash). */
  envKey: string;
  /** Keep every row's cells (only --skip-invalid needs them: a row refused while applying is written out). */
  keepCells: boolean;
  /** Data rows before this line are preamble (Amazon workbook dataRow). */
  dataFromLine: number;
}

/** What marketplaces write for "no such identifier" (eBay: every unbranded item's EAN/UPC). */
const NOT_APPLICABLE = /^\s*(does not apply|non applicabile|nicht zutreffend|ne s'applique pas|no aplica|n\/a)\s*$/i;

const GUARDED = /^\s*="((?:[^"]|"")*)"\s*$/;

function isBlank(value: string, field: string): boolean {
  return value.trim() === '' || (field === 'barcode' && NOT_APPLICABLE.test(value));
}

/** A data row seen through the column binding (reused for every row: no per-row allocation of maps). */
export class BoundRow implements Row {
  line = 0;
  private cells: string[] = [];
  private readonly unescape: boolean;
  /** One Cell per bound field, refilled for each row (a million rows allocate no Cells). */
  private readonly cellFor = new Map<string, { cell: Cell; index: number; fallbacks?: Array<{ index: number; cell: Cell }> }>();
  constructor(binding: Binding) {
    // Our own export prefixes formula-like text with ' (spreadsheet injection); read it back as written.
    this.unescape = binding.map.format === 'merchant';
    const cellOf = (b: { index: number; header: string; unit?: Cell['unit'] }): Cell => ({ value: '', column: b.index + 1, header: b.header, ...(b.unit ? { unit: b.unit } : {}) });
    for (const b of binding.fields) {
      const fallbacks = b.fallbacks?.map((f) => ({ index: f.index, cell: cellOf(f) }));
      this.cellFor.set(b.name, { index: b.index, cell: cellOf(b), ...(fallbacks?.length ? { fallbacks } : {}) });
    }
  }
  set(line: number, cells: string[]): void {
    this.line = line;
    this.cells = cells;
  }
  get(field: string): Cell | undefined {
    const b = this.cellFor.get(field);
    if (!b) return undefined;
    let cell = b.cell;
    let value = this.cells[b.index] ?? '';
    // A blank (or placeholder) cell falls back to the field's other columns present in the file, in the
    // map's order: a blank Type → Product category, eBay's P:EAN "Does not apply" → P:UPC.
    if (b.fallbacks && isBlank(value, field)) {
      for (const f of b.fallbacks) {
        const v = this.cells[f.index] ?? '';
        if (!isBlank(v, field)) {
          cell = f.cell;
          value = v;
          break;
        }
      }
    }
    const guarded = value.charCodeAt(0) === 61 || value.charCodeAt(0) === 32 ? GUARDED.exec(value) : null;
    if (guarded) {
      // ="0123" — how spreadsheets and eBay's downloads keep a value from being read as a number: one
      // quoted string and nothing else ("" inside is a quote, as a spreadsheet reads it).
      value = guarded[1]!.replace(/""/g, '"');
    } else if (this.unescape && value.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(value)) value = value.slice(1);
    if (field === 'barcode' && NOT_APPLICABLE.test(value)) value = '';
    cell.value = value;
    return cell;
  }
  has(field: string): boolean {
    return this.cellFor.has(field);
  }
}

/** Records in, items out, for one file. */
export class RowPipeline {
  readonly assembler: RowAssembler;
  private readonly row: BoundRow;
  private readonly hasher = new ProductHasher();
  /** Non-blank data rows seen. */
  rows = 0;
  constructor(
    binding: Binding,
    private readonly setup: RowSetup,
  ) {
    this.row = new BoundRow(binding);
    this.assembler = new RowAssembler(setup.env);
  }
  /** The end of the file (notes that need every row). */
  end(): void {
    this.assembler.end();
  }
  /** The item for one record, or undefined for a preamble or blank row (not counted). */
  push(rec: CsvRecord): RowItem | undefined {
    if (this.setup.dataFromLine && rec.line < this.setup.dataFromLine) return undefined;
    const cells = rec.cells;
    if (cells.every((c) => c.trim() === '')) return undefined;
    this.rows++;
    this.row.set(rec.line, cells);
    const res = this.assembler.push(this.row);
    if (res.problems.length) return { line: rec.line, cells, problems: res.problems };
    const r = res.record;
    if (!r) return { line: rec.line, cells: undefined };
    const pHash = this.hasher.of(r.handle, r.product);
    const item: RowItem = { line: rec.line, cells: this.setup.keepCells ? cells : undefined, record: r, pHash };
    // The line as read when there is one (no join); either way equal text under an equal envKey (which
    // includes the header) means an equal record.
    const key = res.keyExtra === undefined ? rec.raw ?? rowKey(cells) : `${rec.raw ?? rowKey(cells)}\u001c${res.keyExtra}`;
    item.hash = rowHashOf(this.setup.envKey, key, r, pHash);
    return item;
  }
}

// Flat encoding. Tags: a record, a refused row, a row with nothing to apply.
const REC = 1;
const BAD = 2;
const SKIP = 3;
const PRODUCT_KEYS = ['title', 'description', 'vendor', 'brand', 'productType', 'tags', 'status'] as const;
const VARIANT_KEYS = [
  'title', 'options', 'barcode', 'price', 'currency', 'compareAt', 'cost', 'costCurrency', 'landedCost',
  'weightGrams', 'lengthMm', 'widthMm', 'heightMm', 'hsCode', 'originCountry', 'imageUrl',
] as const;

/**
 * Items → one flat array per batch. A product's fields go once per run of rows that share them (the
 * decoder reuses the object), a variant's as a bit mask and the fields that are set: a row costs the
 * serializer a third of its dense form.
 */
export class ItemEncoder {
  out: unknown[] = [];
  private lastPHash: string | undefined;
  push(it: RowItem): void {
    const out = this.out;
    const r = it.record;
    if (it.problems) {
      out.push(BAD, it.line, it.cells, it.problems);
      return;
    }
    if (!r) {
      out.push(SKIP, it.line);
      return;
    }
    out.push(REC, it.line, it.cells, it.hash, r.sku, r.handle, r.handleExplicit, r.action, r.quantity);
    if (it.pHash === this.lastPHash) out.push(undefined);
    else {
      this.lastPHash = it.pHash;
      const p = r.product;
      out.push(it.pHash, p.title, p.description, p.vendor, p.brand, p.productType, p.tags, p.status);
    }
    const v = r.variant;
    const at = out.length;
    out.push(0);
    let mask = 0;
    // (Unrolled over VARIANT_KEYS, in its order: named loads stay monomorphic.)
    if (v.title !== undefined) (mask |= 1), out.push(v.title);
    if (v.options !== undefined) {
      // Flat (count, name, value, …): nested arrays cost the serializer more than their strings.
      mask |= 2;
      out.push(v.options.length);
      for (const [name, value] of v.options) out.push(name, value);
    }
    if (v.barcode !== undefined) (mask |= 4), out.push(v.barcode);
    if (v.price !== undefined) (mask |= 8), out.push(v.price);
    if (v.currency !== undefined) (mask |= 16), out.push(v.currency);
    if (v.compareAt !== undefined) (mask |= 32), out.push(v.compareAt);
    if (v.cost !== undefined) (mask |= 64), out.push(v.cost);
    if (v.costCurrency !== undefined) (mask |= 128), out.push(v.costCurrency);
    if (v.landedCost !== undefined) (mask |= 256), out.push(v.landedCost);
    if (v.weightGrams !== undefined) (mask |= 512), out.push(v.weightGrams);
    if (v.lengthMm !== undefined) (mask |= 1024), out.push(v.lengthMm);
    if (v.widthMm !== undefined) (mask |= 2048), out.push(v.widthMm);
    if (v.heightMm !== undefined) (mask |= 4096), out.push(v.heightMm);
    if (v.hsCode !== undefined) (mask |= 8192), out.push(v.hsCode);
    if (v.originCountry !== undefined) (mask |= 16384), out.push(v.originCountry);
    if (v.imageUrl !== undefined) (mask |= 32768), out.push(v.imageUrl);
    out[at] = mask;
    out.push(r.channels.length);
    for (const c of r.channels) out.push(c.channel, c.price, c.currency, c.quantity);
  }
  /** The batch so far (the next one starts with a product in full). */
  take(): unknown[] {
    const out = this.out;
    this.out = [];
    this.lastPHash = undefined;
    return out;
  }
}

export function decodeItems(a: unknown[]): RowItem[] {
  const items: RowItem[] = [];
  let product: ProductFields = {};
  let pHash = '';
  let i = 0;
  while (i < a.length) {
    const tag = a[i++];
    const line = a[i++] as number;
    if (tag === SKIP) {
      items.push({ line, cells: undefined });
      continue;
    }
    const cells = a[i++] as string[] | undefined;
    if (tag === BAD) {
      items.push({ line, cells, problems: a[i++] as InputProblem[] });
      continue;
    }
    const hash = a[i++] as string;
    const sku = a[i++] as string;
    const handle = a[i++] as string;
    const handleExplicit = a[i++] as boolean;
    const action = a[i++] as ListingRecord['action'];
    const quantity = a[i++] as bigint | undefined;
    const ph = a[i++] as string | undefined;
    if (ph !== undefined) {
      pHash = ph;
      product = {};
      for (const k of PRODUCT_KEYS) {
        const x = a[i++];
        if (x !== undefined) (product as Record<string, unknown>)[k] = x;
      }
    }
    const variant: VariantFields = {};
    const mask = a[i++] as number;
    for (let k = 0; k < VARIANT_KEYS.length; k++) {
      if (!(mask & (1 << k))) continue;
      if (k === 1) {
        const n = a[i++] as number;
        const options: Array<[string, string]> = [];
        for (let o = 0; o < n; o++, i += 2) options.push([a[i] as string, a[i + 1] as string]);
        variant.options = options;
      } else (variant as Record<string, unknown>)[VARIANT_KEYS[k]!] = a[i++];
    }
    const n = a[i++] as number;
    const channels: ChannelEntry[] = [];
    for (let k = 0; k < n; k++) {
      const channel = a[i++] as string;
      const price = a[i++] as bigint | undefined;
      const currency = a[i++] as string;
      const q = a[i++] as bigint | undefined;
      const c: ChannelEntry = { channel, currency };
      if (price !== undefined) c.price = price;
      if (q !== undefined) c.quantity = q;
      channels.push(c);
    }
    const record: ListingRecord = { sku, handle, handleExplicit, product, variant, channels, action, line };
    if (quantity !== undefined) record.quantity = quantity;
    items.push({ line, cells, record, hash, pHash });
  }
  return items;
}
