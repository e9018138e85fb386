// Where the package's own files (data tables, templates, fixtures) live, wherever it is installed.
// Works from src/ (tests run TypeScript directly) and from dist/ (the built binary): both are one
// level below the package root.

import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function dataPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'data', ...parts);
}

export function templatesPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'templates', ...parts);
}

export function fixturesPath(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'fixtures', ...parts);
}
