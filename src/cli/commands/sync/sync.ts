import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson, printRows } from '../../render.js';
import { syncJson } from '../../json-shapes.js';
import { PartialFailure, RemoteError, UsageError } from '../../../core/errors.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';

import { runSync, type SyncReport, type SyncStage } from '../../../services/sync/run.js';
import { IO } from '../../io.js';
import { SYNC_AREAS, type SyncArea, type ValueSet } from '../../../services/sync/plan.js';
import { notify } from '../../../services/sync/notify.js';
import { httpProbe } from '../../wiring/http-probe.js';
import type { ItemResult } from '../../../services/sync/apply.js';
import { registerRules } from './rules.js';
import { syncConnections } from '../../wiring/marketplaces.js';
import { rateLimitWaits } from '../../rate-wait.js';
import { afterSync } from '../../next-steps.js';
import { listOf, marketplacesOpt } from '../../enums.js';

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
sync.ordersSinceDays (60): how far back the first order pull goes; amazon.feedThreshold (50); amazon.confirmFeedThreshold (10);
shopify.location: the Shopify location stock goes to (a name or an id; default the one chosen at
connect, else the shop's primary location).`;

interface Opts {
  marketplace?: string;
  only?: string;
  dryRun?: boolean;
  yes?: boolean;
  allowMassChange?: boolean;
  notify?: string;
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
      const marketplaces = marketplacesOpt('--marketplace', opts.marketplace);
      const only = new Set<SyncArea>(listOf('--only', opts.only, SYNC_AREAS, 'area') ?? SYNC_AREAS);
      if (!opts.dryRun) await ctx.writeLock('sync');
      const cfg = ctx.config();
      const now = () => ctx.clock.now().toISOString();
      const sinceDays = cfg.getNumber('sync.ordersSinceDays', 60);
      const io = ctx.io;
      // The spinner says what is happening: the stage, the marketplace, and retries as they happen.
      let stage = opts.dryRun ? 'planning' : 'starting';
      let spinner = io.spinner(`sync: ${stage}…`);
      const sending = new Set<string>(); // marketplaces are sent to in parallel
      const onStage = (st: SyncStage) => {
        if (st.stage === 'sending' || st.stage === 'sent') {
          if (st.stage === 'sending') sending.add(st.marketplace!);
          else sending.delete(st.marketplace!);
          if (!sending.size) return;
          stage = `sending · ${[...sending].join(', ')}`;
        } else stage = `${st.stage}${st.marketplace ? ` · ${st.marketplace}` : ''}`;
        spinner.update(`sync: ${stage}…`);
      };
      const onWait = rateLimitWaits(io, () => spinner, 'syncing…');
      const http = httpFactoryFromCtx(ctx, {
        onWait,
        log: (line) => {
          io.debug(line);
          // "[shopify] → POST https://… (attempt 2)": a retry, shown with its marketplace as it happens.
          const m = /^\[([a-z]+)[^\]]*\] → \S+ \S+ \(attempt (\d+)\)/.exec(line);
          if (m) spinner.update(`sync: ${stage} · ${m[1]} retry ${Number(m[2]) - 1}…`);
        },
      });
      let report: SyncReport;
      const store = ctx.store();
      try {
        report = await runSync(
          {
            store,
            connections: syncConnections({
              store,
              credentials: ctx.credentials(),
              http,
              now,
              adapterOptions: {
                shopifyLocation: cfg.get('shopify.location'),
                now: () => ctx.clock.now().getTime(),
                amazonFeedThreshold: cfg.getNumber('amazon.feedThreshold', 50),
                amazonConfirmFeedThreshold: cfg.getNumber('amazon.confirmFeedThreshold', 10),
                amazonPollInitialMs: cfg.getNumber('amazon.pollInitialMs', 2000),
                amazonPollMaxMs: cfg.getNumber('amazon.pollMaxMs', 60_000),
                amazonFeedWaitMs: cfg.getNumber('amazon.feedWaitMs', 15 * 60_000),
              },
            }),
            now,
            limits: {
              maxZeroShare: cfg.getNumber('sync.maxZeroShare', 0.2),
              maxRemoveShare: cfg.getNumber('sync.maxRemoveShare', 0.2),
              minItems: cfg.getNumber('sync.massChangeMinItems', 5),
            },
            ordersSince: new Date(ctx.clock.now().getTime() - sinceDays * 86_400_000).toISOString(),
            onStage,
            // --yes answers it; on a terminal the seller sees the plan (the dry run's) and says yes
            // before anything remote happens; without a terminal, --yes is required.
            ...(opts.yes || opts.dryRun
              ? {}
              : {
                  confirm: async (preview: SyncReport) => {
                    spinner.stop();
                    if (!io.canPrompt()) {
                      throw new UsageError('sync pulls orders and sends changes: pass --yes to go ahead without a terminal (no prompt is shown without one)', {
                        hints: ['`merchant sync --dry-run` shows the plan first'],
                      });
                    }
                    await renderPlan(ctx, preview, { stream: 'stderr' });
                    const ok = await ctx.prompt.confirm(confirmQuestion(preview, only), { yes: opts.yes });
                    if (ok) spinner = io.spinner(`sync: ${stage}…`);
                    return ok;
                  },
                }),
          },
          { marketplaces, only, dryRun: Boolean(opts.dryRun), allowMassChange: Boolean(opts.allowMassChange) },
        );
      } finally {
        spinner.stop();
      }

      // Declining is an answer, not a failure: exit 0 and say so.
      if (report.status === 'cancelled') {
        if (ctx.globals.json) printJson(io, syncJson(report));
        io.info('nothing sent: no order was pulled and no change was sent');
        return;
      }
      // --json: one document. Success and partial failure (exit 4, main prints no error document for
      // those) print the report; a remote failure (exit 6) carries it inside main's error document.
      if (ctx.globals.json) {
        if (report.exitCode !== 6) printJson(io, syncJson(report));
      } else if (opts.dryRun) await renderPlan(ctx, report, { stream: 'stdout' });
      else if (report.status === 'refused') for (const g of report.guard) io.warn(`mass-change guard: ${g.message}`);
      else await renderOutcome(ctx, report);
      if (!ctx.globals.json) {
        for (const c of report.confirmations ?? []) {
          const what = `${c.marketplace} order ${c.externalOrderId}: tracking ${c.tracking}`;
          if (c.state === 'acked') io.success(`${what} confirmed${c.readBack ? ' (found already on the marketplace)' : ''}`);
          else io.warn(`${what} ${c.state === 'failed' ? 'refused' : 'not confirmed yet'}${c.message ? `: ${c.message}` : ''}`);
        }
      }

      if (opts.notify && !opts.dryRun) {
        const warn = await notify(opts.notify, syncJson(report), ctx.env, { status: report.status, exitCode: report.exitCode }, httpProbe());
        if (warn) io.warn(warn);
      }
      if (report.status === 'refused') {
        throw new PartialFailure(`sync refused: ${report.guard.map((g) => g.message).join('; ')}; nothing was sent`, {
          hints: ['check the last import and prices; if the change is intended, run again with --allow-mass-change'],
          details: syncJson(report),
        });
      }
      if (report.exitCode === 6) {
        const down = report.marketplaces.filter((m) => m.summary?.unreachable);
        // Each marketplace named once: the adapter's message may already start with it.
        const lines = down.map((m) => {
          const msg = m.summary!.unreachable!.message;
          return msg.startsWith(`${m.marketplace}:`) ? msg : `${m.marketplace}: ${msg}`;
        });
        const auth = down.filter((m) => /^(HTTP_401|HTTP_403|invalid_grant|invalid_client|AUTH)$/i.test(m.summary!.unreachable!.code));
        throw new RemoteError(lines.join('; '), {
          apiCode: down[0]?.summary?.unreachable?.code,
          service: down[0]?.marketplace,
          hints: [
            ...new Set([
              ...down.flatMap((m) => m.summary!.unreachable!.hints ?? []),
              'nothing acknowledged is sent again: run `merchant sync --yes` later to resume',
              ...auth.map((m) => `${m.marketplace} rejected the credentials: reconnect with \`merchant marketplace connect ${m.marketplace}\``),
            ]),
          ],
          details: syncJson(report),
        });
      }
      if (report.exitCode === 0) afterSync(ctx, { dryRun: Boolean(opts.dryRun), planned: report.planned.length, marketplace: opts.marketplace, only: opts.only });
      if (report.exitCode === 4) {
        const failed = report.items.filter((i) => i.state === 'failed' || i.state === 'unconfirmed');
        // Shipment confirmations that did not land count too (a run whose listings all landed is not "0 failed").
        const unshipped = (report.confirmations ?? []).filter((c) => c.state !== 'acked');
        const what = [
          ...failed.map((f) => `${f.channel} ${f.sku} ${f.code ?? ''}${f.message ? ` (${f.message})` : ''}`),
          ...unshipped.map((c) => `${c.marketplace} order ${c.externalOrderId} confirmation ${c.state}${c.message ? ` (${c.message})` : ''}`),
        ];
        const counts = [
          ...(failed.length ? [`${failed.length} item${failed.length === 1 ? '' : 's'} failed`] : []),
          ...(unshipped.length ? [`${unshipped.length} shipment confirmation${unshipped.length === 1 ? '' : 's'} not done`] : []),
        ];
        throw new PartialFailure(`${counts.join(' and ') || 'the run did not complete'}, the rest landed: ${what.slice(0, 3).join('; ')}${what.length > 3 ? '; …' : ''}`, {
          hints: ['fix the items above and run `merchant sync --yes` again: only what is missing is sent'],
          details: syncJson(report),
        });
      }
    });
}

