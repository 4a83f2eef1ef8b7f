/**
 * Every number the synthetic population is built from, in one place, with its source or rationale.
 * docs/synthetic-data.md explains them; change a number here and the documentation there.
 *
 * Conventions:
 * - Age bands for prevalence tables: 0-15, 16-34, 35-44, 45-54, 55-64, 65-74, 75-84, 85+ (AGE_BANDS).
 * - Deprivation enters through d in [0, 1]: 1 - (national IMD 2019 rank - 1) / 32,843, so d = 1 is the
 *   most deprived LSOA in England. A ratio `depRatio` is the relative risk between d = 1 and d = 0;
 *   applied as depRatio^(d - 0.5) so the national middle is unchanged.
 */
import type { ConditionKey } from '@openphm/core';

/** Lower bounds of the prevalence age bands. */
export const AGE_BAND_LOWER = [0, 16, 35, 45, 55, 65, 75, 85] as const;
/** The index of the band an age falls in, given the bands' lower bounds in order (0 below the second bound). */
export const bandIndexOf = (lower: readonly number[], age: number): number => {
  let i = 0;
  while (i + 1 < lower.length && age >= lower[i + 1]!) i++;
  return i;
};
export const ageBandIndex = (age: number): number => bandIndexOf(AGE_BAND_LOWER, age);

export interface ConditionParameters {
  /**
   * Prevalence by AGE_BAND_LOWER band for a person at the national middle of deprivation, placed at
   * each band's middle age and joined by straight lines. Its running maximum over age is the chance
   * of having been diagnosed by an age, from which diagnosis dates are drawn (person-model/conditions.ts).
   */
  readonly prevalence: readonly number[];
  readonly depRatio: number;
  /** Relative risk for men versus women. */
  readonly maleRatio: number;
  /** Relative risk by broad ethnic group (default 1). */
  readonly ethnicRatio?: Partial<Record<'Asian' | 'Black' | 'Mixed' | 'Other', number>>;
  /** Relative risk for current and ex smokers (normalised so the population mean is unchanged). */
  readonly smokingRatio?: { readonly current: number; readonly ex: number };
  /** Relative risk for obesity (BMI 30+), normalised likewise. */
  readonly obesityRatio?: number;
  /** Loading on the person's latent health propensity (multimorbidity clustering). */
  readonly latentLoading: number;
  /**
   * Relative risk when the person has another condition drawn before this one (earlier in
   * CONDITION_KEYS) by the end of the window: conditions that raise each other's risk beyond what age,
   * deprivation and the latent factor give (COMORBIDITY_RISK). Mean-preserving: see person-model/conditions.ts.
   */
  readonly riskWith?: Partial<Record<ConditionKey, number>>;
  /** Youngest age at diagnosis. */
  readonly minAge: number;
  /** Hazard ratio on mortality. */
  readonly mortalityRatio: number;
  /**
   * How much the condition adds to a person's healthcare use, as a share of one of the first 15
   * registers' (default 1): activity rates rise by perCondition for each unit (person-model/activity.ts).
   * The rates were calibrated with those 15, so the registers added later weigh less.
   */
  readonly activityWeight?: number;
  /** Drawn elsewhere, not from the prevalence curve (palliative care: from the day of death, deaths.ts). */
  readonly drawnAtDeath?: true;
  /**
   * New diagnoses a person-year by AGE_BAND_LOWER band and sex (cancer: CANCER_INCIDENCE): diagnoses in
   * the window come from these instead of from the prevalence curve's rise and the replacement of those
   * who die; the curve still gives the register at the start of the window (person-model/conditions.ts).
   */
  readonly incidence?: { readonly F: readonly number[]; readonly M: readonly number[] };
}

/**
 * New cancer diagnoses (malignant, C00-C97 but non-melanoma skin cancer C44) a person-year, by
 * AGE_BAND_LOWER band, women and men: England's age-specific registration rates (NHS Digital / NDRS,
 * Cancer Registration Statistics, England 2019, and Cancer Research UK's age-specific incidence
 * 2017-2019; read from memory of the publications, checked only against what they state in words
 * (docs/synthetic-data.md, "Cancer incidence"): all ages about 5.8 per 1,000 a
 * year, 0.5 in young adults, 8.5 at 55-64, 13 (women) and 18 (men) at 65-74, 17 and 26 at 75-84, 19 and
 * 30 at 85+). `firstShare`: the GP register holds a person's first cancer, and about one registration in
 * seven is a further primary cancer in someone diagnosed before (an assumption from the publications'
 * statements, not checked here). `foundLateShare`: the share of first diagnoses drawn with the death
 * instead (deaths.ts, MORTALITY.diagnosedBeforeDeath: a cancer death of someone not on the register,
 * diagnosed on average 1.2 years before it), so the register's own diagnoses in the window are the rest:
 * about a fifth of cancers in England are diagnosed after an emergency presentation (NCRAS, Routes to
 * Diagnosis), and on seed `calibration` the deaths add 1.05 diagnoses a year per 1,000 to 4.53 (19%).
 */
export const CANCER_INCIDENCE = {
  byBand: {
    F: [0.00015, 0.0005, 0.0019, 0.0045, 0.0085, 0.0125, 0.017, 0.019],
    M: [0.00017, 0.00035, 0.0009, 0.003, 0.0085, 0.018, 0.0265, 0.03],
  },
  firstShare: 0.86,
  foundLateShare: 0.19,
} as const;
/** The register's own new cancer diagnoses a person-year (ConditionParameters.incidence). */
const cancerRegisterIncidence = (rates: readonly number[]): number[] =>
  rates.map((r) => r * CANCER_INCIDENCE.firstShare * (1 - CANCER_INCIDENCE.foundLateShare));

/**
 * Prevalence: QOF 2022/23 England register prevalence (NHS Digital) by condition, spread across
 * age bands following published age-specific prevalence (HSE 2019, QOF age breakdowns, CPRD studies).
 * Deprivation ratios: QOF prevalence by practice IMD quintile (most/least deprived), extended to
 * the decile extremes. Mortality ratios: typical adjusted hazard ratios from UK cohort studies.
 */
