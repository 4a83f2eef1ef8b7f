/**
 * Terms for codes: what a clinician reads instead of `E86X`, `specialty 307` or `B86002`. Small code
 * lists shipped with the project, each with its source and licence (CODE_SYSTEMS; the full account
 * is docs/code-terms.md). Every code the synthetic generator writes and every code the indicator,
 * cohort, frailty and care-gap definitions use has a term; a code without one reads as the code
 * followed by "(no term)", never as a guess. GP practice and PCN names are not here: they come
 * from the partnership's reference data (NHS ODS, geo_practice and geo_pcn), see odsName.
 * Pure data and lookups.
 */
import { BNF_CHAPTERS, BNF_TERMS } from './bnf.js';
import { ICD10_TERMS } from './icd10.js';
import { SNOMED_TERMS } from './snomed.js';
import { TREATMENT_FUNCTIONS } from './treatment-functions.js';

export { BNF_CHAPTERS, BNF_TERMS } from './bnf.js';
export { ICD10_CHAPTERS, ICD10_TERMS, icd10ChapterOf } from './icd10.js';
export { SNOMED_TERMS } from './snomed.js';
export { TREATMENT_FUNCTIONS } from './treatment-functions.js';

export const CODE_SYSTEM_IDS = ['snomed', 'icd10', 'opcs4', 'bnf', 'dmd', 'treatment-function', 'ecds-department-type', 'ods'] as const;
export type CodeSystemId = (typeof CODE_SYSTEM_IDS)[number];

export interface CodeSystemSource {
  readonly name: string;
  /** Where the terms come from. */
  readonly source: string;
  readonly licence: string;
  readonly url: string;
  /** What OpenPHM holds of it. */
  readonly held: string;
}

export const CODE_SYSTEMS: Readonly<Record<CodeSystemId, CodeSystemSource>> = {
  snomed: {
    name: 'SNOMED CT',
    source: 'SNOMED CT UK Edition, NHS England (TRUD and the NHS England Terminology Server)',
    licence: "Used under NHS England's national SNOMED CT affiliate licence (free in the UK); SNOMED CT is owned by SNOMED International",
    url: 'https://digital.nhs.uk/services/terminology-and-classifications/snomed-ct',
    held: 'UK preferred terms of the concepts in the condition, frailty, observation, opt-out and care-gap code lists',
  },
  icd10: {
    name: 'ICD-10',
    source: 'ICD-10 5th Edition, NHS England Classifications (Delen, TRUD)',
    licence: 'WHO ICD-10, used in the NHS under licence from the World Health Organization',
    url: 'https://digital.nhs.uk/services/terminology-and-classifications/clinical-classifications',
    held: 'Titles of the diagnosis and cause-of-death codes the generator writes, and the 21 chapters',
  },
  opcs4: {
    name: 'OPCS-4',
    source: 'OPCS Classification of Interventions and Procedures 4.10, NHS England Classifications',
    licence: 'Crown copyright, Open Government Licence v3.0',
    url: 'https://digital.nhs.uk/services/terminology-and-classifications/clinical-classifications',
    held: 'Nothing yet: no table holds procedures (hospital_spell has a primary diagnosis only); a procedure code would read as "(no term)"',
  },
  bnf: {
    name: 'BNF',
    source: 'NHS Business Services Authority, BNF code information (the BNF structure of prescribing data)',
    licence: 'Open Government Licence v3.0',
    url: 'https://www.nhsbsa.nhs.uk/prescription-data/understanding-our-data/bnf-snomed-mapping',
    held: 'Names of the BNF sections (and the one chemical substance) the prescribing data and code lists use, and the chapters',
  },
  dmd: {
    name: 'dm+d',
    source: 'NHS Dictionary of medicines and devices, NHSBSA (TRUD)',
    licence: 'Open Government Licence v3.0 (dm+d), SNOMED CT affiliate licence for its SNOMED identifiers',
    url: 'https://www.nhsbsa.nhs.uk/pharmacies-gp-practices-and-appliance-contractors/dictionary-medicines-and-devices-dmd',
    held: 'Nothing: prescribing is held by BNF code; NHSBSA publishes the BNF to dm+d (SNOMED) mapping for real extracts',
  },
  'treatment-function': {
    name: 'Treatment function code',
    source: 'NHS Data Dictionary, Treatment Function Code (Main Specialty and Treatment Function Codes table)',
    licence: 'Open Government Licence v3.0',
    url: 'https://www.datadictionary.nhs.uk/attributes/treatment_function_code.html',
    held: 'Every current treatment function title',
  },
  'ecds-department-type': {
    name: 'Emergency care department type',
    source: 'NHS Data Dictionary, Emergency Care Department Type (ECDS)',
    licence: 'Open Government Licence v3.0',
    url: 'https://www.datadictionary.nhs.uk/attributes/emergency_care_department_type.html',
    held: 'The four department types',
  },
  ods: {
    name: 'ODS codes',
    source: 'NHS England Organisation Data Service (epraccur, ePCN), in the partnership reference data (geo_practice, geo_pcn)',
    licence: 'Open Government Licence v3.0',
    url: 'https://digital.nhs.uk/services/organisation-data-service',
    held: 'GP practice and PCN names, from the database the partnership was built with',
  },
};

