// The ECB's rate files behind the RateFiles port: fetched over HTTP, parsed from any published
// format, and the history bundled with merchant (fixtures/ecb), read once and kept in memory.

import { readFileSync } from 'node:fs';
import { fixturesPath } from '../../config/paths.js';
import type { RateDay, RateFiles } from '../../ports/fx.js';
import { parseEcbCsv, parseRateFile } from './ecb-formats.js';
import { fetchEcbRates } from './ecb-http.js';

let bundled: RateDay[] | undefined;

export const ecbRateFiles: RateFiles = {
  fetch: (opts) => fetchEcbRates(opts),
  parse: (text, origin) => parseRateFile(text, origin),
  bundledHistory() {
    if (!bundled) {
      const file = fixturesPath('ecb', 'eurofxref-hist.csv');
      bundled = parseEcbCsv(readFileSync(file, 'utf8'), file).days;
    }
    return bundled;
  },
};
