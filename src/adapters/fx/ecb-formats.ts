// The ECB reference-rate files, read exactly as published (fx-pricing-reports.md §1.1):
//   - eurofxref-daily.xml / eurofxref-hist*.xml: gesmes envelope, Cube elements in the default
//     namespace http://www.ecb.int/vocabulary/2002-08-01/eurofxref, Cube[@time] > Cube[@currency,@rate],
//     single-quoted attributes;
//   - eurofxref-hist.csv: `Date,USD,JPY,…,` newest row first, `N/A` for no rate, a trailing comma on
//     every line (an empty last column);
//   - eurofxref.csv (single day): `Date, USD, …, ` with ", " separators, dates like `13 April 2026`,
//     trailing zeros kept; after a round trip through Excel on Windows also a BOM and CRLF.
// Every rate stays the decimal text we received; nothing here rounds or converts to a number.

import { XMLParser } from 'fast-xml-parser';
import { InvalidInputError, type InputProblem } from '../../core/errors.js';

function refusal(file: string, problems: InputProblem[]): InvalidInputError {
  return new InvalidInputError(`${file} was refused (${problems.length} problem${problems.length === 1 ? '' : 's'}); no rates were stored`, {
    problems,
    hints: [`fix ${file}, or fetch it again from the ECB`],
  });
}
import { isPlainDecimal } from '../../core/money.js';

import type { RateCell, RateDay, RateFile, RateFileFormat } from '../../ports/fx.js';
export type { RateCell, RateDay, RateFile, RateFileFormat };

const ECB_NS = 'http://www.ecb.int/vocabulary/2002-08-01/eurofxref';
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `2026-04-13` or the single-day file's `13 April 2026` (also `13 Apr 2026`) → ISO date, else undefined. */
export function parseEcbDate(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isRealDate(y, mo, d) ? iso(y, mo, d) : undefined;
  }
  m = /^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$/.exec(t);
  if (m) {
    const name = m[2]!.toLowerCase();
    const idx = MONTHS.findIndex((full) => full === name || (name.length === 3 && full.startsWith(name)));
    if (idx < 0) return undefined;
    const [y, d] = [Number(m[3]), Number(m[1])];
    return isRealDate(y, idx + 1, d) ? iso(y, idx + 1, d) : undefined;
  }
  return undefined;
}

function isRateText(s: string): boolean {
  return isPlainDecimal(s) && !s.startsWith('-') && !s.startsWith('+') && /[1-9]/.test(s);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Detect the format from the content (never from the file name) and parse it. */
export function parseRateFile(text: string, file: string): RateFile {
  const t = stripBom(text).trimStart();
  if (t.startsWith('<')) return parseEcbXml(t, file);
  return parseEcbCsv(t, file);
}

/** Both CSV dialects: "," with optional spaces, ISO or `13 April 2026` dates, N/A, trailing empty column. */
export function parseEcbCsv(text: string, file: string): RateFile {
  const lines = stripBom(text).split(/\r\n|\n|\r/);
  const problems: InputProblem[] = [];
  const headerLine = lines[0] ?? '';
  const header = splitCsvLine(headerLine);
  if ((header[0] ?? '').toLowerCase() !== 'date') {
    throw new InvalidInputError(`${file} is not an ECB rates file: the first column must be "Date"`, {
      problems: [{ file, line: 1, column: 1, field: 'Date', value: header[0] ?? '', rule: 'ecb-header', message: `expected "Date", found ${JSON.stringify(header[0] ?? '')}` }],
      hints: ['pass eurofxref-hist.csv, eurofxref.csv or eurofxref-daily.xml as published by the ECB'],
    });
  }
  // The trailing comma leaves an empty last header cell: ignore empty header cells entirely.
  const columns: Array<{ index: number; code: string }> = [];
  header.forEach((cell, index) => {
    if (index === 0 || cell === '') return;
    if (!/^[A-Z]{3}$/.test(cell)) {
      problems.push({ file, line: 1, column: index + 1, field: 'header', value: cell, rule: 'currency-code', message: `${JSON.stringify(cell)} is not a currency code` });
      return;
    }
    columns.push({ index, code: cell });
  });
  const days: RateDay[] = [];
  const seen = new Set<string>();
  let dialect: RateFileFormat | undefined;
  let missing = 0;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = splitCsvLine(raw);
    const dateText = cells[0] ?? '';
    const date = parseEcbDate(dateText);
    if (!date) {
      problems.push({ file, line: lineNo, column: 1, field: 'Date', value: dateText, rule: 'date', message: `${JSON.stringify(dateText)} is not a date (expected 2026-04-13 or 13 April 2026)` });
      continue;
    }
    dialect ??= /^\d{4}-/.test(dateText.trim()) ? 'ecb-hist-csv' : 'ecb-daily-csv';
    if (seen.has(date)) {
      problems.push({ file, line: lineNo, column: 1, field: 'Date', value: dateText, rule: 'duplicate-date', message: `${date} appears twice` });
      continue;
    }
    seen.add(date);
    const extra = cells.filter((c, idx) => idx > 0 && c !== '' && (idx >= header.length || header[idx] === ''));
    if (extra.length) {
      problems.push({ file, line: lineNo, column: header.length + 1, rule: 'columns', message: `${cells.length} cells but the header has ${header.length} columns` });
    }
    const rates: RateCell[] = [];
    for (const { index, code } of columns) {
      const cell = cells[index] ?? '';
      if (cell === '' || cell.toUpperCase() === 'N/A') {
        missing++;
        continue;
      }
      if (!isRateText(cell)) {
        problems.push({ file, line: lineNo, column: index + 1, field: code, value: cell, rule: 'rate', message: `${JSON.stringify(cell)} is not a positive decimal rate` });
        continue;
      }
      rates.push({ quote: code, rate: cell });
    }
    days.push({ date, rates });
  }
  if (problems.length) {
    throw refusal(file, problems);
  }
  if (days.length === 0) throw new InvalidInputError(`${file} has a header but no rate rows`);
  return { format: dialect ?? 'ecb-hist-csv', base: 'EUR', days, missing };
}

