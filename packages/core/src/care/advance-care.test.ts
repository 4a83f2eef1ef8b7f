import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, AdvanceCarePlanContentSchema, AdvanceCarePlanUpdateSchema, AlertInputSchema, AlertUpdateSchema, CPR_DECISIONS, isAlertInForce, isAlertReviewDue, labelOf } from './advance-care.js';

const ACP = {
  preferredPlaceOfCare: 'home',
  preferredPlaceOfDeath: 'hospice',
  placeDetails: 'Wheatfields Hospice if home is not possible',
  cpr: { decision: 'dnacpr', decidedOn: '2026-10-01', decidedBy: 'Dr A Patel, GP', formLocation: 'Purple folder at home' },
  lastingPowerOfAttorney: { healthAndWelfare: 'yes', attorneys: 'Daughter, Jane' },
  advanceDecisionToRefuseTreatment: 'no',
  ceilingOfCare: 'comfort',
  ceilingDetails: '',
  wishes: 'To be at home with the dog.',
  discussedOn: '2026-10-01',
  discussedWith: 'The person and their daughter',
  consentToShare: true,
};

const issues = (x: object) => AdvanceCarePlanContentSchema.safeParse(x).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('advance care plans', () => {
  it('accepts a whole plan, filling left-out texts as empty', () => {
    expect(AdvanceCarePlanContentSchema.parse(ACP)).toEqual(ACP);
    const { placeDetails: _p, wishes: _w, discussedWith: _d, ceilingDetails: _c, ...short } = ACP;
    expect(AdvanceCarePlanContentSchema.parse(short)).toEqual({ ...ACP, placeDetails: '', wishes: '', discussedWith: '', ceilingDetails: '' });
  });

  it.each<[string, object, string[]]>([
    ['a DNACPR decision without its date', { cpr: { decision: 'dnacpr', decidedBy: 'Dr A' } }, ['cpr.decidedOn: give the date the CPR decision was made']],
    ['a decision without who made it', { cpr: { decision: 'attempt-cpr', decidedOn: '2026-10-01' } }, ['cpr.decidedBy: say who made the CPR decision']],
    ['a date without a decision', { cpr: { decision: 'not-recorded', decidedOn: '2026-10-01' } }, ['cpr.decidedOn: a date only goes with a CPR decision']],
    ['no decision, no date: fine', { cpr: { decision: 'not-recorded' } }, []],
    ['somewhere else, not said where', { preferredPlaceOfDeath: 'other', placeDetails: '' }, ['placeDetails: say where, when the place is somewhere else']],
    ['some treatments, not said which', { ceilingOfCare: 'selective-treatment' }, ['ceilingDetails: say which treatments, when some are not wanted']],
    ['a place not in the list', { preferredPlaceOfCare: 'beach' }, ['preferredPlaceOfCare: Invalid option: expected one of "not-discussed"|"home"|"care-home"|"hospice"|"hospital"|"other"|"declined"']],
    ['an impossible date', { discussedOn: '2026-02-30' }, ['discussedOn: not a calendar date']],
    ['an unknown field', { favouriteColour: 'blue' }, [': Unrecognized key: "favouriteColour"']],
  ])('names the field: %s', (_label, change, expected) => {
    expect(issues({ ...ACP, ...change })).toEqual(expected);
  });

  it('changes name the version they replace (0: the first)', () => {
    expect(AdvanceCarePlanUpdateSchema.parse({ plan: ACP, version: 0 }).version).toBe(0);
    expect(AdvanceCarePlanUpdateSchema.safeParse({ plan: ACP }).error?.issues[0]?.path).toEqual(['version']);
    expect(AdvanceCarePlanUpdateSchema.safeParse({ plan: ACP, version: -1 }).error?.issues[0]?.path).toEqual(['version']);
  });
});

describe('alerts', () => {
  const ALERT = { kind: 'lone-worker', text: 'Visit in pairs: a relative has been aggressive to staff.', startsOn: '2026-11-01', reviewOn: '2027-05-01' };
  it.each<[string, object, string[]]>([
    ['a whole alert', {}, []],
    ['no text', { text: '  ' }, ['text: say what the alert is']],
    ['reviewed before it starts', { reviewOn: '2026-10-01' }, ['reviewOn: the review date cannot be before the alert starts']],
    ['an unknown kind', { kind: 'vip' }, ['kind: Invalid option: expected one of "safeguarding"|"lone-worker"|"communication"|"access"|"infection"|"other"']],
  ])('%s', (_label, change, expected) => {
    expect(AlertInputSchema.safeParse({ ...ALERT, ...change }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? []).toEqual(expected);
  });

  it('has no review date unless one is given; ending one names the version', () => {
    expect(AlertInputSchema.parse({ ...ALERT, reviewOn: undefined }).reviewOn).toBeNull();
    expect(AlertUpdateSchema.parse({ status: 'ended', version: 2 })).toEqual({ status: 'ended', version: 2 });
    expect(AlertUpdateSchema.safeParse({ status: 'ended' }).error?.issues[0]?.path).toEqual(['version']);
  });

  it.each([
    ['active, started', 'active', '2026-11-01', null, true, false],
    ['active, not started yet', 'active', '2026-12-01', null, false, false],
    ['ended', 'ended', '2026-01-01', '2026-02-01', false, false],
    ['active, review today', 'active', '2026-01-01', '2026-11-26', true, true],
  ] as const)('%s', (_label, status, startsOn, reviewOn, inForce, reviewDue) => {
    expect(isAlertInForce({ status, startsOn }, '2026-11-26')).toBe(inForce);
    expect(isAlertReviewDue({ status, reviewOn }, '2026-11-26')).toBe(reviewDue);
  });

  it('labels kinds and decisions, and an unknown id as itself', () => {
    expect(labelOf(ALERT_KINDS, 'lone-worker')).toBe('Lone-worker risk');
    expect(labelOf(CPR_DECISIONS, 'dnacpr')).toBe('Do not attempt cardiopulmonary resuscitation (DNACPR)');
    expect(labelOf(ALERT_KINDS, 'x')).toBe('x');
  });
});
