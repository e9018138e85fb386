// Tables as a person sees them on a terminal of a given width (fake TTY streams), and as a script sees
// them on a pipe: fitted, never wrapped mid-word, amounts and ids whole, streamed, linear.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { IO } from '../../src/cli/io.js';
import { fitWidths, printFields, printRows, FIRST_ROWS, type Column } from '../../src/cli/render.js';
import { displayWidth, truncate, wrap } from '../../src/cli/text-width.js';
import { collect } from '../helpers/run.js';
import stringWidth from 'string-width';

function term(opts: { tty?: boolean; width?: number; quiet?: boolean; zone?: string } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const tty = opts.tty ?? true;
  const io = new IO({ stdout, stderr, stdin: new PassThrough(), isStdoutTTY: tty, isStderrTTY: tty, isStdinTTY: false, env: { NO_COLOR: '1' }, columns: opts.width ?? 80 });
  if (opts.quiet) io.setFlags({ quiet: true });
  io.timeZone = () => opts.zone ?? 'UTC';
  return { io, out: collect(stdout), err: collect(stderr) };
}

interface Item {
  sku: string;
  title: string;
  price: string;
  channels: string;
}

const COLUMNS: Column<Item>[] = [
  { header: 'SKU', value: (i) => i.sku, overflow: 'keep' },
  { header: 'PRODUCT', value: (i) => i.title },
  { header: 'PRICE', value: (i) => i.price, align: 'right' },
  { header: 'CHANNELS', value: (i) => i.channels },
];

const item = (n: number, title = `Stoneware mug with a hand-thrown glaze, number ${n}`): Item => ({
  sku: `MUG-${String(n).padStart(5, '0')}`,
  title,
  price: `${(n % 900) + 100}.${String(n % 100).padStart(2, '0')} EUR`,
  channels: 'amazon-de amazon-uk ebay-uk shopify',
});

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('text width', () => {
  it('counts wide characters and emoji as two columns, combining marks as none', () => {
    expect(displayWidth('mug')).toBe(3);
    expect(displayWidth('陶器のマグ')).toBe(10);
    expect(displayWidth('☕ mug')).toBe(6);
    expect(displayWidth('cafe\u0301')).toBe(4); // café with a combining accent
  });

  it('truncates at a grapheme boundary with …, and wraps between words only', () => {
    expect(truncate('Stoneware mug', 8)).toBe('Stonewa…');
    expect(truncate('陶器のマグカップ', 7)).toBe('陶器の…'); // never half a wide character
    expect(displayWidth(truncate('陶器のマグカップ', 7))).toBeLessThanOrEqual(7);
    expect(wrap('contents 30.00 EUR below 300 SDR', 12)).toEqual(['contents', '30.00 EUR', 'below 300', 'SDR']);
    expect(wrap('/home/anna/.local/share/merchant/merchant.db ok', 20)).toEqual(['/home/anna/.local/sh', 'are/merchant/merchan', 't.db ok']);
  });

  it('fits widths: the widest shrinkable columns give way first and evenly; kept columns never shrink', () => {
    // 10 + 40 + 30 + 12 + 3 gaps of 2 = 98 → 80: the 40 and the 30 come down to one level.
    expect(fitWidths([10, 40, 30, 12], [3, 7, 8, 5], ['keep', 'truncate', 'truncate', 'keep'], 80)).toEqual([10, 26, 26, 12]);
    // Only the widest gives way when that is enough: 10 + 60 + 10 + 12 + 6 = 98 → the 60 becomes 42.
    expect(fitWidths([10, 60, 10, 12], [3, 7, 8, 5], ['keep', 'truncate', 'truncate', 'keep'], 80)).toEqual([10, 42, 10, 12]);
    expect(fitWidths([10, 40], [3, 7], ['keep', 'truncate'], undefined)).toEqual([10, 40]); // a pipe
    expect(fitWidths([50, 40], [50, 10], ['keep', 'truncate'], 40)).toEqual([50, 10]); // cannot fit: minimum, longer than the terminal
  });
});

