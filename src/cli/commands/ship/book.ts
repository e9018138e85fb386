import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { rateFiles } from '../../wiring/fx.js';
import { oneOf } from '../../enums.js';
import { CARRIERS } from '../../../core/profile.js';
import type { Ctx } from '../../context.js';
import { CancelledError, PartialFailure, UsageError } from '../../../core/errors.js';
import { sendConfirmations } from '../../../services/orders/confirm.js';
import { confirmDeps, notifyBuyer, reportConfirmations } from '../orders/confirm-deps.js';
import { printFields, printJson } from '../../render.js';
import { customsJson } from '../../json-shapes.js';
import { shipBook, type RateView, type Selection } from '../../../services/ship/book.js';
import { examples } from '../customs/shared.js';
import { buildPlan, serviceOpt, shipDeps, SHIP_EXIT_CODES, type PlanOpts } from './deps.js';
import { customsFx } from '../../../services/customs/context.js';
import { checkCustoms } from '../../../core/customs/engine.js';
import { afterBooking } from '../../next-steps.js';
import { parseLinesOption, planParcel } from '../../../services/orders/parcel.js';
import { customsForParcel } from '../../../core/customs/parcel-share.js';
import type { LineRequest } from '../../../services/orders/parcel.js';
import type { ShipmentPlan } from '../../../services/ship/plan.js';

interface BookOpts extends PlanOpts {
  rate?: string;
  cheapest?: boolean;
  fastest?: boolean;
  carrier?: string;
  dryRun?: boolean;
  yes?: boolean;
  notifyBuyer?: boolean;
  lines?: string;
}

