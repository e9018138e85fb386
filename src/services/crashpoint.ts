// Deterministic crash injection for the reliability suite: `MERCHANT_CRASH_AT=label[:n][,label2[:n]]`
// kills the process with SIGKILL (no clean-up, no finally blocks, exactly like `kill -9`) the n-th time
// execution passes crashPoint(label). Unset in normal use, where it costs one env lookup per call.
// Right before the kill it writes `merchant: crash point <label>:<n> reached` to stderr (synchronously,
// so the line is out before the signal), which lets a test tell "killed where it meant" from "never
// reached the point" (a run that simply finished) and from a kill by anything else.

import { writeSync } from 'node:fs';

const counts = new Map<string, number>();
let parsed: Map<string, number> | null | undefined;

function spec(): Map<string, number> | null {
  if (parsed !== undefined) return parsed;
  const raw = process.env.MERCHANT_CRASH_AT;
  if (!raw) return (parsed = null);
  parsed = new Map();
  for (const part of raw.split(',')) {
    const [label, n] = part.trim().split(':');
    if (label) parsed.set(label, n ? Number(n) : 1);
  }
  return parsed;
}

export function crashPoint(label: string): void {
  const s = spec();
  if (!s) return;
  const target = s.get(label);
  if (target === undefined) return;
  const c = (counts.get(label) ?? 0) + 1;
  counts.set(label, c);
  if (c === target) {
    try {
      writeSync(2, `merchant: crash point ${label}:${c} reached (MERCHANT_CRASH_AT)\n`);
    } catch {
      /* stderr closed: the kill still happens */
    }
    process.kill(process.pid, 'SIGKILL');
  }
}

/** How often each point has been passed in this thread (a writer thread continues the count: store/repos/price-writer.ts). */
export function crashCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** Take over the counts another thread of this process reached. */
export function setCrashCounts(c: Record<string, number>): void {
  counts.clear();
  for (const [k, v] of Object.entries(c)) counts.set(k, v);
}
