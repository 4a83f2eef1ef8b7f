/**
 * Personalised care and support plans and the neighbourhood multidisciplinary team's caseload.
 *
 * A care and support plan (NHS England's personalised care model) records, in the person's words,
 * what matters to them, their goals, who supports them with what, what to do if things go wrong,
 * and when it will be reviewed; it is shared with the team around the person only with their
 * agreement ("tell your story once"). The caseload lists the people the team is actively working
 * with: why they were taken on, their key worker, the next review and, on discharge, the outcome.
 * Pure: definitions and checks.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';

export const GOAL_STATUSES = ['working-on', 'achieved', 'changed'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export interface CarePlanContent {
  /** In the person's own words. */
  readonly whatMatters: string;
  readonly goals: readonly { readonly goal: string; readonly status: GoalStatus }[];
  /** Who helps with what: family, services, the voluntary sector. */
  readonly support: readonly { readonly who: string; readonly what: string }[];
  /** What to do, and whom to call, if things get worse. */
  readonly contingency: string;
  /** The person agreed that the team around them (across organisations) may read this plan. */
  readonly consentToShare: boolean;
  readonly reviewDate: string;
  readonly status: 'active' | 'closed';
}

export interface CarePlan extends CarePlanContent {
  readonly id: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

const TEXT = (max: number) => z.string().trim().max(max);
const DATE = IsoDaySchema;

export const CarePlanContentSchema = z
  .object({
    whatMatters: TEXT(2000).min(1, 'say what matters to the person, in their words'),
    goals: z.array(z.object({ goal: TEXT(500).min(1, 'required'), status: z.enum(GOAL_STATUSES) }).strict()).max(20),
    support: z.array(z.object({ who: TEXT(200).min(1, 'required'), what: TEXT(500).min(1, 'required') }).strict()).max(30),
    contingency: TEXT(2000),
    consentToShare: z.boolean(),
    reviewDate: DATE,
    status: z.enum(['active', 'closed']),
  })
  .strict();

/** A change to a plan: the whole content (plans are short) and the version edited. */
export const CarePlanUpdateSchema = CarePlanContentSchema.extend({ version: z.number().int().min(1) }).strict();
export type CarePlanUpdate = z.output<typeof CarePlanUpdateSchema>;

/** A plan whose review date has passed while it is active. */
export const isPlanReviewDue = (plan: Pick<CarePlan, 'status' | 'reviewDate'>, today: string): boolean => plan.status === 'active' && plan.reviewDate <= today;

// ---- caseload

/** Why someone was taken onto the caseload. */
export const CASELOAD_SOURCES = [
  { id: 'worklist', label: 'Found on a PHM worklist' },
  { id: 'gp', label: 'Referred by their GP practice' },
  { id: 'hospital-discharge', label: 'Discharged from hospital' },
  { id: 'social-care', label: 'Referred by social care' },
  { id: 'self-or-family', label: 'Asked for help themselves or through family' },
  { id: 'other', label: 'Other' },
] as const;
export type CaseloadSource = (typeof CASELOAD_SOURCES)[number]['id'];

/** How an episode on the caseload ended. */
export const DISCHARGE_OUTCOMES = [
  { id: 'goals-met', label: 'Goals met' },
  { id: 'stable-self-managing', label: 'Stable and managing' },
  { id: 'moved-to-other-service', label: 'Moved to another service' },
  { id: 'declined', label: 'Declined further support' },
  { id: 'moved-away', label: 'Moved away' },
  { id: 'died', label: 'Died' },
] as const;
/**
 * How an episode ended when a data load deleted the person (docs/decisions/0009-incremental-loads.md):
 * set by the server as it moves to that data version, never chosen by a user (not in DISCHARGE_OUTCOMES).
 */
export const REMOVED_FROM_DATA = { id: 'removed-from-data', label: 'Removed from the data by a load' } as const;
/** An outcome a user gives a discharge. */
export type ChosenDischargeOutcome = (typeof DISCHARGE_OUTCOMES)[number]['id'];
export type DischargeOutcome = ChosenDischargeOutcome | typeof REMOVED_FROM_DATA.id;

/** The label of an episode's outcome (a user's choice, or the server's for a person a load deleted). */
export const dischargeOutcomeLabel = (id: string): string => (id === REMOVED_FROM_DATA.id ? REMOVED_FROM_DATA.label : (DISCHARGE_OUTCOMES.find((o) => o.id === id)?.label ?? id));

export interface CaseloadEntry {
  readonly id: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly source: CaseloadSource;
  /** The cohort a worklist came from, when the source is a worklist. */
  readonly cohortId: string | null;
  /** The team member who coordinates the person's care. */
  readonly keyWorker: string;
  readonly nextReview: string;
  readonly status: 'active' | 'discharged';
  readonly outcome: DischargeOutcome | null;
  readonly addedAt: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

const SOURCE_IDS = CASELOAD_SOURCES.map((s) => s.id) as [CaseloadSource, ...CaseloadSource[]];
const OUTCOME_IDS = DISCHARGE_OUTCOMES.map((s) => s.id) as [ChosenDischargeOutcome, ...ChosenDischargeOutcome[]];

export const CaseloadInputSchema = z
  .object({
    personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)'),
    source: z.enum(SOURCE_IDS),
    cohortId: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a cohort id').max(80).nullable().default(null),
    keyWorker: TEXT(200).min(1, 'required'),
    nextReview: DATE,
  })
  .strict()
  .refine((e) => (e.source === 'worklist') === (e.cohortId !== null), { message: 'name the cohort when (and only when) the person came from a worklist', path: ['cohortId'] });
export type CaseloadInput = z.output<typeof CaseloadInputSchema>;

export const CaseloadUpdateSchema = z
  .object({ keyWorker: TEXT(200).min(1, 'required').optional(), nextReview: DATE.optional(), status: z.enum(['active', 'discharged']).optional(), outcome: z.enum(OUTCOME_IDS).nullable().optional(), version: z.number().int().min(1) })
  .strict();
export type CaseloadUpdate = z.output<typeof CaseloadUpdateSchema>;

/** A discharge needs an outcome, and only a discharge has one; a discharged episode stays closed. */
export const caseloadUpdateProblem = (current: Pick<CaseloadEntry, 'status' | 'outcome'>, update: CaseloadUpdate): { field: string; message: string } | null => {
  if (current.status === 'discharged' && update.status !== undefined && update.status !== 'discharged') return { field: 'status', message: 'a discharged episode stays closed: add the person to the caseload again' };
  const status = update.status ?? current.status;
  const outcome = update.outcome !== undefined ? update.outcome : current.outcome;
  if (status === 'discharged' && outcome === null) return { field: 'outcome', message: 'say how the episode ended' };
  if (status === 'active' && outcome !== null) return { field: 'outcome', message: 'only a discharge has an outcome' };
  return null;
};
