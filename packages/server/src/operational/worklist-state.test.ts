/** What the team has in hand for a worklist's people, on both back ends. */
import { describe, expect, it } from 'vitest';
import { addToCaseload, createCarePlan, updateCaseloadEntry } from './care-plans.js';
import { createReferral, createService, updateReferral } from './care.js';
import { testService } from '../test-support.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';
import { activeEpisodesOf, activePlansOf, openReferralCounts } from './worklist-state.js';

describe.each(TEST_BACKENDS)('worklist state on $name', (backend) => {
  const db = useTestDb(backend, 'phm_wstate');

  it('finds active episodes, active plans and open referrals for a list of people', async () => {
    const a = await addToCaseload(db, { personId: '11', neighbourhoodId: 'leeds-01', source: 'gp', cohortId: null, keyWorker: 'Matron', nextReview: '2026-12-01' }, 'm@test');
    await addToCaseload(db, { personId: '12', neighbourhoodId: 'leeds-02', source: 'gp', cohortId: null, keyWorker: 'Nurse', nextReview: '2026-12-05' }, 'n@test');
    const b = await addToCaseload(db, { personId: '13', neighbourhoodId: 'leeds-01', source: 'gp', cohortId: null, keyWorker: 'Nurse', nextReview: '2026-12-05' }, 'n@test');
    await updateCaseloadEntry(db, b.id, { status: 'discharged', outcome: 'goals-met', version: 1 }, 'n@test');
    const episodes = await activeEpisodesOf(db, ['11', '12', '13', '14', 'x']);
    expect([...episodes.entries()].sort()).toEqual([
      ['11', { entryId: a.id, neighbourhoodId: 'leeds-01', keyWorker: 'Matron', nextReview: '2026-12-01' }],
      ['12', expect.objectContaining({ neighbourhoodId: 'leeds-02' })],
    ]);
    await createCarePlan(db, { whatMatters: 'x', goals: [], support: [], contingency: '', consentToShare: true, reviewDate: '2027-01-01', status: 'active', personId: '11', neighbourhoodId: 'leeds-01', createdBy: 'm@test' }, 'm@test');
    await createCarePlan(db, { whatMatters: 'x', goals: [], support: [], contingency: '', consentToShare: true, reviewDate: '2026-01-01', status: 'closed', personId: '13', neighbourhoodId: 'leeds-01', createdBy: 'm@test' }, 'm@test');
    expect([...(await activePlansOf(db, ['11', '13']))]).toEqual([['11', '2027-01-01']]);
    await createService(db, testService('walks') as never, 'p@test');
    await createReferral(db, { personId: '11', neighbourhoodId: 'leeds-01', serviceId: 'walks', reason: 'inactivity', wellbeingBefore: null }, 'm@test');
    const closed = await createReferral(db, { personId: '12', neighbourhoodId: 'leeds-02', serviceId: 'walks', reason: 'inactivity', wellbeingBefore: null }, 'm@test');
    await updateReferral(db, closed.id, { status: 'withdrawn', version: 1 }, 'm@test');
    expect([...(await openReferralCounts(db, ['11', '12']))]).toEqual([['11', 1]]);
    expect(await activeEpisodesOf(db, [])).toEqual(new Map());
  });
});
