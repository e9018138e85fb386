import type { Command } from 'commander';
import { rateFiles } from '../../wiring/fx.js';
import type { Ctx } from '../../context.js';
import { UsageError } from '../../../core/errors.js';
import { checkParcelText } from '../../../services/customs/check.js';
import { checkTarget } from '../../../services/customs/target.js';
import { incotermOpt } from '../ship/deps.js';
import { CUSTOMS_EXIT_CODES, examples, failOnErrors, readInputFile, renderCustoms } from './shared.js';

export interface CheckOpts {
  file?: string;
  date?: string;
  service?: string;
  incoterm?: string;
  eori?: string;
}

export function registerCheck(parent: Command, ctx: Ctx): void {
  parent
    .command('check [orderOrShipment]')
    .description('Check a customs declaration against the destination\'s rules and explain every rule applied')
    .option('--file <parcel.json>', 'a parcel without a marketplace order (`-` reads stdin)')
    .option('--date <YYYY-MM-DD>', 'shipment date: rules and exchange rates as of this day (default: the file\'s date, else today)')
    .option('--service <postal|courier>', 'for an order: how it travels (default: postal)')
    .option('--incoterm <DAP|DDP>', 'for an order: who pays duty and import VAT (default: DAP)')
    .option('--eori <numbers>', 'your EORI numbers (comma list, e.g. SE556677889900,GB123456789000): the one valid where the goods are imported is used')
    .addHelpText(
      'after',
      examples(
        [
          'merchant customs check --file parcel.json --json',
          'merchant customs check 1042                       # an order (id or marketplace order id)',
          'merchant customs check SHP-20260702-0001          # a booked shipment (its reference)',
          'cat parcel.json | merchant customs check --file - --date 2026-06-30',
        ],
        `
parcel.json (values per unit, in "currency"; "from" defaults to the profile's ship-from country):
  { "date": "2026-07-02", "from": {"country": "CN"}, "to": {"country": "DE"}, "service": "postal",
    "currency": "EUR", "shipping": "4.90", "incoterm": "DAP",
    "items": [ { "description": "Stoneware mug", "hsCode": "691200", "originCountry": "SE",
                 "quantity": 2, "unitValue": "24.90", "unitWeightGrams": 420 } ] }
Optional: "contentsType", "parcel": {"weightGrams"}, "seller": {"iossNumber","eori","ukVatNumber",
"voecNumber","abnArn","chVatNumber"}, per item "sku", "battery" (none|installed|packed|loose),
"batteryChemistry" (lithium-ion|lithium-metal).

--json prints {form, vatCollectedAtSale, requiredIds, dutyApplies, errors, warnings,
rules:[{id, effectiveFrom, source, outcome}], thresholds, charges, items, …}. Thresholds are compared
in the threshold's currency at the shipment date's reference rate (\`merchant fx update\` first).
${CUSTOMS_EXIT_CODES}`,
      ),
    )
    .action(async (target: string | undefined, opts: CheckOpts) => {
      await runCheck(ctx, target, opts);
    });
}

export async function runCheck(ctx: Ctx, target: string | undefined, opts: CheckOpts): Promise<void> {
  if (opts.date && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) throw new UsageError(`--date must be YYYY-MM-DD, got ${JSON.stringify(opts.date)}`);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  if (opts.file && target) throw new UsageError('give either an order/shipment or --file, not both');
  if (opts.file) {
    const { text, name } = await readInputFile(ctx, opts.file);
    const out = checkParcelText(ctx.store(), rateFiles(), { text, file: name, today, ...(opts.date ? { date: opts.date } : {}), ...eoriOpt(opts.eori) });
    await renderCustoms(ctx, out.result, out.notes);
    failOnErrors(ctx, out.result, name);
    return;
  }
  if (!target) throw new UsageError('say what to check: an order id, a shipment reference, or --file parcel.json');
  const service = opts.service === 'courier' ? 'courier' : opts.service === undefined || opts.service === 'postal' ? 'postal' : undefined;
  if (!service) throw new UsageError(`--service must be postal or courier, got ${JSON.stringify(opts.service)}`);
  const incoterm = incotermOpt(opts.incoterm);
  const out = checkTarget(ctx.store(), rateFiles(), target, { today, service, ...(opts.date ? { date: opts.date } : {}), ...(incoterm ? { incoterm } : {}), ...eoriOpt(opts.eori) });
  await renderCustoms(ctx, out.result, out.notes);
  failOnErrors(ctx, out.result);
}

/** --eori a,b → { eoris: [a, b] } (upper case, spaces removed). */
export function eoriOpt(text: string | undefined): { eoris?: string[] } {
  if (!text) return {};
  const eoris = text.split(',').map((e) => e.replace(/\s+/g, '').toUpperCase()).filter(Boolean);
  for (const e of eoris) if (!/^[A-Z]{2}[A-Z0-9]{1,15}$/.test(e)) throw new UsageError(`--eori: ${JSON.stringify(e)} is not an EORI number (2-letter country code + up to 15 letters or digits, e.g. GB123456789000)`);
  return eoris.length ? { eoris } : {};
}
