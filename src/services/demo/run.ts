// The demo story. Every step is a real `merchant …` command run in-process against a throw-away
// MERCHANT_HOME, its output shown indented under a heading. A failing step stops the demo with that
// step's exit code, so the demo can never claim success it did not have.

import { PassThrough } from 'node:stream';
import type { Ctx } from '../../cli/context.js';
import { IO } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { fixturesPath } from '../../config/paths.js';
import { MerchantError, ExitCode } from '../../cli/errors.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';

interface Step {
  title: string;
  what: string;
  args: (s: Sandbox) => string[];
  /** Exit codes that are part of the story (e.g. 4 for a held price change). */
  accept?: number[];
}

class DemoStepFailed extends MerchantError {
  readonly code = 'demo_failed';
  constructor(
    message: string,
    readonly exitCode: (typeof ExitCode)[keyof typeof ExitCode],
  ) {
    super(message, { hints: ['run the failing command yourself with --verbose (keep the home with `merchant demo --keep`)'] });
  }
}

export function demoSteps(): Step[] {
  const f = (...p: string[]) => fixturesPath(...p);
  return [
    {
      title: 'Onboard a demo business',
      what: 'A Swedish ceramics maker selling on Amazon, eBay and Shopify, set up non-interactively from a profile file.',
      args: () => ['onboard', '--no-input', '--from', f('demo', 'profile.json')],
    },
    {
      title: 'Load reference exchange rates',
      what: 'The ECB euro reference rates, full history from the bundled file (a cron job uses `fx update --source ecb`). Stored as the exact decimals published.',
      args: () => ['fx', 'update', '--file', f('ecb', 'eurofxref-hist.csv')],
    },
    {
      title: 'Convert exactly',
      what: 'A cross rate through EUR computed as an exact fraction and rounded once; a Sunday falls back to the Friday publication, and says so.',
      args: () => ['fx', 'convert', '19.99', 'GBP', 'USD', '--date', '2026-04-12'],
    },
    {
      title: 'Health check',
      what: 'Database, lock, credentials and connectivity, each with what to do if it fails.',
      args: () => ['doctor', '--offline'],
    },
  ];
}

export async function runDemo(ctx: Ctx, home: string): Promise<void> {
  const io = ctx.io;
  const h = (s: string) => io.chalk.bold.cyan(s);
  const sandbox = await startSandbox({ port: 0 });
  try {
    io.out(h('merchant demo'));
    io.out(`Sandbox (local emulator of Amazon, eBay, Shopify, EasyPost, Shippo) at ${sandbox.url}`);
    io.out(`Throw-away home: ${home}\n`);
    const steps = demoSteps();
    const started = Date.now();
    for (const [i, step] of steps.entries()) {
      const args = step.args(sandbox);
      io.out(h(`${i + 1}/${steps.length}  ${step.title}`));
      io.out(io.chalk.dim(step.what));
      io.out(io.chalk.dim(`$ merchant ${args.map(quote).join(' ')}`));
      const r = await runStep(ctx, home, args);
      const shown = (r.stdout + (r.stderr ? `${r.stdout && !r.stdout.endsWith('\n') ? '\n' : ''}${r.stderr}` : '')).trimEnd();
      if (shown) io.out(shown.split('\n').map((l) => `    ${l}`).join('\n'));
      io.out('');
      if (r.code !== 0 && !(step.accept ?? []).includes(r.code)) {
        throw new DemoStepFailed(`demo step ${i + 1} (${step.title}) failed with exit code ${r.code}`, (r.code as (typeof ExitCode)[keyof typeof ExitCode]) || ExitCode.INTERNAL);
      }
    }
    io.out(h(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Try next:`));
    for (const line of [
      'merchant onboard                       # set up your own business (guided)',
      'merchant sandbox start --port 4010     # keep the emulator running and connect to it',
      'merchant help exit-codes               # what cron jobs can rely on',
      'merchant doctor                        # check your install',
    ]) io.out(`  ${line}`);
  } finally {
    await sandbox.stop();
  }
}

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

async function runStep(ctx: Ctx, home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  const chunksOut: Buffer[] = [];
  const chunksErr: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunksOut.push(c));
  stderr.on('data', (c: Buffer) => chunksErr.push(c));
  const env: Record<string, string | undefined> = { ...ctx.env, MERCHANT_HOME: home, MERCHANT_DB: undefined };
  if (!ctx.io.colorFor(ctx.io.isStdoutTTY) || ctx.globals.json) env.NO_COLOR = '1';
  // The demo is read by a person even on a pipe: steps render tables (colour only when the demo's own
  // stdout may use it), never prompts or spinners.
  const child = new IO({ stdout, stderr, stdin, isStdoutTTY: true, isStderrTTY: false, isStdinTTY: false, env, columns: Math.max(ctx.io.columns, 100) });
  const code = await main(args, { io: child, env });
  return { code, stdout: Buffer.concat(chunksOut).toString('utf8'), stderr: Buffer.concat(chunksErr).toString('utf8') };
}
