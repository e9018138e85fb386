// Finds the header row of a file (plain first row, Amazon's TemplateType= three-row header, or the
// settings= workbook's attributeRow) and the column map whose signature it carries.

import { InvalidInputError, UsageError, type InputProblem } from '../../core/errors.js';
import type { Binding, ColumnMaps, CsvRecord, Layout } from '../../ports/listing-files.js';
import { amazonChannelForMarketplaceId, parseEbayAction } from '../../core/listing.js';
import { channelDef } from '../../core/channels.js';

export interface Header {
  binding: Binding;
  headerLine: number;
  headers: string[];
  /** Storefront named by the file itself (eBay Action SiteID, Amazon marketplace id). */
  fileChannel?: string;
  /** The eBay site the file's Action header names, as written (set even when it is no storefront we know). */
  fileSite?: string;
  /** Data rows before this line are preamble (Amazon workbook dataRow). */
  dataFromLine: number;
  /** Rows above the header (Amazon's template and label rows), repeated at the top of a rejects file. */
  preamble: string[][];
}

export function validateFormatOption(maps: ColumnMaps, format: string | undefined): string | undefined {
  if (!format || format === 'auto') return undefined;
  const ids = maps.all().map((m) => m.id);
  if (!maps.formats.includes(format) && !ids.includes(format)) {
    throw new UsageError(`unknown --format ${JSON.stringify(format)}`, { hints: [`use auto, ${maps.formats.join(', ')}, or a generation: ${ids.join(', ')}`] });
  }
  return format;
}

function settingsOf(cells: string[]): Record<string, string> {
  const s = cells.join('').replace(/^settings=/, '');
  const out: Record<string, string> = {};
  for (const part of s.split('&')) {
    const i = part.indexOf('=');
    if (i > 0) {
      try {
        out[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1));
      } catch {
        out[part.slice(0, i)] = part.slice(i + 1);
      }
    }
  }
  return out;
}

