// Rows → an aligned table on a terminal | tab-separated lines on a pipe | one JSON document.
//
// Terminal: columns fitted to the terminal's width — the widest text columns give way first, cut with
// … (or word-wrapped inside the cell where a column asks for it), never an amount or an id — and long
// output goes through the pager (see pager.ts). Rendering is linear and streams: the widths come from
// the first rows (all of them when there are fewer than FIRST_ROWS), so the first screen of a
// 100,000-row catalogue shows as soon as those rows are read; a later cell wider than its column is
// cut the same way.
//
// Pipe: a header line, then one line per row, tab-separated, nothing cut, no colour (tabs and line
// breaks inside a value become spaces). Timestamps are UTC ISO 8601 on a pipe and in JSON, and the
// seller's local time on a terminal.

import type { IO } from './io.js';
import { displayWidth, pad, sanitizeCell, truncate, wrap } from './text-width.js';

/** What a cell does when its column must shrink to fit the terminal. */
export type Overflow = 'truncate' | 'wrap' | 'keep';

export interface Column<Row> {
  header: string;
  /** Cell text. Keep it plain; colour via `color`. */
  value: (row: Row) => string;
  align?: 'left' | 'right';
  /**
   * 'truncate' (default for left-aligned text): cut with …; 'wrap': word-wrap inside the cell (long
   * explanations); 'keep' (default for right-aligned columns): never shortened — amounts, ids, codes.
   */
  overflow?: Overflow;
  /**
   * The value is a UTC ISO timestamp: the seller's local time on a terminal (its date alone when the
   * terminal is narrow), UTC ISO 8601 on a pipe. Never cut.
   */
  time?: boolean;
  /**
   * Detail that may be left out on a terminal too narrow for the table (a note says so; a pipe and
   * --json always have it). When several are, the highest number goes first.
   */
  optional?: number;
  color?: (text: string, row: Row, io: IO) => string;
}

export interface PrintOptions {
  /** A pipe gets a header line first (default); false for key/value summaries that have none. */
  header?: boolean;
  /** The table reports what a writing command did: --quiet drops it (only errors and warnings remain). */
  report?: boolean;
}

/** Rows measured before the first line is printed. */
export const FIRST_ROWS = 1000;
const GAP = 2;
const CHUNK_BYTES = 64 * 1024;

/**
 * JSON with BigInt as decimal strings (money in minor units never loses precision) and every timestamp
 * in one form, UTC ISO 8601 without milliseconds ("2026-11-03T09:15:00Z"). A value is a timestamp by
 * its field's name (…At, …Date, …Utc, since, at, until) AND its form; text that merely looks
 * like one elsewhere is left alone, and so is everything under "raw" (a marketplace payload as received).
 */
export function toJson(doc: unknown): string {
  return stringify(normaliseTimestamps(doc, ''));
}

const stringify = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2);

const TIMESTAMP_KEY = /(?:At|Date|Utc|UtcExclusive)$|^(?:since|at|until)$/;
const TIMESTAMP_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Is this JSON field a timestamp to normalise? */
export function isTimestampField(key: string, value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP_KEY.test(key) && TIMESTAMP_VALUE.test(value);
}

/** A copy of `v` with its timestamp fields in UTC ISO without milliseconds ("raw" payloads untouched). */
function normaliseTimestamps(v: unknown, key: string): unknown {
  if (isTimestampField(key, v)) return utcIso(v);
  if (v === null || typeof v !== 'object' || key === 'raw') return v;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
  if (Array.isArray(v)) return v.map((x) => normaliseTimestamps(x, key));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = normaliseTimestamps(x, k);
  return out;
}

export function printJson(io: IO, doc: unknown): void {
  io.out(toJson(doc));
}

/** A field of a streamed document (printJsonStream) whose items come from a cursor, written one by one. */
export class Streamed<T> {
  constructor(readonly items: Iterable<T>) {}
}

/** A field of a streamed document computed when the writing reaches it: a count the items before made. */
export class Later<T> {
  constructor(readonly value: () => T) {}
}

