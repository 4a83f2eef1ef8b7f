/**
 * Deleted people's operational records (decision 0009), on the population fixture (people 100-159 in
 * leeds-1): an incremental load deletes person 100 (person.deletes.csv, as a FHIR DELETE of their
 * Patient becomes); what the operational store holds about them is closed, not deleted, by whoever
 * owns the store: a running server when it moves to the new version, or `phm caseload import`.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseloadResponse, WorklistResponse } from '@openphm/api-contract';
import { applyIncremental, buildDatabase } from '@openphm/store-duckdb';
import { GEOGRAPHY, META } from '../../../store-duckdb/src/test-support.js';
import { listAudit } from '../operational/audit.js';
import { caseloadHistory, createCarePlan, currentCarePlan, listCaseload, addToCaseload } from '../operational/care-plans.js';
import { createReferral, createService, listReferrals } from '../operational/care.js';
import { createAlert, listAlerts } from '../operational/advance-care.js';
import { addNote } from '../operational/notes.js';
import { createTask, getTask } from '../operational/tasks.js';
import { openOperationalDb, type OperationalDb } from '../operational/db.js';
import { buildPopulationFixture, commandIo, testService, useSignedInServer, useTempDir, usePopulationData } from '../test-support.js';
import { REMOVAL_AUDIT_ACTION, applyPersonRemovals, removalActor } from './person-removals.js';
import { caseloadImportCommand } from './caseload-import.js';

/** Deletes people from a database file by an incremental load; returns the new data version. */
const deletePeople = async (dbFile: string, dir: string, ids: readonly number[]): Promise<string> => {
  const load = join(dir, `deletes-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(load);
  writeFileSync(join(load, 'person.deletes.csv'), `person_id\n${ids.join('\n')}\n`);
  return (await applyIncremental({ dbFile, csvDir: load, geography: GEOGRAPHY, threads: 1, memoryLimit: '512MB' })).buildId;
};

/**
 * Builds the database file again, whole (as \`phm import\` does), from the fixture's CSV files (the csv-*
 * folder beside it) without the people given (every row naming them left out); returns the new data version.
 */
const rebuildWithout = async (dbFile: string, ids: readonly number[]): Promise<string> => {
  const dir = join(dbFile, '..');
  const csv = join(dir, readdirSync(dir).find((f) => f.startsWith('csv-'))!);
  const copy = join(dir, `rebuild-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  cpSync(csv, copy, { recursive: true });
  const drop = new RegExp(`^(${ids.join('|')}),`);
  const filter = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const file = join(path, entry.name);
      if (entry.isDirectory()) filter(file);
      else if (entry.name.endsWith('.csv')) writeFileSync(file, readFileSync(file, 'utf8').split('\n').filter((line) => !drop.test(line)).join('\n'));
    }
  };
  filter(copy);
  return (await buildDatabase({ outFile: dbFile, csvDir: copy, geography: GEOGRAPHY, meta: META, threads: 1, memoryLimit: '512MB' })).buildId;
};

