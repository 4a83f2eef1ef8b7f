// Benchmark: `phm stats` whole-process time and peak memory per method and size, the same workloads
// in R (PHEindicatormethods) when it is installed, and how fast `phm` starts. Writes the sections
// stats-speed-measured, stats-speed-compared and cli-startup of docs/benchmarks.md.
//
// Usage: npm run bench:stats -- [--sizes 1000,10000,100000] [--runs 3]   (or, built: node bench/stats.bench.mjs …)
//          [--r-runs 2] [--startup-runs 15] [--baseline DIR] [--no-r] [--only sizes|compare|startup] [--no-write]
//          [--methods proportion,rate]   (only these methods; with --no-write, to look without rewriting the tables)
// Inputs are generated (deterministically) in a temporary folder, removed at the end.
// --baseline DIR: the root of another built checkout (e.g. an older commit) whose
//   packages/cli/dist/main.js is timed on the same inputs, and whose output must be the same.
// R: used when `Rscript -e 'library(PHEindicatormethods)'` works (apt-get install r-base-core and the
//   package with its dependencies); its time is the whole `Rscript` process, as `phm`'s is.
// Peak memory is the process's own high-water mark (VmHWM of /proc/self/status, read as it exits).
// Environment: every process is run without NODE_EXTRA_CA_CERTS. Node 20 reads and parses that file of
//   certificates before it runs any script (the machines of this project's sandbox set it to the system's
//   whole bundle of about 140 certificates: some 35 ms of CPU per Node process, more than an empty
//   script's start without it), and neither phm stats nor R makes a TLS connection. When the machine
//   sets it, phm is also measured with it, and that figure is shown beside the other.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const flag = (name) => argv.includes(`--${name}`);
const sizes = arg('sizes', '1000,10000,100000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const rRuns = Number(arg('r-runs', '2'));
/** Inputs of 100,000 groups and more are run once. */
const runsFor = (groups) => (groups >= 100_000 ? 1 : runs);
const startupRuns = Number(arg('startup-runs', '15'));
const baseline = arg('baseline', undefined);
const only = arg('only', undefined);
const write = !flag('no-write');
const methods = arg('methods', 'dsr,life-expectancy,proportion,rate,sii').split(',');
const phmMain = join(root, 'packages/cli/dist/main.js');
if (!existsSync(phmMain)) {
  console.error(`${phmMain} not found: run npm run build first`);
  process.exit(4);
}
const dir = mkdtempSync(join(os.tmpdir(), 'phm-stats-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Measuring a process: wall time from spawn to exit, and its own VmHWM written as it exits.
const peakHook = join(dir, 'peak.cjs');
writeFileSync(
  peakHook,
  `process.on('exit', () => { try { const fs = require('fs'); const u = process.cpuUsage(); fs.writeFileSync(process.env.PHM_BENCH_PEAK, /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1] + ' ' + Math.round((u.user + u.system) / 1000)); } catch {} });\n`,
);
const peakFile = join(dir, 'peak.txt');

/** The machine's NODE_EXTRA_CA_CERTS, when it sets one; processes run without it unless told (see above). */
const CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
const WITHOUT_CA_CERTS = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));

const runOnce = async (command, args, env = WITHOUT_CA_CERTS) => {
  rmSync(peakFile, { force: true });
  const started = process.hrtime.bigint();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, PHM_BENCH_PEAK: peakFile } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(0, 2000)}`);
  const [peakKb, cpuMs] = existsSync(peakFile) ? readFileSync(peakFile, 'utf8').trim().split(/\s+/).map(Number) : [NaN, NaN];
  return { seconds, peakMb: peakKb / 1024, cpu: cpuMs / 1000 };
};

/** Best and median wall time of n runs, and the largest peak memory. */
const measure = async (command, args, n, env = WITHOUT_CA_CERTS) => {
  const all = [];
  for (let i = 0; i < n; i += 1) all.push(await runOnce(command, args, env));
  const times = all.map((r) => r.seconds).sort((a, b) => a - b);
  const cpus = all.map((r) => r.cpu).sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor((times.length - 1) / 2)], cpu: cpus[0], peakMb: Math.max(...all.map((r) => r.peakMb)), runs: n };
};
const node = (main, args) => [process.execPath, ['-r', peakHook, main, ...args]];

// ---------------------------------------------------------------------------------------------
// Inputs: a small deterministic generator (mulberry32), written as streams.
const generator = (seed) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
const ESP_BANDS = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
const LIFE_STARTS = [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];
const areaName = (g) => `E${String(g).padStart(8, '0')}`;

const writeLines = async (file, header, groups, linesOf) => {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let g = 0; g < groups; g += 1) {
    if (!out.write(linesOf(g))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
};

const INPUTS = {
  dsr: (groups) => {
    const random = generator(1);
    return writeLines(join(dir, `dsr-${groups}.csv`), 'area,age_band,count,population', groups, (g) => {
      let text = '';
      ESP_BANDS.forEach((band, i) => {
        const population = 800 + Math.floor(random() * 4000);
        const count = Math.floor(random() * (2 + i * 3));
        text += `${areaName(g)},${band},${count},${population}\n`;
      });
      return text;
    });
  },
  'life-expectancy': (groups) => {
    const random = generator(2);
    return writeLines(join(dir, `life-expectancy-${groups}.csv`), 'area,age_band,deaths,population', groups, (g) => {
      let text = '';
      LIFE_STARTS.forEach((start, i) => {
        const population = start === 0 ? 300 + Math.floor(random() * 200) : start === 1 ? 1200 + Math.floor(random() * 800) : start === 90 ? 200 + Math.floor(random() * 200) : 1500 + Math.floor(random() * 2500);
        const rate = start === 0 ? 0.004 : start < 40 ? 0.0005 : Math.exp(-10 + 0.09 * start);
        const deaths = Math.max(start === 90 ? 1 : 0, Math.round(population * Math.min(0.3, rate) * (0.5 + random())));
        text += `${areaName(g)},${start},${deaths},${population}\n`;
        void i;
      });
      return text;
    });
  },
  proportion: (groups) => {
    const random = generator(3);
    return writeLines(join(dir, `proportion-${groups}.csv`), 'area,numerator,denominator', groups, (g) => {
      const denominator = 50 + Math.floor(random() * 5000);
      return `${areaName(g)},${Math.floor(random() * denominator)},${denominator}\n`;
    });
  },
  rate: (groups) => {
    const random = generator(4);
    return writeLines(join(dir, `rate-${groups}.csv`), 'area,count,denominator', groups, (g) => `${areaName(g)},${Math.floor(random() * 300)},${10_000 + Math.floor(random() * 90_000)}\n`);
  },
  sii: (groups) => {
    const random = generator(5);
    return writeLines(join(dir, `sii-${groups}.csv`), 'area,rank,value,population,lower_ci,upper_ci', groups, (g) => {
      let text = '';
      for (let rank = 1; rank <= 10; rank += 1) {
        const value = 74 + rank * 0.8 + random() * 2;
        const half = 1 + random() * 2;
        text += `${areaName(g)},${rank},${value.toFixed(3)},${5000 + Math.floor(random() * 5000)},${(value - half).toFixed(3)},${(value + half).toFixed(3)}\n`;
      }
      return text;
    });
  },
};

// The same work in R (PHEindicatormethods), reading and writing CSV as phm does.
const R_SCRIPTS = {
  dsr: 'r <- d |> group_by(area) |> phe_dsr(count, population, confidence = c(0.95, 0.998))',
  'life-expectancy': 'r <- d |> group_by(area) |> phe_life_expectancy(deaths, population, age_band, le_age = 0, confidence = c(0.95, 0.998))',
  proportion: 'r <- phe_proportion(d, numerator, denominator, confidence = c(0.95, 0.998), multiplier = 100)',
  rate: 'r <- phe_rate(d, count, denominator, confidence = c(0.95, 0.998))',
  sii: 'r <- d |> group_by(area) |> phe_sii(rank, population, value = value, lower_cl = lower_ci, upper_cl = upper_ci, confidence = c(0.95, 0.998), repetitions = 100000, rii = TRUE)',
};
const rScript = (method) => {
  const file = join(dir, `${method}.R`);
  writeFileSync(
    file,
    [
      'args <- commandArgs(TRUE)',
      'suppressPackageStartupMessages({ library(PHEindicatormethods); library(dplyr) })',
      'd <- read.csv(args[1])',
      R_SCRIPTS[method],
      'write.csv(r, args[2], row.names = FALSE)',
      "t <- proc.time(); writeLines(paste(sub('VmHWM:\\\\s+(\\\\d+).*', '\\\\1', grep('VmHWM', readLines('/proc/self/status'), value = TRUE)), round(1000 * (t[['user.self']] + t[['sys.self']]))), Sys.getenv('PHM_BENCH_PEAK'))",
    ].join('\n'),
  );
  return file;
};
const haveR = !flag('no-r') && spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(PHEindicatormethods)); cat(as.character(packageVersion("PHEindicatormethods")))'], { encoding: 'utf8' });
const rVersion = haveR && haveR.status === 0 ? haveR.stdout.trim() : null;

/** Whether two outputs agree in every column they share (an older build may have fewer columns). */
const sameValues = (a, b) => {
  const table = (text) => text.trimEnd().split('\n').map((line) => line.split(','));
  const [ha, ...ra] = table(a);
  const [hb, ...rb] = table(b);
  if (ra.length !== rb.length) return false;
  const shared = ha.filter((c) => hb.includes(c)).map((c) => [ha.indexOf(c), hb.indexOf(c)]);
  return ra.every((row, i) => shared.every(([x, y]) => row[x] === rb[i][y]));
};
const fmt = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const mb = (m) => (Number.isFinite(m) ? `${m.toFixed(0)} MB` : '–');
const load = () => os.loadavg()[0].toFixed(1);
const date = new Date().toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------------
// 1. Whole-process time and peak memory per method and size, and the workloads compared with R.
const methodArgs = { sii: ['--simulations', '1000'] };
if (only === undefined || only === 'sizes') {
  const rows = [];
  const loadsAt = [load()];
  for (const method of ['dsr', 'life-expectancy', 'proportion', 'rate', 'sii'].filter((m) => methods.includes(m))) {
    for (const groups of sizes) {
      const input = await INPUTS[method](groups);
      const out = join(dir, 'out.csv');
      const extra = methodArgs[method] ?? [];
      const r = await measure(...node(phmMain, ['stats', method, '--input', input, '--out', out, ...extra]), runsFor(groups));
      console.log(`${method} ${groups}: best ${fmt(r.best)}, median ${fmt(r.median)}, cpu ${fmt(r.cpu)}, peak ${mb(r.peakMb)}`);
      rows.push({ method, groups, rows: method === 'dsr' ? groups * 19 : method === 'life-expectancy' ? groups * 20 : method === 'sii' ? groups * 10 : groups, extra, r });
      rmSync(input, { force: true });
    }
  }
  loadsAt.push(load());

  const table = rows
    .map(({ method, groups, rows: n, extra, r }) => `| ${method}${extra.length ? ` (${extra.join(' ')})` : ''} | ${groups.toLocaleString('en-GB')} | ${n.toLocaleString('en-GB')} | ${fmt(r.best)} | ${r.runs > 1 ? fmt(r.median) : '(1 run)'} | ${fmt(r.cpu)} | ${mb(r.peakMb)} |`)
    .join('\n');
  if (write) {
    writeSection(
      join(root, 'docs/benchmarks.md'),
      'stats-speed-measured',
      `### Per method and size, measured by bench/stats.bench.mjs (${date})

