// Audit log: who changed what, when. Never secrets.
import type { Store } from '../db.js';
import type { AuditEntry, AuditRepo } from '../../ports/pricing.js';

export function audit(store: Store, entry: AuditEntry): void {
  auditOn(store.db, entry);
}

/** The same row on any connection (the price writer thread has its own). */
export function auditOn(db: { prepare(sql: string): { run(...args: unknown[]): unknown } }, entry: AuditEntry): void {
  db
    .prepare('INSERT INTO audit_log (at, command, entity, entity_id, action, detail_json) VALUES (?, ?, ?, ?, ?, ?)')
    .run(
      entry.at,
      entry.command,
      entry.entity,
      entry.entityId ?? null,
      entry.action,
      entry.detail === undefined ? null : JSON.stringify(entry.detail, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    );
}

/** The audit log as a repository. */
export class SqliteAudit implements AuditRepo {
  constructor(private readonly store: Store) {}
  record(entry: AuditEntry): void {
    audit(this.store, entry);
  }
}
