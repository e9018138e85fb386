// The access-token holder the OAuth-style marketplace auths share (Amazon LWA, eBay refresh token):
// keep the token in memory until its renewal time, and let concurrent callers share one token
// request (single flight). How a token is asked for, and what a refusal means, stays in each adapter.

export interface IssuedToken {
  value: string;
  /** How long it is valid from now (ms). */
  lifeMs: number;
}

export class SingleFlightToken {
  private token?: { value: string; renewAt: number; expiresAt: number };
  private inflight?: Promise<string>;
  /** When the last token issued expires (ISO 8601), kept after invalidate() for status reports. */
  lastExpiry?: string;

  /** @param renewAt when to ask again, given the issue time and the token's life (ms). */
  constructor(
    private readonly now: () => number,
    private readonly renewAt: (issuedAt: number, lifeMs: number) => number,
  ) {}

  /** The token was refused (401): the next call asks for a new one. */
  invalidate(): void {
    this.token = undefined;
  }

  /** The current token, or a new one from `issue` (one request however many callers wait). */
  async get(issue: () => Promise<IssuedToken>): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return this.token.value;
    this.inflight ??= issue()
      .then((t) => {
        const at = this.now();
        this.token = { value: t.value, renewAt: this.renewAt(at, t.lifeMs), expiresAt: at + t.lifeMs };
        this.lastExpiry = new Date(this.token.expiresAt).toISOString();
        return t.value;
      })
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }
}