export const CONDITION_PARAMETERS: Record<ConditionKey, ConditionParameters> = {
  hypertension: {
    prevalence: [0, 0.0125, 0.047, 0.115, 0.24, 0.395, 0.52, 0.58],
    depRatio: 1.35, maleRatio: 1.08, ethnicRatio: { Black: 1.4, Asian: 1.1 }, obesityRatio: 1.7,
    latentLoading: 0.35, minAge: 18, mortalityRatio: 1.05,
  },
  diabetes: {
    prevalence: [0.0016, 0.0098, 0.033, 0.062, 0.098, 0.14, 0.164, 0.14],
    depRatio: 2.0, maleRatio: 1.3, ethnicRatio: { Asian: 2.4, Black: 1.8, Mixed: 1.3 }, obesityRatio: 3.0,
    latentLoading: 0.45, minAge: 5, mortalityRatio: 1.4,
  },
  asthma: {
    prevalence: [0.045, 0.07, 0.065, 0.065, 0.07, 0.075, 0.075, 0.065],
    depRatio: 1.35, maleRatio: 0.85, smokingRatio: { current: 1.3, ex: 1.2 }, obesityRatio: 1.4,
    latentLoading: 0.3, minAge: 2, mortalityRatio: 1.1,
  },
  copd: {
    prevalence: [0, 0.001, 0.005, 0.012, 0.035, 0.065, 0.085, 0.085],
    depRatio: 3.2, maleRatio: 1.1, smokingRatio: { current: 5, ex: 3 }, ethnicRatio: { Asian: 0.6, Black: 0.5 },
    latentLoading: 0.4, minAge: 35, mortalityRatio: 1.9,
  },
  chd: {
    prevalence: [0, 0.00055, 0.0044, 0.0176, 0.0462, 0.0935, 0.143, 0.187],
    depRatio: 1.9, maleRatio: 1.9, ethnicRatio: { Asian: 1.5, Black: 0.7 }, smokingRatio: { current: 1.8, ex: 1.3 },
    latentLoading: 0.45, minAge: 30, mortalityRatio: 1.35,
    riskWith: { hypertension: 1.8, diabetes: 1.8 },
  },
  atrial_fibrillation: {
    prevalence: [0, 0.0005, 0.002, 0.005, 0.016, 0.046, 0.1, 0.16],
    depRatio: 0.95, maleRatio: 1.35, ethnicRatio: { Asian: 0.5, Black: 0.5 }, obesityRatio: 1.3,
    latentLoading: 0.35, minAge: 30, mortalityRatio: 1.35,
    riskWith: { hypertension: 1.5, chd: 1.6 },
  },
  stroke: {
    prevalence: [0.0002, 0.001, 0.004, 0.01, 0.025, 0.05, 0.08, 0.11],
    depRatio: 1.7, maleRatio: 1.15, ethnicRatio: { Black: 1.4 }, smokingRatio: { current: 1.6, ex: 1.2 },
    latentLoading: 0.45, minAge: 18, mortalityRatio: 1.6,
    riskWith: { hypertension: 1.8, diabetes: 1.6, atrial_fibrillation: 2.0 },
  },
  heart_failure: {
    prevalence: [0, 0.0002, 0.001, 0.003, 0.009, 0.021, 0.045, 0.085],
    depRatio: 1.9, maleRatio: 1.4, obesityRatio: 1.5,
    latentLoading: 0.55, minAge: 30, mortalityRatio: 2.4,
    riskWith: { hypertension: 1.8, diabetes: 1.8, copd: 1.8, chd: 3.0, atrial_fibrillation: 2.5 },
  },
  ckd: {
    prevalence: [0, 0.001, 0.003, 0.01, 0.03, 0.08, 0.17, 0.28],
    depRatio: 1.4, maleRatio: 0.8, ethnicRatio: { Asian: 1.3, Black: 1.3 },
    latentLoading: 0.45, minAge: 18, mortalityRatio: 1.35,
    riskWith: { hypertension: 2.0, diabetes: 2.5 },
  },
  cancer: {
    prevalence: [0.0011, 0.0033, 0.011, 0.0242, 0.0495, 0.088, 0.121, 0.132],
    depRatio: 1.1, maleRatio: 1.0, ethnicRatio: { Asian: 0.6, Black: 0.8 }, smokingRatio: { current: 1.5, ex: 1.2 },
    latentLoading: 0.2, minAge: 1, mortalityRatio: 2.9,
    incidence: { F: cancerRegisterIncidence(CANCER_INCIDENCE.byBand.F), M: cancerRegisterIncidence(CANCER_INCIDENCE.byBand.M) },
  },
  dementia: {
    prevalence: [0, 0, 0.0001, 0.0005, 0.0024, 0.011, 0.044, 0.136],
    depRatio: 1.4, maleRatio: 0.85,
    latentLoading: 0.45, minAge: 40, mortalityRatio: 2.6,
    riskWith: { stroke: 2.0, diabetes: 1.4 },
  },
  depression: {
    prevalence: [0.004, 0.14, 0.165, 0.165, 0.15, 0.12, 0.11, 0.1],
    depRatio: 1.7, maleRatio: 0.6, ethnicRatio: { Asian: 0.65, Black: 0.6, Other: 0.7 }, smokingRatio: { current: 1.6, ex: 1.1 },
    latentLoading: 0.3, minAge: 12, mortalityRatio: 1.15,
    riskWith: { asthma: 1.2, copd: 1.6, chd: 1.5, stroke: 1.6, heart_failure: 1.6, diabetes: 1.4, cancer: 1.4 },
  },
  smi: {
    prevalence: [0.0002, 0.009, 0.013, 0.014, 0.012, 0.01, 0.008, 0.007],
    depRatio: 2.7, maleRatio: 1.1, ethnicRatio: { Black: 2.5, Mixed: 1.5 }, smokingRatio: { current: 2.2, ex: 1.2 },
    latentLoading: 0.3, minAge: 14, mortalityRatio: 2.2,
  },
  learning_disability: {
    prevalence: [0.007, 0.007, 0.0055, 0.005, 0.004, 0.003, 0.0018, 0.001],
    depRatio: 1.8, maleRatio: 1.35, ethnicRatio: { Asian: 1.3 },
    latentLoading: 0.2, minAge: 0, mortalityRatio: 2.8,
  },
  autism: {
    prevalence: [0.022, 0.013, 0.004, 0.0022, 0.0012, 0.0006, 0.0003, 0.0002],
    depRatio: 1.15, maleRatio: 3.0,
    latentLoading: 0.05, minAge: 2, mortalityRatio: 1.3,
  },
  // Added registers (issue 15): QOF 2022/23 England prevalence where QOF has a register (EP 0.8% of 18+,
  // OST 0.9% of 50+ with a fragility fracture, here any recorded osteoporosis, RA 0.8% of 16+, PAD 0.6%,
  // NDH about 6% of 18+, PC about 0.5%); recorded prevalence in CPRD studies for the others
  // (anxiety about 6%, osteoarthritis about 10% of 45+, alcohol dependence about 1.5% of adults,
  // chronic liver disease about 0.8%, Parkinson's 0.2%, MS 0.2%).
  epilepsy: {
    prevalence: [0.004, 0.007, 0.008, 0.009, 0.009, 0.009, 0.009, 0.008],
    depRatio: 1.7, maleRatio: 1.1,
    latentLoading: 0.25, minAge: 0, mortalityRatio: 1.6, activityWeight: 0.7,
  },
  osteoporosis: {
    prevalence: [0, 0, 0.001, 0.005, 0.018, 0.045, 0.09, 0.14],
    depRatio: 1.1, maleRatio: 0.25, smokingRatio: { current: 1.5, ex: 1.2 },
    latentLoading: 0.25, minAge: 40, mortalityRatio: 1.1, activityWeight: 0.3,
    riskWith: { copd: 1.5 },
  },
  rheumatoid_arthritis: {
    prevalence: [0, 0.002, 0.005, 0.008, 0.013, 0.017, 0.019, 0.017],
    depRatio: 1.2, maleRatio: 0.45, smokingRatio: { current: 1.6, ex: 1.3 },
    latentLoading: 0.25, minAge: 16, mortalityRatio: 1.4, activityWeight: 0.6,
  },
  peripheral_arterial_disease: {
    prevalence: [0, 0, 0.0005, 0.002, 0.007, 0.016, 0.028, 0.036],
    depRatio: 2.0, maleRatio: 1.6, smokingRatio: { current: 3, ex: 2 }, ethnicRatio: { Asian: 0.7, Black: 1.2 },
    latentLoading: 0.4, minAge: 35, mortalityRatio: 1.7, activityWeight: 0.6,
    riskWith: { diabetes: 2.5, chd: 2.0, stroke: 1.5 },
  },
  non_diabetic_hyperglycaemia: {
    prevalence: [0, 0.008, 0.025, 0.05, 0.085, 0.12, 0.14, 0.11],
    depRatio: 1.4, maleRatio: 1.1, ethnicRatio: { Asian: 2.0, Black: 1.6 }, obesityRatio: 2.2,
    latentLoading: 0.3, minAge: 18, mortalityRatio: 1.05, activityWeight: 0.1,
  },
  palliative_care: {
    prevalence: [0, 0, 0, 0, 0, 0, 0, 0],
    depRatio: 1, maleRatio: 1,
    latentLoading: 0, minAge: 0, mortalityRatio: 1, activityWeight: 1, drawnAtDeath: true,
  },
  anxiety: {
    prevalence: [0.005, 0.08, 0.09, 0.085, 0.075, 0.065, 0.06, 0.055],
    depRatio: 1.5, maleRatio: 0.55, ethnicRatio: { Asian: 0.7, Black: 0.6 }, smokingRatio: { current: 1.4, ex: 1.1 },
    latentLoading: 0.3, minAge: 8, mortalityRatio: 1.05, activityWeight: 0.3,
    riskWith: { depression: 3.0, copd: 1.5 },
  },
  osteoarthritis: {
    prevalence: [0, 0.002, 0.01, 0.04, 0.1, 0.18, 0.25, 0.3],
    depRatio: 1.3, maleRatio: 0.7, obesityRatio: 1.8,
    latentLoading: 0.3, minAge: 30, mortalityRatio: 1.05, activityWeight: 0.3,
  },
  alcohol_dependence: {
    prevalence: [0, 0.012, 0.02, 0.022, 0.018, 0.012, 0.007, 0.004],
    depRatio: 2.5, maleRatio: 2.2, ethnicRatio: { Asian: 0.4, Black: 0.6 }, smokingRatio: { current: 2.5, ex: 1.5 },
    latentLoading: 0.3, minAge: 16, mortalityRatio: 2.5, activityWeight: 0.8,
    riskWith: { depression: 1.8, smi: 2.0 },
  },
  chronic_liver_disease: {
    prevalence: [0.0003, 0.002, 0.005, 0.009, 0.013, 0.015, 0.013, 0.01],
    depRatio: 1.9, maleRatio: 1.3, obesityRatio: 2.0,
    latentLoading: 0.35, minAge: 10, mortalityRatio: 2.2, activityWeight: 0.8,
    riskWith: { alcohol_dependence: 5.0, diabetes: 1.8 },
  },
  parkinsons: {
    prevalence: [0, 0, 0.0002, 0.0006, 0.002, 0.006, 0.015, 0.022],
    depRatio: 1.0, maleRatio: 1.5,
    latentLoading: 0.15, minAge: 30, mortalityRatio: 1.8, activityWeight: 0.8,
  },
  multiple_sclerosis: {
    prevalence: [0.0001, 0.001, 0.003, 0.004, 0.0045, 0.004, 0.003, 0.002],
    depRatio: 1.0, maleRatio: 0.4, ethnicRatio: { Asian: 0.4, Black: 0.6 },
    latentLoading: 0.1, minAge: 15, mortalityRatio: 1.8, activityWeight: 0.8,
  },
};

