// Prompts through @inquirer/prompts, always on the injected stdin/stderr (Vercel's Client.input).
// A prompt is only ever shown when io.canPrompt(); otherwise the caller gets a UsageError naming
// the flag that would have answered it (Shopify's requiredIfNonInteractive, gh's --yes rule).

import { Writable } from 'node:stream';
import type { IO } from './io.js';
import { CancelledError, UsageError } from '../core/errors.js';

export interface Choice<T extends string> {
  name: string;
  value: T;
  description?: string;
}

export class Prompter {
  constructor(private io: IO) {}

  private context() {
    // @inquirer pipes into `output` and ends it when a prompt finishes; give it a forwarding stream so
    // the real stderr stays open for the next prompt and for everything printed afterwards.
    const target = this.io.stderr;
    const output = new Writable({
      write(chunk, _enc, cb) {
        target.write(chunk, cb);
      },
    });
    Object.assign(output, { isTTY: this.io.isStderrTTY, columns: this.io.columns, rows: 40 });
    return { input: this.io.stdin as NodeJS.ReadableStream, output: output as unknown as NodeJS.WritableStream, clearPromptOnDone: false };
  }

  private require(flag: string, what: string): void {
    if (!this.io.canPrompt()) {
      throw new UsageError(`${what} is required: pass ${flag} (no prompt is shown without a terminal or with --no-input)`);
    }
  }

  /** A prompt needs the terminal: a pager showing earlier output must have quit first. */
  private async terminal(): Promise<void> {
    await this.io.endPager();
  }

  private async run<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if ((e as Error).name === 'ExitPromptError' || (e as Error).name === 'AbortPromptError') {
        throw new CancelledError('cancelled');
      }
      throw e;
    }
  }

  async text(flag: string, message: string, opts: { default?: string; validate?: (v: string) => true | string } = {}): Promise<string> {
    this.require(flag, message);
    await this.terminal();
    const { input } = await import('@inquirer/prompts');
    return this.run(input({ message, default: opts.default, validate: opts.validate }, this.context()));
  }

  async secret(flag: string, message: string): Promise<string> {
    this.require(flag, message);
    await this.terminal();
    const { password } = await import('@inquirer/prompts');
    return this.run(password({ message, mask: '*' }, this.context()));
  }

  async select<T extends string>(flag: string, message: string, choices: Choice<T>[], def?: T): Promise<T> {
    this.require(flag, message);
    await this.terminal();
    const { select } = await import('@inquirer/prompts');
    return this.run(select<T>({ message, choices, default: def }, this.context()));
  }

  async checkbox<T extends string>(flag: string, message: string, choices: Array<Choice<T> & { checked?: boolean }>): Promise<T[]> {
    this.require(flag, message);
    await this.terminal();
    const { checkbox } = await import('@inquirer/prompts');
    return this.run(checkbox<T>({ message, choices }, this.context()));
  }

  /** Confirmation for destructive or remote changes: --yes answers it; without a TTY it is required. */
  async confirm(message: string, opts: { yes?: boolean; default?: boolean } = {}): Promise<boolean> {
    if (opts.yes) return true;
    this.require('--yes', 'confirmation');
    await this.terminal();
    const { confirm } = await import('@inquirer/prompts');
    return this.run(confirm({ message, default: opts.default ?? false }, this.context()));
  }
}
