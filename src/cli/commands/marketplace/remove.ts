import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { printJson } from '../../render.js';
import { CancelledError } from '../../../core/errors.js';
import { parseMarketplace } from '../../../services/marketplace/accounts.js';
import { removeMarketplace } from '../../../services/marketplace/connect.js';

export function registerRemove(parent: Command, ctx: Ctx): void {
  parent
    .command('remove <marketplace>')
    .description('Forget a marketplace account: its stored secrets and settings (local listings and orders stay)')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .addHelpText('after', `
Examples:
  $ merchant marketplace remove ebay
  $ merchant marketplace remove ebay --yes --json`)
    .action(async (name: string, opts: { yes?: boolean }) => {
      const mp = parseMarketplace(name);
      await ctx.writeLock('marketplace remove');
      const ok = await ctx.prompt.confirm(`Remove the ${mp} account and its stored secrets?`, { yes: opts.yes });
      if (!ok) throw new CancelledError('nothing removed');
      const r = removeMarketplace(ctx.store(), ctx.credentials(), mp, ctx.clock.now().toISOString());
      if (ctx.globals.json) return printJson(ctx.io, { marketplace: mp, ...r });
      if (!r.removed && !r.secretsRemoved) ctx.io.info(`${mp} was not connected; nothing to remove`);
      else ctx.io.success(`${mp} removed (${r.channelsDisabled} channel${r.channelsDisabled === 1 ? '' : 's'} disabled; local listings and orders kept)`);
    });
}
