// The per-call log of sync runs (sync_log, migration 0005): every remote call's outcome, no bodies.
import type { Store } from '../db.js';

export function logSyncCall(store: Store, e: { runId: number | null; at: string; service: string; operation: string; items: number; outcome: 'ok' | 'partial' | 'failed'; detail?: string | null }): void {
  store.db
    .prepare(`INSERT INTO sync_log (run_id, at, service, operation, items, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(e.runId, e.at, e.service, e.operation, e.items, e.outcome, e.detail ?? null);
}
