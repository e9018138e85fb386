// www.ecb.europa.eu/stats/eurofxref: the bundled, unchanged ECB files (source: ECB statistics).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiModule } from './api.js';
import type { SbResponse } from './http.js';
import { FIXTURES } from './paths.js';

const FILES: Record<string, string> = {
  '/eurofxref-daily.xml': 'text/xml',
  '/eurofxref-hist.csv': 'text/csv',
};

export function ecbApi(): ApiModule {
  const cache = new Map<string, Buffer>();
  return {
    name: 'ecb',
    prefix: '/ecb',
    handle(req): SbResponse {
      const type = FILES[req.path];
      if (!type) return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>404 Not Found</h1></body></html>' };
      if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: { allow: 'GET' }, body: '' };
      let buf = cache.get(req.path);
      if (!buf) {
        buf = readFileSync(join(FIXTURES, 'ecb', req.path.slice(1)));
        cache.set(req.path, buf);
      }
      return { status: 200, headers: { 'content-type': type }, body: req.method === 'HEAD' ? '' : buf };
    },
    faultResponse(kind) {
      const status = kind === 'throttled' ? 429 : Number(kind);
      return { status, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>${status}</h1></body></html>` };
    },
  };
}