${machine()}; load average ${loadsAt.join(' → ')} (other jobs on the machine); best and median of ${runs} runs
(one run from 100,000 groups) of the whole process (\`node packages/cli/dist/main.js stats METHOD --input FILE --out FILE\`,
from spawn to exit, without NODE_EXTRA_CA_CERTS), its CPU time (user + system), peak memory the process's own high-water mark (VmHWM).

| Method | Groups | Rows in | Best wall | Median wall | CPU (best) | Peak memory |
|---|---:|---:|---:|---:|---:|---:|
${table}`,
    );
  }
}

if (only === undefined || only === 'compare') {
  const loadBefore = load();
  // The issue's workloads, and each method at 10,000 groups (SII: 100 groups at 100,000 simulations), against R and the baseline.
  const compared = [
    { method: 'dsr', groups: 10_000, label: 'DSR, 10,000 groups × 19 bands' },
    { method: 'life-expectancy', groups: 2_000, label: 'Life expectancy at birth, 2,000 groups × 20 bands' },
    { method: 'proportion', groups: 100_000, label: 'Proportions, 100,000 rows' },
    { method: 'rate', groups: 100_000, label: 'Crude rates, 100,000 rows' },
    { method: 'sii', groups: 20, label: 'SII, 20 groups × 10 deciles, 100,000 simulations' },
  ];
  const comparisons = [];
  for (const c of compared.filter((w) => methods.includes(w.method))) {
    const input = await INPUTS[c.method](c.groups);
    const out = join(dir, `phm-${c.method}.csv`);
    const phm = await measure(...node(phmMain, ['stats', c.method, '--input', input, '--out', out]), runs);
    const phmCerts = CA_CERTS === undefined ? null : await measure(...node(phmMain, ['stats', c.method, '--input', input, '--out', out]), runs, process.env);
    let base = null;
    let same = null;
    if (baseline !== undefined) {
      const baseOut = join(dir, `base-${c.method}.csv`);
      try {
        base = await measure(...node(join(baseline, 'packages/cli/dist/main.js'), ['stats', c.method, '--input', input, '--out', baseOut]), rRuns);
        same = sameValues(readFileSync(baseOut, 'utf8'), readFileSync(out, 'utf8'));
      } catch (error) {
        console.log(`baseline ${c.method}: ${String(error.message).split('\n')[0]}`);
      }
    }
    let r = null;
    if (rVersion !== null) r = await measure('Rscript', [rScript(c.method), input, join(dir, `r-${c.method}.csv`)], rRuns);
    comparisons.push({ ...c, phm, phmCerts, base, same, r });
    console.log(`${c.label}: phm ${fmt(phm.best)} cpu ${fmt(phm.cpu)}${phmCerts ? ` (with NODE_EXTRA_CA_CERTS ${fmt(phmCerts.best)} cpu ${fmt(phmCerts.cpu)})` : ''}${base ? `, baseline ${fmt(base.best)} cpu ${fmt(base.cpu)}${same ? ' (same output)' : ' (OUTPUT DIFFERS)'}` : ''}${r ? `, R ${fmt(r.best)} cpu ${fmt(r.cpu)} (${(r.best / phm.best).toFixed(1)}× wall, ${(r.cpu / phm.cpu).toFixed(1)}× cpu)` : ''}`);
    rmSync(input, { force: true });
  }

  const ratio = (r, p) => `${(r.best / p.best).toFixed(1)}× / ${(r.cpu / p.cpu).toFixed(1)}×`;
  const compareTable = comparisons
    .map((c) => `| ${c.label} | ${fmt(c.phm.best)} / ${fmt(c.phm.cpu)} (${mb(c.phm.peakMb)}) |${CA_CERTS === undefined ? '' : ` ${fmt(c.phmCerts.best)} / ${fmt(c.phmCerts.cpu)} |`} ${c.base ? `${fmt(c.base.best)} / ${fmt(c.base.cpu)} (${mb(c.base.peakMb)})${c.same === false ? ', output differs' : ''}` : '–'} | ${c.r ? `${fmt(c.r.best)} / ${fmt(c.r.cpu)} (${mb(c.r.peakMb)})` : '–'} | ${c.r ? ratio(c.r, c.phm) : '–'} |${CA_CERTS === undefined ? '' : ` ${c.r ? ratio(c.r, c.phmCerts) : '–'} |`}`)
    .join('\n');
  if (write) {
    writeSection(
      join(root, 'docs/benchmarks.md'),
      'stats-speed-compared',
      `### Against R${baseline ? ' and the baseline' : ''}, measured by bench/stats.bench.mjs --only compare (${date})

${machine()}; load average ${loadBefore} → ${load()}. ${rVersion ? `R: PHEindicatormethods ${rVersion} under \`Rscript\`, reading and writing CSV` : 'R was not installed on this run'}${baseline ? `; baseline: the build given by --baseline` : ''}.
Wall / CPU time of the whole process (phm best of ${runs}, the others best of ${rRuns}), peak memory in brackets; every process run
without NODE_EXTRA_CA_CERTS${CA_CERTS === undefined ? ' (this machine does not set it)' : `, and phm also with it as this machine sets it (\`${CA_CERTS}\`: Node 20 parses those certificates before running anything)`}:

| Workload | phm |${CA_CERTS === undefined ? '' : ' phm with NODE_EXTRA_CA_CERTS |'} Baseline | R | R ÷ phm (wall / CPU) |${CA_CERTS === undefined ? '' : ' R ÷ phm with it |'}
|---|---:|${CA_CERTS === undefined ? '' : '---:|'}---:|---:|---:|${CA_CERTS === undefined ? '' : '---:|'}
${compareTable}`,
    );
  }
}

if (only === undefined || only === 'startup') {
  const tiny = join(dir, 'tiny-dsr.csv');
  await writeLines(tiny, 'area,age_band,count,population', 1, () => ESP_BANDS.map((band, i) => `A,${band},${i + 3},${1000 + i}\n`).join(''));
  const noop = join(dir, 'noop.mjs');
  writeFileSync(noop, '');
  const commands = [
    ['node (an empty script: the floor)', [process.execPath, ['-r', peakHook, noop]]],
    ['phm --help', node(phmMain, ['--help'])],
    ['phm stats --help', node(phmMain, ['stats', '--help'])],
    ['phm stats dsr (one group)', node(phmMain, ['stats', 'dsr', '--input', tiny, '--out', join(dir, 'tiny-out.csv')])],
    ['phm import --help', node(phmMain, ['import', '--help'])],
    ['phm serve --help', node(phmMain, ['serve', '--help'])],
  ];
  const results = [];
  const loadBefore = load();
  for (const [label, [command, args]] of commands) {
    const r = await measure(command, args, startupRuns);
    const withCerts = CA_CERTS === undefined ? null : await measure(command, args, startupRuns, process.env);
    let base = null;
    if (baseline !== undefined && label.startsWith('phm')) {
      const baseArgs = args.map((a) => (a === phmMain ? join(baseline, 'packages/cli/dist/main.js') : a));
      base = await measure(command, baseArgs, startupRuns);
    }
    results.push({ label, r, withCerts, base });
    console.log(`${label}: best ${fmt(r.best)}, median ${fmt(r.median)}, cpu ${fmt(r.cpu)}, peak ${mb(r.peakMb)}${withCerts ? `; with NODE_EXTRA_CA_CERTS best ${fmt(withCerts.best)}, median ${fmt(withCerts.median)}, cpu ${fmt(withCerts.cpu)}` : ''}${base ? `; baseline best ${fmt(base.best)}, median ${fmt(base.median)}, cpu ${fmt(base.cpu)}` : ''}`);
  }
  if (write) {
    writeSection(
      join(root, 'docs/benchmarks.md'),
      'cli-startup',
      `## \`phm\` start-up (issue 19 item 2)

Measured by \`node bench/stats.bench.mjs --only startup\` (${date}): ${machine()}; load average
${loadBefore} → ${load()}; whole process from spawn to exit, best and median of ${startupRuns} runs, peak memory (VmHWM), without
NODE_EXTRA_CA_CERTS${CA_CERTS === undefined ? ' (this machine does not set it)' : ', and with it as this machine sets it (its last column)'}.
Target: \`phm --help\` and \`phm stats\` under 150 ms.

| Command | Best | Median | CPU (best) | Peak memory |${CA_CERTS === undefined ? '' : ' With NODE_EXTRA_CA_CERTS: best / median / CPU |'}${baseline ? ' Baseline best / median / CPU |' : ''}
|---|---:|---:|---:|---:|${CA_CERTS === undefined ? '' : '---:|'}${baseline ? '---:|' : ''}
${results.map(({ label, r, withCerts, base }) => `| \`${label}\` | ${fmt(r.best)} | ${fmt(r.median)} | ${fmt(r.cpu)} | ${mb(r.peakMb)} |${withCerts ? ` ${fmt(withCerts.best)} / ${fmt(withCerts.median)} / ${fmt(withCerts.cpu)} |` : ''}${baseline ? ` ${base ? `${fmt(base.best)} / ${fmt(base.median)} / ${fmt(base.cpu)}` : '–'} |` : ''}`).join('\n')}`,
    );
  }
}