/** Split one CSV line on commas, honouring double quotes (a spreadsheet may add them), trimming spaces. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

type XmlNode = Record<string, unknown>;

function asArray(v: unknown): XmlNode[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is XmlNode => typeof x === 'object' && x !== null);
}

/**
 * The gesmes envelope. Parsed with fast-xml-parser keeping namespace prefixes, so the Cube elements
 * are matched in the ECB default namespace (unprefixed, with xmlns declared on the envelope) and a
 * file in another vocabulary is refused rather than misread.
 */
export function parseEcbXml(text: string, file: string): RateFile {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseAttributeValue: false,
    parseTagValue: false,
    removeNSPrefix: false,
    processEntities: false,
    isArray: (name) => name === 'Cube',
  });
  let doc: XmlNode;
  try {
    doc = parser.parse(text, true) as XmlNode;
  } catch (e) {
    throw new InvalidInputError(`${file} is not well-formed XML: ${(e as Error).message}`, {
      hints: ['pass the ECB file unchanged (eurofxref-daily.xml, eurofxref-hist-90d.xml or eurofxref-hist.xml)'],
    });
  }
  const envelopeKey = Object.keys(doc).find((k) => k === 'Envelope' || k.endsWith(':Envelope'));
  const envelope = envelopeKey ? (doc[envelopeKey] as XmlNode) : undefined;
  if (!envelope || typeof envelope !== 'object') {
    throw new InvalidInputError(`${file} is not an ECB rates file: no gesmes Envelope element`);
  }
  // Which prefix (if any) binds the ECB vocabulary? Usually the default namespace (no prefix).
  let prefix: string | undefined;
  for (const [k, v] of Object.entries(envelope)) {
    if (v !== ECB_NS) continue;
    if (k === '@xmlns') prefix = '';
    else if (k.startsWith('@xmlns:')) prefix = `${k.slice('@xmlns:'.length)}:`;
  }
  if (prefix === undefined) {
    throw new InvalidInputError(`${file} does not use the ECB eurofxref vocabulary (${ECB_NS})`);
  }
  const cube = `${prefix}Cube`;
  const problems: InputProblem[] = [];
  const days: RateDay[] = [];
  const seen = new Set<string>();
  for (const outer of asArray(envelope[cube])) {
    for (const day of asArray(outer[cube])) {
      const time = String(day['@time'] ?? '');
      const date = /^\d{4}-\d{2}-\d{2}$/.test(time) ? parseEcbDate(time) : undefined;
      if (!date) {
        problems.push({ file, field: 'time', value: time, rule: 'date', message: `Cube time=${JSON.stringify(time)} is not a date` });
        continue;
      }
      if (seen.has(date)) {
        problems.push({ file, field: 'time', value: time, rule: 'duplicate-date', message: `${date} appears twice` });
        continue;
      }
      seen.add(date);
      const rates: RateCell[] = [];
      for (const c of asArray(day[cube])) {
        const code = String(c['@currency'] ?? '');
        const rate = String(c['@rate'] ?? '').trim();
        if (!/^[A-Z]{3}$/.test(code)) {
          problems.push({ file, field: 'currency', value: code, rule: 'currency-code', message: `${date}: ${JSON.stringify(code)} is not a currency code` });
          continue;
        }
        if (!isRateText(rate)) {
          problems.push({ file, field: code, value: rate, rule: 'rate', message: `${date} ${code}: ${JSON.stringify(rate)} is not a positive decimal rate` });
          continue;
        }
        rates.push({ quote: code, rate });
      }
      days.push({ date, rates });
    }
  }
  if (problems.length) {
    throw refusal(file, problems);
  }
  if (days.length === 0) throw new InvalidInputError(`${file} has no Cube[@time] elements with rates`);
  return { format: 'ecb-xml', base: 'EUR', days, missing: 0 };
}
