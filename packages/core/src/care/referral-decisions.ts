/**
 * A service decides on a referral it receives: it accepts it, or declines it with a reason (a code,
 * and a short note when the reason is "other"), once. The decision moves the referral from
 * "referred" to "accepted" or "declined" (REFERRAL_TRANSITIONS); a referral already decided,
 * withdrawn or further along cannot be decided again. Pure: definitions and checks.
 */
import { z } from 'zod';
import type { FieldProblem } from '../errors/errors.js';
import { REFERRAL_STATUS_LABEL, type Referral, type ReferralStatus } from './referrals.js';

export const REFERRAL_DECISIONS = ['accept', 'decline'] as const;
export type ReferralDecisionKind = (typeof REFERRAL_DECISIONS)[number];

/** Why a service declines a referral: codes (with a short note for "other"), so the referrer knows what to do next. */
export const DECLINE_REASONS = [
  { id: 'not-eligible', label: 'Does not meet the service’s eligibility criteria' },
  { id: 'no-capacity', label: 'No capacity: the service is full' },
  { id: 'person-declined', label: 'The person declined when contacted' },
  { id: 'not-contactable', label: 'The person could not be contacted' },
  { id: 'better-elsewhere', label: 'Another service would meet their needs better' },
  { id: 'other', label: 'Other (see the note)' },
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number]['id'];
export const DECLINE_REASON_IDS = DECLINE_REASONS.map((r) => r.id) as [DeclineReason, ...DeclineReason[]];

/** What the receiving service sends: its decision, a reason when declining, and the referral's version. */
export const ReferralDecisionSchema = z
  .object({
    decision: z.enum(REFERRAL_DECISIONS),
    reason: z.enum(DECLINE_REASON_IDS).nullable().default(null),
    note: z.string().trim().max(500).default(''),
    version: z.number().int().min(1),
  })
  .strict();
export type ReferralDecisionInput = z.output<typeof ReferralDecisionSchema>;

/** A decision as kept. */
export interface ReferralDecision {
  readonly referralId: number;
  readonly decision: 'accepted' | 'declined';
  readonly reason: DeclineReason | null;
  readonly note: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

/** The status a decision moves the referral to. */
export const DECISION_STATUS: Readonly<Record<ReferralDecisionKind, ReferralStatus & ('accepted' | 'declined')>> = { accept: 'accepted', decline: 'declined' };

/**
 * The problem with a service's decision on a referral as stored, or null: only a referral waiting
 * for its decision ("referred") is decided; declining needs a reason (and "other" a note); accepting
 * takes none.
 */
export const referralDecisionProblem = (current: Pick<Referral, 'status'>, d: Pick<ReferralDecisionInput, 'decision' | 'reason' | 'note'>): FieldProblem | null => {
  if (current.status !== 'referred') return { field: 'decision', message: `this referral is ${REFERRAL_STATUS_LABEL[current.status].toLowerCase()}: only a referral waiting for a decision is accepted or declined` };
  if (d.decision === 'decline' && d.reason === null) return { field: 'reason', message: 'say why the referral is declined' };
  if (d.decision === 'accept' && d.reason !== null) return { field: 'reason', message: 'a reason is given when declining' };
  if (d.reason === 'other' && d.note === '') return { field: 'note', message: 'say why, in a short note' };
  return null;
};

/** Whether a referral is waiting for the receiving service's decision (it is in their inbox to act on). */
export const awaitsDecision = (r: Pick<Referral, 'status'>): boolean => r.status === 'referred';
