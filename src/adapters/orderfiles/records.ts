// Streams the records of a marketplace report file (CSV or TSV, UTF-8 with or without BOM, UTF-16
// with BOM) with their line numbers, and finds the header row by signature, skipping preambles
// such as eBay's blank first lines.

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';

export interface FileRecord {
  cells: string[];
  line: number;
}

type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'win1252';

/** Length of the buffer without a UTF-8 sequence cut at its end (the sniffed head may end mid-character). */
function lastCompleteUtf8(b: Buffer): number {
  let i = b.length;
  let back = 0;
  while (i > 0 && back < 3 && (b[i - 1]! & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i > 0 && (b[i - 1]! & 0xc0) === 0xc0) return i - 1;
  return b.length;
}

async function sniff(open: () => Readable): Promise<{ encoding: Encoding; lines: string[] }> {
  const s = open();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of s as AsyncIterable<Buffer>) {
    chunks.push(c);
    size += c.length;
    if (size >= 64 * 1024) break;
  }
  s.destroy();
  const head = Buffer.concat(chunks);
  let encoding: Encoding = 'utf8';
  if (head[0] === 0xff && head[1] === 0xfe) encoding = 'utf16le';
  else if (head[0] === 0xfe && head[1] === 0xff) encoding = 'utf16be';
  else if (!isUtf8(head.subarray(0, lastCompleteUtf8(head)))) encoding = 'win1252'; // EU Amazon flat files are often Cp1252
  const text = encoding === 'utf8' ? head.toString('utf8') : iconv.decode(head, encoding);
  // Preambles ("Transaction report", "Seller ID","…") are short: sniff on the first ten non-blank lines.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.replace(/[",;\t\s]/g, '') !== '').slice(0, 10);
  return { encoding, lines };
}

/** The candidate that splits some early line into the most fields (a header row has many); ties → ','. */
function delimiterOf(lines: readonly string[]): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';']) {
    const n = Math.max(0, ...lines.map((l) => l.split(d).length - 1));
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Records of a file ('-' = stdin, read once: then sniffing uses the same buffered text). */
export async function* readRecords(path: string, stdin?: Readable): AsyncGenerator<FileRecord> {
  let open: () => Readable;
  if (path === '-') {
    if (!stdin) throw new Error('stdin is not available');
    const chunks: Buffer[] = [];
    for await (const c of stdin as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    const all = Buffer.concat(chunks);
    const { Readable: R } = await import('node:stream');
    open = () => R.from([all]);
  } else {
    open = () => createReadStream(path);
  }
  const { encoding, lines } = await sniff(open);
  const delimiter = delimiterOf(lines);
  let source: Readable = open();
  if (encoding !== 'utf8') source = source.pipe(iconv.decodeStream(encoding)) as unknown as Readable;
  const parser = source.pipe(
    parse({
      bom: true,
      delimiter,
      // Amazon flat files are tab-separated and never quoted: a title may contain a bare quote.
      quote: delimiter === '\t' ? false : '"',
      relax_column_count: true,
      relax_quotes: delimiter === '\t',
      skip_empty_lines: false,
      info: true,
    }),
  );
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { cells: rec.record, line: rec.info.lines };
  }
}

export function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}
