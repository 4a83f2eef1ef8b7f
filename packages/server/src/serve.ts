/**
 * `phm serve` and the serving half of `phm demo`: opens the stores, listens, prints the URL (and
 * any accounts created at start-up, once), and closes cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { INDICATOR_CATALOGUE, UserError } from '@openphm/core';
import { acquireStoreLock, createDuckDbEngine, personProportionGroup, prepareSharedCounting, recoverSwap } from '@openphm/store-duckdb';
import { DEMO_PASSWORD } from './demo.js';
import { signInOptionsFromEnv } from './data/sign-in.js';
import { createServer, LOGGER_SERIALIZERS } from './server.js';
import { fileVersion } from './data/phm-data.js';
import { operationalStoreOf, sessionSecretsFromEnv, type ServeIo } from './command-io.js';

export type { ServeIo } from './command-io.js';

export interface ServeOptions {
  readonly db: string;
  readonly port: number;
  readonly host: string;
  /** PGlite folder; default `<db without .duckdb>.operational`. Ignored when PHM_DATABASE_URL is set. */
  readonly operationalDir?: string;
  readonly dataDir?: string;
  /** Seed the demo accounts into an empty store. */
  readonly demo?: boolean;
  /** Precompute features, indicator counts and dashboards in the background (default: PHM_PRECOMPUTE, else true). */
  readonly precompute?: boolean;
  /** Close on SIGINT / SIGTERM (default true). */
  readonly handleSignals?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * PHM_PRECOMPUTE: `0` turns the background precomputation (and the person documents' build) off, `1` or
 * unset leaves it on. For tests and operations only: a server started to hold its lock, or to answer a few
 * requests, need not count every indicator for every period first; what is asked is computed when asked.
 */
export const precomputeFromEnv = (env: Readonly<Record<string, string | undefined>>): boolean => {
  const value = env.PHM_PRECOMPUTE;
  if (value === undefined || value === '' || value === '1') return true;
  if (value === '0') return false;
  throw new UserError(`PHM_PRECOMPUTE must be 0 (no background precomputation) or 1, got '${value}'`);
};

export const serveCommand = async (options: ServeOptions, io: ServeIo): Promise<{ app: FastifyInstance; url: string }> => {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new UserError(`--port must be 0-65535, got ${options.port}`);
  const db = resolve(io.cwd, options.db);
  const sessionSecrets = sessionSecretsFromEnv(io.env); // a bad setting: say so before anything starts
  const precompute = options.precompute ?? precomputeFromEnv(io.env);
  fileVersion(db); // not found: say so before taking a lock next to it
  // The server owns its stores: the database (this lock) and the PGlite folder (locked when opened).
  const lock = acquireStoreLock(db, { what: `the database ${db}`, held: 'already served', advice: 'one server per database; use that server, or stop it first' });
  // A load killed between renaming the identity store and the database: the pair is completed or rolled back first (swap.ts).
  const recovered = recoverSwap(db);
  if (recovered.kind === 'completed' || recovered.kind === 'rolled-back') {
    io.stderr.write(`Repaired ${db} and its identity store, left between two renames by an interrupted load (process ${recovered.pid}): ${recovered.kind === 'completed' ? 'the new version completed' : 'the previous version restored'}\n`);
  }
  const app = await createServer({
    duckdbFile: db,
    operational: operationalStoreOf(io, options),
    ...(sessionSecrets ? { sessionSecret: sessionSecrets } : {}),
    ...(options.dataDir ?? io.env.PHM_SHARED_DATA ? { sharedDataDir: resolve(io.cwd, (options.dataDir ?? io.env.PHM_SHARED_DATA)!) } : {}),
    secureCookies: io.env.PHM_SECURE_COOKIES === '1',
    // Single sign-on (PHM_OIDC_*) and TOTP required (PHM_TOTP_REQUIRED): docs/security.md.
    signIn: signInOptionsFromEnv(io.env),
    demoAccounts: options.demo === true,
    // Indicator results: counted by the DuckDB engine (all breakdowns per query, cached), published through disclosure
    // control. Not `together`: one request would then wait for every person proportion (docs/benchmarks.md, start-up).
    indicatorEngine: (data) => createDuckDbEngine(data, { allBreakdowns: true }),
    // The background precomputation counts the catalogue in one run as `phm indicators run` does: the residents a TEMP
    // table built once, shared denominators counted once; requests count in it while it is open. The precomputation's
    // counts of the catalogue's latest period take the person proportions together in two groups (personProportionGroup:
    // those that pick a latest record, the rest): 12.8 s instead of 21-22 s one by one on the full partnership (all in
    // one query: 18-20 s). Not requests (one indicator asked for would count its whole group: a scorecard, every period
    // of 8 indicators), nor the older periods (together over four periods: 67 s against 61 s one by one; each
    // record is joined to every later period for every predicate of the group; docs/benchmarks.md, start-up).
    indicatorRun: async (data) => {
      const shared = await prepareSharedCounting(data);
      return {
        engine: createDuckDbEngine(data, { allBreakdowns: true, shared }),
        precompute: createDuckDbEngine(data, { allBreakdowns: true, shared, together: INDICATOR_CATALOGUE, togetherBy: personProportionGroup }),
        close: () => shared.close(),
      };
    },
    // Person features, indicator counts and dashboards are computed in the background at start.
    precompute,
    // What was computed for earlier runs and data versions is kept beside the database (0700): a restart reads it.
    results: { dir: `${db}.results` },
    // One document per person beside the database (decision 0012), built in the background for the version served when absent or stale.
    personDocs: { dir: `${db}.people`, build: precompute, render: 'worker' },
    logger: { level: io.env.PHM_LOG_LEVEL ?? 'warn', serializers: LOGGER_SERIALIZERS },
  }).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  // Released when the server closes (app.close() closes the listener), or by any exit but kill -9 (then taken over next time).
  app.server.once('close', () => lock.release());
  let address: string;
  try {
    address = await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close();
    lock.release();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`port ${options.port} is in use: choose another with --port`, 'conflict', { cause: error });
    throw error;
  }
  const link = `${new URL(address).origin}/`;
  const { ops, seededAccounts } = app.openphm;
  io.stdout.write(`OpenPHM is running at ${link} (press Ctrl+C to stop)\n`);
  io.stdout.write(`  data: ${db}\n  users and audit: ${ops.location}\n  API description: ${link}api/openapi.json\n`);
  if (options.demo) {
    io.stdout.write(`  demo accounts (password '${DEMO_PASSWORD}'): analyst@demo, neighbourhood@demo, linkworker@demo, admin@demo, programme@demo, board@demo — see docs/security.md\n`);
  } else {
    for (const a of seededAccounts) io.stdout.write(`  created the first account: ${a.email} (${a.role}) with password ${a.password} (shown once: keep it safe)\n`);
  }
  if (!LOOPBACK.has(options.host)) {
    io.stderr.write(`warning: listening on ${options.host}, not only this computer: use HTTPS in front (PHM_SECURE_COOKIES=1)${options.demo ? ' and never the demo accounts' : ''}\n`);
  }
  if (options.handleSignals !== false) {
    const stop = () => {
      void app.close().finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return { app, url: link };
};
