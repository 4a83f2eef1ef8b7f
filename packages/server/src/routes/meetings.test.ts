/**
 * MDT meetings over HTTP on the population fixture (people 100-159 in leeds-1; person 2 in
 * calderdale-1): arranging a meeting, who is due for discussion, the agenda, outcomes recorded once
 * with their actions raised as tasks (assignees told); scopes, validation and audit rows.
 */
import { describe, expect, it } from 'vitest';
import { AgendaItemOut, MeetingOut, MeetingResponse, MeetingsResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { addToCaseload } from '../operational/care-plans.js';
import { listNotifications } from '../operational/notifications.js';
import { useCareTeamServer } from '../test-support.js';

describe('MDT meetings', () => {
  const { server, as, idOf } = useCareTeamServer(async (s) => {
    // Person 100's caseload review has come (20 Nov); person 101's has not.
    await addToCaseload(s.app.openphm.ops, { personId: '100', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Colleague', nextReview: '2026-11-20' }, 'leeds@test');
    await addToCaseload(s.app.openphm.ops, { personId: '101', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Colleague', nextReview: '2027-01-20' }, 'leeds@test');
  });
  const audit = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows
      .filter((r) => r.role === 'neighbourhood')
      .reverse()
      .map((r) => [r.userEmail, r.outcome, r.status, r.resource]);
  let meetingId = 0;

  it('is for care professionals only', async () => {
    for (const [method, url] of [
      ['GET', '/api/care/meetings'],
      ['POST', '/api/care/meetings'],
      ['GET', '/api/care/meetings/1'],
      ['POST', '/api/care/meetings/1/items'],
      ['POST', '/api/care/meetings/1/items/1/outcome'],
    ] as const) {
      expect((await as('public', method, url, method === 'POST' ? {} : undefined)).statusCode).toBe(401);
      for (const role of ['analyst', 'admin', 'programme', 'board'] as const) expect((await as(role, method, url, method === 'POST' ? {} : undefined)).statusCode, `${role} ${url}`).toBe(403);
    }
  });

  it('arranges a meeting and shows who is due for discussion', async () => {
    const made = await as('neighbourhood', 'POST', '/api/care/meetings', { date: '2026-12-02', title: 'Weekly MDT' });
    expect(made.statusCode, made.body).toBe(201);
    const meeting = MeetingOut.parse(made.json());
    meetingId = meeting.id;
    expect(meeting).toMatchObject({ neighbourhoodId: 'leeds-1', date: '2026-12-02', title: 'Weekly MDT', createdBy: 'leeds@test' });
    expect((await as('neighbourhood', 'POST', '/api/care/meetings', { date: '2026-13-02', title: 'x' })).json().error.fields[0].field).toBe('date');
    expect((await as('neighbourhood', 'POST', '/api/care/meetings', { date: '2026-12-02', title: '' })).json().error.fields[0].field).toBe('title');
    expect((await as('neighbourhood', 'POST', '/api/care/meetings', { date: '2026-12-02', title: 'x', neighbourhood: 'calderdale-1' })).statusCode).toBe(400);
    expect(MeetingsResponse.parse((await as('colleague', 'GET', '/api/care/meetings')).json()).meetings.map((m) => [m.id, m.items])).toEqual([[meeting.id, 0]]);
    expect(MeetingsResponse.parse((await as('other', 'GET', '/api/care/meetings')).json()).meetings).toEqual([]);
    const view = MeetingResponse.parse((await as('neighbourhood', 'GET', `/api/care/meetings/${meeting.id}`)).json());
    expect(view.agenda).toEqual([]);
    expect(view.highRiskCohort).toBe('frail-65-emergency-admission');
    expect(view.dueForDiscussion.filter((c) => c.reasons.some((r) => r.id === 'review-due'))).toEqual([
      { personId: '100', reasons: [{ id: 'review-due', label: 'Caseload review due' }], caseloadEntryId: expect.any(Number), reviewDate: '2026-11-20' },
    ]);
    expect(view.team.map((m) => m.displayName)).toEqual(['Colleague', 'Leeds team']);
    expect((await as('other', 'GET', `/api/care/meetings/${meeting.id}`)).statusCode).toBe(403);
    expect((await as('neighbourhood', 'GET', '/api/care/meetings/9999')).statusCode).toBe(404);
    expect((await audit('meeting.view')).map((a) => [a[1], a[3]])).toEqual([
      ['granted', `meeting:${meeting.id}`],
      ['denied', `meeting:${meeting.id}`],
      ['not-found', 'meeting:9999'],
    ]);
  });

  it('puts residents on the agenda, once, and only on their own team’s meetings', async () => {
    const item = await as('neighbourhood', 'POST', `/api/care/meetings/${meetingId}/items`, { personId: '100', reason: 'Review due; two falls since September' });
    expect(item.statusCode, item.body).toBe(201);
    expect(AgendaItemOut.parse(item.json())).toMatchObject({ meetingId, personId: '100', outcome: null, tasks: [] });
    expect((await as('colleague', 'POST', `/api/care/meetings/${meetingId}/items`, { personId: '100', reason: 'Again' })).statusCode).toBe(409);
    expect((await as('neighbourhood', 'POST', `/api/care/meetings/${meetingId}/items`, { personId: '2', reason: 'Not ours' })).statusCode).toBe(403);
    expect((await as('other', 'POST', `/api/care/meetings/${meetingId}/items`, { personId: '2', reason: 'Their resident, our meeting' })).statusCode).toBe(403);
    expect((await as('neighbourhood', 'POST', `/api/care/meetings/${meetingId}/items`, { personId: '101', reason: '' })).json().error.fields[0].field).toBe('reason');
    expect((await as('neighbourhood', 'POST', '/api/care/meetings/9999/items', { personId: '101', reason: 'x' })).statusCode).toBe(404);
    const view = MeetingResponse.parse((await as('neighbourhood', 'GET', `/api/care/meetings/${meetingId}`)).json());
    expect(view.agenda.map((i) => i.personId)).toEqual(['100']);
    expect(view.dueForDiscussion.map((c) => c.personId)).not.toContain('100');
    expect((await audit('meeting.agenda')).map((a) => [a[0], a[1], a[2], a[3]])).toEqual([
      ['leeds@test', 'granted', 201, 'person:100'],
      ['colleague@test', 'failed', 409, 'person:100'],
      ['leeds@test', 'denied', 403, 'person:2'],
      ['other@test', 'denied', 403, 'person:2'],
      ['leeds@test', 'failed', 400, 'person:101'],
      ['leeds@test', 'not-found', 404, 'person:101'],
    ]);
  });

  it('records the outcome once, raising its actions as tasks on the person (assignees told)', async () => {
    const [item] = MeetingResponse.parse((await as('neighbourhood', 'GET', `/api/care/meetings/${meetingId}`)).json()).agenda;
    const url = `/api/care/meetings/${meetingId}/items/${item!.id}/outcome`;
    const outcome = { outcome: 'Refer to the falls clinic; key worker to visit this week.', tasks: [{ title: 'Refer to the falls clinic', assigneeId: idOf('colleague'), due: '2026-12-09' }, { title: 'Home visit' }] };
    expect((await as('neighbourhood', 'POST', url, { ...outcome, tasks: [{ title: 'x', assigneeId: idOf('other') }] })).json().error.fields[0].field).toBe('tasks.0.assigneeId');
    expect((await as('neighbourhood', 'POST', url, { outcome: '' })).json().error.fields[0].field).toBe('outcome');
    expect((await as('other', 'POST', url, outcome)).statusCode).toBe(403);
    const done = await as('neighbourhood', 'POST', url, outcome);
    expect(done.statusCode, done.body).toBe(200);
    const recorded = AgendaItemOut.parse(done.json());
    expect(recorded).toMatchObject({ outcome: outcome.outcome, outcomeBy: 'leeds@test' });
    expect(recorded.tasks.map((t) => [t.title, t.personId, t.source, t.sourceRef, t.assigneeName, t.link])).toEqual([
      ['Refer to the falls clinic', '100', 'mdt', String(meetingId), 'Colleague', `#/meetings?id=${meetingId}`],
      ['Home visit', '100', 'mdt', String(meetingId), null, `#/meetings?id=${meetingId}`],
    ]);
    expect((await listNotifications(server.app.openphm.ops, idOf('colleague'))).map((n) => n.summary)).toEqual(['Task for person 100: Refer to the falls clinic (due 2026-12-09)']);
    const again = await as('colleague', 'POST', url, outcome);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/recorded by leeds@test/);
    expect((await as('neighbourhood', 'POST', `/api/care/meetings/${meetingId}/items/9999/outcome`, outcome)).statusCode).toBe(404);
    const view = MeetingResponse.parse((await as('colleague', 'GET', `/api/care/meetings/${meetingId}`)).json());
    expect(view.agenda[0]!.tasks.length).toBe(2);
    expect(MeetingsResponse.parse((await as('colleague', 'GET', '/api/care/meetings')).json()).meetings[0]).toMatchObject({ items: 1, discussed: 1 });
    expect((await audit('meeting.outcome')).map((a) => [a[0], a[1], a[2]])).toEqual([
      ['leeds@test', 'failed', 400],
      ['leeds@test', 'failed', 400],
      ['other@test', 'denied', 403],
      ['leeds@test', 'granted', 200],
      ['colleague@test', 'failed', 409],
      ['leeds@test', 'not-found', 404],
    ]);
    expect(server.logLines.join('\n')).not.toContain('falls clinic');
  });
});
