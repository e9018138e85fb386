// Reads a seller's CSV/TSV as it really comes out of Excel and marketplaces: UTF-8 with or without BOM,
// UTF-16 LE/BE with BOM, Windows-1252; `,` `;` or tab (sniffed, or given); an Excel `sep=;` first
// line; CRLF; quoted multi-line fields. Streams through csv-parse, so memory stays flat however big
// the file is, and reports each record's first physical line for error messages.

import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createHash, type Hash } from 'node:crypto';
import { parse, type Parser } from 'csv-parse';
import iconv from 'iconv-lite';
import { InvalidInputError, UsageError } from '../../core/errors.js';

// The data types live with the port the import reads through (src/ports/listing-files.ts).
import type { CsvRecord, Encoding, ListingFile, ReadOptions } from '../../ports/listing-files.js';
export type { CsvRecord, Encoding, ReadOptions };

const SAMPLE = 64 * 1024;

export function normaliseEncoding(e: string): Encoding {
  const k = e.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (k === 'utf8') return 'utf-8';
  if (k === 'utf16le' || k === 'utf16' || k === 'ucs2') return 'utf-16le';
  if (k === 'utf16be') return 'utf-16be';
  if (k === 'windows1252' || k === 'cp1252' || k === 'latin1' || k === 'iso88591' || k === 'ansi') return 'windows-1252';
  throw new UsageError(`unsupported --encoding ${JSON.stringify(e)}`, { hints: ['use one of: utf-8, utf-16le, utf-16be, windows-1252'] });
}

export function normaliseDelimiter(d: string): string {
  if (d === '\\t' || d.toLowerCase() === 'tab' || d === '\t') return '\t';
  if (d === ',' || d === ';' || d === '|') return d;
  throw new UsageError(`unsupported --delimiter ${JSON.stringify(d)}`, { hints: ["use ',', ';', '|' or tab"] });
}

/** Encoding from the first bytes: a BOM decides; otherwise strict UTF-8, falling back to Windows-1252. */
export function sniffEncoding(sample: Buffer, complete: boolean): { encoding: Encoding; bom: boolean } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  // UTF-16 without a BOM: text in Latin script has a zero in every other byte (odd bytes for LE).
  const n = Math.min(sample.length & ~1, 4096);
  if (n >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (sample[i] === 0) evenZero++;
      if (sample[i + 1] === 0) oddZero++;
    }
    const half = n / 2;
    if (oddZero > half * 0.6 && evenZero < half * 0.1) return { encoding: 'utf-16le', bom: false };
    if (evenZero > half * 0.6 && oddZero < half * 0.1) return { encoding: 'utf-16be', bom: false };
  }
  let end = sample.length;
  if (!complete) {
    // Do not judge a multi-byte character cut off by the end of the sample.
    let i = end - 1;
    while (i >= 0 && end - i <= 4 && (sample[i]! & 0xc0) === 0x80) i--;
    if (i >= 0 && sample[i]! >= 0xc0) end = i;
  }
  const bad = firstInvalidUtf8(sample, end);
  if (bad < 0) return { encoding: 'utf-8', bom: false };
  // Valid multi-byte UTF-8 (é as C3 A9) next to an invalid byte: a UTF-8 file with lines pasted in from
  // another encoding. Read as UTF-8, so the reader stops at that byte and names its line, rather than
  // turning every accented character of the rest into mojibake (Windows-1252 text practically never
  // holds a valid UTF-8 sequence).
  return { encoding: hasUtf8Sequence(sample, end) ? 'utf-8' : 'windows-1252', bom: false };
}

/** 1-based line and byte column of a byte offset (read again from the start: only for an error message). */
function lineOfByte(path: string, offset: number): { line: number; column: number } | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      let pos = 0;
      let line = 1;
      let lineStart = 0;
      while (pos < offset) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
        if (n <= 0) break;
        for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) {
          line++;
          lineStart = pos + i + 1;
        }
        pos += n;
      }
      return { line, column: offset - lineStart + 1 };
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array, end = b.length): number {
  let i = 0;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    if (i + n >= end) return -1; // cut off by the end of the buffer: judged with the next one
    for (let k = 1; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong or surrogate forms (E0 80–9F, ED A0–BF, F0 80–8F, F4 90+) are invalid too.
    const c1 = b[i + 1]!;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return i;
    i += n + 1;
  }
  return -1;
}

