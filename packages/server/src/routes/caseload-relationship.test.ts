/**
 * The legitimate-relationship rule for the caseload, worklists and the MDT, over HTTP on the crossing
 * fixture (people 100-159 live in leeds-1, registered with Leeds Health Centre; 200, 201 and 203 live
 * in leeds-1 but are registered with Halifax Practice, in calderdale-1's PCN, and 203 is on the
 * Calderdale team's caseload since June; 202 lives in leeds-1,
 * registered with Leeds Surgery; 300 lives in calderdale-1, registered with Leeds Surgery; 200 and
 * 202 are frail with an emergency admission). Taking someone on needs a care relationship, not only
 * living in the neighbourhood; reviews, key worker changes and discharges are for the team whose
 * episode it is; a worklist row says whether the professional has a relationship, so it offers only
 * what will be allowed; who is due for discussion leaves out those the team may not put on the agenda.
 */
import { describe, expect, it } from 'vitest';
import { CaseloadEntryOut, MeetingResponse, WorklistResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { addToCaseload } from '../operational/care-plans.js';
import { buildCrossingFixture, useCareTeamServer } from '../test-support.js';

const HYPERTENSION = { rule: { kind: 'flag', feature: 'condition:hypertension' } };
const REASON = 'About to take her on: discharged home after a fall';
const takeOn = (personId: string) => ({ personId, source: 'gp', keyWorker: 'Care coordinator', nextReview: '2027-01-15' });

describe('the caseload, worklists and the MDT within the legitimate-relationship rule', () => {
  const { server, as } = useCareTeamServer(async (s) => {
    await addToCaseload(s.app.openphm.ops, { personId: '203', neighbourhoodId: 'calderdale-1', source: 'gp', cohortId: null, keyWorker: 'Calderdale nurse', nextReview: '2026-11-20', addedAt: '2026-06-01T10:00:00Z' }, 'other@test');
  }, buildCrossingFixture);
  const auditOf = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 200, offset: 0, action })).rows
      .filter((r) => r.role === 'neighbourhood')
      .reverse()
      .map((r) => [r.userEmail, r.outcome, r.status, r.resource, r.detail]);
  const worklist = async (who: 'neighbourhood' | 'analyst') => WorklistResponse.parse((await as(who, 'POST', '/api/worklist', { definition: HYPERTENSION, neighbourhood: 'leeds-1', limit: 500 })).json());
  const calderdaleEpisode = async () => (await server.app.openphm.ops.query<{ id: number }>("SELECT id FROM caseload_entry WHERE person_id = 203"))[0]!.id;

  it('takes someone on only within a care relationship: living in the neighbourhood is not enough', async () => {
    // 200 lives in leeds-1 but is registered with a Calderdale practice: the Leeds team is refused, saying to break glass.
    const refused = await as('neighbourhood', 'POST', '/api/caseload', takeOn('200'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/no care relationship with this person: break glass/);
    // The Calderdale team, whose practice she is registered with, takes her on: the episode is theirs.
    const calderdale = await as('other', 'POST', '/api/caseload', takeOn('200'));
    expect(calderdale.statusCode, calderdale.body).toBe(201);
    expect(CaseloadEntryOut.parse(calderdale.json())).toMatchObject({ personId: '200', neighbourhoodId: 'calderdale-1' });
    // 300 lives in calderdale-1 and is registered with a Leeds practice: the Leeds team takes him on.
    const registered = await as('neighbourhood', 'POST', '/api/caseload', takeOn('300'));
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.json()).toMatchObject({ personId: '300', neighbourhoodId: 'leeds-1' });
    // 201: refused, until the professional breaks glass with a reason (about to take on her care); then taken on.
    expect((await as('neighbourhood', 'POST', '/api/caseload', takeOn('201'))).statusCode).toBe(403);
    expect((await as('neighbourhood', 'POST', '/api/care/people/201/break-glass', { reason: REASON })).statusCode).toBe(201);
    const glass = await as('neighbourhood', 'POST', '/api/caseload', takeOn('201'));
    expect(glass.statusCode, glass.body).toBe(201);
    expect(glass.json()).toMatchObject({ personId: '201', neighbourhoodId: 'leeds-1' });
    // The glass is the professional's own: a colleague in the same team is still refused for someone else registered elsewhere.
    expect((await as('colleague', 'POST', '/api/caseload', takeOn('200'))).statusCode).toBe(403);
    expect((await as('neighbourhood', 'POST', '/api/caseload', takeOn('99999'))).statusCode).toBe(404);
    const rows = await auditOf('caseload.add');
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['leeds@test', 'denied', 403, 'person:200'],
      ['other@test', 'granted', 201, 'person:200'],
      ['leeds@test', 'granted', 201, 'person:300'],
      ['leeds@test', 'denied', 403, 'person:201'],
      ['leeds@test', 'granted', 201, 'person:201'],
      ['colleague@test', 'denied', 403, 'person:200'],
      ['leeds@test', 'not-found', 404, 'person:99999'],
    ]);
    expect(rows.map((r) => r[4])).toEqual([
      expect.stringContaining('no care relationship'),
      expect.stringContaining('care relationship: registered'),
      expect.stringContaining('care relationship: registered'),
      expect.stringContaining('no care relationship'),
      expect.stringContaining('care relationship: break-glass'),
      expect.stringContaining('no care relationship'),
      null,
    ]);
  });

  it("reviews, changes of key worker and discharges are for the team whose episode it is, even after breaking glass", async () => {
    const review = { reviewedOn: '2026-11-26', outcome: 'continue', note: 'Settled at home.', nextReview: '2027-02-25', version: 1 };
    const keyWorker = { keyWorker: 'Another worker', reason: 'Cover while on leave', version: 1 };
    const discharge = { status: 'discharged', outcome: 'goals-met', version: 1 };
    const theirs = await calderdaleEpisode();
    // Breaking glass lets the Leeds professional see her record, not change the Calderdale team's episode.
    expect((await as('neighbourhood', 'GET', '/api/care/people/203/notes')).statusCode).toBe(403);
    expect((await as('neighbourhood', 'POST', '/api/care/people/203/break-glass', { reason: REASON })).statusCode).toBe(201);
    expect((await as('neighbourhood', 'GET', '/api/care/people/203/notes')).statusCode).toBe(200);
    for (const [method, url, body] of [
      ['POST', `/api/caseload/${theirs}/reviews`, review],
      ['PATCH', `/api/caseload/${theirs}/key-worker`, keyWorker],
      ['PATCH', `/api/caseload/${theirs}`, discharge],
    ] as const) {
      const r = await as('neighbourhood', method, url, body);
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.message).toBe('this episode is not in your neighbourhood');
    }
    // The Calderdale team records the review, changes the key worker and discharges her.
    const reviewed = await as('other', 'POST', `/api/caseload/${theirs}/reviews`, review);
    expect(reviewed.statusCode, reviewed.body).toBe(201);
    expect((await as('other', 'PATCH', `/api/caseload/${theirs}/key-worker`, { ...keyWorker, version: 2 })).statusCode).toBe(200);
    const discharged = await as('other', 'PATCH', `/api/caseload/${theirs}`, { ...discharge, version: 3 });
    expect(discharged.statusCode, discharged.body).toBe(200);
    expect(discharged.json()).toMatchObject({ status: 'discharged', outcome: 'goals-met' });
    for (const action of ['caseload.review', 'caseload.key-worker', 'caseload.update']) {
      expect((await auditOf(action)).map((r) => [r[0], r[1], r[2], r[3]]), action).toEqual([
        ['leeds@test', 'denied', 403, `caseload:${theirs}`],
        ['other@test', 'granted', action === 'caseload.review' ? 201 : 200, `caseload:${theirs}`],
      ]);
    }
  });

  it('says on each worklist row whether the professional has a care relationship, and that is what the routes allow', async () => {
    const list = await worklist('neighbourhood');
    const kinds = new Map(list.people.map((p) => [p.personId, p.state?.careRelationships]));
    // Residents of leeds-1 only (300 is on the team's caseload but lives in Calderdale).
    expect(kinds.has('300')).toBe(false);
    expect(kinds.get('100')).toEqual(['registered']);
    expect(kinds.get('202')).toEqual(['registered']);
    expect(kinds.get('201')).toEqual(['caseload', 'break-glass']);
    expect(kinds.get('203')).toEqual(['break-glass']);
    // 200: on the Calderdale team's caseload, registered with their practice: no relationship for the Leeds team.
    expect(kinds.get('200')).toEqual([]);
    // A colleague who broke no glass: 203 is in no relationship with them; 201 is on the team's caseload.
    const colleague = WorklistResponse.parse((await as('colleague', 'POST', '/api/worklist', { definition: HYPERTENSION, neighbourhood: 'leeds-1', limit: 500 })).json());
    const theirKinds = new Map(colleague.people.map((p) => [p.personId, p.state?.careRelationships]));
    expect(theirKinds.get('203')).toEqual([]);
    expect(theirKinds.get('201')).toEqual(['caseload']);
    expect(colleague.people.filter((p) => p.state?.careRelationships?.length === 0).map((p) => p.personId).sort()).toEqual(['200', '203']);
    // Every row: the person-level team routes allow exactly the rows that say so (a task, the caseload, the record's parts).
    for (const p of colleague.people) {
      const allowed = (p.state?.careRelationships ?? []).length > 0;
      const tasks = await as('colleague', 'GET', `/api/care/people/${p.personId}/tasks`);
      expect(tasks.statusCode, `person ${p.personId}`).toBe(allowed ? 200 : 403);
    }
    const raise = await as('colleague', 'POST', '/api/care/tasks', { personId: '200', title: 'Phone about her fall' });
    expect(raise.statusCode).toBe(403);
    expect(raise.json().error.message).toMatch(/break glass/);
    expect((await as('colleague', 'POST', '/api/caseload', takeOn('200'))).statusCode).toBe(403);
    // Others than care professionals: not worked out.
    expect((await worklist('analyst')).people.every((p) => p.state?.careRelationships === null)).toBe(true);
  });

  it('lists as due for discussion only the people at high risk the team may put on the agenda', async () => {
    const meeting = (await as('colleague', 'POST', '/api/care/meetings', { date: '2026-12-02', title: 'Weekly MDT' })).json() as { id: number };
    const view = MeetingResponse.parse((await as('colleague', 'GET', `/api/care/meetings/${meeting.id}`)).json());
    const highRisk = view.dueForDiscussion.filter((c) => c.reasons.some((r) => r.id === 'new-high-risk')).map((c) => c.personId);
    // 200 and 202 top leeds-1's high-risk worklist; 200 is registered elsewhere and on the Calderdale team's caseload: left out.
    expect(highRisk).toEqual(['202']);
    expect((await as('colleague', 'POST', `/api/care/meetings/${meeting.id}/items`, { personId: '202', reason: 'Newly at high risk' })).statusCode).toBe(201);
    expect((await as('colleague', 'POST', `/api/care/meetings/${meeting.id}/items`, { personId: '200', reason: 'Newly at high risk' })).statusCode).toBe(403);
  });
});
