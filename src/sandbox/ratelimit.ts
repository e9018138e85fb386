// Token buckets on the injected clock: `rate` tokens per second up to `burst` (Amazon usage plans,
// Shopify's cost bucket with a restore rate).

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
    }
  }

  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Take `cost` tokens if present; returns false (and takes nothing) otherwise. */
  take(now: number, cost = 1): boolean {
    this.refill(now);
    if (this.tokens + 1e-9 < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Give back tokens (Shopify refunds requested − actual cost). */
  give(now: number, amount: number): void {
    this.refill(now);
    this.tokens = Math.min(this.burst, this.tokens + amount);
  }

  /** Milliseconds until `cost` tokens are available. */
  waitMs(now: number, cost = 1): number {
    this.refill(now);
    if (this.tokens >= cost) return 0;
    return Math.ceil(((cost - this.tokens) / this.rate) * 1000);
  }
}

export class BucketSet {
  private buckets = new Map<string, TokenBucket>();
  get(key: string, rate: number, burst: number, now: number): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(rate, burst, now);
      this.buckets.set(key, b);
    }
    return b;
  }
  clear(): void {
    this.buckets.clear();
  }
}
