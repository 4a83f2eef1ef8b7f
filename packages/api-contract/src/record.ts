/**
 * A person's record for their care team, in plain terms (routes/care-record.ts): the care zone's
 * whole readable record, its timeline a page at a time, the advance care plan (EPaCCS) and alerts.
 * Codes come with their terms (core's code terms); nothing here is published.
 */
import { z } from 'zod';
import {
  ADMISSION_RISK_BANDS,
  AdvanceCarePlanContentSchema,
  CODE_SYSTEM_IDS,
  FRAILTY_CATEGORIES,
  IsoDaySchema,
  TIMELINE_KINDS,
  TIMELINE_KIND_IDS,
  notAFigure,
  type TimelineKind,
} from '@openphm/core';
import { CarePlanOut } from './care-plans.js';

const why = 'a person-level record for their care team (audited), never published';

export const CarePersonParams = z.object({ personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)') });
export const AlertParams = CarePersonParams.extend({ alertId: z.coerce.number().int().min(1) });

/** A code with its term: `text` is what to show (the term, or the code and "(no term)"). */
export const CodeTermOut = z.object({ system: z.enum(CODE_SYSTEM_IDS), code: z.string(), term: z.string().nullable(), text: z.string() });

const KIND_LIST = `one or more of ${TIMELINE_KINDS.map((k) => k.id).join(', ')}, separated by commas`;

/** The kinds a query names (`kind=ae,admission`; empty: every kind). */
export const kindsOf = (s: string | undefined): TimelineKind[] => (s === undefined || s.trim() === '' ? [] : (s.split(',').map((k) => k.trim()) as TimelineKind[]));
const unknownKinds = (s: string | undefined): string[] => kindsOf(s).filter((k) => !(TIMELINE_KIND_IDS as readonly string[]).includes(k));

/** Kinds as the query gives them, checked one by one. */
const KindList = z
  .string()
  .max(400)
  .optional()
  .superRefine((s, ctx) => {
    const unknown = unknownKinds(s);
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown kind ${unknown.map((k) => `'${k}'`).join(', ')}: ${KIND_LIST}` });
  })
  .describe(`Kinds of event (${KIND_LIST}); none: every kind`);

export const TimelineQuery = z
  .object({
    kind: KindList,
    from: IsoDaySchema.optional().describe('first day (inclusive)'),
    to: IsoDaySchema.optional().describe('last day (inclusive)'),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'the last day cannot be before the first', path: ['to'] });

export const TimelineEventOut = z.object({
  date: z.string(),
  kind: z.enum(TIMELINE_KIND_IDS),
  kindLabel: z.string(),
  /** What happened, in words ("Emergency admission: Pneumonia, unspecified"). */
  title: z.string(),
  /** More about it ("5 days; discharged home"), or ''. */
  detail: z.string(),
  code: CodeTermOut.nullable(),
});

const TimelineFields = z.object({
    total: z.number().int().describe('events matching the filters (person-level, audited)'),
    page: z.number().int(),
    pageSize: z.number().int(),
    pages: z.number().int(),
    filters: z.object({ kinds: z.array(z.enum(TIMELINE_KIND_IDS)), from: z.string().nullable(), to: z.string().nullable() }),
    counts: z.array(z.object({ kind: z.enum(TIMELINE_KIND_IDS), label: z.string(), count: z.number().int() })).describe('events of each kind between the dates (every kind the person has)'),
    kinds: z.array(z.object({ id: z.enum(TIMELINE_KIND_IDS), label: z.string() })),
    events: z.array(TimelineEventOut),
  });
export const TimelineOut = notAFigure(TimelineFields, why);
export const TimelineResponse = notAFigure(TimelineFields.extend({ personId: z.string() }), why);

export const AlertOut = notAFigure(
  z.object({
    id: z.number().int(),
    personId: z.string(),
    kind: z.string(),
    kindLabel: z.string(),
    text: z.string(),
    startsOn: z.string(),
    reviewOn: z.string().nullable(),
    status: z.enum(['active', 'ended']),
    inForce: z.boolean(),
    reviewDue: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
  why,
);
export const AlertsResponse = z.object({ today: z.string(), kinds: z.array(z.object({ id: z.string(), label: z.string() })), alerts: z.array(AlertOut) });

export const AdvanceCarePlanOut = notAFigure(
  z.object({
    id: z.number().int(),
    personId: z.string(),
    plan: AdvanceCarePlanContentSchema,
    /** The words for the plan's choices. */
    labels: z.object({ preferredPlaceOfCare: z.string(), preferredPlaceOfDeath: z.string(), cpr: z.string(), ceilingOfCare: z.string() }),
    version: z.number().int(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
  why,
);
export const AdvanceCarePlanResponse = z.object({
  plan: AdvanceCarePlanOut.nullable(),
  history: z.array(notAFigure(z.object({ version: z.number().int(), changedAt: z.string(), changedBy: z.string() }), 'a version of a person-level record (audited), never published')),
  choices: z.object({
    placesOfCare: z.array(z.object({ id: z.string(), label: z.string() })),
    cprDecisions: z.array(z.object({ id: z.string(), label: z.string() })),
    ceilingsOfCare: z.array(z.object({ id: z.string(), label: z.string() })),
  }),
});

const Dated = z.object({ date: z.string() });

export const CareGapOut = z.object({
  ruleId: z.string(),
  label: z.string(),
  kind: z.enum(['review', 'vaccination', 'screening']),
  status: z.enum(['due', 'up-to-date', 'out-of-season']),
  lastDone: z.string().nullable(),
  dueDate: z.string().nullable(),
  summary: z.string(),
  source: z.string(),
});

export const AdmissionRiskOut = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    probability: z.number(),
    band: z.enum(ADMISSION_RISK_BANDS.map((b) => b.id) as [string, ...string[]]),
    averageProbability: z.number(),
    drivers: z.array(z.object({ label: z.string(), value: z.string(), effect: z.number(), direction: z.enum(['raises', 'lowers']) })),
    fittedAt: z.string(),
    note: z.string(),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);

/**
 * Someone the person cares for, or who cares for them: the other person by their pseudonymous id
 * only (their record, and who they are, only through the reader's own care relationship with them).
 */
export const CarerLinkOut = z.object({ personId: z.string(), since: z.string(), until: z.string().nullable().describe('when the caring ended; null: still caring') });

export const RecordResponse = notAFigure(
  z.object({
    personId: z.string(),
    /** The last day of the data: ages, current medicines, frailty and risk are at this date. */
    referenceDate: z.string(),
    today: z.string(),
    person: z.object({
      sex: z.string(),
      age: z.number().int(),
      ethnicity: z.string(),
      isCarer: z.boolean(),
      died: z.object({ date: z.string(), cause: CodeTermOut, place: z.string() }).nullable(),
      registeredWith: z.object({ practiceCode: z.string(), practice: z.string(), pcnCode: z.string().nullable(), pcn: z.string().nullable(), since: z.string() }),
      residence: z.object({ lsoaCode: z.string(), lsoaName: z.string().nullable(), neighbourhoodId: z.string().nullable(), neighbourhood: z.string().nullable(), place: z.string().nullable(), imdDecile: z.number().int().nullable() }),
    }),
    alerts: z.array(AlertOut).describe('alerts in force and due for review first; ended ones after'),
    advanceCarePlan: AdvanceCarePlanOut.nullable(),
    conditions: z.array(z.object({ key: z.string(), label: z.string(), onset: z.string(), code: CodeTermOut })).describe('long-term condition registers, with the date first recorded'),
    otherProblems: z.array(z.object({ code: CodeTermOut, first: z.string(), last: z.string() })).describe('other coded problems (frailty deficits and codes outside the registers)'),
    observations: z.object({
      smoking: Dated.extend({ status: z.string() }).nullable(),
      bmi: Dated.extend({ value: z.number() }).nullable(),
    }),
    medicines: z.object({
      currentDays: z.number().int(),
      current: z.array(z.object({ code: CodeTermOut, firstIssued: z.string(), lastIssued: z.string(), issues12m: z.number().int() })),
      past: z.array(z.object({ code: CodeTermOut, firstIssued: z.string(), lastIssued: z.string(), issues12m: z.number().int() })),
    }),
    risk: z.object({
      frailty: z.object({ efi: z.number(), category: z.enum(FRAILTY_CATEGORIES), of: z.number().int(), deficits: z.array(z.object({ key: z.string(), label: z.string(), evidence: z.string() })) }),
      admission: AdmissionRiskOut,
    }),
    careGaps: z.array(CareGapOut),
    carers: z.object({
      isCarer: z.boolean(),
      carerRecorded: z.string().nullable().describe('when "Patient is a carer" was first recorded'),
      hasCaregiverRecorded: z.string().nullable().describe('when "Has a caregiver" was first recorded'),
      caresFor: z.array(CarerLinkOut).describe('the people this person cares for (carer_relationship), each by pseudonymous id only'),
      caredForBy: z.array(CarerLinkOut).describe('the people who care for this person, each by pseudonymous id only'),
      note: z.string().nullable().describe('what the data do not say (a carer linked to no one here)'),
      family: z.array(z.object({ relation: z.enum(['mother', 'child']), personId: z.string(), birthDate: z.string() })),
    }),
    timeline: TimelineOut,
    carePlan: z.object({ plan: CarePlanOut.nullable(), unavailable: z.string().nullable() }),
    referrals: z.array(
      z.object({ id: z.number().int(), serviceName: z.string(), reasonLabel: z.string(), status: z.string(), statusLabel: z.string(), referredAt: z.string(), referredBy: z.string(), updatedAt: z.string() }),
    ),
    caseload: z.array(
      z.object({
        entryId: z.number().int(),
        status: z.enum(['active', 'discharged']),
        sourceLabel: z.string(),
        keyWorker: z.string(),
        nextReview: z.string(),
        reviewDue: z.boolean(),
        outcomeLabel: z.string().nullable(),
        addedAt: z.string(),
        updatedAt: z.string(),
      }),
    ),
  }),
  why,
);

export type RecordResponseT = z.infer<typeof RecordResponse>;
export type TimelineResponseT = z.infer<typeof TimelineResponse>;
export type TimelineT = z.infer<typeof TimelineOut>;
export type AlertT = z.infer<typeof AlertOut>;
export type AlertsResponseT = z.infer<typeof AlertsResponse>;
export type AdvanceCarePlanResponseT = z.infer<typeof AdvanceCarePlanResponse>;
export type AdvanceCarePlanT = z.infer<typeof AdvanceCarePlanOut>;
