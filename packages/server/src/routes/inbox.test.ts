/**
 * A service's inbox over HTTP on the population fixture: referrals arrive (the team told), are
 * accepted or declined with a reason once (the referrer told), in the referral's history; scopes,
 * validation, stale versions and audit rows.
 */
import { describe, expect, it } from 'vitest';
import { parseDirectoryService } from '@openphm/core';
import { InboxReferralOut, InboxResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { createService } from '../operational/care.js';
import { setUserServices } from '../operational/care-zone.js';
import { listNotifications } from '../operational/notifications.js';
import { testService, useCareTeamServer } from '../test-support.js';

describe("a service's inbox", () => {
  const { server, as, idOf } = useCareTeamServer(async (s) => {
    await createService(s.app.openphm.ops, parseDirectoryService(testService('leeds-walk', { name: 'Leeds walking group' })), 'programme@test');
  });
  const refer = (personId: string) => as('neighbourhood', 'POST', '/api/referrals', { personId, serviceId: 'leeds-walk', reason: 'loneliness' });
  const audit = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows
      .filter((r) => r.role === 'neighbourhood')
      .reverse()
      .map((r) => [r.userEmail, r.outcome, r.status, r.resource]);

  it('is for care professionals only', async () => {
    for (const [method, url] of [
      ['GET', '/api/care/inbox'],
      ['POST', '/api/care/inbox/1/decision'],
    ] as const) {
      expect((await as('public', method, url, method === 'POST' ? {} : undefined)).statusCode).toBe(401);
      for (const role of ['analyst', 'admin', 'programme', 'board'] as const) expect((await as(role, method, url, method === 'POST' ? {} : undefined)).statusCode).toBe(403);
    }
  });

  it('receives referrals (the team told) and decides them once (the referrer told)', async () => {
    const [a, b, c] = [await refer('100'), await refer('101'), await refer('102')].map((r) => r.json() as { id: number; version: number });
    expect((await listNotifications(server.app.openphm.ops, idOf('colleague'))).map((n) => [n.kind, n.summary, n.link])).toEqual([
      ['referral-received', 'New referral to Leeds walking group for person 102', '#/inbox'],
      ['referral-received', 'New referral to Leeds walking group for person 101', '#/inbox'],
      ['referral-received', 'New referral to Leeds walking group for person 100', '#/inbox'],
    ]);
    expect(await listNotifications(server.app.openphm.ops, idOf('neighbourhood'))).toEqual([]);
    expect(await listNotifications(server.app.openphm.ops, idOf('other'))).toEqual([]);

    const inbox = InboxResponse.parse((await as('colleague', 'GET', '/api/care/inbox')).json());
    expect(inbox).toMatchObject({ neighbourhood: 'leeds-1', waiting: 3, services: [{ id: 'leeds-walk', name: 'Leeds walking group' }] });
    expect(inbox.referrals.map((r) => [r.personId, r.awaitsDecision, r.decision])).toEqual([
      ['102', true, null],
      ['101', true, null],
      ['100', true, null],
    ]);
    expect(inbox.declineReasons.map((r) => r.id)).toContain('no-capacity');

    const accepted = await as('colleague', 'POST', `/api/care/inbox/${a!.id}/decision`, { decision: 'accept', version: 1 });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(InboxReferralOut.parse(accepted.json())).toMatchObject({ status: 'accepted', version: 2, awaitsDecision: false, decision: { decision: 'accepted', reason: null, decidedBy: 'colleague@test' } });
    expect((await listNotifications(server.app.openphm.ops, idOf('neighbourhood'))).map((n) => [n.kind, n.summary])).toEqual([['referral-decided', 'Leeds walking group accepted the referral of person 100']]);
    for (const [body, field] of [
      [{ decision: 'decline', version: 1 }, 'reason'],
      [{ decision: 'decline', reason: 'other', version: 1 }, 'note'],
      [{ decision: 'accept', reason: 'no-capacity', version: 1 }, 'reason'],
      [{ decision: 'maybe', version: 1 }, 'decision'],
      [{ decision: 'accept' }, 'version'],
    ] as const) {
      const bad = await as('colleague', 'POST', `/api/care/inbox/${b!.id}/decision`, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.fields[0].field).toBe(field);
    }
    const declined = await as('colleague', 'POST', `/api/care/inbox/${b!.id}/decision`, { decision: 'decline', reason: 'no-capacity', note: 'Full until March', version: 1 });
    expect(declined.json()).toMatchObject({ status: 'declined', decision: { decision: 'declined', reason: 'no-capacity', reasonLabel: 'No capacity: the service is full', note: 'Full until March' } });
    // Decided already, or a version since changed.
    expect((await as('neighbourhood', 'POST', `/api/care/inbox/${a!.id}/decision`, { decision: 'decline', reason: 'no-capacity', version: 2 })).json().error.fields[0].field).toBe('decision');
    expect((await as('neighbourhood', 'POST', `/api/care/inbox/${b!.id}/decision`, { decision: 'accept', version: 1 })).statusCode).toBe(409);
    expect((await as('other', 'POST', `/api/care/inbox/${c!.id}/decision`, { decision: 'accept', version: 1 })).statusCode).toBe(403);
    expect((await as('colleague', 'POST', '/api/care/inbox/9999/decision', { decision: 'accept', version: 1 })).statusCode).toBe(404);

    expect(InboxResponse.parse((await as('neighbourhood', 'GET', '/api/care/inbox')).json()).referrals.map((r) => r.personId)).toEqual(['102']);
    expect(InboxResponse.parse((await as('neighbourhood', 'GET', '/api/care/inbox?show=decided')).json()).referrals.map((r) => [r.personId, r.decision?.decision])).toEqual([
      ['101', 'declined'],
      ['100', 'accepted'],
    ]);
    expect(InboxResponse.parse((await as('other', 'GET', '/api/care/inbox?show=all')).json()).referrals).toEqual([]);
    expect((await as('other', 'GET', '/api/care/inbox?show=everything')).statusCode).toBe(400);
    // The referral's history has the decision as a version.
    expect((await as('neighbourhood', 'GET', `/api/referrals/${b!.id}/history`)).json().history.map((h: { snapshot: { status: string }; changedBy: string }) => [h.snapshot.status, h.changedBy])).toEqual([
      ['declined', 'colleague@test'],
      ['referred', 'leeds@test'],
    ]);
    expect((await audit('referral.decide')).map((a) => [a[0], a[1], a[2], a[3]])).toEqual([
      ['colleague@test', 'granted', 200, `referral:${a!.id}`],
      ...Array(5).fill(['colleague@test', 'failed', 400, `referral:${b!.id}`]),
      ['colleague@test', 'granted', 200, `referral:${b!.id}`],
      ['leeds@test', 'failed', 400, `referral:${a!.id}`],
      ['leeds@test', 'failed', 409, `referral:${b!.id}`],
      ['other@test', 'denied', 403, `referral:${c!.id}`],
      ['colleague@test', 'not-found', 404, 'referral:9999'],
    ]);
    expect((await audit('inbox.view')).map((a) => a[1])).toEqual(['granted', 'granted', 'granted', 'granted', 'failed']);
  });

  it("is the services' a professional works for: their referrals from any neighbourhood, decided only by them", async () => {
    const ops = server.app.openphm.ops;
    await createService(ops, parseDirectoryService(testService('leeds-lunch', { name: 'Leeds lunch club' })), 'programme@test');
    // other@test (calderdale-1) works for the lunch club; the colleague for the walking group.
    await setUserServices(ops, idOf('other'), ['leeds-lunch'], 'admin@test');
    await setUserServices(ops, idOf('colleague'), ['leeds-walk'], 'admin@test');
    const made = (await as('neighbourhood', 'POST', '/api/referrals', { personId: '110', serviceId: 'leeds-lunch', reason: 'loneliness' })).json() as { id: number };
    // Only the lunch club's member is told now, not the rest of the leeds-1 team.
    expect((await listNotifications(ops, idOf('other'))).map((n) => n.summary)).toEqual(['New referral to Leeds lunch club for person 110']);
    expect((await listNotifications(ops, idOf('colleague'))).some((n) => n.summary.includes('person 110'))).toBe(false);
    const theirs = InboxResponse.parse((await as('other', 'GET', '/api/care/inbox?show=all')).json());
    expect(theirs.services).toEqual([{ id: 'leeds-lunch', name: 'Leeds lunch club' }]);
    expect(theirs.referrals.map((r) => r.personId)).toEqual(['110']);
    // The walking group's member sees the walk's referrals only, and may not decide the lunch club's.
    expect(InboxResponse.parse((await as('colleague', 'GET', '/api/care/inbox?show=all')).json()).referrals.every((r) => r.serviceId === 'leeds-walk')).toBe(true);
    const refused = await as('colleague', 'POST', `/api/care/inbox/${made.id}/decision`, { decision: 'accept', version: 1 });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe('this referral is to a service you do not work for');
    // The lunch club's member, in another neighbourhood, decides it; the referrer is told.
    expect((await as('other', 'POST', `/api/care/inbox/${made.id}/decision`, { decision: 'accept', version: 1 })).json()).toMatchObject({ status: 'accepted', decision: { decidedBy: 'other@test' } });
    expect((await listNotifications(ops, idOf('neighbourhood')))[0]!.summary).toBe('Leeds lunch club accepted the referral of person 110');
    // Referred to their service, the person is in their care (the care-relationship rule): they read and add notes; not on anyone else.
    expect((await as('other', 'POST', '/api/care/people/110/notes', { text: 'First lunch on Tuesday.' })).statusCode).toBe(201);
    expect((await as('other', 'GET', '/api/care/people/111/notes')).statusCode).toBe(403);
    const [noted] = (await listAudit(ops, { limit: 1, offset: 0, action: 'note.create' })).rows;
    expect(noted).toMatchObject({ userEmail: 'other@test', outcome: 'granted', resource: 'person:110', detail: expect.stringContaining('care relationship: referral') });
    // The team's member who works for no service keeps the team's inbox.
    expect(InboxResponse.parse((await as('neighbourhood', 'GET', '/api/care/inbox?show=all')).json()).referrals.map((r) => r.personId)).toContain('110');
  });
});