export function registerBook(parent: Command, ctx: Ctx): void {
  parent
    .command('book [order]')
    .description('Buy a label: customs checked first, ledger entry before the purchase, safe to re-run after any failure')
    .option('--rate <id>', 'the rate to buy (from `merchant ship rates`)')
    .option('--cheapest', 'buy the cheapest rate')
    .option('--fastest', 'buy the fastest rate (cheapest among the fastest)')
    .option('--file <shipment.json>', 'a shipment without a marketplace order (parcel.json plus full addresses)')
    .option('--parcel <size,weight>', 'parcel instead of the catalogue\'s weights, e.g. 300x200x100mm,1.2kg')
    .option('--carrier <easypost|shippo>', 'which connected carrier (default: the only one)')
    .option('--service <postal|courier>', 'customs check before rates are known (the chosen rate decides; default: postal)')
    .option('--date <YYYY-MM-DD>', 'shipment date for the customs rules (default: today)')
    .option('--incoterm <DAP|DDP>', 'for an order: who pays duty and import VAT (default: DAP)')
    .option('--dry-run', 'print the plan (addresses, parcel, customs) and change nothing')
    .option('-y, --yes', 'buy without asking (required without a terminal: a label costs money)')
    .option('--lines <SKU:QTY,…>', 'an order shipped in several parcels: what is in this one (default: everything not yet in a parcel)')
    .option('--notify-buyer', 'Shopify: e-mail the buyer the tracking (default: config shopify.notifyCustomer, else no)')
    .option('--no-notify-buyer', 'Shopify: do not e-mail the buyer')
    .addHelpText(
      'after',
      examples(
        [
          'merchant ship book 1042 --cheapest                    # asks before buying on a terminal',
          'merchant ship book 1042 --rate rate_3f9c…            # a rate id from `merchant ship rates 1042`',
          'merchant ship book --file shipment.json --fastest --yes --json   # scripts: --yes',
          'merchant ship book 1042 --cheapest --yes              # again after a timeout: reconciles, never buys twice',
        ],
        `
shipment.json = parcel.json (see \`merchant customs check --help\`) with full "from"/"to" addresses
(name, street1, city, postalCode, country, phone, email), "parcel": {"weightGrams", "lengthMm",
"widthMm", "heightMm"} and an optional "reference" (default: a hash of the file).
The label PDF is saved under $MERCHANT_HOME/labels and its path printed; the CN 22 / CN 23 /
commercial invoice under $MERCHANT_HOME/documents.
${SHIP_EXIT_CODES}`,
      ),
    )
    .action(async (order: string | undefined, opts: BookOpts) => {
      oneOf('--carrier', opts.carrier, CARRIERS, 'carrier');
      serviceOpt(opts.service);
      const picks = [opts.rate !== undefined, Boolean(opts.cheapest), Boolean(opts.fastest)].filter(Boolean).length;
      if (picks > 1) throw new UsageError('choose one of --rate, --cheapest, --fastest');
      const sel: Selection | undefined = opts.rate ? { rateId: opts.rate } : opts.cheapest ? { cheapest: true } : opts.fastest ? { fastest: true } : undefined;
      if (opts.dryRun) {
        const plan = await buildPlan(ctx, order, opts);
        cutToParcel(ctx, plan, opts.lines === undefined ? undefined : parseLinesOption(opts.lines));
        const customs = plan.customs ? checkCustoms({ ...plan.customs, service: serviceOpt(opts.service) }, customsFx(ctx.store(), plan.customs.date, rateFiles()).fx) : undefined;
        const doc = { dryRun: true, reference: plan.referenceBase, order: plan.orderLabel, from: plan.from, to: plan.to, parcel: plan.parcel, selection: sel ?? null, customs: customs ? customsJson(customs) : null };
        if (ctx.globals.json) return printJson(ctx.io, doc);
        await printFields(ctx.io, [
          ['plan', `book ${plan.orderLabel} (reference ${plan.referenceBase}), nothing sent`],
          ['from', `${plan.from.city ?? ''} ${plan.from.country}`.trim()],
          ['to', `${plan.to.name ?? ''}, ${plan.to.city ?? ''} ${plan.to.country}`.trim()],
          ['parcel', `${plan.parcel.weightGrams} g${plan.parcel.lengthMm ? `, ${plan.parcel.lengthMm}x${plan.parcel.widthMm}x${plan.parcel.heightMm} mm` : ''}`],
          ['rate', sel ? ('rateId' in sel ? sel.rateId : 'cheapest' in sel ? 'cheapest' : 'fastest') : 'not chosen'],
          ['customs', customs ? `${customs.form}; ${customs.errors.length} error(s), ${customs.warnings.length} warning(s)` : 'none (no border)'],
        ]);
        return;
      }
      // Buying a label spends money: without a terminal --yes is required before any work; on a
      // terminal the question names the carrier, service and price once the rate is known.
      if (!opts.yes && !ctx.io.canPrompt()) {
        throw new UsageError('buying a label needs --yes without a terminal (no prompt is shown without one)', { hints: ['`merchant ship book … --dry-run` shows the plan; `merchant ship rates …` the prices'] });
      }
      await ctx.writeLock('ship book');
      const plan = await buildPlan(ctx, order, opts);
      // --lines is checked against what the order has left to ship before anything is bought.
      const parcelLines = opts.lines === undefined ? undefined : parseLinesOption(opts.lines);
      cutToParcel(ctx, plan, parcelLines);
      if (parcelLines && plan.orderId !== undefined) {
        // Each parcel of an order is its own label: its reference names its contents, so a re-run of the
        // same parcel still finds its label (never bought twice) and another parcel gets its own.
        const tag = createHash('sha256').update(parcelLines.map((l) => `${l.sku}:${l.quantity}`).sort().join(',')).digest('hex').slice(0, 8);
        plan.referenceBase = `${plan.referenceBase.slice(0, 50)}-P${tag}`;
      }
      let declined = false;
      const deps = {
        ...shipDeps(ctx, opts.carrier),
        notifyCustomer: notifyBuyer(ctx, opts.notifyBuyer),
        ...(parcelLines ? { parcelLines } : {}),
        ...(opts.yes
          ? {}
          : {
              confirmPurchase: async (rate: RateView, reference: string) => {
                const ok = await ctx.prompt.confirm(`Buy ${rate.carrier} ${rate.service} ${rate.amount} ${rate.currency} for ${plan.orderId !== undefined ? 'order ' : ''}${plan.orderLabel} (${reference})?`, { default: false });
                declined = !ok;
                return ok;
              },
            }),
      };
      let booked;
      try {
        booked = await shipBook(deps, plan, sel, serviceOpt(opts.service));
      } catch (e) {
        // "No" is an answer: exit 0, nothing bought (Ctrl-C still ends with 130).
        if (declined && e instanceof CancelledError) {
          if (ctx.globals.json) return printJson(ctx.io, { declined: true, reference: plan.referenceBase, bought: false });
          ctx.io.info('nothing bought');
          return;
        }
        throw e;
      }
      // Tell the marketplace right away; the label is kept whatever happens here (sync sends what is left).
      const confirmations = plan.orderId !== undefined && booked.state === 'purchased' ? await sendConfirmations(confirmDeps(ctx), { orderId: plan.orderId }) : [];
      const r = { ...booked, confirmations };
      const partial = confirmations.some((c) => c.state !== 'acked' && !c.notConnected);
      if (ctx.globals.json) {
        printJson(ctx.io, { ...r, ...(r.customs ? { customs: customsJson(r.customs) } : {}) });
        if (partial) throw new PartialFailure('label bought; the marketplace confirmation is pending', { details: { confirmations } });
        return;
      }
      if (r.customs) for (const w of r.customs.warnings) ctx.io.warn(`customs ${w.code}: ${w.message}`);
      if (r.labelPath && !ctx.globals.quiet) ctx.io.out(r.labelPath);
      reportBooking(ctx, r);
      reportConfirmations(ctx, confirmations);
      if (partial) throw new PartialFailure(`${r.reference}: label bought; the marketplace confirmation is not done yet`, { hints: ['`merchant sync` sends it (it reads the marketplace back first, so nothing is confirmed twice)'] });
      afterBooking(ctx, r.reference);
    });
}

