// Runs one `merchant …` command in-process with its own captured streams: what the demo uses to show
// real commands (services receive this as a function and never import the CLI).

import { PassThrough } from 'node:stream';
import type { Ctx } from './context.js';
import { IO } from './io.js';
import { main } from './main.js';

export type CommandRunner = (args: string[], env: Record<string, string | undefined>) => Promise<{ code: number; output: string }>;

/**
 * A runner whose commands render for a person reading `ctx`'s stdout: tables (even on a pipe), colour
 * only when ctx's stdout may use it, never prompts or spinners. stdout and stderr share one buffer,
 * in the order they were written, as a terminal would show them.
 */
export function inProcessRunner(ctx: Ctx): CommandRunner {
  return async (args, env0) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    stdin.end();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    stderr.on('data', (c: Buffer) => chunks.push(c));
    const env = { ...env0 };
    if (!ctx.io.colorFor(ctx.io.isStdoutTTY) || ctx.globals.json) env.NO_COLOR = '1';
    // Tables fit the reader's terminal less the demo's 4-space indent; a pipe gets them whole. Never a pager.
    const fitWidth = ctx.io.fitWidth === undefined ? null : Math.max(40, ctx.io.fitWidth - 4);
    const child = new IO({ stdout, stderr, stdin, isStdoutTTY: true, isStderrTTY: false, isStdinTTY: false, env, columns: Math.max(ctx.io.columns, 100), fitWidth });
    const code = await main(args, { io: child, env });
    return { code, output: Buffer.concat(chunks).toString('utf8') };
  };
}
