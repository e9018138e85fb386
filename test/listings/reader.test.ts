// The CSV reader's quote-free fast path must read exactly what csv-parse reads: the same records, the
// same fields, the same line numbers, whatever the chunking, and hand over to csv-parse mid-stream
// when a quote or a carriage return appears.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvSource } from '../../src/adapters/csv/reader.js';
import { InvalidInputError } from '../../src/core/errors.js';

// More than the 64 KiB the reader sniffs before parsing, so the random body arrives in later chunks.
const FILLER = 'a,b\n' + 'x,y\n'.repeat(17_000);

async function read(chunks: Buffer[]): Promise<Array<{ line: number; cells: string[] }>> {
  const src = new CsvSource('-', { delimiter: ',', stdin: Readable.from(chunks) });
  const out: Array<{ line: number; cells: string[] }> = [];
  const badRaw: Array<{ line: number; raw: string }> = [];
  for await (const r of src.records()) {
    // The raw line (a change key) is the record's own text: one line, and its cells when it has no
    // quotes. Checked with plain comparisons (an expect() per record costs more than the read itself).
    if (r.raw !== undefined) {
      if (r.raw.includes('\n') || (!r.raw.includes('"') && r.raw.split(',').join('\u0000') !== r.cells.join('\u0000'))) {
        badRaw.push({ line: r.line, raw: r.raw });
      }
    }
    out.push({ line: r.line, cells: r.cells });
  }
  expect(badRaw).toEqual([]);
  return out;
}

/** What csv-parse alone gives, with the line each record starts on. */
function reference(text: string): Array<{ line: number; cells: string[] }> {
  const rows = parse(text, { delimiter: ',', relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false }) as string[][];
  let line = 1;
  return rows.map((cells) => {
    const r = { line, cells };
    line += 1 + cells.reduce((n, c) => n + c.split('\n').length - 1, 0);
    return r;
  });
}

function chunked(text: string, cuts: number[]): Buffer[] {
  const buf = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, buf.length]) {
    if (c > prev) out.push(buf.subarray(prev, c));
    prev = Math.max(prev, c);
  }
  return out;
}

describe('CSV reader: quote-free fast path', () => {
  it('reads the same records and lines as csv-parse, however the text is chunked', async () => {
    // The filler is read once per run (it is what pushes the tail past the sniffed prefix), but only
    // the tail is compared record by record. csv-parse on one filler line plus the tail, its lines
    // shifted by the rest of the filler's, reads what it reads on the whole text: the filler ends on a
    // record boundary, and the one line keeps csv-parse's record-delimiter detection ('\n') the same.
    const fillerLines = FILLER.split('\n').length - 1;
    const body = fc.array(fc.constantFrom('a', 'b', 'é', ' ', ',', ',', '\n', '\n', ';', '\t', '"', '\r\n', '1', ',"x, y",', '\n"<p>q</p>",', '""'), { maxLength: 300 });
    await fc.assert(
      fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), async (parts, cuts, simpleOnly) => {
        const tail = simpleOnly ? parts.filter((p) => p !== '"' && p !== '\r\n').join('') : parts.join('');
        let expected: Array<{ line: number; cells: string[] }> | Error;
        try {
          expected = reference('x,y\n' + tail).slice(1).map((r) => ({ line: r.line + fillerLines - 1, cells: r.cells }));
        } catch (e) {
          expected = e as Error;
        }
        const chunks = [Buffer.from(FILLER), ...chunked(tail, cuts)];
        if (expected instanceof Error) {
          await expect(read(chunks)).rejects.toBeInstanceOf(InvalidInputError);
          return;
        }
        const got = await read(chunks);
        expect(got.length).toBe(fillerLines + expected.length);
        expect(got[fillerLines - 1]).toEqual({ line: fillerLines, cells: ['x', 'y'] });
        expect(got.slice(fillerLines)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('hands over to csv-parse at a record boundary when a quoted field follows plain lines', async () => {
    const text = `${FILLER}p,"q, with comma",r\n"multi\nline",s\nt,u\n`;
    const got = await read([Buffer.from(FILLER), Buffer.from(text.slice(FILLER.length, FILLER.length + 5)), Buffer.from(text.slice(FILLER.length + 5))]);
    expect(got.slice(-3)).toEqual([
      { line: 17_002, cells: ['p', 'q, with comma', 'r'] },
      { line: 17_003, cells: ['multi\nline', 's'] },
      { line: 17_005, cells: ['t', 'u'] },
    ]);
  });

  it('a file without a final newline keeps its last record; an empty file has none', async () => {
    expect((await read([Buffer.from('a,b\nc,d')])).map((r) => r.cells)).toEqual([['a', 'b'], ['c', 'd']]);
    expect(await read([Buffer.from('')])).toEqual([]);
  });
});
