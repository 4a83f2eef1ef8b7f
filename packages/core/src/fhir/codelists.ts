/**
 * Code lists from the code systems FHIR data arrives in to the codes OpenPHM holds: SNOMED CT in
 * clinical_event (the condition registers and measurement codes of ../codelists/conditions.ts) and
 * BNF in medication. Each list states its source. They are small and deliberately partial: a code
 * not in a list is never guessed, it is reported as unmapped (by code system and code, with counts)
 * so the list can be extended from the import report (docs/fhir-import.md, "Mapping tables").
 */
import { CONDITIONS, OBSERVATION_CODES, type ConditionKey } from '../codelists/conditions.js';
import { MEDICINES } from '../codelists/medicines.js';
import type { FhirCodeSystem } from './systems.js';

export interface CodeListEntry {
  /** The code OpenPHM holds (a SNOMED CT concept id or a BNF code). */
  readonly to: string;
  readonly term: string;
}

export interface CodeList {
  readonly from: FhirCodeSystem;
  readonly to: 'snomed' | 'bnf';
  /** Where the pairs come from. */
  readonly source: string;
  /** Keyed by the source code; for ICD-10, by category prefix (the longest matching prefix wins). */
  readonly entries: Readonly<Record<string, CodeListEntry>>;
}

const register = (key: ConditionKey, index = 0): CodeListEntry => {
  const code = CONDITIONS[key].codes[index]!;
  return { to: code.code, term: code.term };
};

/**
 * ICD-10 (hospital and death coding) to the SNOMED CT concept of OpenPHM's condition register, by
 * ICD-10 category. Used for Conditions coded only in ICD-10; a hospital spell's primary diagnosis
 * keeps its ICD-10 code.
 */
export const ICD10_TO_SNOMED: CodeList = {
  from: 'icd10',
  to: 'snomed',
  source:
    "WHO ICD-10 2019 category titles matched by hand to the registers of core/codelists/conditions.ts (each SNOMED CT concept there is the register's first code); category level only, an approximation of NHS England's SNOMED CT to ICD-10 map read backwards",
  entries: {
    I10: register('hypertension', 1),
    I15: register('hypertension', 0),
    E10: register('diabetes', 1),
    E11: register('diabetes', 0),
    J45: register('asthma'),
    J46: register('asthma'),
    J44: register('copd'),
    I20: register('chd', 2),
    I21: register('chd', 1),
    I22: register('chd', 1),
    I25: register('chd', 0),
    I48: register('atrial_fibrillation'),
    I63: register('stroke', 0),
    I64: register('stroke', 0),
    G45: register('stroke', 1),
    I50: register('heart_failure'),
    N183: register('ckd', 1),
    N184: register('ckd', 0),
    N185: register('ckd', 0),
    C: register('cancer'),
    F00: register('dementia', 1),
    F01: register('dementia', 0),
    F03: register('dementia', 0),
    G30: register('dementia', 1),
    F32: register('depression'),
    F33: register('depression'),
    F20: register('smi', 0),
    F31: register('smi', 1),
    F70: register('learning_disability'),
    F71: register('learning_disability'),
    F72: register('learning_disability'),
    F73: register('learning_disability'),
    F79: register('learning_disability'),
    F840: register('autism'),
    G40: register('epilepsy'),
    M80: register('osteoporosis'),
    M81: register('osteoporosis'),
    M05: register('rheumatoid_arthritis'),
    M06: register('rheumatoid_arthritis'),
    I739: register('peripheral_arterial_disease', 1),
    R730: register('non_diabetic_hyperglycaemia'),
    F41: register('anxiety'),
    M15: register('osteoarthritis'),
    M16: register('osteoarthritis'),
    M17: register('osteoarthritis'),
    M19: register('osteoarthritis'),
    F102: register('alcohol_dependence'),
    K70: register('chronic_liver_disease', 1),
    K74: register('chronic_liver_disease', 0),
    G20: register('parkinsons'),
    G35: register('multiple_sclerosis'),
  },
};

