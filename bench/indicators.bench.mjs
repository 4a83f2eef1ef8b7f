// Benchmark: the whole indicator catalogue with every breakdown on the full partnership (DuckDB
// engine, via the real CLI), and on a smaller population the DuckDB engine vs the in-memory
// reference engine vs a naive approach (pull the rows into the application for every request), as ratios.
// Usage: npm run bench:indicators [-- --full-db bench/out/population-full.duckdb --small-size 20000]
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, measure, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const cli = join(root, 'packages/cli/dist/main.js');
const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });

// 1. Full partnership: whole catalogue × every breakdown.
const fullDb = arg('full-db', join(outDir, 'population-full.duckdb'));
if (!existsSync(fullDb)) throw new Error(`${fullDb} not found: run npm run bench:population first`);
const loadBefore = os.loadavg()[0];
const full = await measure(process.execPath, [cli, 'indicators', 'run', '--db', fullDb, '--by', 'all', '--out', join(outDir, 'indicators-full.csv'), '-q'], { cwd: root });

const loadAfter = os.loadavg()[0];

// 2. Smaller population: engines compared in-process.
const { INDICATOR_CATALOGUE, BREAKDOWNS, financialYearPeriod } = await import(join(root, 'packages/core/dist/index.js'));
const { openDatabase, createDuckDbEngine, readIndicatorData } = await import(join(root, 'packages/store-duckdb/dist/index.js'));
const { createMemoryEngine } = await import(join(root, 'packages/engine-memory/dist/index.js'));
const smallSize = arg('small-size', '20000');
const smallDb = join(outDir, `indicators-${smallSize}.duckdb`);
rmSync(smallDb, { force: true });
await measure(process.execPath, [cli, 'generate', '--size', smallSize, '--seed', 'bench', '--db', smallDb, '-q'], { cwd: root });
const db = await openDatabase(smallDb);
const jobs = INDICATOR_CATALOGUE.flatMap((definition) =>
  (definition.breakdowns ?? BREAKDOWNS).map((breakdown) => ({ definition, breakdown, period: financialYearPeriod(2025, definition.periodYears) })),
);
const time = async (label, engineFor) => {
  const started = performance.now();
  for (const job of jobs) await (await engineFor()).aggregate(job);
  return (performance.now() - started) / 1000;
};
const duck = createDuckDbEngine(db, { allBreakdowns: true });
const duckSeconds = await time('duckdb', async () => duck);
const loadStarted = performance.now();
const data = await readIndicatorData(db);
const loadSeconds = (performance.now() - loadStarted) / 1000;
const memory = createMemoryEngine(data);
const memorySeconds = await time('memory', async () => memory);
// Naive: every request reads the rows again and evaluates them in the application (a sample of jobs, scaled up).
const sample = jobs.filter((_, i) => i % 10 === 0);
const naiveStarted = performance.now();
for (const job of sample) await createMemoryEngine(await readIndicatorData(db)).aggregate(job);
const naiveSeconds = ((performance.now() - naiveStarted) / 1000) * (jobs.length / sample.length);
db.close();

const record = { date: new Date().toISOString(), fullSeconds: full.seconds, fullCpuSeconds: full.cpuSeconds, fullPeakMb: full.peakMb, loadBefore, loadAfter, jobs: jobs.length, smallSize, duckSeconds, memorySeconds, loadSeconds, naiveSeconds, machine: machine() };
console.log(JSON.stringify(record, null, 2));
writeSection(join(root, 'docs', 'benchmarks.md'), 'indicators', `
## Indicator catalogue with every breakdown

Command: \`npm run bench:indicators\`. The whole catalogue (${INDICATOR_CATALOGUE.length} indicators, each by every breakdown it
allows, latest period) through \`phm indicators run --by all\`: counting in DuckDB (one GROUPING SETS query per
indicator, the person proportions together, the residents and each shared denominator built once per run), statistics and
disclosure control in TypeScript. CPU time is user + system of the \`phm\` process (all its threads).

| Population | Engine | Wall time | Target |
|---|---|---|---|
| Full partnership (\`population-full.duckdb\`) | DuckDB | ${full.seconds.toFixed(1)} s (CPU ${full.cpuSeconds.toFixed(1)} s, peak ${(full.peakMb / 1024).toFixed(2)} GB) | < 60 s |
| ${Number(smallSize).toLocaleString('en-GB')} people, ${jobs.length} indicator × breakdown jobs | DuckDB | ${duckSeconds.toFixed(2)} s | ratio 1 |
| same | in-memory reference engine | ${memorySeconds.toFixed(2)} s (+ ${loadSeconds.toFixed(2)} s to load the rows) | ratio ${(memorySeconds / duckSeconds).toFixed(1)} (${((memorySeconds + loadSeconds) / duckSeconds).toFixed(1)} with loading) |
| same | naive: read the rows and evaluate in the application for every request | ${naiveSeconds.toFixed(1)} s (estimated from every 10th job) | ratio ${(naiveSeconds / duckSeconds).toFixed(0)} |

Measured ${record.date.slice(0, 10)} on ${record.machine}; load average (1 min) ${loadBefore.toFixed(1)} before the full-partnership run and ${loadAfter.toFixed(1)} after it (other work on the machine inflates the wall time, not much the CPU time). Full-partnership target ${full.seconds < 60 ? 'met' : '**not met**'}.
`);