/** An eBay template's Info line (`Info,Version=…,Template=…`) or a Seller Hub `#INFO` line. */
function isEbayInfoRow(cells: string[]): boolean {
  const c = (cells[0] ?? '').replace(/^\uFEFF/, '').trim();
  if (/^#INFO\b/i.test(c)) return true;
  return /^Info$/i.test(c) && cells.slice(1).some((x) => /^\s*(Version|Template)\s*=/i.test(x));
}

/** Amazon's attribute names: lower case words joined by `_` or `-` (`item_sku`, `product-id`, `contribution_sku#1.value`). */
const ATTRIBUTE = /^[a-z][a-z0-9]*(?:[_\-.#][a-z0-9]+)*$/;

/** A row of Amazon attribute names rather than labels or data: most of its cells look like them. */
function isAttributeRow(cells: string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter(Boolean);
  return filled.length >= 2 && filled.filter((c) => ATTRIBUTE.test(c)).length >= filled.length * 0.8;
}

/**
 * A `TemplateType=…` file whose rows 2 and 3 match no column map: name the template and its version,
 * and say which line holds its column names (row 2 in the Version=1.x generation, row 3 in later
 * ones) — never a data row as "the header".
 */
function unknownTemplate(maps: ColumnMaps, file: string, rec: CsvRecord, rows: CsvRecord[]): never {
  const cells = rec.cells.map((c) => c.replace(/^\uFEFF/, '').trim());
  const type = cells[0]!.replace(/^TemplateType=/i, '');
  const version = cells.find((c) => /^Version=/i.test(c))?.replace(/^Version=/i, '');
  const what = `Amazon template TemplateType=${type}${version ? ` Version=${version}` : ''}`;
  const header = rows.find((r) => isAttributeRow(r.cells));
  const show = (r: CsvRecord) => {
    const names = r.cells.map((c) => c.trim()).filter(Boolean);
    return `${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`;
  };
  const known = maps.all().filter((m) => m.layout === 'amazon-template' || m.layout === 'amazon-settings');
  const where = header
    ? `its column names are on line ${header.line} (${show(header)})${header === rows[0] ? `, data from line ${header.line + 1}` : ''}`
    : `no attribute-name row on lines 2–3 (line 2: ${rows[0] ? show(rows[0]) : 'missing'})`;
  const old = /^1\./.test(version ?? '');
  throw new InvalidInputError(`${file}: ${what} is ${old ? 'an older template generation ' : 'a template '}merchant does not read: ${where}`, {
    problems: [
      {
        file,
        line: header?.line ?? rec.line,
        rule: 'unknown-format',
        message: `${what}: ${header ? 'these columns' : 'the rows under the template row'} match no format merchant reads (${known.map((m) => m.id).join(', ')})`,
      },
    ],
    hints: [
      'download the current template from Seller Central (Catalog › Add Products via Upload), or export an All Listings Report (Inventory Reports) — merchant reads both',
      '`merchant listings template amazon` writes a flat file merchant reads',
    ],
  });
}

/** Reads records up to the header and returns it; the iterator is left at the first data row. */
export async function readHeader(maps: ColumnMaps, file: string, it: AsyncIterator<CsvRecord> & { unread(rec: CsvRecord): void }, format: string | undefined): Promise<Header> {
  const first = await it.next();
  if (first.done) throw new InvalidInputError(`${file} is empty`, { problems: [{ file, line: 1, rule: 'empty', message: 'the file has no header row' }] });
  const rec = first.value;
  // --format as a family (shopify) narrows detection; a generation (shopify/legacy) is taken as given below.
  const family = format && !format.includes('/') ? format : undefined;
  const c0 = (rec.cells[0] ?? '').replace(/^\uFEFF/, '').trim();
  let layouts: Layout[];
  let candidates: CsvRecord[];
  let dataFromLine = 0;
  let fileChannel: string | undefined;
  let fileSite: string | undefined;
  let templateType: string | undefined;
  const skipped: string[][] = [];
  if (/^TemplateType=/i.test(c0)) {
    layouts = ['amazon-template'];
    templateType = c0.replace(/^TemplateType=/i, '').trim();
    // Row 2 is the localized label row, row 3 the attribute names (an older generation, Version=1.x,
    // has the attribute names on row 2 and data from row 3): take the first that matches.
    candidates = [];
    let matched = false;
    for (let i = 0; i < 2; i++) {
      const n = await it.next();
      if (n.done) break;
      candidates.push(n.value);
      const d = maps.detect(n.value.cells, layouts, family, templateType);
      if (d.map) {
        matched = true;
        // English labels can match too (Price & quantity: "SKU, Price, Quantity"): when the row under
        // them is the same format's attribute names, that is the header and the labels are preamble.
        if (i === 0) {
          const below = await it.next();
          if (!below.done) {
            if (maps.detect(below.value.cells, layouts, family, templateType).map?.id === d.map.id) candidates.push(below.value);
            else it.unread(below.value);
          }
        }
        break;
      }
    }
    if (!matched && !format?.includes('/')) {
      // A known template with required columns missing is reported as such, at its own header row;
      // anything else is a template (generation) merchant does not read.
      // (Close: two signature columns and at most one missing, or the template the file names.)
      const close = candidates.findIndex((c) => {
        const best = maps.detect(c.cells, layouts, family, templateType).candidates[0];
        if (!best || best.hit < 2) return false;
        const m = maps.all().find((x) => x.id === best.id);
        return best.missing.length <= 1 || m?.templateType?.toLowerCase() === templateType?.toLowerCase();
      });
      if (close < 0) unknownTemplate(maps, file, rec, candidates);
      for (const later of candidates.splice(close + 1).reverse()) it.unread(later);
    }
  } else if (/^settings=/i.test(c0)) {
    layouts = ['amazon-settings'];
    const settings = settingsOf(rec.cells);
    const attributeRow = Number(settings.attributeRow ?? 3);
    const dataRow = Number(settings.dataRow ?? attributeRow + 1);
    if (settings.primaryMarketplaceId) fileChannel = amazonChannelForMarketplaceId(settings.primaryMarketplaceId);
    candidates = [];
    let row = 1;
    while (row < attributeRow) {
      const n = await it.next();
      if (n.done) break;
      row++;
      if (row === attributeRow) candidates.push(n.value);
    }
    // Skip example rows between the attribute row and dataRow.
    dataFromLine = dataRow;
  } else {
    layouts = ['header'];
    // eBay's File Exchange category templates start with `Info,Version=1.0.0,Template=…`, Seller Hub's
    // draft templates with `#INFO,Version=…` and `#INFO …` instruction lines: preamble above the header.
    let head: CsvRecord | undefined = rec;
    while (head && isEbayInfoRow(head.cells)) {
      if (head !== rec) skipped.push(head.cells);
      const n = await it.next();
      head = n.done ? undefined : n.value;
    }
    candidates = head ? [head] : [];
  }
  const headerRec = candidates[candidates.length - 1];
  if (!headerRec) {
    throw new InvalidInputError(`${file}: the header rows end before any column names`, {
      problems: [{ file, line: rec.line, rule: 'header', message: 'no attribute-name row found after the template row' }],
    });
  }
  const headers = headerRec.cells;
  const detection = maps.detect(headers, layouts, family, templateType);
  let map = format?.includes('/') ? maps.all().find((m) => m.id === format) : detection.map;
  if (!map && format) {
    // --format names the family: take its closest generation and report what it lacks.
    const best = detection.candidates[0];
    map = best ? maps.all().find((m) => m.id === best.id) : undefined;
  }
  if (!map) {
    const all = maps.detect(headers, ['header', 'amazon-template', 'amazon-settings']).candidates;
    const close = (layouts[0] === 'header' ? all : detection.candidates).filter((c) => c.hit > 0).slice(0, 3);
    const best = close[0];
    if (best && best.hit >= 2) {
      // Clearly this format, with required columns missing (deleted or renamed in a spreadsheet).
      const m = maps.all().find((x) => x.id === best.id)!;
      if (!best.missing.length && !layouts.includes(m.layout)) {
        // Every column of a format whose header is not on the first row (Amazon's templates).
        const first = m.layout === 'amazon-template' ? `TemplateType=${m.templateType ?? '…'}` : 'settings=…';
        throw new InvalidInputError(`${file}: has the columns of ${m.title}, but not the "${first}" row that file starts with`, {
          problems: [{ file, line: 1, rule: 'unknown-format', message: `the first row should be "${first}…" (the template row), then the labels, then the column names` }],
          hints: [`\`merchant listings template ${m.id}\` writes the file with its header rows`, 'for your own catalogue, the merchant template needs sku, title and currency columns (`merchant listings template merchant`)'],
          details: { closest: close },
        });
      }
      throw new InvalidInputError(`${file}: looks like ${m.title} but required columns are missing`, {
        problems: best.missing.map((col) => ({ file, line: headerRec.line, rule: 'missing-column', field: col, message: `required column "${col}" is missing` })),
        hints: [`\`merchant listings template ${m.id}\` writes a file with every column`, 'or name the format with --format if this is another one'],
        details: { closest: close },
      });
    }
    const shown = close.map((c) => `${c.id} (missing: ${c.missing.join(', ')})`);
    const problems: InputProblem[] = [
      {
        file,
        line: headerRec.line,
        rule: 'unknown-format',
        message: `header ${JSON.stringify(headers.slice(0, 6).join(headers.length > 1 ? ', ' : ''))}${headers.length > 6 ? '…' : ''} matches no known format${shown.length ? `; closest: ${shown.join('; ')}` : ''}`,
      },
    ];
    throw new InvalidInputError(`${file}: unrecognised file format`, {
      problems,
      hints: [
        `merchant reads: ${maps.all().map((m) => m.id).join(', ')}`,
        'if the columns are right but named differently, start from `merchant listings template merchant` (or --format to force one)',
        headers.length === 1 && /[;\t,]/.test(headers[0] ?? '') ? 'the whole header landed in one column: pass --delimiter' : '',
        layouts[0] === 'header' && (headers.filter((h) => h.trim() !== '').length <= 2 || /^\s*#/.test(headers[0] ?? ''))
          ? 'the column names must be the first row: delete the title, comment or blank lines above them'
          : '',
      ].filter(Boolean),
      details: { closest: close },
    });
  }
  const binding = maps.bind(map, headers);
  if (binding.missing.length) {
    throw new InvalidInputError(`${file}: looks like ${map.title} but required columns are missing`, {
      problems: binding.missing.map((m) => ({ file, line: headerRec.line, rule: 'missing-column', field: m, message: `required column "${m}" is missing` })),
      hints: [`\`merchant listings template ${map.format}\` writes a file with every column`],
    });
  }
  // The same column twice (a spreadsheet edit, two exports pasted side by side): which one is the price?
  const keys = headers.map(maps.headerText);
  const twice: InputProblem[] = [];
  for (const f of binding.fields) {
    for (const index of [f.index, ...(f.fallbacks ?? []).map((x) => x.index)]) {
      const other = keys.findIndex((k, i) => i !== index && k === keys[index]);
      if (other >= 0 && other > index) {
        twice.push({ file, line: headerRec.line, column: other + 1, field: headers[other]!.trim(), rule: 'duplicate-column', message: `column "${headers[other]!.trim()}" appears twice (columns ${index + 1} and ${other + 1}): merchant cannot tell which one holds ${f.name.replace(/_/g, ' ')}` });
      }
    }
  }
  if (twice.length) throw new InvalidInputError(`${file}: a column appears twice`, { problems: twice, hints: ['delete or rename one of the two columns and import again'] });
  if (map.channel === 'from-action') {
    const action = binding.byName.get('action');
    if (action) {
      const a = parseEbayAction(action.header);
      fileChannel = a.channel;
      fileSite = a.site;
      const own = fileChannel ? channelDef(fileChannel)?.currency : undefined;
      const said = a.params.Currency?.toUpperCase();
      if (own && said && said !== own) {
        throw new InvalidInputError(`${file}: the Action header says Currency=${a.params.Currency}, but eBay site ${fileSite} (${fileChannel}) sells in ${own}`, {
          problems: [{ file, line: headerRec.line, column: action.index + 1, field: action.header, value: said, rule: 'currency', message: `Currency=${a.params.Currency} is not the currency of ${fileChannel} (${own})` }],
          hints: ['check which site the file was exported from; merchant reads its prices in that site\'s currency'],
        });
      }
    }
  }
  if (map.channel === 'from-marketplace' && !fileChannel) {
    for (const h of headers) {
      const q = maps.headerQualifiers(h).marketplace_id;
      if (q) {
        fileChannel = amazonChannelForMarketplaceId(q);
        if (fileChannel) break;
      }
    }
  }
  const preamble = headerRec === rec ? [] : [rec.cells, ...skipped, ...candidates.slice(0, -1).map((c) => c.cells)];
  return { binding, headerLine: headerRec.line, headers, fileChannel, ...(fileSite ? { fileSite } : {}), dataFromLine, preamble };
}
