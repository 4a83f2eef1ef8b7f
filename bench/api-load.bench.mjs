// Load benchmark of the HTTP API on the full partnership: starts `phm serve` on the full database
// (bench/out/population-full.duckdb), waits for its background precomputation, warms each
// endpoint once, then runs autocannon against each dashboard endpoint (50 concurrent connections,
// ~10 s each, loopback) and reports latency percentiles. p95 is computed exactly from every
// response time (autocannon's own summary stops at p90 / p97.5).
// Usage: npm run bench:api [-- --db FILE --duration 10 --connections 50]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, machine, servePhm, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const db = arg('db', join(root, 'bench', 'out', 'population-full.duckdb'));
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '50'));
if (!existsSync(db)) throw new Error(`${db} not found: run npm run bench:population -- --size full first`);


const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const operational = mkdtempSync(join(tmpdir(), 'phm-bench-api-'));
const started = performance.now();
const { server, stop } = servePhm({ root, db, port, operational });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const health = async () => {
  try {
    return await (await fetch(`${base}/api/health`)).json();
  } catch {
    return undefined;
  }
};

try {
  // 1. Start-up and background precomputation (person features, indicator counts, dashboards).
  let h;
  let lastStep = '';
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    h = await health();
    if (h && h.precompute.status !== 'running') break;
    if (h && h.precompute.step !== lastStep) {
      lastStep = h.precompute.step;
      process.stdout.write(`  [${((performance.now() - started) / 1000).toFixed(0)} s] ${lastStep}\n`);
    }
    await sleep(1000);
  }
  if (h.precompute.status !== 'done') throw new Error(`precomputation ${h.precompute.status}`);
  const warmSeconds = (performance.now() - started) / 1000;
  const geography = await (await fetch(`${base}/api/geography`)).json();
  const place = geography.places.find((p) => p.id === 'leeds')?.id ?? geography.places[0].id;

  const endpoints = [
    `/api/dashboard?area=ics`,
    `/api/dashboard?area=place:${place}`,
    `/api/indicators/smoking-prevalence/results?by=neighbourhood`,
    `/api/segments?by=neighbourhood`,
    `/api/risk?by=imd-decile`,
    `/api/population/summary`,
    `/api/strategies/wyh-partnership/scorecard`,
    `/api/directory/services?place=${place}`,
  ];
  // 2. Warm: one request each (anything not precomputed is computed and cached now).
  const firstMs = {};
  for (const path of endpoints) {
    const t = performance.now();
    const r = await fetch(base + path, { headers: { 'accept-encoding': 'gzip' } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    firstMs[path] = performance.now() - t;
  }

  // 3. Load: autocannon per endpoint; every response time recorded for exact percentiles.
  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const results = [];
  for (const path of endpoints) {
    const times = [];
    const run = autocannon({ url: base + path, connections, duration, headers: { 'accept-encoding': 'gzip' } });
    run.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
    const out = await run;
    times.sort((a, b) => a - b);
    const row = {
      path,
      requests: out.requests.total,
      rps: out.requests.average,
      non2xx: out.non2xx + out.errors + out.timeouts,
      p50: pct(times, 50),
      p95: pct(times, 95),
      p99: pct(times, 99),
      first: firstMs[path],
    };
    results.push(row);
    process.stdout.write(`${path}: ${row.requests} requests, ${row.rps.toFixed(0)}/s, p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, errors ${row.non2xx}\n`);
  }

  const allMet = results.every((r) => r.p95 < 50 && r.non2xx === 0);
  const ms = (v) => `${v.toFixed(1)} ms`;
  const date = new Date().toISOString().slice(0, 10);
  writeSection(
    join(root, 'docs', 'benchmarks.md'),
    'api-load',
    `## API under load (dashboard endpoints)

Command: \`npm run bench:api\` (builds the server, runs \`phm serve\` on \`${db.replace(`${root}/`, '')}\`, waits for the
background precomputation, requests each endpoint once, then [autocannon](https://github.com/mcollina/autocannon)
with ${connections} concurrent connections for ${duration} s per endpoint on loopback, gzip accepted). p95 is computed
from every response time; "first" is the single warm-up request after precomputation.

Start-up to precomputation done (person features, every indicator's counts for every period, the ICS and place dashboards,
common segment and risk summaries, the strategies' scorecards, each read from the results folder beside the database when an
earlier run kept it there: see the restart section): **${warmSeconds.toFixed(0)} s**; \`/api/health\` answers throughout.

| Endpoint | Requests | Req/s | p50 | p95 | p99 | Errors | First |
|---|---:|---:|---:|---:|---:|---:|---:|
${results.map((r) => `| \`${r.path}\` | ${r.requests} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | **${ms(r.p95)}** | ${ms(r.p99)} | ${r.non2xx} | ${ms(r.first)} |`).join('\n')}

Target: p95 < 50 ms for every endpoint (issue 19). Measured ${date} on ${machine()}; the load generator runs on the
same machine as the server (2 cores shared), so these are conservative. ${allMet ? 'Target met.' : '**Target not met** for at least one endpoint.'}`,
  );
  process.stdout.write(`\nwrote the api-load section of docs/benchmarks.md (${allMet ? 'target met' : 'target NOT met'})\n`);
} finally {
  stop();
  await sleep(500);
  rmSync(operational, { recursive: true, force: true });
}