function hasUtf8Sequence(b: Uint8Array, end: number): boolean {
  for (let i = 0; i + 1 < end; i++) {
    const c = b[i]!;
    if (c >= 0xc2 && c <= 0xdf && (b[i + 1]! & 0xc0) === 0x80) return true;
    if (c >= 0xe0 && c <= 0xef && i + 2 < end && (b[i + 1]! & 0xc0) === 0x80 && (b[i + 2]! & 0xc0) === 0x80) return true;
  }
  return false;
}

/**
 * The delimiter from the first lines (up to 5, outside quotes): the one that splits the header line
 * most often; when the first line has none (Amazon's settings= row), the following lines decide.
 * Ties go to ','.
 */
export function sniffDelimiter(text: string): string {
  const perLine: Array<Record<string, number>> = [];
  let counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && perLine.length < 5; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') {
      perLine.push(counts);
      counts = { ',': 0, ';': 0, '\t': 0 };
    } else if (!quoted && ch in counts) counts[ch]!++;
  }
  if (perLine.length < 5) perLine.push(counts);
  const line = perLine.find((c) => c[',']! + c[';']! + c['\t']! > 0) ?? counts;
  let best = ',';
  for (const d of ['\t', ';']) if (line[d]! > line[best]!) best = d;
  return best;
}

class Utf8Decoder {
  private d = new TextDecoder('utf-8', { fatal: true });
  write(b: Buffer): string {
    return this.d.decode(b, { stream: true });
  }
  end(): string {
    return this.d.decode();
  }
}

export class CsvSource implements ListingFile {
  readonly name: string;
  readonly size: number | undefined;
  encoding: Encoding = 'utf-8';
  bom = false;
  delimiter = ',';
  /** The file had Excel's `sep=X` first line (skipped). */
  sepLine = false;
  /** Lines end in CRLF (from the first line). */
  crlf = false;
  bytesRead = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly opts: ReadOptions;

