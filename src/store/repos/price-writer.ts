// The two writers of a `prices update` run (ports/pricing.ts PriceWriter), on the SQL of
// store/repos/price-writes.ts. A small run gathers its prices and writes them in one transaction of the
// store's connection at commit. A large run writes on a thread of its own (store/price-writer-worker.ts):
// the thread opens its own connection and takes the write transaction at once, and the prices go to it
// in chunks while this thread is still solving the next ones — on two cores the writing (half of a
// 500,000-price re-price) overlaps the solving instead of following it. Until commit nothing is
// visible to any reader; a failure or abort rolls the thread's transaction back, and kill -9 leaves
// an uncommitted transaction that SQLite discards.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Store } from '../db.js';
import { isSharedFile } from '../connection.js';
import type { AuditEntry, NewPrice, PriceBasis, PriceWriter } from '../../ports/pricing.js';
import { crashCounts, setCrashCounts } from '../../services/crashpoint.js';
import { ChunkBuilder, PriceChangeSink, basisFields, type BasisFields, type PriceChunk } from './price-writes.js';

/** Prices per chunk (its change rows 64 to a statement, then one listings UPDATE); one message each to the writer thread. */
const CHUNK = 4096;
/** From this many possible prices on, a run writes on its own thread (MERCHANT_PRICE_THREAD_MIN overrides: tests, diagnosis). */
const THREAD_MIN = 20_000;

/** A run's prices in chunks, and its bases numbered in the order they are first met. */
class Gather {
  private readonly bases = new Map<PriceBasis, number>();
  private readonly chunk = new ChunkBuilder(CHUNK);
  constructor(private readonly onBasis: (k: number, b: BasisFields) => void, private readonly onChunk: (c: PriceChunk) => void) {}
  add(p: NewPrice): void {
    let k = this.bases.get(p.basis);
    if (k === undefined) {
      k = this.bases.size;
      this.bases.set(p.basis, k);
      this.onBasis(k, basisFields(p.basis));
    }
    this.chunk.add(k, p);
    if (this.chunk.full) this.flush();
  }
  flush(): void {
    const c = this.chunk.take();
    if (c) this.onChunk(c);
  }
}

/** A small run: everything in one transaction of the store's own connection, at commit. */
export class InlinePriceWriter implements PriceWriter {
  private readonly bases: BasisFields[] = [];
  private readonly chunks: PriceChunk[] = [];
  private readonly gather = new Gather((_k, b) => this.bases.push(b), (c) => this.chunks.push(c));
  constructor(private readonly store: Store, private readonly at: string) {}
  add(p: NewPrice): void {
    this.gather.add(p);
  }
  commit(audit: AuditEntry): Promise<void> {
    this.gather.flush();
    this.store.tx(() => {
      const sink = new PriceChangeSink(this.store.db, this.at);
      this.bases.forEach((b, k) => sink.basis(k, b));
      for (const c of this.chunks) sink.rows(c);
      sink.audit(audit);
    });
    return Promise.resolve();
  }
  abort(): void {
    this.chunks.length = 0;
  }
}

/** What the writer thread answers (store/price-writer-worker.ts). */
export type WriterReply = { t: 'done'; crash: Record<string, number> } | { t: 'error'; error: { message: string; code?: string; name?: string } };
/** What the writer thread is sent. */
export type WriterMessage =
  | { t: 'basis'; k: number; b: BasisFields }
  | { t: 'rows'; chunk: PriceChunk }
  | { t: 'commit'; audit: AuditEntry; crash: Record<string, number> }
  | { t: 'abort' };
export interface WriterData {
  path: string;
  at: string;
  busyTimeoutMs: number;
  port: MessagePort;
}

/** A large run: written on its own thread while this one solves. */
export class ThreadPriceWriter implements PriceWriter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly reply: Promise<WriterReply>;
  private readonly gather: Gather;
  private closed = false;
  constructor(store: Store, at: string, url: URL) {
    const { port1, port2 } = new MessageChannel();
    const data: WriterData = { path: store.path, at, busyTimeoutMs: Number(store.db.pragma('busy_timeout', { simple: true })), port: port2 };
    this.worker = new Worker(url, { workerData: data, transferList: [port2] });
    this.port = port1;
    // The answer, or the thread's end without one (it could not even start, or was stopped).
    this.reply = new Promise((resolve) => {
      port1.on('message', (m: WriterReply) => resolve(m));
      this.worker.on('error', (e: Error & { code?: string }) => resolve({ t: 'error', error: { message: `the price writer thread failed: ${e.message}`, code: e.code } }));
      // Its answer may still be queued when the exit is seen: read it first (an exit after 'done' is the normal end).
      this.worker.on('exit', (code) =>
        resolve(
          (receiveMessageOnPort(port1)?.message as WriterReply | undefined) ?? {
            t: 'error',
            error: { message: `the price writer thread stopped (exit code ${code}) before it committed; nothing was written` },
          },
        ),
      );
    });
    // (a chunk's buffers are moved to the thread, not copied)
    this.gather = new Gather(
      (k, b) => this.post({ t: 'basis', k, b }),
      (c) => this.post({ t: 'rows', chunk: c }, [c.nums.buffer as ArrayBuffer, c.ints.buffer as ArrayBuffer, c.meta.buffer as ArrayBuffer]),
    );
  }
  add(p: NewPrice): void {
    this.gather.add(p);
  }
  async commit(audit: AuditEntry): Promise<void> {
    this.gather.flush();
    this.post({ t: 'commit', audit, crash: crashCounts() });
    const r = await this.reply;
    this.close();
    if (r.t === 'error') throw Object.assign(new Error(r.error.message), r.error.code ? { code: r.error.code } : {});
    setCrashCounts(r.crash);
  }
  abort(): void {
    if (this.closed) return;
    this.post({ t: 'abort' });
    this.close();
  }
  private post(m: WriterMessage, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(m, transfer);
  }
  private close(): void {
    this.closed = true;
    this.port.close();
    this.worker.unref();
  }
}

/** The writer thread's script (compiled next to this folder). */
const WORKER_URL = new URL('../price-writer-worker.js', import.meta.url);

/** The writer for a run of at most `expected` prices (`worker`: the thread's script, for tests run from the sources). */
export function priceWriter(store: Store, at: string, expected: number, worker: URL = WORKER_URL): PriceWriter {
  const min = Number(process.env.MERCHANT_PRICE_THREAD_MIN ?? THREAD_MIN);
  // (Run from the TypeScript sources, the thread's compiled script is not there: write inline.)
  if (expected >= min && isSharedFile(store.path) && existsSync(fileURLToPath(worker))) return new ThreadPriceWriter(store, at, worker);
  return new InlinePriceWriter(store, at);
}
