// The writer thread of a large `prices update` run (store/repos/price-writer.ts starts it). It opens
// its own connection to the store's file with the store's connection settings (store/connection.ts;
// the file is already migrated and in WAL mode), takes the write transaction at once, and writes each
// chunk of prices as it arrives; at `commit` it adds the audit entry and commits, at `abort` or on any failure it rolls back. Crash
// points continue the main thread's counts, so MERCHANT_CRASH_AT=tx.before-commit:n means the same
// transaction whichever thread commits it.

import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { configureConnection } from './connection.js';
import { PriceChangeSink } from './repos/price-writes.js';
import type { WriterData, WriterMessage, WriterReply } from './repos/price-writer.js';
import { crashCounts, crashPoint, setCrashCounts } from '../services/crashpoint.js';

const { path, at, busyTimeoutMs, port } = workerData as WriterData;
type Failure = Extract<WriterReply, { t: 'error' }>['error'];
const describe = (e: unknown): Failure => ({ message: (e as Error)?.message ?? String(e), code: (e as { code?: string })?.code, name: (e as Error)?.name });

let db: Database.Database | undefined;
let sink: PriceChangeSink | undefined;
let failed: Failure | undefined;

function end(): void {
  try {
    if (db?.inTransaction) db.exec('ROLLBACK');
  } catch {
    /* closing rolls back as well */
  }
  try {
    db?.close();
  } catch {
    /* nothing more to do */
  }
  port.close();
}

try {
  db = new Database(path, { fileMustExist: true });
  configureConnection(db, busyTimeoutMs);
  db.exec('BEGIN IMMEDIATE');
  sink = new PriceChangeSink(db, at);
} catch (e) {
  failed = describe(e);
}

port.on('message', (m: WriterMessage) => {
  if (m.t === 'abort') return end();
  if (failed) {
    if (m.t === 'commit') {
      port.postMessage({ t: 'error', error: failed } satisfies WriterReply);
      end();
    }
    return;
  }
  try {
    if (m.t === 'basis') sink!.basis(m.k, m.b);
    else if (m.t === 'rows') sink!.rows(m.chunk);
    else {
      sink!.audit(m.audit);
      setCrashCounts(m.crash);
      crashPoint('tx.before-commit'); // kill -9 inside the transaction: SQLite must roll it back
      db!.exec('COMMIT');
      crashPoint('tx.after-commit');
      port.postMessage({ t: 'done', crash: crashCounts() } satisfies WriterReply);
      end();
    }
  } catch (e) {
    failed = describe(e);
    try {
      if (db?.inTransaction) db.exec('ROLLBACK');
    } catch {
      /* the connection is closed at the end */
    }
    if (m.t === 'commit') {
      port.postMessage({ t: 'error', error: failed } satisfies WriterReply);
      end();
    }
  }
});
