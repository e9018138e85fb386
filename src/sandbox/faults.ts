// Fault injection: a seeded RNG for probabilistic faults (`--faults 429:0.1,…,slow:200ms`) and
// scripted one-shot faults for tests ("the 3rd POST /v2/shipments is lost").

export type FaultKind = '429' | '500' | '503' | 'timeout' | 'drop' | 'lost' | 'throttled' | GarbledKind;
/**
 * The request IS applied, then the answer is garbled on its way back (a proxy's HTML page with status
 * 200, an empty JSON object `{}`, or the real JSON cut short but delivered as a complete 2xx body).
 */
export type GarbledKind = 'html' | 'empty' | 'truncated';
export const GARBLED_KINDS: readonly GarbledKind[] = ['html', 'empty', 'truncated'];
export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', '503', 'timeout', 'drop', 'lost', 'throttled', ...GARBLED_KINDS];

export interface FaultRule {
  /** Substring of 'METHOD /path' (the path as received, with the API prefix, without the query). */
  match?: string;
  /** The nth matching request (1-based) after the rule was scripted; default 1. */
  nth?: number;
  fault: FaultKind;
}

export interface FaultSpec {
  probabilities: Array<{ kind: FaultKind; p: number }>;
  slowMs: number;
}

export function parseFaultSpec(spec: string | undefined): FaultSpec {
  const out: FaultSpec = { probabilities: [], slowMs: 0 };
  if (!spec || !spec.trim()) return out;
  let total = 0;
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const idx = item.indexOf(':');
    if (idx < 0) throw new Error(`fault "${item}" needs a value: KIND:PROBABILITY (e.g. 429:0.1) or slow:200ms`);
    const kind = item.slice(0, idx).trim();
    const value = item.slice(idx + 1).trim();
    if (kind === 'slow') {
      const m = /^(\d+)(ms|s)?$/.exec(value);
      if (!m) throw new Error(`slow takes a duration like 200ms or 2s, got "${value}"`);
      out.slowMs = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
      continue;
    }
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`unknown fault "${kind}"; use one of ${FAULT_KINDS.join(', ')}, slow`);
    }
    const p = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !Number.isFinite(p) || p < 0 || p > 1) {
      throw new Error(`fault probability for ${kind} must be between 0 and 1, got "${value}"`);
    }
    total += p;
    out.probabilities.push({ kind: kind as FaultKind, p });
  }
  if (total > 1) throw new Error(`fault probabilities add up to ${total}, more than 1`);
  return out;
}

/** mulberry32: small, fast, deterministic. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ScriptedRule extends FaultRule {
  seen: number;
  done: boolean;
}

export class FaultInjector {
  private spec: FaultSpec;
  private rng: () => number;
  private rules: ScriptedRule[] = [];

  constructor(spec: string | undefined, seed: number) {
    this.spec = parseFaultSpec(spec);
    this.rng = makeRng(seed);
  }

  setSpec(spec: string): void {
    this.spec = parseFaultSpec(spec);
  }

  describe(): { probabilities: Record<string, number>; slowMs: number; scripted: FaultRule[] } {
    const probabilities: Record<string, number> = {};
    for (const { kind, p } of this.spec.probabilities) probabilities[kind] = p;
    return {
      probabilities,
      slowMs: this.spec.slowMs,
      scripted: this.rules.filter((r) => !r.done).map(({ match, nth, fault }) => ({ match, nth, fault })),
    };
  }

  /** Add scripted rules; an empty list clears the ones not yet used. */
  script(rules: FaultRule[]): void {
    if (rules.length === 0) this.rules = [];
    for (const r of rules) {
      if (!(FAULT_KINDS as readonly string[]).includes(r.fault)) throw new Error(`unknown fault "${String(r.fault)}"`);
      if (r.nth !== undefined && (!Number.isInteger(r.nth) || r.nth < 1)) throw new Error('nth must be an integer ≥ 1');
      this.rules.push({ ...r, seen: 0, done: false });
    }
  }

  clearScripted(): void {
    this.rules = [];
  }

  get slowMs(): number {
    return this.spec.slowMs;
  }

  /** Decide the fault for one request ('METHOD /path'); undefined = answer normally. */
  decide(line: string): FaultKind | undefined {
    let scripted: FaultKind | undefined;
    for (const r of this.rules) {
      if (r.done) continue;
      if (r.match && !line.includes(r.match)) continue;
      r.seen += 1;
      if (r.seen === (r.nth ?? 1)) {
        r.done = true;
        scripted ??= r.fault;
      }
    }
    if (scripted) return scripted;
    if (this.spec.probabilities.length === 0) return undefined;
    const x = this.rng();
    let acc = 0;
    for (const { kind, p } of this.spec.probabilities) {
      acc += p;
      if (x < acc) return kind;
    }
    return undefined;
  }
}
