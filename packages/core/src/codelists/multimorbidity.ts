import type { SnomedCode } from '../codes/codes.js';
import { LONG_TERM_CONDITION_KEYS, type ConditionKey } from './conditions.js';

/**
 * Further long-term conditions a multimorbidity count uses beyond the condition registers: those of
 * the Cambridge Multimorbidity Score (Payne et al., CMAJ 2020; Cassell et al., BJGP 2018) and of
 * Barnett et al. (Lancet 2012) that none of the 25 long-term condition registers covers, and that the
 * GP record holds as diagnosis codes. They are not registers: condition_count, the multimorbidity
 * score and the segmentations count the registers only (LONG_TERM_CONDITION_KEYS); the count of
 * conditions a plan quotes ("3 or more long-term conditions") is MULTIMORBIDITY_COUNT below.
 *
 * Hearing loss and thyroid disorders share their codes with the electronic Frailty Index's coded
 * deficits (codelists/frailty.ts). Codes: a small illustrative subset, as for the registers.
 */
export const FURTHER_CONDITION_KEYS = [
  'hearing_loss',
  'thyroid_disorder',
  'glaucoma',
  'prostate_disorder',
  'diverticular_disease',
  'irritable_bowel_syndrome',
  'psoriasis_or_eczema',
  'chronic_constipation',
] as const;
export type FurtherConditionKey = (typeof FURTHER_CONDITION_KEYS)[number];

export interface FurtherConditionDefinition {
  readonly key: FurtherConditionKey;
  readonly label: string;
  /** The condition as the Cambridge Multimorbidity Score or Barnett et al. name it. */
  readonly listedAs: string;
  readonly codes: readonly { readonly code: SnomedCode; readonly term: string }[];
}

const c = (code: string, term: string) => ({ code: code as SnomedCode, term });

export const FURTHER_CONDITIONS: Record<FurtherConditionKey, FurtherConditionDefinition> = {
  hearing_loss: { key: 'hearing_loss', label: 'Hearing loss', listedAs: 'Hearing loss', codes: [c('15188001', 'Hearing loss')] },
  thyroid_disorder: { key: 'thyroid_disorder', label: 'Thyroid disorder', listedAs: 'Thyroid disorders', codes: [c('40930008', 'Hypothyroidism'), c('14304000', 'Disorder of thyroid gland')] },
  glaucoma: { key: 'glaucoma', label: 'Glaucoma', listedAs: 'Glaucoma', codes: [c('23986001', 'Glaucoma')] },
  prostate_disorder: { key: 'prostate_disorder', label: 'Prostate disorder', listedAs: 'Prostate disorders', codes: [c('266569009', 'Benign prostatic hyperplasia')] },
  diverticular_disease: { key: 'diverticular_disease', label: 'Diverticular disease', listedAs: 'Diverticular disease of intestine', codes: [c('397881000', 'Diverticular disease')] },
  irritable_bowel_syndrome: { key: 'irritable_bowel_syndrome', label: 'Irritable bowel syndrome', listedAs: 'Irritable bowel syndrome', codes: [c('10743008', 'Irritable bowel syndrome')] },
  psoriasis_or_eczema: { key: 'psoriasis_or_eczema', label: 'Psoriasis or eczema', listedAs: 'Psoriasis or eczema', codes: [c('9014002', 'Psoriasis'), c('43116000', 'Eczema')] },
  chronic_constipation: { key: 'chronic_constipation', label: 'Chronic constipation', listedAs: 'Constipation (treated)', codes: [c('236069009', 'Chronic constipation')] },
};

/**
 * What "N or more long-term conditions" counts (the Kirklees plan's "over-65s with 3+ conditions"), after
 * the Cambridge Multimorbidity Score's and Barnett et al.'s lists as far as the record allows: the long-term
 * condition registers but osteoporosis and autism (on neither list), cancer only within five years of its
 * diagnosis (Barnett: "new diagnosis in the last five years"), and the further conditions, each counted
 * once. Osteoarthritis stands for their "painful condition" (which they find from analgesic prescribing).
 */
export const MULTIMORBIDITY_COUNT: {
  readonly registers: readonly ConditionKey[];
  readonly further: readonly FurtherConditionKey[];
  /** Registers counted only within this many years of the diagnosis. */
  readonly withinYears: Partial<Record<ConditionKey, number>>;
} = {
  registers: LONG_TERM_CONDITION_KEYS.filter((k) => k !== 'osteoporosis' && k !== 'autism'),
  further: FURTHER_CONDITION_KEYS,
  withinYears: { cancer: 5 },
};