/**
 * One JSON document written as it is produced: byte for byte what printJson(io, doc) prints for the
 * same content, but a Streamed field's items are read, written and dropped one at a time, waiting for
 * a slow reader. A million-row `--json` keeps the memory of one row (built whole, the document and its
 * text took 1.8 GB for `listings list --json` of 1M SKUs). Fields are written in the order given; a
 * Later field is evaluated when it is reached, after the Streamed fields before it are done.
 * Returns false when the reader has gone (the cursor is closed then).
 */
export function printJsonStream(io: IO, doc: Record<string, unknown>): Promise<boolean> {
  return printPieces(io, jsonPieces(doc));
}

/**
 * Text produced piece by piece (a CSV or JSON document read from a cursor) onto stdout, gathered into
 * chunks and waiting for a slow reader. False when the reader has gone; leaving early closes the pieces,
 * and with them the cursor being read.
 */
export async function printPieces(io: IO, pieces: Iterable<string>): Promise<boolean> {
  const w = new ChunkWriter(io);
  for (const piece of pieces) {
    const ok = w.text(piece);
    if (ok === false || (ok !== true && !(await ok))) return false;
  }
  return w.flush();
}

/** The text of printJsonStream's document, piece by piece as it is produced (for a file: --output). */
export function* jsonPieces(doc: Record<string, unknown>): Generator<string> {
  // (JSON text has no line break inside a string: each one is the document's own, indented one level deeper.)
  const text = (v: unknown, key: string, indent: string) => (stringify(normaliseTimestamps(v, key)) ?? 'null').replace(/\n/g, `\n${indent}`);
  let fields = 0;
  for (const [key, field] of Object.entries(doc)) {
    const value = field instanceof Later ? field.value() : field;
    if (value === undefined || typeof value === 'function') continue; // (JSON.stringify leaves these out)
    const head = `${fields++ ? ',' : '{'}\n  ${JSON.stringify(key)}: `;
    if (!(value instanceof Streamed)) {
      yield head + text(value, key, '  ');
      continue;
    }
    const it = (value.items as Iterable<unknown>)[Symbol.iterator]();
    let n = 0;
    try {
      for (let r = it.next(); !r.done; r = it.next()) yield `${n++ ? ',' : `${head}[`}\n    ${text(r.value, key, '    ')}`;
    } finally {
      it.return?.();
    }
    yield n ? '\n  ]' : `${head}[]`;
  }
  yield fields ? '\n}\n' : '{}\n';
}

/** The rows, or undefined when there are none (read one row ahead: a cursor is not read twice). */
export function unlessEmpty<T>(rows: Iterable<T>): Iterable<T> | undefined {
  const it = rows[Symbol.iterator]();
  const first = it.next();
  if (first.done) return undefined;
  return (function* () {
    try {
      yield first.value;
      for (let r = it.next(); !r.done; r = it.next()) yield r.value;
    } finally {
      it.return?.();
    }
  })();
}

/** Tab and newline inside a TSV cell would break the row: replace them. */
function tsvCell(s: string): string {
  // (Most cells have none: three native scans are much cheaper than a regex replace per cell.)
  return s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace(/[\t\r\n]+/g, ' ');
}

// ── time ────────────────────────────────────────────────────────────────────────────────────────────

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-03 10:15" in `timeZone` for a UTC ISO timestamp (unparseable text is returned as it is). */
export function localTime(iso: string, timeZone: string): string {
  const t = Date.parse(iso);
  if (!iso || Number.isNaN(t)) return iso;
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    zoneFormats.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "2026-11-03T09:15:00Z" for any ISO timestamp (the form JSON and pipes use). */
export function utcIso(iso: string): string {
  const t = Date.parse(iso);
  if (!iso || Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stored UTC timestamp as this output shows it: local time on a terminal, UTC ISO 8601 elsewhere. */
export function formatTimestamp(io: IO, iso: string | null | undefined): string {
  if (!iso) return '';
  return io.isStdoutTTY ? localTime(iso, io.timeZone()) : utcIso(iso);
}

// ── tables ──────────────────────────────────────────────────────────────────────────────────────────

interface Layout {
  /** Indexes of the columns shown (optional ones may be left out on a narrow terminal). */
  visible: number[];
  /** Per visible column: */
  widths: number[];
  mins: number[];
  overflow: Overflow[];
  align: Array<'left' | 'right'>;
  /** Time columns shown as their date alone (YYYY-MM-DD) to make room. */
  dateOnly: boolean[];
  avail: number | undefined;
  /** Headers of the optional columns left out. */
  hidden: string[];
}

const DATE_WIDTH = 10;

function overflowOf<Row>(c: Column<Row>): Overflow {
  return c.overflow ?? (c.align === 'right' || c.time ? 'keep' : 'truncate');
}

function tableWidth(widths: readonly number[]): number {
  return widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.length - 1);
}

/**
 * Fit natural column widths into `avail` terminal columns. Columns that may shrink are brought down to
 * one common width (the widest give way first, and evenly) but never below their minimum; columns
 * that keep their width never shrink. When even the minimums do not fit, the line is left longer than
 * the terminal rather than an amount or id being cut.
 */
export function fitWidths(natural: readonly number[], mins: readonly number[], overflow: readonly Overflow[], avail: number | undefined): number[] {
  if (avail === undefined || tableWidth(natural) <= avail) return [...natural];
  const at = (level: number) => natural.map((w, i) => (overflow[i] === 'keep' ? w : Math.max(mins[i]!, Math.min(w, level))));
  let lo = 0;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tableWidth(at(mid)) <= avail) lo = mid;
    else hi = mid - 1;
  }
  return at(lo);
}

/**
 * Lay a table out for `avail` columns, giving way in this order until it fits: times shown as dates,
 * optional columns left out (the highest `optional` first) rather than text cut by more than 40%,
 * then text columns cut (or wrapped) down to a few characters. Whatever still does not fit (amounts, ids) makes the line longer than the
 * terminal: the pager then scrolls it sideways.
 */
function layoutFor<Row>(columns: readonly Column<Row>[], sample: readonly string[][], avail: number | undefined): Layout {
  const overflow = columns.map(overflowOf);
  const headerW = columns.map((c) => displayWidth(c.header));
  const full = [...headerW];
  const dateW = [...headerW];
  for (const cells of sample) {
    for (let i = 0; i < cells.length; i++) {
      const w = displayWidth(cells[i]!);
      if (w > full[i]!) full[i] = w;
      if (columns[i]!.time && Math.min(w, DATE_WIDTH) > dateW[i]!) dateW[i] = Math.min(w, DATE_WIDTH);
    }
  }
  // A shrinking column keeps at least its header, and a few characters of its text.
  const minOf = (i: number) => Math.min(full[i]!, Math.max(headerW[i]!, overflow[i] === 'wrap' ? 12 : 6));
  let visible = columns.map((_, i) => i);
  let dates = false;
  const hidden: string[] = [];
  for (;;) {
    const natural = visible.map((i) => (dates && columns[i]!.time ? dateW[i]! : full[i]!));
    const mins = visible.map(minOf);
    const ov = visible.map((i) => overflow[i]!);
    if (avail !== undefined && tableWidth(natural) > avail && !dates && visible.some((i) => columns[i]!.time && full[i]! > dateW[i]!)) {
      dates = true;
      continue;
    }
    // Optional detail goes before other text is cut to less than 60% of its width; then text columns
    // give way.
    const comfortable = natural.map((w, j) => (ov[j] === 'truncate' ? Math.max(mins[j]!, Math.ceil(w * 0.6)) : mins[j]!));
    if (avail !== undefined && tableWidth(fitWidths(natural, comfortable, ov, avail)) > avail) {
      let drop = -1;
      for (const i of visible) if (columns[i]!.optional !== undefined && (drop < 0 || columns[i]!.optional! >= columns[drop]!.optional!)) drop = i;
      if (drop >= 0) {
        hidden.unshift(columns[drop]!.header);
        visible = visible.filter((i) => i !== drop);
        continue;
      }
    }
    const widths = fitWidths(natural, mins, ov, avail);
    return {
      visible,
      widths,
      mins,
      overflow: ov,
      align: visible.map((i) => columns[i]!.align ?? 'left'),
      dateOnly: visible.map((i) => dates && Boolean(columns[i]!.time)),
      avail,
      hidden,
    };
  }
}

/** One row's lines (more than one when a wrapping column wraps), with colour applied after fitting. */
function renderRow(allCells: readonly string[], layout: Layout, paint?: (column: number, text: string) => string): string[] {
  const n = layout.visible.length;
  const cells = layout.visible.map((c, i) => {
    const text = allCells[c]!;
    return layout.dateOnly[i] && /^\d{4}-\d{2}-\d{2} /.test(text) ? text.slice(0, DATE_WIDTH) : text;
  });
  let widths = layout.widths;
  const cellW = cells.map(displayWidth);
  // A cell that keeps its width but is wider than its column (a later row's larger amount) takes the
  // room from the widest shrinking cells of this row, so the line still fits the terminal.
  let excess = 0;
  for (let i = 0; i < n; i++) if (layout.overflow[i] === 'keep' && cellW[i]! > widths[i]!) excess += cellW[i]! - widths[i]!;
  if (excess > 0) {
    widths = widths.map((w, i) => (layout.overflow[i] === 'keep' ? Math.max(w, cellW[i]!) : w));
    if (layout.avail !== undefined) {
      while (excess > 0) {
        let widest = -1;
        for (let i = 0; i < n; i++) if (layout.overflow[i] !== 'keep' && widths[i]! > layout.mins[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
        if (widest < 0) break;
        widths[widest]!--;
        excess--;
      }
    }
  }
  const parts: string[][] = cells.map((text, i) => {
    const w = widths[i]!;
    if (cellW[i]! <= w || layout.overflow[i] === 'keep') return [text];
    return layout.overflow[i] === 'wrap' ? wrap(text, w, 'break') : [truncate(text, w)];
  });
  const height = Math.max(...parts.map((p) => p.length));
  const lines: string[] = [];
  for (let l = 0; l < height; l++) {
    let line = '';
    for (let i = 0; i < n; i++) {
      const text = parts[i]![l] ?? '';
      const last = i === n - 1;
      const painted = paint && text ? paint(layout.visible[i]!, text) : text;
      const w = widths[i]!;
      const tw = displayWidth(text);
      if (last && layout.align[i] === 'left') line += painted;
      else line += pad(painted, w, layout.align[i]!, tw) + (last ? '' : ' '.repeat(GAP));
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/**
 * Gathers output into chunks and writes them, waiting for a slow reader; false once it has gone.
 * `line` answers at once (no promise) while the chunk is filling: a pipe of 500,000 rows would
 * otherwise wait on a promise per row. Lines are encoded straight into the chunk's buffer: building a
 * 64 KB string first and encoding it again cost more than the rest of the printing on a big heap.
 */
class ChunkWriter {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  constructor(private io: IO) {}
  line(text: string): boolean | Promise<boolean> {
    return this.put(text, true);
  }
  /** Text without a line break after it (a JSON document's pieces). */
  text(text: string): boolean | Promise<boolean> {
    return this.put(text, false);
  }
  private put(text: string, newline: boolean): boolean | Promise<boolean> {
    // At most 3 bytes per UTF-16 unit, plus the newline.
    const room = text.length * 3 + 1;
    if (this.used + room > this.buf.length) {
      if (this.used === 0) this.buf = Buffer.allocUnsafe(room); // a line longer than a chunk
      else return this.flush().then((ok) => (ok ? this.put(text, newline) : false));
    }
    this.used += this.buf.write(text, this.used, 'utf8');
    if (newline) this.buf[this.used++] = 10;
    return !this.io.outputClosed;
  }
  async flush(): Promise<boolean> {
    if (!this.used) return !this.io.outputClosed;
    const chunk = this.buf.subarray(0, this.used);
    // The stream may hold the chunk until it is written: the next lines go into a new buffer.
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return this.io.write(chunk);
  }
}

/**
 * Print rows: an aligned table fitted to the terminal (through the pager), or a header line and
 * tab-separated rows on a pipe. Rows may be any iterable — a database cursor streams.
 */
export async function printRows<Row>(io: IO, rows: Iterable<Row>, columns: readonly Column<Row>[], opts: PrintOptions = {}): Promise<void> {
  if (opts.report && io.flags.quiet) return;
  const tty = io.isStdoutTTY;
  const zone = columns.some((c) => c.time) ? io.timeZone() : 'UTC';
  const cellsOf = (row: Row): string[] =>
    columns.map((c) => {
      const v = c.value(row);
      if (c.time) return tty ? localTime(v, zone) : utcIso(v);
      return tty ? sanitizeCell(v) : tsvCell(v);
    });

  if (!tty) {
    const w = new ChunkWriter(io);
    if (opts.header !== false) await w.line(columns.map((c) => c.header).join('\t'));
    for (const row of rows) {
      const ok = w.line(cellsOf(row).join('\t'));
      if (ok === false || (ok !== true && !(await ok))) return;
    }
    await w.flush();
    return;
  }

  // Terminal: measure the first rows, then stream.
  const iterator = rows[Symbol.iterator]();
  const first: Array<{ row: Row; cells: string[] }> = [];
  let next = iterator.next();
  while (!next.done && first.length < FIRST_ROWS) {
    first.push({ row: next.value, cells: cellsOf(next.value) });
    next = iterator.next();
  }
  const layout = layoutFor(columns, first.map((f) => f.cells), io.fitWidth);
  const colour = columns.some((c) => c.color);
  const paintFor = (row: Row) => (colour ? (i: number, text: string) => columns[i]!.color?.(text, row, io) ?? text : undefined);
  await io.startPager({ chop: layout.avail !== undefined && tableWidth(layout.widths) > layout.avail });
  const w = new ChunkWriter(io);
  try {
    const head = renderRow(columns.map((c) => c.header), layout, (_c, t) => io.chalk.bold(t));
    for (const l of head) await w.line(l);
    for (const f of first) for (const l of renderRow(f.cells, layout, paintFor(f.row))) if (!(await w.line(l))) return;
    while (!next.done) {
      for (const l of renderRow(cellsOf(next.value), layout, paintFor(next.value))) if (!(await w.line(l))) return;
      next = iterator.next();
    }
    await w.flush();
  } finally {
    // The reader quit early: close the cursor.
    if (!next.done) iterator.return?.();
  }
  if (layout.hidden.length) {
    io.note(`${layout.hidden.join(', ')} left out to fit ${layout.avail} columns; a wider terminal, a pipe or --json shows ${layout.hidden.length === 1 ? 'it' : 'them'}`);
  }
}

/** Key/value pairs for `show` commands; a long value wraps at word boundaries under itself. */
export async function printFields(io: IO, fields: ReadonlyArray<[string, string | undefined | null]>, opts: { report?: boolean } = {}): Promise<void> {
  if (opts.report && io.flags.quiet) return;
  const present = fields.filter(([, v]) => v !== undefined && v !== null && v !== '') as [string, string][];
  if (!io.isStdoutTTY) {
    for (const [k, v] of present) io.out(`${k}\t${tsvCell(v)}`);
    return;
  }
  await io.startPager();
  const width = Math.max(0, ...present.map(([k]) => displayWidth(k)));
  const room = io.fitWidth === undefined ? undefined : io.fitWidth - width - GAP;
  const lines: string[] = [];
  for (const [k, v] of present) {
    const text = sanitizeCell(v);
    const parts = room !== undefined && room >= 20 ? wrap(text, room, 'keep') : [text];
    parts.forEach((p, i) => lines.push(`${i === 0 ? io.chalk.dim(pad(k, width, 'left')) : ' '.repeat(width)}  ${p}`));
  }
  if (lines.length) await io.write(`${lines.join('\n')}\n`);
}
