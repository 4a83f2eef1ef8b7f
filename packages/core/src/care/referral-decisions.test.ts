import { describe, expect, it } from 'vitest';
import { DECISION_STATUS, ReferralDecisionSchema, awaitsDecision, referralDecisionProblem } from './referral-decisions.js';
import { REFERRAL_STATUSES, REFERRAL_TRANSITIONS, type ReferralStatus } from './referrals.js';

describe('a service decides on a referral', () => {
  it.each<[string, ReferralStatus, object, string | null, string | null]>([
    ['accepts a new referral', 'referred', { decision: 'accept' }, null, null],
    ['declines with a reason', 'referred', { decision: 'decline', reason: 'no-capacity' }, null, null],
    ['declines with "other" and a note', 'referred', { decision: 'decline', reason: 'other', note: 'Moved to a day centre' }, null, null],
    ['declines without a reason', 'referred', { decision: 'decline' }, 'reason', 'say why the referral is declined'],
    ['accepts with a reason', 'referred', { decision: 'accept', reason: 'not-eligible' }, 'reason', 'a reason is given when declining'],
    ['declines with "other" and no note', 'referred', { decision: 'decline', reason: 'other' }, 'note', 'say why, in a short note'],
    ['decides twice', 'accepted', { decision: 'decline', reason: 'no-capacity' }, 'decision', 'this referral is accepted by the service: only a referral waiting for a decision is accepted or declined'],
    ['decides a withdrawn referral', 'withdrawn', { decision: 'accept' }, 'decision', 'this referral is withdrawn: only a referral waiting for a decision is accepted or declined'],
  ])('%s', (_, status, body, field, message) => {
    const d = ReferralDecisionSchema.parse({ ...body, version: 1 });
    const problem = referralDecisionProblem({ status }, d);
    expect(problem).toEqual(field === null ? null : { field, message });
  });

  it('moves the referral along its own state machine', () => {
    for (const [decision, status] of Object.entries(DECISION_STATUS)) expect(REFERRAL_TRANSITIONS.referred, decision).toContain(status);
    expect(REFERRAL_STATUSES.filter((s) => awaitsDecision({ status: s }))).toEqual(['referred']);
  });

  it('refuses an unknown reason, naming the field', () => {
    expect(ReferralDecisionSchema.safeParse({ decision: 'decline', reason: 'busy', version: 1 }).error!.issues[0]!.path).toEqual(['reason']);
  });
});
