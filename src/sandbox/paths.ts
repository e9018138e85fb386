// Files the sandbox ships with: fixtures/ (seed data, ECB copies, the Amazon models) at the package root.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/sandbox/paths.ts and dist/sandbox/paths.js are both two levels below the package root.
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(PACKAGE_ROOT, 'fixtures');
export const SANDBOX_FIXTURES = join(FIXTURES, 'sandbox');
export const AMAZON_MODELS = join(SANDBOX_FIXTURES, 'specs', 'amazon');
