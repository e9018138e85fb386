// `merchant report sales`: parse flags → services/reports/sales → render (table, csv profiles, json,
// journals, chart). Data on stdout or --output (atomic); the date basis and rounding note on stderr.

import type { Command } from 'commander';
import { channelsOpt } from '../../enums.js';
import { Option } from 'commander';
import type { Ctx } from '../../context.js';
import { UsageError } from '../../../core/errors.js';
import { printRows, toJson, type Column } from '../../render.js';
import { writeFileAtomic } from '../../../config/atomic.js';
import { isMarketplace } from '../../../core/channels.js';
import { parseGroupBy, METRICS, MONEY_METRICS, type SalesRow, type Metrics } from '../../../core/report.js';
import {
  PROFILES, type Profile, csvStyle, summaryCsv, rowJson, xeroJournal, qboJournal, hledgerJournal, amountText, csvRecord,
  XERO_DEFAULT_ACCOUNTS, QBO_DEFAULT_ACCOUNTS, HLEDGER_DEFAULT_ACCOUNTS, type JournalAccounts, TOTAL_LABEL,
} from '../../../core/report-format.js';
import { salesReport, salesDetail, salesDetailMeta, DETAIL_COLUMNS, type DateBasis, type SalesReportOptions } from '../../../services/reports/sales.js';
import { barChart } from './chart.js';

interface Opts {
  from?: string;
  to?: string;
  groupBy?: string;
  channel?: string;
  marketplace?: string;
  currency?: string;
  format?: string;
  profile?: string;
  output?: string;
  chart?: boolean;
  locale?: string;
  dateBasis?: string;
  detail?: boolean;
  timezone?: string;
}

const EXAMPLES = `
Examples:
  $ merchant report sales --from 2026-10-01 --to 2026-10-31
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --group-by month,channel --currency EUR --format csv
  $ merchant report sales --from 2026-01-01 --to 2026-12-31 --group-by month --chart
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --profile excel --locale de-DE --output oktober.csv
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --group-by channel --currency EUR --profile xero --output xero.csv
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --group-by month,channel --profile hledger --output sales.journal
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --currency EUR --detail --format csv   # one row per order, fee, refund

Columns (stable): period,[channel,marketplace,country,sku,]currency,[source_currency,]orders,units,gross,discounts,
refunds,fees,shipping,tax,net — then one "total" row per currency, the exact sum of the rows.
Dates: --from/--to are inclusive days in the seller's time zone (business profile; UTC without one).
Sales, discounts and fees count on the order date; refunds on the refund date (--date-basis order: on their order's date).
Cancelled and voided orders are left out. See docs/reports.md for every definition.
Exit codes: 0 ok · 2 bad flag · 3 a rate is missing for --currency · 7 no database`;