describe('tables on a terminal', () => {
  it('at 80 columns: every line fits, text is cut with …, SKUs and prices are whole, one line per row', async () => {
    const { io, out } = term({ width: 80 });
    const rows = Array.from({ length: 30 }, (_, n) => item(n));
    await printRows(io, rows, COLUMNS);
    const printed = lines(out());
    expect(printed).toHaveLength(31); // header + rows: nothing wrapped onto a second line
    for (const l of printed) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    expect(printed[0]).toMatch(/^SKU\s+PRODUCT\s+PRICE\s+CHANNELS$/);
    rows.forEach((r, n) => {
      const l = printed[n + 1]!;
      expect(l.startsWith(`${r.sku}  `)).toBe(true);
      expect(l).toContain(` ${r.price}  `);
      expect(l).toContain('…');
    });
    // The columns line up: each price ends at the same place.
    const ends = printed.slice(1).map((l) => l.indexOf(' EUR') + 4);
    expect(new Set(ends).size).toBe(1);
  });

  it('at 160 columns nothing needs cutting', async () => {
    const { io, out } = term({ width: 160 });
    await printRows(io, [item(1), item(2)], COLUMNS);
    expect(out()).not.toContain('…');
    expect(lines(out())[1]).toBe('MUG-00001  Stoneware mug with a hand-thrown glaze, number 1  101.01 EUR  amazon-de amazon-uk ebay-uk shopify');
  });

  it('measures wide characters: a Japanese title keeps the columns aligned and the line within the width', async () => {
    const { io, out } = term({ width: 60 });
    await printRows(io, [item(1, '手作りの陶器のマグカップ、青い釉薬、二百五十ミリリットル'), item(2, 'Plain mug')], COLUMNS);
    const printed = lines(out());
    // Measured independently of the code under test.
    for (const l of printed) expect(stringWidth(l)).toBeLessThanOrEqual(60);
    const priceEnd = (l: string) => stringWidth(l.slice(0, l.indexOf(' EUR') + 4));
    expect(priceEnd(printed[1]!)).toBe(priceEnd(printed[2]!));
  });

  it('never lets a control character from the data reach the terminal', async () => {
    const { io, out } = term();
    await printRows(io, [item(1, 'Mug\x1b[2J\x1b]0;pwned\x07 blue\nline two')], COLUMNS);
    expect(out()).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out()).toContain('Mug\uFFFD[2J');
  });

  it('wraps an explanation column at word boundaries instead of cutting it', async () => {
    const { io, out } = term({ width: 50 });
    await printRows(io, [{ id: 'UPU-CN22', outcome: 'contents 30.00 EUR < 300 SDR and 780 g ≤ 2000 g: CN 22' }], [
      { header: 'RULE', value: (r) => r.id, overflow: 'keep' },
      { header: 'OUTCOME', value: (r) => r.outcome, overflow: 'wrap' },
    ]);
    const printed = lines(out());
    expect(printed.length).toBeGreaterThan(2);
    for (const l of printed) expect(displayWidth(l)).toBeLessThanOrEqual(50);
    const words = printed.slice(1).map((l) => l.slice(10).trim()).join(' ');
    expect(words).toBe('contents 30.00 EUR < 300 SDR and 780 g ≤ 2000 g: CN 22');
  });

  it('gives way in order: times become dates, then optional columns are left out (with a note)', async () => {
    const rows = [{ id: '302-1234567-1000003', at: '2026-11-20T06:05:00Z', channels: 'amazon-de,amazon-uk,amazon-us', secrets: 'client_id:file client_secret:file refresh_token:file' }];
    const cols: Column<(typeof rows)[number]>[] = [
      { header: 'ORDER', value: (r) => r.id, overflow: 'keep' },
      { header: 'DATE', value: (r) => r.at, time: true },
      { header: 'CHANNELS', value: (r) => r.channels, optional: 1 },
      { header: 'SECRETS', value: (r) => r.secrets, optional: 2 },
    ];
    const wide = term({ width: 160, zone: 'Europe/Stockholm' });
    await printRows(wide.io, rows, cols);
    expect(lines(wide.out())[1]).toBe('302-1234567-1000003  2026-11-20 07:05  amazon-de,amazon-uk,amazon-us  client_id:file client_secret:file refresh_token:file');
    const mid = term({ width: 120, zone: 'Europe/Stockholm' });
    await printRows(mid.io, rows, cols);
    expect(lines(mid.out())[1]).toMatch(/^302-1234567-1000003  2026-11-20  amazon-de,amazon-uk,amazon-us  client_id:file client_secret:file refresh_token:file$/);
    const narrow = term({ width: 60, zone: 'Europe/Stockholm' });
    await printRows(narrow.io, rows, cols);
    expect(lines(narrow.out())).toEqual(['ORDER                DATE        CHANNELS', '302-1234567-1000003  2026-11-20  amazon-de,amazon-uk,amazon…']);
    expect(narrow.err()).toBe('note: SECRETS left out to fit 60 columns; a wider terminal, a pipe or --json shows it\n');
    const narrower = term({ width: 40, zone: 'Europe/Stockholm' });
    await printRows(narrower.io, rows, cols);
    expect(lines(narrower.out())).toEqual(['ORDER                DATE', '302-1234567-1000003  2026-11-20']);
    expect(narrower.err()).toBe('note: CHANNELS, SECRETS left out to fit 40 columns; a wider terminal, a pipe or --json shows them\n');
  });

  it('a later row wider than the first rows is cut to the columns, and a later larger amount stays whole', async () => {
    const { io, out } = term({ width: 80 });
    const rows = Array.from({ length: FIRST_ROWS + 5 }, (_, n) => ({ ...item(n, 'Mug'), channels: 'shopify' }));
    rows[FIRST_ROWS + 2] = { sku: 'MUG-LATE', title: 'A much longer title that arrived after the first thousand rows were measured', price: '123456789.00 EUR', channels: 'shopify' };
    await printRows(io, rows, COLUMNS);
    const late = lines(out()).find((l) => l.startsWith('MUG-LATE'))!;
    expect(late).toContain('123456789.00 EUR');
    expect(late).toContain('…');
    expect(displayWidth(late)).toBeLessThanOrEqual(80);
  });
});

