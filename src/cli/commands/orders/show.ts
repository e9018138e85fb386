import type { Command } from 'commander';
import type { Ctx } from '../../context.js';
import { formatTimestamp, printFields, printJson, printRows } from '../../render.js';
import { orderJson } from '../../json-shapes.js';
import { showOrder } from '../../../services/orders/list.js';
import { statusText } from './list.js';

export function registerShow(parent: Command, ctx: Ctx): void {
  parent
    .command('show <order>')
    .description('One order with its lines, fees, tax and refunds (id as the marketplace shows it)')
    .option('--raw', 'include the marketplace payload as received (with --json)')
    .addHelpText('after', `
Examples:
  $ merchant orders show 302-1234567-1000002
  $ merchant orders show shopify:1002 --json --raw`)
    .action(async (ref: string, opts: { raw?: boolean }) => {
      const o = showOrder(ctx.store(), ref, { raw: opts.raw });
      if (ctx.globals.json) return printJson(ctx.io, orderJson(o));
      await printFields(ctx.io, [
        ['order', o.externalId],
        ['marketplace', `${o.marketplace} (${o.channel})`],
        ['status', `${statusText(o.status)}${o.status !== o.marketplaceStatus ? ` (${o.marketplace}: ${o.marketplaceStatus})` : ''}`],
        ['ordered', formatTimestamp(ctx.io, o.orderedAt)],
        ['updated', formatTimestamp(ctx.io, o.remoteUpdatedAt)],
        ['buyer', o.buyerName],
        ['ship to', o.shipCountry],
        ['currency', o.currency],
        ['shipping', o.shipping],
        ['discount', o.discount !== '0.00' ? o.discount : undefined],
        ['tax', `${o.tax}${o.taxKind ? ` (${o.taxKind})` : ''}`],
        ['total', o.total],
        ['fees', o.fees.map((f) => `${f.kind} ${f.amount} ${f.currency}`).join(', ') || undefined],
        ['refunds', o.refunds.map((r) => `${r.refundedAt.slice(0, 10)} ${r.amount} ${r.currency}`).join(', ') || undefined],
        ['source', o.source],
      ]);
      ctx.io.out('');
      await printRows(ctx.io, o.lines, [
        { header: 'SKU', value: (l) => l.sku ?? '', overflow: 'keep' },
        { header: 'TITLE', value: (l) => l.title ?? '' },
        { header: 'QTY', value: (l) => String(l.quantity), align: 'right' },
        { header: 'SHIPPED', value: (l) => String(l.shipped), align: 'right' },
        { header: 'UNIT', value: (l) => l.unitPrice, align: 'right' },
        { header: 'TAX', value: (l) => l.tax, align: 'right' },
      ]);
      if (o.parcels.length) {
        ctx.io.out('');
        const state = (c: string) => ({ acked: 'confirmed', pending: 'confirmation pending', sent: 'sent, answer awaited', failed: 'refused' })[c] ?? c;
        await printRows(ctx.io, o.parcels, [
          { header: 'TRACKING', value: (p) => p.tracking, overflow: 'keep' },
          { header: 'CARRIER', value: (p) => `${p.carrier}${p.service ? ` ${p.service}` : ''}` },
          { header: 'SHIPPED', value: (p) => p.shipDate.slice(0, 10) },
          { header: 'LINES', value: (p) => p.lines.map((l) => `${l.sku ?? l.externalLineId}×${l.quantity}`).join(', ') },
          { header: 'ON ' + o.marketplace.toUpperCase(), value: (p) => `${state(p.confirmation)}${p.error && p.confirmation !== 'acked' ? `: ${p.error}` : ''}` },
        ]);
      }
    });
}
