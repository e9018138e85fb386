import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { formatTimestamp, printJson, printRows } from '../../render.js';
import { listMarketplaces, type AccountView } from '../../../services/marketplace/connect.js';
import { renewalWhen } from '../../../core/credential-renewals.js';

export function registerList(parent: Command, ctx: Ctx): void {
  parent
    .command('list')
    .description('Show connected marketplace accounts, their channels, verification and what must be renewed when')
    .addHelpText('after', `
Examples:
  $ merchant marketplace list
  $ merchant marketplace list --json`)
    .action(async () => {
      const now = ctx.clock.now();
      const rows = listMarketplaces(ctx.store(), ctx.credentials(), () => ctx.clock.now().getTime());
      if (ctx.globals.json) return printJson(ctx.io, { items: rows });
      if (!rows.length) {
        ctx.io.info('no marketplace connected; run `merchant marketplace connect <amazon|ebay|shopify>`');
        return;
      }
      await printRows<AccountView>(ctx.io, rows, [
        { header: 'MARKETPLACE', value: (r) => r.marketplace },
        { header: 'ACCOUNT', value: (r) => r.account, overflow: 'keep' },
        { header: 'MODE', value: (r) => (r.sandbox ? 'sandbox' : 'live'), overflow: 'keep' },
        { header: 'CHANNELS', value: (r) => r.channels.join(','), optional: 1 },
        { header: 'VERIFIED', value: (r) => r.verifiedAt ?? 'never', time: true },
        { header: 'TOKEN EXPIRES', value: (r) => (r.credentials.kind === 'admin_token' ? 'never' : `${r.tokenExpiresAt ? formatTimestamp(ctx.io, r.tokenExpiresAt) : '-'}${r.credentials.renewsItself ? ' (renewed)' : ''}`), overflow: 'keep' },
        { header: 'RENEW BY', value: (r) => r.renewals.filter((n) => n.due !== null).map((n) => `${renewalWhen(n, now)} ${n.what}`).join('; ') || 'nothing to renew', optional: 3 },
        { header: 'SECRETS', value: (r) => r.secrets.map((s) => `${s.name}:${s.source}`).join(' '), optional: 2, color: (t, r, io) => (r.secrets.some((s) => s.source === 'missing') ? io.chalk.red(t) : t) },
      ]);
    });
}
