/**
 * Closing what the operational store holds open about people a data load deleted, on both back ends
 * (the store's side only; reading the deletions from the data and a running server: data/person-removals.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { CaseloadUpdateSchema } from '@openphm/core';
import { addToCaseload, listCaseload } from './care-plans.js';
import { createTask, getTask, taskHistory } from './tasks.js';
import { listAudit } from './audit.js';
import { REMOVAL_AUDIT_ACTION, closeRecordsOfRemovedPeople, removalActor } from './person-removals.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

describe.each(TEST_BACKENDS)('closing the records of removed people on $name', (backend) => {
  const ops = useTestDb(backend, 'phm_person_removal');

  it('closes each person once per data version, with history and an audit row; a later version is applied again', async () => {
    await addToCaseload(ops, { personId: '7', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Matron', nextReview: '2026-12-01' }, 'sam@test');
    const task = await createTask(ops, { personId: '7', neighbourhoodId: 'leeds-1', title: 'Visit', detail: '', assigneeId: null, due: null, source: 'manual', sourceRef: null, createdBy: 'sam@test' }, 'sam@test');
    const other = await createTask(ops, { personId: '8', neighbourhoodId: 'leeds-1', title: 'Visit', detail: '', assigneeId: null, due: null, source: 'manual', sourceRef: null, createdBy: 'sam@test' }, 'sam@test');

    expect(await closeRecordsOfRemovedPeople(ops, [])).toEqual({ people: 0, closed: { caseloadEpisodes: 0, carePlans: 0, referrals: 0, tasks: 0, alerts: 0 } });
    const first = await closeRecordsOfRemovedPeople(ops, [{ buildId: 'v1', personId: '7' }]);
    expect(first).toEqual({ people: 1, closed: { caseloadEpisodes: 1, carePlans: 0, referrals: 0, tasks: 1, alerts: 0 } });
    expect((await listCaseload(ops, { personId: '7' }))[0]).toMatchObject({ status: 'discharged', outcome: 'removed-from-data', updatedBy: removalActor('v1') });
    expect((await taskHistory(ops, task.id)).map((h) => [h.version, h.snapshot.status, h.changedBy])).toEqual([
      [2, 'cancelled', 'data load v1'],
      [1, 'open', 'sam@test'],
    ]);
    expect((await getTask(ops, other.id)).status).toBe('open');

    // The same version again: nothing. A later version deleting them again is recorded (nothing left open to close).
    expect((await closeRecordsOfRemovedPeople(ops, [{ buildId: 'v1', personId: '7' }])).people).toBe(0);
    expect(await closeRecordsOfRemovedPeople(ops, [{ buildId: 'v2', personId: '7' }])).toEqual({ people: 1, closed: { caseloadEpisodes: 0, carePlans: 0, referrals: 0, tasks: 0, alerts: 0 } });
    expect((await listAudit(ops, { limit: 10, offset: 0, action: REMOVAL_AUDIT_ACTION })).rows.map((r) => [r.resource, r.userId, r.detail?.slice(0, 15)])).toEqual([
      ['person:7', null, 'data version v2'],
      ['person:7', null, 'data version v1'],
    ]);
    // The store keeps the record of removals as written.
    await expect(ops.query("UPDATE person_removal SET build_id = 'x'")).rejects.toThrow(/append-only/);
    // Only the server gives the outcome: a user's discharge cannot choose it (core's schema), the store takes it.
    expect(CaseloadUpdateSchema.safeParse({ status: 'discharged', outcome: 'removed-from-data', version: 1 }).success).toBe(false);
    expect(CaseloadUpdateSchema.safeParse({ status: 'discharged', outcome: 'moved-away', version: 1 }).success).toBe(true);
    expect(await ops.query("SELECT count(*)::int AS n FROM caseload_entry WHERE outcome = 'removed-from-data'")).toEqual([{ n: 1 }]);
  });
});
