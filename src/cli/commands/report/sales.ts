// `merchant report sales`: parse flags → services/reports/sales → render (table, csv profiles, json,
// journals, chart). Data on stdout or --output (atomic); the date basis and rounding note on stderr.

import type { Command } from 'commander';
import { channelsOpt } from '../../enums.js';
import { Option } from 'commander';
import type { Ctx } from '../../context.js';
import { reportFormat } from './output.js';
import { UsageError } from '../../../core/errors.js';
import { localTime, printRows, toJson, type Column } from '../../render.js';
import { profileTimeZone } from '../../../store/repos/seller-zone.js';
import { writeFileAtomic } from '../../../config/atomic.js';
import { isMarketplace } from '../../../core/channels.js';
import { parseGroupBy, METRICS, MONEY_METRICS, type SalesRow, type Metrics } from '../../../core/report.js';
import {
  PROFILES, type Profile, csvStyle, summaryCsv, rowJson, amountText, csvRecord, TOTAL_LABEL,
} from '../../../core/report-format.js';
import {
  hledgerJournal, qboJournal, xeroJournal, xeroLines, HLEDGER_DEFAULT_ACCOUNTS, QBO_DEFAULT_CHART, XERO_DEFAULT_CHART, VAT_SCHEME_KEYS,
  type HledgerAccounts, type QboChart, type XeroChart, type XeroWarning,
} from '../../../core/report-journal.js';
import {
  salesReport, salesJournal, prepareSalesDetail, reportBusiness, reportExchangeRate, DETAIL_COLUMNS,
  type DateBasis, type SalesReportMeta, type SalesReportOptions,
} from '../../../services/reports/sales.js';
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
  allowStale?: boolean;
}

const EXAMPLES = `
Examples:
  $ merchant report sales                                          # this month so far, in your time zone
  $ merchant report sales --from 2026-10-01 --to 2026-10-31
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --group-by month,channel --currency EUR --format csv
  $ merchant report sales --from 2026-01-01 --to 2026-12-31 --group-by month --chart
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --profile excel --locale de-DE --output oktober.csv
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --group-by channel --currency EUR --profile xero --output xero.csv
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --group-by month,channel --profile hledger --output sales.journal
  $ merchant report sales --from 2026-10-01 --to 2026-10-31 --currency EUR --detail --format csv   # one row per order, fee, refund
  $ merchant report sales --from 2026-10-01 --to 2026-12-31 --group-by vat-scheme,country --currency EUR --format csv   # OSS/IOSS returns

Columns (stable): period,[channel,marketplace,vat_scheme,country,sku,]currency,[source_currency,]orders,units,gross,
discounts,refunds,fees,shipping,tax,net — then one "total" row per currency, the exact sum of the rows.
vat-scheme: who accounted for the VAT (domestic, oss, ioss, uk, voec, gst, ch, marketplace, import); grouped with it,
country is the country whose VAT is due (the OSS/IOSS member state; XI for Northern Ireland).
Dates: --from/--to are inclusive days in the seller's time zone (business profile; UTC without one).
Sales, discounts and fees count on the order date; refunds on the refund date (--date-basis order: on their order's date).
--currency converts each amount at the latest rate on or before its date and says which rate dates it used; a rate
older than fx.maxAgeDays (default 4) for its day warns on a terminal and refuses without one unless --allow-stale.
Cancelled and voided orders are left out. See docs/reports.md for every definition.
Exit codes: 0 ok · 2 bad flag · 3 a rate is missing or stale for --currency · 7 no database`;

