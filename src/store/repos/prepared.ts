// The base of a repository that prepares each of its statements once per store (a report asks for a
// rate per order line; a label purchase reads its shipment several times) and reuses it afterwards.

import type { Statement, Store } from '../db.js';

export abstract class PreparedOnce {
  private readonly stmts = new Map<string, Statement>();
  constructor(protected readonly store: Store) {}

  /** The statement for this SQL text, prepared on first use. */
  protected stmt(sql: string): Statement {
    let st = this.stmts.get(sql);
    if (!st) this.stmts.set(sql, (st = this.store.db.prepare(sql)));
    return st;
  }
}
