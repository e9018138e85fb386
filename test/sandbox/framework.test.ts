import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { FaultInjector, parseFaultSpec } from '../../src/sandbox/faults.js';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../../src/sandbox/paths.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

/** A raw request that reports a dropped connection instead of throwing. */
function raw(url: string, opts: { method?: string; timeoutMs?: number } = {}): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: opts.method ?? 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(opts.timeoutMs ?? 5000, () => {
      req.destroy();
      resolve({ error: 'timeout' });
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

describe('sandbox server', () => {
  it('serves the bundled ECB files and logs each request', async () => {
    sb = await startSandbox();
    const r = await raw(`${sb.urls.ecb}/eurofxref-daily.xml`);
    expect(r.status).toBe(200);
    expect(r.body).toContain("<Cube currency='USD'");
    const csv = await raw(`${sb.urls.ecb}/eurofxref-hist.csv`);
    expect(csv.body?.startsWith('Date,USD,JPY')).toBe(true);
    expect(sb.requests().map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual(['GET /ecb/eurofxref-daily.xml 200', 'GET /ecb/eurofxref-hist.csv 200']);
    const insp = await raw(`${sb.url}/_sandbox/requests`);
    expect(JSON.parse(insp.body ?? '{}').requests).toHaveLength(2);
  });

  it('serves the history as the ECB does, a zip holding eurofxref-hist.csv unchanged', async () => {
    sb = await startSandbox();
    const res = await fetch(`${sb.urls.ecb}/eurofxref-hist.zip`);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files)).toEqual(['eurofxref-hist.csv']);
    expect(Buffer.from(files['eurofxref-hist.csv']!).equals(readFileSync(join(FIXTURES, 'ecb', 'eurofxref-hist.csv')))).toBe(true);
  });

  it('answers unknown paths with 404 naming the APIs', async () => {
    sb = await startSandbox();
    const r = await raw(`${sb.url}/nope`);
    expect(r.status).toBe(404);
    expect(r.body).toContain('/amazon');
  });

  it('scripted faults hit exactly the nth matching request', async () => {
    sb = await startSandbox();
    sb.scriptFaults([{ match: 'GET /ecb/eurofxref-daily', nth: 2, fault: '503' }, { match: 'hist', fault: 'drop' }]);
    expect((await raw(`${sb.urls.ecb}/eurofxref-daily.xml`)).status).toBe(200);
    expect((await raw(`${sb.urls.ecb}/eurofxref-daily.xml`)).status).toBe(503);
    expect((await raw(`${sb.urls.ecb}/eurofxref-daily.xml`)).status).toBe(200);
    const dropped = await raw(`${sb.urls.ecb}/eurofxref-hist.csv`);
    expect(dropped.error).toBe('ECONNRESET');
    expect((await raw(`${sb.urls.ecb}/eurofxref-hist.csv`)).status).toBe(200);
    const log = sb.requests();
    expect(log[1]?.fault).toBe('503');
    expect(log[3]?.fault).toBe('drop');
    expect(log[3]?.status).toBeUndefined();
  });

  it('a timeout fault never answers until the client gives up, and stop() still returns', async () => {
    sb = await startSandbox();
    sb.scriptFaults([{ fault: 'timeout' }]);
    const r = await raw(`${sb.urls.ecb}/eurofxref-daily.xml`, { timeoutMs: 300 });
    expect(r.error).toBe('timeout');
  });

  it('slow delays every answer; the clock endpoint moves the sandbox clock', async () => {
    sb = await startSandbox({ faults: 'slow:150ms' });
    const t0 = Date.now();
    expect((await raw(`${sb.urls.ecb}/eurofxref-daily.xml`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const before = (await (await fetch(`${sb.url}/_sandbox/clock`)).json()) as { now: string };
    const moved = (await (await fetch(`${sb.url}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 86_400_000 }) })).json()) as { now: string; offsetMs: number };
    expect(moved.offsetMs).toBe(86_400_000);
    expect(Date.parse(moved.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(86_400_000);
  });

  it('probabilistic faults are deterministic for a seed', async () => {
    const a = new FaultInjector('500:0.3,drop:0.1', 42);
    const b = new FaultInjector('500:0.3,drop:0.1', 42);
    const seqA = Array.from({ length: 200 }, () => a.decide('GET /x'));
    const seqB = Array.from({ length: 200 }, () => b.decide('GET /x'));
    expect(seqA).toEqual(seqB);
    const n500 = seqA.filter((x) => x === '500').length;
    expect(n500).toBeGreaterThan(40);
    expect(n500).toBeLessThan(80);
    expect(seqA.filter((x) => x === 'drop').length).toBeGreaterThan(5);
  });

  it('rejects malformed fault specs with a message', () => {
    expect(() => parseFaultSpec('429')).toThrow(/KIND:PROBABILITY/);
    expect(() => parseFaultSpec('teapot:0.1')).toThrow(/unknown fault/);
    expect(() => parseFaultSpec('500:0.7,429:0.5')).toThrow(/more than 1/);
    expect(parseFaultSpec('slow:2s').slowMs).toBe(2000);
  });

  it('faults can be set over HTTP', async () => {
    sb = await startSandbox();
    const res = await fetch(`${sb.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ scripted: [{ match: 'daily', fault: '500' }] }) });
    expect(res.status).toBe(200);
    expect((await raw(`${sb.urls.ecb}/eurofxref-daily.xml`)).status).toBe(500);
    const bad = await fetch(`${sb.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ spec: 'x:1' }) });
    expect(bad.status).toBe(400);
  });
});
