// The import's reading thread: decode, split, validate and hash one file's rows (RowPipeline) while
// the main thread writes the previous batch to SQLite. On a machine with two cores the two halves
// overlap; the import costs about as much wall time as the larger of them instead of their sum.
//
// Protocol (main ← worker): {t:'batch', items, rows, bytes} … {t:'done', rows, bytes, digest, notes}
// or {t:'error', error}. Main → worker: 'more' after each batch it has taken (credit: at most
// IN_FLIGHT batches wait in memory, so a slow writer never makes the reader buffer the file).

import type { MessagePort } from 'node:worker_threads';
import type { ListingFiles, ReadOptions } from '../../ports/listing-files.js';
import { readHeader } from './detect.js';
import { RowPipeline, ItemEncoder, type RowSetup } from './rows.js';
import { serializeError } from './worker-errors.js';

export interface WorkerInput {
  path: string;
  read: ReadOptions;
  format: string | undefined;
  setup: RowSetup;
}

/** Items per posted batch (flat slots) and how many batches may be unread at once. */
const BATCH_SLOTS = 16_000;
const IN_FLIGHT = 4;

/** The thread's whole work (started by src/cli/import-worker-entry.ts, which wires the file port). */
export async function runImportWorker(files: ListingFiles, port: MessagePort, input: WorkerInput): Promise<void> {
  try {
    await run(files, port, input);
  } catch (e) {
    port.postMessage({ t: 'error', error: serializeError(e) });
  }
}

async function run(files: ListingFiles, port: MessagePort, input: WorkerInput): Promise<void> {
  let credit = IN_FLIGHT;
  let wake: (() => void) | undefined;
  port.on('message', (m) => {
    if (m === 'more') {
      credit++;
      wake?.();
    }
  });
  const src = files.open(input.path, input.read);
  const it = src.cursor();
  const header = await readHeader(files.maps, src.name, it, input.format);
  // This thread computes the row hashes too: the writing thread is the slower half (its SQLite work),
  // and waited on this one for less than the hashes cost it.
  const pipe = new RowPipeline(header.binding, input.setup);
  const enc = new ItemEncoder();
  const post = async () => {
    while (credit === 0) await new Promise<void>((r) => (wake = r));
    wake = undefined;
    credit--;
    port.postMessage({ t: 'batch', items: enc.take(), rows: pipe.rows, bytes: src.bytesRead });
  };
  for (;;) {
    const records = await it.nextBatch();
    if (!records) break;
    for (const rec of records) {
      const item = pipe.push(rec);
      if (!item) continue;
      enc.push(item);
      if (enc.out.length >= BATCH_SLOTS) await post();
    }
  }
  if (enc.out.length) await post();
  pipe.end();
  port.postMessage({ t: 'done', rows: pipe.rows, bytes: src.bytesRead, digest: src.digest(), notes: pipe.assembler.notes.slice(0, 100), noteCount: pipe.assembler.notes.length });
}
