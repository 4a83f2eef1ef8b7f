// Finding a person in the identity store (X.identity.duckdb next to the database; default the full
// partnership, bench/out/population-full.duckdb): 300 people sampled from the store, found
//
// 1. by the store's queries alone (queries/identity.ts): by NHS number, by family name and date of
//    birth, by person id;
// 2. through the API as the demo neighbourhood team, GET /api/care/search by NHS number and by name
//    and date of birth: the care relationship of every person found included (their practice from
//    the person-level store; caseload, referrals and break-glass from the operational store), and the
//    audit record written (PGlite), one request at a time, the per-user limit lifted.
//
// The first search of each kind (a cold index) is reported apart; then p50 / p95 / max over the
// sample. Target (issue 14): each search < 50 ms on the full ICS.
// The server uses the person documents beside the database (decision 0012) when they are there for this build of the data
// (npm run bench:person builds them): each person found's practice, for the care relationship, is then read from them.
// Usage: npm run build, then node bench/identity.bench.mjs [--db FILE] [--no-write]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '@openphm/server';
import { identitiesByNameAndBirth, identityByNhsNumber, identityByPersonId, identityFileOf, openDatabase, openIdentityStore, readMeta, openPersonDocs, personDocsDirOf } from '@openphm/store-duckdb';
import { machine, writeSection } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const db = arg('db', join(root, 'bench', 'out', 'population-full.duckdb'));
const write = !process.argv.includes('--no-write');
const identityFile = identityFileOf(db);
if (!existsSync(db) || !existsSync(identityFile)) throw new Error(`${db} and ${identityFile} are needed: run npm run bench:population -- --size full first (phm generate writes the identity store)`);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const ms = (v) => `${v.toFixed(1)} ms`;
const summary = (times) => {
  const [first, ...rest] = times;
  const sorted = [...rest].sort((a, b) => a - b);
  return { first, p50: pct(sorted, 50), p95: pct(sorted, 95), max: sorted[sorted.length - 1] };
};
const timed = async (items, run) => {
  const times = [];
  for (const item of items) {
    const t = performance.now();
    await run(item);
    times.push(performance.now() - t);
  }
  return summary(times);
};

// The sample, and how many people the store holds.
const main = await openDatabase(db);
const buildId = (await readMeta(main)).build_id;
main.close();
const sampler = await openIdentityStore(identityFile, buildId, { connections: 1 });
const [{ n }] = await sampler.query('SELECT count(*)::INTEGER AS n FROM identity');
const sample = await sampler.query(
  `SELECT person_id, nhs_number, family_name, strftime(date_of_birth, '%Y-%m-%d') AS dob FROM identity USING SAMPLE reservoir(300 ROWS) REPEATABLE (14)`,
);
sampler.close();

// 1. The store's queries.
const store = await openIdentityStore(identityFile, buildId, { connections: 2 });
const queries = {
  nhs: await timed(sample, (p) => identityByNhsNumber(store, p.nhs_number)),
  name: await timed(sample, (p) => identitiesByNameAndBirth(store, { familyName: p.family_name, dateOfBirth: p.dob })),
  id: await timed(sample, (p) => identityByPersonId(store, Number(p.person_id))),
};
store.close();

// 2. Through the API, as the demo neighbourhood team.
const operational = mkdtempSync(join(tmpdir(), 'phm-identity-bench-'));
const app = await createServer({
  duckdbFile: db,
  operational: { dataDir: join(operational, 'ops') },
  demoAccounts: true,
  webDir: false,
  logger: false,
  rateLimits: { 'person-level': { burst: 1_000_000, perSecond: 1_000_000 } },
  personDocs: { dir: personDocsDirOf(db) },
});
// Whether the documents serve this database (else the practice is read from DuckDB, as without them).
const docs = await app.openphm.personDocs.current(app.openphm.data);
const docsNote = docs === null ? 'no person documents (practices read from DuckDB)' : `practices from the person documents (${docs.manifest.people.toLocaleString('en-GB')} people, decision 0012)`;
process.stdout.write(`${docsNote}\n`);
let routes;
try {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'neighbourhood@demo', password: 'openphm-demo' } });
  if (login.statusCode !== 200) throw new Error(`log-in failed: ${login.body}`);
  const cookie = String(login.headers['set-cookie']).split(';')[0];
  const get = async (url) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  };
  routes = {
    nhs: await timed(sample, (p) => get(`/api/care/search?nhsNumber=${p.nhs_number}`)),
    name: await timed(sample, (p) => get(`/api/care/search?familyName=${encodeURIComponent(p.family_name)}&dateOfBirth=${p.dob}`)),
  };
} finally {
  await app.close();
  rmSync(operational, { recursive: true, force: true });
}

const row = (what, s) => `| ${what} | ${ms(s.first)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`;
const worst = Math.max(routes.nhs.p95, routes.name.p95);
const body = `
## Finding a person (identity store)

Command: \`node bench/identity.bench.mjs --db ${db.replace(`${root}/`, '')}\` (after \`npm run build\`): 300 people sampled from
the identity store next to the database (${n.toLocaleString('en-GB')} people), found one at a time. The store's queries
alone, then \`GET /api/care/search\` as the demo neighbourhood team (in process: the care relationship of each person
found and the audit record included; the per-user limit lifted; ${docsNote}).

| Search | First (cold index) | p50 | p95 | max |
|---|---|---|---|---|
${row('Store: by NHS number', queries.nhs)}
${row('Store: by family name and date of birth', queries.name)}
${row('Store: by person id', queries.id)}
${row('API: by NHS number', routes.nhs)}
${row('API: by family name and date of birth', routes.name)}

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}. Target (< 50 ms each): ${worst < 50 ? 'met' : 'not met'} (p95 ${ms(worst)}).
`;
process.stdout.write(body);
if (write) writeSection(join(root, 'docs', 'benchmarks.md'), `identity-search${n > 2_000_000 ? '-full' : ''}`, body);