/**
 * One parcel of an order: `--lines` is checked against what the order has left to ship, and the customs
 * declaration lists what is in this parcel only (also for the last parcel of an order shipped in several,
 * which takes what is left). An order with nothing left keeps its plan, so a re-run finds its label.
 */
function cutToParcel(ctx: Ctx, plan: ShipmentPlan, parcelLines: readonly LineRequest[] | undefined): void {
  if (plan.orderId === undefined) {
    if (parcelLines) throw new UsageError('--lines is for an order (ship book ORDER --lines …), not a --file shipment');
    return;
  }
  const lines = ctx.store().parcelConfirmations.linesForShipping(plan.orderId);
  const partlyShipped = lines.some((l) => l.inParcels > 0) && lines.some((l) => l.quantity > l.inParcels);
  if (!parcelLines && !partlyShipped) return;
  const parcel = planParcel(plan.orderLabel, lines, parcelLines);
  if (plan.customs) plan.customs = customsForParcel(plan.customs, parcel);
}

function reportBooking(ctx: Ctx, r: Awaited<ReturnType<typeof shipBook>>): void {
  const what = `${r.carrier ?? ''} ${r.service ?? ''}`.trim();
  if (r.alreadyBooked) ctx.io.info(`${r.reference} was already booked (${what}, tracking ${r.trackingCode ?? '-'}); nothing bought`);
  else ctx.io.success(`${r.reference} booked: ${what}, ${r.cost ? `${r.cost.amount} ${r.cost.currency}` : ''}, tracking ${r.trackingCode ?? '-'}${r.reconciled ? ' (reconciled with the carrier)' : ''}`);
  if (r.declarationPath) ctx.io.info(`customs ${r.customs?.form ?? ''}: ${r.declarationPath}`);
}
