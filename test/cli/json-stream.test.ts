// printJsonStream (cli/render.ts): a --json document written while its rows are read. It must print
// exactly the bytes printJson prints for the same content (scripts parse it; the tests compare it), and
// it must not read ahead of a slow reader: a million-row --json keeps the memory of a few rows.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { IO } from '../../src/cli/io.js';
import { Later, Streamed, printJson, printJsonStream } from '../../src/cli/render.js';
import { collect } from '../helpers/run.js';

function pipe(stdout = new PassThrough()) {
  const io = new IO({ stdout, stderr: new PassThrough(), stdin: new PassThrough(), isStdoutTTY: false, isStderrTTY: false, isStdinTTY: false, env: {} });
  io.setFlags({ json: true });
  return { io, out: collect(stdout) };
}

const whole = (doc: unknown) => {
  const p = pipe();
  printJson(p.io, doc);
  return p.out();
};
const streamed = async (doc: Record<string, unknown>) => {
  const p = pipe();
  expect(await printJsonStream(p.io, doc)).toBe(true);
  return p.out();
};

function* cursor<T>(rows: T[]): Generator<T> {
  for (const r of rows) yield r;
}

const ROWS = [
  { sku: 'MUG-1', title: 'Mug "blue"\nline two\ttab', price: { amount: 1299n, currency: 'EUR' }, channels: ['amazon-de', 'shopify'], updatedAt: '2026-11-03T09:15:00.123+01:00', nothing: null, gone: undefined },
  { sku: 'TEA-ÅÄÖ-漢字-😀', title: '', price: null, channels: [], nested: { deeper: [[1, 2], [], {}], at: '2026-11-03T09:15:00Z' }, since: 'not a date' },
  { sku: 'BIG', qty: 2n ** 63n - 1n, empty: {}, list: [{ a: 1 }, { b: [null, true, false] }] },
];

describe('printJsonStream', () => {
  it('prints the bytes printJson prints: nested values, BigInt, timestamps, escapes, undefined left out', async () => {
    const docs: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ items: new Streamed(cursor(ROWS)) }, { items: ROWS }],
      [{ items: new Streamed(cursor(ROWS)), total: ROWS.length, file: '/x.toml' }, { items: ROWS, total: ROWS.length, file: '/x.toml' }],
      [{ head: { a: 1, createdAt: '2026-01-01T00:00:00.000Z' }, items: new Streamed(ROWS), totals: new Streamed(cursor([{ sku: 'A', onHand: 3 }])) }, { head: { a: 1, createdAt: '2026-01-01T00:00:00.000Z' }, items: ROWS, totals: [{ sku: 'A', onHand: 3 }] }],
      [{ items: new Streamed(cursor([])), totals: new Streamed([]), total: 0 }, { items: [], totals: [], total: 0 }],
      [{ skipped: undefined, items: new Streamed(cursor([1, 'two', null, [3]])) }, { skipped: undefined, items: [1, 'two', null, [3]] }],
      [{}, {}],
      [{ only: 'scalar' }, { only: 'scalar' }],
    ];
    for (const [lazy, eager] of docs) {
      const want = whole(eager);
      expect(await streamed(lazy)).toBe(want);
      JSON.parse(want);
    }
  });

  it('evaluates a Later field when it is reached, after the rows before it', async () => {
    let n = 0;
    const counted = (function* () {
      for (const r of ROWS) {
        n++;
        yield r;
      }
    })();
    const out = await streamed({ items: new Streamed(counted), total: new Later(() => n) });
    expect(out).toBe(whole({ items: ROWS, total: ROWS.length }));
  });

  it('does not read ahead of a slow reader, and finishes once it reads', async () => {
    const stdout = new PassThrough({ highWaterMark: 16 * 1024 });
    const p = pipe(stdout);
    let pulled = 0;
    const N = 50_000;
    const rows = (function* () {
      for (let i = 0; i < N; i++) {
        pulled++;
        yield { sku: `SKU-${i}`, title: 'Stoneware mug, hand-thrown', onHand: i };
      }
    })();
    // Nobody reads stdout yet: the writer must stop after a chunk or two (64 KB each), not build the whole
    // document (N rows are ≈ 4.5 MB of text).
    stdout.pause();
    const chunks: Buffer[] = [];
    const done = printJsonStream(p.io, { items: new Streamed(rows), total: new Later(() => pulled) });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(3000);
    stdout.on('data', (c: Buffer) => chunks.push(c));
    stdout.resume();
    expect(await done).toBe(true);
    const doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(doc.items).toHaveLength(N);
    expect(doc.total).toBe(N);
    expect(doc.items[N - 1]).toEqual({ sku: `SKU-${N - 1}`, title: 'Stoneware mug, hand-thrown', onHand: N - 1 });
  });
});
