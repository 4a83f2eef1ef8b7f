// Benchmark: generate and load the whole partnership (about 2.7 million people) with the real CLI,
// recording wall time, peak memory and database size in docs/benchmarks.md.
// Usage: npm run bench:population [-- --size full --workers 2]
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, measure, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const size = arg('size', 'full');
const workers = arg('workers', '2');
const outDir = join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const db = join(outDir, `population-${size}.duckdb`);
rmSync(db, { force: true });

const result = await measure(process.execPath, [join(root, 'packages/cli/dist/main.js'), 'generate', '--size', size, '--seed', 'bench', '--db', db, '--workers', workers], { cwd: root });
const bytes = statSync(db).size;
const record = { date: new Date().toISOString(), size, workers: Number(workers), seconds: result.seconds, peakMb: result.peakMb, databaseMb: bytes / 1e6, machine: machine() };
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', `population-${size}.json`), `${JSON.stringify(record, null, 2)}\n`);
const met = result.seconds < 600 && result.peakMb < 8192;
writeSection(join(root, 'docs', 'benchmarks.md'), `population-${size}`, `
## Generate and load the partnership (\`--size ${size}\`)

Command: \`npm run bench:population -- --size ${size} --workers ${workers}\` (runs \`phm generate\`: synthetic CSV
part files in ${workers} worker threads, then a validated bulk load into DuckDB and an atomic rename).

| Measure | Result | Target |
|---|---|---|
| Wall time | ${(result.seconds / 60).toFixed(1)} min (${result.seconds.toFixed(0)} s) | < 10 min |
| Peak memory (resident, whole process) | ${(result.peakMb / 1024).toFixed(2)} GB | < 8 GB |
| Database size | ${(bytes / 1e9).toFixed(2)} GB | |

Measured ${record.date.slice(0, 10)} on ${record.machine}. Target ${met ? 'met' : '**not met**'}.
`);
console.log(JSON.stringify(record, null, 2));
