// `merchant report stock`: parse flags → services/reports/stock → render (table, csv plain/excel, json).
// Data on stdout or --output (atomic); the basis, cost basis, rates used and warnings on stderr.

import type { Command } from 'commander';
import { Option } from 'commander';
import type { Ctx } from '../../context.js';
import { reportFormat, writesToFile } from './output.js';
import { UsageError } from '../../../core/errors.js';
import { Streamed, jsonPieces, localTime, printPieces, printRows, type Column } from '../../render.js';
import { profileTimeZone } from '../../../store/repos/seller-zone.js';
import { StockValuationRepo } from '../../../store/repos/stock-valuation.js';
import { StockRepo } from '../../../store/repos/stock.js';
import { writeFileAtomicFrom } from '../../../config/atomic.js';
import { amountText, csvRecord, csvStyle, type Cell, type CsvStyle } from '../../../core/report-format.js';
import { formatAmount } from '../../../core/money.js';
import { mapped } from '../../../core/iterate.js';
import { isTimeZone } from '../../../core/report-time.js';
import { reportBusiness } from '../../../services/reports/sales.js';
import { requireLocation } from '../../../services/stock/manage.js';
import { stockReport, type StockReport, type StockReportRow, type StockReportTotal } from '../../../services/reports/stock.js';

interface Opts {
  at?: string;
  currency?: string;
  location?: string;
  sku?: string;
  format?: string;
  profile?: string;
  output?: string;
  locale?: string;
  timezone?: string;
  allowStale?: boolean;
}

const EXAMPLES = `
Examples:
  $ merchant report stock                                            # stock now, valued at catalogue cost
  $ merchant report stock --at 2026-12-31 --currency SEK --format csv --output lager-2026.csv
  $ merchant report stock --at 2026-12-31 --currency EUR --profile excel --locale de-DE --output bestand.csv
  $ merchant report stock --location de-3pl --json

Columns (stable): sku,location,location_country,on_hand,in_transit,quantity,currency,unit_cost,value,note
With --currency: sku,location,location_country,on_hand,in_transit,quantity,source_currency,unit_cost,source_value,
rate,rate_date,currency,value,note — then one "total" row per currency, the exact sum of its rows, and a
"total" row without currency for the units with no cost price (never valued at 0).
quantity = on hand + in transit between own locations (counted at the destination). unit_cost = catalogue cost +
landed cost per unit. --at DATE: the end of that day in your time zone, rebuilt from the stock movements (valued at
today's catalogue cost: merchant keeps no cost history). --currency converts each row at the ECB rate of that date
(or the latest earlier publication), rounded half-up once per row. See docs/reports.md "report stock".
Exit codes: 0 ok · 2 bad flag, unknown location · 3 a rate is missing or stale for --currency · 7 no database`;

export function registerStock(parent: Command, ctx: Ctx): void {
  parent
    .command('stock')
    .description('Stock valuation: quantity and value at cost per SKU and location, now or at the end of a day, with totals')
    .option('--at <YYYY-MM-DD>', 'the last day counted (seller time zone; default: now)')
    .option('--currency <code>', 'convert the values into this currency at the rate of that date, or "native" (default)')
    .option('--location <code>', 'only this stock location')
    .option('--sku <skus>', 'only these SKUs (comma list)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']))
    .addOption(new Option('--profile <profile>', 'file layout (a valuation is a list, not a journal)').choices(['plain', 'excel', 'xero', 'qbo', 'hledger']))
    .option('--output <file>', 'write to this file atomically (- = stdout)')
    .option('--locale <locale>', 'excel profile: the spreadsheet locale (default: the business country\'s; de-DE → ";" and decimal comma)')
    .option('--timezone <tz>', 'override the seller time zone (IANA name)')
    .option('--allow-stale', 'convert with a rate older than fx.maxAgeDays for the date instead of refusing (without a terminal)')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: Opts) => {
      const profile = opts.profile;
      if (profile === 'xero' || profile === 'qbo' || profile === 'hledger') {
        throw new UsageError(`--profile ${profile} writes journals of sales; a stock valuation is a list of positions: use --profile plain or excel (or --format json)`);
      }
      const format = reportFormat(opts, profile, ctx.globals.json);
      const toFileFlag = writesToFile(opts);
      const currency = opts.currency && opts.currency.toLowerCase() !== 'native' ? opts.currency.toUpperCase() : undefined;
      const store = ctx.store({ create: false });
      const zone = opts.timezone ?? profileTimeZone(store) ?? 'UTC';
      if (!isTimeZone(zone)) throw new UsageError(`unknown time zone ${JSON.stringify(zone)} (an IANA name such as Europe/Stockholm)`);
      const location = opts.location ? requireLocation(new StockRepo(store), opts.location).code : undefined;
      const valuation = new StockValuationRepo(store);
      // Two passes over the positions (the totals and warnings first, then the rows as they are
      // written): one snapshot, so the rows are the ones the totals were summed from.
      await valuation.snapshot(async () => {
        const report = stockReport(valuation, store, {
          ...(opts.at !== undefined ? { at: opts.at } : {}),
          today: localTime(ctx.clock.now().toISOString(), zone).slice(0, 10),
          timezone: zone,
          ...(currency ? { currency } : {}),
          ...(location ? { location } : {}),
          ...(opts.sku ? { skus: opts.sku.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
          maxAgeDays: ctx.config().getNumber('fx.maxAgeDays', 4),
          // On a terminal a stale rate warns; a cron job must say --allow-stale to report with it.
          allowStale: Boolean(opts.allowStale) || ctx.io.canPrompt(),
        });
        notes(ctx, report);
        if (format === 'table') return renderTable(ctx, report);
        // Streamed, to stdout or into the --output file (written atomically: nothing there until the end).
        const pieces = format === 'json' ? jsonPieces(stockJson(report)) : stockCsv(report, csvStyle(profile === 'excel' ? 'excel' : 'plain', opts.locale, reportBusiness(store).country));
        if (!toFileFlag) return void (await printPieces(ctx.io, pieces));
        writeFileAtomicFrom(opts.output!, pieces);
        ctx.io.success(`wrote ${opts.output}`);
      });
    });
}