/** A further condition a multimorbidity count uses (core's FURTHER_CONDITIONS), drawn in person-model/further-conditions.ts. */
export interface FurtherConditionParameters {
  /**
   * Recorded prevalence by AGE_BAND_LOWER band (women and men together, or men only where `sex` is
   * 'M'), read as for the registers: its running maximum is the chance of diagnosis by an age.
   */
  readonly prevalence: readonly number[];
  /** Only one sex has it (prostate disorders: men). */
  readonly sex?: 'M';
  readonly maleRatio: number;
  readonly depRatio: number;
  readonly ethnicRatio?: Partial<Record<'Asian' | 'Black' | 'Mixed' | 'Other', number>>;
  readonly obesityRatio?: number;
  readonly latentLoading: number;
  readonly minAge: number;
  /** Where the prevalence comes from. */
  readonly source: string;
}

/**
 * The further conditions of a multimorbidity count (issue 15: the Kirklees plan's "over-65s with 3+
 * conditions" counts more than the registers) that the generator draws; hearing loss and thyroid
 * disorders are not drawn here: the electronic Frailty Index's coded deficits already write them
 * (clinical-records.ts). No hazard on mortality and no weight in activity: the rates were calibrated
 * without them. Drawn from a stream of their own, so no other row changes.
 */
export const FURTHER_CONDITION_PARAMETERS: Record<'glaucoma' | 'prostate_disorder' | 'diverticular_disease' | 'irritable_bowel_syndrome' | 'psoriasis_or_eczema' | 'chronic_constipation', FurtherConditionParameters> = {
  glaucoma: {
    prevalence: [0, 0, 0.002, 0.005, 0.012, 0.025, 0.045, 0.06],
    maleRatio: 1.1, depRatio: 1.0, ethnicRatio: { Black: 3.0 },
    latentLoading: 0.15, minAge: 35,
    source: 'EPIC-Norfolk (Chan et al., BMJ 2017;358:j3889): glaucoma in 4% of people 48-92, two thirds of them already diagnosed; NICE (MIB57, NG81): chronic open-angle glaucoma in about 2% of people over 40 and up to 10% over 75, about half undiagnosed; 3 times as common in people of Black African or Caribbean family origin',
  },
  prostate_disorder: {
    prevalence: [0, 0, 0.005, 0.05, 0.11, 0.19, 0.27, 0.31],
    sex: 'M', maleRatio: 1, depRatio: 1.0,
    latentLoading: 0.15, minAge: 40,
    source: 'Logie, Clifford and Farmer, BJU International 2005;95:557-562 (GPRD, UK general practice): recorded lower urinary tract symptoms suggestive of benign prostatic hyperplasia in 3.5% of men 45-49, rising with age to over 30% of men over 85',
  },
  diverticular_disease: {
    prevalence: [0, 0.001, 0.005, 0.015, 0.04, 0.07, 0.1, 0.12],
    maleRatio: 0.9, depRatio: 1.1, obesityRatio: 1.3,
    latentLoading: 0.2, minAge: 25,
    source: 'BMJ Best Practice, Diverticular disease (epidemiology): diverticula in under 10% of people under 40, about half at 50-70 and 50-66% over 80, more women than men among older adults; about 1 in 5 with diverticula has symptoms (taken here as the share recorded: an assumption)',
  },
  irritable_bowel_syndrome: {
    prevalence: [0.001, 0.05, 0.06, 0.06, 0.055, 0.045, 0.04, 0.03],
    maleRatio: 0.5, depRatio: 1.2,
    latentLoading: 0.25, minAge: 12,
    source: 'NICE CG61, Irritable bowel syndrome in adults: 10-20% of people, women about twice as often as men, most often at 20-30 and less in older age; about a third of them diagnosed and recorded (an assumption)',
  },
  psoriasis_or_eczema: {
    prevalence: [0.01, 0.025, 0.03, 0.035, 0.04, 0.04, 0.04, 0.04],
    maleRatio: 1.0, depRatio: 1.1, obesityRatio: 1.3,
    latentLoading: 0.15, minAge: 0,
    source: 'Springate et al., British Journal of Dermatology 2017;176:650-658 (CPRD): recorded psoriasis in 2.8% of people in the UK, about 3-4% from middle age; the Cambridge Multimorbidity Score counts psoriasis or eczema when treated (4 or more prescriptions in a year): together about 4% of adults here (an assumption)',
  },
  chronic_constipation: {
    prevalence: [0.002, 0.005, 0.008, 0.012, 0.02, 0.04, 0.08, 0.15],
    maleRatio: 0.6, depRatio: 1.2,
    latentLoading: 0.35, minAge: 0,
    source: 'The Cambridge Multimorbidity Score and Barnett et al. (Lancet 2012) count constipation when treated (4 or more laxative prescriptions in a year), common in old age and frailty; the figures by age are an assumption (no published recorded prevalence by age was found for this work), women about 1.7 times men',
  },
};

