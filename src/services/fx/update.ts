// `fx update`: store dated reference rates from the ECB (HTTP), from a file on disk (any ECB format),
// and manual overrides. Rates are stored as the published decimal text; re-running is idempotent:
// a rate equal in value to the stored one (366.9 vs 366.90) is "unchanged" and not rewritten.

import { InvalidInputError, UsageError } from '../../core/errors.js';
import { isCurrency } from '../../core/currencies.js';
import { isPlainDecimal } from '../../core/money.js';
import type { RateFile, RateFileFormat, RateFiles } from '../../ports/fx.js';
import type { Repositories } from '../../ports/repositories.js';
import { isIsoDate } from './lookup.js';

/** The rates repository and a unit of work around it. */
export type FxWriter = Pick<Repositories, 'fxRates' | 'tx'>;

export interface StoreCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface FileImport extends StoreCounts {
  source: string;
  origin: string;
  format: RateFileFormat;
  days: number;
  firstDate: string;
  lastDate: string;
  currencies: string[];
  /** N/A or empty cells (no rate that day). */
  notAvailable: number;
}

export interface ManualRate {
  base: string;
  quote: string;
  rate: string;
  date: string;
  action: 'inserted' | 'updated' | 'unchanged';
}

/** "366.90" → "366.9", "0100.5" → "100.5": the canonical text of a decimal for equality. */
export function canonicalDecimal(text: string): string {
  let [i = '0', f = ''] = text.replace(/^\+/, '').split('.');
  i = i.replace(/^0+(?=\d)/, '');
  f = f.replace(/0+$/, '');
  return f ? `${i}.${f}` : i;
}

/** Store a parsed ECB file under `source` in one transaction. */
export function storeRateFile(store: FxWriter, file: RateFile, source: string, origin: string, fetchedAt: string): FileImport {
  const dates = file.days.map((d) => d.date).sort();
  const firstDate = dates[0]!;
  const lastDate = dates[dates.length - 1]!;
  const { currencies, ...counts } = store.fxRates.storeFile(source, file, fetchedAt, (old, given) => canonicalDecimal(old) === canonicalDecimal(given));
  return {
    source,
    origin,
    format: file.format,
    days: file.days.length,
    firstDate,
    lastDate,
    currencies,
    notAvailable: file.missing,
    ...counts,
  };
}

/** Parse `USD/GBP=0.79` (units of GBP per 1 USD). */
export function parseManualRate(spec: string): { base: string; quote: string; rate: string } {
  const m = /^\s*([A-Za-z]{3})\s*\/\s*([A-Za-z]{3})\s*=\s*([^\s]+)\s*$/.exec(spec);
  if (!m) throw new UsageError(`--rate ${JSON.stringify(spec)} is not BASE/QUOTE=RATE`, { hints: ['e.g. --rate USD/GBP=0.79 (0.79 GBP per 1 USD)'] });
  const base = m[1]!.toUpperCase();
  const quote = m[2]!.toUpperCase();
  const rate = m[3]!;
  for (const c of [base, quote]) {
    if (!isCurrency(c)) throw new InvalidInputError(`--rate ${spec}: unknown currency ${c}`, { hints: ['use ISO 4217 codes such as USD, GBP, EUR'] });
  }
  if (base === quote) throw new UsageError(`--rate ${spec}: base and quote are the same currency`);
  if (!isPlainDecimal(rate) || rate.startsWith('-') || !/[1-9]/.test(rate)) {
    throw new UsageError(`--rate ${spec}: ${JSON.stringify(rate)} is not a positive decimal`, { hints: ['write the rate as plain digits, e.g. 0.79'] });
  }
  return { base, quote, rate };
}

/** Record manual overrides for one date. An override for the reverse pair on that date is replaced. */
export function storeManualRates(store: FxWriter, specs: readonly string[], date: string, fetchedAt: string): ManualRate[] {
  if (!isIsoDate(date)) throw new UsageError(`--date ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`);
  const parsed = specs.map(parseManualRate);
  const out: ManualRate[] = [];
  store.tx(() => {
    const rates = store.fxRates;
    for (const p of parsed) {
      const old = rates.manualOn(date, p.base, p.quote);
      const reverse = rates.manualOn(date, p.quote, p.base);
      if (reverse !== undefined) rates.deleteManual(date, p.quote, p.base);
      let action: ManualRate['action'];
      if (old !== undefined && canonicalDecimal(old) === canonicalDecimal(p.rate) && reverse === undefined) action = 'unchanged';
      else {
        rates.upsertManual(date, p.base, p.quote, p.rate, fetchedAt);
        action = old !== undefined || reverse !== undefined ? 'updated' : 'inserted';
      }
      out.push({ ...p, date, action });
    }
  });
  return out;
}

// ---- the use-case, in two halves: gather (network, files; no lock) and apply (under the lock) ----

export interface RateSourceInput {
  /** files already read by the caller (disk or stdin) */
  files: Array<{ origin: string; text: string }>;
  /** fetch from the ECB as well */
  fetch?: { baseUrl: string; history: boolean; timeoutMs: number; debug?: (line: string) => void };
  /** manual overrides, BASE/QUOTE=RATE */
  rates: readonly string[];
}

export interface GatheredRates {
  files: Array<{ origin: string; file: RateFile }>;
  rates: readonly string[];
}

/** Fetch and parse everything first, so a bad file or an unreachable server stores nothing. */
export async function gatherRates(files: RateFiles, input: RateSourceInput): Promise<GatheredRates> {
  const texts = [...input.files];
  if (input.fetch) {
    const got = await files.fetch(input.fetch);
    texts.push({ origin: got.url, text: got.text });
  }
  const parsed = texts.map((t) => ({ origin: t.origin, file: files.parse(t.text, t.origin) }));
  for (const r of input.rates) parseManualRate(r);
  return { files: parsed, rates: input.rates };
}

export interface FxUpdateResult {
  imports: FileImport[];
  manual: ManualRate[];
}

/** Store what was gathered (call under the writer lock). */
export function applyRates(store: FxWriter, g: GatheredRates, manualDate: string, fetchedAt: string): FxUpdateResult {
  const imports = g.files.map((f) => storeRateFile(store, f.file, 'ecb', f.origin, fetchedAt));
  const manual = g.rates.length ? storeManualRates(store, g.rates, manualDate, fetchedAt) : [];
  return { imports, manual };
}