const observation = (key: keyof typeof OBSERVATION_CODES): CodeListEntry => ({ to: OBSERVATION_CODES[key].code, term: OBSERVATION_CODES[key].term });

/**
 * LOINC observation codes (US generators such as Synthea, and laboratory feeds) to the SNOMED CT
 * observable entity OpenPHM records with the value. Blood pressure panels (85354-9, 55284-4) are
 * read through their components.
 */
export const LOINC_TO_SNOMED: CodeList = {
  from: 'loinc',
  to: 'snomed',
  source:
    'LOINC 2.7x long common names matched by hand to the SNOMED CT observable entities of the same measurement (SNOMED CT UK edition); BMI is OpenPHM\'s own code (core/codelists/conditions.ts)',
  entries: {
    '39156-5': observation('bmi'),
    '8480-6': { to: '271649006', term: 'Systolic blood pressure' },
    '8462-4': { to: '271650006', term: 'Diastolic blood pressure' },
    '29463-7': { to: '27113001', term: 'Body weight' },
    '8302-2': { to: '50373000', term: 'Body height measure' },
  },
};

/** LOINC "Tobacco smoking status" and its NHIS variant: the value (a SNOMED CT finding) is what is recorded. */
export const SMOKING_STATUS_LOINC: readonly string[] = ['72166-2', '11367-0'];
/** LOINC blood pressure panels: their components carry the values. */
export const BLOOD_PRESSURE_PANEL_LOINC: readonly string[] = ['85354-9', '55284-4'];

/**
 * Smoking findings more specific than the three OpenPHM's smoking indicators count (current smoker,
 * ex-smoker, never smoked) to the one they fall under. Codes OpenPHM counts already pass unchanged.
 */
export const SMOKING_TO_SNOMED: CodeList = {
  from: 'snomed',
  to: 'snomed',
  source:
    "SNOMED CT UK edition hierarchy: children of 77176002 'Smoker' and 8517006 'Ex-smoker' (and the US extension's occasional-smoker concept Synthea writes) to those parents, as OpenPHM's smoking codes (core/codelists/conditions.ts)",
  entries: {
    '449868002': observation('currentSmoker'), // Smokes tobacco daily
    '428041000124106': observation('currentSmoker'), // Occasional tobacco smoker (US extension)
    '65568007': observation('currentSmoker'), // Cigarette smoker
    '230059006': observation('currentSmoker'), // Occasional cigarette smoker
    '160617001': observation('exSmoker'), // Stopped smoking
    '8392000': observation('neverSmoked'), // Non-smoker
  },
};

/** CVX vaccine codes (US immunisation records, Synthea) to the SNOMED CT vaccination procedure. */
export const CVX_TO_SNOMED: CodeList = {
  from: 'cvx',
  to: 'snomed',
  source:
    'CDC CVX code set (vaccine descriptions) matched by hand to SNOMED CT UK edition vaccination procedures; vaccines without a specific procedure here stay unmapped',
  entries: {
    '140': { to: '86198006', term: 'Influenza vaccination' },
    '141': { to: '86198006', term: 'Influenza vaccination' },
    '150': { to: '86198006', term: 'Influenza vaccination' },
    '158': { to: '86198006', term: 'Influenza vaccination' },
    '03': { to: '38598009', term: 'Measles-mumps-rubella vaccination' },
    '94': { to: '38598009', term: 'Measles-mumps-rubella vaccination' },
  },
};