/**
 * Smoking (adults 16+). Current smoking by age band for the national middle, deprivation ratio,
 * sex ratio: ONS Annual Population Survey 2019 (England 13.9%; WY&H 16-18%; routine and manual
 * 23%, most deprived decile about 3x the least deprived).
 */
export const SMOKING = {
  currentByBand: [0, 0.16, 0.18, 0.16, 0.14, 0.1, 0.06, 0.036],
  exGivenNotCurrentByBand: [0, 0.1, 0.2, 0.27, 0.34, 0.4, 0.44, 0.44],
  depRatio: 3.2,
  maleRatio: 1.25,
  ethnicRatio: { Asian: 0.75, Black: 0.7, Mixed: 1.2, Other: 0.9 } as Partial<Record<string, number>>,
  /** Mean smoking-status records per adult over the window (QOF smoking indicator: recorded every 1-2 years for most). */
  recordsPerAdult: 1.6,
  /**
   * Quitting in the window (person-model/clinical-records.ts, a stream of its own): a current smoker's
   * yearly chance of quitting, and the share of quits recorded as ex-smoker on the day (stop-smoking
   * support, a review); the others show at the next status record. Calibrated so recorded current
   * smoking falls about 4-5% a year, as England's does (calibration figure `smoking-fall`: QOF,
   * Fingertips 91547, 16.5% in 2019/20 to 14.7% in 2022/23, 3.7% a year; APS, Fingertips 92443,
   * 12.1% in 2021 to 10.4% in 2024, 4.9% a year). Was 18% over the window, none recorded on the day:
   * a fall of about 3% a year.
   */
  quitPerYear: 0.05,
  quitRecordedShare: 0.5,
} as const;

/**
 * BMI (adults 18+), log-normal. Medians by age band, spread and deprivation shift tuned to HSE 2019
 * (England adult obesity 28%; Kirklees plan "1 in 5 obese" among recorded; over half overweight).
 */
export const BMI = {
  medianByBand: [0, 24.6, 26.6, 27.3, 27.7, 27.5, 26.6, 25.2],
  logSd: 0.155,
  /** Added to the median at d = 1 (most deprived) and subtracted at d = 0. */
  depShift: 1.3,
  ethnicShift: { Asian: -0.6, Black: 1.0 } as Partial<Record<string, number>>,
  /** Probability an adult has at least one BMI recorded in the window, rising with recorded conditions. */
  recordedBase: 0.55,
} as const;

/**
 * Mortality: Gompertz-Makeham hazard per year, h = makeham + exp(alpha_sex + beta * age),
 * multiplied by the deprivation ratio, condition hazard ratios and smoking; infant mortality
 * separately. Calibrated so that life expectancy at birth is about 78.5 (men) and 82.3 (women),
 * close to West Yorkshire's 2017-19 figures, with a gap of about 9-10 years (men) and 7-8 (women)
 * between the most and least deprived deciles (ONS "Health state life expectancies by IMD").
 * The condition ratios are divided by their expected product at each age (see `CONDITION_MORTALITY_NORM`
 * in person-model/deaths.ts) so calibration holds as prevalence changes.
 */
export const MORTALITY = {
  alpha: { F: -11.63, M: -11.25 },
  beta: 0.104,
  makeham: 0.00016,
  infant: 0.0036,
  depRatio: { F: 1.75, M: 1.95 },
  /** Extra steepening of the hazard above 85 (Gompertz underestimates mortality among the oldest old): 1 + oldAge * (age - 85). */
  oldAge: 0.07,
  smokingRatio: { current: 1.9, ex: 1.25 },
  latentLoading: 0.2,
  /** Suicide hazard per year (age 10+): about 10 per 100,000 (men 3x women); ratios for depression, SMI, deprivation. */
  suicide: { F: 0.000055, M: 0.00017, depression: 4, smi: 8, depRatio: 2.2 },
  /**
   * Hazard ratios that depend on the years since diagnosis (from `fromYears[i]` to the next), used
   * instead of the condition's `mortalityRatio` (which stays their average over the register, for the
   * normalisation and the register's replacement). Cancer: ONS one-year net survival about 75% and
   * five-year about 55% (England, adults) give an excess hazard of about 0.29 a year in the first year,
   * 0.08 in years 1-5 and about 0.02 after; against a death rate of 0.02-0.06 a year at 70-80 that is
   * about 10, 3.4 and 1.6 times. Heart failure: Taylor et al., BMJ 2019;364:l223 (UK primary care):
   * one-year survival about 81%, five-year about 48%, at a mean age near 77: about 4 in the first year,
   * 2.2 after. Each set averages its `mortalityRatio` over the register's make-up by years since
   * diagnosis in the window (seed `calibration`: cancer 11% under a year, 21% 1-5 years, 68% longer, so
   * cancer's `mortalityRatio` is 2.9 (it was 2.6 with 8%, 19% and 74% before the register's diagnoses in
   * the window came from CANCER_INCIDENCE); heart failure 17%, 26%, 57%).
   */
  byYearsSinceDiagnosis: {
    cancer: { fromYears: [0, 1, 5], ratio: [10, 3.4, 1.6] },
    heart_failure: { fromYears: [0, 1, 5], ratio: [3, 2.3, 2.2] },
  },
  /** Hazard ratio while a permanent care-home resident (normalised by the share of residents at each age). */
  careHomeRatio: 3,
  /**
   * A death from a cause of cancer, dementia, COPD or heart failure in someone not on that register:
   * the chance the illness was diagnosed before death (recorded then, an exponential `leadYears` on
   * average before it); the rest die undiagnosed.
   */
  diagnosedBeforeDeath: {
    cancer: { share: 0.9, leadYears: 1.2 },
    dementia: { share: 0.5, leadYears: 2 },
    copd: { share: 0.7, leadYears: 2 },
    heart_failure: { share: 0.7, leadYears: 1.5 },
  },
} as const;

