// merchant doctor
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { runDoctor } from '../../../services/doctor/checks.js';
import { printJson, printRows } from '../../render.js';
import { PartialFailure } from '../../../core/errors.js';
import { examples } from '../help.js';

export function register(program: Command, ctx: Ctx): void {
  program
    .command('doctor')
    .description('Check the install, database, lock, credentials and connectivity, and say what to fix')
    .option('--offline', 'skip the connectivity checks')
    .addHelpText('after', `\nExit 0 when nothing failed (warnings allowed), 4 when a check failed.\n${examples(['merchant doctor', 'merchant doctor --offline --json'])}`)
    .action(async (o: { offline?: boolean }) => {
      const p = ctx.paths;
      const checks = await runDoctor({ home: p.home, dbPath: p.db, credentialsPath: p.credentials, env: ctx.env, now: ctx.clock.now(), offline: Boolean(o.offline) });
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
