/** The care zone's records on both back ends: the services a professional works for; break-glass grants, live for four hours, never changed. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDirectoryService } from '@openphm/core';
import { createService } from './care.js';
import { careZoneFacts, careZoneFactsOfMany, grantBreakGlass, listBreakGlass, liveBreakGlass, setUserServices, userServices } from './care-zone.js';
import { createReferral } from './care.js';
import { addToCaseload } from './care-plans.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';
import { createUserWithHash } from './users.js';

const DEMO = JSON.parse(readFileSync(new URL('../../../../directory/demo-services.json', import.meta.url), 'utf8')) as { services: unknown[] };
const [WALK, OTHER] = [parseDirectoryService(DEMO.services[0]), parseDirectoryService(DEMO.services[1])];

describe.each(TEST_BACKENDS)('the care zone on $name', (backend) => {
  const db = useTestDb(backend, 'phm_carezone');

  it('keeps the services a professional works for, replaced as a whole, refusing unknown services', async () => {
    await createService(db, WALK, 'editor@test');
    await createService(db, OTHER, 'editor@test');
    const sam = await createUserWithHash(db, { email: 'sam@test', displayName: 'Sam', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    expect(await userServices(db, sam.id)).toEqual([]);
    expect(await setUserServices(db, sam.id, [OTHER.id, WALK.id, WALK.id], 'admin@test')).toEqual([WALK.id, OTHER.id].sort());
    expect(await setUserServices(db, sam.id, [WALK.id], 'admin@test')).toEqual([WALK.id]);
    await expect(setUserServices(db, sam.id, ['no-such-service'], 'admin@test')).rejects.toThrow();
    expect(await userServices(db, sam.id)).toEqual([WALK.id]);
  });

  it('grants break-glass for four hours, finds the live grants of a user for a person, lists them newest first, and never changes them', async () => {
    const kim = await createUserWithHash(db, { email: 'kim@test', displayName: 'Kim', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-2' });
    const grant = await grantBreakGlass(db, { userId: kim.id, userEmail: 'kim@test', neighbourhoodId: 'leeds-2', personId: '77', reason: 'Called by A&E about this patient', now: '2026-03-01T10:00:00.000Z' });
    expect(grant).toMatchObject({ userId: kim.id, personId: '77', grantedAt: '2026-03-01T10:00:00Z', expiresAt: '2026-03-01T14:00:00Z', neighbourhoodId: 'leeds-2' });
    await grantBreakGlass(db, { userId: kim.id, userEmail: 'kim@test', neighbourhoodId: 'leeds-2', personId: '78', reason: 'Out of hours visit request', now: '2026-03-01T11:00:00.000Z' });
    expect((await liveBreakGlass(db, kim.id, '77', '2026-03-01T13:59:00.000Z')).map((g) => g.id)).toEqual([grant.id]);
    expect(await liveBreakGlass(db, kim.id, '77', '2026-03-01T14:00:00.000Z')).toEqual([]);
    expect(await liveBreakGlass(db, kim.id + 1000, '77', '2026-03-01T12:00:00.000Z')).toEqual([]);
    expect((await listBreakGlass(db)).map((g) => g.personId)).toEqual(['78', '77']);
    expect((await listBreakGlass(db, { since: '2026-03-01T10:30:00.000Z' })).map((g) => g.personId)).toEqual(['78']);
    // Append-only; the reason must say something.
    await expect(db.query('UPDATE break_glass SET reason = $1', ['changed afterwards'])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM break_glass')).rejects.toThrow(/append-only/);
    await expect(grantBreakGlass(db, { userId: kim.id, userEmail: 'kim@test', neighbourhoodId: null, personId: '79', reason: 'short', now: '2026-03-01T10:00:00.000Z' })).rejects.toThrow();
  });

  it('reads the facts of the relationship rule in one query: caseload, referrals with service names, services, live grants', async () => {
    const ali = await createUserWithHash(db, { email: 'ali@test', displayName: 'Ali', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    expect(await careZoneFacts(db, ali.id, '90', '2026-03-01T12:00:00.000Z')).toEqual({ caseload: [], referrals: [], serviceIds: [], breakGlass: [] });
    await addToCaseload(db, { personId: '90', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Matron', nextReview: '2026-04-01' }, 'ali@test');
    await createReferral(db, { personId: '90', serviceId: WALK.id, reason: 'loneliness', wellbeingBefore: null, neighbourhoodId: 'leeds-1' }, 'ali@test');
    await setUserServices(db, ali.id, [WALK.id], 'admin@test');
    await grantBreakGlass(db, { userId: ali.id, userEmail: 'ali@test', neighbourhoodId: 'leeds-1', personId: '90', reason: 'Called by A&E about this patient', now: '2026-03-01T10:00:00.000Z' });
    await grantBreakGlass(db, { userId: ali.id, userEmail: 'ali@test', neighbourhoodId: 'leeds-1', personId: '90', reason: 'An older grant, expired by now', now: '2026-03-01T06:00:00.000Z' });
    expect(await careZoneFacts(db, ali.id, '90', '2026-03-01T12:00:00.000Z')).toEqual({
      caseload: [{ neighbourhoodId: 'leeds-1', status: 'active' }],
      referrals: [{ serviceId: WALK.id, serviceName: WALK.name, status: 'referred' }],
      serviceIds: [WALK.id],
      breakGlass: [{ grantedAt: '2026-03-01T10:00:00Z', expiresAt: '2026-03-01T14:00:00Z' }],
    });
  });

  it('reads the same facts for many people at once (a worklist): each as careZoneFacts has them', async () => {
    const bo = await createUserWithHash(db, { email: 'bo@test', displayName: 'Bo', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    await setUserServices(db, bo.id, [OTHER.id], 'admin@test');
    await addToCaseload(db, { personId: '95', neighbourhoodId: 'calderdale-1', source: 'gp', cohortId: null, keyWorker: 'Matron', nextReview: '2026-04-01' }, 'ali@test');
    await createReferral(db, { personId: '96', serviceId: OTHER.id, reason: 'loneliness', wellbeingBefore: null, neighbourhoodId: 'leeds-1' }, 'ali@test');
    await grantBreakGlass(db, { userId: bo.id, userEmail: 'bo@test', neighbourhoodId: 'leeds-1', personId: '97', reason: 'About to take on their care', now: '2026-03-01T10:00:00.000Z' });
    const now = '2026-03-01T12:00:00.000Z';
    const ids = ['90', '95', '96', '97', '98', 'not-a-person'];
    const many = await careZoneFactsOfMany(db, bo.id, ids, now);
    expect(many.serviceIds).toEqual([OTHER.id]);
    expect([...many.people.keys()]).toEqual(['90', '95', '96', '97', '98']);
    for (const id of ['90', '95', '96', '97', '98']) {
      const { serviceIds, ...one } = await careZoneFacts(db, bo.id, id, now);
      expect(serviceIds).toEqual([OTHER.id]);
      expect(many.people.get(id), id).toEqual(one);
    }
    expect(many.people.get('97')!.breakGlass).toHaveLength(1);
    expect(many.people.get('98')).toEqual({ caseload: [], referrals: [], breakGlass: [] });
    expect((await careZoneFactsOfMany(db, bo.id, [], now)).people.size).toBe(0);
  });
});