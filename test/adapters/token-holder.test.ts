// The token holder Amazon LWA and eBay share: reuse until the renewal time, one request for many
// concurrent callers, a fresh one after invalidate().
import { describe, expect, it } from 'vitest';
import { SingleFlightToken } from '../../src/adapters/http/token-holder.js';

describe('SingleFlightToken', () => {
  it('reuses the token until its renewal time, shares one request among concurrent callers, and asks again after invalidate()', async () => {
    let now = 1_000_000;
    let issued = 0;
    const holder = new SingleFlightToken(() => now, (at, life) => at + life - 60_000);
    const issue = async () => ({ value: `t${++issued}`, lifeMs: 3_600_000 });

    const first = await Promise.all([holder.get(issue), holder.get(issue), holder.get(issue)]);
    expect(first).toEqual(['t1', 't1', 't1']);
    expect(issued).toBe(1);
    expect(holder.lastExpiry).toBe(new Date(1_000_000 + 3_600_000).toISOString());

    now += 3_600_000 - 60_001; // one millisecond before the renewal time
    expect(await holder.get(issue)).toBe('t1');
    now += 1;
    expect(await holder.get(issue)).toBe('t2');

    holder.invalidate();
    expect(holder.lastExpiry).toBeDefined();
    expect(await holder.get(issue)).toBe('t3');
  });

  it('a failed request is not kept: the next call asks again', async () => {
    const holder = new SingleFlightToken(() => 0, (at, life) => at + life);
    let calls = 0;
    await expect(holder.get(async () => { calls++; throw new Error('refused'); })).rejects.toThrow('refused');
    expect(await holder.get(async () => ({ value: 'ok', lifeMs: 1000 }))).toBe('ok');
    expect(calls).toBe(1);
  });
});
