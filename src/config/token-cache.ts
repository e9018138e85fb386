// The access-token cache (ports/token-cache.ts) as a JSON file in MERCHANT_HOME, mode 0600, written
// atomically: `token-cache` next to `credentials`. Tokens are registered with redact() as soon as they
// are read, so they never reach output or logs; a group- or world-readable file is ignored (and
// rewritten 0600 on the next save), never trusted. Expired entries are dropped when the file is saved.
// A cache is an optimisation only: any problem reading it means "no cached token".

import { existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from './atomic.js';
import { registerSecret } from '../core/redact.js';
import type { CachedToken, TokenCache } from '../ports/token-cache.js';

export class FileTokenCache implements TokenCache {
  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  private read(): Record<string, CachedToken> {
    if (!existsSync(this.path)) return {};
    try {
      if (process.platform !== 'win32' && (statSync(this.path).mode & 0o077) !== 0) return {};
      const doc = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      if (!doc || typeof doc !== 'object') return {};
      const out: Record<string, CachedToken> = {};
      for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
        const t = v as Partial<CachedToken>;
        if (typeof t?.token === 'string' && typeof t.expiresAt === 'number') {
          registerSecret(t.token);
          out[k] = { token: t.token, expiresAt: t.expiresAt };
        }
      }
      return out;
    } catch {
      return {};
    }
  }

  private write(entries: Record<string, CachedToken>): void {
    const live = Object.fromEntries(Object.entries(entries).filter(([, v]) => v.expiresAt > this.now()));
    if (!Object.keys(live).length) {
      if (existsSync(this.path)) unlinkSync(this.path);
      return;
    }
    writeFileAtomic(this.path, `${JSON.stringify(live, null, 2)}\n`, 0o600, { mkdir: true });
  }

  get(key: string): CachedToken | undefined {
    const t = this.read()[key];
    return t && t.expiresAt > this.now() ? t : undefined;
  }

  set(key: string, value: CachedToken): void {
    registerSecret(value.token);
    this.write({ ...this.read(), [key]: value });
  }

  delete(key: string): void {
    const all = this.read();
    if (!(key in all)) return;
    delete all[key];
    this.write(all);
  }

  /** Forget every token whose key starts with this prefix (a removed account). */
  deletePrefix(prefix: string): void {
    const all = this.read();
    const kept = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith(prefix)));
    if (Object.keys(kept).length !== Object.keys(all).length) this.write(kept);
  }
}

/** A cache key that changes when anything that identifies the token changes, with no secret in it. */
export function tokenCacheKey(service: string, ...parts: string[]): string {
  return `${service}:${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}
