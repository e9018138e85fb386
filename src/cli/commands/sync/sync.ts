import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson, printRows } from '../../render.js';
import { PartialFailure, RemoteError, UsageError, CancelledError } from '../../../core/errors.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { isMarketplace, type MarketplaceName } from '../../../core/channels.js';
import { runSync, type SyncReport } from '../../../services/sync/run.js';
import { SYNC_AREAS, type SyncArea, type ValueSet } from '../../../services/sync/plan.js';
import { notify } from '../../../services/sync/notify.js';
import type { ItemResult } from '../../../services/sync/apply.js';
import { registerRules } from './rules.js';

const HELP = `
Pushes what changed locally (prices, stock, listing status) to each connected marketplace and pulls
new orders. Only deltas are sent, in batches at each API's maximum; every item's state is committed
before and after each call, so a killed or failed run resumes without re-sending what landed.

Examples:
  $ merchant sync --dry-run                         # the plan: calls, batches, every old → new
  $ merchant sync --yes                             # cron: no prompt, exit code tells the outcome
  $ merchant sync --marketplace amazon,ebay --only prices,inventory --yes --json
  $ merchant sync --yes --notify 'curl -fsS -X POST --data-binary @- https://hc-ping.com/UUID/$MERCHANT_SYNC_EXIT'

Exit codes: 0 everything landed · 4 some items failed, or the mass-change guard refused the run
(nothing sent) · 5 another merchant holds the lock · 6 a marketplace was unreachable or rejected the
credentials after retries · 7 no marketplace connected.

Configuration: sync.maxZeroShare (0.2) and sync.maxRemoveShare (0.2): the share of a marketplace's
listings a run may zero / take off sale before it is refused; sync.massChangeMinItems (5);
sync.ordersSinceDays (60): how far back the first order pull goes; amazon.feedThreshold (50).`;

interface Opts {
  marketplace?: string;
  only?: string;
  dryRun?: boolean;
  yes?: boolean;
  allowMassChange?: boolean;
  notify?: string;
}

function parseList<T extends string>(v: string | undefined, allowed: readonly T[], flag: string): T[] | undefined {
  if (!v) return undefined;
  const items = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const i of items) if (!(allowed as readonly string[]).includes(i)) throw new UsageError(`${flag}: unknown value "${i}"; use ${allowed.join(', ')}`);
  return items as T[];
}

export function describeChange(o: ValueSet, n: ValueSet): string {
  const parts: string[] = [];
  if (n.status !== undefined) parts.push(`status ${o.status ?? '(none)'} → ${n.status}`);
  if (n.price !== undefined) parts.push(`price ${o.price ?? '(none)'} → ${n.price} ${n.currency ?? ''}`.trimEnd());
  if (n.quantity !== undefined) parts.push(`qty ${o.quantity ?? '(none)'} → ${n.quantity}`);
  return parts.join('; ');
}