function notes(ctx: Ctx, r: StockReport): void {
  const m = r.meta;
  ctx.io.info(`basis: ${m.basis}; ${m.costBasis}${m.rounding ? `; ${m.rounding}` : ''}`);
  if (m.rates?.used.length) ctx.io.info(`rates into ${m.rates.target}: ${m.rates.used.map((u) => `${u.currency} ${u.rate} (${u.rateDate})`).join(', ')}`);
  for (const w of m.warnings) ctx.io.warn(w);
}

type Line = { row?: StockReportRow; total?: StockReportTotal };

function cells(r: StockReport, l: Line, columns: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const conv = r.meta.currency !== 'native';
  if (l.row) {
    const x = l.row;
    const src = conv ? x.sourceCurrency ?? '' : x.currency ?? '';
    Object.assign(out, {
      sku: x.sku, location: x.location, location_country: x.locationCountry,
      on_hand: String(x.onHand), in_transit: String(x.inTransit), quantity: String(x.quantity),
      currency: x.currency ?? '', source_currency: x.sourceCurrency ?? '',
      unit_cost: x.unitCost !== null && src ? amountText(x.unitCost, src) : '',
      source_value: x.sourceValue != null && x.sourceCurrency ? amountText(x.sourceValue, x.sourceCurrency) : '',
      rate: x.rate ?? '', rate_date: x.rateDate ?? '',
      value: x.value !== null && x.currency ? amountText(x.value, x.currency) : '',
      note: x.note,
    });
  } else {
    const t = l.total!;
    for (const c of columns) out[c] = '';
    Object.assign(out, {
      sku: 'total', on_hand: String(t.onHand), in_transit: String(t.inTransit), quantity: String(t.quantity),
      currency: t.currency ?? '', value: t.value !== null && t.currency ? amountText(t.value, t.currency) : '',
      note: t.currency === null ? `${t.rows} row${t.rows === 1 ? '' : 's'} without a cost price: not valued` : '',
    });
  }
  return out;
}

const NUMERIC = new Set(['on_hand', 'in_transit', 'quantity', 'unit_cost', 'source_value', 'rate', 'value']);
const MONEY = new Set(['unit_cost', 'source_value', 'value']);

function* stockCsv(r: StockReport, style: CsvStyle): Generator<string> {
  const cols = r.meta.columns;
  yield (style.bom ? '\uFEFF' : '') + csvRecord(cols.map((text) => ({ text })), style);
  for (const l of lines(r)) {
    const c = cells(r, l, cols);
    yield csvRecord(cols.map((k): Cell => {
      const v = c[k] ?? '';
      if (!NUMERIC.has(k) || v === '') return { text: v };
      return { number: style.decimalComma && (MONEY.has(k) || k === 'rate') ? v.replace('.', ',') : v };
    }), style);
  }
}

function money(minor: bigint | null | undefined, currency: string | null | undefined): { amount: string; currency: string } | null {
  return minor == null || !currency ? null : { amount: formatAmount({ minor, currency }), currency };
}

export function stockJson(r: StockReport): Record<string, unknown> {
  const conv = r.meta.currency !== 'native';
  return {
    meta: r.meta,
    items: new Streamed(mapped(r.rows(), (x) => ({
      sku: x.sku,
      location: x.location,
      location_country: x.locationCountry,
      on_hand: x.onHand,
      in_transit: x.inTransit,
      quantity: x.quantity,
      unit_cost: money(x.unitCost, conv ? x.sourceCurrency : x.currency),
      value: money(x.value, x.currency),
      ...(conv ? { source_value: money(x.sourceValue, x.sourceCurrency), rate: x.rate ?? null, rate_date: x.rateDate ?? null } : {}),
      note: x.note,
    }))),
    totals: r.totals.map((t) => ({
      currency: t.currency,
      rows: t.rows,
      on_hand: t.onHand,
      in_transit: t.inTransit,
      quantity: t.quantity,
      value: money(t.value, t.currency),
    })),
  };
}

async function renderTable(ctx: Ctx, r: StockReport): Promise<void> {
  const cols = r.meta.columns;
  const columns: Column<Line>[] = cols.map((k) => ({
    header: k,
    ...(NUMERIC.has(k) ? { align: 'right' as const } : { overflow: (k === 'note' ? 'wrap' : 'keep') as 'wrap' | 'keep' }),
    value: (l: Line) => cells(r, l, cols)[k] ?? '',
    color: (t: string, l: Line, io) => (l.total ? io.chalk.bold(t) : k === 'note' && t ? io.chalk.yellow(t) : t),
  }));
  if (!r.totals.length) ctx.io.info('no stock to report');
  await printRows(ctx.io, lines(r), columns, { header: true });
}

/** The rows, then the totals. */
function* lines(r: StockReport): Generator<Line> {
  for (const row of r.rows()) yield { row };
  for (const total of r.totals) yield { total };
}