  constructor(
    readonly path: string,
    opts: ReadOptions = {},
  ) {
    this.name = path === '-' ? '<stdin>' : path;
    this.opts = opts;
    if (path !== '-') {
      try {
        const st = statSync(path);
        if (st.isDirectory()) throw new UsageError(`${path} is a folder, not a file`);
        this.size = st.size;
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, {
          hints: ['check the path; pass - to read from stdin'],
        });
      }
    }
  }

  /** Records one at a time, then a batch at a time (RecordCursor over batches()). */
  cursor(): RecordCursor {
    return new RecordCursor(this.batches());
  }

  /** sha256 of the raw bytes read so far (complete once records() has finished). */
  digest(): string {
    return this.hash.digest('hex');
  }

  private input(): Readable {
    if (this.path === '-') return this.opts.stdin ?? process.stdin;
    return createReadStream(this.path, { highWaterMark: 1 << 20 });
  }

  /** Decoded text chunks; sniffs encoding and delimiter from the first 64 KiB. */
  private async *text(): AsyncGenerator<string> {
    const input = this.input();
    let decoder: { write(b: Buffer): string; end(): string | undefined } | undefined;
    let pending: Buffer[] = [];
    let pendingLen = 0;
    const self = this;
    function start(complete: boolean): string {
      const sample = Buffer.concat(pending);
      const zip = sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04;
      const ole = sample[0] === 0xd0 && sample[1] === 0xcf && sample[2] === 0x11 && sample[3] === 0xe0;
      if (zip || ole) {
        throw new InvalidInputError(`${self.name} is a spreadsheet workbook (${zip ? '.xlsx/.xlsm' : '.xls'}), not a CSV or text file`, {
          problems: [{ file: self.name, line: 1, rule: 'not-csv', message: 'binary workbook; merchant reads CSV and tab-delimited text' }],
          hints: ['in Excel: File → Save As → "CSV UTF-8 (comma delimited)"; for an Amazon template choose "Text (Tab delimited)"'],
        });
      }
      const sniffed = sniffEncoding(sample, complete);
      self.bom = sniffed.bom;
      self.encoding = self.opts.encoding ? normaliseEncoding(self.opts.encoding) : sniffed.encoding;
      decoder = self.encoding === 'utf-8' ? new Utf8Decoder() : iconv.getDecoder(self.encoding, { stripBOM: true });
      let text = decode(sample);
      text = text.replace(/^\uFEFF/, '');
      const nl = text.indexOf('\n');
      self.crlf = nl > 0 && text.charCodeAt(nl - 1) === 13;
      const sep = /^"?sep=(.)"?\r?\n/i.exec(text);
      if (sep) {
        self.sepLine = true;
        self.delimiter = self.opts.delimiter ? normaliseDelimiter(self.opts.delimiter) : sep[1]!;
        text = text.slice(sep[0].length);
      } else {
        self.delimiter = self.opts.delimiter ? normaliseDelimiter(self.opts.delimiter) : sniffDelimiter(text);
      }
      pending = [];
      return text;
    }
    function decode(b: Buffer): string {
      try {
        return decoder!.write(b);
      } catch {
        const at = firstInvalidUtf8(b);
        const offset = self.bytesRead - b.length + Math.max(0, at);
        const where = self.path === '-' ? undefined : lineOfByte(self.path, offset);
        const byte = at >= 0 ? `0x${b[at]!.toString(16).toUpperCase().padStart(2, '0')}` : 'sequence';
        throw new InvalidInputError(`${self.name}${where ? `:${where.line}:${where.column}` : ''}: invalid UTF-8 byte ${byte} (byte ${offset} of the file); nothing was written`, {
          problems: [
            {
              file: self.name,
              ...(where ? { line: where.line, column: where.column } : {}),
              rule: 'encoding',
              message: `invalid UTF-8 byte ${byte}: this part of the file was saved in another encoding (Windows-1252/ANSI?) than UTF-8`,
            },
          ],
          hints: [
            'if the whole file is a Windows-1252/ANSI save: re-run with --encoding windows-1252',
            'if only some lines were pasted in from another file: retype them, or save the whole file again as "CSV UTF-8"',
          ],
        });
      }
    }
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.bytesRead += buf.length;
      this.hash.update(buf);
      if (!decoder) {
        pending.push(buf);
        pendingLen += buf.length;
        if (pendingLen < SAMPLE) continue;
        yield start(false);
        continue;
      }
      yield decode(buf);
    }
    if (!decoder) yield start(true);
    const tail = decoder!.end();
    if (tail) yield tail;
  }

  /** Every record with the physical line it starts on. Parse errors become InvalidInputError. */
  async *records(): AsyncGenerator<CsvRecord> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * The same records, a batch at a time (a chunk of text's worth): one await per batch instead of one
   * per record, which at a million rows is a good part of the reading cost. See RecordCursor.
   */
  async *batches(): AsyncGenerator<CsvRecord[]> {
    const textIter = this.text();
    try {
      yield* this.batchesOf(textIter);
    } finally {
      // Closes the file when the reader stops early (a header read on its own, an error).
      await textIter.return(undefined);
    }
  }

  private async *batchesOf(textIter: AsyncGenerator<string>): AsyncGenerator<CsvRecord[]> {
    // Prime the text so delimiter and encoding are known before anything is parsed.
    const first = await textIter.next();
    let text = first.done ? '' : first.value;
    const firstLine = 1 + (this.sepLine ? 1 : 0);
    let line = firstLine;
    // Fast path: while the text has no carriage return and every quoted field is a simple one on one
    // line, a record is a line and a field is what lies between delimiters (or between a field's
    // quotes), exactly as csv-parse reads it, at a fraction of its cost. The first CR, any other use of
    // quotes (doubled, multi-line, mid-field), or a line too long to be ordinary hands the rest of the
    // file, from a record boundary, to csv-parse.
    let carry = '';
    fast: for (;;) {
      if (text.indexOf('\r') !== -1) break;
      const lines = (carry + text).split('\n');
      const rest = lines.pop()!;
      if (rest.length > FAST_LINE_CHARS || lines.some((l) => l.length > FAST_LINE_CHARS)) break;
      carry = rest;
      text = '';
      const out: CsvRecord[] = [];
      for (let k = 0; k < lines.length; k++) {
        const l = lines[k]!;
        const cells = l.indexOf('"') === -1 ? l.split(this.delimiter) : splitSimpleQuoted(l, this.delimiter);
        if (!cells) {
          // A quote this splitter does not handle: csv-parse reads on from the start of this line.
          text = `${lines.slice(k).join('\n')}\n${carry}`;
          carry = '';
          if (out.length) yield out;
          break fast;
        }
        // (No checkCells here: a fast-path line is at most FAST_LINE_CHARS, below MAX_CELL_CHARS, and has no newline.)
        out.push({ line: line++, cells, raw: l });
        // Small batches: a chunk's worth of split rows held at once would outlive the young generation.
        if (out.length === PARSED_BATCH) yield out.splice(0);
      }
      if (out.length) yield out;
      const n = await textIter.next();
      if (n.done) {
        // The last line without a newline is a record; a final newline ends the file without one.
        if (carry === '') return;
        const cells = carry.indexOf('"') === -1 ? carry.split(this.delimiter) : splitSimpleQuoted(carry, this.delimiter);
        if (!cells) break; // csv-parse reads (or refuses) the last line
        yield [{ line, cells, raw: carry }];
        return;
      }
      text = n.value;
    }
    // csv-parse learns the record delimiter from the first line end it meets; when the fast path has
    // already passed one, it was a bare \n, and a later \r\n must read as it would have (a \r in the field).
    yield* this.parsed(textIter, carry + text, line, line > firstLine ? '\n' : undefined);
  }

  /** The fields of one record, refused when one is too large (embedded newlines counted for the line). */
  private checkCells(cells: string[], start: number): number {
    let extra = 0;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if (c.length > MAX_CELL_CHARS) {
        throw new InvalidInputError(`${this.name}: a field is too large to be catalogue data`, {
          problems: [{ file: this.name, line: start, column: i + 1, rule: 'field-size', message: `the field has ${c.length.toLocaleString('en-US')} characters; the most merchant accepts is ${MAX_CELL_CHARS.toLocaleString('en-US')}` }],
          hints: ['check that the file is the export you meant and that its quotes are balanced'],
        });
      }
      if (c.length > 0 && c.indexOf('\n') !== -1) extra += c.split('\n').length - 1;
    }
    return extra;
  }

  /** Records through csv-parse: `firstText` (starting at a record boundary, on line `startLine`), then the rest of `textIter`. */
  private async *parsed(textIter: AsyncGenerator<string>, firstText: string, startLine: number, recordDelimiter?: string): AsyncGenerator<CsvRecord[]> {
    const parser: Parser = parse({
      ...(recordDelimiter ? { record_delimiter: recordDelimiter } : {}),
      delimiter: this.delimiter,
      relax_column_count: true,
      // A quote inside an unquoted field (12" plate) is a character, as Excel and Shopify read it.
      relax_quotes: true,
      skip_empty_lines: false,
      bom: false,
      // Bounds memory on hostile input (a quote that never closes, a runaway field).
      max_record_size: MAX_RECORD_BYTES,
    });
    // Wait for room in the parser, or for its end: a parse error destroys it and 'drain' never comes
    // (waiting on 'drain' alone left the import hanging on malformed input).
    const room = () =>
      new Promise<void>((r) => {
        if (parser.destroyed) return r();
        const done = () => {
          parser.off('drain', done).off('close', done).off('error', done);
          r();
        };
        parser.once('drain', done).once('close', done).once('error', done);
      });
    const feed = (async () => {
      try {
        if (firstText && !parser.write(firstText)) await room();
        for (;;) {
          if (parser.destroyed) return;
          const n = await textIter.next();
          if (n.done) break;
          if (parser.destroyed) return; // (destroyed while the next chunk was read: writing would wait forever)
          if (!parser.write(n.value)) await room();
        }
        parser.end();
      } catch (e) {
        parser.destroy(e as Error);
      }
    })();
    let line = startLine;
    let batch: CsvRecord[] = [];
    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        const start = line;
        line += 1 + this.checkCells(cells, start);
        batch.push({ line: start, cells });
        if (batch.length === PARSED_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } catch (e) {
      // The records before the error first, as they came (then the error).
      if (batch.length) {
        const before = batch;
        batch = [];
        yield before;
      }
      if (e instanceof InvalidInputError || e instanceof UsageError) throw e;
      const err = e as Error & { code?: string; lines?: number; column?: number };
      // The stream API of csv-parse reports codes without the CSV_ prefix of the sync API.
      if (err.code && !err.code.startsWith('CSV_') && err.constructor?.name === 'CsvError') err.code = `CSV_${err.code}`;
      if (err.code && err.code.startsWith('CSV_')) {
        // A quote that never closes is reported where its record starts (csv-parse counts to where it
        // gave up: the end of the file, or 4 MiB further on), which is where the stray quote is.
        const runaway = err.code === 'CSV_QUOTE_NOT_CLOSED' || err.code === 'CSV_MAX_RECORD_SIZE';
        const where = runaway || err.lines === undefined ? line : err.lines + startLine - 1;
        throw new InvalidInputError(`${this.name}: the file is not valid CSV at line ${where}`, {
          problems: [{ file: this.name, line: where, rule: 'csv-syntax', message: csvMessage(err.code, err.message) }],
          hints: [
            `the delimiter was read as ${this.delimiter === '\t' ? 'tab' : JSON.stringify(this.delimiter)} and the encoding as ${this.encoding}; override with --delimiter / --encoding if that is wrong`,
          ],
        });
      }
      throw e;
    } finally {
      // Stopped early (an error, or the reader was returned after the header): release the feeder,
      // which may be waiting for room in a parser nobody reads any more.
      if (!parser.destroyed) parser.destroy();
      await feed.catch(() => undefined);
    }
  }
}

