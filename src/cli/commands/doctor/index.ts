// merchant doctor
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { runDoctor, type Check } from '../../../services/doctor/checks.js';
import { printJson, printRows } from '../../render.js';
import { PartialFailure } from '../../../core/errors.js';
import { examples } from '../help.js';
import { clearLock, inspectLock } from '../../../store/lock.js';
import { audit } from '../../../store/repos/audit.js';
import { sqliteDoctorStore } from '../../../store/repos/doctor.js';
import { httpProbe } from '../../wiring/http-probe.js';

export function register(program: Command, ctx: Ctx): void {
  program
    .command('doctor')
    .description('Check the install, database, lock, credentials and connectivity, and say what to fix')
    .option('--offline', 'skip the connectivity checks')
    .option('--fix', 'repair what can be repaired safely, after confirmation: a writer lock left by a process that is gone')
    .option('-y, --yes', 'with --fix: repair without asking (needed without a terminal)')
    .addHelpText(
      'after',
      `\nExit 0 when nothing failed (warnings allowed), 4 when a check failed.\n${examples(['merchant doctor', 'merchant doctor --offline --json', 'merchant doctor --fix --yes        # e.g. clear a lock left by a dead container'])}`,
    )
    .action(async (o: { offline?: boolean; fix?: boolean; yes?: boolean }) => {
      const p = ctx.paths;
      const checks = await runDoctor({ home: p.home, dbPath: p.db, credentialsPath: p.credentials, env: ctx.env, now: ctx.clock.now(), offline: Boolean(o.offline), store: sqliteDoctorStore, http: httpProbe() });
      if (o.fix) await fixLock(ctx, checks, Boolean(o.yes));
      const failed = checks.filter((c) => c.status === 'fail');
      if (ctx.globals.json) printJson(ctx.io, { ok: failed.length === 0, checks });
      else {
        await printRows(ctx.io, checks, [
          { header: 'CHECK', value: (c) => c.id, overflow: 'keep' },
          {
            header: 'STATUS',
            value: (c) => c.status,
            color: (t, c, io) => (c.status === 'ok' ? io.chalk.green(t) : c.status === 'fail' ? io.chalk.red(t) : c.status === 'warn' ? io.chalk.yellow(t) : io.chalk.dim(t)),
          },
          { header: 'DETAIL', value: (c) => c.detail, overflow: 'wrap' },
          { header: 'WHAT TO DO', value: (c) => c.fix ?? '', overflow: 'wrap' },
        ]);
      }
      if (failed.length) throw new PartialFailure(`${failed.length} check${failed.length > 1 ? 's' : ''} failed: ${failed.map((c) => c.id).join(', ')}`);
      ctx.io.success('no problems found');
    });
}

/** --fix: clear a lock whose holder is gone (dead, pid reused, lease run out), after confirmation. */
async function fixLock(ctx: Ctx, checks: Check[], yes: boolean): Promise<void> {
  const i = checks.findIndex((c) => c.id === 'lock');
  if (i < 0 || checks[i]!.status === 'ok' || !ctx.storeExists()) return;
  const store = ctx.store({ create: false });
  const s = inspectLock(store, () => ctx.clock.now().getTime());
  if (!s || s.state === 'held') return; // a holder that may be working: `merchant unlock` decides that one
  const who = `pid ${s.holder.pid} on ${s.holder.host} (\`${s.holder.command}\` since ${s.holder.acquiredAt})`;
  if (!(await ctx.prompt.confirm(`Clear the writer lock of ${who}? ${s.reason}`, { yes }))) return;
  const cleared = store.tx(() => {
    const done = clearLock(store, s.holder);
    if (done) audit(store, { at: ctx.clock.now().toISOString(), command: 'doctor --fix', entity: 'lock', entityId: 'writer', action: 'clear', detail: { ...s.holder, state: s.state } });
    return done;
  });
  checks[i] = cleared ? { id: 'lock', status: 'ok', detail: `free (cleared the lock of ${who})` } : { id: 'lock', status: 'ok', detail: 'free (released meanwhile)' };
}
