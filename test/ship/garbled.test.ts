// Issue #16, fault 1: a purchase answer that is not a purchased shipment (a proxy's HTML page, `{}`, JSON
// cut short — each delivered with status 200 after the label WAS bought) is an unknown outcome. The
// ledger row stays 'purchasing' until the carrier has been asked; the label found there is recorded with
// its shipment id, so it can be downloaded, tracked and voided. Never a second label.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { openStore } from '../../src/store/db.js';
import { run } from '../helpers/run.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { RemoteError } from '../../src/core/errors.js';
import { HttpError } from '../../src/adapters/http/errors.js';
import { definiteRefusal } from '../../src/services/ship/book.js';
import { ENV, home, labelsSold, purchasesInLog, shipment, useSandbox } from './helpers.js';

const sandbox = useSandbox();
type Row = { reference: string; state: string; remote_shipment_id: string | null; tracking_code: string | null; label_path: string | null; attempts: bigint };

function rows(h: string): Row[] {
  const store = openStore(join(h, 'merchant.db'));
  try {
    return store.db.prepare('SELECT reference, state, remote_shipment_id, tracking_code, label_path, attempts FROM shipments ORDER BY id').all() as Row[];
  } finally {
    store.close();
  }
}

const GARBLED = ['html', 'empty', 'truncated'] as const;

describe('a garbled answer to the label purchase (EasyPost)', () => {
  it.each(GARBLED)('%s: reconciled by reading the shipment back; recorded with its shipment id; then label, track and void work', async (fault) => {
    const sb = sandbox();
    const reference = `G-${fault}`;
    const { home: h, file } = await home(sb, shipment({ reference }));
    sb.scriptFaults([{ match: '/buy', fault }]);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reference, state: 'purchased', reconciled: true, trackingCode: expect.any(String) });
    const [row] = rows(h);
    expect(row).toMatchObject({ state: 'purchased', remote_shipment_id: expect.stringMatching(/^shp_/), tracking_code: expect.any(String), attempts: 1n });
    expect(existsSync(row!.label_path!)).toBe(true);
    // The carrier sold exactly one label, and was asked to sell one: the log's purchases and its state agree.
    expect(sb.requests().filter((q) => q.method === 'POST' && q.path.includes('/buy')).map((q) => q.fault ?? q.status)).toEqual([fault]);
    expect(labelsSold(sb)).toBe(1);
    for (const args of [['ship', 'label', reference], ['ship', 'track', reference, '--json'], ['ship', 'void', reference, '--yes', '--json']]) {
      const x = await run(args, { home: h, env: ENV });
      expect(x.code, `${args.join(' ')}: ${x.stderr}`).toBe(0);
    }
    expect(rows(h)[0]).toMatchObject({ state: 'voided' });
  });

  it('a garbled purchase answer and a garbled read-back: nothing is recorded as bought and nothing bought twice (exit 6, stays purchasing); the re-run reconciles', async () => {
    const sb = sandbox();
    const reference = 'G-twice';
    const { home: h, file } = await home(sb, shipment({ reference }));
    sb.scriptFaults([
      { match: '/buy', fault: 'truncated' },
      // Every attempt of the read-back (MERCHANT_HTTP_RETRIES=2: three), since a garbled answer to a
      // safe read is retried.
      { match: 'GET /easypost/v2/shipments/shp_', nth: 1, fault: 'html' },
      { match: 'GET /easypost/v2/shipments/shp_', nth: 2, fault: 'html' },
      { match: 'GET /easypost/v2/shipments/shp_', nth: 3, fault: 'html' },
    ]);
    const r1 = await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r1.code, r1.stderr).toBe(6);
    expect(r1.stderr).toMatch(/stays 'purchasing'/);
    expect(rows(h)[0]).toMatchObject({ state: 'purchasing', remote_shipment_id: expect.stringMatching(/^shp_/) });
    expect(purchasesInLog(sb)).toBe(1);
    const r2 = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r2.code, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout)).toMatchObject({ state: 'purchased' });
    expect(purchasesInLog(sb)).toBe(1);
    expect(labelsSold(sb)).toBe(1);
  });

  it('a garbled answer to the shipment create: found again by reference, created once', async () => {
    const sb = sandbox();
    const reference = 'G-create';
    const { home: h, file } = await home(sb, shipment({ reference }));
    sb.scriptFaults([{ match: 'POST /easypost/v2/shipments', nth: 1, fault: 'empty' }]);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    const created = sb.requests().filter((q) => q.method === 'POST' && /\/easypost\/v2\/shipments$/.test(q.path));
    expect(created).toHaveLength(1);
    expect(labelsSold(sb)).toBe(1);
  });

  it('a refusal is not an unknown outcome: a 422 at purchase fails the row without asking again', async () => {
    const sb = sandbox();
    const reference = 'G-refused';
    const doc = shipment({ reference, from: { ...(shipment().from as Record<string, unknown>), phone: undefined } });
    const { home: h, file } = await home(sb, doc);
    const before = sb.requests().length;
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest'], { home: h, env: ENV });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('return_address.phone');
    expect(rows(h)[0]).toMatchObject({ state: 'failed' });
    expect(sb.requests().slice(before).filter((q) => q.method === 'GET' && q.path.includes('/v2/shipments/shp_'))).toHaveLength(0);
    expect(labelsSold(sb)).toBe(0);
  });
});

