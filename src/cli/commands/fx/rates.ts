import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson, printRows } from '../../render.js';
import { isoDay } from '../../../core/fx.js';
import { checkDate, ratesOn } from '../../../services/fx/convert.js';
import { examples, FX_EXIT_CODES } from './help.js';

export function registerRates(parent: Command, ctx: Ctx): void {
  parent
    .command('rates')
    .description('Show the reference rates of a date, per 1 unit of a base currency')
    .option('--date <YYYY-MM-DD>', 'rate date (default: today; a day without rates uses the latest earlier one)')
    .option('--base <CCY>', 'quote rates per 1 unit of this currency (default EUR, as published)', 'EUR')
    .addHelpText(
      'after',
      examples(['merchant fx rates', 'merchant fx rates --date 2026-04-13 --base USD', 'merchant fx rates --json'], FX_EXIT_CODES),
    )
    .action(async (opts: { date?: string; base: string }) => {
      const date = opts.date ? checkDate(opts.date) : isoDay(ctx.clock.now());
      const r = ratesOn(ctx.store(), { date, base: opts.base });
      if (ctx.globals.json) return printJson(ctx.io, r);
      ctx.io.info(`${r.source} rates of ${r.rateDate} per 1 ${r.base}${r.fallback ? ` (no publication on ${r.requestedDate}; latest earlier)` : ''}`);
      await printRows(ctx.io, r.rates, [
        { header: 'CURRENCY', value: (x) => x.currency },
        { header: `PER 1 ${r.base}`, value: (x) => x.rate, align: 'right' },
      ]);
      for (const o of r.overrides) ctx.io.info(`manual override ${o.base}/${o.quote} = ${o.rate} on ${o.date}`);
    });
}
