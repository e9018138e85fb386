// Request pacing before sending (not learning from 429s): every paced request names the limits it
// draws on — a token bucket (`rate` requests per second refilling up to `burst`, as Amazon's usage
// plans are documented) or a sliding window (`count` requests per `windowMs`, e.g. Amazon's
// JSON_LISTINGS_FEED quota of 5 submissions per 5 minutes per region) — and waits until every one of
// them has room. Waits are reservations: the slot is taken now and the caller sleeps until it comes,
// so concurrent callers queue up instead of all waking at once. A 429 empties the limits it hit; an
// `x-amzn-RateLimit-Limit` header replaces a bucket's documented rate with the account's own.
//
// Generic on purpose (keys are opaque strings): Amazon keys them by seller, region and operation; eBay
// or Shopify could define theirs. The clock and sleep are injected; with a scaled sleep (tests use
// http.backoffScale 0) the pacer moves its own clock forward by the part of the wait it did not sleep,
// so the buckets behave as if the time had passed. The total wait of a run is capped
// (http.maxWaitMs): beyond it the request fails with a clear throttled RemoteError (exit 6) instead of
// hanging a cron job for ever. State can be persisted (PacerStateStore) so the next run, or another
// process, starts from what this one used.

import { HttpError } from './errors.js';
import type { Sleep } from './client.js';

export type Limit = { kind: 'bucket'; rate: number; burst: number } | { kind: 'window'; count: number; windowMs: number };

/** Persisted state of one limit: a bucket's tokens at a time, or a window's send times (ms). */
export interface PacerState {
  tokens?: number;
  at?: number;
  times?: number[];
  /** The rate last announced by the server (x-amzn-RateLimit-Limit), if any. */
  rate?: number;
}

export interface PacerStateStore {
  load(key: string): PacerState | undefined;
  save(key: string, state: PacerState): void;
}

export interface WaitNotice {
  service: string;
  /** What is waiting ("searchOrders (eu)"). */
  operation: string;
  waitMs: number;
  /** Why, for humans: "0.0056 requests/s, burst 20". */
  reason: string;
}

export interface PacerOptions {
  service: string;
  now?: () => number;
  sleep?: Sleep;
  /** Multiplies real sleeps (http.backoffScale); the pacer's clock still moves by the whole wait. */
  scale?: number;
  /** Most a run may wait in total (ms) before a request fails instead. */
  maxWaitMs?: number;
  /** Called before a wait of at least noticeMs. */
  onWait?: (n: WaitNotice) => void;
  noticeMs?: number;
  state?: PacerStateStore;
}

interface Entry {
  limit: Limit;
  /** The documented rate, kept to report overrides. */
  documented?: number;
  tokens: number;
  at: number;
  times: number[];
}

export const DEFAULT_MAX_WAIT_MS = 2 * 3600_000;

export function describeLimit(l: Limit): string {
  if (l.kind === 'bucket') return `${l.rate} requests/s, burst ${l.burst}`;
  return `${l.count} per ${formatDuration(l.windowMs)}`;
}

export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const r = s % 60;
  if (m < 60) return r ? `${m}m${String(r).padStart(2, '0')}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m % 60).padStart(2, '0')}m`;
}

export class Pacer {
  readonly service: string;
  private entries = new Map<string, Entry>();
  private offset = 0;
  private waited = 0;

  constructor(private o: PacerOptions) {
    this.service = o.service;
  }

  /** The pacer's clock: the injected one, plus the waits a scaled sleep skipped. */
  now(): number {
    return (this.o.now ?? Date.now)() + this.offset;
  }

  /** Total time this pacer waited (ms, unscaled). */
  get waitedMs(): number {
    return this.waited;
  }

