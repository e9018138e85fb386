// Wiring of the confirmation service for commands (ship book, orders ship): the outbox repository and
// the connected marketplaces' confirmers.
import type { Ctx } from '../../context.js';
import { httpFactoryFromCtx } from '../../../adapters/http/factory.js';
import { getAccount, parseMarketplace, storedSecrets } from '../../../services/marketplace/accounts.js';
import { marketplaceConnector } from '../../wiring/marketplaces.js';
import { confirmationStore } from '../../../store/repos/confirmations.js';
import { isShipmentConfirmer, type ShipmentConfirmer } from '../../../ports/marketplace.js';
import type { ConfirmDeps, ConfirmResult } from '../../../services/orders/confirm.js';

export function confirmDeps(ctx: Ctx): ConfirmDeps {
  const store = ctx.store();
  const cache = new Map<string, ShipmentConfirmer | undefined>();
  const cfg = ctx.config();
  // The same Amazon feed settings as sync: a parcel batch above amazon.confirmFeedThreshold goes as one order-fulfillment feed.
  const options = {
    amazonConfirmFeedThreshold: cfg.getNumber('amazon.confirmFeedThreshold', 10),
    amazonPollInitialMs: cfg.getNumber('amazon.pollInitialMs', 2000),
    amazonPollMaxMs: cfg.getNumber('amazon.pollMaxMs', 60_000),
    amazonFeedWaitMs: cfg.getNumber('amazon.feedWaitMs', 15 * 60_000),
  };
  return {
    confirmations: confirmationStore(store),
    confirmerFor(mp) {
      if (!cache.has(mp)) {
        const a = getAccount(store, parseMarketplace(mp));
        const adapter = a ? marketplaceConnector(httpFactoryFromCtx(ctx)).make(a, storedSecrets(ctx.credentials(), a.marketplace), options) : undefined;
        cache.set(mp, isShipmentConfirmer(adapter) ? adapter : undefined);
      }
      return cache.get(mp);
    },
    now: () => ctx.clock.now().toISOString(),
  };
}

/** Shopify's notifyCustomer: --notify-buyer / --no-notify-buyer, else config shopify.notifyCustomer (default false). */
export function notifyBuyer(ctx: Ctx, flag: boolean | undefined): boolean {
  return flag ?? ctx.config().getBool('shopify.notifyCustomer', false);
}

export function reportConfirmations(ctx: Ctx, results: readonly ConfirmResult[]): void {
  for (const c of results) {
    const what = `${c.marketplace} order ${c.externalOrderId}: tracking ${c.tracking}`;
    if (c.state === 'acked') ctx.io.success(`${what} confirmed on ${c.marketplace}${c.readBack ? ' (found there already)' : ''}`);
    else if (c.state === 'failed') ctx.io.warn(`${what} refused by ${c.marketplace}: ${c.message ?? ''}`);
    else ctx.io.warn(`${what} not confirmed yet (${c.message ?? c.state}); \`merchant sync\` sends it`);
  }
}