/**
 * One line's fields when each quoted field is simple: it opens the field, closes right before a
 * delimiter or the end of the line, and has no quote inside. Anything else → undefined (csv-parse).
 */
function splitSimpleQuoted(line: string, d: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let end: number;
    if (line.charCodeAt(i) === 34 /* " */) {
      const close = line.indexOf('"', i + 1);
      if (close === -1) return undefined;
      end = close + 1;
      if (end < line.length && line[end] !== d) return undefined;
      cells.push(line.slice(i + 1, close));
    } else {
      const next = line.indexOf(d, i);
      end = next === -1 ? line.length : next;
      const cell = line.slice(i, end);
      if (cell.indexOf('"') !== -1) return undefined;
      cells.push(cell);
    }
    if (end >= line.length) return cells;
    i = end + 1;
  }
}

/** Records per batch from csv-parse. */
const PARSED_BATCH = 256;

/** Longest single field (a long HTML description fits easily; a runaway field does not). */
const MAX_CELL_CHARS = 256 * 1024;
/** Longest line the quote-free fast path splits itself (longer ones go through csv-parse and its limits). */
const FAST_LINE_CHARS = 64 * 1024;
/** Longest record csv-parse will buffer before giving up. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

function csvMessage(code: string, message: string): string {
  switch (code) {
    case 'CSV_MAX_RECORD_SIZE':
      return `the record starting on this line is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MiB: usually a quote in it that is never closed, or not a CSV file`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field in the record starting on this line is never closed (a stray " opens a field that runs to the end of the file)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters; double a quote inside a quoted field ("")';
    default:
      return message;
  }
}

/**
 * Records one at a time (for a header) and then a batch at a time, from CsvSource.batches(): the
 * header reader takes what it needs and the rows go on from the very next record.
 */