function list(v: string | undefined): string[] | undefined {
  if (!v) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

export function registerSales(parent: Command, ctx: Ctx): void {
  parent
    .command('sales')
    .description('Sales by period, channel, marketplace, SKU, country or currency: gross, discounts, refunds, fees, shipping, tax, net')
    .option('--from <YYYY-MM-DD>', 'first day (inclusive, seller time zone; default: the first of this month)')
    .option('--to <YYYY-MM-DD>', 'last day (inclusive, seller time zone; default: the last of this month)')
    .option('--group-by <dims>', 'comma list of day|week|month and channel|marketplace|vat-scheme|country|sku|currency')
    .option('--channel <codes>', 'only these channels (comma list, e.g. amazon-de,ebay-uk)')
    .option('--marketplace <names>', 'only these marketplaces (amazon, ebay, shopify)')
    .option('--currency <code>', 'convert into this currency at each order date\'s rate, or "native" (default)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']))
    .addOption(new Option('--profile <profile>', 'file layout').choices([...PROFILES]))
    .option('--output <file>', 'write to this file atomically (- = stdout)')
    .option('--chart', 'a bar chart of net per period (with day, week or month grouping)')
    .option('--locale <locale>', 'excel profile: the spreadsheet locale (default: the business country\'s; de-DE → ";" and decimal comma)')
    .addOption(new Option('--date-basis <basis>', 'which date a refund counts on').choices(['refund', 'order']).default('refund'))
    .option('--detail', 'one row per order, fee and refund instead of the summary (with the rate and rate date used)')
    .option('--timezone <tz>', 'override the seller time zone (IANA name)')
    .option('--allow-stale', 'convert with rates older than fx.maxAgeDays for their day instead of refusing (without a terminal)')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: Opts) => {
      if (Boolean(opts.from) !== Boolean(opts.to)) throw new UsageError(`${opts.from ? '--to' : '--from'} is missing: --from and --to are required together (inclusive dates, YYYY-MM-DD), or neither for the current month`, {
        hints: ['e.g. merchant report sales --from 2026-10-01 --to 2026-10-31'],
      });
      const g = parseGroupBy(opts.groupBy);
      if ('error' in g) throw new UsageError(g.error);
      const marketplaces = list(opts.marketplace);
      for (const m of marketplaces ?? []) if (!isMarketplace(m)) throw new UsageError(`--marketplace: unknown marketplace ${JSON.stringify(m)} (amazon, ebay, shopify)`);
      const currency = opts.currency && opts.currency.toLowerCase() !== 'native' ? opts.currency.toUpperCase() : undefined;
      const profile = opts.profile as Profile | undefined;
      const format = reportFormat(opts, profile, ctx.globals.json);
      if (opts.chart && !g.time) throw new UsageError('--chart needs a time grouping: --group-by day, week or month');
      const maxAgeDays = ctx.config().getNumber('fx.maxAgeDays', 4);
      const store = ctx.store({ create: false });
      if (!opts.from || !opts.to) {
        // The current month in the zone the report counts days in (the business profile's, else UTC).
        const zone = opts.timezone ?? profileTimeZone(store) ?? 'UTC';
        const month = currentMonth(ctx.clock.now(), zone);
        if (!month) throw new UsageError(`unknown time zone ${JSON.stringify(zone)} (an IANA name such as Europe/Stockholm)`);
        opts.from = month.from;
        opts.to = month.to;
        ctx.io.info(`period: ${month.from} to ${month.to}, this month in ${zone} (--from/--to for another)`);
      }
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
        maxAgeDays,
        // On a terminal stale rates warn; a cron job must say --allow-stale to report with them.
        allowStale: Boolean(opts.allowStale) || ctx.io.canPrompt(),
      };
      const business = reportBusiness(store);
      const chunks: string[] = [];
      const toFile = opts.output && opts.output !== '-';
      const emit = (s: string) => {
        if (toFile) chunks.push(s);
        else ctx.io.stdout.write(s);
      };

      if (opts.detail) {
        if (profile && profile !== 'plain' && profile !== 'excel') throw new UsageError(`--detail works with the plain and excel profiles, not ${profile}`);
        const { meta, rows } = prepareSalesDetail(store, options);
        notes(ctx, meta);
        if (format === 'json') {
          emit(`{\n  "meta": ${toJson(meta).replace(/\n/g, '\n  ')},\n  "detail": [`);
          let first = true;
          for (const d of rows()) {
            emit(`${first ? '' : ','}\n    ${JSON.stringify(detailJson(d))}`);
            first = false;
          }
          emit('\n  ]\n}\n');
        } else {
          const style = csvStyle(profile === 'excel' ? 'excel' : 'plain', opts.locale, business.country);
          if (format === 'table') style.delimiter = '\t';
          emit((style.bom ? '\uFEFF' : '') + csvRecord(DETAIL_COLUMNS.map((text) => ({ text })), style));
          for (const d of rows()) {
            emit(csvRecord([
              { text: d.date }, { text: d.kind }, { text: d.order }, { text: d.channel }, { text: d.marketplace }, { text: d.country },
              { text: d.sku }, { text: d.currency }, { number: d.m.orders.toString() }, { number: d.m.units.toString() },
              ...MONEY_METRICS.map((k) => ({ number: amountText(d.m[k], d.currency, style.decimalComma) })),
              { text: d.sourceCurrency }, { number: style.decimalComma ? d.rate.replace('.', ',') : d.rate }, { text: d.rateDate },
              { text: d.vatScheme }, { text: d.note },
            ], style));
          }
        }
        finish();
        return;
      }

      const journalProfile = format === 'csv' && (profile === 'xero' || profile === 'qbo' || profile === 'hledger') ? profile : undefined;
      if (journalProfile) {
        // Xero manual journals are in the organisation's base currency: say so before converting anything.
        if (journalProfile === 'xero' && currency && business.baseCurrency && currency !== business.baseCurrency) {
          throw new UsageError(`Xero manual journals are in your base currency ${business.baseCurrency}, not ${currency}`, {
            hints: [`use --currency ${business.baseCurrency} (your base currency)`],
          });
        }
        const j = salesJournal(store, options);
        notes(ctx, j.meta);
        if (journalProfile === 'xero') {
          // Xero manual journals are in the organisation's base currency.
          const base = business.baseCurrency;
          const currencies = [...j.totals.keys()];
          const hint = `add --currency ${base ?? '<your base currency>'}${base ? ' (your base currency)' : ''}`;
          if (base && currencies.some((c) => c !== base)) {
            throw new UsageError(`Xero manual journals are in your base currency ${base}, but this report is in ${currencies.join(', ')}`, { hints: [hint] });
          }
          if (!base && currencies.length > 1) throw new UsageError('Xero manual journals are in your base currency, but the report has several currencies', { hints: [hint] });
          const warnings: XeroWarning[] = [];
          const lines = xeroLines(j.rows, j.meta, xeroChart(ctx, business.country), warnings);
          for (const s2 of xeroJournal(lines, currencies[0] ?? base ?? 'EUR')) emit(s2);
          for (const w of warnings) ctx.io.warn(`${w.journal}: ${w.message}`);
          if (lines.length > 300) ctx.io.warn(`Xero imports at most 300 journal lines per file and this one has ${lines.length}: split the range (--from/--to) or group less finely`);
        } else if (journalProfile === 'qbo') {
          const cfg = ctx.config().get('report.qbo.dateFormat');
          if (cfg !== undefined && cfg !== 'mdy' && cfg !== 'dmy') throw new UsageError(`config report.qbo.dateFormat must be mdy or dmy, got ${JSON.stringify(cfg)}`);
          const dateFormat = (cfg as 'mdy' | 'dmy' | undefined) ?? (business.country === 'US' ? 'mdy' : 'dmy');
          const home = business.baseCurrency;
          for (const s2 of qboJournal(j.rows, j.meta, qboChart(ctx), {
            dateFormat,
            ...(home ? { homeCurrency: home, exchangeRate: (c: string, d: string) => reportExchangeRate(store, c, home, d) } : {}),
          })) emit(s2);
        } else {
          for (const s2 of hledgerJournal(j.rows, j.meta, hledgerAccounts(ctx))) emit(s2);
        }
        finish();
        return;
      }

      const report = salesReport(store, options);
      const { meta, rows, totals } = report;
      notes(ctx, meta);
      if (format === 'json') {
        emit(`${toJson({
          meta,
          rows: rows.map(rowJson),
          totals: [...totals.entries()].map(([c, m]) => rowJson({ period: TOTAL_LABEL, currency: c, m })),
        })}\n`);
      } else if (format === 'csv') {
        const p = profile === 'excel' ? 'excel' : 'plain';
        for (const s2 of summaryCsv(meta.columns, rows, totals, csvStyle(p, opts.locale, business.country))) emit(s2);
      } else {
        await renderTable(ctx, meta.columns, rows, totals);
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

/** The first and last day of the month `now` falls in, in `timeZone` (null for an unknown zone). */
function currentMonth(now: Date, timeZone: string): { from: string; to: string } | null {
  let today: string;
  try {
    today = localTime(now.toISOString(), timeZone);
  } catch {
    return null;
  }
  const [y, m] = today.slice(0, 7).split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}

/** The basis, the rate dates used, stale rates, estimated refund dates and undecided VAT schemes, on stderr. */
function notes(ctx: Ctx, meta: SalesReportMeta): void {
  ctx.io.info(`basis: ${meta.basis} (${meta.timezone})${meta.rounding ? `; ${meta.rounding}` : ''}`);
  const r = meta.rates;
  if (r && r.first) {
    ctx.io.info(`rates into ${r.target}: published ${r.first === r.last ? r.first : `${r.first} … ${r.last}`}${r.oldestAgeDays ? `; the oldest is ${r.oldestAgeDays} day${r.oldestAgeDays === 1 ? '' : 's'} before the day it converts` : ''}`);
  }
  for (const st of r?.stale ?? []) {
    ctx.io.warn(`${st.currency}→${r!.target} up to ${st.forDate} uses the rate of ${st.rateDate} (${st.ageDays} days older; fx.maxAgeDays ${r!.maxAgeDays}): run \`merchant fx update\``);
  }
  if (meta.estimatedRefunds) {
    ctx.io.warn(`${meta.estimatedRefunds} refund${meta.estimatedRefunds === 1 ? ' is' : 's are'} dated at the order's date (the Shopify orders export has no refund date): --detail marks them; \`merchant sync --only orders\` replaces them with Shopify's`);
  }
  if (meta.vat?.unclassified) {
    ctx.io.warn(`${meta.vat.unclassified} order${meta.vat.unclassified === 1 ? ' has' : 's have'} no VAT scheme (${meta.vat.reasons.join('; ')}): reported as "unclassified"`);
  }
}

function xeroChart(ctx: Ctx, country: string | undefined): XeroChart {
  const cfg = ctx.config();
  const d = XERO_DEFAULT_CHART;
  // The seller's own VAT return: a GB organisation's standard rate is "20% (VAT on Income)"; elsewhere
  // the legacy single key (default "No VAT": the VAT is then posted to the VAT account explicitly).
  const legacy = cfg.get('report.xero.taxRate', 'No VAT');
  const domesticDefault = country === 'GB' ? '20% (VAT on Income)' : legacy;
  const taxRates: Record<string, string> = {};
  for (const s of VAT_SCHEME_KEYS) {
    const fallback = s === 'domestic' || (s === 'uk' && country === 'GB') ? domesticDefault : legacy;
    taxRates[s] = cfg.get(`report.xero.taxRate.${s}`, fallback);
  }
  const table = (kind: 'sales' | 'vat', defaults: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const s of VAT_SCHEME_KEYS) {
      const base = kind === 'sales' && s === 'domestic' ? cfg.get('report.xero.accounts.sales', defaults[s]!) : kind === 'vat' && s === 'domestic' ? cfg.get('report.xero.accounts.tax', defaults[s]!) : defaults[s];
      const v = cfg.get(`report.xero.accounts.${kind}.${s}`, base ?? '');
      if (v) out[s] = v;
    }
    return out;
  };
  return {
    clearing: cfg.get('report.xero.accounts.clearing', d.clearing),
    shipping: cfg.get('report.xero.accounts.shipping', d.shipping),
    discounts: cfg.get('report.xero.accounts.discounts', d.discounts),
    refunds: cfg.get('report.xero.accounts.refunds', d.refunds),
    fees: cfg.get('report.xero.accounts.fees', d.fees),
    sales: table('sales', d.sales),
    vat: table('vat', d.vat),
    taxRates,
    noTax: cfg.get('report.xero.noTaxRate', d.noTax),
  };
}