function list(v: string | undefined): string[] | undefined {
  if (!v) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export function registerSales(parent: Command, ctx: Ctx): void {
  parent
    .command('sales')
    .description('Sales by period, channel, marketplace, SKU, country or currency: gross, discounts, refunds, fees, shipping, tax, net')
    .option('--from <YYYY-MM-DD>', 'first day (inclusive, seller time zone)')
    .option('--to <YYYY-MM-DD>', 'last day (inclusive, seller time zone)')
    .option('--group-by <dims>', 'comma list of day|week|month and channel|marketplace|country|sku|currency')
    .option('--channel <codes>', 'only these channels (comma list, e.g. amazon-de,ebay-uk)')
    .option('--marketplace <names>', 'only these marketplaces (amazon, ebay, shopify)')
    .option('--currency <code>', 'convert into this currency at each order date\'s rate, or "native" (default)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']))
    .addOption(new Option('--profile <profile>', 'file layout').choices([...PROFILES]))
    .option('--output <file>', 'write to this file atomically (- = stdout)')
    .option('--chart', 'a bar chart of net per period (with day, week or month grouping)')
    .option('--locale <locale>', 'excel profile: the spreadsheet locale (de-DE → ";" and decimal comma)')
    .addOption(new Option('--date-basis <basis>', 'which date a refund counts on').choices(['refund', 'order']).default('refund'))
    .option('--detail', 'one row per order, fee and refund instead of the summary (with the rate and rate date used)')
    .option('--timezone <tz>', 'override the seller time zone (IANA name)')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: Opts) => {
      if (!opts.from || !opts.to) throw new UsageError('--from and --to are required (inclusive dates, YYYY-MM-DD)', {
        hints: ['e.g. merchant report sales --from 2026-10-01 --to 2026-10-31'],
      });
      const g = parseGroupBy(opts.groupBy);
      if ('error' in g) throw new UsageError(g.error);
      const marketplaces = list(opts.marketplace);
      for (const m of marketplaces ?? []) if (!isMarketplace(m)) throw new UsageError(`--marketplace: unknown marketplace ${JSON.stringify(m)} (amazon, ebay, shopify)`);
      const currency = opts.currency && opts.currency.toLowerCase() !== 'native' ? opts.currency.toUpperCase() : undefined;
      const profile = opts.profile as Profile | undefined;
      const toFileFlag = opts.output !== undefined && opts.output !== '-';
      let format = opts.format ?? (ctx.globals.json ? 'json' : profile || toFileFlag ? 'csv' : 'table');
      if (format === 'table' && toFileFlag) throw new UsageError('--output writes a file: use --format csv or json (a table is for the terminal)');
      if (profile && format !== 'csv') throw new UsageError(`--profile ${profile} writes a file: use it with --format csv (or without --format)`);
      if (ctx.globals.json) format = 'json';
      if (opts.locale && profile !== 'excel') throw new UsageError('--locale applies to --profile excel');
      if (opts.chart && !g.time) throw new UsageError('--chart needs a time grouping: --group-by day, week or month');
      const options: SalesReportOptions = {
        from: opts.from,
        to: opts.to,
        time: g.time,
        dims: g.dims,
        channels: channelsOpt('--channel', opts.channel),
        marketplaces,
        currency,
        dateBasis: (opts.dateBasis ?? 'refund') as DateBasis,
        timezone: opts.timezone,
      };
      const store = ctx.store({ create: false });
      const chunks: string[] = [];
      const toFile = opts.output && opts.output !== '-';
      const emit = (s: string) => {
        if (toFile) chunks.push(s);
        else ctx.io.stdout.write(s);
      };

      if (opts.detail) {
        if (profile && profile !== 'plain' && profile !== 'excel') throw new UsageError(`--detail works with the plain and excel profiles, not ${profile}`);
        const meta = salesDetailMeta(store, options);
        ctx.io.info(`basis: ${meta.basis}${meta.rounding ? `; ${meta.rounding}` : ''}`);
        if (format === 'json') {
          emit(`{\n  "meta": ${toJson(meta).replace(/\n/g, '\n  ')},\n  "detail": [`);
          let first = true;
          for (const d of salesDetail(store, options)) {
            emit(`${first ? '' : ','}\n    ${JSON.stringify(detailJson(d))}`);
            first = false;
          }
          emit('\n  ]\n}\n');
        } else {
          const style = csvStyle(profile === 'excel' ? 'excel' : 'plain', opts.locale);
          if (format === 'table') style.delimiter = '\t';
          emit((style.bom ? '\uFEFF' : '') + csvRecord(DETAIL_COLUMNS.map((text) => ({ text })), style));
          for (const d of salesDetail(store, options)) {
            emit(csvRecord([
              { text: d.date }, { text: d.kind }, { text: d.order }, { text: d.channel }, { text: d.marketplace }, { text: d.country },
              { text: d.sku }, { text: d.currency }, { number: d.m.orders.toString() }, { number: d.m.units.toString() },
              ...MONEY_METRICS.map((k) => ({ number: amountText(d.m[k], d.currency, style.decimalComma) })),
              { text: d.sourceCurrency }, { number: style.decimalComma ? d.rate.replace('.', ',') : d.rate }, { text: d.rateDate },
            ], style));
          }
        }
        finish();
        return;
      }

      const report = salesReport(store, options);
      const { meta, rows, totals } = report;
      ctx.io.info(`basis: ${meta.basis} (${meta.timezone})${meta.rounding ? `; ${meta.rounding}` : ''}`);
      if (format === 'json') {
        emit(`${toJson({
          meta,
          rows: rows.map(rowJson),
          totals: [...totals.entries()].map(([c, m]) => rowJson({ period: TOTAL_LABEL, currency: c, m })),
        })}\n`);
      } else if (format === 'csv') {
        const p = profile ?? 'plain';
        if (p === 'plain' || p === 'excel') for (const s of summaryCsv(meta.columns, rows, totals, csvStyle(p, opts.locale))) emit(s);
        else if (p === 'xero') {
          if (totals.size > 1) throw new UsageError('Xero manual journals are in your base currency, but the report has several currencies', {
            hints: ['add --currency <your base currency>, e.g. --currency EUR'],
          });
          let lines = -1; // the header
          for (const s of xeroJournal(rows, meta, accounts(ctx, 'xero', XERO_DEFAULT_ACCOUNTS), ctx.config().get('report.xero.taxRate', 'No VAT'))) {
            lines++;
            emit(s);
          }
          if (lines > 300) ctx.io.warn(`Xero imports at most 300 journal lines per file and this one has ${lines}: split the range (--from/--to) or group less finely`);
        } else if (p === 'qbo') {
          for (const s of qboJournal(rows, meta, accounts(ctx, 'qbo', QBO_DEFAULT_ACCOUNTS))) emit(s);
        } else {
          for (const s of hledgerJournal(rows, meta, accounts(ctx, 'hledger', HLEDGER_DEFAULT_ACCOUNTS))) emit(s);
        }
      } else {
        renderTable(ctx, meta.columns, rows, totals);
        if (opts.chart) ctx.io.out(barChart(rows, totals, ctx.io.columns));
      }
      if (opts.chart && format !== 'table') ctx.io.stderr.write(barChart(rows, totals, ctx.io.columns) + '\n');
      finish();

      function finish(): void {
        if (toFile) {
          writeFileAtomic(opts.output!, chunks.join(''));
          ctx.io.success(`wrote ${opts.output}`);
        }
      }
    });
}