export class RecordCursor implements AsyncIterator<CsvRecord> {
  private buf: CsvRecord[] = [];
  private i = 0;
  constructor(private readonly it: AsyncGenerator<CsvRecord[]>) {}
  async next(): Promise<IteratorResult<CsvRecord>> {
    while (this.i >= this.buf.length) {
      const n = await this.it.next();
      if (n.done) return { done: true, value: undefined };
      this.buf = n.value;
      this.i = 0;
    }
    return { done: false, value: this.buf[this.i++]! };
  }
  /** Give back the record next() just returned (a header reader that looked one row too far). */
  unread(rec: CsvRecord): void {
    if (this.i > 0 && this.buf[this.i - 1] === rec) this.i--;
    else {
      this.buf = [rec, ...this.buf.slice(this.i)];
      this.i = 0;
    }
  }
  /** The rest of the current batch, else the next one; undefined at the end. */
  async nextBatch(): Promise<CsvRecord[] | undefined> {
    if (this.i < this.buf.length) {
      const rest = this.i === 0 ? this.buf : this.buf.slice(this.i);
      this.buf = [];
      this.i = 0;
      return rest;
    }
    const n = await this.it.next();
    return n.done ? undefined : n.value;
  }
  async return(): Promise<IteratorResult<CsvRecord>> {
    await this.it.return(undefined);
    return { done: true, value: undefined };
  }
}
