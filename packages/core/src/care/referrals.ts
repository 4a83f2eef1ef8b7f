/**
 * Social prescribing referrals: a link worker (or another member of a neighbourhood team) refers a
 * person to a service in the directory, for a reason, and records how it goes and how the person
 * felt before and after (ONS4 personal wellbeing). The status follows a fixed path; the reason is a
 * code, not free text, so no narrative about a person is stored. Pure: definitions and checks.
 */
import { z } from 'zod';
import { normalQuantile } from '../stats/distributions.js';

export const REFERRAL_STATUSES = ['referred', 'accepted', 'attending', 'completed', 'declined', 'did-not-attend', 'withdrawn'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_STATUS_LABEL: Readonly<Record<ReferralStatus, string>> = {
  referred: 'Referred',
  accepted: 'Accepted by the service',
  attending: 'Attending',
  completed: 'Completed',
  declined: 'Declined',
  'did-not-attend': 'Did not attend',
  withdrawn: 'Withdrawn',
};

/** Where a referral may go next; final statuses go nowhere. */
export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  referred: ['accepted', 'declined', 'withdrawn'],
  accepted: ['attending', 'did-not-attend', 'withdrawn'],
  attending: ['completed', 'withdrawn'],
  completed: [],
  declined: [],
  'did-not-attend': [],
  withdrawn: [],
};

export const isFinalStatus = (s: ReferralStatus): boolean => REFERRAL_TRANSITIONS[s].length === 0;

/** Why a status change is not allowed, or null. */
export const transitionProblem = (from: ReferralStatus, to: ReferralStatus): string | null =>
  from === to || REFERRAL_TRANSITIONS[from].includes(to)
    ? null
    : `a referral that is ${REFERRAL_STATUS_LABEL[from].toLowerCase()} cannot become ${REFERRAL_STATUS_LABEL[to].toLowerCase()}${isFinalStatus(from) ? ' (it is closed)' : ` (next: ${REFERRAL_TRANSITIONS[from].join(', ')})`}`;

/** Why people are referred: codes, never free text. */
export const REFERRAL_REASONS = [
  { id: 'loneliness', label: 'Loneliness or social isolation' },
  { id: 'long-term-condition', label: 'Living with long-term conditions' },
  { id: 'low-mood', label: 'Low mood, stress or anxiety' },
  { id: 'carer-strain', label: 'Strain of caring for someone' },
  { id: 'money-housing', label: 'Money, benefits or housing worries' },
  { id: 'inactivity', label: 'Physical inactivity' },
  { id: 'weight', label: 'Weight' },
  { id: 'other', label: 'Other' },
] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number]['id'];

/**
 * ONS4 personal wellbeing (ONS, 0-10 each): life satisfaction, feeling that life is worthwhile and
 * happiness yesterday (higher is better), and anxiety yesterday (lower is better).
 */
export const ONS4_ITEMS = [
  { id: 'lifeSatisfaction', label: 'Life satisfaction', higherIsBetter: true },
  { id: 'worthwhile', label: 'Things done in life are worthwhile', higherIsBetter: true },
  { id: 'happiness', label: 'Happiness yesterday', higherIsBetter: true },
  { id: 'anxiety', label: 'Anxiety yesterday', higherIsBetter: false },
] as const;
export type Ons4Item = (typeof ONS4_ITEMS)[number]['id'];
export type Ons4 = Readonly<Record<Ons4Item, number>>;

const SCORE = z.number().int().min(0, 'from 0 to 10').max(10, 'from 0 to 10');
export const Ons4Schema = z.object({ lifeSatisfaction: SCORE, worthwhile: SCORE, happiness: SCORE, anxiety: SCORE }).strict();

export interface Referral {
  readonly id: number;
  /** Pseudonymous person id (as in the person-level store). */
  readonly personId: string;
  /** The person's neighbourhood when referred. */
  readonly neighbourhoodId: string;
  readonly serviceId: string;
  readonly reason: ReferralReason;
  readonly status: ReferralStatus;
  readonly wellbeingBefore: Ons4 | null;
  readonly wellbeingAfter: Ons4 | null;
  readonly referredBy: string;
  readonly referredAt: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** The reason codes, in order. */
export const REFERRAL_REASON_IDS = REFERRAL_REASONS.map((r) => r.id) as [ReferralReason, ...ReferralReason[]];

/** What a user sends to refer someone. */
export const ReferralInputSchema = z
  .object({
    personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)'),
    serviceId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a service id').max(80),
    reason: z.enum(REFERRAL_REASON_IDS),
    wellbeingBefore: Ons4Schema.nullable().default(null),
  })
  .strict();
export type ReferralInput = z.output<typeof ReferralInputSchema>;

/** What a user sends to record progress: a new status and/or wellbeing scores, and the version edited. */
export const ReferralUpdateSchema = z
  .object({ status: z.enum(REFERRAL_STATUSES).optional(), wellbeingBefore: Ons4Schema.nullable().optional(), wellbeingAfter: Ons4Schema.nullable().optional(), version: z.number().int().min(1) })
  .strict();
export type ReferralUpdate = z.output<typeof ReferralUpdateSchema>;

/** Checks an update against the referral as stored: the status path, and a follow-up score only once the person has taken part. */
export const referralUpdateProblem = (current: Pick<Referral, 'status'>, update: ReferralUpdate): { field: string; message: string } | null => {
  const to = update.status ?? current.status;
  const moved = transitionProblem(current.status, to);
  if (moved) return { field: 'status', message: moved };
  if (update.wellbeingAfter != null && to !== 'attending' && to !== 'completed') return { field: 'wellbeingAfter', message: 'a follow-up wellbeing score is recorded once the person is attending or has completed' };
  return null;
};

export interface WellbeingChange {
  readonly item: Ons4Item;
  readonly label: string;
  readonly higherIsBetter: boolean;
  /** People with a score before and after. */
  readonly people: number;
  /** Mean of after − before, and its 95% confidence interval (normal approximation); null when withheld. */
  readonly meanChange: number | null;
  readonly lower95: number | null;
  readonly upper95: number | null;
}

/** Fewer paired scores than this are not summarised (too few to be meaningful or safe to publish). */
export const WELLBEING_MINIMUM_PEOPLE = 10;

/**
 * Mean change in each ONS4 item among referrals with both scores: the paired differences' mean with
 * a 95% interval mean ± 1.96 × sd/√n (normal approximation; with n ≥ 10 and bounded 0-10 scores the
 * t interval would be at most 16% wider at n = 10, and documents say so). Withheld below 10 people.
 */
export const wellbeingChange = (pairs: readonly { before: Ons4; after: Ons4 }[]): WellbeingChange[] =>
  ONS4_ITEMS.map((item) => {
    const d = pairs.map((p) => p.after[item.id] - p.before[item.id]);
    const n = d.length;
    if (n < WELLBEING_MINIMUM_PEOPLE) return { item: item.id, label: item.label, higherIsBetter: item.higherIsBetter, people: n, meanChange: null, lower95: null, upper95: null };
    const mean = d.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const half = normalQuantile(0.975) * (sd / Math.sqrt(n));
    return { item: item.id, label: item.label, higherIsBetter: item.higherIsBetter, people: n, meanChange: mean, lower95: mean - half, upper95: mean + half };
  });
