// How a rate-limit wait shows (src/adapters/http/pacer.ts decides it; this only tells the user): on a
// terminal the running spinner says what it waits for and until when; on a pipe or in a log one
// warning per operation for a wait that matters (30 s or more), so a cron job's mail says why the run
// took long; --quiet and --json print nothing. The run simply waits.
import type { IO, Spinner } from './io.js';
import { formatDuration, type WaitNotice } from '../adapters/http/pacer.js';

export function rateLimitWaits(io: IO, spinner: () => Spinner | undefined, what: string, now: () => number = Date.now): (n: WaitNotice) => void {
  const warned = new Set<string>();
  return (n) => {
    const until = new Date(Math.ceil((now() + n.waitMs) / 1000) * 1000).toISOString().slice(11, 19);
    const text = `waiting ${formatDuration(n.waitMs)} (until ${until} UTC) for ${n.service} ${n.operation}: ${n.reason}`;
    const s = spinner();
    if (io.animate && s) {
      s.update(`${what} ${text}`);
      return;
    }
    if (n.waitMs < 30_000 || warned.has(n.operation)) return;
    warned.add(n.operation);
    io.warn(`${text}; merchant waits for the marketplace's documented rate limit instead of failing`);
  };
}
