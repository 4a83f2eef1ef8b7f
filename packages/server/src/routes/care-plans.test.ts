/**
 * Care and support plans and the caseload over HTTP, on the population fixture (people 100-159 in
 * leeds-1; person 2 in calderdale-1). Two members of the leeds-1 team: the plan's author and a
 * colleague, who may read it only once the person has agreed to share it.
 */
import { describe, expect, it } from 'vitest';
import { listAudit } from '../operational/audit.js';
import { createUser } from '../operational/users.js';
import { addToCaseload } from '../operational/care-plans.js';
import { CarePlanOut, CarePlanResponse, CaseloadEntryOut, CaseloadResponse, EvaluationResponse } from '@openphm/api-contract';
import { PASSWORD, buildPopulationFixture, login, useSignedInServer } from '../test-support.js';

const PLAN = {
  whatMatters: 'Keeping well enough to look after my husband.',
  goals: [{ goal: 'A break each week', status: 'working-on' }],
  support: [{ who: "Carers' café", what: 'Monthly break and advice' }],
  contingency: 'If I cannot care for him, call the duty social worker.',
  consentToShare: false,
  reviewDate: '2026-11-20',
  status: 'active',
};

describe('care plans and caseload', () => {
  let colleague: string;
  const server = useSignedInServer({
    fixture: buildPopulationFixture,
    options: { today: () => '2026-11-26' },
    prepare: async ({ app }) => {
      await createUser(app.openphm.ops, { email: 'colleague@test', displayName: 'Colleague', password: PASSWORD, role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
      colleague = await login(app, 'colleague@test');
    },
  });
  const { as } = server;
  const asColleague = (method: 'GET' | 'PUT', url: string, payload?: object) => server.app.inject({ method, url, headers: { cookie: colleague }, ...(payload ? { payload } : {}) });
  const audit = async (action: string) => (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows.map((r) => [r.userEmail, r.outcome, r.status]);

  it('the team starts a plan for its own resident; nobody else may', async () => {
    expect(CarePlanResponse.parse((await as('neighbourhood', 'GET', '/api/people/100/care-plan')).json()).plan).toBeNull();
    const r = await as('neighbourhood', 'POST', '/api/people/100/care-plan', PLAN);
    expect(r.statusCode, r.body).toBe(201);
    // The review date (20 Nov) is before today (26 Nov): due.
    expect(CarePlanOut.parse(r.json())).toMatchObject({ personId: '100', neighbourhoodId: 'leeds-1', version: 1, createdBy: 'leeds@test', reviewDue: true, consentToShare: false });
    expect((await as('neighbourhood', 'POST', '/api/people/100/care-plan', PLAN)).statusCode).toBe(409);
    expect((await as('neighbourhood', 'POST', '/api/people/2/care-plan', PLAN)).statusCode).toBe(403);
    expect((await as('analyst', 'GET', '/api/people/100/care-plan')).statusCode).toBe(403);
    const bad = await as('neighbourhood', 'POST', '/api/people/101/care-plan', { ...PLAN, whatMatters: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('whatMatters');
    expect(await audit('careplan.create')).toEqual([
      ['leeds@test', 'failed', 400],
      ['leeds@test', 'denied', 403],
      ['leeds@test', 'failed', 409],
      ['leeds@test', 'granted', 201],
    ]);
  });

  it('an unshared plan is for its author; once the person agrees, the team shares it', async () => {
    const refused = await asColleague('GET', '/api/people/100/care-plan');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/has not agreed to share this plan beyond leeds@test/);
    const shared = await as('neighbourhood', 'PUT', '/api/people/100/care-plan', { ...PLAN, consentToShare: true, reviewDate: '2027-02-01', version: 1 });
    expect(shared.json()).toMatchObject({ version: 2, consentToShare: true, reviewDue: false });
    const read = CarePlanResponse.parse((await asColleague('GET', '/api/people/100/care-plan')).json()).plan!;
    expect(read).toMatchObject({ whatMatters: PLAN.whatMatters, version: 2 });
    const edit = await asColleague('PUT', '/api/people/100/care-plan', { ...PLAN, consentToShare: true, reviewDate: '2027-02-01', goals: [{ goal: 'A break each week', status: 'achieved' }], version: 2 });
    expect(edit.json()).toMatchObject({ version: 3, updatedBy: 'colleague@test', createdBy: 'leeds@test' });
    expect((await as('neighbourhood', 'PUT', '/api/people/100/care-plan', { ...PLAN, version: 2 })).statusCode).toBe(409);
    expect((await as('neighbourhood', 'PUT', '/api/people/101/care-plan', { ...PLAN, version: 1 })).statusCode).toBe(404);
    expect(await audit('careplan.view')).toEqual([
      ['colleague@test', 'granted', 200],
      ['colleague@test', 'denied', 403],
      ['analyst@test', 'denied', 403],
      ['leeds@test', 'granted', 200],
    ]);
    // Plan text never reaches the server log.
    expect(server.logLines.join('\n')).not.toContain('look after my husband');
  });

  it('keeps the caseload: one active episode per person, discharge with an outcome', async () => {
    const add = await as('neighbourhood', 'POST', '/api/caseload', { personId: '100', source: 'worklist', cohortId: 'carers-multimorbidity', keyWorker: 'Care coordinator', nextReview: '2026-11-26' });
    expect(add.statusCode, add.body).toBe(201);
    const entry = CaseloadEntryOut.parse(add.json());
    expect(entry).toMatchObject({ status: 'active', sourceLabel: 'Found on a PHM worklist', reviewDue: true, outcome: null });
    expect((await as('neighbourhood', 'POST', '/api/caseload', { personId: '100', source: 'gp', keyWorker: 'X', nextReview: '2026-12-01' })).statusCode).toBe(409);
    expect((await as('neighbourhood', 'POST', '/api/caseload', { personId: '2', source: 'gp', keyWorker: 'X', nextReview: '2026-12-01' })).statusCode).toBe(403);
    expect((await as('neighbourhood', 'POST', '/api/caseload', { personId: '101', source: 'worklist', keyWorker: 'X', nextReview: '2026-12-01' })).json().error.fields[0].field).toBe('cohortId');
    const list = CaseloadResponse.parse((await as('analyst', 'GET', '/api/caseload?neighbourhood=leeds-1')).json());
    expect(list.entries.map((e) => e.personId)).toEqual(['100']);
    expect((await as('neighbourhood', 'GET', '/api/caseload?neighbourhood=calderdale-1')).statusCode).toBe(403);
    const noOutcome = await as('neighbourhood', 'PATCH', `/api/caseload/${entry.id}`, { status: 'discharged', version: 1 });
    expect(noOutcome.json().error.fields[0]).toEqual({ field: 'outcome', message: 'say how the episode ended' });
    const done = await as('neighbourhood', 'PATCH', `/api/caseload/${entry.id}`, { status: 'discharged', outcome: 'stable-self-managing', version: 1 });
    expect(done.json()).toMatchObject({ status: 'discharged', outcomeLabel: 'Stable and managing', reviewDue: false, version: 2 });
    expect((await as('analyst', 'PATCH', `/api/caseload/${entry.id}`, { keyWorker: 'Y', version: 2 })).statusCode).toBe(403);
    expect((await as('neighbourhood', 'GET', `/api/caseload/${entry.id}/history`)).json().history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    // Discharged: the person can be taken on again.
    expect((await as('neighbourhood', 'POST', '/api/caseload', { personId: '100', source: 'gp', keyWorker: 'Practice nurse', nextReview: '2027-01-10' })).statusCode).toBe(201);
    expect((await audit('caseload.add')).map((a) => a[1])).toEqual(['granted', 'failed', 'denied', 'failed', 'granted']);
    // One view of the person: the summary says who coordinates their care and that a plan exists (not what it says).
    const summary = (await as('analyst', 'GET', '/api/people/100')).json();
    expect(summary.caseload).toMatchObject({ keyWorker: 'Practice nurse', nextReview: '2027-01-10', source: 'gp' });
    expect(summary.carePlan).toMatchObject({ status: 'active', consentToShare: true, reviewDate: '2027-02-01' });
    expect(JSON.stringify(summary)).not.toContain('husband');
  });

  it('evaluates the caseload against matched people never on it, by source, disclosure-controlled', async () => {
    // Twelve people taken on after a hospital stay in June 2023 (recorded elsewhere first, so back-dated): a year before and after lie in the data.
    for (let id = 101; id <= 112; id++) {
      await addToCaseload(server.app.openphm.ops, { personId: String(id), neighbourhoodId: 'leeds-1', source: 'hospital-discharge', cohortId: null, keyWorker: 'Community matron', nextReview: '2023-09-15', addedAt: '2023-06-15T10:00:00Z' }, 'leeds@test');
    }
    const all = EvaluationResponse.parse((await as('board', 'GET', '/api/caseload/evaluation')).json());
    // 13 people (person 100 taken on today, twice, cannot be evaluated yet): published with their cell keys' noise, the single exclusion withheld.
    expect(all).toMatchObject({ population: 'all', excluded: { outsideData: null, notEligible: 0 }, evaluableIndexDates: { first: '2022-04-01', last: '2025-04-01' } });
    expect(Math.abs(all.exposed! - 13)).toBeLessThanOrEqual(5);
    expect(Math.abs(all.cases! - 12)).toBeLessThanOrEqual(4);
    expect(all.outcomes.map((o) => o.outcome)).toEqual(['aeAttendances', 'emergencyAdmissions', 'gpAppointments']);
    expect(all.method).toMatch(/^Each adult taken onto a neighbourhood caseload is compared with up to 3 adults never on one/);
    const discharged = EvaluationResponse.parse((await as('analyst', 'GET', '/api/caseload/evaluation?source=hospital-discharge')).json());
    expect(discharged).toMatchObject({ population: 'hospital-discharge', excluded: { outsideData: 0 } });
    // The same twelve people: the same figure as exposed and as cases.
    expect(discharged.cases).toBe(discharged.exposed);
    expect(discharged.cases).toBe(all.cases);
    // The fixture has no A&E or admissions for these people: where there are enough matched people, no change either way.
    for (const o of discharged.outcomes.filter((x) => x.outcome !== 'gpAppointments')) expect(o.withheld ? null : o.effect).toSatisfy((e: number | null) => e === null || e === 0);
    expect(EvaluationResponse.parse((await as('neighbourhood', 'GET', '/api/caseload/evaluation?source=worklist')).json()).exposed).toBeNull();
    // By IMD quintile: 4 of the 12 live in quintile 1 (every third), 8 in quintile 3; too few in each for an estimate.
    const byQuintile = EvaluationResponse.parse((await as('board', 'GET', '/api/caseload/evaluation?source=hospital-discharge&by=imd-quintile')).json());
    expect(byQuintile.by).toBe('imd-quintile');
    expect(byQuintile.groups.map((g) => g.label)).toEqual(['1 (most deprived)', '3']);
    expect(byQuintile.groups.flatMap((g) => g.outcomes.map((o) => [o.withheld, o.effect]))).toEqual(Array(6).fill([true, null]));
    expect(byQuintile.groups.map((g) => g.outcomes[0]!.matched)).toEqual([null, null]);
    expect(byQuintile.outcomes).toEqual(discharged.outcomes); // the same matched people, broken down
    expect(EvaluationResponse.parse((await as('board', 'GET', '/api/caseload/evaluation?by=place')).json()).groups.map((g) => g.label)).toEqual(['Leeds']);
    expect(discharged.groups).toEqual([]);
    // Everyone in the fixture is White (category A).
    expect(EvaluationResponse.parse((await as('board', 'GET', '/api/caseload/evaluation?by=ethnic-group')).json()).groups.map((g) => g.label)).toEqual(['White']);
    expect((await as('board', 'GET', '/api/caseload/evaluation?by=ethnicity')).statusCode).toBe(400);
    expect((await as('analyst', 'GET', '/api/caseload/evaluation?source=nope')).statusCode).toBe(400);
    expect((await as('admin', 'GET', '/api/caseload/evaluation')).statusCode).toBe(403);
  });
});
