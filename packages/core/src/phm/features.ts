/**
 * Person features for population health management: one row per person resident at a reference
 * date, computed by an engine (DuckDB SQL or the in-memory reference engine) from the person-level
 * record. Segments, risk scores and cohort rules are defined over these features, so every engine
 * that computes the same features assigns the same segments.
 */
import { CONDITION_KEYS, type ConditionKey } from '../codelists/conditions.js';
import { MEDICINES } from '../codelists/medicines.js';

/** Days in a "12 months" feature window: events dated in (D − 365 days, D]. */
export const WINDOW_DAYS = 365;
/** Latest BMI looks back this many calendar years before the reference date (exclusive). */
export const BMI_LOOKBACK_YEARS = 5;
/** Social care events that start a service (feature socialCareService12m). */
export const SOCIAL_CARE_SERVICE_STARTS = ['home-care-start', 'reablement-start', 'direct-payment-start'] as const;

/** Numeric features (counts over the 12 months before the reference date unless stated). */
export const NUMERIC_FEATURES = [
  'age',
  'imdDecile',
  'imdQuintile',
  /** Long-term condition registers the person is on (of the 15). */
  'conditionCount',
  /** Electronic Frailty Index: deficits present / 36. */
  'efi',
  'emergencyAdmissions12m',
  'emergencyBedDays12m',
  'electiveAdmissions12m',
  'aeAttendances12m',
  'gpAppointments12m',
  'outpatientAppointments12m',
  'communityContacts12m',
  'mentalHealthContacts12m',
  'socialCareEvents12m',
  /** Distinct BNF sections (first 4 characters) issued in 12 months. */
  'medicineSections12m',
  /** Latest BMI within 5 years (0 when none recorded). */
  'latestBmi',
  /** Inhaler issues (BNF 3.1 bronchodilators and 3.2 inhaled corticosteroids) in 12 months. */
  'inhalerIssues12m',
  /** Oral prednisolone courses (distinct issue dates of BNF 0603020T0) in the 24 months before the reference date. */
  'prednisoloneCourses24m',
  /** Antibiotic courses (distinct issue dates of BNF 5.1 antibacterial drugs) in the 24 months before the reference date. */
  'antibioticCourses24m',
  /** OpenPHM multimorbidity score (weighted count of the 25 long-term condition registers, MULTIMORBIDITY_WEIGHTS in risk.ts). */
  'multimorbidityScore',
] as const;
export type NumericFeature = (typeof NUMERIC_FEATURES)[number];

/** Boolean features: condition registers (`condition:<key>`) and states at the reference date. */
export const FLAG_FEATURES = [
  ...CONDITION_KEYS.map((k) => `condition:${k}` as const),
  'female',
  'careHomeResident',
  'carer',
  'currentSmoker',
  /** The latest smoking status on or before the reference date is ex-smoker (and not also smoker that day). */
  'exSmoker',
  /** Core20: living in an LSOA in England's most deprived 20% (IMD 2019 national quintile 1). */
  'core20',
  /** Broad ethnic group Mixed, Asian, Black or Other (a Core20PLUS5 PLUS group). */
  'ethnicMinority',
  /** Gave birth, or was born, in the 12 months before the reference date. */
  'birth12m',
  /** Cancer first diagnosed in the 12 months before the reference date. */
  'newCancer12m',
  /** Home care, reablement or direct payment started in the 12 months before. */
  'socialCareService12m',
] as const;
export type FlagFeature = (typeof FLAG_FEATURES)[number];
export type ConditionFlag = `condition:${ConditionKey}`;

export const conditionFlag = (key: ConditionKey): ConditionFlag => `condition:${key}`;

/** Dated events are kept for this many days before the reference date: dated in (D − 730 days, D]. */
export const EVENT_LOOKBACK_DAYS = 730;
/** Days in a "24 months" feature window: events dated in (D − 730 days, D]. */
export const WINDOW_24M_DAYS = 730;

/** BNF code prefixes of the medicine events (issues in `medication` whose bnf_code starts with one). */
export const INHALER_BNF_PREFIXES: readonly string[] = [MEDICINES.bronchodilator.code, MEDICINES.inhaledCorticosteroid.code];
export const PREDNISOLONE_BNF_PREFIXES: readonly string[] = [MEDICINES.oralPrednisolone.code];
export const ANTIBIOTIC_BNF_PREFIXES: readonly string[] = [MEDICINES.antibacterial.code];

/**
 * Kinds of dated events a rule can count in a window ("at least K in the last N days"):
 * admissions by admission date, A&E attendances by arrival date, GP appointments, inhaler issues
 * (every issue), and prednisolone and antibiotic courses (distinct issue dates).
 */
export const EVENT_KINDS = [
  'emergencyAdmission',
  'electiveAdmission',
  'aeAttendance',
  'gpAppointment',
  'inhalerIssue',
  'prednisoloneCourse',
  'antibioticCourse',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface PersonFeatures {
  readonly personId: number;
  readonly sex: 'F' | 'M';
  readonly ethnicGroup: string;
  readonly lsoaCode: string;
  readonly place: string;
  readonly neighbourhoodId: string;
  readonly numeric: Readonly<Record<NumericFeature, number>>;
  readonly flags: Readonly<Record<FlagFeature, boolean>>;
  /**
   * Days from the first code of each condition on the register to the reference date (0 = first
   * coded on D); conditions the person is not on the register for are absent. Read by `diagnosed`
   * rules. Optional for backwards compatibility: absent means "none" (both engines always fill it).
   */
  readonly diagnosedDaysAgo?: Readonly<Partial<Record<ConditionKey, number>>>;
  /**
   * For each event kind, how many days before the reference date each event happened (0 = on D),
   * ascending, for events dated in (D − EVENT_LOOKBACK_DAYS, D]. Read by `events` rules. Optional
   * for backwards compatibility: an absent kind means no events.
   */
  readonly eventDaysAgo?: Readonly<Partial<Record<EventKind, readonly number[]>>>;
}

/** eFI categories (Clegg et al. 2016): fit ≤ 0.12 < mild ≤ 0.24 < moderate ≤ 0.36 < severe. */
export const FRAILTY_CATEGORIES = ['fit', 'mild', 'moderate', 'severe'] as const;
export type FrailtyCategory = (typeof FRAILTY_CATEGORIES)[number];
export const frailtyCategory = (efi: number): FrailtyCategory => (efi <= 0.12 ? 'fit' : efi <= 0.24 ? 'mild' : efi <= 0.36 ? 'moderate' : 'severe');
