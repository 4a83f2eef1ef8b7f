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
] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

export interface ConditionDefinition {
  readonly key: ConditionKey;
  readonly label: string;
  /** QOF register this corresponds to, where there is one. */
  readonly qofRegister?: string;
  readonly codes: readonly { readonly code: SnomedCode; readonly term: string }[];
}

const c = (code: string, term: string) => ({ code: code as SnomedCode, term });

export const CONDITIONS: Record<ConditionKey, ConditionDefinition> = {
  hypertension: { key: 'hypertension', label: 'Hypertension', qofRegister: 'HYP', codes: [c('38341003', 'Hypertensive disorder'), c('59621000', 'Essential hypertension')] },
  diabetes: { key: 'diabetes', label: 'Diabetes', qofRegister: 'DM', codes: [c('44054006', 'Type 2 diabetes mellitus'), c('46635009', 'Type 1 diabetes mellitus')] },
  asthma: { key: 'asthma', label: 'Asthma', qofRegister: 'AST', codes: [c('195967001', 'Asthma')] },
  copd: { key: 'copd', label: 'COPD', qofRegister: 'COPD', codes: [c('13645005', 'Chronic obstructive lung disease')] },
  chd: { key: 'chd', label: 'Coronary heart disease', qofRegister: 'CHD', codes: [c('53741008', 'Coronary arteriosclerosis'), c('22298006', 'Myocardial infarction'), c('194828000', 'Angina')] },
  atrial_fibrillation: { key: 'atrial_fibrillation', label: 'Atrial fibrillation', qofRegister: 'AF', codes: [c('49436004', 'Atrial fibrillation')] },
  stroke: { key: 'stroke', label: 'Stroke and TIA', qofRegister: 'STIA', codes: [c('230690007', 'Cerebrovascular accident'), c('266257000', 'Transient ischemic attack')] },
  heart_failure: { key: 'heart_failure', label: 'Heart failure', qofRegister: 'HF', codes: [c('84114007', 'Heart failure')] },
  ckd: { key: 'ckd', label: 'Chronic kidney disease (stage 3-5)', qofRegister: 'CKD', codes: [c('709044004', 'Chronic kidney disease'), c('433144002', 'Chronic kidney disease stage 3')] },
  cancer: { key: 'cancer', label: 'Cancer', qofRegister: 'CAN', codes: [c('363346000', 'Malignant neoplastic disease')] },
  dementia: { key: 'dementia', label: 'Dementia', qofRegister: 'DEM', codes: [c('52448006', 'Dementia'), c('26929004', "Alzheimer's disease")] },
  depression: { key: 'depression', label: 'Depression', qofRegister: 'DEP', codes: [c('35489007', 'Depressive disorder')] },
  smi: { key: 'smi', label: 'Serious mental illness', qofRegister: 'MH', codes: [c('58214004', 'Schizophrenia'), c('13746004', 'Bipolar disorder')] },
  learning_disability: { key: 'learning_disability', label: 'Learning disability', qofRegister: 'LD', codes: [c('110359009', 'Intellectual disability')] },
  autism: { key: 'autism', label: 'Autism', codes: [c('408856003', 'Autistic disorder')] },
};

/** Smoking status and measurement codes recorded in clinical_event. */
export const OBSERVATION_CODES = {
  currentSmoker: c('77176002', 'Smoker'),
  exSmoker: c('8517006', 'Ex-smoker'),
  neverSmoked: c('266919005', 'Never smoked tobacco'),
  bmi: c('60621009', 'Body mass index'),
  carer: c('224484003', 'Patient is a carer'),
} as const;
