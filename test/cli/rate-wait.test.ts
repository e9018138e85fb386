// How a rate-limit wait is shown (src/cli/rate-wait.ts): the spinner on a terminal, one warning per
// operation on a pipe for waits of 30 s or more, nothing for short waits.
import { describe, it, expect } from 'vitest';
import { rateLimitWaits } from '../../src/cli/rate-wait.js';
import type { IO, Spinner } from '../../src/cli/io.js';

function fakeIo(animate: boolean) {
  const warned: string[] = [];
  const spun: string[] = [];
  const io = { animate, flags: {}, warn: (t: string) => warned.push(t) } as unknown as IO;
  const spinner: Spinner = { update: (t: string) => void spun.push(t), succeed() {}, fail() {}, stop() {} };
  return { io, spinner, warned, spun };
}

describe('rate-limit waits', () => {
  const notice = (op: string, waitMs: number) => ({ service: 'amazon', operation: op, waitMs, reason: '0.0056 requests/s, burst 20' });
  it('a terminal: the spinner says what it waits for and until when', () => {
    const f = fakeIo(true);
    rateLimitWaits(f.io, () => f.spinner, 'syncing…', () => Date.parse('2026-11-25T06:00:00Z'))(notice('searchOrders (eu)', 178_572));
    expect(f.spun).toEqual(['syncing… waiting 2m59s (until 06:02:59 UTC) for amazon searchOrders (eu): 0.0056 requests/s, burst 20']);
    expect(f.warned).toEqual([]);
  });
  it('a pipe: one warning per operation, only for waits of 30 s or more', () => {
    const f = fakeIo(false);
    const on = rateLimitWaits(f.io, () => f.spinner, 'syncing…', () => 0);
    on(notice('getFeed (eu)', 500));
    on(notice('searchOrders (eu)', 178_572));
    on(notice('searchOrders (eu)', 178_572));
    on(notice('searchOrders (na)', 178_572));
    expect(f.warned.map((w) => w.split(':')[0])).toEqual(['waiting 2m59s (until 00', 'waiting 2m59s (until 00']);
    expect(f.warned[1]).toContain('searchOrders (na)');
    expect(f.spun).toEqual([]);
  });
});
