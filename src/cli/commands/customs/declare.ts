import type { Command } from 'commander';
import { rateFiles } from '../../wiring/fx.js';
import { resolve } from 'node:path';
import type { Ctx } from '../../context.js';
import { UsageError } from '../../../core/errors.js';
import { printJson } from '../../render.js';
import { customsJson } from '../../json-shapes.js';
import { checkParcelText } from '../../../services/customs/check.js';
import { checkTarget } from '../../../services/customs/target.js';
import { writeDeclaration } from '../../../services/customs/declare.js';
import { oneOrder } from '../../../services/orders/ref.js';
import { eoriOpt } from './check.js';
import { CUSTOMS_EXIT_CODES, examples, failOnErrors, readInputFile, renderCustoms } from './shared.js';

interface DeclareOpts {
  file?: string;
  date?: string;
  service?: string;
  output?: string;
  eori?: string;
}

export function registerDeclare(parent: Command, ctx: Ctx): void {
  parent
    .command('declare [orderOrShipment]')
    .description('Build the customs declaration and write its form (CN 22, CN 23 or commercial invoice) as a PDF')
    .option('--file <parcel.json>', 'a parcel without a marketplace order (`-` reads stdin)')
    .option('--date <YYYY-MM-DD>', 'shipment date (default: the file\'s date, else today)')
    .option('--service <postal|courier>', 'for an order: how it travels (default: postal)')
    .option('--eori <numbers>', 'your EORI numbers (comma list): the one valid where the goods are imported goes on the declaration')
    .option('--output <file.pdf>', 'where to write the PDF (default: $MERCHANT_HOME/documents/<reference>-<form>.pdf)')
    .addHelpText(
      'after',
      examples(
        [
          'merchant customs declare --file parcel.json                 # prints the PDF\'s path',
          'merchant customs declare 1042 --service courier --output invoice.pdf',
        ],
        `\nThe same checks as \`merchant customs check\` run first; with errors no PDF is written (exit 3).\n${CUSTOMS_EXIT_CODES}`,
      ),
    )
    .action(async (target: string | undefined, opts: DeclareOpts) => {
      if (opts.file && target) throw new UsageError('give either an order/shipment or --file, not both');
      if (!opts.file && !target) throw new UsageError('say what to declare: an order id, a shipment reference, or --file parcel.json');
      if (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new UsageError(`--date must be YYYY-MM-DD, got ${JSON.stringify(opts.date)}`);
      const service = opts.service === undefined ? 'postal' : opts.service;
      if (service !== 'postal' && service !== 'courier') throw new UsageError(`--service must be postal or courier, got ${JSON.stringify(opts.service)}`);
      await ctx.writeLock('customs declare');
      const now = ctx.clock.now();
      const today = now.toISOString().slice(0, 10);
      const store = ctx.store();
      let outcome;
      let fileName: string | undefined;
      let orderId: number | undefined;
      if (opts.file) {
        const { text, name } = await readInputFile(ctx, opts.file);
        fileName = name;
        outcome = checkParcelText(store, rateFiles(), { text, file: name, today, ...(opts.date ? { date: opts.date } : {}), ...eoriOpt(opts.eori) });
      } else {
        outcome = checkTarget(store, rateFiles(), target!, { today, service, ...(opts.date ? { date: opts.date } : {}), ...eoriOpt(opts.eori) });
        const o = oneOrder(target!, store.shippingOrders.byRef(target!));
        if (o) orderId = o.id;
      }
      const { result, input, notes, sender } = outcome;
      for (const n of notes) ctx.io.warn(n);
      for (const w of result.warnings) ctx.io.warn(`${w.code}: ${w.message}`);
      if (result.errors.length) {
        await renderCustoms(ctx, result);
        failOnErrors(ctx, result, fileName);
      }
      const reference = target ?? `DECL-${input.date.replace(/-/g, '')}-${now.getTime().toString(36).toUpperCase()}`;
      const doc = await writeDeclaration(store, {
        result,
        input,
        reference,
        documentsDir: ctx.ensureHome().documents,
        ...(opts.output ? { output: resolve(ctx.cwd, opts.output) } : {}),
        ...(orderId !== undefined ? { orderId } : {}),
        ...(sender ? { sender } : {}),
        now: now.toISOString(),
      });
      if (ctx.globals.json) return printJson(ctx.io, { ...doc, customs: customsJson(result) });
      if (!doc.path) {
        ctx.io.info(`no customs declaration is needed (${result.from} -> ${result.to}: ${result.rules.map((r) => r.id).join(', ')})`);
        return;
      }
      if (!ctx.globals.quiet) ctx.io.out(doc.path);
      ctx.io.success(`${doc.form} written for ${result.from} → ${result.to} (${result.items.length} item${result.items.length === 1 ? '' : 's'}, ${result.value} ${result.currency})`);
    });
}