  /** Declare a limit (idempotent); persisted state is loaded on first use. */
  define(key: string, limit: Limit): void {
    const have = this.entries.get(key);
    if (have) return;
    const now = this.now();
    const e: Entry = { limit: { ...limit }, tokens: limit.kind === 'bucket' ? limit.burst : 0, at: now, times: [] };
    if (limit.kind === 'bucket') e.documented = limit.rate;
    const saved = this.o.state?.load(key);
    if (saved) {
      if (limit.kind === 'bucket' && typeof saved.tokens === 'number' && typeof saved.at === 'number') {
        if (typeof saved.rate === 'number' && saved.rate > 0) e.limit = { ...limit, rate: saved.rate };
        e.tokens = Math.min(limit.burst, saved.tokens);
        e.at = Math.min(saved.at, now);
        // A reservation in the future (negative tokens) stays a debt; refill from then on.
        if (saved.at > now) e.tokens = Math.min(e.tokens, 0);
      }
      if (limit.kind === 'window' && Array.isArray(saved.times)) e.times = saved.times.filter((t) => typeof t === 'number').sort((a, b) => a - b);
    }
    this.entries.set(key, e);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  limitOf(key: string): Limit | undefined {
    return this.entries.get(key)?.limit;
  }

  /** The server told us this bucket's real rate (requests per second). */
  setRate(key: string, rate: number): void {
    const e = this.entries.get(key);
    if (!e || e.limit.kind !== 'bucket' || !(rate > 0) || e.limit.rate === rate) return;
    this.refill(e, this.now());
    e.limit = { ...e.limit, rate };
    this.persist(key, e);
  }

  /** A 429: the server has no room left on these limits, whatever we thought. */
  penalize(keys: readonly string[]): void {
    const now = this.now();
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e) continue;
      if (e.limit.kind === 'bucket') {
        this.refill(e, now);
        e.tokens = Math.min(e.tokens, 0);
      } else {
        this.prune(e, now);
        while (e.times.length < e.limit.count) e.times.push(now);
        e.times.sort((a, b) => a - b);
      }
      this.persist(k, e);
    }
  }

  /** How long a request on these limits would wait now (ms), without reserving. */
  wouldWait(keys: readonly string[]): number {
    const now = this.now();
    let at = now;
    for (const k of keys) {
      const e = this.entries.get(k);
      if (e) at = Math.max(at, this.earliest(e, now));
    }
    return at - now;
  }

  /**
   * Take a slot on every limit in `keys`, waiting until all have room. The slot is reserved before
   * the first await, so concurrent callers are served in call order. Throws a throttled HttpError
   * (nothing sent) when the run's total wait would exceed maxWaitMs.
   */
  async acquire(keys: readonly string[], operation: string): Promise<number> {
    const now = this.now();
    let at = now;
    let why: Entry | undefined;
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e) continue;
      const t = this.earliest(e, now);
      if (t > at) {
        at = t;
        why = e;
      }
    }
    const wait = Math.max(0, Math.ceil(at - now));
    this.checkCap(wait, operation, why ? describeLimit(why.limit) : 'rate limit');
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e) continue;
      if (e.limit.kind === 'bucket') {
        this.refill(e, now);
        e.tokens -= 1;
      } else {
        this.prune(e, now);
        e.times.push(at);
        e.times.sort((a, b) => a - b);
      }
      this.persist(k, e);
    }
    await this.waitOut(wait, operation, why ? describeLimit(why.limit) : '');
    return wait;
  }

  /**
   * Wait until these limits have room, without taking a slot (the request that follows takes it):
   * for work that must not start early, such as a feed document whose upload URL expires in 5 minutes.
   */
  async waitForRoom(keys: readonly string[], operation: string): Promise<number> {
    let why: Entry | undefined;
    let worst = 0;
    const now = this.now();
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e) continue;
      const w = this.earliest(e, now) - now;
      if (w > worst) {
        worst = w;
        why = e;
      }
    }
    const wait = Math.max(0, Math.ceil(worst));
    const reason = why ? describeLimit(why.limit) : '';
    this.checkCap(wait, operation, reason);
    await this.waitOut(wait, operation, reason);
    return wait;
  }

  private checkCap(wait: number, operation: string, reason: string): void {
    const cap = this.o.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    if (wait > 0 && this.waited + wait > cap) {
      throw new HttpError(
        `${this.service}: ${operation} would wait ${formatDuration(wait)} for its rate limit (${reason}), beyond the ${formatDuration(cap)} a run may wait in all (already waited ${formatDuration(this.waited)})`,
        {
          service: this.service,
          kind: 'throttled',
          method: '-',
          url: operation,
          attempts: 0,
          hints: ['nothing was lost: run again later and it resumes where it stopped', 'or raise the cap: merchant config set http.maxWaitMs <milliseconds> (MERCHANT_HTTP_MAXWAITMS)'],
        },
      );
    }
  }

  private async waitOut(wait: number, operation: string, reason: string): Promise<void> {
    if (wait <= 0) return;
    this.waited += wait;
    if (wait >= (this.o.noticeMs ?? 1000)) this.o.onWait?.({ service: this.service, operation, waitMs: wait, reason });
    const scale = this.o.scale ?? 1;
    const real = Math.max(0, Math.round(wait * scale));
    this.offset += wait - real;
    if (real > 0) await (this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(real);
  }

  private earliest(e: Entry, now: number): number {
    if (e.limit.kind === 'bucket') {
      this.refill(e, now);
      if (e.tokens >= 1 - 1e-9) return now;
      return now + ((1 - e.tokens) / e.limit.rate) * 1000;
    }
    this.prune(e, now);
    if (e.times.length < e.limit.count) return now;
    return e.times[e.times.length - e.limit.count]! + e.limit.windowMs;
  }

  private refill(e: Entry, now: number): void {
    if (e.limit.kind !== 'bucket') return;
    if (now > e.at) {
      e.tokens = Math.min(e.limit.burst, e.tokens + ((now - e.at) / 1000) * e.limit.rate);
      e.at = now;
    }
  }

  private prune(e: Entry, now: number): void {
    if (e.limit.kind !== 'window') return;
    const w = e.limit.windowMs;
    e.times = e.times.filter((t) => t > now - w);
  }

  private persist(key: string, e: Entry): void {
    if (!this.o.state) return;
    if (e.limit.kind === 'bucket') this.o.state.save(key, { tokens: e.tokens, at: e.at, ...(e.documented !== undefined && e.limit.rate !== e.documented ? { rate: e.limit.rate } : {}) });
    else this.o.state.save(key, { times: [...e.times] });
  }
}
