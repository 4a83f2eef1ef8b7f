/**
 * Multidisciplinary team (MDT) meetings of a neighbourhood: a date and a title; an agenda of people
 * to discuss, each with why; and, for each person discussed, the outcome, whose actions are raised
 * as tasks. Who is due for discussion: people on the caseload whose review has come, and people
 * newly at high risk (at the top of the high-risk worklist and not on the caseload). Pure:
 * definitions and checks.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';

export interface MdtMeeting {
  readonly id: number;
  readonly neighbourhoodId: string;
  readonly date: string;
  readonly title: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface AgendaItem {
  readonly id: number;
  readonly meetingId: number;
  readonly personId: string;
  readonly reason: string;
  readonly addedBy: string;
  readonly addedAt: string;
  /** What the team decided; null until discussed. */
  readonly outcome: string | null;
  readonly outcomeBy: string | null;
  readonly outcomeAt: string | null;
}

export const MeetingInputSchema = z
  .object({
    date: IsoDaySchema,
    title: z.string().trim().min(1, 'give the meeting a title').max(200),
  })
  .strict();
export type MeetingInput = z.output<typeof MeetingInputSchema>;

export const AgendaItemInputSchema = z
  .object({
    personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)'),
    reason: z.string().trim().min(1, 'say why the person is discussed').max(500),
  })
  .strict();
export type AgendaItemInput = z.output<typeof AgendaItemInputSchema>;

/** An action agreed at the meeting: raised as a task on the person discussed. */
export const OutcomeTaskSchema = z
  .object({
    title: z.string().trim().min(1, 'say what is to be done').max(200),
    detail: z.string().trim().max(2000).default(''),
    assigneeId: z.number().int().min(1).nullable().default(null),
    due: IsoDaySchema.nullable().default(null),
  })
  .strict();

export const OutcomeInputSchema = z
  .object({
    outcome: z.string().trim().min(1, 'say what the team decided').max(2000),
    tasks: z.array(OutcomeTaskSchema).max(10, 'at most 10 actions at once').default([]),
  })
  .strict();
export type OutcomeInput = z.output<typeof OutcomeInputSchema>;

/** Why someone is due for discussion. */
export const DISCUSSION_REASONS = [
  { id: 'review-due', label: 'Caseload review due' },
  { id: 'new-high-risk', label: 'Newly at high risk, not on the caseload' },
] as const;
export type DiscussionReason = (typeof DISCUSSION_REASONS)[number]['id'];

export interface DiscussionCandidate {
  readonly personId: string;
  readonly reasons: readonly DiscussionReason[];
  /** The caseload episode whose review is due, if any. */
  readonly caseloadEntryId: number | null;
  /** The review date that has come (reviews due), or null. */
  readonly reviewDate: string | null;
}

/**
 * People due for discussion at a meeting, excluding those already on its agenda: first the caseload
 * reviews that have come (oldest first), then the high-risk people (in the worklist's priority
 * order) who are not on the caseload, at most `limit` of them.
 */
export const peopleDueForDiscussion = (input: {
  readonly caseload: readonly { readonly id: number; readonly personId: string; readonly status: 'active' | 'discharged'; readonly nextReview: string }[];
  readonly highRisk: readonly string[];
  readonly onAgenda: readonly string[];
  readonly today: string;
  readonly limit: number;
}): DiscussionCandidate[] => {
  const skip = new Set(input.onAgenda);
  const active = input.caseload.filter((e) => e.status === 'active');
  const onCaseload = new Set(active.map((e) => e.personId));
  const due = active
    .filter((e) => e.nextReview <= input.today && !skip.has(e.personId))
    .sort((a, b) => a.nextReview.localeCompare(b.nextReview) || a.id - b.id)
    .map((e): DiscussionCandidate => ({ personId: e.personId, reasons: ['review-due'], caseloadEntryId: e.id, reviewDate: e.nextReview }));
  const seen = new Set(due.map((d) => d.personId));
  const risky = input.highRisk
    .filter((p) => !onCaseload.has(p) && !skip.has(p) && !seen.has(p) && (seen.add(p), true))
    .map((p): DiscussionCandidate => ({ personId: p, reasons: ['new-high-risk'], caseloadEntryId: null, reviewDate: null }));
  return [...due, ...risky].slice(0, input.limit);
};
