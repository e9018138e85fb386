// The seller's daily path, one hint per step, each a command to copy with its full flags:
//   listings import → prices rules set → prices update (--dry-run, then for real) → sync --dry-run →
//   sync --yes → ship book → ship track.
// Hints go to stderr through io.hint: only when stderr is a terminal, never with --quiet or --json (a
// cron log or a script gets none). Each looks at the database to name the real next step (a rule that
// is still missing, an order that is still unshipped) rather than reciting the whole chain.

import type { Ctx } from './context.js';
import { listRules } from '../services/prices/rules.js';
import { listOrders } from '../services/orders/list.js';

const shellWord = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
const command = (args: readonly string[]) => `merchant ${args.map(shellWord).join(' ')}`;

/** Repeat the filters the user gave, so the next step covers the same items. */
function filters(pairs: ReadonlyArray<[string, string | undefined]>): string[] {
  return pairs.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
}

/** Skip the database lookups when no hint would be shown anyway. */
function wanted(ctx: Ctx): boolean {
  return ctx.io.isStderrTTY && !ctx.globals.quiet && !ctx.globals.json;
}

export function afterImport(ctx: Ctx, r: { dryRun: boolean; files: ReadonlyArray<{ file: string; channel?: string | null }> }, files: readonly string[]): void {
  if (!wanted(ctx)) return;
  if (r.dryRun) {
    ctx.io.hint(command(['listings', 'import', ...files]), 'the same files, for real');
    return;
  }
  if (listRules(ctx.store()).length === 0) {
    const channel = r.files.find((f) => f.channel)?.channel ?? 'amazon-uk';
    ctx.io.hint(command(['prices', 'rules', 'set', 'default', '--channel', channel, '--margin', '25%', '--fee', '15%+0.30', '--fx-buffer', '2%', '--ending', '.99']), 'a pricing rule, then prices');
    return;
  }
  ctx.io.hint(command(['prices', 'update', '--dry-run']), 'the new prices, old → new');
}

export function afterRuleSet(ctx: Ctx, channel: string | undefined): void {
  if (!wanted(ctx)) return;
  ctx.io.hint(command(['prices', 'update', '--dry-run', ...filters([['--channel', channel]])]), 'what the rules change, before anything is written');
}

/** After a run that held nothing (a held or refused price ends in an error whose hints say what to do). */
export function afterPricesUpdate(ctx: Ctx, o: { dryRun: boolean; changed: number; channel?: string; sku?: string; maxChange?: string }): void {
  if (!wanted(ctx)) return;
  if (o.dryRun) {
    if (o.changed) ctx.io.hint(command(['prices', 'update', ...filters([['--channel', o.channel], ['--sku', o.sku], ['--max-change', o.maxChange]])]), 'apply them');
    return;
  }
  ctx.io.hint(command(['sync', '--dry-run']), 'what goes to each marketplace');
}

export function afterSync(ctx: Ctx, o: { dryRun: boolean; planned: number; marketplace?: string; only?: string }): void {
  if (!wanted(ctx)) return;
  if (o.dryRun) {
    if (o.planned > 0) ctx.io.hint(command(['sync', '--yes', ...filters([['--marketplace', o.marketplace], ['--only', o.only]])]), 'send it');
    return;
  }
  const [order] = listOrders(ctx.store(), { status: 'unshipped', limit: 1 });
  if (order) ctx.io.hint(command(['ship', 'book', order.externalId, '--cheapest']), `the newest unshipped order (${order.channel})`);
}

export function afterBooking(ctx: Ctx, reference: string): void {
  if (!wanted(ctx)) return;
  ctx.io.hint(command(['ship', 'track', reference]), 'where the parcel is');
}
