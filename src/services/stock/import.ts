// `stock import FILE --location L`: a warehouse's or 3PL's stock report (SKU and quantity per line) sets
// the on-hand stock of those SKUs at that location. The file is read by the catalogue import's reader
// (encodings, delimiters, Excel's sep= line, quoted fields), behind the RecordSource port; every row is
// checked before anything is written, and any problem (unknown SKU or location, a quantity that is not
// a whole number ≥ 0) is reported as file:line:column. All-or-nothing: with a problem nothing is
// written (exit 3), unless --skip-invalid applies the valid rows and reports the rest (exit 4).
// A SKU on several lines for the same location (a 3PL listing each lot or bin) is summed.

import { InvalidInputError, UsageError, type InputProblem } from '../../core/errors.js';
import type { RecordSource, StockPort } from '../../ports/stock.js';
import { requireLocation, REMOTE_KINDS } from './manage.js';

export const SKU_HEADERS = ['sku', 'seller sku', 'seller-sku', 'merchant sku', 'msku', 'item sku', 'article number', 'artikelnummer', 'item number', 'product code', 'sku code', 'variant sku'];
export const QTY_HEADERS = ['quantity', 'qty', 'on hand', 'on_hand', 'onhand', 'quantity on hand', 'stock', 'available', 'quantity available', 'qty available', 'menge', 'bestand', 'units', 'sellable', 'physical stock'];
export const LOCATION_HEADERS = ['location', 'warehouse', 'lager'];

const norm = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');

export interface StockImportOptions {
  location?: string;
  skuColumn?: string;
  quantityColumn?: string;
  skipInvalid?: boolean;
  dryRun?: boolean;
  reason?: string;
  command: string;
}

export interface StockImportResult {
  file: string;
  rows: number;
  applied: number;
  unchanged: number;
  skipped: number;
  summed: number;
  dryRun: boolean;
  changes: Array<{ sku: string; location: string; before: number; after: number }>;
  problems: InputProblem[];
}

interface Row {
  line: number;
  sku: string;
  skuCol: number;
  qty: number;
  location: string;
  locCol?: number;
}

function findColumn(header: string[], wanted: string | undefined, aliases: readonly string[]): number {
  if (wanted) return header.findIndex((h) => norm(h) === norm(wanted));
  for (const a of aliases) {
    const i = header.findIndex((h) => norm(h) === a);
    if (i >= 0) return i;
  }
  return -1;
}