describe('tables on a pipe', () => {
  it('a header line, then tab-separated rows, nothing cut, UTC ISO timestamps, no colour', async () => {
    const { io, out } = term({ tty: false });
    const rows = [{ ...item(1), at: '2026-11-20T06:05:00.000Z' }];
    await printRows(io, rows, [...COLUMNS, { header: 'UPDATED', value: (r) => r.at, time: true }]);
    expect(out()).toBe(`SKU\tPRODUCT\tPRICE\tCHANNELS\tUPDATED\nMUG-00001\tStoneware mug with a hand-thrown glaze, number 1\t101.01 EUR\tamazon-de amazon-uk ebay-uk shopify\t2026-11-20T06:05:00Z\n`);
  });

  it('a tab or line break inside a value cannot break the row', async () => {
    const { io, out } = term({ tty: false });
    await printRows(io, [item(1, 'Mug\twith\ntabs')], COLUMNS);
    expect(lines(out())[1]!.split('\t')).toHaveLength(4);
  });

  it('a pipe gets every byte: rows across many 64 KB chunks, multi-byte text, a line longer than a chunk', async () => {
    const { io, out } = term({ tty: false });
    const titles = ['陶器のマグカップ、青い釉薬', 'Tasse en grès émaillée — bleu', '☕ mug'];
    // ≈ 600 KB: ten chunks, with a line longer than a chunk and one whose UTF-8 is twice its length in the middle.
    const long: Record<number, string> = { 2345: 'x'.repeat(200_000), 4567: 'ü'.repeat(40_000) };
    const rows = Array.from({ length: 6000 }, (_, i) => item(i, long[i] ?? titles[i % titles.length]!));
    await printRows(io, rows, COLUMNS);
    const expected = ['SKU\tPRODUCT\tPRICE\tCHANNELS', ...rows.map((r) => [r.sku, r.title, r.price, r.channels].join('\t'))].join('\n') + '\n';
    const got = out();
    expect(got.length).toBe(expected.length);
    expect(got === expected).toBe(true);
  });

  it('key/value fields: one tab-separated pair per line; on a terminal, a long value wraps under itself', async () => {
    const pipe = term({ tty: false });
    await printFields(pipe.io, [['route', 'SE → US'], ['empty', ''], ['note', 'a\tb']]);
    expect(pipe.out()).toBe('route\tSE → US\nnote\ta b\n');
    const tty = term({ width: 40 });
    await printFields(tty.io, [['route', 'SE → US (US), postal, DAP, 2026-11-25, 780 g, CN22']]);
    expect(lines(tty.out())).toEqual(['route  SE → US (US), postal, DAP,', '       2026-11-25, 780 g, CN22']);
  });
});

describe('--quiet and streaming', () => {
  it('a report table (what a writing command did) is dropped with --quiet; data tables are not', async () => {
    const q = term({ quiet: true });
    await printRows(q.io, [item(1)], COLUMNS, { report: true });
    await printFields(q.io, [['inserted', '3']], { report: true });
    expect(q.out()).toBe('');
    await printRows(q.io, [item(1)], COLUMNS);
    expect(q.out()).toContain('MUG-00001');
  });

  it('streams: the first lines are written after the first rows are read, not after all of them', async () => {
    const { io } = term({ width: 80 });
    let pulled = 0;
    let pulledAtFirstWrite = -1;
    io.stdout.on('data', () => {
      if (pulledAtFirstWrite < 0) pulledAtFirstWrite = pulled;
    });
    function* rows() {
      for (let n = 0; n < 5 * FIRST_ROWS; n++) {
        pulled++;
        yield item(n);
      }
    }
    await printRows(io, rows(), COLUMNS);
    expect(pulled).toBe(5 * FIRST_ROWS);
    expect(pulledAtFirstWrite).toBeGreaterThan(0);
    expect(pulledAtFirstWrite).toBeLessThanOrEqual(FIRST_ROWS + 2 * FIRST_ROWS); // a chunk's worth after the measured rows
  });

  it('200,000 rows render on a terminal (cli-table3 overflowed the stack here)', async () => {
    const { io, out } = term({ width: 120 });
    const rows = Array.from({ length: 200_000 }, (_, n) => ({ sku: `S${n}`, title: 'Mug', price: '1.00 EUR', channels: '' }));
    await printRows(io, rows, COLUMNS);
    const text = out();
    expect(text.split('\n')).toHaveLength(200_002);
    expect(text.endsWith('S199999  Mug      1.00 EUR\n')).toBe(true);
  });
});