describe('a garbled answer to the label purchase (Shippo)', () => {
  async function shippo(sb: Sandbox, reference: string): Promise<{ home: string; file: string }> {
    const x = await home(sb, shipment({ reference }));
    const c = await run(['carrier', 'connect', 'shippo', '--sandbox', sb.url], { home: x.home, env: ENV });
    if (c.code !== 0) throw new Error(c.stderr);
    return x;
  }

  it.each(GARBLED)('%s: the transaction is found by its rate and adopted; one label', async (fault) => {
    const sb = sandbox();
    const reference = `GS-${fault}`;
    const { home: h, file } = await shippo(sb, reference);
    sb.scriptFaults([{ match: 'POST /shippo/transactions', fault }]);
    const r = await run(['ship', 'book', '--yes', '--file', file, '--cheapest', '--carrier', 'shippo', '--json'], { home: h, env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'purchased', reconciled: true, labelPath: expect.any(String) });
    expect(rows(h)[0]).toMatchObject({ state: 'purchased', remote_shipment_id: expect.stringMatching(/^[0-9a-f]{32}$/), tracking_code: expect.any(String) });
    expect(sb.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/shippo/transactions'))).toHaveLength(1);
    expect(sb.requests().some((q) => q.method === 'GET' && /\/shippo\/transactions\?.*rate=/.test(q.path))).toBe(true);
    expect(labelsSold(sb)).toBe(1);
  });
});

describe('what counts as a definite refusal of a purchase', () => {
  const http = (status: number | undefined, o: { ambiguous?: boolean; kind?: 'http' | 'timeout' | 'network' | 'auth'; apiMessage?: string } = {}) =>
    new HttpError(`x: HTTP ${status ?? '-'}`, { service: 'x', kind: o.kind ?? 'http', status, method: 'POST', url: '/buy', attempts: 1, ambiguous: o.ambiguous ?? false, ...(o.apiMessage ? { apiMessage: o.apiMessage } : {}) });
  it.each([
    ['422 postage failure', http(422), true],
    ['400 validation', http(400), true],
    ['401 key refused', http(401, { kind: 'auth' }), true],
    ['Shippo status ERROR', new RemoteError('shippo: the label purchase failed', { status: 400, apiCode: 'TRANSACTION_ERROR' }), true],
    ['408 timeout', http(408), false],
    ['409 conflict', http(409), false],
    ['422 duplicate request in flight', http(422, { apiMessage: 'A duplicate request is currently in-flight' }), false],
    ['429 throttled', http(429), false],
    ['500', http(500, { ambiguous: true }), false],
    ['timed out', http(undefined, { kind: 'timeout', ambiguous: true }), false],
    ['an answer that is not a shipment', new RemoteError('easypost: the answer … is not what EasyPost sends', { apiCode: 'MALFORMED_REPLY' }), false],
    ['a bug while reading the answer', new TypeError("Cannot read properties of undefined (reading 'id')"), false],
  ])('%s → %s', (_what, e, refused) => {
    expect(definiteRefusal(e)).toBe(refused);
  });
});
