// The per-call log of sync runs (sync_log, migration 0005): every remote call's outcome, no bodies.
import type { Store } from '../db.js';

export function logSyncCall(store: Store, e: { runId: number | null; at: string; service: string; operation: string; items: number; outcome: 'ok' | 'partial' | 'failed'; detail?: string | null }): void {
  store.db
    .prepare(`INSERT INTO sync_log (run_id, at, service, operation, items, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(e.runId, e.at, e.service, e.operation, e.items, e.outcome, e.detail ?? null);
}

// ---- the runs themselves (sync_runs) ----

/** Open a run; runs still marked running were killed (the caller holds the writer lock) and are closed as failed. */
export function startSyncRun(store: Store, startedAt: string, optionsJson: string): number {
  store.db.prepare(`UPDATE sync_runs SET status = 'failed', finished_at = ?, summary_json = coalesce(summary_json, '{"interrupted":true}') WHERE status = 'running'`).run(startedAt);
  const r = store.db.prepare(`INSERT INTO sync_runs (started_at, status, options_json) VALUES (?, 'running', ?)`).run(startedAt, optionsJson);
  return Number(r.lastInsertRowid);
}

export function finishSyncRun(store: Store, id: number, finishedAt: string, status: string, summaryJson: string): void {
  store.db.prepare('UPDATE sync_runs SET finished_at = ?, status = ?, summary_json = ? WHERE id = ?').run(finishedAt, status, summaryJson, id);
}

/** Close a run that ended in an error as failed, unless it was closed already. */
export function failSyncRun(store: Store, id: number, at: string, summaryJson: string): void {
  store.db.prepare(`UPDATE sync_runs SET status = 'failed', finished_at = ?, summary_json = ? WHERE id = ? AND status = 'running'`).run(at, summaryJson, id);
}
