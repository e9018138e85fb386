// A tiny RFC 4180 line splitter for the bundled, well-formed data tables (no embedded newlines).
// User files go through csv-parse (adapters/csv), never through this.

export function parseCsvLine(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let i = 0;
  let field = '';
  let quoted = false;
  while (i < line.length) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
      continue;
    }
    if (ch === delimiter) {
      out.push(field);
      field = '';
      i++;
      continue;
    }
    field += ch;
    i++;
  }
  out.push(field);
  return out;
}