/** RxNorm clinical drugs (US prescribing, Synthea) to the BNF chemical substance. */
export const RXNORM_TO_BNF: CodeList = {
  from: 'rxnorm',
  to: 'bnf',
  source:
    "NLM RxNorm clinical drug names matched by hand to the BNF chemical substance codes NHSBSA publishes (BNF code information, as in the English Prescribing Data); OpenPHM's medicine sections are core/codelists/medicines.ts",
  entries: {
    '313782': { to: '0407010H0', term: 'Paracetamol (Acetaminophen 325 MG Oral Tablet)' },
    '310965': { to: '1001010J0', term: 'Ibuprofen (Ibuprofen 200 MG Oral Tablet)' },
    '834061': { to: '0501011P0', term: 'Phenoxymethylpenicillin (Penicillin V Potassium 250 MG Oral Tablet)' },
    '308182': { to: '0501013B0', term: 'Amoxicillin (Amoxicillin 250 MG Oral Capsule)' },
    '895994': { to: '0302000N0', term: 'Fluticasone propionate (inhaled) (120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler)' },
    '2123111': { to: '0301011R0', term: 'Salbutamol (200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler)' },
    '314076': { to: '0205051L0', term: 'Lisinopril (lisinopril 10 MG Oral Tablet)' },
    '197361': { to: '0206020A0', term: 'Amlodipine (Amlodipine 5 MG Oral Tablet)' },
    '860975': { to: '0601022B0', term: 'Metformin hydrochloride (24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet)' },
  },
};

/**
 * dm+d (the NHS Dictionary of medicines and devices, SNOMED CT UK drug extension) to BNF. The map is
 * NHSBSA's "BNF SNOMED mapping" file (tens of thousands of rows, published monthly); no pair has been
 * copied in and checked by hand yet, so every dm+d code is reported as unmapped, with its count, for
 * the pairs a partnership needs to be added here from that file.
 */
export const DMD_TO_BNF: CodeList = {
  from: 'dmd',
  to: 'bnf',
  source: "NHSBSA BNF SNOMED mapping (dm+d VMP/AMP/VTM to BNF presentation); no pairs added yet: dm+d codes are listed as unmapped",
  entries: {},
};

/**
 * OPCS-4 (hospital procedure classification): OpenPHM's person-level tables hold no hospital
 * procedures, so no OPCS-4 code is mapped; codes are checked and counted as unmapped.
 */
export const OPCS4_TO_SNOMED: CodeList = {
  from: 'opcs4',
  to: 'snomed',
  source: 'none: no OpenPHM table holds hospital procedures (docs/data-model.md); OPCS-4 codes are listed as unmapped',
  entries: {},
};

/** The BNF sections OpenPHM's cohorts and indicators use (a mapped BNF code is loaded whether or not it falls in one). */
export const MEDICINE_SECTIONS: readonly string[] = Object.values(MEDICINES).map((m) => m.code);

export const FHIR_CODE_LISTS = {
  icd10ToSnomed: ICD10_TO_SNOMED,
  loincToSnomed: LOINC_TO_SNOMED,
  smokingToSnomed: SMOKING_TO_SNOMED,
  cvxToSnomed: CVX_TO_SNOMED,
  rxnormToBnf: RXNORM_TO_BNF,
  dmdToBnf: DMD_TO_BNF,
  opcs4ToSnomed: OPCS4_TO_SNOMED,
} as const;

/** The entry of a code in a list; for ICD-10 (keyed by category prefix) the longest prefix that matches. */
export const lookUp = (list: CodeList, code: string): CodeListEntry | undefined => {
  if (list.from !== 'icd10') return list.entries[code];
  for (let n = code.length; n >= 1; n--) {
    const entry = list.entries[code.slice(0, n)];
    if (entry !== undefined) return entry;
  }
  return undefined;
};

/** ICD-10 as written in FHIR ("E11.9", "I10") to OpenPHM's form without the dot ("E119"), or undefined when it is not ICD-10. */
export const normaliseIcd10 = (code: string): string | undefined => {
  const m = /^([A-Z]\d{2})(?:\.?([0-9X]))?[0-9A-Z]*$/.exec(code.trim().toUpperCase());
  return m ? `${m[1]}${m[2] ?? ''}` : undefined;
};

/** OPCS-4: a letter, two digits and an optional fourth character, with or without the dot ("W37.1", "K401"). */
export const isOpcs4 = (code: string): boolean => /^[A-Z]\d{2}(\.?\d)?$/.test(code);
