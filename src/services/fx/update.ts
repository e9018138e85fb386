// `fx update`: store dated reference rates from the ECB (HTTP), from a file on disk (any ECB format),
// and manual overrides. Rates are stored as the published decimal text; re-running is idempotent:
// a rate equal in value to the stored one (366.9 vs 366.90) is "unchanged" and not rewritten.

import { InvalidInputError, UsageError } from '../../core/errors.js';
import { isCurrency } from '../../core/currencies.js';
import { isPlainDecimal } from '../../core/money.js';
import type { Store } from '../../store/db.js';
import { parseRateFile, type RateFile, type RateFileFormat } from '../../adapters/fx/ecb-formats.js';
import { fetchEcbRates } from '../../adapters/fx/ecb-http.js';
import { isIsoDate } from './lookup.js';
import { MANUAL_SOURCE } from './repo.js';

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
export function storeRateFile(store: Store, file: RateFile, source: string, origin: string, fetchedAt: string): FileImport {
  const dates = file.days.map((d) => d.date).sort();
  const firstDate = dates[0]!;
  const lastDate = dates[dates.length - 1]!;
  const counts: StoreCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const currencies = new Set<string>();
  store.tx(() => {
    const existing = new Map<string, string>();
    for (const row of store.db
      .prepare('SELECT rate_date, quote, rate FROM fx_rates WHERE source = ? AND base = ? AND rate_date BETWEEN ? AND ?')
      .iterate(source, file.base, firstDate, lastDate) as Iterable<{ rate_date: string; quote: string; rate: string }>) {
      existing.set(`${row.rate_date}|${row.quote}`, row.rate);
    }
    const insert = store.db.prepare('INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES (?, ?, ?, ?, ?, ?)');
    const update = store.db.prepare('UPDATE fx_rates SET rate = ?, fetched_at = ? WHERE source = ? AND rate_date = ? AND base = ? AND quote = ?');
    for (const day of file.days) {
      for (const { quote, rate } of day.rates) {
        currencies.add(quote);
        const old = existing.get(`${day.date}|${quote}`);
        if (old === undefined) {
          insert.run(source, day.date, file.base, quote, rate, fetchedAt);
          counts.inserted++;
        } else if (canonicalDecimal(old) === canonicalDecimal(rate)) {
          counts.unchanged++;
        } else {
          update.run(rate, fetchedAt, source, day.date, file.base, quote);
          counts.updated++;
        }
      }
    }
  });
  return {
    source,
    origin,
    format: file.format,
    days: file.days.length,
    firstDate,
    lastDate,
    currencies: [...currencies].sort(),
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
export function storeManualRates(store: Store, specs: readonly string[], date: string, fetchedAt: string): ManualRate[] {
  if (!isIsoDate(date)) throw new UsageError(`--date ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`);
  const parsed = specs.map(parseManualRate);
  const out: ManualRate[] = [];
  store.tx(() => {
    const get = store.db.prepare(`SELECT rate FROM fx_rates WHERE source = '${MANUAL_SOURCE}' AND rate_date = ? AND base = ? AND quote = ?`);
    const del = store.db.prepare(`DELETE FROM fx_rates WHERE source = '${MANUAL_SOURCE}' AND rate_date = ? AND base = ? AND quote = ?`);
    const upsert = store.db.prepare(
      `INSERT INTO fx_rates (source, rate_date, base, quote, rate, fetched_at) VALUES ('${MANUAL_SOURCE}', ?, ?, ?, ?, ?)
       ON CONFLICT (source, rate_date, base, quote) DO UPDATE SET rate = excluded.rate, fetched_at = excluded.fetched_at`,
    );
    for (const p of parsed) {
      const old = get.get(date, p.base, p.quote) as { rate: string } | undefined;
      const reverse = get.get(date, p.quote, p.base) as { rate: string } | undefined;
      if (reverse) del.run(date, p.quote, p.base);
      let action: ManualRate['action'];
      if (old && canonicalDecimal(old.rate) === canonicalDecimal(p.rate) && !reverse) action = 'unchanged';
      else {
        upsert.run(date, p.base, p.quote, p.rate, fetchedAt);
        action = old || reverse ? 'updated' : 'inserted';
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
export async function gatherRates(input: RateSourceInput): Promise<GatheredRates> {
  const texts = [...input.files];
  if (input.fetch) {
    const got = await fetchEcbRates(input.fetch);
    texts.push({ origin: got.url, text: got.text });
  }
  const files = texts.map((t) => ({ origin: t.origin, file: parseRateFile(t.text, t.origin) }));
  for (const r of input.rates) parseManualRate(r);
  return { files, rates: input.rates };
}

export interface FxUpdateResult {
  imports: FileImport[];
  manual: ManualRate[];
}

/** Store what was gathered (call under the writer lock). */
export function applyRates(store: Store, g: GatheredRates, manualDate: string, fetchedAt: string): FxUpdateResult {
  const imports = g.files.map((f) => storeRateFile(store, f.file, 'ecb', f.origin, fetchedAt));
  const manual = g.rates.length ? storeManualRates(store, g.rates, manualDate, fetchedAt) : [];
  return { imports, manual };
}
