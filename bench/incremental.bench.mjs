// Benchmark: one incremental month loaded into the full partnership with the real CLI
// (`phm import --incremental`), against the full rebuild (`phm generate --size full`: the figure in
// docs/benchmarks.md and the latest run's, bench/results/population-full.json, when present).
//
// The month is made from the database itself, as the next month's extract would look: the last
// month's events, attendances, spells and births moved on one month (new ids for attendances,
// spells and babies), 1 in 100 people changed (another practice and LSOA), deaths of people alive at
// the end, and 100 people deleted (everything about them goes). The database is read only: the load
// runs on a copy (with its identity store) in bench/out/incremental/, removed afterwards.
//
// Usage: npm run bench:incremental [-- --db bench/out/population-full.duckdb]
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { machine, measure, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const source = arg('db', join(root, 'bench', 'out', 'population-full.duckdb'));
const section = arg('section', 'incremental-full');
if (!existsSync(source)) throw new Error(`${source} is missing: build it with npm run bench:population -- --size full`);
const identityOf = (db) => db.replace(/\.duckdb$/, '.identity.duckdb');

const work = join(root, 'bench', 'out', 'incremental');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const db = join(work, 'base.duckdb');
const monthDir = join(work, 'month');
mkdirSync(monthDir);

// The month, from a read-only view of the source.
const instance = await DuckDBInstance.create(source, { access_mode: 'READ_ONLY', threads: '2' });
const c = await instance.connect();
const one = async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJS()[0];
const meta = Object.fromEntries((await (await c.runAndReadAll('SELECT key, value FROM meta')).getRowObjectsJS()).map((r) => [r.key, r.value]));
const end = meta.window_end;
if (!end) throw new Error(`${source} has no window_end`);
const from = `DATE '${end}' - INTERVAL 1 MONTH`;
const next = (await one(`SELECT strftime(DATE '${end}' + INTERVAL 1 MONTH, '%Y-%m-%d') AS d`)).d;
// Moved on by the length of the last month (whole days, so a departure stays after its arrival).
const { days } = await one(`SELECT datediff('day', ${from}, DATE '${end}')::INTEGER AS days`);
const shift = (col) => `CAST(${col} + INTERVAL ${days} DAY AS ${col.endsWith('time') ? 'TIMESTAMP' : 'DATE'})`;
const copy = async (name, sql) => {
  await c.run(`COPY (${sql}) TO '${join(monthDir, `${name}.csv`)}' (HEADER, DELIMITER ',', DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')`);
  return Number((await one(`SELECT count(*) AS n FROM read_csv('${join(monthDir, `${name}.csv`)}', header = true, all_varchar = true)`)).n);
};
const { maxPerson, maxAe, maxSpell } = await one(
  'SELECT (SELECT max(person_id) FROM person) AS "maxPerson", (SELECT max(attendance_id) FROM ae_attendance) AS "maxAe", (SELECT max(spell_id) FROM hospital_spell) AS "maxSpell"',
);
const month = {};
// Babies born in the last month, again a month later, with new ids; their births.
await c.run(`CREATE TEMP TABLE babies AS SELECT person_id AS old_id, person_id + ${maxPerson} AS new_id FROM person WHERE date_of_birth >= ${from} AND date_of_birth < DATE '${end}'`);
// 1 in 100 people changed: the practice and LSOA of the next person.
await c.run(
  `CREATE TEMP TABLE changed AS SELECT p.person_id, p.sex, p.date_of_birth, p.ethnic_category, q.lsoa_code, q.practice_code, p.registration_date, p.is_carer ` +
    `FROM (SELECT *, row_number() OVER (ORDER BY person_id) AS i FROM person) p JOIN (SELECT *, row_number() OVER (ORDER BY person_id) AS i FROM person) q ON q.i = p.i + 1 ` +
    `WHERE p.i % 100 = 7 AND p.person_id NOT IN (SELECT old_id FROM babies)`,
);
month.person = await copy(
  'person',
  `SELECT new_id AS person_id, sex, ${shift('date_of_birth')} AS date_of_birth, ethnic_category, lsoa_code, practice_code, ${shift('registration_date')} AS registration_date, is_carer FROM person JOIN babies ON person_id = old_id ` +
    'UNION ALL SELECT * FROM changed',
);
month.birth = await copy(
  'birth',
  `SELECT new_id AS baby_person_id, mother_person_id, ${shift('birth_date')} AS birth_date, birth_weight_grams, gestation_weeks, smoking_at_delivery FROM birth JOIN babies ON baby_person_id = old_id`,
);
const { lastMonthDeaths } = await one(`SELECT count(*)::INTEGER AS "lastMonthDeaths" FROM death WHERE date_of_death >= ${from}`);
// Deaths: as many as in the last month, of people alive at the end, not changed, not mothers of the new babies.
month.death = await copy(
  'death',
  `SELECT person_id, CAST(DATE '${end}' + INTERVAL (person_id % 28) DAY AS DATE) AS date_of_death, 'I219' AS underlying_cause, 'hospital' AS place_of_death FROM person ` +
    `WHERE person_id NOT IN (SELECT person_id FROM death) AND person_id NOT IN (SELECT person_id FROM changed) AND person_id NOT IN (SELECT mother_person_id FROM birth) ` +
    `AND date_of_birth < DATE '1950-01-01' ORDER BY hash(person_id) LIMIT ${lastMonthDeaths}`,
);
const events = {
  clinical_event: ['event_date', 'person_id, event_date, snomed_code, numeric_value'],
  medication: ['issue_date', 'person_id, issue_date, bnf_code'],
  gp_appointment: ['appointment_date', 'person_id, appointment_date, staff_role, mode'],
  outpatient_appointment: ['appointment_date', 'person_id, appointment_date, specialty, attended'],
  community_contact: ['contact_date', 'person_id, contact_date, service'],
  mental_health_contact: ['contact_date', 'person_id, contact_date, service'],
  social_care_event: ['event_date', 'person_id, event_date, event_type'],
};
for (const [table, [date, columns]] of Object.entries(events)) {
  month[table] = await copy(
    table,
    `SELECT ${columns.split(', ').map((col) => (col === date ? `${shift(col)} AS ${col}` : col)).join(', ')} FROM ${table} WHERE ${date} >= ${from} AND ${date} < DATE '${end}' AND person_id NOT IN (SELECT old_id FROM babies)`,
  );
}
month.ae_attendance = await copy(
  'ae_attendance',
  `SELECT attendance_id + ${maxAe} AS attendance_id, person_id, ${shift('arrival_time')} AS arrival_time, ${shift('departure_time')} AS departure_time, department_type, disposal FROM ae_attendance ` +
    `WHERE arrival_time >= ${from} AND arrival_time < DATE '${end}' AND person_id NOT IN (SELECT old_id FROM babies)`,
);
month.hospital_spell = await copy(
  'hospital_spell',
  `SELECT * REPLACE (spell_id + ${maxSpell} AS spell_id, ${shift('admission_date')} AS admission_date, ${shift('discharge_date')} AS discharge_date) FROM hospital_spell ` +
    `WHERE admission_date >= ${from} AND admission_date < DATE '${end}' AND person_id NOT IN (SELECT old_id FROM babies)`,
);
// 100 people withdrawn from the extract (e.g. registered in error): deleted with everything about them.
month['person.deletes'] = await copy(
  'person.deletes',
  `SELECT person_id FROM person WHERE person_id NOT IN (SELECT person_id FROM changed) AND person_id NOT IN (SELECT old_id FROM babies) ` +
    `AND person_id NOT IN (SELECT mother_person_id FROM birth) ORDER BY hash(person_id + 1) LIMIT 100`,
);
c.closeSync();
instance.closeSync();
// Rows of people deleted in this very month would be refused (they are not stored after it): leave them out.
{
  const check = await DuckDBInstance.create(':memory:');
  const cc = await check.connect();
  const deleted = `(SELECT person_id FROM read_csv('${join(monthDir, 'person.deletes.csv')}', header = true))`;
  for (const table of [...Object.keys(events), 'ae_attendance', 'hospital_spell', 'death']) {
    const file = join(monthDir, `${table}.csv`);
    await cc.run(`COPY (SELECT * FROM read_csv('${file}', header = true, all_varchar = true) WHERE CAST(person_id AS BIGINT) NOT IN ${deleted}) TO '${file}.tmp' (HEADER, DELIMITER ',')`);
    copyFileSync(`${file}.tmp`, file);
    rmSync(`${file}.tmp`);
    month[table] = Number((await (await cc.runAndReadAll(`SELECT count(*) AS n FROM read_csv('${file}', header = true, all_varchar = true)`)).getRowObjectsJS())[0].n);
  }
  cc.closeSync();
  check.closeSync();
}
const monthBytes = readdirSync(monthDir).reduce((s, f) => s + statSync(join(monthDir, f)).size, 0);

copyFileSync(source, db);
if (existsSync(identityOf(source))) copyFileSync(identityOf(source), identityOf(db));
const cli = join(root, 'packages/cli/dist/main.js');
const result = await measure(process.execPath, [cli, 'import', '--incremental', monthDir, '--db', db, '--window-end', next], { cwd: root });
// Loading the same month again: every row already stored (the idempotent case: checks and comparisons only).
const again = await measure(process.execPath, [cli, 'import', '--incremental', monthDir, '--db', db, '-q'], { cwd: root });

// The full rebuild: as recorded in docs/benchmarks.md ("Generate and load the partnership"), and the latest
// run's (bench/results/population-full.json), which may come from a busier machine.
const recorded = (() => {
  const m = /Wall time \| [\d.]+ min \((\d+) s\)[^\n]*\n[\s\S]*?Measured (\S+) on (.+?)\. Target/.exec(readFileSync(join(root, 'docs', 'benchmarks.md'), 'utf8'));
  return m ? { seconds: Number(m[1]), date: m[2], machine: m[3] } : undefined;
})();
const latest = (() => {
  const file = join(root, 'bench', 'results', 'population-full.json');
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { seconds: r.seconds, date: r.date.slice(0, 10), machine: r.machine };
})();
const rebuild = { seconds: Math.min(recorded?.seconds ?? Infinity, latest?.seconds ?? Infinity) };
const bytes = statSync(db).size;
const record = {
  date: new Date().toISOString(),
  source,
  month,
  monthMb: monthBytes / 1e6,
  seconds: result.seconds,
  peakMb: result.peakMb,
  againSeconds: again.seconds,
  rebuildSeconds: { recorded: recorded?.seconds ?? null, latest: latest?.seconds ?? null },
  databaseMb: bytes / 1e6,
  machine: machine(),
};
rmSync(work, { recursive: true, force: true });
if (section === 'none') {
  console.log(JSON.stringify(record, null, 2));
  process.exit(0);
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', `${section}.json`), `${JSON.stringify(record, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });

const fmt = (n) => n.toLocaleString('en-GB');
const ratio = rebuild.seconds / result.seconds;
writeSection(join(root, 'docs', 'benchmarks.md'), section, `
## Incremental month into the partnership (\`phm import --incremental\`)

Command: \`npm run bench:incremental\` on a copy of \`${source.startsWith(root) ? source.slice(root.length + 1) : source}\` (the month is made
from the database: the last month's events moved on a month, new babies and their births, 1 in 100 people changed,
deaths, 100 people deleted with everything about them; the window extended to ${next}). The load copies the
database and its identity store into its private folder, checks every row, applies the month in one transaction,
checkpoints and renames the copies over the originals. That the result equals a full rebuild from the same data, table by
table and in the indicator catalogue, is tested at 1,500 people (\`packages/cli/src/commands/import-incremental.test.ts\`).

| Rows in the month | |
|---|---:|
${Object.entries(month).map(([t, n]) => `| \`${t}\` | ${fmt(n)} |`).join('\n')}
| CSV size | ${(monthBytes / 1e6).toFixed(1)} MB |

| Measure | Result | Target |
|---|---|---|
| Wall time, incremental month | **${result.seconds.toFixed(1)} s** | well under a full rebuild |
${recorded ? `| Full rebuild (\`phm generate --size full\`), as recorded above (${recorded.date}, ${recorded.machine}) | ${recorded.seconds.toFixed(0)} s | |\n` : ''}${latest ? `| Full rebuild, latest run (bench/results/population-full.json: ${latest.date}, ${latest.machine}) | ${latest.seconds.toFixed(0)} s | |\n` : ''}| Incremental against the faster rebuild | ${ratio.toFixed(1)} times faster | at least 5 |
| The same month loaded again (nothing changes) | ${again.seconds.toFixed(1)} s | |
| Peak memory (resident, whole process) | ${(result.peakMb / 1024).toFixed(2)} GB | < 8 GB |
| Database size after | ${(bytes / 1e9).toFixed(2)} GB | |

Measured ${record.date.slice(0, 10)} on ${record.machine}, on a machine shared with other work. Target ${ratio >= 5 ? 'met' : '**not met**'} (at least 5 times faster).
`);
console.log(JSON.stringify(record, null, 2));
