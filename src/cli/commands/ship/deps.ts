import type { Ctx } from '../../context.js';
import { carrierConnector } from '../../wiring/carriers.js';
import { rateFiles } from '../../wiring/fx.js';
import { UsageError } from '../../../core/errors.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { resolveCarrier } from '../../../services/carrier/accounts.js';
import { customsFx } from '../../../services/customs/context.js';
import type { ShipDeps } from '../../../services/ship/book.js';
import { parseParcelFlag, planFromFile, planFromOrder, type ShipmentPlan } from '../../../services/ship/plan.js';
import { readInputFile } from '../customs/shared.js';

export const SHIP_EXIT_CODES = `
Exit codes: 0 done (also when the shipment was already booked) · 2 bad flag · 3 the customs
declaration or the order has errors (each names its item; nothing was booked) · 5 locked ·
6 the carrier failed or the outcome is unknown (run the same command again: it asks the carrier
first and never buys a second label) · 7 no carrier connected / no ship-from address.`;

export function shipDeps(ctx: Ctx, carrierName?: string): ShipDeps {
  const store = ctx.store();
  const paths = ctx.ensureHome();
  return {
    store,
    carrier: resolveCarrier(store, ctx.credentials(), carrierConnector(httpFactoryFromCtx(ctx)), carrierName),
    now: () => ctx.clock.now().toISOString(),
    labelsDir: paths.labels,
    documentsDir: paths.documents,
    fxAt: (date) => customsFx(store, date, rateFiles()).fx,
    warn: (t) => ctx.io.warn(t),
  };
}

export interface PlanOpts {
  file?: string;
  parcel?: string;
  date?: string;
  service?: string;
  incoterm?: string;
}

export function serviceOpt(v: string | undefined): 'postal' | 'courier' {
  if (v === undefined || v === 'postal') return 'postal';
  if (v === 'courier') return 'courier';
  throw new UsageError(`--service must be postal or courier, got ${JSON.stringify(v)}`);
}

export function incotermOpt(v: string | undefined): 'DAP' | 'DDP' | undefined {
  if (v === undefined) return undefined;
  const u = v.toUpperCase();
  if (u === 'DAP' || u === 'DDP') return u;
  throw new UsageError(`--incoterm must be DAP or DDP, got ${JSON.stringify(v)}`);
}

export async function buildPlan(ctx: Ctx, order: string | undefined, opts: PlanOpts): Promise<ShipmentPlan> {
  if (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new UsageError(`--date must be YYYY-MM-DD, got ${JSON.stringify(opts.date)}`);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  if (opts.file && order) throw new UsageError('give either an order or --file, not both');
  if (opts.file) {
    const { text, name } = await readInputFile(ctx, opts.file);
    const plan = planFromFile(ctx.store(), text, name, today);
    if (opts.date && plan.customs) plan.customs.date = opts.date;
    return plan;
  }
  if (!order) throw new UsageError('say which order to ship (its id or marketplace order id), or --file shipment.json');
  return planFromOrder(ctx.store(), order, {
    date: opts.date ?? today,
    service: serviceOpt(opts.service),
    ...(incotermOpt(opts.incoterm) ? { incoterm: incotermOpt(opts.incoterm)! } : {}),
    ...(opts.parcel ? { parcel: parseParcelFlag(opts.parcel) } : {}),
  });
}
