// The sandbox's request/response shapes and a tiny path router (`/v2/shipments/:id/buy`).

import type { IncomingHttpHeaders } from 'node:http';

export type ApiName = 'amazon' | 'ebay' | 'shopify' | 'easypost' | 'shippo' | 'ecb' | 's3';

export interface SbRequest {
  /** Sequence number in the request log. */
  seq: number;
  method: string;
  /** Path below the API prefix, without the query (e.g. /v2/shipments). */
  path: string;
  /** Path as received, with the prefix, without the query. */
  fullPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
}

export interface SbResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
}

export type Handler = (req: SbRequest) => SbResponse | Promise<SbResponse>;

export function header(req: SbRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SbResponse {
  return { status, body, headers };
}

export function bodyText(req: SbRequest): string {
  return req.body.toString('utf8');
}

/** Parse a JSON body; returns undefined when the body is not JSON (the caller answers in its API's format). */
export function parseJson(req: SbRequest): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = bodyText(req);
  if (!text.trim()) return { ok: false, error: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** 'found' with the handler and params; 'method' when the path exists for another method. */
  match(method: string, path: string): { kind: 'found'; handler: Handler; params: Record<string, string> } | { kind: 'method'; allow: string[] } | { kind: 'none' } {
    const segs = path.split('/').filter(Boolean);
    const allow: string[] = [];
    for (const r of this.routes) {
      if (r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const p = r.parts[i]!;
        const s = segs[i]!;
        if (p.startsWith(':')) {
          try {
            params[p.slice(1)] = decodeURIComponent(s);
          } catch {
            ok = false;
            break;
          }
        } else if (p !== s) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (r.method === method) return { kind: 'found', handler: r.handler, params };
      allow.push(r.method);
    }
    return allow.length ? { kind: 'method', allow } : { kind: 'none' };
  }
}
