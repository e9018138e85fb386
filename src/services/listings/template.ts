// `listings template <format>`: a blank import file built from the same column map the importer reads,
// so the template and the importer can never disagree.

import { stringify } from 'csv-stringify/sync';
import type { ColumnMap, ColumnMaps } from '../../ports/listing-files.js';
import { UsageError } from '../../core/errors.js';

const DEFAULT_GENERATION: Record<string, string> = {
  merchant: 'merchant/1',
  shopify: 'shopify/2024',
  amazon: 'amazon/flatfile',
  ebay: 'ebay/file-exchange',
  woocommerce: 'woocommerce/3',
};

export interface TemplateColumn {
  header: string;
  field: string;
  required: boolean;
  doc: string;
}

export interface TemplateResult {
  id: string;
  format: string;
  generation: string;
  title: string;
  description: string;
  source?: string;
  delimiter: string;
  columns: TemplateColumn[];
  text: string;
  suggestedName: string;
}

export function resolveMap(columnMaps: ColumnMaps, format: string): ColumnMap {
  const maps = columnMaps.all();
  const id = DEFAULT_GENERATION[format] ?? format;
  const map = maps.find((m) => m.id === id);
  if (!map) {
    throw new UsageError(`unknown template format ${JSON.stringify(format)}`, {
      hints: [`use one of ${columnMaps.formats.join(', ')}, or a generation: ${maps.map((m) => m.id).join(', ')}`],
    });
  }
  return map;
}

export function buildTemplate(maps: ColumnMaps, format: string, opts: { example?: boolean } = {}): TemplateResult {
  const map = resolveMap(maps, format);
  const columns: TemplateColumn[] = Object.entries(map.fields).map(([field, spec]) => ({
    header: maps.aliasText(spec.headers[0]!),
    field,
    required: !!spec.required,
    doc: spec.doc ?? '',
  }));
  const headers = columns.map((c) => c.header);
  if (map.actionHeader) {
    const i = columns.findIndex((c) => c.field === 'action');
    if (i >= 0) headers[i] = map.actionHeader;
    // eBay marks required columns with a leading *.
    columns.forEach((c, j) => {
      if (c.required && j !== i && !headers[j]!.startsWith('*')) headers[j] = `*${headers[j]}`;
    });
  }
  const rows: string[][] = [];
  if (map.layout !== 'header') {
    const pre = map.preamble!.split('\t');
    rows.push([...pre, ...Array<string>(Math.max(0, columns.length - pre.length)).fill('')]);
    // Seller Central's templates have a localized label row above the attribute names.
    if (columns.some((c) => map.fields[c.field]!.label)) rows.push(columns.map((c) => map.fields[c.field]!.label ?? c.header));
  }
  rows.push(headers);
  if (opts.example) {
    for (const ex of map.example ?? []) rows.push(columns.map((c) => ex[c.header] ?? ''));
  }
  const text = stringify(rows, { delimiter: map.delimiter, record_delimiter: map.delimiter === '\t' ? '\n' : '\r\n' });
  const ext = map.delimiter === '\t' ? 'txt' : 'csv';
  return {
    id: map.id,
    format: map.format,
    generation: map.generation,
    title: map.title,
    description: map.description,
    ...(map.source ? { source: map.source } : {}),
    delimiter: map.delimiter === '\t' ? 'tab' : map.delimiter,
    columns,
    text,
    suggestedName: `${map.format}-${map.generation}-template.${ext}`,
  };
}
