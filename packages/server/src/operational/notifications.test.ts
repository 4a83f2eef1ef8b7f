/** Notifications on both back ends: per user, written once per key, marked read only by their user. */
import { describe, expect, it } from 'vitest';
import { dueReviewsOf, listNotifications, markRead, notify, unreadCount } from './notifications.js';
import { addToCaseload } from './care-plans.js';
import { setKeyWorkerUser } from './caseload-reviews.js';
import { createUserWithHash } from './users.js';
import { TEST_BACKENDS, useTestDb } from './test-backends.js';

describe.each(TEST_BACKENDS)('notifications on $name', (backend) => {
  const db = useTestDb(backend, 'phm_notifications');

  it('tells each user their own, once per key, and marks them read', async () => {
    const sam = await createUserWithHash(db, { email: 'sam@test', displayName: 'Sam', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    const kim = await createUserWithHash(db, { email: 'kim@test', displayName: 'Kim', passwordHash: 'x', role: 'neighbourhood', neighbourhoodId: 'leeds-1' });
    const written = await notify(db, [
      { userId: sam.id, kind: 'task-assigned', summary: 'Task: phone person 100', link: '#/my-work', personId: '100' },
      { userId: sam.id, kind: 'review-due', summary: 'Review due for person 101', link: '#/caseload', personId: '101', onceKey: 'review-due:1:2026-11-20' },
      { userId: sam.id, kind: 'review-due', summary: 'Review due for person 101', link: '#/caseload', personId: '101', onceKey: 'review-due:1:2026-11-20' },
      { userId: kim.id, kind: 'note-added', summary: 'Note on person 100', link: '#/person?id=100', personId: '100' },
    ]);
    expect(written).toBe(3);
    const mine = await listNotifications(db, sam.id);
    expect(mine.map((n) => n.kind)).toEqual(['review-due', 'task-assigned']);
    expect(await unreadCount(db, sam.id)).toBe(2);
    // Kim cannot mark Sam's read.
    expect(await markRead(db, kim.id, [mine[0]!.id])).toBe(0);
    expect(await markRead(db, sam.id, [mine[0]!.id])).toBe(1);
    expect(await markRead(db, sam.id, [mine[0]!.id])).toBe(0);
    expect((await listNotifications(db, sam.id, { unreadOnly: true })).map((n) => n.kind)).toEqual(['task-assigned']);
    expect(await markRead(db, sam.id, 'all')).toBe(1);
    expect(await unreadCount(db, sam.id)).toBe(0);
    expect(await unreadCount(db, kim.id)).toBe(1);
    await expect(notify(db, [{ userId: sam.id, kind: 'task-assigned', summary: 'x', link: 'https://elsewhere.example', personId: null }])).rejects.toThrow();
  });

  it('finds the reviews that have come for a key worker', async () => {
    const [sam] = await db.query<{ id: number }>(`SELECT id FROM app_user WHERE email = 'sam@test'`);
    const due = await addToCaseload(db, { personId: '100', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Sam', nextReview: '2026-11-20' }, 'sam@test');
    const later = await addToCaseload(db, { personId: '101', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Sam', nextReview: '2027-01-20' }, 'sam@test');
    await addToCaseload(db, { personId: '102', neighbourhoodId: 'leeds-1', source: 'gp', cohortId: null, keyWorker: 'Someone', nextReview: '2026-11-01' }, 'sam@test');
    await setKeyWorkerUser(db, due.id, sam!.id);
    await setKeyWorkerUser(db, later.id, sam!.id);
    expect(await dueReviewsOf(db, sam!.id, '2026-11-26')).toEqual([{ entryId: due.id, personId: '100', nextReview: '2026-11-20' }]);
  });
});
