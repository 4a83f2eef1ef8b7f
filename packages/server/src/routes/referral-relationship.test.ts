/**
 * Referrals within the legitimate-relationship rule, over HTTP on the crossing fixture (people 100-159
 * live in leeds-1, registered with Leeds Health Centre; 200, 201 and 203 live in leeds-1 but are
 * registered with Halifax Practice, in calderdale-1's PCN; 202 lives in leeds-1, registered with Leeds
 * Surgery; 300 lives in calderdale-1, registered with Leeds Surgery). A referral gives whoever works for
 * the service a care relationship with the person ("referred to your service"), so making one needs a
 * care relationship, as taking someone onto the caseload does: living in the neighbourhood is not
 * enough, or a team could refer a resident registered with another neighbourhood's practice to a
 * service one of them works for and see their record without breaking glass. colleague@test (leeds-1)
 * works for the Leeds walking group, other@test (the calderdale-1 team) for the Calderdale choir.
 */
import { describe, expect, it } from 'vitest';
import { parseDirectoryService } from '@openphm/core';
import { ReferralOut, ReferralsResponse, WorklistResponse } from '@openphm/api-contract';
import { listAudit } from '../operational/audit.js';
import { createService } from '../operational/care.js';
import { setUserServices } from '../operational/care-zone.js';
import { buildCrossingFixture, testService, useCareTeamServer, type TeamWho } from '../test-support.js';

const HYPERTENSION = { rule: { kind: 'flag', feature: 'condition:hypertension' } };
const REASON = 'About to take her on: discharged home after a fall';

