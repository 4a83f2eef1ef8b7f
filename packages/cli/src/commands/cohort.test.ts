/**
 * `phm cohort run` end to end on a small synthetic partnership (the built CLI, as users run it):
 * counts, worklist, impact view and user errors with their exit codes; a cohort saved in the app
 * (through the server's API, as an analyst saves one) run by its id, read from the operational store;
 * and `phm plan export` from the same store (the strategies the server loaded at start).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCohort, parseCohortDefinition } from '@openphm/core';
import { createServer, DEMO_PASSWORD } from '@openphm/server';
import { computePersonFeatures, openDatabase, readPersonFeatures } from '@openphm/store-duckdb';
import { phmRunner, parseCsv } from '../test-support.js';

const COHORTS = new URL('../../../../cohorts/', import.meta.url).pathname;
const { dir, phm, cleanup } = phmRunner('cohort');
const DB = join(dir, 'cohort.duckdb');

beforeAll(async () => {
  const r = await phm('generate', '--size', '3000', '--seed', 'cohort-test', '--db', DB, '-q');
  if (r.code !== 0) throw new Error(r.stderr);
}, 300_000);
afterAll(cleanup);

describe('phm cohort run', () => {
  it('counts members by place and neighbourhood, disclosure-controlled', async () => {
    const r = await phm('cohort', 'run', join(COHORTS, 'multimorbidity-imd-q1.json'), '--db', DB, '-q');
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(Object.keys(rows[0]!)).toEqual(['cohort', 'version', 'date', 'breakdown', 'group', 'people', 'group_people', 'share', 'suppressed', 'note']);
    expect(new Set(rows.map((x) => x.breakdown))).toEqual(new Set(['place', 'neighbourhood']));
    for (const x of rows) {
      // Withheld, or a published count (perturbed by its cell key) that is 0 or at least 8, and its share from the published counts.
      if (x.suppressed === 'true') expect(x.people).toBe('');
      else expect(Number(x.people) === 0 || Number(x.people) >= 8).toBe(true);
    }
  });

  it('gives a pseudonymous worklist and an impact view (exact counts for analysts)', async () => {
    const impact = await phm('cohort', 'run', join(COHORTS, 'multimorbidity-imd-q1.json'), '--db', DB, '--impact', '--no-disclosure-control', '--format', 'json', '-q');
    expect(impact.code, impact.stderr).toBe(0);
    const view = JSON.parse(impact.stdout) as { impact: { neighbourhoodId: string; people: number; emergencyBedDays12m: { total: number; perPerson: number | null } }[] };
    const busiest = view.impact.find((i) => i.people > 0)!;
    expect(busiest).toBeDefined();
    const list = await phm('cohort', 'run', join(COHORTS, 'multimorbidity-imd-q1.json'), '--db', DB, '--worklist', busiest.neighbourhoodId, '-q');
    expect(list.code, list.stderr).toBe(0);
    const rows = parseCsv(list.stdout);
    // An export is for planning: members with an opt-out are left out, and stderr says how many.
    const stated = /Purpose: planning\. People with a national data opt-out or a type 1 opt-out are left out: (\d+|\[c\] \(a small number, withheld\)) of them\./.exec(list.stderr);
    expect(stated, list.stderr).not.toBeNull();
    const exact = await phm('cohort', 'run', join(COHORTS, 'multimorbidity-imd-q1.json'), '--db', DB, '--worklist', busiest.neighbourhoodId, '--no-disclosure-control', '--format', 'json', '-q');
    const out = JSON.parse(exact.stdout) as { worklist: unknown[]; worklistPurpose: { purpose: string; leftOut: number; optOuts: string } };
    expect(out.worklistPurpose.purpose).toBe('planning');
    expect(rows).toHaveLength(out.worklist.length);
    expect(rows.length + out.worklistPurpose.leftOut).toBe(busiest.people);
    expect(Object.keys(rows[0]!)).toEqual(['cohort', 'version', 'date', 'neighbourhood', 'person_id', 'age_band', 'sex', 'condition_count', 'efi', 'emergency_admissions_12m', 'ae_attendances_12m']);
    for (const x of rows) expect(Number(x.condition_count)).toBeGreaterThanOrEqual(3);
  });

  it('leaves out the same people for research, and refuses direct care (the server\'s, for a care team)', async () => {
    const file = join(COHORTS, 'multimorbidity-imd-q1.json');
    const all = JSON.parse((await phm('cohort', 'run', file, '--db', DB, '--by', 'neighbourhood', '--no-disclosure-control', '--format', 'json', '-q')).stdout) as { counts: { group: string; people: number }[] };
    const biggest = all.counts.reduce((a, b) => (b.people > a.people ? b : a));
    const run = async (purpose: string) => phm('cohort', 'run', file, '--db', DB, '--worklist', biggest.group, '--purpose', purpose, '--no-disclosure-control', '--format', 'json', '-q');
    const planning = JSON.parse((await run('planning')).stdout) as { worklist: { personId: number }[]; worklistPurpose: { leftOut: number } };
    const research = JSON.parse((await run('research')).stdout) as { worklist: { personId: number }[]; worklistPurpose: { purpose: string; leftOut: number } };
    expect(research.worklist).toEqual(planning.worklist);
    expect(research.worklistPurpose).toMatchObject({ purpose: 'research', leftOut: planning.worklistPurpose.leftOut });
    // The members left out are exactly the opted-out ones.
    const db = await openDatabase(DB, { readOnly: true });
    try {
      const listed = new Set(planning.worklist.map((w) => w.personId));
      const optedOut = await db.query<{ person_id: number }>('SELECT DISTINCT person_id FROM opt_out');
      expect(optedOut.some((o) => listed.has(Number(o.person_id)))).toBe(false);
    } finally {
      db.close();
    }
    const direct = await run('direct-care');
    expect(direct.code).toBe(2);
    expect(direct.stderr).toMatch(/--purpose.*direct-care.*(planning|choices)/s);
  });

  it('runs the respiratory case-finding rule, matching core inCohort on every resident', async () => {
    const file = join(COHORTS, 'respiratory-case-finding.json');
    const r = await phm('cohort', 'run', file, '--db', DB, '--by', 'ics,sex', '--no-disclosure-control', '--format', 'json', '-q');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { cohort: string; version: number; date: string; counts: { breakdown: string; group: string; people: number; groupPeople: number }[] };
    expect([out.cohort, out.version]).toEqual(['respiratory-case-finding', 1]);
    const ics = out.counts.find((c) => c.breakdown === 'ics')!;
    // The reference meaning on the same people: core's inCohort over the features read back.
    const cohort = parseCohortDefinition(JSON.parse(readFileSync(file, 'utf8')), file);
    const db = await openDatabase(DB, { readOnly: true });
    try {
      await computePersonFeatures(db, out.date);
      const people = await readPersonFeatures(db);
      const members = people.filter((p) => inCohort(cohort, p));
      expect(ics.people).toBe(members.length);
      expect(ics.groupPeople).toBe(people.length);
      // The synthetic partnership holds undiagnosed COPD-like patterns for the rule to find.
      expect(members.length).toBeGreaterThan(0);
      for (const m of members) expect(m.flags['condition:copd'] || m.flags['condition:asthma'] || m.numeric.age < 35).toBe(false);
      expect(out.counts.filter((c) => c.breakdown === 'sex').reduce((a, c) => a + c.people, 0)).toBe(members.length);
    } finally {
      db.close();
    }
  });

  it('reports user errors with exit codes', async () => {
    const missing = await phm('cohort', 'run', 'missing.json', '--db', DB, '-q');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/cohort definition not found: missing\.json/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'bad', version: 1, title: 'Bad', description: 'Bad rule', rule: { kind: 'compare', feature: 'height', op: '>', value: 1 } }));
    const bad = await phm('cohort', 'run', 'bad.json', '--db', DB, '-q');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad\.json: rule\.feature/);
    const nowhere = await phm('cohort', 'run', join(COHORTS, 'smi-no-recent-gp.json'), '--db', DB, '--worklist', 'nowhere', '-q');
    expect(nowhere.code).toBe(4);
    expect(nowhere.stderr).toMatch(/no residents in neighbourhood 'nowhere'/);
  });

  it('runs a cohort saved in the app by its id (the latest version or one named), reading the store without changing it', async () => {
    // An analyst saves a cohort and a second version through the server (which then stops: a PGlite store is one process at a time).
    const store = join(dir, 'cohort.operational');
    const app = await createServer({ duckdbFile: DB, operational: { dataDir: store }, demoAccounts: true, logger: false });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'analyst@demo', password: DEMO_PASSWORD } });
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
      const rule = (age: number) => ({ kind: 'all', of: [{ kind: 'flag', feature: 'carer' }, { kind: 'compare', feature: 'age', op: '>=', value: age }] });
      const saved = await app.inject({ method: 'POST', url: '/api/cohorts/saved', headers: { cookie }, payload: { id: 'older-carers', title: 'Carers 65+', description: 'Unpaid carers aged 65 and over', sharing: 'private', definition: { rule: rule(65) } } });
      expect(saved.statusCode, saved.body).toBe(201);
      const next = await app.inject({ method: 'POST', url: '/api/cohorts/saved/older-carers/versions', headers: { cookie }, payload: { title: 'Carers 75+', description: 'Unpaid carers aged 75 and over', definition: { rule: rule(75) } } });
      expect(next.statusCode, next.body).toBe(201);
    } finally {
      await app.close();
    }
    // The store's files (PostgreSQL touches catalogue pages as a session opens and closes, so names only; the rows are store-reads.test.ts's).
    const files = () => readdirSync(store, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
    const before = files();
    const run = (...args: string[]) => phm('cohort', 'run', 'older-carers', '--db', DB, '--by', 'ics', '--no-disclosure-control', '--format', 'json', ...args);
    const latest = await run();
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stderr).toContain('Saved cohort older-carers, version 2, its latest: saved by analyst@demo, shared with its owner only');
    const first = await run('--cohort-version', '1', '-q');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const people = (r: { stdout: string }) => (JSON.parse(r.stdout) as { cohort: string; version: number; counts: { breakdown: string; people: number }[] }).counts.find((c) => c.breakdown === 'ics')!.people;
    expect(JSON.parse(latest.stdout)).toMatchObject({ cohort: 'older-carers', version: 2, title: 'Carers 75+' });
    expect(JSON.parse(first.stdout)).toMatchObject({ cohort: 'older-carers', version: 1, title: 'Carers 65+' });
    // The same count as the same definition in a file.
    writeFileSync(join(dir, 'older-carers.json'), JSON.stringify({ id: 'older-carers', version: 1, title: 'Carers 65+', description: 'Unpaid carers aged 65 and over', rule: { kind: 'all', of: [{ kind: 'flag', feature: 'carer' }, { kind: 'compare', feature: 'age', op: '>=', value: 65 }] } }));
    const fromFile = await phm('cohort', 'run', 'older-carers.json', '--db', DB, '--by', 'ics', '--no-disclosure-control', '--format', 'json', '-q');
    expect(people(first)).toBe(people(fromFile));
    expect(people(latest)).toBeLessThanOrEqual(people(first));
    expect(files()).toEqual(before);

    const refusals: [string[], number, RegExp][] = [
      [['cohort', 'run', 'older-carers', '--db', DB, '--cohort-version', '3', '-q'], 4, /saved cohort 'older-carers' has no version 3 \(its latest is 2\)/],
      [['cohort', 'run', 'no-such-cohort', '--db', DB, '-q'], 4, /no saved cohort 'no-such-cohort'/],
      [['cohort', 'run', 'older-carers.json', '--db', DB, '--cohort-version', '2', '-q'], 4, /older-carers\.json is version 1 of cohort older-carers; a file keeps one version/],
      [['cohort', 'run', 'Not A Cohort', '--db', DB, '-q'], 4, /'Not A Cohort' is neither a cohort file nor a saved cohort's id/],
      [['cohort', 'run', 'older-carers', '--db', DB, '--operational', join(dir, 'nowhere'), '-q'], 4, /no operational store at .*nowhere/],
    ];
    for (const [args, code, message] of refusals) {
      const r = await phm(...args);
      expect([r.code, r.stderr], args.join(' ')).toEqual([code, expect.stringMatching(message)]);
    }
  }, 420_000);

  it('phm plan export writes a strategy from the same store as its plan file, or says why not', async () => {
    const store = join(dir, 'cohort.operational');
    expect(readdirSync(store).length, 'the saved-cohort test made the store').toBeGreaterThan(0);
    const printed = await phm('plan', 'export', '--strategy', 'kirklees-hwb', '--db', DB);
    expect(printed.code, printed.stderr).toBe(0);
    const latest = (JSON.parse(printed.stdout) as { id: string; version: number }).version;
    expect(JSON.parse(printed.stdout)).toMatchObject({ id: 'kirklees-hwb' });
    const first = await phm('plan', 'export', '--strategy', 'kirklees-hwb', '--strategy-version', '1', '--db', DB);
    expect(JSON.parse(first.stdout)).toMatchObject({ id: 'kirklees-hwb', version: 1 });
    const written = await phm('plan', 'export', '--strategy', 'kirklees-hwb', '--out', 'kirklees-hwb.json', '--db', DB);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toMatch(new RegExp(`^Wrote kirklees-hwb\\.json: strategy kirklees-hwb version ${latest}, \\d+ priorities`));
    expect(readFileSync(join(dir, 'kirklees-hwb.json'), 'utf8')).toBe(printed.stdout);
    const check = await phm('plan', 'check', 'kirklees-hwb.json');
    expect(check.code, check.stderr).toBe(0);
    for (const [args, code, message] of [
      [['--strategy', 'nowhere-hwb'], 4, /no strategy 'nowhere-hwb' in the operational store/],
      [['--strategy', 'kirklees-hwb', '--strategy-version', '0'], 2, /--strategy-version must be a whole number of at least 1/],
      [['--strategy', 'kirklees-hwb', '--out', 'missing/x.json'], 4, /cannot write missing\/x\.json \(ENOENT\)/],
    ] as const) {
      const r = await phm('plan', 'export', ...args, '--db', DB);
      expect([r.code, r.stderr], args.join(' ')).toEqual([code, expect.stringMatching(message)]);
    }
  }, 300_000);
});
