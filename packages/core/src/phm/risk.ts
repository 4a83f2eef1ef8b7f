/**
 * Risk-stratification definitions (pure data with their in-memory meaning): the multimorbidity
 * score's condition weights and bands, Core20PLUS5 groups and admission-risk bands. Documented in
 * docs/segmentation.md; the DuckDB engine compiles them to SQL (store-duckdb phm/risk.ts).
 */
import { CONDITION_KEYS, type ConditionKey } from '../codelists/conditions.js';
import { ETHNIC_GROUPS, type EthnicGroup } from '../schema/tables.js';
import type { FlagFeature, PersonFeatures } from './features.js';
import { evaluateRule, type FeatureRule } from './segments.js';

/**
 * OpenPHM multimorbidity score, version 2: a weighted count of the 25 long-term conditions, in the
 * spirit of the Cambridge Multimorbidity Score (weights reflect each condition's association with
 * death and unplanned admission) but NOT its published weights, which need codelists OpenPHM does
 * not yet hold. Weights are on a 0.5 scale: 0.5 common conditions with modest excess risk, 1 the
 * main cardiometabolic conditions, 1.5 conditions with frequent exacerbations or a large mortality
 * gap, 2 organ failure and dementia.
 */
export const MULTIMORBIDITY_WEIGHTS: Readonly<Record<ConditionKey, number>> = {
  hypertension: 0.5,
  diabetes: 1,
  asthma: 0.5,
  copd: 1.5,
  chd: 1,
  atrial_fibrillation: 1,
  stroke: 1,
  heart_failure: 2,
  ckd: 1,
  cancer: 1.5,
  dementia: 2,
  depression: 0.5,
  smi: 1.5,
  learning_disability: 1.5,
  autism: 0.5,
  epilepsy: 1,
  osteoporosis: 0.5,
  rheumatoid_arthritis: 1,
  peripheral_arterial_disease: 1,
  // Registers of a state, not a long-term condition (CONDITIONS[k].longTerm false): not counted.
  non_diabetic_hyperglycaemia: 0,
  palliative_care: 0,
  anxiety: 0.5,
  osteoarthritis: 0.5,
  alcohol_dependence: 1.5,
  chronic_liver_disease: 1.5,
  parkinsons: 1.5,
  multiple_sclerosis: 1,
};
/** 2: the 25 long-term condition registers (version 1 weighted the first 15). */
export const MULTIMORBIDITY_SCORE_VERSION = 2;

/** Bands of the score: none 0, low (0, 2), moderate [2, 4), high 4+. */
export const MULTIMORBIDITY_BANDS = [
  { id: 'none', label: 'None (0)', min: 0 },
  { id: 'low', label: 'Low (0.5-1.5)', min: 0.5 },
  { id: 'moderate', label: 'Moderate (2-3.5)', min: 2 },
  { id: 'high', label: 'High (4+)', min: 4 },
] as const;
export type MultimorbidityBand = (typeof MULTIMORBIDITY_BANDS)[number]['id'];

/** The score from condition-register flags (the meaning of the `multimorbidityScore` feature). */
export const multimorbidityScoreOfFlags = (flags: Readonly<Partial<Record<FlagFeature, boolean>>>): number =>
  CONDITION_KEYS.reduce((a, k) => a + (flags[`condition:${k}`] ? MULTIMORBIDITY_WEIGHTS[k] : 0), 0);

export const multimorbidityScore = (features: PersonFeatures): number => multimorbidityScoreOfFlags(features.flags);

export const multimorbidityBand = (score: number): MultimorbidityBand => {
  let band: MultimorbidityBand = 'none';
  for (const b of MULTIMORBIDITY_BANDS) if (score >= b.min) band = b.id;
  return band;
};

/** Core20: living in England's most deprived 20% of LSOAs (IMD 2019 national quintile 1). */
export const CORE20_QUINTILE = 1;

/** A PLUS group: people meeting the rule, or of one of the ethnic groups (either may be given). */
export interface PlusGroup {
  readonly id: string;
  readonly label: string;
  readonly rule?: FeatureRule;
  readonly ethnicGroups?: readonly EthnicGroup[];
}

/** Broad groups counted as ethnic minority groups (the `ethnicMinority` feature): Mixed, Asian, Black, Other. */
export const ETHNIC_MINORITY_GROUPS: readonly EthnicGroup[] = ETHNIC_GROUPS.filter((g) => g !== 'White' && g !== 'Not stated');

/** PLUS groups a partnership can choose from (`phm risk --plus`). */
export const PLUS_GROUPS: readonly PlusGroup[] = [
  { id: 'learning-disability', label: 'Learning disability', rule: { kind: 'flag', feature: 'condition:learning_disability' } },
  { id: 'smi', label: 'Serious mental illness', rule: { kind: 'flag', feature: 'condition:smi' } },
  { id: 'carers', label: 'Unpaid carers', rule: { kind: 'flag', feature: 'carer' } },
  { id: 'ethnic-minority', label: 'Ethnic minority groups (Mixed, Asian, Black, Other)', ethnicGroups: ETHNIC_MINORITY_GROUPS },
  { id: 'autism', label: 'Autism', rule: { kind: 'flag', feature: 'condition:autism' } },
  { id: 'care-home', label: 'Care home residents', rule: { kind: 'flag', feature: 'careHomeResident' } },
];
/** The default PLUS groups (WY&H's inclusion-health focus in the plans: learning disability, SMI, carers, ethnic minorities). */
export const DEFAULT_PLUS_GROUP_IDS = ['learning-disability', 'smi', 'carers', 'ethnic-minority'] as const;

export const inPlusGroup = (group: PlusGroup, features: PersonFeatures): boolean =>
  (group.rule !== undefined && evaluateRule(group.rule, features)) || (group.ethnicGroups?.includes(features.ethnicGroup as EthnicGroup) ?? false);

export const isCore20 = (features: PersonFeatures): boolean => features.numeric.imdQuintile === CORE20_QUINTILE;

/** Admission-risk bands of a predicted 12-month probability: [min, next min). */
export const ADMISSION_RISK_BANDS = [
  { id: '<5%', min: 0 },
  { id: '5-10%', min: 0.05 },
  { id: '10-20%', min: 0.1 },
  { id: '20%+', min: 0.2 },
] as const;
