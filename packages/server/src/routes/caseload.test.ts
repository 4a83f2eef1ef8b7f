/**
 * Caseload reviews and changes of key worker over HTTP on the population fixture: a review clears
 * "due" (the next review moves on), a key worker change says why and is kept; scopes, validation,
 * stale versions and audit rows.
 */
import { describe, expect, it } from 'vitest';
import { CaseloadResponse, KeyWorkerResponse, ReviewResponse, ReviewsResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { addToCaseload } from '../operational/care-plans.js';
import { useCareTeamServer } from '../test-support.js';

describe('caseload reviews and key workers', () => {
  // Person 100 taken on in June (recorded elsewhere first, so back-dated); the review came on 20 Nov.
  const { server, as, idOf } = useCareTeamServer(async (s) => {
    await addToCaseload(s.app.openphm.ops, { personId: '100', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Leeds team', nextReview: '2026-11-20', addedAt: '2026-06-01T10:00:00Z' }, 'leeds@test');
  });
  const audit = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 100, offset: 0, action })).rows
      .filter((r) => r.role === 'neighbourhood')
      .reverse()
      .map((r) => [r.userEmail, r.outcome, r.status]);
  let entryId = 0;

  it('is for care professionals only', async () => {
    entryId = CaseloadResponse.parse((await as('neighbourhood', 'GET', '/api/caseload')).json()).entries[0]!.id;
    for (const [method, url] of [
      ['GET', `/api/caseload/${entryId}/reviews`],
      ['POST', `/api/caseload/${entryId}/reviews`],
      ['PATCH', `/api/caseload/${entryId}/key-worker`],
    ] as const) {
      expect((await as('public', method, url, method === 'GET' ? undefined : {})).statusCode).toBe(401);
      for (const role of ['analyst', 'admin', 'programme', 'board'] as const) expect((await as(role, method, url, method === 'GET' ? undefined : {})).statusCode).toBe(403);
      expect((await as('other', method, url, method === 'GET' ? undefined : {})).statusCode).toBe(method === 'GET' ? 403 : 400);
    }
  });

  it('records a review: "due" clears; refuses bad dates, stale versions and other teams', async () => {
    expect(CaseloadResponse.parse((await as('neighbourhood', 'GET', '/api/caseload')).json()).entries[0]!.reviewDue).toBe(true);
    const review = { reviewedOn: '2026-11-26', outcome: 'continue', note: 'Managing well at home.', nextReview: '2027-02-25', version: 1 };
    for (const [change, field] of [
      [{ reviewedOn: '2026-11-27' }, 'reviewedOn'],
      [{ reviewedOn: '2026-05-31' }, 'reviewedOn'],
      [{ nextReview: '2026-11-26' }, 'nextReview'],
      [{ nextReview: '2027-12-25' }, 'nextReview'],
      [{ outcome: 'fine' }, 'outcome'],
    ] as const) {
      const bad = await as('neighbourhood', 'POST', `/api/caseload/${entryId}/reviews`, { ...review, ...change });
      expect(bad.statusCode, JSON.stringify(change)).toBe(400);
      expect(bad.json().error.fields[0].field).toBe(field);
    }
    expect((await as('other', 'POST', `/api/caseload/${entryId}/reviews`, review)).statusCode).toBe(403);
    const done = await as('colleague', 'POST', `/api/caseload/${entryId}/reviews`, review);
    expect(done.statusCode, done.body).toBe(201);
    expect(ReviewResponse.parse(done.json())).toMatchObject({ entry: { nextReview: '2027-02-25', reviewDue: false, version: 2 }, review: { outcome: 'continue', outcomeLabel: 'Continue as planned', reviewedBy: 'colleague@test' } });
    expect(CaseloadResponse.parse((await as('neighbourhood', 'GET', '/api/caseload')).json()).entries[0]!.reviewDue).toBe(false);
    expect((await as('neighbourhood', 'POST', `/api/caseload/${entryId}/reviews`, review)).statusCode).toBe(409);
    expect((await as('neighbourhood', 'POST', '/api/caseload/9999/reviews', review)).statusCode).toBe(404);
    expect((await audit('caseload.review')).map((a) => a[2])).toEqual([400, 400, 400, 400, 400, 400, 403, 201, 409, 404]); // the first: the other team's empty body (checked before the scope)
  });

  it('changes the key worker, saying why; the change is kept', async () => {
    const change = { keyWorker: 'Colleague', keyWorkerUserId: idOf('colleague'), reason: 'Leeds team lead moves to the frailty service', version: 2 };
    expect((await as('neighbourhood', 'PATCH', `/api/caseload/${entryId}/key-worker`, { ...change, keyWorkerUserId: idOf('other') })).json().error.fields[0].field).toBe('keyWorkerUserId');
    expect((await as('neighbourhood', 'PATCH', `/api/caseload/${entryId}/key-worker`, { ...change, reason: '' })).json().error.fields[0].field).toBe('reason');
    expect((await as('neighbourhood', 'PATCH', `/api/caseload/${entryId}/key-worker`, { ...change, keyWorker: 'Leeds team', keyWorkerUserId: null })).json().error.fields[0]).toEqual({ field: 'keyWorker', message: 'Leeds team is already the key worker' });
    const done = await as('neighbourhood', 'PATCH', `/api/caseload/${entryId}/key-worker`, change);
    expect(done.statusCode, done.body).toBe(200);
    expect(KeyWorkerResponse.parse(done.json())).toMatchObject({ entry: { keyWorker: 'Colleague', version: 3 }, change: { from: 'Leeds team', to: 'Colleague', toUserId: idOf('colleague'), changedBy: 'leeds@test' } });
    expect((await as('neighbourhood', 'PATCH', `/api/caseload/${entryId}/key-worker`, change)).statusCode).toBe(409);
    const all = ReviewsResponse.parse((await as('colleague', 'GET', `/api/caseload/${entryId}/reviews`)).json());
    expect(all).toMatchObject({ keyWorkerUserId: idOf('colleague'), entry: { keyWorker: 'Colleague' } });
    expect(all.reviews.map((r) => r.nextReview)).toEqual(['2027-02-25']);
    expect(all.keyWorkerChanges.map((c) => [c.from, c.to, c.reason])).toEqual([['Leeds team', 'Colleague', change.reason]]);
    expect(all.outcomes.map((o) => o.id)).toEqual(['continue', 'more-support', 'less-support', 'plan-discharge']);
    // The new key worker is told of a colleague's note on the person.
    await as('neighbourhood', 'POST', '/api/care/people/100/notes', { text: 'Spoke to the GP.' });
    expect((await as('colleague', 'GET', '/api/care/notifications/count')).json()).toEqual({ unread: 1 });
    expect((await as('neighbourhood', 'GET', `/api/caseload/${entryId}/history`)).json().history.map((h: { snapshot: { keyWorker: string; nextReview: string } }) => [h.snapshot.keyWorker, h.snapshot.nextReview])).toEqual([
      ['Colleague', '2027-02-25'],
      ['Leeds team', '2027-02-25'],
      ['Leeds team', '2026-11-20'],
    ]);
    expect((await audit('caseload.key-worker')).map((a) => a[2])).toEqual([400, 400, 400, 400, 200, 409]);
    expect((await audit('caseload.reviews')).map((a) => [a[0], a[1]])).toEqual([
      ['other@test', 'denied'],
      ['colleague@test', 'granted'],
    ]);
  });
});
