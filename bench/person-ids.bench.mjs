#!/usr/bin/env node
/**
 * What a full `phm import --fhir` over a database spends reading the people it replaces (store-duckdb
 * fhir/person-ids.ts readPreviousPeople: source keys, sex, birth, NHS numbers), at the partnership's
 * scale, without a FHIR export of millions of people: a synthetic database of N people (person rows,
 * one fhir_source_key per person, an identity store of the same build) is written to a temporary
 * folder, then read in a child process whose wall time, CPU and peak memory are reported.
 *
 *   npx tsc -b packages/store-duckdb && node bench/person-ids.bench.mjs [N ...]   (default 1000000 2700000)
 *
 * Figures go to the terminal (docs/decisions/0013-stable-person-ids.md quotes them with the load average).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const personIds = pathToFileURL(join(root, 'packages/store-duckdb/dist/fhir/person-ids.js')).href;
const duckdb = pathToFileURL(join(root, 'node_modules/@duckdb/node-api/lib/index.js')).href;
const sizes = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'phm-person-ids-bench-'));

const make = (n, db) => `
import { DuckDBInstance } from ${JSON.stringify(duckdb)};
const i = await DuckDBInstance.create(${JSON.stringify(db)}); const c = await i.connect();
await c.run("CREATE TABLE meta (key VARCHAR, value VARCHAR); INSERT INTO meta VALUES ('record_key_salt', 'bench-salt-0123456789'), ('build_id', 'b1')");
await c.run("CREATE TABLE person AS SELECT range + 1 AS person_id, CASE WHEN range % 2 = 0 THEN 'F' ELSE 'M' END AS sex, DATE '1930-01-01' + CAST(range % 30000 AS INTEGER) AS date_of_birth FROM range(${n})");
await c.run("CREATE TABLE fhir_source_key AS SELECT sha256('bench-salt-0123456789:Patient/' || (range + 1)::VARCHAR) AS resource, 'person' AS target, range + 1 AS id FROM range(${n})");
await c.run(${JSON.stringify(`ATTACH '${db.replace(/\.duckdb$/, '.identity.duckdb')}' AS idn`)});
await c.run("CREATE TABLE idn.meta (key VARCHAR, value VARCHAR); INSERT INTO idn.meta VALUES ('build_id', 'b1')");
await c.run("CREATE TABLE idn.identity AS SELECT range + 1 AS person_id, (9000000000 + range)::VARCHAR AS nhs_number FROM range(${n})");
await c.run('CHECKPOINT'); await c.run('CHECKPOINT idn'); c.closeSync(); i.closeSync();
`;

const read = (db) => `
import { readPreviousPeople } from ${JSON.stringify(personIds)};
const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
const p = await readPreviousPeople(${JSON.stringify(db)}, { threads: '1' });
const wall = Number(process.hrtime.bigint() - t0) / 1e9; const cpu = process.cpuUsage(c0);
if (p.idOfKey('Patient/12345') !== 12345 || p.idOfNhsNumber('9000012344') !== 12345) throw new Error('lookup failed');
console.log(JSON.stringify({ people: p.people, wallS: +wall.toFixed(1), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(1), heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }));
`;

try {
  for (const n of sizes.length > 0 ? sizes : [1_000_000, 2_700_000]) {
    const db = join(dir, `p${n}.duckdb`);
    for (const [name, script] of [['make', make(n, db)], ['read', read(db)]]) {
      const file = join(dir, `${name}.mjs`);
      writeFileSync(file, script);
      const before = loadavg()[0].toFixed(1);
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      if (name === 'read') console.log(`${n} people: ${r.stdout.trim()}, peak RSS ${(Number(r.stderr.trim().split('\n').at(-1)) / 2 ** 20).toFixed(2)} GB (load average ${before} before)`);
    }
    rmSync(db, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
