import type { SnomedCode } from '../codes/codes.js';

/**
 * Long-term conditions and their SNOMED CT codelists (a small, illustrative subset of the
 * NHS Digital QOF cluster codes). A person is on a condition's register from the earliest
 * event_date of any code in the list.
 */
export const CONDITION_KEYS = [
  'hypertension',
  'diabetes',
  'asthma',
  'copd',
  'chd',
  'atrial_fibrillation',
  'stroke',
  'heart_failure',
  'ckd',
  'cancer',
  'dementia',
  'depression',
  'smi',
  'learning_disability',
  'autism',
  'epilepsy',
  'osteoporosis',
  'rheumatoid_arthritis',
  'peripheral_arterial_disease',
  'non_diabetic_hyperglycaemia',
  'palliative_care',
  'anxiety',
  'osteoarthritis',
  'alcohol_dependence',
  'chronic_liver_disease',
  'parkinsons',
  'multiple_sclerosis',
] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

export interface ConditionDefinition {
  readonly key: ConditionKey;
  readonly label: string;
  /** QOF register this corresponds to, where there is one. */
  readonly qofRegister?: string;
  readonly codes: readonly { readonly code: SnomedCode; readonly term: string }[];
  /**
   * False for a register that records a state rather than a long-term condition (non-diabetic
   * hyperglycaemia, a risk state; palliative care, a stage of care): such registers are not counted
   * in condition_count, the multimorbidity score or the segments' "long-term condition" rules.
   */
  readonly longTerm: boolean;
}

const c = (code: string, term: string) => ({ code: code as SnomedCode, term });

export const CONDITIONS: Record<ConditionKey, ConditionDefinition> = {
  hypertension: { key: 'hypertension', label: 'Hypertension', qofRegister: 'HYP', codes: [c('38341003', 'Hypertensive disorder'), c('59621000', 'Essential hypertension')], longTerm: true },
  diabetes: { key: 'diabetes', label: 'Diabetes', qofRegister: 'DM', codes: [c('44054006', 'Type 2 diabetes mellitus'), c('46635009', 'Type 1 diabetes mellitus')], longTerm: true },
  asthma: { key: 'asthma', label: 'Asthma', qofRegister: 'AST', codes: [c('195967001', 'Asthma')], longTerm: true },
  copd: { key: 'copd', label: 'COPD', qofRegister: 'COPD', codes: [c('13645005', 'Chronic obstructive lung disease')], longTerm: true },
  chd: { key: 'chd', label: 'Coronary heart disease', qofRegister: 'CHD', codes: [c('53741008', 'Coronary arteriosclerosis'), c('22298006', 'Myocardial infarction'), c('194828000', 'Angina')], longTerm: true },
  atrial_fibrillation: { key: 'atrial_fibrillation', label: 'Atrial fibrillation', qofRegister: 'AF', codes: [c('49436004', 'Atrial fibrillation')], longTerm: true },
  stroke: { key: 'stroke', label: 'Stroke and TIA', qofRegister: 'STIA', codes: [c('230690007', 'Cerebrovascular accident'), c('266257000', 'Transient ischemic attack')], longTerm: true },
  heart_failure: { key: 'heart_failure', label: 'Heart failure', qofRegister: 'HF', codes: [c('84114007', 'Heart failure')], longTerm: true },
  ckd: { key: 'ckd', label: 'Chronic kidney disease (stage 3-5)', qofRegister: 'CKD', codes: [c('709044004', 'Chronic kidney disease'), c('433144002', 'Chronic kidney disease stage 3')], longTerm: true },
  cancer: { key: 'cancer', label: 'Cancer', qofRegister: 'CAN', codes: [c('363346000', 'Malignant neoplastic disease')], longTerm: true },
  dementia: { key: 'dementia', label: 'Dementia', qofRegister: 'DEM', codes: [c('52448006', 'Dementia'), c('26929004', "Alzheimer's disease")], longTerm: true },
  depression: { key: 'depression', label: 'Depression', qofRegister: 'DEP', codes: [c('35489007', 'Depressive disorder')], longTerm: true },
  smi: { key: 'smi', label: 'Serious mental illness', qofRegister: 'MH', codes: [c('58214004', 'Schizophrenia'), c('13746004', 'Bipolar disorder')], longTerm: true },
  learning_disability: { key: 'learning_disability', label: 'Learning disability', qofRegister: 'LD', codes: [c('110359009', 'Intellectual disability')], longTerm: true },
  autism: { key: 'autism', label: 'Autism', codes: [c('408856003', 'Autistic disorder')], longTerm: true },
  epilepsy: { key: 'epilepsy', label: 'Epilepsy', qofRegister: 'EP', codes: [c('84757009', 'Epilepsy')], longTerm: true },
  osteoporosis: { key: 'osteoporosis', label: 'Osteoporosis', qofRegister: 'OST', codes: [c('64859006', 'Osteoporosis')], longTerm: true },
  rheumatoid_arthritis: { key: 'rheumatoid_arthritis', label: 'Rheumatoid arthritis', qofRegister: 'RA', codes: [c('69896004', 'Rheumatoid arthritis')], longTerm: true },
  peripheral_arterial_disease: { key: 'peripheral_arterial_disease', label: 'Peripheral arterial disease', qofRegister: 'PAD', codes: [c('399957001', 'Peripheral arterial occlusive disease'), c('400047006', 'Peripheral vascular disease')], longTerm: true },
  non_diabetic_hyperglycaemia: { key: 'non_diabetic_hyperglycaemia', label: 'Non-diabetic hyperglycaemia', qofRegister: 'NDH', codes: [c('700449008', 'Non-diabetic hyperglycaemia')], longTerm: false },
  palliative_care: { key: 'palliative_care', label: 'Palliative care', qofRegister: 'PC', codes: [c('103735009', 'Palliative care')], longTerm: false },
  anxiety: { key: 'anxiety', label: 'Anxiety', codes: [c('197480006', 'Anxiety disorder')], longTerm: true },
  osteoarthritis: { key: 'osteoarthritis', label: 'Osteoarthritis', codes: [c('396275006', 'Osteoarthritis')], longTerm: true },
  alcohol_dependence: { key: 'alcohol_dependence', label: 'Alcohol dependence', codes: [c('66590003', 'Alcohol dependence')], longTerm: true },
  chronic_liver_disease: { key: 'chronic_liver_disease', label: 'Chronic liver disease', codes: [c('328383001', 'Chronic liver disease'), c('41309000', 'Alcoholic liver disease')], longTerm: true },
  parkinsons: { key: 'parkinsons', label: "Parkinson's disease", codes: [c('49049000', "Parkinson's disease")], longTerm: true },
  multiple_sclerosis: { key: 'multiple_sclerosis', label: 'Multiple sclerosis', codes: [c('24700007', 'Multiple sclerosis')], longTerm: true },
};

