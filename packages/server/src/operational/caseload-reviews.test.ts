/** Caseload reviews and key worker changes on both back ends: the episode's new version and what was kept, in one transaction. */
import { describe, expect, it } from 'vitest';
import { ReviewInputSchema } from '@openphm/core';
import { addToCaseload, caseloadHistory, getCaseloadEntry } from './care-plans.js';
import { activeKeyWorkerOfPerson, changeKeyWorker, keyWorkerChanges, keyWorkerUserOf, keyWorkerUsers, listReviews, recordReview } from './caseload-reviews.js';
import { createUserWithHash } from './users.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

describe.each(TEST_BACKENDS)('caseload reviews and key workers on $name', (backend) => {
  const db = useTestDb(backend, 'phm_reviews');

  it('records a review: the next review moves on and the review is kept', async () => {
    const entry = await addToCaseload(db, { personId: '100', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Sam', nextReview: '2026-11-20' }, 'sam@test');
    const review = ReviewInputSchema.parse({ reviewedOn: '2026-11-26', outcome: 'continue', note: 'Managing well.', nextReview: '2027-02-25', version: 1 });
    const done = await db.transaction((tx) => recordReview(tx, entry.id, review, 'sam@test'));
    expect(done.entry).toMatchObject({ nextReview: '2027-02-25', version: 2 });
    expect(done.review).toMatchObject({ entryId: entry.id, reviewedOn: '2026-11-26', reviewedBy: 'sam@test', outcome: 'continue', note: 'Managing well.', nextReview: '2027-02-25' });
    // A stale version changes nothing, the review included.
    await expect(db.transaction((tx) => recordReview(tx, entry.id, { ...review, nextReview: '2027-03-01' }, 'kim@test'))).rejects.toMatchObject({ kind: 'conflict' });
    expect((await listReviews(db, entry.id)).length).toBe(1);
    expect((await caseloadHistory(db, entry.id)).map((h) => h.snapshot.nextReview)).toEqual(['2027-02-25', '2026-11-20']);
    await expect(db.query('DELETE FROM caseload_review')).rejects.toThrow(/append-only/);
    await expect(db.query(`INSERT INTO caseload_review (caseload_entry_id, reviewed_on, reviewed_by, outcome, next_review) VALUES ($1, '2026-11-26', 'x', 'continue', '2026-11-26')`, [entry.id])).rejects.toThrow();
  });

  it('changes the key worker, keeping who, why and when', async () => {
    const alex = await createUserWithHash(db, { email: 'alex@test', displayName: 'Alex', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    const [entry] = await db.query<{ id: number }>(`SELECT id FROM caseload_entry WHERE person_id = 100`);
    const current = await getCaseloadEntry(db, entry!.id);
    const changed = await db.transaction((tx) => changeKeyWorker(tx, current.id, current.keyWorker, { keyWorker: 'Alex', keyWorkerUserId: alex.id, reason: 'Sam moves to the frailty team', version: current.version }, 'sam@test'));
    expect(changed.entry).toMatchObject({ keyWorker: 'Alex', version: 3 });
    expect(changed.change).toMatchObject({ from: 'Sam', to: 'Alex', toUserId: alex.id, reason: 'Sam moves to the frailty team', changedBy: 'sam@test' });
    expect(await keyWorkerUserOf(db, current.id)).toBe(alex.id);
    expect(await activeKeyWorkerOfPerson(db, '100')).toBe(alex.id);
    expect(await activeKeyWorkerOfPerson(db, '999')).toBeNull();
    expect(Object.fromEntries(await keyWorkerUsers(db, 'leeds-1'))).toEqual({ [current.id]: alex.id });
    await expect(db.transaction((tx) => changeKeyWorker(tx, current.id, 'Alex', { keyWorker: 'Kim', keyWorkerUserId: null, reason: 'Stale', version: current.version }, 'kim@test'))).rejects.toMatchObject({ kind: 'conflict' });
    expect(await keyWorkerUserOf(db, current.id)).toBe(alex.id);
    expect((await keyWorkerChanges(db, current.id)).map((c) => c.to)).toEqual(['Alex']);
  });
});
