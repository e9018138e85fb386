// The entry point: builds the context, runs commander, and maps every outcome to an exit code.
// This is the only place that decides an exit code (PRODUCT.md §3).

import { CommanderError } from 'commander';
import { IO } from './io.js';
import { Ctx } from './context.js';
import { buildProgram, exitCodeHelp, firstCommand } from './program.js';
import { InvalidInputError, PartialFailure, isMerchantError, formatProblem, type MerchantError } from '../core/errors.js';
import { classifySystemError } from '../store/system-errors.js';
import { ExitCode, exitCodeOf } from './exit-codes.js';
import { redact } from '../core/redact.js';
import { toJson } from './render.js';
import { NOUNS } from './commands/registry.js';

export interface RunOptions {
  io?: IO;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

const MAX_PROBLEMS_SHOWN = 20;

export async function main(argv: string[], opts: RunOptions = {}): Promise<number> {
  const io = opts.io ?? IO.fromProcess();
  const ctx = new Ctx({ io, env: opts.env ?? io.env, cwd: opts.cwd, argv });
  // Early flags that matter before commander runs (errors in parsing still honour them).
  ctx.setGlobals({
    json: argv.includes('--json'),
    quiet: argv.includes('--quiet') || argv.includes('-q'),
    verbose: argv.includes('--verbose') || argv.includes('-v'),
    color: !argv.includes('--no-color'),
    input: !argv.includes('--no-input'),
    pager: !argv.includes('--no-pager'),
  });
  if (argv[0] === 'help' && argv[1] === 'exit-codes') {
    io.out(exitCodeHelp());
    return ExitCode.OK;
  }
  if (argv[0] === 'help' && argv.length > 1) argv = [...argv.slice(1), '--help'];
  try {
    const program = await buildProgram(ctx, argv);
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.OK;
    }
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.OK;
  } catch (e) {
    // The error follows the output it is about: after the person has quit the pager.
    await io.endPager();
    return reportError(ctx, e, firstCommand(argv));
  } finally {
    await ctx.close();
  }
}

function reportError(ctx: Ctx, e: unknown, command: string | undefined): number {
  const io = ctx.io;
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.OK;
    if (e.exitCode === 0) return ExitCode.OK;
    // commander already printed its message; add the way out.
    const known = command !== undefined && NOUNS.some((n) => n.name === command);
    io.stderr.write(`Run \`merchant ${known ? `${command} ` : ''}--help\` for usage.\n`);
    return ExitCode.USAGE;
  }
  const err0 = isMerchantError(e) ? e : classifySystemError(e, safeDbPath(ctx));
  if (err0) {
    printMerchantError(ctx, err0);
    return exitCodeOf(err0);
  }
  const err = e as Error;
  if (ctx.globals.json) {
    io.out(toJson({ error: { code: 'internal', message: redact(err?.message ?? String(e)), exitCode: ExitCode.INTERNAL } }));
  }
  io.error(redact(`unexpected internal error: ${err?.message ?? String(e)}`));
  if (ctx.globals.verbose && err?.stack) io.stderr.write(`${redact(err.stack)}\n`);
  else io.stderr.write('This is a bug in merchant. Run again with --verbose for the stack trace and report it.\n');
  return ExitCode.INTERNAL;
}

function printMerchantError(ctx: Ctx, e: MerchantError): void {
  const io = ctx.io;
  const problems = e instanceof InvalidInputError ? e.problems : [];
  // A partial failure has already printed its result document (with per-item outcomes): --json output
  // stays one document, and only the summary line goes to stderr.
  if (ctx.globals.json && !(e instanceof PartialFailure)) {
    io.out(
      toJson({
        error: {
          code: e.code,
          message: redact(e.message),
          exitCode: exitCodeOf(e),
          hints: e.hints.map(redact),
          ...(problems.length ? { problems } : {}),
          ...(e.details !== undefined ? { details: e.details } : {}),
        },
      }),
    );
  }
  io.error(redact(e.message));
  for (const p of problems.slice(0, MAX_PROBLEMS_SHOWN)) io.stderr.write(`  ${redact(formatProblem(p))}\n`);
  // (Only the first problems are kept in memory; details.problemCount has how many there were.)
  const total = Math.max(problems.length, Number((e.details as { problemCount?: unknown } | undefined)?.problemCount) || 0);
  if (total > MAX_PROBLEMS_SHOWN) io.stderr.write(`  … and ${total - MAX_PROBLEMS_SHOWN} more\n`);
  for (const h of e.hints) io.stderr.write(`${io.chalkErr.dim('hint:')} ${redact(h)}\n`);
  if (ctx.globals.verbose && e.stack) io.stderr.write(`${redact(e.stack)}\n`);
}

function safeDbPath(ctx: Ctx): string | undefined {
  try {
    return ctx.paths.db;
  } catch {
    return undefined;
  }
}