/** The registers counted as long-term conditions (condition_count, the multimorbidity score, "any long-term condition"). */
export const LONG_TERM_CONDITION_KEYS: readonly ConditionKey[] = CONDITION_KEYS.filter((k) => CONDITIONS[k].longTerm);

/** Smoking status and measurement codes recorded in clinical_event. */
export const OBSERVATION_CODES = {
  currentSmoker: c('77176002', 'Smoker'),
  exSmoker: c('8517006', 'Ex-smoker'),
  neverSmoked: c('266919005', 'Never smoked tobacco'),
  bmi: c('60621009', 'Body mass index'),
  carer: c('224484003', 'Patient is a carer'),
  // Measurements with a value in numeric_value (mmHg, mmol/mol, stage 1-4; a stage record without a value is a cancer not staged).
  systolicBp: c('271649006', 'Systolic blood pressure'),
  diastolicBp: c('271650006', 'Diastolic blood pressure'),
  hba1c: c('999791000000106', 'Haemoglobin A1c level - International Federation of Clinical Chemistry and Laboratory Medicine standardised'),
  tumourStage: c('385356007', 'Tumour stage finding'),
  // Immunisations and the NHS Health Check, recorded being done.
  pneumococcalVaccination: c('12866006', 'Pneumococcal vaccination'),
  sixInOneFirst: c('1082441000000108', 'First diphtheria, tetanus and acellular pertussis, inactivated polio, Haemophilus influenzae type b and hepatitis B vaccination'),
  sixInOneSecond: c('1082451000000106', 'Second diphtheria, tetanus and acellular pertussis, inactivated polio, Haemophilus influenzae type b and hepatitis B vaccination'),
  sixInOneThird: c('1082461000000109', 'Third diphtheria, tetanus and acellular pertussis, inactivated polio, Haemophilus influenzae type b and hepatitis B vaccination'),
  mmrFirst: c('308081000000105', 'Measles mumps and rubella vaccination - first dose'),
  mmrSecond: c('170433008', 'Measles mumps and rubella vaccination - second dose'),
  healthCheck: c('523221000000100', 'NHS Health Check completed'),
} as const;
