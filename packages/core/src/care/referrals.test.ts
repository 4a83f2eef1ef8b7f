import { describe, expect, it } from 'vitest';
import { REFERRAL_STATUSES, ReferralInputSchema, ReferralUpdateSchema, WELLBEING_MINIMUM_PEOPLE, isFinalStatus, referralUpdateProblem, transitionProblem, wellbeingChange, type Ons4, type ReferralStatus } from './referrals.js';

describe('referral status path', () => {
  // from → the statuses it may move to (every other move is refused)
  const ALLOWED: Record<ReferralStatus, ReferralStatus[]> = {
    referred: ['accepted', 'declined', 'withdrawn'],
    accepted: ['attending', 'did-not-attend', 'withdrawn'],
    attending: ['completed', 'withdrawn'],
    completed: [],
    declined: [],
    'did-not-attend': [],
    withdrawn: [],
  };
  it.each(REFERRAL_STATUSES.flatMap((from) => REFERRAL_STATUSES.filter((to) => to !== from).map((to) => [from, to] as const)))('%s → %s', (from, to) => {
    expect(transitionProblem(from, to) === null).toBe(ALLOWED[from].includes(to));
  });
  it('explains a refusal', () => {
    expect(transitionProblem('referred', 'completed')).toBe('a referral that is referred cannot become completed (next: accepted, declined, withdrawn)');
    expect(transitionProblem('completed', 'attending')).toBe('a referral that is completed cannot become attending (it is closed)');
    expect(transitionProblem('attending', 'attending')).toBeNull();
    expect(REFERRAL_STATUSES.filter(isFinalStatus)).toEqual(['completed', 'declined', 'did-not-attend', 'withdrawn']);
  });
  it('takes a follow-up score only once the person takes part', () => {
    const after = { lifeSatisfaction: 7, worthwhile: 7, happiness: 7, anxiety: 3 };
    expect(referralUpdateProblem({ status: 'accepted' }, { wellbeingAfter: after, version: 2 })).toEqual({ field: 'wellbeingAfter', message: 'a follow-up wellbeing score is recorded once the person is attending or has completed' });
    expect(referralUpdateProblem({ status: 'accepted' }, { status: 'attending', wellbeingAfter: after, version: 2 })).toBeNull();
    expect(referralUpdateProblem({ status: 'attending' }, { status: 'referred', version: 2 })?.field).toBe('status');
  });
});

describe('referral input', () => {
  it('validates codes, not free text', () => {
    expect(ReferralInputSchema.parse({ personId: '123', serviceId: 'walk-and-talk', reason: 'loneliness' })).toEqual({ personId: '123', serviceId: 'walk-and-talk', reason: 'loneliness', wellbeingBefore: null });
    const issues = (x: object) => ReferralInputSchema.safeParse(x).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ personId: 'Jane Smith', serviceId: 'x', reason: 'loneliness' })).toEqual(['personId']);
    expect(issues({ personId: '1', serviceId: 'x', reason: 'she is sad' })).toEqual(['reason']);
    expect(issues({ personId: '1', serviceId: 'x', reason: 'other', notes: 'free text' })).toEqual(['']);
    expect(issues({ personId: '1', serviceId: 'x', reason: 'other', wellbeingBefore: { lifeSatisfaction: 11, worthwhile: 5, happiness: 5, anxiety: 5 } })).toEqual(['wellbeingBefore.lifeSatisfaction']);
    expect(ReferralUpdateSchema.parse({ status: 'accepted', version: 1 })).toEqual({ status: 'accepted', version: 1 });
  });
});

describe('wellbeingChange', () => {
  const score = (v: number, anxiety: number): Ons4 => ({ lifeSatisfaction: v, worthwhile: v, happiness: v, anxiety });
  it('is withheld below the minimum number of people', () => {
    const pairs = Array.from({ length: WELLBEING_MINIMUM_PEOPLE - 1 }, () => ({ before: score(4, 6), after: score(6, 4) }));
    expect(wellbeingChange(pairs).map((c) => [c.item, c.people, c.meanChange])).toEqual([
      ['lifeSatisfaction', 9, null],
      ['worthwhile', 9, null],
      ['happiness', 9, null],
      ['anxiety', 9, null],
    ]);
  });
  it('gives the mean paired change with a 95% interval worked by hand', () => {
    // Ten people: changes +1 (five people) and +3 (five): mean 2, sd √(10/9) = 1.0541, se 0.33333; 1.95996 × 0.33333 = 0.65332.
    const pairs = Array.from({ length: 10 }, (_, i) => ({ before: score(4, 6), after: score(i < 5 ? 5 : 7, i < 5 ? 5 : 3) }));
    const [life, , , anxiety] = wellbeingChange(pairs);
    expect(life!.people).toBe(10);
    expect(life!.meanChange).toBeCloseTo(2, 12);
    expect(life!.lower95).toBeCloseTo(2 - 0.65332, 4);
    expect(life!.upper95).toBeCloseTo(2 + 0.65332, 4);
    expect(anxiety!.meanChange).toBeCloseTo(-2, 12);
    expect(anxiety!.higherIsBetter).toBe(false);
  });
});