export function registerSync(program: Command, ctx: Ctx): void {
  const cmd = program.command('sync');
  registerRules(cmd, ctx);
  cmd
    .description('Push local changes (listings, prices, inventory) to marketplaces and pull orders')
    .option('--marketplace <list>', 'only these marketplaces (amazon,ebay,shopify)')
    .option('--only <list>', 'only these areas (listings,prices,inventory,orders)')
    .option('--dry-run', 'print the plan (calls, batches, every change) and change nothing')
    .option('-y, --yes', 'apply without asking (required without a terminal)')
    .option('--allow-mass-change', 'apply even when the run would zero or remove a large share of listings')
    .option('--notify <command|url>', 'send the summary JSON to this URL (POST) or command (stdin)')
    .addHelpText('after', HELP)
    .action(async (opts: Opts) => {
      const marketplaces = parseList<MarketplaceName>(opts.marketplace, ['amazon', 'ebay', 'shopify'], '--marketplace');
      if (marketplaces?.some((m) => !isMarketplace(m))) throw new UsageError('--marketplace takes amazon, ebay, shopify');
      const only = new Set<SyncArea>(parseList<SyncArea>(opts.only, SYNC_AREAS, '--only') ?? SYNC_AREAS);
      if (!opts.dryRun) await ctx.writeLock('sync');
      const cfg = ctx.config();
      const now = () => ctx.clock.now().toISOString();
      const sinceDays = cfg.getNumber('sync.ordersSinceDays', 60);
      const io = ctx.io;
      const spinner = io.spinner(opts.dryRun ? 'planning…' : 'syncing…');
      let report: SyncReport;
      try {
        report = await runSync(
          {
            store: ctx.store(),
            credentials: ctx.credentials(),
            http: httpFactoryFromCtx(ctx),
            now,
            limits: {
              maxZeroShare: cfg.getNumber('sync.maxZeroShare', 0.2),
              maxRemoveShare: cfg.getNumber('sync.maxRemoveShare', 0.2),
              minItems: cfg.getNumber('sync.massChangeMinItems', 5),
            },
            ordersSince: new Date(ctx.clock.now().getTime() - sinceDays * 86_400_000).toISOString(),
            adapterOptions: {
              amazonFeedThreshold: cfg.getNumber('amazon.feedThreshold', 50),
              amazonPollInitialMs: cfg.getNumber('amazon.pollInitialMs', 2000),
              amazonPollMaxMs: cfg.getNumber('amazon.pollMaxMs', 60_000),
            },
            confirm: async (r) => {
              spinner.stop();
              if (!opts.yes) renderPlan(ctx, r, { stream: 'stderr' });
              return ctx.prompt.confirm(`Send ${r.planned.length} change${r.planned.length === 1 ? '' : 's'} to ${[...new Set(r.planned.map((p) => p.marketplace))].join(', ')}?`, { yes: opts.yes });
            },
          },
          { marketplaces, only, dryRun: Boolean(opts.dryRun), allowMassChange: Boolean(opts.allowMassChange) },
        );
      } finally {
        spinner.stop();
      }

      if (report.status === 'cancelled') throw new CancelledError('nothing was sent');
      // --json: one document. Success and partial failure (exit 4, main prints no error document for
      // those) print the report; a remote failure (exit 6) carries it inside main's error document.
      if (ctx.globals.json) {
        if (report.exitCode !== 6) printJson(io, report);
      } else if (opts.dryRun) renderPlan(ctx, report, { stream: 'stdout' });
      else if (report.status === 'refused') for (const g of report.guard) io.warn(`mass-change guard: ${g.message}`);
      else renderOutcome(ctx, report);
      if (!ctx.globals.json) {
        for (const c of report.confirmations ?? []) {
          const what = `${c.marketplace} order ${c.externalOrderId}: tracking ${c.tracking}`;
          if (c.state === 'acked') io.success(`${what} confirmed${c.readBack ? ' (found already on the marketplace)' : ''}`);
          else io.warn(`${what} ${c.state === 'failed' ? 'refused' : 'not confirmed yet'}${c.message ? `: ${c.message}` : ''}`);
        }
      }

      if (opts.notify && !opts.dryRun) {
        const warn = await notify(opts.notify, report, ctx.env, { status: report.status, exitCode: report.exitCode });
        if (warn) io.warn(warn);
      }
      if (report.status === 'refused') {
        throw new PartialFailure(`sync refused: ${report.guard.map((g) => g.message).join('; ')}; nothing was sent`, {
          hints: ['check the last import and prices; if the change is intended, run again with --allow-mass-change'],
          details: report,
        });
      }
      if (report.exitCode === 6) {
        const down = report.marketplaces.filter((m) => m.summary?.unreachable);
        throw new RemoteError(down.map((m) => m.summary!.unreachable!.message).join('; '), {
          apiCode: down[0]?.summary?.unreachable?.code,
          service: down[0]?.marketplace,
          hints: ['nothing acknowledged is sent again: run `merchant sync --yes` later to resume', 'if credentials were rejected, reconnect with `merchant marketplace connect <marketplace>`'],
          details: report,
        });
      }
      if (report.exitCode === 4) {
        const failed = report.items.filter((i) => i.state === 'failed' || i.state === 'unconfirmed');
        const first = failed.slice(0, 3).map((f) => `${f.channel} ${f.sku} ${f.code ?? ''}${f.message ? ` (${f.message})` : ''}`).join('; ');
        throw new PartialFailure(`${failed.length} item${failed.length === 1 ? '' : 's'} failed, the rest landed: ${first}${failed.length > 3 ? '; …' : ''}`, {
          hints: ['fix the items above and run `merchant sync --yes` again: only what is missing is sent'],
          details: report,
        });
      }
    });
}

