/**
 * SNOMED CT terms for every concept OpenPHM's code lists use: the long-term condition registers,
 * the electronic Frailty Index's coded deficits, observations (smoking, BMI, carers), opt-outs, and
 * the reviews, vaccinations and screening the care-gap rules look for. Terms are the UK Edition's
 * preferred terms (British spelling), so a clinician reads what their own GP system shows.
 *
 * Source: SNOMED CT UK Edition (UK Clinical Edition), NHS England Terminology Server / TRUD.
 * SNOMED CT is used in the UK under NHS England's national SNOMED CT affiliate licence (free to
 * use in the UK); see docs/code-terms.md. Concept ids are facts about the terminology; only these
 * few terms are shipped, not the release.
 */
export const SNOMED_TERMS: Readonly<Record<string, string>> = {
  // Long-term condition registers (core codelists/conditions.ts).
  '38341003': 'Hypertension',
  '59621000': 'Essential hypertension',
  '44054006': 'Type 2 diabetes mellitus',
  '46635009': 'Type 1 diabetes mellitus',
  '195967001': 'Asthma',
  '13645005': 'Chronic obstructive pulmonary disease',
  '53741008': 'Coronary arteriosclerosis',
  '22298006': 'Myocardial infarction',
  '194828000': 'Angina',
  '49436004': 'Atrial fibrillation',
  '230690007': 'Stroke',
  '266257000': 'Transient ischaemic attack',
  '84114007': 'Heart failure',
  '709044004': 'Chronic kidney disease',
  '433144002': 'Chronic kidney disease stage 3',
  '363346000': 'Malignant neoplastic disease',
  '52448006': 'Dementia',
  '26929004': "Alzheimer's disease",
  '35489007': 'Depressive disorder',
  '58214004': 'Schizophrenia',
  '13746004': 'Bipolar disorder',
  '110359009': 'Intellectual disability',
  '408856003': 'Autistic disorder',
  // Observations (core codelists/conditions.ts OBSERVATION_CODES).
  '77176002': 'Smoker',
  '8517006': 'Ex-smoker',
  '266919005': 'Never smoked tobacco',
  '60621009': 'Body mass index',
  '224484003': 'Patient is a carer',
  // Electronic Frailty Index deficits with codes of their own (core codelists/frailty.ts).
  '21134002': 'Disability',
  '271737000': 'Anaemia',
  '3723001': 'Arthritis',
  '404640003': 'Dizziness',
  '267036007': 'Dyspnoea',
  '161898004': 'Falls',
  '118932009': 'Disorder of foot',
  '5913000': 'Fracture of neck of femur',
  '15188001': 'Hearing loss',
  '368009': 'Heart valve disorder',
  '160689007': 'Housebound',
  '45007003': 'Low blood pressure',
  '386807006': 'Memory impairment',
  '8510008': 'Reduced mobility',
  '64859006': 'Osteoporosis',
  '49049000': "Parkinson's disease",
  '13200003': 'Peptic ulcer',
  '400047006': 'Peripheral vascular disease',
  '184156005': 'Has a caregiver',
  '46742003': 'Skin ulcer',
  '193462001': 'Insomnia',
  '105529008': 'Lives alone',
  '14304000': 'Disorder of thyroid gland',
  '165232002': 'Urinary incontinence',
  '68566005': 'Urinary tract infectious disease',
  '397540003': 'Visual impairment',
  '89362005': 'Weight loss',
  // Opt-outs (core schema/tables.ts).
  '827241000000103': 'Dissent from secondary use of general practitioner patient identifiable data',
  '827261000000102': 'Dissent withdrawn from secondary use of general practitioner patient identifiable data',
  // Reviews, vaccinations and screening the care-gap rules look for (core care/care-gaps.ts).
  '170777000': 'Diabetic annual review',
  '394700004': 'Asthma annual review',
  '270442000': 'Asthma monitoring check done',
  '394703002': 'Chronic obstructive pulmonary disease annual review',
  '822851000000102': 'Seasonal influenza vaccination',
  '171149006': 'Screening for malignant neoplasm of cervix',
  '275978004': 'Screening for malignant neoplasm of colon',
  '268547008': 'Screening for malignant neoplasm of breast',
};
