import { describe, expect, it } from 'vitest';
import { recipientsOf, type CareEvent } from './notifications.js';

describe('who is told of what', () => {
  it.each<[string, CareEvent, number[]]>([
    ['a task assigned to a colleague', { kind: 'task-assigned', actorId: 1, assigneeId: 2 }, [2]],
    ['a task assigned to oneself', { kind: 'task-assigned', actorId: 1, assigneeId: 1 }, []],
    ['a task left unassigned', { kind: 'task-assigned', actorId: 1, assigneeId: null }, []],
    ['a task changed but kept with its assignee', { kind: 'task-assigned', actorId: 1, assigneeId: 2, previousAssigneeId: 2 }, []],
    ['a task passed to another', { kind: 'task-assigned', actorId: 1, assigneeId: 3, previousAssigneeId: 2 }, [3]],
    ['a referral to a service of three, one the referrer', { kind: 'referral-received', actorId: 1, serviceMemberIds: [3, 1, 2, 3] }, [2, 3]],
    ['a referral decided', { kind: 'referral-decided', actorId: 5, referrerId: 1 }, [1]],
    ['a referral decided by the one who made it', { kind: 'referral-decided', actorId: 1, referrerId: 1 }, []],
    ['a referral decided, referrer without an account', { kind: 'referral-decided', actorId: 5, referrerId: null }, []],
    ['a note by a colleague on a key worker’s person', { kind: 'note-added', actorId: 2, keyWorkerId: 1 }, [1]],
    ['a note by the key worker', { kind: 'note-added', actorId: 1, keyWorkerId: 1 }, []],
    ['a review come', { kind: 'review-due', keyWorkerId: 4 }, [4]],
    ['a review come, no key worker account', { kind: 'review-due', keyWorkerId: null }, []],
  ])('%s', (_, event, expected) => {
    expect(recipientsOf(event)).toEqual(expected);
  });
});