function accounts(ctx: Ctx, profile: string, defaults: JournalAccounts): JournalAccounts {
  const cfg = ctx.config();
  const out = { ...defaults };
  for (const k of Object.keys(defaults) as (keyof JournalAccounts)[]) out[k] = cfg.get(`report.${profile}.accounts.${k}`, defaults[k]);
  return out;
}

function detailJson(d: ReturnType<typeof salesDetail> extends Generator<infer T> ? T : never): Record<string, string> {
  const out: Record<string, string> = {
    date: d.date, kind: d.kind, order: d.order, channel: d.channel, marketplace: d.marketplace, country: d.country, sku: d.sku,
    currency: d.currency, orders: d.m.orders.toString(), units: d.m.units.toString(),
  };
  for (const k of MONEY_METRICS) out[k] = amountText(d.m[k], d.currency);
  out.source_currency = d.sourceCurrency;
  out.rate = d.rate;
  out.rate_date = d.rateDate;
  return out;
}

function renderTable(ctx: Ctx, columns: readonly string[], rows: readonly SalesRow[], totals: Map<string, Metrics>): void {
  type R = SalesRow & { total?: boolean };
  const all: R[] = [...rows, ...[...totals.entries()].map(([currency, m]) => ({ period: TOTAL_LABEL, currency, m, total: true }))];
  const cols: Column<R>[] = columns.map((c) => {
    if ((METRICS as readonly string[]).includes(c)) {
      const k = c as keyof Metrics;
      return {
        header: c,
        align: 'right' as const,
        value: (r: R) => (k === 'orders' || k === 'units' ? r.m[k].toString() : amountText(r.m[k], r.currency)),
        color: (t: string, r: R, io) => (r.total ? io.chalk.bold(t) : k === 'net' && r.m.net < 0n ? io.chalk.red(t) : t),
      };
    }
    return {
      header: c,
      value: (r: R) => {
        if (r.total && c !== 'period' && c !== 'currency') return '';
        const v = c === 'period' ? r.period : c === 'channel' ? r.channel : c === 'marketplace' ? r.marketplace : c === 'country' ? r.country
          : c === 'sku' ? (r.sku === '' ? '(order level)' : r.sku) : c === 'currency' ? r.currency : r.sourceCurrency;
        return v ?? '';
      },
      color: (t: string, r: R, io) => (r.total ? io.chalk.bold(t) : t),
    };
  });
  printRows(ctx.io, all, cols, { header: true });
}
