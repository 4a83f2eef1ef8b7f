/** Care plans and the caseload on both back ends: versions, one active per person, what the schema refuses. */
import { describe, expect, it } from 'vitest';
import { addToCaseload, carePlanHistory, createCarePlan, currentCarePlan, listCaseload, operationalPeople, updateCarePlan, updateCaseloadEntry } from './care-plans.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const CONTENT = {
  whatMatters: 'Staying at home with my cat.',
  goals: [{ goal: 'Manage my breathing on stairs', status: 'working-on' as const }],
  support: [{ who: 'Son', what: 'Weekly shopping' }],
  contingency: 'Rescue pack at home; call the practice.',
  consentToShare: false,
  reviewDate: '2027-01-15',
  status: 'active' as const,
};

describe.each(TEST_BACKENDS)('care plans and caseload on $name', (backend) => {
  const db = useTestDb(backend, 'phm_plans');

  it('keeps a care plan with its versions; one active plan per person', async () => {
    const plan = await createCarePlan(db, { ...CONTENT, personId: '77', neighbourhoodId: 'leeds-01', createdBy: 'matron@test' }, 'matron@test');
    expect(plan).toMatchObject({ personId: '77', version: 1, whatMatters: 'Staying at home with my cat.', consentToShare: false, createdBy: 'matron@test' });
    const v2 = await updateCarePlan(db, plan.id, { ...CONTENT, consentToShare: true, goals: [{ goal: 'Manage my breathing on stairs', status: 'achieved' }], version: 1 }, 'worker@test');
    expect(v2).toMatchObject({ version: 2, consentToShare: true, goals: [{ status: 'achieved' }], createdBy: 'matron@test', updatedBy: 'worker@test' });
    expect((await currentCarePlan(db, '77'))!.version).toBe(2);
    expect(await currentCarePlan(db, '78')).toBeNull();
    expect((await carePlanHistory(db, plan.id)).map((h) => [h.version, h.snapshot.consentToShare])).toEqual([[2, true], [1, false]]);
    await expect(createCarePlan(db, { ...CONTENT, personId: '77', neighbourhoodId: 'leeds-01', createdBy: 'x' }, 'x')).rejects.toThrow();
    await updateCarePlan(db, plan.id, { ...CONTENT, status: 'closed', version: 2 }, 'worker@test');
    const again = await createCarePlan(db, { ...CONTENT, personId: '77', neighbourhoodId: 'leeds-01', createdBy: 'y' }, 'y');
    expect((await currentCarePlan(db, '77'))!.id).toBe(again.id);
  });

  it('keeps caseload episodes: one active per person, discharge with an outcome', async () => {
    const e = await addToCaseload(db, { personId: '77', neighbourhoodId: 'leeds-01', source: 'worklist', cohortId: 'frail-65-emergency-admission', keyWorker: 'Matron', nextReview: '2026-12-01' }, 'matron@test');
    expect(e).toMatchObject({ status: 'active', outcome: null, version: 1, cohortId: 'frail-65-emergency-admission' });
    await expect(addToCaseload(db, { personId: '77', neighbourhoodId: 'leeds-01', source: 'gp', cohortId: null, keyWorker: 'X', nextReview: '2026-12-01' }, 'x')).rejects.toThrow();
    await addToCaseload(db, { personId: '88', neighbourhoodId: 'leeds-02', source: 'gp', cohortId: null, keyWorker: 'Nurse', nextReview: '2026-11-30' }, 'nurse@test');
    expect((await listCaseload(db, { neighbourhoodId: 'leeds-01' })).map((x) => x.personId)).toEqual(['77']);
    expect((await listCaseload(db)).map((x) => x.personId)).toEqual(['88', '77']);
    const done = await updateCaseloadEntry(db, e.id, { status: 'discharged', outcome: 'goals-met', version: 1 }, 'matron@test');
    expect(done).toMatchObject({ status: 'discharged', outcome: 'goals-met', version: 2 });
    expect((await listCaseload(db, { status: 'active' })).map((x) => x.personId)).toEqual(['88']);
    // The schema refuses a discharge without an outcome and a worklist source without a cohort.
    await expect(db.query(`UPDATE caseload_entry SET status = 'discharged' WHERE person_id = 88`)).rejects.toThrow();
    await expect(db.query(`UPDATE caseload_entry SET cohort_id = NULL WHERE id = $1`, [e.id])).rejects.toThrow();
    await expect(db.query('DELETE FROM caseload_history')).rejects.toThrow(/append-only/);
  });

  it('says who has which operational records, everyone in one query: a referral, an active caseload episode, any episode, a care plan', async () => {
    const recordsOf = async (id: string) => {
      const p = await operationalPeople(db);
      return { referrals: p.referrals.has(id), activeEpisode: p.activeEpisode.has(id), caseload: p.caseload.has(id), carePlan: p.carePlan.has(id) };
    };
    expect(await recordsOf('501')).toEqual({ referrals: false, activeEpisode: false, caseload: false, carePlan: false });
    const e = await addToCaseload(db, { personId: '501', neighbourhoodId: 'leeds-01', source: 'gp', cohortId: null, keyWorker: 'Nurse', nextReview: '2026-12-01' }, 'nurse@test');
    expect(await recordsOf('501')).toEqual({ referrals: false, activeEpisode: true, caseload: true, carePlan: false });
    // A discharged episode is not an active one.
    await updateCaseloadEntry(db, e.id, { status: 'discharged', outcome: 'goals-met', version: 1 }, 'nurse@test');
    expect(await recordsOf('501')).toEqual({ referrals: false, activeEpisode: false, caseload: true, carePlan: false });
    await createCarePlan(db, { ...CONTENT, personId: '501', neighbourhoodId: 'leeds-01', createdBy: 'nurse@test' }, 'nurse@test');
    expect(await recordsOf('501')).toEqual({ referrals: false, activeEpisode: false, caseload: true, carePlan: true });
    await db.query(`INSERT INTO directory_service (id, entry, status, updated_by) VALUES ('records-probe', '{}', 'active', 'test')`);
    await db.query(
      `INSERT INTO referral (person_id, neighbourhood_id, service_id, reason, status, referred_by, updated_by) VALUES (501, 'leeds-01', 'records-probe', 'loneliness', 'referred', 'nurse@test', 'nurse@test')`,
    );
    expect(await recordsOf('501')).toEqual({ referrals: true, activeEpisode: false, caseload: true, carePlan: true });
    // Someone else's records are not theirs.
    expect(await recordsOf('502')).toEqual({ referrals: false, activeEpisode: false, caseload: false, carePlan: false });
  });
});
