// merchant unlock: clear the writer lock of a merchant process that is gone, after confirmation.
// Normally never needed: a lock whose holder died on this machine is taken over at once, and one from
// another host or container once its lease runs out (store/lock.ts). This is for not waiting that long.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { LockedError } from '../../../core/errors.js';
import { clearLock, inspectLock } from '../../../store/lock.js';
import { audit } from '../../../store/repos/audit.js';
import { printJson } from '../../render.js';
import { examples } from '../help.js';

export function register(program: Command, ctx: Ctx): void {
  program
    .command('unlock')
    .description('Clear the writer lock left by a merchant process that is gone (asks first)')
    .option('-y, --yes', 'clear it without asking (needed without a terminal)')
    .option('--force', 'clear it even though its holder is running on this machine')
    .addHelpText(
      'after',
      `\nA lock whose holder died on this machine is taken over automatically; one from another host or
container once its lease (lock.leaseSeconds, 300) runs out. \`merchant unlock\` clears it now.
Exit 0: cleared or already free · 2: no --yes without a terminal · 5: the holder is running here (--force).
${examples(['merchant unlock', 'merchant unlock --yes --json'])}`,
    )
    .action(async (o: { yes?: boolean; force?: boolean }) => {
      const store = ctx.store({ create: false });
      const now = () => ctx.clock.now().getTime();
      const status = inspectLock(store, now);
      if (!status) {
        if (ctx.globals.json) return printJson(ctx.io, { cleared: false, holder: null, state: 'free' });
        ctx.io.info('the writer lock is free; nothing to clear');
        return;
      }
      const h = status.holder;
      const who = `pid ${h.pid} on ${h.host} (\`${h.command}\` since ${h.acquiredAt})`;
      if (status.verifiedAlive && !o.force) {
        throw new LockedError(`the writer lock is held by ${who}, which is running on this machine`, {
          hints: [`let it finish, or stop it (kill ${h.pid}); --force clears the lock anyway (two writers at once can send a change twice)`],
          details: { ...h, state: status.state },
        });
      }
      const what = status.state === 'held' ? `it looks alive: ${status.reason}` : `${status.reason}`;
      const ok = await ctx.prompt.confirm(`Clear the writer lock of ${who}? ${what}`, { yes: o.yes });
      if (!ok) {
        ctx.io.info('nothing changed');
        return;
      }
      const cleared = store.tx(() => {
        const done = clearLock(store, h);
        if (done) audit(store, { at: ctx.clock.now().toISOString(), command: 'unlock', entity: 'lock', entityId: 'writer', action: 'clear', detail: { ...h, state: status.state } });
        return done;
      });
      if (ctx.globals.json) return printJson(ctx.io, { cleared, holder: h, state: status.state });
      if (cleared) ctx.io.success(`cleared the writer lock of ${who}`);
      else ctx.io.info('the lock changed hands meanwhile (released or taken by another run); nothing was cleared');
    });
}
