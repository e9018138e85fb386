// Channel facts for pricing: currency, VAT-inclusive or not, VAT rate. The `channels` table (0001)
// holds the seller's enabled storefronts with overrides; the built-in catalogue (core/channels.ts)
// fills in a channel that is not in the table yet.

import { InvalidInputError } from '../../core/errors.js';
import { channelDef, CHANNELS } from '../../core/channels.js';
import type { Repositories } from '../../ports/repositories.js';
import type { ChannelRecord } from '../../ports/pricing.js';

export type ChannelStore = Pick<Repositories, 'channels'>;

export interface ChannelInfo extends ChannelRecord {
  /** 'table' when the seller's channels table has it, else 'catalogue' */
  origin: 'table' | 'catalogue';
}

export function channelRows(store: ChannelStore): ChannelInfo[] {
  return store.channels.all().map((r) => ({ ...r, origin: 'table' as const }));
}

export function channelInfo(store: ChannelStore, code: string): ChannelInfo {
  const row = channelRows(store).find((c) => c.code === code);
  if (row) return row;
  const def = channelDef(code);
  if (!def) {
    throw new InvalidInputError(`unknown channel ${JSON.stringify(code)}`, {
      hints: [`channels: ${CHANNELS.map((c) => c.code).join(', ')}`],
    });
  }
  return { code, marketplace: def.marketplace, currency: def.currency, pricesIncludeTax: def.pricesIncludeTax, vatRate: def.vatRate, enabled: true, origin: 'catalogue' };
}

/**
 * The channels `prices update` prices: the enabled rows of the `channels` table; when that table is
 * empty (no marketplace connected yet), every channel a rule names counts as enabled.
 */
export function enabledChannels(store: ChannelStore, ruleChannels: readonly (string | null)[]): ChannelInfo[] {
  const rows = channelRows(store);
  if (rows.length) return rows.filter((r) => r.enabled);
  const named = [...new Set(ruleChannels.filter((c): c is string => Boolean(c)))].sort();
  return named.map((c) => channelInfo(store, c));
}
