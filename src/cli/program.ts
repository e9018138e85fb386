// Builds the commander program: global options, the noun list for help, and only the noun that was
// asked for (loaded lazily).

import { Command, InvalidArgumentError, Option } from 'commander';
import type { Ctx } from './context.js';
import { NOUNS } from './commands/registry.js';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { VERSION } from './version.js';
import { commandPath, isReadCommand, WORKS_WITHOUT_DATABASE } from './read-commands.js';
import { JSON_COMMANDS, JSON_REFUSED } from './json-commands.js';
import { UsageError } from '../core/errors.js';

export function exitCodeHelp(): string {
  const lines = ['Exit codes:', ''];
  for (const [code, name, text] of EXIT_CODE_HELP) lines.push(`  ${String(code).padEnd(3)} ${name.padEnd(20)} ${text}`);
  return lines.join('\n');
}

const ROOT_HELP_AFTER = `
Global options work with every command. Data goes to stdout, everything else to stderr.

Examples:
  $ merchant demo                                   # see everything work on bundled data
  $ merchant onboard                                # guided set-up on a terminal
  $ merchant listings import shop.csv --dry-run     # preview a catalogue import
  $ merchant fx update && merchant prices update && merchant sync --yes   # a nightly cron line

Run \`merchant help exit-codes\` for the exit codes scripts can rely on.
Environment: MERCHANT_HOME (data folder), MERCHANT_DB, NO_COLOR, FORCE_COLOR, MERCHANT_<SERVICE>_<SECRET>.`;

export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout')
    .option('-q, --quiet', 'print only errors')
    .option('-v, --verbose', 'add HTTP-level logs (secrets redacted) and stack traces')
    .option('--no-color', 'never use colour (also NO_COLOR=1)')
    .option('--no-input', 'never prompt; a missing answer is a usage error naming its flag')
    .option('--no-pager', 'never send long output on a terminal through the pager (also MERCHANT_PAGER=cat)')
    .option('--db <path>', 'use this database file instead of $MERCHANT_HOME/merchant.db')
    .option('--home <dir>', 'use this data folder instead of $MERCHANT_HOME')
    .addOption(new Option('--wait <seconds>', 'wait up to this long for another merchant to release the lock').argParser(parseSeconds));
}

function parseSeconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === '') throw new InvalidArgumentError(`takes a number of seconds, got ${JSON.stringify(v)}`);
  return n;
}

export async function buildProgram(ctx: Ctx, argv: readonly string[]): Promise<Command> {
  const program = new Command('merchant');
  program
    .description('Local-first operations for small cross-border sellers: catalogue, FX and pricing, marketplace sync, shipping and customs, sales reports.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .addHelpText('after', ROOT_HELP_AFTER)
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: (s, write) => write(ctx.io.chalkErr.red(s)),
    })
    .exitOverride();
  addGlobalOptions(program);
  program.hook('preAction', (_this, action) => {
    const o = action.optsWithGlobals() as Record<string, unknown>;
    const path = commandPath(action);
    if (o.json && !JSON_COMMANDS.has(path)) {
      const why = JSON_REFUSED[path] ?? 'it has no JSON output';
      throw new UsageError(`\`merchant ${path}\` does not take --json: ${why}`, { hints: ['run it without --json'] });
    }
    ctx.readOnly = isReadCommand(path, action.opts() as { dryRun?: unknown });
    ctx.worksWithoutDatabase = WORKS_WITHOUT_DATABASE.has(path);
    ctx.setGlobals({
      json: Boolean(o.json),
      quiet: Boolean(o.quiet),
      verbose: Boolean(o.verbose),
      color: o.color !== false,
      input: o.input !== false,
      pager: o.pager !== false,
      db: o.db as string | undefined,
      home: o.home as string | undefined,
      wait: o.wait as number | undefined,
    });
  });

  program
    .command('help-exit-codes', { hidden: true })
    .action(() => ctx.io.out(exitCodeHelp()));

  const wanted = firstCommand(argv);
  for (const noun of NOUNS) {
    if (noun.name === wanted) {
      const mod = await noun.load();
      mod.register(program, ctx);
    } else {
      // A placeholder so the root help lists it without loading its code.
      program.command(noun.name).description(noun.summary).allowUnknownOption().helpOption(false);
    }
  }
  return program;
}

const VALUE_OPTIONS = new Set(['--db', '--home', '--wait']);

/** The first non-option word of argv (skipping the values of global options that take one). */
export function firstCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

/** The whole command tree, every noun loaded (shell completion is generated from it). */
export async function buildFullProgram(ctx: Ctx): Promise<Command> {
  const program = new Command('merchant');
  program.description('Local-first operations for small cross-border sellers');
  program.version(VERSION, '-V, --version', 'print the version');
  addGlobalOptions(program);
  for (const noun of NOUNS) {
    const mod = await noun.load();
    mod.register(program, ctx);
  }
  return program;
}
