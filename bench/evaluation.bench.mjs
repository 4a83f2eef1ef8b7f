// Benchmark: the matched evaluation of an intervention on the whole partnership (about 2.7 million
// people), as GET /api/referrals/evaluation and GET /api/caseload/evaluation run it: comparators
// matched exactly on sex, age band, IMD quintile, place, prior A&E attendances and emergency
// admissions, outcomes a year before and after. Two realistic exposure sets over the three
// evaluable years: social prescribing referrals (1 in 100 adults, any) and caseload episodes
// (people with 2+ emergency admissions in the year before, 1 in 10 of them).
// Wall times and peak memory go to docs/benchmarks.md.
// Usage: npm run bench:evaluation, or npm run build && node bench/evaluation.bench.mjs [--db bench/out/population-full.duckdb]
// (the database comes from `npm run bench:population`; it is opened read-only).
// --record FILE: write the record to FILE only, leaving docs/benchmarks.md and bench/results alone
// (bench/cost-curve.bench.mjs runs it so on each size).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const dbFile = arg('db', join(root, 'bench', 'out', 'population-full.duckdb'));
const recordFile = arg('record', undefined);
if (!existsSync(dbFile)) {
  console.error(`${dbFile} not found: run npm run bench:population first (or pass --db)`);
  process.exit(4);
}
const { openDatabase, matchedOutcomes, evaluableIndexDates } = await import(join(root, 'packages/store-duckdb/dist/index.js'));
const { matchedDifferenceInDifferences } = await import(join(root, 'packages/core/dist/index.js'));

const peakMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const time = async (fn) => {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, result };
};

const db = await openDatabase(dbFile, { readOnly: true });
const meta = Object.fromEntries((await db.query(`SELECT key, value FROM meta WHERE key IN ('window_start', 'window_end')`)).map((r) => [r.key, r.value]));
const { first, last } = evaluableIndexDates(meta.window_start, meta.window_end);
const [{ people }] = await db.query(`SELECT count(*)::BIGINT AS people FROM person`);

// Exposures, chosen by a hash of the id (deterministic), on days spread over the evaluable years.
const referrals = await db.query(
  `SELECT person_id::VARCHAR AS "personId", strftime(DATE '${first}' + CAST(hash(person_id, 'bench-day') % (DATE '${last}' - DATE '${first}') AS INTEGER), '%Y-%m-%d') AS "indexDate"
   FROM person WHERE date_of_birth <= DATE '${first}' - INTERVAL 18 YEAR AND hash(person_id, 'bench-referral') % 100 = 0`,
);
const caseload = await db.query(
  `WITH quarters AS (SELECT unnest(range(DATE '${first}', DATE '${last}', INTERVAL 3 MONTH))::DATE AS q),
   frequent AS (
     SELECT s.person_id, q.q FROM hospital_spell s JOIN quarters q ON s.admission_date >= q.q - INTERVAL 365 DAY AND s.admission_date < q.q
     WHERE s.admission_method = 'emergency' GROUP BY s.person_id, q.q HAVING count(*) >= 2
   ), firsts AS (SELECT person_id, min(q) AS q FROM frequent GROUP BY person_id)
   SELECT person_id::VARCHAR AS "personId", strftime(q + CAST(hash(person_id, 'bench-day') % 80 AS INTEGER), '%Y-%m-%d') AS "indexDate"
   FROM firsts WHERE hash(person_id, 'bench-caseload') % 10 = 0`,
);

const runs = [];
for (const [name, exposures] of [
  ['Social prescribing referrals (1 in 100 adults)', referrals],
  ['Caseload episodes (1 in 10 people with 2+ emergency admissions in the year before)', caseload],
]) {
  const r = await time(async () => {
    const m = await matchedOutcomes(db, exposures, { seed: 'bench' });
    return { m, effect: matchedDifferenceInDifferences(m.units.emergencyAdmissions) };
  });
  const { m, effect } = r.result;
  // exposed and cases are keyed counts ({ n, key }: the key for disclosure control); the benchmark reports n.
  const count = (v) => (typeof v === 'object' && v !== null ? v.n : v);
  runs.push({ name, exposed: count(m.exposed), cases: count(m.cases), matched: effect.matched, quarters: m.quarters.length, seconds: r.seconds, emergencyAdmissionsEffect: effect.effect, lower95: effect.lower95, upper95: effect.upper95 });
  console.error(`${name}: ${count(m.exposed)} exposed, ${count(m.cases)} evaluable, ${effect.matched} matched, ${r.seconds.toFixed(1)} s`);
}
db.close();

const peak = peakMb();
const record = { date: new Date().toISOString(), database: relative(root, dbFile), people: Number(people), evaluable: { first, last }, runs, peakMb: peak, machine: machine() };
if (recordFile) {
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  process.exit(0);
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'evaluation-full.json'), `${JSON.stringify(record, null, 2)}\n`);
const met = runs.every((r) => r.seconds < 60) && peak < 12 * 1024;
const fmt = (v) => (v === null ? 'withheld' : v.toFixed(3));
writeSection(join(root, 'docs', 'benchmarks.md'), 'evaluation-full', `
## Matched evaluation of an intervention

Command: \`npm run build && node bench/evaluation.bench.mjs\` on \`${record.database}\` (read-only), ${record.people.toLocaleString('en-GB')} people;
index dates over the evaluable years ${first} to ${last} (a year of data either side). One process, one DuckDB connection; what
\`GET /api/referrals/evaluation\` and \`GET /api/caseload/evaluation\` run (docs/social-prescribing.md). The synthetic data has no
effect built in, so the estimates should be near zero. GP appointments (the most numerous events, an outcome only) are counted
for the matched people alone (counted for everyone, the referrals took 72.2 s).

| Exposures | People | Evaluable | Matched | Index quarters | Wall time (target < 60 s) | Effect on emergency admissions (95% CI) |
|---|---:|---:|---:|---:|---:|---|
${runs.map((r) => `| ${r.name} | ${r.exposed.toLocaleString('en-GB')} | ${r.cases.toLocaleString('en-GB')} | ${r.matched.toLocaleString('en-GB')} | ${r.quarters} | **${r.seconds.toFixed(1)} s** | ${fmt(r.emergencyAdmissionsEffect)} (${fmt(r.lower95)} to ${fmt(r.upper95)}) |`).join('\n')}

Peak memory (resident, whole process; target < 12 GB): ${(peak / 1024).toFixed(2)} GB. Measured ${record.date.slice(0, 10)} on ${record.machine}. Targets ${met ? 'met' : '**not met**'}.
`);
console.log(JSON.stringify(record, null, 2));