/**
 * End of life: the share of people who die who were put on their practice's palliative care register
 * (QOF PC) before death, by the kind of underlying cause, and how long before (exponential, mean in
 * years). Studies of English practices find about a quarter to a third of people who die were on the
 * register, about half of those dying of cancer and far fewer of organ failure or frailty; sudden and
 * external causes almost never.
 */
export const PALLIATIVE_CARE = {
  cancer: { share: 0.5, leadYears: 0.4 },
  /** Organ failure, dementia and frailty, neurological and liver disease. */
  decline: { share: 0.25, leadYears: 0.35 },
  other: { share: 0.06, leadYears: 0.2 },
} as const;

/** Per person-year event rates at the national middle, by AGE_BAND_LOWER band. */
export interface EventRateParameters {
  readonly byBand: readonly number[];
  readonly depRatio: number;
  /** Multiplier per recorded long-term condition: rate * (1 + perCondition * count). */
  readonly perCondition: number;
  readonly femaleRatio?: number;
  readonly latentLoading: number;
}

/**
 * Activity rates: NHS Digital GP appointments (about 5 attended per person per year), Hospital
 * Episode Statistics 2019/20 (A&E 0.4 per person-year; emergency admissions about 0.1; elective
 * 0.14; outpatient attendances about 1.7), Community Services and Mental Health Services Data Set
 * activity, and Kirklees' "437 A&E attendances and 8,744 GP appointments a day" for 431,000 people.
 * Deprivation ratios: emergency admissions and A&E roughly double between IMD extremes (Nuffield
 * Trust, "Admissions of inequality", 2018).
 */
export const EVENT_RATES = {
  gpAppointment: { byBand: [3.2, 3.6, 4.2, 4.6, 5.3, 6.5, 8.2, 9.5], depRatio: 1.2, perCondition: 0.18, femaleRatio: 1.35, latentLoading: 0.3 },
  aeAttendance: { byBand: [0.36, 0.31, 0.26, 0.24, 0.26, 0.29, 0.41, 0.68], depRatio: 2.0, perCondition: 0.12, latentLoading: 0.45 },
  emergencyAdmission: { byBand: [0.036, 0.024, 0.032, 0.04, 0.056, 0.088, 0.16, 0.29], depRatio: 2.1, perCondition: 0.3, latentLoading: 0.55 },
  electiveAdmission: { byBand: [0.03, 0.05, 0.08, 0.12, 0.17, 0.24, 0.26, 0.16], depRatio: 1.05, perCondition: 0.15, latentLoading: 0.2 },
  outpatient: { byBand: [0.8, 0.9, 1.3, 1.6, 2.1, 2.8, 3.2, 2.6], depRatio: 1.15, perCondition: 0.25, femaleRatio: 1.2, latentLoading: 0.3 },
  community: { byBand: [0.25, 0.06, 0.08, 0.12, 0.22, 0.45, 1.4, 4.2], depRatio: 1.3, perCondition: 0.35, latentLoading: 0.7 },
  socialCare: { byBand: [0.0, 0.01, 0.015, 0.02, 0.03, 0.06, 0.22, 0.75], depRatio: 1.5, perCondition: 0.25, latentLoading: 0.7 },
} satisfies Record<string, EventRateParameters>;

/** Mental health contacts per person-year: SMI and learning disability caseloads, talking therapies for depression. */
export const MENTAL_HEALTH = {
  smi: 7,
  depression: 0.7,
  learningDisability: 1.2,
  dementia: 1.0,
  other: 0.025,
} as const;

/**
 * A&E time in department: log-normal minutes (median 175 for type 01 departments, 95 for type 03
 * urgent treatment centres, longer when admitted) so about 72-76% are seen within 4 hours, as in
 * WY&H 2023/24 (target 78% by March 2025).
 */
export const AE = {
  type03Share: 0.28,
  medianMinutes: { '01': 160, '03': 95 },
  admittedExtraFactor: 1.55,
  logSd: 0.55,
  /** Arrival hour weights 00..23 (ECDS shape). */
  arrivalHourWeights: [2, 1.6, 1.3, 1.1, 1, 1, 1.3, 2, 3.4, 4.6, 5, 5, 4.8, 4.6, 4.5, 4.4, 4.5, 4.6, 4.4, 4.1, 3.8, 3.4, 3, 2.5],
  /** Share of emergency admissions that come through A&E (the rest are direct GP/ambulatory). */
  emergencyViaAe: 0.72,
  dischargedShare: 0.7,
  referredShare: 0.14,
} as const;

/** Lengths of stay: emergency mean 5 days rising with age (30% same-day), elective mostly day cases. */
export const LENGTH_OF_STAY = {
  emergencyZeroDayShare: 0.3,
  emergencyMeanDaysByBand: [2, 2.5, 3, 3.5, 4.5, 6, 8, 10],
  electiveDayCaseShare: 0.78,
  electiveMeanDays: 3.5,
  /** Probability an emergency discharge is followed by another emergency admission within 30 days
   * (beyond chance), rising with age: national 30-day emergency readmission rate about 14%. */
  readmission30ByBand: [0.05, 0.06, 0.07, 0.08, 0.09, 0.11, 0.13, 0.14],
} as const;

/**
 * Care homes (65+): residents at the start of the window (Census 2021: 2.5% of people 65+ in England and
 * Wales), permanent admissions per year (ASCOF 2A about 560 per 100,000 aged 65+ supported by councils,
 * more with self-funders), and stays begun in the last weeks of life (about 2 in 5 of the people who die
 * in a care home were temporary residents).
 */
export const CARE_HOMES = {
  residentAtStartByAge: { '65': 0.004, '75': 0.025, '85': 0.12 },
  permanentAdmissionByAge: { '65': 0.0022, '75': 0.0085, '85': 0.036 },
  dementiaRatio: 4,
  nursingShare: 0.4,
  councilFundedShare: 0.55,
  shortStayByAge: { '65': 0.002, '75': 0.008, '85': 0.02 },
  /** Share of permanent residents' deaths (not already in hospital) that happen in the care home. */
  diedInCareHome: 0.7,
  /** Chance that someone 65+ dying outside a care home was admitted to one for their last weeks (3-42 days). */
  endOfLifeStayByAge: { '65': 0.07, '75': 0.16, '85': 0.3 },
} as const;

/**
 * Fertility: age-specific fertility rates (ONS births in England and Wales 2019), with Pakistani and
 * Bangladeshi mothers' higher total fertility (about 1.4x). Gestation: the distribution of live births
 * by completed week in England (ONS birth characteristics; NHS Maternity Statistics), about 7.5%
 * before 37 weeks, more with smoking and deprivation. Birth weight: the median for the week of
 * gestation (UK 1990 reference, Cole et al.), log-normal, lower with deprivation, smoking and South
 * Asian ethnicity, so low birth weight (<2,500 g) is about 7%; smoking at delivery about 11% overall
 * (Wakefield 14.7%).
 */
