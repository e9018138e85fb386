#!/usr/bin/env node
// `npm run bench`: runs every test/bench/*.bench.mjs. Each benchmark measures the product and its
// baseline in the same run and reports a ratio against its target, so figures compare across machines.
// Usage: npm run bench [-- name-filter]

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter))).sort();
const rows = [];
let failed = 0;
for (const f of files) {
  process.stderr.write(`running ${f}…\n`);
  const mod = await import(pathToFileURL(join(here, f)).href);
  try {
    const out = await mod.default({ root: join(here, '..', '..') });
    for (const r of out) rows.push({ file: f, ...r });
  } catch (e) {
    failed++;
    rows.push({ file: f, name: 'ERROR', value: String(e?.message ?? e) });
  }
}
const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v ?? ''));
console.log(['benchmark', 'measured', 'baseline', 'ratio', 'target', 'ok'].join('\t'));
for (const r of rows) {
  const ok = r.target === undefined || r.ratio === undefined ? '' : r.ratio <= r.target ? 'yes' : 'NO';
  console.log([r.name, `${fmt(r.value)}${r.unit ? ' ' + r.unit : ''}`, fmt(r.baseline), r.ratio === undefined ? '' : `${fmt(r.ratio)}×`, r.target === undefined ? '' : `≤ ${r.target}×`, ok].join('\t'));
}
process.exitCode = failed ? 1 : 0;
