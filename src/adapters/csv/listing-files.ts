// The listings import's file port (src/ports/listing-files.ts) served by this folder: CsvSource and
// RecordCursor for the records, the JSON column maps for the formats.

import type { ColumnMaps, ListingFiles } from '../../ports/listing-files.js';
import { CsvSource, normaliseDelimiter, normaliseEncoding } from './reader.js';
import { aliasText, bind, detect, FORMATS, headerQualifiers, headerText, loadMaps } from './maps.js';

export const csvColumnMaps: ColumnMaps = {
  formats: FORMATS,
  all: loadMaps,
  detect,
  bind,
  headerText,
  headerQualifiers,
  aliasText,
};

export const csvListingFiles: ListingFiles = {
  open: (path, opts) => new CsvSource(path, opts),
  normaliseEncoding,
  normaliseDelimiter,
  maps: csvColumnMaps,
};
