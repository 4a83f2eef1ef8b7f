/**
 * Advance care planning and end-of-life preferences as an Electronic Palliative Care Co-ordination
 * System (EPaCCS) record holds them (the PRSB / NHS England "Palliative care co-ordination: core
 * content" information standard, SCCI1580): preferred place of care and of death, the CPR decision
 * (DNACPR) with its date and who made it, a lasting power of attorney for health and welfare, an
 * advance decision to refuse treatment, the ceiling of care agreed (as a ReSPECT form records it),
 * and when and with whom it was discussed. One record a person, versioned with its history. And
 * alerts: person-level flags a visitor or caller must know first (safeguarding, lone-worker risk,
 * communication needs), with who raised them and when. Pure: definitions and checks.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';

export const PLACES_OF_CARE = [
  { id: 'not-discussed', label: 'Not yet discussed' },
  { id: 'home', label: 'Home' },
  { id: 'care-home', label: 'Care home' },
  { id: 'hospice', label: 'Hospice' },
  { id: 'hospital', label: 'Hospital' },
  { id: 'other', label: 'Somewhere else (see details)' },
  { id: 'declined', label: 'The person did not wish to say' },
] as const;
export type PlaceOfCare = (typeof PLACES_OF_CARE)[number]['id'];

export const CPR_DECISIONS = [
  { id: 'not-recorded', label: 'No CPR decision recorded' },
  { id: 'attempt-cpr', label: 'For cardiopulmonary resuscitation' },
  { id: 'dnacpr', label: 'Do not attempt cardiopulmonary resuscitation (DNACPR)' },
] as const;
export type CprDecision = (typeof CPR_DECISIONS)[number]['id'];

export const CEILINGS_OF_CARE = [
  { id: 'not-discussed', label: 'Not yet discussed' },
  { id: 'full-treatment', label: 'All treatment that may sustain life, including intensive care' },
  { id: 'selective-treatment', label: 'Treatment that may sustain life, but not all (see details)' },
  { id: 'comfort', label: 'Treatment for comfort: symptom control, not prolonging life' },
] as const;
export type CeilingOfCare = (typeof CEILINGS_OF_CARE)[number]['id'];

const ids = <T extends readonly { id: string }[]>(xs: T) => xs.map((x) => x.id) as unknown as [T[number]['id'], ...T[number]['id'][]];
const TEXT = (max: number) => z.string().trim().max(max);

export const AdvanceCarePlanContentSchema = z
  .object({
    preferredPlaceOfCare: z.enum(ids(PLACES_OF_CARE)),
    preferredPlaceOfDeath: z.enum(ids(PLACES_OF_CARE)),
    /** More about the places (which hospice, with whom). */
    placeDetails: TEXT(1000).default(''),
    cpr: z
      .object({
        decision: z.enum(ids(CPR_DECISIONS)),
        /** When the decision was made. */
        decidedOn: IsoDaySchema.nullable().default(null),
        /** Who made it (name and role of the senior clinician). */
        decidedBy: TEXT(200).default(''),
        /** Where the signed form is (at home, in the GP record). */
        formLocation: TEXT(300).default(''),
      })
      .strict(),
    lastingPowerOfAttorney: z
      .object({
        /** A lasting power of attorney for health and welfare is registered. */
        healthAndWelfare: z.enum(['yes', 'no', 'not-known']),
        /** Who holds it and how to reach them. */
        attorneys: TEXT(500).default(''),
      })
      .strict(),
    /** An advance decision to refuse treatment (ADRT) is in place. */
    advanceDecisionToRefuseTreatment: z.enum(['yes', 'no', 'not-known']),
    ceilingOfCare: z.enum(ids(CEILINGS_OF_CARE)),
    ceilingDetails: TEXT(1000).default(''),
    /** What matters to the person about their care at the end of life, in their words. */
    wishes: TEXT(2000).default(''),
    /** When it was discussed with the person, and who was there. */
    discussedOn: IsoDaySchema,
    discussedWith: TEXT(300).default(''),
    /** The person agreed that the record is shared with the services caring for them (EPaCCS consent). */
    consentToShare: z.boolean(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const issue of advanceCarePlanProblems(p)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type AdvanceCarePlanContent = z.output<typeof AdvanceCarePlanContentSchema>;

/** A change to the person's plan: the whole plan and the version it replaces (0: there is none yet). */
export const AdvanceCarePlanUpdateSchema = z
  .object({ plan: AdvanceCarePlanContentSchema, version: z.number().int().min(0) })
  .strict();
export type AdvanceCarePlanUpdate = z.output<typeof AdvanceCarePlanUpdateSchema>;

/** What is inconsistent in a plan (a decision without its date, a place "somewhere else" without saying where). */
export const advanceCarePlanProblems = (p: Pick<AdvanceCarePlanContent, 'cpr' | 'preferredPlaceOfCare' | 'preferredPlaceOfDeath' | 'placeDetails' | 'ceilingOfCare' | 'ceilingDetails'>): { path: (string | number)[]; message: string }[] => {
  const out: { path: (string | number)[]; message: string }[] = [];
  if (p.cpr.decision !== 'not-recorded' && p.cpr.decidedOn === null) out.push({ path: ['cpr', 'decidedOn'], message: 'give the date the CPR decision was made' });
  if (p.cpr.decision !== 'not-recorded' && p.cpr.decidedBy === '') out.push({ path: ['cpr', 'decidedBy'], message: 'say who made the CPR decision' });
  if (p.cpr.decision === 'not-recorded' && p.cpr.decidedOn !== null) out.push({ path: ['cpr', 'decidedOn'], message: 'a date only goes with a CPR decision' });
  if ((p.preferredPlaceOfCare === 'other' || p.preferredPlaceOfDeath === 'other') && p.placeDetails === '') out.push({ path: ['placeDetails'], message: 'say where, when the place is somewhere else' });
  if (p.ceilingOfCare === 'selective-treatment' && p.ceilingDetails === '') out.push({ path: ['ceilingDetails'], message: 'say which treatments, when some are not wanted' });
  return out;
};

export interface AdvanceCarePlan extends AdvanceCarePlanContent {
  readonly id: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

// ---- alerts

export const ALERT_KINDS = [
  { id: 'safeguarding', label: 'Safeguarding' },
  { id: 'lone-worker', label: 'Lone-worker risk' },
  { id: 'communication', label: 'Communication needs' },
  { id: 'access', label: 'Access to the home' },
  { id: 'infection', label: 'Infection control' },
  { id: 'other', label: 'Other' },
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number]['id'];

export const AlertInputSchema = z
  .object({
    kind: z.enum(ids(ALERT_KINDS)),
    /** What a visitor or caller needs to know, briefly (no more than needed). */
    text: TEXT(500).min(1, 'say what the alert is'),
    startsOn: IsoDaySchema,
    /** When it should be looked at again (null: no date). */
    reviewOn: IsoDaySchema.nullable().default(null),
  })
  .strict()
  .refine((a) => a.reviewOn === null || a.reviewOn >= a.startsOn, { message: 'the review date cannot be before the alert starts', path: ['reviewOn'] });
export type AlertInput = z.output<typeof AlertInputSchema>;

/** Ending an alert (or moving its review date): the version edited. */
export const AlertUpdateSchema = z
  .object({ status: z.enum(['active', 'ended']).optional(), reviewOn: IsoDaySchema.nullable().optional(), version: z.number().int().min(1) })
  .strict();
export type AlertUpdate = z.output<typeof AlertUpdateSchema>;

export interface PersonAlert extends AlertInput {
  readonly id: number;
  readonly personId: string;
  readonly neighbourhoodId: string;
  readonly status: 'active' | 'ended';
  readonly createdBy: string;
  readonly createdAt: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** An alert in force on a day: active and started. */
export const isAlertInForce = (a: Pick<PersonAlert, 'status' | 'startsOn'>, today: string): boolean => a.status === 'active' && a.startsOn <= today;
/** An active alert whose review date has come. */
export const isAlertReviewDue = (a: Pick<PersonAlert, 'status' | 'reviewOn'>, today: string): boolean => a.status === 'active' && a.reviewOn !== null && a.reviewOn <= today;
/** The words for an alert kind, place of care, CPR decision or ceiling of care. */
export const labelOf = <T extends readonly { id: string; label: string }[]>(list: T, id: string): string => list.find((x) => x.id === id)?.label ?? id;
