// Run the CLI in-process with fake streams (gh's iostreams.Test, Vercel's MockClient), a temp
// MERCHANT_HOME per test, and a choice of TTY or pipe. Also a child-process runner for the built
// binary (kill -9 tests, real pipes).

import { PassThrough } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { IO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export const BIN = resolve(import.meta.dirname, '../../bin/merchant.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOpts {
  home?: string;
  tty?: boolean;
  env?: Record<string, string | undefined>;
  stdin?: string | PassThrough;
  cwd?: string;
}

/** A fresh temp folder removed when the test ends. */
export function tempDir(prefix = 'merchant-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    /* outside a test (e.g. beforeAll): caller cleans up */
  }
  return dir;
}

export function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Run `merchant <args>` in-process. */
export async function run(args: string[], opts: RunOpts = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = typeof opts.stdin === 'object' ? opts.stdin : new PassThrough();
  if (typeof opts.stdin === 'string') stdin.end(opts.stdin);
  else if (!opts.stdin) stdin.end();
  const out = collect(stdout);
  const err = collect(stderr);
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    MERCHANT_HOME: opts.home,
    ...opts.env,
  };
  const io = new IO({
    stdout,
    stderr,
    stdin,
    isStdoutTTY: Boolean(opts.tty),
    isStderrTTY: Boolean(opts.tty),
    isStdinTTY: Boolean(opts.tty),
    env,
    columns: 100,
  });
  const code = await main(args, { io, env, cwd: opts.cwd });
  stdout.end();
  stderr.end();
  return { code, stdout: out(), stderr: err() };
}

/** Run the built binary as a child process with real pipes. */
export function runBin(args: string[], opts: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...opts.env } as NodeJS.ProcessEnv,
    input: opts.input ?? '',
    cwd: opts.cwd,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 26, // (a whole --json document of thousands of items)
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Start the built binary and hand back the child (for kill -9 tests). */
export function spawnBin(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...opts.env } as NodeJS.ProcessEnv,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
