// Flags that take one of a known set of values (a marketplace, a channel, a status, a format…): an
// unknown value is a usage error (exit 2) that lists the valid ones and suggests the nearest, never a
// silent empty result. Comma lists are checked value by value.

import { UsageError } from '../core/errors.js';
import { CHANNELS, MARKETPLACES, type MarketplaceName } from '../core/channels.js';

/** Edit distance counting a swap of two neighbours as one edit ("ebya" is one step from "ebay"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The allowed value nearest to a typo, if it is near enough to be what was meant. */
export function nearest(value: string, allowed: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  let best: { s: string; d: number } | undefined;
  for (const s of allowed) {
    const d = distance(v, s.toLowerCase());
    if (!best || d < best.d) best = { s, d };
  }
  return best && best.d <= Math.max(1, Math.floor(v.length / 3)) ? best.s : undefined;
}

export function unknownValue(flag: string, value: string, allowed: readonly string[], what = 'value'): UsageError {
  const guess = nearest(value, allowed);
  return new UsageError(`${flag}: unknown ${what} ${JSON.stringify(value)}${guess ? ` (did you mean ${guess}?)` : ''}; use ${allowed.join(', ')}`, {
    details: { flag, value, allowed },
  });
}

/** One value of a known set (case-insensitive), or undefined when the flag was not given. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], what?: string): T | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  if (!hit) throw unknownValue(flag, v, allowed, what);
  return hit;
}

/** A comma list of values of a known set; undefined when the flag was not given. */
export function listOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], what?: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new UsageError(`${flag} needs at least one value; use ${allowed.join(', ')}`);
  return items.map((i) => oneOf(flag, i, allowed, what)!);
}

export const CHANNEL_CODES: readonly string[] = CHANNELS.map((c) => c.code);

export function marketplaceOpt(flag: string, value: string | undefined): MarketplaceName | undefined {
  return oneOf(flag, value, MARKETPLACES, 'marketplace');
}

export function marketplacesOpt(flag: string, value: string | undefined): MarketplaceName[] | undefined {
  return listOf(flag, value, MARKETPLACES, 'marketplace');
}

export function channelOpt(flag: string, value: string | undefined): string | undefined {
  return oneOf(flag, value, CHANNEL_CODES, 'channel');
}

export function channelsOpt(flag: string, value: string | undefined): string[] | undefined {
  return listOf(flag, value, CHANNEL_CODES, 'channel');
}
