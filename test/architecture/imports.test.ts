// The project's own layering rule (docs/ARCHITECTURE.md), read from the imports of every source file:
// - nothing under src/core, src/store, src/adapters, src/config, src/services, src/ports, src/sandbox
//   imports from src/cli (the CLI maps errors to exit codes and prints; it is the outermost layer);
// - src/core/errors.ts imports nothing, and src/core never reaches the store, adapters, services or sandbox;
// - services reach the store and adapters only through ports: a file under src/services may not import
//   better-sqlite3, src/store or src/adapters. Files that still do are listed in SERVICES_NOT_YET_ON_PORTS;
//   the list may only shrink (a file that no longer needs its entry fails the test until it is removed).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** The src-relative folder a relative import lands in ('cli/…', 'store/…'), or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(SRC, resolve(dirname(file), spec)).split(sep).join('/');
}

const rel = (f: string) => relative(SRC, f).split(sep).join('/');
const all = files(SRC).map((f) => ({ file: rel(f), targets: importsOf(f).map((s) => target(f, s)) }));

// Services that still import the store or adapters directly (issue #20 moves them behind ports).
const SERVICES_NOT_YET_ON_PORTS = new Set<string>([
  'services/customs/target.ts', 'services/doctor/checks.ts',
  'services/marketplace/accounts.ts',
  'services/marketplace/connect.ts', 'services/orders/import.ts', 'services/orders/list.ts',
  'services/orders/pull.ts',
  'services/reports/sales.ts',
  'services/ship/book.ts', 'services/ship/ledger.ts', 'services/ship/manage.ts', 'services/ship/orders.ts', 'services/ship/plan.ts',
  'services/sync/apply.ts', 'services/sync/plan.ts', 'services/sync/rules-admin.ts', 'services/sync/rules.ts', 'services/sync/run.ts',
]);

describe('layering (imports)', () => {
  it('finds the imports it checks (the parser is not blind)', () => {
    const main = all.find((f) => f.file === 'cli/main.ts');
    expect(main?.targets).toContain('core/errors.js');
    expect(all.length).toBeGreaterThan(100);
  });

  it('nothing outside src/cli imports from src/cli', () => {
    const bad = all.filter((f) => !f.file.startsWith('cli/')).flatMap((f) => f.targets.filter((t) => t.startsWith('cli/')).map((t) => `${f.file} → ${t}`));
    expect(bad).toEqual([]);
  });

  it('src/core/errors.ts imports nothing; src/core never imports the store, adapters, services or sandbox', () => {
    expect(all.find((f) => f.file === 'core/errors.ts')?.targets).toEqual([]);
    const bad = all
      .filter((f) => f.file.startsWith('core/'))
      .flatMap((f) => f.targets.filter((t) => /^(store|adapters|services|sandbox|ports)\//.test(t) || t === 'better-sqlite3').map((t) => `${f.file} → ${t}`));
    expect(bad).toEqual([]);
  });

  it('services never import better-sqlite3, src/store or src/adapters (except the listed files, which may only shrink)', () => {
    const offenders = all
      .filter((f) => f.file.startsWith('services/'))
      .filter((f) => f.targets.some((t) => t === 'better-sqlite3' || t.startsWith('store/') || t.startsWith('adapters/')));
    const unexpected = offenders.filter((f) => !SERVICES_NOT_YET_ON_PORTS.has(f.file)).map((f) => f.file);
    expect(unexpected, 'new service files must reach the store and adapters through ports').toEqual([]);
    const offending = new Set(offenders.map((f) => f.file));
    const cleared = [...SERVICES_NOT_YET_ON_PORTS].filter((f) => !offending.has(f));
    expect(cleared, 'these files are clean now: remove them from SERVICES_NOT_YET_ON_PORTS').toEqual([]);
  });
});
