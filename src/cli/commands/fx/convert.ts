import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson } from '../../render.js';
import { isoDay } from '../../../core/fx.js';
import { checkDate, convertAmount, parseRounding } from '../../../services/fx/convert.js';
import { examples, FX_EXIT_CODES } from './help.js';

export function registerConvert(parent: Command, ctx: Ctx): void {
  parent
    .command('convert <amount> <from> <to>')
    .description('Convert an amount exactly at the reference rate of a date (one rounding, at the end)')
    .option('--date <YYYY-MM-DD>', 'rate date (default: today; a day without rates uses the latest earlier one)')
    .option('--rounding <mode>', 'halfUp | halfEven | halfDown | up | down | ceil | floor (default: config fx.rounding, else halfUp)')
    .addHelpText(
      'after',
      examples(
        [
          'merchant fx convert 100 USD JPY --date 2026-04-13',
          'merchant fx convert 19.99 GBP USD --date 2026-04-12 --json    # a Sunday: uses Friday 2026-04-10',
          'merchant fx convert 2980 JPY EUR --rounding halfEven',
        ],
        `\nThe cross rate is rate(TO)/rate(FROM) from the same publication day, exact; the amount is rounded\nonce to TO's ISO 4217 minor unit.\n${FX_EXIT_CODES}`,
      ),
    )
    .action((amount: string, from: string, to: string, opts: { date?: string; rounding?: string }) => {
      const date = opts.date ? checkDate(opts.date) : isoDay(ctx.clock.now());
      const rounding = parseRounding(opts.rounding ?? ctx.config().get('fx.rounding'), opts.rounding ? '--rounding' : 'config fx.rounding');
      const r = convertAmount(ctx.store(), { amount, from, to, date, rounding });
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.out(`${r.to.amount} ${r.to.currency}`);
      const legs = r.legs.map((l) => `${l.base}/${l.quote} ${l.rate}${l.fixed ? ' fixed' : ''}`).join(', ');
      ctx.io.info(`${r.from.amount} ${r.from.currency} × ${r.rate} = ${r.to.amount} ${r.to.currency} (${r.rounding}); ${r.source} ${r.rateDate}${legs ? ` (${legs})` : ''}`);
      for (const l of r.legs) {
        if (l.fixed) ctx.io.info(`${l.quote} was replaced by the euro: the irrevocable conversion rate 1 EUR = ${l.rate} ${l.quote} applies from ${l.fixed.from} (${l.fixed.source})`);
      }
      if (r.fallback) ctx.io.info(`no rates were published on ${r.requestedDate}; used ${r.rateDate}, the latest earlier publication`);
    });
}