function qboChart(ctx: Ctx): QboChart {
  const cfg = ctx.config();
  const d = QBO_DEFAULT_CHART;
  const table = (kind: 'sales' | 'vat') => {
    const out: Record<string, string> = {};
    for (const s of VAT_SCHEME_KEYS) {
      const v = cfg.get(`report.qbo.accounts.${kind}.${s}`);
      if (v) out[s] = v;
    }
    return out;
  };
  return {
    clearing: cfg.get('report.qbo.accounts.clearing', d.clearing),
    shipping: cfg.get('report.qbo.accounts.shipping', d.shipping),
    discounts: cfg.get('report.qbo.accounts.discounts', d.discounts),
    refunds: cfg.get('report.qbo.accounts.refunds', d.refunds),
    fees: cfg.get('report.qbo.accounts.fees', d.fees),
    sales: table('sales'),
    vat: table('vat'),
  };
}

function hledgerAccounts(ctx: Ctx): HledgerAccounts {
  const cfg = ctx.config();
  const out = { ...HLEDGER_DEFAULT_ACCOUNTS };
  for (const k of Object.keys(out) as (keyof HledgerAccounts)[]) out[k] = cfg.get(`report.hledger.accounts.${k}`, out[k]);
  return out;
}

function detailJson(d: ReturnType<ReturnType<typeof prepareSalesDetail>['rows']> extends Generator<infer T> ? T : never): Record<string, unknown> {
  const out: Record<string, unknown> = {
    date: d.date, kind: d.kind, order: d.order, channel: d.channel, marketplace: d.marketplace, country: d.country, sku: d.sku,
    currency: d.currency, orders: Number(d.m.orders), units: Number(d.m.units),
  };
  for (const k of MONEY_METRICS) out[k] = { amount: amountText(d.m[k], d.currency), currency: d.currency };
  out.source_currency = d.sourceCurrency;
  out.rate = d.rate;
  out.rate_date = d.rateDate;
  out.vat_scheme = d.vatScheme;
  out.note = d.note;
  return out;
}

async function renderTable(ctx: Ctx, columns: readonly string[], rows: readonly SalesRow[], totals: Map<string, Metrics>): Promise<void> {
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
      // A report's labels are never cut: a table wider than the terminal scrolls sideways in the pager.
      overflow: 'keep' as const,
      value: (r: R) => {
        if (r.total && c !== 'period' && c !== 'currency') return '';
        const v = c === 'period' ? r.period : c === 'channel' ? r.channel : c === 'marketplace' ? r.marketplace : c === 'vat_scheme' ? r.vatScheme : c === 'country' ? r.country
          : c === 'sku' ? (r.sku === '' ? '(order level)' : r.sku) : c === 'currency' ? r.currency : r.sourceCurrency;
        return v ?? '';
      },
      color: (t: string, r: R, io) => (r.total ? io.chalk.bold(t) : t),
    };
  });
  await printRows(ctx.io, all, cols);
}
