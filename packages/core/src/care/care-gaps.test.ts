import { describe, expect, it } from 'vitest';
import type { ConditionKey } from '../codelists/conditions.js';
import { CARE_GAP_RULES, addMonths, careGaps, careGapsDue, seasonOf, type CareGapFacts, type CareGapStatus } from './care-gaps.js';

const facts = (over: Partial<Omit<CareGapFacts, 'conditions' | 'lastRecorded'>> & { conditions?: ConditionKey[]; done?: Record<string, string> } = {}): CareGapFacts => ({
  age: over.age ?? 40,
  sex: over.sex ?? 'M',
  isCarer: over.isCarer ?? false,
  conditions: new Set(over.conditions ?? []),
  lastRecorded: new Map(Object.entries(over.done ?? {})),
  ...(over.died !== undefined ? { died: over.died } : {}),
});

const DIABETES_REVIEW = '170777000';
const FLU = '822851000000102';
const CERVICAL = '171149006';

/** [who, today, expected: rule id → status] */
const CASES: [string, CareGapFacts, string, Record<string, CareGapStatus>][] = [
  ['a well man of 40: nothing applies', facts(), '2026-11-26', {}],
  ['diabetes, never reviewed (also a flu risk group in season)', facts({ conditions: ['diabetes'] }), '2026-11-26', { 'diabetes-review': 'due', 'flu-vaccination': 'due' }],
  ['diabetes reviewed 11 months ago, vaccinated this season', facts({ conditions: ['diabetes'], done: { [DIABETES_REVIEW]: '2025-12-26', [FLU]: '2026-10-02' } }), '2026-11-26', { 'diabetes-review': 'up-to-date', 'flu-vaccination': 'up-to-date' }],
  ['diabetes reviewed exactly 12 months ago: due that day', facts({ conditions: ['diabetes'], done: { [DIABETES_REVIEW]: '2025-11-26' } }), '2026-11-26', { 'diabetes-review': 'due', 'flu-vaccination': 'due' }],
  ['vaccinated in October, seen in January: the same season', facts({ age: 70, done: { [FLU]: '2025-10-01' } }), '2026-01-15', { 'flu-vaccination': 'up-to-date', 'bowel-screening': 'due' }],
  ['vaccinated the season before last', facts({ age: 70, done: { [FLU]: '2024-10-01' } }), '2026-01-15', { 'flu-vaccination': 'due', 'bowel-screening': 'due' }],
  ['65 in summer: flu out of season', facts({ age: 66 }), '2026-06-15', { 'flu-vaccination': 'out-of-season', 'bowel-screening': 'due' }],
  ['an unpaid carer of 30 in the flu season', facts({ age: 30, isCarer: true }), '2026-10-10', { 'flu-vaccination': 'due' }],
  ['a carer of 16: not an adult', facts({ age: 16, isCarer: true }), '2026-10-10', {}],
  ['woman of 30, screened 2 years ago', facts({ age: 30, sex: 'F', done: { [CERVICAL]: '2024-11-01' } }), '2026-11-26', { 'cervical-screening-25-49': 'up-to-date' }],
  ['woman of 45, screened 4 years ago (every 3 years)', facts({ age: 45, sex: 'F', done: { [CERVICAL]: '2022-11-01' } }), '2026-11-26', { 'cervical-screening-25-49': 'due' }],
  ['woman of 55, screened 4 years ago (every 5 years)', facts({ age: 55, sex: 'F', done: { [CERVICAL]: '2022-11-01' } }), '2026-11-26', { 'cervical-screening-50-64': 'up-to-date', 'bowel-screening': 'due', 'breast-screening': 'due' }],
  ['woman of 72: no screening; flu due', facts({ age: 72, sex: 'F' }), '2026-11-26', { 'flu-vaccination': 'due', 'bowel-screening': 'due' }],
  ['man of 60 with asthma and COPD', facts({ age: 60, conditions: ['asthma', 'copd'], done: { '270442000': '2026-05-01' } }), '2026-11-26', { 'copd-review': 'due', 'flu-vaccination': 'due', 'bowel-screening': 'due', 'asthma-review': 'up-to-date' }],
  ['a review recorded after today does not count', facts({ conditions: ['copd'], done: { '394703002': '2027-01-01' } }), '2026-11-26', { 'copd-review': 'due', 'flu-vaccination': 'due' }],
  ['dead: no care gaps', facts({ age: 80, conditions: ['diabetes'], died: true }), '2026-11-26', {}],
];

