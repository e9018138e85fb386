import type { Command } from 'commander';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Ctx } from '../../context.js';
import { CancelledError } from '../../../core/errors.js';
import { printFields, printJson, printRows } from '../../render.js';
import type { ShipmentState } from '../../../ports/shipments.js';
import { labelFor, mustFind, trackShipment, view, voidShipment } from '../../../services/ship/manage.js';
import { examples } from '../customs/shared.js';
import { shipDeps, SHIP_EXIT_CODES } from './deps.js';
import { oneOf } from '../../enums.js';

const SHIPMENT_STATES: readonly ShipmentState[] = ['planned', 'purchasing', 'purchased', 'voided', 'failed'];

export function registerManage(parent: Command, ctx: Ctx): void {
  parent
    .command('label <shipment>')
    .description('Save the label as PDF under $MERCHANT_HOME/labels (or --output) and print its path')
    .option('--output <file.pdf>', 'also copy it here')
    .addHelpText('after', examples(['merchant ship label O1042-113-4455', 'merchant ship label EZ1000000001 --output label.pdf'], SHIP_EXIT_CODES))
    .action(async (ref: string, opts: { output?: string }) => {
      await ctx.writeLock('ship label');
      const row = mustFind(ctx.store(), ref);
      const deps = shipDeps(ctx, row.carrierAccount);
      const saved = await labelFor(deps, row);
      let path = saved.labelPath!;
      if (opts.output) {
        const out = resolve(ctx.cwd, opts.output);
        copyFileSync(path, out);
        path = out;
      }
      if (ctx.globals.json) return printJson(ctx.io, { reference: saved.reference, labelPath: path });
      if (!ctx.globals.quiet) ctx.io.out(path);
    });

  parent
    .command('track <shipment>')
    .description('Tracking status and events from the carrier')
    .addHelpText('after', examples(['merchant ship track O1042-113-4455', 'merchant ship track EZ2000000002 --json'], SHIP_EXIT_CODES))
    .action(async (ref: string) => {
      await ctx.writeLock('ship track'); // it records the latest status
      const row = mustFind(ctx.store(), ref);
      const deps = shipDeps(ctx, row.carrierAccount);
      const t = await trackShipment(deps, row);
      if (ctx.globals.json) return printJson(ctx.io, t);
      await printFields(ctx.io, [
        ['shipment', t.reference],
        ['tracking', t.trackingCode],
        ['status', t.status],
        ['eta', t.estDeliveryDate],
        ['url', t.publicUrl],
      ]);
      ctx.io.out('');
      await printRows(ctx.io, t.events, [
        { header: 'WHEN', value: (e) => e.at, time: true },
        { header: 'STATUS', value: (e) => e.status },
        { header: 'WHERE', value: (e) => e.location ?? '' },
        { header: 'MESSAGE', value: (e) => e.message, overflow: 'wrap' },
      ]);
    });

  parent
    .command('list')
    .description('Shipments in the local ledger, newest first')
    .option('--state <state>', 'planned | purchasing | purchased | voided | failed')
    .option('--limit <n>', 'at most this many, newest first (default: all)', (v) => Number(v))
    .addHelpText('after', examples(['merchant ship list', 'merchant ship list --state purchasing --json'], SHIP_EXIT_CODES))
    .action(async (opts: { state?: string; limit?: number }) => {
      const state = oneOf('--state', opts.state, SHIPMENT_STATES, 'state');
      const rows = ctx.store().shipments.list({ ...(state ? { state } : {}), limit: opts.limit || Number.MAX_SAFE_INTEGER }).map(view);
      if (ctx.globals.json) return printJson(ctx.io, { items: rows });
      // Every shipment unless --limit: a terminal pages through them, a pipe gets them all.
      await printRows(ctx.io, rows, [
        { header: 'REFERENCE', value: (r) => r.reference, overflow: 'keep' },
        { header: 'STATE', value: (r) => r.state },
        { header: 'CARRIER', value: (r) => `${r.carrier ?? ''} ${r.service ?? ''}`.trim() },
        { header: 'TRACKING', value: (r) => r.trackingCode ?? '', overflow: 'keep' },
        { header: 'COST', value: (r) => (r.cost ? `${r.cost.amount} ${r.cost.currency}` : ''), align: 'right' },
        { header: 'TO', value: (r) => r.to ?? '' },
        { header: 'CREATED', value: (r) => r.createdAt, time: true },
      ]);
    });

  parent
    .command('void <shipment>')
    .description('Void an unused label (asks the carrier for a refund) and close the ledger entry')
    .option('-y, --yes', 'do not ask for confirmation (required without a TTY)')
    .option('--dry-run', 'say what would be voided and change nothing')
    .addHelpText('after', examples(['merchant ship void O1042-113-4455 --yes', 'merchant ship void O1042-113-4455 --dry-run'], SHIP_EXIT_CODES))
    .action(async (ref: string, opts: { yes?: boolean; dryRun?: boolean }) => {
      const row = mustFind(ctx.store(), ref);
      if (opts.dryRun) {
        const doc = { dryRun: true, reference: row.reference, state: row.state, action: row.state === 'purchased' ? `refund the ${row.carrier ?? ''} label ${row.trackingCode ?? ''}` : 'close the ledger entry (nothing was bought)' };
        if (ctx.globals.json) return printJson(ctx.io, doc);
        ctx.io.out(`would ${doc.action} (${row.reference}); nothing changed`);
        return;
      }
      if (!(await ctx.prompt.confirm(`Void ${row.reference} (${row.carrier ?? row.carrierAccount} ${row.trackingCode ?? ''})?`, { yes: opts.yes }))) {
        throw new CancelledError('nothing voided');
      }
      await ctx.writeLock('ship void');
      const deps = shipDeps(ctx, row.carrierAccount);
      const v = await voidShipment(deps, row);
      if (ctx.globals.json) return printJson(ctx.io, v);
      ctx.io.success(`${v.reference} voided (${v.voidStatus ?? ''})`);
    });
}