export const FERTILITY = {
  asfrByFiveYear: { '15': 0.012, '20': 0.05, '25': 0.088, '30': 0.1, '35': 0.056, '40': 0.013 },
  southAsianRatio: 1.4,
  maleBirthShare: 0.512,
  /** First week of the gestation tables below. */
  gestationFromWeek: 24,
  /** Live births by completed week of gestation, 24..42, per 100 births. */
  gestationWeights: [0.1, 0.1, 0.12, 0.13, 0.15, 0.17, 0.22, 0.28, 0.4, 0.55, 0.95, 1.4, 2.9, 8.0, 15.5, 26.0, 24.5, 16.5, 2.0],
  pretermSmokingRatio: 1.4,
  pretermDepRatio: 1.3,
  /** Median birth weight (grams, sexes together) by completed week, 24..42; boys about 3% above, girls 3% below. */
  medianWeightByWeek: [680, 780, 890, 1010, 1150, 1300, 1470, 1650, 1850, 2060, 2290, 2520, 2750, 2960, 3170, 3350, 3500, 3620, 3690],
  weightLogSd: { preterm: 0.16, term: 0.13 },
  /** Shifts in grams at 40 weeks, scaled with the week's median. */
  depShiftGrams: -150,
  smokingShiftGrams: -220,
  southAsianShiftGrams: -180,
  caesareanShare: 0.3,
  smokingAtDeliveryIfSmoker: 0.72,
  smokingAtDeliveryIfNot: 0.02,
  smokingUnknownShare: 0.015,
} as const;

/**
 * Calendars (calendar.ts): when in the week and the year each kind of activity happens. `days` are
 * relative weights Monday..Sunday, `holiday` the weight of a bank holiday (and of Christmas Day,
 * Boxing Day and New Year's Day at a weekend), `christmas` of Christmas Day where it differs (none
 * planned); `monthWeights` January..December multiply them
 * (winter pressure). Only the shape matters: yearly counts are unchanged, each event's day within
 * its year is drawn in proportion to these weights. Sources in docs/synthetic-data.md ("Calendars").
 */
export const CALENDAR = {
  weekdayWeights: {
    /** GP practice appointments: Monday busiest; Saturday and Sunday extended access only. */
    gp: { days: [1.2, 1.05, 1.0, 1.0, 0.95, 0.1, 0.03], holiday: 0.03, christmas: 0 },
    outpatient: { days: [1.0, 1.05, 1.05, 1.05, 0.9, 0.06, 0.02], holiday: 0.02, christmas: 0 },
    /** Planned admissions: some the day before surgery (Sunday for Monday lists). */
    elective: { days: [1.0, 1.05, 1.05, 1.0, 0.85, 0.05, 0.08], holiday: 0.03, christmas: 0 },
    /** Community services: district nursing works every day, the rest mostly on weekdays. */
    community: { days: [1, 1, 1, 1, 1, 0.3, 0.25], holiday: 0.3 },
    /** Secondary mental health services other than crisis and inpatient care. */
    mentalHealth: { days: [1, 1, 1, 1, 0.95, 0.06, 0.04], holiday: 0.04, christmas: 0 },
    /** Crisis and inpatient mental health care: every day alike. */
    everyDay: { days: [1, 1, 1, 1, 1, 1, 1], holiday: 1 },
    /** Adult social care requests, assessments and reviews: office days. */
    socialCare: { days: [1.1, 1, 1, 1, 0.95, 0.02, 0.01], holiday: 0.01, christmas: 0 },
    /** Prescriptions issued by the practice. */
    prescription: { days: [1.15, 1.05, 1.0, 1.0, 1.0, 0.08, 0.03], holiday: 0.03, christmas: 0 },
    /** A&E attendances: every day, Monday the busiest. */
    ae: { days: [1.12, 1.0, 0.98, 0.97, 0.98, 0.95, 0.98], holiday: 1.0 },
    /** Emergency admissions: Monday the busiest, fewer at weekends. */
    emergency: { days: [1.15, 1.05, 1.03, 1.02, 1.04, 0.84, 0.82], holiday: 0.85 },
    /** Births: fewer at weekends and on holidays (planned caesareans and inductions are on weekdays). */
    birth: { days: [1.04, 1.06, 1.06, 1.06, 1.05, 0.88, 0.85], holiday: 0.85 },
    /** Deaths: no weekly pattern. */
    death: { days: [1, 1, 1, 1, 1, 1, 1], holiday: 1 },
  },
  monthWeights: {
    /** Emergency admissions a day: highest in December and January, lowest in August. */
    emergency: [1.06, 1.04, 1.02, 0.98, 0.99, 0.98, 0.98, 0.94, 0.98, 1.0, 1.01, 1.05],
    /** A&E attendances a day: highest in late spring and summer, lowest in December and January. */
    ae: [0.95, 0.98, 1.0, 1.0, 1.04, 1.05, 1.04, 0.99, 1.02, 1.0, 0.98, 0.95],
    /** Deaths a day: excess winter mortality of about 18% (December-March against the other months). */
    death: [1.18, 1.1, 1.05, 0.98, 0.95, 0.91, 0.9, 0.89, 0.9, 0.96, 1.0, 1.12],
  },
} as const;

/** Registration: share of people registered with a practice of the PCN paired with their neighbourhood. */
export const REGISTRATION = { ownPcnShare: 0.85 } as const;

/** Unpaid carers: about 10% of adults (Census 2011: WY&H 260,000), peak at 50-64, recorded by GP for about 40% of them. */
export const CARERS = { byBand: [0.01, 0.035, 0.045, 0.07, 0.08, 0.05, 0.035, 0.02], femaleRatio: 1.4 } as const;

/**
 * Carers linked to the person they care for (docs/synthetic-data.md, "Carers and whom they care
 * for"): the share of recorded carers linked to someone in their own LSOA (the rest care for someone
 * outside the data: a parent elsewhere, a friend), who counts as needing care, and whom a carer
 * cares for by relationship, as age gaps. Drawn from a random stream of their own, at the end of
 * each LSOA, so no other row changes.
 */
export const CARER_LINKS = {
  /** Share of recorded carers linked to a person in the data (the brief's assumption, about 60%). */
  linkedShare: 0.6,
  /** Needs care from the earliest of: dementia, learning disability, palliative care, a care-home stay, this many long-term conditions, this many coded frailty deficits. */
  needs: { conditions: 3, deficits: 3 },
  /**
   * Whom carers care for, by the carer's age (under 70, 70 and over): a parent, a partner, a child
   * (a disabled child, of any age), anyone else (other relatives, friends, neighbours). Health Survey
   * for England 2014: 49% of carers care for a parent, 12-19% for a partner, other kinds under 10%
   * each; Health Foundation (2023, Census 2021): carers up to 70 mostly care for a parent (53%), more
   * than half of those over 70 for their partner.
   */
  relationships: {
    under70: { parent: 0.53, partner: 0.15, child: 0.08, other: 0.24 },
    from70: { parent: 0.03, partner: 0.55, child: 0.1, other: 0.32 },
  },
  /** The cared-for person's age minus the carer's, in years, for each relationship (other: any). */
  ageGaps: { parent: [18, 50], partner: [-12, 12], child: [-50, -18] },
} as const;

/** Frailty deficits (non-condition eFI deficits): yearly onset probability at age 75 for the national middle, doubling every ~10 years. */
export const FRAILTY = {
  onsetAt75: 0.0076,
  agePerYear: 0.075,
  depRatio: 1.5,
  latentLoading: 0.6,
  minAge: 40,
} as const;

