/**
 * Worklists that show state, over HTTP on the population fixture (people 100-159 in leeds-1, all
 * with hypertension; every second a carer with asthma too): the team's own list says who is on the
 * caseload, has a plan, open referrals and tasks, and which care gaps are due.
 */
import { describe, expect, it } from 'vitest';
import { WorklistResponse } from '@openphm/api-contract';
import { createCarePlan } from '../operational/care-plans.js';
import { createReferral, createService } from '../operational/care.js';
import { createTask } from '../operational/tasks.js';
import { buildPopulationFixture, testService, useSignedInServer } from '../test-support.js';

describe('worklist state', () => {
  const server = useSignedInServer({ fixture: buildPopulationFixture, options: { today: () => '2026-11-26' } });
  const { as } = server;
  const list = async (who: 'neighbourhood' | 'analyst') => WorklistResponse.parse((await as(who, 'GET', '/api/worklist?cohort=carers-multimorbidity&neighbourhood=leeds-1')).json());

  it('shows what the team has in hand, and the care gaps due', async () => {
    const before = await list('neighbourhood');
    const first = before.people.find((p) => p.personId === '100')!;
    // A carer with asthma on 31 March 2026 (the data's last day): an asthma review and a flu vaccination due.
    expect(first.state).toEqual({ caseload: null, carePlan: null, openReferrals: 0, openTasks: 0, admissionRisk: null, careGapsDue: ['Annual asthma review', 'Flu vaccination this season'], careRelationships: ['registered'] });

    const ops = server.app.openphm.ops;
    expect((await as('neighbourhood', 'POST', '/api/caseload', { personId: '100', source: 'worklist', cohortId: 'carers-multimorbidity', keyWorker: 'Care coordinator', nextReview: '2026-11-20' })).statusCode).toBe(201);
    await createCarePlan(ops, { whatMatters: 'Home.', goals: [], support: [], contingency: '', consentToShare: true, reviewDate: '2027-01-10', status: 'active', personId: '100', neighbourhoodId: 'leeds-1', createdBy: 'leeds@test' }, 'leeds@test');
    await createService(ops, testService('walks') as never, 'programme@test');
    await createReferral(ops, { personId: '100', neighbourhoodId: 'leeds-1', serviceId: 'walks', reason: 'inactivity', wellbeingBefore: null }, 'leeds@test');
    await createTask(ops, { personId: '100', neighbourhoodId: 'leeds-1', title: 'Phone about the asthma review', detail: '', assigneeId: null, due: null, source: 'manual', sourceRef: null, createdBy: 'leeds@test' }, 'leeds@test');

    const after = (await list('neighbourhood')).people.find((p) => p.personId === '100')!;
    expect(after.state).toMatchObject({
      caseload: { ownNeighbourhood: true, keyWorker: 'Care coordinator', nextReview: '2026-11-20', reviewDue: true },
      carePlan: { reviewDate: '2027-01-10', reviewDue: false },
      openReferrals: 1,
      openTasks: 1,
      careRelationships: ['registered', 'caseload'],
    });
    // Someone else on the list is untouched.
    expect((await list('neighbourhood')).people.find((p) => p.personId === '102')!.state).toMatchObject({ caseload: null, openReferrals: 0 });
    // Analysts' lists show the same state (their access to caseloads and referrals is the same).
    expect((await list('analyst')).people.find((p) => p.personId === '100')!.state).toMatchObject({ openReferrals: 1, openTasks: 1, careRelationships: null });
  });
});
