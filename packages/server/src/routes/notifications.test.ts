/**
 * Notifications over HTTP: each user sees and marks only their own; reviews that have come are told
 * once; the navigation's count has no person-level rows and is not audited, the list is.
 */
import { describe, expect, it } from 'vitest';
import { MarkReadResponse, NotificationsResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { addToCaseload } from '../operational/care-plans.js';
import { setKeyWorkerUser } from '../operational/caseload-reviews.js';
import { useCareTeamServer } from '../test-support.js';

describe('notifications', () => {
  const { server, as, idOf } = useCareTeamServer(async (s) => {
    const ops = s.app.openphm.ops;
    const [me] = await ops.query<{ id: number }>(`SELECT id FROM app_user WHERE email = 'leeds@test'`);
    // Two episodes led by leeds@test: one review has come (20 Nov), one has not.
    const due = await addToCaseload(ops, { personId: '100', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Leeds team', nextReview: '2026-11-20' }, 'leeds@test');
    const later = await addToCaseload(ops, { personId: '101', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Leeds team', nextReview: '2027-01-20' }, 'leeds@test');
    await setKeyWorkerUser(ops, due.id, me!.id);
    await setKeyWorkerUser(ops, later.id, me!.id);
  });

  it('is for care professionals only', async () => {
    for (const [method, url] of [
      ['GET', '/api/care/notifications'],
      ['GET', '/api/care/notifications/count'],
      ['POST', '/api/care/notifications/read'],
    ] as const) {
      expect((await as('public', method, url, method === 'POST' ? { all: true } : undefined)).statusCode).toBe(401);
      for (const role of ['analyst', 'admin', 'programme', 'board'] as const) expect((await as(role, method, url, method === 'POST' ? { all: true } : undefined)).statusCode).toBe(403);
    }
  });

  it('tells a key worker of a review that has come, once; tasks assigned; marks read', async () => {
    expect((await as('neighbourhood', 'GET', '/api/care/notifications/count')).json()).toEqual({ unread: 1 });
    expect((await as('neighbourhood', 'GET', '/api/care/notifications/count')).json()).toEqual({ unread: 1 });
    await as('colleague', 'POST', '/api/care/tasks', { personId: '102', title: 'Visit', assigneeId: idOf('neighbourhood') });
    const list = NotificationsResponse.parse((await as('neighbourhood', 'GET', '/api/care/notifications')).json());
    expect(list.unread).toBe(2);
    expect(list.notifications.map((n) => [n.kind, n.kindLabel, n.summary, n.link, n.readAt])).toEqual([
      ['task-assigned', 'A task was assigned to you', 'Task for person 102: Visit', '#/my-work', null],
      ['review-due', 'A caseload review you lead has come', 'Caseload review of person 100 due 2026-11-20', '#/caseload', null],
    ]);
    // The colleague sees none of them, and cannot mark them read.
    expect(NotificationsResponse.parse((await as('colleague', 'GET', '/api/care/notifications')).json()).notifications).toEqual([]);
    expect(MarkReadResponse.parse((await as('colleague', 'POST', '/api/care/notifications/read', { ids: [list.notifications[0]!.id] })).json())).toEqual({ marked: 0, unread: 0 });
    expect((await as('neighbourhood', 'POST', '/api/care/notifications/read', { ids: [list.notifications[0]!.id] })).json()).toEqual({ marked: 1, unread: 1 });
    expect(NotificationsResponse.parse((await as('neighbourhood', 'GET', '/api/care/notifications?unread=true')).json()).notifications.map((n) => n.kind)).toEqual(['review-due']);
    expect((await as('neighbourhood', 'POST', '/api/care/notifications/read', { all: true })).json()).toEqual({ marked: 1, unread: 0 });
    // Told once per review date: still read, nothing new.
    expect((await as('neighbourhood', 'GET', '/api/care/notifications/count')).json()).toEqual({ unread: 0 });
    for (const [body, field] of [
      [{}, 'ids'],
      [{ ids: [1], all: true }, 'ids'],
      [{ ids: [] }, 'ids'],
      [{ all: false }, 'all'],
    ] as const) {
      const bad = await as('neighbourhood', 'POST', '/api/care/notifications/read', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.fields[0].field).toContain(field);
    }
    const rows = (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0 })).rows.filter((r) => r.action.startsWith('notification') || r.action.includes('/api/care/notifications'));
    // The list is audited (every attempt), marking read when granted; the count is not.
    expect(rows.filter((r) => r.role === 'neighbourhood').map((r) => [r.action, r.userEmail, r.outcome]).reverse()).toEqual([
      ['notification.list', 'leeds@test', 'granted'],
      ['notification.list', 'colleague@test', 'granted'],
      ['notification.read', 'colleague@test', 'granted'],
      ['notification.read', 'leeds@test', 'granted'],
      ['notification.list', 'leeds@test', 'granted'],
      ['notification.read', 'leeds@test', 'granted'],
    ]);
  });
});