/**
 * Opt-outs in effect at the end of the window (docs/synthetic-data.md, "Opt-outs"): the national data
 * opt-out by ten-year age band for women (NHS Digital, April 2022), men lower; a log-normal factor per
 * GP practice for the variation between areas; type 1 opt-outs in proportion, half of them also
 * national. Drawn from their own random stream, so the rest of the population does not change.
 */
export const OPT_OUTS = {
  nationalFemaleByTenYears: [0.0167, 0.0312, 0.0703, 0.0806, 0.0752, 0.0719, 0.0694, 0.0613, 0.0447, 0.035],
  nationalMaleRatio: 0.8,
  practiceLogSd: 0.3,
  type1Ratio: 0.45,
  type1AlsoNational: 0.5,
  type1Gpdpr: { share: 0.4, from: '2021-05-12', to: '2021-09-01' },
  type1Since: '2014-01-06',
} as const;

/**
 * Reviews, vaccinations and screening: the GP-record events of core's care-gap rules
 * (CARE_GAP_RULES) being done, so that care gaps vary as in practice (docs/synthetic-data.md,
 * "Reviews, vaccinations and screening", gives every figure's source). Coverage is at the national
 * middle of deprivation; `depRatio`s below 1 lower it in deprived areas. Each person has an
 * engagement (probit scale, spread `sd`) so the same people tend to attend year after year.
 */
export const CARE_GAPS = {
  /** Correlation of one person's engagement between programmes (a shared part and one per programme). */
  sharedEngagement: 0.5,
  /** Annual reviews, by rule id: the share of people on the register reviewed in a year. */
  reviews: { 'diabetes-review': 0.75, 'asthma-review': 0.6, 'copd-review': 0.75 },
  reviewDepRatio: 0.95,
  reviewSd: 1.0,
  /** Birth-month recall: a review falls near the person's birthday in the year (sd in days). */
  reviewRecallSdDays: 30,
  /** Reviews recorded with the rule's second code when it has one (asthma: "Asthma monitoring check done"). */
  reviewAltCodeShare: 0.3,
  flu: {
    /** UKHSA final uptake among GP patients by season (its first year): 65 and over, under 65 in a clinical risk group. */
    bySeason: [
      { season: 2021, over65: 0.823, atRisk: 0.529 },
      { season: 2022, over65: 0.799, atRisk: 0.491 },
      { season: 2023, over65: 0.778, atRisk: 0.414 },
      { season: 2024, over65: 0.749, atRisk: 0.4 },
    ],
    /** Unpaid carers under 65 in no clinical risk group. */
    carer: 0.35,
    depRatio: 0.8,
    sd: 1.6,
    /** Day (MM-DD) the adult programme starts, from a season on: 1 September until 2023/24, 3 October from 2024/25. */
    adultStart: [{ season: 2000, day: '09-01' }, { season: 2024, day: '10-03' }],
    /** Days from the start to a vaccination: exponential with this mean (most given in the first two months). */
    meanDaysFromStart: 30,
  },
  /**
   * Screening programmes: the rules they serve, the chance of taking up an invitation (by the rule
   * that applies at the invitation), and how invitations are timed. Tests since `lookbackMonths`
   * before the last day are kept (or since the start of the window, if earlier).
   */
  screening: {
    cervical: {
      rules: ['cervical-screening-25-49', 'cervical-screening-50-64'],
      perInvitation: { 'cervical-screening-25-49': 0.64, 'cervical-screening-50-64': 0.72 }, depRatio: 0.9, sd: 1.2,
      /** Recall from the last test (or the last invitation when it was not taken up), first invitation 6 months before 25. */
      schedule: 'recall', firstInviteMonthsEarly: 6, recallEarlyDays: 42, delayMeanDays: 45, lookbackMonths: 66,
    },
    breast: {
      rules: ['breast-screening'],
      perInvitation: { 'breast-screening': 0.72 }, depRatio: 0.8, sd: 1.2,
      /** Every practice's women are invited together, every 3 years (the first invitation between 50 and 53). */
      schedule: 'practice-round', firstInviteMonthsEarly: 0, recallEarlyDays: 0, delayMeanDays: 21, lookbackMonths: 36,
    },
    bowel: {
      rules: ['bowel-screening'],
      perInvitation: { 'bowel-screening': 0.68 }, depRatio: 0.75, sd: 1.2,
      /** A home test kit every 2 years on a cycle of the person's own. */
      schedule: 'personal-round', firstInviteMonthsEarly: 0, recallEarlyDays: 0, delayMeanDays: 21, lookbackMonths: 30,
    },
  },
} as const;

/**
 * Emergency admissions for intentional self-harm (Fingertips 21001), drawn from a stream of their own
 * (person-model/self-harm.ts) after the rest of a person's life, so no other row changes. Rates per
 * person-year at the middle of deprivation for someone with none of the conditions below, by
 * `ageLower` band, shaped on HES admissions for self-harm by age and sex (Fingertips 21001 and 90813,
 * 10-24 years: highest in girls and young women 15-24, about three times young men; falling with age)
 * and scaled so the directly standardised rate of the generated partnership is near England's (the
 * benchmarks file's latest England value, 185.5 per 100,000 in 2017/18; checked in self-harm.test.ts).
 */
export const SELF_HARM = {
  ageLower: [10, 15, 20, 25, 35, 45, 55, 65, 75],
  perYear: {
    F: [0.0019, 0.0054, 0.0030, 0.0019, 0.0017, 0.0014, 0.00075, 0.0004, 0.00036],
    M: [0.0004, 0.0016, 0.0015, 0.00135, 0.0013, 0.0011, 0.0006, 0.00036, 0.00036],
  },
  /** Most against least deprived (HES self-harm admissions by IMD decile: about 2.5 times). */
  depRatio: 2.5,
  /**
   * Rate ratios while on a register (multiplied; perYear is the rate of someone on none, so these
   * raise the population's rate, and perYear was scaled with them in place): depression and anxiety
   * (about 3 and 2), severe mental illness (about 5) and alcohol dependence (about 4), in the range of
   * the cohort studies of self-harm in primary care (e.g. Carr et al., Lancet Public Health 2017).
   */
  conditionRatio: { depression: 3, anxiety: 2, smi: 5, alcohol_dependence: 4 },
  /**
   * Primary diagnosis and external cause, with weights: about three in four self-poisonings (X60-X64,
   * paracetamol the most common), cutting (X78) most of the rest (HES: 'intentional self-harm'
   * admissions by method).
   */
  methods: [
    { diagnosis: 'T391', cause: 'X60', weight: 0.38 },
    { diagnosis: 'T424', cause: 'X61', weight: 0.1 },
    { diagnosis: 'T430', cause: 'X61', weight: 0.06 },
    { diagnosis: 'T432', cause: 'X61', weight: 0.07 },
    { diagnosis: 'T402', cause: 'X62', weight: 0.04 },
    { diagnosis: 'T509', cause: 'X64', weight: 0.09 },
    { diagnosis: 'T510', cause: 'X65', weight: 0.03 },
    { diagnosis: 'S518', cause: 'X78', weight: 0.1 },
    { diagnosis: 'S619', cause: 'X78', weight: 0.05 },
    { diagnosis: 'T71X', cause: 'X70', weight: 0.03 },
    { diagnosis: 'T07X', cause: 'X80', weight: 0.01 },
    { diagnosis: 'T149', cause: 'X84', weight: 0.04 },
  ],
  /** Short stays: a share discharged the same day, the rest 1 + an exponential with this mean (days). */
  zeroDayShare: 0.4,
  meanExtraDays: 1.5,
  /** Share admitted through A&E (an attendance that day, disposal admitted). */
  viaAe: 0.9,
} as const;

