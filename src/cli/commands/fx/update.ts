import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Ctx } from '../../context.js';
import { InvalidInputError, UsageError } from '../../../core/errors.js';
import { printFields, printJson, printRows } from '../../render.js';
import { DEFAULT_ECB_URL } from '../../../adapters/fx/ecb-http.js';
import { isoDay } from '../../../core/fx.js';
import { applyRates, gatherRates, type RateSourceInput } from '../../../services/fx/update.js';
import { checkDate } from '../../../services/fx/convert.js';
import { rateFiles } from '../../wiring/fx.js';
import { examples, FX_EXIT_CODES } from './help.js';

interface Opts {
  source?: string;
  history?: boolean;
  file?: string;
  rate?: string[];
  date?: string;
  baseUrl?: string;
  /** Deprecated spelling of --base-url (hidden; still works). */
  url?: string;
  timeout?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

async function readStdin(ctx: Ctx): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of ctx.io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

export function registerUpdate(parent: Command, ctx: Ctx): void {
  parent
    .command('update')
    .description('Fetch and store reference rates (ECB daily XML, full history, a file, or manual overrides)')
    .option('--source <name>', 'rates source to fetch: ecb (default when no --file/--rate is given)')
    .option('--history', 'fetch the full history (eurofxref-hist) instead of the latest day')
    .option('--file <path>', 'read an ECB file from disk instead (eurofxref-hist.csv, eurofxref.csv or *.xml; - for stdin)')
    .option('--rate <BASE/QUOTE=RATE>', 'record a manual override, e.g. USD/GBP=0.79 (repeatable); wins over the source for its date', collect)
    .option('--date <YYYY-MM-DD>', 'date of the --rate overrides (default: today)')
    .option('--base-url <url>', 'ECB base URL or file URL (default: config fx.ecb.url / MERCHANT_FX_ECB_URL, else the ECB)')
    .addOption(new Option('--url <url>', 'deprecated: use --base-url').hideHelp())
    .option('--timeout <ms>', 'HTTP timeout in milliseconds (default: config fx.timeoutMs, else 30000)')
    .addHelpText(
      'after',
      examples(
        [
          'merchant fx update                                   # latest day from the ECB',
          'merchant fx update --source ecb --history            # everything since 1999',
          'merchant fx update --file eurofxref-hist.csv',
          'merchant fx update --rate USD/GBP=0.79 --date 2026-04-13',
          'MERCHANT_FX_ECB_URL=http://127.0.0.1:4010/ecb merchant fx update   # a local mirror or the sandbox',
        ],
        `\nRe-running is idempotent: rates equal to the stored ones are counted as unchanged.\n${FX_EXIT_CODES}`,
      ),
    )
    .action(async (opts: Opts) => {
      if (opts.url !== undefined) {
        ctx.io.warn('--url is deprecated: use --base-url (the name every command uses)');
        if (opts.baseUrl !== undefined && opts.baseUrl !== opts.url) throw new UsageError('--url and --base-url disagree; pass only --base-url');
        opts.baseUrl = opts.url;
      }
      if (opts.source && opts.source !== 'ecb') throw new UsageError(`unknown rates source ${JSON.stringify(opts.source)}; supported: ecb`);
      if (opts.date && !opts.rate?.length) throw new UsageError('--date applies to --rate overrides; pass --rate BASE/QUOTE=RATE too');
      if (opts.history && opts.file) throw new UsageError('--history fetches from the ECB; with --file the file decides what is stored');
      const fetchSource = Boolean(opts.source || opts.history || (!opts.file && !opts.rate?.length));
      const now = ctx.clock.now();
      const fetchedAt = now.toISOString();
      const cfg = ctx.config();
      const date = opts.date ? checkDate(opts.date) : isoDay(now);

      const files: Array<{ origin: string; text: string }> = [];
      if (opts.file) {
        try {
          const text = opts.file === '-' ? await readStdin(ctx) : readFileSync(resolve(ctx.cwd, opts.file), 'utf8');
          files.push({ origin: opts.file === '-' ? 'stdin' : opts.file, text });
        } catch (e) {
          throw new InvalidInputError(`cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }
      let fetch: RateSourceInput['fetch'];
      if (fetchSource) {
        const timeoutMs = Number(opts.timeout ?? cfg.get('fx.timeoutMs', '30000'));
        if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout takes a positive number of milliseconds');
        fetch = { baseUrl: opts.baseUrl ?? cfg.get('fx.ecb.url', DEFAULT_ECB_URL), history: Boolean(opts.history), timeoutMs, debug: (l) => ctx.io.debug(l) };
      }
      const spin = fetch ? ctx.io.spinner(`fetching ECB ${opts.history ? 'history' : 'daily rates'}…`) : undefined;
      let gathered;
      try {
        gathered = await gatherRates(rateFiles(), { files, fetch, rates: opts.rate ?? [] });
      } finally {
        spin?.stop();
      }
      await ctx.writeLock('fx update');
      const { imports, manual } = applyRates(ctx.store(), gathered, date, fetchedAt);

      if (ctx.globals.json) {
        printJson(ctx.io, { imports, manual });
        return;
      }
      for (const i of imports) {
        await printFields(ctx.io, [
          ['source', i.source],
          ['from', i.origin],
          ['format', i.format],
          ['dates', i.days === 1 ? i.firstDate : `${i.firstDate} … ${i.lastDate} (${i.days} publication days)`],
          ['currencies', `${i.currencies.length}`],
          ['inserted', String(i.inserted)],
          ['updated', String(i.updated)],
          ['unchanged', String(i.unchanged)],
          ['n/a cells', String(i.notAvailable)],
        ], { report: true });
        ctx.io.success(`${i.source} rates to ${i.lastDate}: ${i.inserted} inserted, ${i.updated} updated, ${i.unchanged} unchanged`);
      }
      if (manual.length) {
        await printRows(ctx.io, manual, [
          { header: 'DATE', value: (m) => m.date },
          { header: 'PAIR', value: (m) => `${m.base}/${m.quote}` },
          { header: 'RATE', value: (m) => m.rate, align: 'right' },
          { header: 'STORED', value: (m) => m.action },
        ], { report: true });
        ctx.io.success(`${manual.length} manual rate${manual.length === 1 ? '' : 's'} for ${date} (they win over the ECB for that date)`);
      }
    });
}
