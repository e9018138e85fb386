// merchant completion bash|zsh|fish: the completion script for a shell, generated from the command tree.
import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { UsageError } from '../../../core/errors.js';
import { completionScript, commandSpec, SHELLS, type Shell } from '../../completion.js';
import { buildFullProgram } from '../../program.js';
import { examples } from '../help.js';

export function register(program: Command, ctx: Ctx): void {
  program
    .command('completion <shell>')
    .description('Print the shell completion script (bash, zsh or fish): commands, flags, channel and marketplace names')
    .addHelpText(
      'after',
      `
The script is static (a TAB never starts merchant); regenerate it after upgrading merchant. Write it to a
file once, as below: generating it loads every command (about a second), too slow for an eval in ~/.bashrc.
${examples([
  'merchant completion bash > ~/.local/share/bash-completion/completions/merchant',
  'merchant completion zsh > "${fpath[1]}/_merchant"          # then open a new shell',
  'merchant completion fish > ~/.config/fish/completions/merchant.fish',
])}`,
    )
    .action(async (shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`no completion for ${JSON.stringify(shell)}: choose bash, zsh or fish`);
      }
      const tree = commandSpec(await buildFullProgram(ctx));
      ctx.io.stdout.write(completionScript(shell as Shell, tree));
    });
}