describe('care gaps', () => {
  it.each(CASES)('%s', (_who, f, today, expected) => {
    const gaps = careGaps(f, today);
    expect(Object.fromEntries(gaps.map((g) => [g.ruleId, g.status]))).toEqual(expected);
    // Due first.
    const statuses = gaps.map((g) => g.status);
    expect(statuses).toEqual([...statuses].sort((a, b) => ['due', 'up-to-date', 'out-of-season'].indexOf(a) - ['due', 'up-to-date', 'out-of-season'].indexOf(b)));
    expect(careGapsDue(gaps)).toBe(Object.values(expected).filter((s) => s === 'due').length);
  });

  it('says when it was last done and when it is due', () => {
    const [review] = careGaps(facts({ conditions: ['diabetes'], done: { [DIABETES_REVIEW]: '2025-01-31' } }), '2026-06-01');
    expect(review).toMatchObject({ ruleId: 'diabetes-review', status: 'due', lastDone: '2025-01-31', dueDate: '2026-01-31', summary: 'Due since 2026-01-31 (last recorded 2025-01-31).' });
    const [never] = careGaps(facts({ conditions: ['diabetes'] }), '2026-06-01');
    expect(never).toMatchObject({ status: 'due', lastDone: null, dueDate: null, summary: 'Due: no record of it.' });
  });

  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2025-11-26', 12, '2026-11-26'],
    ['2025-12-15', 3, '2026-03-15'],
    ['2025-03-15', -3, '2024-12-15'],
  ])('%s + %i months = %s', (from, months, to) => {
    expect(addMonths(from, months)).toBe(to);
  });

  it.each([
    ['2026-11-26', { start: '2026-09-01', end: '2027-03-31', current: true }],
    ['2027-02-28', { start: '2026-09-01', end: '2027-03-31', current: true }],
    ['2027-03-31', { start: '2026-09-01', end: '2027-03-31', current: true }],
    ['2027-04-01', { start: '2027-09-01', end: '2028-03-31', current: false }],
    ['2027-08-31', { start: '2027-09-01', end: '2028-03-31', current: false }],
  ])('the flu season on %s', (today, season) => {
    expect(seasonOf({ startMonth: 9, endMonth: 3 }, today)).toEqual(season);
  });

  it('a season within one year', () => {
    expect(seasonOf({ startMonth: 4, endMonth: 6 }, '2026-05-10')).toEqual({ start: '2026-04-01', end: '2026-06-30', current: true });
    expect(seasonOf({ startMonth: 4, endMonth: 6 }, '2026-07-10')).toEqual({ start: '2027-04-01', end: '2027-06-30', current: false });
    expect(seasonOf({ startMonth: 4, endMonth: 6 }, '2026-02-10')).toEqual({ start: '2026-04-01', end: '2026-06-30', current: false });
  });

  it('every rule has an id of its own, codes, a source and someone it applies to', () => {
    expect(new Set(CARE_GAP_RULES.map((r) => r.id)).size).toBe(CARE_GAP_RULES.length);
    for (const r of CARE_GAP_RULES) {
      expect(r.codes.length, r.id).toBeGreaterThan(0);
      expect(r.source, r.id).not.toBe('');
      expect(r.eligible.length, r.id).toBeGreaterThan(0);
    }
  });
});
