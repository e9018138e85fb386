// What the FX services need from the outside: the stored reference rates (a repository) and the
// published rate files (the ECB's HTTP service, its file formats, the history bundled with merchant).
// Rates are decimal text exactly as published; nothing here is a number.

export type RateFileFormat = 'ecb-xml' | 'ecb-hist-csv' | 'ecb-daily-csv';

export interface RateCell {
  quote: string;
  rate: string;
}

export interface RateDay {
  date: string;
  rates: RateCell[];
}

export interface RateFile {
  format: RateFileFormat;
  /** Every ECB rate is "1 EUR = rate × quote". */
  base: 'EUR';
  /** Newest first, as the files list them. */
  days: RateDay[];
  /** Cells the file marks as having no rate (N/A or empty), for the summary. */
  missing: number;
}

/** One stored rate: `rate` units of `quote` per 1 `base`, published by `source` for `rate_date`. */
export interface RateRow {
  source: string;
  rate_date: string;
  base: string;
  quote: string;
  rate: string;
}

export interface RateWriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** The stored reference rates (one row per source, date, base and quote). */
export interface FxRatesRepo {
  /** The base currency a source quotes against (ECB: EUR), if it stored anything. */
  sourceBase(source: string): string | undefined;
  /** The latest date on or before `date` on which the source published anything. */
  publicationOnOrBefore(source: string, date: string): string | undefined;
  /** The first date the source has rates for. */
  firstPublication(source: string): string | undefined;
  rateText(source: string, date: string, base: string, quote: string): string | undefined;
  /** The last date on or before `date` on which the source had a rate for `quote`. */
  lastDateWithQuote(source: string, quote: string, date: string): string | undefined;
  quotesOn(source: string, date: string): RateRow[];
  /** The latest manual override on or before `date` for the pair in either direction (A/B before B/A on one date). */
  latestManual(from: string, to: string, date: string): RateRow | undefined;
  manualRows(date?: string): RateRow[];
  /** Whether any source ever stored a rate quoting this currency (withdrawn codes keep their history). */
  hasQuote(currency: string): boolean;
  /** Whether any rate at all is stored. */
  hasAnyRate(): boolean;
  /**
   * Store a published file's rates under `source` in one transaction: new ones inserted, changed ones
   * updated, ones equal in value (`same(old, new)`) left alone and counted as unchanged.
   */
  storeFile(source: string, file: RateFile, fetchedAt: string, same: (stored: string, given: string) => boolean): RateWriteCounts & { currencies: string[] };
  /** The manual override stored for exactly this date and pair, if any. */
  manualOn(date: string, base: string, quote: string): string | undefined;
  deleteManual(date: string, base: string, quote: string): void;
  upsertManual(date: string, base: string, quote: string, rate: string, fetchedAt: string): void;
}

export interface FetchedRateFile {
  url: string;
  /** The file's text (unzipped when needed). */
  text: string;
}

/** The ECB's published files: fetched over HTTP, parsed from any of its formats, and the bundled history. */
export interface RateFiles {
  fetch(opts: { baseUrl: string; history: boolean; timeoutMs: number; debug?: (line: string) => void }): Promise<FetchedRateFile>;
  /** Parse any ECB format (throws InvalidInputError with the problems). */
  parse(text: string, origin: string): RateFile;
  /** The ECB history shipped with merchant (newest first), for a home that has no rates yet. */
  bundledHistory(): RateDay[];
}
