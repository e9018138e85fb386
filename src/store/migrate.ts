// Ordered, frozen migrations under PRAGMA user_version (after Signal Desktop's ts/sql/migrations).
// Each migration runs in its own IMMEDIATE transaction together with the version bump, so a crash
// leaves the database at the previous version, never half-migrated. A database from a newer
// version is refused by db.ts before anything here runs. Once a version has shipped its SQL is
// frozen: change the schema by appending a migration, never by editing one.

import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function migrate(db: Database.Database): number[] {
  const versions = MIGRATIONS.map((m) => m.version);
  for (let i = 1; i < versions.length; i++) {
    if (versions[i]! <= versions[i - 1]!) throw new Error(`migrations out of order at ${versions[i]}`);
  }
  const applied: number[] = [];
  if (schemaVersion(db) >= LATEST_VERSION) return applied;
  for (const m of MIGRATIONS) {
    // Re-read inside the transaction: another process may have migrated meanwhile.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}
