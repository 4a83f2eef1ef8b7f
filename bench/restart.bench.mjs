// Start-up benchmark on the full partnership: how long after `phm serve` starts does every dashboard
// endpoint answer? First a cold start (no persisted results: the results folder beside the database
// is removed, as for a data version never served), then a restart on the same data (the results
// the first run kept are read back). Each run polls every endpoint until it answers 200, recording
// when each first did, and waits for the background precomputation to finish before stopping (so
// the restart has everything the first run computes).
// Usage: npm run bench:restart [-- --db FILE --keep-results --no-docs --server-log FILE]
//   --server-log: the servers' log at info appended to FILE (each precomputation step's time and when it finished).
//   --keep-results: do not remove the results folder first (the "cold" run then reads what is there).
//   --no-docs: print the figures only (docs/benchmarks.md is left alone: a trial on another database).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_ENDPOINTS, freePort, machine, servePhm, untilAnswered, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const db = arg('db', join(root, 'bench', 'out', 'population-full.duckdb'));
const keepResults = process.argv.includes('--keep-results');
const serverLog = arg('server-log', undefined);
const writeDocs = !process.argv.includes('--no-docs');
const resultsDir = `${db}.results`;
if (!existsSync(db)) throw new Error(`${db} not found: run npm run bench:population -- --size full first`);

/** People in the database (read-only, closed before the server opens it). */
const people = await (async () => {
  const { openDatabase } = await import(join(root, 'packages/store-duckdb/dist/index.js'));
  const store = await openDatabase(db, { readOnly: true });
  try {
    return Number((await store.query('SELECT count(*)::BIGINT AS n FROM person'))[0].n);
  } finally {
    store.close();
  }
})();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The dashboard endpoints (as bench/api-load.bench.mjs measures them under load). */
const ENDPOINTS = DASHBOARD_ENDPOINTS;

/** The operational store (users, audit, strategies) both runs share, as a restarted server does. */
const operational = mkdtempSync(join(tmpdir(), 'phm-bench-restart-'));

/**
 * Serves the database, polls every endpoint until it answers; returns seconds from spawn to each
 * answer, and to precomputation done. `prepare`: only until the server listens (it then creates
 * the operational store, which a server normally finds already there).
 */
const run = async (label, prepare = false) => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const { server, stop } = servePhm({ root, db, port, operational, logFile: serverLog });
  try {
    let listening;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    listening = seconds();
    process.stdout.write(`${label}: listening after ${listening.toFixed(1)} s\n`);
    if (prepare) return undefined;
    // Every endpoint at once, each asked again until it answers 200 (a request during computation waits for it).
    const answered = {};
    // A dashboard answers with the latest period alone while the older periods are counted
    // (trendsComplete: false, docs/api.md): asked again every second until it has every period.
    const whole = {};
    await Promise.all(
      ENDPOINTS.map(async (path) => {
        await untilAnswered(base + path, server);
        answered[path] = seconds();
        process.stdout.write(`  ${label}: ${path} answered after ${answered[path].toFixed(1)} s\n`);
        if (!path.startsWith('/api/dashboard')) return;
        for (;;) {
          const response = await fetch(base + path);
          if (response.ok && (await response.json()).trendsComplete !== false) break;
          await sleep(1000);
        }
        whole[path] = seconds();
        process.stdout.write(`  ${label}: ${path} with every period after ${whole[path].toFixed(1)} s\n`);
      }),
    );
    const all = Math.max(...Object.values(answered));
    const allWhole = Math.max(all, ...Object.values(whole));
    // Then the rest of the precomputation, so that everything it keeps is on disk for the next run.
    let health;
    for (;;) {
      health = await (await fetch(`${base}/api/health`)).json();
      if (health.precompute.status !== 'running') break;
      await sleep(1000);
    }
    const warm = seconds();
    process.stdout.write(`${label}: every endpoint after ${all.toFixed(1)} s; precomputation ${health.precompute.status} after ${warm.toFixed(1)} s\n`);
    return { listening, answered, whole, all, allWhole, warm, status: health.precompute.status };
  } finally {
    stop();
    while (server.exitCode === null) await sleep(100);
  }
};

await run('creating the operational store', true);
const load = loadavg()[0];
if (!keepResults) rmSync(resultsDir, { recursive: true, force: true });
const cold = await run('cold start');
const restart = await run('restart');
const loadAfter = loadavg()[0];
rmSync(operational, { recursive: true, force: true });

if (!writeDocs) {
  process.stdout.write(`\n${people} people; load average ${load.toFixed(1)} -> ${loadavg()[0].toFixed(1)}: cold start ${cold.all.toFixed(1)} s (every period ${cold.allWhole.toFixed(1)} s, precomputation ${cold.warm.toFixed(1)} s), restart ${restart.all.toFixed(1)} s\n`);
  process.exit(0);
}
const s = (v) => `${v.toFixed(1)} s`;
const date = new Date().toISOString().slice(0, 10);
const coldMet = cold.all <= 90;
const restartMet = restart.all <= 30;
writeSection(
  join(root, 'docs', 'benchmarks.md'),
  'restart',
  `## Start-up: cold start and restart (persisted results)

Command: \`npm run bench:restart\` (builds the CLI and server, starts \`phm serve\` once to create its operational store (users, audit,
strategies: a server finds it there on later starts), then runs it on \`${db.replace(`${root}/`, '')}\` (${people.toLocaleString('en-GB')} people) twice with that store: first a
**cold start**, the results folder beside the database (\`${resultsDir.replace(`${root}/`, '')}\`) removed beforehand, as for a data version
never served; then a **restart** on the same data, which reads what the first run kept). Each run asks every dashboard endpoint
at once from the moment the server listens, again until it answers 200, and records when each first did (a dashboard
answers with each indicator's latest period while the older periods are counted, \`trendsComplete: false\`: it is then asked again
every second until it has every period, recorded too); then it waits for the background precomputation to finish. See docs/decisions/0011-persisted-results.md.

| Endpoint | Cold start | Restart |
|---|---:|---:|
| Server listening | ${s(cold.listening)} | ${s(restart.listening)} |
${ENDPOINTS.map((p) => `| \`${p}\` | ${s(cold.answered[p])} | ${s(restart.answered[p])} |`).join('\n')}
| **Every endpoint answered** | **${s(cold.all)}** (target ≤ 90 s) | **${s(restart.all)}** (target ≤ 30 s) |
| Dashboards with every period (\`trendsComplete\`) | ${s(cold.allWhole)} | ${s(restart.allWhole)} |
| Background precomputation finished | ${s(cold.warm)} (${cold.status}) | ${s(restart.warm)} (${restart.status}) |

Measured ${date} on ${machine()}; load average ${load.toFixed(1)} before and ${loadAfter.toFixed(1)} after (${load > 2 ? 'other work shared the 2 cores' : 'the server the only work running'}).
Cold start: ${coldMet ? 'target met' : '**target not met**'}; restart: ${restartMet ? 'target met' : '**target not met**'}.`,
);
process.stdout.write(`\nwrote the restart section of docs/benchmarks.md\n`);