/**
 * The plan: the calls per marketplace, then every change old → new. The dry run prints it on stdout;
 * the confirmation shows the very same tables on stderr (stdout stays for the run's result).
 */
async function renderPlan(ctx: Ctx, r: SyncReport, o: { stream: 'stdout' | 'stderr' }): Promise<void> {
  const io = o.stream === 'stdout' ? ctx.io : onStderr(ctx.io);
  const calls = r.marketplaces.flatMap((m) => m.plan.calls.map((c) => ({ marketplace: m.marketplace, ...c })));
  await printRows(io, calls, [
    { header: 'MARKETPLACE', value: (c) => c.marketplace },
    { header: 'CALL', value: (c) => c.operation },
    { header: 'CALLS', value: (c) => String(c.calls), align: 'right' },
    { header: 'ITEMS', value: (c) => String(c.items), align: 'right' },
    { header: 'BATCH', value: (c) => String(c.batchSize), align: 'right' },
  ], { header: true });
  if (r.planned.length) io.out('');
  await printRows(io, r.planned, [
    { header: 'MARKETPLACE', value: (p) => p.marketplace },
    { header: 'CHANNEL', value: (p) => p.channel },
    { header: 'SKU', value: (p) => p.sku, overflow: 'keep' },
    { header: 'CHANGE', value: (p) => describeChange(p.old, p.new) + (p.reconcile ? ' (check first: an earlier run got no answer)' : ''), overflow: 'wrap' },
  ], { header: true });
  for (const g of r.guard) ctx.io.warn(`mass-change guard: ${g.message}`);
  const skipped = r.marketplaces.reduce((s, m) => s + m.plan.skipped, 0);
  const pulls = r.marketplaces.some((m) => m.plan.calls.some((c) => c.operation.startsWith('pull orders')));
  ctx.io.info(`${r.planned.length} change${r.planned.length === 1 ? '' : 's'} planned, ${skipped} skipped${r.dryRun ? ' (dry run: nothing was sent or written)' : ''}`);
  if (pulls) ctx.io.info('orders are pulled first when the run goes ahead (a dry run does not pull them): their reservations may add stock changes to this plan');
}

