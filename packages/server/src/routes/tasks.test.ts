/**
 * Tasks over HTTP on the population fixture (people 100-159 in leeds-1; person 2 in calderdale-1):
 * who may call each route, the scope, validation naming the field, stale versions, notifications
 * to the assignee, and the audit rows.
 */
import { describe, expect, it } from 'vitest';
import { TaskOut, TasksResponse, TeamResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { listNotifications } from '../operational/notifications.js';
import { useCareTeamServer } from '../test-support.js';

describe('tasks', () => {
  const { server, as, idOf } = useCareTeamServer();
  /** The audit rows of an action by care professionals (the other roles' refusals left out), oldest first. */
  const audit = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows
      .filter((r) => r.role === 'neighbourhood')
      .reverse()
      .map((r) => [r.userEmail, r.outcome, r.status, r.resource]);

  it('is for care professionals only', async () => {
    for (const [method, url] of [
      ['GET', '/api/care/tasks'],
      ['POST', '/api/care/tasks'],
      ['PATCH', '/api/care/tasks/1'],
      ['GET', '/api/care/people/100/tasks'],
      ['GET', '/api/care/team'],
    ] as const) {
      expect((await as('public', method, url, method === 'GET' ? undefined : {})).statusCode, `${method} ${url}`).toBe(401);
      for (const role of ['analyst', 'admin', 'programme', 'board'] as const) expect((await as(role, method, url, method === 'GET' ? undefined : {})).statusCode, `${role} ${method} ${url}`).toBe(403);
    }
    const team = TeamResponse.parse((await as('neighbourhood', 'GET', '/api/care/team')).json());
    expect(team).toEqual({ neighbourhood: 'leeds-1', members: [{ id: idOf('colleague'), displayName: 'Colleague' }, { id: idOf('neighbourhood'), displayName: 'Leeds team' }] });
  });

  it('raises a task on a resident for a colleague, who is told; refuses other teams, bad fields and other teams’ members', async () => {
    const r = await as('neighbourhood', 'POST', '/api/care/tasks', { personId: '100', title: 'Phone about the falls clinic', assigneeId: idOf('colleague'), due: '2026-11-25', source: 'worklist', sourceRef: 'frail-65-emergency-admission' });
    expect(r.statusCode, r.body).toBe(201);
    expect(TaskOut.parse(r.json())).toMatchObject({ personId: '100', neighbourhoodId: 'leeds-1', assigneeName: 'Colleague', dueState: 'overdue', status: 'open', nextStatuses: ['done', 'cancelled'], link: '#/worklist?cohort=frail-65-emergency-admission', version: 1, createdBy: 'leeds@test' });
    const told = await listNotifications(server.app.openphm.ops, idOf('colleague'));
    expect(told.map((n) => [n.kind, n.summary, n.link, n.personId])).toEqual([['task-assigned', 'Task for person 100: Phone about the falls clinic (due 2026-11-25)', '#/my-work', '100']]);
    // Assigned to oneself: nobody is told.
    expect((await as('neighbourhood', 'POST', '/api/care/tasks', { personId: '101', title: 'Check medicines', assigneeId: idOf('neighbourhood'), due: '2026-11-30' })).statusCode).toBe(201);
    expect(await listNotifications(server.app.openphm.ops, idOf('neighbourhood'))).toEqual([]);
    expect((await as('colleague', 'POST', '/api/care/tasks', { personId: '102', title: 'Unassigned visit' })).statusCode).toBe(201);

    expect((await as('neighbourhood', 'POST', '/api/care/tasks', { personId: '2', title: 'x' })).statusCode).toBe(403);
    expect((await as('other', 'POST', '/api/care/tasks', { personId: '100', title: 'x' })).statusCode).toBe(403);
    for (const [body, field] of [
      [{ personId: '100', title: '' }, 'title'],
      [{ personId: '100', title: 'x', source: 'worklist' }, 'sourceRef'],
      [{ personId: '100', title: 'x', due: '2026-02-30' }, 'due'],
      [{ personId: '100', title: 'x', assigneeId: idOf('other') }, 'assigneeId'],
      [{ personId: '100', title: 'x', source: 'mdt', sourceRef: '999' }, 'sourceRef'],
      [{ personId: '100', title: 'x', colour: 'red' }, 'colour'],
    ] as const) {
      const bad = await as('neighbourhood', 'POST', '/api/care/tasks', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.fields.map((f: { field: string }) => f.field).join(' ')).toContain(field);
    }
    expect((await audit('task.create')).slice(0, 5)).toEqual([
      ['leeds@test', 'granted', 201, 'person:100'],
      ['leeds@test', 'granted', 201, 'person:101'],
      ['colleague@test', 'granted', 201, 'person:102'],
      ['leeds@test', 'denied', 403, 'person:2'],
      ['other@test', 'denied', 403, 'person:100'],
    ]);
    expect((await audit('task.create')).slice(5).map((a) => a[2])).toEqual([400, 400, 400, 400, 400, 400]);
  });

  it('lists my tasks, the team’s and the unassigned ones, filtered by status and due date', async () => {
    const mine = TasksResponse.parse((await as('colleague', 'GET', '/api/care/tasks')).json());
    expect(mine.tasks.map((t) => t.personId)).toEqual(['100']);
    expect(mine.team.map((m) => m.displayName)).toEqual(['Colleague', 'Leeds team']);
    const team = TasksResponse.parse((await as('neighbourhood', 'GET', '/api/care/tasks?assignee=anyone')).json());
    expect(team.tasks.map((t) => [t.personId, t.dueState])).toEqual([
      ['100', 'overdue'],
      ['101', 'due-this-week'],
      ['102', 'no-date'],
    ]);
    expect(TasksResponse.parse((await as('neighbourhood', 'GET', '/api/care/tasks?assignee=unassigned')).json()).tasks.map((t) => t.personId)).toEqual(['102']);
    expect(TasksResponse.parse((await as('neighbourhood', 'GET', '/api/care/tasks?assignee=anyone&due=overdue')).json()).tasks.map((t) => t.personId)).toEqual(['100']);
    expect(TasksResponse.parse((await as('neighbourhood', 'GET', '/api/care/tasks?assignee=anyone&due=week')).json()).tasks.length).toBe(2);
    expect(TasksResponse.parse((await as('other', 'GET', '/api/care/tasks?assignee=anyone')).json()).tasks).toEqual([]);
    expect((await as('neighbourhood', 'GET', '/api/care/tasks?assignee=anyone&neighbourhood=calderdale-1')).statusCode).toBe(403);
    expect((await as('neighbourhood', 'GET', '/api/care/tasks?due=tomorrow')).json().error.fields[0].field).toBe('due');
    expect(TasksResponse.parse((await as('neighbourhood', 'GET', '/api/care/people/101/tasks')).json()).tasks.map((t) => t.title)).toEqual(['Check medicines']);
    expect((await as('other', 'GET', '/api/care/people/101/tasks')).statusCode).toBe(403);
    expect((await audit('task.person')).map((a) => [a[0], a[1], a[3]])).toEqual([
      ['leeds@test', 'granted', 'person:101'],
      ['other@test', 'denied', 'person:101'],
    ]);
    expect((await audit('task.list')).map((a) => a[1])).toEqual(['granted', 'granted', 'granted', 'granted', 'granted', 'granted', 'denied', 'failed']);
  });

  it('changes a task with the version read: done, reassigned (the new assignee told), stale edits refused', async () => {
    const [task] = TasksResponse.parse((await as('colleague', 'GET', '/api/care/tasks')).json()).tasks;
    const done = await as('colleague', 'PATCH', `/api/care/tasks/${task!.id}`, { status: 'done', version: 1 });
    expect(done.json()).toMatchObject({ status: 'done', version: 2, updatedBy: 'colleague@test', dueState: 'closed', nextStatuses: ['open'] });
    const stale = await as('neighbourhood', 'PATCH', `/api/care/tasks/${task!.id}`, { status: 'cancelled', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/changed by colleague@test/);
    const notReopened = await as('neighbourhood', 'PATCH', `/api/care/tasks/${task!.id}`, { due: '2026-12-24', version: 2 });
    expect(notReopened.json().error.fields[0]).toEqual({ field: 'status', message: 'a done task is reopened before it is changed' });
    const reopened = await as('neighbourhood', 'PATCH', `/api/care/tasks/${task!.id}`, { status: 'open', assigneeId: idOf('neighbourhood'), due: '2026-12-24', version: 2 });
    expect(reopened.json()).toMatchObject({ status: 'open', assigneeName: 'Leeds team', version: 3 });
    // leeds@test reassigned it to themself: nobody told. The colleague passes it back: leeds@test is told.
    expect(await listNotifications(server.app.openphm.ops, idOf('neighbourhood'))).toEqual([]);
    await as('colleague', 'PATCH', `/api/care/tasks/${task!.id}`, { assigneeId: idOf('colleague'), version: 3 });
    await as('colleague', 'PATCH', `/api/care/tasks/${task!.id}`, { assigneeId: idOf('neighbourhood'), version: 4 });
    expect((await listNotifications(server.app.openphm.ops, idOf('neighbourhood'))).map((n) => n.kind)).toEqual(['task-assigned']);
    expect((await as('neighbourhood', 'PATCH', `/api/care/tasks/${task!.id}`, { assigneeId: idOf('other'), version: 5 })).json().error.fields[0].field).toBe('assigneeId');
    expect((await as('other', 'PATCH', `/api/care/tasks/${task!.id}`, { status: 'done', version: 5 })).statusCode).toBe(403);
    expect((await as('neighbourhood', 'PATCH', '/api/care/tasks/9999', { status: 'done', version: 1 })).statusCode).toBe(404);
    expect((await as('neighbourhood', 'PATCH', `/api/care/tasks/${task!.id}`, { status: 'finished', version: 5 })).json().error.fields[0].field).toBe('status');
    expect((await audit('task.update')).map((a) => [a[1], a[2], a[3]])).toEqual([
      ['granted', 200, `task:${task!.id}`],
      ['failed', 409, `task:${task!.id}`],
      ['failed', 400, `task:${task!.id}`],
      ['granted', 200, `task:${task!.id}`],
      ['granted', 200, `task:${task!.id}`],
      ['granted', 200, `task:${task!.id}`],
      ['failed', 400, `task:${task!.id}`],
      ['denied', 403, `task:${task!.id}`],
      ['not-found', 404, 'task:9999'],
      ['failed', 400, `task:${task!.id}`],
    ]);
    // Task titles never reach the server log.
    expect(server.logLines.join('\n')).not.toContain('falls clinic');
  });
});
