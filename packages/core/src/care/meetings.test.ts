import { describe, expect, it } from 'vitest';
import { OutcomeInputSchema, peopleDueForDiscussion } from './meetings.js';

const caseload = [
  { id: 1, personId: '100', status: 'active' as const, nextReview: '2026-11-20' },
  { id: 2, personId: '101', status: 'active' as const, nextReview: '2026-11-01' },
  { id: 3, personId: '102', status: 'active' as const, nextReview: '2026-12-20' },
  { id: 4, personId: '103', status: 'discharged' as const, nextReview: '2026-10-01' },
];

describe('people due for discussion at an MDT', () => {
  it.each([
    ['reviews due (oldest first), then new high risk not on the caseload', [], 10, [['101', 'review-due'], ['100', 'review-due'], ['103', 'new-high-risk'], ['200', 'new-high-risk']]],
    ['leaving out those already on the agenda', ['101', '200'], 10, [['100', 'review-due'], ['103', 'new-high-risk']]],
    ['at most the limit', [], 2, [['101', 'review-due'], ['100', 'review-due']]],
  ])('%s', (_, onAgenda, limit, expected) => {
    const found = peopleDueForDiscussion({ caseload, highRisk: ['102', '103', '200', '200'], onAgenda, today: '2026-11-26', limit });
    expect(found.map((c) => [c.personId, ...c.reasons])).toEqual(expected);
  });

  it('names the episode and the review date of a review due', () => {
    expect(peopleDueForDiscussion({ caseload, highRisk: [], onAgenda: [], today: '2026-11-26', limit: 1 })).toEqual([{ personId: '101', reasons: ['review-due'], caseloadEntryId: 2, reviewDate: '2026-11-01' }]);
  });

  it('records an outcome with its actions, naming a bad field', () => {
    expect(OutcomeInputSchema.parse({ outcome: 'Refer to falls clinic' })).toEqual({ outcome: 'Refer to falls clinic', tasks: [] });
    expect(OutcomeInputSchema.safeParse({ outcome: 'x', tasks: [{ title: '' }] }).error!.issues[0]!.path).toEqual(['tasks', 0, 'title']);
  });
});
