import type { SnomedCode } from '../codes/codes.js';
import type { ConditionKey } from './conditions.js';

/**
 * The 36 deficits of the electronic Frailty Index (Clegg et al., Age and Ageing 2016).
 * A deficit is either a long-term condition register (shared with CONDITIONS) or its own
 * SNOMED CT codelist. Codes here are an illustrative subset of the published eFI code sets;
 * polypharmacy is derived from prescribing (5+ distinct BNF sections issued in 12 months).
 */
export type FrailtyDeficitSource =
  | { readonly kind: 'conditions'; readonly conditions: readonly ConditionKey[] }
  | { readonly kind: 'codes'; readonly codes: readonly { readonly code: SnomedCode; readonly term: string }[] }
  | { readonly kind: 'polypharmacy'; readonly minDistinctBnfSections: number };

export interface FrailtyDeficit {
  readonly key: string;
  readonly label: string;
  readonly source: FrailtyDeficitSource;
}

const codes = (...pairs: [string, string][]): FrailtyDeficitSource => ({
  kind: 'codes',
  codes: pairs.map(([code, term]) => ({ code: code as SnomedCode, term })),
});
const conditions = (...keys: ConditionKey[]): FrailtyDeficitSource => ({ kind: 'conditions', conditions: keys });

export const FRAILTY_DEFICITS: readonly FrailtyDeficit[] = [
  { key: 'activity_limitation', label: 'Activity limitation', source: codes(['21134002', 'Disability']) },
  { key: 'anaemia', label: 'Anaemia and haematinic deficiency', source: codes(['271737000', 'Anemia']) },
  { key: 'arthritis', label: 'Arthritis', source: conditions('osteoarthritis', 'rheumatoid_arthritis') },
  { key: 'atrial_fibrillation', label: 'Atrial fibrillation', source: conditions('atrial_fibrillation') },
  { key: 'cerebrovascular_disease', label: 'Cerebrovascular disease', source: conditions('stroke') },
  { key: 'chronic_kidney_disease', label: 'Chronic kidney disease', source: conditions('ckd') },
  { key: 'diabetes', label: 'Diabetes', source: conditions('diabetes') },
  { key: 'dizziness', label: 'Dizziness', source: codes(['404640003', 'Dizziness']) },
  { key: 'dyspnoea', label: 'Dyspnoea', source: codes(['267036007', 'Dyspnea']) },
  { key: 'falls', label: 'Falls', source: codes(['161898004', 'Falls']) },
  { key: 'foot_problems', label: 'Foot problems', source: codes(['118932009', 'Disorder of foot']) },
  { key: 'fragility_fracture', label: 'Fragility fracture', source: codes(['5913000', 'Fracture of neck of femur']) },
  { key: 'hearing_impairment', label: 'Hearing impairment', source: codes(['15188001', 'Hearing loss']) },
  { key: 'heart_failure', label: 'Heart failure', source: conditions('heart_failure') },
  { key: 'heart_valve_disease', label: 'Heart valve disease', source: codes(['368009', 'Heart valve disorder']) },
  { key: 'housebound', label: 'Housebound', source: codes(['160689007', 'Housebound']) },
  { key: 'hypertension', label: 'Hypertension', source: conditions('hypertension') },
  { key: 'hypotension_syncope', label: 'Hypotension / syncope', source: codes(['45007003', 'Low blood pressure']) },
  { key: 'ischaemic_heart_disease', label: 'Ischaemic heart disease', source: conditions('chd') },
  { key: 'memory_cognitive_problems', label: 'Memory and cognitive problems', source: codes(['386807006', 'Memory impairment']) },
  { key: 'mobility_transfer_problems', label: 'Mobility and transfer problems', source: codes(['8510008', 'Reduced mobility']) },
  { key: 'osteoporosis', label: 'Osteoporosis', source: conditions('osteoporosis') },
  { key: 'parkinsonism_tremor', label: 'Parkinsonism and tremor', source: conditions('parkinsons') },
  { key: 'peptic_ulcer', label: 'Peptic ulcer', source: codes(['13200003', 'Peptic ulcer']) },
  { key: 'peripheral_vascular_disease', label: 'Peripheral vascular disease', source: conditions('peripheral_arterial_disease') },
  { key: 'polypharmacy', label: 'Polypharmacy', source: { kind: 'polypharmacy', minDistinctBnfSections: 5 } },
  { key: 'requirement_for_care', label: 'Requirement for care', source: codes(['184156005', 'Has a caregiver']) },
  { key: 'respiratory_disease', label: 'Respiratory disease', source: conditions('asthma', 'copd') },
  { key: 'skin_ulcer', label: 'Skin ulcer', source: codes(['46742003', 'Skin ulcer']) },
  { key: 'sleep_disturbance', label: 'Sleep disturbance', source: codes(['193462001', 'Insomnia']) },
  { key: 'social_vulnerability', label: 'Social vulnerability', source: codes(['105529008', 'Lives alone']) },
  { key: 'thyroid_disease', label: 'Thyroid disease', source: codes(['14304000', 'Disorder of thyroid gland']) },
  { key: 'urinary_incontinence', label: 'Urinary incontinence', source: codes(['165232002', 'Urinary incontinence']) },
  { key: 'urinary_system_disease', label: 'Urinary system disease', source: codes(['68566005', 'Urinary tract infectious disease']) },
  { key: 'visual_impairment', label: 'Visual impairment', source: codes(['397540003', 'Visual impairment']) },
  { key: 'weight_loss_anorexia', label: 'Weight loss and anorexia', source: codes(['89362005', 'Weight loss']) },
];

/** Deficits with a SNOMED codelist of their own (not a condition register or prescribing). */
export const CODED_FRAILTY_DEFICITS = FRAILTY_DEFICITS.filter(
  (d): d is FrailtyDeficit & { source: { kind: 'codes' } } => d.source.kind === 'codes',
);
