import { describe, expect, it } from 'vitest';
import { CarePlanContentSchema, CarePlanUpdateSchema, CaseloadInputSchema, caseloadUpdateProblem, isPlanReviewDue } from './plans.js';

const PLAN = {
  whatMatters: 'Getting back to the allotment and seeing my grandchildren.',
  goals: [{ goal: 'Walk to the allotment twice a week', status: 'working-on' }],
  support: [{ who: 'Daughter', what: 'Shopping on Saturdays' }],
  contingency: 'If breathless at rest, call the practice; out of hours, 111.',
  consentToShare: true,
  reviewDate: '2027-02-01',
  status: 'active',
};

describe('care and support plans', () => {
  it('accepts a plan and names each problem', () => {
    expect(CarePlanContentSchema.parse(PLAN)).toEqual(PLAN);
    const issues = (x: object) => CarePlanContentSchema.safeParse(x).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ ...PLAN, whatMatters: '  ' })).toEqual(['whatMatters: say what matters to the person, in their words']);
    expect(issues({ ...PLAN, goals: [{ goal: '', status: 'working-on' }] })).toEqual(['goals.0.goal: required']);
    expect(issues({ ...PLAN, goals: [{ goal: 'x', status: 'done' }] })?.[0]).toMatch(/^goals\.0\.status: /);
    expect(issues({ ...PLAN, reviewDate: 'soon' })).toEqual(['reviewDate: a date YYYY-MM-DD']);
    expect(CarePlanUpdateSchema.safeParse(PLAN).error?.issues[0]?.path).toEqual(['version']);
  });
  it.each([
    ['active, review yesterday', 'active', '2026-11-25', true],
    ['active, review today', 'active', '2026-11-26', true],
    ['active, review tomorrow', 'active', '2026-11-27', false],
    ['closed, review long past', 'closed', '2020-01-01', false],
  ] as const)('review due (%s): %s', (_name, status, reviewDate, due) => {
    expect(isPlanReviewDue({ status, reviewDate }, '2026-11-26')).toBe(due);
  });
});

describe('caseload', () => {
  const entry = { personId: '42', source: 'worklist', cohortId: 'frail-65-emergency-admission', keyWorker: 'Community matron', nextReview: '2026-12-15' };
  it('takes a cohort exactly when the person came from a worklist', () => {
    expect(CaseloadInputSchema.parse(entry)).toEqual(entry);
    expect(CaseloadInputSchema.parse({ ...entry, source: 'gp', cohortId: null })).toMatchObject({ source: 'gp', cohortId: null });
    expect(CaseloadInputSchema.safeParse({ ...entry, cohortId: null }).error?.issues[0]).toMatchObject({ path: ['cohortId'], message: 'name the cohort when (and only when) the person came from a worklist' });
    expect(CaseloadInputSchema.safeParse({ ...entry, source: 'gp' }).error?.issues[0]?.path).toEqual(['cohortId']);
  });
  it.each<[string, { status: 'active' | 'discharged'; outcome: null | 'goals-met' }, object, string | null]>([
    ['discharge with an outcome', { status: 'active', outcome: null }, { status: 'discharged', outcome: 'goals-met', version: 1 }, null],
    ['discharge without an outcome', { status: 'active', outcome: null }, { status: 'discharged', version: 1 }, 'outcome'],
    ['an outcome while active', { status: 'active', outcome: null }, { outcome: 'goals-met', version: 1 }, 'outcome'],
    ['reopening a discharged episode', { status: 'discharged', outcome: 'goals-met' }, { status: 'active', outcome: null, version: 2 }, 'status'],
    ['a new review date while active', { status: 'active', outcome: null }, { nextReview: '2027-01-01', version: 1 }, null],
  ])('%s', (_name, current, update, field) => {
    expect(caseloadUpdateProblem(current, update as never)?.field ?? null).toBe(field);
  });
});
