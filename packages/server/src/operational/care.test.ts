/** The directory and referrals on both back ends: versions, history, filters, and what the schema itself refuses. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDirectoryService, type DirectoryService } from '@openphm/core';
import { countServices, createReferral, createService, getService, listReferrals, listServices, referralHistory, updateReferral, updateService } from './care.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const DEMO = JSON.parse(readFileSync(new URL('../../../../directory/demo-services.json', import.meta.url), 'utf8')) as { services: unknown[] };
const WALK: DirectoryService = parseDirectoryService(DEMO.services[0]);
const ALLOTMENT: DirectoryService = parseDirectoryService(DEMO.services[1]);

describe.each(TEST_BACKENDS)('directory and referrals on $name', (backend) => {
  const db = useTestDb(backend, 'phm_care');

  it('keeps directory entries as validated documents with versions', async () => {
    await createService(db, WALK, 'editor@test');
    await createService(db, ALLOTMENT, 'editor@test');
    expect(await countServices(db)).toBe(2);
    expect((await getService(db, WALK.id)).entry).toEqual(WALK);
    const closed = await updateService(db, WALK.id, { ...WALK, status: 'inactive' }, 1, 'editor@test');
    expect(closed).toMatchObject({ version: 2, entry: { status: 'inactive' } });
    await expect(updateService(db, WALK.id, WALK, 1, 'other@test')).rejects.toMatchObject({ kind: 'conflict' });
    expect((await listServices(db)).map((s) => s.id)).toEqual([ALLOTMENT.id, WALK.id].sort());
    await expect(createService(db, WALK, 'editor@test')).rejects.toThrow();
  });

  it('records referrals with their history, and filters them', async () => {
    const r = await createReferral(db, { personId: '1234567', serviceId: ALLOTMENT.id, reason: 'loneliness', wellbeingBefore: { lifeSatisfaction: 4, worthwhile: 5, happiness: 3, anxiety: 7 }, neighbourhoodId: 'leeds-01' }, 'linkworker@test');
    expect(r).toMatchObject({ personId: '1234567', status: 'referred', version: 1, referredBy: 'linkworker@test', wellbeingAfter: null, wellbeingBefore: { anxiety: 7 } });
    await createReferral(db, { personId: '999', serviceId: ALLOTMENT.id, reason: 'weight', wellbeingBefore: null, neighbourhoodId: 'leeds-02' }, 'linkworker@test');
    const v2 = await updateReferral(db, r.id, { status: 'accepted', version: 1 }, 'service@test');
    const v3 = await updateReferral(db, r.id, { status: 'attending', wellbeingAfter: { lifeSatisfaction: 6, worthwhile: 6, happiness: 6, anxiety: 4 }, version: v2.version }, 'linkworker@test');
    expect(v3).toMatchObject({ status: 'attending', version: 3, wellbeingBefore: { lifeSatisfaction: 4 }, wellbeingAfter: { lifeSatisfaction: 6 } });
    expect((await referralHistory(db, r.id)).map((h) => [h.version, h.snapshot.status, h.changedBy])).toEqual([
      [3, 'attending', 'linkworker@test'],
      [2, 'accepted', 'service@test'],
      [1, 'referred', 'linkworker@test'],
    ]);
    expect((await listReferrals(db, { neighbourhoodId: 'leeds-01' })).map((x) => x.id)).toEqual([r.id]);
    expect((await listReferrals(db, { personId: '999' })).map((x) => x.reason)).toEqual(['weight']);
    expect((await listReferrals(db, { status: 'attending' })).length).toBe(1);
    expect((await listReferrals(db)).length).toBe(2);
    // The schema refuses what the API would: an unknown service, reason or status.
    await expect(db.query(`INSERT INTO referral (person_id, neighbourhood_id, service_id, reason, status, referred_by, updated_by) VALUES (1, 'x', 'no-such-service', 'weight', 'referred', 'a', 'a')`)).rejects.toThrow();
    await expect(db.query(`UPDATE referral SET reason = 'she is sad' WHERE id = $1`, [r.id])).rejects.toThrow();
    await expect(db.query('DELETE FROM referral_history')).rejects.toThrow(/append-only/);
  });
});
