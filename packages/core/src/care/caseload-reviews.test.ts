import { describe, expect, it } from 'vitest';
import { KeyWorkerChangeSchema, ReviewInputSchema, isCaseloadReviewDue, keyWorkerChangeProblem, reviewProblem, suggestedNextReview } from './caseload-reviews.js';

const today = '2026-11-26';
const active = { status: 'active' as const, addedAt: '2026-06-01T10:00:00Z' };

describe('recording a caseload review', () => {
  it.each([
    ['a review today, next in three months', active, '2026-11-26', '2027-02-25', null],
    ['a review last week', active, '2026-11-19', '2027-01-10', null],
    ['a review on the day the person was taken on', active, '2026-06-01', '2026-12-01', null],
    ['a discharged episode', { ...active, status: 'discharged' as const }, '2026-11-26', '2027-02-25', 'reviewedOn'],
    ['a review in the future', active, '2026-11-27', '2027-02-25', 'reviewedOn'],
    ['a review before the person was taken on', active, '2026-05-31', '2027-02-25', 'reviewedOn'],
    ['the next review on the same day', active, '2026-11-26', '2026-11-26', 'nextReview'],
    ['the next review already past (still due)', active, '2026-10-01', '2026-11-20', 'nextReview'],
    ['the next review more than a year away', active, '2026-11-26', '2027-11-28', 'nextReview'],
  ])('%s', (_, entry, reviewedOn, nextReview, field) => {
    expect(reviewProblem(entry, { reviewedOn, nextReview }, today)?.field ?? null).toBe(field);
  });

  it.each([
    ['continue', '2027-02-25'],
    ['more-support', '2026-12-10'],
    ['less-support', '2027-05-27'],
    ['plan-discharge', '2026-12-24'],
  ] as const)('suggests the next review after %s', (outcome, next) => {
    expect(suggestedNextReview(today, outcome)).toBe(next);
  });

  it.each([
    ['active, review passed', 'active', '2026-11-01', true],
    ['active, review today', 'active', today, true],
    ['active, review to come', 'active', '2026-11-27', false],
    ['discharged', 'discharged', '2026-11-01', false],
  ] as const)('is due when %s', (_, status, nextReview, due) => {
    expect(isCaseloadReviewDue({ status, nextReview }, today)).toBe(due);
  });

  it('names the field of a bad review', () => {
    expect(ReviewInputSchema.safeParse({ reviewedOn: today, outcome: 'fine', nextReview: '2027-01-01', version: 1 }).error!.issues[0]!.path).toEqual(['outcome']);
    expect(ReviewInputSchema.parse({ reviewedOn: today, outcome: 'continue', nextReview: '2027-01-01', version: 2 }).note).toBe('');
  });
});

describe('changing the key worker', () => {
  const entry = { status: 'active' as const, keyWorker: 'Sam Care', keyWorkerUserId: 4 };
  it.each([
    ['to someone else', entry, { keyWorker: 'Alex Nurse', keyWorkerUserId: 5 }, null],
    ['to the same name, now with their account', { ...entry, keyWorkerUserId: null }, { keyWorker: 'Sam Care', keyWorkerUserId: 4 }, null],
    ['to the same person', entry, { keyWorker: 'Sam Care', keyWorkerUserId: 4 }, 'Sam Care is already the key worker'],
    ['on a discharged episode', { ...entry, status: 'discharged' as const }, { keyWorker: 'Alex Nurse', keyWorkerUserId: null }, 'the person has been discharged: the key worker no longer changes'],
  ])('%s', (_, current, change, problem) => {
    expect(keyWorkerChangeProblem(current, change)?.message ?? null).toBe(problem);
  });

  it('needs a reason', () => {
    expect(KeyWorkerChangeSchema.safeParse({ keyWorker: 'Alex', reason: '', version: 1 }).error!.issues[0]!.path).toEqual(['reason']);
  });
});
