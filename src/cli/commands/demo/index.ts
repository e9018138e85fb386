// merchant demo: the whole product on bundled data, against the sandbox started in-process, in a
// throw-away home. Each step runs a real merchant command (the same code a user runs) and shows it.

import { Option, type Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../../context.js';
import { examples } from '../help.js';
import { runDemo } from '../../../services/demo/run.js';
import { inProcessRunner } from '../../runner.js';

export function register(program: Command, ctx: Ctx): void {
  program
    .command('demo')
    .description('Show the whole product on bundled data against a local sandbox (no accounts, no network)')
    .option('--keep', 'keep the demo home afterwards (its path is printed)')
    .option('--home <dir>', 'use this folder as the demo home instead of a temporary one (kept afterwards; $MERCHANT_HOME is never used)')
    .addOption(new Option('--home-dir <dir>', 'deprecated: use --home').hideHelp())
    .addHelpText(
      'after',
      `
The demo starts the sandbox on a free local port, creates a temporary MERCHANT_HOME, and runs real
merchant commands against it: onboarding, connecting the sandbox marketplaces and carrier, importing
the bundled catalogue, FX and prices, sync, orders, a shipment with customs, and a sales report.
Your own MERCHANT_HOME is never touched.
${examples(['merchant demo', 'merchant demo --keep        # then explore: MERCHANT_HOME=<printed path> merchant listings list'])}`,
    )
    .action(async (o: { keep?: boolean; homeDir?: string; home?: string }) => {
      if (o.homeDir !== undefined) ctx.io.warn('--home-dir is deprecated: use --home (the name every command uses)');
      // --home is the global flag's name: the demo's own home. MERCHANT_HOME (your data) is never used.
      const given = o.home ?? ctx.globals.home ?? o.homeDir;
      const home = given ?? mkdtempSync(join(tmpdir(), 'merchant-demo-'));
      const keep = Boolean(o.keep || given);
      try {
        const io = ctx.io;
        await runDemo(
          { out: (t) => io.out(t), heading: (t) => io.chalk.bold.cyan(t), dim: (t) => io.chalk.dim(t), env: ctx.env, run: inProcessRunner(ctx) },
          home,
        );
      } finally {
        if (!keep) rmSync(home, { recursive: true, force: true });
      }
      if (keep) ctx.io.out(`\nThe demo home is kept at ${home}\n  export MERCHANT_HOME=${home}`);
    });
}
