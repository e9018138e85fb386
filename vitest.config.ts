import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // In-process requests to a sandbox time out when the sandbox stalls them, never by the wall clock.
    setupFiles: ['test/helpers/deadlines.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // CI has 2 cores; child-process tests are heavier than unit tests.
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
  },
});
