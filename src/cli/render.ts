// Rows → TTY table (cli-table3) | TSV on a pipe (no header, no colour, like gh) | one JSON document.

import Table from 'cli-table3';
import type { IO } from './io.js';

export interface Column<Row> {
  header: string;
  /** Cell text. Keep it plain; colour via `color`. */
  value: (row: Row) => string;
  align?: 'left' | 'right';
  color?: (text: string, row: Row, io: IO) => string;
}

/** JSON with BigInt as decimal strings (money in minor units never loses precision). */
export function toJson(doc: unknown): string {
  return JSON.stringify(doc, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

export function printJson(io: IO, doc: unknown): void {
  io.out(toJson(doc));
}

/** Tab and newline inside a TSV cell would break the row: replace them. */
function tsvCell(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

export function printRows<Row>(io: IO, rows: readonly Row[], columns: readonly Column<Row>[], opts: { header?: boolean } = {}): void {
  if (!io.isStdoutTTY) {
    if (opts.header) io.out(columns.map((c) => c.header).join('\t'));
    for (const row of rows) io.out(columns.map((c) => tsvCell(c.value(row))).join('\t'));
    return;
  }
  const table = new Table({
    head: columns.map((c) => io.chalk.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: [], border: [], compact: true },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
  });
  for (const row of rows) {
    table.push(columns.map((c) => {
      const text = c.value(row);
      return c.color ? c.color(text, row, io) : text;
    }));
  }
  io.out(table.toString().split('\n').map((l) => l.replace(/^ /, '').trimEnd()).join('\n'));
}

/** Key/value pairs for `show` commands. */
export function printFields(io: IO, fields: ReadonlyArray<[string, string | undefined | null]>): void {
  const present = fields.filter(([, v]) => v !== undefined && v !== null && v !== '') as [string, string][];
  if (!io.isStdoutTTY) {
    for (const [k, v] of present) io.out(`${k}\t${tsvCell(v)}`);
    return;
  }
  const width = Math.max(...present.map(([k]) => k.length));
  for (const [k, v] of present) io.out(`${io.chalk.dim(k.padEnd(width))}  ${v}`);
}