/** ECDS emergency care department types (ae_attendance.department_type). */
export const ECDS_DEPARTMENT_TYPES: Readonly<Record<string, string>> = {
  '01': 'Type 1 emergency department (consultant-led, 24 hours)',
  '02': 'Type 2 single-specialty emergency department',
  '03': 'Urgent treatment centre or minor injury unit',
  '04': 'NHS walk-in centre',
};

const TABLES: Readonly<Record<CodeSystemId, Readonly<Record<string, string>>>> = {
  snomed: SNOMED_TERMS,
  icd10: ICD10_TERMS,
  opcs4: {},
  bnf: BNF_TERMS,
  dmd: {},
  'treatment-function': TREATMENT_FUNCTIONS,
  'ecds-department-type': ECDS_DEPARTMENT_TYPES,
  ods: {},
};

export const NO_TERM = '(no term)';

/** A code with what a reader is shown for it. */
export interface CodeTerm {
  readonly system: CodeSystemId;
  readonly code: string;
  /** The term, or null when OpenPHM holds none for the code. */
  readonly term: string | null;
  /** What to show: the term, or the code followed by "(no term)". */
  readonly text: string;
}

/** ICD-10 as NHS data sets hold it: I10X, I219; also accepted with a dot (I21.9) or without the X filler (I10). */
const icd10Key = (code: string): string => {
  const c = code.replace('.', '').toUpperCase();
  return /^[A-Z]\d{2}$/.test(c) && ICD10_TERMS[c] === undefined ? `${c}X` : c;
};

/** The term for a BNF code: its own, else its section's (first four characters), else its chapter's ("… (other)"). */
const bnfTerm = (code: string): string | null => {
  if (BNF_TERMS[code] !== undefined) return BNF_TERMS[code]!;
  if (code.length > 4 && BNF_TERMS[code.slice(0, 4)] !== undefined) return BNF_TERMS[code.slice(0, 4)]!;
  const chapter = BNF_CHAPTERS[code.slice(0, 2)];
  return code.length >= 4 && chapter !== undefined ? `${chapter} (other)` : null;
};

/** The term of a code in a system, or null when none is held. */
export const termOf = (system: CodeSystemId, code: string): string | null => {
  if (system === 'icd10') return ICD10_TERMS[icd10Key(code)] ?? null;
  if (system === 'bnf') return bnfTerm(code);
  return TABLES[system][code] ?? null;
};

/** A code with its term, and the text to show: the term, or "CODE (no term)". */
export const codeTerm = (system: CodeSystemId, code: string): CodeTerm => {
  const term = termOf(system, code);
  return { system, code, term, text: term ?? `${code} ${NO_TERM}` };
};

/** Short words that stay lower case inside a name. */
const SMALL = new Set(['and', 'of', 'the', 'at', 'on', 'in', 'for', 'with']);
/** Letters kept as capitals: initialisms in practice and PCN names. */
const KEEP = new Set(['PCN', 'GP', 'NHS', 'UK', 'ICB', 'HC']);

/**
 * An ODS name as people write it: ODS holds names in capitals ("THE DENSHAM SURGERY"); shown as
 * "The Densham Surgery", initialisms such as PCN and NHS kept, apostrophes and hyphens respected
 * ("ST JOHN'S" → "St John's"). Null or empty: null.
 */
export const odsName = (name: string | null | undefined): string | null => {
  if (name === null || name === undefined || name.trim() === '') return null;
  return name
    .trim()
    .split(/\s+/)
    .map((word, i) => {
      if (KEEP.has(word.toUpperCase()) || /\d/.test(word)) return word.toUpperCase();
      const lower = word.toLowerCase();
      if (i > 0 && SMALL.has(lower)) return lower;
      return lower.replace(/(^|[-(/&])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
    })
    .join(' ');
};

/** A GP practice for a reader: "The Densham Surgery (A81001)", or "practice A81001" when the name is not known. */
export const practiceLabel = (code: string, name: string | null | undefined): string => {
  const n = odsName(name);
  return n === null ? `practice ${code}` : `${n} (${code})`;
};
