import { configDefaults, defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests import workspace packages from source, so `vitest` never needs a prior build.
export default defineConfig({
  resolve: {
    alias: {
      // Subpath exports (lighter entry points for `phm stats`) before their packages: the first match wins.
      '@openphm/core/errors': fileURLToPath(new URL('./packages/core/src/errors/errors.ts', import.meta.url)),
      '@openphm/core/random': fileURLToPath(new URL('./packages/core/src/random/prng.ts', import.meta.url)),
      '@openphm/core/stats/intervals': fileURLToPath(new URL('./packages/core/src/stats/intervals.ts', import.meta.url)),
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
    // Two sets of files, run together (the same pool, two at a time). Each test file in a fresh process
    // of its own re-imports the workspace's sources (the server, the stores, the reference data: 2-4 s of
    // CPU a file); the in-process suites (`units`) share a process for several files instead, as none
    // changes what another sees (each makes its own stores and folders; the PGlite template is loaded
    // per file). The files that drive other processes (`processes`: the built phm, the server, Chromium,
    // PostgreSQL) keep a process each, and, isolated, are started first (vitest's order), so the long
    // ones do not come last. Measured: docs/benchmarks.md, test suite time.
    projects: [
      {
        extends: true,
        test: {
          name: 'processes',
          include: ['packages/cli/src/**/*.test.ts', 'packages/web/e2e/**/*.test.ts', 'tests/**/*.test.ts', 'bench/**/*.test.ts'],
          isolate: true,
        },
      },
      {
        extends: true,
        test: {
          name: 'units',
          include: ['packages/*/src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'packages/cli/**'],
          isolate: false,
        },
      },
    ],
  },
});
