// Recorded EasyPost traffic (HAR cassettes from EasyPost's official Node client, fixtures/easypost-cassettes,
// MIT) replayed in tests: a player that answers an adapter with the recorded responses and logs what the
// adapter sent, and a shape comparison of JSON documents (paths and types, arrays collapsed).

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fixturesPath } from '../../src/config/paths.js';

export const CASSETTES = fixturesPath('easypost-cassettes');

export interface Interaction {
  method: string;
  /** Path without host, e.g. /v2/shipments/shp_…/buy. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  status: number;
  responseText: string;
  response: unknown;
}

type HarEntry = {
  request: { method: string; url: string; queryString?: Array<{ name: string; value: string }>; postData?: { text?: string } };
  response: { status: number; content: { text?: string } };
};

export function loadCassette(name: string): Interaction[] {
  const har = JSON.parse(readFileSync(join(CASSETTES, name, 'recording.har'), 'utf8')) as { log: { entries: HarEntry[] } };
  return har.log.entries.map((e) => {
    const u = new URL(e.request.url);
    const text = e.response.content.text ?? '';
    let response: unknown;
    try {
      response = text ? JSON.parse(text) : undefined;
    } catch {
      response = text;
    }
    return {
      method: e.request.method,
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      ...(e.request.postData?.text ? { body: JSON.parse(e.request.postData.text) as unknown } : {}),
      status: e.response.status,
      responseText: text,
      response,
    };
  });
}

export interface Sent {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Answers each request with the next unused recorded interaction of the same method, path and query
 * keys; a request with no recording gets EasyPost's 404 and is kept in `unmatched`.
 */
export class Player {
  readonly sent: Sent[] = [];
  readonly unmatched: Sent[] = [];
  private used = new Set<number>();
  private server?: Server;
  url = '';

  constructor(private readonly interactions: Interaction[]) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://player');
        const text = Buffer.concat(chunks).toString('utf8');
        const sent: Sent = { method: req.method ?? 'GET', path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, ...(text ? { body: JSON.parse(text) as unknown } : {}) };
        this.sent.push(sent);
        const keys = (q: Record<string, string>) => Object.keys(q).sort().join('&');
        const i = this.interactions.findIndex((x, n) => !this.used.has(n) && x.method === sent.method && x.path === sent.path && keys(x.query) === keys(sent.query));
        if (i < 0) {
          this.unmatched.push(sent);
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'The requested resource could not be found.', errors: [] } }));
          return;
        }
        this.used.add(i);
        const x = this.interactions[i]!;
        res.writeHead(x.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(x.responseText);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

/** Every path of a JSON document with the types seen there (`a.b[].c` for items of arrays). */
export function shape(v: unknown, prefix = '', out = new Map<string, Set<JsonType>>()): Map<string, Set<JsonType>> {
  const add = (p: string, t: JsonType) => {
    if (!out.has(p)) out.set(p, new Set());
    out.get(p)!.add(t);
  };
  const t = typeOf(v);
  if (prefix) add(prefix, t);
  if (t === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) shape(x, prefix ? `${prefix}.${k}` : k, out);
  if (t === 'array') for (const x of v as unknown[]) shape(x, `${prefix}[]`, out);
  return out;
}

/** Merge several shapes (several recordings of one request or object). */
export function union(...shapes: Array<Map<string, Set<JsonType>>>): Map<string, Set<JsonType>> {
  const out = new Map<string, Set<JsonType>>();
  for (const s of shapes) for (const [p, ts] of s) for (const t of ts) (out.get(p) ?? out.set(p, new Set()).get(p)!).add(t);
  return out;
}

/**
 * Differences between a request we send and the recorded ones: paths we send that no recording has
 * (with a type the recording has at that path, where a field echoed in the recorded answer counts:
 * EasyPost answers numbers it was sent as strings), and recorded paths we do not send.
 */
export function requestShapeProblems(ours: unknown, recorded: Map<string, Set<JsonType>>, echoed: Map<string, Set<JsonType>>, mayOmit: string[] = []): string[] {
  const mine = shape(ours);
  const problems: string[] = [];
  for (const [p, types] of mine) {
    const allowed = new Set([...(recorded.get(p) ?? []), ...(echoed.get(p) ?? [])]);
    if (allowed.size === 0) problems.push(`sends ${p}, which no recording has`);
    // A field seen only as null (EasyPost echoes unset fields as null) accepts a value of any type.
    else for (const t of types) if (!allowed.has(t) && !allowed.has('null')) problems.push(`sends ${p} as ${t}; recorded as ${[...allowed].join('|')}`);
  }
  for (const p of recorded.keys()) if (!mine.has(p) && !mayOmit.some((m) => p === m || p.startsWith(`${m}.`) || p.startsWith(`${m}[]`))) problems.push(`omits ${p}`);
  return problems;
}

/** Paths of an answer with the recorded answer's keys and types (null is compatible with any type). */
export function responseShapeProblems(ours: unknown, recorded: unknown, ignore: RegExp[] = []): string[] {
  const a = shape(ours);
  const b = shape(recorded);
  const skip = (p: string) => ignore.some((r) => r.test(p));
  const problems: string[] = [];
  for (const [p, types] of b) {
    if (skip(p)) continue;
    const mine = a.get(p);
    if (!mine) {
      problems.push(`missing ${p}`);
      continue;
    }
    const real = [...types].filter((t) => t !== 'null');
    const got = [...mine].filter((t) => t !== 'null');
    if (real.length && got.length && !got.some((t) => real.includes(t))) problems.push(`${p} is ${got.join('|')}, recorded ${real.join('|')}`);
  }
  // A path the recording cannot speak of (under a null, an empty list or an empty object there) is not "extra".
  const unknownBelow = (q: string) => b.has(q) && ![...b.keys()].some((k) => k.startsWith(`${q}.`) || k.startsWith(`${q}[]`));
  const parents = (p: string) => {
    const out: string[] = [];
    for (let q = p; /[.[]/.test(q); ) {
      q = q.replace(/(\[\]|\.[^.[\]]+)$/, '');
      out.push(q);
    }
    return out;
  };
  for (const p of a.keys()) if (!b.has(p) && !skip(p) && !parents(p).some(unknownBelow)) problems.push(`extra ${p}`);
  return problems;
}
