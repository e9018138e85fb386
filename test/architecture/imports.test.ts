// The project's own layering rule (docs/ARCHITECTURE.md), read from the imports of every source file:
// - nothing under src/core, src/store, src/adapters, src/config, src/services, src/ports, src/sandbox
//   imports from src/cli (the CLI maps errors to exit codes and prints; it is the outermost layer);
// - src/core/errors.ts imports nothing, and src/core never reaches the store, adapters, services or sandbox;
// - services reach the store and adapters only through ports: a file under src/services may not import
//   better-sqlite3, src/store or src/adapters (the last ratchet list of files that still did was emptied
//   by issue #20), nor axios (plain HTTP is ports/http-probe.ts).
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

  it('services never import better-sqlite3, src/store or src/adapters (they reach them through ports)', () => {
    const bad = all
      .filter((f) => f.file.startsWith('services/'))
      .flatMap((f) => f.targets.filter((t) => t === 'better-sqlite3' || t.startsWith('store/') || t.startsWith('adapters/')).map((t) => `${f.file} → ${t}`));
    expect(bad, 'services reach the store and adapters through ports (src/ports), wired in src/cli').toEqual([]);
  });

  it('services never import axios (HTTP goes through ports: marketplace and carrier clients, or ports/http-probe.ts)', () => {
    const bad = all.filter((f) => f.file.startsWith('services/')).flatMap((f) => f.targets.filter((t) => t === 'axios' || t.startsWith('axios/')).map((t) => `${f.file} → ${t}`));
    expect(bad, 'a service that calls axios cannot be given another transport, and skips the adapters\' error handling').toEqual([]);
  });

  it('ports are plain interfaces: src/ports never imports better-sqlite3, src/store, src/adapters, src/services or src/cli', () => {
    const bad = all
      .filter((f) => f.file.startsWith('ports/'))
      .flatMap((f) => f.targets.filter((t) => t === 'better-sqlite3' || /^(store|adapters|services|cli)\//.test(t)).map((t) => `${f.file} → ${t}`));
    expect(bad, 'a port that names a driver or adapter type would leak it into every service using it').toEqual([]);
  });
});

// `merchant listings <verb> --help` (and every other listings verb) loads each verb's definition: those
// import nothing at run time but commander and the noun's index, and load what runs from <verb>-run.ts
// when the verb runs, so no verb pays for another's code (CSV parsing, the import worker, publishing).
describe('start-up: the listings verbs load their code when they run', () => {
  /** What a file imports at run time: static imports that are not `import type`. */
  const runtimeImports = (file: string) =>
    [...readFileSync(join(SRC, file), 'utf8').matchAll(/^import\s+(?!type\s)[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => target(join(SRC, file), m[1]!));

  it('each verb definition imports only commander and the noun index', () => {
    const verbs = ['list', 'show', 'export', 'template', 'import', 'publish'].map((v) => `cli/commands/listings/${v}.ts`);
    for (const v of verbs) expect(all.some((f) => f.file === v), v).toBe(true);
    const bad = verbs.flatMap((v) => runtimeImports(v).filter((t) => t !== 'commander' && t !== 'cli/commands/listings/index.js').map((t) => `${v} → ${t}`));
    expect(bad, 'import what the verb runs in its *-run.ts, with `await import()` in the action').toEqual([]);
  });
});