/** An IO that writes its "stdout" to stderr, as a terminal shows it (for a plan shown before a prompt). */
function onStderr(io: IO): IO {
  const e = new IO({ stdout: io.stderr, stderr: io.stderr, stdin: io.stdin, isStdoutTTY: io.isStderrTTY, isStderrTTY: io.isStderrTTY, isStdinTTY: io.isStdinTTY, env: io.env, columns: io.columns });
  e.setFlags({ ...io.flags });
  return e;
}

function confirmQuestion(r: SyncReport, only: ReadonlySet<SyncArea>): string {
  const names = r.marketplaces.map((m) => m.marketplace).join(', ');
  const n = r.planned.length;
  const send = `send ${n} change${n === 1 ? '' : 's'}`;
  if (!only.has('orders')) return `Send ${n} change${n === 1 ? '' : 's'} to ${[...new Set(r.planned.map((p) => p.marketplace))].join(', ')}?`;
  return n ? `Pull new orders from ${names}, then ${send} (and the stock changes new orders cause)?` : `Pull new orders from ${names} (and send the stock changes they cause)?`;
}

async function renderOutcome(ctx: Ctx, r: SyncReport): Promise<void> {
  const io = ctx.io;
  await printRows(io, r.marketplaces, [
    { header: 'MARKETPLACE', value: (m) => m.marketplace },
    { header: 'ORDERS', value: (m) => (m.orders ? (m.orders.error ? 'error' : `${m.orders.created} new, ${m.orders.updated} updated`) : '-') },
    { header: 'SENT', value: (m) => String(m.summary?.sent ?? 0), align: 'right' },
    { header: 'ACKED', value: (m) => String(m.summary?.acked ?? 0), align: 'right' },
    { header: 'FAILED', value: (m) => String(m.summary?.failed ?? 0), align: 'right', color: (t, m, i) => ((m.summary?.failed ?? 0) > 0 ? i.chalk.red(t) : t) },
    { header: 'SKIPPED', value: (m) => String(m.summary?.skipped ?? 0), align: 'right' },
    { header: 'REQUESTS', value: (m) => String(m.summary?.requests ?? 0), align: 'right' },
  ], { report: true });
  const failed = r.items.filter((i: ItemResult) => i.state === 'failed' || i.state === 'unconfirmed');
  for (const f of failed.slice(0, 50)) io.error(`${f.channel} ${f.sku}: ${f.code ?? 'failed'}${f.message ? ` ${f.message}` : ''}${f.state === 'unconfirmed' ? ' (no answer; checked again on the next run)' : ''}`);
  if (failed.length > 50) io.stderr.write(`  … and ${failed.length - 50} more (see --json)\n`);
  for (const m of r.marketplaces) {
    const more = (skus: string[]) => (skus.length ? `; not in the catalogue: ${skus.slice(0, 5).join(', ')}${skus.length > 5 ? ` and ${skus.length - 5} more` : ''}` : '');
    for (const l of m.stockRead?.fba ?? []) {
      if (l.location) io.info(`${l.channel}: FBA stock read into ${l.location} (${l.skus} SKU${l.skus === 1 ? '' : 's'}, ${l.changed} changed)${more(l.unknownSkus)}`);
    }
    for (const l of m.stockRead?.shopify ?? []) {
      if (!l.active) io.info(`Shopify location ${l.name} (${l.location}) is inactive: nothing is pushed there`);
      else if (l.linked) io.info(`Shopify location ${l.name} (${l.location}) sells ${l.linked}'s stock`);
      else io.info(`Shopify location ${l.name}: levels read into ${l.location} (${l.skus} SKU${l.skus === 1 ? '' : 's'}, ${l.changed} changed; not linked, so merchant pushes nothing there)${more(l.unknownSkus)}`);
    }
    if (m.stockRead?.error) io.warn(`${m.marketplace}: marketplace stock not read (${m.stockRead.error}); \`merchant stock list\` shows it as last read`);
    const q = m.queuedBatches;
    if (q && q.finished) io.info(`${m.marketplace}: ${q.finished} feed${q.finished === 1 ? '' : 's'} queued by an earlier run processed${q.resent ? `; ${q.resent} older value${q.resent === 1 ? '' : 's'} had overwritten a newer one and ${q.resent === 1 ? 'was' : 'were'} sent again` : ''}`);
  }
  const queued = r.items.filter((i) => i.state === 'queued');
  if (queued.length) io.info(`${queued.length} change${queued.length === 1 ? '' : 's'} accepted in ${[...new Set(queued.map((i) => i.note))].join(', ')}, still being processed by the marketplace: the next run confirms ${queued.length === 1 ? 'it' : 'them'} (never sent twice)`);
  const acked = r.items.filter((i) => i.state === 'acked').length;
  if (r.status === 'ok') io.success(`sync done: ${acked} acknowledged${acked ? '' : ' (nothing to send: the marketplaces are up to date)'}`);
}
