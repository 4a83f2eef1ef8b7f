/**
 * Person features for population health management: one row per person resident at a reference
 * date, computed by an engine (DuckDB SQL or the in-memory reference engine) from the person-level
 * record. Segments, risk scores and cohort rules are defined over these features, so every engine
 * that computes the same features assigns the same segments.
 */
import { CONDITION_KEYS, type ConditionKey } from '../codelists/conditions.js';

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
] as const;
export type NumericFeature = (typeof NUMERIC_FEATURES)[number];

/** Boolean features: condition registers (`condition:<key>`) and states at the reference date. */
export const FLAG_FEATURES = [
  ...CONDITION_KEYS.map((k) => `condition:${k}` as const),
  'female',
  'careHomeResident',
  'carer',
  'currentSmoker',
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

export interface PersonFeatures {
  readonly personId: number;
  readonly sex: 'F' | 'M';
  readonly ethnicGroup: string;
  readonly lsoaCode: string;
  readonly place: string;
  readonly neighbourhoodId: string;
  readonly numeric: Readonly<Record<NumericFeature, number>>;
  readonly flags: Readonly<Record<FlagFeature, boolean>>;
}

/** eFI categories (Clegg et al. 2016): fit ≤ 0.12 < mild ≤ 0.24 < moderate ≤ 0.36 < severe. */
export const FRAILTY_CATEGORIES = ['fit', 'mild', 'moderate', 'severe'] as const;
export type FrailtyCategory = (typeof FRAILTY_CATEGORIES)[number];
export const frailtyCategory = (efi: number): FrailtyCategory => (efi <= 0.12 ? 'fit' : efi <= 0.24 ? 'mild' : efi <= 0.36 ? 'moderate' : 'severe');
