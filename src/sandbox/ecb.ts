// www.ecb.europa.eu/stats/eurofxref: the bundled, unchanged ECB files (source: ECB statistics).

import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { join } from 'node:path';
import type { ApiModule } from './api.js';
import type { SbResponse } from './http.js';
import { FIXTURES } from './paths.js';

const FILES: Record<string, string> = {
  '/eurofxref-daily.xml': 'text/xml',
  '/eurofxref-hist.csv': 'text/csv',
  // The ECB publishes the history only as a zip holding eurofxref-hist.csv; built from the bundled CSV.
  '/eurofxref-hist.zip': 'application/zip',
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
        if (req.path === '/eurofxref-hist.zip') {
          const csv = readFileSync(join(FIXTURES, 'ecb', 'eurofxref-hist.csv'));
          buf = Buffer.from(zipSync({ 'eurofxref-hist.csv': [new Uint8Array(csv), { level: 6, mtime: new Date('2026-04-13T16:00:00Z') }] }));
        } else buf = readFileSync(join(FIXTURES, 'ecb', req.path.slice(1)));
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