/**
 * Admissions for alcohol-specific conditions (Fingertips 92906) beyond those the alcohol dependence
 * and chronic liver disease registers already bring among their emergency admissions (hospital.ts
 * CONDITION_ICD): on their own those came to about 76 per 100,000, far below England (92906 is not
 * in the benchmarks file; HES counted 295,000 admissions wholly attributable to alcohol in England in
 * 2012/13, about 550 per 100,000). Drawn from a stream of their own (person-model/alcohol.ts) after the rest of a
 * life, so no other row changes. Checked in self-harm.test.ts.
 */
export const ALCOHOL_ADMISSIONS = {
  /**
   * Admissions a year while on the alcohol dependence register (a few admitted people are admitted
   * many times: HES counts about 2 admission episodes a year per person admitted for alcohol-specific
   * conditions), by these diagnoses: dependence and withdrawal, intoxication, alcoholic liver disease
   * and pancreatitis (weights).
   */
  dependentPerYear: 0.3,
  dependentDiagnoses: [
    { diagnosis: 'F102', weight: 0.3 },
    { diagnosis: 'F103', weight: 0.2 },
    { diagnosis: 'F100', weight: 0.15 },
    { diagnosis: 'K703', weight: 0.1 },
    { diagnosis: 'K701', weight: 0.1 },
    { diagnosis: 'K700', weight: 0.05 },
    { diagnosis: 'K852', weight: 0.05 },
    { diagnosis: 'G312', weight: 0.05 },
  ],
  /** Share of the dependent's admissions that are planned (elective detoxification, F102); the rest are emergencies with the diagnoses above. */
  electiveShare: 0.1,
  /**
   * Acute intoxication (F100) of people not on the register, a year, by `ageLower` band and sex:
   * highest in young men (HES admissions for alcohol intoxication by age and sex), and none under 12.
   */
  ageLower: [12, 16, 25, 35, 55, 75],
  intoxicationPerYear: {
    F: [0.0004, 0.0007, 0.0004, 0.0004, 0.0003, 0.0001],
    M: [0.0003, 0.0012, 0.0009, 0.0008, 0.0006, 0.0002],
  },
  /** Most against least deprived (alcohol-specific admissions by IMD decile: about 2.5 times). */
  depRatio: 2.5,
  /** Short stays: a share the same day, the rest 1 + an exponential with this mean (days); more for liver disease. */
  zeroDayShare: 0.3,
  meanExtraDays: 3,
  /** Share of emergency admissions through A&E that day. */
  viaAe: 0.8,
} as const;

/**
 * Records the outcomes framework measures that the rest of the model did not write
 * (person-model/outcome-records.ts), from a stream of their own per LSOA, so that adding them
 * changed no other row: blood pressure and HbA1c readings of people on the hypertension and diabetes
 * registers, the stage of each cancer at diagnosis, pneumococcal (PPV) vaccination from 65, the
 * childhood 6-in-1 and MMR doses, and NHS Health Checks. Shares are at the national middle of
 * deprivation and multiplied by `depRatio^(d − 0.5)`; each person has an engagement (probit scale,
 * `sd`) so the same people are controlled or vaccinated year after year. Sources and reasoning in
 * docs/synthetic-data.md ("Outcome records").
 */
export const OUTCOME_RECORDS = {
  bloodPressure: {
    /** Chance that someone on the hypertension register has their blood pressure recorded in a year (QOF recall, annual). */
    recordedPerYear: 0.85,
    /** Share of readings at the age-appropriate target: ≤140/90 mmHg under 80, ≤150/90 mmHg at 80 and over (QOF HYP008, HYP009). */
    atTarget: { under80: 0.78, from80: 0.9 },
    depRatio: 0.93,
    sd: 1.0,
  },
  /**
   * Blood pressure of people on the diabetes register but not the hypertension register (whose
   * readings are above), from a stream of its own: recorded in a year with `recordedPerYear`, systolic
   * and diastolic normal about `systolicMean` and `diastolicMean` (sd `systolicSd`, `diastolicSd`).
   */
  diabetesBloodPressure: {
    recordedPerYear: 0.9,
    systolicMean: 128,
    systolicSd: 12,
    diastolicMean: 74,
    diastolicSd: 7,
  },
  hba1c: {
    /** Chance that someone on the diabetes register has an HbA1c recorded in a year (NDA: about 9 in 10). */
    recordedPerYear: 0.9,
    /** Share of readings at or below 58 mmol/mol, by age (rows by descending minAge): control is worse in younger people (NDA). */
    atTargetByAge: [
      { minAge: 65, share: 0.74 },
      { minAge: 40, share: 0.6 },
      { minAge: 0, share: 0.42 },
    ],
    depRatio: 0.9,
    sd: 1.0,
  },
  cancerStage: {
    /** Share of cancers with a stage recorded (the rest: a stage record with no value, "not staged"). */
    stagedShare: 0.9,
    /** Share of staged cancers found at stage 1 or 2, by age at diagnosis (rows by descending minAge). */
    earlyByAge: [
      { minAge: 80, share: 0.55 },
      { minAge: 65, share: 0.69 },
      { minAge: 0, share: 0.75 },
    ],
    depRatio: 0.9,
    /** Dying of cancer within a year of diagnosis: the early share is multiplied by this (most such cancers are found late). */
    diedWithinYearRatio: 0.45,
    /** Within early, the share at stage 1; within late, the share at stage 4. */
    stage1OfEarly: 0.55,
    stage4OfLate: 0.5,
  },
  pneumococcal: {
    /** Chance of ever having PPV from 65 (national middle). */
    uptake: 0.74,
    depRatio: 0.85,
    /** Years from the 65th birthday to the vaccination (exponential mean). */
    meanYearsAfter65: 1.2,
  },
  childhood: {
    /** Share of children having each dose, in order: 6-in-1 at 8, 12 and 16 weeks; MMR at 1 year and at 3 years 4 months. */
    doses: [
      { dose: 'sixInOneFirst', ageDays: 56, share: 0.955, meanDelayDays: 10 },
      { dose: 'sixInOneSecond', ageDays: 84, share: 0.94, meanDelayDays: 14 },
      { dose: 'sixInOneThird', ageDays: 112, share: 0.925, meanDelayDays: 18 },
      { dose: 'mmrFirst', ageDays: 366, share: 0.9, meanDelayDays: 40 },
      { dose: 'mmrSecond', ageDays: 1218, share: 0.865, meanDelayDays: 60 },
    ],
    depRatio: 0.96,
    /** Children born more than this many years before the window have no doses written (no indicator looks so far back). */
    historyYears: 7,
  },
  healthCheck: {
    /** Chance of taking up the invitation of each five-year cycle while eligible (40-74, on none of core's HEALTH_CHECK_EXCLUDED_REGISTERS, the indicator's). */
    perInvitation: 0.4,
    depRatio: 1.0,
    sd: 1.0,
    /** Days from invitation to check (exponential mean). */
    meanDelayDays: 30,
  },
} as const;