describe('referrals within the legitimate-relationship rule', () => {
  const { server, as, idOf } = useCareTeamServer(async (s) => {
    const ops = s.app.openphm.ops;
    await createService(ops, parseDirectoryService(testService('leeds-walk', { name: 'Leeds walking group' })), 'programme@test');
    await createService(ops, parseDirectoryService(testService('calderdale-choir', { name: 'Calderdale choir', areas: ['place:calderdale'] })), 'programme@test');
  }, buildCrossingFixture);
  const refer = (who: TeamWho, personId: string, serviceId = 'leeds-walk') => as(who, 'POST', '/api/referrals', { personId, serviceId, reason: 'loneliness' });
  const auditOf = async (action: string) =>
    (await listAudit(server.app.openphm.ops, { limit: 500, offset: 0, action })).rows
      .filter((r) => r.role === 'neighbourhood')
      .reverse()
      .map((r) => [r.userEmail, r.outcome, r.status, r.resource, r.detail]);
  const referralsOf = async (personId: string) => ReferralsResponse.parse((await as('analyst', 'GET', `/api/referrals?person=${personId}`)).json()).referrals;
  /** Whether `who` may read the person's notes (the care record's care-relationship scope). */
  const reads = async (who: TeamWho, personId: string) => (await as(who, 'GET', `/api/care/people/${personId}/notes`)).statusCode;

  it('refuses a referral without a care relationship, so it gives no one a way round breaking glass', async () => {
    const ops = server.app.openphm.ops;
    await setUserServices(ops, idOf('colleague'), ['leeds-walk'], 'admin@test');
    await setUserServices(ops, idOf('other'), ['calderdale-choir'], 'admin@test');
    // 200 lives in leeds-1 but is registered with a Calderdale practice: the Leeds team may not refer her, saying to break glass.
    const refused = await refer('neighbourhood', '200');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/no care relationship with this person: break glass/);
    // Nor may the colleague who works for the walking group (the referral would give them a relationship with her).
    expect((await refer('colleague', '203')).statusCode).toBe(403);
    // Nothing was stored, and the walking group's worker still cannot read their records.
    expect(await referralsOf('200')).toEqual([]);
    expect(await referralsOf('203')).toEqual([]);
    expect(await reads('colleague', '200')).toBe(403);
    expect(await reads('colleague', '203')).toBe(403);
    expect((await refer('neighbourhood', '99999')).statusCode).toBe(404);
    expect((await as('analyst', 'POST', '/api/referrals', { personId: '202', serviceId: 'leeds-walk', reason: 'loneliness' })).statusCode).toBe(403);
    expect((await auditOf('referral.create')).map((r) => r.slice(0, 4))).toEqual([
      ['leeds@test', 'denied', 403, 'person:200'],
      ['colleague@test', 'denied', 403, 'person:203'],
      ['leeds@test', 'not-found', 404, 'person:99999'],
    ]);
    expect((await auditOf('referral.create')).slice(0, 2).map((r) => r[4])).toEqual([expect.stringContaining('no care relationship'), expect.stringContaining('no care relationship')]);
  });

  it("refers within a care relationship: the referral is the team's, and the service's workers then see the person", async () => {
    // 202 lives in leeds-1 and is registered with Leeds Surgery; the Calderdale team's worker cannot read her record yet.
    expect(await reads('other', '202')).toBe(403);
    // The Leeds team refers her to the Calderdale choir? Not offered in leeds-1 (the service must be offered in the team's neighbourhood).
    const elsewhere = await refer('neighbourhood', '202', 'calderdale-choir');
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.fields[0].field).toBe('serviceId');
    const made = await refer('neighbourhood', '202');
    expect(made.statusCode, made.body).toBe(201);
    expect(ReferralOut.parse(made.json())).toMatchObject({ personId: '202', neighbourhoodId: 'leeds-1', serviceId: 'leeds-walk', status: 'referred', referredBy: 'leeds@test' });
    // 300 lives in calderdale-1 and is registered with a Leeds practice: the Leeds team refers him (living there is not what counts).
    const registered = await refer('neighbourhood', '300');
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.json()).toMatchObject({ personId: '300', neighbourhoodId: 'leeds-1' });
    // The Calderdale team's worker works for the choir, not the walk: still no relationship with 202. Once an admin adds the walk
    // to their services, the referral is theirs to see (referred to a service they work for), from another neighbourhood.
    expect(await reads('other', '202')).toBe(403);
    await setUserServices(server.app.openphm.ops, idOf('other'), ['leeds-walk', 'calderdale-choir'], 'admin@test');
    expect(await reads('other', '202')).toBe(200);
    // Within that relationship they refer her on to their own neighbourhood's choir: the referral is their team's.
    const onward = await refer('other', '202', 'calderdale-choir');
    expect(onward.statusCode, onward.body).toBe(201);
    expect(onward.json()).toMatchObject({ personId: '202', neighbourhoodId: 'calderdale-1', serviceId: 'calderdale-choir', referredBy: 'other@test' });
    const rows = (await auditOf('referral.create')).slice(3);
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['leeds@test', 'failed', 400, 'person:202'],
      ['leeds@test', 'granted', 201, 'person:202'],
      ['leeds@test', 'granted', 201, 'person:300'],
      ['other@test', 'granted', 201, 'person:202'],
    ]);
    expect(rows.slice(1).map((r) => r[4])).toEqual([
      expect.stringContaining('care relationship: registered'),
      expect.stringContaining('care relationship: registered'),
      expect.stringContaining('care relationship: referral'),
    ]);
  });

  it('refers someone registered elsewhere once the professional has broken glass with a reason', async () => {
    expect((await refer('neighbourhood', '201')).statusCode).toBe(403);
    expect((await as('neighbourhood', 'POST', '/api/care/people/201/break-glass', { reason: REASON })).statusCode).toBe(201);
    const made = await refer('neighbourhood', '201');
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ personId: '201', neighbourhoodId: 'leeds-1' });
    // The referral made under the glass gives the walk's worker a relationship with her (the glass is audited and alerted to admins);
    // the glass itself is the professional's own: the colleague is still refused for 200.
    expect((await refer('colleague', '201')).statusCode).toBe(201);
    expect((await refer('colleague', '200')).statusCode).toBe(403);
    const rows = (await auditOf('referral.create')).slice(7);
    expect(rows.map((r) => [...r.slice(0, 4), r[4]])).toEqual([
      ['leeds@test', 'denied', 403, 'person:201', expect.stringContaining('no care relationship')],
      ['leeds@test', 'granted', 201, 'person:201', expect.stringContaining('care relationship: break-glass')],
      ['colleague@test', 'granted', 201, 'person:201', expect.stringContaining('care relationship: referral')],
      ['colleague@test', 'denied', 403, 'person:200', expect.stringContaining('no care relationship')],
    ]);
  });

  it('offers Refer on a worklist row exactly when the referral would be allowed', async () => {
    // A Leeds professional who works for no service and broke no glass: 200 and 203 are registered elsewhere.
    const list = WorklistResponse.parse((await as('neighbourhood', 'POST', '/api/worklist', { definition: HYPERTENSION, neighbourhood: 'leeds-1', limit: 500 })).json());
    const without = list.people.filter((p) => p.state?.careRelationships?.length === 0).map((p) => p.personId);
    expect(without.sort()).toEqual(['200', '203']);
    for (const p of list.people) {
      const allowed = (p.state?.careRelationships ?? []).length > 0;
      expect((await refer('neighbourhood', p.personId)).statusCode, `person ${p.personId}`).toBe(allowed ? 201 : 403);
    }
  });
});
