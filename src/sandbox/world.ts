// The sandbox's state: one JSON-serialisable document (per API, per seller account), the injected
// clock, id minting and the rate-limit buckets. Persisted to --state FILE after every write.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { BucketSet } from './ratelimit.js';
import type { DemoSeed } from './seed.js';

export interface SandboxData {
  version: 1;
  /** Monotonic counter for ids. */
  seq: number;
  /** One slot per API, owned by that API's module. */
  apis: Record<string, unknown>;
}

export class World {
  data: SandboxData;
  readonly buckets = new BucketSet();
  baseUrl = '';
  private initialisers = new Map<string, () => unknown>();

  constructor(
    readonly now: () => number,
    readonly seed: DemoSeed,
    private readonly statePath?: string,
  ) {
    this.data = World.load(statePath) ?? { version: 1, seq: 0, apis: {} };
  }

  private static load(path: string | undefined): SandboxData | undefined {
    if (!path || !existsSync(path)) return undefined;
    const doc = JSON.parse(readFileSync(path, 'utf8')) as SandboxData;
    if (doc.version !== 1 || typeof doc.seq !== 'number' || typeof doc.apis !== 'object') {
      throw new Error(`${path} is not a sandbox state file (version 1)`);
    }
    return doc;
  }

  /** The typed state slot of one API, created from the seed on first use. */
  slot<T>(name: string, init: () => T): T {
    if (!this.initialisers.has(name)) this.initialisers.set(name, init);
    if (!(name in this.data.apis)) this.data.apis[name] = init();
    return this.data.apis[name] as T;
  }

  /** Back to the seed: every slot re-created, counters and buckets cleared. */
  reset(): void {
    this.data = { version: 1, seq: 0, apis: {} };
    for (const [name, init] of this.initialisers) this.data.apis[name] = init();
    this.buckets.clear();
    this.save();
  }

  nextSeq(): number {
    this.data.seq += 1;
    return this.data.seq;
  }

  /** A deterministic id: prefix + zero-padded hex counter (EasyPost's shp_…, Shippo's 32-hex object ids…). */
  id(prefix: string, width = 24): string {
    const n = this.nextSeq().toString(16);
    return prefix + n.padStart(width, '0');
  }

  iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  save(): void {
    if (!this.statePath) return;
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 1));
    renameSync(tmp, this.statePath);
  }
}
