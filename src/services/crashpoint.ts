// Deterministic crash injection for the reliability suite: `MERCHANT_CRASH_AT=label[:n][,label2[:n]]`
// kills the process with SIGKILL (no clean-up, no finally blocks, exactly like `kill -9`) the n-th time
// execution passes crashPoint(label). Unset in normal use, where it costs one env lookup per call.

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
  if (c === target) process.kill(process.pid, 'SIGKILL');
}
