import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests import workspace packages from source, so `vitest` never needs a prior build.
export default defineConfig({
  resolve: {
    alias: {
      // Subpath exports (lighter entry points for `phm stats`) before their packages: the first match wins.
      '@openphm/core/errors': fileURLToPath(new URL('./packages/core/src/errors/errors.ts', import.meta.url)),
      '@openphm/core/random': fileURLToPath(new URL('./packages/core/src/random/prng.ts', import.meta.url)),
      '@openphm/core/stats': fileURLToPath(new URL('./packages/core/src/stats/index.ts', import.meta.url)),
      '@openphm/reference-data/csv': fileURLToPath(new URL('./packages/reference-data/src/csv.ts', import.meta.url)),
      '@openphm/core': pkg('core'),
      '@openphm/api-contract': pkg('api-contract'),
      '@openphm/reference-data': pkg('reference-data'),
      '@openphm/synth': pkg('synth'),
      '@openphm/store-duckdb': pkg('store-duckdb'),
      '@openphm/engine-memory': pkg('engine-memory'),
      '@openphm/indicator-specs': pkg('indicator-specs'),
      '@openphm/server': pkg('server'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts', 'packages/web/e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // New embedded PostgreSQL stores start from a dump of a fresh cluster rather than running initdb each time (the file says why).
    setupFiles: ['./tests/setup/pglite-template.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Pin "today"'s timezone so date arithmetic never depends on the machine.
    env: { TZ: 'UTC' },
    pool: 'forks',
    // Two test files at a time, even on 2 cores: most files spend their time waiting on child processes
    // (phm, the server, Chromium, PostgreSQL), so a second file overlaps that waiting (CI time, README).
    maxWorkers: 2,
  },
});
