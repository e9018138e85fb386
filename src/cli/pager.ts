// Long output on a terminal goes through a pager, as gh and git do. Which one: MERCHANT_PAGER, then the
// `pager` setting (`merchant config set pager "less -S"`), then PAGER, else `less -FRX` (-F: quit at
// once when everything fits on one screen, -R: keep colour, -X: leave the text on the screen). An empty
// value or `cat` means no pager; `--no-pager` turns it off for one run. Never on a pipe.
//
// The pager reads our output from a pipe and writes to the terminal itself. It may quit before we have
// written everything (q in less): that is the reader going away, not an error — the session notes it
// and the command stops producing output, exits 0 and prints no EPIPE.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

export const DEFAULT_PAGER = 'less -FRX';

/** The pager command to run, or null for none. `configured` is the `pager` setting of the config file. */
export function pagerCommand(env: Record<string, string | undefined>, configured?: string): string | null {
  let cmd: string | undefined;
  if (env.MERCHANT_PAGER !== undefined) cmd = env.MERCHANT_PAGER;
  else if (configured !== undefined) cmd = configured;
  else if (env.PAGER !== undefined) cmd = env.PAGER;
  else cmd = DEFAULT_PAGER;
  cmd = cmd.trim();
  if (cmd === '' || cmd === 'cat') return null;
  return cmd;
}

/** Split a command line into words (quotes and backslashes as a POSIX shell reads them), or null when it
 *  uses shell syntax beyond that (pipes, variables, redirections): then it is run through the shell. */
export function splitCommand(cmd: string): string[] | null {
  if (/[|&;<>()$`*?[\]{}~#]/.test(cmd.replace(/'[^']*'/g, ''))) return null;
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i]!;
    if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end < 0) return null;
      word += cmd.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < cmd.length && cmd[j] !== '"'; j++) {
        if (cmd[j] === '\\' && j + 1 < cmd.length && '"\\'.includes(cmd[j + 1]!)) j++;
        word += cmd[j];
      }
      if (j >= cmd.length) return null;
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < cmd.length) {
      word += cmd[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words.length ? words : null;
}

export class PagerSession {
  /** True once the pager has gone (quit early, or failed): nothing more is written. */
  gone = false;
  private exited: Promise<void>;
  private restoreSignals: () => void;

  constructor(
    child: ChildProcess,
    readonly input: Writable,
  ) {
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('close', () => {
      this.gone = true;
    });
    // EPIPE / ECONNRESET when the pager quits before reading everything: the reader went away.
    input.on('error', () => {
      this.gone = true;
    });
    // Ctrl-C at the pager belongs to the pager (less stops a search with it); we wait for it to quit
    // rather than die and leave it reading from a dead pipe.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    this.restoreSignals = () => process.off('SIGINT', ignore);
  }

  /** No more output: close the pager's input and wait until the person has quit it. */
  async finish(): Promise<void> {
    if (!this.input.writableEnded && !this.input.destroyed) this.input.end();
    await this.exited;
    this.restoreSignals();
  }
}

/**
 * Start `command` reading from a pipe and writing to this process's terminal. Null when it cannot be
 * started (not installed): the caller writes to the terminal directly instead.
 */
export async function launchPager(command: string, env: Record<string, string | undefined>, opts: { chop?: boolean } = {}): Promise<PagerSession | null> {
  // A table wider than the terminal even with its text cut (a sales report at 80 columns) is shown as
  // psql shows one: lines chopped at the edge, the rest a right-arrow away, instead of wrapped.
  if (opts.chop && command === DEFAULT_PAGER) command = `${DEFAULT_PAGER}S`;
  const words = splitCommand(command);
  const childEnv: NodeJS.ProcessEnv = { ...(env as NodeJS.ProcessEnv) };
  // As gh and git do: less's own flags when the user has none, so a short list does not wait for q.
  if (childEnv.LESS === undefined) childEnv.LESS = opts.chop ? 'FRXS' : 'FRX';
  if (childEnv.LV === undefined) childEnv.LV = '-c';
  // What we write is UTF-8 whatever the locale says ('…', '→', names in any script); without a UTF-8
  // locale less would show … as <E2><80><A6> and wrap the line.
  const locale = childEnv.LC_ALL || childEnv.LC_CTYPE || childEnv.LANG || '';
  if (childEnv.LESSCHARSET === undefined && !/utf-?8/i.test(locale)) childEnv.LESSCHARSET = 'utf-8';
  const child = words
    ? spawn(words[0]!, words.slice(1), { stdio: ['pipe', 'inherit', 'inherit'], env: childEnv })
    : spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: childEnv });
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!started || !child.stdin) return null;
  child.on('error', () => {});
  return new PagerSession(child, child.stdin);
}
