import type { Command } from 'commander';
import { channelsOpt } from '../../enums.js';
import type { Ctx } from '../../context.js';
import { PartialFailure, UsageError } from '../../../core/errors.js';
import { Streamed, printJsonStream, printRows } from '../../render.js';
import { money } from '../../json-shapes.js';
import { isoDay } from '../../../core/fx.js';
import { formatAmount, parsePercent } from '../../../core/money.js';
import { mapped } from '../../../core/iterate.js';
import { updatePrices, type PriceItem, type UpdateResult } from '../../../services/prices/update.js';
import { examples } from '../fx/help.js';
import { afterPricesUpdate } from '../../next-steps.js';

interface Opts {
  channel?: string;
  sku?: string;
  dryRun?: boolean;
  maxChange?: string;
  yes?: boolean;
  allowStale?: boolean;
}

const amount = (minor: bigint | null, currency: string) => (minor === null ? '-' : formatAmount({ minor, currency }));

export function registerUpdate(parent: Command, ctx: Ctx): void {
  parent
    .command('update')
    .description('Recompute channel prices from cost, rules and the latest rates; show the diff; record history; queue for sync')
    .option('--channel <list>', 'only these channels, comma-separated (default: every enabled channel with a rule)')
    .option('--sku <pattern>', "only SKUs matching this pattern (* and ?), e.g. 'MUG-*'")
    .option('--dry-run', 'print the diff and change nothing')
    .option('--max-change <P%>', 'hold moves larger than this share of the old price unless --yes (default: config prices.maxChange, else 20%)')
    .option('-y, --yes', 'apply moves beyond --max-change too')
    .option('--allow-stale', 'price with rates older than fx.maxAgeDays (default 4) instead of refusing')
    .addHelpText(
      'after',
      examples(
        [
          'merchant prices update --dry-run',
          'merchant prices update --channel amazon-uk,ebay-uk',
          "merchant prices update --sku 'MUG-*' --max-change 10% --yes",
          'merchant fx update && merchant prices update --no-input     # cron: refuses stale rates',
        ],
        `
Channels priced: the enabled rows of the channels table (set by \`marketplace connect\`); while that
table is empty, every channel a rule names counts as enabled.
Exit codes: 0 ok · 2 bad flag (an unknown --channel) · 3 stale rates without --allow-stale (non-interactive) · 4 some
prices held (beyond --max-change) or refused (no rate, floor above max); the rest applied · 5 locked · 7 no rules.`,
      ),
    )
    .action(async (opts: Opts) => {
      const channels = channelsOpt('--channel', opts.channel);
      const maxText = (opts.maxChange ?? ctx.config().get('prices.maxChange', '20%')).trim();
      if (!/^\d+(\.\d+)?%$/.test(maxText)) throw new UsageError(`--max-change ${JSON.stringify(maxText)} must be a percentage such as 20%`);
      const maxAgeDays = ctx.config().getNumber('fx.maxAgeDays', 4);
      const store = ctx.store();
      if (!opts.dryRun) await ctx.writeLock('prices update');
      const now = ctx.clock.now();
      const interactive = ctx.io.canPrompt();
      const progress = ctx.io.progress('pricing');
      let ticked = 0;
      const printDiff = async (res: UpdateResult): Promise<void> => {
        // The diff is what a dry run is for; of a real run it is a report (--quiet drops it). Every row:
        // a terminal pages through them, a pipe gets them all.
        await printRows<PriceItem>(ctx.io, res.items, [
          { header: 'SKU', value: (i) => i.sku, overflow: 'keep' },
          { header: 'CHANNEL', value: (i) => i.channel, overflow: 'keep' },
          { header: 'OLD', value: (i) => amount(i.oldMinor, i.currency), align: 'right' },
          { header: 'NEW', value: (i) => amount(i.newMinor, i.currency), align: 'right' },
          { header: 'CCY', value: (i) => i.currency, overflow: 'keep' },
          { header: 'CHANGE', value: (i) => i.change ?? (i.status === 'new' ? 'new' : '-'), align: 'right' },
          // On a narrow terminal the why (rate, its date, rule) gives way to the what.
          { header: 'RATE', value: (i) => i.rate ?? '-', align: 'right', optional: 2 },
          { header: 'RATE DATE', value: (i) => i.rateDate ?? '-', overflow: 'keep', optional: 3 },
          { header: 'RULE', value: (i) => i.rule ?? '-', optional: 1 },
          { header: 'STATUS', value: (i) => (i.reason ? `${i.status}: ${i.reason}` : i.status), overflow: 'wrap', color: (t, i, io) => (i.status === 'held' || i.status === 'refused' ? io.chalk.yellow(t) : t) },
        ], { report: !res.dryRun });
      };
      // A pipe or a file gets the diff rendered while a large run's writer thread commits, and shown
      // once the prices are written (never the diff of a run that then failed); a terminal sees it after.
      let held: ReturnType<typeof ctx.io.holdStdout> | undefined;
      const whileCommitting = ctx.globals.json || ctx.io.isStdoutTTY ? undefined : async (res: UpdateResult) => {
        progress.done();
        held = ctx.io.holdStdout();
        await printDiff(res);
      };
      let r: UpdateResult;
      try {
        r = await updatePrices(store, {
          whileCommitting,
          onProgress: (done) => {
            progress.tick(done - ticked);
            ticked = done;
          },
          channels,
          skuPattern: opts.sku,
          dryRun: Boolean(opts.dryRun),
          maxChange: parsePercent(maxText),
          maxChangeText: maxText,
          yes: Boolean(opts.yes),
          date: isoDay(now),
          now: now.toISOString(),
          maxAgeDays,
          allowStale: Boolean(opts.allowStale) || interactive,
          onStale: (stale) => {
            progress.done();
            for (const s of stale) ctx.io.warn(`${s.from}→${s.to} uses ${s.source} rates of ${s.rateDate} (${s.ageDays} days old; fx.maxAgeDays ${maxAgeDays}); run \`merchant fx update\``);
          },
        });
      } catch (e) {
        held?.discard();
        throw e;
      }
      progress.done();
      if (!r.channels.length) ctx.io.warn('no enabled channel has a rule: connect a marketplace (`merchant marketplace connect`) or give a rule a --channel');
      const partial = r.counts.held > 0 || r.counts.refused > 0;
      // --json is one document, also on a partial failure (main prints only the summary line then).
      if (ctx.globals.json) {
        const doc = {
          ...r,
          // Money is {"amount", "currency"}; the minor units stay inside (one money shape in JSON).
          // (Written item by item: 500,000 prices as one document in memory took 1.5 GB.)
          items: new Streamed(mapped(r.items, ({ oldMinor, newMinor, ...i }) => ({ ...i, old: oldMinor === null ? null : money(amount(oldMinor, i.currency), i.currency), new: newMinor === null ? null : money(amount(newMinor, i.currency), i.currency) }))),
        };
        await printJsonStream(ctx.io, doc);
      }
      else {
        if (held) await held.release();
        else await printDiff(r);
        const c = r.counts;
        const verb = r.dryRun ? 'would change' : 'changed';
        ctx.io.info(`${verb} ${c.changed + c.new} price${c.changed + c.new === 1 ? '' : 's'} (${c.new} new), ${c.unchanged} unchanged, ${c.held} held, ${c.refused} refused, ${c.skipped} skipped${r.dryRun ? ' — dry run, nothing written' : ''}`);
      }
      // (A held or refused price ends in an error whose hints say what to do instead.)
      if (!partial) afterPricesUpdate(ctx, { dryRun: r.dryRun, changed: r.counts.changed + r.counts.new, channel: opts.channel, sku: opts.sku, maxChange: opts.maxChange });
      if (partial) {
        throw new PartialFailure(`${r.counts.held} price${r.counts.held === 1 ? '' : 's'} held and ${r.counts.refused} refused${r.dryRun ? ' (dry run)' : '; the rest were applied'}`, {
          hints: r.counts.held ? [`review the held moves and re-run with --yes to apply them (guard: --max-change ${r.maxChange})`] : [],
        });
      }
    });
}
