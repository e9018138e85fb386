// The request pacer's state between runs (migration 0102): one JSON document per limit key. Shaped as
// the pacer's PacerStateStore (src/adapters/http/pacer.ts) without importing it.
import type { Store } from '../db.js';

export interface RateLimitState {
  tokens?: number;
  at?: number;
  times?: number[];
  rate?: number;
}

export function rateLimitStateStore(store: Store, now: () => string): { load(key: string): RateLimitState | undefined; save(key: string, state: RateLimitState): void } {
  const get = store.db.prepare('SELECT state_json FROM rate_limit_state WHERE key = ?');
  const put = store.db.prepare(
    `INSERT INTO rate_limit_state (key, state_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at`,
  );
  return {
    load(key) {
      const r = get.get(key) as { state_json: string } | undefined;
      if (!r) return undefined;
      try {
        return JSON.parse(r.state_json) as RateLimitState;
      } catch {
        return undefined;
      }
    },
    save(key, state) {
      put.run(key, JSON.stringify(state), now());
    },
  };
}