export async function importStock(port: StockPort, src: RecordSource, opts: StockImportOptions): Promise<StockImportResult> {
  const fixed = opts.location ? requireLocation(port, opts.location) : undefined;
  if (fixed && REMOTE_KINDS.has(fixed.kind)) throw new UsageError(`${fixed.code} is read from the marketplace on sync; a stock file cannot set it`);
  const problems: InputProblem[] = [];
  const rows: Row[] = [];
  let header: string[] | undefined;
  let skuCol = -1;
  let qtyCol = -1;
  let locCol = -1;
  for await (const rec of src.records()) {
    if (!header) {
      if (rec.cells.every((c) => c.trim() === '')) continue;
      header = rec.cells;
      skuCol = findColumn(header, opts.skuColumn, SKU_HEADERS);
      qtyCol = findColumn(header, opts.quantityColumn, QTY_HEADERS);
      locCol = findColumn(header, undefined, LOCATION_HEADERS);
      const missing: string[] = [];
      if (skuCol < 0) missing.push(opts.skuColumn ? `"${opts.skuColumn}" (--sku-column)` : `a SKU column (${SKU_HEADERS.slice(0, 4).join(', ')}…)`);
      if (qtyCol < 0) missing.push(opts.quantityColumn ? `"${opts.quantityColumn}" (--quantity-column)` : `a quantity column (${QTY_HEADERS.slice(0, 5).join(', ')}…)`);
      if (missing.length) {
        throw new InvalidInputError(`${src.name}:${rec.line}: the header has no ${missing.join(' and no ')}; nothing was written`, {
          problems: [{ file: src.name, line: rec.line, rule: 'header', message: `header is: ${header.join(' | ')}` }],
          hints: ['name the columns: --sku-column "Artikel" --quantity-column "Bestand"'],
        });
      }
      if (!fixed && locCol < 0) throw new UsageError(`${src.name} has no location column: pass --location CODE (the warehouse this report is from)`);
      continue;
    }
    const cells = rec.cells;
    if (cells.every((c) => c.trim() === '')) continue;
    const sku = (cells[skuCol] ?? '').trim();
    const qtyText = (cells[qtyCol] ?? '').trim();
    const locText = locCol >= 0 ? (cells[locCol] ?? '').trim() : '';
    const at = (col: number) => ({ file: src.name, line: rec.line, column: col + 1 });
    if (!sku) {
      problems.push({ ...at(skuCol), field: header[skuCol], rule: 'required', message: 'no SKU' });
      continue;
    }
    let bad = false;
    let qty = 0;
    if (!/^[+-]?\d{1,9}$/.test(qtyText)) {
      problems.push({ ...at(qtyCol), field: header[qtyCol], value: qtyText, sku, rule: 'integer', message: qtyText === '' ? 'no quantity' : `"${qtyText}" is not a whole number of units` });
      bad = true;
    } else {
      qty = Number(qtyText);
      if (qty < 0) {
        problems.push({ ...at(qtyCol), field: header[qtyCol], value: qtyText, sku, rule: 'negative', message: `stock cannot be negative (${qtyText})` });
        bad = true;
      }
    }
    let location = fixed?.code ?? '';
    if (locCol >= 0 && locText) {
      const l = port.location(locText);
      if (!l || !l.active) {
        problems.push({ ...at(locCol), field: header[locCol], value: locText, sku, rule: 'unknown-location', message: `no stock location "${locText}"` });
        bad = true;
      } else if (fixed && l.id !== fixed.id) {
        problems.push({ ...at(locCol), field: header[locCol], value: locText, sku, rule: 'other-location', message: `the row is for ${l.code}, the import for ${fixed.code} (--location)` });
        bad = true;
      } else if (REMOTE_KINDS.has(l.kind)) {
        problems.push({ ...at(locCol), field: header[locCol], value: locText, sku, rule: 'remote-location', message: `${l.code} is read from the marketplace, not set by a file` });
        bad = true;
      } else location = l.code;
    } else if (!fixed) {
      problems.push({ ...at(locCol), field: header[locCol], sku, rule: 'required', message: 'no location (and no --location)' });
      bad = true;
    }
    if (!bad) rows.push({ line: rec.line, sku, skuCol, qty, location, locCol: locCol >= 0 ? locCol : undefined });
  }
  if (!header) throw new InvalidInputError(`${src.name} is empty: no header and no rows; nothing was written`, { problems: [{ file: src.name, line: 1, rule: 'empty', message: 'empty file' }] });
  const ids = port.variantIds([...new Set(rows.map((r) => r.sku))]);
  const valid: Row[] = [];
  for (const r of rows) {
    if (ids.has(r.sku)) valid.push(r);
    else problems.push({ file: src.name, line: r.line, column: r.skuCol + 1, field: header[r.skuCol], value: r.sku, sku: r.sku, rule: 'unknown-sku', message: `unknown SKU ${r.sku} (not in the catalogue)` });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (problems.length && !opts.skipInvalid) {
    const n = new Set(problems.map((p) => p.line)).size;
    throw new InvalidInputError(`${src.name}: ${n} row${n === 1 ? '' : 's'} cannot be imported; nothing was written`, {
      problems,
      hints: ['fix the rows, or add --skip-invalid to import the valid rows and list the others (exit 4)', 'unknown SKUs: add them to the catalogue first (`merchant listings import`)'],
    });
  }
  // Sum a SKU's lines per location.
  const sums = new Map<string, { sku: string; location: string; qty: number }>();
  let summed = 0;
  for (const r of valid) {
    const k = `${r.location}\u0000${r.sku}`;
    const cur = sums.get(k);
    if (cur) {
      cur.qty += r.qty;
      summed++;
    } else sums.set(k, { sku: r.sku, location: r.location, qty: r.qty });
  }
  const locIds = new Map(port.locations().map((l) => [l.code, l.id]));
  const changes = [...sums.values()].map((s) => ({ variantId: ids.get(s.sku)!, sku: s.sku, locationId: locIds.get(s.location)!, to: s.qty, kind: 'import' as const, reason: opts.reason ?? `stock file ${src.name}` }));
  const before = new Map(changes.map((c) => [`${c.locationId}\u0000${c.variantId}`, port.level(c.locationId, c.variantId)?.onHand ?? 0]));
  const codeOf = new Map([...locIds].map(([c, id]) => [id, c]));
  let applied: Array<{ sku: string; location: string; before: number; after: number }>;
  if (opts.dryRun) {
    applied = changes.filter((c) => before.get(`${c.locationId}\u0000${c.variantId}`) !== c.to).map((c) => ({ sku: c.sku, location: codeOf.get(c.locationId)!, before: before.get(`${c.locationId}\u0000${c.variantId}`)!, after: c.to }));
  } else {
    applied = port.tx(() => {
      const done = port.applyOnHand(changes, opts.command).filter((a) => a.before !== a.after);
      port.queueInventoryPush(done, opts.command);
      return done.map((a) => ({ sku: a.sku, location: codeOf.get(a.locationId)!, before: a.before, after: a.after }));
    });
  }
  const skippedLines = new Set(problems.map((p) => p.line)).size;
  return {
    file: src.name,
    rows: valid.length + skippedLines,
    applied: applied.length,
    unchanged: changes.length - applied.length,
    skipped: skippedLines,
    summed,
    dryRun: Boolean(opts.dryRun),
    changes: applied,
    problems,
  };
}
