// Cost curve (issue 19 item 4): how each job's time and memory grow with the population. For every
// size: generate + load a partnership of that size, then run on it, each job in its own process,
// measuring wall time, CPU time (user + system, all threads) and peak resident memory (VmHWM):
//   generate    phm generate --size S --seed bench --workers 2
//   indicators  phm indicators run --by all (the whole catalogue by every breakdown)
//   segments    phm segment --by all (person features at the last day of the window, then the
//               Kirklees four groups by every breakdown)
//   cohorts     person features, then every cohorts/*.json counted by ICS, place, neighbourhood and
//               IMD decile (runCohort, as phm cohort run; one process, the features computed once)
//   evaluations bench/evaluation.bench.mjs --record: the two matched evaluations (referrals, caseload)
//   server      phm serve, cold (no results folder): seconds until every dashboard endpoint answers 200,
//               CPU and peak memory until then; also until the background precomputation is done
// Each size's record goes to bench/out/cost-curve/<size>.json as soon as the size is done (sizes
// already recorded are skipped unless --force); a size stopped half-way resumes from its last job
// while its database is still there (<size>.partial.json). --report writes docs/cost-curve.svg and
// the cost-curve section of docs/benchmarks.md from every recorded size.
//
// Usage: npm run bench:cost-curve [-- --sizes 100k,500k] [--force] [--keep-db] [--report]
//   --sizes: phm generate --size values (people alive at the window start; the database holds about
//            5% more: births and arrivals). Default 100k,500k,1.35m,2.7m,5.4m: about 0.1, 0.53, 1.42,
//            2.85 (the partnership) and 5.7 million people.
//   --report alone (no --sizes) only writes the report from what is recorded.
//   --records DIR (default bench/out/cost-curve), --docs DIR (default docs): elsewhere, e.g. for a trial run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitExponent, growthWords, logLogChart, shortNumber } from './curve.mjs';
import { DASHBOARD_ENDPOINTS, freePort, machine, measure, servePhm, untilAnswered, watchProcess, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/cli/dist/main.js');
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const flag = (name) => argv.includes(`--${name}`);
const outDir = join(root, 'bench', 'out');
const curveDir = arg('records', join(outDir, 'cost-curve'));
const docsDir = arg('docs', join(root, 'docs'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Writes a file whole or not at all (a temp file beside it, then a rename). */
const writeAtomic = (file, text) => {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
};

// --- Child mode: the cohort job in its own process (so that its memory and CPU are its own). ---
if (arg('child') === 'cohorts') {
  const db = arg('db');
  const detailFile = arg('detail');
  const { openDatabase, computePersonFeatures, runCohort } = await import(join(root, 'packages/store-duckdb/dist/index.js'));
  const { dayFromIso, isoFromDay, parseCohortDefinition } = await import(join(root, 'packages/core/dist/index.js'));
  const store = await openDatabase(db, { readOnly: true });
  const [end] = await store.query(`SELECT value FROM meta WHERE key = 'window_end'`);
  const date = isoFromDay(dayFromIso(end.value) - 1);
  let t = performance.now();
  const residents = await computePersonFeatures(store, date);
  const featuresSeconds = (performance.now() - t) / 1000;
  const files = readdirSync(join(root, 'cohorts')).filter((f) => f.endsWith('.json')).sort();
  t = performance.now();
  for (const file of files) {
    const definition = parseCohortDefinition(JSON.parse(readFileSync(join(root, 'cohorts', file), 'utf8')), `cohorts/${file}`);
    await runCohort(store, definition, { referenceDate: date, breakdowns: [['ics'], ['place'], ['neighbourhood'], ['imd-decile']] });
  }
  const countsSeconds = (performance.now() - t) / 1000;
  store.close();
  writeFileSync(detailFile, `${JSON.stringify({ date, residents, featuresSeconds, cohorts: files.length, countsSeconds })}\n`);
  process.exit(0);
}

const DEFAULT_SIZES = '100k,500k,1.35m,2.7m,5.4m';
const JOBS = [
  { id: 'generate', name: 'Generate + load' },
  { id: 'indicators', name: 'Indicator catalogue' },
  { id: 'segments', name: 'Features + segments' },
  { id: 'cohorts', name: 'Features + cohort counts' },
  { id: 'evaluations', name: 'Evaluations (2)' },
  { id: 'server', name: 'Server cold start' },
];

const gib = (bytes) => bytes / 2 ** 30;
const freeBytes = () => {
  const s = statfsSync(outDir);
  return s.bavail * s.bsize;
};
/** Bytes of a file or a folder (recursively); 0 when absent. */
const sizeOf = (path) => {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((a, f) => a + sizeOf(join(path, f)), 0);
};
/** The commit measured: PHM_BENCH_COMMIT when the run is from a clean export of it (no .git there), else git's HEAD. */
const commit = () => {
  if (process.env.PHM_BENCH_COMMIT) return { head: process.env.PHM_BENCH_COMMIT, packagesChanged: false, cleanExport: true };
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return { head, packagesChanged: dirty };
  } catch {
    return { head: 'unknown', packagesChanged: null };
  }
};

/** Runs `fn` (a job), sampling the free disk space every 0.5 s: the most it went down by. */
const withDiskWatch = async (fn) => {
  const before = freeBytes();
  let least = before;
  const timer = setInterval(() => {
    try {
      least = Math.min(least, freeBytes());
    } catch {
      /* ignore */
    }
  }, 500);
  try {
    const result = await fn();
    least = Math.min(least, freeBytes());
    return { ...result, diskPeakUseGb: gib(before - least) };
  } finally {
    clearInterval(timer);
  }
};

/** A job as a child process: wall, CPU, peak memory, load average around it. */
const processJob = async (args, extra = {}) => {
  const loadBefore = os.loadavg()[0];
  const r = await withDiskWatch(() => measure(process.execPath, args, { cwd: root }));
  return { wallSeconds: r.seconds, cpuSeconds: r.cpuSeconds, peakMb: r.peakMb, diskPeakUseGb: r.diskPeakUseGb, loadBefore, loadAfter: os.loadavg()[0], ...extra };
};

/** phm serve on a cold start: seconds to listening, to every dashboard endpoint answering, to precomputation done. */
const serverJob = async (db) => {
  const operational = join(outDir, `cost-curve-operational-${process.pid}`);
  for (const path of [operational, `${operational}.lock`]) rmSync(path, { recursive: true, force: true });
  // A first start creates the operational store (users, audit, strategies), which a server normally finds there.
  const start = async (cold) => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const { server, stop } = servePhm({ root, db, port, operational });
    const watch = watchProcess(server.pid);
    try {
      for (;;) {
        if (server.exitCode !== null) throw new Error(`phm serve on ${db} exited with ${server.exitCode}`);
        try {
          if ((await fetch(`${base}/api/health`)).ok) break;
        } catch {
          /* not listening yet */
        }
        await sleep(100);
      }
      const listening = seconds();
      if (!cold) return undefined;
      const answered = {};
      await Promise.all(
        DASHBOARD_ENDPOINTS.map(async (path) => {
          await untilAnswered(base + path, server, `phm serve on ${db}`);
          answered[path] = seconds();
        }),
      );
      const allAnswered = seconds();
      const atAnswered = watch.read();
      let status;
      for (;;) {
        status = (await (await fetch(`${base}/api/health`)).json()).precompute.status;
        if (status !== 'running') break;
        await sleep(500);
      }
      const done = seconds();
      const atDone = watch.read();
      return { listening, answered, allAnswered, cpuAtAnswered: atAnswered.cpuSeconds, peakMbAtAnswered: atAnswered.peakMb, precompute: { status, seconds: done, cpuSeconds: atDone.cpuSeconds, peakMb: atDone.peakMb } };
    } finally {
      watch.stop();
      stop();
      while (server.exitCode === null) await sleep(100);
    }
  };
  try {
    await start(false);
    rmSync(`${db}.results`, { recursive: true, force: true });
    const loadBefore = os.loadavg()[0];
    const r = await withDiskWatch(() => start(true));
    return {
      wallSeconds: r.allAnswered,
      cpuSeconds: r.cpuAtAnswered,
      peakMb: r.peakMbAtAnswered,
      diskPeakUseGb: r.diskPeakUseGb,
      loadBefore,
      loadAfter: os.loadavg()[0],
      listeningSeconds: r.listening,
      endpoints: r.answered,
      precompute: r.precompute,
    };
  } finally {
    for (const path of [operational, `${operational}.lock`]) rmSync(path, { recursive: true, force: true });
  }
};

const runSize = async (size) => {
  const { parseSize } = await import(join(root, 'packages/cli/dist/options.js'));
  const alive = parseSize(size);
  const file = join(curveDir, `${size}.json`);
  const partialFile = join(curveDir, `${size}.partial.json`);
  const db = join(outDir, `cost-curve-${size}.duckdb`);
  // What phm generate and phm serve keep beside the database: the identity store, results, person documents.
  const identity = join(outDir, `cost-curve-${size}.identity.duckdb`);
  // Everything named cost-curve-<size>.*: those, their .wal files and the server's half-written .people.tmp-* folders.
  const removeAll = () => {
    for (const name of readdirSync(outDir).filter((f) => f.startsWith(`cost-curve-${size}.`) && f !== `cost-curve-${size}.tmp`)) rmSync(join(outDir, name), { recursive: true, force: true });
  };
  let record;
  if (existsSync(partialFile) && existsSync(db) && !flag('force')) {
    record = JSON.parse(readFileSync(partialFile, 'utf8'));
    console.log(`${size}: resuming (${Object.keys(record.jobs).join(', ')} recorded)`);
  } else {
    record = { size, aliveAtStart: alive, people: null, started: new Date().toISOString(), machine: machine(), cores: os.cpus().length, totalMemGib: gib(os.totalmem()), commit: commit(), loadAverageBefore: os.loadavg(), jobs: {} };
  }
  const save = () => writeAtomic(partialFile, `${JSON.stringify(record, null, 2)}\n`);
  const tmp = join(outDir, `cost-curve-${size}.tmp`);
  mkdirSync(tmp, { recursive: true });
  try {
    for (const job of JOBS) {
      if (record.jobs[job.id]) continue;
      console.log(`${size}: ${job.name} ...`);
      let result;
      if (job.id === 'generate') {
        removeAll();
        result = await processJob([cli, 'generate', '--size', size, '--seed', 'bench', '--db', db, '--workers', '2', '-q']);
        const { openDatabase } = await import(join(root, 'packages/store-duckdb/dist/index.js'));
        const store = await openDatabase(db, { readOnly: true });
        record.people = Number((await store.query('SELECT count(*)::BIGINT AS n FROM person'))[0].n);
        store.close();
        result.databaseGb = gib(sizeOf(db));
        result.identityGb = gib(sizeOf(identity));
      } else if (job.id === 'indicators') {
        result = await processJob([cli, 'indicators', 'run', '--db', db, '--by', 'all', '--out', join(tmp, 'indicators.csv'), '-q']);
      } else if (job.id === 'segments') {
        result = await processJob([cli, 'segment', '--db', db, '--by', 'all', '--out', join(tmp, 'segments.csv'), '-q']);
      } else if (job.id === 'cohorts') {
        const detailFile = join(tmp, 'cohorts.json');
        result = await processJob([fileURLToPath(import.meta.url), '--child', 'cohorts', '--db', db, '--detail', detailFile]);
        result.detail = JSON.parse(readFileSync(detailFile, 'utf8'));
      } else if (job.id === 'evaluations') {
        const detailFile = join(tmp, 'evaluations.json');
        result = await processJob([join(root, 'bench', 'evaluation.bench.mjs'), '--db', db, '--record', detailFile]);
        const e = JSON.parse(readFileSync(detailFile, 'utf8'));
        result.detail = e.runs.map((r) => ({ name: r.name, exposed: r.exposed, evaluable: r.cases, matched: r.matched, seconds: r.seconds }));
      } else {
        result = await serverJob(db);
        result.resultsGb = gib(sizeOf(`${db}.results`));
        result.personDocsGb = gib(sizeOf(`${db}.people`));
      }
      record.jobs[job.id] = result;
      save();
      console.log(`${size}: ${job.name}: ${result.wallSeconds.toFixed(1)} s wall, ${result.cpuSeconds.toFixed(1)} s CPU, peak ${(result.peakMb / 1024).toFixed(2)} GB (load ${result.loadBefore.toFixed(1)} → ${result.loadAfter.toFixed(1)})`);
    }
    record.finished = new Date().toISOString();
    record.loadAverageAfter = os.loadavg();
    record.disk = { databaseGb: gib(sizeOf(db)), identityGb: gib(sizeOf(identity)), resultsGb: gib(sizeOf(`${db}.results`)), personDocsGb: gib(sizeOf(`${db}.people`)), freeGbAfter: gib(freeBytes()) };
    writeAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    rmSync(partialFile, { force: true });
    console.log(`${size}: recorded in ${relative(root, file)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!flag('keep-db')) removeAll();
};

// --- Report: the chart and the section of docs/benchmarks.md, from every recorded size. ---
const report = () => {
  const records = readdirSync(curveDir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.partial.json'))
    .map((f) => JSON.parse(readFileSync(join(curveDir, f), 'utf8')))
    .sort((a, b) => a.people - b.people);
  if (records.length === 0) throw new Error(`nothing recorded in ${relative(root, curveDir)}: run some sizes first`);
  const points = (job, key) => records.filter((r) => r.jobs[job.id]).map((r) => ({ people: r.people, value: r.jobs[job.id][key] }));
  const chart = logLogChart({
    title: 'Cost curve: seconds per job by population (log-log)',
    xLabel: 'People in the database',
    yLabel: 'Seconds',
    solidLabel: 'CPU time (user + system)',
    dashedLabel: 'Wall time',
    series: JOBS.map((job) => ({ name: job.name, solid: points(job, 'cpuSeconds'), dashed: points(job, 'wallSeconds') })),
  });
  writeAtomic(join(docsDir, 'cost-curve.svg'), chart);

  const n = (v) => v.toLocaleString('en-GB');
  const s = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const gb = (mb) => (mb / 1024).toFixed(2);
  const exp = (v) => (v === null ? '-' : v.toFixed(2));
  const header = `| Job | ${records.map((r) => `${shortNumber(r.people)} people`).join(' | ')} | Exponent (CPU) | Exponent (wall) | Exponent (peak memory) |`;
  const rule = `|---|${records.map(() => '---:').join('|')}|---:|---:|---:|`;
  const rows = JOBS.map((job) => {
    const cells = records.map((r) => {
      const j = r.jobs[job.id];
      return j ? `${s(j.cpuSeconds)} s CPU, ${s(j.wallSeconds)} s wall, ${gb(j.peakMb)} GB` : 'not run';
    });
    const cpu = fitExponent(points(job, 'cpuSeconds'));
    return `| ${job.name} | ${cells.join(' | ')} | **${exp(cpu)}**, ${growthWords(cpu)} | ${exp(fitExponent(points(job, 'wallSeconds')))} | ${exp(fitExponent(points(job, 'peakMb')))} |`;
  });
  const largest = records[records.length - 1];
  // The server's peak until its precomputation was done (later than every endpoint answering) counts for the limit.
  const peakOf = (j) => Math.max(j.peakMb, j.precompute?.peakMb ?? 0);
  const peakJob = JOBS.filter((j) => largest.jobs[j.id]).reduce((a, j) => (peakOf(largest.jobs[j.id]) > peakOf(largest.jobs[a.id]) ? j : a));
  const slowJob = JOBS.filter((j) => largest.jobs[j.id]).reduce((a, j) => (largest.jobs[j.id].wallSeconds > largest.jobs[a.id].wallSeconds ? j : a));
  const diskJob = JOBS.filter((j) => largest.jobs[j.id]).reduce((a, j) => (largest.jobs[j.id].diskPeakUseGb > largest.jobs[a.id].diskPeakUseGb ? j : a));
  const peakGib = peakOf(largest.jobs[peakJob.id]) / 1024;
  const onDisk = largest.disk.databaseGb + largest.disk.identityGb + largest.disk.resultsGb + largest.disk.personDocsGb;
  // Each job keeps the 2 cores busy, so the 1-minute load before the next is about 2 from the run itself: above 2.5, other work ran too.
  const BUSY = 2.5;
  const loaded = records.some((r) => r.loadAverageBefore[0] > BUSY || JOBS.some((j) => r.jobs[j.id] && r.jobs[j.id].loadBefore > BUSY));
  const perSize = records
    .map(
      (r) =>
        `- **${n(r.people)} people** (\`--size ${r.size}\`): ${r.started.slice(0, 16).replace('T', ' ')} to ${r.finished.slice(11, 16)} UTC on ${r.machine}, commit \`${r.commit.head}\`${r.commit.cleanExport ? ' (built from a clean export of it)' : r.commit.packagesChanged ? ' (with uncommitted changes under packages/ in the working tree)' : ''}; ` +
        `load average (1, 5, 15 min) ${r.loadAverageBefore.map((v) => v.toFixed(1)).join(', ')} before and ${r.loadAverageAfter.map((v) => v.toFixed(1)).join(', ')} after; ` +
        `1-min load before each job ${JOBS.filter((j) => r.jobs[j.id]).map((j) => r.jobs[j.id].loadBefore.toFixed(1)).join(', ')}. ` +
        `Database ${r.disk.databaseGb.toFixed(2)} GB, identity store ${r.disk.identityGb.toFixed(2)} GB, results folder ${r.disk.resultsGb.toFixed(2)} GB${r.disk.personDocsGb > 0 ? `, person documents ${r.disk.personDocsGb.toFixed(2)} GB` : ''}; ` +
        `generation took at most ${r.jobs.generate.diskPeakUseGb.toFixed(1)} GB of disk while running; ${r.disk.freeGbAfter.toFixed(0)} GB free after. ` +
        `Cohorts: ${r.jobs.cohorts.detail.cohorts} definitions on ${n(r.jobs.cohorts.detail.residents)} residents, features ${s(r.jobs.cohorts.detail.featuresSeconds)} s then the counts ${s(r.jobs.cohorts.detail.countsSeconds)} s (wall). ` +
        `Evaluations: ${r.jobs.evaluations.detail.map((e) => `${n(e.exposed)} exposed, ${n(e.matched)} matched, ${s(e.seconds)} s`).join('; ')}. ` +
        `Server: listening after ${s(r.jobs.server.listeningSeconds)} s, precomputation ${r.jobs.server.precompute.status} after ${s(r.jobs.server.precompute.seconds)} s (${s(r.jobs.server.precompute.cpuSeconds)} s CPU, peak ${gb(r.jobs.server.precompute.peakMb)} GB).`,
    )
    .join('\n');
  const sizesRun = records.map((r) => `\`${r.size}\``).join(', ');
  writeSection(
    join(docsDir, 'benchmarks.md'),
    'cost-curve',
    `## Cost curve: how each job grows with the population

Command: \`npm run bench:cost-curve -- --sizes ${records.map((r) => r.size).join(',')}\` (then \`-- --report\`; with no \`--sizes\`, 100k to 5.4m). For each size, \`phm generate --size S --seed bench\`
makes a partnership (S people alive at the window start; the database holds about 5% more, births and arrivals) and each job runs
on it **in its own process**, from nothing computed: wall time, CPU time (user + system of the process, all threads, sampled every
0.2 s) and peak resident memory (\`VmHWM\`) of that process. Each size is recorded in \`bench/out/cost-curve/<size>.json\` as soon
as it is done; sizes already recorded are skipped (\`--force\` runs them again), so sizes can be run on different days.

| Job | What runs |
|---|---|
| Generate + load | \`phm generate --size S --seed bench --workers 2\`: CSV part files, validated bulk load into DuckDB, rename |
| Indicator catalogue | \`phm indicators run --by all\`: every indicator by every breakdown it allows |
| Features + segments | \`phm segment --by all\`: person features at the last day of the window, Kirklees four groups by every breakdown |
| Features + cohort counts | person features, then each of the ${largest.jobs.cohorts.detail.cohorts} \`cohorts/*.json\` counted by ICS, place, neighbourhood and IMD decile (\`runCohort\`, as \`phm cohort run\`) |
| Evaluations (2) | \`bench/evaluation.bench.mjs\`: the matched evaluations of referrals and of caseload episodes |
| Server cold start | \`phm serve\` with no results folder: seconds until every dashboard endpoint (as in the restart section) has answered 200; CPU and peak memory of the server until then |

Each cell: CPU seconds, wall seconds, peak memory. The exponent is the slope of a least-squares line through the recorded sizes
on log-log axes (cost ≈ a · people^b: 1 is linear, 2 quadratic), from the CPU time first (it is less disturbed by other work
on the machine than the wall time). Fixed costs (Node start-up, module loading, the reference data, a minimum of DuckDB work)
pull the slope below 1 when the smallest sizes are small; with only two sizes the exponent is just the slope between them.

${header}
${rule}
${rows.join('\n')}

![Cost curve: CPU time (solid) and wall time (dashed) per job against people, log-log](cost-curve.svg)

Sizes recorded: ${sizesRun}.${loaded ? ' **The machine was shared with other work while these ran** (load averages below, 2 cores): wall times are inflated by it; CPU times much less so, but a busy machine still slows each CPU second somewhat (shared caches and memory bandwidth).' : ''}

${perSize}

**What limits the largest size recorded (${n(largest.people)} people)**, measured: the largest peak memory was ${peakGib.toFixed(2)} GB
(${peakJob.name}${peakJob.id === 'server' ? ', until its precomputation was done' : ''}), ${((peakGib / largest.totalMemGib) * 100).toFixed(0)}% of the machine's ${largest.totalMemGib.toFixed(0)} GiB; on disk the database and what
the server keeps beside it took ${onDisk.toFixed(2)} GB, and the most disk any job held while running was ${largest.jobs[diskJob.id].diskPeakUseGb.toFixed(1)} GB
(${diskJob.name}; free space sampled every 0.5 s, so other work writing at the same time counts too), with ${largest.disk.freeGbAfter.toFixed(0)} GB free;
the slowest job was ${slowJob.name} at ${s(largest.jobs[slowJob.id].wallSeconds)} s wall. ${
      peakGib < largest.totalMemGib / 2 && largest.disk.freeGbAfter > 4 * onDisk
        ? 'Neither memory nor disk was within half of its limit at this size.'
        : 'Memory or disk was within a factor of two of its limit at this size.'
    } Sizes not in the table were not measured here.`,
  );
  console.log(`wrote docs/cost-curve.svg and the cost-curve section of docs/benchmarks.md (${records.length} sizes)`);
};

mkdirSync(curveDir, { recursive: true });
const sizesArg = arg('sizes', flag('report') ? '' : DEFAULT_SIZES);
const sizes = sizesArg.split(',').map((v) => v.trim()).filter(Boolean);
for (const size of sizes) {
  if (existsSync(join(curveDir, `${size}.json`)) && !flag('force')) {
    console.log(`${size}: already recorded in ${relative(root, join(curveDir, `${size}.json`))} (--force to run it again)`);
    continue;
  }
  await runSize(size);
}
if (flag('report')) report();
