// What the listings import needs from a seller's file: its records (CSV/TSV in any of the encodings and
// dialects sellers' tools write) and the column maps that say which format a header row is and where each
// field is. Implemented by src/adapters/csv (CsvSource, RecordCursor, the maps in templates/import), wired
// in src/cli/wiring/*.ts (listingFiles) and, in the import's reading thread, by src/cli/import-worker-entry.ts.
// The data types here are plain data: they cross to the reading thread and back unchanged.

import type { Readable } from 'node:stream';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface ReadOptions {
  encoding?: string;
  delimiter?: string;
  /** stdin for '-' (tests inject one). */
  stdin?: Readable;
}

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  cells: string[];
  /** The record's text as in the file, when it is one line read by the fast path (a cheap change key). */
  raw?: string;
}

export type Layout = 'header' | 'amazon-template' | 'amazon-settings';
export type RowStrategy = 'variant' | 'shopify' | 'amazon' | 'ebay' | 'woocommerce';
export type Unit = 'g' | 'kg' | 'lb' | 'oz' | 'mm' | 'cm' | 'in';

export type HeaderAlias = string | { name: string; unit: Unit } | { prefix: string };

export interface FieldSpec {
  headers: HeaderAlias[];
  required?: boolean;
  doc?: string;
  label?: string;
  values?: Record<string, string>;
  /** Several pictures in one cell: `first-of-list` (", "-separated, WooCommerce) or `first-of-pipe-list` ("|", eBay). */
  transform?: 'first-of-list' | 'first-of-pipe-list';
}

export interface ColumnMap {
  format: string;
  generation: string;
  title: string;
  description: string;
  source?: string;
  layout: Layout;
  templateType?: string;
  rows: RowStrategy;
  priceTarget: 'variant' | 'listing';
  /** Fixed channel code, or how to find it: from-currency | from-marketplace | from-action; null = none. */
  channel: string | null;
  /** "skip": a SKU the catalogue does not have is left out (one note per file), not created or refused (reports). */
  newSkus?: 'skip';
  /** "option": the file has no currency column; prices are in --currency / the shop's currency. */
  currency?: 'option';
  delimiter: string;
  /**
   * Columns that identify the format (each a header, or a list of alternatives): all must be present.
   * Only columns the format always has belong here, never optional ones (WooCommerce's ID).
   */
  signature: Array<string | string[]>;
  fields: Record<string, FieldSpec>;
  optionNames?: Record<string, string>;
  ignored?: string[];
  preamble?: string;
  actionHeader?: string;
  example?: Array<Record<string, string>>;
  /** `format/generation`, e.g. shopify/legacy. */
  id: string;
}

export interface BoundField {
  name: string;
  index: number;
  header: string;
  unit?: Unit;
  spec: FieldSpec;
  /** The field's other columns present in the file, in the map's order: read when this one is blank. */
  fallbacks?: Array<{ index: number; header: string; unit?: Unit }>;
}

export interface Binding {
  map: ColumnMap;
  fields: BoundField[];
  byName: Map<string, BoundField>;
  /** Required fields whose column is missing. */
  missing: string[];
  /** Headers the map neither uses nor knowingly ignores (reported as a warning). */
  unknown: string[];
}

export interface Detection {
  map?: ColumnMap;
  /** Closest maps, best first, with the signature columns they miss. */
  candidates: Array<{ id: string; title: string; hit: number; missing: string[]; weight: number }>;
}

/** Records one at a time (a header reader, which may give one back), then a batch at a time. */
export interface RecordStream extends AsyncIterator<CsvRecord> {
  next(): Promise<IteratorResult<CsvRecord>>;
  /** Give back the record next() just returned (a header reader that looked one row too far). */
  unread(rec: CsvRecord): void;
  /** The rest of the current batch, else the next one; undefined at the end. */
  nextBatch(): Promise<CsvRecord[] | undefined>;
  /** Stop reading (closes the file). */
  return(): Promise<IteratorResult<CsvRecord>>;
}

/** One input file (or stdin, '-') being read; what was sniffed is known once the first records are read. */
export interface ListingFile {
  readonly path: string;
  /** The path as shown in messages ('<stdin>' for '-'). */
  readonly name: string;
  /** Bytes on disk; undefined for stdin. */
  readonly size: number | undefined;
  readonly encoding: Encoding;
  readonly bom: boolean;
  readonly delimiter: string;
  /** Lines end in CRLF (from the first line). */
  readonly crlf: boolean;
  readonly bytesRead: number;
  /** sha256 of the raw bytes read so far (complete once the records have been read to the end). */
  digest(): string;
  /** The file's records (one stream per file). */
  cursor(): RecordStream;
}

/** The import formats' column maps (templates/import/*.json) and how a header row is matched to them. */
export interface ColumnMaps {
  /** The format families (merchant, shopify, amazon, ebay, woocommerce). */
  readonly formats: readonly string[];
  /** Every map (format and generation), in a stable order. */
  all(): ColumnMap[];
  /** The map whose whole signature the header row carries (limited to `layouts`), and the closest ones. */
  detect(headers: readonly string[], layouts: readonly Layout[], format?: string, templateType?: string): Detection;
  /** A header row matched to a map: each field's column. */
  bind(map: ColumnMap, headers: readonly string[]): Binding;
  /** Header text as written, for telling two columns apart (qualifiers kept). */
  headerText(h: string): string;
  /** Qualifiers such as marketplace_id=A1F83G8C2ARO7P in an Amazon workbook header. */
  headerQualifiers(h: string): Record<string, string>;
  /** An alias as a header a user would write. */
  aliasText(a: HeaderAlias): string;
}

export interface ListingFiles {
  /** Opens a file for reading (UsageError when it does not exist or is a folder). */
  open(path: string, opts: ReadOptions): ListingFile;
  /** --encoding checked and normalised (UsageError when unknown). */
  normaliseEncoding(e: string): Encoding;
  /** --delimiter checked and normalised (UsageError when unknown). */
  normaliseDelimiter(d: string): string;
  readonly maps: ColumnMaps;
}