/** Person 100 with one of everything open, person 101 with an episode already ended, person 102 (not deleted) on the caseload. */
const giveRecords = async (ops: OperationalDb): Promise<{ taskId: number }> => {
  await addToCaseload(ops, { personId: '100', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Care coordinator', nextReview: '2026-12-01' }, 'leeds@test');
  const ended = await addToCaseload(ops, { personId: '101', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Care coordinator', nextReview: '2026-12-01' }, 'leeds@test');
  await ops.query("UPDATE caseload_entry SET status = 'discharged', outcome = 'goals-met' WHERE id = $1", [ended.id]);
  await addToCaseload(ops, { personId: '102', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Care coordinator', nextReview: '2026-12-01' }, 'leeds@test');
  await createCarePlan(ops, { whatMatters: 'Home.', goals: [], support: [], contingency: '', consentToShare: true, reviewDate: '2027-01-10', status: 'active', personId: '100', neighbourhoodId: 'leeds-1', createdBy: 'leeds@test' }, 'leeds@test');
  await createService(ops, testService('walks') as never, 'programme@test');
  await createReferral(ops, { personId: '100', neighbourhoodId: 'leeds-1', serviceId: 'walks', reason: 'inactivity', wellbeingBefore: null }, 'leeds@test');
  const task = await createTask(ops, { personId: '100', neighbourhoodId: 'leeds-1', title: 'Phone about the asthma review', detail: '', assigneeId: null, due: null, source: 'manual', sourceRef: null, createdBy: 'leeds@test' }, 'leeds@test');
  await createAlert(ops, { personId: '100', neighbourhoodId: 'leeds-1', kind: 'lone-worker', text: 'Visit in pairs.', startsOn: '2026-11-01', reviewOn: null, createdBy: 'leeds@test' }, 'leeds@test');
  await addNote(ops, { personId: '100', neighbourhoodId: 'leeds-1', authorId: null, author: 'leeds@test', text: 'Spoke to their daughter.', corrects: null });
  return { taskId: task.id };
};

/** What the store holds about person 100 after the removal: everything kept, nothing open. */
const expectClosedAndKept = async (ops: OperationalDb, buildId: string, taskId: number): Promise<void> => {
  const by = removalActor(buildId);
  const [episode] = await listCaseload(ops, { personId: '100' });
  expect(episode).toMatchObject({ status: 'discharged', outcome: 'removed-from-data', version: 2, updatedBy: by });
  // The history keeps the episode as it was before, and the change.
  expect((await caseloadHistory(ops, episode!.id)).map((h) => [h.version, h.changedBy, h.snapshot.status])).toEqual([
    [2, by, 'discharged'],
    [1, 'leeds@test', 'active'],
  ]);
  expect(await currentCarePlan(ops, '100')).toMatchObject({ status: 'closed', version: 2, updatedBy: by });
  expect((await listReferrals(ops, { personId: '100' })).map((r) => [r.status, r.updatedBy])).toEqual([['withdrawn', by]]);
  expect(await getTask(ops, taskId)).toMatchObject({ status: 'cancelled', updatedBy: by });
  expect((await listAlerts(ops, '100')).map((a) => a.status)).toEqual(['ended']);
  // The note stays (append-only).
  expect(await ops.query("SELECT body FROM care_note WHERE person_id = 100")).toEqual([{ body: 'Spoke to their daughter.' }]);
  // Person 101's ended episode and person 102 (not deleted) are untouched.
  expect((await listCaseload(ops, { personId: '101' }))[0]).toMatchObject({ outcome: 'goals-met', version: 1 });
  expect((await listCaseload(ops, { personId: '102' }))[0]).toMatchObject({ status: 'active', version: 1 });
  // Recorded once for the version, with what was closed, and audited (the pseudonymous id only).
  expect(await ops.query('SELECT build_id, person_id::text AS person_id, closed FROM person_removal WHERE person_id = 100')).toEqual([
    { build_id: buildId, person_id: '100', closed: { caseloadEpisodes: 1, carePlans: 1, referrals: 1, tasks: 1, alerts: 1 } },
  ]);
  const audit = (await listAudit(ops, { limit: 10, offset: 0, action: REMOVAL_AUDIT_ACTION, personId: '100' })).rows;
  expect(audit.map((a) => [a.resource, a.detail])).toEqual([
    ['person:100', `data version ${buildId}: closed 1 caseload episodes, 1 care plans, 1 referrals, 1 tasks, 1 alerts`],
  ]);
};

// The store's side on both back ends (once per version, history, audit): operational/person-removals.test.ts.
describe('a running server on a database a load deletes people from', () => {
  const server = useSignedInServer({ fixture: buildPopulationFixture, options: { today: () => '2026-11-26' } });
  const { as } = server;
  const worklist = async () => WorklistResponse.parse((await as('neighbourhood', 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1')).json());
  const caseload = async (status: 'active' | 'discharged') => CaseloadResponse.parse((await as('neighbourhood', 'GET', `/api/caseload?status=${status}`)).json());

  it('closes their records before answering on the new version: gone from worklists and the active caseload, kept for the record', async () => {
    const ops = server.app.openphm.ops;
    const { taskId } = await giveRecords(ops);
    expect((await worklist()).people.map((p) => p.personId)).toContain('100');
    expect((await caseload('active')).entries.map((e) => e.personId).sort()).toEqual(['100', '102']);

    // The load runs beside the server (it never opens the operational store the server owns).
    const file = server.app.openphm.data.file;
    const buildId = await deletePeople(file, join(file, '..'), [100]);

    // The next request is answered on the new version, with person 100's records closed first.
    expect((await caseload('active')).entries.map((e) => e.personId)).toEqual(['102']);
    const discharged = (await caseload('discharged')).entries.find((e) => e.personId === '100')!;
    expect(discharged).toMatchObject({ outcome: 'removed-from-data', outcomeLabel: 'Removed from the data by a load' });
    expect((await worklist()).people.map((p) => p.personId)).not.toContain('100');
    await expectClosedAndKept(ops, buildId, taskId);
    // Applied once: the store says so, and applying again (a restart) finds nothing to do.
    expect((await applyPersonRemovals(ops, server.app.openphm.data)).people).toBe(0);
    // Logged with counts only, never a person's id.
    const logged = server.logLines.filter((l) => l.includes('a data load deleted'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('"people":1');
    expect(logged[0]).not.toMatch(/person:100|"100"/);
  });

  it('closes the records of people a full build leaves out, as for a load that deletes them; earlier deletions are kept, not applied twice', async () => {
    const ops = server.app.openphm.ops;
    await addToCaseload(ops, { personId: '104', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Care coordinator', nextReview: '2026-12-01' }, 'leeds@test');
    await createCarePlan(ops, { whatMatters: 'Garden.', goals: [], support: [], contingency: '', consentToShare: true, reviewDate: '2027-01-10', status: 'active', personId: '104', neighbourhoodId: 'leeds-1', createdBy: 'leeds@test' }, 'leeds@test');
    expect((await caseload('active')).entries.map((e) => e.personId)).toContain('104');
    // A full build of the data without person 104 (person 100, deleted by the load above, is not in it either).
    const file = server.app.openphm.data.file;
    const buildId = await rebuildWithout(file, [100, 104]);
    expect((await caseload('active')).entries.map((e) => e.personId)).toEqual(['102']);
    expect((await caseload('discharged')).entries.find((e) => e.personId === '104')).toMatchObject({ outcome: 'removed-from-data' });
    expect(await currentCarePlan(ops, '104')).toMatchObject({ status: 'closed', updatedBy: removalActor(buildId) });
    // Person 100's deletion came with the new database under its own version, and is not applied again.
    expect(await ops.query('SELECT build_id = $1 AS this_build, person_id::text AS person_id FROM person_removal ORDER BY person_id', [buildId])).toEqual([
      { this_build: false, person_id: '100' },
      { this_build: true, person_id: '104' },
    ]);
    expect((await applyPersonRemovals(ops, server.app.openphm.data)).people).toBe(0);
  });
});

describe('phm caseload import after a load deleted people', () => {
  const tempDir = useTempDir('phm-person-removals-command-');
  const population = usePopulationData();

  it('closes their records first, as a server would', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'population.duckdb');
    copyFileSync(population().file, dbFile);
    writeFileSync(join(dir, 'first.csv'), 'person_id,source,key_worker,taken_on,next_review,cohort_id,outcome\n100,gp,Practice nurse,2026-09-01,2026-12-01,,\n');
    const { io } = commandIo(dir);
    await caseloadImportCommand({ file: 'first.csv', db: dbFile, by: 'a@test', operationalDir: join(dir, 'ops'), today: '2026-11-26' }, io);
    await deletePeople(dbFile, dir, [100]);
    writeFileSync(join(dir, 'second.csv'), 'person_id,source,key_worker,taken_on,next_review,cohort_id,outcome\n102,gp,Practice nurse,2026-09-01,2026-12-01,,\n');
    const err: string[] = [];
    await caseloadImportCommand({ file: 'second.csv', db: dbFile, by: 'a@test', operationalDir: join(dir, 'ops'), today: '2026-11-26' }, { ...io, stderr: { write: (t: string) => void err.push(t) } });
    expect(err.join('')).toContain('Closed the open records of 1 person a data load deleted');
    const ops = await openOperationalDb({ dataDir: join(dir, 'ops') });
    try {
      expect((await listCaseload(ops)).map((e) => [e.personId, e.status, e.outcome])).toEqual([
        ['102', 'active', null],
        ['100', 'discharged', 'removed-from-data'],
      ]);
    } finally {
      await ops.close();
    }
  });
});
