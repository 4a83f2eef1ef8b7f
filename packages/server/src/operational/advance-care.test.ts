/** Advance care plans and alerts on both back ends: one plan a person with its versions, alerts with their history, what the schema refuses. */
import { describe, expect, it } from 'vitest';
import type { AdvanceCarePlanContent } from '@openphm/core';
import { advanceCarePlanHistory, advanceCarePlanOf, alertCounts, alertHistory, createAdvanceCarePlan, createAlert, listAlerts, updateAdvanceCarePlan, updateAlert } from './advance-care.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const PLAN: AdvanceCarePlanContent = {
  preferredPlaceOfCare: 'home',
  preferredPlaceOfDeath: 'home',
  placeDetails: '',
  cpr: { decision: 'not-recorded', decidedOn: null, decidedBy: '', formLocation: '' },
  lastingPowerOfAttorney: { healthAndWelfare: 'not-known', attorneys: '' },
  advanceDecisionToRefuseTreatment: 'not-known',
  ceilingOfCare: 'not-discussed',
  ceilingDetails: '',
  wishes: 'To stay in my own bed.',
  discussedOn: '2026-10-01',
  discussedWith: 'The person',
  consentToShare: true,
};

describe.each(TEST_BACKENDS)('advance care plans and alerts on $name', (backend) => {
  const db = useTestDb(backend, 'phm_acp');

  it('keeps one advance care plan a person, with every version', async () => {
    expect(await advanceCarePlanOf(db, '77')).toBeNull();
    const v1 = await createAdvanceCarePlan(db, { personId: '77', neighbourhoodId: 'leeds-01', plan: PLAN }, 'gp@test');
    expect(v1).toMatchObject({ personId: '77', neighbourhoodId: 'leeds-01', version: 1, updatedBy: 'gp@test', wishes: 'To stay in my own bed.' });
    const dnacpr = { ...PLAN, cpr: { decision: 'dnacpr' as const, decidedOn: '2026-11-01', decidedBy: 'Dr A', formLocation: 'At home' } };
    const v2 = await updateAdvanceCarePlan(db, v1.id, { plan: dnacpr, version: 1 }, 'matron@test');
    expect(v2).toMatchObject({ version: 2, cpr: { decision: 'dnacpr', decidedOn: '2026-11-01' }, updatedBy: 'matron@test' });
    expect((await advanceCarePlanOf(db, '77'))!.version).toBe(2);
    expect((await advanceCarePlanHistory(db, v1.id)).map((h) => [h.version, h.changedBy, h.snapshot.cpr.decision])).toEqual([
      [2, 'matron@test', 'dnacpr'],
      [1, 'gp@test', 'not-recorded'],
    ]);
    // An edit of an old version is refused, naming who changed it; a second plan for the person is refused.
    await expect(updateAdvanceCarePlan(db, v1.id, { plan: PLAN, version: 1 }, 'gp@test')).rejects.toThrow(/was changed by matron@test/);
    await expect(createAdvanceCarePlan(db, { personId: '77', neighbourhoodId: 'leeds-01', plan: PLAN }, 'gp@test')).rejects.toThrow();
    // The history cannot be rewritten.
    await expect(db.query('UPDATE advance_care_plan_history SET changed_by = $1', ['someone'])).rejects.toThrow(/append-only/);
  });

  it('keeps alerts with who raised them, ends them, and counts those in force', async () => {
    const a = await createAlert(db, { personId: '77', neighbourhoodId: 'leeds-01', kind: 'lone-worker', text: 'Visit in pairs.', startsOn: '2026-11-01', reviewOn: null, createdBy: 'matron@test' }, 'matron@test');
    expect(a).toMatchObject({ status: 'active', version: 1, createdBy: 'matron@test', reviewOn: null, startsOn: '2026-11-01' });
    expect(a.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await createAlert(db, { personId: '77', neighbourhoodId: 'leeds-01', kind: 'communication', text: 'Deaf: BSL interpreter.', startsOn: '2026-12-01', reviewOn: '2027-06-01', createdBy: 'gp@test' }, 'gp@test');
    await createAlert(db, { personId: '78', neighbourhoodId: 'leeds-01', kind: 'safeguarding', text: 'Known to adult safeguarding.', startsOn: '2026-01-01', reviewOn: null, createdBy: 'gp@test' }, 'gp@test');
    // In force on 26 November: one for 77 (the other starts in December), one for 78.
    expect([...(await alertCounts(db, ['77', '78', '79', 'x'], '2026-11-26')).entries()].sort()).toEqual([['77', 1], ['78', 1]]);
    const ended = await updateAlert(db, a.id, { status: 'ended', version: 1 }, 'gp@test');
    expect(ended).toMatchObject({ status: 'ended', version: 2, updatedBy: 'gp@test', createdBy: 'matron@test' });
    expect((await listAlerts(db, '77')).map((x) => [x.kind, x.status])).toEqual([['communication', 'active'], ['lone-worker', 'ended']]);
    expect((await alertHistory(db, a.id)).map((h) => h.snapshot.status)).toEqual(['ended', 'active']);
    expect(await alertCounts(db, [], '2026-11-26')).toEqual(new Map());
    await expect(db.query(`INSERT INTO person_alert (person_id, neighbourhood_id, kind, text, starts_on, review_on, status, created_by, updated_by) VALUES (1, 'x', 'vip', 't', '2026-01-01', NULL, 'active', 'a', 'a')`)).rejects.toThrow();
    await expect(db.query(`INSERT INTO person_alert (person_id, neighbourhood_id, kind, text, starts_on, review_on, status, created_by, updated_by) VALUES (1, 'x', 'other', 't', '2026-01-01', '2025-01-01', 'active', 'a', 'a')`)).rejects.toThrow();
  });
});
