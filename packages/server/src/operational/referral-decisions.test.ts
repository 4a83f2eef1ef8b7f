/** Referral decisions on both back ends: the referral's new status and the decision, once; the inbox order. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReferralDecisionSchema, parseDirectoryService } from '@openphm/core';
import { createReferral, createService, referralHistory } from './care.js';
import { decideReferral, decisionsOf, inboxReferrals } from './referral-decisions.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

const DEMO = JSON.parse(readFileSync(new URL('../../../../directory/demo-services.json', import.meta.url), 'utf8')) as { services: unknown[] };
const WALK = parseDirectoryService(DEMO.services[0]);

describe.each(TEST_BACKENDS)('referral decisions on $name', (backend) => {
  const db = useTestDb(backend, 'phm_decisions');

  it('accepts or declines a referral once, in its history', async () => {
    await createService(db, WALK, 'editor@test');
    const make = (personId: string) => createReferral(db, { personId, serviceId: WALK.id, reason: 'loneliness', wellbeingBefore: null, neighbourhoodId: 'leeds-1' }, 'sam@test');
    const a = await make('100');
    const b = await make('101');
    await createReferral(db, { personId: '500', serviceId: WALK.id, reason: 'loneliness', wellbeingBefore: null, neighbourhoodId: 'calderdale-1' }, 'kim@test');
    const accepted = await db.transaction((tx) => decideReferral(tx, a.id, ReferralDecisionSchema.parse({ decision: 'accept', version: 1 }), 'service@test'));
    expect(accepted.referral).toMatchObject({ status: 'accepted', version: 2, updatedBy: 'service@test' });
    expect(accepted.decision).toMatchObject({ referralId: a.id, decision: 'accepted', reason: null, decidedBy: 'service@test' });
    const declined = await db.transaction((tx) => decideReferral(tx, b.id, ReferralDecisionSchema.parse({ decision: 'decline', reason: 'no-capacity', note: 'Full until March', version: 1 }), 'service@test'));
    expect(declined.decision).toMatchObject({ decision: 'declined', reason: 'no-capacity', note: 'Full until March' });
    // A stale version changes nothing; a second decision is refused by the store too.
    await expect(db.transaction((tx) => decideReferral(tx, a.id, ReferralDecisionSchema.parse({ decision: 'decline', reason: 'other', note: 'x', version: 1 }), 'x@test'))).rejects.toMatchObject({ kind: 'conflict' });
    await expect(db.transaction((tx) => decideReferral(tx, a.id, ReferralDecisionSchema.parse({ decision: 'accept', version: 2 }), 'x@test'))).rejects.toThrow();
    expect((await referralHistory(db, a.id)).map((h) => h.snapshot.status)).toEqual(['accepted', 'referred']);
    expect([...(await decisionsOf(db, [a.id, b.id, 999])).keys()].sort()).toEqual([a.id, b.id].sort());
    expect(await decisionsOf(db, [])).toEqual(new Map());
    await expect(db.query(`UPDATE referral_decision SET reason = 'other'`)).rejects.toThrow(/append-only/);
    const c = await make('102');
    expect((await inboxReferrals(db, { serviceIds: [], neighbourhoodId: 'leeds-1' })).map((r) => [r.id, r.status])).toEqual([
      [c.id, 'referred'],
      [b.id, 'declined'],
      [a.id, 'accepted'],
    ]);
    expect((await inboxReferrals(db, { serviceIds: [], neighbourhoodId: 'leeds-1', statuses: ['referred'] })).map((r) => r.id)).toEqual([c.id]);
    // Bound to the service: its referrals from every neighbourhood.
    expect((await inboxReferrals(db, { serviceIds: [WALK.id], neighbourhoodId: 'leeds-1' })).map((r) => r.personId)).toEqual(['102', '500', '101', '100']);
    expect(await inboxReferrals(db, { serviceIds: ['other-service'], neighbourhoodId: 'leeds-1' })).toEqual([]);
  });
});