function renderPlan(ctx: Ctx, r: SyncReport, o: { stream: 'stdout' | 'stderr' }): void {
  const io = ctx.io;
  const write = o.stream === 'stdout' ? (s: string) => io.out(s) : (s: string) => io.stderr.write(`${s}\n`);
  if (o.stream === 'stdout') {
    const calls = r.marketplaces.flatMap((m) => m.plan.calls.map((c) => ({ marketplace: m.marketplace, ...c })));
    printRows(io, calls, [
      { header: 'MARKETPLACE', value: (c) => c.marketplace },
      { header: 'CALL', value: (c) => c.operation },
      { header: 'CALLS', value: (c) => String(c.calls), align: 'right' },
      { header: 'ITEMS', value: (c) => String(c.items), align: 'right' },
      { header: 'BATCH', value: (c) => String(c.batchSize), align: 'right' },
    ], { header: true });
    if (r.planned.length) io.out('');
    printRows(io, r.planned, [
      { header: 'MARKETPLACE', value: (p) => p.marketplace },
      { header: 'CHANNEL', value: (p) => p.channel },
      { header: 'SKU', value: (p) => p.sku },
      { header: 'CHANGE', value: (p) => describeChange(p.old, p.new) + (p.reconcile ? ' (check first: an earlier run got no answer)' : '') },
    ], { header: true });
  } else {
    for (const p of r.planned.slice(0, 50)) write(`  ${p.channel.padEnd(10)} ${p.sku.padEnd(16)} ${describeChange(p.old, p.new)}`);
    if (r.planned.length > 50) write(`  … and ${r.planned.length - 50} more`);
  }
  for (const g of r.guard) io.warn(`mass-change guard: ${g.message}`);
  const skipped = r.marketplaces.reduce((s, m) => s + m.plan.skipped, 0);
  io.info(`${r.planned.length} change${r.planned.length === 1 ? '' : 's'} planned, ${skipped} skipped${r.dryRun ? ' (dry run: nothing was sent or written)' : ''}`);
}

function renderOutcome(ctx: Ctx, r: SyncReport): void {
  const io = ctx.io;
  printRows(io, r.marketplaces, [
    { header: 'MARKETPLACE', value: (m) => m.marketplace },
    { header: 'ORDERS', value: (m) => (m.orders ? (m.orders.error ? 'error' : `${m.orders.created} new, ${m.orders.updated} updated`) : '-') },
    { header: 'SENT', value: (m) => String(m.summary?.sent ?? 0), align: 'right' },
    { header: 'ACKED', value: (m) => String(m.summary?.acked ?? 0), align: 'right' },
    { header: 'FAILED', value: (m) => String(m.summary?.failed ?? 0), align: 'right', color: (t, m, i) => ((m.summary?.failed ?? 0) > 0 ? i.chalk.red(t) : t) },
    { header: 'SKIPPED', value: (m) => String(m.summary?.skipped ?? 0), align: 'right' },
    { header: 'REQUESTS', value: (m) => String(m.summary?.requests ?? 0), align: 'right' },
  ], { header: true });
  const failed = r.items.filter((i: ItemResult) => i.state === 'failed' || i.state === 'unconfirmed');
  for (const f of failed.slice(0, 50)) io.error(`${f.channel} ${f.sku}: ${f.code ?? 'failed'}${f.message ? ` ${f.message}` : ''}${f.state === 'unconfirmed' ? ' (no answer; checked again on the next run)' : ''}`);
  if (failed.length > 50) io.stderr.write(`  … and ${failed.length - 50} more (see --json)\n`);
  for (const m of r.marketplaces) if (m.summary?.unreachable) io.error(`${m.marketplace}: ${m.summary.unreachable.message}`);
  const acked = r.items.filter((i) => i.state === 'acked').length;
  if (r.status === 'ok') io.success(`sync done: ${acked} acknowledged${acked ? '' : ' (nothing to send: the marketplaces are up to date)'}`);
}
